from __future__ import annotations

from provenance.model import Article
from provenance.report.tables import render_compare
from provenance.scanning import compare
from provenance.verdict.discount import boilerplate_spans, quotation_spans, template_spans

from .conftest import prose

#: A minister's statement, as outlets quote it from her.
STATEMENT = ("The science is clear that the stock has not recovered, and I will not gamble "
             "with its future. Keeping the fishery closed for another season is hard on "
             "harvesters, and we will be there to support them.")


def test_quotations_run_to_their_closing_mark_across_paragraphs() -> None:
    text = ('She said: \u201cFirst part.\n\n\u201cSecond part.\u201d Then more. '
            'He said "yes" and left.')
    spans = [text[start:end] for start, end in quotation_spans(text)]
    assert spans == ["\u201cFirst part.\n\n\u201cSecond part.\u201d", '"yes"']


def test_a_straight_quote_left_open_ends_with_its_paragraph() -> None:
    # An odd number of straight quotes in a paragraph shifts no pairing beyond it.
    text = ('He said "we go on.\n\nThe plant reopened. "Good," she said.\n\nThe end.')
    assert [text[a:b] for a, b in quotation_spans(text)] == ['"we go on.', '"Good,"']
    japanese = "\u300c開会\u300dと述べた"
    assert [japanese[a:b] for a, b in quotation_spans(japanese)] == ["\u300c開会\u300d"]


def test_a_releases_closing_boilerplate_runs_to_the_end() -> None:
    text = ("Acme today announced a robot.\n\nAbout Acme Robotics\nFounded in 2017, Acme makes "
            "robots.\n\nMedia Contact:\nJordan Ellis\n")
    (span,) = boilerplate_spans(text)
    assert text[span[0]:span[1]].startswith("About Acme Robotics") and span[1] == len(text)
    # A sentence that opens with "About" is not a heading.
    assert boilerplate_spans("About 200 people attended the rally on Sunday.\n") == []
    for sentence in ("Copyright lawsuits rose in 2025.", "Source close to the talks said no."):
        assert boilerplate_spans(f"Story.\n{sentence}\nMore.\n") == []  # prose, not notices
    notice = "Copyright 2026 The Daily Example. All rights reserved."
    text = f"Story.\n{notice}\nMore story.\n"
    assert [text[a:b] for a, b in boilerplate_spans(text)] == [notice]


def test_template_lines_stand_alone_and_copy_runs_on() -> None:
    pitch = "Sign up for our free morning newsletter."
    ours = f"Our story.\n{pitch}\nMore of ours.\n"
    theirs = f"Their story.\n{pitch}\nMore of theirs.\n"
    assert [ours[a:b] for a, b in template_spans(ours, theirs)] == [pitch]
    copy = prose(1, 60)
    assert template_spans(f"{copy}\n{pitch}\n", f"{copy}\n{pitch}\n") == []  # 70 words on


def test_an_outlets_footer_is_template_but_an_updated_story_is_not() -> None:
    footer = "\n".join([
        "Support local journalism: subscribe to The Examiner for unlimited access to our "
        "reporting for just $1 for your first month.",
        "Sign up for The Morning Line, our free weekday newsletter, at example.com/newsletters.",
        "Got a news tip? Reach our newsroom at news@example.com or 970-555-0142.",
        "The Examiner is committed to accuracy. If you see an error of fact in our reporting, "
        "email corrections@example.com and we will correct it promptly."])
    ours, theirs = f"{prose(10, 200)}.\n{footer}\n", f"{prose(11, 200)}.\n{footer}\n"
    assert [ours[a:b] for a, b in template_spans(ours, theirs)] == [footer]
    # A story updated with a new lead shares its body and footer: more than half of it.
    story = f"{prose(12, 40)}.\n{prose(13, 150)}.\n{footer}\n"
    assert template_spans(story, f"{prose(14, 30)}.\n{prose(13, 150)}.\n{footer}\n") == []
    # Two stories opening with the same paragraphs share copy: a lead is no footer.
    lead = "\n".join(prose(15 + n, 45) + "." for n in range(4))
    opening_alike = f"{lead}\n{prose(20, 250)}.\n", f"{lead}\n{prose(21, 250)}.\n"
    assert template_spans(*opening_alike) == []


def test_a_releases_conference_call_and_wire_header_are_boilerplate() -> None:
    header = "March 26, 2026 17:30 ET | Source: Nordvik Water Technologies Inc."
    call = ("Nordvik will host a conference call to discuss its results on March 27, 2026 at "
            "10:00 a.m. ET. Dial-in details are available on the Company's website.")
    text = f"Nordvik reports results\n{header}\nRevenue rose 34%.\nConference Call\n{call}\n"
    spans = [text[a:b] for a, b in boilerplate_spans(text)]
    assert spans == [header, f"Conference Call\n{call}\n"]


def article(article_id: str, text: str, outlet: str = "") -> Article:
    return Article(article_id, text, outlet=outlet)


def test_two_reports_quoting_one_statement_share_no_copy() -> None:
    first = article("first", f"{prose(2, 90)}.\n\nThe minister said: \u201c{STATEMENT}\u201d\n\n"
                             f"{prose(3, 90)}.")
    second = article("second", f"{prose(4, 70)}.\n\n\u201c{STATEMENT}\u201d the minister told "
                               f"reporters.\n\n{prose(5, 80)}.")
    pair, verdict = compare(first, second)
    assert pair.longest_passage >= 30  # the statement, shared word for word
    assert verdict.extent == "none"
    assert dict(verdict.discounted)["quotes both carry"] > 0
    assert ("Verdict: neither derives from the other: the text they share is no copy "
            "(quotes both carry, ") in render_compare(pair, verdict, {
                "first": first.text, "second": second.text}, "table")


def test_one_outlets_stock_lines_are_no_copy_but_its_copied_story_is() -> None:
    pitch = "Don't miss out on the latest news. Sign up for our free morning newsletter."
    stock = "The Bulletin is part of Coastline Media."
    first = article("first", f"{prose(6, 120)}.\n{pitch}\n{prose(7, 80)}.\n{stock}",
                    outlet="The Bulletin")
    second = article("second", f"{prose(8, 100)}.\n{pitch}\n{prose(9, 90)}.\n{stock}",
                     outlet="The Bulletin")
    _, verdict = compare(first, second)
    assert verdict.extent == "none"
    # The same lines in another outlet's copy of the story are part of that copy.
    copy = article("copy", first.text, outlet="The Harbour Times")
    assert compare(first, copy)[1].extent == "wholly"

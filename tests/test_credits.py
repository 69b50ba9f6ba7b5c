from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from provenance.attribution.agencies import builtin_registry
from provenance.attribution.credits import CreditFinder
from provenance.model import Article, Credit
from provenance.report.tables import render_credits
from provenance.scanning import scan
from provenance.text.bodies import article_bodies
from provenance.text.corpus import load_corpus

from .conftest import prose

FINDER = CreditFinder(builtin_registry())


def found(text: str) -> list[tuple[str, str, str | None]]:
    return [(c.kind, c.name, c.agency) for c in FINDER.find(text)]


@pytest.mark.parametrize("text, expected", [
    ("TOKYO (AP) — Japan's prime minister said on Friday.",
     [("dateline", "AP", "Associated Press")]),
    ("NEW DELHI, Jan 3 (Reuters) - India said on Friday.",
     [("dateline", "Reuters", "Reuters")]),
    ("Lahore (APP): Officials met.", [("dateline", "APP", "Associated Press of Pakistan")]),
    ("راولپنڈی ۔23 نومبر (اے پی پی) وزیر زراعت نے کہا",
     [("dateline", "اے پی پی", "Associated Press of Pakistan")]),
    ("بھوانہ (چنیوٹ)/ سرگودھا ۔ 12 ستمبر (اے پی پی) وزیراعظم نے",
     [("dateline", "اے پی پی", "Associated Press of Pakistan")]),
    ("ڈھاکا(اسپورٹس ڈیسک/ اے ایف پی) پہلے ٹیسٹ میں",
     [("dateline", "اے ایف پی", "Agence France-Presse")]),
    ("The match ended.\nHe said so. (PTI)", [("sign-off", "PTI", "Press Trust of India")]),
    ("The match ended.\nIt was over. —IANS", [("sign-off", "IANS", "Indo-Asian News Service")]),
    ("The match ended.\n- ANI", [("sign-off", "ANI", "Asian News International")]),
    ("The match ended.\n(With inputs from agencies)", [("sign-off", "agencies", None)]),
    ("By Mari Yamaguchi, Associated Press\nTokyo is calm.",
     [("byline", "Associated Press", "Associated Press")]),
    ("Tokyo is calm. Associated Press writer Joe Smith in Osaka contributed to this report.",
     [("byline", "Associated Press", "Associated Press")]),
    ("Copyright 2025 The Associated Press. All rights reserved.",
     [("copyright", "Associated Press", "Associated Press")]),
    ("Prices rose, according to the Associated Press.",
     [("citation", "Associated Press", "Associated Press")]),
    ("Prices rose, reported The Japan Times.", [("citation", "Japan Times", None)]),
    ("Xinhua news agency said on Monday that prices rose.",
     [("citation", "Xinhua", "Xinhua")]),
    ("He told Reuters that prices rose.", [("citation", "Reuters", "Reuters")]),
    # Bylines with or without a comma, and an agency's own byline.
    ("By MARI YAMAGUCHI Associated Press\nTOKYO — Japan's prime minister said on Friday.",
     [("byline", "Associated Press", "Associated Press")]),
    ("By ANDREW MELDRUM, Associated Press Writer\nHARARE — The opposition said.",
     [("byline", "Associated Press", "Associated Press")]),
    ("By David Brunnstrom and Michael Martina, Reuters\nWASHINGTON — The talks resumed.",
     [("byline", "Reuters", "Reuters")]),
    ("By The Associated Press\nPrices rose on Friday across Asia.",
     [("byline", "Associated Press", "Associated Press")]),
    ("SRINAGAR, Jan 5 (PTI) Security forces launched a search operation on Friday.",
     [("dateline", "PTI", "Press Trust of India")]),
    # Contribution lines.
    ("The minister left for Geneva on Friday.\n(With AFP inputs)",
     [("sign-off", "AFP", "Agence France-Presse")]),
    ("The minister left for Geneva on Friday.\nWith inputs from PTI",
     [("sign-off", "PTI", "Press Trust of India")]),
    ("Prices fell in early trade.\nReuters contributed to this report.",
     [("byline", "Reuters", "Reuters")]),
    # Urdu datelines, each Pakistani agency in Urdu script as the papers print it.
    ("اسلام آباد ۔ 5 مارچ (اے پی پی) وفاقی وزیر خزانہ نے کہا ہے کہ مہنگائی کم ہو رہی ہے",
     [("dateline", "اے پی پی", "Associated Press of Pakistan")]),
    ("کراچی (پی پی آئی) سندھ حکومت نے صوبے بھر میں دفعہ 144 نافذ کر دی",
     [("dateline", "پی پی آئی", "Pakistan Press International")]),
    ("اسلام آباد (آئی این پی) نیشنل الیکٹرک پاور ریگولیٹری اتھارٹی نے بجلی سستی کر دی",
     [("dateline", "آئی این پی", "Independent News Pakistan")]),
    ("اسلام آباد(این این آئی)اسلام آباد ہائی کورٹ نے چیئرمین کی تعیناتی معطل کر دی",
     [("dateline", "این این آئی", "News Network International")]),
    ("پشاور (آن لائن) خیبر پختونخوا حکومت نے نئے بجٹ کی منظوری دے دی",
     [("dateline", "آن لائن", "Online International News Network")]),
    ("ISLAMABAD (Online): The federal cabinet approved the budget on Friday.",
     [("dateline", "Online", "Online International News Network")]),
    # Japanese and Chinese: Kyodo's closing （共同） and bracketed dateline, Jiji's, Xinhua's
    # "cable" dateline (agency, place, date, 电).
    ("政府は5日、新型ロケットの打ち上げを来月に延期すると発表した。技術的な問題が見つかったため、"
     "原因を詳しく調べるという。（共同）", [("sign-off", "共同", "Kyodo News")]),
    ("【ワシントン共同】米政府は5日、日本製鉄による買収計画を承認したと発表した。",
     [("dateline", "共同", "Kyodo News")]),
    ("日経平均株価は続落した。\n東京株式市場は終日売りが優勢だった。（時事）",
     [("sign-off", "時事", "Jiji Press")]),
    ("新华社北京3月5日电（记者张三）十四届全国人大三次会议5日上午在人民大会堂开幕。",
     [("dateline", "新华社", "Xinhua")]),
    ("新華社北京3月5日電 全国人民代表大会は5日、北京で開幕した。",
     [("dateline", "新華社", "Xinhua")]),
    ("ソウル（共同）韓国政府は5日、北朝鮮が弾道ミサイルを発射したと発表した。",
     [("dateline", "共同", "Kyodo News")]),
    # The agency alone on a line at the top, as aggregators and Indian sites print it.
    ("Copper jumps as Chilean miners strike\nReuters\nMar 11, 2026 – 6.45am\n\nWorkers "
     "went on strike on Tuesday.\n\nTalks collapsed.\n\nPrices rose.",
     [("byline", "Reuters", "Reuters")]),
    ("Chile copper mine strike\n\nReuters | Updated: 10 Mar 2026, 10:10 PM IST\n\nWorkers "
     "went on strike.", [("byline", "Reuters", "Reuters")]),
    ("Quake jolts Tokyo\nThe Associated Press\n\nTOKYO — A strong earthquake shook Tokyo."
     "\n\nTrains stopped.\n\nNo damage was reported.",
     [("byline", "Associated Press", "Associated Press")]),
    ("The quake shook Tokyo.\n\nThe train lines reopened.\n\nSource: ANI",
     [("sign-off", "ANI", "Asian News International")]),
    ("Acme's robot squeezes into narrow aisles.\n\nSource: Acme Robotics via PR Newswire",
     [("release", "PR Newswire", "PR Newswire")]),
    ("The robot ships in May.\n\nThis article first appeared on Robotics Business Insider.",
     [("republication", "Robotics Business Insider", None)]),
    ("The fishery stays closed.\n\nThis article was originally published in The Halifax "
     "Chronicle Ledger.\n\nThe Cape Sentinel | Sydney, N.S.",
     [("republication", "Halifax Chronicle Ledger", None)]),
    ("*This story first appeared in The Gulf Shore Record and is republished with "
     "permission.*\n\nThe fishery stays closed.",
     [("republication", "Gulf Shore Record", None)]),
    # The paper's writers with the agency, as Australian and British papers print it.
    ("Airline to halt flights\n\nBy staff writers, with AAP\n\nA regional airline will halt "
     "flights.", [("byline", "AAP", "Australian Associated Press")]),
    ("Storm hits coast\n\nStaff and agencies\n\nA storm hit the coast on Friday.",
     [("byline", "agencies", None)]),
    ("The talks collapsed on Friday.\n\nAdditional reporting by Reuters",
     [("byline", "Reuters", "Reuters")]),
    ("Rome is calm.\n\nAssociated Press writers Nicole Winfield in Rome and Frances D'Emilio "
     "in Vatican City contributed.", [("byline", "Associated Press", "Associated Press")]),
    # Closing lines: "With AFP", a source line in parentheses.
    ("The minister left for Geneva on Friday.\n\nWith AFP",
     [("sign-off", "AFP", "Agence France-Presse")]),
    ("The drone carries a parachute.\n\n(Source: Xinhua)", [("sign-off", "Xinhua", "Xinhua")]),
    # A sign-off above related links and the paper's footer.
    ("青森で洋上風力発電所の工事が始まった。国内最大級の規模で、42基の風車を建て、合計63万キロワット"
     "を発電する計画だと同社は説明した。運転開始は2029年春の予定。\n\n（共同）\n\n▼関連記事\n"
     "・市議会、協力金条例を可決\n・漁協、影響調査を要望\n\n北奥新報ニュースの無断転載を禁じます。",
     [("sign-off", "共同", "Kyodo News")]),
])
def test_each_kind_of_credit_is_found(text: str, expected: list[tuple[str, str, str | None]]
                                      ) -> None:
    assert found(text) == expected


@pytest.mark.parametrize("text", [
    "The ap of the app was lovely.",                           # short forms need their case
    # "Online" is the agency only in a dateline's parentheses or a sign-off, in its case.
    "Online sales rose 5% in March, the company said on Friday.",
    "He filed the form (Online) before noon, officials said.",
    "Tickets went on sale on Friday.\nFans can buy them (online)",
    "SHOPPING (online) — Prices fell on Friday.",
    "طلبہ اب گھر سے آن لائن کلاسز لیتے ہیں۔",                    # Urdu "online classes"
    # "source" in a sentence is not a release's SOURCE line.
    "Prices fell on Friday.\nThe source said the deal was close.",
    "Prices fell on Friday.\nSource: company filings",
    "Prices fell on Friday.\nSOURCES SAY THE DEAL IS OFF",
    # "By ..." in running text is not a byline.
    "By the way, the Associated Press never said so.\nPrices rose.",
    "By Tuesday, AP had reported a deal.\nIt fell through.",
    "By Friday Reuters was reporting a deal.\nIt fell through.",
    # 共同 ("joint") and 時事 ("current affairs") are words before they are agencies.
    "両国は5日、共同声明を発表した。首脳会談は2時間に及んだ。",
    "時事問題について議論した。（共同声明）",
    "Prices rose, as reported by the Japanese foreign ministry.",  # not a news organisation
    "He said the plan (AP) was sound. It was.",                 # parentheses in running text
    "Reuters\nwas the first line, and this is the last one.",   # an agency word mid-article
    "Reuters",                                   # a title alone is not a sign-off line
    "The quake hit.\n\nOriginally Published: March 3, 2026 at 7:58 PM CST",  # a date
    # A deck, an interview, a photo credit: "with" or "and" an agency, not a byline.
    "Headline\nFunding cut for schools and agencies\n\nThe council cut funding on Monday.",
    "Headline\nPrime minister sits down with Reuters\n\nThe prime minister spoke on Monday.",
    "Headline\nPhoto: John Smith with AFP\n\nThe prime minister spoke on Monday.",
    # Reporting by an agency, mentioned in running text.
    "Prices rose.\nThe claims, first raised in reporting by Reuters last year, were denied.",
    # Xinhua's reporting team (报道组) is not "as Xinhua reported".
    "新华社报道组今天抵达灾区，开始采访当地的救援工作和受灾群众的生活情况。\n\n更多。",
    # A company's release mentioned, not a story taken from one.
    "The mayor criticised the company and its claims in a press release last week, saying "
    "the plan would fail residents.\n\nMore.",
])
def test_mentions_that_are_not_credits_are_ignored(text: str) -> None:
    assert found(text) == []


PR_NEWSWIRE_RELEASE = """\
SAN JOSE, Calif., March 3, 2026 /PRNewswire/ -- Acme Robotics, Inc. today announced the \
general availability of Picker 3, its warehouse picking arm.
"Customers asked for a faster arm," said Jane Doe, chief executive of Acme Robotics.
About Acme Robotics
Acme Robotics, Inc. builds robots for warehouses in San Jose and Osaka.
View original content to download multimedia:https://www.prnewswire.com/news-releases/\
acme-robotics-releases-picker-3-302000000.html
SOURCE Acme Robotics, Inc.
"""


@pytest.mark.parametrize("text, expected", [
    (PR_NEWSWIRE_RELEASE, [("release", "PRNewswire", "PR Newswire"),
                           ("release", "Acme Robotics, Inc.", "PR Newswire")]),
    ("SAN FRANCISCO--(BUSINESS WIRE)--Acme Corp. (NASDAQ: ACME) today announced record "
     "quarterly revenue.\nCopyright Business Wire 2026",
     [("release", "BUSINESS WIRE", "Business Wire"),
      ("release", "Business Wire", "Business Wire")]),
    ("TORONTO, March 03, 2026 (GLOBE NEWSWIRE) -- Acme Mining Inc. (TSX: ACM) is pleased to "
     "announce drilling results.", [("release", "GLOBE NEWSWIRE", "GlobeNewswire")]),
    ("NEW YORK, Jan. 05, 2016 /GLOBE NEWSWIRE/ -- Acme Inc. today announced a dividend.",
     [("release", "GLOBE NEWSWIRE", "GlobeNewswire")]),
    # A release reprinted without the wire's dateline: the company, and no agency.
    ("Acme Robotics, Inc. said on Tuesday it would open a plant in Osaka.\n"
     "The plant will employ 300 people.\nSOURCE Acme Robotics, Inc.",
     [("release", "Acme Robotics, Inc.", None)]),
])
def test_press_release_wires_are_release_credits(text: str,
                                                 expected: list[tuple[str, str, str | None]]
                                                 ) -> None:
    assert found(text) == expected
    assert all(credit.wire for credit in FINDER.find(text))  # a release is copy, reprinted


QUOTED_WIRE = """\
The talks collapsed late on Tuesday. As AFP reported from Geneva:
"Negotiators left the Palais des Nations without a joint statement after twelve hours.
"A second round is planned for next month, a Western diplomat said."
The Foreign Office declined to comment on the talks.
"""


def covered(text: str) -> list[tuple[str, str, str]]:
    return [(c.kind, c.text, text[c.covers[0]:c.covers[1]])
            for c in FINDER.find(text) if c.covers]


def test_an_attribution_credits_the_quoted_paragraphs_it_introduces() -> None:
    [credit] = FINDER.find(QUOTED_WIRE)
    assert (credit.kind, credit.agency, credit.text, credit.wire) == (
        "attribution", "Agence France-Presse", "As AFP reported from Geneva:", True)
    # The two quoted paragraphs; the outlet's own next paragraph ends the block.
    assert QUOTED_WIRE[slice(*credit.covers or (0, 0))] == "\n".join(
        QUOTED_WIRE.splitlines()[1:3])


def test_wire_paragraphs_quoted_under_an_attribution_are_credited_copy() -> None:
    # The case: an article quoting Reuters under "As Reuters reported:" was called
    # uncredited reuse of the Reuters story.
    wire = ("Oil prices rose more than 2% on Tuesday after OPEC and its allies agreed to extend "
            "output cuts into next year, tightening supply as demand recovered in China and "
            "India. Brent crude futures settled up $1.84 at $86.12 a barrel, while U.S. West "
            "Texas Intermediate crude rose $1.70 to $81.90. Analysts said the cuts would keep "
            "the market in deficit through the first quarter, and several banks raised their "
            "price forecasts for the coming months.")
    paper = ("Motorists in Karachi faced another rise in fuel prices this week.\n"
             f"As Reuters reported on Tuesday:\n\"{wire}\"\n"
             "The finance ministry is expected to announce new petrol prices on Friday.")
    result = scan([Article(id="reuters", text=wire, outlet="Reuters", published="2026-03-03"),
                   Article(id="paper", text=paper, published="2026-03-04")])
    lineage = result.lineage.of("paper")
    assert (lineage.kind, lineage.source) == ("credited wire copy", "reuters")
    [credit] = lineage.credits
    assert paper[slice(*credit.covers or (0, 0))] == f'"{wire}"'


@pytest.mark.parametrize("text, expected", [
    ("Markets were calm. AFP reported:\nThe vote was postponed until March.\nIt rained.",
     ("AFP reported:", "The vote was postponed until March.")),
    ("According to a Reuters report: the plant will close in May.\nUnions objected.",
     ("According to a Reuters report:", "the plant will close in May.")),
    ("Reuters reported on Tuesday:\n\n“Oil prices rose 2%.\n\n\u201cBrent crude hit $90.”\n"
     "Analysts disagreed.", ("Reuters reported on Tuesday:", "“Oil prices rose 2%.\n\n"
                                                          "\u201cBrent crude hit $90.”")),
    # No colon, but a quoted block follows the phrase.
    ("The ministry confirmed the deal. As Kyodo News reported on Friday\n"
     "\"The two companies will merge in April.\"\nShares rose.",
     ("As Kyodo News reported on Friday", "\"The two companies will merge in April.\"")),
    ("The fire burned for hours.\nThe AP reported Monday that:\n\n> The blaze broke out before"
     " dawn.\n\nWe called the county.", ("The AP reported Monday that:",
                                         "> The blaze broke out before dawn.")),
    # An indented block continues the quotation.
    ("As AP reported:\n  Officials said the road would reopen.\n  Traffic was diverted.\n"
     "We could not confirm this.",
     ("As AP reported:", "Officials said the road would reopen.\n  Traffic was diverted.")),
])
def test_each_form_of_attribution_is_found(text: str, expected: tuple[str, str]) -> None:
    # The phrase is the credit's text; it covers the block after it, from its first letter.
    assert covered(text) == [("attribution", *expected)]


LEAD = "Grain futures climbed on the Chicago exchange for a third straight session on Monday.\n"


@pytest.mark.parametrize("text", [
    LEAD + "Prices rose, according to Reuters, and wheat led.",
    LEAD + "Reuters reported on Tuesday that prices rose: wheat by 5%, corn by 3%.",
    LEAD + "A spokesman told Reuters:\n\"We will appeal.\"",
    # In the lead, a quote given to an agency is still no credit.
    "The company will appeal the ruling, a spokesman for the firm told Reuters on Monday.",
    # "contributed" after a quote given to an agency is no contribution line.
    LEAD + "The fund lost money, its manager told Reuters on Monday. Fuel costs also "
           "contributed.",
    # An agency as the subject of its own news, in a lead: not the story's source.
    "AFP said on Tuesday it would cut 50 jobs in its Paris newsroom as part of a plan.",
])
def test_a_citation_is_not_an_attribution(text: str) -> None:
    assert [c.kind for c in FINDER.find(text)] == ["citation"]
    assert all(c.covers is None for c in FINDER.find(text))


@pytest.mark.parametrize("text, name", [
    ("A drone flew plasma across the Qiongzhou Strait on Thursday, opening the first regular "
     "route, China's official Xinhua news agency reported.\n\nThe route links two hospitals.",
     "Xinhua"),
    ("Headline of the story\n\nThe plant will close in May and cut 400 jobs, according to "
     "Reuters.\n\nUnions objected.", "Reuters"),
    ("# 青森沖の洋上風力が着工\n\n　共同通信によると、青森市の会社が4日、つがる市の沖合で洋上風力"
     "発電所の工事に入った。\n\n　事業費は4200億円に上る。", "共同通信"),
])
def test_a_lead_naming_the_agency_whose_story_it_tells_credits_the_article(
        text: str, name: str) -> None:
    # A rewrite credits its agency in the lead; the same words later on cite a fact.
    [credit] = FINDER.find(text)
    assert (credit.kind, credit.name, credit.covers) == ("attribution", name, None)


def test_a_lead_taken_from_a_news_release_credits_the_release() -> None:
    text = ("The region will pay a Toronto firm $27.5 million to put listening devices on its "
            "pipes, according to a news release Nordvik Water Technologies issued Wednesday."
            "\n\nThe company said in a news release that it was pleased.")
    [credit] = FINDER.find(text)  # the lead's; the same words later on credit nothing
    assert (credit.kind, credit.name, credit.agency) == ("release", "news release", None)


def test_a_stored_credit_loads_with_or_without_the_span_it_covers() -> None:
    # The index stores credits as JSON and reads them back with Credit(**fields).
    [credit] = FINDER.find(QUOTED_WIRE)
    assert Credit(**json.loads(json.dumps(asdict(credit)))) == credit
    old: dict[str, Any] = {"kind": "sign-off", "name": "ANI",
                           "agency": "Asian News International", "start": 10, "end": 15,
                           "text": "- ANI"}
    assert Credit(**old) == Credit("sign-off", "ANI", "Asian News International", 10, 15,
                                   "- ANI", None)


def test_credits_json_shows_the_span_only_of_credits_that_cover_one() -> None:
    listed = json.loads(render_credits({"a": FINDER.find(QUOTED_WIRE),
                                        "b": FINDER.find("TOKYO (AP) — Prices rose.")}, "json"))
    [[attribution], [dateline]] = [a["credits"] for a in listed["articles"]]
    assert QUOTED_WIRE[slice(*attribution["covers"])].startswith('"Negotiators left')
    assert "covers" not in dateline


def test_credits_carry_offsets_into_the_text() -> None:
    text = "TOKYO (AP) — Prices rose, according to Kyodo News.\n- AP"
    examples = [text, PR_NEWSWIRE_RELEASE, QUOTED_WIRE,
                "【ワシントン共同】米政府は発表した。\n原因を調べるという。（共同）",
                "By MARI YAMAGUCHI Associated Press | March 3, 2026\nTOKYO — Prices rose."]
    for example in examples:
        assert FINDER.find(example)
        for credit in FINDER.find(example):
            assert example[credit.start:credit.end] == credit.text
    assert [c.kind for c in FINDER.find(text)] == ["dateline", "citation", "sign-off"]


def test_the_seed_articles_credits(corpus_dir: Path) -> None:
    articles = load_corpus([corpus_dir]).articles
    credits = {a.id[:3]: FINDER.find(a.text, body)
               for a, body in zip(articles, article_bodies(articles), strict=True)}
    signed = [(c.kind, c.agency) for c in credits["003"] if c.wire]
    assert signed == [("sign-off", "Asian News International")]
    assert {(c.kind, c.name) for c in credits["003"] if not c.wire} == {
        ("citation", "Japan Times")}
    assert {(c.kind, c.agency) for c in credits["001"]} == {
        ("citation", "Associated Press"), ("citation", "Kyodo News")}
    assert not any(c.wire for key in ("000", "001", "002", "004") for c in credits[key])


_TRIGGERS = sorted(FINDER._triggers[0] | FINDER._triggers[1])


@given(st.lists(st.one_of(
    st.sampled_from(_TRIGGERS),
    st.sampled_from(_TRIGGERS).map(str.upper),
    st.sampled_from(_TRIGGERS).map(str.title),
    st.text(alphabet="abcAP0-'_ .,\n()\u00e9", max_size=6)), max_size=12))
def test_the_ascii_shortcut_never_misses_a_trigger_word(pieces: list[str]) -> None:
    # Trigger words (as registered, in other cases, and glued to punctuation or to each
    # other) among other runs: the byte-level shortcut may pass a text the word check turns
    # down, never the reverse.
    text = "".join(pieces)
    if FINDER._has_trigger_word(text):
        assert FINDER._may_credit(text)


def test_the_ascii_shortcut_turns_down_texts_without_trigger_words() -> None:
    assert not FINDER._may_credit("Prices rose on Friday, officials said in Tokyo.")
    assert FINDER._may_credit("Prices rose on Friday, officials told REUTERS in Tokyo.")


def test_a_sign_off_every_reprint_carries_is_a_credit_not_furniture() -> None:
    # Repeated in six articles, "- Reuters" is a line furniture takes for a template; it is
    # the credit all the same, in a scan as in the finder.
    articles = [Article(f"paper-{n}", f"{prose(n, 120)}.\n\n- Reuters\n\nShare this story")
                for n in range(6)]
    result = scan(articles)
    assert all([(c.kind, c.agency) for c in result.credits.get(f"paper-{n}", ())]
               == [("sign-off", "Reuters")] for n in range(6))

from __future__ import annotations

from pathlib import Path

from provenance.model import Article
from provenance.text.bodies import article_bodies
from provenance.text.furniture import LineCounts, furniture_spans, remove_furniture

BODY = "\n".join(f"Paragraph {n} of the story, with enough words to be real prose here."
                 for n in range(12))


def test_comment_section_after_the_story_is_removed() -> None:
    comments = "Reader Comments\nA\nAnn B\nNice piece.\nLeave a Comment\n"
    text = BODY + "\nShare this article:\n\n" + comments
    cleaned = remove_furniture(text)
    assert len(cleaned) == len(text)
    assert "Paragraph 11" in cleaned
    for gone in ("Share this", "Reader Comments", "Ann B", "Nice piece", "Leave a Comment"):
        assert gone not in cleaned


def test_seed_with_reader_comments_keeps_the_story_and_sign_off(corpus_dir: Path) -> None:
    text = (corpus_dir / "003_553fd49de71b68a2.txt").read_text()
    cleaned = remove_furniture(text)
    assert "- ANI" in cleaned
    assert "President Trump, however, has played down the drills" in cleaned
    assert "Reader Comments" not in cleaned and "Priyanka" not in cleaned
    assert "3 min read" not in cleaned


def test_comment_heading_early_in_the_text_is_not_a_comment_section() -> None:
    text = "Comments\n" + BODY
    assert furniture_spans(text) == []


def test_heading_followed_by_long_prose_is_kept() -> None:
    long_paragraph = " ".join(["word"] * 200)
    text = BODY + "\nComments\n" + long_paragraph
    assert remove_furniture(text).endswith(long_paragraph)


def test_widget_lines_are_whole_lines_only() -> None:
    text = "Please share this article with friends.\n5 min read\nAdvertisement\n"
    cleaned = remove_furniture(text)
    assert "Please share this article with friends." in cleaned
    assert "5 min read" not in cleaned and "Advertisement" not in cleaned


def test_lines_repeated_across_many_articles_are_furniture() -> None:
    texts = [f"Story {n} says something new and different.\nGet our daily briefing free"
             for n in range(6)]
    repeated = LineCounts.of(texts).repeated()
    assert repeated == frozenset({"get our daily briefing free"})
    assert "briefing" not in remove_furniture(texts[0], repeated)
    assert LineCounts.of(texts[:4]).repeated() == frozenset()


def test_long_repeated_lines_are_prose_not_furniture() -> None:
    line = "A long sentence of wire copy that many outlets reprinted word for word today."
    assert LineCounts.of([line] * 10).repeated() == frozenset()


def test_only_texts_that_may_hold_furniture_are_read_again() -> None:
    texts = ["A plain story.\nWith two lines.", "A story.\nAdvertisement\nMore story.",
             "A story of many words, " * 10 + "\nComments\nNice one."]
    counts = LineCounts.of(texts)
    assert counts.may_hold_furniture(frozenset()) == [False, True, True]
    assert counts.may_hold_furniture(frozenset({"a plain story"})) == [True, True, True]
    merged = LineCounts.merge([LineCounts.of(texts[:1]), LineCounts.of(texts[1:])])
    assert merged.fixed_furniture == counts.fixed_furniture and merged.texts == 3


def test_bodies_blank_the_furniture_of_a_corpus_without_template_lines() -> None:
    articles = [Article(id=f"a{n}", text=f"Story {n} is new.\nAdvertisement\nIt goes on {n}.")
                for n in range(3)] + [Article(id="plain", text="Nothing to remove here.")]
    bodies = article_bodies(articles)
    assert [("Advertisement" in body) for body in bodies] == [False, False, False, False]
    assert bodies[3] is articles[3].text  # unchanged, not copied
    assert all(len(body) == len(a.text) for body, a in zip(bodies, articles, strict=True))

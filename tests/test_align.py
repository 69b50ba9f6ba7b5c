from __future__ import annotations

from provenance.config import Parameters
from provenance.text.document import Document, read_document
from provenance.verdict.passages import shared_passages

from .conftest import prose


def _side(text: str) -> Document:
    return read_document(text, text, Parameters())


def test_a_quoted_story_is_one_passage_with_exact_offsets() -> None:
    story = prose(1, 60)
    a = prose(2, 40) + " " + story + " " + prose(3, 40)
    b = "Intro. " + story + " Outro."
    (passage,) = shared_passages(_side(a), _side(b), 5, 3)
    assert passage.words == 60
    assert a[passage.a_start : passage.a_end] == story
    assert b[passage.b_start : passage.b_end] == story


def test_small_edits_merge_and_large_gaps_split() -> None:
    words_a = prose(4, 80).split()
    edited = words_a.copy()
    edited[20] = "changed"
    edited.insert(40, "inserted")
    (merged,) = shared_passages(_side(" ".join(words_a)), _side(" ".join(edited)), 5, 3)
    assert merged.words == 80
    cut = words_a[:30] + prose(5, 10).split() + words_a[30:]
    split = shared_passages(_side(" ".join(words_a)), _side(" ".join(cut)), 5, 3)
    assert [p.words for p in split] == [30, 50]


def test_repeated_paragraph_is_matched_once() -> None:
    paragraph = prose(6, 30)
    a = paragraph + " " + prose(7, 20) + " " + paragraph
    passages = shared_passages(_side(a), _side(paragraph), 5, 3)
    assert len(passages) == 1 and passages[0].words == 30


def test_unrelated_texts_share_nothing() -> None:
    assert shared_passages(_side(prose(8, 50)), _side(prose(9, 50)), 5, 3) == ()

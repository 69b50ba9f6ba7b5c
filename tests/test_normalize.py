from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from provenance.normalize import fold, folded_text, normalize


def test_folds_case_width_quotes_dashes_and_whitespace() -> None:
    result = normalize("  Ｔｈｅ  “Café’s”\n\n—  ﬁne\tSTRASSE ß ")
    assert result.text == "the \"café's\" - fine strasse ss"


def test_offsets_map_each_character_back() -> None:
    original = "Ａ  “quoted” ﬁ\u0065\u0301 end"
    result = normalize(original)
    for index, char in enumerate(result.text):
        source = original[result.source_start[index] : result.source_end[index]]
        if char != " ":
            assert char in fold(source)
    start = result.text.index("end")
    assert original[slice(*result.source_span(start, start + 3))] == "end"


def test_combining_marks_fold_with_their_base() -> None:
    original = "cafe\u0301 bar"
    result = normalize(original)
    assert result.text == "café bar"
    assert result.source_span(0, 4) == (0, 5)


def test_urdu_text_keeps_its_letters() -> None:
    assert normalize("اسلام آباد۔ (اے پی پی)").text == "اسلام آباد۔ (اے پی پی)"


@given(st.text())
def test_normalize_is_idempotent(text: str) -> None:
    once = normalize(text).text
    assert normalize(once).text == once


@given(st.text())
def test_offsets_are_monotonic_and_in_range(text: str) -> None:
    result = normalize(text)
    assert len(result.source_start) == len(result.text) == len(result.source_end)
    if result.text:
        assert (result.source_start[1:] >= result.source_start[:-1]).all()
        assert (result.source_start < result.source_end).all()
        assert result.source_end.max() <= len(text)


@given(st.text())
def test_folded_text_agrees_with_normalize_up_to_whitespace(text: str) -> None:
    assert " ".join(folded_text(text).split()) == normalize(text).text

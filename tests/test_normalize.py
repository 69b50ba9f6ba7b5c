from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from provenance.text.normalize import fold, folded_text, normalize


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


#: Characters that render as nothing: zero-width space, non-joiner and joiner, soft hyphen,
#: left-to-right mark, bidi embedding and isolate controls, word joiner, byte-order mark,
#: variation selector, tag letter.
INVISIBLE = "\u200b\u200c\u200d\u00ad\u200e\u202a\u202e\u2066\u2069\u2060\ufeff\ufe0f\U000e0041"


@given(st.text(), st.lists(st.tuples(st.integers(min_value=0), st.sampled_from(INVISIBLE))))
def test_invisible_characters_change_nothing_but_offsets(
        text: str, inserted: list[tuple[int, str]]) -> None:
    marked = list(text)
    for place, char in inserted:
        marked.insert(place % (len(marked) + 1), char)
    with_marks = "".join(marked)
    assert normalize(with_marks).text == normalize(text).text
    assert fold(with_marks) == fold(text)
    assert folded_text(with_marks) == folded_text(text)


def test_offsets_pass_over_invisible_characters() -> None:
    original = "c\u200bo\u00adp\u200by it"
    result = normalize(original)
    assert result.text == "copy it"
    assert original[slice(*result.source_span(0, 4))] == "c\u200bo\u00adp\u200by"
    assert original[slice(*result.source_span(5, 7))] == "it"


def test_look_alike_letters_and_full_width_forms_read_as_latin() -> None:
    # Cyrillic a, e, o, p, c and capital M, H; Greek o and capital T; full-width letters.
    assert fold("\u041cinister \u0430nd \u0440r\u0435ss \u0441\u03bf\u0440y") == (
        "minister and press copy")
    assert fold("\u041d\u0415LL\u041e \u03a4\u041eKY\u041e") == "hello tokyo"
    assert fold("\uff23\uff4f\uff50\uff59") == "copy"


def test_a_cyrillic_word_folds_alike_wherever_it_stands() -> None:
    # Russian keeps its letters where they look like no Latin one; both sides fold alike.
    word = "\u043f\u0440\u0435\u0441\u0441\u0430"  # "pressa", press
    assert fold(word) == "\u043fpecca"
    assert fold(f"\u0432 {word}") == "\u0432 " + fold(word)

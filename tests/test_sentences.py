from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from provenance import kernels
from provenance import sentences as sentences_module
from provenance.sentences import sentences


def texts(text: str) -> list[str]:
    return [text[s.start : s.end] for s in sentences(text)]


def test_latin_sentences_keep_abbreviations_decimals_and_quoted_questions_whole() -> None:
    text = ('Mr. Smith flew to the U.S. on Jan. 3. He paid 6.1 dollars! "Really?" she asked.\n'
            "TOKYO (AP) A new paragraph")
    assert texts(text) == ["Mr. Smith flew to the U.S. on Jan. 3.", "He paid 6.1 dollars!",
                           '"Really?" she asked.', "TOKYO (AP) A new paragraph"]


def test_urdu_full_stop_ends_a_sentence_even_without_a_space() -> None:
    text = "خرطوم ۔ سوڈان کے صدر نے مطالبہ کیا ہے۔سوڈانی صدر نے کہا ؟ امن"
    assert texts(text) == ["خرطوم ۔", "سوڈان کے صدر نے مطالبہ کیا ہے۔", "سوڈانی صدر نے کہا ؟",
                           "امن"]


def test_stretches_without_words_are_not_sentences() -> None:
    assert texts("... \n --- \n") == []


@given(st.text(alphabet="ab .?!\n۔", max_size=80))
def test_sentences_are_ordered_disjoint_trimmed_spans(text: str) -> None:
    end = 0
    for sentence in sentences(text):
        assert end <= sentence.start < sentence.end <= len(text)
        piece = text[sentence.start : sentence.end]
        assert piece == piece.strip() and any(c.isalnum() for c in piece)
        end = sentence.end


@given(st.text(alphabet='abcrMZUS.!?"\')( \n\t\u00e9\u06d4\u061f\u3002', max_size=60))
def test_the_fast_scans_find_what_the_plain_regular_expressions_find(text: str) -> None:
    # Boundaries tried only where one may start; abbreviations ruled out by their last
    # three letters: both the same as searching everywhere.
    assert [m.span() for m in sentences_module._boundaries(text)] == \
        [m.span() for m in sentences_module._BOUNDARY.finditer(text)]
    for stop in (i for i, character in enumerate(text) if character == "."):
        assert sentences_module._after_abbreviation(text, stop) == bool(
            sentences_module._ABBREVIATION.search(
                text, max(0, stop - sentences_module._ABBREVIATION_REACH), stop))


_ASCII_PIECES = st.sampled_from(
    ["Mr", "Jan", "U", "S", "A", "us", "abc", "Ab", "x", "B", "7", "_", " ", "  ", "\t", "\n",
     "\x0b", "\x1c", ".", ". ", "!", "?", "...", '"', "'", ")", "]", "(", "-", ", ", "a.b"])


@settings(max_examples=400, deadline=None)
@given(st.lists(_ASCII_PIECES, max_size=30).map("".join))
def test_ascii_sentences_compiled_are_the_regular_expressions(text: str) -> None:
    compiled = kernels._compiled(kernels._ascii_sentences)(
        np.frombuffer(text.encode("ascii"), dtype=np.uint8))
    assert compiled.tolist() == [[s.start, s.end] for s in sentences(text)]


def test_abbreviations_far_back_or_before_a_line_break_as_the_expressions_have_them() -> None:
    for text in ["Mr\n. Smith came.", "x" * 70 + " U.S. said", "U.S. x", "(Jan. 3) rose. Then",
                 " " * 62 + "Mr. Smith", "A" + ".B" * 40 + ". Next"]:
        compiled = kernels._compiled(kernels._ascii_sentences)(
            np.frombuffer(text.encode("ascii"), dtype=np.uint8))
        assert compiled.tolist() == [[s.start, s.end] for s in sentences(text)], text

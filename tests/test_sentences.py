from __future__ import annotations

import json

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from provenance.text import sentences as sentences_module
from provenance.text.sentences import sentence_spans, sentences, split_sentences

from .conftest import DATA


def texts(text: str) -> list[str]:
    return [text[s.start : s.end] for s in sentences(text)]


def test_latin_sentences_keep_abbreviations_decimals_and_quoted_questions_whole() -> None:
    text = ('Mr. Smith flew to the U.S. on Jan. 3. He paid 6.1 dollars! "Really?" she asked.\n'
            "TOKYO (AP) A new paragraph")
    assert texts(text) == ["Mr. Smith flew to the U.S. on Jan. 3.", "He paid 6.1 dollars!",
                           '"Really?" she asked.', "TOKYO (AP) A new paragraph"]


def test_urdu_full_stop_ends_a_sentence_even_without_a_space() -> None:
    text = "سوڈان کے صدر نے مطالبہ کیا ہے۔سوڈانی صدر نے کہا ؟ امن"
    assert texts(text) == ["سوڈان کے صدر نے مطالبہ کیا ہے۔", "سوڈانی صدر نے کہا ؟", "امن"]


def test_an_urdu_dateline_opens_the_first_sentence() -> None:
    for dateline in ("خرطوم ۔ 29 ستمبر (اے پی پی)", "مقبوضہ بیت المقدس۔22نومبر (اے پی پی)"):
        text = f"{dateline} سوڈان کے صدر نے مطالبہ کیا ہے۔ امن"
        assert texts(text) == [f"{dateline} سوڈان کے صدر نے مطالبہ کیا ہے۔", "امن"]
    # Four words before the stop are a sentence, and a stop later in the text ends one.
    assert texts("یہ ایک پورا جملہ ۔ امن") == ["یہ ایک پورا جملہ ۔", "امن"]
    assert texts("یہ ایک جملہ ہے۔ خرطوم ۔ امن") == ["یہ ایک جملہ ہے۔", "خرطوم ۔", "امن"]
    # A place name alone on its line is a heading.
    assert texts("خرطوم ۔\nامن") == ["خرطوم ۔", "امن"]


def test_a_hard_wrapped_sentence_is_one_sentence() -> None:
    text = "The call lasted an hour, the two leaders\nagreeing on a visit.\nA Heading\nNext one."
    expected = ["The call lasted an hour, the two leaders\nagreeing on a visit.", "A Heading",
                "Next one."]
    assert texts(text) == expected
    assert [text[a:b] for a, b in sentence_spans(text).tolist()] == expected
    # A numbered list's items.
    listed = "Three steps:\n  1. Break it up.\n  2. Solve the parts.\nIn 2014. Then"
    expected = ["Three steps:", "1. Break it up.", "2. Solve the parts.", "In 2014.", "Then"]
    assert texts(listed) == expected
    assert [listed[a:b] for a, b in sentence_spans(listed).tolist()] == expected
    # A sentence that ended does not run on into a line starting in lower case.
    assert texts("It ended.\nand then") == ["It ended.", "and then"]


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
    compiled = sentences_module.ascii_sentences.compiled(
        np.frombuffer(text.encode("ascii"), dtype=np.uint8))
    assert compiled.tolist() == [[s.start, s.end] for s in split_sentences(text)]


def test_abbreviations_far_back_or_before_a_line_break_as_the_expressions_have_them() -> None:
    for text in ["Mr\n. Smith came.", "x" * 70 + " U.S. said", "U.S. x", "(Jan. 3) rose. Then",
                 " " * 62 + "Mr. Smith", "A" + ".B" * 40 + ". Next"]:
        compiled = sentences_module.ascii_sentences.compiled(
            np.frombuffer(text.encode("ascii"), dtype=np.uint8))
        assert compiled.tolist() == [[s.start, s.end] for s in split_sentences(text)], text


def test_the_hand_marked_urdu_and_english_texts_split_as_marked() -> None:
    # tests/data/sentences.jsonl: real texts with their sentences marked by hand (see
    # benchmarks/sentences.py, which also measures sentencex on them).
    for line in (DATA / "sentences.jsonl").read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        text = item["text"]
        assert [text[a:b] for a, b in sentence_spans(text).tolist()] == item["sentences"], (
            item["source"])

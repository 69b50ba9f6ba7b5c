from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

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

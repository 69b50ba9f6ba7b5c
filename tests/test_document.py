from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from provenance.config import Parameters
from provenance.text.document import Document, read_documents
from provenance.text.terms import sentence_terms, terms
from provenance.text.words import key_hashes, shingle_hashes, words

# Latin and Urdu words, digits, sentence ends, line breaks and marks: what a batch of
# newswire in either script holds.
_PIECES = st.sampled_from(["Tokyo", "visit", "U.S.", "Mr.", "2026", "Ｔｏｋｙｏ", "مشرف",
                           "کِتاب", "۔", ". ", "? ", "\n", " ", ", ", "é", "_"])
_TEXTS = st.lists(st.lists(_PIECES, max_size=40).map("".join), max_size=6)


def _read_alone(text: str, params: Parameters) -> Document:
    """What reading one text gives, word by word: the reference for batches."""
    found = words(text)
    (document,) = read_documents([text], [text], params)
    whole = terms(found.keys)
    assert document.terms.words.tolist() == whole.words.tolist()
    assert document.shingles.tolist() == shingle_hashes(
        key_hashes(found.keys, params.seed), params.shingle_size).tolist()
    expected = sentence_terms(whole, found, document.sentence_words)
    assert document.sentence_terms.terms.grams.tolist() == expected.terms.grams.tolist()
    assert document.sentence_terms.gram_bounds.tolist() == expected.gram_bounds.tolist()
    return document


@settings(max_examples=60, deadline=None)
@given(_TEXTS)
def test_a_batch_reads_each_text_as_it_is_read_alone(texts: list[str]) -> None:
    params = Parameters()
    batch = read_documents(texts, texts, params)
    assert len(batch) == len(texts)
    for text, document in zip(texts, batch, strict=True):
        alone = _read_alone(text, params)
        assert document.words.keys == alone.words.keys
        assert np.array_equal(document.shingles, alone.shingles)
        assert np.array_equal(document.sentence_words, alone.sentence_words)
        assert np.array_equal(document.terms.words, alone.terms.words)
        assert np.array_equal(document.terms.grams, alone.terms.grams)
        assert np.array_equal(document.distinct.words, alone.distinct.words)
        assert np.array_equal(document.distinct.grams, alone.distinct.grams)

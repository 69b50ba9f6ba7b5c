from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from provenance.config import Parameters
from provenance.text.document import read_document
from provenance.text.terms import CorpusWeights
from provenance.verdict.features import weigh
from provenance.verdict.sentence_align import align_sentences, similarity_matrix

from .conftest import prose


def test_alignment_is_order_preserving_and_skips_weak_pairs() -> None:
    similarity = np.array([[0.9, 0.1, 0.0],
                           [0.2, 0.1, 0.8],
                           [0.1, 0.7, 0.1]])
    sources, deriveds, similarities = align_sentences(similarity, threshold=0.3)
    # (1, 2) and (2, 1) cross; the best order-preserving choice keeps 0.9 + 0.8.
    assert list(zip(sources.tolist(), deriveds.tolist(), strict=True)) == [(0, 0), (1, 2)]
    assert similarities.tolist() == [0.9, 0.8]


@given(arrays(np.float64, st.tuples(st.integers(0, 6), st.integers(0, 6)),
              elements=st.floats(0.0, 1.0)))
def test_alignment_pairs_increase_on_both_sides_and_pass_the_threshold(
        similarity: np.ndarray) -> None:
    sources, deriveds, similarities = align_sentences(similarity, threshold=0.3)
    for first, second in itertools.pairwise(zip(sources, deriveds, strict=True)):
        assert first[0] < second[0] and first[1] < second[1]
    assert (similarities >= 0.3).all()


def test_a_retold_sentence_is_more_similar_than_an_unrelated_one() -> None:
    source_text = "Takaichi will visit Washington in April. Markets fell in Tokyo on Friday."
    derived_text = "In April, Takaichi is to visit Washington. The " + prose(3, 12) + "."
    source = read_document(source_text, source_text, Parameters())
    derived = read_document(derived_text, derived_text, Parameters())
    weights = CorpusWeights.fit([source.terms, derived.terms])
    similarity = similarity_matrix(weigh(source, weights).sentences,
                                   weigh(derived, weights).sentences)
    assert similarity.shape == (2, 2)
    assert similarity[0, 0] > 0.5 > similarity[1, 0]
    assert similarity[0, 1] < 0.1

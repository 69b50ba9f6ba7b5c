from __future__ import annotations

import numpy as np

from provenance.shingle import words
from provenance.terms import TermWeights, terms


def test_character_grams_ignore_where_the_spaces_fall() -> None:
    joined, spaced = terms(words("عمرالبشیرنے").keys), terms(words("عمر البشیر نے").keys)
    assert set(joined.grams.tolist()) == set(spaced.grams.tolist())
    assert not set(joined.words.tolist()) & set(spaced.words.tolist())


def test_inflected_forms_share_most_grams() -> None:
    reported, report = terms(["reported"]).grams, terms(["report"]).grams
    assert np.isin(report, reported).all()


def test_rare_terms_weigh_more_and_unseen_terms_most() -> None:
    common, rare, unseen = np.array([1, 2, 3], dtype=np.uint64)
    weights = TermWeights.fit([np.array([common, rare]), np.array([common]),
                               np.array([common, common])])
    idf = weights.idf(np.array([common, rare, unseen], dtype=np.uint64))
    assert 0.0 < idf[0] < idf[1] <= idf[2]
    assert weights.frequency(np.array([common, unseen], dtype=np.uint64)).tolist() == [3, 0]


def test_weights_of_an_empty_corpus_are_defined() -> None:
    assert TermWeights.fit([]).idf(np.array([7], dtype=np.uint64)).tolist() == [0.0]

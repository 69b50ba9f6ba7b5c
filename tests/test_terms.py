from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from provenance.text.terms import (
    CorpusWeights,
    DistinctWeights,
    Terms,
    TermWeights,
    WeightsMerger,
    sentence_terms,
    terms,
)
from provenance.text.words import words


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
    places = weights.places(np.array([common, unseen], dtype=np.uint64))
    assert places[1] == -1 and weights.document_frequency[places[0]] == 3


def test_weights_of_an_empty_corpus_are_defined() -> None:
    assert TermWeights.fit([]).idf(np.array([7], dtype=np.uint64)).tolist() == [0.0]


@given(st.lists(st.text("abcdé", min_size=1, max_size=4), max_size=12),
       st.lists(st.integers(0, 12), max_size=8))
def test_sentence_terms_are_each_sentences_own_terms(keys: list[str], cuts: list[int]) -> None:
    # Sentences as disjoint runs of words, with words between them left out (as text outside
    # any sentence is), some shorter than one n-gram.
    points = sorted({min(cut, len(keys)) for cut in cuts})
    pairs = zip(points[::2], points[1::2], strict=False)  # an odd last point is dropped
    bounds = np.array([(a, b) for a, b in pairs if b > a], dtype=np.int64).reshape(-1, 2)
    read = words(" ".join(keys))
    assert read.keys == keys
    found = sentence_terms(terms(keys), read, bounds)
    assert len(found) == len(bounds)
    for s, (first, end) in enumerate(bounds.tolist()):
        alone = terms(keys[first:end])
        words_of = found.terms.words[found.word_bounds[s]:found.word_bounds[s + 1]]
        grams_of = found.terms.grams[found.gram_bounds[s]:found.gram_bounds[s + 1]]
        assert words_of.tolist() == alone.words.tolist()
        assert grams_of.tolist() == alone.grams.tolist()


term_hashes = st.lists(st.integers(0, 12), max_size=10).map(
    lambda values: np.array(values, dtype=np.uint64))


@settings(deadline=None)  # the compiled merge may load here
@given(st.lists(st.tuples(term_hashes, term_hashes), max_size=13))
def test_weights_merged_as_parts_arrive_are_the_weights_of_the_whole(
        documents: list[tuple[np.ndarray, np.ndarray]]) -> None:
    texts = [Terms(words, grams) for words, grams in documents]
    merger = WeightsMerger()
    for text in texts:  # one document per part: every level of the tree of merges
        merger.add(CorpusWeights.fit([text]))
    merged, whole = merger.result(), CorpusWeights.fit(texts)
    for ours, theirs in ((merged.words, whole.words), (merged.grams, whole.grams)):
        assert ours.documents == theirs.documents
        assert ours.known.tolist() == theirs.known.tolist()
        assert ours.document_frequency.tolist() == theirs.document_frequency.tolist()


def test_distinct_weights_weigh_as_the_corpus_does_inside_and_outside_the_text() -> None:
    corpus = TermWeights.fit([np.array([1, 2, 3], dtype=np.uint64),
                              np.array([2, 3], dtype=np.uint64), np.array([3], dtype=np.uint64)])
    text = DistinctWeights.of(np.array([2, 3], dtype=np.uint64), corpus)
    for hashes in ([3, 2, 2], [1, 3, 9], []):
        terms = np.array(hashes, dtype=np.uint64)
        assert text.idf(terms).tolist() == corpus.idf(terms).tolist()

"""Sentence alignment: which sentences of a derived article retell which of its source.

A rewrite keeps the facts, names and numbers of its source, in their order, and changes the
words between them. So two sentences are compared by the terms they share, each weighted by
its inverse document frequency in the corpus (rare names and numbers count most, words every
article uses count for almost nothing), as the mean of two cosine similarities: over words
and over character n-grams (which forgive inflection and spacing). The alignment is the
order-preserving one-to-one matching of sentences (dynamic programming, as in sequence
alignment) that maximises the summed similarity of pairs at or above a threshold.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from provenance.candidates.buckets import concatenated_ranges
from provenance.hashsets import first_of_runs
from provenance.kernels import order_preserving_alignment, sentence_cosines, sentence_vectors
from provenance.model import HashArray
from provenance.text.terms import DistinctWeights

#: Sentences this similar or more may be aligned. Set on the dev data: below it, sentences of
#: independent reports of one event (sharing names and topic words) start to align.
ALIGN_THRESHOLD = 0.3

Matrix = npt.NDArray[np.float64]


@dataclass(frozen=True)
class SentenceVectors:
    """IDF-weighted term-presence vectors of a text's sentences, sparse: an entry per distinct
    (term, sentence), sorted by term, with the term's squared weight; and each sentence's
    vector length."""

    terms: HashArray
    sentence: npt.NDArray[np.int64]
    squared_weight: Matrix
    norms: Matrix

    @classmethod
    def of(cls, terms: HashArray, bounds: npt.NDArray[np.int64], weights: DistinctWeights,
           places: npt.NDArray[np.int64] | None = None) -> SentenceVectors:
        """The vectors of the sentences ``terms[bounds[s]:bounds[s + 1]]``; ``places``:
        ``weights.places(terms)``, where the caller has them already."""
        places = weights.places(terms) if places is None else places
        # A term not among the text's distinct ones (the n-gram of a sentence shorter than
        # one) is weighed by the corpus, in numpy.
        compiled = (sentence_vectors(places, bounds, weights.distinct, weights.weights)
                    if (places >= 0).all() else None)
        return cls(*compiled) if compiled is not None else cls.by_numpy(terms, bounds, weights)

    @classmethod
    def by_numpy(cls, terms: HashArray, bounds: npt.NDArray[np.int64],
                 weights: DistinctWeights) -> SentenceVectors:
        """:meth:`of` in numpy: what a process runs before it compiles, and the statement
        of what the compiled program computes."""
        sentence = np.repeat(np.arange(bounds.size - 1), np.diff(bounds))
        # Terms come in sentence order, so a stable sort by term orders by (term, sentence).
        order = np.argsort(terms, kind="stable")
        terms, sentence = terms[order], sentence[order]
        first = first_of_runs(terms, sentence)
        terms, sentence = terms[first], sentence[first]
        squared = weights.idf(terms) ** 2
        norms = np.sqrt(np.bincount(sentence, squared, minlength=bounds.size - 1))
        return cls(terms, sentence, squared, norms)

    def __len__(self) -> int:
        return int(self.norms.size)


def similarity_matrix(source: tuple[SentenceVectors, SentenceVectors],
                      derived: tuple[SentenceVectors, SentenceVectors]) -> Matrix:
    """Similarity in [0, 1] of every source sentence (rows) to every derived sentence, from
    the sentences' (word, n-gram) vectors: the mean of the two cosines."""
    # In place, as (a + b) / 2 (the same arithmetic): a long pair's matrix is held twice,
    # not four times.
    similarity = _cosines(source[0], derived[0])
    similarity += _cosines(source[1], derived[1])
    similarity /= 2.0
    return similarity


def _cosines(rows: SentenceVectors, columns: SentenceVectors) -> Matrix:
    """Cosine similarity of every row vector with every column vector, computed over the
    terms the two texts share (one entry per shared term and pair of sentences holding it)."""
    cosines = sentence_cosines(rows.terms, rows.sentence, rows.squared_weight, rows.norms,
                               columns.terms, columns.sentence, columns.norms)
    return _cosines_by_numpy(rows, columns) if cosines is None else cosines


def _cosines_by_numpy(rows: SentenceVectors, columns: SentenceVectors) -> Matrix:
    """:func:`_cosines` in numpy: what a process runs before it compiles, and the statement
    of what the compiled program computes."""
    dots = _shared_term_dots(rows, columns)
    norms = np.outer(rows.norms, columns.norms).ravel()
    cosines = np.divide(dots, norms, out=np.zeros_like(dots), where=norms > 0)
    similarity: Matrix = np.clip(cosines, 0.0, 1.0).reshape(len(rows), len(columns))
    return similarity


def _shared_term_dots(rows: SentenceVectors, columns: SentenceVectors) -> Matrix:
    low = np.searchsorted(columns.terms, rows.terms, side="left")
    counts = np.searchsorted(columns.terms, rows.terms, side="right") - low
    row_entry = np.repeat(np.arange(rows.terms.size), counts)
    column_entry = concatenated_ranges(low, counts)
    cell = rows.sentence[row_entry] * len(columns) + columns.sentence[column_entry]
    dots: Matrix = np.bincount(cell, rows.squared_weight[row_entry],
                               minlength=len(rows) * len(columns)).astype(np.float64)
    return dots


def align_sentences(similarity: Matrix, threshold: float = ALIGN_THRESHOLD
                    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], Matrix]:
    """The order-preserving one-to-one alignment with the largest summed similarity: the
    aligned source and derived sentences, in order, and their similarities."""
    sources, deriveds = order_preserving_alignment(similarity, threshold)
    return sources, deriveds, similarity[sources, deriveds]

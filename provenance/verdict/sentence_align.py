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
from typing import Any

import numpy as np
import numpy.typing as npt

from provenance.candidates.buckets import concatenated_ranges
from provenance.compiled import Kernel, compiling_for
from provenance.hashsets import first_of_runs
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
        if (places >= 0).all():
            return cls(*sentence_vectors(places, bounds, weights.distinct, weights.weights))
        return cls.by_numpy(terms, bounds, weights)

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
    return sentence_cosines(rows.terms, rows.sentence, rows.squared_weight, rows.norms,
                            columns.terms, columns.sentence, columns.norms)


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


def order_preserving_alignment(similarity: Matrix, threshold: float
                               ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """The rows and columns of the cells, in order, of the order-preserving one-to-one
    matching of rows to columns with the largest summed ``similarity`` over cells at or
    above ``threshold``: sequence alignment with free gaps, by dynamic programming."""
    if similarity.size == 0:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    return _aligned_cells(similarity, threshold)


def _sentence_vectors_loop(places: Any, bounds: Any, distinct: Any, weights: Any) -> Any:
    """:meth:`SentenceVectors.of` where every term is among the distinct ones: the distinct
    (term, sentence) entries of the sentences ``distinct[places[bounds[s]:bounds[s + 1]]]``,
    sorted by term then sentence, each with its term's squared weight (``weights[i]`` weighs
    ``distinct[i]``), and each sentence's norm."""
    # A counting sort by place among the distinct terms (so by term), stable: each term's
    # entries stay in text order, so in sentence order.
    starts = np.zeros(distinct.size + 1, dtype=np.int64)
    for n in range(places.size):
        starts[places[n] + 1] += 1
    starts = np.cumsum(starts)
    by_term = np.empty(places.size, dtype=np.int64)
    sentence = np.empty(places.size, dtype=np.int64)
    for s in range(bounds.size - 1):
        for n in range(bounds[s], bounds[s + 1]):
            by_term[starts[places[n]]] = s
            starts[places[n]] += 1
    kept_terms = np.empty(places.size, dtype=np.uint64)
    squared = np.empty(places.size)
    kept = 0
    entry = 0
    for p in range(distinct.size):
        end = starts[p]  # where term p's entries end, after the fill
        previous = -1
        while entry < end:
            if by_term[entry] != previous:  # one entry per (term, sentence)
                previous = by_term[entry]
                kept_terms[kept], sentence[kept] = distinct[p], previous
                squared[kept] = weights[p] * weights[p]
                kept += 1
            entry += 1
    norms = np.zeros(bounds.size - 1)
    for n in range(kept):  # in entry order, as numpy's bincount adds
        norms[sentence[n]] += squared[n]
    return (kept_terms[:kept].copy(), sentence[:kept].copy(), squared[:kept].copy(),
            np.sqrt(norms))


def _sentence_vectors_by_numpy(places: npt.NDArray[np.int64], bounds: npt.NDArray[np.int64],
                               distinct: HashArray, weights: Matrix
                               ) -> tuple[HashArray, npt.NDArray[np.int64], Matrix, Matrix]:
    # SentenceVectors.by_numpy's program on the terms' places among the sorted distinct
    # terms, which sort as the terms do.
    sentence = np.repeat(np.arange(bounds.size - 1), np.diff(bounds))
    order = np.argsort(places, kind="stable")
    places, sentence = places[order], sentence[order]
    first = first_of_runs(places, sentence)
    places, sentence = places[first], sentence[first]
    squared = weights[places] ** 2
    norms = np.sqrt(np.bincount(sentence, squared, minlength=bounds.size - 1))
    return distinct[places], sentence, squared, norms


sentence_vectors: Kernel[[npt.NDArray[np.int64], npt.NDArray[np.int64], HashArray, Matrix],
                         tuple[HashArray, npt.NDArray[np.int64], Matrix, Matrix]] = Kernel(
    _sentence_vectors_loop, _sentence_vectors_by_numpy)


def _sentence_cosines_loop(row_terms: Any, row_sentences: Any, row_weights: Any, row_norms: Any,
                           column_terms: Any, column_sentences: Any, column_norms: Any) -> Any:
    """:func:`_cosines_by_numpy` of the vectors' arrays: the dot product of each row sentence
    with each column sentence (the sum of ``row_weights[r]`` over entries ``r`` and ``c`` of
    one term, into cell ``(row_sentences[r], column_sentences[c])``) over the product of
    their norms, clipped to [0, 1]."""
    rows, columns = row_norms.size, column_norms.size
    dots = np.zeros(rows * columns)
    # Both sorted by term: one merge pass, adding in the order numpy's bincount adds.
    j = 0
    for r in range(row_terms.size):
        term = row_terms[r]
        while j < column_terms.size and column_terms[j] < term:
            j += 1
        c = j
        while c < column_terms.size and column_terms[c] == term:
            dots[row_sentences[r] * columns + column_sentences[c]] += row_weights[r]
            c += 1
    # Each dot product made its cosine in place: a long pair's matrix is held once.
    for r in range(rows):
        for c in range(columns):
            norm = row_norms[r] * column_norms[c]
            cell = r * columns + c
            dots[cell] = min(max(dots[cell] / norm, 0.0), 1.0) if norm > 0 else 0.0
    return dots.reshape(rows, columns)


def _sentence_cosines_by_numpy(row_terms: HashArray, row_sentences: npt.NDArray[np.int64],
                               row_weights: Matrix, row_norms: Matrix, column_terms: HashArray,
                               column_sentences: npt.NDArray[np.int64], column_norms: Matrix
                               ) -> Matrix:
    return _cosines_by_numpy(
        SentenceVectors(row_terms, row_sentences, row_weights, row_norms),
        SentenceVectors(column_terms, column_sentences, np.empty(0), column_norms))


#: numpy forms the entries of every shared term's pairs of places at once: for two long texts,
#: gigabytes. Their count is bounded by the product of the two term lists.
sentence_cosines: Kernel[[HashArray, npt.NDArray[np.int64], Matrix, Matrix, HashArray,
                          npt.NDArray[np.int64], Matrix], Matrix] = Kernel(
    _sentence_cosines_loop, _sentence_cosines_by_numpy,
    when=lambda row_terms, *_: compiling_for(row_terms.size * _[3].size))


def _alignment_table_by_rows(similarity: Matrix, threshold: float) -> Matrix:
    rows, columns = similarity.shape
    gain = np.where(similarity >= threshold, similarity, -np.inf)
    best = np.zeros((rows + 1, columns + 1))
    for i in range(1, rows + 1):
        # best[i, j] = max(best[i-1, j], best[i, j-1], best[i-1, j-1] + gain[i-1, j-1]); the
        # middle term makes each row a running maximum, so a whole row is computed at once.
        step = np.maximum(best[i - 1, 1:], best[i - 1, :-1] + gain[i - 1])
        best[i, 1:] = np.maximum.accumulate(step)
    return best


def _alignment_table(similarity: Any, threshold: float) -> Any:
    rows, columns = similarity.shape
    best = np.zeros((rows + 1, columns + 1))
    for i in range(1, rows + 1):
        running = 0.0
        for j in range(columns):
            # The row program's arithmetic, cell by cell: the same sums and maxima.
            cell = similarity[i - 1, j]
            diagonal = best[i - 1, j] + (cell if cell >= threshold else -np.inf)
            step = max(best[i - 1, j + 1], diagonal)
            running = step if j == 0 else max(running, step)
            best[i, j + 1] = running
    return best


def _trace_back(best: Any) -> Any:
    """The matched cells of an alignment table, walked back from its last cell; run as it
    is, or compiled."""
    rows, columns = best.shape[0] - 1, best.shape[1] - 1
    matched_rows = np.empty(min(rows, columns), dtype=np.int64)
    matched_columns = np.empty(min(rows, columns), dtype=np.int64)
    found = 0
    i, j = rows, columns
    while i > 0 and j > 0:
        if best[i, j] == best[i - 1, j]:
            i -= 1
        elif best[i, j] == best[i, j - 1]:
            j -= 1
        else:
            i, j = i - 1, j - 1
            matched_rows[found], matched_columns[found] = i, j
            found += 1
    return matched_rows[:found][::-1].copy(), matched_columns[:found][::-1].copy()


def _aligned_cells_loop(similarity: Any, threshold: float) -> Any:
    """The matched cells of the alignment of ``similarity`` (see
    :func:`order_preserving_alignment`)."""
    return _trace_back(_alignment_table(similarity, threshold))


def _aligned_cells_by_rows(similarity: Matrix, threshold: float
                           ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    rows, columns = _trace_back(_alignment_table_by_rows(similarity, threshold))
    return rows, columns


_aligned_cells: Kernel[[Matrix, float], tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]] = (
    Kernel(_aligned_cells_loop, _aligned_cells_by_rows,
           when=lambda similarity, threshold: compiling_for(similarity.size),
           helpers=(_alignment_table, _trace_back)))

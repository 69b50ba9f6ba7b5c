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

from .document import Document
from .model import HashArray
from .terms import CorpusWeights, TermWeights

#: Sentences this similar or more may be aligned. Set on the dev data: below it, sentences of
#: independent reports of one event (sharing names and topic words) start to align.
ALIGN_THRESHOLD = 0.3

Matrix = npt.NDArray[np.float64]


@dataclass(frozen=True)
class SentencePair:
    """Sentence ``source`` of the source aligned to sentence ``derived`` of the derived text."""

    source: int
    derived: int
    similarity: float


def similarity_matrix(source: Document, derived: Document, weights: CorpusWeights) -> Matrix:
    """Similarity in [0, 1] of every source sentence (rows) to every derived sentence."""
    ours, theirs = source.sentence_terms, derived.sentence_terms
    by_words = _cosines(_presence(ours.terms.words, ours.word_bounds),
                        _presence(theirs.terms.words, theirs.word_bounds), weights.words)
    by_grams = _cosines(_presence(ours.terms.grams, ours.gram_bounds),
                        _presence(theirs.terms.grams, theirs.gram_bounds), weights.grams)
    return (by_words + by_grams) / 2.0


@dataclass(frozen=True)
class _Presence:
    """Which terms each sentence holds: ``(terms[e], sentence[e])`` for every distinct pair,
    sorted by term."""

    terms: HashArray
    sentence: npt.NDArray[np.int64]
    sentences: int


def _presence(terms: HashArray, bounds: npt.NDArray[np.int64]) -> _Presence:
    sentence = np.repeat(np.arange(bounds.size - 1), np.diff(bounds))
    order = np.lexsort((sentence, terms))
    terms, sentence = terms[order], sentence[order]
    first = np.ones(terms.size, dtype=bool)
    first[1:] = (terms[1:] != terms[:-1]) | (sentence[1:] != sentence[:-1])
    return _Presence(terms[first], sentence[first], bounds.size - 1)


def _cosines(rows: _Presence, columns: _Presence, weights: TermWeights) -> Matrix:
    """Cosine similarity of IDF-weighted term-presence vectors, computed over the terms the
    two texts share (one entry per shared term and pair of sentences holding it)."""
    row_weight = weights.idf(rows.terms) ** 2
    column_weight = weights.idf(columns.terms) ** 2
    row_norm = np.sqrt(np.bincount(rows.sentence, row_weight, minlength=rows.sentences))
    column_norm = np.sqrt(np.bincount(columns.sentence, column_weight,
                                      minlength=columns.sentences))
    low = np.searchsorted(columns.terms, rows.terms, side="left")
    counts = np.searchsorted(columns.terms, rows.terms, side="right") - low
    row_entry = np.repeat(np.arange(rows.terms.size), counts)
    column_entry = (np.repeat(low - np.cumsum(counts) + counts, counts)
                    + np.arange(row_entry.size))
    cell = rows.sentence[row_entry] * columns.sentences + columns.sentence[column_entry]
    dots = np.bincount(cell, row_weight[row_entry],
                       minlength=rows.sentences * columns.sentences).astype(np.float64)
    norms = np.outer(row_norm, column_norm).ravel()
    cosines = np.divide(dots, norms, out=np.zeros_like(dots), where=norms > 0)
    similarity: Matrix = np.clip(cosines, 0.0, 1.0).reshape(rows.sentences, columns.sentences)
    return similarity


def align_sentences(similarity: Matrix, threshold: float = ALIGN_THRESHOLD) -> list[SentencePair]:
    """The order-preserving one-to-one alignment with the largest summed similarity."""
    rows, columns = similarity.shape
    gain = np.where(similarity >= threshold, similarity, -np.inf)
    best = np.zeros((rows + 1, columns + 1))
    for i in range(1, rows + 1):
        # best[i, j] = max(best[i-1, j], best[i, j-1], best[i-1, j-1] + gain[i-1, j-1]); the
        # middle term makes each row a running maximum, so a whole row is computed at once.
        step = np.maximum(best[i - 1, 1:], best[i - 1, :-1] + gain[i - 1])
        best[i, 1:] = np.maximum.accumulate(step)
    return _trace_back(best, similarity)


def _trace_back(best: Matrix, similarity: Matrix) -> list[SentencePair]:
    pairs: list[SentencePair] = []
    i, j = best.shape[0] - 1, best.shape[1] - 1
    while i > 0 and j > 0:
        if best[i, j] == best[i - 1, j]:
            i -= 1
        elif best[i, j] == best[i, j - 1]:
            j -= 1
        else:
            pairs.append(SentencePair(i - 1, j - 1, float(similarity[i - 1, j - 1])))
            i, j = i - 1, j - 1
    return pairs[::-1]

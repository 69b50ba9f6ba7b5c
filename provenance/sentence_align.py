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

from collections.abc import Sequence
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
    if not source.sentence_terms or not derived.sentence_terms:
        return np.zeros((len(source.sentence_terms), len(derived.sentence_terms)))
    by_words = _cosines([t.words for t in source.sentence_terms],
                        [t.words for t in derived.sentence_terms], weights.words)
    by_grams = _cosines([t.grams for t in source.sentence_terms],
                        [t.grams for t in derived.sentence_terms], weights.grams)
    return (by_words + by_grams) / 2.0


def _cosines(rows: Sequence[HashArray], columns: Sequence[HashArray],
             weights: TermWeights) -> Matrix:
    """Cosine similarity of IDF-weighted term-presence vectors."""
    vocabulary = np.unique(np.concatenate([*rows, *columns]))
    idf = weights.idf(vocabulary)

    def vectors(sentences: Sequence[HashArray]) -> Matrix:
        matrix = np.zeros((len(sentences), vocabulary.size))
        for index, hashes in enumerate(sentences):
            matrix[index, np.searchsorted(vocabulary, hashes)] = 1.0
        matrix *= idf
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        return matrix / np.where(norms == 0.0, 1.0, norms)

    return np.clip(vectors(rows) @ vectors(columns).T, 0.0, 1.0)


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

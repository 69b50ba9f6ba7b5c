"""The naive baseline every verdict figure is measured against: cut points on one number.

The number is word containment: the share of the derived text's distinct words found in the
source, the first thing anyone measuring text reuse tries. Its cut points (one per boundary
between ordered classes, ``none`` < ``partially`` < ``wholly``) are the ones that score the
highest macro-F1 on the labelled pairs they are tuned on. A verdict model is worth its
complexity only by what it adds to this, on pairs neither has seen.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from provenance.hashsets import in_sorted
from provenance.text.document import Document

#: Candidate cut points: this many quantiles of the values (the ends left out).
CUT_GRID = 40

Values = npt.NDArray[np.float64]


def word_containment(source: Document, derived: Document) -> float:
    """The share of ``derived``'s distinct words found in ``source``, unweighted."""
    words = derived.distinct.words
    return float(in_sorted(words, source.distinct.words).mean()) if words.size else 0.0


def best_cuts(values: Values, truth: Sequence[str], classes: Sequence[str]
              ) -> tuple[float, ...]:
    """The increasing cut points, one per boundary between ``classes`` (in order), chosen from
    a grid of quantiles of ``values``, whose classes score the highest macro-F1 on ``truth``;
    ties go to the first found."""
    codes = np.array([classes.index(label) for label in truth], dtype=np.int64)
    grid = np.unique(np.quantile(values, np.linspace(0, 1, CUT_GRID + 2)[1:-1]))
    best: tuple[float, tuple[float, ...]] = (-1.0, ())
    for cuts in itertools.combinations(grid.tolist(), len(classes) - 1):
        predicted = np.searchsorted(np.asarray(cuts), values, side="right")
        value = _macro_f1(codes, predicted, len(classes))
        if value > best[0]:
            best = (value, tuple(cuts))
    return best[1]


def classes_by_cuts(values: Values, cuts: Sequence[float], classes: Sequence[str]
                    ) -> list[str]:
    """Each value's class: the first class below the first cut, the next up to the next..."""
    return [classes[i] for i in np.searchsorted(np.asarray(cuts), values, side="right")]


def _macro_f1(truth: npt.NDArray[np.int64], predicted: npt.NDArray[np.int64],
              count: int) -> float:
    """:func:`scores.score`'s macro-F1 of class numbers, in numpy: the cut search scores
    thousands of candidates."""
    confusion = np.bincount(truth * count + predicted, minlength=count * count
                            ).reshape(count, count).astype(np.float64)
    hits = np.diag(confusion)
    precision = np.divide(hits, confusion.sum(axis=0), out=np.zeros(count),
                          where=confusion.sum(axis=0) > 0)
    recall = np.divide(hits, confusion.sum(axis=1), out=np.zeros(count),
                       where=confusion.sum(axis=1) > 0)
    f1 = np.divide(2 * precision * recall, precision + recall, out=np.zeros(count),
                   where=precision + recall > 0)
    return float(f1.mean())

"""Sets of 64-bit hashes as sorted numpy arrays: how shingle sets, samples and term sets are
held everywhere, and the few operations on them.

``np.unique`` would do, but from numpy 2.3 it hashes before it sorts, which on the few
thousand values of one article is several times slower than one sort; these run per article
and per pair, so the difference is most of a scan's set work.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from .model import HashArray


def distinct(values: HashArray) -> HashArray:
    """The distinct values, sorted (``np.unique(values)``)."""
    ordered = np.sort(values)
    return ordered[first_of_runs(ordered)]


def distinct_counts(values: npt.NDArray[Any]) -> tuple[npt.NDArray[Any], npt.NDArray[np.int64]]:
    """The distinct values, sorted, and how often each occurs
    (``np.unique(values, return_counts=True)``)."""
    ordered = np.sort(values)
    starts = np.flatnonzero(first_of_runs(ordered))
    return ordered[starts], np.diff(np.append(starts, ordered.size)).astype(np.int64)


def in_sorted(values: HashArray, pool: HashArray) -> npt.NDArray[np.bool_]:
    """``np.isin(values, pool)`` for a sorted ``pool``: one binary search per value."""
    return lookup(values, pool)[0]


def lookup(values: HashArray, pool: HashArray
           ) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.intp]]:
    """For each value: is it in the sorted ``pool``, and where (valid only where found)."""
    if pool.size == 0:
        return np.zeros(values.size, dtype=bool), np.zeros(values.size, dtype=np.intp)
    position = np.minimum(np.searchsorted(pool, values), pool.size - 1)
    return pool[position] == values, position


def first_of_runs(ordered: npt.NDArray[Any], *more: npt.NDArray[Any]
                  ) -> npt.NDArray[np.bool_]:
    """For each value of a sorted array (or each row of equal-length arrays sorted
    together): is it the first of its run of equal values (rows)?"""
    first = np.ones(ordered.size, dtype=bool)
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    for column in more:
        first[1:] |= column[1:] != column[:-1]
    return first

"""Shared passages: the maximal runs of text two articles have in common.

Every shingle the two articles share marks a k-word match at (position in a, position in b).
Matches on one diagonal (same ``b - a``) at consecutive positions form a run; runs at most
``max_gap`` words apart on both sides (a few words changed, added or dropped) merge into one
passage, which counts the words of b it bridges (b's words in no run: the words edited). Where
passages overlap (a paragraph repeated), the longest wins.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from provenance.candidates.buckets import concatenated_ranges
from provenance.compiled import Kernel
from provenance.model import HashArray, Passage
from provenance.text.document import Document

#: A shingle found more often than this in one article is a stock phrase, not a passage anchor.
MAX_REPEATS = 8


@dataclass(frozen=True)
class _Span:
    """Word positions ``[a_start, a_end)`` in a and ``[b_start, b_end)`` in b, and how many
    of b's are in no run (bridged by a merge)."""

    a_start: int
    a_end: int
    b_start: int
    b_end: int
    b_bridged: int = 0

    @property
    def length(self) -> int:
        return self.a_end - self.a_start


#: Rows ``(a_start, a_end, b_start, b_end, b_bridged)``: word positions, and the number of
#: b's words between the span's runs.
SpanArray = npt.NDArray[np.int64]


def shared_passages(a: Document, b: Document, k: int, max_gap: int) -> tuple[Passage, ...]:
    """The passages ``a`` and ``b`` share, in order of their position in ``a``."""
    return passages_of(passage_spans(a, b, k, max_gap), a, b)


def passage_spans(a: Document, b: Document, k: int, max_gap: int) -> SpanArray:
    """:func:`shared_passages` as the words they span in each text."""
    return shared_spans(a.shingles, b.shingles, k, max_gap, MAX_REPEATS)


def passages_of(spans: SpanArray, a: Document, b: Document) -> tuple[Passage, ...]:
    """The passages spanning ``spans`` of ``a`` and ``b``'s words."""
    return tuple(map(Passage._make, passage_rows(spans, a, b).tolist()))


def passage_rows(spans: SpanArray, a: Document, b: Document) -> npt.NDArray[np.int64]:
    """:func:`passages_of` as rows ``(a_start, a_end, b_start, b_end, words)``."""
    return np.stack([a.words.starts[spans[:, 0]], a.words.ends[spans[:, 1] - 1],
                     b.words.starts[spans[:, 2]], b.words.ends[spans[:, 3] - 1],
                     spans[:, 1] - spans[:, 0]], axis=1).astype(np.int64, copy=False)


def _shared_spans(a: HashArray, b: HashArray, k: int, max_gap: int, max_repeats: int
                  ) -> SpanArray:
    runs = _diagonal_runs(a, b, k, max_repeats)
    merged = _merge_close(runs, max_gap)
    chosen = sorted(_longest_disjoint(merged), key=lambda span: (span.a_start, span.b_start))
    return np.array([(s.a_start, s.a_end, s.b_start, s.b_end, s.b_bridged) for s in chosen],
                    dtype=np.int64).reshape(-1, 5)


def _matches(a: HashArray, b: HashArray, max_repeats: int) -> tuple[np.ndarray, np.ndarray]:
    """Positions ``(i, j)`` with ``a[i] == b[j]``, for values found at most ``max_repeats``
    times in ``b``."""
    order = np.argsort(b, kind="stable")
    sorted_b = b[order]
    lo = np.searchsorted(sorted_b, a, side="left")
    hi = np.searchsorted(sorted_b, a, side="right")
    counts = np.minimum(hi - lo, max_repeats)
    counts[(hi - lo) > max_repeats] = 0
    return np.repeat(np.arange(a.size), counts), order[concatenated_ranges(lo, counts)]


def _diagonal_runs(a: HashArray, b: HashArray, k: int, max_repeats: int) -> list[_Span]:
    i, j = _matches(a, b, max_repeats)
    if i.size == 0:
        return []
    diagonal = j - i
    order = np.lexsort((i, diagonal))
    i, diagonal = i[order], diagonal[order]
    breaks = np.flatnonzero((np.diff(i) != 1) | (np.diff(diagonal) != 0)) + 1
    starts = np.concatenate(([0], breaks))
    ends = np.concatenate((breaks, [i.size])) - 1
    return [
        _Span(int(i[s]), int(i[e]) + k, int(i[s] + diagonal[s]), int(i[e] + diagonal[e]) + k)
        for s, e in zip(starts, ends, strict=True)
    ]


def _merge_close(runs: list[_Span], max_gap: int) -> list[_Span]:
    """Merge runs that follow each other in both articles with small gaps."""
    merged: list[_Span] = []
    for run in sorted(runs, key=lambda span: (span.a_start, span.b_start)):
        for index in range(len(merged) - 1, -1, -1):
            last = merged[index]
            gap_a, gap_b = run.a_start - last.a_end, run.b_start - last.b_end
            if 0 <= gap_a <= max_gap and 0 <= gap_b <= max_gap:
                merged[index] = _Span(last.a_start, run.a_end, last.b_start, run.b_end,
                                      last.b_bridged + gap_b)
                break
        else:
            merged.append(run)
    return merged


def _longest_disjoint(spans: list[_Span]) -> list[_Span]:
    chosen: list[_Span] = []
    for span in sorted(spans, key=lambda s: (-s.length, s.a_start, s.b_start)):
        if not any(_overlaps(span, other) for other in chosen):
            chosen.append(span)
    return chosen


def _overlaps(x: _Span, y: _Span) -> bool:
    return (x.a_start < y.a_end and y.a_start < x.a_end) or (
        x.b_start < y.b_end and y.b_start < x.b_end
    )


def _shared_spans_loop(a: Any, b: Any, k: int, max_gap: int, max_repeats: int) -> Any:
    """:func:`_shared_spans`, compiled: the passages as word spans, rows ``(a_start, a_end,
    b_start, b_end, b_bridged)`` in order of ``(a_start, b_start)``."""
    # The matches (i, j), a[i] == b[j], of values found at most max_repeats times in b: b's
    # positions chained by value in a hash table (open addressing on the hash's low bits,
    # as the values are hashes already), each chain in ascending order.
    size = 2
    while size < 2 * b.size:
        size *= 2
    mask = np.uint64(size - 1)
    slot_value = np.zeros(size, dtype=np.uint64)
    slot_first = np.full(size, -1, dtype=np.int64)
    next_place = np.full(b.size, -1, dtype=np.int64)
    for j in range(b.size - 1, -1, -1):
        slot = np.int64(b[j] & mask)
        while slot_first[slot] != -1 and slot_value[slot] != b[j]:
            slot = (slot + 1) & (size - 1)
        next_place[j] = slot_first[slot]
        slot_value[slot], slot_first[slot] = b[j], j
    first = np.full(a.size, -1, dtype=np.int64)
    count = 0
    for i in range(a.size):
        slot = np.int64(a[i] & mask)
        while slot_first[slot] != -1 and slot_value[slot] != a[i]:
            slot = (slot + 1) & (size - 1)
        held, place = 0, slot_first[slot]
        while place != -1 and held <= max_repeats:
            held += 1
            place = next_place[place]
        if held <= max_repeats:
            first[i] = slot_first[slot]
            count += held
    match_i = np.empty(count, dtype=np.int64)
    diagonal = np.empty(count, dtype=np.int64)
    m = 0
    for i in range(a.size):
        place = first[i]
        while place != -1:
            match_i[m], diagonal[m] = i, place - i
            m += 1
            place = next_place[place]
    # Runs of consecutive matches along one diagonal, found in (diagonal, i) order, sorted
    # as one key (each (diagonal, i) is one match). Below, the orders of a few spans by
    # several keys come from stable sorts, as numba has no lexsort.
    by = np.argsort((diagonal + a.size) * (a.size + 1) + match_i)
    runs = np.empty((count, 4), dtype=np.int64)
    found = 0
    start = 0
    while start < count:
        end = start
        while (end + 1 < count and diagonal[by[end + 1]] == diagonal[by[start]]
               and match_i[by[end + 1]] == match_i[by[end]] + 1):
            end += 1
        first, last, shift = match_i[by[start]], match_i[by[end]], diagonal[by[start]]
        runs[found] = (first, last + k, first + shift, last + shift + k)
        found += 1
        start = end + 1
    # Runs that follow each other closely in both texts merge, taken in (a, b) order, each
    # into the latest earlier passage it continues, which counts the words of b it bridges.
    runs = runs[:found]
    by = np.argsort(runs[:, 2], kind="mergesort")
    runs = runs[by[np.argsort(runs[by, 0], kind="mergesort")]]
    merged = np.zeros((found, 5), dtype=np.int64)
    kept = 0
    for r in range(found):
        joined = False
        for index in range(kept - 1, -1, -1):
            gap_a, gap_b = runs[r, 0] - merged[index, 1], runs[r, 2] - merged[index, 3]
            if 0 <= gap_a <= max_gap and 0 <= gap_b <= max_gap:
                merged[index, 1], merged[index, 3] = runs[r, 1], runs[r, 3]
                merged[index, 4] += gap_b
                joined = True
                break
        if not joined:
            merged[kept, :4] = runs[r]
            kept += 1
    # Where passages overlap, the longest wins (then the first in a, then in b).
    merged = merged[:kept]
    by = np.argsort(merged[:, 2], kind="mergesort")
    by = by[np.argsort(merged[by, 0], kind="mergesort")]
    by = by[np.argsort(merged[by, 0] - merged[by, 1], kind="mergesort")]
    chosen = np.empty((kept, 5), dtype=np.int64)
    taken = 0
    for index in by:
        span = merged[index]
        free = True
        for c in range(taken):
            if ((span[0] < chosen[c, 1] and chosen[c, 0] < span[1])
                    or (span[2] < chosen[c, 3] and chosen[c, 2] < span[3])):
                free = False
                break
        if free:
            chosen[taken] = span
            taken += 1
    chosen = chosen[:taken]
    by = np.argsort(chosen[:, 2], kind="mergesort")
    return chosen[by[np.argsort(chosen[by, 0], kind="mergesort")]]


shared_spans: Kernel[[HashArray, HashArray, int, int, int], SpanArray] = Kernel(
    _shared_spans_loop, _shared_spans)

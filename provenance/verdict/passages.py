"""Shared passages: the maximal runs of text two articles have in common.

Every shingle the two articles share marks a k-word match at (position in a, position in b).
Matches on one diagonal (same ``b - a``) at consecutive positions form a run; runs at most
``max_gap`` words apart on both sides (a few words changed, added or dropped) merge into one
passage, which counts the words of b it bridges (b's words in no run: the words edited). Where
passages overlap (a paragraph repeated), the longest wins.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from provenance.candidates.buckets import concatenated_ranges
from provenance.kernels import shared_spans
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
    spans = shared_spans(a.shingles, b.shingles, k, max_gap, MAX_REPEATS)
    if spans is None:  # not compiled yet: the same program in numpy
        spans = _shared_spans(a.shingles, b.shingles, k, max_gap, MAX_REPEATS)
    return spans


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


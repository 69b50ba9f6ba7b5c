"""Candidate search as a shuffle: band keys, containment samples and rewrite keys go to the
partition their value chooses, each partition counts the pairs its keys propose, and the
counts of one pair, wherever its keys fell, meet in the partition the pair chooses.

Every function here is pure, and every output is sorted by a total key: a retried task
gives the same bytes, and the union over partitions is what
:func:`provenance.candidates.buckets.shared_key_pairs` finds on one machine.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from provenance.candidates.buckets import PAIR_SHIFT, concatenated_ranges
from provenance.hashsets import HashSets, distinct_counts, first_of_runs

#: Mixes a 64-bit value before its partition is taken, so that partitions are even
#: whatever the low bits of the values (pair codes, say, share them).
_MIX = np.uint64(0x9E3779B97F4A7C15)
#: Pairs a key partition expands at once, at most: a bucket held by thousands of
#: articles (exact duplicates) is expanded in tiles of this many pairs.
TILE_PAIRS = 1 << 22


@dataclass(frozen=True)
class KeyEntries:
    """Keys and the articles (corpus positions) that hold them, one entry per row."""

    keys: npt.NDArray[np.uint64]
    articles: npt.NDArray[np.int64]

    @classmethod
    def of(cls, sets: HashSets, first: int) -> KeyEntries:
        """The entries of ``sets``, set ``i`` held by the article at ``first + i``."""
        owners = sets.owners(np.arange(sets.values.size)) + first
        return cls(sets.values.astype(np.uint64), owners.astype(np.int64))

    @classmethod
    def concatenate(cls, parts: list[KeyEntries]) -> KeyEntries:
        if not parts:
            return cls(np.empty(0, np.uint64), np.empty(0, np.int64))
        return cls(np.concatenate([part.keys for part in parts]),
                   np.concatenate([part.articles for part in parts]))

    @property
    def nbytes(self) -> int:
        return int(self.keys.nbytes + self.articles.nbytes)

    def split(self, partitions: int) -> list[KeyEntries]:
        """These entries by the partition each key chooses."""
        chosen = partition_of(self.keys, partitions)
        order = np.argsort(chosen, kind="stable")
        bounds = np.searchsorted(chosen[order], np.arange(partitions + 1))
        return [KeyEntries(self.keys[order[start:end]], self.articles[order[start:end]])
                for start, end in itertools.pairwise(bounds)]


def partition_of(values: npt.NDArray[np.uint64] | npt.NDArray[np.int64], partitions: int
                 ) -> npt.NDArray[np.int64]:
    """The partition, among ``partitions``, that each value chooses."""
    mixed = values.astype(np.uint64) * _MIX
    chosen: npt.NDArray[np.int64] = ((mixed >> np.uint64(32)) % np.uint64(partitions)
                                     ).astype(np.int64)
    return chosen


@dataclass(frozen=True)
class PairCounts:
    """Pairs of articles ``(i, j)``, ``i < j``, as codes ``i * PAIR_SHIFT + j``, sorted and
    distinct, and how many keys each shares."""

    codes: npt.NDArray[np.int64]
    counts: npt.NDArray[np.int64]

    @classmethod
    def summed(cls, parts: list[PairCounts]) -> PairCounts:
        """The pairs of ``parts``, the counts of each pair added up."""
        if not parts:
            return cls(np.empty(0, np.int64), np.empty(0, np.int64))
        codes = np.concatenate([part.codes for part in parts])
        counts = np.concatenate([part.counts for part in parts])
        distinct, inverse = np.unique(codes, return_inverse=True)
        return cls(distinct, np.bincount(inverse, weights=counts,
                                         minlength=distinct.size).astype(np.int64))

    @property
    def nbytes(self) -> int:
        return int(self.codes.nbytes + self.counts.nbytes)

    def split(self, partitions: int) -> list[PairCounts]:
        """These pairs by the partition each pair chooses (each part still sorted)."""
        chosen = partition_of(self.codes, partitions)
        return [PairCounts(self.codes[chosen == part], self.counts[chosen == part])
                for part in range(partitions)]

    def at_least(self, shared: int) -> npt.NDArray[np.int64]:
        """The codes of the pairs sharing at least ``shared`` keys."""
        kept: npt.NDArray[np.int64] = self.codes[self.counts >= shared]
        return kept


def counted_pairs(entries: KeyEntries, max_articles: int | None) -> PairCounts:
    """The pairs of articles sharing keys among ``entries``, each with how many distinct
    keys it shares; a key held by fewer than two articles, or (when given) by more than
    ``max_articles``, proposes none, as in
    :func:`~provenance.candidates.buckets.shared_key_pairs`."""
    order = np.lexsort((entries.articles, entries.keys))
    keys, articles = entries.keys[order], entries.articles[order]
    held = first_of_runs(keys, articles)  # one entry per (key, article)
    keys, articles = keys[held], articles[held]
    starts = np.flatnonzero(first_of_runs(keys))
    sizes = np.diff(np.append(starts, keys.size))
    usable = sizes >= 2
    if max_articles is not None:
        usable &= sizes <= max_articles
    kept = np.repeat(usable, sizes)
    articles, sizes = articles[kept], sizes[usable]
    # Each entry pairs with the later entries of its group: its partners.
    group_end = np.repeat(np.cumsum(sizes), sizes)
    later = group_end - np.arange(articles.size) - 1
    tiles = []
    for first, last in _tiles(later, TILE_PAIRS):
        partner = articles[concatenated_ranges(np.arange(first, last) + 1, later[first:last])]
        owner = np.repeat(articles[first:last], later[first:last])
        codes, shared = distinct_counts(owner * np.int64(PAIR_SHIFT) + partner)
        tiles.append(PairCounts(codes, shared))
    return tiles[0] if len(tiles) == 1 else PairCounts.summed(tiles)


def _tiles(later: npt.NDArray[np.int64], budget: int) -> list[tuple[int, int]]:
    """Runs of entries ``(first, last)`` expanding into about ``budget`` pairs each (an
    entry with more partners than that is a run of its own)."""
    if later.size == 0:
        return [(0, 0)]
    ends = np.cumsum(later)
    tiles, first = [], 0
    while first < later.size:
        done = ends[first - 1] if first else 0
        last = max(int(np.searchsorted(ends, done + budget, side="right")), first + 1)
        tiles.append((first, last))
        first = last
    return tiles

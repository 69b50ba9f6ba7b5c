"""Sets of 64-bit hashes as sorted numpy arrays: how shingle sets, samples and term sets are
held everywhere, and the few operations on them.

``np.unique`` would do, but from numpy 2.3 it hashes before it sorts, which on the few
thousand values of one article is several times slower than one sort; these run per article
and per pair, so the difference is most of a scan's set work.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import numpy.typing as npt

from provenance.compiled import Kernel, compiling
from provenance.model import HashArray
from provenance.spool import new_records


def distinct(values: HashArray) -> HashArray:
    """The distinct values, sorted (``np.unique(values)``)."""
    ordered = np.sort(values)
    return ordered[first_of_runs(ordered)]


def is_distinct(values: HashArray) -> bool:
    """Are ``values`` sorted and distinct (as :func:`distinct` gives them)?"""
    return bool((values[1:] > values[:-1]).all())


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


@dataclass(frozen=True)
class HashIndex:
    """Sorted distinct hashes that say where any value is among them in constant time: a
    hash table on the values' low bits (they are hashes already), where a binary search
    costs a cache miss or more at each of its steps."""

    values: HashArray

    def places(self, queries: HashArray) -> npt.NDArray[np.int64]:
        """Where each of ``queries`` is among :attr:`values`, -1 where it is not."""
        if compiling():
            return hash_places(self._table, self.values, queries)
        found, position = lookup(queries, self.values)
        return np.where(found, position, -1)

    @cached_property
    def _table(self) -> npt.NDArray[np.int64]:
        return hash_table(self.values)


def first_of_runs(ordered: npt.NDArray[Any], *more: npt.NDArray[Any]
                  ) -> npt.NDArray[np.bool_]:
    """For each value of a sorted array (or each row of equal-length arrays sorted
    together): is it the first of its run of equal values (rows)?"""
    first = np.ones(ordered.size, dtype=bool)
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    for column in more:
        first[1:] |= column[1:] != column[:-1]
    return first


@dataclass(frozen=True)
class HashSets:
    """Many hash arrays (one per article) held flat: array ``i`` is
    ``values[offsets[i]:offsets[i + 1]]``. One allocation for a corpus, not one per article:
    no per-array overhead, and memory handed back whole when it goes."""

    values: HashArray
    offsets: npt.NDArray[np.int64]

    @classmethod
    def of(cls, arrays: Sequence[HashArray]) -> HashSets:
        """The arrays, flat."""
        sizes = np.fromiter((array.size for array in arrays), dtype=np.int64, count=len(arrays))
        values = np.concatenate(arrays) if arrays else np.empty(0, dtype=np.uint64)
        return cls.of_sizes(values.astype(np.uint64, copy=False), sizes)

    @classmethod
    def of_sizes(cls, values: HashArray, sizes: npt.NDArray[np.int64]) -> HashSets:
        """``values`` cut into arrays of ``sizes``, one after the other."""
        return cls(values, np.concatenate(([0], np.cumsum(sizes))).astype(np.int64))

    @classmethod
    def concatenate(cls, parts: Sequence[HashSets]) -> HashSets:
        """The arrays of ``parts``, one part after the other."""
        if not parts:
            return cls.of([])
        return cls.of_sizes(np.concatenate([part.values for part in parts]),
                            np.concatenate([part.sizes() for part in parts]))

    def __len__(self) -> int:
        return int(self.offsets.size - 1)

    def __getitem__(self, index: int) -> HashArray:
        return self.values[self.offsets[index]:self.offsets[index + 1]]

    def __iter__(self) -> Iterator[HashArray]:
        return (self[index] for index in range(len(self)))

    def distinct(self) -> HashSets:
        """Each array's distinct values, sorted."""
        if compiling():
            return HashSets(*distinct_sets(self.values, self.offsets))
        return HashSets.of([distinct(array) for array in self])

    def sizes(self) -> npt.NDArray[np.int64]:
        """The size of each array."""
        sizes: npt.NDArray[np.int64] = np.diff(self.offsets)
        return sizes

    def owners(self, entries: npt.NDArray[np.integer[Any]]) -> npt.NDArray[np.int64]:
        """The array each of ``entries`` (positions in ``values``) belongs to."""
        return entry_owners(self.offsets, entries)


class SpooledHashSets:
    """:class:`HashSets` kept one after the other as the records of a spool (see
    :mod:`spool`), and read back in that order. A scan's survey gives every article's
    distinct words as 64-bit hashes (about 2.7 KB an article), which wait until the corpus's
    vocabulary is known to be looked up: on disk rather than in memory, whatever the
    corpus's size."""

    def __init__(self) -> None:
        self._records = new_records("the articles' words (about 3 KB an article)")
        self._sizes: list[npt.NDArray[np.int64]] = []

    @classmethod
    def of(cls, parts: Iterable[HashSets]) -> SpooledHashSets:
        """``parts``, spooled."""
        spool = cls()
        for part in parts:
            spool.append(part)
        return spool

    def append(self, sets: HashSets) -> None:
        """Add ``sets`` after those appended before."""
        self._records.append(sets.values.astype(np.uint64, copy=False).tobytes())
        self._sizes.append(sets.sizes())

    def sizes(self) -> npt.NDArray[np.int64]:
        """The size of each array of every part, one part after the other."""
        return np.concatenate([np.empty(0, dtype=np.int64), *self._sizes])

    def __iter__(self) -> Iterator[HashSets]:
        """The parts, read back one at a time."""
        for position, sizes in enumerate(self._sizes):
            yield HashSets.of_sizes(np.frombuffer(self._records[position], dtype=np.uint64),
                                    sizes)


def entry_owners(offsets: npt.NDArray[np.int64], entries: npt.NDArray[np.integer[Any]]
                 ) -> npt.NDArray[np.int64]:
    """The array each of ``entries`` belongs to, of arrays held flat at ``offsets``."""
    owners: npt.NDArray[np.int64] = np.searchsorted(offsets, entries, side="right") - 1
    return owners


def _hash_table_loop(values: Any) -> Any:
    """An open-addressing table over ``values`` (distinct hashes), for :data:`hash_places`:
    slot ``v & (size - 1)`` or the next free one holds ``v``'s place."""
    size = 2
    while size < 2 * values.size:
        size *= 2
    mask = np.uint64(size - 1)
    table = np.full(size, -1, dtype=np.int64)
    for place in range(values.size):
        slot = np.int64(values[place] & mask)
        while table[slot] != -1:
            slot = (slot + 1) & (size - 1)
        table[slot] = place
    return table


hash_table: Kernel[[HashArray], npt.NDArray[np.int64]] = Kernel(_hash_table_loop)


def _hash_places_loop(table: Any, values: Any, queries: Any) -> Any:
    """Where each of ``queries`` is among ``values``, through their :data:`hash_table`; -1
    where it is not."""
    mask = np.uint64(table.size - 1)
    places = np.empty(queries.size, dtype=np.int64)
    for n in range(queries.size):
        slot = np.int64(queries[n] & mask)
        while table[slot] != -1 and values[table[slot]] != queries[n]:
            slot = (slot + 1) & (table.size - 1)
        places[n] = table[slot]
    return places


hash_places: Kernel[[npt.NDArray[np.int64], HashArray, HashArray], npt.NDArray[np.int64]] = (
    Kernel(_hash_places_loop))


def _distinct_sets_loop(values: Any, offsets: Any) -> Any:
    """The distinct values of each set ``values[offsets[s]:offsets[s + 1]]``, sorted, flat,
    and the offsets of the sets they make. Repeats are dropped first, through a hash table,
    and the distinct values sorted by their bytes (a radix sort: a comparison sort of hashes
    mispredicts a branch at every other step, and costs several times more)."""
    kept = np.empty(values.size, dtype=np.uint64)
    kept_offsets = np.zeros(offsets.size, dtype=np.int64)
    table = np.full(16, -1, dtype=np.int64)  # a slot holds a place among the kept
    spare = np.empty(values.size, dtype=np.uint64)
    digits = np.empty((8, 256), dtype=np.int64)
    count = 0
    for s in range(offsets.size - 1):
        size = 16
        while size < 2 * (offsets[s + 1] - offsets[s]):
            size *= 2
        if table.size < size:
            table = np.full(size, -1, dtype=np.int64)
        first = count
        for n in range(offsets[s], offsets[s + 1]):
            value = values[n]
            slot = np.int64(value & np.uint64(size - 1))
            while table[slot] != -1 and kept[table[slot]] != value:
                slot = (slot + 1) & (size - 1)
            if table[slot] == -1:
                table[slot] = count
                kept[count] = value
                count += 1
        table[:size] = -1
        # Least significant byte first: each pass places the values by one byte, in
        # the order the last pass left them.
        digits[:] = 0
        for n in range(first, count):
            for byte in range(8):
                digits[byte, (kept[n] >> np.uint64(8 * byte)) & np.uint64(255)] += 1
        for byte in range(8):
            starts = first
            for digit in range(256):
                starts, digits[byte, digit] = starts + digits[byte, digit], starts
        source, target = kept, spare
        for byte in range(8):
            for n in range(first, count):
                digit = (source[n] >> np.uint64(8 * byte)) & np.uint64(255)
                target[digits[byte, digit]] = source[n]
                digits[byte, digit] += 1
            source, target = target, source
        kept_offsets[s + 1] = count  # after 8 passes (even), the values are back in kept
    return kept[:count].copy(), kept_offsets


distinct_sets: Kernel[[HashArray, npt.NDArray[np.int64]],
                       tuple[HashArray, npt.NDArray[np.int64]]] = Kernel(_distinct_sets_loop)

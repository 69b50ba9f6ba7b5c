"""Candidate pairs without comparing all pairs: LSH banding, a containment sample index, and a
content-word index for rewrites.

Three mechanisms, because three kinds of reuse look different to a sketch:

* **Resemblance** (reprints, near-duplicates): MinHash LSH. Each signature is cut into
  ``bands`` bands of ``rows`` values; articles whose values agree on a whole band share a
  bucket. Two articles become candidates with probability ``1 - (1 - J**rows)**bands`` for
  Jaccard ``J``, whatever their length.
* **Containment** (a short wire story quoted whole in a long article): Jaccard is low there,
  so LSH misses it. Instead every article keeps the shingles whose hash falls in the lowest
  ``1/sample_rate`` of the hash range. The rule is the same everywhere, so a shingle two
  articles share is sampled in both or in neither: articles that share ``m`` shingles share
  about ``m / sample_rate`` samples, independent of their sizes. Pairs sharing at least
  ``min_shared_samples`` samples are candidates. A sample found in very many articles is a
  stock phrase or template, and is dropped.
* **Rewrites** share almost no shingle but keep the rare words of their source: names,
  places, numbers. Each article keeps its rarest words in the corpus (by document frequency,
  words found in one article only left out), and pairs sharing enough of them are candidates
  for sentence alignment. The same shared-key machinery finds them.

All three work on flat sorted numpy arrays (key, article) and emit pairs as ``(i, j)`` rows with
``i < j``, never a Python object per pair.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from provenance.compiled import Kernel
from provenance.hashsets import HashSets, distinct, distinct_counts, first_of_runs
from provenance.model import HashArray, SignatureArray

PairArray = npt.NDArray[np.int64]
_BAND_STEP = np.uint64(0x9E3779B97F4A7C15)


def band_keys(signatures: SignatureArray, bands: int, rows: int) -> npt.NDArray[np.uint64]:
    """``(articles, bands)`` keys: each band's ``rows`` values combined into one 64-bit key."""
    keys = np.zeros((signatures.shape[0], bands), dtype=np.uint64)
    for row in range(rows):
        keys *= _BAND_STEP
        keys += signatures[:, row : bands * rows : rows].astype(np.uint64)
    return keys


def lsh_pairs(keys: HashSets) -> PairArray:
    """Pairs of articles that share a bucket in at least one band (``keys[i]``: article i's
    band keys, from :func:`band_keys`; empty for an article left out)."""
    return shared_key_pairs(keys, 1, None)


def sample(shingles: HashArray, sample_rate: int) -> HashArray:
    """The distinct shingle hashes in the lowest ``1/sample_rate`` of the 64-bit range."""
    return distinct(shingles[sample_mask(shingles, sample_rate)])


def sample_mask(shingles: HashArray, sample_rate: int) -> npt.NDArray[np.bool_]:
    """Which shingle hashes fall in the lowest ``1/sample_rate`` of the 64-bit range."""
    bound = np.uint64((1 << 64) // sample_rate - 1) if sample_rate > 1 else np.uint64(2**64 - 1)
    return shingles <= bound


#: Entries (article, shared key, partner) up to which shared keys are counted in numpy, all
#: expanded at once; past it, a compiled loop counts them in memory that does not grow with
#: the number of pairs.
EXPANSION_BUDGET = 4_000_000


def shared_key_pairs(key_sets: HashSets, min_shared: int, max_articles: int | None
                     ) -> PairArray:
    """Pairs of articles whose (distinct) keys overlap in at least ``min_shared`` keys
    (``key_sets[i]``: article i's keys); keys held by more than ``max_articles`` articles
    (when given) are ignored.

    Entries are sorted by key into groups (the articles holding each key). Then each
    article's keys are expanded into the later articles of their groups, and the (article,
    partner) pairs counted: in numpy all at once when they are few (``EXPANSION_BUDGET``),
    otherwise by a compiled loop, one article at a time, so that memory does not grow with
    the number of pairs the corpus holds.
    """
    # Millions of entries: each array is made when needed and dropped when done, and held
    # as int32 (entries stay far below 2**31: about a hundred per article).
    articles = len(key_sets)
    order, group_sizes = _shared_key_groups(key_sets.values, max_articles)
    members = _owners(key_sets, order)
    group_end = np.repeat(np.cumsum(group_sizes, dtype=np.int32), group_sizes)
    del group_sizes
    # Each entry (in owner order): its place among the sorted members, and how many later
    # members its group has: its partners.
    place = _order_of(order, key_sets.values.size)
    del order
    later = group_end[place]
    del group_end
    later -= place + 1
    owners = members[place]
    offsets = np.searchsorted(owners, np.arange(articles + 1)).astype(np.int64)
    if int(later.sum()) > EXPANSION_BUDGET:
        codes = pairs_sharing_keys(offsets, place, later, members, min_shared)
    else:
        codes = _pairs_sharing_keys(owners, place, later, members, min_shared)
    return decode_pairs(codes)


#: Entries sorted at once, at most: more are sorted in parts (by their keys' low bits), so
#: that the sort's arrays, several times the size of the entries sorted, stay small however
#: many keys a corpus holds.
SORT_PART = 1 << 22


def _shared_key_groups(keys: HashArray, max_articles: int | None
                       ) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.int32]]:
    """The entries (places in ``keys``) of the keys held at least twice, and at most
    ``max_articles`` times when given, grouped by key, in order within each group; and the
    size of each group.

    Most keys (samples above all) are held once: the entries of the groups kept are a
    fraction of all. The keys are sorted a part at a time, a part being the keys with the
    same low bits: they are hashes, so the parts are of about one size, and a key's entries
    all fall in one part.
    """
    parts = 1 << max(0, math.ceil(math.log2(max(keys.size, 1) / SORT_PART)))
    part_of = _low_bits(keys, parts) if parts > 1 else None
    entries, sizes = [], []
    for part in range(parts):
        # Equal keys: their entries in order (a stable sort).
        if part_of is None:
            held = np.argsort(keys, kind="stable")
        else:
            held = np.flatnonzero(part_of == part)
            held = held[np.argsort(keys[held], kind="stable")]
        starts = np.flatnonzero(first_of_runs(keys[held]))
        group_sizes = np.diff(np.append(starts, held.size))
        usable = group_sizes >= 2
        if max_articles is not None:
            usable &= group_sizes <= max_articles
        entries.append(held[np.repeat(usable, group_sizes)].astype(np.int32))
        sizes.append(group_sizes[usable].astype(np.int32))
    del part_of, held
    return np.concatenate(entries), np.concatenate(sizes)


def _low_bits(keys: HashArray, parts: int) -> npt.NDArray[np.uint16]:
    """Each key's part among ``parts`` (a power of two, at most 2**16): its low bits, worked
    out a block at a time rather than through a temporary array of 64-bit values."""
    low = np.empty(keys.size, dtype=np.uint16)
    for start in range(0, keys.size, SORT_PART):
        np.bitwise_and(keys[start:start + SORT_PART], np.uint64(parts - 1),
                       out=low[start:start + SORT_PART], casting="unsafe")
    return low


def _owners(key_sets: HashSets, entries: npt.NDArray[np.int32]) -> npt.NDArray[np.int32]:
    """``key_sets.owners(entries)`` as int32, worked out a block at a time rather than
    through a temporary array of 64-bit values."""
    owners = np.empty(entries.size, dtype=np.int32)
    for start in range(0, entries.size, SORT_PART):
        owners[start:start + SORT_PART] = key_sets.owners(entries[start:start + SORT_PART])
    return owners


#: Slots of :func:`_order_of`'s table at once, at most (64 MB of them).
ORDER_BLOCK = 1 << 24


def _order_of(values: npt.NDArray[np.int32], bound: int) -> npt.NDArray[np.int32]:
    """``np.argsort(values)`` for distinct values below ``bound``, as int32: each value
    marks its place in a table of slots, read back in order (no sort). The table covers
    ``ORDER_BLOCK`` values at a time: the values are places among all of a corpus's keys
    (a hundred million at a million articles), and a few of them are ordered."""
    order = np.empty(values.size, dtype=np.int32)
    filled = 0
    for start in range(0, bound, ORDER_BLOCK):
        end = min(start + ORDER_BLOCK, bound)
        held = np.flatnonzero((values >= start) & (values < end))
        table = np.full(end - start, -1, dtype=np.int32)
        table[values[held] - start] = held
        found = table[table >= 0]
        order[filled:filled + found.size] = found
        filled += found.size
    return order


def _pairs_sharing_keys(owners: npt.NDArray[np.int32], place: npt.NDArray[np.int32],
                        later: npt.NDArray[np.int32], members: npt.NDArray[np.int32],
                        min_shared: int) -> npt.NDArray[np.int64]:
    """:data:`pairs_sharing_keys` in numpy, for a few keys: every entry expanded
    into its later holders at once, and the (article, partner) codes counted."""
    article = np.repeat(owners.astype(np.int64), later)
    partner = members[concatenated_ranges(place.astype(np.int64) + 1, later.astype(np.int64))]
    apart = partner != article  # an article holding a key twice is not its own pair
    codes, shared = distinct_counts(article[apart] * _PAIR_SHIFT + partner[apart])
    found: npt.NDArray[np.int64] = codes[shared >= min_shared]
    return found


def _unique_pairs(found: Sequence[PairArray]) -> PairArray:
    pairs = np.concatenate(found) if found else np.empty((0, 2), dtype=np.int64)
    return decode_pairs(np.unique(pair_codes(pairs))) if pairs.size else pairs.reshape(0, 2)


#: Pairs of articles ``(i, j)`` are sorted and counted as one integer each,
#: ``i * PAIR_SHIFT + j`` (article positions are far below it): many times faster than
#: ``np.unique`` over rows.
PAIR_SHIFT = 1 << 31
_PAIR_SHIFT = np.int64(PAIR_SHIFT)


def pair_codes(pairs: PairArray) -> npt.NDArray[np.int64]:
    """Each pair ``(i, j)`` as one integer, sorting as the pairs do."""
    return pairs[:, 0] * _PAIR_SHIFT + pairs[:, 1]


def decode_pairs(codes: npt.NDArray[np.int64]) -> PairArray:
    """The pairs ``(i, j)`` of their codes (:func:`pair_codes`)."""
    return np.stack([codes // _PAIR_SHIFT, codes % _PAIR_SHIFT], axis=1)


def concatenated_ranges(starts: npt.NDArray[np.int64],
                        counts: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """``starts[0], starts[0] + 1, ... (counts[0] values), starts[1], ...``: the ranges
    ``np.arange(s, s + c)`` one after the other, without a loop over them."""
    offsets: npt.NDArray[np.int64] = (np.repeat(starts - np.cumsum(counts) + counts, counts)
                                      + np.arange(int(counts.sum())))
    return offsets


def merge_pairs(*pair_arrays: PairArray) -> PairArray:
    """The union of pair arrays, sorted, without repeats."""
    return _unique_pairs(pair_arrays)


def grouped_pairs(pairs: PairArray) -> PairArray:
    """``pairs`` reordered so that those of one connected group of articles (one story, as a
    rule) come together, each group in pair order: work cut into runs of pairs then reads
    each article of a group once, not once per run it falls in."""
    return pair_groups(pairs)[0]


def pair_groups(pairs: PairArray) -> tuple[PairArray, npt.NDArray[np.int64]]:
    """:func:`grouped_pairs`, and the group of each (its smallest article)."""
    if pairs.size == 0:
        return pairs, np.empty(0, dtype=np.int64)
    group = connected_groups(pairs, int(pairs.max()) + 1)
    order = np.lexsort((pairs[:, 1], pairs[:, 0], group[pairs[:, 0]]))
    return pairs[order], group[pairs[order, 0]]


def connected_groups(pairs: PairArray, count: int) -> npt.NDArray[np.int64]:
    """For each of ``count`` articles, the smallest article linked to it through ``pairs``:
    labels spread along the links, with pointer jumping, until none changes."""
    label = np.arange(count, dtype=np.int64)
    while True:
        lowest = np.minimum(label[pairs[:, 0]], label[pairs[:, 1]])
        spread = label.copy()
        np.minimum.at(spread, pairs[:, 0], lowest)
        np.minimum.at(spread, pairs[:, 1], lowest)
        spread = spread[spread]
        if np.array_equal(spread, label):
            return label
        label = spread


def _pairs_sharing_keys_loop(offsets: Any, place: Any, later: Any, members: Any,
                             min_shared: int) -> Any:
    """The codes ``i * PAIR_SHIFT + j``, sorted, of the pairs of articles ``i < j`` sharing
    at least ``min_shared`` keys. Article ``i``'s keys are the entries
    ``offsets[i]:offsets[i + 1]``; entry ``e``'s later holders are
    ``members[place[e] + 1:place[e] + 1 + later[e]]``. Counted one article at a time in a
    table of partners, so memory is one count per article, however many pairs the keys
    expand into (see :func:`shared_key_pairs`)."""
    articles = offsets.size - 1
    shared = np.zeros(articles, dtype=np.int32)  # small, so that it stays in cache
    touched = np.empty(articles, dtype=np.int64)
    codes = np.empty(1024, dtype=np.int64)
    found = 0
    for article in range(articles):
        partners = 0
        first_met = found
        for entry in range(offsets[article], offsets[article + 1]):
            for member in range(place[entry] + 1, place[entry] + 1 + later[entry]):
                partner = members[member]
                if partner == article:  # an article holding a key twice
                    continue
                if shared[partner] == 0:
                    touched[partners] = partner
                    partners += 1
                shared[partner] += 1
                if shared[partner] == min_shared:  # counted once, as it gets there
                    if found == codes.size:
                        codes = np.concatenate((codes, np.empty_like(codes)))
                    codes[found] = article * PAIR_SHIFT + partner
                    found += 1
        codes[first_met:found].sort()
        for n in range(partners):
            shared[touched[n]] = 0
    return codes[:found].copy()


pairs_sharing_keys: Kernel[[npt.NDArray[np.int64], npt.NDArray[np.int32], npt.NDArray[np.int32],
                            npt.NDArray[np.int32], int], npt.NDArray[np.int64]] = Kernel(
    _pairs_sharing_keys_loop)

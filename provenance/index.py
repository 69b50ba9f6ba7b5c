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

Both work on flat sorted numpy arrays (key, article) and emit pairs as ``(i, j)`` rows with
``i < j``, never a Python object per pair.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from .model import HashArray, SignatureArray

PairArray = npt.NDArray[np.int64]
_BAND_STEP = np.uint64(0x9E3779B97F4A7C15)


def band_keys(signatures: SignatureArray, bands: int, rows: int) -> npt.NDArray[np.uint64]:
    """``(articles, bands)`` keys: each band's ``rows`` values combined into one 64-bit key."""
    keys = np.zeros((signatures.shape[0], bands), dtype=np.uint64)
    for row in range(rows):
        keys *= _BAND_STEP
        keys += signatures[:, row : bands * rows : rows].astype(np.uint64)
    return keys


def lsh_pairs(key_arrays: Sequence[HashArray]) -> PairArray:
    """Pairs of articles that share a bucket in at least one band (``key_arrays[i]``: article
    i's band keys, from :func:`band_keys`; empty for an article left out)."""
    return shared_key_pairs(key_arrays, 1, None)


def sample(shingles: HashArray, sample_rate: int) -> HashArray:
    """The distinct shingle hashes in the lowest ``1/sample_rate`` of the 64-bit range."""
    return np.unique(shingles[sample_mask(shingles, sample_rate)])


def sample_mask(shingles: HashArray, sample_rate: int) -> npt.NDArray[np.bool_]:
    """Which shingle hashes fall in the lowest ``1/sample_rate`` of the 64-bit range."""
    bound = np.uint64((1 << 64) // sample_rate - 1) if sample_rate > 1 else np.uint64(2**64 - 1)
    return shingles <= bound


def containment_pairs(shingle_arrays: Sequence[HashArray], sample_rate: int,
                      min_shared: int, max_articles: int) -> PairArray:
    """Pairs of articles that share at least ``min_shared`` sampled shingles."""
    samples = [sample(shingles, sample_rate) for shingles in shingle_arrays]
    return shared_key_pairs(samples, min_shared, max_articles)


def shared_key_pairs(key_arrays: Sequence[HashArray], min_shared: int,
                     max_articles: int | None) -> PairArray:
    """Pairs of articles whose (distinct) keys overlap in at least ``min_shared`` keys; keys
    held by more than ``max_articles`` articles (when given) are ignored."""
    keys = np.concatenate(key_arrays) if key_arrays else np.empty(0, dtype=np.uint64)
    owners = np.repeat(np.arange(len(key_arrays), dtype=np.int64), [k.size for k in key_arrays])
    pairs = _pairs_sharing_key(keys, owners, max_group=max_articles)
    if pairs.size == 0:
        return pairs
    unique, counts = np.unique(_pair_codes(pairs), return_counts=True)
    return _decode_pairs(unique[counts >= min_shared])


def _pairs_sharing_key(keys: npt.NDArray[np.uint64], owners: npt.NDArray[np.int64],
                       max_group: int | None) -> PairArray:
    """Every pair of owners with equal keys (with repeats, one per shared key).

    Groups larger than ``max_group`` are skipped. Pairs are made by comparing each sorted
    entry with the one ``d`` places on, for ``d`` up to the largest group: a handful of
    vector operations instead of a loop over groups.
    """
    order = np.argsort(keys, kind="stable")
    keys, owners = keys[order], owners[order]
    if keys.size < 2:
        return np.empty((0, 2), dtype=np.int64)
    group_starts = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
    sizes = np.diff(np.append(group_starts, keys.size))
    keep = sizes >= 2
    if max_group is not None:
        keep &= sizes <= max_group
    if not keep.any():
        return np.empty((0, 2), dtype=np.int64)
    group_of = np.repeat(np.arange(sizes.size), sizes)
    kept_entries = keep[group_of]
    group_of, owners = group_of[kept_entries], owners[kept_entries]
    found = []
    for distance in range(1, int(sizes[keep].max())):
        same = group_of[distance:] == group_of[:-distance]
        left, right = owners[:-distance][same], owners[distance:][same]
        found.append(np.stack([np.minimum(left, right), np.maximum(left, right)], axis=1))
    pairs: PairArray = np.concatenate(found)
    distinct: PairArray = pairs[pairs[:, 0] != pairs[:, 1]]
    return distinct


def _unique_pairs(found: Sequence[PairArray]) -> PairArray:
    pairs = np.concatenate(found) if found else np.empty((0, 2), dtype=np.int64)
    return _decode_pairs(np.unique(_pair_codes(pairs))) if pairs.size else pairs.reshape(0, 2)


#: Pairs are sorted and counted as one integer each, ``i * 2**31 + j`` (article positions
#: are far below 2**31): many times faster than ``np.unique`` over rows.
_PAIR_SHIFT = np.int64(1 << 31)


def _pair_codes(pairs: PairArray) -> npt.NDArray[np.int64]:
    return pairs[:, 0] * _PAIR_SHIFT + pairs[:, 1]


def _decode_pairs(codes: npt.NDArray[np.int64]) -> PairArray:
    return np.stack([codes // _PAIR_SHIFT, codes % _PAIR_SHIFT], axis=1)


def merge_pairs(*pair_arrays: PairArray) -> PairArray:
    """The union of pair arrays, sorted, without repeats."""
    return _unique_pairs(pair_arrays)

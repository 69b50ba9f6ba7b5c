"""MinHash signatures in batches, bit-for-bit those of datasketch's ``affine32`` scheme.

datasketch (2.x, scheme ``affine32``) pre-mixes each 32-bit input hash with the MurmurHash3
finaliser and applies ``a * h + b mod 2**32`` per permutation, with ``a`` and ``b`` drawn
from ``numpy.random.RandomState(seed)``. We do the same over a whole batch of articles at
once: all shingle hashes concatenated, one vectorised pass per permutation, and a
per-article minimum with ``np.minimum.reduceat``. A signature made here loads into
``datasketch.MinHash(hashvalues=..., scheme="affine32", seed=seed)`` unchanged.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from provenance.config import Parameters
from provenance.errors import ParameterError
from provenance.model import HashArray, SignatureArray

EMPTY_VALUE = np.uint32(0xFFFFFFFF)
_FMIX32 = (np.uint32(16), np.uint32(0x85EBCA6B), np.uint32(13), np.uint32(0xC2B2AE35))


@dataclass(frozen=True)
class Permutations:
    """The ``a`` (odd) and ``b`` coefficients of the affine permutations."""

    a: SignatureArray
    b: SignatureArray

    @classmethod
    def create(cls, num_perm: int, seed: int) -> Permutations:
        """The permutations datasketch's ``MinHash(num_perm, seed, scheme="affine32")`` uses."""
        generator = np.random.RandomState(seed)
        a = generator.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
        b = generator.randint(0, 1 << 32, num_perm, dtype=np.uint32)
        return cls(a, b)

    def __len__(self) -> int:
        return int(self.a.size)


def minhash_input(shingles: HashArray) -> SignatureArray:
    """The 32-bit value each 64-bit shingle hash gives MinHash: its low half."""
    return (shingles & np.uint64(0xFFFFFFFF)).astype(np.uint32)


def fmix32(values: SignatureArray) -> SignatureArray:
    """MurmurHash3's 32-bit finaliser, as datasketch applies it before the permutations."""
    shift1, mult1, shift2, mult2 = _FMIX32
    values = values ^ (values >> shift1)
    values = values * mult1
    values = values ^ (values >> shift2)
    values = values * mult2
    return values ^ (values >> shift1)


def signatures(batch: Sequence[HashArray], permutations: Permutations) -> SignatureArray:
    """One MinHash signature per shingle array, as a ``(len(batch), num_perm)`` uint32 array.

    An empty shingle array gets the empty signature (every value 0xFFFFFFFF), as in datasketch.
    """
    result = np.full((len(batch), len(permutations)), EMPTY_VALUE, dtype=np.uint32)
    filled = [index for index, shingles in enumerate(batch) if shingles.size]
    if not filled:
        return result
    mixed = fmix32(minhash_input(np.concatenate([batch[index] for index in filled])))
    sizes = np.array([batch[index].size for index in filled])
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    rows = np.array(filled)
    permuted = np.empty_like(mixed)
    for column, (a, b) in enumerate(zip(permutations.a, permutations.b, strict=True)):
        np.multiply(mixed, a, out=permuted)
        permuted += b
        result[rows, column] = np.minimum.reduceat(permuted, starts)
    return result


def minhashes(texts: Sequence[str], params: Parameters | None = None) -> list[Any]:
    """A ``datasketch.LeanMinHash`` of each text, from the signatures a scan draws (its
    words, shingles and permutations): for a pipeline built on datasketch, such as a
    ``MinHashLSH`` of ``params.num_perm`` permutations, to index what ``provenance``
    fingerprints. Needs datasketch (``pip install 'wire-provenance[datasketch]'``)."""
    try:
        from datasketch import LeanMinHash
    except ImportError as err:
        raise ParameterError("minhashes() needs datasketch: "
                             "pip install 'wire-provenance[datasketch]'") from err
    from provenance.candidates.survey import fingerprint_batch

    params = params or Parameters()
    _, signed, _ = fingerprint_batch((list(texts), params, False), (0, len(texts)))
    return [LeanMinHash(seed=params.seed, hashvalues=row, scheme="affine32") for row in signed]

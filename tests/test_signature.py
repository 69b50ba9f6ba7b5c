from __future__ import annotations

import numpy as np
from datasketch import MinHash
from hypothesis import given, settings
from hypothesis import strategies as st

from provenance.signature import EMPTY_VALUE, Permutations, minhash_input, signatures

hash_arrays = st.lists(st.integers(0, 2**64 - 1), min_size=1, max_size=60).map(
    lambda values: np.array(values, dtype=np.uint64))


def test_permutations_are_datasketchs() -> None:
    reference = MinHash(num_perm=64, seed=7, scheme="affine32")
    ours = Permutations.create(64, 7)
    assert np.array_equal(reference.permutations[0], ours.a)
    assert np.array_equal(reference.permutations[1], ours.b)


@settings(max_examples=50, deadline=None)
@given(st.lists(hash_arrays, min_size=1, max_size=4))
def test_signatures_equal_datasketch_for_the_same_input_hashes(batch: list[np.ndarray]) -> None:
    permutations = Permutations.create(128, 1)
    ours = signatures(batch, permutations)
    for row, shingles in zip(ours, batch, strict=True):
        reference = MinHash(num_perm=128, seed=1, hashfunc=int)
        reference.update_batch(minhash_input(shingles).tolist())
        assert np.array_equal(reference.hashvalues, row)
        loaded = MinHash(hashvalues=row, scheme="affine32", seed=1)
        assert loaded.jaccard(reference) == 1.0


def test_empty_input_gets_the_empty_signature() -> None:
    result = signatures([np.empty(0, dtype=np.uint64)], Permutations.create(16, 1))
    assert (result == EMPTY_VALUE).all()
    assert np.array_equal(result[0], MinHash(num_perm=16, seed=1).hashvalues)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32 - 1), st.floats(0.0, 1.0))
def test_estimate_is_within_a_tenth_of_exact_jaccard(seed: int, target: float) -> None:
    generator = np.random.default_rng(seed)
    pool = np.unique(generator.integers(0, 2**63, 3000, dtype=np.uint64))
    generator.shuffle(pool)
    shared = int(target * 800)
    a = pool[: 800]
    b = np.concatenate([pool[:shared], pool[800 : 800 + 800 - shared]])
    sig_a, sig_b = signatures([a, b], Permutations.create(128, 1))
    estimate = float(np.mean(sig_a == sig_b))
    exact = shared / (1600 - shared)
    assert abs(estimate - exact) <= 0.1

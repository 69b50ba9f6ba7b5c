from __future__ import annotations

import numpy as np
from datasketch import MinHash
from hypothesis import given, settings
from hypothesis import strategies as st

from provenance.candidates.minhash import EMPTY_VALUE, Permutations, minhash_input, signatures

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


def test_estimate_is_within_a_tenth_of_exact_jaccard() -> None:
    # MinHash with 128 permutations has a standard error up to 0.044, so "within 0.1" is a
    # 2.3-sigma bound: checked on a fixed, seeded set of random pairs rather than on
    # whatever pairs a property search hunts down in the tail.
    generator = np.random.default_rng(2026)
    permutations = Permutations.create(128, 1)
    errors = []
    for target in np.linspace(0.0, 1.0, 41):
        pool = np.unique(generator.integers(0, 2**63, 3000, dtype=np.uint64))
        generator.shuffle(pool)
        shared = int(target * 800)
        a = pool[:800]
        b = np.concatenate([pool[:shared], pool[800 : 1600 - shared]])
        sig_a, sig_b = signatures([a, b], permutations)
        errors.append(abs(float(np.mean(sig_a == sig_b)) - shared / (1600 - shared)))
    assert max(errors) <= 0.1
    assert float(np.mean(errors)) < 0.04


def test_minhashes_go_into_datasketchs_lsh_and_agree_with_the_scan() -> None:
    from pathlib import Path

    from datasketch import LeanMinHash, MinHashLSH

    import provenance
    from provenance.candidates.survey import fingerprint_batch
    from provenance.config import Parameters

    texts = [path.read_text(encoding="utf-8")
             for path in sorted((Path(__file__).parents[1] / "corpus").glob("*.txt"))]
    texts.append(texts[3] + "\nA line the copy adds at the end.\n")
    hashes = provenance.minhashes(texts)
    assert all(isinstance(minhash, LeanMinHash) for minhash in hashes)
    lsh = MinHashLSH(threshold=0.8, num_perm=Parameters().num_perm)
    for number, minhash in enumerate(hashes):
        lsh.insert(str(number), minhash)
    assert sorted(lsh.query(hashes[3])) == ["3", "5"]
    _, signed, _ = fingerprint_batch((texts, Parameters(), False), (0, len(texts)))
    assert hashes[3].jaccard(hashes[5]) == float(np.mean(signed[3] == signed[5]))

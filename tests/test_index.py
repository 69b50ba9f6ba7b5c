from __future__ import annotations

from collections import Counter
from unittest.mock import patch

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from provenance.candidates import buckets as index
from provenance.candidates.buckets import (
    band_keys,
    concatenated_ranges,
    grouped_pairs,
    lsh_pairs,
    merge_pairs,
    sample,
    shared_key_pairs,
)
from provenance.candidates.minhash import Permutations, signatures
from provenance.hashsets import HashSets


def _random_hashes(seed: int, size: int) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 2**64 - 1, size, dtype=np.uint64)


def test_band_keys_agree_exactly_when_bands_agree() -> None:
    sig = np.arange(24, dtype=np.uint32).reshape(2, 12)
    sig[1] = sig[0]
    sig[1, 5] += 1  # band 1 of 3 bands x 4 rows holds columns 4..7
    keys = band_keys(sig, bands=3, rows=4)
    assert keys.shape == (2, 3)
    assert (keys[0] == keys[1]).tolist() == [True, False, True]


def test_lsh_pairs_near_duplicates_and_only_eligible_articles() -> None:
    base = _random_hashes(1, 400)
    near = base.copy()
    near[:10] = _random_hashes(2, 10)
    other = _random_hashes(3, 400)
    keys = band_keys(signatures([base, near, other, base], Permutations.create(128, 1)), 32, 4)
    left_out = keys[3][:0]
    assert lsh_pairs(HashSets.of([keys[0], keys[1], keys[2], left_out])).tolist() == [[0, 1]]


def test_sample_is_the_same_rule_in_every_article() -> None:
    hashes = _random_hashes(4, 4000)
    sampled = sample(hashes, 4)
    assert set(sampled.tolist()) <= set(hashes.tolist())
    assert 800 < sampled.size < 1200
    assert np.array_equal(sample(hashes[:100], 4), np.intersect1d(sampled, hashes[:100]))


def _containment_pairs(shingle_arrays: list[np.ndarray], min_shared: int,
                       max_articles: int) -> np.ndarray:
    """Pairs sharing ``min_shared`` samples (rate 4), as the scan's survey finds them."""
    return shared_key_pairs(HashSets.of([sample(s, 4) for s in shingle_arrays]), min_shared,
                            max_articles)


def test_containment_pairs_find_a_short_text_inside_a_long_one() -> None:
    short = _random_hashes(5, 120)
    long = np.concatenate([_random_hashes(6, 3000), short, _random_hashes(7, 3000)])
    unrelated = _random_hashes(8, 3000)
    pairs = _containment_pairs([long, unrelated, short], min_shared=2, max_articles=200)
    assert pairs.tolist() == [[0, 2]]


def test_samples_in_too_many_articles_are_ignored() -> None:
    phrase = _random_hashes(9, 40)
    articles = [np.concatenate([phrase, _random_hashes(10 + n, 200)]) for n in range(5)]
    assert _containment_pairs(articles, 2, max_articles=4).size == 0
    assert len(_containment_pairs(articles, 2, max_articles=5)) == 10


def test_merge_pairs_is_a_sorted_union() -> None:
    a = np.array([[2, 3], [0, 1]])
    b = np.array([[0, 1], [1, 2]])
    assert merge_pairs(a, b).tolist() == [[0, 1], [1, 2], [2, 3]]
    assert merge_pairs().shape == (0, 2)


@settings(deadline=None)
@given(st.lists(st.lists(st.integers(0, 12), unique=True, max_size=8), max_size=25),
       st.integers(1, 3), st.one_of(st.none(), st.integers(2, 6)), st.integers(1, 40),
       st.sampled_from([1, 4, 1 << 22]))
def test_shared_key_pairs_are_the_pairs_sharing_enough_keys(
        keys: list[list[int]], min_shared: int, max_articles: int | None, budget: int,
        sort_part: int) -> None:
    arrays = [np.array(k, dtype=np.uint64) for k in keys]
    holders = Counter(key for k in keys for key in k)
    usable = {key for key, n in holders.items() if max_articles is None or n <= max_articles}
    expected = [[i, j] for i in range(len(keys)) for j in range(i + 1, len(keys))
                if len(set(keys[i]) & set(keys[j]) & usable) >= min_shared]
    # A small budget counts in runs of a few articles; small parts and blocks sort, look up
    # owners and order in parts.
    with patch.object(index, "EXPANSION_BUDGET", budget), \
            patch.object(index, "SORT_PART", sort_part), \
            patch.object(index, "ORDER_BLOCK", sort_part):
        assert shared_key_pairs(HashSets.of(arrays), min_shared, max_articles).tolist() == expected


@given(st.lists(st.tuples(st.integers(0, 50), st.integers(0, 5)), max_size=20))
def test_concatenated_ranges_are_the_ranges_one_after_the_other(
        ranges: list[tuple[int, int]]) -> None:
    starts = np.array([s for s, _ in ranges], dtype=np.int64)
    counts = np.array([c for _, c in ranges], dtype=np.int64)
    expected = [value for start, count in ranges for value in range(start, start + count)]
    assert concatenated_ranges(starts, counts).tolist() == expected


@given(st.lists(st.tuples(st.integers(0, 30), st.integers(0, 30)).filter(lambda p: p[0] < p[1]),
                unique=True, max_size=40))
def test_grouped_pairs_bring_each_connected_group_together(links: list[tuple[int, int]]) -> None:
    pairs = np.array(links, dtype=np.int64).reshape(-1, 2)
    grouped = grouped_pairs(pairs)
    assert sorted(map(tuple, grouped.tolist())) == sorted(links)
    # Brute-force groups: an article's group is everything reachable from it.
    reach = {n: {n} for pair in links for n in pair}
    changed = True
    while changed:
        changed = False
        for a, b in links:
            if reach[a] != reach[b]:
                reach[a] = reach[b] = reach[a] | reach[b]
                changed = True
    groups = [min(reach[a]) for a, _ in grouped.tolist()]
    runs = [g for n, g in enumerate(groups) if n == 0 or g != groups[n - 1]]
    assert len(runs) == len(set(runs))  # each group in one run


@given(st.sets(st.integers(0, 99)).flatmap(lambda values: st.permutations(sorted(values))))
def test_order_of_distinct_values_is_their_argsort(values: list[int]) -> None:
    array = np.array(values, dtype=np.int32)
    assert index._order_of(array, 100).tolist() == np.argsort(array).tolist()

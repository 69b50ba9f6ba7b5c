from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from provenance.errors import SpoolError
from provenance.hashsets import (
    HashSets,
    SpooledHashSets,
    distinct,
    distinct_counts,
    first_of_runs,
    in_sorted,
    is_distinct,
)
from provenance.text.terms import TermWeights

from .conftest import compiled

hashes = st.lists(st.integers(0, 2**64 - 1) | st.integers(0, 5), max_size=40).map(
    lambda values: np.array(values, dtype=np.uint64))


@given(hashes)
def test_distinct_is_numpys_unique(values: np.ndarray) -> None:
    assert distinct(values).tolist() == np.unique(values).tolist()
    found, counts = distinct_counts(values)
    expected, expected_counts = np.unique(values, return_counts=True)
    assert found.tolist() == expected.tolist()
    assert counts.tolist() == expected_counts.tolist()
    assert is_distinct(values) == (values.tolist() == np.unique(values).tolist())


@given(hashes, hashes)
def test_in_sorted_is_isin(values: np.ndarray, pool: np.ndarray) -> None:
    assert in_sorted(values, np.unique(pool)).tolist() == np.isin(values, pool).tolist()


@settings(deadline=None)
@given(st.lists(hashes, max_size=6), st.integers(0, 6), st.integers(0, 6))
def test_weights_merged_from_parts_are_the_weights_of_the_whole(
        documents: list[np.ndarray], cut: int, second_cut: int) -> None:
    whole = TermWeights.fit(documents)
    parts = [TermWeights.fit(documents[:cut]),
             TermWeights.fit(documents[cut:max(cut, second_cut)]),
             TermWeights.fit(documents[max(cut, second_cut):])]
    with compiled():
        merged_compiled = TermWeights.merge(parts)
    for merged in (TermWeights.merge(parts), merged_compiled):
        assert merged.documents == whole.documents
        assert merged.known.tolist() == whole.known.tolist()
        assert merged.document_frequency.tolist() == whole.document_frequency.tolist()


@settings(deadline=None)
@given(st.lists(hashes, max_size=6))
def test_weights_counted_from_flat_sets_are_the_weights_fitted(
        documents: list[np.ndarray]) -> None:
    # Small values collide on the hash table's low bits, and 40 of them grow it.
    fitted = TermWeights.fit(documents)
    with compiled():
        counted = TermWeights.count(HashSets.of(documents))
    assert counted.documents == fitted.documents
    assert counted.known.tolist() == fitted.known.tolist()
    assert counted.document_frequency.tolist() == fitted.document_frequency.tolist()


@settings(deadline=None)
@given(st.lists(hashes, max_size=6))
def test_distinct_sets_compiled_are_each_sets_distinct_values(arrays: list[np.ndarray]) -> None:
    sets = HashSets.of(arrays)
    with compiled():
        found = sets.distinct()
    assert [found[n].tolist() for n in range(len(found))] == \
        [sorted(set(array.tolist())) for array in arrays]
    assert found.values.tolist() == sets.distinct().values.tolist()  # numpy's answer


@given(hashes, hashes)
def test_first_of_runs_marks_each_new_row(a: np.ndarray, b: np.ndarray) -> None:
    size = min(a.size, b.size)
    order = np.lexsort((b[:size], a[:size]))
    rows = list(zip(a[:size][order].tolist(), b[:size][order].tolist(), strict=True))
    expected = [n == 0 or rows[n] != rows[n - 1] for n in range(size)]
    assert first_of_runs(a[:size][order], b[:size][order]).tolist() == expected


def test_hash_sets_hold_each_array_flat_and_give_it_back() -> None:
    arrays = [np.array([3, 5], dtype=np.uint64), np.empty(0, dtype=np.uint64),
              np.array([7], dtype=np.uint64)]
    sets = HashSets.of(arrays)
    assert len(sets) == 3 and sets.sizes().tolist() == [2, 0, 1]
    assert [s.tolist() for s in sets] == [[3, 5], [], [7]]
    both = HashSets.concatenate([sets, HashSets.of(arrays[:1]), HashSets.of([])])
    assert [s.tolist() for s in both] == [[3, 5], [], [7], [3, 5]]
    assert len(HashSets.of([])) == 0 and len(HashSets.concatenate([])) == 0


@settings(deadline=None)
@given(st.lists(st.lists(hashes, max_size=4), max_size=5))
def test_spooled_hash_sets_give_back_each_part_in_order(parts: list[list[np.ndarray]]) -> None:
    spool = SpooledHashSets.of(HashSets.of(part) for part in parts)
    assert spool.sizes().tolist() == [array.size for part in parts for array in part]
    for _ in range(2):  # and again
        back = [[array.tolist() for array in part] for part in spool]
        assert back == [[array.tolist() for array in part] for part in parts]


def test_a_hash_spool_that_cannot_be_made_says_what_to_do(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "missing"))
    with pytest.raises(SpoolError, match=r"articles' words .* in .*missing.*set TMPDIR"):
        SpooledHashSets()

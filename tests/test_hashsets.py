from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from provenance.hashsets import distinct, distinct_counts, in_sorted
from provenance.terms import TermWeights

hashes = st.lists(st.integers(0, 2**64 - 1) | st.integers(0, 5), max_size=40).map(
    lambda values: np.array(values, dtype=np.uint64))


@given(hashes)
def test_distinct_is_numpys_unique(values: np.ndarray) -> None:
    assert distinct(values).tolist() == np.unique(values).tolist()
    found, counts = distinct_counts(values)
    expected, expected_counts = np.unique(values, return_counts=True)
    assert found.tolist() == expected.tolist()
    assert counts.tolist() == expected_counts.tolist()


@given(hashes, hashes)
def test_in_sorted_is_isin(values: np.ndarray, pool: np.ndarray) -> None:
    assert in_sorted(values, np.unique(pool)).tolist() == np.isin(values, pool).tolist()


@given(st.lists(hashes, max_size=6), st.integers(0, 6))
def test_weights_merged_from_parts_are_the_weights_of_the_whole(
        documents: list[np.ndarray], cut: int) -> None:
    whole = TermWeights.fit(documents)
    merged = TermWeights.merge([TermWeights.fit(documents[:cut]),
                                TermWeights.fit(documents[cut:])])
    assert merged.documents == whole.documents
    assert merged.known.tolist() == whole.known.tolist()
    assert merged.document_frequency.tolist() == whole.document_frequency.tolist()

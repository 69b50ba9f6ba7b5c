from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from provenance import kernels
from provenance.kernels import heaviest_common_subsequence

words = st.lists(st.integers(0, 6), max_size=40).map(lambda v: np.array(v, dtype=np.uint64))


@settings(deadline=None)  # the first example compiles the program
@given(words, words)
def test_compiled_and_numpy_programs_give_the_same_answer_to_the_bit(
        ours: np.ndarray, theirs: np.ndarray) -> None:
    weights = np.array([0.3 + (int(w) * 0.37) % 2.1 for w in ours], dtype=np.float64)
    if ours.size and theirs.size:
        compiled = kernels._compiled(kernels._heaviest_common_subsequence)
        assert compiled(ours, weights, theirs) == \
            kernels._heaviest_common_subsequence_by_rows(ours, weights, theirs)


def test_order_counts_and_rare_words_weigh_more() -> None:
    a = np.array([1, 2, 3, 4], dtype=np.uint64)
    weights = np.array([1.0, 5.0, 1.0, 1.0])
    assert heaviest_common_subsequence(a, weights, a) == 8.0
    # 2 moved to the end: either keep 2 (weight 5) or the run 3, 4 (weight 2) in order.
    assert heaviest_common_subsequence(a, weights, np.array([1, 3, 4, 2], dtype=np.uint64)) \
        == 6.0
    assert heaviest_common_subsequence(a, weights, np.empty(0, dtype=np.uint64)) == 0.0

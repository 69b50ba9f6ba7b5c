from __future__ import annotations

import os
import sys

import pytest

from provenance import workers
from provenance.workers import ordered_map


def _scaled_with_pid(factor: int, chunk: int) -> tuple[int, int]:
    return chunk * factor, os.getpid()


def test_results_come_in_order_from_one_set_of_workers_after_another(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workers, "CHUNKS_PER_POOL", 3)
    results = list(ordered_map(_scaled_with_pid, 10, range(8), jobs=2))
    assert [value for value, _ in results] == [n * 10 for n in range(8)]
    pids = [pid for _, pid in results]
    assert os.getpid() not in pids
    if sys.platform == "linux":  # forked workers are replaced every 3 chunks
        assert not set(pids[:3]) & set(pids[3:6]) and not set(pids[3:6]) & set(pids[6:])


def test_one_job_or_one_chunk_runs_here() -> None:
    assert list(ordered_map(_scaled_with_pid, 2, [5], jobs=2)) == [(10, os.getpid())]
    assert [v for v, _ in ordered_map(_scaled_with_pid, 2, [1, 2], jobs=1)] == [2, 4]

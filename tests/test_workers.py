from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

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


#: A program that maps a slow function over two workers, first printing their pids; run
#: as ``provenance scan`` would run it when given a command line argument ``cli``.
_STUCK_MAP = """
import os, sys, time
from provenance import scanning as pipeline
from provenance import workers
from provenance.cli import main

def slow(context, chunk):
    os.write(1, f"{os.getpid()}\\n".encode())  # one write: the workers print at once
    time.sleep(60)

def stuck_scan(*args, **kwargs):
    list(workers.ordered_map(slow, None, range(4), jobs=2))

if sys.argv[1] == "cli":
    pipeline.scan = stuck_scan
    main(["scan", "--no-index", "--quiet", sys.argv[2]])
else:
    stuck_scan()
"""


def _start_stuck_map(tmp_path: Path, how: str) -> tuple[subprocess.Popen[str], list[int]]:
    """The program above, started, and the pids of its two workers once both are busy."""
    (tmp_path / "a.txt").write_text("Some words for an article to hold.", encoding="utf-8")
    program = subprocess.Popen([sys.executable, "-c", _STUCK_MAP, how, str(tmp_path)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert program.stdout is not None
    return program, [int(program.stdout.readline()) for _ in range(2)]


def _gone(pid: int) -> bool:
    """Has process ``pid`` ended (and been reaped, or become a zombie)?"""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] == "Z"
    except FileNotFoundError:
        return True


def _all_gone(pids: list[int], within: float = 10.0) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if all(_gone(pid) for pid in pids):
            return True
        time.sleep(0.05)
    return False


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc")
def test_workers_end_when_their_parent_is_killed(tmp_path: Path) -> None:
    program, pids = _start_stuck_map(tmp_path, "library")
    program.kill()  # kill -9: the parent cleans up nothing
    program.wait()
    assert _all_gone(pids), "workers outlived their parent"


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc")
def test_sigterm_stops_the_run_and_its_workers_as_ctrl_c_does(tmp_path: Path) -> None:
    program, pids = _start_stuck_map(tmp_path, "cli")
    program.terminate()
    _, err = program.communicate(timeout=30)
    assert program.returncode == 128 + signal.SIGTERM
    assert err.strip() == "Terminated." and "Traceback" not in err
    assert _all_gone(pids, within=2.0)  # stopped by the parent, not left to finish

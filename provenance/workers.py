"""Work spread over processes: an ordered map over chunks of work.

Each worker process receives, once when it starts, a *context*: the read-only data every
chunk needs (the articles, the term weights). On Linux the workers are forked and inherit
it without a copy being pickled. Each chunk is then a small description of work
(a range of articles, a list of pairs), and results come back in the order of the chunks,
so the outcome does not depend on how many processes there are or which finishes first.
With one job, everything runs in this process.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import itertools
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

Context = TypeVar("Context")
Chunk = TypeVar("Chunk")
Result = TypeVar("Result")

#: Chunks one set of workers takes before fresh ones replace them. A forked worker still
#: writes to what it reads of its parent's memory (reference counts), and so gets its own
#: copy of each page of objects it reads, held until it exits: a worker that lasted a whole
#: stage would copy much of its parent's heap. Forking again costs a few milliseconds.
CHUNKS_PER_POOL = 256

#: The context of this worker process, set once by :func:`_install` when it starts. Only
#: worker processes set it; it lives as long as the process does.
_worker_context: Any = None
#: Linux's prctl option that has the kernel signal a process when its parent dies.
_PR_SET_PDEATHSIG = 1
#: Seconds between two looks at whether the parent lives, where the kernel cannot be asked
#: to tell (not Linux).
_PARENT_WATCH_INTERVAL = 1.0


def available_cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def chunk_spans(count: int, size: int) -> list[tuple[int, int]]:
    """``(start, end)`` spans of ``size`` covering ``range(count)``: chunks of work."""
    return [(start, min(start + size, count)) for start in range(0, count, size)]


def ordered_map(function: Callable[[Context, Chunk], Result], context: Context,
                chunks: Iterable[Chunk], jobs: int) -> Iterator[Result]:
    """``function(context, chunk)`` for each chunk, in order, over ``jobs`` processes (in
    this one when there is only one chunk: starting workers would cost more)."""
    chunks = list(chunks)
    if jobs <= 1 or len(chunks) <= 1:
        for chunk in chunks:
            yield function(context, chunk)
        return
    # Fork where it is safe (Linux); elsewhere (macOS, Windows) the platform's default
    # start method, which pickles the context once per worker.
    forking = sys.platform == "linux"
    start = multiprocessing.get_context("fork" if forking else None)
    # Workers that do not fork copy nothing as they go, and each new one costs a pickled
    # context: they last the whole map.
    per_pool = CHUNKS_PER_POOL if forking else len(chunks)
    release_free_memory()
    try:
        for first in range(0, len(chunks), per_pool):
            batch = chunks[first:first + per_pool]
            # Forked workers share this process's memory until they write to it, and the
            # garbage collector's passes would write to every object (copying the whole
            # heap into each worker): frozen objects are left out of its passes.
            gc.freeze()
            pool = ProcessPoolExecutor(min(jobs, len(batch)), mp_context=start,
                                       initializer=_install, initargs=(context, os.getpid()))
            try:
                yield from pool.map(_call, itertools.repeat(function), batch)
            except BaseException:  # an error, an interrupt, or the caller stopped early
                _stop(pool)
                raise
            pool.shutdown()
    finally:
        gc.unfreeze()


def _stop(pool: ProcessPoolExecutor) -> None:
    """Stop ``pool`` and its workers at once: the work they are doing is not wanted (the
    map failed, was interrupted, or was abandoned), and waiting for it could take minutes."""
    # The executor keeps its processes to itself; Python 3.14 adds terminate_workers().
    workers = list(getattr(pool, "_processes", {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for worker in workers:
        worker.kill()


def release_free_memory() -> None:
    """Hand the heap's free pages back to the system (glibc's ``malloc_trim``), where there
    is one to ask: memory an earlier stage freed stays resident otherwise (the large arrays
    of the next stage are mapped apart from the heap, so they do not reuse it), and every
    forked worker would count its share of it."""
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to ask
        ctypes.CDLL(None).malloc_trim(0)  # the C library is loaded in every Python


def _install(context: Any, parent: int) -> None:
    """Start a worker: keep ``context``, and die with the ``parent`` process."""
    global _worker_context
    _worker_context = context
    # Interrupts are the parent's to handle (it stops the workers); a SIGTERM ends the
    # worker, whatever handler the parent had set before it forked.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _die_with(parent)


def _die_with(parent: int) -> None:
    """End this process when the ``parent`` process ends (a kill -9 of it, say): a worker
    left behind would wait for work forever, holding the parent's files open."""
    if sys.platform == "linux":
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
            if os.getppid() != parent:  # it died before the kernel was asked
                os._exit(1)
            return
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        threading.Event().wait(_PARENT_WATCH_INTERVAL)
    os._exit(1)


def _call(function: Callable[[Any, Chunk], Result], chunk: Chunk) -> Result:
    return function(_worker_context, chunk)

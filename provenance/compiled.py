"""Compiled inner loops: when a process runs them, and the one way they are called.

A kernel is a plain Python loop over numpy arrays (a dynamic program whose every cell
depends on its neighbours, a merge of two sorted arrays, a hash table's probes), which numpy
can only run a row or a value at a time. numba compiles it to machine code, cached on disk
(``cache=True``). Each kernel lives beside its caller, in the stage that uses it, as a
:class:`Kernel`: the loop and, where there is one, its *twin*, the same program in numpy
(the same arithmetic in the same order: bit-identical answers, which a test of each holds).

Loading numba and the cached code still takes most of a second, more than a few hundred rows
of numpy cost, so a process answers its first calls with the twins, and loads the compiled
loops only once it has shown it has many calls to make (:func:`compiling`), or meets one
dynamic program large enough to pay for the load at once (:func:`compiling_for`). A
`provenance check` of one article never loads them; a scan of thousands of pairs does at
once (:func:`use_compiled`, before its workers fork, so that they share one copy). A kernel
without a twin always runs compiled: its caller chooses a numpy algorithm of its own, by
:func:`compiling`, where one is worth having.
"""

from __future__ import annotations

import functools
import itertools
import types
from collections.abc import Callable, Sequence
from typing import Any, Generic, ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")

#: Calls a process answers with the twins before it loads the compiled loops: more than a
#: `check` of one article makes (its candidates' alignments and the index's lookups), so
#: that a first run, with no compiled code cached, compiles nothing.
CALLS_BEFORE_COMPILING = 1_000
#: Cells of one dynamic program worth loading the compiled loops for at once: numpy's row at
#: a time costs 5 to 7 ns a cell, the compiled loop about 0.6, and loading it half a second.
#: Two 10,000-word articles make such a call; two news stories a four-hundredth.
CELLS_WORTH_COMPILING = 100_000_000
#: Calls made in this process so far: says when to switch, never changes an answer.
_calls = itertools.count()


def use_compiled() -> None:
    """Answer every call from now on with the compiled loops: for a process about to make
    many calls, or to fork workers that will (loaded before the fork, the code is shared by
    all, not loaded by each: about 120 MB apiece)."""
    global _calls
    _calls = itertools.count(CALLS_BEFORE_COMPILING)


def compiling() -> bool:
    """Has this process made calls enough to answer this one compiled? (It counts the
    call.)"""
    return next(_calls) >= CALLS_BEFORE_COMPILING


def compiling_for(cells: int) -> bool:
    """:func:`compiling`, for a dynamic program of ``cells`` cells: one that large loads the
    compiled loops at once (and every later call uses them)."""
    if cells >= CELLS_WORTH_COMPILING:
        use_compiled()
    return compiling()


def _counted(*args: Any, **kwargs: Any) -> bool:
    return compiling()


class Kernel(Generic[P, R]):
    """A loop to compile and its numpy twin, called as one function.

    Called, it answers with the compiled loop where ``when(*args)`` says so (by default
    :func:`compiling`: once this process has made calls enough), else with the twin; a
    kernel without a twin always runs compiled. ``helpers``: functions the loop calls,
    compiled with it (numba compiles a call only to a compiled function); the module keeps
    its Python ones."""

    def __init__(self, loop: Callable[P, Any], twin: Callable[P, R] | None = None,
                 when: Callable[P, bool] = _counted,
                 helpers: Sequence[Callable[..., Any]] = ()) -> None:
        self.loop = loop
        self.twin = twin
        self.when = when
        self.helpers = tuple(helpers)
        functools.update_wrapper(self, loop)

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R:
        if self.twin is not None and not self.when(*args, **kwargs):
            return self.twin(*args, **kwargs)
        result: R = self.compiled(*args, **kwargs)
        return result

    @functools.cached_property
    def compiled(self) -> Callable[..., Any]:
        """The loop, compiled (loading numba and the cached code the first time)."""
        import numba

        # The loop and its helpers see one namespace, the module's with the helpers
        # compiled in it: numba resolves their calls when it compiles them, at first call.
        namespace = dict(self.loop.__globals__)
        for helper in self.helpers:
            namespace[helper.__name__] = numba.njit(cache=True, nogil=True)(
                _rebound(helper, namespace))
        compiled: Callable[..., Any] = numba.njit(cache=True, nogil=True)(
            _rebound(self.loop, namespace))
        return compiled


def _rebound(function: Callable[..., Any], namespace: dict[str, Any]) -> Callable[..., Any]:
    """``function`` reading its globals from ``namespace``."""
    rebound = types.FunctionType(function.__code__, namespace, function.__name__,
                                 function.__defaults__, function.__closure__)
    rebound.__qualname__ = function.__qualname__
    return rebound

"""How long work says how far it has got: the callback every stage reports to."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

Result = TypeVar("Result")


#: Called as ``progress(stage, done, total)`` while a stage runs.
Progress = Callable[[str, int, int], None]


def no_progress(stage: str, done: int, total: int) -> None:
    """The default progress callback: says nothing."""


def reported(results: Iterable[Result], stage: str, total: int, chunk: int,
             progress: Progress) -> Iterator[Result]:
    """``results``, one for each chunk of ``chunk`` of ``total`` items, reported to
    ``progress`` as they come."""
    for number, result in enumerate(results, 1):
        progress(stage, min(number * chunk, total), total)
        yield result


def ignore(message: str) -> None:
    """The default for what a workflow would tell its user (a warning, say): nothing."""

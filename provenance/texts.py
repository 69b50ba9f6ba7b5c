"""Article texts kept out of memory: written to a temporary file as they are loaded, and read
back each time one is asked for.

A million articles' texts are about 3 GB as Python strings, more than everything else a scan
holds. Spooled, an article costs 8 bytes of offset in memory; its text is decoded from the
operating system's page cache whenever a stage reads it (a few microseconds for a news
article), and worker processes read it themselves, by offset, instead of copying their
parent's pages.

The file is in the temporary folder (``TMPDIR``). Where that folder is a RAM disk (tmpfs),
the texts stay in memory, out of the process's: point ``TMPDIR`` at a disk to move them out.
Where a file cannot be read at an offset without moving its position (Windows), texts are
not spooled.
"""

from __future__ import annotations

import os
import sys
import tempfile
import weakref
from array import array
from dataclasses import fields
from typing import Any, BinaryIO

from .errors import SpoolError
from .model import Article

#: Texts are UTF-8 in the spool; a lone surrogate (which JSON can escape) passes through.
_ERRORS = "surrogatepass"
#: Where a file can be read by the name of an open descriptor (``/proc/PID/fd/N``), the
#: spool's name is removed as soon as it is made.
UNLINKED_AT_ONCE = sys.platform == "linux"
#: Texts are spooled where a file can be read at an offset by several processes at once
#: (``os.pread``: Linux, macOS); elsewhere (Windows) they stay in memory.
SPOOLING = hasattr(os, "pread")


def new_spool() -> TextSpool | None:
    """A spool for the texts about to be loaded, or None where texts are not spooled."""
    return TextSpool() if SPOOLING else None


class TextSpool:
    """Texts appended to a temporary file, read back by the position :meth:`append` gave.

    The file is removed when the spool is no longer used (or when the program exits; on
    Linux, its name as soon as it is made). A spool passed to a spawned worker process opens
    the same file to read."""

    def __init__(self, directory: str | None = None) -> None:
        try:
            handle, self._path = tempfile.mkstemp(prefix="provenance-", suffix=".texts",
                                                  dir=directory)
        except OSError as err:
            raise _spool_error(err, directory) from err
        self._file: BinaryIO = os.fdopen(handle, "wb")
        #: Where each text starts, then where the last one ends.
        self._bounds = array("q", [0])
        self._unwritten = False
        removed_at_exit: str | None = self._path
        if UNLINKED_AT_ONCE:
            # The open file lives on without its name, so nothing is left behind however
            # the process ends (the OOM killer, a kill -9); other processes open it by the
            # name /proc gives its descriptor.
            os.unlink(self._path)
            self._path, removed_at_exit = f"/proc/{os.getpid()}/fd/{handle}", None
        # Removed by the process that made it (a forked worker, exiting, leaves it be).
        self._closed: weakref.finalize[Any, Any] = weakref.finalize(
            self, _close, self._file, removed_at_exit, os.getpid())

    def append(self, text: str) -> int:
        """Spool ``text``; returns its position."""
        data = text.encode("utf-8", _ERRORS)
        try:
            self._file.write(data)
        except OSError as err:
            raise _spool_error(err, os.path.dirname(self._path)) from err
        self._bounds.append(self._bounds[-1] + len(data))
        self._unwritten = True
        return len(self._bounds) - 2

    def __len__(self) -> int:
        return len(self._bounds) - 1

    def flush(self) -> None:
        """Write out what is buffered: before worker processes are forked, which would each
        write it again."""
        if self._unwritten:
            try:
                self._file.flush()
            except OSError as err:
                raise _spool_error(err, os.path.dirname(self._path)) from err
            self._unwritten = False

    def __getitem__(self, position: int) -> str:
        self.flush()
        start, end = self._bounds[position], self._bounds[position + 1]
        return os.pread(self._file.fileno(), end - start, start).decode("utf-8", _ERRORS)

    def __getstate__(self) -> dict[str, Any]:
        self.flush()
        return {"path": self._path, "bounds": self._bounds}

    def __setstate__(self, state: dict[str, Any]) -> None:
        # A reader's copy, in another process: it neither writes nor removes the file.
        self._path, self._bounds = state["path"], state["bounds"]
        self._file = open(self._path, "rb")  # noqa: SIM115 (closed with the spool)
        self._unwritten = False
        self._closed = weakref.finalize(self, self._file.close)


def _spool_error(err: OSError, directory: str | None) -> SpoolError:
    return SpoolError(f"cannot keep the articles' texts in {directory or tempfile.gettempdir()}"
                      f" ({err.strerror}): they are written to the temporary folder as they "
                      "are read, about their size on disk; set TMPDIR to a folder with room")


def _close(file: BinaryIO, path: str | None, owner: int) -> None:
    if os.getpid() == owner:
        file.close()
        if path is not None:
            os.unlink(path)


#: The fields a spooled article holds itself: all but its text.
_METADATA = tuple(field.name for field in fields(Article) if field.name != "text")


class SpooledArticle(Article):
    """An :class:`Article` whose text waits in a :class:`TextSpool` until it is read: the
    same fields, equal to the :class:`Article` it was made from, its ``text`` read back on
    each use."""

    __slots__ = ("_position", "_spool")
    _spool: TextSpool
    _position: int

    def __init__(self, article: Article, spool: TextSpool) -> None:
        for name in _METADATA:
            object.__setattr__(self, name, getattr(article, name))
        object.__setattr__(self, "_spool", spool)
        object.__setattr__(self, "_position", spool.append(article.text))

    def __getstate__(self) -> tuple[Any, ...]:
        return (*(getattr(self, name) for name in _METADATA), self._spool, self._position)

    def __setstate__(self, state: tuple[Any, ...]) -> None:
        for name, value in zip((*_METADATA, "_spool", "_position"), state, strict=True):
            object.__setattr__(self, name, value)

    @property
    def text(self) -> str:
        return self._spool[self._position]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Article):
            return NotImplemented
        return _compared(self) == _compared(other)

    __hash__ = Article.__hash__


def _compared(article: Article) -> tuple[Any, ...]:
    """What :class:`Article`'s equality compares."""
    return tuple(getattr(article, field.name) for field in fields(Article) if field.compare)


def in_memory(article: Article) -> Article:
    """``article`` as a plain :class:`Article`, its text read into memory: what
    :func:`dataclasses.replace` needs, as it cannot make a spooled article."""
    if type(article) is Article:
        return article
    return Article(**{field.name: getattr(article, field.name) for field in fields(Article)})

"""Temporary files for what a large scan sets aside until it is needed again: records (bytes)
appended one after the other, read back by the position they were given, by this process or
by its workers.

A million articles' texts are about 3 GB as Python strings, and their judged pairs, with all
their evidence, as much again; spooled, each costs 8 bytes of offset in memory, and is read
back from the operating system's page cache when a stage asks for it (a few microseconds).

The files are in the temporary folder (``TMPDIR``). Where that folder is a RAM disk (tmpfs),
what is spooled stays in memory, out of the process's: point ``TMPDIR`` at a disk to move it
out. Where a file cannot be read at an offset without moving its position (Windows), records
are kept in memory instead (:func:`new_records`).
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
import weakref
from array import array
from typing import Any, BinaryIO, Protocol

from provenance.errors import SpoolError

#: Where a file can be read by the name of an open descriptor (``/proc/PID/fd/N``), a
#: spool's name is removed as soon as it is made.
UNLINKED_AT_ONCE = sys.platform == "linux"
#: Records are spooled where a file can be read at an offset by several processes at once
#: (``os.pread``: Linux, macOS); elsewhere (Windows) they stay in memory.
SPOOLING = hasattr(os, "pread")


class Records(Protocol):
    """Records appended one after the other and read back by position."""

    def append(self, data: bytes) -> int: ...

    def __getitem__(self, position: int) -> bytes: ...

    def __len__(self) -> int: ...

    def flush(self) -> None: ...

    def truncate(self, length: int) -> None: ...


def new_records(what: str, directory: str | None = None) -> Records:
    """A :class:`Spool` of ``what`` (named in its errors), or records in memory where files
    cannot be spooled."""
    return Spool(what, directory) if SPOOLING else InMemoryRecords()


class InMemoryRecords:
    """Records held in a list: where files are not spooled."""

    def __init__(self) -> None:
        self._records: list[bytes] = []

    def append(self, data: bytes) -> int:
        """Keep ``data``; returns its position."""
        self._records.append(data)
        return len(self._records) - 1

    def __getitem__(self, position: int) -> bytes:
        return self._records[position]

    def __len__(self) -> int:
        return len(self._records)

    def flush(self) -> None:
        """Nothing to write out."""

    def truncate(self, length: int) -> None:
        """Keep only the first ``length`` records."""
        del self._records[length:]


class Spool:
    """Records appended to a temporary file, read back by the position :meth:`append` gave.

    The file is removed when the spool is no longer used (or when the program exits; on
    Linux, its name as soon as it is made). A spool passed to a spawned worker process opens
    the same file to read."""

    def __init__(self, what: str, directory: str | None = None) -> None:
        #: What is spooled, and where: for the errors (the file may have no name of its own).
        self._what, self._directory = what, directory or tempfile.gettempdir()
        try:
            handle, self._path = tempfile.mkstemp(prefix="provenance-", suffix=".spool",
                                                  dir=directory)
        except OSError as err:
            raise spool_error(err, what, self._directory) from err
        self._file: BinaryIO = os.fdopen(handle, "wb")
        #: Where each record starts, then where the last one ends.
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

    def append(self, data: bytes) -> int:
        """Spool ``data``; returns its position."""
        try:
            self._file.write(data)
        except OSError as err:
            raise spool_error(err, self._what, self._directory) from err
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
                raise spool_error(err, self._what, self._directory) from err
            self._unwritten = False

    def truncate(self, length: int) -> None:
        """Keep only the first ``length`` records: the next one is written where they end."""
        end = self._bounds[length]
        try:
            self._file.flush()
            self._file.seek(end)
            self._file.truncate()
        except OSError as err:
            raise spool_error(err, self._what, self._directory) from err
        del self._bounds[length + 1:]
        self._unwritten = False

    def __getitem__(self, position: int) -> bytes:
        self.flush()
        start, end = self._bounds[position], self._bounds[position + 1]
        data = os.pread(self._file.fileno(), end - start, start)
        if len(data) != end - start:
            raise SpoolError(f"the temporary file of {self._what} was cut short (in "
                             f"{self._directory}): was the disk full?")
        return data

    def __getstate__(self) -> dict[str, Any]:
        self.flush()
        return {"what": self._what, "directory": self._directory, "path": self._path,
                "bounds": self._bounds}

    def __setstate__(self, state: dict[str, Any]) -> None:
        # A reader's copy, in another process: it neither writes nor removes the file.
        self._what, self._directory = state["what"], state["directory"]
        self._path, self._bounds = state["path"], state["bounds"]
        self._file = open(self._path, "rb")  # noqa: SIM115 (closed with the spool)
        self._unwritten = False
        self._closed = weakref.finalize(self, self._file.close)


def spool_error(err: OSError, what: str, directory: str | None) -> SpoolError:
    """The error to raise when ``what`` cannot be spooled to ``directory`` (the temporary
    folder when None)."""
    return SpoolError(f"cannot keep {what} in {directory or tempfile.gettempdir()} "
                      f"({err.strerror}): they are written to the temporary folder as the "
                      "scan goes, about their size on disk; set TMPDIR to a folder with room")


def _close(file: BinaryIO, path: str | None, owner: int) -> None:
    if os.getpid() == owner:
        # What is still buffered is not wanted: the spool is done with. Closing writes it,
        # and would fail again where a write failed (a full disk).
        with contextlib.suppress(OSError):
            file.close()
        if path is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)

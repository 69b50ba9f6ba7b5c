"""Listing the article files of a corpus folder: its ``.txt`` and ``.md`` files, recursively,
by the ids their articles get (their paths relative to the folder).

Hidden files and folders are passed over, and links to folders are not followed. Whatever
else is named as an article but cannot be read as one is skipped with the reason, never
passed over in silence: a subfolder that cannot be listed (no permission, a path longer
than the system takes), a link whose target is missing, a FIFO or a device.

A file reached by several paths in a folder (through a link) is listed once, under the id
of the first path to reach it, in order of path; :meth:`FolderFiles.real_path` lets a
reader of several folders do the same across them.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from provenance.errors import InputError

TEXT_SUFFIXES = (".txt", ".md")
#: What :func:`kind` says of a folder and of a regular file (links followed).
FOLDER, FILE = "folder", "file"
#: The other kinds of file a path may name, by :func:`stat.S_IFMT`.
_SPECIAL = {stat.S_IFIFO: "a FIFO", stat.S_IFCHR: "a character device",
            stat.S_IFBLK: "a block device", stat.S_IFSOCK: "a socket"}


@dataclass(frozen=True)
class FolderFiles:
    """The article files of a folder by id, in order of path, and the entries under it that
    were skipped, by the same ids (``""`` for the folder itself)."""

    files: dict[str, str]
    skipped: dict[str, InputError]
    #: The folder's real path (its links resolved).
    root: str
    #: The real path of each file listed that is reached through a link, by id.
    links: dict[str, str]

    def real_path(self, article_id: str) -> str:
        """The real path of the entry ``article_id``: one for each file, whatever the paths
        that reach it."""
        if article_id in self.links:
            return self.links[article_id]
        return os.path.normpath(os.path.join(self.root, article_id))


def article_files(folder: Path) -> FolderFiles:
    """The article files ``folder`` holds, and what under it was skipped.

    Plain strings, not :class:`Path` objects: for a folder of many files, making and sorting
    these would take most of the time."""
    found: list[tuple[str, str]] = []
    links: dict[str, str] = {}
    skipped: dict[str, InputError] = {}
    pending = [(str(folder), "")]
    while pending:
        place, prefix = pending.pop()
        try:
            entries = _entries(place)
        except OSError as err:
            skipped[prefix.rstrip("/")] = InputError(f"cannot list the folder: {err.strerror}",
                                                     shown_path(place))
            continue
        for entry in entries:
            article_id, what = prefix + entry.name, _entry_kind(entry)
            if what == FOLDER:
                pending.append((entry.path, f"{article_id}/"))
            elif what == FILE:
                found.append((article_id, entry.path))
                if entry.is_symlink():
                    links[article_id] = os.path.realpath(entry.path)
            elif what is not None:
                skipped[article_id] = InputError(what, shown_path(entry.path))
    listing = FolderFiles(dict(sorted(found, key=_path_order)), dict(sorted(
        skipped.items(), key=_path_order)), os.path.realpath(folder), links)
    return _each_file_once(listing) if links else listing


def _entries(place: str) -> list[os.DirEntry[str]]:
    """The entries of the folder ``place`` that are not hidden; os.scandir tells files from
    folders without a call per file."""
    with os.scandir(place) as entries:
        return [entry for entry in entries if not entry.name.startswith(".")]


def _entry_kind(entry: os.DirEntry[str]) -> str | None:
    """:data:`FOLDER` for a subfolder to list, :data:`FILE` for an article file, None for an
    entry passed over (not named as an article), else why an entry named as one is
    skipped."""
    try:
        if entry.is_dir(follow_symlinks=False):
            return FOLDER
        if not entry.name.lower().endswith(TEXT_SUFFIXES):
            return None
        if entry.is_file():
            return FILE
        what = kind(entry.path)
    except OSError as err:
        return f"cannot read: {err.strerror}"
    if what == FOLDER:
        return "a link to a folder (links to folders are not followed)"
    return what or "gone since the folder was listed"


def _path_order(item: tuple[str, object]) -> list[str]:
    """Sorts by path, a folder's entries together (``a/b`` before ``a-c``)."""
    return item[0].split("/")


def _each_file_once(listing: FolderFiles) -> FolderFiles:
    """``listing`` without the files that an earlier id of it reaches too (through links)."""
    targets = set(listing.links.values())
    seen: set[str] = set()
    files = {}
    for article_id, path in listing.files.items():
        real = listing.real_path(article_id)
        if real in targets:
            if real in seen:
                continue
            seen.add(real)
        files[article_id] = path
    return FolderFiles(files, listing.skipped, listing.root,
                       {i: real for i, real in listing.links.items() if i in files})


def kind(path: str) -> str | None:
    """:data:`FOLDER` or :data:`FILE` where ``path`` (its links followed) is one; None where
    there is nothing there at all; otherwise why it is neither, to skip it with."""
    try:
        mode = os.stat(path).st_mode
    except OSError as err:
        if err.errno not in (errno.ENOENT, errno.ENOTDIR):
            return f"cannot read: {err.strerror}"
        if not os.path.islink(path):
            return None
        return f"a broken link (its target, {shown_path(os.readlink(path))}, is missing)"
    if stat.S_ISDIR(mode):
        return FOLDER
    if stat.S_ISREG(mode):
        return FILE
    return f"not a regular file ({_SPECIAL.get(stat.S_IFMT(mode), 'a special file')})"


def shown_path(path: str) -> str:
    """``path`` as text that any output can hold: where a file name's bytes are not UTF-8
    (Python decodes them to lone surrogates), as ``\\xe9`` escapes of those bytes."""
    try:
        return os.fsencode(path).decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # a lone surrogate that stands for no byte
        return path.encode("utf-8", "backslashreplace").decode("utf-8")

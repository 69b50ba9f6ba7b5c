"""Keeping the index of a corpus folder up to date, reading only the files that changed.

`provenance check` runs on every pull request against an index that a CI cache restores,
often one saved before the latest merges. Before it looks anything up it brings that index
up to date with the corpus folder: articles whose files were added or changed are indexed,
those whose files are gone are removed. Reading every file each time would cost as much as a
build, so the index keeps each file's state as last read (:class:`~.store.FileState`):

- a file of the same size and modification time is taken as unchanged, unread;
- otherwise its bytes are hashed, and a file of the same digest is unchanged too (a fresh
  git checkout gives every file a new time, and only this pass over the bytes);
- the rest are read as articles; of those, only the ones whose content hash differs from the
  index's (text, body, metadata) are fingerprinted again.

A time too close to now is not trusted (a file written again within the clock's resolution
keeps its time): such a file is hashed again next time, as git does with "racily clean"
entries.

:func:`open_up_to_date` opens the index as `check` needs it: built when missing or made by
another version, brought up to date, and read as it is where it cannot be written.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path

import xxhash

from provenance.attribution.agencies import Registry, load_registry
from provenance.attribution.credits import CreditFinder
from provenance.config import Parameters
from provenance.errors import IndexMismatchError, IndexPlaceError
from provenance.model import Skipped
from provenance.progress import Progress, no_progress
from provenance.results import IndexUpdate
from provenance.store.entries import changed_articles, fingerprinted_entries
from provenance.store.index import FileState, Index
from provenance.text.articles import sorted_by_id
from provenance.text.bodies import article_bodies
from provenance.text.corpus import load_folder_files
from provenance.text.folders import article_files

#: A modification time this close to now may yet be shared by a later write.
RACY_NS = 2_000_000_000
#: Stored for a time not trusted: matches no file's.
UNTRUSTED_MTIME = -1
#: Files compared between two reports of progress.
COMPARING_REPORT = 10_000


def refresh_folder_index(folder: Path, index: Index, params: Parameters | None = None,
                         registry: Registry | None = None,
                         progress: Progress = no_progress) -> IndexUpdate:
    """Bring ``index`` up to date with the article files of ``folder`` (articles named by
    their paths under it, as when the folder is read): index those added or changed, and
    remove the indexed articles read from text files that the folder no longer holds, or no
    longer holds as articles. Articles indexed from other inputs (.jsonl files) are left
    alone, whatever their ids. The update names what could not be read (skipped, as a scan
    skips it).

    The bodies of the articles read are found with each other for context, not the whole
    corpus (lines repeated across it are furniture): a `scan` indexes again any article
    whose body it finds otherwise."""
    params = params or Parameters()
    listing = article_files(folder)
    files = listing.files
    known = index.file_states()
    to_read, states = _files_to_read(files, known, progress)
    read = load_folder_files({i: files[i] for i in to_read}, progress=progress)
    skipped = (*map(Skipped.of, listing.skipped.values()), *read.skipped)
    loaded = sorted_by_id(read.articles)
    bodies = article_bodies(loaded, progress=progress)
    fresh, hashes = changed_articles(loaded, bodies, index.content_hashes(
        article.id for article in loaded))
    present = files.keys() - set(to_read) | {article.id for article in loaded}
    removed = [article_id for article_id in known if article_id not in present]
    states = {article_id: state for article_id, state in states.items()
              if article_id in present}
    if not (fresh or removed or states):  # as a rule: no write, no wait for one
        return IndexUpdate((), (), (), index.count(), skipped)
    finder = CreditFinder(registry or load_registry())
    return replace(index.add(fingerprinted_entries(loaded, bodies, fresh, params, finder,
                                                   progress, [hashes[n] for n in fresh]),
                             remove=removed, files=states), skipped=skipped)


def open_up_to_date(index_file: Path, corpus: Path, params: Parameters, registry: Registry,
                    progress: Progress, say: Callable[[str], None]) -> Index:
    """The index at ``index_file``, open, brought up to date with the ``corpus`` folder
    (built when missing, rebuilt when made by another version or with other parameters), as
    `provenance check` needs it; ``say`` is told what changed. An index that cannot be
    written (a read-only disk, a full one) is read as it is, with a warning, unless it holds
    nothing. ``say`` is told too of each corpus input that could not be read."""
    stale = _stale_index(index_file, params)
    if stale:
        say(f"{stale}: indexing {corpus} first.")
    index: Index | None = None
    try:
        index = Index.open(index_file, params)
        update = refresh_folder_index(corpus, index, params, registry, progress)
    except BaseException as err:
        if index is not None:
            index.close()
        # Not writable (a read-only disk), or not now (a full one: the update was rolled
        # back): an index there may still be read as it is.
        if isinstance(err, IndexPlaceError) and not stale:
            return _as_it_is(index_file, params, corpus, err, say)
        raise
    for item in update.skipped:
        say(str(item))
    if not stale and (update.added or update.changed or update.removed):
        say(f"Index brought up to date with {corpus}: {len(update.added)} added, "
            f"{len(update.changed)} changed, {len(update.removed)} removed.")
    return index


def _as_it_is(index_file: Path, params: Parameters, corpus: Path, problem: IndexPlaceError,
              say: Callable[[str], None]) -> Index:
    """The index at ``index_file``, open to be read as it is, as it cannot be written
    (``problem`` says why); ``problem`` raised where it holds nothing to check against."""
    index = Index.open(index_file, params, on_mismatch="fail")
    if not index.count():
        index.close()
        raise problem
    say(f"Warning: {problem}; checking against it as it is (any article added to {corpus} "
        "since it was written is not in it).")
    return index


def _stale_index(index_file: Path, params: Parameters) -> str | None:
    """Why ``check`` must build the index at ``index_file`` from scratch, if it must: there
    is none, or the one there was made by another version or with other parameters. An
    index is derived data (a CI cache restores it after the tool is upgraded): rebuilt, not
    refused."""
    if not index_file.exists():
        return f"No index at {index_file}"
    try:
        Index.open(index_file, params, on_mismatch="fail").close()
    except IndexMismatchError as err:
        return f"The index at {index_file} was {err.problem}"
    return None


def _files_to_read(files: Mapping[str, str], known: Mapping[str, FileState],
                   progress: Progress) -> tuple[list[str], dict[str, FileState]]:
    """The ids of the ``files`` that may hold another article than the index's, and the new
    state of each file looked at more closely than by its size and time, where it differs
    from the ``known`` one."""
    now = time.time_ns()
    to_read: list[str] = []
    states: dict[str, FileState] = {}
    for done, (article_id, file) in enumerate(files.items(), start=1):
        if done % COMPARING_REPORT == 0:
            progress("comparing files", done, len(files))
        try:
            status = os.stat(file)
        except OSError:  # gone since it was listed: reading it says so
            to_read.append(article_id)
            continue
        last = known.get(article_id)
        if last and (last.size, last.mtime_ns) == (status.st_size, status.st_mtime_ns):
            continue
        try:
            with open(file, "rb") as opened:
                digest = xxhash.xxh3_128_digest(opened.read())
        except OSError:
            to_read.append(article_id)
            continue
        mtime_ns = status.st_mtime_ns if status.st_mtime_ns < now - RACY_NS \
            else UNTRUSTED_MTIME
        state = FileState(status.st_size, mtime_ns, digest)
        if state != last:
            states[article_id] = state
        if not last or last.digest != digest:
            to_read.append(article_id)
    progress("comparing files", len(files), len(files))
    return to_read, states

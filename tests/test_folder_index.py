from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest

from provenance.config import Parameters
from provenance.progress import no_progress
from provenance.store.entries import update_index
from provenance.store.folder import UNTRUSTED_MTIME, _files_to_read, refresh_folder_index
from provenance.store.index import UNREAD, FileState, Index
from provenance.text.corpus import load_corpus

from .conftest import ROOT

SEED = "003_553fd49de71b68a2.txt"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A copy of the sample corpus, its files dated a minute back (a time to be trusted)."""
    shutil.copytree(ROOT / "corpus", tmp_path / "corpus")
    for file in (tmp_path / "corpus").iterdir():
        _age(file)
    return tmp_path / "corpus"


def _age(file: Path, seconds: float = 60) -> None:
    then = time.time() - seconds
    os.utime(file, (then, then))


def _refresh(folder: Path, index_path: Path) -> tuple[tuple[str, ...], tuple[str, ...],
                                                         tuple[str, ...], int]:
    with Index.open(index_path, Parameters()) as index:
        update = refresh_folder_index(folder, index)
    return update.added, update.changed, update.removed, update.unchanged


def test_a_file_is_read_again_only_when_its_size_time_or_bytes_may_have_changed(
        folder: Path) -> None:
    seed = folder / SEED
    status = seed.stat()
    known = {SEED: FileState(status.st_size, status.st_mtime_ns, b"digest of other bytes")}

    def read(known: dict[str, FileState]) -> tuple[list[str], dict[str, FileState]]:
        return _files_to_read({SEED: str(seed)}, known, no_progress)

    assert read(known) == ([], {})  # same size and time: not even hashed
    to_read, states = read({})  # never read: hashed and read
    assert to_read == [SEED] and states[SEED].mtime_ns == status.st_mtime_ns
    _age(seed, 30)  # touched (a fresh checkout): hashed, the same bytes, not read
    to_read, touched = read({SEED: states[SEED]})
    assert to_read == [] and touched[SEED].digest == states[SEED].digest
    assert touched[SEED].mtime_ns == seed.stat().st_mtime_ns != status.st_mtime_ns
    seed.write_text(seed.read_text(encoding="utf-8") + "One more line.\n", encoding="utf-8")
    soon = time.time_ns() + 10**10  # however slow the test, a time too close to trust
    os.utime(seed, ns=(soon, soon))
    to_read, changed = read({SEED: touched[SEED]})
    assert to_read == [SEED]
    assert changed[SEED].mtime_ns == UNTRUSTED_MTIME
    assert read(changed) == ([], {})  # hashed again, the same bytes: not read


def test_a_refresh_indexes_what_was_added_or_changed_and_drops_what_is_gone(
        folder: Path, tmp_path: Path) -> None:
    index_path = tmp_path / "index.db"
    added, changed, removed, unchanged = _refresh(folder, index_path)
    assert len(added) == 5 and not changed and not removed and unchanged == 0
    assert _refresh(folder, index_path) == ((), (), (), 5)

    shutil.copy(folder / SEED, folder / "copy.txt")
    others = sorted(p.name for p in folder.iterdir() if p.name not in (SEED, "copy.txt"))
    (folder / others[0]).write_text("A new text altogether, about something else.\n",
                                    encoding="utf-8")
    (folder / others[1]).unlink()
    (folder / others[2]).write_bytes(b"")  # no longer an article
    _age(folder / SEED)
    assert _refresh(folder, index_path) == (("copy.txt",), (others[0],),
                                            tuple(sorted(others[1:3])), 2)
    with Index.open(index_path, Parameters()) as index:
        assert set(index.file_states()) == {SEED, "copy.txt", others[0], others[3]}


def test_articles_indexed_from_other_inputs_are_left_alone_whatever_their_ids(
        folder: Path, tmp_path: Path) -> None:
    lines = tmp_path / "more.jsonl"
    lines.write_text(json.dumps({"id": "wire/1.txt", "text": "A story from a wire service, "
                                 "read from a JSON-lines file."}) + "\n", encoding="utf-8")
    index_path = tmp_path / "index.db"
    with Index.open(index_path, Parameters()) as index:
        update_index(load_corpus([folder, lines]).articles, index)  # as `scan` does
        # The articles of text files are known as such, their files' states not yet.
        assert index.file_states() == {p.name: UNREAD for p in folder.iterdir()}
    gone = sorted(p.name for p in folder.iterdir() if p.name != SEED)[0]
    (folder / gone).unlink()
    # Every file is read once, to learn its state; none is fingerprinted again.
    assert _refresh(folder, index_path) == ((), (), (gone,), 5)
    with Index.open(index_path, Parameters()) as index:
        assert len(index.file_states()) == 4 and UNREAD not in index.file_states().values()
        assert "wire/1.txt" in index.content_hashes()
    (folder / SEED).unlink()  # known by its state now
    assert _refresh(folder, index_path) == ((), (), (SEED,), 4)
    with Index.open(index_path, Parameters()) as index:
        assert index.count() == 4 and len(index.file_states()) == 3


def test_a_refresh_names_the_files_it_could_not_read_each_time(folder: Path, tmp_path: Path
                                                               ) -> None:
    (folder / "latin-1.txt").write_bytes(b"caf\xe9 au lait")
    os.mkfifo(folder / "pipe.txt")
    index_path = tmp_path / "index.db"
    for _ in range(2):  # never indexed, so never taken as unchanged
        with Index.open(index_path, Parameters()) as index:
            update = refresh_folder_index(folder, index)
        assert [(s.location, s.reason) for s in update.skipped] == [
            ((folder / "pipe.txt").as_posix(), "not a regular file (a FIFO)"),
            ((folder / "latin-1.txt").as_posix(), "not UTF-8 text (bad byte at offset 3)")]

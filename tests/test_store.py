from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import numpy as np
import pytest

from provenance.config import Parameters
from provenance.errors import IndexDamagedError, IndexFileError, IndexPlaceError
from provenance.model import Article
from provenance.scanning import scan
from provenance.store import rows as index_rows
from provenance.store.entries import update_index
from provenance.store.file import APPLICATION_ID, SCHEMA_VERSION
from provenance.store.index import Index, IndexEntry, blanked_spans
from provenance.text.corpus import load_corpus

from .conftest import ROOT, damage, prose

#: A child process that writes ``count`` synthetic articles into the index at ``path`` in
#: one update, printing "writing" just before the transaction starts.
WRITER = """
import sys
import numpy as np
from provenance.config import Parameters
from provenance.model import Article
from provenance.store.index import Index, IndexEntry
path, count, tag = sys.argv[1], int(sys.argv[2]), sys.argv[3]
rng = np.random.default_rng(len(tag))
entries = [IndexEntry(Article(f"{tag}-{n}", "word " * 400), bytes(16), (), (),
                      rng.integers(0, 2**63, 32, dtype=np.uint64),
                      rng.integers(0, 2**63, 100, dtype=np.uint64),
                      rng.integers(0, 2**63, 150, dtype=np.uint64)) for n in range(count)]
with Index.open(path, Parameters()) as index:
    print("writing", flush=True)
    index.update(entries, keep=())
print("done", flush=True)
"""


def corpus(folder: Path, count: int = 4) -> Path:
    folder.mkdir()
    for n in range(count):
        (folder / f"{n}.txt").write_text(prose(n, 300) + " " + prose(99, 80), encoding="utf-8")
    return folder


def scan_with_index(folder: Path, index_path: Path) -> object:
    with Index.open(index_path, Parameters()) as index:
        return scan(load_corpus([folder]).articles, index=index)


def test_a_rescan_fingerprints_only_what_changed(tmp_path: Path) -> None:
    folder, index_path = corpus(tmp_path / "c"), tmp_path / "index.db"
    first = scan_with_index(folder, index_path)
    assert first.index_update.added == ("0.txt", "1.txt", "2.txt", "3.txt")  # type: ignore[attr-defined]
    os.utime(folder / "1.txt")  # touched, same content: nothing to do
    assert scan_with_index(folder, index_path).index_update.fingerprinted == 0  # type: ignore[attr-defined]
    (folder / "2.txt").write_text(prose(7, 300), encoding="utf-8")
    (folder / "3.txt").unlink()
    update = scan_with_index(folder, index_path).index_update  # type: ignore[attr-defined]
    assert (update.added, update.changed, update.removed, update.unchanged) == (
        (), ("2.txt",), ("3.txt",), 2)
    with Index.open(index_path, Parameters()) as index:
        assert index.count() == len(index.content_hashes()) == 3


def test_results_are_the_same_with_and_without_an_index(tmp_path: Path) -> None:
    articles = load_corpus([ROOT / "corpus"]).articles
    index_path = tmp_path / "index.db"
    scan_with_index(ROOT / "corpus", index_path)  # fill it
    with Index.open(index_path, Parameters()) as index:
        from_index = scan(articles, index=index)
    assert from_index.index_update.fingerprinted == 0  # type: ignore[union-attr]
    assert from_index == scan(articles)


def test_a_scan_and_update_index_write_the_same_keys(tmp_path: Path) -> None:
    articles = load_corpus([ROOT / "corpus"]).articles
    ids = [article.id for article in articles]
    with Index.open(tmp_path / "scanned.db", Parameters()) as scanned, \
            Index.open(tmp_path / "updated.db", Parameters()) as updated:
        scan(articles, index=scanned)
        update_index(articles, updated)
        for table in ("bands", "samples", "words"):
            by_scan, by_update = scanned.keys(table, ids), updated.keys(table, ids)
            assert all(by_scan[i].size for i in ids), table
            assert all(np.array_equal(by_scan[i], by_update[i]) for i in ids), table


def test_an_index_made_with_other_parameters_is_refused_or_rebuilt(tmp_path: Path) -> None:
    index_path = tmp_path / "index.db"
    scan_with_index(corpus(tmp_path / "c"), index_path)
    other = Parameters(shingle_size=4)
    with pytest.raises(IndexFileError, match=r"other parameters \(shingle_size 5 here, 4 asked"):
        Index.open(index_path, other, on_mismatch="fail")
    with Index.open(index_path, other) as rebuilt:
        assert rebuilt.count() == 0
    with pytest.raises(IndexFileError, match="made with other parameters"):
        Index.open(index_path, Parameters(), on_mismatch="fail")


def test_a_file_that_is_not_an_index_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("not a database at all, just text " * 100, encoding="utf-8")
    with pytest.raises(IndexFileError, match="cannot open the index") as raised:
        Index.open(path, Parameters())
    assert not isinstance(raised.value, IndexDamagedError)  # not a database: not ours to move


@pytest.mark.parametrize("how", ["cut short", "overwritten"])
def test_a_damaged_index_says_so_when_opened_or_read(tmp_path: Path, how: str) -> None:
    index_path = tmp_path / "index.db"
    scan_with_index(corpus(tmp_path / "c"), index_path)
    damage(index_path, how)
    def read_it_all() -> None:
        with Index.open(index_path, Parameters(), on_mismatch="fail") as index:
            index.file_states()
            index.content_hashes()
            index.keys("bands", ["0.txt"])
            index.stored(index.spread(4))

    with pytest.raises(IndexDamagedError, match=r"index\.db: the index is damaged"):
        read_it_all()


@pytest.mark.parametrize("schema", [
    "CREATE TABLE notes (text TEXT); INSERT INTO notes VALUES ('keep me')",
    "CREATE TABLE meta (text TEXT); INSERT INTO meta VALUES ('keep me')",
    # Another program's schema versions, as an index keeps its own, beside its data.
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL); "
    "INSERT INTO meta VALUES ('schema_version', '7'); CREATE TABLE customers (name TEXT)",
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL); "
    f"INSERT INTO meta VALUES ('schema_version', '{SCHEMA_VERSION}')",
    "PRAGMA application_id = 42",  # another program's mark, on a database yet empty
])
def test_a_database_that_is_not_an_index_is_never_changed(tmp_path: Path, schema: str
                                                          ) -> None:
    path = tmp_path / "notes.db"
    with closing(sqlite3.connect(path)) as db:
        db.executescript(schema)
    original = path.read_bytes()
    for on_mismatch in ("rebuild", "fail"):
        with pytest.raises(IndexFileError, match=r"notes\.db: not a provenance index"):
            Index.open(path, Parameters(), on_mismatch=on_mismatch)
    assert path.read_bytes() == original


def unmarked(path: Path, version: int) -> None:
    """Make the index at ``path`` look made by a version that set no application_id, of
    index schema ``version`` (3 had this version's tables; 2 no files table; 1 no word
    tables either, and two more columns of articles)."""
    with closing(sqlite3.connect(path)) as db:
        db.execute("PRAGMA application_id = 0")
        db.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(version),))
        dropped = {3: [], 2: ["files"], 1: ["files", "words", "common_words"]}[version]
        for table in dropped:
            db.execute(f"DROP TABLE {table}")
        if version == 1:
            db.execute("ALTER TABLE articles ADD COLUMN words INTEGER NOT NULL DEFAULT 0")
            db.execute("ALTER TABLE articles ADD COLUMN signature BLOB NOT NULL DEFAULT x''")
        db.commit()


@pytest.mark.parametrize("version", [1, 2, 3])
def test_an_index_made_before_the_mark_is_rebuilt_and_marked(tmp_path: Path, version: int
                                                              ) -> None:
    index_path = tmp_path / "index.db"
    scan_with_index(corpus(tmp_path / "c"), index_path)
    unmarked(index_path, version)
    with pytest.raises(IndexFileError, match=f"made with index schema {version}, this "):
        Index.open(index_path, Parameters(), on_mismatch="fail")
    with Index.open(index_path, Parameters()) as rebuilt:
        assert rebuilt.count() == 0
    with closing(sqlite3.connect(index_path)) as db:
        assert db.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID


@pytest.mark.parametrize("change", [
    "CREATE TABLE customers (name TEXT)",  # a table more
    "ALTER TABLE files ADD COLUMN owner TEXT",  # a column more
    "UPDATE meta SET value = '2' WHERE key = 'schema_version'",  # another schema's name
])
def test_a_database_that_only_looks_like_an_index_made_before_the_mark_is_refused(
        tmp_path: Path, change: str) -> None:
    index_path = tmp_path / "index.db"
    scan_with_index(corpus(tmp_path / "c"), index_path)
    unmarked(index_path, 3)
    with closing(sqlite3.connect(index_path)) as db:
        db.execute(change)
        db.commit()
    original = index_path.read_bytes()
    with pytest.raises(IndexFileError, match="not a provenance index"):
        Index.open(index_path, Parameters())
    assert index_path.read_bytes() == original


def test_an_index_that_may_not_be_written_is_refused_to_writers_only(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "index.db"
    Index.open(path, Parameters()).close()
    monkeypatch.setattr(os, "access", lambda *_: False)  # a read-only file, whoever runs this
    with pytest.raises(IndexPlaceError, match="the index is read-only"):
        Index.open(path, Parameters())
    with Index.open(path, Parameters(), on_mismatch="fail") as index:  # as `check` reads it
        assert index.count() == 0


def writer(path: Path, count: int, tag: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", WRITER, str(path), str(count), tag],
                            stdout=subprocess.PIPE, text=True, cwd=ROOT)


def test_a_process_killed_mid_update_leaves_the_previous_index(tmp_path: Path) -> None:
    index_path = tmp_path / "index.db"
    scan_with_index(corpus(tmp_path / "c"), index_path)
    child = writer(index_path, 20_000, "big")
    assert child.stdout and child.stdout.readline().strip() == "writing"
    wal = Path(str(index_path) + "-wal")
    deadline = time.monotonic() + 60
    while (not wal.exists() or wal.stat().st_size < 2_000_000) and child.poll() is None:
        assert time.monotonic() < deadline
        time.sleep(0.01)
    assert child.poll() is None, "the update finished before it could be interrupted"
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    with Index.open(index_path, Parameters(), on_mismatch="fail") as index:
        assert index.check_integrity() == "ok"
        assert sorted(index.content_hashes()) == ["0.txt", "1.txt", "2.txt", "3.txt"]
    assert scan_with_index(tmp_path / "c", index_path).index_update.fingerprinted == 0  # type: ignore[attr-defined]


def test_two_concurrent_updates_leave_a_consistent_index(tmp_path: Path) -> None:
    index_path = tmp_path / "index.db"
    Index.open(index_path, Parameters()).close()
    children = [writer(index_path, 3_000, tag) for tag in ("first", "second")]
    for child in children:
        out, _ = child.communicate(timeout=120)
        assert child.returncode == 0 and out.strip().endswith("done")
    with Index.open(index_path, Parameters(), on_mismatch="fail") as index:
        assert index.check_integrity() == "ok"
        tags = {name.split("-")[0] for name in index.content_hashes()}
        # Each update replaces the whole set: the index holds exactly one writer's articles.
        assert len(tags) == 1 and index.count() == 3_000


def entry(article_id: str, words: list[int]) -> IndexEntry:
    """An index entry holding just these words (as term hashes) and no copy keys."""
    none = np.empty(0, dtype=np.uint64)
    return IndexEntry(Article(article_id, "text"), bytes(16), (), (), none, none,
                      np.array(words, dtype=np.uint64))


def found(index: Index, words: list[int], min_shared: int) -> list[str]:
    """The ids of :meth:`Index.rewrite_candidates` of these words."""
    numbers = index.rewrite_candidates(np.array(words, dtype=np.uint64), min_shared, 10)
    return [stored.article.id for stored in index.stored(numbers)]


@pytest.mark.parametrize("block", [1, index_rows.WORD_BLOCK])
def test_words_of_more_than_max_sample_articles_are_common_and_not_kept(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, block: int) -> None:
    monkeypatch.setattr(index_rows, "WORD_BLOCK", block)  # written entry by entry, or at the end
    rare, shared, everywhere = 10, 20, 30
    with Index.open(tmp_path / "index.db", Parameters(max_sample_articles=2)) as index:
        index.add([entry("a", [rare, shared, everywhere, 1]), entry("b", [shared, everywhere]),
                   entry("c", [rare, everywhere, 2])])
        # `everywhere` is in three articles, more than two: it no longer counts.
        assert found(index, [rare, everywhere], 2) == []
        assert found(index, [rare, shared, everywhere], 2) == ["a"]
        index.add([entry("d", [shared])])  # a later update makes `shared` common too
        assert found(index, [rare, shared], 2) == []
        assert found(index, [rare, 1], 2) == ["a"]
        # Common words leave no rows behind, and are never written again.
        index.add([entry("e", [everywhere, shared])])
        kept = {key for key, in index._db.execute("SELECT key FROM words")}
        assert kept == {rare, 1, 2}
        # Only indexed articles count: the rows a changed article leaves behind do not.
        for _ in range(3):
            index.add([entry("c", [rare, 2])])
        assert found(index, [rare, 2], 2) == ["c"]


def test_rewrite_candidates_sharing_rarer_words_come_first(tmp_path: Path) -> None:
    with Index.open(tmp_path / "index.db", Parameters()) as index:
        index.add([entry("common-words", [1, 2, 3]), entry("rare-words", [3, 4, 5]),
                   *(entry(f"other-{n}", [1, 2, 6]) for n in range(5))])
        assert found(index, [1, 2, 3, 4, 5], 3) == ["rare-words", "common-words"]


def test_blanked_spans_are_the_spans_a_body_blanks_out() -> None:
    text = "Share this\nThe minister said on Monday.\nAdvertisement\nMore text."
    body = text.replace("Share this", " " * 10).replace("Advertisement", " " * 13)
    assert blanked_spans(text, body) == ((0, 5), (6, 10), (40, 53))  # spaces stay spaces
    assert blanked_spans(text, text) == ()
    assert blanked_spans("ا ب", "ا  ") == ((2, 3),)  # characters, not bytes

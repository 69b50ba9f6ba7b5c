"""The persistent index: one SQLite file holding what a scan needs of every article.

Per article: its id, where it was read from, a content hash (xxh3-128 of its text, body and
metadata), its metadata, text, furniture spans and credits; and in indexed tables its LSH
band keys and containment samples (copies) and its rare words (rewrites), so that one
article's candidates are found with a lookup instead of a load. A word is kept only while at
most ``max_sample_articles`` articles hold it: past that it is a common word, which candidate
search passes over (as a scan's rewrite keys do), so its rows are dropped and it is listed as
common; the words table thus holds each article's rarer words, whatever the corpus's size.
The parameters that shape those values and a schema version are stored too: an index made
otherwise is rebuilt, or refused with a clear message, never mixed. So is, for each article
read from a text file, the state of its file when `check` last read it (:class:`FileState`),
so that bringing the index up to date with a corpus folder reads only the files that may have
changed; the files table thus says which articles are a folder's, as their ids cannot (an
article of a .jsonl file may have an id ending in ".txt").

Nothing here unpickles: arrays are raw little-endian bytes, everything else JSON or plain
columns. Each update is one transaction (``BEGIN IMMEDIATE``): a process killed mid-update
leaves the previous index intact, and a second writer waits for the first (up to
:data:`index_file.BUSY_TIMEOUT` seconds) and then fails with a clear message.
"""

from __future__ import annotations

import functools
import json
import os
import sqlite3
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Concatenate, Literal, ParamSpec, TypeVar

import numpy as np
import xxhash

from provenance.config import Parameters
from provenance.errors import IndexDamagedError, IndexPlaceError
from provenance.model import Article, Credit, HashArray
from provenance.results import IndexUpdate
from provenance.store.file import (
    Transaction,
    is_damage,
    prepare,
    read_only_connection,
    unopened,
    writable_connection,
)
from provenance.store.rows import (
    IN_CHUNK,
    AllNumbers,
    ArticleNumbers,
    KeyRows,
    NumbersLookedUp,
    select_in,
    signed_keys,
    stored_keys,
)
from provenance.text.articles import in_memory
from provenance.text.corpus import read_from_text_file

#: The parameters stored values depend on; an index made with others is not reused.
INDEXED_PARAMETERS = ("shingle_size", "num_perm", "seed", "bands", "rows",
                      "index_sample_rate", "max_sample_articles")
#: Removed articles whose key rows may linger before a compaction drops them.
COMPACT_AFTER = 1000
DEFAULT_INDEX = Path(".provenance") / "index.db"

P = ParamSpec("P")
R = TypeVar("R")


def default_index_path(corpus_path: str | Path) -> Path:
    """``.provenance/index.db`` beside the corpus: in the folder that holds ``corpus_path``
    (``corpus/`` gives ``./.provenance/index.db``)."""
    return Path(corpus_path).resolve().parent / DEFAULT_INDEX

@dataclass(frozen=True)
class IndexEntry:
    """What the index holds of one article."""

    article: Article
    content_hash: bytes
    #: Character spans of the text blanked as page furniture.
    furniture: tuple[tuple[int, int], ...]
    credits: tuple[Credit, ...]
    #: LSH band keys (none for an article too short to fingerprint).
    band_keys: HashArray
    #: Containment samples: distinct shingle hashes in the lowest 1/index_sample_rate of the
    #: hash range.
    samples: HashArray
    #: Its distinct words (their term hashes, :func:`terms.batch_words`).
    words: HashArray


@dataclass(frozen=True, slots=True)  # a folder may hold a million
class FileState:
    """An article file as last read: its size and modification time (to tell it unchanged
    without reading it) and the xxh3-128 digest of its bytes (to tell it unchanged when only
    its time changed, as it does for every file of a fresh git checkout)."""

    size: int
    mtime_ns: int
    digest: bytes


#: The state of the file of an article indexed from it by `scan`, which looks at none: it
#: matches no file's, so `check` reads the file when it first comes to it.
UNREAD = FileState(-1, -1, b"")


def content_hash(article: Article, body: str) -> bytes:
    """xxh3-128 of everything stored values derive from: text, body and metadata."""
    metadata = json.dumps(_metadata(article), sort_keys=True, ensure_ascii=False)
    digest = xxhash.xxh3_128()
    for part in (article.text, body, metadata):
        encoded = part.encode("utf-8")
        digest.update(len(encoded).to_bytes(8, "little"))
        digest.update(encoded)
    return digest.digest()


def blanked_spans(text: str, body: str) -> tuple[tuple[int, int], ...]:
    """The spans of ``text`` that ``body`` blanks out."""
    if body == text:  # as for most articles: a string comparison, not two encodings
        return ()
    changed = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32) != np.frombuffer(
        body.encode("utf-32-le"), dtype=np.uint32)
    edges = np.flatnonzero(np.diff(np.concatenate(([0], changed.astype(np.int8), [0]))))
    return tuple((int(start), int(end)) for start, end in zip(edges[::2], edges[1::2],
                                                              strict=True))


@dataclass(frozen=True)
class StoredArticle:
    """An indexed article as stored: enough to verify, align and judge it again."""

    number: int
    article: Article
    #: The article's text with its page furniture blanked, as when it was indexed.
    body: str
    credits: tuple[Credit, ...]


def _stored(row: tuple[Any, ...]) -> StoredArticle:
    number, article_id, origin, metadata, text, furniture, credits = row
    meta = json.loads(metadata)
    article = Article(article_id, text, meta["title"], meta["outlet"], meta["url"],
                      meta["published"], meta["language"], origin, meta["extra"])
    body = list(text)
    for start, end in json.loads(furniture):
        body[start:end] = " " * (end - start)
    return StoredArticle(number, article, "".join(body),
                         tuple(Credit(**credit) for credit in json.loads(credits)))


def _reporting_damage(method: Callable[Concatenate[Index, P], R]
                      ) -> Callable[Concatenate[Index, P], R]:
    """``method``, raising :class:`IndexDamagedError` where SQLite finds the file damaged
    (pages of it may be read long after it opened well)."""
    @functools.wraps(method)
    def reporting(index: Index, /, *args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return method(index, *args, **kwargs)
        except sqlite3.DatabaseError as err:
            if is_damage(err):
                raise IndexDamagedError(index.path, str(err)) from err
            raise
    return reporting


class Index:
    """An open index file. Use :meth:`open`; close it (or use ``with``) when done. A file
    found damaged raises :class:`IndexDamagedError`, on opening or later."""

    def __init__(self, connection: sqlite3.Connection, path: Path, params: Parameters
                 ) -> None:
        self._db = connection
        self.path = path
        #: Articles a word may be in before it is common (see the module's notes).
        self._word_limit = params.max_sample_articles

    @classmethod
    def open(cls, path: str | Path, params: Parameters,
             on_mismatch: Literal["rebuild", "fail"] = "rebuild") -> Index:
        """Open (creating if needed) the index at ``path`` for ``params``.

        An index of another schema version or made with other parameters is emptied and
        rebuilt (``rebuild``, for a caller that keeps the index up to date, so an index file
        it may not write is refused) or refused (``fail``, for one that only reads it, and
        may read an index it may not write: on a read-only disk, say).
        """
        path = Path(path)
        writable = not path.is_file() or (os.access(path, os.W_OK)
                                          and os.access(path.parent, os.W_OK))
        if not writable and on_mismatch == "rebuild":
            raise IndexPlaceError(f"{path}: the index is read-only")
        connection = writable_connection(path) if writable else read_only_connection(path)
        index = cls(connection, path, params)
        try:
            prepare(connection, path, _indexed(params), on_mismatch, writable)
        except sqlite3.DatabaseError as err:
            index.close()
            raise unopened(path, err) from err
        except BaseException:
            index.close()
            raise
        return index

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the file."""
        self._db.close()

    @_reporting_damage
    def content_hashes(self, ids: Iterable[str] | None = None) -> dict[str, bytes]:
        """Each indexed article's content hash (of those of ``ids``, if given), by id."""
        if ids is None:
            return dict(self._db.execute("SELECT id, content_hash FROM articles").fetchall())
        return dict(select_in(self._db, "SELECT id, content_hash FROM articles WHERE id IN",
                              list(ids)))

    @_reporting_damage
    def keys(self, table: Literal["bands", "samples", "words"], ids: Iterable[str]
             ) -> dict[str, HashArray]:
        """The keys ``table`` holds for ``ids`` (those indexed), sorted, as stored (sample
        and word keys are their hashes' low 31 bits)."""
        wanted = set(ids)
        rows = self._db.execute(f"SELECT a.id, k.key FROM {table} k JOIN articles a "
                                "ON a.number = k.article ORDER BY a.id, k.key")
        found: dict[str, list[int]] = {article_id: [] for article_id in wanted}
        for article_id, key in rows:
            if article_id in wanted:
                found[article_id].append(key)
        return {article_id: np.array(keys, dtype=np.int64).view(np.uint64)
                for article_id, keys in found.items()}

    @_reporting_damage
    def update(self, entries: Iterable[IndexEntry], keep: Iterable[str]) -> IndexUpdate:
        """Write ``entries`` (new or changed articles; consumed as they come, so they may be
        a stream) and remove every article that is neither written nor in ``keep``, all in
        one transaction."""
        known, kept = AllNumbers(self._db), set(keep)
        return self._write_entries(entries, known, lambda: sorted(known.rest() - kept), None)

    @_reporting_damage
    def add(self, entries: Iterable[IndexEntry], remove: Iterable[str] = (),
            files: Mapping[str, FileState] | None = None) -> IndexUpdate:
        """Write ``entries`` (a stream is fine), replacing articles of the same ids, remove the
        articles ``remove`` names, keep all others, and record the states of the article
        ``files`` read (by article id), all in one transaction. Only the articles named are
        looked up, so a few are added to a large index in milliseconds.

        ``files`` is given by a caller that keeps the index up to date with a folder: the
        new states of its files."""
        known, removing = NumbersLookedUp(self._db), set(remove)
        return self._write_entries(entries, known, lambda: sorted(
            article_id for article_id in removing if known.get(article_id) is not None), files)

    @_reporting_damage
    def file_states(self) -> dict[str, FileState]:
        """The state of the file of each indexed article read from a text file when `check`
        last read it (:data:`UNREAD` until then), by article id; articles read otherwise
        (from a .jsonl file) have none. A state goes when its article does."""
        return {article_id: FileState(size, mtime_ns, digest)
                for article_id, size, mtime_ns, digest in self._db.execute(
                    "SELECT id, size, mtime_ns, digest FROM files")}

    def _write_entries(self, entries: Iterable[IndexEntry], known: ArticleNumbers,
                       removing: Callable[[], list[str]],
                       files: Mapping[str, FileState] | None) -> IndexUpdate:
        """Write ``entries``, then remove the articles ``removing()`` names (once the entries
        are written), then record the ``files``' states (when given); ``known``: the
        indexed articles' numbers."""
        with Transaction(self._db, self.path):
            before = self.count()
            added, changed = [], []
            keys = KeyRows(self._db, self._word_limit,
                           removed_rows=self._meta("stale_articles", "0") != "0")
            for entry in entries:
                number = known.pop(entry.article.id)
                if number is not None:
                    self._delete(number)
                    keys.words.removed_rows = True
                    changed.append(entry.article.id)
                else:
                    added.append(entry.article.id)
                keys.add(self._insert(entry), entry.band_keys, entry.samples, entry.words)
            keys.write()
            removed = removing()
            for article_id in removed:
                number = known.pop(article_id)
                assert number is not None  # removing() names indexed articles only
                self._delete(number)
            self._record_states(files or {})
            # Kept in meta: counting the rows takes a pass over a million-row table.
            self._db.execute("INSERT OR REPLACE INTO meta VALUES ('articles', ?)",
                             (str(before + len(added) - len(removed)),))
            self._compact(len(removed) + len(changed))
        return IndexUpdate(tuple(added), tuple(changed), tuple(removed),
                           before - len(changed) - len(removed))

    def _delete(self, number: int) -> None:
        # Its file's state goes with it. The key rows stay behind, pointing at a number never
        # used again (AUTOINCREMENT): lookups ignore them, and _compact drops them in one
        # pass once they are many.
        self._db.execute("DELETE FROM files WHERE id = (SELECT id FROM articles WHERE number = ?)",
                         (number,))
        self._db.execute("DELETE FROM articles WHERE number = ?", (number,))

    def _compact(self, removed: int) -> None:
        """Drop the key rows of removed articles once they are a fair share of all rows."""
        stale = int(self._meta("stale_articles", "0")) + removed
        if stale > max(COMPACT_AFTER, self.count() // 5):
            for table in ("bands", "samples", "words"):
                self._db.execute(f"DELETE FROM {table} WHERE article NOT IN "
                                 "(SELECT number FROM articles)")
            stale = 0
        self._db.execute("INSERT OR REPLACE INTO meta VALUES ('stale_articles', ?)",
                         (str(stale),))

    def _record_states(self, files: Mapping[str, FileState]) -> None:
        """Record the state of each article's file in ``files``, by article id."""
        self._db.executemany("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?)", [
            (article_id, state.size, state.mtime_ns, state.digest)
            for article_id, state in files.items()])

    def _meta(self, key: str, default: str) -> str:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return str(row[0]) if row else default

    def _insert(self, entry: IndexEntry) -> int:
        """Write the article row; its number (:class:`index_rows.KeyRows` writes its key
        rows)."""
        article = in_memory(entry.article)  # its fields read back in one go
        cursor = self._db.execute(
            "INSERT INTO articles (id, origin, content_hash, metadata, text, furniture, "
            "credits) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (article.id, article.origin, entry.content_hash,
             json.dumps(_metadata(article), sort_keys=True, ensure_ascii=False), article.text,
             json.dumps(entry.furniture), json.dumps([asdict(c) for c in entry.credits],
                                                     ensure_ascii=False)))
        assert cursor.lastrowid is not None
        if read_from_text_file(article):  # a state the caller read is recorded after it
            self._record_states({article.id: UNREAD})
        return cursor.lastrowid

    @_reporting_damage
    def candidates(self, band_keys: HashArray, samples: HashArray, min_shared_samples: int,
                   max_sample_articles: int, limit: int) -> list[int]:
        """Numbers of the indexed articles sharing a band with these keys, or at least
        ``min_shared_samples`` containment samples (samples held by more than
        ``max_sample_articles`` articles are stock phrases and do not count); the ``limit``
        sharing most first."""
        shared: dict[int, int] = {}
        for number, in self._lookup("bands", signed_keys(band_keys)):
            shared[number] = shared.get(number, 0) + min_shared_samples
        by_key: dict[int, list[int]] = {}
        for key, number in self._lookup("samples", stored_keys(samples).tolist(), True):
            by_key.setdefault(key, []).append(number)
        for numbers in by_key.values():
            if len(numbers) <= max_sample_articles:
                for number in numbers:
                    shared[number] = shared.get(number, 0) + 1
        found = [n for n, count in shared.items() if count >= min_shared_samples]
        return sorted(found, key=lambda n: (-shared[n], n))[:limit]

    @_reporting_damage
    def rewrite_candidates(self, words: HashArray, min_shared: int, limit: int) -> list[int]:
        """Numbers of the indexed articles holding at least ``min_shared`` of ``words`` among
        those the index keeps (the words of at most ``max_sample_articles`` articles); the
        ``limit`` whose shared words weigh most first, a word weighing more the fewer
        articles hold it (``log(1 + articles / holders)``)."""
        # Read without a join to the articles: each row's would visit a page of texts, a
        # hundred times the rows read. A removed article's rows, till a compaction drops
        # them, count among a word's holders; only its number is dropped, at the end. Each
        # word's holders come as one text, parsed in numpy: as rows, the tens of thousands
        # a long article's words have in a large index took most of a check's time.
        held = [np.fromstring(numbers, dtype=np.int64, sep=",") for _, numbers in select_in(
            self._db, "SELECT key, group_concat(article) FROM words WHERE key IN",
            stored_keys(words).tolist(), " GROUP BY key")]
        if not held:
            return []
        holders = np.array([numbers.size for numbers in held])
        found, place = np.unique(np.concatenate(held), return_inverse=True)
        shared = np.bincount(place)
        # Summed word by word in key order, as the rows come: the same sums whatever numpy
        # does with them.
        weight = np.bincount(place, weights=np.repeat(np.log1p(self.count() / holders),
                                                       holders))
        kept = shared >= min_shared
        order = np.lexsort((found[kept], -weight[kept]))
        return self._indexed(found[kept][order].tolist(), limit)

    def _indexed(self, numbers: list[int], limit: int) -> list[int]:
        """The first ``limit`` of ``numbers`` that are numbers of indexed articles."""
        kept: list[int] = []
        for start in range(0, len(numbers), IN_CHUNK):
            chunk = numbers[start:start + IN_CHUNK]
            indexed = {n for n, in select_in(self._db, "SELECT number FROM articles WHERE "
                                             "number IN", chunk)}
            kept += [n for n in chunk if n in indexed]
            if len(kept) >= limit:
                break
        return kept[:limit]

    def _lookup(self, table: str, keys: list[int], with_key: bool = False
                ) -> list[tuple[int, ...]]:
        """Rows of ``table`` for ``keys``, only those of articles still indexed."""
        columns = "k.key, k.article" if with_key else "k.article"
        return select_in(self._db, f"SELECT {columns} FROM {table} k JOIN articles a "
                         "ON a.number = k.article WHERE k.key IN", sorted(set(keys)))

    @_reporting_damage
    def stored(self, numbers: Sequence[int]) -> list[StoredArticle]:
        """The indexed articles with these numbers, in that order."""
        rows = select_in(self._db, "SELECT number, id, origin, metadata, text, furniture, "
                         "credits FROM articles WHERE number IN", list(numbers))
        found = {row[0]: _stored(row) for row in rows}
        return [found[n] for n in numbers if n in found]

    @_reporting_damage
    def spread(self, count: int) -> list[int]:
        """Numbers of up to ``count`` indexed articles spread evenly over the index: a fixed,
        representative sample (for term statistics), found by ``count`` lookups."""
        low, high = self._db.execute("SELECT MIN(number), MAX(number) FROM articles").fetchone()
        if low is None:
            return []
        found: dict[int, None] = {}
        for step in range(count):
            row = self._db.execute(
                "SELECT number FROM articles WHERE number >= ? ORDER BY number LIMIT 1",
                (low + (high - low) * step // count,)).fetchone()
            found[int(row[0])] = None
        return list(found)

    @_reporting_damage
    def checkpoint(self) -> None:
        """Move the write-ahead log into the main file and empty it."""
        self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    @_reporting_damage
    def count(self) -> int:
        """Articles indexed."""
        kept = self._meta("articles", "")
        return int(kept) if kept else int(
            self._db.execute("SELECT COUNT(*) FROM articles").fetchone()[0])

    @_reporting_damage
    def check_integrity(self) -> str:
        """SQLite's own integrity check: ``ok`` for a sound file."""
        return str(self._db.execute("PRAGMA integrity_check").fetchone()[0])


def _indexed(params: Parameters) -> dict[str, int]:
    values: Mapping[str, Any] = params.as_dict()
    return {name: int(values[name]) for name in INDEXED_PARAMETERS}


def _metadata(article: Article) -> dict[str, Any]:
    return {"title": article.title, "outlet": article.outlet, "url": article.url,
            "published": article.published, "language": article.language,
            "extra": dict(article.extra)}

"""How one update writes the index's key tables, and the queries they share: the indexed
articles' numbers by id, key rows written in key order, and word rows kept while their
words are rare (see :mod:`store` for what the tables hold)."""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Sequence
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from provenance.hashsets import distinct, distinct_counts, in_sorted
from provenance.model import HashArray

#: Stored containment samples and words keep these bits (SQLite stores values below 2**31 in
#: 4 bytes).
SAMPLE_KEY_MASK = (1 << 31) - 1
#: Values bound in one ``IN (...)`` list.
IN_CHUNK = 500
#: Word rows of an update held in memory before they are written.
WORD_BLOCK = 1 << 22


class ArticleNumbers(Protocol):
    """The index numbers of articles by id, for one update."""

    def pop(self, article_id: str) -> int | None:
        """The article's number, forgetting it (it is being written or removed)."""


class AllNumbers:
    """Every article's number, read at once (within the update's transaction, on first
    use): for an update of the whole corpus, which looks at every indexed article."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    @functools.cached_property
    def _numbers(self) -> dict[str, int]:
        return dict(self._db.execute("SELECT id, number FROM articles").fetchall())

    def pop(self, article_id: str) -> int | None:
        return self._numbers.pop(article_id, None)

    def rest(self) -> set[str]:
        """The ids of the indexed articles not popped."""
        return set(self._numbers)


class NumbersLookedUp:
    """Numbers looked up one article at a time: for an update of a few articles, where
    reading a million ids would take longer (and a few hundred MB)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db
        self._popped: set[str] = set()

    def get(self, article_id: str) -> int | None:
        """The article's number; None if it is not indexed (or was popped)."""
        if article_id in self._popped:
            return None
        row = self._db.execute("SELECT number FROM articles WHERE id = ?",
                               (article_id,)).fetchone()
        return None if row is None else int(row[0])

    def pop(self, article_id: str) -> int | None:
        number = self.get(article_id)
        self._popped.add(article_id)
        return number


class KeyRows:
    """The key rows of one update, written in key order: each page of the key tables is then
    visited once, where entry-by-entry inserts would land on random pages (and slow down as
    the tables outgrow the cache). Band and sample rows are written at the update's end, word
    rows a block at a time (an article has hundreds of words, most of them common)."""

    def __init__(self, db: sqlite3.Connection, word_limit: int, removed_rows: bool) -> None:
        self._db = db
        #: Per table, the (keys, owning article numbers) of each entry.
        self._rows: dict[str, list[tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]]] = {
            "bands": [], "samples": []}
        self.words = WordRows(db, word_limit, removed_rows)

    def add(self, number: int, band_keys: HashArray, samples: HashArray, words: HashArray
            ) -> None:
        """Hold the key rows of article ``number``."""
        for table, keys in (
                ("bands", np.asarray(band_keys, dtype=np.uint64).view(np.int64)),
                ("samples", stored_keys(samples).astype(np.int64))):
            self._rows[table].append((keys, np.full(keys.size, number, dtype=np.int64)))
        self.words.add(number, words)

    def write(self) -> None:
        for table, rows in self._rows.items():
            if rows:
                _insert_sorted(self._db, table, *_joined(rows))
        self.words.write()


class WordRows:
    """Word rows waiting to be written, a block at a time. A word that more than
    ``word_limit`` indexed articles would then hold becomes common: listed in
    ``common_words``, its rows deleted, and never written again."""

    def __init__(self, db: sqlite3.Connection, word_limit: int, removed_rows: bool) -> None:
        self._db = db
        self._limit = word_limit
        #: May the table hold rows of removed articles? They are not counted.
        self.removed_rows = removed_rows
        #: The common words, sorted.
        self._common = np.sort(np.array(
            [key for key, in db.execute("SELECT key FROM common_words")], dtype=np.uint64))
        self._rows: list[tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]] = []
        self._held = 0

    def add(self, number: int, words: HashArray) -> None:
        stored = stored_keys(words)
        keys = stored[~in_sorted(stored, self._common)].astype(np.int64)
        self._rows.append((keys, np.full(keys.size, number, dtype=np.int64)))
        self._held += keys.size
        if self._held >= WORD_BLOCK:
            self.write()

    def write(self) -> None:
        if not self._rows:
            return
        keys, owners = _joined(self._rows)
        self._rows, self._held = [], 0
        distinct, counts = distinct_counts(keys)
        over = counts + self._rows_held(distinct, indexed_only=False) > self._limit
        if self.removed_rows:
            # The rows of removed articles linger until a compaction: the words counted over
            # the limit are counted again, by their indexed articles' rows only (a join per
            # row, so for these words alone).
            over[over] = (counts[over] + self._rows_held(distinct[over], indexed_only=True)
                          > self._limit)
        common = distinct[over]
        if common.size:
            self._db.executemany("INSERT INTO common_words VALUES (?)",
                                 ((key,) for key in common.tolist()))
            select_in(self._db, "DELETE FROM words WHERE key IN", common.tolist())
            self._common = np.union1d(self._common, common.astype(np.uint64))
            uncommon = ~np.isin(keys, common)
            keys, owners = keys[uncommon], owners[uncommon]
        _insert_sorted(self._db, "words", keys, owners)

    def _rows_held(self, keys: npt.NDArray[np.int64], indexed_only: bool
                   ) -> npt.NDArray[np.int64]:
        """How many rows the words table holds of each of ``keys``: all of them, or only
        those of articles still indexed."""
        join = " JOIN articles a ON a.number = k.article" if indexed_only else ""
        held = dict(select_in(self._db, f"SELECT k.key, COUNT(*) FROM words k{join} "
                              "WHERE k.key IN", keys.tolist(), " GROUP BY k.key"))
        return np.array([held.get(key, 0) for key in keys.tolist()], dtype=np.int64)


def _joined(rows: list[tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]]
            ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """The (keys, owners) of several entries, as one pair of arrays."""
    return np.concatenate([k for k, _ in rows]), np.concatenate([o for _, o in rows])


def _insert_sorted(db: sqlite3.Connection, table: str, keys: npt.NDArray[np.int64],
                   owners: npt.NDArray[np.int64]) -> None:
    order = np.lexsort((owners, keys))
    db.executemany(f"INSERT OR IGNORE INTO {table} VALUES (?, ?)",
                   zip(keys[order].tolist(), owners[order].tolist(), strict=True))


def select_in(db: sqlite3.Connection, query: str, values: Sequence[object], after: str = ""
              ) -> list[tuple[Any, ...]]:
    """``query`` ending in ``IN`` (and followed by ``after``), run for ``values`` a few
    hundred at a time (SQLite bounds the parameters of one statement)."""
    rows: list[tuple[Any, ...]] = []
    for start in range(0, len(values), IN_CHUNK):
        chunk = values[start:start + IN_CHUNK]
        rows += db.execute(f"{query} ({','.join('?' * len(chunk))}){after}", chunk).fetchall()
    return rows


def signed_keys(keys: HashArray) -> list[int]:
    """64-bit unsigned keys as SQLite's signed integers (same bits)."""
    return [int(key) for key in np.asarray(keys, dtype=np.uint64).view(np.int64)]


def stored_keys(hashes: HashArray) -> HashArray:
    """Containment samples or words as stored: their low 31 bits, which SQLite keeps in 4
    bytes, distinct and sorted. A chance match of two different hashes is rare, and
    verification drops it anyway."""
    return distinct(np.asarray(hashes, dtype=np.uint64) & np.uint64(SAMPLE_KEY_MASK))

"""The index's SQLite file: opening it to write or only to read, its schema and the check
that it was made as asked, and the transaction each update runs in. What the tables hold,
and how they are read and written, is :mod:`store`'s business."""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Literal, TypeVar

from provenance.errors import IndexDamagedError, IndexFileError, IndexMismatchError, IndexPlaceError

T = TypeVar("T")

#: Raised whenever what an index holds would be read otherwise: the tables, or the values
#: stored (4: marked files; 5: words normalised past invisible and look-alike characters,
#: and credits found as printed).
SCHEMA_VERSION = 5
#: ``PRAGMA application_id`` of every index this tool makes ("WPrv"), set as it creates
#: the tables: a file that carries it is an index, to be emptied and rebuilt when made
#: otherwise; a file without it only when it is an index made before the mark (see
#: :data:`_UNMARKED_SCHEMAS`), and any other is refused untouched.
APPLICATION_ID = int.from_bytes(b"WPrv", "big")
PAGE_SIZE = 65536
#: Page cache of an open index, in KiB: room for the key tables' upper levels while writing.
CACHE_KIB = 64 * 1024
#: Seconds a writer waits for another to finish before giving up.
BUSY_TIMEOUT = 60.0
#: SQLite's primary result codes for a file it may not make or write (a read-only file
#: system, a folder in its place), as against a file that is not an index.
_CANNOT_WRITE_HERE = (sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM)
#: SQLite's primary result codes for a write that failed: a full disk, or a failing one.
_WRITE_FAILED = (sqlite3.SQLITE_FULL, sqlite3.SQLITE_IOERR)
#: SQLite's primary result codes for a database file it can no longer read as one.
_DAMAGED = (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)
#: How every SQLite database file starts.
_SQLITE_HEADER = b"SQLite format 3\x00"
#: Added to the name of a damaged index moved aside.
DAMAGED_SUFFIX = ".damaged"

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE articles (
    number INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    origin TEXT NOT NULL,
    content_hash BLOB NOT NULL,
    metadata TEXT NOT NULL,
    text TEXT NOT NULL,
    furniture TEXT NOT NULL,
    credits TEXT NOT NULL
);
CREATE TABLE bands (key INTEGER NOT NULL, article INTEGER NOT NULL,
                    PRIMARY KEY (key, article)) WITHOUT ROWID;
CREATE TABLE samples (key INTEGER NOT NULL, article INTEGER NOT NULL,
                      PRIMARY KEY (key, article)) WITHOUT ROWID;
CREATE TABLE words (key INTEGER NOT NULL, article INTEGER NOT NULL,
                    PRIMARY KEY (key, article)) WITHOUT ROWID;
CREATE TABLE common_words (key INTEGER PRIMARY KEY);
CREATE TABLE files (id TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,
                    digest BLOB NOT NULL) WITHOUT ROWID;
"""

_KEY_COLUMNS = ("key", "article")
_ARTICLE_COLUMNS = ("number", "id", "origin", "content_hash", "metadata", "text", "furniture",
                    "credits")
_SCHEMA_1 = {"meta": ("key", "value"), "bands": _KEY_COLUMNS, "samples": _KEY_COLUMNS,
             "articles": (*_ARTICLE_COLUMNS, "words", "signature")}
_SCHEMA_2 = {**_SCHEMA_1, "articles": _ARTICLE_COLUMNS, "words": _KEY_COLUMNS,
             "common_words": ("key",)}
#: The tables, and their columns, of the indexes of each schema version that set no
#: application_id. CI caches restore such indexes after an upgrade, and an index is derived
#: data: one is rebuilt, not refused. But a meta table with a schema_version is a common
#: enough design that another program's database may have one (which versions before the
#: mark took for an index, and emptied), so a file without the mark is taken for an index
#: only when it has exactly one of these sets of tables and columns and its meta table
#: names that schema: a file that does holds nothing else to lose.
_UNMARKED_SCHEMAS = {"1": _SCHEMA_1, "2": _SCHEMA_2, "3": {
    **_SCHEMA_2, "files": ("id", "size", "mtime_ns", "digest")}}


def writable_connection(path: Path) -> sqlite3.Connection:
    """A connection that may write the index at ``path`` (made if missing, with its folder)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise IndexPlaceError(f"{path}: cannot make the index's folder "
                              f"({err.strerror or err})") from err
    try:
        connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT, isolation_level=None)
        # Large pages hold several article rows each (a row of 3 KB in a 4 KB page wastes
        # a quarter); set before the first table, so only for a new file.
        connection.execute(f"PRAGMA page_size={PAGE_SIZE}")
        connection.execute("PRAGMA synchronous=NORMAL")
        connection.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
    except sqlite3.DatabaseError as err:
        if _primary_code(err) in _CANNOT_WRITE_HERE:
            raise IndexPlaceError(f"{path}: cannot write an index here ({err})") from err
        raise unopened(path, err) from err
    return connection


def read_only_connection(path: Path) -> sqlite3.Connection:
    """A connection that only reads the index at ``path``."""
    uri = path.resolve().as_uri() + "?mode=ro"
    try:
        return _probed(sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT,
                                       isolation_level=None))
    except sqlite3.OperationalError:
        # Reading a write-ahead-log database takes a shared-memory file beside it, which a
        # read-only disk cannot hold; where none can be made, no writer can change the file
        # either, so SQLite may read it as immutable.
        pass
    except sqlite3.DatabaseError as err:
        raise unopened(path, err) from err
    try:
        return _probed(sqlite3.connect(uri + "&immutable=1", uri=True, isolation_level=None))
    except sqlite3.DatabaseError as err:
        raise unopened(path, err) from err


def _probed(connection: sqlite3.Connection) -> sqlite3.Connection:
    """``connection``, once a first read through it has worked (SQLite opens files lazily)."""
    try:
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except BaseException:
        connection.close()
        raise
    return connection


def unopened(path: Path, err: sqlite3.DatabaseError) -> IndexFileError:
    """The error to raise for an index at ``path`` that SQLite did not open: damaged, when
    it is a database (never so for another kind of file, which is not this tool's)."""
    if is_damage(err) and _is_database(path):
        return IndexDamagedError(path, str(err))
    return IndexFileError(f"{path}: cannot open the index ({err}); delete it to start afresh")


def _cannot_write(err: sqlite3.DatabaseError) -> bool:
    """Does ``err`` say the index cannot be written (a full disk, a failing one, a file
    made read-only)?"""
    return _primary_code(err) in (*_CANNOT_WRITE_HERE, *_WRITE_FAILED)


def is_damage(err: sqlite3.DatabaseError) -> bool:
    """Does ``err`` say that a database file is damaged?"""
    return _primary_code(err) in _DAMAGED


def _primary_code(err: sqlite3.DatabaseError) -> int:
    """SQLite's primary result code for ``err`` (its extended code's low byte); 0 where it
    gave none."""
    return int(getattr(err, "sqlite_errorcode", 0)) & 0xFF


def _is_database(path: Path) -> bool:
    try:
        with path.open("rb") as file:
            return file.read(len(_SQLITE_HEADER)) == _SQLITE_HEADER
    except OSError:
        return False


def afresh_if_damaged(work: Callable[[], T], say: Callable[[str], None]) -> T:
    """``work()``; where it finds its index damaged (a CI cache restored a broken copy, say),
    ``work()`` again once the damaged file is moved aside (and ``say`` told so): an index is
    derived data, built again from the corpus, and the damaged copy is kept to look at."""
    try:
        return work()
    except IndexDamagedError as err:
        try:
            aside = move_aside(Path(str(err.path)))
        except OSError:
            raise err from None
        say(f"Warning: {err.path}: the index is damaged ({err.reason}); moved to {aside}, "
            "building it afresh.")
        return work()


def move_aside(path: Path) -> Path:
    """Rename the damaged index at ``path``, with its write-ahead log and shared memory, to
    the same names ending in :data:`DAMAGED_SUFFIX` (replacing a copy moved aside before);
    the index's new name. Raises OSError where it cannot (a read-only folder)."""
    aside = path.with_name(path.name + DAMAGED_SUFFIX)
    for companion in ("", "-wal", "-shm"):
        source = path.with_name(path.name + companion)
        target = aside.with_name(aside.name + companion)
        if source.exists():
            os.replace(source, target)
        else:  # an older copy's log would be taken for this one's
            target.unlink(missing_ok=True)
    return aside


class Transaction:
    """``BEGIN IMMEDIATE`` ... ``COMMIT``, rolled back on any error; a writer that cannot
    get the lock in time, or cannot write (a full disk), fails with a message naming the
    file."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self._db = connection
        self._path = path

    def __enter__(self) -> None:
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as err:
            raise IndexFileError(f"{self._path}: another process is updating the index and did "
                              f"not finish within {BUSY_TIMEOUT:.0f} s ({err})") from err

    def __exit__(self, kind: object, error: BaseException | None, *rest: object) -> None:
        if error is None:
            try:
                self._db.execute("COMMIT")
                return
            except sqlite3.DatabaseError as err:
                self._failed(err)
                raise
        self._failed(error)

    def _failed(self, error: BaseException) -> None:
        """Roll back what ``error`` interrupted (SQLite may have already); a write that
        failed (a full disk, say) raises :class:`IndexPlaceError`, naming the file."""
        if self._db.in_transaction:
            self._db.execute("ROLLBACK")
        if isinstance(error, sqlite3.DatabaseError) and _cannot_write(error):
            raise IndexPlaceError(f"{self._path}: cannot write the index ({error})") from error


def prepare(db: sqlite3.Connection, path: Path, parameters: dict[str, int],
            on_mismatch: Literal["rebuild", "fail"], writable: bool) -> None:
    """Make ``db`` (the index at ``path``) an index for ``parameters``: create its tables in
    an empty file; leave an index made alike as it is; empty and rebuild one made otherwise
    (``rebuild``; a ``writable`` file only) or refuse it (``fail``). A database that is not
    an index is refused, untouched."""
    if not writable:  # an index made alike, to read as it is, or an error
        tables = _tables(db)
        if not tables:
            raise IndexFileError(f"{path}: an empty file where the index should be, "
                                 "and read-only")
        _identify(db, path, tables)
        if (problem := _mismatch(_stored_meta(db), parameters)) is not None:
            raise IndexMismatchError(path, problem)
        return
    # Checked before the write-ahead log is switched on, which rewrites the file's header;
    # and again once the file is locked, as another process may have written it since.
    _identify(db, path, _tables(db))
    db.execute("PRAGMA journal_mode=WAL")
    with Transaction(db, path):
        tables = _tables(db)
        _identify(db, path, tables)
        if not tables:
            _create(db, parameters)
            return
        problem = _mismatch(_stored_meta(db), parameters)
        if problem is None:
            return
        if on_mismatch == "fail":
            raise IndexMismatchError(path, problem)
        for table in tables:
            db.execute(f'DROP TABLE "{table}"')
        _create(db, parameters)


def _tables(db: sqlite3.Connection) -> set[str]:
    return {row[0] for row in db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")}


def _stored_meta(db: sqlite3.Connection) -> dict[str, str]:
    """What the meta table of an index holds."""
    return dict(db.execute("SELECT key, value FROM meta").fetchall())


def _identify(db: sqlite3.Connection, path: Path, tables: set[str]) -> None:
    """Raise unless the database at ``path`` (of ``tables``) may be made an index: it is
    empty, or carries :data:`APPLICATION_ID`, or is an index made before the mark."""
    mark = db.execute("PRAGMA application_id").fetchone()[0]
    if mark == APPLICATION_ID or (mark == 0 and (not tables or _unmarked_index(db, tables))):
        return
    raise IndexFileError(f"{path}: not a provenance index (an SQLite database this tool did "
                         "not make); name another --index")


def _unmarked_index(db: sqlite3.Connection, tables: set[str]) -> bool:
    """Is the database of ``tables`` an index made before :data:`APPLICATION_ID`?"""
    layout = {table: tuple(column for column, in db.execute(
        "SELECT name FROM pragma_table_info(?) ORDER BY cid", (table,))) for table in tables}
    version = next((v for v, schema in _UNMARKED_SCHEMAS.items() if schema == layout), None)
    if version is None:
        return False
    stored = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    return stored is not None and stored[0] == version


def _mismatch(meta: Mapping[str, str], parameters: dict[str, int]) -> str | None:
    """What makes the index whose meta table holds ``meta`` unfit for ``parameters``."""
    if (version := meta.get("schema_version", "unknown")) != str(SCHEMA_VERSION):
        return f"made with index schema {version}, this version reads schema {SCHEMA_VERSION}"
    stored = json.loads(meta.get("parameters", "{}"))
    if stored != parameters:
        changed = sorted(k for k in parameters if stored.get(k) != parameters[k])
        return "made with other parameters (" + ", ".join(
            f"{k} {stored.get(k)} here, {parameters[k]} asked" for k in changed) + ")"
    return None


def _create(db: sqlite3.Connection, parameters: dict[str, int]) -> None:
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    for statement in _SCHEMA.strip().split(";"):
        if statement.strip():
            db.execute(statement)
    db.executemany("INSERT INTO meta VALUES (?, ?)", [
        ("schema_version", str(SCHEMA_VERSION)),
        ("parameters", json.dumps(parameters, sort_keys=True))])

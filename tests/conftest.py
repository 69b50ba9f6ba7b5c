"""Shared fixtures: paths to the sample corpus and test data, small article builders, and a
way to damage an index."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import pytest

from provenance import compiled as compiled_module
from provenance.config import Parameters
from provenance.model import Article
from provenance.store import index as store
from provenance.store.file import PAGE_SIZE, writable_connection
from provenance.store.index import Index

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture
def corpus_dir() -> Path:
    return CORPUS


@pytest.fixture
def urdu_pair() -> Path:
    return DATA / "counter-urdu-pair.jsonl"


def article(article_id: str, text: str) -> Article:
    """An article with only an id and a text."""
    return Article(id=article_id, text=text)


def prose(seed: int, words: int) -> str:
    """Deterministic filler prose: distinct seeds share almost no five-word run."""
    import random

    generator = random.Random(seed)
    vocabulary = [f"w{generator.randrange(100_000)}" for _ in range(2000)]
    return " ".join(generator.choice(vocabulary) for _ in range(words))


@contextmanager
def compiled() -> Iterator[None]:
    """Calls made inside are answered by the compiled programs, as in a process with many
    calls to make; the numpy versions answer again after."""
    saved = compiled_module._calls
    compiled_module.use_compiled()
    try:
        yield
    finally:
        compiled_module._calls = saved


def damage(index_path: Path, how: str) -> None:
    """Damage the index at ``index_path`` (its log moved into it first): cut it short after
    its second page, or overwrite every page after the first (which names the tables)."""
    with Index.open(index_path, Parameters()) as index:
        index.checkpoint()
    data = index_path.read_bytes()
    assert len(data) > 3 * PAGE_SIZE
    damaged = data[:2 * PAGE_SIZE] if how == "cut short" else (
        data[:PAGE_SIZE] + b"\x5a" * (len(data) - PAGE_SIZE))
    index_path.write_bytes(damaged)


def another_programs_database(path: Path) -> bytes:
    """Make at ``path`` the database of another program that, like an index, keeps a
    ``schema_version`` in a ``meta(key, value)`` table, beside a table of its data; the
    file's bytes."""
    with closing(sqlite3.connect(path)) as db:
        db.executescript("""
            CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
            INSERT INTO meta VALUES ('schema_version', '7');
            CREATE TABLE customers (name TEXT NOT NULL, balance INTEGER NOT NULL);
            INSERT INTO customers VALUES ('Ada', 120), ('Grace', 75);
        """)
    return path.read_bytes()


def cramped(monkeypatch: pytest.MonkeyPatch) -> None:
    """From now on, an index file opened to be written cannot grow by a page, as on a full
    disk (SQLite answers SQLITE_FULL)."""
    def without_room(path: Path) -> sqlite3.Connection:
        connection = writable_connection(path)
        pages = connection.execute("PRAGMA page_count").fetchone()[0]
        connection.execute(f"PRAGMA max_page_count = {max(pages, 1)}")
        return connection

    monkeypatch.setattr(store, "writable_connection", without_room)


def unlistable(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """From now on, a folder named ``name`` cannot be listed (as without the permission:
    tests may run as root, whom no permission stops)."""
    from provenance.text import folders

    listed = folders._entries

    def entries(place: str) -> list[os.DirEntry[str]]:
        if Path(place).name == name:
            raise PermissionError(13, "Permission denied", place)
        return listed(place)

    monkeypatch.setattr(folders, "_entries", entries)

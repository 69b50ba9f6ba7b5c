"""Article texts, and the fields read once or twice a scan, kept out of memory: written to a
temporary file (see :mod:`spool`) as they are loaded, and read back each time one is asked
for.

A million articles' texts are about 3 GB as Python strings, more than everything else a scan
holds, and their titles, addresses, origins and extra fields most of another gigabyte. A
spooled article keeps in memory only its id and the fields that many articles share (outlet,
date, language: one string for each value), which lineage and the gate read for every
article; the rest is read from the operating system's page cache whenever a stage asks for
it (a few microseconds for a news article), and worker processes read it themselves, by
position, instead of copying their parent's pages. Where files are not spooled (Windows),
articles are loaded into memory whole.
"""

from __future__ import annotations

import pickle
from collections.abc import Mapping
from dataclasses import fields
from typing import Any, NamedTuple

from .model import NO_EXTRA, Article
from .spool import SPOOLING, Spool


def new_spool() -> ArticleSpool | None:
    """A spool for the articles about to be loaded, or None where they are not spooled."""
    return ArticleSpool() if SPOOLING else None


class Spooled(NamedTuple):
    """What an article keeps in the spool: its text and the fields read once or twice a
    scan."""

    text: str
    title: str
    url: str
    #: Where it was read from: ``path`` or ``path:line``.
    origin: str
    extra: Mapping[str, str]


class ArticleSpool:
    """Articles' :class:`Spooled` fields appended to a temporary file (a
    :class:`spool.Spool`), read back by the position :meth:`append` gave."""

    def __init__(self, directory: str | None = None) -> None:
        self._records = Spool("the articles' texts", directory)

    def append(self, article: Article) -> int:
        """Spool ``article``'s :class:`Spooled` fields; returns their position."""
        # Pickled as a plain tuple (a lone surrogate, which JSON can escape, passes through),
        # with None for the empty extra most articles have.
        return self._records.append(pickle.dumps(
            (article.text, article.title, article.url, article.origin,
             dict(article.extra) or None), pickle.HIGHEST_PROTOCOL))

    def __len__(self) -> int:
        return len(self._records)

    def flush(self) -> None:
        """Write out what is buffered (see :meth:`spool.Spool.flush`)."""
        self._records.flush()

    def __getitem__(self, position: int) -> Spooled:
        text, title, url, origin, extra = pickle.loads(self._records[position])
        return Spooled(text, title, url, origin, extra or NO_EXTRA)


#: The fields a spooled article holds itself.
_KEPT = tuple(field.name for field in fields(Article) if field.name not in Spooled._fields)


class SpooledArticle(Article):
    """An :class:`Article` whose :class:`Spooled` fields wait in an :class:`ArticleSpool`
    until they are read: the same fields, equal to the :class:`Article` it was made from,
    those read back on each use (so read :meth:`loaded` to use several at once)."""

    __slots__ = ("_position", "_spool")
    _spool: ArticleSpool
    _position: int

    def __init__(self, article: Article, spool: ArticleSpool) -> None:
        for name in _KEPT:
            object.__setattr__(self, name, getattr(article, name))
        object.__setattr__(self, "_spool", spool)
        object.__setattr__(self, "_position", spool.append(article))

    def __getstate__(self) -> tuple[Any, ...]:
        return (*(getattr(self, name) for name in _KEPT), self._spool, self._position)

    def __setstate__(self, state: tuple[Any, ...]) -> None:
        for name, value in zip((*_KEPT, "_spool", "_position"), state, strict=True):
            object.__setattr__(self, name, value)

    def loaded(self) -> Article:
        """This article as a plain :class:`Article`, all its fields read in one go."""
        kept = {name: getattr(self, name) for name in _KEPT}
        return Article(**kept, **self._spool[self._position]._asdict())

    @property
    def text(self) -> str:
        return self._spool[self._position].text

    @property
    def title(self) -> str:
        return self._spool[self._position].title

    @property
    def url(self) -> str:
        return self._spool[self._position].url

    @property
    def origin(self) -> str:
        return self._spool[self._position].origin

    @property
    def extra(self) -> Mapping[str, str]:
        return self._spool[self._position].extra

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Article):
            return NotImplemented
        return _compared(self) == _compared(other)

    __hash__ = Article.__hash__


def _compared(article: Article) -> tuple[Any, ...]:
    """What :class:`Article`'s equality compares."""
    return tuple(getattr(article, field.name) for field in fields(Article) if field.compare)


def in_memory(article: Article) -> Article:
    """``article`` as a plain :class:`Article`, everything in memory: what a stage that reads
    all its fields wants, and what :func:`dataclasses.replace` needs, as it cannot make a
    spooled article."""
    return article.loaded() if isinstance(article, SpooledArticle) else article

"""Article texts kept out of memory: written to a temporary file (see :mod:`spool`) as they
are loaded, and read back each time one is asked for.

A million articles' texts are about 3 GB as Python strings, more than everything else a scan
holds. Spooled, an article costs 8 bytes of offset in memory; its text is decoded from the
operating system's page cache whenever a stage reads it (a few microseconds for a news
article), and worker processes read it themselves, by offset, instead of copying their
parent's pages. Where files are not spooled (Windows), texts are loaded into memory.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from .model import Article
from .spool import SPOOLING, Spool

#: Texts are UTF-8 in the spool; a lone surrogate (which JSON can escape) passes through.
_ERRORS = "surrogatepass"


def new_spool() -> TextSpool | None:
    """A spool for the texts about to be loaded, or None where texts are not spooled."""
    return TextSpool() if SPOOLING else None


class TextSpool:
    """Texts appended to a temporary file (a :class:`spool.Spool`), read back by the
    position :meth:`append` gave."""

    def __init__(self, directory: str | None = None) -> None:
        self._records = Spool("the articles' texts", directory)

    def append(self, text: str) -> int:
        """Spool ``text``; returns its position."""
        return self._records.append(text.encode("utf-8", _ERRORS))

    def __len__(self) -> int:
        return len(self._records)

    def flush(self) -> None:
        """Write out what is buffered (see :meth:`spool.Spool.flush`)."""
        self._records.flush()

    def __getitem__(self, position: int) -> str:
        return self._records[position].decode("utf-8", _ERRORS)


#: The fields a spooled article holds itself: all but its text.
_METADATA = tuple(field.name for field in fields(Article) if field.name != "text")


class SpooledArticle(Article):
    """An :class:`Article` whose text waits in a :class:`TextSpool` until it is read: the
    same fields, equal to the :class:`Article` it was made from, its ``text`` read back on
    each use."""

    __slots__ = ("_position", "_spool")
    _spool: TextSpool
    _position: int

    def __init__(self, article: Article, spool: TextSpool) -> None:
        for name in _METADATA:
            object.__setattr__(self, name, getattr(article, name))
        object.__setattr__(self, "_spool", spool)
        object.__setattr__(self, "_position", spool.append(article.text))

    def __getstate__(self) -> tuple[Any, ...]:
        return (*(getattr(self, name) for name in _METADATA), self._spool, self._position)

    def __setstate__(self, state: tuple[Any, ...]) -> None:
        for name, value in zip((*_METADATA, "_spool", "_position"), state, strict=True):
            object.__setattr__(self, name, value)

    @property
    def text(self) -> str:
        return self._spool[self._position]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Article):
            return NotImplemented
        return _compared(self) == _compared(other)

    __hash__ = Article.__hash__


def _compared(article: Article) -> tuple[Any, ...]:
    """What :class:`Article`'s equality compares."""
    return tuple(getattr(article, field.name) for field in fields(Article) if field.compare)


def in_memory(article: Article) -> Article:
    """``article`` as a plain :class:`Article`, its text read into memory: what
    :func:`dataclasses.replace` needs, as it cannot make a spooled article."""
    if type(article) is Article:
        return article
    return Article(**{field.name: getattr(article, field.name) for field in fields(Article)})

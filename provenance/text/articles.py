"""Loaded articles in little memory: their texts, and the fields read once or twice a scan,
written to a temporary file (see :mod:`spool`) as they are loaded and read back each time one
is asked for; their ids and the fields many articles share, in columns.

A million articles' texts are about 3 GB as Python strings, more than everything else a scan
holds, and their titles, addresses, origins and extra fields most of another gigabyte; even
their ids, outlets and dates, kept as an object for each article, take a quarter of a
gigabyte. An :class:`ArticleTable` keeps the ids in one string of bytes and the outlet, date
and language as numbers standing for their values (one string for each value): about 50 bytes
an article. It makes an article (a :class:`SpooledArticle`) when one is asked for, whose other
fields are read from the operating system's page cache (a few microseconds for a news
article); worker processes read them themselves, by position, instead of copying their
parent's pages. Where files are not spooled (Windows), the records stay in memory.
"""

from __future__ import annotations

import copy
import pickle
from array import array
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import fields
from typing import Any, NamedTuple, overload

from provenance.model import NO_EXTRA, Article
from provenance.spool import new_records


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
    :class:`spool.Spool`; in memory where files are not spooled), read back by the position
    :meth:`append` gave."""

    def __init__(self, directory: str | None = None) -> None:
        self._records = new_records("the articles' texts", directory)

    def append(self, article: Article) -> int:
        """Spool ``article``'s :class:`Spooled` fields; returns their position."""
        # Pickled as a plain tuple, with None for the empty extra most articles have.
        return self._records.append(pickle.dumps(
            (article.text, article.title, article.url, article.origin,
             dict(article.extra) or None), pickle.HIGHEST_PROTOCOL))

    def __len__(self) -> int:
        return len(self._records)

    def flush(self) -> None:
        """Write out what is buffered (see :meth:`spool.Spool.flush`)."""
        self._records.flush()

    def truncate(self, length: int) -> None:
        """Keep only the first ``length`` articles."""
        self._records.truncate(length)

    def __getitem__(self, position: int) -> Spooled:
        text, title, url, origin, extra = pickle.loads(self._records[position])
        return Spooled(text, title, url, origin, extra or NO_EXTRA)


#: The fields whose values recur across a corpus's articles (a million articles, a few
#: hundred outlets): a table keeps one string for each value, not one for each article.
RECURRING = ("outlet", "published", "language")
#: The fields a spooled article holds itself; the others are :class:`Spooled`.
_KEPT = ("id", *RECURRING)


class SpooledArticle(Article):
    """An :class:`Article` whose :class:`Spooled` fields wait in an :class:`ArticleSpool`
    until they are read: the same fields, equal to the :class:`Article` it was made from,
    those read back on each use (so read :meth:`loaded` to use several at once)."""

    __slots__ = ("_position", "_spool")
    _spool: ArticleSpool
    _position: int

    def __init__(self, article_id: str, outlet: str, published: str, language: str,
                 spool: ArticleSpool, position: int) -> None:
        """The article at ``position`` in ``spool``, with the fields it holds itself."""
        # Set one by one, not in a loop: a scan makes about ten articles for each it holds.
        set_field = object.__setattr__
        set_field(self, "id", article_id)
        set_field(self, "outlet", outlet)
        set_field(self, "published", published)
        set_field(self, "language", language)
        set_field(self, "_spool", spool)
        set_field(self, "_position", position)

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


class ArticleTable(Sequence[Article]):
    """Articles appended as they are loaded: their :class:`Spooled` fields in an
    :class:`ArticleSpool`, their ids and :data:`RECURRING` fields in columns. Each article
    asked for is made anew, a :class:`SpooledArticle`.

    :meth:`sorted_by_id` gives a view of the same columns in another order, which does not
    grow."""

    def __init__(self, directory: str | None = None) -> None:
        self._spool = ArticleSpool(directory)
        #: The ids, encoded one after the other, and where each ends.
        self._ids = bytearray()
        self._id_ends = array("q", [0])
        #: The codes of each article's :data:`RECURRING` fields, one article after the other:
        #: code ``c`` stands for ``self._values[c]``.
        self._codes = array("I")
        self._values: list[str] = []
        self._code_of: dict[str, int] = {}
        #: The rows this table shows, in order: None for all of them as they were appended,
        #: an array in a view.
        self._rows: array[int] | None = None
        self._by_id: array[int] | None = None

    def append(self, article: Article) -> None:
        """Add ``article`` at the end."""
        if self._rows is not None:
            raise TypeError("a view of an article table does not grow")
        self._spool.append(article)
        self._ids += article.id.encode("utf-8")
        self._id_ends.append(len(self._ids))
        for name in RECURRING:
            value = getattr(article, name)
            code = self._code_of.setdefault(value, len(self._values))
            if code == len(self._values):
                self._values.append(value)
            self._codes.append(code)
        self._by_id = None

    def truncate(self, length: int) -> None:
        """Keep only the first ``length`` articles."""
        if self._rows is not None:
            raise TypeError("a view of an article table does not shrink")
        self._spool.truncate(length)
        del self._ids[self._id_ends[length]:]
        del self._id_ends[length + 1:]
        del self._codes[length * len(RECURRING):]
        self._by_id = None

    def flush(self) -> None:
        """Write out what is buffered: before worker processes are forked (see
        :meth:`spool.Spool.flush`)."""
        self._spool.flush()

    def __len__(self) -> int:
        return len(self._rows) if self._rows is not None else len(self._id_ends) - 1

    @overload
    def __getitem__(self, position: int) -> Article: ...

    @overload
    def __getitem__(self, positions: slice) -> list[Article]: ...

    def __getitem__(self, position: int | slice) -> Article | list[Article]:
        if isinstance(position, slice):
            return [self[n] for n in range(*position.indices(len(self)))]
        row = self._row(position)
        outlet, published, language = (self._values[code] for code in self._codes[
            row * len(RECURRING):(row + 1) * len(RECURRING)])
        return SpooledArticle(self._id(row), outlet, published, language, self._spool, row)

    def __iter__(self) -> Iterator[Article]:
        return (self[n] for n in range(len(self)))

    def ids(self) -> list[str]:
        """The articles' ids, in order (without reading what is spooled)."""
        return [self._id(self._row(n)) for n in range(len(self))]

    def column(self, name: str) -> list[str]:
        """The articles' values of the :data:`RECURRING` field ``name``, in order."""
        field = RECURRING.index(name)
        codes, values = self._codes, self._values
        return [values[codes[self._row(n) * len(RECURRING) + field]] for n in range(len(self))]

    def sorted_by_id(self) -> ArticleTable:
        """These articles in order of id (those of one id in the order they came): a view
        of the same columns, which costs 8 bytes an article and cannot grow."""
        view = copy.copy(self)
        view._rows = array("q", (self._row(n) for n in self._id_order()))
        view._by_id = None
        return view

    def first_repeated_id(self) -> tuple[Article, Article] | None:
        """The first article (in order) whose id an earlier one has, after that one; None
        when the ids are unique."""
        ids = self.ids()
        order = self._id_order(ids)
        # In order of id, an id's articles follow one another, first to last.
        seconds = [(order[n], order[n - 1]) for n in range(1, len(order))
                   if ids[order[n]] == ids[order[n - 1]]
                   and (n == 1 or ids[order[n - 2]] != ids[order[n]])]
        if not seconds:
            return None
        second, first = min(seconds)
        return self[first], self[second]

    def __eq__(self, other: object) -> bool:
        """Equal to any sequence of equal articles."""
        if not isinstance(other, Sequence) or isinstance(other, str | bytes):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]  # mutable, like a list

    def _row(self, position: int) -> int:
        """The row of the article at ``position`` (which may count from the end)."""
        position = range(len(self))[position]
        return self._rows[position] if self._rows is not None else position

    def _id(self, row: int) -> str:
        return self._ids[self._id_ends[row]:self._id_ends[row + 1]].decode("utf-8")

    def _id_order(self, ids: list[str] | None = None) -> array[int]:
        """The positions of the articles in order of id (kept until the table changes);
        ``ids``: :meth:`ids`, when the caller has them already."""
        if self._by_id is None:
            ids = self.ids() if ids is None else ids
            self._by_id = array("q", sorted(range(len(ids)), key=ids.__getitem__))
        return self._by_id


def _compared(article: Article) -> tuple[Any, ...]:
    """What :class:`Article`'s equality compares."""
    return tuple(getattr(article, field.name) for field in fields(Article) if field.compare)


def sorted_by_id(articles: Sequence[Article]) -> Sequence[Article]:
    """``articles`` in order of id: a table's :meth:`ArticleTable.sorted_by_id`, other
    articles in a tuple."""
    if isinstance(articles, ArticleTable):
        return articles.sorted_by_id()
    return tuple(sorted(articles, key=lambda article: article.id))


def article_ids(articles: Sequence[Article]) -> list[str]:
    """The ids of ``articles``, in order: read from a table's column without making its
    articles."""
    if isinstance(articles, ArticleTable):
        return articles.ids()
    return [article.id for article in articles]


def field_values(articles: Sequence[Article], name: str) -> list[str]:
    """The values of the :data:`RECURRING` field ``name`` of ``articles``, in order: read
    from a table's column without making its articles."""
    if isinstance(articles, ArticleTable):
        return articles.column(name)
    return [getattr(article, name) for article in articles]


def in_memory(article: Article) -> Article:
    """``article`` as a plain :class:`Article`, everything in memory: what a stage that reads
    all its fields wants, and what :func:`dataclasses.replace` needs, as it cannot make a
    spooled article."""
    return article.loaded() if isinstance(article, SpooledArticle) else article

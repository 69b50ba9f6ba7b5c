"""Reading articles: folders of text files and JSON-lines files. The library's input I/O, with
:mod:`git_changes` (which articles git says a branch added).

A text file may open with a front-matter block of ``key: value`` lines between two ``---``
lines; the rest of the file is the article text. A ``.jsonl`` file holds one JSON object per
line with at least ``id`` and ``text`` (the format of the labelled datasets); one named
``.jsonl.gz`` is that file gzip-compressed. A folder's article files are its text files
(see :mod:`folders`).

One file is one article (or one .jsonl file's articles) whatever the paths that reach it:
a file named twice, or named and inside a folder named too, or reached through a link, is
read once, under the id that the first path to reach it gives (paths in the order named, a
folder's files in order of path). A file named directly is named by its path as given.
"""

from __future__ import annotations

import codecs
import gzip
import json
import logging
import os
import re
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, Any, TypeVar

from provenance.errors import (
    ArticleTextError,
    DuplicateIdError,
    InputError,
    NotFoundError,
    ParameterError,
)
from provenance.model import NO_EXTRA, Article, Skipped
from provenance.text.articles import ArticleTable, in_memory
from provenance.text.folders import (
    FILE,
    FOLDER,
    TEXT_SUFFIXES,
    FolderFiles,
    article_files,
    kind,
    shown_path,
)
from provenance.text.front_matter import split_front_matter
from provenance.text.stores import is_url, open_in_store, store_article_files, store_kind

log = logging.getLogger(__name__)
T = TypeVar("T")

JSONL_SUFFIX = ".jsonl"
#: A .jsonl file may be gzip-compressed (an archive's export, say): read as it is unpacked.
GZIP_SUFFIX = ".gz"
#: Front-matter keys that map onto Article fields; any other key is kept in ``extra``.
FRONT_MATTER_FIELDS = {"title": "title", "outlet": "outlet", "url": "url",
                       "published": "published", "language": "language", "lang": "language"}
#: Front-matter keys that give the publication time where ``published`` is not there.
PUBLISHED_ALIASES = ("date",)
_JSONL_FIELDS = ("title", "outlet", "url", "published")
#: The .jsonl fields that are text: a string, or null for none.
_JSONL_TEXT_FIELDS = (*_JSONL_FIELDS, "language", "lang")
_JSONL_KNOWN = {"id", "text", *_JSONL_TEXT_FIELDS}
#: Inputs (files, or lines of a .jsonl file) read between two reports of progress.
LOADING_REPORT = 10_000
#: The byte-order marks that open UTF-16 text, as Windows tools write it.
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
#: Control characters: an id holding one (a line break, a tab) breaks every line-based
#: report it is named in.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class Corpus:
    """The articles that loaded, in input order, and the inputs that were skipped."""

    articles: ArticleTable
    skipped: tuple[Skipped, ...]


def load_corpus(paths: Iterable[str | Path], strict: bool = False,
                progress: Callable[[str, int, int], None] | None = None) -> Corpus:
    """Load every article under ``paths``; bad inputs are skipped (or raise when ``strict``).
    ``progress("loading", inputs read, 0)`` is called every so many inputs (files, or lines
    of a .jsonl file; the total is not known until the end), then with the total.

    The articles go to an :class:`ArticleTable` as they are read: their texts to a temporary
    file, with the fields read once or twice a scan (see :mod:`texts`), read back when they
    are asked for."""
    return _collect(
        lambda one_more, articles: _read_planned(planned_reads(paths), one_more, articles),
        strict, progress)


def load_folder_files(files: Mapping[str, str], strict: bool = False,
                      progress: Callable[[str, int, int], None] | None = None) -> Corpus:
    """Load ``files``, some of the :attr:`FolderFiles.files` of a folder (by id), as
    :func:`load_corpus` does."""
    return _collect(
        lambda one_more, articles: _read_planned(_folder_reads(files), one_more, articles),
        strict, progress)


def _collect(read: Callable[[Callable[[], None], ArticleTable], Iterator[InputError]],
             strict: bool, progress: Callable[[str, int, int], None] | None) -> Corpus:
    """The articles that ``read(one_more, articles)`` adds to ``articles``, calling
    ``one_more`` for each input read and yielding the inputs that did not load."""
    articles = ArticleTable()
    skipped: list[Skipped] = []
    inputs = 0

    def one_more() -> None:
        nonlocal inputs
        inputs += 1
        if progress and inputs % LOADING_REPORT == 0:
            progress("loading", inputs, 0)

    for error in read(one_more, articles):
        if strict:
            raise error
        log.info("skipped %s", error)
        skipped.append(Skipped.of(error))
    articles.flush()
    if (repeated := articles.first_repeated_id()) is not None:
        first, second = repeated
        raise DuplicateIdError(f"duplicate article id {first.id!r}: {first.origin} and "
                               f"{second.origin}; ids must be unique across all inputs")
    if progress:
        progress("loading", inputs, inputs)
    return Corpus(articles, tuple(skipped))


def as_corpus_ids(articles: Iterable[Article], corpus: Path) -> list[Article]:
    """The articles with the ids they have in ``corpus``: a text file under the corpus folder
    is named by its path relative to it, as when the folder itself is read."""
    root = corpus.resolve()
    named = []
    for article in articles:
        origin = Path(article.origin)
        if article.origin and origin.suffix.lower() in TEXT_SUFFIXES:
            resolved = origin.resolve()
            if resolved.is_relative_to(root):
                article = replace(in_memory(article), id=resolved.relative_to(root).as_posix())
        named.append(article)
    return named


@dataclass(frozen=True)
class InputFile:
    """One file to read: a text file (one article, ``article_id``) or a .jsonl file (its
    lines' articles; no id of its own)."""

    path: str
    article_id: str | None = None


def planned_reads(paths: Iterable[str | Path]) -> Iterator[InputFile | InputError]:
    """What reading ``paths`` takes, in order: each file to read, once whatever the paths
    that reach it, and each input known from its listing alone not to load. Reading the files
    in this order is :func:`load_corpus`; reading them apart (a cluster's tasks) and putting
    the results in this order gives the same articles."""
    named = list(paths)
    if any(path == "" for path in named):
        raise ParameterError("an empty path names no file or folder")
    # The real path of every file read or skipped: only where another path may reach it.
    seen: set[str] | None = set() if len(named) > 1 else None
    for path in map(str, named):
        if is_url(path):
            yield from _planned_url(path, seen)
        else:
            yield from _planned_path(Path(path), seen)


def _planned_url(url: str, seen: set[str] | None) -> Iterator[InputFile | InputError]:
    """The reads of :func:`planned_reads` under an object store's ``url``."""
    what = store_kind(url)
    if what is None:
        raise NotFoundError(f"{url}: no such key or prefix")
    if what == FOLDER:
        files = store_article_files(url)
        yield from _folder_reads({article_id: file for article_id, file in files.items()
                                  if seen is None or _first_time(file, seen)})
    elif seen is None or _first_time(url, seen):
        yield InputFile(url, None if _is_jsonl(url) else url)


def _is_jsonl(path: str) -> bool:
    return path.lower().endswith((JSONL_SUFFIX, JSONL_SUFFIX + GZIP_SUFFIX))


def _planned_path(path: Path, seen: set[str] | None) -> Iterator[InputFile | InputError]:
    """The reads of :func:`planned_reads` under ``path``, but for the files whose real paths
    are in ``seen`` (to which those planned are added)."""
    what = kind(str(path))
    if what is None:
        raise NotFoundError(f"{shown_path(str(path))}: no such file or folder")
    if what == FOLDER:
        listing = article_files(path)
        yield from _first_reached(listing.skipped, listing, seen).values()
        yield from _folder_reads(_first_reached(listing.files, listing, seen))
    elif seen is not None and not _first_time(os.path.realpath(path), seen):
        return
    elif what != FILE:
        yield InputError(what, shown_path(path.as_posix()))
    elif _is_jsonl(path.name):
        yield InputFile(path.as_posix())
    else:
        yield InputFile(path.as_posix(), path.as_posix())


def _folder_reads(files: Mapping[str, str]) -> Iterator[InputFile]:
    return (InputFile(file, article_id) for article_id, file in files.items())


def _first_reached(entries: dict[str, T], listing: FolderFiles, seen: set[str] | None
                   ) -> dict[str, T]:
    """The ``entries`` of ``listing`` (by id) whose real paths are not in ``seen``, which
    they join."""
    if seen is None:
        return entries
    return {article_id: entry for article_id, entry in entries.items()
            if _first_time(listing.real_path(article_id), seen)}


def _first_time(real_path: str, seen: set[str]) -> bool:
    """Whether ``real_path`` is not in ``seen`` (and now is)."""
    if real_path in seen:
        return False
    seen.add(real_path)
    return True


def _read_planned(reads: Iterable[InputFile | InputError], one_more: Callable[[], None],
                  articles: ArticleTable) -> Iterator[InputError]:
    """Add the articles of ``reads`` to ``articles``, calling ``one_more`` for each input
    read; yields the inputs that did not load."""
    for read in reads:
        if isinstance(read, InputError):
            yield read
        else:
            yield from read_file(read, one_more, articles)


def read_file(read: InputFile, one_more: Callable[[], None], articles: ArticleTable
              ) -> Iterator[InputError]:
    """Add the articles of one planned file to ``articles``; yields its inputs that did not
    load."""
    if read.article_id is None:
        yield from _read_jsonl(read.path, one_more, articles)
    else:
        one_more()
        yield from _added(_read_text_file(read.path, read.article_id), articles)


def read_apart(read: InputFile) -> tuple[list[Article], list[InputError]]:
    """The articles of one planned file, in memory, and its inputs that did not load: what
    a task reading files apart from the others hands back."""
    table = ArticleTable()
    errors = list(read_file(read, lambda: None, table))
    table.flush()
    return [in_memory(article) for article in table], errors


def corpus_of_reads(plan: Iterable[InputFile | InputError],
                    read: Iterable[tuple[list[Article], list[InputError]]], strict: bool = False
                    ) -> Corpus:
    """The corpus :func:`load_corpus` reads, from a plan (:func:`planned_reads`) and what
    :func:`read_apart` gave for each of its files, in order."""
    results = iter(read)

    def gathered(one_more: Callable[[], None], articles: ArticleTable) -> Iterator[InputError]:
        for item in plan:
            if isinstance(item, InputError):
                yield item
                continue
            found, errors = next(results)
            for article in found:
                one_more()
                articles.append(article)
            yield from errors

    return _collect(gathered, strict, None)


def read_from_text_file(article: Article) -> bool:
    """Was ``article`` read from a text file (.txt, .md), as a folder's articles are, and not
    from a line of a .jsonl file (whose origin ends in its line number)?"""
    return Path(article.origin).suffix.lower() in TEXT_SUFFIXES


def _is_text(name: str) -> bool:
    """Whether ``name`` is text (holds no lone surrogate, which stands for a byte that is not
    UTF-8 in a file name)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _decode_file(data: bytes, where: str) -> str | InputError:
    """The whole file ``where`` as text: UTF-8, or UTF-16 that opens with its byte-order
    mark (which Windows tools write)."""
    if not data.startswith(_UTF16_BOMS):
        return _decode(data, where)
    try:
        text = data.decode("utf-16")
    except UnicodeDecodeError as err:
        return InputError(f"not UTF-16 text (bad byte at offset {err.start})", where)
    return InputError("not a text file (contains NUL characters)", where) if "\0" in text \
        else text


def _decode(data: bytes, where: str, offset: int = 0) -> str | InputError:
    """``data``, found at ``offset`` in the file ``where``, as UTF-8 text (a byte-order mark
    dropped at the start of the file)."""
    if offset == 0 and data.startswith(_UTF16_BOMS):  # a .jsonl file's first line
        return InputError("UTF-16 text (a .jsonl file must be UTF-8)", where)
    if b"\0" in data:
        return InputError("not a text file (contains NUL bytes)", where)
    try:
        return data.decode("utf-8-sig" if offset == 0 else "utf-8")
    except UnicodeDecodeError as err:
        return InputError(f"not UTF-8 text (bad byte at offset {offset + err.start})", where)


def file_text(path: Path | str) -> str | InputError:
    """The whole text file at ``path`` (or an object store's URL), decoded as an article
    file is read (line ends as they are, a byte-order mark dropped)."""
    where = shown_path(str(path))
    try:
        with _opened(str(path)) as file:
            raw = file.read()
    except OSError as err:
        return InputError(f"cannot read: {err.strerror}", where)
    return _decode_file(raw, where)


def _opened(path: str) -> IO[bytes]:
    """The file at ``path``, on this machine or in an object store, opened for bytes."""
    return open_in_store(path) if is_url(path) else open(path, "rb")


def _read_text_file(path: str, article_id: str) -> Article | InputError:
    where = shown_path(path)
    if not _is_text(article_id):
        return InputError("the file name is not UTF-8 (an id is text: rename the file)", where)
    text = file_text(path)
    if isinstance(text, InputError):
        return text
    header, body, header_error = split_front_matter(text)
    if header_error is not None:
        return InputError(header_error[1], where, header_error[0])
    if not body.strip():
        after = " after the front matter" if header else ""
        return InputError(f"empty article (no text{after})", where)
    fields: dict[str, str] = {}
    extra: dict[str, str] = {}
    for key, value in header.items():
        if key in FRONT_MATTER_FIELDS:
            fields[FRONT_MATTER_FIELDS[key]] = value
        else:
            extra[key] = value
    for alias in PUBLISHED_ALIASES:
        if alias in header and "published" not in header:
            fields["published"] = header[alias]
    return _article(article_id, body, where, None, fields, extra)


def _added(item: Article | InputError, articles: ArticleTable) -> Iterator[InputError]:
    """Add ``item`` to ``articles``, or yield it if it is an error."""
    if isinstance(item, InputError):
        yield item
    else:
        articles.append(item)


def _read_jsonl(path: str, one_more: Callable[[], None], articles: ArticleTable
                ) -> Iterator[InputError]:
    """Add the articles of a jsonl file to ``articles``; yields its lines that did not load,
    or the one error that makes it unreadable as a whole (and then adds none of it).

    Read a line at a time, each article added as it is read: holding the file's bytes, its
    text and its lines at once would take several times the memory of the articles
    themselves (and much of it would stay with the process after).
    """
    where = shown_path(path)
    before = len(articles)
    errors: list[InputError] = []
    compressed = path.lower().endswith(GZIP_SUFFIX)
    try:
        with _opened(path) as raw, gzip.open(raw, "rb") if compressed else raw as file:
            for number, text in _decoded_lines(file, where):
                if isinstance(text, InputError):
                    articles.truncate(before)
                    yield text
                    return
                one_more()
                if text.strip():
                    errors.extend(_added(_article_from_json(text, where, number), articles))
    except (gzip.BadGzipFile, EOFError, zlib.error) as err:  # before OSError: one of them
        articles.truncate(before)
        yield InputError(f"not a whole gzip file ({err})", where)
        return
    except OSError as err:
        articles.truncate(before)
        yield InputError(f"cannot read: {err.strerror}", where)
        return
    yield from errors


def jsonl_articles(lines: Iterable[bytes], where: str) -> Iterator[Article]:
    """The articles of the lines of a .jsonl file (named ``where``) as ``lines`` gives them,
    each line's bytes with its newline; lines that are not articles are passed over."""
    for number, text in _decoded_lines(lines, where):
        if isinstance(text, str) and text.strip():
            article = _article_from_json(text, where, number)
            if isinstance(article, Article):
                yield article


def _decoded_lines(lines: Iterable[bytes], where: str
                   ) -> Iterator[tuple[int, str | InputError]]:
    """Each line of a .jsonl file (named ``where``) with its number: its text, or the error
    that it is not UTF-8 (naming the byte's offset in the file).

    Lines end at "\n" only, as JSON Lines has it (iterating bytes splits there alone): a
    text may hold U+2028 and the other characters str.splitlines also breaks at."""
    offset = 0
    for number, data in enumerate(lines, start=1):
        yield number, _decode(data, where, offset)
        offset += len(data)


def _article_from_json(line: str, where: str, number: int) -> Article | InputError:
    try:
        record: Any = json.loads(line)
    except json.JSONDecodeError as err:
        return InputError(_json_problem(line, err), where, number)
    if not isinstance(record, dict):
        return InputError("expected a JSON object with 'id' and 'text'", where, number)
    article_id, text = record.get("id"), record.get("text")
    if (not isinstance(article_id, str | int) or isinstance(article_id, bool)
            or article_id == "" or _CONTROL.search(str(article_id))):
        return InputError("missing or invalid 'id' (a non-empty string on one line, without "
                          "control characters)", where, number)
    if not isinstance(text, str):
        return InputError("missing or invalid 'text' (a string)", where, number)
    if not text.strip():
        return InputError("empty article text", where, number)
    for key in _JSONL_TEXT_FIELDS:
        if record.get(key) is not None and not isinstance(record[key], str):
            return InputError(f"{key!r} must be a string or null, not "
                              f"{_json_kind(record[key])}", where, number)
    fields = {key: record[key] for key in _JSONL_FIELDS if record.get(key) is not None}
    fields["language"] = record.get("language", record.get("lang")) or ""
    # Kept as they are written (never as Python writes them): the tool reads no extra field,
    # so one of any type is carried to the reports rather than cost the article.
    extra = {key: value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
             for key, value in record.items() if key not in _JSONL_KNOWN and value is not None}
    return _article(str(article_id), text, where, number, fields, extra)


def _json_problem(line: str, err: json.JSONDecodeError) -> str:
    """What ``err`` says is wrong with the JSON ``line``: where the line ends before its value
    does (a file cut short, a line broken in two), that it is cut off."""
    if err.msg.startswith("Unterminated string") or not line[err.pos:].strip():
        return "the line is cut off: it ends before its JSON value does"
    return f"malformed JSON: {err.msg} (column {err.colno})"


def _json_kind(value: object) -> str:
    """What JSON calls the type of ``value`` (not a string), as a message names it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return "a number"
    return "an array" if isinstance(value, list) else "an object"


def _article(article_id: str, text: str, where: str, line: int | None,
             fields: dict[str, str], extra: dict[str, str]) -> Article | InputError:
    """The article read from the file ``where`` (at ``line``) with these fields (with no
    mapping of its own when it has no extra: its spooled record then holds none), or why it
    cannot be one."""
    origin = where if line is None else f"{where}:{line}"
    try:
        return Article(id=article_id, text=text, origin=origin, extra=extra or NO_EXTRA,
                       **fields)
    except ArticleTextError as err:
        return InputError(err.reason, where, line)

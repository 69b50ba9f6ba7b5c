"""Reading articles: folders of text files and JSON-lines files. The only input I/O of the library.

A text file may open with a front-matter block of ``key: value`` lines between two ``---``
lines; the rest of the file is the article text. A ``.jsonl`` file holds one JSON object per
line with at least ``id`` and ``text`` (the format of the labelled datasets).
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .errors import DuplicateIdError, InputError, NotFoundError, ParameterError
from .model import NO_EXTRA, Article, Skipped
from .texts import ArticleSpool, SpooledArticle, in_memory, new_spool

log = logging.getLogger(__name__)

TEXT_SUFFIXES = (".txt", ".md")
JSONL_SUFFIX = ".jsonl"
#: Front-matter keys that map onto Article fields; any other key is kept in ``extra``.
FRONT_MATTER_FIELDS = {"title": "title", "outlet": "outlet", "url": "url",
                       "published": "published", "language": "language", "lang": "language"}
_JSONL_FIELDS = {"title", "outlet", "url", "published"}
#: Inputs (files, or lines of a .jsonl file) read between two reports of progress.
LOADING_REPORT = 10_000


@dataclass(frozen=True)
class Corpus:
    """The articles that loaded, in input order, and the inputs that were skipped."""

    articles: tuple[Article, ...]
    skipped: tuple[Skipped, ...]


def load_corpus(paths: Iterable[str | Path], strict: bool = False,
                progress: Callable[[str, int, int], None] | None = None) -> Corpus:
    """Load every article under ``paths``; bad inputs are skipped (or raise when ``strict``).
    ``progress("loading", inputs read, 0)`` is called every so many inputs (files, or lines
    of a .jsonl file; the total is not known until the end), then with the total.

    The texts go to a temporary file as they are read, with the fields read once or twice
    a scan (see :mod:`texts`; not on Windows): the articles read them back when they are
    asked for."""
    articles: list[Article] = []
    spool = new_spool()
    skipped: list[Skipped] = []
    seen: dict[str, Article] = {}
    inputs = 0

    def one_more() -> None:
        nonlocal inputs
        inputs += 1
        if progress and inputs % LOADING_REPORT == 0:
            progress("loading", inputs, 0)

    for path in paths:
        for item in _read_path(Path(path), one_more, spool):
            if isinstance(item, InputError):
                if strict:
                    raise item
                log.info("skipped %s", item)
                skipped.append(Skipped(item.location, item.reason))
                continue
            if item.id in seen:
                raise DuplicateIdError(
                    f"duplicate article id {item.id!r}: {seen[item.id].origin} and {item.origin}; "
                    "ids must be unique across all inputs"
                )
            seen[item.id] = item
            articles.append(item)
    if spool is not None:
        spool.flush()
    if progress:
        progress("loading", inputs, inputs)
    return Corpus(tuple(articles), tuple(skipped))


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


def changed_since(ref: str, folder: Path) -> list[Path]:
    """The article files (.txt, .md, .jsonl) under ``folder`` added or changed since the git
    ``ref``, committed or not, and those not yet tracked."""
    top = Path(_git(folder, "rev-parse", "--show-toplevel").strip())
    inside = folder.resolve().relative_to(top.resolve()).as_posix() or "."
    listed = _git(top, "diff", "--name-only", "--diff-filter=AMR", ref, "--", inside)
    listed += _git(top, "ls-files", "--others", "--exclude-standard", "--", inside)
    names = sorted({line for line in listed.splitlines() if line.strip()})
    return [top / name for name in names
            if Path(name).suffix.lower() in {*TEXT_SUFFIXES, JSONL_SUFFIX}
            and (top / name).is_file()]


def _git(where: Path, *args: str) -> str:
    try:
        done = subprocess.run(["git", "-C", str(where), *args], capture_output=True,
                              text=True, check=False)
    except FileNotFoundError as err:
        raise ParameterError("--since needs git, which is not installed") from err
    if done.returncode != 0:
        raise ParameterError(f"git {' '.join(args[:2])} failed in {where}: "
                             + (done.stderr.strip().splitlines() or ["no message"])[-1])
    return done.stdout


def _read_path(path: Path, one_more: Callable[[], None], spool: ArticleSpool | None
               ) -> Iterator[Article | InputError]:
    """The articles under ``path``, their texts spooled, calling ``one_more`` for each input
    read."""
    if path.is_dir():
        for file in _text_files(path):
            one_more()
            yield _spooled(_read_text_file(file, file.relative_to(path).as_posix()), spool)
    elif path.is_file():
        if path.suffix.lower() == JSONL_SUFFIX:
            yield from _read_jsonl(path, one_more, spool)
        else:
            one_more()
            yield _spooled(_read_text_file(path, path.as_posix()), spool)
    else:
        raise NotFoundError(f"{path}: no such file or folder")


def _text_files(folder: Path) -> list[Path]:
    """The .txt and .md files under ``folder``, recursively, skipping hidden folders; sorted."""
    found = [
        file for file in folder.rglob("*")
        if file.suffix.lower() in TEXT_SUFFIXES
        and file.is_file()
        and not any(part.startswith(".") for part in file.relative_to(folder).parts)
    ]
    return sorted(found)


def _decode(data: bytes, where: str, offset: int = 0) -> str | InputError:
    """``data``, found at ``offset`` in the file ``where``, as text (a byte-order mark
    dropped at the start of the file)."""
    if b"\0" in data:
        return InputError("not a text file (contains NUL bytes)", where)
    try:
        return data.decode("utf-8-sig" if offset == 0 else "utf-8")
    except UnicodeDecodeError as err:
        return InputError(f"not UTF-8 text (bad byte at offset {offset + err.start})", where)


def _read_text_file(path: Path, article_id: str) -> Article | InputError:
    where = path.as_posix()
    try:
        raw = path.read_bytes()
    except OSError as err:
        return InputError(f"cannot read: {err.strerror}", where)
    text = _decode(raw, where)
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
    return _article(article_id, body, where, fields, extra)


def split_front_matter(text: str) -> tuple[dict[str, str], str, tuple[int, str] | None]:
    """Split ``---``-delimited ``key: value`` lines off the top of ``text``.

    Returns the header, the body, and ``(line, message)`` when the block is malformed.
    """
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return {}, text, None
    header: dict[str, str] = {}
    for number, line in enumerate(lines[1:], start=2):
        if line.strip() == "---":
            return header, "".join(lines[number:]), None
        if not line.strip():
            continue
        key, colon, value = line.partition(":")
        key = key.strip().lower()
        if not colon or not key:
            return {}, text, (number, f"front matter line is not 'key: value': {line.strip()!r}")
        header[key] = value.strip()
    return {}, text, (1, "front matter opened with '---' is never closed by a '---' line")


def _spooled(item: Article | InputError, spool: ArticleSpool | None) -> Article | InputError:
    if isinstance(item, InputError) or spool is None:
        return item
    return SpooledArticle(item, spool)


def _read_jsonl(path: Path, one_more: Callable[[], None], spool: ArticleSpool | None
                ) -> Iterator[Article | InputError]:
    """The articles of a jsonl file, or the one error that makes it unreadable as a whole.

    Read a line at a time, each text spooled as it is read: holding the file's bytes, its
    text and its lines at once would take several times the memory of the articles
    themselves (and much of it would stay with the process after).
    """
    where = path.as_posix()
    articles: list[Article | InputError] = []
    number = offset = 0
    try:
        with path.open("rb") as file:
            for data in file:
                text = _decode(data, where, offset)
                if isinstance(text, InputError):
                    yield text
                    return
                offset += len(data)
                number += 1
                one_more()
                # Lines end at "\n" only, as JSON Lines has it: a text may hold U+2028 and
                # the other characters str.splitlines also breaks at.
                if text.strip():
                    articles.append(_spooled(_article_from_json(text, where, number), spool))
    except OSError as err:
        yield InputError(f"cannot read: {err.strerror}", where)
        return
    yield from articles


def _article_from_json(line: str, where: str, number: int) -> Article | InputError:
    try:
        record: Any = json.loads(line)
    except json.JSONDecodeError as err:
        return InputError(f"malformed JSON: {err.msg} (column {err.colno})", where, number)
    if not isinstance(record, dict):
        return InputError("expected a JSON object with 'id' and 'text'", where, number)
    article_id, text = record.get("id"), record.get("text")
    if not isinstance(article_id, str | int) or isinstance(article_id, bool) or article_id == "":
        return InputError("missing or invalid 'id' (a non-empty string)", where, number)
    if not isinstance(text, str):
        return InputError("missing or invalid 'text' (a string)", where, number)
    if not text.strip():
        return InputError("empty article text", where, number)
    fields = {key: str(record[key]) for key in _JSONL_FIELDS if record.get(key) is not None}
    fields["language"] = str(record.get("language", record.get("lang")) or "")
    known = {"id", "text", "language", "lang", *_JSONL_FIELDS}
    extra = {key: str(value) for key, value in record.items()
             if key not in known and value is not None}
    return _article(str(article_id), text, f"{where}:{number}", fields, extra)


#: Fields whose values recur across a corpus's articles (a million articles, a few hundred
#: outlets): one string is kept for each value, not one per article.
_RECURRING = ("outlet", "published", "language")


def _article(article_id: str, text: str, origin: str, fields: dict[str, str],
             extra: dict[str, str]) -> Article:
    """The article loaded with these fields, in as little memory as it can take: the
    :data:`_RECURRING` values interned, and no mapping of its own when it has no extra."""
    for key in _RECURRING:
        if key in fields:
            fields[key] = sys.intern(fields[key])
    return Article(id=article_id, text=text, origin=origin, extra=extra or NO_EXTRA, **fields)

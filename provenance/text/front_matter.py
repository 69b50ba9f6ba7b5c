"""Front matter: the block of fields that static-site generators and newsroom exports put at
the top of an article file, read as they write it.

- YAML between ``---`` lines (Jekyll, Hugo, Eleventy): quoted strings, lists, block
  scalars; every value kept as written (``language: no`` is Norwegian, not false). Where
  the block is not valid YAML but every line is ``key: value`` (a title holding a colon,
  ``title: Update: talks resume``, breaks YAML and is common in news), the lines are read
  as such, each value's surrounding quotes dropped.
- TOML between ``+++`` lines (Hugo).

Every value becomes text: a list is joined with ``", "``, a date or time is written in ISO
8601, nothing is ``""``. Keys are lower-cased.
"""

from __future__ import annotations

import datetime
import json
import re
import tomllib
from collections.abc import Mapping
from typing import Any

import yaml

#: ``(line, message)``: where and why a block cannot be read.
Problem = tuple[int, str]
_QUOTED = re.compile(r"""^(["'])(.*)\1$""", re.DOTALL)
#: A key as a ``key: value`` line starts: at the line's start, a word and its spaces.
_KEY = re.compile(r"[^\W\d][\w .-]*", re.UNICODE)


def split_front_matter(text: str) -> tuple[dict[str, str], str, Problem | None]:
    """Split the front matter off the top of ``text``: the fields, the body (the text after
    the block), and ``(line, message)`` when the block cannot be read (then no fields, and
    the whole text as the body)."""
    lines = text.splitlines(keepends=True)
    fence = lines[0].strip() if lines else ""
    if fence not in ("---", "+++"):
        return {}, text, None
    for number, line in enumerate(lines[1:], start=2):
        if line.strip() == fence or (fence == "---" and line.strip() == "..."):
            block, body = "".join(lines[1:number - 1]), "".join(lines[number:])
            fields = _toml(block) if fence == "+++" else _yaml(block)
            if isinstance(fields, tuple):
                line_number, message = fields
                return {}, text, (line_number + 1, message)  # the block starts on line 2
            return fields, body, None
    return {}, text, (1, f"front matter opened with '{fence}' is never closed by a "
                         f"'{fence}' line")


def _yaml(block: str) -> dict[str, str] | Problem:
    try:
        # Every value as written: YAML 1.1's implicit types read "no" as false and "On" as
        # true, where a language code or a title means the words.
        loaded = yaml.load(block, Loader=yaml.BaseLoader)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        problem = getattr(err, "problem", None) or "not valid YAML"
        invalid: Problem = ((mark.line + 1 if mark else 1),
                            f"front matter is not valid YAML: {problem}")
        lines = _key_value_lines(block)
        return lines if isinstance(lines, dict) else invalid
    if loaded is None:
        return {}
    if not isinstance(loaded, Mapping):
        return _key_value_lines(block)
    return _as_text(loaded)


def _toml(block: str) -> dict[str, str] | Problem:
    try:
        return _as_text(tomllib.loads(block))
    except tomllib.TOMLDecodeError as err:
        found = re.search(r"line (\d+)", str(err))
        return (int(found.group(1)) if found else 1), f"front matter is not valid TOML: {err}"


def _key_value_lines(block: str) -> dict[str, str] | Problem:
    """Each non-blank line as ``key: value`` (the value's surrounding quotes dropped)."""
    fields: dict[str, str] = {}
    for number, line in enumerate(block.splitlines(), start=1):
        if not line.strip():
            continue
        key, colon, value = line.partition(":")
        if not colon or not _KEY.fullmatch(key):
            return number, f"front matter line is not 'key: value': {line.strip()!r}"
        quoted = _QUOTED.match(value.strip())
        fields[key.strip().lower()] = quoted.group(2) if quoted else value.strip()
    return fields


def _as_text(fields: Mapping[Any, Any]) -> dict[str, str]:
    return {str(key).strip().lower(): _text(value) for key, value in fields.items()}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return ", ".join(_text(item) for item in value)
    if isinstance(value, Mapping):
        return json.dumps(_as_text(value), ensure_ascii=False)
    return str(value).strip()

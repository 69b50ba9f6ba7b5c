"""Outside text (file names, article ids, titles, quoted passages) as the reports show it:
whatever an article or a file name holds, it never starts a line of its own, a workflow
command, XML that does not parse, or live Markdown or HTML.

One convention for the characters no line-based output may hold raw, in every format:
control characters (C0, DEL, C1), the Unicode line and paragraph separators, lone
surrogates (a file name that is not UTF-8) and the two non-characters XML 1.0 forbids
(U+FFFE, U+FFFF) are shown as the escapes Python and git write: ``\\t``, ``\\n``, ``\\r``,
``\\x1b``, ``\\u2028``; and a name that starts with ``::``, which GitHub Actions reads as a
workflow command at the start of a line of a log, shows its first colon as ``\\x3a``.
Backslashes are left as they are, so that every other name reads as it is; the escapes are
for people to read, not for programs to decode (the JSON output holds the names
themselves).
"""

from __future__ import annotations

import re

#: What :func:`visible` escapes: each of these ends a line for some reader (Python's
#: ``str.splitlines``, a terminal, a log viewer) or cannot be written in XML 1.0 at all.
_UNSHOWABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}
#: ASCII punctuation that Markdown or HTML may read as markup inside a line: links and
#: images (``[``, ``]``), HTML tags and entities (``<``, ``>``, ``&``), emphasis, code
#: spans, strikethrough and GitHub's math (``*``, ``_``, `````, ``~``, ``$``), table cells
#: (``|``), and the backslash that escapes them.
_MARKUP = re.compile(r"([\\`*_\[\]<>&|~$])")


#: What opens a workflow command at the start of a line of a GitHub Actions log.
WORKFLOW_COMMAND = "::"


def visible(text: str) -> str:
    """``text`` with every character no line-based output may hold raw shown as an escape,
    and a leading :data:`WORKFLOW_COMMAND` too (the text may start a line: a table's first
    cell, a location)."""
    shown = _UNSHOWABLE.sub(_escape, text)
    return "\\x3a" + shown[1:] if shown.startswith(WORKFLOW_COMMAND) else shown


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    return _NAMED.get(char) or (f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}")


def markdown_text(text: str) -> str:
    """``text`` as inline Markdown that shows it as it is, on one line: its characters
    shown :func:`visible`, and those Markdown or HTML may read as markup backslash-escaped
    (so no link, image, tag or table cell comes of it)."""
    return _MARKUP.sub(r"\\\1", visible(text))

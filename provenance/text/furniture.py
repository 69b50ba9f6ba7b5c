"""Page furniture: text on a news page that is not the article.

Three general rules, each a line-level decision on the original text:

1. **Widget lines**: a line that is nothing but a known widget phrase (``Share this article``,
   ``3 min read``, ``Leave a comment``, ``Advertisement`` ...: :data:`WIDGET_PATTERNS`).
2. **Comment sections**: a comment-section heading (``Comments``, ``Reader comments``,
   ``12 responses``, ``Join the discussion``: :data:`COMMENT_HEADING`) past the first third
   of the article, followed only by short paragraphs (names, comments, a comment policy, a
   form), starts a block that runs to the end of the text; the block is removed. Without a
   heading a comment thread looks too much like a run of short subheaded paragraphs to cut
   safely, so it stays.
3. **Repeated lines**: a short line that recurs in many articles of the corpus is a site's
   template (a newsletter pitch, a caption credit), not reporting. See :class:`LineCounts`.

Removed text is blanked out with spaces rather than cut, so offsets into the original hold.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple, overload

from provenance.model import Article
from provenance.text.normalize import fold

#: Whole-line widget phrases, matched against the folded line without trailing punctuation.
WIDGET_PATTERNS: tuple[str, ...] = (
    r"share( this| the)?( article| story| post| page)?( on \w+)?",
    r"(subscribe|sign up)( now| today)?( to| for)?( our| the)?( \w+)? newsletters?",
    r"subscribe( now)?",
    r"(leave|add|post|write) a (comment|reply|response)",
    r"\d+ min(ute)?s? read",
    r"minimum \d+ characters?( \d+ ?/ ?\d+)?",
    r"\d+ ?/ ?\d+",
    r"advertisement|sponsored( content)?",
    r"(read|see) (more|also)|also read|related( articles| stories)?",
    r"follow us( on [\w ,]+)?",
    r"click here( to [\w ]+)?",
    r"print( this)?( article)?|email( this)?( article)?",
)
#: A line that opens a comment section.
COMMENT_HEADING = (
    r"((reader|user|visitor)s?'? )?comments?( \(?\d+\)?)?"
    r"|\d+ (comments?|responses?|replies)|join the (conversation|discussion)"
)

_WIDGET = re.compile(r"(?:" + "|".join(WIDGET_PATTERNS) + r")")
_HEADING = re.compile(r"(?:" + COMMENT_HEADING + r")")
_TRAILING_PUNCTUATION = " .:;,!?|-\u2022*#>"

#: Lines of at most this many words can be template lines; longer ones are prose.
MAX_TEMPLATE_WORDS = 8
#: A comment paragraph is at most this many words.
MAX_COMMENT_WORDS = 120


class Line(NamedTuple):
    """One non-blank line of the original text: its span, its folded, trimmed form, and
    how many words that has."""

    start: int
    end: int
    key: str
    words: int


def lines_of(text: str) -> list[Line]:
    """The non-blank lines of ``text`` with their spans (newline excluded)."""
    found = []
    start = 0
    for raw in text.split("\n"):
        if raw.strip():
            key = " ".join(fold(raw).split()).strip(_TRAILING_PUNCTUATION)
            # One space between words, none at the ends: the spaces count the words.
            found.append(Line(start, start + len(raw), key, key.count(" ") + 1 if key else 0))
        start += len(raw) + 1
    return found


@dataclass(frozen=True)
class LineCounts:
    """In how many of a set of texts each short line occurs: what decides which lines are a
    corpus's templates; and which texts hold a line that is furniture whatever the counts
    (a widget, a comment heading). Counts of disjoint sets of texts add up, so parts of a
    corpus can be counted apart."""

    texts: int
    counts: Counter[str]
    #: For each text, in order: does it hold a widget line or a comment heading?
    fixed_furniture: list[bool]

    @classmethod
    def of(cls, texts: Iterable[str]) -> LineCounts:
        """Count the short lines of ``texts``."""
        counts: Counter[str] = Counter()
        fixed = []
        for text in texts:
            lines = lines_of(text)
            counts.update({line.key for line in lines
                           if line.key and line.words <= MAX_TEMPLATE_WORDS})
            fixed.append(any(_WIDGET.fullmatch(line.key) or _HEADING.fullmatch(line.key)
                             for line in lines))
        return cls(len(fixed), counts, fixed)

    @classmethod
    def merge(cls, parts: Iterable[LineCounts]) -> LineCounts:
        """The counts of the texts of all ``parts`` (counted on disjoint texts), in order."""
        counts: Counter[str] = Counter()
        fixed: list[bool] = []
        for part in parts:
            counts.update(part.counts)
            fixed += part.fixed_furniture
        return cls(len(fixed), counts, fixed)

    def may_hold_furniture(self, repeated: frozenset[str]) -> list[bool]:
        """For each text: can it hold furniture, given the corpus's ``repeated`` lines? A text
        with no widget line, no comment heading, and (the corpus repeating no line) no
        template line has none to remove."""
        return [True] * self.texts if repeated else self.fixed_furniture

    def repeated(self, min_articles: int | None = None) -> frozenset[str]:
        """Short lines found in at least ``min_articles`` of the texts (default: max(5,
        1%))."""
        threshold = (min_articles if min_articles is not None
                     else max(5, math.ceil(0.01 * self.texts)))
        return frozenset(key for key, count in self.counts.items() if count >= threshold)


def furniture_spans(text: str, repeated: frozenset[str] = frozenset()) -> list[tuple[int, int]]:
    """Spans of ``text`` that are page furniture, in order."""
    lines = lines_of(text)
    cut = _comment_section_start(lines)
    spans = [(line.start, line.end) for line in lines[:cut] if _is_template(line, repeated)]
    if cut < len(lines):
        spans.append((lines[cut].start, lines[-1].end))
    return spans


def remove_furniture(text: str, repeated: frozenset[str] = frozenset()) -> str:
    """``text`` with its furniture blanked out by spaces (same length, same offsets)."""
    return blanked(text, furniture_spans(text, repeated))


def blanked(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """``text`` with the ``spans`` (in order) blanked out by spaces, line breaks kept."""
    pieces = []
    position = 0
    for start, end in spans:
        pieces.append(text[position:start])
        pieces.append(re.sub(r"[^\n]", " ", text[start:end]))
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


class Bodies(Sequence[str]):
    """The bodies of a list of articles: each one's text with its furniture blanked, made
    each time it is asked for from the text and the spans found in it. Only the spans are
    held (and most articles have none), never a second copy of the texts."""

    def __init__(self, articles: Sequence[Article],
                 furniture: Mapping[int, Sequence[tuple[int, int]]]) -> None:
        self.articles = articles
        #: The furniture spans of the articles that have some, by position.
        self.furniture = furniture

    def __len__(self) -> int:
        return len(self.articles)

    @overload
    def __getitem__(self, position: int) -> str: ...

    @overload
    def __getitem__(self, positions: slice) -> list[str]: ...

    def __getitem__(self, position: int | slice) -> str | list[str]:
        if isinstance(position, slice):
            return [self[n] for n in range(*position.indices(len(self)))]
        return self.text_and_body(position)[1]

    def text_and_body(self, position: int) -> tuple[str, str]:
        """The text of the article at ``position`` and its body, the text read once (a
        spooled article's is read back each time it is asked for)."""
        text = self.articles[position].text
        spans = self.furniture.get(range(len(self))[position])
        return text, blanked(text, spans) if spans else text


def _is_template(line: Line, repeated: frozenset[str]) -> bool:
    return bool(_WIDGET.fullmatch(line.key)) or line.key in repeated


def _comment_section_start(lines: Sequence[Line]) -> int:
    """Index of the first line of a trailing comment section, or ``len(lines)`` if none."""
    total_words = sum(line.words for line in lines)
    words_before = 0
    for index, line in enumerate(lines):
        if (
            _HEADING.fullmatch(line.key)
            and words_before * 3 >= total_words
            and all(_is_short_paragraph(rest) for rest in lines[index + 1 :])
        ):
            return index
        words_before += line.words
    return len(lines)


def _is_short_paragraph(line: Line) -> bool:
    return line.words <= MAX_COMMENT_WORDS

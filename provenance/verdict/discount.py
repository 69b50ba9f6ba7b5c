"""No derivation without copy: the shared text that is not evidence that one article copies
the other, and the rule a derivation must meet without it.

Two articles may share text that neither took from the other:

- **quotes**: both quote one statement from its speaker. Text inside quotation marks in both
  articles is discounted (text quoted in one only, a story quoting wire paragraphs, is copy);
- **boilerplate**: what a press release carries after its story (an ``About <company>``
  section, media contacts, the wire's ``SOURCE`` and "View original content" lines, a
  conference-call notice, non-GAAP measures, a forward-looking-statements notice), a
  release wire's ``... | Source: <company>`` header line, and copyright lines;
- **templates**: one publisher's stock lines (a newsletter pitch, "X is part of Y Media"),
  shared by two articles of that outlet: a line or two that both carry whole, amid text of
  their own (at most :data:`TEMPLATE_WORDS` words in a run), or the footer both close with
  (at most :data:`FOOTER_WORDS` words, less than half of either text).

A sentence is discounted when most of its words lie in such text. A derivation rests on the
aligned sentences left: at least :data:`MIN_ALIGNED_SENTENCES` of them of at least
:data:`MIN_SENTENCE_WORDS` words (a heading or a dateline is no copy), or
:data:`MIN_ALIGNED_SHARE` of the derived text (a one-paragraph brief). Less than that, and
the verdict is no reuse, whatever the shared quotes and boilerplate. The thresholds are
lineage's since its start (two aligned sentences, or half the text); the scenario suite's
pairs that share only quotes, boilerplate or templates share at most one sentence beyond
them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from provenance.text.document import Document
from provenance.text.furniture import Line, lines_of

#: Aligned sentences a derivation needs, outside discounted text...
MIN_ALIGNED_SENTENCES = 2
#: ...or this share of the derived text's words in such sentences.
MIN_ALIGNED_SHARE = 0.5
#: Words an aligned sentence needs to count towards :data:`MIN_ALIGNED_SENTENCES`: a
#: heading, a dateline or a site's breadcrumb line is not copy.
MIN_SENTENCE_WORDS = 8
#: Consecutive lines of at most this many words in all, carried whole by two articles of
#: one outlet amid text of their own, are the outlet's template: a stock line or two stand
#: alone, where copy (an article updated, say) runs for paragraphs.
TEMPLATE_WORDS = 40
#: An outlet's footer, which two of its articles close with, is at most this many words: a
#: few stock lines (a subscription pitch, a newsletter, a tip line, a corrections policy).
FOOTER_WORDS = 3 * TEMPLATE_WORDS
#: Quotation marks that open a quotation and the marks that close it: typographic double
#: quotes, guillemets, CJK brackets, and the straight double quote, which both opens and
#: closes (so is paired within its paragraph only).
_QUOTE_PAIRS = {"\u201c": "\u201d", "\u00ab": "\u00bb", "\u201e": "\u201c", "\u300c": "\u300d",
                "\u300e": "\u300f", '"': '"'}
_OPENING = re.compile("[" + "".join(_QUOTE_PAIRS) + "]")
#: A line that opens a release's closing boilerplate, which runs to the end of the text.
_BOILERPLATE_HEADING = re.compile(
    r"About (?:the )?[A-Z][\w&.,'\u2019-]*(?: (?:[A-Z][\w&.,'\u2019-]*|of|and|&|for|the|de))*"
    r"|(?i:(?:media|press|investor|news) contacts?|contacts?|forward[- ]looking statements?"
    r"|safe harbou?r statement|# ?# ?#|-30-|ends"
    r"|conference call(?: and webcast)?(?: information| details)?|webcast"
    r"|non-(?:gaap|ifrs)(?: financial)? measures)")
#: Lines that are boilerplate wherever they stand.
_BOILERPLATE_LINE = re.compile(
    r"(?i:copyright)\s*(?:©|\([cC]\))?\s*(?:\d{4}|the\b).{0,100}|©.{0,100}"
    r"|(?i:.{0,80}all rights reserved.{0,40})|SOURCE [\w&.,'\u2019 -]{1,80}"
    r"|(?i:view original content.{0,300}|news provided by)"
    # A release wire's header: "March 26, 2026 17:30 ET | Source: Acme Inc."
    r"|(?i:[^|\n]{0,60}\|\s*source:.{1,80})")
_TRAILING_PUNCTUATION = " .:;,!?|-\u2022*#>"


@dataclass(frozen=True)
class Evidence:
    """What of a pair's aligned sentences shows copy: those outside discounted text, and
    the words of the derived text discounted, by reason."""

    #: Aligned sentences outside discounted text, of at least :data:`MIN_SENTENCE_WORDS`
    #: words; and the derived text's words in them, or in shared passages outside
    #: discounted text, whichever are more.
    sentences: int
    words: int
    #: ``(reason, words)``: aligned words of the derived text in quotes both articles hold,
    #: in boilerplate, in one outlet's template lines.
    discounted: tuple[tuple[str, int], ...]

    def shows_copy(self, derived_words: int) -> bool:
        """Is this enough to rest a derivation on (``derived_words``: the derived text's)?"""
        return (self.sentences >= MIN_ALIGNED_SENTENCES
                or (derived_words > 0 and self.words / derived_words >= MIN_ALIGNED_SHARE))


@dataclass(frozen=True)
class Marks:
    """Which of one article's words lie inside quotation marks and inside boilerplate: read
    once for every pair the article is judged in."""

    quoted: npt.NDArray[np.bool_]
    boilerplate: npt.NDArray[np.bool_]

    @classmethod
    def of(cls, document: Document) -> Marks:
        """The marks of ``document``'s words."""
        return cls(_words_inside(document, quotation_spans(document.text)),
                   _words_inside(document, boilerplate_spans(document.text)))


def evidence(source: Document, derived: Document, marks: tuple[Marks, Marks],
             aligned_source: npt.NDArray[np.int64], aligned_derived: npt.NDArray[np.int64],
             passage_spans: npt.NDArray[np.int64], same_outlet: bool) -> Evidence:
    """The :class:`Evidence` of the aligned sentences ``aligned_source[i]`` of ``source``
    and ``aligned_derived[i]`` of ``derived`` (``marks``: of each, in that order), and of
    their shared passages (rows of word positions ``(source first, end, derived first, end,
    ...)``); ``same_outlet``: whether one outlet published both, whose template lines are
    then discounted."""
    source_marks, derived_marks = marks
    template = (_words_inside(derived, template_spans(derived.text, source.text))
                if same_outlet else np.zeros(derived.words.starts.size, dtype=bool))
    reasons = {
        "quotes both carry": (_share(source, source_marks.quoted, aligned_source) > 0.5)
        & (_share(derived, derived_marks.quoted, aligned_derived) > 0.5),
        "boilerplate": (_share(source, source_marks.boilerplate, aligned_source) > 0.5)
        | (_share(derived, derived_marks.boilerplate, aligned_derived) > 0.5),
        "the outlet's template": _share(derived, template, aligned_derived) > 0.5,
    }
    lengths = derived.sentence_lengths[aligned_derived]
    discounted = np.zeros(aligned_derived.size, dtype=bool)
    by_reason = []
    for reason, hit in reasons.items():
        fresh = hit & ~discounted
        if fresh.any():
            by_reason.append((reason, int(lengths[fresh].sum())))
        discounted |= hit
    kept = ~discounted
    # Passages count their derived words outside boilerplate and templates, and outside
    # quotes where the source quotes the same words.
    in_passages = np.zeros(derived.words.starts.size, dtype=bool)
    for source_first, source_end, first, end in passage_spans[:, :4].tolist():
        quoted_there = source_marks.quoted[source_first:source_end].mean() > 0.5
        in_passages[first:end] = ~(derived_marks.boilerplate[first:end] | template[first:end]
                                   | (derived_marks.quoted[first:end] & quoted_there))
    return Evidence(int(np.count_nonzero(kept & (lengths >= MIN_SENTENCE_WORDS))),
                    max(int(lengths[kept].sum()), int(in_passages.sum())), tuple(by_reason))


def quotation_spans(text: str) -> list[tuple[int, int]]:
    """The spans of ``text`` inside quotation marks (the marks included). A typographic
    quotation runs to its closing mark, across paragraphs (a long quote reopens each
    paragraph and closes once); a straight one within its paragraph; one never closed, to
    the end of its paragraph."""
    spans = []
    at = 0
    while (opening := _OPENING.search(text, at)) is not None:
        start = opening.start()
        closer = _QUOTE_PAIRS[opening.group()]
        paragraph_end = _paragraph_end(text, start)
        end = text.find(closer, start + 1, paragraph_end if closer == '"' else len(text))
        end = paragraph_end if end < 0 else end + 1
        spans.append((start, end))
        at = end
    return spans


def _paragraph_end(text: str, start: int) -> int:
    end = text.find("\n\n", start)
    return len(text) if end < 0 else end


def boilerplate_spans(text: str) -> list[tuple[int, int]]:
    """The spans of ``text`` that are boilerplate: from a closing heading (``About Acme``,
    ``Media Contact``) to the end, and boilerplate lines anywhere."""
    spans = []
    for line in lines_of(text):
        raw = text[line.start:line.end].strip().strip(_TRAILING_PUNCTUATION)
        if _BOILERPLATE_HEADING.fullmatch(raw) and line.words <= 8:
            spans.append((line.start, len(text)))
            break
        if _BOILERPLATE_LINE.fullmatch(raw):
            spans.append((line.start, line.end))
    return spans


def template_spans(text: str, other: str) -> list[tuple[int, int]]:
    """The runs of consecutive lines of ``text`` that ``other`` carries whole too and that are
    an outlet's stock text: a run of at most :data:`TEMPLATE_WORDS` words (stock lines stand
    alone or in pairs amid an article's own text, where copy runs for paragraphs); or the
    footer both close with, of at most :data:`FOOTER_WORDS` words and less than half of
    either text (a subscription pitch, a tip line, a corrections policy, a copyright line).
    Two stories opening alike share copy: a lead is no footer."""
    mine, others = lines_of(text), lines_of(other)
    theirs = {line.key for line in others}
    footer_words = min(FOOTER_WORDS, sum(line.words for line in mine) / 2,
                       sum(line.words for line in others) / 2)
    spans: list[tuple[int, int]] = []
    run: list[Line] = []
    for line in [*mine, None]:
        if line is not None and line.key in theirs:
            run.append(line)
            continue
        words = sum(shared.words for shared in run)
        footer = run and run[-1] is mine[-1] and mine[-1].key == others[-1].key
        if run and (words <= TEMPLATE_WORDS or (footer and words < footer_words)):
            spans.append((run[0].start, run[-1].end))
        run = []
    return spans


def _share(document: Document, inside: npt.NDArray[np.bool_],
           sentences: npt.NDArray[np.int64]) -> npt.NDArray[np.float64]:
    """For each of the ``sentences`` of ``document``: the share of its words ``inside``
    marks."""
    if not sentences.size:
        return np.zeros(0)
    share: npt.NDArray[np.float64] = (marked_words(document, inside, sentences)
                                      / np.maximum(document.sentence_lengths[sentences], 1))
    return share


def marked_words(document: Document, marked: npt.NDArray[np.bool_],
                 sentences: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """For each of the ``sentences`` of ``document``: how many of its words are ``marked``."""
    covered = np.concatenate(([0], np.cumsum(marked)))
    first, end = document.sentence_words[sentences].T
    counts: npt.NDArray[np.int64] = covered[end] - covered[first]
    return counts


def _words_inside(document: Document, spans: Iterable[tuple[int, int]]
                  ) -> npt.NDArray[np.bool_]:
    """Which of ``document``'s words lie inside one of ``spans``."""
    starts, ends = document.words.starts, document.words.ends
    inside = np.zeros(starts.size, dtype=bool)
    for start, end in spans:
        inside |= (starts >= start) & (ends <= end)
    return inside

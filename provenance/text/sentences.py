"""Sentence segmentation that works across scripts, with offsets into the original text.

A sentence ends at a line break, or at a run of terminators with closing quotes or brackets.
Latin ``.``, ``!`` and ``?`` end one only before white space that is not followed by a
lower-case letter (``"Why?" she asked``), and a full stop after a capitalised word of at most
three letters (``Mr.``, ``Jan.``, ``U.S.``) does not end one: it is an abbreviation far more
often than not. The Arabic question mark, the Urdu full stop (U+06D4), the Devanagari dandas
and the CJK stops end a sentence wherever they stand, as their writers often leave no space
after them. Three exceptions join what those rules split, as a reader does:

- an Urdu news dateline: the script's full stop after the first one to three words of a
  text (a place name, the stop, then the date and the agency) is the dateline's, and the
  dateline opens the first sentence (Latin datelines use a dash, not a stop);
- a hard-wrapped sentence: a line that ends without a terminator, followed by a line that
  starts with a lower-case letter, is one sentence;
- a numbered list's marker (``1.`` at the start of a line) opens the item it numbers.

``benchmarks/sentences.py`` measures these rules on hand-marked Urdu and English text.

A scan splits tens of thousands of texts: ASCII text is split there by a compiled program
(:func:`kernels.ascii_sentences`) that spells these rules out character by character, held
equal to the expressions by a property test.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from provenance.kernels import ascii_sentences
from provenance.text.normalize import visible_text

#: Latin terminators end a sentence only before white space (``6.1``, ``U.S.``, ``example.com``).
_LATIN_TERMINATORS = ".!?"
#: Scripts whose writers often leave no space after the full stop: Arabic question mark, Urdu
#: full stop, Devanagari dandas, CJK stops. These end a sentence wherever they stand.
_SCRIPT_TERMINATORS = "\u061f\u06d4\u0964\u0965\u3002\uff01\uff1f"
_CLOSERS = "\"'\u2019\u201d\u00bb)\\]"
_ALL_TERMINATORS = _LATIN_TERMINATORS + _SCRIPT_TERMINATORS + _CLOSERS
_URDU_FULL_STOP = "\u06d4"
#: Words an Urdu dateline's place name may run to (``مقبوضہ بیت المقدس``).
_DATELINE_WORDS = 3
_WORD = re.compile(r"\w+")
#: A numbered list item's marker: ``1.``, ``12.``.
_LIST_MARKER = re.compile(r"[0-9]{1,3}\.")
_BOUNDARY = re.compile(
    rf"[{_LATIN_TERMINATORS}{_SCRIPT_TERMINATORS}]*[{_SCRIPT_TERMINATORS}][{_CLOSERS}]*"
    rf"|[{re.escape(_LATIN_TERMINATORS)}]+[{_CLOSERS}]*(?=\s|$)"
    r"|\n"
)
#: Where a boundary may start: a terminator or a line break. One character class is searched
#: by a fast scan, which the boundary's alternation is not.
_BOUNDARY_START = re.compile(rf"[{re.escape(_LATIN_TERMINATORS)}{_SCRIPT_TERMINATORS}\n]")
_ABBREVIATION = re.compile(r"(?:^|[\s(])(?:[A-Z][A-Za-z]{0,2}|[A-Z](?:\.[A-Z])+)$")
#: How far back from a full stop an abbreviation is looked for: searching from the start of
#: the text each time would make segmentation quadratic in its length.
_ABBREVIATION_REACH = 64
_HAS_WORD = re.compile(r"\w")
#: A terminator followed on the same line by a lower-case letter is inside a sentence
#: (``"Why?" she asked``).
_CONTINUES = re.compile(r"[ \t]+(\w)")


class Sentence(NamedTuple):
    """A sentence as a span ``[start, end)`` of the original text."""

    start: int
    end: int


def sentence_spans(text: str) -> npt.NDArray[np.int64]:
    """:func:`sentences` of the text as it renders (its invisible characters passed over) as
    rows ``(start, end)``; ASCII text compiled, once this process compiles."""
    if text.isascii():
        codes = np.frombuffer(text.encode("ascii"), dtype=np.uint8)
        spans = ascii_sentences(codes)
        if spans is not None:
            # Only a line starting with a lower-case letter may continue a wrapped sentence,
            # and only a number may mark a list item (an ASCII text has no Urdu dateline):
            # the few texts with such lines are looked at.
            first = codes[spans[:, 0]]
            lower = (first[1:] >= 97) & (first[1:] <= 122)
            numbered = (first >= 48) & (first <= 57) & (codes[spans[:, 1] - 1] == 46)
            if not (lower.any() or numbered.any()):
                return spans
            return _as_rows(_joined(text, [Sentence(*row) for row in spans.tolist()]))
    visible, kept = visible_text(text)
    spans = _as_rows(sentences(visible))
    if kept is not None and spans.size:  # offsets into the visible text, into the original
        spans = np.stack([kept[spans[:, 0]], kept[spans[:, 1] - 1] + 1], axis=1)
    return spans


def sentences(text: str) -> list[Sentence]:
    """The sentences of ``text``, in order; stretches without a word character are dropped."""
    return _joined(text, split_sentences(text))


def split_sentences(text: str) -> list[Sentence]:
    """The sentences the terminator and line-break rules find, before any is joined (what
    :func:`kernels.ascii_sentences` computes)."""
    found: list[Sentence] = []
    start = 0
    for boundary in _boundaries(text):
        if boundary.group() == "." and _after_abbreviation(text, boundary.start()):
            continue
        follows = _CONTINUES.match(text, boundary.end())
        if follows and follows.group(1).islower():
            continue
        _add(text, start, boundary.end(), found)
        start = boundary.end()
    _add(text, start, len(text), found)
    return found


def _joined(text: str, found: list[Sentence]) -> list[Sentence]:
    """``found`` with an opening Urdu dateline joined to the sentence after it, and each
    hard-wrapped line to the line it continues."""
    if len(found) < 2:
        return found
    joined = [found[0]]
    if _is_dateline(text, found[0], found[1]):
        joined = [Sentence(found[0].start, found[1].end)]
        found = found[1:]
    for sentence in found[1:]:
        previous = joined[-1]
        between = text[previous.end:sentence.start]
        wrapped = (text[sentence.start].islower() and "\n" in between
                   and text[previous.end - 1] not in _ALL_TERMINATORS)
        if wrapped or (_LIST_MARKER.fullmatch(text, previous.start, previous.end)
                       and "\n" not in between):
            joined[-1] = Sentence(previous.start, sentence.end)
        else:
            joined.append(sentence)
    return joined


def _is_dateline(text: str, first: Sentence, second: Sentence) -> bool:
    """Is ``first`` (a text's first sentence) an Urdu dateline: one to three words ending in
    the script's full stop, the story going on along the same line?"""
    return (text[first.end - 1] == _URDU_FULL_STOP and first.start == len(text) - len(
                text.lstrip())
            and len(_WORD.findall(text, first.start, first.end)) <= _DATELINE_WORDS
            and "\n" not in text[first.end:second.start])


def _as_rows(found: list[Sentence]) -> npt.NDArray[np.int64]:
    return np.array(found, dtype=np.int64).reshape(-1, 2)


def _boundaries(text: str) -> Iterator[re.Match[str]]:
    """``_BOUNDARY.finditer(text)``, tried only where a boundary may start."""
    end = 0
    for start in _BOUNDARY_START.finditer(text):
        if start.start() >= end and (boundary := _BOUNDARY.match(text, start.start())):
            end = boundary.end()
            yield boundary


def _after_abbreviation(text: str, stop: int) -> bool:
    """Does an abbreviation end at ``stop`` (a full stop)?"""
    # Three lower-case letters before the stop end no abbreviation (each ends in a capital
    # or has one among its last three letters): most full stops are told apart at once.
    tail = text[max(0, stop - 3):stop]
    if len(tail) == 3 and tail.isalpha() and tail.islower():
        return False
    return _ABBREVIATION.search(text, max(0, stop - _ABBREVIATION_REACH), stop) is not None


def _add(text: str, start: int, end: int, found: list[Sentence]) -> None:
    """Append ``text[start:end]`` without its surrounding white space, if it holds a word."""
    piece = text[start:end]
    if not _HAS_WORD.search(piece):
        return
    start += len(piece) - len(piece.lstrip())
    found.append(Sentence(start, start + len(piece.strip())))

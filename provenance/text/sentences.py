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
(:data:`ascii_sentences`) that spells these rules out character by character, held
equal to the expressions by a property test.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

from provenance.compiled import Kernel
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
        # Only a line starting with a lower-case letter may continue a wrapped sentence, and
        # only a number may mark a list item (an ASCII text has no Urdu dateline): the few
        # texts with such lines are looked at.
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
    :data:`ascii_sentences` computes)."""
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


def _ascii_sentences_loop(codes: Any) -> Any:
    """:func:`split_sentences` of an ASCII text given as its bytes: rows ``(start, end)``.
    The rules are the regular expressions', spelled out for the ASCII characters (where a
    script terminator never occurs and ``\\s`` and ``\\w`` are fixed sets)."""
    n = codes.size
    # White space as Python's str.isspace() has it for ASCII, and \w's characters.
    space = np.zeros(256, dtype=np.bool_)
    for c in (9, 10, 11, 12, 13, 28, 29, 30, 31, 32):
        space[c] = True
    word = np.zeros(256, dtype=np.bool_)
    word[48:58] = word[65:91] = word[97:123] = word[95] = True
    spans = np.empty((n + 1, 2), dtype=np.int64)
    count = 0
    start = 0  # where the sentence being read starts
    matched_to = 0  # where the last boundary ends: none is looked for inside it
    for p in range(n + 1):
        if p < n:
            c = codes[p]
            if p < matched_to or not (c == 10 or c == 33 or c == 46 or c == 63):
                continue
            # A boundary: a line break; or a run of terminators and closing quotes or
            # brackets followed by white space or the end.
            end = p + 1
            if c != 10:
                while end < n and (codes[end] == 33 or codes[end] == 46 or codes[end] == 63):
                    end += 1
                while end < n and (codes[end] == 34 or codes[end] == 39 or codes[end] == 41
                                   or codes[end] == 93):
                    end += 1
                if end < n and not space[codes[end]]:
                    continue
            matched_to = end
            if c == 46 and end == p + 1 and _ascii_abbreviation_before(codes, p, space):
                continue
            # White space on the same line, then a lower-case letter: inside a sentence.
            after = end
            while after < n and (codes[after] == 32 or codes[after] == 9):
                after += 1
            if after > end and after < n and 97 <= codes[after] <= 122:
                continue
        else:
            end = n
        # The piece start:end, without its surrounding white space, if it holds a word.
        first, last = start, end
        holds_word = False
        for q in range(first, last):
            if word[codes[q]]:
                holds_word = True
                break
        if holds_word:
            while space[codes[first]]:
                first += 1
            while space[codes[last - 1]]:
                last -= 1
            spans[count, 0], spans[count, 1] = first, last
            count += 1
        start = end
    return spans[:count].copy()


def _ascii_abbreviation_before(codes: Any, stop: int, space: Any) -> bool:
    """:func:`sentences._after_abbreviation` in ASCII: does a capitalised word of at most
    three letters, or capitals joined by full stops (``U.S``), preceded by white space, an
    opening bracket or the start of the text, end at ``stop`` (or just before a line break
    there, as ``$`` allows), starting at most ``_ABBREVIATION_REACH`` before it?"""
    reach = max(0, stop - 64)
    for end in (stop, stop - 1):
        if end < 1 or (end == stop - 1 and codes[end] != 10):
            continue
        # A capital and up to two more letters.
        for length in range(1, 4):
            token = end - length
            if token < 0:
                break
            letters = True
            for q in range(token + 1, end):
                letter = codes[q]
                if not (65 <= letter <= 90 or 97 <= letter <= 122):
                    letters = False
            if (letters and 65 <= codes[token] <= 90
                    and _opens_token(codes, token, reach, space)):
                return True
        # Capitals joined by full stops: U.S, U.S.A.
        if 65 <= codes[end - 1] <= 90:
            token = end - 1
            while token >= 2 and codes[token - 1] == 46 and 65 <= codes[token - 2] <= 90:
                token -= 2
                if _opens_token(codes, token, reach, space):
                    return True
    return False


def _opens_token(codes: Any, token: int, reach: int, space: Any) -> bool:
    """Is the word at ``token`` preceded by white space or ``(`` (at or after ``reach``),
    or at the start of the text?"""
    if token == 0:
        return reach == 0
    return token - 1 >= reach and (space[codes[token - 1]] or codes[token - 1] == 40)


def _ascii_sentences_twin(codes: npt.NDArray[np.uint8]) -> npt.NDArray[np.int64]:
    return _as_rows(split_sentences(codes.tobytes().decode("ascii")))


ascii_sentences: Kernel[[npt.NDArray[np.uint8]], npt.NDArray[np.int64]] = Kernel(
    _ascii_sentences_loop, _ascii_sentences_twin,
    helpers=(_ascii_abbreviation_before, _opens_token))

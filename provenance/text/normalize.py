"""Text normalisation with a map back to the original: invisible characters dropped, NFKC,
look-alike letters and case folded, quotes and dashes folded, whitespace collapsed.

Every character of the normalised text remembers the span of original characters it came
from, so anything found in normalised text (a word, a passage) can be shown in the original.

What renders alike compares alike: a copy does not become new text by a zero-width space or
a soft hyphen after each letter, by full-width letters, or by Cyrillic and Greek letters that
look like Latin ones. Characters that render as nothing (:func:`ignorable_pattern`) are
dropped; the look-alikes are folded one letter for one, in whatever word they stand (a
Russian word keeps its meaning to the comparison, as both sides fold alike).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

OffsetArray = npt.NDArray[np.int64]

#: Typographic quotes, primes and dashes folded to their ASCII forms, and the underscore to a
#: space (it joins words only in code, not in prose). One character each, so no offset moves.
_PUNCTUATION_FOLD = {
    "_": " ",
    **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u2035\u2039\u203a\u00b4\u02bc", "'"),
    **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\u2036\u00ab\u00bb", '"'),
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d", "-"),
}
#: Cyrillic and Greek letters that look like Latin ones, as Unicode's confusables list
#: (UTS #39) maps them, capitals apart from small letters: folded before case folding, as the
#: capitals fold to small letters that look like nothing Latin (Cyrillic \u041d to \u043d).
_LOOKALIKES = {
    **dict(zip("\u0410\u0412\u0415\u041a\u041c\u041d\u041e\u0420\u0421\u0422\u0423\u0425"
               "\u0405\u0406\u0408\u04ae\u04ba\u04c0\u051a\u051c",
               "ABEKMHOPCTYXSIJYHIQW", strict=True)),
    **dict(zip("\u0430\u0435\u043e\u0440\u0441\u0443\u0445\u0455\u0456\u0458\u0501\u04bb"
               "\u04cf\u051b\u051d\u04af",
               "aeopcyxsijdhlqwy", strict=True)),
    **dict(zip("\u0391\u0392\u0395\u0396\u0397\u0399\u039a\u039c\u039d\u039f\u03a1\u03a4"
               "\u03a5\u03a7",
               "ABEZHIKMNOPTYX", strict=True)),
    **dict(zip("\u03b1\u03b3\u03b9\u03bd\u03bf\u03c1\u03c5", "ayivopu", strict=True)),
}
_BEFORE_CASE_FOLD = str.maketrans(_LOOKALIKES)
#: After case folding: the small look-alikes again (case folding may make one) and the
#: punctuation.
_AFTER_CASE_FOLD = str.maketrans({**_LOOKALIKES, **_PUNCTUATION_FOLD})
#: Default-ignorable code points that are not format characters (Unicode's
#: DerivedCoreProperties): the combining grapheme joiner, Hangul fillers, Khmer inherent
#: vowels, variation selectors.
_IGNORABLE_NOT_FORMAT = ((0x034F, 0x034F), (0x115F, 0x1160), (0x17B4, 0x17B5),
                         (0x180B, 0x180D), (0x180F, 0x180F), (0x3164, 0x3164),
                         (0xFE00, 0xFE0F), (0xFFA0, 0xFFA0), (0xE0100, 0xE01EF))
#: Where Unicode assigns format characters: the first two planes and the tags' block.
_PLANES_WITH_FORMAT_CHARACTERS = ((0, 0x20000), (0xE0000, 0xE0080))
_WHITESPACE_RUN = re.compile(r"\s+")


@dataclass(frozen=True)
class NormalizedText:
    """Normalised text, and for each of its characters the original span it came from."""

    text: str
    #: ``source_start[i]:source_end[i]`` is the original text behind character ``i``.
    source_start: OffsetArray
    source_end: OffsetArray

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """The original span behind the normalised span ``start:end`` (``end > start``)."""
        return int(self.source_start[start]), int(self.source_end[end - 1])


def fold(text: str) -> str:
    """Invisible characters dropped, NFKC, look-alike letters, case and punctuation folded: a
    string's normal form, with no offset bookkeeping."""
    return _fold_visible(ignorable_pattern().sub("", text))


def normalize(text: str) -> NormalizedText:
    """Fold ``text`` (see :func:`fold`) and collapse whitespace, keeping the offset map."""
    visible, kept = visible_text(text)
    folded, starts, ends = _fold_with_offsets(visible)
    if kept is not None:  # offsets into the visible text, as offsets into the original
        starts, ends = kept[starts], kept[ends - 1] + 1
    return _collapse_whitespace(folded, starts, ends)


def folded_text(text: str) -> str:
    """``normalize(text).text`` before whitespace is collapsed; fast in the common case."""
    visible = ignorable_pattern().sub("", text)
    whole = _fold_visible(visible)
    if folds_char_by_char(visible, whole):
        return whole
    return _fold_by_cluster(visible)[0]


def folds_char_by_char(text: str, whole: str) -> bool:
    """True when ``whole == fold(text)`` is also ``text`` folded one character at a time.

    The common case: then offsets are the identity. Otherwise (a combining mark composed
    into its base, a character folding to several or to none) the slower cluster-wise fold
    applies.
    """
    if text.isascii():  # ASCII folds to lower case, one character for one
        return True
    return len(whole) == len(text) and whole == _fold_each_char(text)


@functools.cache
def ignorable_pattern() -> re.Pattern[str]:
    """Characters that render as nothing: the format characters (Unicode category Cf:
    zero-width spaces and joiners, the soft hyphen, bidirectional controls, the byte-order
    mark) and the other default-ignorable code points."""
    ranges = list(_IGNORABLE_NOT_FORMAT)
    for low, high in _PLANES_WITH_FORMAT_CHARACTERS:
        start: int | None = None
        for code in range(low, high + 1):
            is_format = code < high and unicodedata.category(chr(code)) == "Cf"
            if is_format and start is None:
                start = code
            elif not is_format and start is not None:
                ranges.append((start, code - 1))
                start = None
    return re.compile("[" + "".join(f"\\U{low:08x}-\\U{high:08x}"
                                    for low, high in sorted(ranges)) + "]+")


def visible_text(text: str) -> tuple[str, OffsetArray | None]:
    """``text`` without its ignorable characters, and where each character left stands in
    ``text`` (None when nothing was dropped)."""
    if text.isascii() or not ignorable_pattern().search(text):
        return text, None
    keep = np.ones(len(text), dtype=bool)
    for match in ignorable_pattern().finditer(text):
        keep[match.start():match.end()] = False
    return ignorable_pattern().sub("", text), np.flatnonzero(keep).astype(np.int64)


def _fold_visible(text: str) -> str:
    """:func:`fold` of a text without ignorable characters."""
    if text.isascii():  # NFKC leaves ASCII alone and case folding is lower()
        return text.lower().replace("_", " ")
    nfkc = unicodedata.normalize("NFKC", text).translate(_BEFORE_CASE_FOLD)
    return unicodedata.normalize("NFKC", nfkc.casefold()).translate(_AFTER_CASE_FOLD)


def _fold_with_offsets(text: str) -> tuple[str, OffsetArray, OffsetArray]:
    whole = _fold_visible(text)
    if folds_char_by_char(text, whole):
        identity = np.arange(len(text), dtype=np.int64)
        return whole, identity, identity + 1
    return _fold_by_cluster(text)


def _fold_each_char(text: str) -> str:
    table = {ord(char): _fold_visible(char) for char in set(text)}
    return text.translate(table)


def _fold_by_cluster(text: str) -> tuple[str, OffsetArray, OffsetArray]:
    """Fold each base character together with the combining marks after it."""
    pieces: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    cluster_start = 0
    for index in range(1, len(text) + 1):
        if index < len(text) and unicodedata.combining(text[index]):
            continue
        piece = _fold_visible(text[cluster_start:index])
        pieces.append(piece)
        starts.extend([cluster_start] * len(piece))
        ends.extend([index] * len(piece))
        cluster_start = index
    return "".join(pieces), np.array(starts, dtype=np.int64), np.array(ends, dtype=np.int64)


def _collapse_whitespace(text: str, starts: OffsetArray, ends: OffsetArray) -> NormalizedText:
    keep = np.ones(len(text), dtype=bool)
    for match in _WHITESPACE_RUN.finditer(text):
        keep[match.start() + 1 : match.end()] = False
    collapsed = _WHITESPACE_RUN.sub(" ", text)
    starts, ends = starts[keep], ends[keep]
    lead = 1 if collapsed.startswith(" ") else 0
    trail = 1 if collapsed.endswith(" ") and len(collapsed) > lead else 0
    stop = len(collapsed) - trail
    return NormalizedText(collapsed[lead:stop], starts[lead:stop], ends[lead:stop])

"""Text normalisation with a map back to the original: NFKC, case folding, quotes and dashes
folded, whitespace collapsed.

Every character of the normalised text remembers the span of original characters it came
from, so anything found in normalised text (a word, a passage) can be shown in the original.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

OffsetArray = npt.NDArray[np.int64]

#: Typographic quotes, primes and dashes folded to their ASCII forms, and the underscore to a
#: space (it joins words only in code, not in prose). One character each, so no offset moves.
_PUNCTUATION_FOLD = str.maketrans({
    "_": " ",
    **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u2035\u2039\u203a\u00b4\u02bc", "'"),
    **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\u2036\u00ab\u00bb", '"'),
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d", "-"),
})
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
    """NFKC, case folding and punctuation folding of a string, with no offset bookkeeping."""
    if text.isascii():  # NFKC leaves ASCII alone and case folding is lower()
        return text.lower().replace("_", " ")
    nfkc = unicodedata.normalize("NFKC", text)
    return unicodedata.normalize("NFKC", nfkc.casefold()).translate(_PUNCTUATION_FOLD)


def normalize(text: str) -> NormalizedText:
    """Fold ``text`` (see :func:`fold`) and collapse whitespace, keeping the offset map."""
    folded, starts, ends = _fold_with_offsets(text)
    return _collapse_whitespace(folded, starts, ends)


def folded_text(text: str) -> str:
    """``normalize(text).text`` before whitespace is collapsed; fast in the common case."""
    whole = fold(text)
    if folds_char_by_char(text, whole):
        return whole
    return _fold_by_cluster(text)[0]


def folds_char_by_char(text: str, whole: str) -> bool:
    """True when ``whole == fold(text)`` is also ``text`` folded one character at a time.

    The common case: then offsets are the identity. Otherwise (a combining mark composed
    into its base, a character folding to several) the slower cluster-wise fold applies.
    """
    if text.isascii():  # ASCII folds to lower case, one character for one
        return True
    return len(whole) == len(text) and whole == _fold_each_char(text)


def _fold_with_offsets(text: str) -> tuple[str, OffsetArray, OffsetArray]:
    whole = fold(text)
    if folds_char_by_char(text, whole):
        identity = np.arange(len(text), dtype=np.int64)
        return whole, identity, identity + 1
    return _fold_by_cluster(text)


def _fold_each_char(text: str) -> str:
    table = {ord(char): fold(char) for char in set(text)}
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
        piece = fold(text[cluster_start:index])
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

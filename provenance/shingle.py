"""Words and word k-gram (shingle) hashes.

A word is a run of letters, digits and combining marks in the normalised text (so Urdu,
Hindi or Arabic words with vowel signs stay whole). Each word is hashed once with xxh3 (its
UTF-8 bytes); the hashes of k consecutive words are combined into one 64-bit shingle hash
with numpy, so no shingle string is ever built.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import xxhash

from .model import HashArray
from .normalize import OffsetArray, folded_text, normalize

_EMPTY = np.empty(0, dtype=np.uint64)
#: Odd 64-bit multipliers (from splitmix64) for combining word hashes and finishing the mix.
_STEP = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)


#: For ASCII text: letters lowered, digits kept, every other byte a separator.
_ASCII_WORD_BYTES = bytes(
    ord(chr(byte).lower()) if chr(byte).isalnum() and byte < 128 else ord(" ")
    for byte in range(256)
)


@functools.cache
def word_pattern() -> re.Pattern[str]:
    """A word: a run of letters, digits, combining marks and zero-width joiners.

    The marks are listed as code point ranges: a class of single characters is matched
    character by character and is many times slower.
    """
    ranges: list[str] = []
    start: int | None = None
    for code in range(0x20001):
        is_mark = code < 0x20000 and (
            unicodedata.category(chr(code)).startswith("M") or code in (0x200C, 0x200D))
        if is_mark and start is None:
            start = code
        elif not is_mark and start is not None:
            ranges.append(f"\\U{start:08x}-\\U{code - 1:08x}")
            start = None
    return re.compile(rf"[\w{''.join(ranges)}]+")


#: For ASCII text: is this byte part of a word (a letter or digit)?
_IS_ASCII_WORD = np.array([chr(byte).isalnum() and byte < 128 for byte in range(256)])


@dataclass(frozen=True)
class Words:
    """The words of a text: normalised forms, and their spans in the original text."""

    keys: list[str]
    starts: OffsetArray
    ends: OffsetArray


def words(text: str) -> Words:
    """Split ``text`` into normalised words, each with its span in ``text``."""
    if text.isascii():
        return _ascii_words(text)
    normalized = normalize(text)
    keys: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for match in word_pattern().finditer(normalized.text):
        keys.append(match.group())
        start, end = normalized.source_span(match.start(), match.end())
        starts.append(start)
        ends.append(end)
    return Words(keys, np.array(starts, dtype=np.int64), np.array(ends, dtype=np.int64))


def _ascii_words(text: str) -> Words:
    """:func:`words` for ASCII text, where normalising only lowers the case: a word is a run
    of letters and digits, found with one vector pass over the bytes, its span unmoved."""
    data = text.encode("ascii")
    inside = np.concatenate(([False], _IS_ASCII_WORD[np.frombuffer(data, dtype=np.uint8)],
                             [False]))
    edges = np.flatnonzero(inside[1:] != inside[:-1]).astype(np.int64)
    keys = data.translate(_ASCII_WORD_BYTES).decode("ascii").split()
    return Words(keys, edges[0::2], edges[1::2])


def word_hashes(tokens: Sequence[bytes], seed: int) -> HashArray:
    """xxh3-64 of each word's UTF-8 bytes, seeded."""
    hashed = map(xxhash.xxh3_64_intdigest, tokens, itertools.repeat(seed))
    return np.fromiter(hashed, dtype=np.uint64, count=len(tokens))


def shingle_hashes(hashes: HashArray, k: int) -> HashArray:
    """One 64-bit hash per run of ``k`` consecutive words, in text order; empty if too few words."""
    count = hashes.size - k + 1
    if count <= 0:
        return _EMPTY
    combined = hashes[:count].copy()
    for offset in range(1, k):
        combined *= _STEP
        combined += hashes[offset : offset + count]
    return _finish(combined)


def _finish(values: HashArray) -> HashArray:
    """splitmix64's finaliser: every output bit depends on every input bit."""
    values = values ^ (values >> np.uint64(30))
    values *= _MIX1
    values ^= values >> np.uint64(27)
    values *= _MIX2
    return values ^ (values >> np.uint64(31))


def word_tokens(text: str) -> list[bytes]:
    """The UTF-8 bytes of the normalised words of ``text``: :func:`words`' keys, faster.

    ASCII text, the common case, is split with one byte translation and no regex.
    """
    if text.isascii():
        return text.encode("ascii").translate(_ASCII_WORD_BYTES).split()
    return [word.encode() for word in word_pattern().findall(folded_text(text))]

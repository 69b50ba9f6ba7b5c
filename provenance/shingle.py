"""Words and word k-gram (shingle) hashes.

A word is a run of letters, digits and combining marks (so Urdu, Hindi or Arabic words with
vowel signs stay whole). Each distinct word is hashed once with xxh3; the hashes of k
consecutive words are combined into one 64-bit shingle hash with numpy, so no shingle string
is ever built.
"""

from __future__ import annotations

import functools
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


@functools.cache
def word_pattern() -> re.Pattern[str]:
    """A word: a letter or digit, then letters, digits, combining marks and zero-width joiners."""
    marks = "".join(
        chr(code) for code in range(0x20000) if unicodedata.category(chr(code)).startswith("M")
    )
    inner = re.escape(marks + "\u200c\u200d")
    return re.compile(rf"[^\W_](?:[^\W_]|[{inner}])*")


@dataclass(frozen=True)
class Words:
    """The words of a text: normalised forms, and their spans in the original text."""

    keys: list[str]
    starts: OffsetArray
    ends: OffsetArray


def words(text: str) -> Words:
    """Split ``text`` into normalised words, each with its span in ``text``."""
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


def word_hashes(keys: Sequence[str], seed: int) -> HashArray:
    """xxh3-64 of each word (UTF-8), seeded."""
    hash_word = functools.partial(xxhash.xxh3_64_intdigest, seed=seed)
    return np.fromiter(map(hash_word, map(str.encode, keys)), dtype=np.uint64, count=len(keys))


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


def word_keys(text: str) -> list[str]:
    """The normalised words of ``text``, without offsets: the same keys as :func:`words`, faster."""
    return word_pattern().findall(folded_text(text))

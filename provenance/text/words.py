"""Words and word k-gram (shingle) hashes.

A word is a run of letters, digits and combining marks in the normalised text (so Urdu,
Hindi or Arabic words with vowel signs stay whole). Each word's UTF-8 bytes are hashed once,
and the hashes of k consecutive words combined into one 64-bit shingle hash, all in numpy
over whole batches of text: no shingle string, and no Python object per word, is built.

Words are hashed with xxh3-64, computed in numpy for all words of up to 16 bytes at once
(reading their bytes straight out of the text through strided views), bit for bit what the
xxhash library gives.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import numpy.typing as npt
import xxhash

from provenance.hashsets import HashSets
from provenance.model import HashArray
from provenance.text.normalize import OffsetArray, folded_text, normalize

_EMPTY = np.empty(0, dtype=np.uint64)
_SPACE = ord(" ")
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
    """A word: a run of letters, digits and combining marks (in normalised text, which holds
    no zero-width joiner or other invisible character).

    The marks are listed as code point ranges: a class of single characters is matched
    character by character and is many times slower.
    """
    ranges: list[str] = []
    start: int | None = None
    for code in range(0x20001):
        is_mark = code < 0x20000 and unicodedata.category(chr(code)).startswith("M")
        if is_mark and start is None:
            start = code
        elif not is_mark and start is not None:
            ranges.append(f"\\U{start:08x}-\\U{code - 1:08x}")
            start = None
    return re.compile(rf"[\w{''.join(ranges)}]+")


@dataclass(frozen=True)
class Words:
    """The words of a text: their spans in the original text, and their normalised forms."""

    starts: OffsetArray
    ends: OffsetArray
    #: The normalised forms; or, for ASCII text, its :func:`word_bytes`, which hold them at
    #: the words' spans and are split only if they are asked for: most readers need only the
    #: spans.
    forms: list[str] | bytes = field(repr=False)

    @cached_property
    def keys(self) -> list[str]:
        """The normalised forms, in order."""
        return self.forms if isinstance(self.forms, list) else self.forms.decode().split()

    def key_lengths(self) -> OffsetArray:
        """The characters of each normalised form."""
        if isinstance(self.forms, bytes):
            return self.ends - self.starts
        return np.fromiter(map(len, self.forms), dtype=np.int64, count=len(self.forms))

    def letters(self, first: int, end: int) -> str:
        """The normalised forms of words ``first:end`` written without spaces."""
        if isinstance(self.forms, bytes):
            if end <= first:
                return ""
            return self.forms[self.starts[first]:self.ends[end - 1]].replace(b" ", b"").decode()
        return "".join(self.forms[first:end])


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
    return Words(np.array(starts, dtype=np.int64), np.array(ends, dtype=np.int64), keys)


def _ascii_words(text: str) -> Words:
    """:func:`words` for ASCII text, where normalising only lowers the case: a word is a run
    of letters and digits, found with one vector pass over the bytes, its span unmoved."""
    runs = WordRuns.of(word_bytes(text))
    return Words(runs.starts, runs.ends, runs.data)


def word_hashes(tokens: Sequence[bytes], seed: int) -> HashArray:
    """xxh3-64 of each word's UTF-8 bytes, seeded.

    One call per word: for the words of one article, cheaper than the few dozen vector
    operations of :meth:`WordRuns.hashes`, which pay off over a batch of articles.
    """
    hashed = map(xxhash.xxh3_64_intdigest, tokens, itertools.repeat(seed))
    return np.fromiter(hashed, dtype=np.uint64, count=len(tokens))


def key_hashes(keys: Sequence[str], seed: int) -> HashArray:
    """:func:`word_hashes` of normalised words given as strings (:attr:`Words.keys`)."""
    return word_hashes([key.encode() for key in keys], seed)


@dataclass(frozen=True)
class WordRuns:
    """Words as runs of bytes other than the space in one byte string: the normalised words
    of one text or of a whole batch, joined by spaces."""

    data: bytes
    starts: OffsetArray
    ends: OffsetArray

    @classmethod
    def of(cls, data: bytes) -> WordRuns:
        """The runs of non-space bytes in ``data``."""
        inside = np.frombuffer(data, dtype=np.uint8) != _SPACE
        edges = np.flatnonzero(np.diff(inside, prepend=False, append=False)).astype(np.int64)
        return cls(data, edges[0::2], edges[1::2])

    def hashes(self, seed: int) -> HashArray:
        """The seeded xxh3-64 of each word, as :func:`word_hashes` gives it."""
        view = _ByteView(self.data)
        lengths = self.ends - self.starts
        result = np.empty(lengths.size, dtype=np.uint64)
        unsigned = lengths.astype(np.uint64)
        for low, high, xxh3 in _XXH3_BY_LENGTH:
            chosen = np.flatnonzero((lengths >= low) & (lengths <= high))
            if chosen.size:
                result[chosen] = xxh3(view, self.starts[chosen], self.ends[chosen],
                                      unsigned[chosen], seed)
        for word in np.flatnonzero(lengths > _XXH3_SHORT).tolist():
            result[word] = xxhash.xxh3_64_intdigest(
                self.data[self.starts[word]:self.ends[word]], seed)
        return result


@dataclass(frozen=True)
class BatchWords:
    """The normalised words of a batch of texts, in one byte string: each text's words
    (spaces between them), every word's span, and whose it is."""

    texts: list[bytes]
    runs: WordRuns
    owner: npt.NDArray[np.int64]
    #: Where each text starts in ``runs.data``.
    text_starts: OffsetArray

    @classmethod
    def of(cls, bodies: Sequence[str]) -> BatchWords:
        """The words of ``bodies``: in each, the words of :func:`words` in order."""
        texts = [word_bytes(body) for body in bodies]
        runs = WordRuns.of(b" ".join(texts))
        text_starts = np.cumsum([0, *(len(text) + 1 for text in texts[:-1])], dtype=np.int64)
        return cls(texts, runs, np.searchsorted(text_starts, runs.starts, side="right") - 1,
                   text_starts)

    def ascii_words(self, text: int) -> Words:
        """The :func:`words` of text ``text``, an ASCII one, whose words' spans in its bytes
        are their spans in the text."""
        first, end = self._word_offsets[text], self._word_offsets[text + 1]
        start = self.text_starts[text]
        return Words(self.runs.starts[first:end] - start, self.runs.ends[first:end] - start,
                     self.texts[text])

    @cached_property
    def _word_offsets(self) -> list[int]:
        """Where the words of each text start among the batch's, and where the last ends."""
        offsets: list[int] = np.searchsorted(self.owner, np.arange(len(self.texts) + 1)).tolist()
        return offsets

    def span(self, word: int) -> tuple[int, int]:
        """The ``(start, end)`` of word ``word`` in its text's bytes (``texts[owner[word]]``):
        in an ASCII body, also its span in the body, which the bytes match in length."""
        start = int(self.text_starts[self.owner[word]])
        return int(self.runs.starts[word]) - start, int(self.runs.ends[word]) - start

    def shingles(self, seed: int, k: int) -> HashSets:
        """Each text's shingle hashes (of ``k`` words hashed with ``seed``), in text order:
        one vector pass over the whole batch, the shingles running from one text into the
        next left out."""
        combined = shingle_hashes(self.runs.hashes(seed), k)
        owner = self.owner[:combined.size]
        within = owner == self.owner[k - 1:]
        return HashSets.of_sizes(combined[within],
                                 np.bincount(owner[within], minlength=len(self.texts)))


class _ByteView:
    """A byte string read as unsigned integers of 1 or 8 bytes starting at any offset
    (little-endian): views of one padded copy, so a read is one gather."""

    def __init__(self, data: bytes) -> None:
        padded = np.frombuffer(data + bytes(8), dtype=np.uint8)
        self.u8 = padded
        self.u64 = np.ndarray((len(data) + 1,), dtype="<u8", buffer=padded, strides=(1,))


# XXH3-64 of inputs of 1 to 16 bytes, vectorised, exactly as the reference implementation
# (xxhash.h, XXH3_len_1to3_64b, XXH3_len_4to8_64b, XXH3_len_9to16_64b) computes it, so that
# hashes stay those of ``xxhash.xxh3_64_intdigest``: indexes made before stay valid. Longer
# words (rare) are hashed one by one with xxhash itself.
_XXH3_SHORT = 16
#: The first 56 bytes of XXH3's default secret.
_XXH3_SECRET = bytes.fromhex("b8fe6c3923a44bbe7c01812cf721ad1cded46de9839097db7240a4a4b7b3671f"
                             "cb79e64eccc0e578825ad07dccff7221b8084674f743248e")
_PRIME64_2 = np.uint64(0xC2B2AE3D27D4EB4F)
_PRIME64_3 = np.uint64(0x165667B19E3779F9)
_PRIME_MX1 = np.uint64(0x165667919E3779F9)
_PRIME_MX2 = np.uint64(0x9FB21C651E98DF25)
_LOW32 = np.uint64(0xFFFFFFFF)


def _secret(offset: int, size: int) -> int:
    return int.from_bytes(_XXH3_SECRET[offset:offset + size], "little")


def _u64(value: int) -> np.uint64:
    return np.uint64(value % (1 << 64))


def _xxh3_1to3(view: _ByteView, starts: OffsetArray, ends: OffsetArray, lengths: HashArray,
               seed: int) -> HashArray:
    first = view.u8[starts].astype(np.uint64)
    middle = view.u8[starts + (lengths >> np.uint64(1)).astype(np.int64)].astype(np.uint64)
    last = view.u8[ends - 1].astype(np.uint64)
    combined = ((first << np.uint64(16)) | (middle << np.uint64(24)) | last
                | (lengths << np.uint64(8)))
    keyed = combined ^ _u64((_secret(0, 4) ^ _secret(4, 4)) + seed)
    keyed ^= keyed >> np.uint64(33)
    keyed *= _PRIME64_2
    keyed ^= keyed >> np.uint64(29)
    keyed *= _PRIME64_3
    return keyed ^ (keyed >> np.uint64(32))


def _xxh3_4to8(view: _ByteView, starts: OffsetArray, ends: OffsetArray, lengths: HashArray,
               seed: int) -> HashArray:
    seed ^= int.from_bytes((seed & 0xFFFFFFFF).to_bytes(4, "little"), "big") << 32
    keyed = view.u64[starts] << np.uint64(32)  # the first four bytes, high
    keyed |= view.u64[ends - 4] & _LOW32  # the last four, low
    keyed ^= _u64((_secret(8, 8) ^ _secret(16, 8)) - seed)
    keyed ^= _rotate_left(keyed, 49) ^ _rotate_left(keyed, 24)  # XXH3_rrmxmx
    keyed *= _PRIME_MX2
    keyed ^= (keyed >> np.uint64(35)) + lengths
    keyed *= _PRIME_MX2
    return keyed ^ (keyed >> np.uint64(28))


def _xxh3_9to16(view: _ByteView, starts: OffsetArray, ends: OffsetArray, lengths: HashArray,
                seed: int) -> HashArray:
    low = view.u64[starts] ^ _u64((_secret(24, 8) ^ _secret(32, 8)) + seed)
    high = view.u64[ends - 8] ^ _u64(
        (_secret(40, 8) ^ _secret(48, 8)) - seed)
    acc: HashArray = lengths + low.byteswap() + high + _multiply_fold(low, high)
    acc ^= acc >> np.uint64(37)
    acc *= _PRIME_MX1
    return acc ^ (acc >> np.uint64(32))


def _rotate_left(values: HashArray, bits: int) -> HashArray:
    return (values << np.uint64(bits)) | (values >> np.uint64(64 - bits))


def _multiply_fold(a: HashArray, b: HashArray) -> HashArray:
    """The 128-bit product of a and b, its high and low halves xored (from 32-bit parts)."""
    a_low, a_high = a & _LOW32, a >> np.uint64(32)
    b_low, b_high = b & _LOW32, b >> np.uint64(32)
    low_low, high_low = a_low * b_low, a_high * b_low
    low_high, high_high = a_low * b_high, a_high * b_high
    cross = (low_low >> np.uint64(32)) + (high_low & _LOW32) + low_high
    upper = (high_low >> np.uint64(32)) + (cross >> np.uint64(32)) + high_high
    lower = (cross << np.uint64(32)) | (low_low & _LOW32)
    folded: HashArray = np.bitwise_xor(upper, lower)
    return folded


_XXH3_BY_LENGTH = ((1, 3, _xxh3_1to3), (4, 8, _xxh3_4to8), (9, 16, _xxh3_9to16))


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


def word_bytes(text: str) -> bytes:
    """The normalised words of ``text`` as UTF-8 bytes separated by spaces (any number):
    what :class:`WordRuns` reads. ASCII text needs one byte translation."""
    if text.isascii():
        return text.encode("ascii").translate(_ASCII_WORD_BYTES)
    return b" ".join(word_tokens(text))


def word_tokens(text: str) -> list[bytes]:
    """The UTF-8 bytes of the normalised words of ``text``: :func:`words`' keys, faster.

    ASCII text, the common case, is split with one byte translation and no regex.
    """
    if text.isascii():
        return text.encode("ascii").translate(_ASCII_WORD_BYTES).split()
    return [word.encode() for word in word_pattern().findall(folded_text(text))]

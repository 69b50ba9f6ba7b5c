from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import xxhash
from hypothesis import given
from hypothesis import strategies as st

from provenance.text.words import WordRuns, shingle_hashes, word_hashes, word_tokens, words


def test_words_carry_offsets_into_the_original() -> None:
    text = "“Ｔｏｋｙｏ” (AP) — Prime Minister’s visit, 2026."
    found = words(text)
    assert found.keys == ["tokyo", "ap", "prime", "minister", "s", "visit", "2026"]
    assert [text[s:e] for s, e in zip(found.starts, found.ends, strict=True)] == [
        "Ｔｏｋｙｏ", "AP", "Prime", "Minister", "s", "visit", "2026"]


def test_urdu_tokenises_into_whole_words(urdu_pair: Path) -> None:
    text = json.loads(urdu_pair.read_text().splitlines()[0])["text"]
    keys = words(text).keys
    assert len(keys) > 50
    assert "مشرف" in keys and "شناختی" in keys
    assert words("یہ کِتاب ہے").keys == ["یہ", "کِتاب", "ہے"]  # the vowel mark stays inside


def test_underscores_and_punctuation_separate_words() -> None:
    assert words("snake_case, e-mail: x2").keys == ["snake", "case", "e", "mail", "x2"]


@given(st.text())
def test_word_tokens_are_the_encoded_keys_of_words(text: str) -> None:
    assert word_tokens(text) == [key.encode() for key in words(text).keys]


@given(st.text(alphabet=st.characters(max_codepoint=127)))
def test_ascii_fast_path_agrees_with_the_general_rule(text: str) -> None:
    assert word_tokens(text) == [key.encode() for key in words(text).keys]


@given(st.text(alphabet=st.characters(max_codepoint=127)))
def test_ascii_words_are_found_as_by_the_general_rule(text: str) -> None:
    fast = words(text)
    general = words(text + " \u00b7")  # a non-ASCII non-word character: the general path
    assert fast.keys == general.keys
    assert fast.starts.tolist() == general.starts.tolist()
    assert fast.ends.tolist() == general.ends.tolist()


def test_shingles_are_order_sensitive_and_seeded() -> None:
    a = shingle_hashes(word_hashes([b"a", b"b", b"c", b"d", b"e"], seed=1), 5)
    b = shingle_hashes(word_hashes([b"e", b"d", b"c", b"b", b"a"], seed=1), 5)
    c = shingle_hashes(word_hashes([b"a", b"b", b"c", b"d", b"e"], seed=2), 5)
    assert a.size == b.size == c.size == 1
    assert a[0] != b[0] and a[0] != c[0]


def test_one_shingle_per_window_and_none_when_too_short() -> None:
    hashes = word_hashes([b"w%d" % n for n in range(9)], seed=1)
    assert shingle_hashes(hashes, 5).size == 5
    assert shingle_hashes(hashes[:4], 5).size == 0
    shifted = shingle_hashes(hashes[1:], 5)
    assert np.array_equal(shingle_hashes(hashes, 5)[1:], shifted)


@given(st.lists(st.binary(min_size=1, max_size=40).map(lambda b: b.replace(b" ", b"_")),
                max_size=30),
       st.integers(0, 2**64 - 1))
def test_word_hashes_are_xxh3_of_every_length_and_seed(tokens: list[bytes], seed: int) -> None:
    expected = [xxhash.xxh3_64_intdigest(token, seed) for token in tokens]
    assert WordRuns.of(b" ".join(tokens)).hashes(seed).tolist() == expected
    assert word_hashes(tokens, seed).tolist() == expected

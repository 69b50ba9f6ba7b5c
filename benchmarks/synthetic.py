"""A seeded synthetic news corpus: 500-word articles drawn from a Zipf-like vocabulary.

Streamed (a generator), so a corpus of any size costs no memory. Same seed, same articles.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

VOCABULARY_SIZE = 50_000


def vocabulary(seed: int) -> list[str]:
    """Pseudo-words of 2-10 letters, fixed by ``seed``."""
    generator = np.random.default_rng(seed)
    letters = np.array(list("abcdefghijklmnopqrstuvwxyz"))
    lengths = generator.integers(2, 11, VOCABULARY_SIZE)
    return ["".join(generator.choice(letters, length)) for length in lengths]


def articles(count: int, words: int = 500, seed: int = 0) -> Iterator[str]:
    """``count`` articles of ``words`` words; word frequencies follow a Zipf law, as in prose."""
    generator = np.random.default_rng(seed)
    vocab = vocabulary(seed)
    weights = 1.0 / np.arange(1, VOCABULARY_SIZE + 1)
    weights /= weights.sum()
    for _ in range(count):
        picks = generator.choice(VOCABULARY_SIZE, words, p=weights)
        sentences = np.array_split(picks, max(1, words // 20))
        yield " ".join(
            " ".join(vocab[index] for index in sentence).capitalize() + "."
            for sentence in sentences
        )

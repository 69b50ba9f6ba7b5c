"""A seeded synthetic news corpus of any size, streamed: nothing is held but a short window.

Articles of about 500 words in sentences of 12 to 25 words, in four kinds:

- ``wire``: a new story (Zipf-distributed vocabulary, names and numbers sprinkled in);
- ``reprint``: a recent wire story reprinted, trimmed at the end, a few words edited;
- ``rewrite``: a recent wire story retold sentence by sentence: names and numbers kept in
  order, two words in three replaced;
- ``independent``: a new story on its own.

Each article comes with its kind and, for reprints and rewrites, the id of its source, so
benchmarks can measure the recall of planted reuse.

    python benchmarks/synthetic.py 5 --seed 1      # print five articles as JSON lines
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np

from provenance.model import Article

VOCABULARY = 40_000
NAMES = 5_000
#: Recent wire stories kept for reprints and rewrites to draw from.
WINDOW = 1_000
KINDS = ("wire", "reprint", "rewrite", "independent")
SHARES = (0.4, 0.2, 0.2, 0.2)
#: When the first dated article is published.
START = datetime(2026, 1, 1, tzinfo=UTC)
SYLLABLES = ("ka", "lo", "mi", "ne", "ru", "sa", "te", "vo", "zu", "pa", "di", "go", "he",
             "ji", "ba", "ce", "fo", "ly", "wa", "xe")


@dataclass(frozen=True)
class Planted:
    """A generated article, its kind, and the article it derives from (if any)."""

    article: Article
    kind: str
    source: str | None


def _word(number: int, capital: bool = False) -> str:
    letters = []
    number += 1
    while number:
        number, digit = divmod(number, len(SYLLABLES))
        letters.append(SYLLABLES[digit])
    word = "".join(letters)
    return word.capitalize() if capital else word


def generate(count: int, seed: int = 0, words: int = 500, popularity: float | None = None,
             dated: bool = False) -> Iterator[Planted]:
    """``count`` articles, deterministic for a seed and count: another count draws another
    corpus, not a longer or shorter one (the articles' kinds are drawn first, all at once).

    ``popularity``: each wire story draws a weight from a Zipf distribution of this exponent,
    and reprints and rewrites pick their story by weight (a few stories are reprinted
    hundreds of times, as popular wire stories are); by default, evenly. ``dated``: each
    article is published a minute after the one before."""
    rng = np.random.default_rng(seed)
    weights: list[float] = []
    vocabulary = np.array([_word(n) for n in range(VOCABULARY)])
    names = np.array([_word(n + VOCABULARY, capital=True) for n in range(NAMES)])
    ranks = np.arange(1, VOCABULARY + 1)
    zipf = np.cumsum(1.0 / ranks)
    zipf /= zipf[-1]  # the cumulative distribution: words drawn by binary search
    # A fixed "synonym" for every word: rewrites swap words for these.
    synonym = dict(zip(vocabulary.tolist(), vocabulary[rng.permutation(VOCABULARY)].tolist(),
                       strict=True))
    window: list[tuple[str, list[str]]] = []
    kinds = rng.choice(len(KINDS), size=count, p=SHARES)
    for number in range(count):
        kind = KINDS[int(kinds[number])] if window else "wire"
        article_id = f"synthetic-{number:07d}"
        source = None
        if kind in ("wire", "independent"):
            sentences = _story(rng, vocabulary, names, zipf, words)
            if kind == "wire":
                window.append((article_id, sentences))
                window = window[-WINDOW:]
                if popularity is not None:
                    weights = [*weights, float(rng.zipf(popularity))][-WINDOW:]
        else:
            picked = (int(rng.integers(len(window))) if popularity is None else
                      int(rng.choice(len(window), p=np.array(weights) / sum(weights))))
            source, original = window[picked]
            sentences = (_reprint(rng, original, vocabulary, zipf) if kind == "reprint"
                         else _rewrite(rng, original, synonym))
        text = "\n".join(" ".join(sentences[i:i + 3]) for i in range(0, len(sentences), 3))
        published = (START + timedelta(minutes=number)).isoformat() if dated else ""
        yield Planted(Article(article_id, text, outlet=f"outlet-{number % 50}",
                              published=published), kind, source)


def _story(rng: np.random.Generator, vocabulary: np.ndarray, names: np.ndarray,
           zipf: np.ndarray, words: int) -> list[str]:
    tokens = vocabulary[np.searchsorted(zipf, rng.random(words))].tolist()
    for position in rng.choice(words, size=words // 12, replace=False).tolist():
        tokens[position] = (str(int(rng.integers(2, 5000))) if rng.random() < 0.3
                            else str(names[int(rng.integers(NAMES))]))
    sentences, start = [], 0
    while start < words:
        end = min(words, start + int(rng.integers(12, 26)))
        sentence = tokens[start:end]
        sentence[0] = sentence[0].capitalize()
        sentence[-1] += "."
        sentences.append(sentence)
        start = end
    return [" ".join(sentence) for sentence in sentences]


def _reprint(rng: np.random.Generator, original: list[str], vocabulary: np.ndarray,
             zipf: np.ndarray) -> list[str]:
    kept = original[: max(3, int(len(original) * rng.uniform(0.6, 1.0)))]
    edited = []
    for sentence in kept:
        tokens = sentence.split()
        if rng.random() < 0.3:
            tokens[int(rng.integers(len(tokens)))] = str(
                vocabulary[np.searchsorted(zipf, rng.random())])
        edited.append(" ".join(tokens))
    return edited


def _rewrite(rng: np.random.Generator, original: list[str], synonym: dict[str, str]
             ) -> list[str]:
    retold = []
    for sentence in original:
        tokens = []
        for token in sentence.split():
            bare = token.rstrip(".").lower()
            if bare in synonym and not token[0].isupper() and rng.random() < 2 / 3:
                tokens.append(synonym[bare] + token[len(bare):])
            else:
                tokens.append(token)
        retold.append(" ".join(tokens))
    return retold


def articles(count: int, words: int = 500, seed: int = 0) -> Iterator[str]:
    """Just the texts of :func:`generate` (what the fingerprinting benchmark reads)."""
    for planted in generate(count, seed, words):
        yield planted.article.text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int)
    parser.add_argument("--seed", type=int, default=0)
    options = parser.parse_args()
    for planted in generate(options.count, options.seed):
        print(json.dumps({"id": planted.article.id, "text": planted.article.text,
                          "outlet": planted.article.outlet, "kind": planted.kind,
                          "source": planted.source}))


if __name__ == "__main__":
    main()

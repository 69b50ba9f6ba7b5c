"""Shared fixtures: paths to the sample corpus and test data, and small article builders."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from provenance import kernels
from provenance.model import Article

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture
def corpus_dir() -> Path:
    return CORPUS


@pytest.fixture
def urdu_pair() -> Path:
    return DATA / "counter-urdu-pair.jsonl"


def article(article_id: str, text: str) -> Article:
    """An article with only an id and a text."""
    return Article(id=article_id, text=text)


def prose(seed: int, words: int) -> str:
    """Deterministic filler prose: distinct seeds share almost no five-word run."""
    import random

    generator = random.Random(seed)
    vocabulary = [f"w{generator.randrange(100_000)}" for _ in range(2000)]
    return " ".join(generator.choice(vocabulary) for _ in range(words))


@contextmanager
def compiled() -> Iterator[None]:
    """Calls made inside are answered by the compiled programs, as in a process with many
    calls to make; the numpy versions answer again after."""
    saved = kernels._calls
    kernels.use_compiled()
    try:
        yield
    finally:
        kernels._calls = saved

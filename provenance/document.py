"""One article as the pair measures need it: words, shingles, sentences and their terms.

Built from the article's body (its text with page furniture blanked out, offsets unchanged),
so every offset points into the original text.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .model import HashArray
from .sentences import sentences
from .shingle import Words, shingle_hashes, word_hashes, words
from .terms import Terms, terms


@dataclass(frozen=True)
class Document:
    """An article's text and what was read from its body."""

    text: str
    words: Words
    #: Word k-gram hashes in text order.
    shingles: HashArray
    #: ``sentence_words[s] = (first, end)``: the words of sentence ``s`` are ``first:end``.
    sentence_words: npt.NDArray[np.int64]
    sentence_terms: tuple[Terms, ...]
    #: The terms of the whole article (its sentences' terms in order).
    terms: Terms
    #: The distinct terms, sorted: what containment measures look up.
    distinct: Terms

    def sentence_span(self, sentence: int) -> tuple[int, int]:
        """Character offsets of a sentence in the original text."""
        first, end = self.sentence_words[sentence]
        return int(self.words.starts[first]), int(self.words.ends[end - 1])


def read_document(text: str, body: str, shingle_size: int, seed: int) -> Document:
    """Read ``body`` (``text`` with furniture blanked) into a :class:`Document`."""
    found = words(body)
    tokens = [key.encode() for key in found.keys]
    shingles = shingle_hashes(word_hashes(tokens, seed), shingle_size)
    bounds = []
    for sentence in sentences(body):
        first = int(np.searchsorted(found.starts, sentence.start))
        end = int(np.searchsorted(found.starts, sentence.end))
        if end > first:
            bounds.append((first, end))
    sentence_words = np.array(bounds, dtype=np.int64).reshape(-1, 2)
    sentence_terms = tuple(terms(found.keys[first:end]) for first, end in bounds)
    whole = Terms(_joined([t.words for t in sentence_terms]),
                  _joined([t.grams for t in sentence_terms]))
    distinct = Terms(np.unique(whole.words), np.unique(whole.grams))
    return Document(text, found, shingles, sentence_words, sentence_terms, whole, distinct)


def _joined(arrays: list[HashArray]) -> HashArray:
    return np.concatenate(arrays) if arrays else np.empty(0, dtype=np.uint64)

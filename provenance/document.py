"""One article as the pair measures need it: words, shingles, sentences and their terms.

Built from the article's body (its text with page furniture blanked out, offsets unchanged),
so every offset points into the original text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import numpy.typing as npt

from .config import Parameters
from .hashsets import HashIndex, distinct
from .model import HashArray
from .sentences import sentences
from .shingle import BatchWords, Words, shingle_hashes, words
from .terms import WORD_SEED, SentenceTerms, Terms, character_grams, sentence_terms


@dataclass(frozen=True)
class Document:
    """An article's text and what was read from its body."""

    text: str
    words: Words
    #: Word k-gram hashes in text order.
    shingles: HashArray
    #: ``sentence_words[s] = (first, end)``: the words of sentence ``s`` are ``first:end``.
    sentence_words: npt.NDArray[np.int64]
    #: The terms of each sentence.
    sentence_terms: SentenceTerms
    #: The distinct terms of the whole text, sorted (n-grams running across sentence ends
    #: included): what containment measures look up and document frequencies count, the
    #: same whether or not the text was split into sentences.
    distinct: Terms

    @property
    def terms(self) -> Terms:
        """The terms of the whole article (its sentences' terms in order)."""
        return self.sentence_terms.terms

    @cached_property
    def shingle_set(self) -> HashArray:
        """The distinct shingle hashes, sorted."""
        return distinct(self.shingles)

    @cached_property
    def word_places(self) -> npt.NDArray[np.int64]:
        """Where each word of :attr:`terms` is among the :attr:`distinct` words."""
        return HashIndex(self.distinct.words).places(self.terms.words)

    @cached_property
    def sentence_lengths(self) -> npt.NDArray[np.int64]:
        """The number of words of each sentence."""
        lengths: npt.NDArray[np.int64] = self.sentence_words[:, 1] - self.sentence_words[:, 0]
        return lengths

    @cached_property
    def word_count(self) -> int:
        """The number of words in sentences: the words the sentence measures count."""
        return int(self.sentence_lengths.sum())

    @cached_property
    def sentence_spans(self) -> npt.NDArray[np.int64]:
        """``sentence_spans[s] = (start, end)``: character offsets of sentence ``s`` in the
        original text."""
        return np.stack([self.words.starts[self.sentence_words[:, 0]],
                         self.words.ends[self.sentence_words[:, 1] - 1]], axis=1
                        ).astype(np.int64).reshape(-1, 2)


def read_document(text: str, body: str, params: Parameters) -> Document:
    """Read ``body`` (``text`` with furniture blanked) into a :class:`Document`."""
    return read_documents([text], [body], params)[0]


def read_documents(texts: Sequence[str], bodies: Sequence[str], params: Parameters
                   ) -> list[Document]:
    """:func:`read_document` of each text and body, the words of all hashed at once (the
    vector hash pays off over a batch, not over one article's few hundred words)."""
    batch = BatchWords.of(bodies)
    shingle_keys = batch.split(batch.runs.hashes(params.seed))
    term_keys = batch.split(batch.runs.hashes(WORD_SEED))
    return [_read(text, body, shingle_key, term_key, params) for text, body, shingle_key, term_key
            in zip(texts, bodies, shingle_keys, term_keys, strict=True)]


def _read(text: str, body: str, shingle_keys: HashArray, term_keys: HashArray,
          params: Parameters) -> Document:
    """Read ``body`` whose words hash to ``shingle_keys`` (with the shingles' seed) and to
    ``term_keys`` (with the terms')."""
    found = words(body)
    shingles = shingle_hashes(shingle_keys, params.shingle_size)
    spans = sentences(body)
    firsts = np.searchsorted(found.starts, [sentence.start for sentence in spans])
    ends = np.searchsorted(found.starts, [sentence.end for sentence in spans])
    bounds = np.stack([firsts, ends], axis=1).astype(np.int64).reshape(-1, 2)
    bounds = bounds[bounds[:, 1] > bounds[:, 0]]
    whole = Terms(term_keys, character_grams("".join(found.keys)))
    return Document(text, found, shingles, bounds, sentence_terms(whole, found.keys, bounds),
                    whole.distinct())

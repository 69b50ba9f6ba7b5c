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

from provenance.config import Parameters
from provenance.hashsets import HashIndex, distinct
from provenance.model import (
    Article,
    HashArray,
)
from provenance.progress import Progress, no_progress
from provenance.text.sentences import sentence_spans
from provenance.text.terms import (
    CorpusWeights,
    SentenceTerms,
    Terms,
    batch_terms,
    sentence_terms,
)
from provenance.text.words import BatchWords, Words, words
from provenance.workers import chunk_spans


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
    """:func:`read_document` of each text and body, what can be done for all at once done
    so: the words hashed and made into shingles and n-grams in one vector pass each (which
    pays off over a batch, not over one article's few hundred words), and the distinct
    terms found by one compiled call."""
    batch = BatchWords.of(bodies)
    shingles = batch.shingles(params.seed, params.shingle_size)
    word_terms, gram_terms = batch_terms(batch)
    distinct_words, distinct_grams = word_terms.distinct(), gram_terms.distinct()
    return [_read(text, body, batch.ascii_words(n) if body.isascii() else words(body),
                  shingles[n], Terms(word_terms[n], gram_terms[n]),
                  Terms(distinct_words[n], distinct_grams[n]))
            for n, (text, body) in enumerate(zip(texts, bodies, strict=True))]


def _read(text: str, body: str, found: Words, shingles: HashArray, whole: Terms,
          distinct: Terms) -> Document:
    """Read ``body``, whose words are ``found`` and make ``shingles``, and whose terms
    (:func:`terms.terms` of its words) are ``whole``, ``distinct`` of them."""
    # Each sentence's (start, end) offsets, as the (first, end) of the words it holds.
    bounds = np.searchsorted(found.starts, sentence_spans(body)).astype(np.int64).reshape(-1, 2)
    bounds = bounds[bounds[:, 1] > bounds[:, 0]]
    return Document(text, found, shingles, bounds, sentence_terms(whole, found, bounds),
                    distinct)


def read_corpus(articles: Sequence[Article], bodies: Sequence[str], params: Parameters,
                progress: Progress = no_progress) -> tuple[list[Document], CorpusWeights]:
    """The :class:`Document` of every article, in order, and the corpus's term weights."""
    documents: list[Document] = []
    for start, end in chunk_spans(len(articles), READ_CHUNK):
        documents += read_documents([article.text for article in articles[start:end]],
                                    bodies[start:end], params)
        progress("reading", end, len(articles))
    return documents, CorpusWeights.fit([d.distinct for d in documents])


READ_CHUNK = 256

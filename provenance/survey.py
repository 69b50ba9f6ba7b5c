"""A scan's first pass: every article read once for what candidate search and term weights
need, so that no article's full reading has to be kept in memory until its pairs are judged.

Articles are surveyed in chunks, each independent of the others, so chunks can go to worker
processes; a chunk's term counts add up to the corpus's exactly (see
:meth:`CorpusWeights.merge`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .agencies import Registry
from .config import Parameters
from .credits import CreditFinder
from .document import Document, read_document
from .index import band_keys, sample
from .model import Article, Credit, HashArray
from .signature import Permutations, signatures
from .terms import CorpusWeights


@dataclass(frozen=True)
class ArticleSurvey:
    """What a scan keeps of one article between reading it and judging its pairs."""

    #: LSH band keys; none for an article too short to fingerprint.
    band_keys: HashArray
    #: Containment samples of its shingles at the scan's and at the index's rate.
    samples: HashArray
    index_samples: HashArray
    #: Its distinct word terms, sorted: where its rarest words (rewrite keys) are drawn from.
    words: HashArray
    credits: tuple[Credit, ...]
    too_short: bool


@dataclass(frozen=True)
class ScanInput:
    """The articles of a scan, sorted by id, and their bodies (furniture blanked)."""

    articles: Sequence[Article]
    bodies: Sequence[str]
    params: Parameters
    registry: Registry

    def document(self, position: int) -> Document:
        """The full reading of the article at ``position``."""
        article = self.articles[position]
        return read_document(article.text, self.bodies[position], self.params.shingle_size,
                             self.params.seed)


def survey_chunk(corpus: ScanInput, span: tuple[int, int]
                 ) -> tuple[list[ArticleSurvey], CorpusWeights]:
    """Survey the articles at positions ``span[0]:span[1]``; also the term counts of just
    these articles."""
    params = corpus.params
    finder = CreditFinder(corpus.registry)
    positions = range(*span)
    documents = [corpus.document(position) for position in positions]
    permutations = Permutations.create(params.num_perm, params.seed)
    keys = band_keys(signatures([doc.shingles for doc in documents], permutations),
                     params.bands, params.rows)
    surveys = []
    for position, doc, row in zip(positions, documents, keys, strict=True):
        samples = sample(doc.shingles, params.sample_rate)
        surveys.append(ArticleSurvey(
            band_keys=row[:0] if doc.shingles.size == 0 else row,
            samples=samples,
            # The index's coarser sample is a subset of the scan's (config checks the rates).
            index_samples=sample(samples, params.index_sample_rate),
            words=doc.distinct.words,
            credits=finder.find(corpus.articles[position].text, corpus.bodies[position]),
            too_short=doc.shingles.size == 0,
        ))
    return surveys, CorpusWeights.fit([doc.distinct for doc in documents])


def chunks(count: int, size: int) -> list[tuple[int, int]]:
    """``(start, end)`` spans of ``size`` covering ``range(count)``."""
    return [(start, min(start + size, count)) for start in range(0, count, size)]


def rewrite_keys(word_arrays: Sequence[HashArray], weights: CorpusWeights,
                 params: Parameters) -> list[HashArray]:
    """Each article's rarest words in the corpus (``word_arrays[i]``: article i's distinct
    word terms), at most ``params.rewrite_keys`` of them; words in one article only,
    or in too many, left out. Computed for all articles at once."""
    sizes = [words.size for words in word_arrays]
    words = np.concatenate(word_arrays) if word_arrays else np.empty(0, dtype=np.uint64)
    owner = np.repeat(np.arange(len(word_arrays)), sizes)
    frequency = weights.words.frequency(words)
    shared = (frequency >= 2) & (frequency <= params.max_sample_articles)
    words, owner, frequency = words[shared], owner[shared], frequency[shared]
    # By article, rarest first, then by word: each article's words come sorted, in article
    # order, so a stable sort on (article, frequency) alone keeps that order among equals.
    order = np.argsort(owner * (params.max_sample_articles + 1) + frequency, kind="stable")
    words, owner = words[order], owner[order]
    first_of_owner = np.searchsorted(owner, np.arange(len(word_arrays)))
    rank = np.arange(owner.size) - first_of_owner[owner]
    keep = rank < params.rewrite_keys
    words, owner = words[keep], owner[keep]
    bounds = np.searchsorted(owner, np.arange(1, len(word_arrays)))
    return np.split(words, bounds)

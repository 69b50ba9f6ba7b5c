"""A scan's first pass: every article read once, in batches and without splitting sentences,
for what candidate search and term weights need, so that no article's full reading has to be
kept in memory until its pairs are judged.

Articles are surveyed in chunks, each independent of the others, so chunks can go to worker
processes; a chunk's term counts add up to the corpus's exactly (see
:meth:`CorpusWeights.merge`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .agencies import Registry
from .config import Parameters
from .credits import CreditFinder
from .document import Document, read_document
from .hashsets import first_of_runs
from .index import band_keys, sample, sample_mask
from .model import Article, Credit, HashArray, SignatureArray
from .shingle import WordRuns, shingle_hashes, word_bytes, words
from .signature import Permutations, signatures
from .terms import CorpusWeights, terms


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
        return read_document(article.text, self.bodies[position], self.params)


def survey_chunk(corpus: ScanInput, span: tuple[int, int]
                 ) -> tuple[list[ArticleSurvey], CorpusWeights]:
    """Survey the articles at positions ``span[0]:span[1]``; also the term counts of just
    these articles. No sentence is split: that waits for judging, and only for the articles
    in a candidate pair."""
    params = corpus.params
    finder = CreditFinder(corpus.registry)
    counts, signed, samples = fingerprint_batch((corpus.bodies, params, True), span)
    keys = band_keys(signed, params.bands, params.rows)
    surveys, found = [], []
    for position, count, row, sampled in zip(range(*span), counts.tolist(), keys, samples,
                                             strict=True):
        body = corpus.bodies[position]
        distinct = terms(words(body).keys).distinct()
        found.append(distinct)
        too_short = count < params.shingle_size
        surveys.append(ArticleSurvey(
            band_keys=row[:0] if too_short else row,
            samples=sampled,
            # The index's coarser sample is a subset of the scan's (config checks the rates).
            index_samples=sample(sampled, params.index_sample_rate),
            words=distinct.words,
            credits=finder.find(corpus.articles[position].text, body),
            too_short=too_short,
        ))
    return surveys, CorpusWeights.fit(found)


def fingerprint_batch(work: tuple[Sequence[str], Parameters, bool], span: tuple[int, int]
                      ) -> tuple[npt.NDArray[np.int64], SignatureArray, list[HashArray]]:
    """Word counts, signatures and (if asked for) containment samples of one batch, every
    stage vectorised over the batch's words at once (shingles running across two articles
    dropped); returned as arrays, cheap to pass between processes."""
    bodies, params, with_samples = work
    texts = [word_bytes(body) for body in bodies[span[0]:span[1]]]
    runs = WordRuns.of(b" ".join(texts))
    text_starts = np.cumsum([0, *(len(text) + 1 for text in texts[:-1])])
    owner = np.searchsorted(text_starts, runs.starts, side="right") - 1
    words = np.bincount(owner, minlength=len(texts))
    k = params.shingle_size
    shingles = shingle_hashes(runs.hashes(params.seed), k)
    within = owner[: shingles.size] == owner[k - 1:]
    shingles, owner = shingles[within], owner[: within.size][within]
    bounds = np.searchsorted(owner, np.arange(1, len(texts)))
    signed = signatures(np.split(shingles, bounds),
                        Permutations.create(params.num_perm, params.seed))
    samples = (_batch_samples(shingles, owner, len(texts), params.sample_rate)
               if with_samples else [])
    return words, signed, samples


def _batch_samples(shingles: HashArray, owner: npt.NDArray[np.int64], count: int,
                   sample_rate: int) -> list[HashArray]:
    """The distinct samples of each of ``count`` articles' shingles (``owner``: whose each
    is), sorted, from one sort of the batch by article and value."""
    sampled = sample_mask(shingles, sample_rate)
    values, owner = shingles[sampled], owner[sampled]
    order = np.lexsort((values, owner))
    values, owner = values[order], owner[order]
    first = first_of_runs(owner, values)
    values, owner = values[first], owner[first]
    return np.split(values, np.searchsorted(owner, np.arange(1, count)))


def chunks(count: int, size: int) -> list[tuple[int, int]]:
    """``(start, end)`` spans of ``size`` covering ``range(count)``."""
    return [(start, min(start + size, count)) for start in range(0, count, size)]

"""A scan's first pass: every article read once, in batches and without splitting sentences,
for what candidate search and term weights need, so that no article's full reading has to be
kept in memory until its pairs are judged.

Articles are surveyed in chunks, each independent of the others, so chunks can go to worker
processes; a chunk's term counts add up to the corpus's exactly (see
:meth:`CorpusWeights.merge`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from provenance.attribution.agencies import Registry
from provenance.attribution.credits import CreditFinder
from provenance.candidates.buckets import band_keys, sample, sample_mask
from provenance.candidates.minhash import Permutations, signatures
from provenance.config import Parameters
from provenance.hashsets import HashIndex, HashSets, distinct
from provenance.model import Article, Credit, SignatureArray
from provenance.text.document import Document, read_documents
from provenance.text.furniture import Bodies
from provenance.text.terms import WORD_SEED, CorpusWeights, TermWeights, batch_terms
from provenance.text.words import BatchWords, word_hashes


@dataclass(frozen=True)
class Survey:
    """What a scan keeps of its articles between reading them and judging their pairs: one
    flat array per field for all of them, article ``i`` at row or set ``i``."""

    #: ``(articles, bands)`` LSH band keys; the rows of too short articles are not used.
    band_keys: npt.NDArray[np.uint64]
    #: Articles too short to fingerprint (fewer words than a shingle).
    too_short: npt.NDArray[np.bool_]
    #: Containment samples of each article's shingles, at the scan's rate, and at the
    #: index's when the scan keeps an index (else none).
    samples: HashSets
    index_samples: HashSets | None
    credits: list[tuple[Credit, ...]]

    @classmethod
    def concatenate(cls, parts: Sequence[Survey]) -> Survey:
        """The survey of the articles of ``parts``, one part after the other."""
        index_samples = [part.index_samples for part in parts]
        return cls(
            np.concatenate([part.band_keys for part in parts]),
            np.concatenate([part.too_short for part in parts]),
            HashSets.concatenate([part.samples for part in parts]),
            None if None in index_samples else HashSets.concatenate(
                [part for part in index_samples if part is not None]),
            [credits for part in parts for credits in part.credits])

    def __len__(self) -> int:
        return len(self.credits)

    def lsh_keys(self) -> HashSets:
        """The band keys of each article fingerprinted, none for those too short."""
        return HashSets.of_sizes(self.band_keys[~self.too_short].ravel(),
                                 np.where(self.too_short, 0, self.band_keys.shape[1]))


@dataclass(frozen=True)
class ScanInput:
    """The articles of a scan, sorted by id, and their bodies (furniture blanked)."""

    articles: Sequence[Article]
    bodies: Bodies
    params: Parameters
    registry: Registry
    #: Whether the scan keeps an index (whose coarser samples the survey then draws).
    with_index: bool = False

    def documents(self, positions: Sequence[int]) -> list[Document]:
        """The full reading of the articles at ``positions``."""
        read = [self.bodies.text_and_body(n) for n in positions]
        return read_documents([text for text, _ in read], [body for _, body in read],
                              self.params)


def survey_chunk(corpus: ScanInput, span: tuple[int, int]
                 ) -> tuple[Survey, HashSets, CorpusWeights]:
    """Survey the articles at positions ``span[0]:span[1]``; also each one's distinct words,
    sorted (where its rarest words, the rewrite keys, are drawn from, once the corpus's
    weights are known), and the term counts of just these articles. No sentence is split:
    that waits for judging, and only for the articles in a candidate pair."""
    params = corpus.params
    bodies = corpus.bodies[span[0]:span[1]]
    batch = BatchWords.of(bodies)
    counts, signed, samples = _fingerprint(batch, params, True)
    words, grams = batch_terms(batch)
    survey = Survey(
        band_keys=band_keys(signed, params.bands, params.rows),
        too_short=counts < params.shingle_size,
        samples=samples,
        # The index's coarser sample is a subset of the scan's (config checks the rates).
        index_samples=HashSets.of([sample(sampled, params.index_sample_rate)
                                   for sampled in samples]) if corpus.with_index else None,
        credits=_credits(CreditFinder(corpus.registry), bodies, batch, words,
                         {n - span[0]: corpus.bodies.text_and_body(n)[0]
                          for n in range(*span) if n in corpus.bodies.furniture}),
    )
    return survey, words.distinct(), CorpusWeights(TermWeights.count(words),
                                                   TermWeights.count(grams))


def _credits(finder: CreditFinder, bodies: Sequence[str], batch: BatchWords, words: HashSets,
             furnished: Mapping[int, str]) -> list[tuple[Credit, ...]]:
    """The credits of articles whose bodies are ``bodies``, their words ``batch``, hashed to
    ``words``, and the texts of those whose bodies blank furniture (``furnished``, by place):
    those are read with their texts (a credit line may be blanked as furniture). Read for
    them: each body that is not ASCII, and each ASCII one holding a trigger word (see
    :attr:`CreditFinder.lowered_ascii_triggers`), which one lookup of the batch's hashed
    words finds; the rest hold none."""
    may_credit = [not body.isascii() or n in furnished for n, body in enumerate(bodies)]
    triggers = HashIndex(distinct(word_hashes(list(finder.lowered_ascii_triggers), WORD_SEED)))
    for word in np.flatnonzero(triggers.places(words.values) >= 0).tolist():
        owner = int(batch.owner[word])
        if not may_credit[owner]:
            start, end = batch.span(word)
            may_credit[owner] = finder.opens_trigger(bodies[owner][start:end])
    # A body keeps its text's offsets: the credits found in it are the text's.
    return [finder.find(furnished.get(n, body), body) if may else ()
            for n, (body, may) in enumerate(zip(bodies, may_credit, strict=True))]


def fingerprint_batch(work: tuple[Sequence[str], Parameters, bool], span: tuple[int, int]
                      ) -> tuple[npt.NDArray[np.int64], SignatureArray, HashSets]:
    """Word counts, signatures and (if asked for, else none) containment samples of one
    batch, every stage vectorised over the batch's words at once (shingles running across
    two articles dropped); returned as arrays, cheap to pass between processes."""
    bodies, params, with_samples = work
    return _fingerprint(BatchWords.of(bodies[span[0]:span[1]]), params, with_samples)


def _fingerprint(batch: BatchWords, params: Parameters, with_samples: bool
                 ) -> tuple[npt.NDArray[np.int64], SignatureArray, HashSets]:
    count = len(batch.texts)
    words = np.bincount(batch.owner, minlength=count)
    shingles = batch.shingles(params.seed, params.shingle_size)
    signed = signatures(list(shingles), Permutations.create(params.num_perm, params.seed))
    sampled = (np.flatnonzero(sample_mask(shingles.values, params.sample_rate))
               if with_samples else np.empty(0, dtype=np.int64))
    samples = HashSets.of_sizes(shingles.values[sampled],
                                np.bincount(shingles.owners(sampled), minlength=count))
    return words, signed, samples.distinct()

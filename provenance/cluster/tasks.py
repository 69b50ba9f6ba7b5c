"""What a cluster scan's tasks run: pure functions of their arguments, module-level so that
Ray ships them by reference. Each returns what the next stage reads; where a stage sends
something to every partition of the next, it returns one value per partition (a task of
``num_returns`` values), chosen from content.

Positions are an article's place in the corpus in order of id; an article partition is a
run of them (``first`` its first). A pair partition holds the pairs whose code chooses it
(:func:`~provenance.cluster.shuffle.partition_of`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import itertools
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from provenance.attribution.agencies import Registry
from provenance.candidates.buckets import (
    PairArray,
    concatenated_ranges,
    decode_pairs,
    merge_pairs,
)
from provenance.candidates.pairs import (
    CorpusWords,
    best_of_candidates,
    candidate_shares,
    rewrite_keys,
    verified_rewrites,
)
from provenance.candidates.survey import ScanInput, Survey, survey_chunk
from provenance.cluster.shuffle import KeyEntries, PairCounts, counted_pairs
from provenance.config import Parameters
from provenance.hashsets import HashSets
from provenance.lineage.judged import PairSummary
from provenance.model import Article, Credit
from provenance.scanning import SURVEY_CHUNK, Judging, judge_chunk
from provenance.text.corpus import InputFile, read_apart
from provenance.text.furniture import Bodies
from provenance.text.terms import CorpusWeights, TermWeights, WeightsMerger
from provenance.verdict.models import Calibration
from provenance.workers import chunk_spans

#: An article partition's word ids, flat (as :class:`CorpusWords` holds them): the ids and
#: where each article's start, and the partition's first position.
WordIds = tuple[npt.NDArray[np.uint32], npt.NDArray[np.int64]]


def read_group(files: Sequence[InputFile], folder: str) -> list[tuple[list[Article], list[Any]]]:
    """The articles of ``files`` (relative paths from ``folder``, the driver's) and the
    inputs that did not load."""
    with contextlib.chdir(folder):  # a worker reused by other tasks keeps its own folder
        return [read_apart(read) for read in files]


def _read_cleanly(result: list[tuple[list[Article], list[Any]]]) -> bool:
    """Whether every file of a group loaded: a group with an input that did not load is
    read again on a resumed run, as the failure may have been the store's, for a moment."""
    return not any(errors for _, errors in result)


#: Tasks whose output is checkpointed only where this says so, by the function's name.
KEEPS: dict[str, Callable[[Any], bool]] = {"read_group": _read_cleanly}


def survey_partition(articles: Sequence[Article],
                     furniture: Mapping[int, list[tuple[int, int]]], first: int,
                     params: Parameters, registry: Registry, partitions: int
                     ) -> tuple[Any, ...]:
    """A partition surveyed: what the driver keeps (credits, which are too short, term
    counts, bytes sent on), then its words (hashes, for :func:`word_ids`), then its band keys
    and samples for each key partition."""
    corpus = ScanInput(articles, Bodies(articles, furniture), params, registry)
    done = [survey_chunk(corpus, span) for span in chunk_spans(len(articles), SURVEY_CHUNK)]
    survey = Survey.concatenate([part for part, _, _ in done])
    merger = WeightsMerger()
    for _, _, counts in done:
        merger.add(counts)
    lsh = KeyEntries.of(survey.lsh_keys(), first).split(partitions)
    samples = KeyEntries.of(survey.samples, first).split(partitions)
    shipped = sum(part.nbytes for part in (*lsh, *samples))
    kept = (survey.credits, survey.too_short, merger.result(), shipped)
    words = HashSets.concatenate([found for _, found, _ in done])
    return (kept, words, *zip(lsh, samples, strict=True))


def word_ids(words: HashSets, vocabulary: TermWeights) -> WordIds:
    """A partition's words (sorted hashes) as their ids among the corpus's words."""
    places = vocabulary.places(words.values)
    if places.size and places.min() < 0:
        raise ValueError("a word the corpus's weights do not hold")
    return places.astype(np.uint32), words.offsets


def rewrite_keys_of(words: WordIds, vocabulary: TermWeights, first: int, params: Parameters,
                    partitions: int) -> tuple[Any, ...]:
    """A partition's rewrite keys, for each key partition, then the bytes it sends on."""
    keys = rewrite_keys(CorpusWords(*words, vocabulary), params)
    split = KeyEntries.of(keys, first).split(partitions)
    return (*split, sum(part.nbytes for part in split))


def count_key_partition(params: Parameters, partitions: int, maps: int, *pieces: Any
                        ) -> tuple[Any, ...]:
    """The pairs one key partition's keys propose, counted, for each pair partition, then
    the bytes it sends on: ``pieces`` are the band keys and samples the ``maps`` survey
    tasks sent it, then the rewrite keys (if any)."""
    surveyed: list[tuple[KeyEntries, KeyEntries]] = list(pieces[:maps])
    lsh = counted_pairs(KeyEntries.concatenate([keys for keys, _ in surveyed]), None)
    samples = counted_pairs(KeyEntries.concatenate([sampled for _, sampled in surveyed]),
                            params.max_sample_articles)
    rewrites = counted_pairs(KeyEntries.concatenate(list(pieces[maps:])),
                             params.max_sample_articles)
    split = [part.split(partitions) for part in (lsh, samples, rewrites)]
    return (*zip(*split, strict=True), sum(part.nbytes for part in (lsh, samples, rewrites)))


def sum_pair_partition(params: Parameters, bounds: npt.NDArray[np.int64],
                       too_short: npt.NDArray[np.int64],
                       every_pair: npt.NDArray[np.int64] | None,
                       *pieces: tuple[PairCounts, PairCounts, PairCounts]) -> tuple[Any, ...]:
    """One pair partition's verbatim and rewrite candidates (codes), their keys' counts
    summed (or, in a corpus small enough, ``every_pair`` of its own as the rewrites); no
    rewrite of an article too short to fingerprint (``too_short``: their positions, sorted).
    Then, for each article partition (``bounds``: where each starts, and the end), the
    positions of its articles these pairs hold, whose words they need."""
    lsh, samples, rewrites = (PairCounts.summed([piece[n] for piece in pieces])
                              for n in range(3))
    verbatim = np.union1d(lsh.codes, samples.at_least(params.min_shared_samples))
    rewrite_codes = (every_pair if every_pair is not None
                     else rewrites.at_least(params.rewrite_min_shared))
    rewrite_codes = rewrite_codes[~np.isin(decode_pairs(rewrite_codes), too_short).any(axis=1)]
    held = np.unique(np.concatenate([decode_pairs(verbatim), decode_pairs(rewrite_codes)]))
    cuts = np.searchsorted(held, bounds)
    return ((verbatim, rewrite_codes),
            *(held[start:end] for start, end in itertools.pairwise(cuts)))


def words_for_pairs(words: WordIds, first: int, *needed: npt.NDArray[np.int64]
                    ) -> tuple[Any, ...]:
    """An article partition's words, for each pair partition the ones its pairs need: the
    positions, and their word ids flat with where each article's start."""
    ids, offsets = words
    pieces = []
    for positions in needed:
        rows = positions - first
        sizes = offsets[rows + 1] - offsets[rows]
        taken = ids[concatenated_ranges(offsets[rows], sizes)]
        pieces.append((positions, taken, np.concatenate(([0], np.cumsum(sizes)))))
    return tuple(pieces)


def verify_pair_partition(params: Parameters, vocabulary: TermWeights,
                          bounds: npt.NDArray[np.int64],
                          codes: tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]],
                          *pieces: tuple[Any, Any, Any]) -> tuple[Any, ...]:
    """One pair partition's candidates verified (rewrites that share enough words), as the
    local scan verifies them, from the words of their articles (``pieces``, one from each
    article partition). Then: its pairs, when every one is judged (``source_candidates``
    None), else none, and for each article partition, the ``(article, candidate)`` rows of its
    articles with their shares, for :func:`best_candidates`; the counts (verbatim, rewrites
    verified) last."""
    positions = np.concatenate([piece[0] for piece in pieces])
    sizes = np.concatenate([np.diff(piece[2]) for piece in pieces])
    words = CorpusWords(np.concatenate([piece[1] for piece in pieces]),
                        np.concatenate(([0], np.cumsum(sizes))).astype(np.int64), vocabulary)
    verbatim, rewrites = (_local(decode_pairs(part), positions) for part in codes)
    verified = verified_rewrites(rewrites, verbatim, words, params)
    pairs = merge_pairs(verbatim, verified)
    counts = (len(verbatim), len(verified))
    if params.source_candidates is None:
        return (positions[pairs], *([None] * (bounds.size - 1)), counts)
    rows, shares = candidate_shares(pairs, words) if pairs.size else (pairs, np.empty(0))
    rows = positions[rows]
    chosen = np.searchsorted(bounds, rows[:, 0], side="right") - 1
    return (None, *((rows[chosen == part], shares[chosen == part])
                    for part in range(bounds.size - 1)), counts)


def best_candidates(keep: int, rank: npt.NDArray[np.int64], *pieces: tuple[Any, Any]
                    ) -> PairArray:
    """An article partition's articles' best source candidates (:func:`best_of_candidates`),
    from their rows in every pair partition."""
    rows = np.concatenate([piece[0] for piece in pieces]).reshape(-1, 2)
    shares = np.concatenate([piece[1] for piece in pieces])
    return best_of_candidates(rows, shares, rank[rows[:, 1]] if rows.size else rows[:, 1],
                              keep)


def judge_run(shared: tuple[CorpusWeights, Calibration, Parameters, Registry],
              articles: list[Article], positions: Any,
              furniture: Mapping[int, list[tuple[int, int]]],
              credits: Mapping[str, tuple[Credit, ...]], pairs: PairArray
              ) -> tuple[list[bytes], PairSummary]:
    """Judge ``pairs`` (rows of places in ``articles``, which sit at ``positions`` of the
    corpus); the summary names the corpus's positions."""
    weights, calibration, params, registry = shared
    corpus = ScanInput(articles, Bodies(articles, furniture), params, registry)
    records, summary = judge_chunk(Judging(corpus, weights, calibration, credits), pairs)
    return records, dataclasses.replace(summary, a=positions[summary.a].astype(np.int32),
                                        b=positions[summary.b].astype(np.int32))


def _local(pairs: PairArray, positions: npt.NDArray[np.int64]) -> PairArray:
    """``pairs`` of corpus positions as places among ``positions`` (sorted, holding them)."""
    local: PairArray = np.searchsorted(positions, pairs)
    return local

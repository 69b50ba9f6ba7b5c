"""Which pairs of surveyed articles are worth judging, found without comparing all pairs.

Verbatim reuse is found by shared LSH band keys or containment samples (see :mod:`index`).
Rewrites share almost no shingle, so each article also offers its rarest words in the corpus
as keys; pairs sharing enough of them are rewrite candidates (in a corpus of a few dozen
articles, every pair is), and those that also share enough of all their words (IDF-weighted,
one way or the other) are judged.

Every article's words are held in one flat table (:class:`CorpusWords`) by their ids in the
corpus's term weights, looked up once as the survey ends (the survey spools them till then),
so the rarest words and the containments come from the same arrays, for all articles at once.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from provenance.candidates.buckets import (
    PairArray,
    lsh_pairs,
    merge_pairs,
    pair_codes,
    shared_key_pairs,
)
from provenance.candidates.survey import Survey
from provenance.compiled import Kernel
from provenance.config import Parameters
from provenance.hashsets import HashSets, SpooledHashSets, entry_owners
from provenance.model import HashArray
from provenance.text.terms import TermWeights, WeightArray

#: Articles whose rewrite keys are chosen at a time.
KEY_BLOCK = 1 << 14
#: Up to this many articles, every pair is a rewrite candidate (then verified as the others
#: are): in a corpus this small, most of it one story, the rarest words tell nothing apart
#: (a story's names are in every article of it), and there are few pairs to look at.
EVERY_PAIR_UP_TO = 64


@dataclass(frozen=True)
class CorpusWords:
    """The distinct words of every article, flat, each by its id: its place among the
    corpus's words (``weights.known``), half the size of its hash and the key to its
    frequency and weight. Ids keep the order of the hashes, so each article's are sorted:
    article ``i``'s are ``ids[offsets[i]:offsets[i + 1]]``."""

    ids: npt.NDArray[np.uint32]
    offsets: npt.NDArray[np.int64]
    weights: TermWeights

    @classmethod
    def of(cls, words: SpooledHashSets, weights: TermWeights) -> CorpusWords:
        """The table of the articles of ``words`` (sets of sorted distinct words), every
        word one of ``weights``'. The words are read back a part at a time: the hashes of a
        million articles' words are never in memory at once, nor with their ids."""
        offsets = np.concatenate(([0], words.sizes())).cumsum().astype(np.int64)
        ids = np.empty(int(offsets[-1]), dtype=np.uint32)
        filled = 0
        for part in words:
            places = weights.places(part.values)
            if places.size and places.min() < 0:
                raise ValueError("a word the corpus's weights do not hold")
            ids[filled:filled + places.size] = places
            filled += places.size
        return cls(ids, offsets, weights)

    def __len__(self) -> int:
        return int(self.offsets.size - 1)

    def hashes(self, article: int) -> HashArray:
        """Article ``article``'s distinct words, as their term hashes (sorted)."""
        words: HashArray = self.weights.known[self.ids[self.offsets[article]:
                                                       self.offsets[article + 1]]]
        return words


def candidate_pairs(survey: Survey, words: CorpusWords, params: Parameters
                    ) -> tuple[PairArray, PairArray]:
    """Pairs of article positions ``(i, j)``, ``i < j``, worth judging: those sharing an LSH
    band key or enough containment samples (verbatim reuse), and those sharing enough of
    their rarest words and, verified, enough of all their words (rewrites); never an
    article too short to fingerprint."""
    def verbatim_pairs() -> PairArray:
        return merge_pairs(
            lsh_pairs(survey.lsh_keys()),
            shared_key_pairs(survey.samples, params.min_shared_samples,
                             params.max_sample_articles))

    def rewrite_pairs() -> PairArray:
        if len(words) <= EVERY_PAIR_UP_TO:
            pairs = every_pair(len(words))
        else:
            pairs = shared_key_pairs(rewrite_keys(words, params), params.rewrite_min_shared,
                                     params.max_sample_articles)
        # An article too short to fingerprint has no verdict: its shingle measures, which
        # every verdict weighs, do not exist.
        fingerprinted: PairArray = pairs[~survey.too_short[pairs].any(axis=1)]
        return fingerprinted

    # The two searches are independent, and spend their time in sorts, searches and
    # compiled loops that let go of the interpreter: two threads run them on two cores.
    with ThreadPoolExecutor(2) as threads:
        verbatim_search = threads.submit(verbatim_pairs)
        rewrites = rewrite_pairs()
        verbatim = verbatim_search.result()
    return verbatim, verified_rewrites(rewrites, verbatim, words, params)


def every_pair(count: int) -> PairArray:
    """Every pair ``(i, j)``, ``i < j``, of ``count`` articles."""
    first, second = np.triu_indices(count, k=1)
    return np.stack([first, second], axis=1).astype(np.int64)


def rewrite_keys(words: CorpusWords, params: Parameters) -> HashSets:
    """Each article's rarest words in the corpus, at most ``params.rewrite_keys`` of them;
    words in one article only, or in more than ``params.max_sample_articles``, left out."""
    # Chosen for a block of articles at a time: the choice's arrays, several times the size
    # of the block's words, stay small whatever the corpus.
    return HashSets.concatenate([
        _rarest_words(words, range(start, min(start + KEY_BLOCK, len(words))), params)
        for start in range(0, len(words), KEY_BLOCK)])


def _rarest_words(words: CorpusWords, articles: range, params: Parameters) -> HashSets:
    """:func:`rewrite_keys` of ``articles`` (consecutive ones)."""
    first_entry = int(words.offsets[articles.start])
    ids = words.ids[first_entry:int(words.offsets[articles.stop])]
    frequency = words.weights.document_frequency[ids]
    shared = np.flatnonzero((frequency >= 2) & (frequency <= params.max_sample_articles))
    kept, frequency = ids[shared].astype(np.uint64), frequency[shared]
    owner = entry_owners(words.offsets, shared + first_entry) - articles.start
    # By article, rarest first, then by word: each article's words come sorted, in article
    # order, so a stable sort on (article, frequency) alone keeps that order among equals.
    order = np.argsort(owner * (params.max_sample_articles + 1) + frequency, kind="stable")
    kept, owner = kept[order], owner[order]
    first_of_owner = np.searchsorted(owner, np.arange(len(articles)))
    rank = np.arange(owner.size) - first_of_owner[owner]
    keep = rank < params.rewrite_keys
    return HashSets.of_sizes(kept[keep], np.bincount(owner[keep], minlength=len(articles)))


def verified_rewrites(rewrites: PairArray, verbatim: PairArray, words: CorpusWords,
                      params: Parameters) -> PairArray:
    """The rewrite candidates that are verbatim candidates too, or whose IDF-weighted word
    containment, one way or the other, reaches ``params.rewrite_min_containment``."""
    if not params.rewrite_min_containment or rewrites.size == 0:
        return rewrites
    to_check = ~np.isin(pair_codes(rewrites), pair_codes(verbatim))
    checked = rewrites[to_check]
    forward, backward = (containments(words.ids, words.weights.known_weights, words.offsets,
                                      part, whole)
                         for part, whole in ((checked[:, 0], checked[:, 1]),
                                             (checked[:, 1], checked[:, 0])))
    kept = ~to_check
    kept[to_check] = np.maximum(forward, backward) >= params.rewrite_min_containment
    verified: PairArray = rewrites[kept]
    return verified


#: Steps in which a candidate's share of an article's words counts when its best sources
#: are chosen: candidates within one step are taken as explaining it alike, and the one
#: highest up goes first.
CANDIDATE_STEP = 0.05
#: A candidate that explains at least this share of an article's words may be its source
#: whatever others explain: the highest up of them are kept too.
SOURCE_SHARE = 0.5


def best_source_candidates(pairs: PairArray, words: CorpusWords, rank: npt.NDArray[np.int64],
                           keep: int) -> PairArray:
    """The pairs of ``pairs`` in which one article is among the other's ``keep`` best source
    candidates: those explaining most of its words (IDF-weighted containment, in steps of
    :data:`CANDIDATE_STEP`), the highest up first (``rank``: each article's place in the
    order an agency's own copy, then the earliest published, then by id); and its ``keep``
    highest up among those explaining at least :data:`SOURCE_SHARE` of it.

    Each article is thus judged against a few candidates, not against every article that
    shares its story: a story reprinted by n outlets costs O(n) judgments, not n**2 / 2."""
    if pairs.size == 0:
        return pairs
    both, shares = candidate_shares(pairs, words)
    return best_of_candidates(both, shares, rank[both[:, 1]], keep)


def candidate_shares(pairs: PairArray, words: CorpusWords) -> tuple[PairArray, WeightArray]:
    """Each pair both ways, as ``(article, candidate source)`` rows, and the share of the
    article's words (IDF-weighted) that the candidate holds."""
    both = np.concatenate([pairs, pairs[:, ::-1]])
    shares: WeightArray = containments(words.ids, words.weights.known_weights, words.offsets,
                                       both[:, 0], both[:, 1])
    return both, shares


def best_of_candidates(rows: PairArray, shares: WeightArray,
                       candidate_rank: npt.NDArray[np.int64], keep: int) -> PairArray:
    """:func:`best_source_candidates`' choice among ``(article, candidate)`` rows, given
    their shares and each row's candidate's rank: the pairs chosen, sorted. Each article's
    choice reads only its own rows, so rows may be cut by article and chosen apart (a
    cluster's partitions): every (article, rank) is distinct, so no tie depends on their
    order."""
    if rows.size == 0:
        return rows.reshape(0, 2)
    article = rows[:, 0]
    steps = np.floor(shares / CANDIDATE_STEP).astype(np.int64)
    best = _first_of_each(article, [candidate_rank, -steps], keep)
    sources = shares >= SOURCE_SHARE
    highest = np.flatnonzero(sources)[_first_of_each(article[sources],
                                                     [candidate_rank[sources]], keep)]
    chosen = rows[np.union1d(best, highest)]
    return merge_pairs(np.sort(chosen, axis=1))


def _first_of_each(groups: npt.NDArray[np.int64], keys: list[npt.NDArray[np.int64]],
                   count: int) -> npt.NDArray[np.int64]:
    """The rows of the first ``count`` of each group, in the order of ``keys`` (the last
    key sorts first, as :func:`numpy.lexsort` has it), ties by row."""
    rows = np.arange(groups.size)
    order = np.lexsort([rows, *keys, groups])
    ordered_groups = groups[order]
    first = np.searchsorted(ordered_groups, ordered_groups, side="left")
    place = np.arange(order.size) - first
    chosen: npt.NDArray[np.int64] = order[place < count]
    return chosen


def _containments_by_pairs(words: npt.NDArray[np.uint32], weight_of: WeightArray,
                           offsets: npt.NDArray[np.int64], parts: npt.NDArray[np.int64],
                           wholes: npt.NDArray[np.int64]) -> WeightArray:
    shares = np.zeros(parts.size)
    for p, (part, whole) in enumerate(zip(parts.tolist(), wholes.tolist(), strict=True)):
        ours = words[offsets[part]:offsets[part + 1]]
        found = np.isin(ours, words[offsets[whole]:offsets[whole + 1]])
        weights = weight_of[ours]
        # Running sums: added in order, as the compiled loop adds.
        total = np.cumsum(weights)
        shared = np.cumsum(weights[found])
        if total.size and total[-1] > 0:
            shares[p] = (shared[-1] if shared.size else 0.0) / total[-1]
    return shares


def _containments_loop(words: Any, weight_of: Any, offsets: Any, parts: Any, wholes: Any) -> Any:
    """For each ``p``: the weighted share of set ``parts[p]``'s words found in set
    ``wholes[p]``, where set ``s`` is the sorted ``words[offsets[s]:offsets[s + 1]]`` (word
    ids) and word ``w`` weighs ``weight_of[w]`` (0 for an empty or weightless set)."""
    shares = np.zeros(parts.size)
    for p in range(parts.size):
        i, end = offsets[parts[p]], offsets[parts[p] + 1]
        j, their_end = offsets[wholes[p]], offsets[wholes[p] + 1]
        shared = 0.0
        total = 0.0
        # Both sets sorted: one merge pass finds the words they share.
        while i < end:
            weight = weight_of[words[i]]
            while j < their_end and words[j] < words[i]:
                j += 1
            if j < their_end and words[j] == words[i]:
                shared += weight
            total += weight
            i += 1
        if total > 0:
            shares[p] = shared / total
    return shares


#: Pairs in one batch of containments from which the batch runs compiled: enough to pay for
#: loading the compiled code.
COMPILED_PAIRS = 100
#: Compiled for a batch of pairs large enough to pay for loading the compiled code.
containments: Kernel[[npt.NDArray[np.uint32], WeightArray, npt.NDArray[np.int64],
                      npt.NDArray[np.int64], npt.NDArray[np.int64]], WeightArray] = Kernel(
    _containments_loop, _containments_by_pairs,
    when=lambda words, weight_of, offsets, parts, wholes: parts.size >= COMPILED_PAIRS)

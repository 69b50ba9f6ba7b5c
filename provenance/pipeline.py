"""The stages chained: articles in, verified and aligned pairs out.

load -> remove furniture -> words -> shingles -> signatures -> candidates -> verify -> passages.
Each stage is a plain function of the previous one's output; this module only wires them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

import numpy as np

from .align import Side, shared_passages
from .config import Parameters
from .furniture import remove_furniture, repeated_lines
from .index import containment_pairs, lsh_pairs, merge_pairs
from .model import Article, Fingerprint, HashArray, PairScore, ScanResult, Skipped
from .shingle import shingle_hashes, word_hashes, word_tokens, words
from .signature import Permutations, signatures

log = logging.getLogger(__name__)

#: Called as ``progress(stage, done, total)`` while a stage runs.
Progress = Callable[[str, int, int], None]
BATCH_SIZE = 512


def _no_progress(stage: str, done: int, total: int) -> None:
    """The default progress callback: says nothing."""


def article_bodies(articles: Sequence[Article], context: Sequence[Article] = ()) -> list[str]:
    """Each article's text with page furniture blanked out (offsets unchanged).

    Lines repeated across ``articles`` and ``context`` (the rest of the corpus) count as
    furniture.
    """
    repeated = repeated_lines(article.text for article in [*articles, *context])
    return [remove_furniture(article.text, repeated) for article in articles]


def fingerprint(ids: Sequence[str], bodies: Sequence[str], params: Parameters,
                progress: Progress = _no_progress) -> list[Fingerprint]:
    """Shingle hashes and MinHash signatures of each body, computed in batches."""
    permutations = Permutations.create(params.num_perm, params.seed)
    result: list[Fingerprint] = []
    for start in range(0, len(bodies), BATCH_SIZE):
        batch_tokens = [word_tokens(body) for body in bodies[start : start + BATCH_SIZE]]
        batch = [shingle_hashes(word_hashes(tokens, params.seed), params.shingle_size)
                 for tokens in batch_tokens]
        batch_signatures = signatures(batch, permutations)
        for offset, (tokens, shingles) in enumerate(zip(batch_tokens, batch, strict=True)):
            result.append(Fingerprint(ids[start + offset], len(tokens), shingles,
                                      batch_signatures[offset]))
        progress("fingerprinting", len(result), len(bodies))
    return result


def candidates(fingerprints: Sequence[Fingerprint], params: Parameters) -> np.ndarray:
    """Index pairs ``(i, j)``, ``i < j``, worth verifying: LSH and containment-sample hits."""
    eligible = np.array([not fp.too_short for fp in fingerprints], dtype=bool)
    if len(fingerprints) < 2:
        return np.empty((0, 2), dtype=np.int64)
    stacked = np.stack([fp.signature for fp in fingerprints])
    by_resemblance = lsh_pairs(stacked, params.bands, params.rows, eligible)
    by_containment = containment_pairs([fp.shingles for fp in fingerprints], params.sample_rate,
                                       params.min_shared_samples, params.max_sample_articles)
    return merge_pairs(by_resemblance, by_containment)


def overlap(a: HashArray, b: HashArray) -> tuple[float, float, float]:
    """Exact Jaccard, and containment of a in b and of b in a, of two shingle sequences."""
    set_a, set_b = np.unique(a), np.unique(b)
    if set_a.size == 0 or set_b.size == 0:
        return 0.0, 0.0, 0.0
    shared = np.intersect1d(set_a, set_b, assume_unique=True).size
    union = set_a.size + set_b.size - shared
    return shared / union, shared / set_a.size, shared / set_b.size


def score_pair(a: Article, b: Article, body_a: str, body_b: str,
               params: Parameters) -> PairScore:
    """Measure and align one pair of articles (``a.id < b.id`` is the caller's order)."""
    side_a, side_b = side_of(a.text, body_a, params), side_of(b.text, body_b, params)
    jaccard, a_in_b, b_in_a = overlap(side_a.shingles, side_b.shingles)
    passages = shared_passages(side_a, side_b, params.shingle_size, params.max_gap)
    return PairScore(a.id, b.id, jaccard, a_in_b, b_in_a, passages)


def side_of(text: str, body: str, params: Parameters) -> Side:
    """What alignment needs of one article: ``text``, and the words and shingles of ``body``."""
    found = words(body)
    tokens = [key.encode() for key in found.keys]
    return Side(text, found, shingle_hashes(word_hashes(tokens, params.seed), params.shingle_size))


def is_related(jaccard: float, a_in_b: float, b_in_a: float, params: Parameters) -> bool:
    """True when a pair shares enough to report."""
    return max(jaccard, a_in_b, b_in_a) >= params.min_containment


def scan(articles: Sequence[Article], params: Parameters | None = None,
         skipped: Sequence[Skipped] = (), progress: Progress = _no_progress) -> ScanResult:
    """Find every related pair among ``articles``, verified and aligned."""
    params = params or Parameters()
    ordered = sorted(articles, key=lambda article: article.id)
    bodies = article_bodies(ordered)
    fingerprints = fingerprint([a.id for a in ordered], bodies, params, progress)
    pairs = candidates(fingerprints, params)
    log.info("%d candidate pairs among %d articles", len(pairs), len(ordered))
    scores = []
    for done, (i, j) in enumerate(pairs.tolist(), start=1):
        measures = overlap(fingerprints[i].shingles, fingerprints[j].shingles)
        if is_related(*measures, params):
            scores.append(score_pair(ordered[i], ordered[j], bodies[i], bodies[j], params))
        if done % 1000 == 0 or done == len(pairs):
            progress("verifying", done, len(pairs))
    scores.sort(key=lambda s: (-s.containment, -s.jaccard, s.a, s.b))
    return ScanResult(
        article_ids=tuple(a.id for a in ordered),
        pairs=tuple(scores),
        too_short=tuple(fp.article_id for fp in fingerprints if fp.too_short),
        skipped=tuple(skipped),
        candidates=len(pairs),
        parameters=params.as_dict(),
    )


def compare(a: Article, b: Article, context: Sequence[Article] = (),
            params: Parameters | None = None) -> PairScore:
    """Measure and align ``a`` against ``b``, whatever their scores; ``context`` is the corpus."""
    params = params or Parameters()
    others = [article for article in context if article.id not in (a.id, b.id)]
    body_a, body_b = article_bodies([a, b], others)
    return score_pair(a, b, body_a, body_b, params)

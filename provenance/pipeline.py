"""The stages chained: articles in, verified and aligned pairs out.

load -> remove furniture -> words -> shingles -> signatures -> candidates -> verify -> passages,
and, beside it, sentences -> terms -> corpus term weights -> rewrite candidates -> sentence
alignment -> verdicts; then credits -> lineage. Each stage is a plain function of the previous
one's output; this module only wires them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence

import numpy as np

from .agencies import Registry, load_registry
from .config import Parameters
from .credits import CreditFinder
from .document import Document, read_document
from .features import Measurement, measure, measure_both, overlap
from .furniture import remove_furniture, repeated_lines
from .index import (
    PairArray,
    band_keys,
    containment_pairs,
    lsh_pairs,
    merge_pairs,
    sample,
    shared_key_pairs,
)
from .judge import Calibration, judge, load_calibration
from .lineage import infer_lineage
from .model import (
    EXTENTS,
    Article,
    Credit,
    Fingerprint,
    HashArray,
    IndexUpdate,
    PairScore,
    ScanResult,
    Skipped,
    Verdict,
)
from .shingle import shingle_hashes, word_hashes, word_tokens
from .signature import Permutations, signatures
from .store import Index, IndexEntry, content_hash, furniture_spans
from .terms import CorpusWeights

log = logging.getLogger(__name__)

#: Called as ``progress(stage, done, total)`` while a stage runs.
Progress = Callable[[str, int, int], None]
BATCH_SIZE = 512


def no_progress(stage: str, done: int, total: int) -> None:
    """The default progress callback: says nothing."""


def article_bodies(articles: Sequence[Article], context: Sequence[Article] = ()) -> list[str]:
    """Each article's text with page furniture blanked out (offsets unchanged).

    Lines repeated across ``articles`` and ``context`` (the rest of the corpus) count as
    furniture.
    """
    repeated = repeated_lines(article.text for article in [*articles, *context])
    return [remove_furniture(article.text, repeated) for article in articles]


def fingerprint(ids: Sequence[str], bodies: Sequence[str], params: Parameters,
                progress: Progress = no_progress) -> list[Fingerprint]:
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


def candidates(keys: Sequence[HashArray], shingles: Sequence[HashArray],
               params: Parameters) -> PairArray:
    """Index pairs ``(i, j)``, ``i < j``, worth verifying: articles sharing an LSH band key
    (``keys[i]``: article i's band keys) or enough containment samples of their shingles."""
    if len(keys) < 2:
        return np.empty((0, 2), dtype=np.int64)
    eligible = [k if s.size else k[:0] for k, s in zip(keys, shingles, strict=True)]
    by_resemblance = lsh_pairs(eligible)
    by_containment = containment_pairs(shingles, params.sample_rate,
                                       params.min_shared_samples, params.max_sample_articles)
    return merge_pairs(by_resemblance, by_containment)


def document(text: str, body: str, params: Parameters) -> Document:
    """What the pair measures need of one article: words, shingles and sentences of ``body``."""
    return read_document(text, body, params.shingle_size, params.seed)


def measure_pairs(articles: Sequence[Article], pairs: Sequence[tuple[str, str]],
                  params: Parameters | None = None,
                  progress: Progress = no_progress) -> list[Measurement]:
    """Measure each ``(source id, derived id)`` pair; ``articles`` is the corpus (for IDF)."""
    params = params or Parameters()
    read, weights = read_corpus(articles, article_bodies(articles), params, progress)
    documents = {article.id: doc for article, doc in zip(articles, read, strict=True)}
    measurements = []
    for done, (source, derived) in enumerate(pairs, start=1):
        measurements.append(measure(documents[source], documents[derived], weights,
                                    params.shingle_size, params.max_gap))
        if done % 100 == 0 or done == len(pairs):
            progress("measuring", done, len(pairs))
    return measurements


def is_related(jaccard: float, a_in_b: float, b_in_a: float, params: Parameters) -> bool:
    """True when a pair shares enough to report."""
    return max(jaccard, a_in_b, b_in_a) >= params.min_containment


def read_corpus(articles: Sequence[Article], bodies: Sequence[str], params: Parameters,
                progress: Progress = no_progress) -> tuple[list[Document], CorpusWeights]:
    """The :class:`Document` of every article, in order, and the corpus's term weights."""
    documents = []
    for done, (article, body) in enumerate(zip(articles, bodies, strict=True), start=1):
        documents.append(document(article.text, body, params))
        if done % 500 == 0 or done == len(articles):
            progress("reading", done, len(articles))
    return documents, CorpusWeights.fit([d.distinct for d in documents])


def rewrite_candidates(documents: Sequence[Document], weights: CorpusWeights,
                       params: Parameters) -> PairArray:
    """Index pairs ``(i, j)``, ``i < j``, that share enough of their rarest words."""
    keys = []
    for doc in documents:
        distinct = doc.distinct.words
        frequency = weights.words.frequency(distinct)
        shared = (frequency >= 2) & (frequency <= params.max_sample_articles)
        distinct, frequency = distinct[shared], frequency[shared]
        rarest = np.lexsort((distinct, frequency))[: params.rewrite_keys]
        keys.append(np.sort(distinct[rarest]))
    return shared_key_pairs(keys, params.rewrite_min_shared, params.max_sample_articles)


def judged_pair(a: Article, b: Article, doc_a: Document, doc_b: Document,
                weights: CorpusWeights, params: Parameters, calibration: Calibration
                ) -> tuple[PairScore, Verdict]:
    """``a`` and ``b`` measured both ways: their shingle overlap and shared passages, and the
    stronger of the two verdicts (``b`` derived from ``a``, or ``a`` from ``b``)."""
    forward, backward = measure_both(doc_a, doc_b, weights, params.shingle_size,
                                     params.max_gap)
    verdict = max((judge(b.id, a.id, backward, calibration),
                   judge(a.id, b.id, forward, calibration)), key=_strength)
    measures = overlap(doc_a.shingle_set, doc_b.shingle_set)
    return PairScore(a.id, b.id, *measures, forward.passages, verdict), verdict


def _strength(verdict: Verdict) -> tuple[int, float, float]:
    """Orders verdicts: more derived first; at equal extent, the direction in which more of
    the derived text is found in the source (a copy is contained in its source, not the other
    way round), then the more confident."""
    signed = verdict.confidence if verdict.reused else -verdict.confidence
    return EXTENTS.index(verdict.extent), verdict.features["gram_containment"], signed


def scan(articles: Sequence[Article], params: Parameters | None = None,
         skipped: Sequence[Skipped] = (), progress: Progress = no_progress,
         calibration: Calibration | None = None, registry: Registry | None = None,
         index: Index | None = None) -> ScanResult:
    """Find every related pair among ``articles``, verified, aligned and judged; the credits
    of each article; and from both, each article's lineage.

    With an ``index``, only articles added or changed since it was last updated are
    fingerprinted, and the index is brought up to date (removed articles leave it).
    """
    params = params or Parameters()
    calibration = calibration or load_calibration()
    registry = registry or load_registry()
    ordered = sorted(articles, key=lambda article: article.id)
    bodies = article_bodies(ordered)
    documents, weights = read_corpus(ordered, bodies, params, progress)
    finder = CreditFinder(registry)
    credits = {a.id: finder.find(a.text, body) for a, body in zip(ordered, bodies, strict=True)}
    keys, update = _band_keys(ordered, bodies, params, lambda article, _: credits[article.id],
                              index, progress)
    verbatim = candidates(keys, [doc.shingles for doc in documents], params)
    rewrites = rewrite_candidates(documents, weights, params)
    pairs = merge_pairs(verbatim, rewrites)
    log.info("%d candidate pairs among %d articles (%d verbatim, %d rewrite)",
             len(pairs), len(ordered), len(verbatim), len(rewrites))
    scores = []
    for done, (i, j) in enumerate(pairs.tolist(), start=1):
        pair, verdict = judged_pair(ordered[i], ordered[j], documents[i], documents[j],
                                    weights, params, calibration)
        if is_related(pair.jaccard, pair.a_in_b, pair.b_in_a, params) or verdict.reused:
            scores.append(pair)
        if done % 100 == 0 or done == len(pairs):
            progress("judging", done, len(pairs))
    scores.sort(key=lambda s: (-_strength(s.verdict)[0] if s.verdict else 0, -s.containment,
                               -s.jaccard, s.a, s.b))
    return ScanResult(
        articles=tuple(ordered),
        pairs=tuple(scores),
        too_short=tuple(a.id for a, doc in zip(ordered, documents, strict=True)
                        if doc.shingles.size == 0),
        skipped=tuple(skipped),
        candidates=len(pairs),
        parameters=params.as_dict(),
        credits=credits,
        lineage=infer_lineage(ordered, scores, credits, registry),
        index_update=update,
    )


def update_index(articles: Sequence[Article], index: Index, params: Parameters | None = None,
                 registry: Registry | None = None,
                 progress: Progress = no_progress) -> IndexUpdate:
    """Bring ``index`` up to date with ``articles`` (the whole corpus) without judging pairs."""
    params = params or Parameters()
    ordered = sorted(articles, key=lambda article: article.id)
    finder = CreditFinder(registry or load_registry())
    update = _band_keys(ordered, article_bodies(ordered), params,
                        lambda article, body: finder.find(article.text, body), index,
                        progress)[1]
    assert update is not None  # an index was given
    return update


def index_entries(articles: Sequence[Article], bodies: Sequence[str], params: Parameters,
                  credits_of: Callable[[Article, str], tuple[Credit, ...]]
                  ) -> list[IndexEntry]:
    """What the index holds of each article (``bodies``: their texts, furniture blanked;
    ``credits_of(article, body)``: its credits)."""
    prints = fingerprint([a.id for a in articles], bodies, params)
    return [IndexEntry(
        article=article, content_hash=content_hash(article, body),
        furniture=furniture_spans(article.text, body), credits=credits_of(article, body),
        band_keys=keys, samples=sample(fp.shingles, params.index_sample_rate),
    ) for article, body, fp, keys in zip(articles, bodies, prints, _lsh_keys(prints, params),
                                         strict=True)]


def _lsh_keys(prints: Sequence[Fingerprint], params: Parameters) -> list[HashArray]:
    """Each fingerprint's LSH band keys; none for an article too short to fingerprint."""
    if not prints:
        return []
    keys = band_keys(np.stack([fp.signature for fp in prints]), params.bands, params.rows)
    return [row[:0] if fp.too_short else row for row, fp in zip(keys, prints, strict=True)]


def _band_keys(articles: Sequence[Article], bodies: Sequence[str], params: Parameters,
               credits_of: Callable[[Article, str], tuple[Credit, ...]], index: Index | None,
               progress: Progress
               ) -> tuple[list[HashArray], IndexUpdate | None]:
    """Every article's LSH band keys: without an index, computed; with one, computed for
    the articles it lacks or holds in another version and read from it for the rest, the
    index brought up to date."""
    if index is None:
        prints = fingerprint([a.id for a in articles], bodies, params, progress)
        return _lsh_keys(prints, params), None
    hashes = [content_hash(a, body) for a, body in zip(articles, bodies, strict=True)]
    stored = index.content_hashes()
    fresh = [n for n, (a, h) in enumerate(zip(articles, hashes, strict=True))
             if stored.get(a.id) != h]
    kept = [a.id for a, h in zip(articles, hashes, strict=True) if stored.get(a.id) == h]
    keys: dict[str, HashArray] = {}

    def entries() -> Iterator[IndexEntry]:
        for start in range(0, len(fresh), BATCH_SIZE):
            batch = fresh[start:start + BATCH_SIZE]
            made = index_entries([articles[n] for n in batch], [bodies[n] for n in batch],
                                 params, credits_of)
            keys.update((entry.article.id, entry.band_keys) for entry in made)
            yield from made
            progress("fingerprinting", start + len(batch), len(fresh))

    update = index.update(entries(), keep=kept)
    keys.update(index.band_keys(kept))
    log.info("index %s: %d added, %d changed, %d removed, %d unchanged", index.path,
             len(update.added), len(update.changed), len(update.removed), update.unchanged)
    return [keys[a.id] for a in articles], update


def compare(a: Article, b: Article, context: Sequence[Article] = (),
            params: Parameters | None = None,
            calibration: Calibration | None = None) -> tuple[PairScore, Verdict]:
    """Measure, align and judge ``a`` against ``b``, whatever their scores.

    ``context`` is the corpus: its articles set the term weights (with only the two articles
    to learn from, every shared word looks common).
    """
    params = params or Parameters()
    calibration = calibration or load_calibration()
    others = [article for article in context if article.id not in (a.id, b.id)]
    documents, weights = read_corpus([a, b, *others], article_bodies([a, b, *others]), params)
    return judged_pair(a, b, documents[0], documents[1], weights, params, calibration)

"""The stages chained: articles in, verified and aligned pairs out.

load -> remove furniture -> survey (words -> shingles -> signatures, samples; terms ->
counts for the corpus term weights; credits) -> candidates (LSH, containment samples, rarest
words) -> judge (sentences -> verify -> passages, sentence alignment -> verdicts) -> lineage.
Each stage is a plain function of the previous one's output; this module only wires them,
and spreads the survey and the judging over worker processes.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable, Container, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

import numpy as np

from provenance.attribution.agencies import Registry, load_registry
from provenance.attribution.credits import CreditFinder
from provenance.candidates.buckets import PairArray, band_keys, grouped_pairs, merge_pairs, sample
from provenance.candidates.pairs import CorpusWords, best_source_candidates, candidate_pairs
from provenance.candidates.survey import ScanInput, Survey, fingerprint_batch, survey_chunk
from provenance.config import Parameters
from provenance.errors import IndexPlaceError, ParameterError
from provenance.hashsets import HashSets, SpooledHashSets
from provenance.kernels import CALLS_BEFORE_COMPILING, use_compiled
from provenance.lineage.infer import PairSummary, infer_lineage
from provenance.lineage.judged import SpooledPairs, pickled
from provenance.model import (
    EXTENTS,
    NO_REUSE,
    Article,
    Credit,
    Fingerprint,
    IndexUpdate,
    PairScore,
    ScanResult,
    SignatureArray,
    Skipped,
    Verdict,
)
from provenance.spool import Records, new_records
from provenance.store.index import Index, IndexEntry, blanked_spans, content_hash
from provenance.text.articles import sorted_by_id
from provenance.text.document import Document, read_documents
from provenance.text.furniture import Bodies, LineCounts, furniture_spans
from provenance.text.terms import CorpusWeights, WeightsMerger, batch_words
from provenance.text.words import BatchWords
from provenance.verdict.direction import ArticleFacts, Layout, same_name, source_rank
from provenance.verdict.direction import decide as decide_direction
from provenance.verdict.discount import Marks, evidence
from provenance.verdict.features import Measurement, Weighed, measure, measure_both, weigh
from provenance.verdict.models import (
    Calibration,
    Decision,
    decide_all,
    load_calibration,
    verdict_of,
)
from provenance.workers import chunk_spans, ordered_map, release_free_memory

log = logging.getLogger(__name__)
Result = TypeVar("Result")

#: Called as ``progress(stage, done, total)`` while a stage runs.
Progress = Callable[[str, int, int], None]
BATCH_SIZE = 512


def no_progress(stage: str, done: int, total: int) -> None:
    """The default progress callback: says nothing."""


def article_bodies(articles: Sequence[Article], context: Sequence[Article] = (),
                   jobs: int = 1, progress: Progress = no_progress) -> Bodies:
    """Each article's text with page furniture blanked out (offsets unchanged), the work
    spread over ``jobs`` processes.

    Lines repeated across ``articles`` and ``context`` (the rest of the corpus) count as
    furniture.
    """
    everything = [*articles, *context] if context else articles
    counted = ordered_map(_line_counts, everything, chunk_spans(len(everything), FURNITURE_CHUNK),
                          jobs)
    lines = LineCounts.merge(_reported(counted, "page furniture", len(everything),
                                       FURNITURE_CHUNK, progress))
    repeated = lines.repeated()
    # Only texts that may hold furniture are read again (when the corpus repeats no line,
    # as a rule a few).
    maybe = [n for n, may in enumerate(lines.may_hold_furniture(repeated)[:len(articles)])
             if may]
    furniture: dict[int, list[tuple[int, int]]] = {}
    parts = chunk_spans(len(maybe), FURNITURE_CHUNK)
    for (start, end), found in zip(parts, ordered_map(_furniture, (articles, repeated, maybe),
                                                      parts, jobs), strict=True):
        furniture.update((n, spans) for n, spans in zip(maybe[start:end], found, strict=True)
                         if spans)
    return Bodies(articles, furniture)


def _reported(results: Iterable[Result], stage: str, total: int, chunk: int,
              progress: Progress) -> Iterator[Result]:
    """``results``, one for each chunk of ``chunk`` of ``total`` items, reported to
    ``progress`` as they come."""
    for number, result in enumerate(results, 1):
        progress(stage, min(number * chunk, total), total)
        yield result


def _line_counts(articles: Sequence[Article], span: tuple[int, int]) -> LineCounts:
    return LineCounts.of(article.text for article in articles[span[0]:span[1]])


def _furniture(work: tuple[Sequence[Article], frozenset[str], Sequence[int]],
               span: tuple[int, int]) -> list[list[tuple[int, int]]]:
    """The furniture spans of the articles at positions ``maybe[span[0]:span[1]]``."""
    articles, repeated, maybe = work
    return [furniture_spans(articles[n].text, repeated) for n in maybe[span[0]:span[1]]]


def fingerprint(ids: Sequence[str], bodies: Sequence[str], params: Parameters,
                progress: Progress = no_progress, jobs: int = 1) -> list[Fingerprint]:
    """The MinHash signature and containment samples of each body, computed in batches
    spread over ``jobs`` processes."""
    result: list[Fingerprint] = []
    spans = chunk_spans(len(bodies), BATCH_SIZE)
    for span, (words, signed, samples) in zip(
            spans, ordered_map(fingerprint_batch, (bodies, params, True), spans, jobs),
            strict=True):
        result.extend(Fingerprint(article_id, int(count), signature, sampled, too_short)
                      for article_id, count, signature, sampled, too_short in zip(
                          ids[span[0]:span[1]], words, signed, samples,
                          words < params.shingle_size, strict=True))
        progress("fingerprinting", len(result), len(bodies))
    return result


def minhash_signatures(bodies: Sequence[str], params: Parameters,
                       jobs: int = 1) -> SignatureArray:
    """Just the MinHash signature of each body, as a ``(len(bodies), num_perm)`` array
    (datasketch ``affine32``: ``MinHash(hashvalues=row, scheme="affine32")`` loads a row)."""
    spans = chunk_spans(len(bodies), BATCH_SIZE)
    batches = [signed for _, signed, _ in ordered_map(fingerprint_batch,
                                                      (bodies, params, False), spans, jobs)]
    return (np.concatenate(batches) if batches
            else np.empty((0, params.num_perm), dtype=np.uint32))


def measure_pairs(articles: Sequence[Article], pairs: Sequence[tuple[str, str]],
                  params: Parameters | None = None,
                  progress: Progress = no_progress) -> list[Measurement]:
    """Measure each ``(source id, derived id)`` pair; ``articles`` is the corpus (for IDF)."""
    params = params or Parameters()
    read, weights = read_corpus(articles, article_bodies(articles), params, progress)
    documents = {article.id: weigh(doc, weights)
                 for article, doc in zip(articles, read, strict=True)}
    measurements = []
    for done, (source, derived) in enumerate(pairs, start=1):
        measurements.append(measure(documents[source], documents[derived],
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
    documents: list[Document] = []
    for start, end in chunk_spans(len(articles), READ_CHUNK):
        documents += read_documents([article.text for article in articles[start:end]],
                                    bodies[start:end], params)
        progress("reading", end, len(articles))
    return documents, CorpusWeights.fit([d.distinct for d in documents])


def judged_pair(a: Article, b: Article, doc_a: Weighed, doc_b: Weighed, params: Parameters,
                calibration: Calibration, facts: Mapping[str, ArticleFacts],
                in_question: str | None = None) -> tuple[PairScore, Verdict]:
    """``a`` and ``b`` measured both ways: their shingle overlap and shared passages, and the
    verdict of the direction the evidence settles (``facts``: what it rests on, by id; see
    :mod:`direction`). Where it settles none, the stronger of the two verdicts; of two of
    equal extent, the one taking as derived the article ``in_question`` (whose derivation a
    check asks about), if named."""
    return judged_pairs([(a, b, doc_a, doc_b)], params, calibration, facts,
                        {in_question} if in_question else set())[0]


#: Two articles and their weighed readings.
ArticlePair = tuple[Article, Article, Weighed, Weighed]


def judged_pairs(pairs: Sequence[ArticlePair], params: Parameters, calibration: Calibration,
                 facts: Mapping[str, ArticleFacts], in_question: Container[str] = ()
                 ) -> list[tuple[PairScore, Verdict]]:
    """:func:`judged_pair` of each pair (``in_question``: ids of articles whose derivation is
    asked about), the verdicts of all decided at once."""
    measured = [measure_both(doc_a, doc_b, params.shingle_size, params.max_gap)
                for _, _, doc_a, doc_b in pairs]
    decisions = iter(decide_all(
        [m.features for _, forward, backward in measured for m in (backward, forward)],
        calibration, [derived.language for a, b, _, _ in pairs for derived in (a, b)]))
    marks: dict[str, Marks] = {}  # of each article, read once
    for a, b, doc_a, doc_b in pairs:
        for article, doc in ((a, doc_a), (b, doc_b)):
            if article.id not in marks:
                marks[article.id] = Marks.of(doc.document)
    judged = []
    for (a, b, _, _), (shared, forward, backward) in zip(pairs, measured, strict=True):
        same_outlet = same_name(a.outlet, b.outlet) if a.outlet and b.outlet else False
        options = [(b.id, a.id, backward, *_on_copy(backward, next(decisions),
                                                    (marks[b.id], marks[a.id]), same_outlet)),
                   (a.id, b.id, forward, *_on_copy(forward, next(decisions),
                                                   (marks[a.id], marks[b.id]), same_outlet))]
        direction = decide_direction(facts[a.id], facts[b.id], _layout(shared, forward))
        if direction.relation == "derived":
            chosen = options[direction.source == a.id]
        else:
            earlier = _published_before(facts[a.id], facts[b.id])
            chosen = max(options, key=lambda option: _strength(
                option[3], option[2].features, option[1] in in_question,
                earlier is not None and (option[0] == a.id) == earlier))
        if chosen[3][0] == "none":  # no reuse: no direction to tell
            direction = NO_REUSE
        verdict = verdict_of(*chosen[:4], direction, chosen[4])
        judged.append((PairScore(a.id, b.id, *shared, forward.passages, verdict), verdict))
    return judged


def _on_copy(measurement: Measurement, decision: Decision, marks: tuple[Marks, Marks],
             same_outlet: bool) -> tuple[Decision, tuple[tuple[str, int], ...]]:
    """``decision``, unless it finds reuse that rests on no copy (see :mod:`discount`):
    then no reuse; and the shared text discounted (``marks``: the source's and the
    derived text's)."""
    found = evidence(measurement.source, measurement.derived, marks,
                     measurement.aligned_source, measurement.aligned_derived,
                     measurement.passage_spans, same_outlet)
    extent, _, confidence = decision
    if extent != "none" and not found.shows_copy(measurement.derived.word_count):
        return ("none", "none", confidence), found.discounted
    return decision, found.discounted


def _layout(shared: tuple[float, float, float], forward: Measurement) -> Layout:
    """Where the text ``a`` and ``b`` share sits in each (``forward``: ``b`` measured as
    derived from ``a``)."""
    spans = forward.passage_spans
    _, a_in_b, b_in_a = shared
    if not spans.size:
        return Layout(a_in_b, b_in_a, None, None)
    return Layout(a_in_b, b_in_a, int(spans[:, 0].min()), int(spans[:, 2].min()))


def _strength(decision: Decision, features: Mapping[str, float], derived_in_question: bool,
              source_earlier: bool) -> tuple[bool, bool, bool, int, float, float]:
    """Orders the two verdicts of a pair whose direction no evidence settles: one finding
    reuse first; of those, the one whose derived text is in question (a check asks whether
    it derives from the other), then the one measured from the earlier publication (two
    carriers of one copy, shown as they appeared), then the more derived, then the way in
    which more of the derived text is found in the source (a copy is contained in its
    source, not the other way round), then the more confident."""
    extent, _, confidence = decision
    signed = confidence if extent != "none" else -confidence
    return (extent != "none", derived_in_question, source_earlier, EXTENTS.index(extent),
            features["gram_containment"], signed)


def _published_before(a: ArticleFacts, b: ArticleFacts) -> bool | None:
    """Was ``a`` published before ``b`` (None: not known, or at one time)?"""
    return a.published.before(b.published) if a.published and b.published else None


def scan(articles: Sequence[Article], params: Parameters | None = None,
         skipped: Sequence[Skipped] = (), progress: Progress = no_progress,
         calibration: Calibration | None = None, registry: Registry | None = None,
         index: Index | None = None, jobs: int = 1) -> ScanResult:
    """Find every related pair among ``articles``, verified, aligned and judged; the credits
    of each article; and from both, each article's lineage.

    Articles are surveyed (read for candidate search and term weights), then the candidate
    pairs judged, each stage spread over ``jobs`` processes; the result does not depend on
    ``jobs``. With an ``index``, it is brought up to date: articles added or changed since
    it was last updated are written, removed ones leave it (where the index cannot be
    written, a full disk say, the result says why and the index is as it was).
    """
    params = params or Parameters()
    calibration = calibration or load_calibration()
    registry = registry or load_registry()
    ordered = sorted_by_id(articles)
    corpus = ScanInput(ordered, article_bodies(ordered, jobs=jobs, progress=progress), params,
                       registry, with_index=index is not None)
    survey, words, weights = survey_corpus(corpus, jobs, progress)
    update, index_problem = None, None
    if index is not None:
        try:
            update = _update_index(index, corpus, survey, words)
        except IndexPlaceError as err:  # the results do not depend on it
            index_problem = str(err)
    progress("finding candidates", 0, 1)
    verbatim, rewrites = candidate_pairs(survey, words, params)
    pairs = merge_pairs(verbatim, rewrites)
    if params.source_candidates is not None:
        pairs = best_source_candidates(pairs, words, source_rank(ordered, registry),
                                       params.source_candidates)
    progress("finding candidates", 1, 1)
    credits = {ordered[n].id: found for n, found in enumerate(survey.credits) if found}
    too_short = tuple(ordered[n].id for n in np.flatnonzero(survey.too_short).tolist())
    # Judging needs none of the survey's arrays: their memory goes to the judged pairs, and
    # the judging workers, forked next, do not carry them.
    del survey, words
    log.info("%d candidate pairs among %d articles (%d verbatim, %d rewrite)",
             len(pairs), len(ordered), len(verbatim), len(rewrites))
    records, summary = _judge_pairs(_Judging(corpus, weights, calibration, credits), pairs,
                                    jobs, progress)
    order = summary.report_order()
    scores = SpooledPairs(records, order)
    progress("lineage", 0, 1)
    lineage = infer_lineage(ordered, scores, credits, registry, summary.take(order))
    scores.settle(lineage.directions)
    progress("lineage", 1, 1)
    return ScanResult(
        articles=ordered,
        pairs=scores,
        too_short=too_short,
        skipped=tuple(skipped),
        candidates=len(pairs),
        derived_pairs=summary.reused(),
        parameters=params.as_dict(),
        credits=credits,
        lineage=lineage,
        index_update=update,
        index_problem=index_problem,
    )


#: Articles read for furniture, articles surveyed, articles read whole, and pairs judged,
#: per chunk of work.
FURNITURE_CHUNK = 2048
SURVEY_CHUNK = 256
READ_CHUNK = 256
JUDGE_CHUNK = 128
#: From this many articles the survey runs compiled: it saves about 0.1 ms an article, and
#: loading the compiled programs costs about half a second.
COMPILED_SURVEY_ARTICLES = 10_000
#: Pairs judged before forking, to load what every worker needs once: enough to meet
#: every compiled program.
WARM_UP_PAIRS = 16


def survey_corpus(corpus: ScanInput, jobs: int, progress: Progress = no_progress
                  ) -> tuple[Survey, CorpusWords, CorpusWeights]:
    """Survey every article of ``corpus`` over ``jobs`` processes (see :mod:`survey`): what
    candidate search needs, and the corpus's term weights."""
    parts: list[Survey] = []
    # Each article's words wait on disk until the corpus's vocabulary is known.
    word_parts = SpooledHashSets()
    merger = WeightsMerger()
    spans = chunk_spans(len(corpus.articles), SURVEY_CHUNK)
    done_here: list[tuple[Survey, HashSets, CorpusWeights]] = []
    if len(corpus.articles) >= COMPILED_SURVEY_ARTICLES:
        # The first chunk surveyed here loads the compiled programs before the workers
        # fork, so that they share one copy (the answers are the same either way).
        use_compiled()
        done_here.append(survey_chunk(corpus, spans[0]))
    surveyed = itertools.chain(done_here, ordered_map(survey_chunk, corpus,
                                                      spans[len(done_here):], jobs))
    for part, words, counts in _reported(surveyed, "reading", len(corpus.articles),
                                         SURVEY_CHUNK, progress):
        parts.append(part)
        word_parts.append(words)
        merger.add(counts)
    weights = merger.result()
    survey = Survey.concatenate(parts)
    # The parts' arrays, each small enough to come from the heap, are free now (a gigabyte
    # for a million articles), and go back before their words are looked up.
    del parts, done_here
    release_free_memory()
    return survey, CorpusWords.of(word_parts, weights.words), weights


def _update_index(index: Index, corpus: ScanInput, survey: Survey, words: CorpusWords
                  ) -> IndexUpdate:
    """Bring ``index`` up to date from the survey: nothing is read again."""
    assert survey.index_samples is not None  # the scan asked for them, having an index
    index_samples, keys = survey.index_samples, survey.lsh_keys()

    def entries(fresh: Sequence[int], hashes: Sequence[bytes]) -> Iterator[IndexEntry]:
        for n, digest in zip(fresh, hashes, strict=True):
            article, body = corpus.articles[n], corpus.bodies[n]
            yield IndexEntry(article=article, content_hash=digest,
                             furniture=blanked_spans(article.text, body),
                             credits=survey.credits[n], band_keys=keys[n],
                             samples=index_samples[n], words=words.hashes(n))

    return _refresh_index(index, corpus.articles, corpus.bodies, entries)


@dataclass(frozen=True)
class _Judging:
    """What every worker judging pairs needs."""

    corpus: ScanInput
    weights: CorpusWeights
    calibration: Calibration
    #: The credits of the articles that carry some, by id.
    credits: Mapping[str, tuple[Credit, ...]]


def _judge_pairs(judging: _Judging, pairs: PairArray, jobs: int, progress: Progress
                 ) -> tuple[Records, PairSummary]:
    """The related pairs among ``pairs``, judged: spooled as they come (see :mod:`judged`),
    and their summary."""
    records = new_records("the judged pairs")
    summaries: list[PairSummary] = []
    grouped = grouped_pairs(pairs)  # the order does not matter: scan sorts what is found
    if jobs > 1 and len(pairs) >= CALLS_BEFORE_COMPILING:
        # Judging a few pairs here loads the compiled programs before the workers fork, so
        # that they share one copy (the answers are the same either way).
        use_compiled()
        _judge_chunk(judging, grouped[:WARM_UP_PAIRS])
    spans = [grouped[start:start + JUDGE_CHUNK] for start in range(0, len(pairs), JUDGE_CHUNK)]
    for chunk_records, summary in _reported(ordered_map(_judge_chunk, judging, spans, jobs),
                                            "judging", len(pairs), JUDGE_CHUNK, progress):
        for record in chunk_records:
            records.append(record)
        summaries.append(summary)
    records.flush()
    return records, PairSummary.concatenate(summaries)


def _judge_chunk(judging: _Judging, pairs: PairArray) -> tuple[list[bytes], PairSummary]:
    """The related pairs among ``pairs`` (rows of article positions), judged, each article
    read and weighed once for the chunk: pickled, and their summary."""
    corpus, params = judging.corpus, judging.corpus.params
    positions = np.unique(pairs).tolist()
    documents = {position: weigh(document, judging.weights)
                 for position, document in zip(positions, corpus.documents(positions),
                                               strict=True)}
    rows = pairs.tolist()
    facts = {corpus.articles[n].id: ArticleFacts.of(
        corpus.articles[n], judging.credits.get(corpus.articles[n].id, ()), corpus.registry)
        for n in positions}
    judged = judged_pairs([(corpus.articles[i], corpus.articles[j], documents[i], documents[j])
                           for i, j in rows], params, judging.calibration, facts)
    related = [(row, pair) for row, (pair, verdict) in zip(rows, judged, strict=True)
               if is_related(pair.jaccard, pair.a_in_b, pair.b_in_a, params) or verdict.reused]
    return ([pickled(pair) for _, pair in related],
            PairSummary.of([pair for _, pair in related], [(i, j) for (i, j), _ in related]))


def update_index(articles: Sequence[Article], index: Index, params: Parameters | None = None,
                 registry: Registry | None = None,
                 progress: Progress = no_progress) -> IndexUpdate:
    """Bring ``index`` up to date with ``articles`` (the whole corpus) without judging pairs:
    only fingerprints are computed, for the articles the index lacks or holds in another
    version."""
    params = params or Parameters()
    ordered = sorted_by_id(articles)
    bodies = article_bodies(ordered)
    finder = CreditFinder(registry or load_registry())
    return _refresh_index(index, ordered, bodies, lambda fresh, hashes: fingerprinted_entries(
        ordered, bodies, fresh, params, finder, progress, hashes))


def fingerprinted_entries(articles: Sequence[Article], bodies: Sequence[str],
                          chosen: Sequence[int], params: Parameters, finder: CreditFinder,
                          progress: Progress = no_progress,
                          hashes: Sequence[bytes] | None = None) -> Iterator[IndexEntry]:
    """The :func:`index_entries` of the ``chosen`` articles (by position; ``hashes``: their
    content hashes, if known), a batch at a time (so only a batch is read at once), reported
    to ``progress`` as they come."""
    for start in range(0, len(chosen), BATCH_SIZE):
        batch = chosen[start:start + BATCH_SIZE]
        yield from index_entries([articles[n] for n in batch], [bodies[n] for n in batch],
                                 params, lambda article, body: finder.find(article.text, body),
                                 None if hashes is None else hashes[start:start + BATCH_SIZE])
        progress("fingerprinting", start + len(batch), len(chosen))


def index_entries(articles: Sequence[Article], bodies: Sequence[str], params: Parameters,
                  credits_of: Callable[[Article, str], tuple[Credit, ...]],
                  hashes: Sequence[bytes] | None = None) -> list[IndexEntry]:
    """What the index holds of each article (``bodies``: their texts, furniture blanked;
    ``credits_of(article, body)``: its credits; ``hashes``: their content hashes, computed
    here if not given)."""
    prints = fingerprint([a.id for a in articles], bodies, params)
    if not prints:
        return []
    keys = band_keys(np.stack([fp.signature for fp in prints]), params.bands, params.rows)
    words = batch_words(BatchWords.of(bodies)).distinct()
    if hashes is None:
        hashes = [content_hash(article, body) for article, body in zip(articles, bodies,
                                                                       strict=True)]
    return [IndexEntry(
        article=article, content_hash=hashes[n],
        furniture=blanked_spans(article.text, body), credits=credits_of(article, body),
        band_keys=row[:0] if fp.too_short else row,
        samples=sample(fp.samples, params.index_sample_rate), words=words[n],
    ) for n, (article, body, fp, row) in enumerate(zip(articles, bodies, prints, keys,
                                                       strict=True))]


def changed_articles(articles: Sequence[Article], bodies: Sequence[str],
                     stored: Mapping[str, bytes]) -> tuple[list[int], list[bytes]]:
    """The positions of the ``articles`` whose content hash is not the one ``stored`` (by
    id) holds, and every article's content hash."""
    hashes = [content_hash(a, body) for a, body in zip(articles, bodies, strict=True)]
    return ([n for n, (a, digest) in enumerate(zip(articles, hashes, strict=True))
             if stored.get(a.id) != digest], hashes)


def _refresh_index(index: Index, articles: Sequence[Article], bodies: Sequence[str],
                   entries: Callable[[Sequence[int], Sequence[bytes]], Iterable[IndexEntry]]
                   ) -> IndexUpdate:
    """Write to ``index`` the ``entries(positions, content hashes)`` of the articles it
    lacks or holds in another version, and remove those no longer among ``articles``."""
    fresh, hashes = changed_articles(articles, bodies, index.content_hashes())
    written = set(fresh)
    kept = [a.id for n, a in enumerate(articles) if n not in written]
    update = index.update(entries(fresh, [hashes[n] for n in fresh]), keep=kept)
    log.info("index %s: %d added, %d changed, %d removed, %d unchanged", index.path,
             len(update.added), len(update.changed), len(update.removed), update.unchanged)
    return update


def compare(a: Article, b: Article, context: Sequence[Article] = (),
            params: Parameters | None = None, calibration: Calibration | None = None,
            registry: Registry | None = None) -> tuple[PairScore, Verdict]:
    """Measure, align and judge ``a`` against ``b``, whatever their scores.

    ``context`` is the corpus: its articles set the term weights (with only the two articles
    to learn from, every shared word looks common).
    """
    if a.id == b.id:
        raise ParameterError(f"both articles are {a.id!r}: name two different articles "
                             "(two files of the same text are fine)")
    params = params or Parameters()
    calibration = calibration or load_calibration()
    others = [article for article in context if article.id not in (a.id, b.id)]
    bodies = article_bodies([a, b, *others])
    documents, weights = read_corpus([a, b, *others], bodies, params)
    for article, document in zip((a, b), documents, strict=False):
        if not document.shingles.size:
            raise ParameterError(f"{article.id}: too short to judge (fewer than "
                                 f"{params.shingle_size} words outside page furniture)")
    registry = registry or load_registry()
    finder = CreditFinder(registry)
    # Credits read as a scan reads them: with the corpus's furniture blanked.
    facts = {article.id: ArticleFacts.of(article, finder.find(article.text, body), registry)
             for article, body in zip((a, b), bodies, strict=False)}
    return judged_pair(a, b, weigh(documents[0], weights), weigh(documents[1], weights),
                       params, calibration, facts)

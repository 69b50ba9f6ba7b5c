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
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import numpy as np

from provenance.attribution.agencies import Registry, load_registry
from provenance.attribution.credits import CreditFinder
from provenance.candidates.buckets import PairArray, grouped_pairs, merge_pairs
from provenance.candidates.pairs import CorpusWords, best_source_candidates, candidate_pairs
from provenance.candidates.survey import ScanInput, Survey, survey_chunk
from provenance.compiled import use_compiled
from provenance.config import Parameters
from provenance.errors import IndexPlaceError, ParameterError
from provenance.hashsets import HashSets, SpooledHashSets
from provenance.lineage.infer import infer_lineage
from provenance.lineage.judged import PairSummary, SpooledPairs, pickled
from provenance.model import (
    Article,
    Credit,
    Lineage,
    PairScore,
    Skipped,
    Verdict,
)
from provenance.progress import Progress, ignore, no_progress, reported
from provenance.results import IndexUpdate, ScanResult
from provenance.spool import Records, new_records
from provenance.store.entries import refresh_index
from provenance.store.file import afresh_if_damaged
from provenance.store.index import Index, IndexEntry, blanked_spans
from provenance.text.articles import sorted_by_id
from provenance.text.bodies import article_bodies
from provenance.text.document import read_corpus
from provenance.text.terms import CorpusWeights, WeightsMerger
from provenance.verdict.direction import ArticleFacts, source_rank
from provenance.verdict.features import weigh
from provenance.verdict.judging import is_related, judged_pair, judged_pairs
from provenance.verdict.models import (
    Calibration,
    load_calibration,
)
from provenance.workers import chunk_spans, ordered_map, release_free_memory

log = logging.getLogger(__name__)
Result = TypeVar("Result")


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
    pairs = chosen_pairs(verbatim, rewrites, words, ordered, params, registry)
    progress("finding candidates", 1, 1)
    credits = {ordered[n].id: found for n, found in enumerate(survey.credits) if found}
    too_short = tuple(ordered[n].id for n in np.flatnonzero(survey.too_short).tolist())
    # Judging needs none of the survey's arrays: their memory goes to the judged pairs, and
    # the judging workers, forked next, do not carry them.
    del survey, words
    records, summary = _judge_pairs(Judging(corpus, weights, calibration, credits), pairs,
                                    jobs, progress)
    scores, lineage = judged_lineage(ordered, records, summary, credits, registry, progress)
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


def chosen_pairs(verbatim: PairArray, rewrites: PairArray, words: CorpusWords,
                 ordered: Sequence[Article], params: Parameters, registry: Registry
                 ) -> PairArray:
    """The pairs to judge, of the verbatim and rewrite candidates: all of them, or each
    article's best source candidates (``params.source_candidates``)."""
    pairs = merge_pairs(verbatim, rewrites)
    if params.source_candidates is not None:
        pairs = best_source_candidates(pairs, words, source_rank(ordered, registry),
                                       params.source_candidates)
    log.info("%d candidate pairs among %d articles (%d verbatim, %d rewrite)",
             len(pairs), len(ordered), len(verbatim), len(rewrites))
    return pairs


#: What infers lineage from a scan's articles, its pairs in report order, its credits, the
#: registry and the pairs' summary: :func:`infer_lineage`'s signature.
LineageInference = Callable[[Sequence[Article], Sequence[PairScore],
                             Mapping[str, tuple[Credit, ...]], Registry, PairSummary], Lineage]


def judged_lineage(ordered: Sequence[Article], records: Records, summary: PairSummary,
                   credits: Mapping[str, tuple[Credit, ...]], registry: Registry,
                   progress: Progress, infer: LineageInference = infer_lineage
                   ) -> tuple[SpooledPairs, Lineage]:
    """The judged pairs in report order, each direction settled by lineage, and the
    lineage itself (inferred by ``infer``: a cluster scan infers it a story at a time)."""
    order = summary.report_order()
    scores = SpooledPairs(records, order)
    progress("lineage", 0, 1)
    lineage = infer(ordered, scores, credits, registry, summary.take(order))
    scores.settle(lineage.directions)
    progress("lineage", 1, 1)
    return scores, lineage


SURVEY_CHUNK = 256
JUDGE_CHUNK = 128
#: From this many articles the survey runs compiled: it saves about 0.1 ms an article, and
#: loading the compiled programs costs about half a second.
COMPILED_SURVEY_ARTICLES = 10_000
#: From this many pairs, judging over several processes runs compiled, loaded before the
#: workers fork (each would otherwise load its own copy once it had made calls enough).
COMPILED_JUDGING_PAIRS = 100
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
    # An empty corpus is one empty chunk: its survey has the shapes of any other.
    spans = chunk_spans(len(corpus.articles), SURVEY_CHUNK) or [(0, 0)]
    done_here: list[tuple[Survey, HashSets, CorpusWeights]] = []
    if len(corpus.articles) >= COMPILED_SURVEY_ARTICLES:
        # The first chunk surveyed here loads the compiled programs before the workers
        # fork, so that they share one copy (the answers are the same either way).
        use_compiled()
        done_here.append(survey_chunk(corpus, spans[0]))
    surveyed = itertools.chain(done_here, ordered_map(survey_chunk, corpus,
                                                      spans[len(done_here):], jobs))
    for part, words, counts in reported(surveyed, "reading", len(corpus.articles),
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

    return refresh_index(index, corpus.articles, corpus.bodies, entries)


@dataclass(frozen=True)
class Judging:
    """What every worker judging pairs needs."""

    corpus: ScanInput
    weights: CorpusWeights
    calibration: Calibration
    #: The credits of the articles that carry some, by id.
    credits: Mapping[str, tuple[Credit, ...]]


def _judge_pairs(judging: Judging, pairs: PairArray, jobs: int, progress: Progress
                 ) -> tuple[Records, PairSummary]:
    """The related pairs among ``pairs``, judged: spooled as they come (see :mod:`judged`),
    and their summary."""
    records = new_records("the judged pairs")
    summaries: list[PairSummary] = []
    grouped = grouped_pairs(pairs)  # the order does not matter: scan sorts what is found
    if jobs > 1 and len(pairs) >= COMPILED_JUDGING_PAIRS:
        # Judging a few pairs here loads the compiled programs before the workers fork, so
        # that they share one copy (the answers are the same either way).
        use_compiled()
        judge_chunk(judging, grouped[:WARM_UP_PAIRS])
    spans = [grouped[start:start + JUDGE_CHUNK] for start in range(0, len(pairs), JUDGE_CHUNK)]
    for chunk_records, summary in reported(ordered_map(judge_chunk, judging, spans, jobs),
                                           "judging", len(pairs), JUDGE_CHUNK, progress):
        for record in chunk_records:
            records.append(record)
        summaries.append(summary)
    records.flush()
    return records, PairSummary.concatenate(summaries)


def judge_chunk(judging: Judging, pairs: PairArray) -> tuple[list[bytes], PairSummary]:
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


def scan_indexed(articles: Sequence[Article], index_path: Path | None,
                 params: Parameters | None = None, skipped: Sequence[Skipped] = (),
                 progress: Progress = no_progress, calibration: Calibration | None = None,
                 registry: Registry | None = None, jobs: int = 1,
                 say: Callable[[str], None] = ignore, index_required: bool = False
                 ) -> ScanResult:
    """:func:`scan`, keeping the index at ``index_path`` up to date (none: no index).

    Where that place cannot hold an index (a read-only dataset folder, say) the scan goes on
    without one, and ``say`` tells why, unless the index is ``index_required`` (named by the
    user): then the error is raised. A damaged index is moved aside and built afresh. The
    results are the same with an index or without."""
    def indexed() -> ScanResult:
        index = _opened(index_path, params or Parameters(), say, index_required)
        try:
            return scan(articles, params, skipped, progress, calibration, registry, index, jobs)
        finally:
            if index is not None:
                index.close()

    return afresh_if_damaged(indexed, say)


def _opened(path: Path | None, params: Parameters, say: Callable[[str], None],
            required: bool) -> Index | None:
    if path is None:
        return None
    try:
        return Index.open(path, params)
    except IndexPlaceError as err:
        if required:
            raise
        say(f"Warning: {err}; working without an index (--index FILE keeps one elsewhere)")
        return None


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

"""The scan's stages as Ray tasks over partitions of the corpus.

read (a task per group of input files, the tool's own parsers) -> the articles in order of
id, cut into ``partitions`` runs -> page furniture (line counts per partition, summed) ->
survey (per partition; term counts summed, weights worked out once and shipped as values)
-> candidate search as a shuffle (:mod:`.shuffle`: band keys, samples and rewrite keys to
the partition their value chooses, pairs counted there, the counts of a pair summed in the
partition the pair chooses) -> each article's best source candidates -> judging (a task per
run of whole stories, a story too large for one task tiled; each task is shipped the
articles it judges) -> lineage.

The driver holds what lineage and the output need (the articles' table, spooled to disk,
and one row of numbers per candidate pair); every stage whose cost grows with the corpus's
text or with its pairs runs in tasks. Every partition is chosen from content (article ids,
key values, pair codes), and each task's output is checkpointed in the work folder
(:mod:`.work`). The result is :func:`provenance.scanning.scan`'s, to the byte.
"""

from __future__ import annotations

import collections
import dataclasses
import itertools
import logging
import math
import os
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from importlib.metadata import version
from typing import Any

import numpy as np

from provenance.attribution.agencies import Registry, load_registry
from provenance.candidates.buckets import PAIR_SHIFT, PairArray, merge_pairs, pair_groups
from provenance.candidates.pairs import (
    EVERY_PAIR_UP_TO,
    CorpusWords,
    every_pair,
    rewrite_keys,
    verified_rewrites,
)
from provenance.candidates.survey import ScanInput, Survey, survey_chunk
from provenance.cluster.shuffle import KeyEntries, PairCounts, counted_pairs
from provenance.cluster.work import WorkFolder, fingerprint
from provenance.config import Parameters
from provenance.errors import InputError, ParameterError
from provenance.hashsets import HashSets, SpooledHashSets
from provenance.lineage.judged import PairSummary
from provenance.model import Article, Credit
from provenance.progress import Progress, no_progress
from provenance.results import ScanResult
from provenance.scanning import SURVEY_CHUNK, Judging, chosen_pairs, judge_chunk, judged_lineage
from provenance.spool import new_records
from provenance.text.articles import in_memory, sorted_by_id
from provenance.text.corpus import InputFile, corpus_of_reads, planned_reads, read_apart
from provenance.text.furniture import Bodies, LineCounts, furniture_spans
from provenance.text.stores import is_url, store_stamp
from provenance.text.terms import CorpusWeights, TermWeights, WeightsMerger
from provenance.verdict.models import Calibration, load_calibration
from provenance.workers import chunk_spans

#: Input files read by one task, at most (a .jsonl file is a task of its own).
READ_GROUP = 256
#: Articles per partition when the run does not say how many partitions.
PARTITION_ARTICLES = 10_000
#: Candidate pairs judged by one task, about: whole stories are packed up to it, and a
#: story with more pairs is cut into runs of this many.
JUDGE_TASK = 2_048


@dataclass
class StageCost:
    """What one stage of a run cost: wall time, tasks, and the bytes it moved between tasks
    (articles shipped to tasks, or keys and pairs shuffled)."""

    seconds: float = 0.0
    tasks: int = 0
    shipped_bytes: int = 0
    #: Whether the stage runs on the driver alone (on one core), not in tasks.
    on_driver: bool = False


@dataclass
class RunReport:
    """The cost of each stage of a cluster scan, in the order they ran."""

    articles: int = 0
    partitions: int = 0
    stages: dict[str, StageCost] = field(default_factory=dict)


def scan_on_ray(paths: Sequence[str], params: Parameters | None = None, *,
                calibration: Calibration | None = None, registry: Registry | None = None,
                address: str | None = None, work: str | None = None,
                partitions: int | None = None, cpus: int | None = None, strict: bool = False,
                progress: Progress = no_progress) -> tuple[ScanResult, RunReport]:
    """:func:`provenance.scan` of the articles under ``paths``, run on a Ray cluster: the
    one at ``address`` (``"auto"``: the one this machine belongs to), else a local one of
    ``cpus`` processes. With ``work`` (a folder or an object store's URL), each task's
    output is checkpointed there, and a run restarted with the same inputs and parameters
    resumes from them. ``partitions`` cuts the corpus for the per-article stages and the
    shuffles; it changes how the work is spread, never the result."""
    try:
        import ray
    except ImportError as err:
        raise ParameterError("--engine ray needs Ray: pip install 'wire-provenance[ray]'"
                             ) from err
    params = params or Parameters()
    calibration = calibration or load_calibration()
    registry = registry or load_registry()
    started_here = not ray.is_initialized()
    if started_here:
        ray.init(address=address, num_cpus=None if address else cpus,
                 include_dashboard=False, log_to_driver=False, logging_level=logging.ERROR)
    try:
        run = _Run(ray, params, calibration, registry, partitions, progress)
        return run.scan(list(planned_reads(paths)), work, strict), run.report
    finally:
        if started_here:
            ray.shutdown()


class _Run:
    """One cluster scan: its stages, each a round of tasks, and what they cost."""

    def __init__(self, ray: Any, params: Parameters, calibration: Calibration,
                 registry: Registry, partitions: int | None, progress: Progress) -> None:
        self.ray = ray
        self.params, self.calibration, self.registry = params, calibration, registry
        self.asked_partitions = partitions
        self.progress = progress
        self.report = RunReport()
        self.work: WorkFolder | None = None
        self.current = ""

    # -- tasks ------------------------------------------------------------------------

    def _tasks(self, stage: str, function: Callable[..., Any], calls: Sequence[tuple[Any, ...]],
               returns: int = 1) -> list[Any]:
        """Submit ``function(*call)`` for each call as a task, checkpointed as task ``n`` of
        ``stage``; the object references of what each returns (``returns`` of them)."""
        remote = self.ray.remote(_checkpointed).options(num_returns=returns, max_retries=3)
        self.report.stages[self.current].tasks += len(calls)
        return [remote.remote(self.work, stage, f"{n}-of-{len(calls)}", function, *call)
                for n, call in enumerate(calls)]

    def _streamed(self, stage: str, function: Callable[..., Any],
                  calls: Iterable[tuple[Any, ...]], total: int, progress: str
                  ) -> Iterator[Any]:
        """What ``function(*call)`` returns for each call, in order, run as tasks of
        ``stage`` with a few in flight at a time: neither the calls (articles shipped to
        their tasks) nor the results are all held at once."""
        remote = self.ray.remote(_checkpointed).options(max_retries=3)
        window = max(2, 2 * int(self.ray.cluster_resources().get("CPU", 1)))
        in_flight: collections.deque[Any] = collections.deque()
        done = 0
        for n, call in enumerate(calls):
            self.report.stages[self.current].tasks += 1
            in_flight.append(remote.remote(self.work, stage, f"{n}-of-{total}", function,
                                           *call))
            if len(in_flight) >= window:
                done += 1
                self.progress(progress, done, total)
                yield self.ray.get(in_flight.popleft())
        while in_flight:
            done += 1
            self.progress(progress, done, total)
            yield self.ray.get(in_flight.popleft())

    def _results(self, stage: str, refs: Sequence[Any]) -> list[Any]:
        """What ``refs`` hold, in order, with the stage's progress told as tasks end."""
        pending, total = list(refs), len(refs)
        while pending:
            _, pending = self.ray.wait(pending, num_returns=1)
            self.progress(stage, total - len(pending), total)
        return list(self.ray.get(list(refs)))

    def _stage(self, name: str, on_driver: bool = False) -> _Timed:
        """A stage's block: its time, tasks and bytes are counted under ``name``."""
        self.current = name
        return _Timed(self.report.stages.setdefault(name, StageCost(on_driver=on_driver)))

    # -- the scan -----------------------------------------------------------------------

    def scan(self, plan: list[InputFile | InputError], work: str | None, strict: bool
             ) -> ScanResult:
        params = self.params
        files = [read for read in plan if isinstance(read, InputFile)]
        if work is not None:
            self.work = WorkFolder(work, fingerprint(
                version("wire-provenance"), [_file_stamp(read) for read in files],
                params.as_dict(), self.calibration, self.registry))
        with self._stage("read") as cost:
            groups = _read_groups(files)
            read = self._streamed("read", _read_group, [(group,) for group in groups],
                                  len(groups), "reading")

            def files_read() -> Iterator[tuple[list[Article], list[InputError]]]:
                for group in read:  # each group's articles spooled, then let go
                    for found, errors in group:
                        cost.shipped_bytes += sum(len(a.text.encode()) for a in found)
                        yield found, errors

            corpus = corpus_of_reads(plan, files_read(), strict)
        ordered = sorted_by_id(corpus.articles)
        count = len(ordered)
        spans = _partition_spans(count, self.asked_partitions or max(
            1, math.ceil(count / PARTITION_ARTICLES)))
        self.report.articles, self.report.partitions = count, len(spans)
        with self._stage("furniture") as cost:
            part_refs = [self._put_partition(ordered, start, end, cost) for start, end in spans]
            furniture = self._furniture(part_refs, spans)
        with self._stage("survey") as cost:
            survey, words, weights, keyed = self._survey(part_refs, spans, furniture, cost)
        with self._stage("candidates") as cost:
            verbatim, rewrites = self._candidates(keyed, words, spans, survey, cost)
        with self._stage("best candidates", on_driver=True):
            verified = verified_rewrites(rewrites, verbatim, words, params)
            pairs = chosen_pairs(verbatim, verified, words, ordered, params, self.registry)
        credits = {ordered[n].id: found for n, found in enumerate(survey.credits) if found}
        too_short = tuple(ordered[n].id for n in np.flatnonzero(survey.too_short).tolist())
        del survey, words, part_refs
        with self._stage("judging") as cost:
            records, summary = self._judge(ordered, furniture, credits, weights, pairs, cost)
        with self._stage("lineage", on_driver=True):
            scores, lineage = judged_lineage(ordered, records, summary, credits,
                                             self.registry, self.progress)
        return ScanResult(
            articles=ordered, pairs=scores, too_short=too_short, skipped=corpus.skipped,
            candidates=len(pairs), derived_pairs=summary.reused(),
            parameters=params.as_dict(), credits=credits, lineage=lineage)

    def _put_partition(self, ordered: Sequence[Article], start: int, end: int,
                       cost: StageCost) -> Any:
        """The articles at ``start:end``, put in the object store once for every stage
        that reads them (a partition's texts in the driver's memory one at a time)."""
        part = [in_memory(article) for article in ordered[start:end]]
        cost.shipped_bytes += sum(len(article.text.encode()) for article in part)
        return self.ray.put(part)

    def _furniture(self, part_refs: Sequence[Any], spans: Sequence[tuple[int, int]]
                   ) -> dict[int, list[tuple[int, int]]]:
        """The furniture spans of every article that has some, by position: lines are
        counted per partition and summed, as :func:`article_bodies` sums its chunks'."""
        counted = self._results("page furniture", self._tasks(
            "line-counts", _line_counts, [(ref,) for ref in part_refs]))
        lines = LineCounts.merge(counted)
        repeated = lines.repeated()
        maybe = lines.may_hold_furniture(repeated)
        found = self._results("page furniture", self._tasks("furniture", _furniture, [
            (ref, repeated, [n - start for n in range(start, end) if maybe[n]])
            for ref, (start, end) in zip(part_refs, spans, strict=True)]))
        return {start + n: part_spans for (start, _), part in zip(spans, found, strict=True)
                for n, part_spans in part.items()}

    def _survey(self, part_refs: Sequence[Any], spans: Sequence[tuple[int, int]],
                furniture: Mapping[int, list[tuple[int, int]]], cost: StageCost
                ) -> tuple[Survey, CorpusWords, CorpusWeights, list[list[Any]]]:
        """Each partition surveyed; the band keys and samples each sends to each key
        partition (object references); the survey, words and weights of the corpus."""
        count = len(spans)
        refs = self._tasks("survey", _survey_partition, [
            (ref, {n - start: found for n, found in furniture.items() if start <= n < end},
             start, self.params, self.registry, count)
            for ref, (start, end) in zip(part_refs, spans, strict=True)], returns=1 + count)
        word_parts, merger, parts = SpooledHashSets(), WeightsMerger(), []
        for part, words, counts, shipped in self._results("reading", [task[0] for task in refs]):
            parts.append(part)
            word_parts.append(words)
            merger.add(counts)
            cost.shipped_bytes += shipped
        weights = merger.result()
        return (Survey.concatenate(parts), CorpusWords.of(word_parts, weights.words), weights,
                [[task[1 + k] for task in refs] for k in range(count)])

    def _candidates(self, keyed: list[list[Any]], words: CorpusWords,
                    spans: Sequence[tuple[int, int]], survey: Survey, cost: StageCost
                    ) -> tuple[PairArray, PairArray]:
        """The verbatim and rewrite candidate pairs, counted in key partitions and summed
        in pair partitions."""
        params, count = self.params, len(spans)
        rewrite_refs: list[list[Any]] = [[] for _ in range(count)]
        every = len(words) <= EVERY_PAIR_UP_TO
        if not every:
            weights_ref = self.ray.put(words.weights)
            mapped = self._tasks("rewrite-keys", _rewrite_keys, [
                (_part_words(words, start, end), weights_ref, start, params, count)
                for start, end in spans], returns=count + 1)
            for shipped in self._results("rewrite keys", [task[-1] for task in mapped]):
                cost.shipped_bytes += shipped
            rewrite_refs = [[task[k] for task in mapped] for k in range(count)]
        counted = self._tasks("key-partitions", _count_key_partition, [
            (params, count, len(keyed[k]), *keyed[k], *rewrite_refs[k]) for k in range(count)],
            returns=count + 1)
        for shipped in self._results("candidates", [task[-1] for task in counted]):
            cost.shipped_bytes += shipped
        summed = self._results("candidates", self._tasks("pair-partitions", _sum_pairs, [
            (params, *[task[q] for task in counted]) for q in range(count)]))
        verbatim = _decoded(np.concatenate([codes for codes, _ in summed]))
        if every:
            rewrites = every_pair(len(words))
            rewrites = rewrites[~survey.too_short[rewrites].any(axis=1)]
        else:
            rewrites = _decoded(np.concatenate([codes for _, codes in summed]))
        return verbatim, rewrites

    def _judge(self, ordered: Sequence[Article], furniture: Mapping[int, list[tuple[int, int]]],
               credits: Mapping[str, tuple[Credit, ...]], weights: CorpusWeights,
               pairs: PairArray, cost: StageCost) -> tuple[Any, PairSummary]:
        """The pairs judged in tasks of whole stories, each shipped the articles it
        judges; their records spooled in order, and their summary."""
        shared = self.ray.put((weights, self.calibration, self.params, self.registry))
        runs = list(_judging_tasks(pairs))

        def calls() -> Iterator[tuple[Any, ...]]:
            for task_pairs in runs:
                positions = np.unique(task_pairs)
                articles = [in_memory(ordered[n]) for n in positions.tolist()]
                cost.shipped_bytes += sum(len(article.text.encode()) for article in articles)
                yield (shared, articles, positions,
                       {n: furniture[int(p)] for n, p in enumerate(positions.tolist())
                        if int(p) in furniture},
                       {a.id: credits[a.id] for a in articles if a.id in credits},
                       np.searchsorted(positions, task_pairs))

        records = new_records("the judged pairs")
        summaries = []
        for task_records, summary in self._streamed("judging", _judge_task, calls(),
                                                    len(runs), "judging"):
            for record in task_records:
                records.append(record)
            summaries.append(summary)
        records.flush()
        return records, PairSummary.concatenate(summaries)


@dataclass
class _Timed:
    cost: StageCost
    started: float = 0.0

    def __enter__(self) -> StageCost:
        self.started = time.perf_counter()
        return self.cost

    def __exit__(self, *_: object) -> None:
        self.cost.seconds += time.perf_counter() - self.started


# -- what runs in the tasks (module functions: Ray ships them by reference) ------------------

def _checkpointed(work: WorkFolder | None, stage: str, task: str,
                  function: Callable[..., Any], *args: Any) -> Any:
    """``function(*args)``, from the work folder's checkpoint where a run left one."""
    if work is None:
        return function(*args)
    return work.checkpointed(stage, task, lambda: function(*args))


def _read_group(files: Sequence[InputFile]) -> list[tuple[list[Article], list[Any]]]:
    return [read_apart(read) for read in files]


def _line_counts(articles: Sequence[Article]) -> LineCounts:
    return LineCounts.of(article.text for article in articles)


def _furniture(articles: Sequence[Article], repeated: frozenset[str], maybe: Sequence[int]
               ) -> dict[int, list[tuple[int, int]]]:
    found = {n: furniture_spans(articles[n].text, repeated) for n in maybe}
    return {n: spans for n, spans in found.items() if spans}


def _survey_partition(articles: Sequence[Article], furniture: Mapping[int, list[tuple[int, int]]],
                      first: int, params: Parameters, registry: Registry, partitions: int
                      ) -> tuple[Any, ...]:
    """A partition's survey, words and term counts (with the bytes it sends on), then its
    band keys and samples for each key partition."""
    corpus = ScanInput(articles, Bodies(articles, furniture), params, registry)
    done = [survey_chunk(corpus, span) for span in chunk_spans(len(articles), SURVEY_CHUNK)]
    survey = Survey.concatenate([part for part, _, _ in done])
    words = HashSets.concatenate([found for _, found, _ in done])
    merger = WeightsMerger()
    for _, _, counts in done:
        merger.add(counts)
    lsh = KeyEntries.of(survey.lsh_keys(), first).split(partitions)
    samples = KeyEntries.of(survey.samples, first).split(partitions)
    shipped = sum(part.nbytes for part in (*lsh, *samples))
    return ((survey, words, merger.result(), shipped), *zip(lsh, samples, strict=True))


def _rewrite_keys(words: tuple[Any, Any], weights: TermWeights, first: int,
                  params: Parameters, partitions: int) -> tuple[Any, ...]:
    """A partition's rewrite keys, for each key partition, then the bytes it sends on."""
    ids, offsets = words
    keys = rewrite_keys(CorpusWords(ids, offsets, weights), params)
    split = KeyEntries.of(keys, first).split(partitions)
    return (*split, sum(part.nbytes for part in split))


def _count_key_partition(params: Parameters, partitions: int, maps: int, *pieces: Any
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


def _sum_pairs(params: Parameters, *pieces: tuple[PairCounts, PairCounts, PairCounts]
               ) -> tuple[Any, Any]:
    """One pair partition's verbatim and rewrite candidates, their keys' counts summed."""
    lsh, samples, rewrites = (PairCounts.summed([piece[n] for piece in pieces])
                              for n in range(3))
    verbatim = np.union1d(lsh.codes, samples.at_least(params.min_shared_samples))
    return verbatim, rewrites.at_least(params.rewrite_min_shared)


def _judge_task(shared: tuple[CorpusWeights, Calibration, Parameters, Registry],
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


# -- plans -------------------------------------------------------------------------------

def _file_stamp(read: InputFile) -> tuple[str, str | None, int, int | str]:
    """What says a file is the one an earlier run read: its path, id, size and time (an
    object's version tag)."""
    if is_url(read.path):
        return (read.path, read.article_id, *store_stamp(read.path))
    stat = os.stat(read.path)
    return read.path, read.article_id, stat.st_size, stat.st_mtime_ns


def _read_groups(files: Sequence[InputFile]) -> list[list[InputFile]]:
    """Consecutive runs of ``files``, read by one task each: up to :data:`READ_GROUP` text
    files, or one .jsonl file."""
    groups: list[list[InputFile]] = []
    for read in files:
        alone = read.article_id is None
        if alone or not groups or len(groups[-1]) >= READ_GROUP or groups[-1][0].article_id is None:
            groups.append([read])
        else:
            groups[-1].append(read)
    return groups


def _partition_spans(count: int, partitions: int) -> list[tuple[int, int]]:
    """``partitions`` runs of positions (fewer when there are fewer articles), as even as
    can be: article ``n`` of the corpus, in order of id, falls in one by its place alone."""
    partitions = max(1, min(partitions, count))
    bounds = [count * k // partitions for k in range(partitions + 1)]
    return list(itertools.pairwise(bounds))


def _part_words(words: CorpusWords, start: int, end: int) -> tuple[Any, Any]:
    first, last = int(words.offsets[start]), int(words.offsets[end])
    return words.ids[first:last], words.offsets[start:end + 1] - first


def _judging_tasks(pairs: PairArray) -> Iterator[PairArray]:
    """``pairs`` in runs for one task each: whole stories (connected groups of articles)
    packed up to :data:`JUDGE_TASK` pairs, a larger story cut into runs of that many."""
    grouped, group = pair_groups(pairs)
    starts = [*np.flatnonzero(np.diff(group, prepend=-1)).tolist(), len(grouped)]
    run_start = 0
    for story_start, story_end in itertools.pairwise(starts):
        if story_end - run_start > JUDGE_TASK and story_start > run_start:
            yield grouped[run_start:story_start]
            run_start = story_start
        while story_end - run_start > JUDGE_TASK:
            yield grouped[run_start:run_start + JUDGE_TASK]
            run_start += JUDGE_TASK
    if run_start < len(grouped):
        yield grouped[run_start:]


def _decoded(codes: Any) -> PairArray:
    codes = np.unique(codes.astype(np.int64))
    return merge_pairs(np.stack([codes // PAIR_SHIFT, codes % PAIR_SHIFT], axis=1))

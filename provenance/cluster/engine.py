"""The scan's stages as Ray tasks over partitions of the corpus.

read (a task per group of input files, the tool's own parsers) -> the articles in order of
id, cut into ``partitions`` runs -> page furniture (line counts per partition, summed) ->
survey (per partition; term counts summed, weights worked out once and shipped as values)
-> candidate search as a shuffle (:mod:`.shuffle`: band keys, samples and rewrite keys to
the partition their value chooses, pairs counted there, the counts of a pair summed in the
partition the pair chooses) -> each article's best source candidates -> judging (a task per
run of whole stories, a story too large for one task tiled; each task is shipped the
articles it judges) -> lineage (a task per run of whole stories, numbered together on the
driver) -> the JSON document's lists rendered in tasks, a chunk each, written in order.

The driver holds what the output needs (the articles' table, spooled to disk, one row of
numbers per candidate pair, and each article's lineage); every stage whose cost grows with
the corpus's text or with its pairs runs in tasks. Every partition is chosen from content
(article ids, key values, pair codes), and each task's output is checkpointed in the work
folder (:mod:`.work`). The result is :func:`provenance.scanning.scan`'s, to the byte.
"""

from __future__ import annotations

import collections
import itertools
import logging
import math
import os
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from provenance.attribution.agencies import Registry, load_registry
from provenance.candidates.buckets import PairArray, merge_pairs, pair_codes, pair_groups
from provenance.candidates.pairs import EVERY_PAIR_UP_TO, every_pair
from provenance.cluster import tasks
from provenance.cluster.output import OutputParts, written_chunk
from provenance.cluster.shuffle import partition_of
from provenance.cluster.work import WorkFolder, code_fingerprint, fingerprint
from provenance.config import Parameters
from provenance.errors import InputError, ParameterError
from provenance.lineage.judged import PairSummary
from provenance.lineage.parts import LineagePart, PartInputs, lineage_by_parts, lineage_part
from provenance.model import Article, Credit, Lineage, PairScore
from provenance.progress import Progress, no_progress
from provenance.report.json_output import (
    Chunk,
    ChunkRenderer,
    closing,
    json_layout,
    rendered_chunk,
)
from provenance.results import ScanResult
from provenance.scanning import judged_lineage
from provenance.spool import new_records
from provenance.text.articles import in_memory, sorted_by_id
from provenance.text.bodies import furniture_of, line_counts
from provenance.text.corpus import Corpus, InputFile, corpus_of_reads, planned_reads
from provenance.text.furniture import LineCounts
from provenance.text.stores import is_url, store_stamp
from provenance.text.terms import CorpusWeights, WeightsMerger
from provenance.verdict.direction import source_rank
from provenance.verdict.models import Calibration, load_calibration

log = logging.getLogger(__name__)

#: Input files read by one task, at most (a .jsonl file is a task of its own).
READ_GROUP = 256
#: Articles per partition when the run does not say how many partitions.
PARTITION_ARTICLES = 10_000
#: Candidate pairs judged by one task, about: whole stories are packed up to it, and a
#: story with more pairs is cut into runs of this many.
JUDGE_TASK = 2_048
#: Judged pairs whose stories one lineage task infers, about: whole stories are packed up
#: to it; a larger story is a task of its own (lineage reads a story whole).
LINEAGE_TASK = 20_000


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
    #: Tasks submitted whose output is checkpointed (with a work folder), and of them those
    #: whose output came from the work folder.
    submitted: int = 0
    reused: int = 0
    #: The parts the JSON document was written as, where it was.
    parts: int = 0


def scan_on_ray(paths: Sequence[str], params: Parameters | None = None, *,
                calibration: Calibration | None = None, registry: Registry | None = None,
                address: str | None = None, work: str | None = None,
                partitions: int | None = None, cpus: int | None = None, strict: bool = False,
                progress: Progress = no_progress,
                loaded: Callable[[Corpus], None] = lambda corpus: None,
                output: Callable[[ScanResult, ChunkRenderer], None] | None = None,
                parts: str | None = None) -> tuple[ScanResult, RunReport]:
    """:func:`provenance.scan` of the articles under ``paths``, run on a Ray cluster: the
    one at ``address`` (``"auto"``: the one this machine belongs to), else a local one of
    ``cpus`` processes. With ``work`` (a folder or an object store's URL), each task's
    output is checkpointed there, and a run restarted with the same inputs and parameters
    resumes from them. ``partitions`` cuts the corpus for the per-article stages and the
    shuffles; it changes how the work is spread, never the result. ``loaded`` is shown the
    corpus once it is read (the CLI names the inputs skipped, and stops where none loaded).
    ``output``, given the result while the cluster is up, may render the JSON document's
    lists in its tasks with the renderer it is given (see
    :func:`~provenance.report.json_output.scan_json_parts`): the parts come back in order.
    With ``parts`` (a folder or an object store's URL), the tasks write the JSON document
    there themselves, as ordered parts (:mod:`.output`). Relative paths are taken from this
    process's folder, on every node."""
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
        # A cluster that exists (named, or in RAY_ADDRESS) sets its own CPUs.
        joining = address or os.environ.get("RAY_ADDRESS")
        try:
            ray.init(address=address, num_cpus=None if joining else cpus,
                     include_dashboard=False, log_to_driver=False,
                     logging_level=logging.ERROR)
        except Exception as err:  # Ray's own: no cluster there, no client package ...
            raise ParameterError(f"cannot start or reach the Ray cluster"
                                 f"{f' at {joining}' if joining else ''}: {err}") from err
    if work is not None and not is_url(work):
        work = os.path.abspath(work)
    if parts is not None and not is_url(parts):
        parts = os.path.abspath(parts)
    try:
        run = _Run(ray, params, calibration, registry, partitions, progress, loaded)
        written = OutputParts.emptied(parts) if parts is not None else None
        result = run.scan(list(planned_reads(paths)), work, strict)
        if output is not None:
            output(result, run.rendered)
        if written is not None:
            run.report.parts = run.written_parts(result, written)
        return result, run.report
    finally:
        if started_here:
            ray.shutdown()


class _Run:
    """One cluster scan: its stages, each a round of tasks, and what they cost."""

    def __init__(self, ray: Any, params: Parameters, calibration: Calibration,
                 registry: Registry, partitions: int | None, progress: Progress,
                 loaded: Callable[[Corpus], None]) -> None:
        self.ray = ray
        self.params, self.calibration, self.registry = params, calibration, registry
        self.asked_partitions = partitions
        self.progress = progress
        self.loaded = loaded
        self.report = RunReport()
        self.work: WorkFolder | None = None
        self.current = ""

    # -- tasks ------------------------------------------------------------------------

    def _tasks(self, stage: str, function: Callable[..., Any], calls: Sequence[tuple[Any, ...]],
               returns: int | None = None) -> list[Any]:
        """Submit ``function(*call)`` for each call as a task, checkpointed as task ``n`` of
        ``stage``; for each, the object reference of what it returns, or (``returns``: the
        number of values it returns) a list of one reference per value."""
        submit = self._submitter(stage, function, len(calls), returns)
        refs = [submit(n, call) for n, call in enumerate(calls)]
        return [[ref] for ref in refs] if returns == 1 else refs

    def _streamed(self, stage: str, function: Callable[..., Any],
                  calls: Iterable[tuple[Any, ...]], total: int, progress: str,
                  checkpointed: bool = True) -> Iterator[Any]:
        """What ``function(*call)`` returns for each call, in order, run as tasks of
        ``stage`` with a few in flight at a time: neither the calls (articles shipped to
        their tasks) nor the results are all held at once."""
        submit = self._submitter(stage, function, total, checkpointed=checkpointed)
        window = max(2, 2 * int(self.ray.cluster_resources().get("CPU", 1)))
        in_flight: collections.deque[Any] = collections.deque()
        done = 0

        def oldest() -> Any:
            nonlocal done
            done += 1
            self.progress(progress, done, total)
            return self.ray.get(in_flight.popleft())

        for n, call in enumerate(calls):
            in_flight.append(submit(n, call))
            if len(in_flight) >= window:
                yield oldest()
        while in_flight:
            yield oldest()

    def _submitter(self, stage: str, function: Callable[..., Any], total: int,
                   returns: int | None = None, checkpointed: bool = True
                   ) -> Callable[[int, tuple[Any, ...]], Any]:
        """What submits task ``n`` of ``total`` of ``stage``, counted in the stage's cost and,
        where an earlier run checkpointed its output, as reused."""
        remote = self.ray.remote(_checkpointed).options(num_returns=returns or 1,
                                                        max_retries=3)
        work = self.work if checkpointed else None
        self.report.stages[self.current].tasks += total
        if work is not None:
            self.report.submitted += total
            self.report.reused += sum(work.done(stage, f"{n}-of-{total}")
                                      for n in range(total))

        def submit(n: int, call: tuple[Any, ...]) -> Any:
            # A task of one value in a list returns a tuple of one: Ray stores its value.
            return remote.remote(work, stage, f"{n}-of-{total}", function, returns == 1,
                                 *call)

        return submit

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
            self.work = WorkFolder.writable(work, fingerprint(
                code_fingerprint(), [_file_stamp(read) for read in files],
                params.as_dict(), self.calibration, self.registry.agencies,
                self.registry.generic))
        with self._stage("read") as cost:
            groups = _read_groups(files)
            here = os.getcwd()  # the tasks read relative paths from it too
            read = self._streamed("read", tasks.read_group,
                                  [(group, here) for group in groups], len(groups), "reading")

            def files_read() -> Iterator[tuple[list[Article], list[InputError]]]:
                for group in read:  # each group's articles spooled, then let go
                    for found, errors in group:
                        cost.shipped_bytes += sum(len(a.text.encode()) for a in found)
                        yield found, errors

            corpus = corpus_of_reads(plan, files_read(), strict)
        self.loaded(corpus)
        ordered = sorted_by_id(corpus.articles)
        count = len(ordered)
        spans = _partition_spans(count, self.asked_partitions or max(
            1, math.ceil(count / PARTITION_ARTICLES)))
        self.report.articles, self.report.partitions = count, len(spans)
        with self._stage("furniture") as cost:
            part_refs = [self._put_partition(ordered, start, end, cost) for start, end in spans]
            furniture = self._furniture(part_refs, spans)
        with self._stage("survey") as cost:
            surveyed = self._survey(part_refs, spans, furniture, cost)
        credits = {ordered[n].id: found for n, found in enumerate(surveyed.credits) if found}
        too_short = np.flatnonzero(surveyed.too_short)
        del part_refs
        with self._stage("candidates") as cost:
            pairs = self._candidates(surveyed, spans, too_short, source_rank(
                ordered, self.registry), cost)
        weights = surveyed.weights
        del surveyed
        with self._stage("judging") as cost:
            records, summary = self._judge(ordered, furniture, credits, weights, pairs, cost)
        with self._stage("lineage"):
            scores, lineage = judged_lineage(ordered, records, summary, credits,
                                             self.registry, self.progress, self._lineage)
        return ScanResult(
            articles=ordered, pairs=scores, skipped=corpus.skipped,
            too_short=tuple(ordered[n].id for n in too_short.tolist()),
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
            "line-counts", line_counts, [(ref,) for ref in part_refs]))
        lines = LineCounts.merge(counted)
        repeated = lines.repeated()
        maybe = lines.may_hold_furniture(repeated)
        found = self._results("page furniture", self._tasks("furniture", furniture_of, [
            (ref, repeated, [n - start for n in range(start, end) if maybe[n]])
            for ref, (start, end) in zip(part_refs, spans, strict=True)]))
        return {start + n: part_spans for (start, _), part in zip(spans, found, strict=True)
                for n, part_spans in part.items()}

    def _survey(self, part_refs: Sequence[Any], spans: Sequence[tuple[int, int]],
                furniture: Mapping[int, list[tuple[int, int]]], cost: StageCost) -> _Surveyed:
        """Each partition surveyed: the credits and term counts come back, summed into the
        corpus's weights; each partition's words, band keys and samples stay in the object
        store for the tasks that read them."""
        count = len(spans)
        refs = self._tasks("survey", tasks.survey_partition, [
            (ref, {n - start: found for n, found in furniture.items() if start <= n < end},
             start, self.params, self.registry, count)
            for ref, (start, end) in zip(part_refs, spans, strict=True)], returns=2 + count)
        merger, credits, too_short = WeightsMerger(), [], []
        for found, short, counts, shipped in self._results("reading",
                                                           [task[0] for task in refs]):
            credits += found
            too_short.append(short)
            merger.add(counts)
            cost.shipped_bytes += shipped
        weights = merger.result()
        return _Surveyed(credits, np.concatenate(too_short), weights,
                         [task[1] for task in refs],
                         [[task[2 + k] for task in refs] for k in range(count)])

    def _candidates(self, surveyed: _Surveyed, spans: Sequence[tuple[int, int]],
                    too_short: npt.NDArray[np.int64], rank: npt.NDArray[np.int64],
                    cost: StageCost) -> PairArray:
        """The pairs to judge, as the local scan chooses them: keys counted in key
        partitions, counts summed in pair partitions, candidates verified there with their
        articles' words, and each article's best source candidates chosen in its own
        partition."""
        params, count = self.params, len(spans)
        bounds = np.array([start for start, _ in spans] + [spans[-1][1]], dtype=np.int64)
        vocabulary = self.ray.put(surveyed.weights.words)
        word_refs = [task for task in self._tasks("word-ids", tasks.word_ids, [
            (words, vocabulary) for words in surveyed.words])]
        articles = int(bounds[-1])
        every = articles <= EVERY_PAIR_UP_TO
        rewrite_refs: list[list[Any]] = [[] for _ in range(count)]
        if not every:
            mapped = self._tasks("rewrite-keys", tasks.rewrite_keys_of, [
                (words, vocabulary, start, params, count)
                for words, (start, _) in zip(word_refs, spans, strict=True)],
                returns=count + 1)
            cost.shipped_bytes += sum(self._results("rewrite keys", [task[-1] for task in mapped]))
            rewrite_refs = [[task[k] for task in mapped] for k in range(count)]
        counted = self._tasks("key-partitions", tasks.count_key_partition, [
            (params, count, len(surveyed.keyed[k]), *surveyed.keyed[k], *rewrite_refs[k])
            for k in range(count)], returns=count + 1)
        cost.shipped_bytes += sum(self._results("candidates", [task[-1] for task in counted]))
        every_pairs = _every_pair_by_partition(articles, too_short, count) if every else None
        summed = self._tasks("pair-partitions", tasks.sum_pair_partition, [
            (params, bounds, too_short, every_pairs[q] if every_pairs else None,
             *[task[q] for task in counted]) for q in range(count)], returns=1 + count)
        gathered = self._tasks("candidate-words", tasks.words_for_pairs, [
            (word_refs[p], int(bounds[p]), *[task[1 + p] for task in summed])
            for p in range(count)], returns=count)
        verified = self._tasks("verify", tasks.verify_pair_partition, [
            (params, vocabulary, bounds, summed[q][0], *[task[q] for task in gathered])
            for q in range(count)], returns=count + 2)
        found = self._results("candidates", [task[-1] for task in verified])
        log.info("%d candidate pairs among %d articles (%d verbatim, %d rewrite)",
                 sum(v + r for v, r in found), articles, sum(v for v, _ in found),
                 sum(r for _, r in found))
        if params.source_candidates is None:
            chosen = self._results("candidates", [task[0] for task in verified])
        else:
            rank_ref = self.ray.put(rank)
            chosen = self._results("candidates", self._tasks("best", tasks.best_candidates, [
                (params.source_candidates, rank_ref, *[task[1 + p] for task in verified])
                for p in range(count)]))
        return merge_pairs(*chosen)

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
        for task_records, summary in self._streamed("judging", tasks.judge_run, calls(),
                                                    len(runs), "judging"):
            for record in task_records:
                records.append(record)
            summaries.append(summary)
        records.flush()
        return records, PairSummary.concatenate(summaries)

    def rendered(self, chunks: Iterable[Chunk], total: int) -> Iterator[list[str]]:
        """The text of each of ``total`` chunks of the output document's lists, rendered in
        tasks, in order (not checkpointed: the output is the run's, and as large)."""
        with self._stage("output") as cost:
            for texts in self._streamed("output", rendered_chunk,
                                        ((chunk,) for chunk in chunks), total, "rendering",
                                        checkpointed=False):
                cost.shipped_bytes += sum(len(text.encode()) for text in texts)
                yield texts

    def written_parts(self, result: ScanResult, parts: OutputParts) -> int:
        """Write ``result``'s JSON document as ordered parts, each chunk of its lists by the
        task that renders it, the text between them from here; how many parts."""
        number = 0
        with self._stage("output") as cost:
            for piece in json_layout(result):
                if isinstance(piece, str):
                    cost.shipped_bytes += parts.write(number, piece)
                    number += 1
                    continue
                calls = ((chunk, k == 0, parts, number + k)
                         for k, chunk in enumerate(piece.chunks))
                cost.shipped_bytes += sum(self._streamed(
                    "output", written_chunk, calls, piece.count, "writing parts",
                    checkpointed=False))
                number += piece.count
                cost.shipped_bytes += parts.write(number, closing(piece.count == 0))
                number += 1
            # The document as `scan --format json` prints it: a line of its own.
            cost.shipped_bytes += parts.write(number, "\n")
        parts.finish()
        return number + 1

    def _lineage(self, articles: Sequence[Article], pairs: Sequence[PairScore],
                 credits: Mapping[str, tuple[Credit, ...]], registry: Registry,
                 summary: PairSummary) -> Lineage:
        """Lineage inferred a run of whole stories per task, each shipped its stories' pair
        summary and its articles' ids, outlets, times and credits; the parts numbered
        together here (:mod:`provenance.lineage.parts`)."""
        shared = self.ray.put(registry)

        def run(inputs: Iterator[PartInputs], total: int) -> Iterator[LineagePart]:
            calls = ((light, part_credits, shared, local, rows)
                     for light, part_credits, local, rows in inputs)
            return self._streamed("lineage", lineage_part, calls, total, "lineage")

        return lineage_by_parts(articles, pairs, credits, registry, summary, LINEAGE_TASK, run)


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
                  function: Callable[..., Any], only: bool, *args: Any) -> Any:
    """``function(*args)``, from the work folder's checkpoint where a run left one; its one
    value where it returns a tuple of ``only`` one."""
    result = (function(*args) if work is None
              else work.checkpointed(stage, task, lambda: function(*args),
                                     keep=tasks.KEEPS.get(function.__name__, _always)))
    return result[0] if only else result


def _always(_: Any) -> bool:
    return True


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


def _every_pair_by_partition(articles: int, too_short: npt.NDArray[np.int64],
                             partitions: int) -> list[npt.NDArray[np.int64]]:
    """In a corpus small enough that every pair is a rewrite candidate (as the local scan
    has it), those pairs' codes, by the pair partition each chooses."""
    pairs = every_pair(articles)
    pairs = pairs[~np.isin(pairs, too_short).any(axis=1)]
    codes = pair_codes(pairs)
    chosen = partition_of(codes, partitions)
    return [codes[chosen == q] for q in range(partitions)]


@dataclass(frozen=True)
class _Surveyed:
    """What the survey leaves: on the driver, the credits, which articles are too short,
    and the weights; in the object store, each partition's words and, for each key
    partition, its band keys and samples."""

    credits: list[tuple[Credit, ...]]
    too_short: npt.NDArray[np.bool_]
    weights: CorpusWeights
    words: list[Any]
    keyed: list[list[Any]]

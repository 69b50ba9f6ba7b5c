"""Throughput: fingerprinting against datasketch and rensa, and the whole scan, in one run.

Fingerprinting: every method gets the same synthetic 500-word articles and, where it takes
tokens rather than text, the same word tokens (our tokeniser's), made into 5-word shingle
strings as those libraries need. datasketch's ``MinHash.update()`` loop and ``MinHash.bulk``
run on fewer articles (they are slow); rates are articles per second, medians of
``--repeats`` runs. Ours (``minhash_signatures``) runs from raw text: tokens, hashes,
shingles and signatures, in the ``affine32`` scheme, so each row loads into datasketch.

Scan: ``pipeline.scan`` over a seeded synthetic corpus (wire stories, reprints, rewrites,
independent stories; ``benchmarks/synthetic.py``), written to a JSON-lines file and loaded
by ``load_corpus`` as the command line does, with ``--jobs`` processes: wall time (the load
apart), the peak memory of the process and its workers (proportional set size, so pages the
workers share with it count once), and the recall of the planted reprints and rewrites: the
share whose (article, source) pair is reported, and the share judged derived. Generating
the corpus is not timed.

    python benchmarks/throughput.py                                  # print the tables
    python benchmarks/throughput.py --scan-articles 100000 --write reports/benchmarks.md
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from datasketch import MinHash
from tabulate import tabulate

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import generate

from provenance.config import Parameters
from provenance.results import ScanResult
from provenance.scanning import scan
from provenance.store.entries import minhash_signatures
from provenance.text.corpus import load_corpus
from provenance.text.words import word_tokens
from provenance.workers import available_cores

try:
    import rensa
except ImportError:  # an optional benchmark dependency: pip install -e '.[bench]'
    rensa = None

K = 5
PERMUTATIONS = 128


def shingle_strings(tokens: Sequence[bytes]) -> list[str]:
    """The 5-word shingles of a token list, as strings: what datasketch and rensa hash."""
    words = [token.decode() for token in tokens]
    return [" ".join(words[i:i + K]) for i in range(len(words) - K + 1)]


def fingerprint_methods(jobs: int) -> dict[str, tuple[str, Callable[[list[str]], None]]]:
    """Each method: (what it is given, the function timed over a list of texts)."""
    def update_loop(texts: list[str]) -> None:
        for text in texts:
            minhash = MinHash(num_perm=PERMUTATIONS, seed=1)
            for shingle in shingle_strings(word_tokens(text)):
                minhash.update(shingle.encode())

    def bulk(texts: list[str]) -> None:
        MinHash.bulk([[s.encode() for s in shingle_strings(word_tokens(text))]
                      for text in texts], num_perm=PERMUTATIONS, seed=1)

    def rensa_from_tokens(texts: list[str]) -> None:
        for text in texts:
            minhash = rensa.RMinHash(num_perm=PERMUTATIONS, seed=1)
            minhash.update(shingle_strings(word_tokens(text)))
            minhash.digest()

    prebuilt: dict[int, list[list[str]]] = {}

    def rensa_prebuilt(texts: list[str]) -> None:
        # Shingle strings made once, outside the timing: rensa's MinHash step alone.
        if id(texts) not in prebuilt:
            prebuilt.clear()
            prebuilt[id(texts)] = [shingle_strings(word_tokens(text)) for text in texts]
        for shingles in prebuilt[id(texts)]:
            minhash = rensa.RMinHash(num_perm=PERMUTATIONS, seed=1)
            minhash.update(shingles)
            minhash.digest()

    def ours(processes: int) -> Callable[[list[str]], None]:
        def run(texts: list[str]) -> None:
            minhash_signatures(texts, Parameters(), jobs=processes)
        return run

    methods: dict[str, tuple[str, Callable[[list[str]], None]]] = {
        "datasketch MinHash.update() per shingle": ("text -> our tokens -> shingle strings",
                                                    update_loop),
        "datasketch MinHash.bulk": ("text -> our tokens -> shingle strings", bulk),
    }
    methods["provenance, 1 process"] = ("text", ours(1))
    methods[f"provenance, {jobs} processes"] = ("text", ours(jobs))
    if rensa is not None:
        methods["rensa RMinHash, 1 process"] = ("text -> our tokens -> shingle strings",
                                                rensa_from_tokens)
        # Last: the prebuilt strings take much memory.
        methods["rensa RMinHash, MinHash step only"] = (
            "shingle strings, made before the timing", rensa_prebuilt)
    return methods


def median_rate(run: Callable[[list[str]], None], texts: list[str], repeats: int) -> float:
    """Median articles per second over ``repeats`` timed runs."""
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        run(texts)
        times.append(time.perf_counter() - started)
    return len(texts) / statistics.median(times)


def fingerprint_table(texts: list[str], baseline_articles: int, repeats: int,
                      jobs: int) -> str:
    rows = []
    baseline = None
    for name, (given, run) in fingerprint_methods(jobs).items():
        slow = name.startswith("datasketch")
        sample = texts[:baseline_articles] if slow else texts
        rate = median_rate(run, sample, repeats)
        baseline = baseline or rate
        rows.append([name, given, f"{len(sample):,}", f"{rate:,.0f}", f"{rate / baseline:.1f}x"])
    return tabulate(rows, headers=["method (500-word articles, 128 perms, k=5)", "given",
                                   "articles", "articles/s (median)", "vs update loop"],
                    tablefmt="github", disable_numparse=True)


class PeakMemory:
    """The peak proportional set size of this process and its descendants, sampled."""

    def __init__(self, interval: float = 0.2) -> None:
        self.interval = interval
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, sum(_pss(pid) for pid in _family(os.getpid())))
            self._stop.wait(self.interval)


def _family(root: int) -> list[int]:
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                parent = int(Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            parents.setdefault(parent, []).append(int(entry))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(parents.get(pid, []))
    return found


def _pss(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


@dataclass(frozen=True)
class Plant:
    """What the recall needs of a planted article: its id, kind and source."""

    article: str
    kind: str
    source: str | None


def write_corpus(path: Path, count: int, seed: int) -> list[Plant]:
    """Write :func:`synthetic.generate`'s articles to ``path`` as JSON lines; what each is."""
    planted = []
    with path.open("w", encoding="utf-8") as out:
        for made in generate(count, seed=seed):
            out.write(json.dumps({"id": made.article.id, "text": made.article.text,
                                  "outlet": made.article.outlet}) + "\n")
            planted.append(Plant(made.article.id, made.kind, made.source))
    return planted


class StageClock:
    """A scan's progress callback that notes when each stage starts, and so how long each
    took (from its start to the next one's, the last to the scan's end)."""

    def __init__(self) -> None:
        self.starts: list[tuple[str, float]] = []

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.starts or self.starts[-1][0] != stage:
            self.starts.append((stage, time.perf_counter()))

    def durations(self, end: float) -> dict[str, float]:
        """Seconds spent in each stage, in the order they came, the scan having ended at
        ``end``."""
        spent: dict[str, float] = {}
        ends = [start for _, start in self.starts[1:]] + [end]
        for (stage, start), stop in zip(self.starts, ends, strict=True):
            spent[stage] = spent.get(stage, 0.0) + stop - start
        return spent


def scan_table(corpus: Path, planted: list[Plant], jobs: int, repeats: int) -> str:
    """The scan's median time over ``repeats`` runs (and the range), its peak memory (the
    highest of the runs), the recall of the planted reprints and rewrites, and the median
    time of each stage. Each run loads ``corpus`` as the command line does (texts spooled,
    see ``provenance.text.articles``), timed apart, then scans it."""
    load_times, times, peaks, stages = [], [], [], []
    result: ScanResult | None = None
    for _ in range(repeats):
        result = None  # the previous run's result is not this run's memory
        with PeakMemory() as memory:
            started = time.perf_counter()
            articles = load_corpus([corpus]).articles
            loaded = time.perf_counter()
            clock = StageClock()
            result = scan(articles, jobs=jobs, progress=clock)
            ended = time.perf_counter()
            times.append(ended - loaded)
            load_times.append(loaded - started)
            stages.append(clock.durations(ended))
            del articles
        peaks.append(memory.peak)
    elapsed = statistics.median(times)
    assert result is not None
    reported = {frozenset((pair.a, pair.b)): pair for pair in result.pairs}
    rows = [[f"{len(planted):,}", jobs, f"{statistics.median(load_times):,.1f}",
             f"{elapsed:,.1f}", f"{min(times):,.1f} to {max(times):,.1f}",
             f"{len(planted) / elapsed:,.0f}", f"{max(peaks) / 2**30:.2f}",
             f"{result.candidates:,}", f"{len(result.pairs):,}"]]
    recall = []
    for kind in ("reprint", "rewrite"):
        plants = [p for p in planted if p.kind == kind]
        pairs = [reported.get(frozenset((p.article, p.source or ""))) for p in plants]
        found = sum(pair is not None for pair in pairs)
        derived = sum(bool(pair and pair.verdict and pair.verdict.reused) for pair in pairs)
        recall.append([kind, f"{len(plants):,}", f"{found / len(plants):.3f}",
                       f"{derived / len(plants):.3f}"])
    return (tabulate(rows, headers=["articles", "jobs", "load s (median)",
                                    f"scan s (median of {repeats})", "range s", "articles/s",
                                    "peak memory GiB", "candidate pairs", "pairs reported"],
                     tablefmt="github", disable_numparse=True)
            + "\n\n"
            + tabulate(recall, headers=["planted", "count", "recall (pair reported)",
                                        "recall (judged derived)"],
                       tablefmt="github", disable_numparse=True)
            + "\n\n"
            + tabulate(stage_rows(stages, elapsed),
                       headers=["stage", f"s (median of {repeats})", "share of the scan"],
                       tablefmt="github", disable_numparse=True))


def stage_rows(runs: Sequence[dict[str, float]], elapsed: float) -> list[list[str]]:
    """A row per stage of the scan: its median time over ``runs``, and its share of the
    median scan time ``elapsed``."""
    rows = []
    for stage in runs[0]:
        median = statistics.median(run.get(stage, 0.0) for run in runs)
        rows.append([stage, f"{median:,.1f}", f"{median / elapsed:.0%}"])
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=20_000,
                        help="articles for the fingerprinting rates")
    parser.add_argument("--baseline-articles", type=int, default=300,
                        help="articles for the (slow) datasketch methods")
    parser.add_argument("--scan-articles", type=int, default=10_000,
                        help="articles for the scan (0: no scan)")
    parser.add_argument("--repeats", type=int, default=5,
                        help="runs of each fingerprinting method (the median is shown)")
    parser.add_argument("--scan-repeats", type=int, default=1,
                        help="runs of the scan (the median is shown)")
    parser.add_argument("--jobs", type=int, default=available_cores())
    parser.add_argument("--write", type=Path, help="also write the tables as Markdown here")
    options = parser.parse_args()

    sections = []
    # The scan first: its peak memory is then its own, not that of the fingerprinting
    # runs' shingle strings, which the process keeps once freed.
    if options.scan_articles:
        with tempfile.TemporaryDirectory() as folder:
            corpus = Path(folder) / "synthetic.jsonl"
            planted = write_corpus(corpus, options.scan_articles, seed=7)
            sections.append("## Scan\n\nThe whole scan (survey, candidates, verification, "
                            "alignment, verdicts, lineage) of a seeded synthetic corpus, "
                            "loaded from a JSON-lines file as the command line loads it "
                            "(the load timed apart).\n\n"
                            + scan_table(corpus, planted, options.jobs, options.scan_repeats))
        print(sections[-1] + "\n", flush=True)
    texts = [p.article.text for p in generate(options.articles, seed=42)]
    minhash_signatures(texts[:1], Parameters())  # warm up
    fingerprinting = (f"## Fingerprinting\n\n{len(texts):,} synthetic articles, medians of "
                      f"{options.repeats} runs.\n\n"
                      + fingerprint_table(texts, options.baseline_articles, options.repeats,
                                          options.jobs))
    if rensa is None:
        fingerprinting += ("\n\nrensa is not installed (`pip install -e '.[bench]'`): "
                           "not compared.")
    print(fingerprinting)
    sections.insert(0, fingerprinting)
    if options.write:
        machine = f"{available_cores()} cores, Python {sys.version.split()[0]}"
        options.write.write_text(
            "# Benchmarks\n\nProduced by `python benchmarks/throughput.py "
            + " ".join(sys.argv[1:]).replace(str(options.write), "reports/benchmarks.md")
            + f"` on this machine ({machine}); a shared machine, so read the ratios more "
            "than the absolute figures.\n\n" + "\n\n".join(sections) + "\n")


if __name__ == "__main__":
    main()

"""The persistent index at scale: build it from a streamed synthetic corpus, then time
`provenance check` of new articles against it: a reprint and a rewrite of indexed stories.

Reports the index size per article beyond the texts themselves, the build rate, and the wall
time and peak memory (from GNU time, /usr/bin/time) of `provenance check` run as a fresh
process: first with the operating system's file cache dropped (cold, where this machine lets
us), then warm (median of runs); and whether each check found the planted article's source.
The new article is alone in the folder given as `--corpus`, so each check first brings the
index up to date with that folder: the first run indexes the article (one small write),
the warm runs find nothing changed.

    python benchmarks/index_check.py --articles 1000000 --index /tmp/bench/index.db
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from synthetic import Planted, generate
from tabulate import tabulate

from provenance.attribution.agencies import builtin_registry
from provenance.attribution.credits import CreditFinder
from provenance.config import Parameters
from provenance.store.entries import index_entries
from provenance.store.index import Index

BATCH = 2_000
#: Articles generated after the indexed ones, where the new articles checked come from.
LATER = 1_000
#: Articles written per transaction while building.
TRANSACTION = 50_000


def build(path: Path, count: int, stream: Iterator[Planted]) -> tuple[float, int]:
    """Index the next ``count`` synthetic articles of ``stream``; the seconds it took and the
    bytes of text."""
    params = Parameters()
    finder = CreditFinder(builtin_registry())
    text_bytes = 0
    started = time.perf_counter()
    with Index.open(path, params) as index:
        for first in range(0, count, TRANSACTION):
            def entries(size: int = min(TRANSACTION, count - first)):  # type: ignore[no-untyped-def]
                nonlocal text_bytes
                for _ in range(0, size, BATCH):
                    batch = [next(stream).article for _ in range(min(BATCH, size))]
                    size -= len(batch)
                    text_bytes += sum(len(a.text.encode("utf-8")) for a in batch)
                    yield from index_entries(batch, [a.text for a in batch], params,
                                             lambda article, body: finder.find(article.text,
                                                                               body))
            index.add(entries())
            done = min(first + TRANSACTION, count)
            rate = done / (time.perf_counter() - started)
            print(f"\rindexed {done:,} of {count:,} ({rate:,.0f}/s)", end="", file=sys.stderr,
                  flush=True)
    print(file=sys.stderr)
    return time.perf_counter() - started, text_bytes


def drop_caches() -> bool:
    """Ask the kernel to drop its file cache (needs root); True when it did."""
    try:
        subprocess.run(["sync"], check=True)
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
        return True
    except OSError:
        return False


def check_once(index: Path, article: Path) -> tuple[float, float, list[str]]:
    """Wall seconds and peak memory (MB) of one `provenance check` process, and the indexed
    articles its findings name. Memory comes from GNU time: the rusage of a child forked from this
    (large) process would count pages it shared before exec."""
    with tempfile.NamedTemporaryFile(suffix=".txt") as peak_file:
        command = ["/usr/bin/time", "-f", "%M", "-o", peak_file.name,
                   str(Path(sys.executable).parent / "provenance"), "check", str(article),
                   "--corpus", str(article.parent), "--index", str(index), "--format", "json",
                   "--quiet"]
        started = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True)
        wall = time.perf_counter() - started
        if done.returncode not in (0, 1):
            raise SystemExit(f"check failed: {done.stderr}")
        peak_kib = int(Path(peak_file.name).read_text().split()[-1])
    return wall, peak_kib / 1024, [f["other"] for f in json.loads(done.stdout)["findings"]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument("--index", type=Path, default=Path("/tmp/provenance-bench/index.db"))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--runs", type=int, default=5, help="Warm check runs.")
    parser.add_argument("--write", type=Path, help="Also write the table to this Markdown file.")
    options = parser.parse_args()
    options.index.parent.mkdir(parents=True, exist_ok=True)
    for leftover in options.index.parent.glob(options.index.name + "*"):
        leftover.unlink()
    # One stream for the indexed articles and the new ones (a corpus generated to another
    # size is another corpus).
    stream = generate(options.articles + LATER, options.seed)
    seconds, text_bytes = build(options.index, options.articles, stream)
    with Index.open(options.index, Parameters()) as index:
        index.checkpoint()
        count = index.count()
    size = options.index.stat().st_size

    rows = [
        ["articles indexed", f"{count:,}"],
        ["build time", f"{seconds:,.0f} s ({count / seconds:,.0f} articles/s, one process)"],
        ["index file", f"{size / 1e9:.2f} GB"],
        ["index per article beyond its text", f"{(size - text_bytes) / count:,.0f} bytes"],
    ]
    # The new articles: the first reprint and the first rewrite generated after the indexed
    # ones whose source is indexed.
    planted: dict[str, Planted] = {}
    for candidate in stream:
        if candidate.source and int(candidate.source.split("-")[1]) < options.articles:
            planted.setdefault(candidate.kind, candidate)
    for kind in ("reprint", "rewrite"):
        with tempfile.TemporaryDirectory() as folder:
            article = Path(folder) / f"new-{kind}.txt"
            article.write_text(planted[kind].article.text, encoding="utf-8")
            cold = drop_caches()
            first = check_once(options.index, article)
            warm = [check_once(options.index, article) for _ in range(options.runs)]
        first_run = "file cache dropped" if cold else "file cache not dropped"
        rows += [
            [f"check of a {kind}, first run ({first_run})",
             f"{first[0]:.2f} s, {first[1]:.0f} MB peak"],
            [f"check of a {kind}, warm (median of {options.runs})",
             f"{statistics.median(w[0] for w in warm):.2f} s, "
             f"{max(w[1] for w in warm):.0f} MB peak"],
            [f"the {kind}'s source found", f"{'yes' if planted[kind].source in first[2] else 'no'} "
             f"({len(first[2])} finding{'' if len(first[2]) == 1 else 's'})"],
        ]
    table = tabulate(rows, headers=["measure", "value"], tablefmt="github")
    print(table)
    if options.write:
        options.write.write_text(
            "# Index and check at scale\n\n`python benchmarks/index_check.py --articles "
            f"{options.articles}` (seed {options.seed}, synthetic 500-word articles):\n\n"
            + table + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

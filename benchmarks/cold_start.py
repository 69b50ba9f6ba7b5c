"""`check` of one new article as CI meets it: a fresh runner, nothing compiled yet, beside
the same check run again with numba's compiled code cached, in one run.

For each corpus: the first run (no index, no compiled code), the run a CI job makes with its
index restored from the cache but no compiled code (an empty ``NUMBA_CACHE_DIR``), and the
same again with the compiled code of that run cached (warm). Each is a fresh process, timed
whole, the median of ``--repeat`` runs; the new article pastes a paragraph of a corpus
article under a line of its own, so the check has a candidate to judge.

    python benchmarks/cold_start.py                  # the seed corpus and 2,000 articles
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from synthetic import generate
from tabulate import tabulate

ROOT = Path(__file__).resolve().parents[1]


def seed_corpus(folder: Path) -> Path:
    shutil.copytree(ROOT / "corpus", folder / "corpus")
    return folder / "corpus"


def synthetic_corpus(folder: Path, count: int) -> Path:
    corpus = folder / "corpus"
    corpus.mkdir()
    for planted in generate(count, seed=3, popularity=1.5):
        (corpus / f"{planted.article.id}.txt").write_text(planted.article.text,
                                                          encoding="utf-8")
    return corpus


def new_article(corpus: Path, place: Path) -> Path:
    first = sorted(corpus.glob("*.txt"))[0].read_text(encoding="utf-8").split("\n")
    place.write_text("A story of our own.\n\n" + "\n".join(first[:8]) + "\n", encoding="utf-8")
    return place


def timed_check(corpus: Path, article: Path, cache: Path) -> float:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "provenance", "check", str(article),
                           "--corpus", str(corpus), "--format", "json", "-q"],
                          cwd=corpus.parent, env={**os.environ, "NUMBA_CACHE_DIR": str(cache)},
                          capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise SystemExit(done.stderr)
    json.loads(done.stdout)
    return seconds


def measure(corpus: Path, repeat: int) -> list[float]:
    """Median seconds: first run (no index, nothing compiled), cold (index, nothing
    compiled), warm (index and compiled code cached)."""
    article = new_article(corpus, corpus.parent / "new-story.txt")
    index = corpus.parent / ".provenance"
    first, cold, warm = [], [], []
    for run in range(repeat):
        cache = corpus.parent / f"numba-cache-{run}"
        shutil.rmtree(index, ignore_errors=True)
        first.append(timed_check(corpus, article, cache))
        shutil.rmtree(cache, ignore_errors=True)
        cold.append(timed_check(corpus, article, cache))
        warm.append(timed_check(corpus, article, cache))
    return [statistics.median(times) for times in (first, cold, warm)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2_000,
                        help="size of the synthetic corpus (besides the seed corpus)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rows = []
    for name, make in (("seeds (5 articles)", seed_corpus),
                       (f"synthetic ({args.articles:,} articles)",
                        lambda folder: synthetic_corpus(folder, args.articles))):
        with tempfile.TemporaryDirectory() as folder:
            first, cold, warm = measure(make(Path(folder)), args.repeat)
        rows.append([name, f"{first:.2f}", f"{cold:.2f}", f"{warm:.2f}"])
    print(tabulate(rows, headers=["corpus", "first run (s)", "cold: index cached (s)",
                                  "warm (s)"]))


if __name__ == "__main__":
    main()

"""What bringing an index up to date with a corpus folder costs `provenance check`.

Writes a synthetic corpus as one text file per article, indexes it, then times the refresh
`check` runs first (:func:`provenance.store.folder.refresh_folder_index`) in three states of
the folder, beside the baseline of re-reading the whole folder (``update_index`` of every
article, as a refresh without the files' stored states would have to):

- nothing changed since the index was written;
- every file's time changed, not its bytes (a fresh git checkout, as in CI);
- ten files changed and one added (a pull request).

Each is the median of several runs in this process, the page cache warm.

    python benchmarks/folder_refresh.py --articles 20000
"""

from __future__ import annotations

import argparse
import itertools
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from synthetic import generate
from tabulate import tabulate

from provenance.config import Parameters
from provenance.results import IndexUpdate
from provenance.store.entries import update_index
from provenance.store.folder import RACY_NS, refresh_folder_index
from provenance.store.index import Index
from provenance.text.corpus import load_corpus

#: Files changed, and then one added, for the pull-request case.
CHANGED = 10


def write_corpus(folder: Path, count: int, seed: int) -> None:
    """``count`` synthetic articles, one file each, dated back far enough to be trusted."""
    folder.mkdir(parents=True)
    then = time.time() - 2 * RACY_NS / 1e9
    for planted in generate(count, seed):
        file = folder / f"{planted.article.id}.txt"
        file.write_text(planted.article.text + "\n", encoding="utf-8")
        os.utime(file, (then, then))


def timed(runs: int, prepare: Callable[[], None], work: Callable[[], IndexUpdate]
          ) -> tuple[float, IndexUpdate]:
    """The median seconds of ``work`` over ``runs``, each after ``prepare``; its last
    result."""
    seconds = []
    for _ in range(runs):
        prepare()
        started = time.perf_counter()
        update = work()
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds), update


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()
    params = Parameters()
    with tempfile.TemporaryDirectory() as place:
        folder = Path(place) / "corpus"
        write_corpus(folder, options.articles, options.seed)
        files = sorted(folder.iterdir())
        with Index.open(Path(place) / "index.db", params) as index:
            started = time.perf_counter()
            refresh_folder_index(folder, index, params)
            build = time.perf_counter() - started

            def refresh() -> IndexUpdate:
                return refresh_folder_index(folder, index, params)

            def reread() -> IndexUpdate:
                return update_index(load_corpus([folder]).articles, index, params)

            def nothing() -> None:
                pass

            def checkout() -> None:  # new times, the same bytes
                moment = time.time() - 2 * RACY_NS / 1e9
                for file in files:
                    os.utime(file, (moment, moment))

            edits = itertools.count()

            def pull_request() -> None:
                edit = next(edits)
                for file in files[:CHANGED]:
                    with file.open("a", encoding="utf-8") as opened:
                        opened.write(f"Corrected at {edit}.\n")
                (folder / f"added-{edit}.txt").write_text(files[-1].read_text("utf-8")
                                                          + f"Added {edit}.\n", "utf-8")

            rows = [["index built from the folder", f"{build:.2f} s", ""]]
            for case, prepare in (("nothing changed", nothing),
                                  ("every file's time changed (fresh checkout)", checkout),
                                  (f"{CHANGED} files changed, one added", pull_request)):
                ours, update = timed(options.runs, prepare, refresh)
                baseline, _ = timed(options.runs, prepare, reread)
                rows.append([case, f"{ours:.3f} s ({update.fingerprinted} fingerprinted)",
                             f"{baseline:.3f} s ({baseline / ours:.0f}x)"])
    print(f"{options.articles:,} synthetic articles, one file each; medians of "
          f"{options.runs} runs\n")
    print(tabulate(rows, headers=["folder", "refresh from file states",
                                  "re-reading every file (ratio)"], tablefmt="github"))


if __name__ == "__main__":
    main()

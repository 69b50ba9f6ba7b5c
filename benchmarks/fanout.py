"""The scan's cost under wire fan-out: does it grow linearly with articles?

A synthetic corpus whose wire stories are popular by a Zipf law (a few reprinted hundreds of
times, as popular wire stories are; see :func:`synthetic.generate`), published a minute
apart. The first half and the whole are scanned in one run, and for each the table prints
the candidate pairs judged, the seconds, and the share of the planted reprints and rewrites
that lineage finds (it names a source of their story) and traces to their very source (the
generator's rewrites of one story swap the same words, so a later rewrite matches an
earlier one better than the story, and is traced to it). ``--baseline`` scans both again
judging every related pair (``scan --all-pairs``), the cost before each article was judged
against its few best source candidates only.

    python benchmarks/fanout.py                     # 10,000 then 20,000 articles
    python benchmarks/fanout.py 2000 --baseline     # 1,000 then 2,000, and every pair
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence

from synthetic import Planted, generate
from tabulate import tabulate

from provenance.config import Parameters
from provenance.model import Article
from provenance.results import ScanResult
from provenance.scanning import scan

#: The Zipf exponent of the stories' popularity: most are reprinted a few times, a few
#: hundreds of times.
POPULARITY = 1.5


def traced(result: ScanResult, planted: Sequence[Planted]) -> tuple[int, int, int]:
    """Of the planted reprints and rewrites: how many lineage finds (gives a source of their
    story: their source, or another copy of it), how many it traces to their very source,
    and how many there are."""
    story = {p.article.id: p.source or p.article.id for p in planted}
    derived = [p for p in planted if p.source is not None]
    sources = [result.lineage.of(p.article.id).source for p in derived]
    found = sum(source is not None and story.get(source) == p.source
                for p, source in zip(derived, sources, strict=True))
    exact = sum(source == p.source for p, source in zip(derived, sources, strict=True))
    return found, exact, len(derived)


def timed_scan(articles: Sequence[Article], params: Parameters, jobs: int
               ) -> tuple[ScanResult, float]:
    started = time.perf_counter()
    result = scan(articles, params, jobs=jobs)
    return result, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int, nargs="?", default=20_000,
                        help="articles in the whole corpus (its first half is scanned too)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--baseline", action="store_true",
                        help="also judge every related pair, as scan --all-pairs does")
    options = parser.parse_args()
    planted = list(generate(options.count, options.seed, popularity=POPULARITY, dated=True))
    widest = max(sum(p.source == q.source for q in planted if q.source) for p in planted
                 if p.source) if any(p.source for p in planted) else 0
    modes = [("best source candidates", Parameters())]
    if options.baseline:
        modes.append(("every pair", Parameters(source_candidates=None)))
    rows = []
    for mode, params in modes:
        times = []
        for count in (options.count // 2, options.count):
            result, seconds = timed_scan([p.article for p in planted[:count]], params,
                                         options.jobs)
            found, exact, cases = traced(result, planted[:count])
            times.append(seconds)
            rows.append([mode, f"{count:,}", f"{result.candidates:,}", f"{seconds:.1f}",
                         f"{found / max(cases, 1):.3f}", f"{exact / max(cases, 1):.3f}"])
        rows[-1].append(f"{times[1] / times[0]:.2f}")
    print(f"Zipf-popular stories (exponent {POPULARITY}): the most reprinted story has "
          f"{widest:,} reprints and rewrites; {options.jobs} jobs.")
    print(tabulate(rows, headers=["judged", "articles", "pairs judged", "seconds",
                                  "copies found", "to their source", "whole / half"],
                   disable_numparse=True))


if __name__ == "__main__":
    main()

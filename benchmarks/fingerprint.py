"""Fingerprinting throughput: provenance's batched numpy MinHash vs datasketch, same run.

The baseline is how datasketch is usually driven: build each word 5-shingle as a string and
call ``MinHash.update()`` once per shingle (SHA-1 hashing, datasketch's default). Also shown:
``MinHash.bulk`` given the same shingle strings. Ours runs the whole path from raw text:
normalisation, words, xxh3 hashes, shingles and signatures.

    python benchmarks/fingerprint.py                    # print the table
    python benchmarks/fingerprint.py --write reports/benchmarks.md
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from datasketch import MinHash
from tabulate import tabulate

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import articles

from provenance.config import Parameters
from provenance.pipeline import fingerprint

K = 5


def shingle_strings(text: str) -> list[bytes]:
    words = text.lower().split()
    return [" ".join(words[i : i + K]).encode() for i in range(len(words) - K + 1)]


def datasketch_update_loop(texts: Sequence[str]) -> None:
    for text in texts:
        minhash = MinHash(num_perm=128, seed=1)
        for shingle in shingle_strings(text):
            minhash.update(shingle)


def datasketch_bulk(texts: Sequence[str]) -> None:
    MinHash.bulk([shingle_strings(text) for text in texts], num_perm=128, seed=1)


def provenance_fingerprint(texts: Sequence[str]) -> None:
    fingerprint([str(n) for n in range(len(texts))], texts, Parameters())


def median_rate(run: Callable[[Sequence[str]], None], texts: Sequence[str], repeats: int
                ) -> float:
    """Median articles per second over ``repeats`` timed runs."""
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        run(texts)
        times.append(time.perf_counter() - started)
    return len(texts) / statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=5000, help="articles for provenance")
    parser.add_argument("--baseline-articles", type=int, default=300,
                        help="articles for the (slow) datasketch update loop")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--write", type=Path, help="also write the table as Markdown here")
    options = parser.parse_args()

    texts = list(articles(options.articles, words=500, seed=42))
    baseline_texts = texts[: options.baseline_articles]
    fingerprint(["warm-up"], texts[:1], Parameters())  # compile the word pattern once

    rates = {
        "datasketch MinHash.update() per shingle": median_rate(
            datasketch_update_loop, baseline_texts, options.repeats),
        "datasketch MinHash.bulk": median_rate(datasketch_bulk, baseline_texts, options.repeats),
        "provenance fingerprint (1 process)": median_rate(
            provenance_fingerprint, texts, options.repeats),
    }
    baseline = rates["datasketch MinHash.update() per shingle"]
    rows = [[name, f"{rate:,.0f}", f"{rate / baseline:.1f}x"] for name, rate in rates.items()]
    table = tabulate(rows, headers=["method (500-word articles, 128 perms, k=5)",
                                    "articles/s (median)", "vs update loop"],
                     tablefmt="github", disable_numparse=True)
    print(table)
    if options.write:
        options.write.write_text(
            "# Benchmarks\n\nFingerprinting, one core, medians of "
            f"{options.repeats} runs ({options.articles} synthetic articles for provenance, "
            f"{options.baseline_articles} for datasketch). Produced by "
            "`python benchmarks/fingerprint.py --write reports/benchmarks.md`.\n\n"
            + table + "\n"
        )


if __name__ == "__main__":
    main()

"""How well the scan finds labelled reuse: recall per label on a labelled dataset folder.

A folder holds ``articles.jsonl`` and ``pairs.jsonl`` (source, derived, label), the format of
the shared datasets. For each label: how many pairs the candidate stage proposes, how many
the scan reports, the recall among pairs whose shorter article is at least 30% contained in
the other (the reuse the containment index promises to find), and the mean containments.

    python benchmarks/recall.py ../shared/datasets/counter-dev
"""

from __future__ import annotations

import argparse
import json
import statistics
from pathlib import Path

import numpy as np
from tabulate import tabulate

from provenance.config import Parameters
from provenance.corpus import load_corpus
from provenance.pipeline import article_bodies, candidates, fingerprint, overlap, scan

CONTAINED = 0.3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    options = parser.parse_args()
    params = Parameters()
    articles = sorted(load_corpus([options.folder / "articles.jsonl"]).articles,
                      key=lambda article: article.id)
    position = {article.id: index for index, article in enumerate(articles)}
    fingerprints = fingerprint([a.id for a in articles], article_bodies(articles), params)
    proposed = {tuple(pair) for pair in candidates(fingerprints, params).tolist()}
    reported = {(pair.a, pair.b) for pair in scan(articles, params).pairs}

    by_label: dict[str, list[dict[str, float]]] = {}
    for line in (options.folder / "pairs.jsonl").read_text().splitlines():
        labelled = json.loads(line)
        i, j = position[labelled["source"]], position[labelled["derived"]]
        _, source_in_derived, derived_in_source = overlap(fingerprints[i].shingles,
                                                          fingerprints[j].shingles)
        shorter = np.unique(fingerprints[i].shingles).size <= np.unique(
            fingerprints[j].shingles).size
        low, high = sorted((i, j))
        by_label.setdefault(labelled["label"], []).append({
            "proposed": (low, high) in proposed,
            "reported": (articles[low].id, articles[high].id) in reported,
            "shorter_contained": (source_in_derived if shorter else derived_in_source),
            "derived_in_source": derived_in_source,
            "max_containment": max(source_in_derived, derived_in_source),
        })

    rows = []
    for label, pairs in sorted(by_label.items()):
        contained = [p for p in pairs if p["shorter_contained"] >= CONTAINED]
        rows.append([
            label, len(pairs),
            f"{statistics.mean(p['proposed'] for p in pairs):.3f}",
            f"{statistics.mean(p['reported'] for p in pairs):.3f}",
            f"{len(contained)}: " + (f"{statistics.mean(p['proposed'] for p in contained):.3f}"
                                     if contained else "-"),
            f"{statistics.mean(p['derived_in_source'] for p in pairs):.3f}",
            f"{statistics.mean(p['max_containment'] for p in pairs):.3f}",
        ])
    print(tabulate(rows, headers=[
        "label", "pairs", "candidate recall", "reported recall",
        f"shorter >= {CONTAINED}: n, candidate recall", "mean derived-in-source",
        "mean max containment"], tablefmt="github", disable_numparse=True))
    print(f"\n{len(articles)} articles, {len(proposed)} candidate pairs, {len(reported)} "
          f"reported (threshold {params.min_containment}).")


if __name__ == "__main__":
    main()

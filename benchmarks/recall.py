"""How well the scan finds labelled reuse: recall per label on a labelled dataset folder.

A folder holds ``articles.jsonl`` and ``pairs.jsonl`` (source, derived, label), the format of
the shared datasets. For each label: how many pairs each candidate stage proposes (verbatim:
LSH and the containment index; rewrite: the rare-word index), how many the scan reports
(related by containment, or judged derived), and how many it judges derived.

    python benchmarks/recall.py ../shared/datasets/counter-dev
"""

from __future__ import annotations

import argparse
import json
import statistics

from labelled import labelled_folder
from tabulate import tabulate

from provenance.agencies import load_registry
from provenance.candidates import candidate_pairs
from provenance.config import Parameters
from provenance.corpus import load_corpus
from provenance.pipeline import article_bodies, scan, survey_corpus
from provenance.survey import ScanInput


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=labelled_folder)
    options = parser.parse_args()
    params = Parameters()
    articles = sorted(load_corpus([options.folder / "articles.jsonl"]).articles,
                      key=lambda article: article.id)
    position = {article.id: index for index, article in enumerate(articles)}
    corpus = ScanInput(articles, article_bodies(articles), params, load_registry())
    survey, words, _ = survey_corpus(corpus, jobs=1)
    found = candidate_pairs(survey, words, params)
    verbatim, rewrite = ({tuple(p) for p in pairs.tolist()} for pairs in found)
    result = scan(articles, params)
    reported = {(pair.a, pair.b): pair for pair in result.pairs}

    by_label: dict[str, list[dict[str, bool]]] = {}
    for line in (options.folder / "pairs.jsonl").read_text().splitlines():
        labelled = json.loads(line)
        i, j = sorted((position[labelled["source"]], position[labelled["derived"]]))
        pair = reported.get((articles[i].id, articles[j].id))
        by_label.setdefault(labelled["label"], []).append({
            "verbatim": (i, j) in verbatim,
            "rewrite": (i, j) in rewrite,
            "either": (i, j) in verbatim | rewrite,
            "reported": pair is not None,
            "derived": bool(pair and pair.verdict and pair.verdict.reused),
        })

    columns = ("verbatim", "rewrite", "either", "reported", "derived")
    rows = [[label, len(pairs), *(f"{statistics.mean(p[c] for p in pairs):.3f}"
                                  for c in columns)]
            for label, pairs in sorted(by_label.items())]
    print(tabulate(rows, headers=["label", "pairs", "verbatim candidates",
                                  "rewrite candidates", "either stage", "reported",
                                  "judged derived"],
                   tablefmt="github", disable_numparse=True))
    print(f"\n{len(articles)} articles; {len(verbatim)} verbatim and {len(rewrite)} rewrite "
          f"candidate pairs ({len(verbatim | rewrite)} in all, of "
          f"{len(articles) * (len(articles) - 1) // 2} possible); {len(result.pairs)} reported.")


if __name__ == "__main__":
    main()

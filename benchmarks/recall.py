"""How well the scan finds labelled reuse: recall per label on a labelled dataset folder.

A folder holds ``articles.jsonl`` and ``pairs.jsonl`` (source, derived, label), the format of
the shared datasets. For each label: how many pairs each candidate stage of a scan proposes
(verbatim: LSH and the containment index; rewrite: the rare-word index), how many the scan
reports (related by containment, or judged derived), and how many it judges derived; and how
many `check` proposes, the derived article looked up in an index of the folder (its copy
keys and its words).

    python benchmarks/recall.py ../shared/datasets/counter-dev
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
from pathlib import Path

from labelled import labelled_folder
from tabulate import tabulate

from provenance.attribution.agencies import load_registry
from provenance.candidates.minhash import Permutations
from provenance.candidates.pairs import candidate_pairs
from provenance.candidates.survey import ScanInput
from provenance.ci.workflow import indexed_candidates
from provenance.config import Parameters
from provenance.model import Article
from provenance.scanning import scan, survey_corpus
from provenance.store.entries import update_index
from provenance.store.index import Index
from provenance.text.bodies import article_bodies
from provenance.text.corpus import load_corpus
from provenance.text.document import read_document


def check_candidates(articles: list[Article], params: Parameters) -> dict[str, set[str]]:
    """The ids of the indexed articles `check` proposes for each article, looked up in an
    index of all of them (never itself)."""
    permutations = Permutations.create(params.num_perm, params.seed)
    bodies = article_bodies(articles)
    with tempfile.TemporaryDirectory() as folder, \
            Index.open(Path(folder) / "index.db", params) as index:
        update_index(articles, index, params)
        proposed = {}
        for article, body in zip(articles, bodies, strict=True):
            copies, rewrites = indexed_candidates(
                article.id, read_document(article.text, body, params), index, params,
                permutations)
            proposed[article.id] = {s.article.id for s in copies + rewrites}
    return proposed


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
    proposed_by_check = check_candidates(articles, params)
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
            "check": labelled["source"] in proposed_by_check[labelled["derived"]],
        })

    columns = ("verbatim", "rewrite", "either", "reported", "derived", "check")
    rows = [[label, len(pairs), *(f"{statistics.mean(p[c] for p in pairs):.3f}"
                                  for c in columns)]
            for label, pairs in sorted(by_label.items())]
    print(tabulate(rows, headers=["label", "pairs", "verbatim candidates",
                                  "rewrite candidates", "either stage", "reported",
                                  "judged derived", "check candidates"],
                   tablefmt="github", disable_numparse=True))
    print(f"\n{len(articles)} articles; {len(verbatim)} verbatim and {len(rewrite)} rewrite "
          f"candidate pairs ({len(verbatim | rewrite)} in all, of "
          f"{len(articles) * (len(articles) - 1) // 2} possible); {len(result.pairs)} reported.")


if __name__ == "__main__":
    main()

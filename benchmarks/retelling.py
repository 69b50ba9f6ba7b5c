"""What the retelling rule (``provenance/verdict/retelling.py``) does to verdicts on labelled
pairs: judged with it and, side by side in the same run, with it switched off.

For each labelled folder (``articles.jsonl`` and ``pairs.jsonl``, the format of the shared
datasets), every labelled pair is judged as a scan judges it (models, discounts, and the
rule), in two settings:

- **whole corpus**: term weights learned from all the folder's articles, as a scan of the
  folder would;
- **each pair alone**: each pair a corpus of its own, the smallest one-story folder, where
  term weights tell a story's names from grammar words least.

It prints, of the pairs labelled derived (any extent or form but none), how many the
verdict finds reuse in (``found``), and of the pairs labelled not derived, how many it
claims reuse in (``claimed``). The shipped models were fitted on the shared datasets, so
their part is in-sample; the rule's difference is what this measures.

    python benchmarks/retelling.py ../shared/datasets/counter-dev \\
        ../shared/datasets/clough-stevenson
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

from labelled import labelled_folder
from tabulate import tabulate

from provenance.attribution.agencies import load_registry
from provenance.config import Parameters
from provenance.evaluation import read_pairs
from provenance.model import Article
from provenance.text.bodies import article_bodies
from provenance.text.corpus import load_corpus
from provenance.text.document import read_corpus
from provenance.verdict import judging
from provenance.verdict.direction import ArticleFacts
from provenance.verdict.features import weigh
from provenance.verdict.judging import judged_pair
from provenance.verdict.models import load_calibration

#: Labels of pairs in which no text was taken (COUNTER's and Clough-Stevenson's).
NOT_DERIVED = ("ND", "non")


@contextmanager
def rule_switched_off() -> Iterator[None]:
    """Judging as it was without the retelling rule: no pair is taken for a retelling."""
    with mock.patch.object(judging, "retelling", lambda *_: None):
        yield


def reused(articles: Sequence[Article], pairs: Sequence[tuple[str, str]]) -> list[bool]:
    """For each ``(source, derived)`` pair, whether its verdict finds reuse, with term
    weights learned from ``articles``."""
    params, calibration, registry = Parameters(), load_calibration(), load_registry()
    documents, weights = read_corpus(articles, article_bodies(articles), params)
    by_id = {article.id: (article, weigh(document, weights))
             for article, document in zip(articles, documents, strict=True)}
    facts = {article.id: ArticleFacts.of(article, (), registry) for article in articles}
    found = []
    for source, derived in pairs:
        (a, doc_a), (b, doc_b) = by_id[source], by_id[derived]
        _, verdict = judged_pair(a, b, doc_a, doc_b, params, calibration, facts)
        found.append(verdict.reused)
    return found


def judged(folder: Path, alone: bool) -> list[bool]:
    """Whether each labelled pair of ``folder`` is judged reused (``alone``: each pair a
    corpus of its own)."""
    articles = {a.id: a for a in load_corpus([folder / "articles.jsonl"], strict=True).articles}
    pairs = [(p.source, p.derived) for p in read_pairs(folder / "pairs.jsonl")]
    if not alone:
        return reused(list(articles.values()), pairs)
    return [reused([articles[source], articles[derived]], [(source, derived)])[0]
            for source, derived in pairs]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folders", nargs="+", type=labelled_folder)
    args = parser.parse_args()
    rows = []
    for folder in args.folders:
        derived = [p.label not in NOT_DERIVED for p in read_pairs(folder / "pairs.jsonl")]
        for alone in (False, True):
            with rule_switched_off():
                before = judged(folder, alone)
            after = judged(folder, alone)
            counts = []
            for found in (before, after):
                counts.append(sum(f for f, d in zip(found, derived, strict=True) if d))
                counts.append(sum(f for f, d in zip(found, derived, strict=True) if not d))
            rows.append([folder.name, "each pair alone" if alone else "whole corpus",
                         f"{counts[0]} of {sum(derived)}", f"{counts[2]} of {sum(derived)}",
                         f"{counts[1]} of {derived.count(False)}",
                         f"{counts[3]} of {derived.count(False)}"])
    print(tabulate(rows, headers=["folder", "corpus", "found, without", "found, with rule",
                                  "claimed, without", "claimed, with rule"]))


if __name__ == "__main__":
    main()

"""Retellings in a one-story folder: found by the order of their sentences, and only there."""

from __future__ import annotations

import dataclasses

from provenance.config import Parameters
from provenance.model import Article
from provenance.scanning import compare
from provenance.text.bodies import article_bodies
from provenance.text.corpus import load_corpus
from provenance.text.document import read_corpus
from provenance.text.terms import SMALL_CORPUS
from provenance.verdict.features import Measurement, measure, weigh
from provenance.verdict.models import Decision
from provenance.verdict.retelling import RETOLD_CONFIDENCE, retold

from .conftest import ROOT

#: An APP story, its reprints, and a paper's retelling of it in other words, sentence by
#: sentence (from the scenario suite).
URDU_APP = ROOT / "benchmarks" / "scenarios" / "urdu-app"


def story() -> dict[str, Article]:
    return {article.id: article for article in load_corpus([URDU_APP]).articles}


def measured(articles: list[Article], source: str, derived: str) -> Measurement:
    documents, weights = read_corpus(articles, article_bodies(articles), Parameters())
    weighed = {article.id: weigh(document, weights)
               for article, document in zip(articles, documents, strict=True)}
    return measure(weighed[source], weighed[derived], 5, 3)


def test_a_retelling_in_a_one_story_folder_derives_from_its_source() -> None:
    articles = story()
    _, verdict = compare(articles["app-original.md"], articles["jahan-e-nau.md"],
                         list(articles.values()))
    assert (verdict.extent, verdict.form) == ("partially", "heavy")
    assert (verdict.direction.source, verdict.direction.derived) == ("app-original.md",
                                                                     "jahan-e-nau.md")
    # Its evidence: most of its sentences, each answering the source's in turn.
    assert verdict.features["aligned_share"] >= 0.6 and len(verdict.sentences) >= 8
    starts = [sentence.source_start for sentence in verdict.sentences]
    assert starts == sorted(starts)


def test_the_same_sentences_out_of_order_are_no_retelling() -> None:
    articles = story()
    paragraphs = articles["jahan-e-nau.md"].text.split("\n\n")
    shuffled = Article("shuffled.md", "\n\n".join(paragraphs[:3] + paragraphs[:2:-1]))
    others = [a for a in articles.values() if a.id != "jahan-e-nau.md"]
    _, verdict = compare(articles["app-original.md"], shuffled, [*others, shuffled])
    assert verdict.extent == "none"


def test_the_rule_holds_in_small_corpora_only_and_never_for_verbatim_copy() -> None:
    articles = list(story().values())
    measurement = measured(articles, "app-original.md", "jahan-e-nau.md")
    none: Decision = ("none", "none", 0.8)
    found, decision = retold(measurement, none, len(articles))
    assert decision == ("partially", "heavy", RETOLD_CONFIDENCE)
    assert found.features["aligned_share"] > measurement.features["aligned_share"]
    assert found.aligned_derived.size > measurement.aligned_derived.size
    # In a corpus of many stories the weights tell names apart: the models decide.
    assert retold(measurement, none, SMALL_CORPUS + 1) == (measurement, none)
    # A verbatim copy is shown by its passages and its closest sentences.
    verbatim: Decision = ("wholly", "verbatim", 0.9)
    assert retold(measurement, verbatim, len(articles)) == (measurement, verbatim)
    # A retelling the models find keeps their verdict, with the retelling's evidence.
    heavy: Decision = ("partially", "heavy", 0.7)
    assert retold(measurement, heavy, len(articles))[1] == heavy


def test_too_little_in_order_is_no_retelling() -> None:
    articles = list(story().values())
    measurement = measured(articles, "app-original.md", "jahan-e-nau.md")
    # Keep only the first three sentences' similarities: too little of it told again.
    grid = measurement.sentence_grid.copy()
    grid[:, 3:] = 0.0
    thin = dataclasses.replace(measurement, sentence_grid=grid)
    none: Decision = ("none", "none", 0.8)
    assert retold(thin, none, len(articles)) == (thin, none)

"""Retellings: found by the order of their sentences and how much of the source they tell."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from provenance.cli import main
from provenance.config import Parameters
from provenance.model import Article
from provenance.scanning import compare
from provenance.text.bodies import article_bodies
from provenance.text.corpus import load_corpus
from provenance.text.document import read_corpus
from provenance.verdict.features import Measurement, measure, weigh
from provenance.verdict.models import Decision
from provenance.verdict.retelling import RETOLD_CONFIDENCE, retelling, retold_decision

from .conftest import ROOT, prose

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


def test_a_retelling_derives_from_its_source() -> None:
    articles = story()
    _, verdict = compare(articles["app-original.md"], articles["jahan-e-nau.md"],
                         list(articles.values()))
    assert (verdict.extent, verdict.form, verdict.retold) == ("partially", "heavy", True)
    assert (verdict.direction.source, verdict.direction.derived) == ("app-original.md",
                                                                     "jahan-e-nau.md")
    # Its evidence: most of its sentences, each answering the source's in turn.
    assert verdict.features["aligned_share"] >= 0.6 and len(verdict.sentences) >= 8
    starts = [sentence.source_start for sentence in verdict.sentences]
    assert starts == sorted(starts)


def test_a_reprint_is_shown_by_its_closest_sentences() -> None:
    articles = story()
    _, verdict = compare(articles["app-original.md"], articles["subh-e-watan.md"],
                         list(articles.values()))
    assert verdict.form == "verbatim" and not verdict.retold


def test_the_same_sentences_out_of_order_are_no_retelling() -> None:
    articles = story()
    paragraphs = articles["jahan-e-nau.md"].text.split("\n\n")
    shuffled = Article("shuffled.md", "\n\n".join(paragraphs[:3] + paragraphs[:2:-1]))
    others = [a for a in articles.values() if a.id != "jahan-e-nau.md"]
    _, verdict = compare(articles["app-original.md"], shuffled, [*others, shuffled])
    assert verdict.extent == "none"


def test_a_retelling_is_measured_alike_but_never_for_verbatim_copy() -> None:
    articles = list(story().values())
    measurement = measured(articles, "app-original.md", "jahan-e-nau.md")
    plain = np.zeros(measurement.source.word_count, dtype=bool)
    none: Decision = ("none", "none", 0.8)
    found = retelling(measurement, none, plain)
    assert found is not None and found.tells_source
    assert found.measurement.features["aligned_share"] > measurement.features["aligned_share"]
    assert found.measurement.aligned_derived.size > measurement.aligned_derived.size
    assert retold_decision(none) == ("partially", "heavy", RETOLD_CONFIDENCE)
    heavy: Decision = ("partially", "heavy", 0.7)
    assert retold_decision(heavy) == heavy
    # A verbatim copy is shown by its passages and its closest sentences.
    assert retelling(measurement, ("wholly", "verbatim", 0.9), plain) is None


def test_a_retelling_tells_most_of_its_source_outside_boilerplate() -> None:
    articles = story()
    original = articles["app-original.md"]
    # The source closes with as much text again that the retelling does not tell.
    closing = "\n\n".join(prose(seed, 60) for seed in range(8))
    longer = Article(original.id, f"{original.text}\n\n{closing}", outlet=original.outlet)
    corpus = [longer, *(a for a in articles.values() if a.id != original.id)]
    measurement = measured(corpus, original.id, "jahan-e-nau.md")
    none: Decision = ("none", "none", 0.8)
    plain = np.zeros(measurement.source.word_count, dtype=bool)
    found = retelling(measurement, none, plain)
    assert found is not None and not found.tells_source
    # As a release's boilerplate (an About section, contacts), it is no story to tell.
    boilerplate = plain.copy()
    boilerplate[measurement.source.words.starts >= len(original.text)] = True
    found = retelling(measurement, none, boilerplate)
    assert found is not None and found.tells_source


def test_a_source_all_boilerplate_tells_nothing_to_retell() -> None:
    articles = list(story().values())
    measurement = measured(articles, "app-original.md", "jahan-e-nau.md")
    boilerplate = np.ones(measurement.source.word_count, dtype=bool)
    found = retelling(measurement, ("none", "none", 0.8), boilerplate)
    assert found is not None and not found.tells_source


def test_briefs_of_a_sentence_or_two_say_nothing_of_order() -> None:
    # Two briefs of one quake, written apart, telling it alike in a sentence or two.
    first = Article("first.md", "A magnitude 6.1 earthquake struck off the coast of Hokkaido "
                    "on Tuesday morning, the Japan Meteorological Agency said. No tsunami "
                    "warning was issued and there were no immediate reports of damage.")
    second = Article("second.md", "Residents of Kushiro said shelves toppled and power "
                     "briefly failed when the 6.1 tremor hit Hokkaido, while officials at the "
                     "Japan Meteorological Agency ruled out a tsunami.")
    _, verdict = compare(first, second, [first, second])
    assert verdict.extent == "none" and not verdict.retold


def test_too_little_in_order_is_no_retelling() -> None:
    articles = list(story().values())
    measurement = measured(articles, "app-original.md", "jahan-e-nau.md")
    # Keep only the first three sentences' similarities: too little of it told again.
    grid = measurement.sentence_grid.copy()
    grid[:, 3:] = 0.0
    thin = dataclasses.replace(measurement, sentence_grid=grid)
    plain = np.zeros(measurement.source.word_count, dtype=bool)
    assert retelling(thin, ("none", "none", 0.8), plain) is None


def test_check_says_a_finding_rests_on_a_retelling(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(URDU_APP, tmp_path / "corpus")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["check", "corpus/jahan-e-nau.md", "--corpus", "corpus"])
    assert result.exit_code == 1, result.output  # an uncredited retelling fails
    assert ("uncredited-reuse: partially derived from app-original.md (heavy, retold in the "
            "source's order") in result.stdout

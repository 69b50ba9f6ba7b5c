from __future__ import annotations

from pathlib import Path

import pytest

from provenance.config import Parameters
from provenance.text.bodies import article_bodies
from provenance.text.corpus import load_corpus
from provenance.text.document import Document, read_document
from provenance.text.terms import CorpusWeights
from provenance.verdict.features import FEATURES, measure, weigh

from .conftest import prose


def _measure(source: Document, derived: Document, *others: Document) -> dict[str, float]:
    weights = CorpusWeights.fit([d.terms for d in (source, derived, *others)])
    return measure(weigh(source, weights), weigh(derived, weights), 5, 3).features


def _document(text: str) -> Document:
    return read_document(text, text, Parameters())


def test_a_copy_measures_one_everywhere_and_every_feature_is_present() -> None:
    story = _document(". ".join(prose(seed, 20) for seed in range(6)) + ".")
    features = _measure(story, story, _document(prose(9, 200)))
    assert tuple(features) == FEATURES
    for name in FEATURES:
        if name not in ("mean_passage_words", "edited_in_passages", "length_ratio"):
            assert features[name] == pytest.approx(1.0), name
    assert features["length_ratio"] == pytest.approx(0.0)
    assert features["edited_in_passages"] == 0.0


def test_a_light_edit_shows_as_words_changed_inside_the_passages() -> None:
    words = prose(3, 400).split()
    # One word in ten replaced: the copied passages bridge each change.
    edited = [f"changed{n}" if n % 10 == 5 else word for n, word in enumerate(words)]
    source, derived = _document(" ".join(words)), _document(" ".join(edited))
    features = _measure(source, derived, _document(prose(9, 200)))
    assert features["passage_coverage"] > 0.9
    assert features["edited_in_passages"] == pytest.approx(0.1, abs=0.01)
    assert features["shingle_containment"] < 0.6


def test_unrelated_texts_measure_near_zero() -> None:
    features = _measure(_document(prose(1, 300)), _document(prose(2, 300)))
    assert features["shingle_containment"] == 0.0 and features["aligned_share"] == 0.0
    assert features["word_containment"] < 0.2


def test_the_seed_rewrites_align_far_better_than_seeds_reporting_the_same_event(
        corpus_dir: Path) -> None:
    articles = sorted(load_corpus([corpus_dir]).articles, key=lambda a: a.id)
    documents = [_document_of(a.text, body)
                 for a, body in zip(articles, article_bodies(articles), strict=True)]
    weights = CorpusWeights.fit([d.terms for d in documents])

    def aligned(i: int, j: int) -> float:
        return measure(weigh(documents[i], weights), weigh(documents[j], weights), 5,
                       3).features["aligned_share"]

    rewrite = aligned(0, 4)
    same_event = [aligned(i, j) for i in range(5) for j in range(5)
                  if i != j and {i, j} != {0, 4}]
    assert rewrite > 0.4 and rewrite > 2 * max(same_event)


def _document_of(text: str, body: str) -> Document:
    return read_document(text, body, Parameters())

from __future__ import annotations

import json
import math
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from provenance.errors import CalibrationError
from provenance.verdict.calibrate import (
    L2,
    L2_CHOICES,
    Example,
    cross_validate,
    fit_calibration,
    fit_confidence_map,
    fit_logistic,
    fold_of_groups,
    grading_penalty,
)
from provenance.verdict.features import FEATURES
from provenance.verdict.models import (
    COPIED_PASSAGE_WORDS,
    COPIED_SHARE,
    ConfidenceMap,
    decide,
    load_calibration,
)


def _reuse_examples(language: str, boundary: float, count: int, seed: int) -> list[Example]:
    """Synthetic pairs in one language, reused when they share more than ``boundary``."""
    generator = np.random.default_rng(seed)
    examples = []
    for index in range(count):
        shared = generator.uniform()
        label = "none" if shared < boundary else "partially"
        features = {name: float(np.clip(shared + generator.normal(0, 0.03), 0, 1))
                    for name in FEATURES}
        examples.append(Example(language, f"{language}{index % 30}", "extent", label, features,
                                language))
    return examples


def _examples(seed: int, count: int) -> list[Example]:
    """Synthetic extent-labelled pairs: the more shared, the more derived (noise added)."""
    generator = np.random.default_rng(seed)
    examples = []
    for index in range(count):
        shared = generator.uniform()
        label = "none" if shared < 0.3 else "partially" if shared < 0.7 else "wholly"
        features = {name: float(np.clip(shared + generator.normal(0, 0.05), 0, 1))
                    for name in FEATURES}
        examples.append(Example("synthetic", f"s{index % 40}", "extent", label, features))
    return examples


def test_logistic_fit_separates_separable_classes() -> None:
    rows = np.array([[0.0], [0.1], [0.2], [0.8], [0.9], [1.0]])
    labels = np.array([0, 0, 0, 1, 1, 1])
    model = fit_logistic(np.hstack([rows] * len(FEATURES)), labels, ("none", "reused"))
    probabilities = model.probabilities(np.hstack([np.array([[0.05], [0.95]])] * len(FEATURES)))
    assert probabilities[0, 0] > 0.8 and probabilities[1, 1] > 0.8


def test_fitting_extent_labels_keeps_the_base_form_model() -> None:
    base = load_calibration()
    examples = _examples(1, 200)
    fitted = fit_calibration(examples, base, {"fitted_on": ["synthetic"]})
    assert fitted.models.form == base.models.form
    assert fitted.models.reuse != base.models.reuse
    assert fitted.models.extent != base.models.extent
    derived = sum(e.label != "none" for e in examples)
    assert fitted.provenance["fitted_models"] == {"reuse": 200, "extent": derived}
    # No language named: the models for any are fitted anew, the base's own models of
    # each language, which these labels do not inform, kept.
    assert fitted.languages.keys() == base.languages.keys()
    assert all(fitted.languages[code].reuse == base.languages[code].reuse
               and fitted.languages[code].extent == fitted.models.extent
               for code in base.languages)
    assert fitted.provenance["fitted_on"] == ["synthetic"]
    assert decide({name: 0.95 for name in FEATURES}, fitted)[0] == "wholly"
    assert decide({name: 0.05 for name in FEATURES}, fitted)[0] == "none"


def test_without_a_base_every_model_needs_labels() -> None:
    with pytest.raises(CalibrationError, match="form"):
        fit_calibration(_examples(2, 100), None)


def test_groups_are_held_out_whole() -> None:
    groups = [f"g{i % 23}" for i in range(200)]
    fold = fold_of_groups(groups, 10)
    for group in set(groups):
        assert len({int(f) for f, g in zip(fold, groups, strict=True) if g == group}) == 1
    assert set(fold.tolist()) == set(range(10))


def test_cross_validation_predicts_every_example_from_other_groups() -> None:
    examples = _examples(3, 240)
    predictions = cross_validate(examples, load_calibration())
    hits = sum(p[0] == e.label for p, e in zip(predictions, examples, strict=True))
    assert hits / len(examples) > 0.8


def test_each_language_with_enough_labels_gets_its_own_line_between_reuse_and_none() -> None:
    # In one language pairs that share 40% are reused; in the other, unrelated.
    examples = _reuse_examples("aa", 0.3, 150, 4) + _reuse_examples("bb", 0.5, 150, 5)
    base = load_calibration()
    fitted = fit_calibration(examples, base)
    assert set(fitted.languages) == {"aa", "bb", *base.languages}  # those kept as they were
    # Reuse only: extent needs wholly derived pairs to tell from partially derived ones.
    assert fitted.provenance["fitted_language_models"] == {
        "aa": {"reuse": 150}, "bb": {"reuse": 150},
        **base.provenance["fitted_language_models"]}
    shares_40 = {name: 0.4 for name in FEATURES}
    assert decide(shares_40, fitted, "aa")[0] != "none"
    assert decide(shares_40, fitted, "bb")[0] == "none"


def test_a_language_with_few_labels_of_a_class_uses_the_models_for_any() -> None:
    few_unrelated = [e for e in _reuse_examples("aa", 0.3, 150, 6) if e.label != "none"][:60]
    few_unrelated += [e for e in _reuse_examples("aa", 0.3, 150, 6) if e.label == "none"][:5]
    examples = few_unrelated + _reuse_examples("bb", 0.5, 150, 7)
    fitted = fit_calibration(examples, load_calibration())
    assert "reuse" not in fitted.provenance["fitted_language_models"].get("aa", {})
    assert fitted.models_for("aa").reuse == fitted.models.reuse


def test_the_reuse_threshold_is_fitted_to_weigh_both_errors_alike() -> None:
    # Few unrelated pairs, overlapping the reused ones: at a probability of 0.5 the fit calls
    # too many reused for the F1 of both classes; the fitted threshold is higher.
    generator = np.random.default_rng(8)
    examples = []
    for index in range(400):
        reused = index % 5 != 0
        shared = float(np.clip(generator.normal(0.55 if reused else 0.4, 0.12), 0, 1))
        examples.append(Example("c", f"g{index % 80}", "extent",
                                "partially" if reused else "none",
                                {name: shared for name in FEATURES}))
    fitted = fit_calibration(examples, load_calibration())
    assert fitted.models.reuse_threshold > 0.5


def test_a_text_a_fifth_copied_in_long_passages_is_reused_whatever_the_model_says() -> None:
    # A reuse model that calls everything unrelated: a pair a fifth of whose derived words
    # lie in shared passages of twenty words on average is reused all the same, and graded.
    calibration = load_calibration()
    never = replace(calibration.models.reuse,
                    intercepts=(0.0, -50.0))
    models = replace(calibration.models, reuse=never)
    stubborn = replace(calibration, models=models, languages={})
    copied = {**dict.fromkeys(FEATURES, 0.2), "passage_coverage": COPIED_SHARE,
              "mean_passage_words": math.log1p(COPIED_PASSAGE_WORDS)}
    assert decide(copied, stubborn)[0] != "none"
    assert decide({**copied, "passage_coverage": COPIED_SHARE - 0.01}, stubborn)[0] == "none"
    assert decide({**copied, "mean_passage_words": math.log1p(COPIED_PASSAGE_WORDS - 1)},
                  stubborn)[0] == "none"


def test_thegrading_penalty_is_the_one_that_judges_held_out_groups_best() -> None:
    examples = _examples(5, 240)
    reused = [e for e in examples if e.label != "none"]
    rows = np.array([[e.features[f] for f in FEATURES] for e in reused])
    labels = np.array([("partially", "wholly").index(e.label) for e in reused])
    assert grading_penalty(reused, rows, labels, ("partially", "wholly"), None) in L2_CHOICES
    # One group leaves nothing to hold out: the default.
    alone = [replace(e, group="one") for e in reused]
    assert grading_penalty(alone, rows, labels, ("partially", "wholly"), None) == L2


def test_the_confidence_map_makes_overconfident_probabilities_honest() -> None:
    generator = np.random.default_rng(11)
    probability = generator.uniform(0.5, 1.0, 4000)
    # Right only as often as halfway between a coin toss and what the probability says.
    right = generator.uniform(size=4000) < (0.5 + probability) / 2
    mapped = fit_confidence_map(probability, right)
    assert mapped.slope < 1.0
    for low in (0.6, 0.8):
        inside = (probability >= low) & (probability < low + 0.1)
        assert abs(mapped(probability[inside]).mean() - right[inside].mean()) < 0.03
    # Nothing to learn from verdicts all right: the identity.
    assert fit_confidence_map(probability, np.ones(4000, dtype=bool)) == ConfidenceMap()


def test_a_calibration_keeps_its_confidence_map(tmp_path: Path) -> None:
    calibration = replace(load_calibration(), confidence=ConfidenceMap(0.5, 0.25))
    calibration.save(tmp_path / "c.json")
    assert load_calibration(tmp_path / "c.json").confidence == ConfidenceMap(0.5, 0.25)
    document = json.loads((tmp_path / "c.json").read_text())
    document["confidence"]["slope"] = -1
    (tmp_path / "c.json").write_text(json.dumps(document))
    with pytest.raises(CalibrationError, match="slope > 0"):
        load_calibration(tmp_path / "c.json")


def test_with_one_group_the_reuse_model_keeps_the_default_penalty_and_threshold() -> None:
    examples = [Example("c", "only", "extent", label, {name: value for name in FEATURES})
                for label, value in [("none", 0.1), ("none", 0.2), ("partially", 0.7),
                                     ("partially", 0.8)] * 5]
    fitted = fit_calibration(examples, load_calibration())
    assert fitted.models.reuse_threshold == 0.5


def test_labels_that_fit_nothing_keep_every_model_of_the_base() -> None:
    # Pairs of one class inform no model (each needs two classes): the calibration written
    # must judge as the base does, its per-language models included.
    base = load_calibration()
    one_class = _reuse_examples("ur", 0.0, 40, 3)
    fitted = fit_calibration(one_class, base, {"fitted_on": ["one class"]})
    assert fitted.provenance["fitted_models"] == {}
    assert fitted.languages == base.languages and fitted.models == base.models
    assert fitted.provenance["fitted_language_models"] == base.provenance[
        "fitted_language_models"]


def test_labels_of_one_language_keep_the_models_of_another() -> None:
    base = load_calibration()
    fitted = fit_calibration(_reuse_examples("ur", 0.4, 120, 4)
                             + _reuse_examples("de", 0.2, 120, 5), base)
    assert fitted.languages["en"].reuse == base.languages["en"].reuse  # no English labels
    assert fitted.languages["ur"].reuse != base.languages["ur"].reuse

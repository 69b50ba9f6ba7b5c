from __future__ import annotations

import numpy as np
import pytest

from provenance.calibrate import (
    SHARING,
    Example,
    cross_validate,
    fit_calibration,
    fit_logistic,
    fit_reuse_model,
    fold_of_groups,
)
from provenance.errors import CalibrationError
from provenance.features import FEATURES
from provenance.judge import decide, load_calibration


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


def test_no_measure_of_shared_text_counts_against_reuse() -> None:
    # Labels that reward one measure and punish another: a free fit weighs the second
    # against reuse; the reuse model leaves it out instead.
    generator = np.random.default_rng(9)
    rows = generator.uniform(size=(300, len(FEATURES)))
    rewarded, punished = FEATURES.index("gram_containment"), FEATURES.index("shingle_containment")
    labels = (rows[:, rewarded] - rows[:, punished] > 0).astype(np.int64)
    free = fit_logistic(rows, labels, ("none", "reused"))
    assert free.weights[1][punished] < 0
    model = fit_reuse_model(rows, labels)
    assert model.weights[1][punished] == 0.0 and model.weights[1][rewarded] > 0
    assert all(w >= 0 for w, sharing in zip(model.weights[1], SHARING, strict=True)
               if sharing)
    assert not SHARING[FEATURES.index("length_ratio")]


def test_the_shipped_reuse_models_count_no_shared_text_against_reuse() -> None:
    calibration = load_calibration()
    for models in (calibration.models, *calibration.languages.values()):
        weights = dict(zip(models.reuse.features, models.reuse.weights[1], strict=True))
        assert all(weight >= 0 for name, weight in weights.items()
                   if SHARING[FEATURES.index(name)])


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

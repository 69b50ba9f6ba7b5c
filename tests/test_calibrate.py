from __future__ import annotations

import numpy as np
import pytest

from provenance.calibrate import (
    Example,
    cross_validate,
    fit_calibration,
    fit_logistic,
    fold_of_groups,
)
from provenance.errors import CalibrationError
from provenance.features import FEATURES
from provenance.judge import decide, load_calibration


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
    assert fitted.form == base.form
    assert fitted.reuse != base.reuse and fitted.extent != base.extent
    derived = sum(e.label != "none" for e in examples)
    assert fitted.provenance["fitted_models"] == {"reuse": 200, "extent": derived}
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

"""Fitting the verdict models on labelled pairs, and cross-validating the fit.

The fit is L2-regularised multinomial logistic regression by Newton's method: a few dozen
weights, fitted exactly and deterministically in a handful of iterations, with no
dependency beyond numpy. Cross-validation holds out whole groups (every pair of one source
article), so no text seen in training is judged in the same fold.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .errors import CalibrationError
from .features import FEATURES
from .judge import MODEL_CLASSES, Calibration, LinearModel, decide, softmax

#: Strength of the L2 penalty on standardised weights: enough to keep weights finite when a
#: class is perfectly separable, small next to a few hundred labelled pairs.
L2 = 3.0
#: Newton's method converges in well under this many steps on these problems.
MAX_ITERATIONS = 100
FOLDS = 10

Matrix = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Example:
    """One labelled pair as the fit needs it: features, the label, and where it came from."""

    #: Which labelled set (folder) it belongs to: each set weighs the same in the reuse model.
    collection: str
    #: Pairs sharing a group are held out together in cross-validation (same source article).
    group: str
    #: ``"extent"`` or ``"form"``: the axis the label grades.
    axis: str
    #: An extent (``none``/``partially``/``wholly``) or a form (``none``/``heavy``/...).
    label: str
    features: Mapping[str, float]


def fit_logistic(rows: Matrix, labels: npt.NDArray[np.int64], classes: Sequence[str],
                 sample_weight: npt.NDArray[np.float64] | None = None,
                 l2: float = L2) -> LinearModel:
    """Fit a multinomial logistic regression; the first class is the reference (weights 0)."""
    count, width = rows.shape
    mean = rows.mean(axis=0)
    scale = rows.std(axis=0)
    scale[scale == 0.0] = 1.0
    design = np.hstack([(rows - mean) / scale, np.ones((count, 1))])
    weight = np.ones(count) if sample_weight is None else sample_weight
    free = len(classes) - 1
    target = np.eye(len(classes))[labels][:, 1:]
    penalty = np.eye(width + 1) * l2
    penalty[-1, -1] = 1e-9  # the intercept is not penalised
    theta = np.zeros((width + 1, free))
    for _ in range(MAX_ITERATIONS):
        probability = _softmax_with_reference(design @ theta)[:, 1:]
        gradient = design.T @ ((probability - target) * weight[:, None]) + penalty @ theta
        hessian = np.zeros((free * (width + 1), free * (width + 1)))
        for a in range(free):
            for b in range(free):
                curvature = weight * probability[:, a] * ((a == b) - probability[:, b])
                block = (design * curvature[:, None]).T @ design
                if a == b:
                    block += penalty
                hessian[a * (width + 1):(a + 1) * (width + 1),
                        b * (width + 1):(b + 1) * (width + 1)] = block
        step = np.linalg.solve(hessian, gradient.T.reshape(-1))
        theta -= step.reshape(free, width + 1).T
        if np.abs(step).max() < 1e-9:
            break
    full = np.hstack([np.zeros((width + 1, 1)), theta])
    return LinearModel(
        classes=tuple(classes), features=FEATURES,
        mean=tuple(float(v) for v in mean), scale=tuple(float(v) for v in scale),
        low=tuple(float(v) for v in rows.min(axis=0)),
        high=tuple(float(v) for v in rows.max(axis=0)),
        weights=tuple(tuple(float(v) for v in full[:-1, k]) for k in range(len(classes))),
        intercepts=tuple(float(v) for v in full[-1]),
    )


def _softmax_with_reference(free_logits: Matrix) -> Matrix:
    """Probabilities when the first class's logit is fixed at 0."""
    return softmax(np.hstack([np.zeros((free_logits.shape[0], 1)), free_logits]))


def fit_calibration(examples: Sequence[Example], base: Calibration | None,
                    description: Mapping[str, object] | None = None) -> Calibration:
    """Fit every model the labels inform; keep ``base``'s models for the rest.

    Reuse is fitted on every example (each collection weighing the same), extent on the
    reused examples with extent labels, form on the reused examples with form labels.
    """
    models: dict[str, LinearModel | None] = {
        "reuse": base.reuse if base else None,
        "extent": base.extent if base else None,
        "form": base.form if base else None,
    }
    fitted: dict[str, int] = {}
    for name, classes in MODEL_CLASSES.items():
        chosen = [e for e in examples if _informs(e, name)]
        labels = np.array([classes.index(_target(e, name)) for e in chosen], dtype=np.int64)
        if len(set(labels.tolist())) < 2:
            continue  # the labels do not tell these classes apart: keep the base model
        rows = np.array([[e.features[f] for f in FEATURES] for e in chosen], dtype=np.float64)
        weight = _collection_weights(chosen) if name == "reuse" else None
        models[name] = fit_logistic(rows, labels, classes, weight)
        fitted[name] = len(chosen)
    missing = [name for name, model in models.items() if model is None]
    if missing:
        raise CalibrationError(f"the labels cannot fit the {' and '.join(missing)} model(s) "
                               "(each needs examples of at least two of its classes) and no "
                               "base calibration supplies them")
    provenance = dict(base.provenance) if base else {}
    provenance.update(description or {})
    provenance["fitted_models"] = fitted
    reuse, extent, form = (models[name] for name in MODEL_CLASSES)
    assert reuse and extent and form  # checked above; narrows the types
    return Calibration(reuse, extent, form, provenance)


def _informs(example: Example, model: str) -> bool:
    if model == "reuse":
        return True
    return example.axis == model and example.label != "none"


def _target(example: Example, model: str) -> str:
    if model == "reuse":
        return "none" if example.label == "none" else "reused"
    return example.label


def _collection_weights(examples: Sequence[Example]) -> npt.NDArray[np.float64]:
    """Weights giving each collection the same total, averaging 1 over all examples."""
    names = [e.collection for e in examples]
    sizes = {name: names.count(name) for name in set(names)}
    return np.array([len(names) / (len(sizes) * sizes[name]) for name in names])


def fold_of_groups(groups: Sequence[str], folds: int = FOLDS) -> npt.NDArray[np.int64]:
    """A fold number for each example: groups dealt to folds in a fixed pseudo-random order."""
    distinct = sorted(set(groups))
    order = np.random.default_rng(0).permutation(len(distinct))
    fold = {group: int(order[i]) % folds for i, group in enumerate(distinct)}
    return np.array([fold[group] for group in groups], dtype=np.int64)


def cross_validate(examples: Sequence[Example], base: Calibration | None,
                   folds: int = FOLDS) -> list[tuple[str, str, float]]:
    """(extent, form, confidence) for every example, each predicted by a calibration fitted
    without its group."""
    fold = fold_of_groups([e.group for e in examples], folds)
    predictions: list[tuple[str, str, float]] = [("none", "none", 0.0)] * len(examples)
    for k in range(folds):
        training = [e for e, f in zip(examples, fold, strict=True) if f != k]
        if not training or len(training) == len(examples):
            continue
        calibration = fit_calibration(training, base)
        for index in np.flatnonzero(fold == k).tolist():
            predictions[index] = decide(examples[index].features, calibration)
    return predictions

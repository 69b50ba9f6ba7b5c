"""Fitting the verdict models on labelled pairs, and cross-validating the fit.

The fit is L2-regularised multinomial logistic regression by Newton's method: a few dozen
weights, fitted exactly and deterministically in a handful of iterations, with no
dependency beyond numpy. Cross-validation holds out whole groups (every pair of one source
article), so no text seen in training is judged in the same fold.

Each model's penalty, and the reuse model's decision threshold, are chosen by a
cross-validation of their own within the pairs it is fitted on, so the figures of
:func:`cross_validate` (which refits everything per fold) include the cost of choosing them.
Where the labels span several languages, each language with enough pairs also gets models
of its own.

The fit is free: a measure of shared text may weigh against reuse where the others, which it
is correlated with, carry more. (An earlier rule forbade that, refitting without any measure
whose weight came out negative; it cost macro-F1 on the labelled Urdu pairs and changed
nothing on the wire scenarios: the figures are in docs/how-it-works.md.) What such a weight
cannot do, call a text a fifth of which is copied in long passages unrelated,
:func:`models.decide` rules out by itself.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import numpy.typing as npt

from provenance.errors import CalibrationError
from provenance.verdict.accuracy import reuse_scores, score
from provenance.verdict.features import FEATURES
from provenance.verdict.models import (
    MODEL_CLASSES,
    Calibration,
    ConfidenceMap,
    Decision,
    LinearModel,
    Models,
    decide,
    language_code,
    softmax,
)

#: Strength of the L2 penalty on standardised weights where too few groups leave nothing to
#: choose it by: enough to keep weights finite when a class is perfectly separable, small
#: next to a few hundred pairs.
L2 = 3.0
#: The penalties each model's fit chooses among, and the reuse model's decision thresholds.
L2_CHOICES = (0.1, 0.3, 1.0, 3.0, 10.0)
REUSE_THRESHOLD_CHOICES = tuple(round(0.3 + 0.05 * step, 2) for step in range(11))
#: Folds of the cross-validation that chooses them.
INNER_FOLDS = 5
#: A language gets a model of its own when its pairs hold at least this many of each of
#: the model's classes (and other languages' pairs inform that model too).
MIN_LANGUAGE_CLASS_PAIRS = 10
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
    #: The derived text's language, as its article gives it (``""`` when unknown).
    language: str = ""
    #: The share of the derived text's distinct words found in the source: all the naive
    #: baseline reads (see :mod:`baseline`).
    word_containment: float = 0.0


def fit_logistic(rows: Matrix, labels: npt.NDArray[np.int64], classes: Sequence[str],
                 sample_weight: npt.NDArray[np.float64] | None = None,
                 l2: float = L2, active: npt.NDArray[np.bool_] | None = None,
                 features: tuple[str, ...] = FEATURES) -> LinearModel:
    """Fit a multinomial logistic regression of the columns ``features`` of ``rows``; the
    first class is the reference (weights 0). Features not ``active`` keep a weight of 0."""
    count, width = rows.shape
    mean = rows.mean(axis=0)
    scale = rows.std(axis=0)
    scale[scale == 0.0] = 1.0
    standard = (rows - mean) / scale
    if active is not None:
        standard[:, ~active] = 0.0
    design = np.hstack([standard, np.ones((count, 1))])
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
        classes=tuple(classes), features=features,
        mean=tuple(float(v) for v in mean), scale=tuple(float(v) for v in scale),
        low=tuple(float(v) for v in rows.min(axis=0)),
        high=tuple(float(v) for v in rows.max(axis=0)),
        weights=tuple(tuple(float(v) for v in full[:-1, k]) for k in range(len(classes))),
        intercepts=tuple(float(v) for v in full[-1]),
    )


#: The features the form model reads: how the reused text was reused, measured on the reused
#: part alone (its passages, its aligned sentences), so that a story that copies a part of its
#: source and adds its own is graded by the part it copied.
FORM_FEATURES = np.array([name in ("mean_passage_words", "verbatim_in_aligned",
                                   "edited_in_passages") for name in FEATURES])
def fit_confidence_map(probability: npt.NDArray[np.float64], right: npt.NDArray[np.bool_]
                       ) -> ConfidenceMap:
    """The :class:`ConfidenceMap` under which ``probability`` (the models' probability that
    each of a set of cross-validated verdicts is right) best predicts whether it was:
    a logistic regression of ``right`` on the logit of ``probability``."""
    clipped = np.clip(probability, 1e-6, 1 - 1e-6)
    rows = np.log(clipped / (1 - clipped))[:, None]
    if len(set(right.tolist())) < 2 or np.ptp(rows) == 0:
        return ConfidenceMap()
    model = fit_logistic(rows, right.astype(np.int64), ("wrong", "right"), l2=1e-3,
                         features=("logit",))
    # Back from standardised units: slope / scale, and the mean moved into the intercept.
    slope = model.weights[1][0] / model.scale[0]
    return ConfidenceMap(slope, model.intercepts[1] - slope * model.mean[0])


def _softmax_with_reference(free_logits: Matrix) -> Matrix:
    """Probabilities when the first class's logit is fixed at 0."""
    return softmax(np.hstack([np.zeros((free_logits.shape[0], 1)), free_logits]))


def fit_calibration(examples: Sequence[Example], base: Calibration | None,
                    description: Mapping[str, object] | None = None) -> Calibration:
    """Fit every model the labels inform; keep ``base``'s models for the rest.

    Reuse is fitted on every example (each collection weighing the same), extent on the
    reused examples with extent labels, form on the reused examples with form labels.
    Where a model's examples span several languages, each language with enough of them
    gets that model fitted on its examples alone; ``base``'s models of each language are
    kept where these labels fit none anew.
    """
    models, fitted = _fit_models(examples, base.models if base else None)
    provenance = dict(base.provenance) if base else {}
    base_counts: Mapping[str, Mapping[str, int]] = provenance.get("fitted_language_models", {})
    languages: dict[str, Models] = {}
    fitted_languages: dict[str, dict[str, int]] = {}
    labelled = {language_code(e.language) for e in examples} - {""}
    for code in sorted(labelled | set(base.languages if base else ())):
        own = [e for e in examples if language_code(e.language) == code]
        kept = _kept_language_models(base, code, own, fitted) if base else {}
        fallback = replace(models, **kept) if kept else models
        language_models, counts = (_fit_models(own, fallback, among=examples) if own
                                   else (fallback, {}))
        own_counts = {**{name: base_counts.get(code, {}).get(name, 0) for name in kept
                         if name in MODEL_CLASSES}, **counts}
        if own_counts:
            languages[code], fitted_languages[code] = language_models, own_counts
    provenance.update(description or {})
    provenance["fitted_models"] = fitted
    provenance["fitted_language_models"] = fitted_languages
    return Calibration(models, languages, provenance)


def _kept_language_models(base: Calibration, code: str, own: Sequence[Example],
                          fitted: Mapping[str, int]) -> dict[str, Any]:
    """The models ``base`` fitted for the language ``code`` alone that these labels leave
    as they were (``own``: their examples in that language; ``fitted``: the models fitted
    for any language), as fields of :class:`Models`: a model is fitted anew where examples
    of the language inform it."""
    if code not in base.languages:
        return {}
    fitted_here = base.provenance.get("fitted_language_models", {}).get(code, {})
    kept: dict[str, Any] = {
        name: getattr(base.languages[code], name) for name in MODEL_CLASSES
        if name in fitted_here and not (name in fitted and any(_informs(e, name) for e in own))}
    if "reuse" in kept:
        kept["reuse_threshold"] = base.languages[code].reuse_threshold
    return kept


def _fit_models(examples: Sequence[Example], fallback: Models | None,
                among: Sequence[Example] | None = None) -> tuple[Models, dict[str, int]]:
    """The models fitted on ``examples`` and, by name, how many examples each was fitted on;
    ``fallback``'s models where they cannot be fitted.

    ``among``: the examples of every language, when ``examples`` are one language's: a model
    is then fitted only where others inform it too, and on enough of each class."""
    fitted: dict[str, LinearModel] = {}
    counts: dict[str, int] = {}
    threshold = fallback.reuse_threshold if fallback else 0.5
    for name, classes in MODEL_CLASSES.items():
        chosen = [e for e in examples if _informs(e, name)]
        labels = np.array([classes.index(_target(e, name)) for e in chosen], dtype=np.int64)
        present = np.bincount(labels, minlength=len(classes))
        if among is None:
            enough = bool(np.count_nonzero(present) >= 2)
        else:
            enough = (int(present.min()) >= MIN_LANGUAGE_CLASS_PAIRS
                      and len(chosen) < sum(_informs(e, name) for e in among))
        if not enough:
            continue
        rows = np.array([[e.features[f] for f in FEATURES] for e in chosen], dtype=np.float64)
        if name == "reuse":
            l2, threshold = _reuse_settings(chosen, rows, labels)
            fitted[name] = fit_logistic(rows, labels, classes, _collection_weights(chosen), l2)
        else:
            active = FORM_FEATURES if name == "form" else None
            l2 = grading_penalty(chosen, rows, labels, classes, active)
            fitted[name] = fit_logistic(rows, labels, classes, l2=l2, active=active)
        counts[name] = len(chosen)
    if fallback is None:
        missing = [name for name in MODEL_CLASSES if name not in fitted]
        if missing:
            raise CalibrationError(f"the labels cannot fit the {' and '.join(missing)} "
                                   "model(s) (each needs examples of at least two of its "
                                   "classes) and no base calibration supplies them")
        return Models(**fitted, reuse_threshold=threshold), counts
    return Models(**{name: fitted.get(name, getattr(fallback, name)) for name in MODEL_CLASSES},
                  reuse_threshold=threshold), counts


def _reuse_settings(examples: Sequence[Example], rows: Matrix,
                    labels: npt.NDArray[np.int64]) -> tuple[float, float]:
    """The penalty and the decision threshold of the reuse model that judge ``examples`` best
    when each is predicted by a model fitted without its group: best mean over collections
    of the macro-F1 of reused against none. Ties go to the threshold nearer 0.5, then to the
    stronger penalty. The defaults when no group can be held out (too few groups, or a class
    in one group only)."""
    fold = fold_of_groups([e.group for e in examples], INNER_FOLDS)
    classes = MODEL_CLASSES["reuse"]
    truth = [classes[label] for label in labels.tolist()]
    collections = np.array([e.collection for e in examples])
    best: tuple[tuple[float, float, float], float, float] | None = None
    for l2 in L2_CHOICES:
        probability = np.full(len(examples), np.nan)
        for k in range(INNER_FOLDS):
            held = fold == k
            training = np.flatnonzero(~held).tolist()
            if not held.any() or len(set(labels[training].tolist())) < 2:
                continue
            model = fit_logistic(rows[training], labels[training], classes,
                                 _collection_weights([examples[i] for i in training]), l2)
            probability[held] = model.probabilities(rows[held])[:, 1]
        judged = ~np.isnan(probability)
        if not judged.any():
            continue
        # Per collection: the true classes and the probabilities of its judged examples.
        scored = []
        for name in sorted(set(collections[judged].tolist())):
            chosen = np.flatnonzero(judged & (collections == name))
            scored.append(([truth[i] for i in chosen.tolist()], probability[chosen].tolist()))
        for threshold in REUSE_THRESHOLD_CHOICES:
            value = sum(reuse_scores(true, [classes[p >= threshold] for p in probabilities]
                                     ).macro_f1 for true, probabilities in scored) / len(scored)
            key = (value, -abs(threshold - 0.5), l2)
            if best is None or key > best[0]:
                best = (key, l2, threshold)
    return (L2, 0.5) if best is None else (best[1], best[2])


def grading_penalty(examples: Sequence[Example], rows: Matrix, labels: npt.NDArray[np.int64],
                     classes: Sequence[str], active: npt.NDArray[np.bool_] | None) -> float:
    """The penalty of a grading model (extent or form) whose predictions, each by a model
    fitted without its group, score the best macro-F1; ties go to the stronger penalty. The
    default when no group can be held out."""
    fold = fold_of_groups([e.group for e in examples], INNER_FOLDS)
    truth = [classes[label] for label in labels.tolist()]
    best: tuple[tuple[float, float], float] | None = None
    for l2 in L2_CHOICES:
        predicted: list[str | None] = [None] * len(examples)
        for k in range(INNER_FOLDS):
            held = fold == k
            training = ~held
            if not held.any() or len(set(labels[training].tolist())) < len(classes):
                continue
            model = fit_logistic(rows[training], labels[training], classes, l2=l2,
                                 active=active)
            for n, p in zip(np.flatnonzero(held).tolist(),
                            model.probabilities(rows[held]).argmax(axis=1).tolist(),
                            strict=True):
                predicted[n] = classes[p]
        judged = [n for n, p in enumerate(predicted) if p is not None]
        if not judged:
            continue
        value = score([truth[n] for n in judged], [str(predicted[n]) for n in judged],
                      classes).macro_f1
        if best is None or (value, l2) > best[0]:
            best = ((value, l2), l2)
    return L2 if best is None else best[1]


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


def fold_of_groups(groups: Sequence[str], folds: int = FOLDS, deal: int = 0
                   ) -> npt.NDArray[np.int64]:
    """A fold number for each example: groups dealt to folds in a pseudo-random order, the
    same for the same ``deal`` number."""
    distinct = sorted(set(groups))
    order = np.random.default_rng(deal).permutation(len(distinct))
    fold = {group: int(order[i]) % folds for i, group in enumerate(distinct)}
    return np.array([fold[group] for group in groups], dtype=np.int64)


def held_out_fits(examples: Sequence[Example], base: Calibration | None,
                  folds: int = FOLDS, deal: int = 0
                  ) -> Iterator[tuple[list[int], Calibration]]:
    """For each fold of ``deal``, the indices of its examples and a calibration fitted
    without them."""
    fold = fold_of_groups([e.group for e in examples], folds, deal)
    for k in range(folds):
        training = [e for e, f in zip(examples, fold, strict=True) if f != k]
        if training and len(training) < len(examples):
            yield np.flatnonzero(fold == k).tolist(), fit_calibration(training, base)


def cross_validate(examples: Sequence[Example], base: Calibration | None,
                   folds: int = FOLDS, deal: int = 0) -> list[Decision]:
    """(extent, form, confidence) for every example, each predicted by a calibration fitted
    without its group (groups dealt to folds by ``deal``)."""
    predictions: list[Decision] = [("none", "none", 0.0)] * len(examples)
    for held, calibration in held_out_fits(examples, base, folds, deal):
        for index in held:
            example = examples[index]
            predictions[index] = decide(example.features, calibration, example.language)
    return predictions

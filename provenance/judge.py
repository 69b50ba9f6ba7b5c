"""Pair verdicts from measured features, by three small calibrated models.

- ``reuse`` decides whether the derived text reuses the source at all;
- ``extent`` grades reuse as ``partially`` or ``wholly`` derived (the METER scheme);
- ``form`` grades it as ``heavy`` (rewritten), ``light`` (edited) or ``verbatim`` (copied).

Each is a multinomial logistic regression over standardised features: a handful of numbers
per feature that a person can read (the sign and size of each weight says what pushes a
verdict which way). They live in a JSON calibration file, never a pickle: loading one runs no
code. The default file ships in the package; ``provenance eval --calibrate`` writes a new one.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from .errors import CalibrationError
from .features import FEATURES, Measurement
from .model import EXTENTS, FORMS, Extent, FeatureValues, Form, Verdict

CALIBRATION_FORMAT = "wire-provenance calibration"
CALIBRATION_VERSION = 1
#: The classes each model chooses between, in order.
MODEL_CLASSES: dict[str, tuple[str, ...]] = {
    "reuse": ("none", "reused"),
    "extent": EXTENTS[1:],
    "form": FORMS[1:],
}

#: Share of the derived text's 5-word runs found in the source above which it is a copy.
WHOLLY_COPIED = 0.99

Matrix = npt.NDArray[np.float64]
#: A pair's verdict without its evidence: extent, form and confidence.
Decision = tuple[Extent, Form, float]


@dataclass(frozen=True)
class LinearModel:
    """Multinomial logistic regression: ``P(class) ~ exp(intercept + sum(weight * z))`` where
    ``z = (feature - mean) / scale``, each feature first clipped to the range it was fitted on
    (a linear model is not to be trusted beyond its data: a 20-word excerpt of a 400-word
    story has a length ratio no labelled pair had)."""

    classes: tuple[str, ...]
    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    low: tuple[float, ...]
    high: tuple[float, ...]
    #: ``weights[c][f]``: weight of feature ``f`` for class ``c``.
    weights: tuple[tuple[float, ...], ...]
    intercepts: tuple[float, ...]

    def probabilities(self, rows: Matrix) -> Matrix:
        """Class probabilities for each row of feature values (columns in ``features`` order)."""
        low, high, mean, scale, weights, intercepts = self._arrays
        standard = (np.clip(rows, low, high) - mean) / scale
        # Summed feature by feature, not by a matrix product, whose order of additions may
        # depend on the number of rows (BLAS picks its kernel by shape): a pair's verdict
        # must not depend on the batch it was judged in.
        logits = standard[:, :1] * weights[0]
        for feature in range(1, len(self.features)):
            logits += standard[:, feature:feature + 1] * weights[feature]
        return softmax(logits + intercepts)

    @cached_property
    def _arrays(self) -> tuple[Matrix, ...]:
        """The parameters as arrays, made once (the model judges every pair)."""
        return (np.array(self.low), np.array(self.high), np.array(self.mean),
                np.array(self.scale), np.array(self.weights).T, np.array(self.intercepts))

    def to_json(self) -> dict[str, Any]:
        """The model as a readable JSON object: per feature its scaling and class weights."""
        return {
            "classes": list(self.classes),
            "intercept": {c: _round(b) for c, b in zip(self.classes, self.intercepts, strict=True)},
            "features": {
                name: {
                    "mean": _round(self.mean[i]),
                    "scale": _round(self.scale[i]),
                    "range": [_round(self.low[i]), _round(self.high[i])],
                    "weight": {c: _round(self.weights[k][i]) for k, c in enumerate(self.classes)},
                }
                for i, name in enumerate(self.features)
            },
        }

    @classmethod
    def from_json(cls, document: Mapping[str, Any], expected_classes: Sequence[str]) -> LinearModel:
        """Read a model written by :meth:`to_json`; raises ``KeyError``/``ValueError`` if bad."""
        classes = tuple(document["classes"])
        if classes != tuple(expected_classes):
            raise ValueError(f"classes {list(classes)}, expected {list(expected_classes)}")
        features = tuple(document["features"])
        unknown = sorted(set(features) - set(FEATURES))
        if unknown:
            raise ValueError(f"unknown features {unknown}")
        entries = [document["features"][name] for name in features]
        scale = tuple(float(entry["scale"]) for entry in entries)
        if any(not s > 0 for s in scale):
            raise ValueError("every feature scale must be positive")
        return cls(
            classes=classes,
            features=features,
            mean=tuple(float(entry["mean"]) for entry in entries),
            scale=scale,
            low=tuple(float(entry["range"][0]) for entry in entries),
            high=tuple(float(entry["range"][1]) for entry in entries),
            weights=tuple(tuple(float(entry["weight"][c]) for entry in entries) for c in classes),
            intercepts=tuple(float(document["intercept"][c]) for c in classes),
        )


@dataclass(frozen=True)
class Calibration:
    """The three models behind every verdict, and where they came from."""

    reuse: LinearModel
    extent: LinearModel
    form: LinearModel
    #: What each model was fitted on, and the cross-validated figures of that fit.
    provenance: Mapping[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """The whole calibration as a JSON document."""
        return {
            "format": CALIBRATION_FORMAT,
            "version": CALIBRATION_VERSION,
            "provenance": dict(self.provenance),
            "models": {name: getattr(self, name).to_json() for name in MODEL_CLASSES},
        }

    def save(self, path: str | Path) -> None:
        """Write the calibration as indented JSON."""
        Path(path).write_text(json.dumps(self.to_json(), indent=2, ensure_ascii=False) + "\n",
                              encoding="utf-8")


def softmax(logits: Matrix) -> Matrix:
    """Each row of logits turned into probabilities (shifted first, so exp cannot overflow)."""
    odds = np.exp(logits - logits.max(axis=1, keepdims=True))
    result: Matrix = odds / odds.sum(axis=1, keepdims=True)
    return result


def default_calibration_path() -> Path:
    """The calibration shipped with the package (fitted on the dev data)."""
    return Path(str(resources.files("provenance") / "data" / "calibration.json"))


def load_calibration(path: str | Path | None = None) -> Calibration:
    """Read a calibration file; the shipped default when ``path`` is None."""
    where = Path(path) if path is not None else default_calibration_path()
    try:
        document = json.loads(where.read_text(encoding="utf-8"))
    except OSError as err:
        raise CalibrationError(f"{where}: cannot read calibration ({err.strerror})") from err
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise CalibrationError(f"{where}: not a JSON calibration file ({err})") from err
    if not isinstance(document, dict) or document.get("format") != CALIBRATION_FORMAT:
        raise CalibrationError(f"{where}: not a {CALIBRATION_FORMAT} file "
                               "(write one with `provenance eval DIR --calibrate OUT`)")
    if document.get("version") != CALIBRATION_VERSION:
        raise CalibrationError(f"{where}: calibration version {document.get('version')}, this "
                               f"provenance reads version {CALIBRATION_VERSION}; refit it with "
                               "`provenance eval DIR --calibrate OUT`")
    try:
        models = {name: LinearModel.from_json(document["models"][name], classes)
                  for name, classes in MODEL_CLASSES.items()}
    except (KeyError, TypeError, ValueError) as err:
        raise CalibrationError(f"{where}: malformed model ({err!r})") from err
    return Calibration(**models, provenance=document.get("provenance", {}))


def feature_rows(features: Sequence[Mapping[str, float]], names: Sequence[str]) -> Matrix:
    """A row of feature values per pair, in the order ``names``."""
    return np.array([[values[name] for name in names] for values in features],
                    dtype=np.float64).reshape(len(features), len(names))


def judge(source: str, derived: str, measurement: Measurement,
          calibration: Calibration) -> Verdict:
    """The verdict on ``derived`` against ``source``, with the measurement as its evidence."""
    return verdict_of(source, derived, measurement, decide(measurement.features, calibration))


def verdict_of(source: str, derived: str, measurement: Measurement,
               decision: Decision) -> Verdict:
    """The verdict of a decision on ``derived`` against ``source``, with its evidence."""
    features = FeatureValues(FEATURES, (measurement.features[name] for name in FEATURES))
    return Verdict(source, derived, *decision, features, measurement.passages,
                   measurement.sentences)


def decide(features: Mapping[str, float], calibration: Calibration) -> Decision:
    """Extent, form and confidence from features.

    Reuse is decided first; only reused pairs are graded, so extent and form agree on
    ``none``. A derived text whose every 5-word run is in the source is ``verbatim``. The
    confidence is the probability of the less certain of the two axes.
    """
    return decide_all([features], calibration)[0]


def decide_all(features: Sequence[Mapping[str, float]], calibration: Calibration
               ) -> list[Decision]:
    """:func:`decide` for many pairs, each model applied to all of them at once."""
    def probabilities(model: LinearModel) -> Matrix:
        return model.probabilities(feature_rows(features, model.features))

    reused = probabilities(calibration.reuse)[:, 1].tolist()
    extent_p, form_p = probabilities(calibration.extent), probabilities(calibration.form)
    # Every 5-word run of the derived text is in the source: verbatim by definition,
    # whatever a model fitted on rarer cases would say.
    copied = np.array([values["shingle_containment"] >= WHOLLY_COPIED for values in features],
                      dtype=bool)
    form_p[copied] = np.eye(form_p.shape[1])[FORMS.index("verbatim") - 1]
    extent_index, form_index = extent_p.argmax(axis=1), form_p.argmax(axis=1)
    extent_best = extent_p[np.arange(len(features)), extent_index].tolist()
    form_best = form_p[np.arange(len(features)), form_index].tolist()
    decisions: list[Decision] = []
    for n, reuse in enumerate(reused):
        if reuse < 0.5:
            decisions.append(("none", "none", round(1.0 - reuse, 6)))
        else:
            decisions.append((EXTENTS[1 + int(extent_index[n])], FORMS[1 + int(form_index[n])],
                              round(reuse * min(extent_best[n], form_best[n]), 6)))
    return decisions


def _round(value: float) -> float:
    """Six significant digits: readable, and far finer than the fit's own precision."""
    return float(f"{value:.6g}") if math.isfinite(value) else value

"""Pair verdicts from measured features, by three small calibrated models.

- ``reuse`` decides whether the derived text reuses the source at all;
- ``extent`` grades reuse as ``partially`` or ``wholly`` derived (the METER scheme);
- ``form`` grades it as ``heavy`` (rewritten), ``light`` (edited) or ``verbatim`` (copied).

Each is a multinomial logistic regression over standardised features: a handful of numbers
per feature that a person can read (the sign and size of each weight says what pushes a
verdict which way). A calibration holds the three for pairs in any language, and may hold
models fitted on one language's pairs alone (see :class:`Calibration`). They live in a JSON
calibration file, never a pickle: loading one runs no code. The default file ships in the
package; ``provenance eval --calibrate`` writes a new one.
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

from provenance.errors import CalibrationError
from provenance.model import (
    EXTENTS,
    FORMS,
    UNDECIDED,
    Direction,
    Extent,
    FeatureValues,
    Form,
    Verdict,
)
from provenance.verdict.features import FEATURES, Measurement

CALIBRATION_FORMAT = "wire-provenance calibration"
CALIBRATION_VERSION = 3
#: Versions this code reads: version 1 had no per-language models and no reuse threshold,
#: version 2 no map of confidence.
READABLE_VERSIONS = (1, 2, 3)
#: The classes each model chooses between, in order.
MODEL_CLASSES: dict[str, tuple[str, ...]] = {
    "reuse": ("none", "reused"),
    "extent": EXTENTS[1:],
    "form": FORMS[1:],
}

#: Share of the derived text's 5-word runs found in the source above which it is a copy.
WHOLLY_COPIED = 0.99
#: A derived text with this share of its words inside passages shared with the source...
COPIED_SHARE = 0.2
#: ...passages this long on average (in words), is reused whatever a model says: runs of
#: twenty words and more are copy (or a quote, which the discount of shared quotes then
#: weighs), where independent reports of one event share names, numbers and short phrases.
COPIED_PASSAGE_WORDS = 20

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
class Models:
    """The three models that judge a pair: those of one language, or those for any."""

    reuse: LinearModel
    extent: LinearModel
    form: LinearModel
    #: The probability of reuse from which a pair is judged reused. The fit chooses it: the
    #: verdicts are scored as if both errors cost the same (macro-F1), and with fewer
    #: unrelated pairs than reused ones to learn from, 0.5 leans towards calling reuse.
    reuse_threshold: float = 0.5

    def to_json(self, default: Models | None = None) -> dict[str, Any]:
        """The models as JSON; given ``default``, only those that differ from it."""
        return {
            "reuse_threshold": self.reuse_threshold,
            "models": {name: getattr(self, name).to_json() for name in MODEL_CLASSES
                       if default is None or getattr(self, name) != getattr(default, name)},
        }

    @classmethod
    def from_json(cls, document: Mapping[str, Any], default: Models | None = None) -> Models:
        """Read models written by :meth:`to_json` (those missing taken from ``default``);
        raises ``KeyError``/``TypeError``/``ValueError`` if malformed."""
        written = document["models"]
        models = {name: LinearModel.from_json(written[name], classes)
                  if default is None or name in written else getattr(default, name)
                  for name, classes in MODEL_CLASSES.items()}
        threshold = float(document.get("reuse_threshold", 0.5))
        if not 0.0 < threshold < 1.0:
            raise ValueError(f"reuse_threshold {threshold} is not a probability in (0, 1)")
        return cls(**models, reuse_threshold=threshold)


@dataclass(frozen=True)
class ConfidenceMap:
    """What the models' probability that a verdict's extent is right is worth:
    ``sigmoid(slope * logit(p) + intercept)``, fitted on cross-validated verdicts so that
    of those given confidence 0.7 about 70% are right (Platt's method)."""

    slope: float = 1.0
    intercept: float = 0.0

    def __call__(self, probability: Matrix) -> Matrix:
        """The confidence of each probability."""
        clipped = np.clip(probability, 1e-6, 1 - 1e-6)
        logit = np.log(clipped / (1 - clipped))
        result: Matrix = 1.0 / (1.0 + np.exp(-(self.slope * logit + self.intercept)))
        return result

    def to_json(self) -> dict[str, float]:
        """The map as JSON."""
        return {"slope": _round(self.slope), "intercept": _round(self.intercept)}


@dataclass(frozen=True)
class Calibration:
    """The models behind every verdict, and where they came from."""

    #: The models for pairs in any language without models of its own.
    models: Models
    #: Models fitted on one language's labelled pairs alone, by language code (``ur``). How
    #: much unrelated texts share differs by language and by kind of text (Urdu news shares
    #: less than English answers on one topic), so where the labels span several languages,
    #: each that has enough of them gets its own line between reuse and none.
    languages: Mapping[str, Models] = field(default_factory=dict)
    #: What each model was fitted on, and the cross-validated figures of that fit.
    provenance: Mapping[str, Any] = field(default_factory=dict)
    #: From the models' probability that the extent is right to the confidence shown.
    confidence: ConfidenceMap = ConfidenceMap()

    def models_for(self, language: str) -> Models:
        """The models that judge a pair whose derived text is in ``language``."""
        return self.languages.get(language_code(language), self.models)

    def to_json(self) -> dict[str, Any]:
        """The whole calibration as a JSON document."""
        return {
            "format": CALIBRATION_FORMAT,
            "version": CALIBRATION_VERSION,
            "provenance": dict(self.provenance),
            "confidence": self.confidence.to_json(),
            **self.models.to_json(),
            "languages": {code: models.to_json(self.models)
                          for code, models in sorted(self.languages.items())},
        }

    def save(self, path: str | Path) -> None:
        """Write the calibration as indented JSON."""
        Path(path).write_text(json.dumps(self.to_json(), indent=2, ensure_ascii=False) + "\n",
                              encoding="utf-8")


def language_code(language: str) -> str:
    """The primary language code of a language tag, as models are filed: ``en-GB`` -> ``en``."""
    return language.strip().lower().replace("_", "-").split("-")[0]


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
    if document.get("version") not in READABLE_VERSIONS:
        raise CalibrationError(f"{where}: calibration version {document.get('version')}, this "
                               f"provenance reads versions {', '.join(map(str, READABLE_VERSIONS))}"
                               "; refit it with `provenance eval DIR --calibrate OUT`")
    try:
        models = Models.from_json(document)
        languages = {language_code(code): Models.from_json(entry, models)
                     for code, entry in document.get("languages", {}).items()}
        confidence = ConfidenceMap(**{key: float(value) for key, value in
                                      document.get("confidence", {}).items()})
        if not confidence.slope > 0:
            raise ValueError("a confidence map must grow with the probability (slope > 0)")
    except (AttributeError, KeyError, TypeError, ValueError) as err:
        raise CalibrationError(f"{where}: malformed model ({err!r})") from err
    return Calibration(models, languages, document.get("provenance", {}), confidence)


def feature_rows(features: Sequence[Mapping[str, float]], names: Sequence[str]) -> Matrix:
    """A row of feature values per pair, in the order ``names``."""
    return np.array([[values[name] for name in names] for values in features],
                    dtype=np.float64).reshape(len(features), len(names))


def verdict_of(source: str, derived: str, measurement: Measurement,
               decision: Decision, direction: Direction = UNDECIDED,
               discounted: tuple[tuple[str, int], ...] = (), retold: bool = False) -> Verdict:
    """The verdict of a decision on ``derived`` against ``source``, with its evidence, the
    ``direction`` the evidence settles, the shared text ``discounted`` as no copy, and
    whether its evidence is a retelling's."""
    features = FeatureValues(FEATURES, (measurement.features[name] for name in FEATURES))
    return Verdict(source, derived, *decision, features, measurement.passages,
                   measurement.sentences, direction, discounted, retold)


def decide(features: Mapping[str, float], calibration: Calibration,
           language: str = "") -> Decision:
    """Extent, form and confidence from features, by the models of ``language`` (the
    derived text's).

    Reuse is decided first; only reused pairs are graded, so extent and form agree on
    ``none``. A derived text half of whose words are in passages shared with the source is
    reused, and one whose every 5-word run is in the source ``verbatim``, by definition.
    The confidence is the probability that the extent is right, as the calibration's
    :class:`ConfidenceMap` makes of the models' own.
    """
    return decide_all([features], calibration, [language])[0]


def decide_all(features: Sequence[Mapping[str, float]], calibration: Calibration,
               languages: Sequence[str] | None = None) -> list[Decision]:
    """:func:`decide` for many pairs (``languages``: of each derived text; none known when
    not given), each model applied to all the pairs it judges at once."""
    # The pairs each set of models judges, keyed by its identity: every language without
    # models of its own shares the models for any, and one batch serves them all.
    by_models: dict[int, tuple[Models, list[int]]] = {}
    for n, language in enumerate(languages or [""] * len(features)):
        models = calibration.models_for(language)
        by_models.setdefault(id(models), (models, []))[1].append(n)
    decisions: list[Decision] = [("none", "none", 0.0)] * len(features)
    for models, chosen in by_models.values():
        decided = _decided([features[n] for n in chosen], models)
        confidence = calibration.confidence(np.array([p for _, _, p in decided]))
        for n, (extent, form, _), value in zip(chosen, decided, confidence.tolist(),
                                               strict=True):
            decisions[n] = (extent, form, round(value, 6))
    return decisions


def _decided(features: Sequence[Mapping[str, float]], models: Models
             ) -> list[tuple[Extent, Form, float]]:
    """Extent, form and the models' probability that the extent is right."""
    def probabilities(model: LinearModel) -> Matrix:
        return model.probabilities(feature_rows(features, model.features))

    reuse = probabilities(models.reuse)[:, 1]
    # Copy beyond doubt is reuse, and a verbatim copy verbatim, by definition, whatever a
    # model fitted on rarer cases would say.
    reuse[np.array([copied_beyond_doubt(values) for values in features], dtype=bool)] = 1.0
    reused = reuse >= models.reuse_threshold
    extent_p, form_p = probabilities(models.extent), probabilities(models.form)
    copied = np.array([values["shingle_containment"] >= WHOLLY_COPIED for values in features],
                      dtype=bool)
    form_p[copied] = np.eye(form_p.shape[1])[FORMS.index("verbatim") - 1]
    extent_index, form_index = extent_p.argmax(axis=1), form_p.argmax(axis=1)
    right = np.where(reused, reuse * extent_p.max(axis=1), 1.0 - reuse)
    return [(EXTENTS[1 + int(e)], FORMS[1 + int(f)], p) if r else ("none", "none", p)
            for r, e, f, p in zip(reused.tolist(), extent_index.tolist(), form_index.tolist(),
                                  right.tolist(), strict=True)]


def copied_beyond_doubt(features: Mapping[str, float]) -> bool:
    """Does a fifth of the derived text lie in passages shared with the source that run
    twenty words on average?"""
    return (features["passage_coverage"] >= COPIED_SHARE
            and features["mean_passage_words"] >= math.log1p(COPIED_PASSAGE_WORDS))


def _round(value: float) -> float:
    """Six significant digits: readable, and far finer than the fit's own precision."""
    return float(f"{value:.6g}") if math.isfinite(value) else value

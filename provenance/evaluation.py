"""Judging labelled pairs and scoring the verdicts: the figures behind every accuracy claim.

A labelled folder holds ``articles.jsonl`` (the corpus) and ``pairs.jsonl`` (``source``,
``derived``, ``label``), the format of the COUNTER and Clough-Stevenson datasets. Labels map
onto the verdict's axes: WD/PD/ND grade extent (wholly/partially/none), cut/light/heavy/non
grade form (verbatim/light/heavy/none).
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from provenance.config import Parameters
from provenance.errors import InputError, NotFoundError
from provenance.model import EXTENTS, FORMS
from provenance.progress import Progress, no_progress
from provenance.results import CollectionResult, Evaluation, ReliabilityBin, Spread
from provenance.text.corpus import load_corpus
from provenance.verdict.accuracy import reuse_scores, reused_or_none, score
from provenance.verdict.baseline import best_cuts, classes_by_cuts, word_containment
from provenance.verdict.calibrate import (
    FOLDS,
    Example,
    cross_validate,
    fit_calibration,
    fit_confidence_map,
    fold_of_groups,
)
from provenance.verdict.judging import measure_pairs
from provenance.verdict.models import (
    MODEL_CLASSES,
    Calibration,
    ConfidenceMap,
    Decision,
    decide_all,
)

#: Deals of the source articles into folds that cross-validated figures are averaged over:
#: which articles share a fold moves one deal's figure by chance.
DEALS = 5
#: Edges of the reliability table's bins of confidence.
RELIABILITY_EDGES = (0.0, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0)

#: Dataset label -> (axis, class).
LABELS: dict[str, tuple[str, str]] = {
    "WD": ("extent", "wholly"), "PD": ("extent", "partially"), "ND": ("extent", "none"),
    "cut": ("form", "verbatim"), "light": ("form", "light"), "heavy": ("form", "heavy"),
    "non": ("form", "none"),
}
AXIS_CLASSES: dict[str, tuple[str, ...]] = {"extent": EXTENTS, "form": FORMS}


@dataclass(frozen=True)
class LabelledPair:
    """A pair as listed in ``pairs.jsonl``."""

    source: str
    derived: str
    #: The label as written in the file (``WD``, ``cut`` ...).
    label: str

    @property
    def axis(self) -> str:
        """``extent`` or ``form``."""
        return LABELS[self.label][0]

    @property
    def truth(self) -> str:
        """The label as a class of its axis."""
        return LABELS[self.label][1]


def read_pairs(path: Path) -> list[LabelledPair]:
    """Read ``pairs.jsonl``: one ``{"source", "derived", "label"}`` object per line."""
    pairs = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as err:
        raise NotFoundError(f"{path}: cannot read labelled pairs ({err.strerror})") from err
    except UnicodeDecodeError as err:
        raise InputError(f"not UTF-8 text (bad byte at offset {err.start})", str(path)) from err
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            pair = LabelledPair(str(item["source"]), str(item["derived"]), str(item["label"]))
        except (json.JSONDecodeError, KeyError, TypeError) as err:
            raise InputError(f"not a {{source, derived, label}} object ({err})",
                             str(path), number) from err
        if pair.label not in LABELS:
            raise InputError(f"unknown label {pair.label!r}; expected one of "
                             + ", ".join(LABELS), str(path), number)
        pairs.append(pair)
    return pairs


def read_examples(folder: str | Path, params: Parameters | None = None,
                  progress: Progress = no_progress) -> tuple[list[LabelledPair], list[Example]]:
    """The labelled pairs of ``folder`` and, for each, the measured example."""
    root = Path(folder)
    pairs = read_pairs(root / "pairs.jsonl")
    articles = load_corpus([root / "articles.jsonl"], strict=True).articles
    languages = {article.id: article.language for article in articles}
    for number, pair in enumerate(pairs, start=1):
        for name in (pair.source, pair.derived):
            if name not in languages:
                raise InputError(f"article {name!r} is not in articles.jsonl",
                                 str(root / "pairs.jsonl"), number)
    measured = measure_pairs(articles, [(p.source, p.derived) for p in pairs], params, progress)
    examples = [
        Example(root.name, f"{root.name}/{pair.source}", pair.axis, pair.truth, m.features,
                languages[pair.derived], word_containment(m.source, m.derived))
        for pair, m in zip(pairs, measured, strict=True)
    ]
    return pairs, examples


def evaluate(examples: Sequence[Example], base: Calibration, refit: bool,
             deals: int = DEALS, description: Mapping[str, object] | None = None
             ) -> Evaluation:
    """Score verdicts on labelled ``examples`` beside the naive baseline.

    With ``refit``, the verdicts are cross-validated: for each of ``deals`` deals of source
    articles into folds, each fold judged by models fitted without it (models its labels
    do not inform kept from ``base``), and a calibration is fitted on every pair
    (``description``: what to record of it). Otherwise each pair is judged by ``base``. The
    baseline's cut points are always tuned on the other folds of the same deals."""
    confidence = base.confidence
    if refit:
        raw = [cross_validate(examples, base, FOLDS, deal) for deal in range(deals)]
        confidence = confidence_map(examples, raw)
        runs = [[(extent, form, round(float(confidence(np.array(p))), 6))
                 for extent, form, p in run] for run in raw]
    else:
        runs = [decide_all([e.features for e in examples], base,
                           [e.language for e in examples])]
    naive = [naive_predictions(examples, deal) for deal in range(deals)]
    collections = []
    for name, axis in dict.fromkeys((e.collection, e.axis) for e in examples):
        chosen = [n for n, e in enumerate(examples) if (e.collection, e.axis) == (name, axis)]
        collections.append(_collection_result(name, axis, [examples[n] for n in chosen],
                                              [[run[n] for n in chosen] for run in runs],
                                              [([axis_run[n] for n in chosen],
                                                [reuse_run[n] for n in chosen])
                                               for axis_run, reuse_run in naive]))
    fitted = None
    if refit:
        figures = {f"{c.name} {c.axis}": {"macro_f1": round(c.model.mean, 4),
                                          "reused_vs_none_macro_f1": round(c.model_reuse.mean, 4)}
                   for c in collections}
        fitted = replace(fit_calibration(examples, base, {
            **(description or {}),
            "cross_validation": {"method": f"{FOLDS} folds grouped by source article, "
                                           f"mean of {deals} deals", **figures}}),
            confidence=confidence)
    return Evaluation("cross-validated" if refit else "calibration", deals, collections,
                      runs[0], fitted)


def confidence_map(examples: Sequence[Example], runs: Sequence[Sequence[Decision]]
                   ) -> ConfidenceMap:
    """The map that makes the models' probability that a verdict's extent is right, in
    cross-validated ``runs`` (each judging every example), into a confidence that means it.
    Fitted on the pairs whose labels grade extent, where there are any: others say whether
    there was reuse, not how much."""
    graded = [n for n, e in enumerate(examples) if e.axis == "extent"] or range(len(examples))
    chosen = [examples[n] for n in graded]
    decisions = [run[n] for run in runs for n in graded]
    return fit_confidence_map(np.array([p for _, _, p in decisions]),
                              np.array(_right(chosen, decisions), dtype=bool))


def naive_predictions(examples: Sequence[Example], deal: int = 0
                      ) -> tuple[list[str], list[str]]:
    """Each example's class on its axis, and reused or none, by cut points on word
    containment tuned (per collection) on the other folds of ``deal``."""
    fold = fold_of_groups([e.group for e in examples], FOLDS, deal)
    on_axis, reuse = [""] * len(examples), [""] * len(examples)
    values = np.array([e.word_containment for e in examples])
    for name, axis in dict.fromkeys((e.collection, e.axis) for e in examples):
        chosen = np.array([(e.collection, e.axis) == (name, axis) for e in examples])
        for k in np.unique(fold[chosen]).tolist():
            held, training = np.flatnonzero(chosen & (fold == k)), chosen & (fold != k)
            truth = [e.label for e, t in zip(examples, training.tolist(), strict=True) if t]
            if not truth:
                continue
            for predicted, labels, classes in (
                    (on_axis, truth, AXIS_CLASSES[axis]),
                    (reuse, reused_or_none(truth), MODEL_CLASSES["reuse"])):
                cuts = best_cuts(values[training], labels, classes)
                for n, label in zip(held.tolist(), classes_by_cuts(values[held], cuts, classes),
                                    strict=True):
                    predicted[n] = label
    # A collection held in a single fold has no other folds to learn from: its pairs are
    # judged by the cuts that fit none better, all in the commonest class of none.
    return ([p or "none" for p in on_axis], [p or "none" for p in reuse])


def _right(examples: Sequence[Example], decisions: Sequence[Decision]) -> list[bool]:
    """Whether each decision (of ``examples``, as often repeated) has the extent right, or
    where the labels grade form, reuse."""
    right = []
    for n, (extent, _, _) in enumerate(decisions):
        example = examples[n % len(examples)]
        if example.axis == "extent":
            right.append(extent == example.label)
        else:
            right.append((extent == "none") == (example.label == "none"))
    return right


def _collection_result(name: str, axis: str, examples: Sequence[Example],
                       runs: Sequence[Sequence[Decision]],
                       naive: Sequence[tuple[list[str], list[str]]]) -> CollectionResult:
    truth = [e.label for e in examples]
    classes = AXIS_CLASSES[axis]
    graded = [[extent if axis == "extent" else form for extent, form, _ in run]
              for run in runs]
    return CollectionResult(
        name, axis, score(truth, graded[0], classes), reuse_scores(truth, graded[0]),
        Spread(tuple(score(truth, g, classes).macro_f1 for g in graded)),
        Spread(tuple(reuse_scores(truth, g).macro_f1 for g in graded)),
        Spread(tuple(score(truth, on_axis, classes).macro_f1 for on_axis, _ in naive)),
        Spread(tuple(reuse_scores(truth, reuse).macro_f1 for _, reuse in naive)),
        reliability(examples, [d for run in runs for d in run]))


def reliability(examples: Sequence[Example], decisions: Sequence[Decision]
                ) -> tuple[ReliabilityBin, ...]:
    """How often ``decisions`` (those of ``examples``, as often repeated) were right, binned
    by confidence. Right means the extent matches the label; where the labels grade form,
    which says no more of the extent than whether there was reuse, that it has reuse right."""
    values = np.array([value for _, _, value in decisions])
    hits = np.array(_right(examples, decisions), dtype=bool)
    bins = []
    for low, high in itertools.pairwise(RELIABILITY_EDGES):
        inside = (values >= low) & ((values < high) | (high == RELIABILITY_EDGES[-1]))
        count = int(inside.sum())
        bins.append(ReliabilityBin(low, high, count, int(hits[inside].sum()),
                                   float(values[inside].mean()) if count else 0.0))
    return tuple(bins)

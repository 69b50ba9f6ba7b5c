"""Scoring predicted classes against the truth: per-class precision, recall and F1, macro-F1
and the confusion matrix, as every accuracy figure (and the fit's own choices) is measured."""

from __future__ import annotations

from collections.abc import Sequence

from provenance.results import ClassScore, Scores
from provenance.verdict.models import MODEL_CLASSES


def score(truth: Sequence[str], predicted: Sequence[str], classes: Sequence[str]) -> Scores:
    """Per-class precision, recall and F1, and the confusion matrix."""
    index = {label: i for i, label in enumerate(classes)}
    confusion = [[0] * len(classes) for _ in classes]
    for t, p in zip(truth, predicted, strict=True):
        confusion[index[t]][index[p]] += 1
    per_class = []
    for i, label in enumerate(classes):
        hits = confusion[i][i]
        called = sum(row[i] for row in confusion)
        actual = sum(confusion[i])
        precision = hits / called if called else 0.0
        recall = hits / actual if actual else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_class.append(ClassScore(label, precision, recall, f1, actual))
    return Scores(tuple(classes), tuple(per_class), tuple(tuple(row) for row in confusion))


def reused_or_none(labels: Sequence[str]) -> list[str]:
    """Each label as the reuse model's class: ``none``, or ``reused`` for any other."""
    return ["none" if label == "none" else "reused" for label in labels]


def reuse_scores(truth: Sequence[str], predicted: Sequence[str]) -> Scores:
    """The two-class view: reused (any class but ``none``) against not."""
    return score(reused_or_none(truth), reused_or_none(predicted), MODEL_CLASSES["reuse"])

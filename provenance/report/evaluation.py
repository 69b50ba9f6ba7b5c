"""Rendering ``provenance eval``'s figures: macro-F1 beside the naive baseline's, per-class
scores, the confusion matrix and the reliability of confidence, as a table or as JSON."""

from __future__ import annotations

from typing import Any

from tabulate import tabulate

from provenance.model import SCHEMA_VERSION
from provenance.report.json_output import json_text
from provenance.report.tables import Format
from provenance.results import CollectionResult, Evaluation, Scores, Spread


def render_evaluation(evaluation: Evaluation, method: str, fmt: Format) -> str:
    """Per collection: macro-F1 beside the naive baseline's, per-class precision, recall
    and F1, the confusion matrix, and the reliability of confidence."""
    if fmt == "json":
        return json_text({"schema_version": SCHEMA_VERSION, "method": method,
                      "deals": evaluation.deals,
                      "collections": [_collection_json(c) for c in evaluation.collections]})
    parts = [f"Verdicts {method}."]
    for result in evaluation.collections:
        scores = result.scores
        first = " (first deal)" if len(result.model.values) > 1 else ""
        rows = [[c.label, f"{c.precision:.3f}", f"{c.recall:.3f}", f"{c.f1:.3f}", c.support]
                for c in scores.per_class]
        confusion = [[f"true {label}", *row] for label, row in zip(scores.classes,
                                                                      scores.confusion,
                                                                      strict=True)]
        parts.append("\n".join([
            f"{result.name}: {result.axis}, {sum(c.support for c in scores.per_class)} pairs",
            tabulate([[f"macro-F1 ({result.axis})", _spread(result.model),
                       _spread(result.baseline)],
                      ["macro-F1 (reused vs none)", _spread(result.model_reuse),
                       _spread(result.baseline_reuse)]],
                     headers=["", "verdicts", "naive baseline"], disable_numparse=True),
            "",
            tabulate(rows, headers=[f"class{first}", "precision", "recall", "F1", "pairs"],
                     disable_numparse=True),
            "",
            tabulate(confusion, headers=["", *(f"as {label}" for label in scores.classes)]),
            "",
            _reliability_table(result),
        ]))
    parts.append("The naive baseline: cut points on word containment (the share of the "
                 "derived text's words found in the source), tuned on the other folds.")
    return "\n\n".join(parts)


def _spread(spread: Spread) -> str:
    if len(spread.values) == 1:
        return f"{spread.mean:.3f}"
    return f"{spread.mean:.3f} ± {spread.deviation:.3f}"


def _reliability_table(result: CollectionResult) -> str:
    what = ("extent right" if result.axis == "extent"
            else "reused or none right (the labels grade form)")
    rows = [[f"{b.low:.1f} to {b.high:.1f}", b.verdicts,
             f"{b.share_right:.2f}" if b.verdicts else "-",
             f"{b.mean_confidence:.2f}" if b.verdicts else "-"]
            for b in result.reliability]
    return tabulate(rows, headers=["confidence", "verdicts", f"share {what}",
                                   "mean confidence"], disable_numparse=True)


def _scores_json(scores: Scores) -> dict[str, Any]:
    return {
        "classes": {c.label: {"precision": round(c.precision, 6), "recall": round(c.recall, 6),
                              "f1": round(c.f1, 6), "pairs": c.support}
                    for c in scores.per_class},
        "macro_f1": round(scores.macro_f1, 6),
        "confusion": [list(row) for row in scores.confusion],
    }


def _collection_json(result: CollectionResult) -> dict[str, Any]:
    return {"name": result.name, "axis": result.axis, **_scores_json(result.scores),
            "reuse": _scores_json(result.reuse),
            "deals": {"verdicts": {"macro_f1": _spread_json(result.model),
                                   "reused_vs_none_macro_f1": _spread_json(result.model_reuse)},
                      "naive_baseline": {
                          "macro_f1": _spread_json(result.baseline),
                          "reused_vs_none_macro_f1": _spread_json(result.baseline_reuse)}},
            "reliability": [{"confidence": [b.low, b.high], "verdicts": b.verdicts,
                             "right": b.right, "mean_confidence": round(b.mean_confidence, 6)}
                            for b in result.reliability]}


def _spread_json(spread: Spread) -> dict[str, Any]:
    return {"mean": round(spread.mean, 6), "deviation": round(spread.deviation, 6),
            "values": [round(v, 6) for v in spread.values]}

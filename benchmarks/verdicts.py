"""The verdict models against one containment threshold, cross-validated on labelled folders.

For each folder (``articles.jsonl`` and ``pairs.jsonl``, the format of the shared datasets),
macro-F1 over the classes its labels grade, and for reused against none, of:

- **the verdict models**, refitted without each fold's source articles and judged on them:
  the figures ``provenance eval --calibrate`` prints and writes into the calibration file;
- **one threshold per class boundary** on word-unigram containment (the share of the
  derived text's distinct words found in the source), the reference the issues quote. Its
  cut points are chosen to maximise macro-F1, once on all the pairs (in-sample, as such
  references are quoted: what it scores on the pairs it was tuned on) and once per fold,
  on the other folds (what it is worth on pairs it has not seen); for reused against none,
  a single cut of its own.

Then, for reused against none, how well the reuse model's cross-validated probability ranks
the pairs (the area under the ROC curve: the chance that a reused pair scores above one that
is not) and the macro-F1 of the threshold on it that is best for these very pairs: a bound
on what choosing the threshold could gain, whatever the method choosing it.

The folds are those of ``provenance eval --calibrate``: grouped by source article. Beside
each figure, its 90% interval over the labelled pairs resampled by source article: how far
the same method may land on another sample of the same kind (a held-out half, say).

    python benchmarks/verdicts.py ../shared/datasets/counter-dev \\
        ../shared/datasets/clough-stevenson
"""

from __future__ import annotations

import argparse
import functools
from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing as npt
from labelled import labelled_folder
from tabulate import tabulate

from provenance.evaluation import AXIS_CLASSES, read_examples
from provenance.results import Scores
from provenance.verdict.accuracy import reuse_scores, reused_or_none, score
from provenance.verdict.baseline import best_cuts, classes_by_cuts
from provenance.verdict.calibrate import FOLDS, Example, fold_of_groups, held_out_fits
from provenance.verdict.models import (
    MODEL_CLASSES,
    Decision,
    decide,
    feature_rows,
    load_calibration,
)

#: Resamples of the labelled pairs behind each figure's interval.
RESAMPLES = 1000


def threshold_predictions(values: npt.NDArray[np.float64], truth: Sequence[str],
                          classes: Sequence[str], fold: npt.NDArray[np.int64] | None
                          ) -> list[str]:
    """Classes by cut points fitted on all pairs (``fold`` None), or on the other folds."""
    if fold is None:
        return classes_by_cuts(values, best_cuts(values, truth, classes), classes)
    predicted = [""] * len(truth)
    for k in np.unique(fold).tolist():
        held = fold == k
        training = [t for t, h in zip(truth, held.tolist(), strict=True) if not h]
        cuts = best_cuts(values[~held], training, classes)
        for index, label in zip(np.flatnonzero(held).tolist(),
                                classes_by_cuts(values[held], cuts, classes), strict=True):
            predicted[index] = label
    return predicted


def cross_validated(examples: Sequence[Example]
                    ) -> tuple[list[Decision], npt.NDArray[np.float64]]:
    """Each example's decision and reuse probability, by the verdict models refitted without
    its fold, as `provenance eval --calibrate` refits them."""
    decisions: list[Decision] = [("none", "none", 0.0)] * len(examples)
    reuse = np.zeros(len(examples))
    for held, calibration in held_out_fits(examples, load_calibration()):
        for index in held:
            example = examples[index]
            decisions[index] = decide(example.features, calibration, example.language)
            model = calibration.models_for(example.language).reuse
            reuse[index] = model.probabilities(
                feature_rows([example.features], model.features))[0, 1]
    return decisions, reuse


def ranking(reused: Sequence[str], probability: npt.NDArray[np.float64]) -> tuple[float, float]:
    """The area under the ROC curve of ``probability`` for reused against none, and the
    reused-vs-none macro-F1 of the threshold on it best for these pairs."""
    positive = np.array([label != "none" for label in reused])
    above = probability[positive][:, None] - probability[~positive][None, :]
    area = float((above > 0).mean() + 0.5 * (above == 0).mean())
    best = max(reuse_scores(reused, ["reused" if p >= cut else "none" for p in probability]
                            ).macro_f1 for cut in np.unique(probability).tolist())
    return area, best


def with_interval(truth: Sequence[str], predicted: Sequence[str], groups: Sequence[str],
                  scores: Callable[[Sequence[str], Sequence[str]], Scores]) -> str:
    """The predictions' macro-F1 by ``scores``, and its 5th to 95th percentile when the
    source articles (``groups``, each with all its pairs) are drawn again with replacement."""
    members: dict[str, list[int]] = {}
    for index, group in enumerate(groups):
        members.setdefault(group, []).append(index)
    bundles = list(members.values())
    draws = np.random.default_rng(0).integers(len(bundles), size=(RESAMPLES, len(bundles)))
    figures = []
    for draw in draws.tolist():
        chosen = [index for bundle in draw for index in bundles[bundle]]
        figures.append(scores([truth[i] for i in chosen],
                              [predicted[i] for i in chosen]).macro_f1)
    low, high = np.percentile(figures, [5, 95]).tolist()
    return f"{scores(truth, predicted).macro_f1:.3f} ({low:.2f} to {high:.2f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", type=labelled_folder, nargs="+")
    options = parser.parse_args()
    examples: list[Example] = []
    containment: list[npt.NDArray[np.float64]] = []
    for folder in options.folders:
        _, measured = read_examples(folder)
        examples += measured
        containment.append(np.array([e.word_containment for e in measured]))
    # Fitted on every folder at once, as `provenance eval --calibrate` fits them.
    models, reuse_probability = cross_validated(examples)
    fold = fold_of_groups([e.group for e in examples])
    rows = []
    bounds = []
    start = 0
    for folder, values in zip(options.folders, containment, strict=True):
        chosen = range(start, start + len(values))
        start += len(values)
        axis = examples[chosen[0]].axis
        classes = AXIS_CLASSES[axis]
        truth = [examples[i].label for i in chosen]
        reused = reused_or_none(truth)
        held = fold[chosen.start:chosen.stop]
        modelled: list[str] = [extent if axis == "extent" else form
                    for extent, form, _ in (models[i] for i in chosen)]
        # (the classes predicted, and reused or none): the threshold gets a cut of its own
        # for the second, the one that best tells reused from none.
        methods: dict[str, tuple[list[str], list[str]]] = {
            f"verdict models, cross-validated ({FOLDS} folds)": (modelled, modelled),
            "one containment threshold, in-sample": (
                threshold_predictions(values, truth, classes, None),
                threshold_predictions(values, reused, MODEL_CLASSES["reuse"], None)),
            f"one containment threshold, cross-validated ({FOLDS} folds)": (
                threshold_predictions(values, truth, classes, held),
                threshold_predictions(values, reused, MODEL_CLASSES["reuse"], held)),
        }
        groups = [examples[i].group for i in chosen]
        graded = functools.partial(score, classes=classes)
        for method, (predicted, predicted_reuse) in methods.items():
            rows.append([folder.name, axis, len(truth), method,
                         with_interval(truth, predicted, groups, graded),
                         with_interval(truth, predicted_reuse, groups, reuse_scores)])
        area, best = ranking(reused, reuse_probability[chosen.start:chosen.stop])
        bounds.append([folder.name, len(truth), f"{area:.3f}", f"{best:.3f}"])
    print(tabulate(rows, headers=["dataset", "axis", "pairs", "method", "macro-F1",
                                  "reused vs none, macro-F1"], tablefmt="github",
                   disable_numparse=True))
    print()
    print(tabulate(bounds, headers=["dataset", "pairs", "reuse probability, ROC area",
                                    "reused vs none, best threshold for these pairs"],
                   tablefmt="github", disable_numparse=True))


if __name__ == "__main__":
    main()

"""Judging labelled pairs and scoring the verdicts: the figures behind every accuracy claim.

A labelled folder holds ``articles.jsonl`` (the corpus) and ``pairs.jsonl`` (``source``,
``derived``, ``label``), the format of the COUNTER and Clough-Stevenson datasets. Labels map
onto the verdict's axes: WD/PD/ND grade extent (wholly/partially/none), cut/light/heavy/non
grade form (verbatim/light/heavy/none).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .calibrate import Example
from .config import Parameters
from .corpus import load_corpus
from .errors import InputError, NotFoundError
from .model import EXTENTS, FORMS
from .pipeline import Progress, measure_pairs, no_progress
from .scores import Scores, reuse_scores, score

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
                languages[pair.derived])
        for pair, m in zip(pairs, measured, strict=True)
    ]
    return pairs, examples


@dataclass(frozen=True)
class CollectionResult:
    """The scores of one labelled folder on the axis its labels grade."""

    name: str
    axis: str
    scores: Scores
    #: Reused (any class but none) against not.
    reuse: Scores


def summarize(examples: Sequence[Example],
              predictions: Sequence[tuple[str, str, float]]) -> list[CollectionResult]:
    """Score the predictions of each collection on each axis its labels grade."""
    results = []
    for name, axis in dict.fromkeys((e.collection, e.axis) for e in examples):
        chosen = [(e, p) for e, p in zip(examples, predictions, strict=True)
                  if (e.collection, e.axis) == (name, axis)]
        truth = [e.label for e, _ in chosen]
        predicted = [p[0] if axis == "extent" else p[1] for _, p in chosen]
        results.append(CollectionResult(name, axis, score(truth, predicted, AXIS_CLASSES[axis]),
                                        reuse_scores(truth, predicted)))
    return results

"""What the workflows return: the result types the renderers read, and nothing that computes
them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

import numpy as np

from provenance.config import Action
from provenance.model import Article, Credit, Lineage, PairScore, Skipped, Verdict

if TYPE_CHECKING:  # the types alone: a renderer loads no model
    from provenance.verdict.models import Calibration, Decision


@dataclass(frozen=True)
class IndexUpdate:
    """What one update changed."""

    added: tuple[str, ...]
    changed: tuple[str, ...]
    removed: tuple[str, ...]
    unchanged: int
    #: The inputs a refresh from a corpus folder could not read (whose articles it lacks).
    skipped: tuple[Skipped, ...] = ()

    @property
    def fingerprinted(self) -> int:
        """Articles whose fingerprints were computed anew."""
        return len(self.added) + len(self.changed)


@dataclass(frozen=True)
class ScanResult:
    """Everything one scan found, in a deterministic order."""

    #: The scanned articles, sorted by id.
    articles: Sequence[Article]
    #: The related pairs, more derived first (a scan's wait on disk: see :mod:`judged`).
    pairs: Sequence[PairScore]
    too_short: tuple[str, ...]
    skipped: tuple[Skipped, ...]
    candidates: int
    #: How many of ``pairs`` are judged derived (counted as they are judged: a large
    #: scan's pairs are on disk).
    derived_pairs: int
    parameters: Mapping[str, float | int | None]
    #: The credits found in the articles that carry some, by article id.
    credits: Mapping[str, tuple[Credit, ...]]
    lineage: Lineage
    #: What the scan changed in the index it kept up to date, if it had one. A fact of
    #: the run, not of the corpus: reports leave it out.
    index_update: IndexUpdate | None = field(default=None, compare=False)
    #: Why the index could not be updated (a full disk, say), where it could not: the
    #: results are complete all the same, and the index is as it was.
    index_problem: str | None = field(default=None, compare=False)

    @property
    def article_ids(self) -> tuple[str, ...]:
        """The ids of the scanned articles, sorted."""
        return tuple(article.id for article in self.articles)


Rule = Literal["duplicate", "credited-duplicate", "uncredited-reuse", "reuse"]


@dataclass(frozen=True)
class Finding:
    """What the check found about one new article, and what the policy makes of it."""

    rule: Rule
    action: Action
    article: str
    #: The existing article it concerns.
    other: str
    #: Offset in the new article's text where the evidence starts (first shared passage or
    #: aligned sentence).
    offset: int
    message: str
    pair: PairScore
    verdict: Verdict


@dataclass(frozen=True)
class CheckResult:
    """What a check found, article by article."""

    checked: tuple[Article, ...]
    findings: tuple[Finding, ...]
    #: Articles in the index the new ones were checked against.
    indexed: int
    #: How long each article's check took, by id: a fact of the run, which JUnit reports.
    seconds: Mapping[str, float] = field(default_factory=dict, compare=False)

    @property
    def failed(self) -> bool:
        """True when a finding's policy action is ``fail``."""
        return any(finding.action == "fail" for finding in self.findings)


@dataclass(frozen=True)
class Spread:
    """One figure as measured over several deals of the pairs into folds."""

    values: tuple[float, ...]

    @property
    def mean(self) -> float:
        """The figure, averaged over the deals."""
        return float(np.mean(self.values))

    @property
    def deviation(self) -> float:
        """Its standard deviation over the deals (0 for one)."""
        return float(np.std(self.values))


@dataclass(frozen=True)
class ReliabilityBin:
    """The verdicts given a confidence in ``[low, high)`` (the last bin includes 1), and
    how many of them were right."""

    low: float
    high: float
    verdicts: int
    right: int
    #: The mean confidence of those verdicts (0 when there are none).
    mean_confidence: float

    @property
    def share_right(self) -> float:
        """The share of those verdicts that were right: what their confidence should be."""
        return self.right / self.verdicts if self.verdicts else 0.0


@dataclass(frozen=True)
class CollectionResult:
    """The scores of one labelled folder on the axis its labels grade."""

    name: str
    axis: str
    #: Per-class scores of the first deal (or of the calibration, when none is fitted).
    scores: Scores
    #: Reused (any class but none) against not, of the same predictions.
    reuse: Scores
    #: Macro-F1 on the axis and of reused against none, for each deal: of the verdicts,
    #: and of the naive baseline (see :mod:`baseline`) tuned in the same folds.
    model: Spread
    model_reuse: Spread
    baseline: Spread
    baseline_reuse: Spread
    #: How often verdicts were right, by their confidence, over every deal.
    reliability: tuple[ReliabilityBin, ...]


@dataclass(frozen=True)
class Evaluation:
    """Every labelled folder's scores, and how they were measured."""

    #: ``"cross-validated"`` (the models refitted without each fold) or ``"calibration"``.
    method: str
    deals: int
    collections: list[CollectionResult]
    #: Each pair's decision: by the calibration, or cross-validated in the first deal.
    predictions: list[Decision]
    #: The calibration fitted on every pair, when one was asked for.
    fitted: Calibration | None = None


@dataclass(frozen=True)
class ClassScore:
    """Precision, recall and F1 of one class."""

    label: str
    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True)
class Scores:
    """How well predictions match the truth over a set of classes."""

    classes: tuple[str, ...]
    per_class: tuple[ClassScore, ...]
    #: ``confusion[t][p]``: pairs of true class ``t`` predicted as class ``p``.
    confusion: tuple[tuple[int, ...], ...]

    @property
    def macro_f1(self) -> float:
        """Unweighted mean of the per-class F1 scores."""
        return sum(c.f1 for c in self.per_class) / len(self.per_class)

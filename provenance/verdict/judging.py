"""A pair judged both ways: measured, decided by the models, its reuse discounted where it
rests on no copy, its direction decided; and labelled pairs measured for evaluation."""

from __future__ import annotations

from collections.abc import Container, Mapping, Sequence
from typing import NamedTuple

from provenance.config import Parameters
from provenance.model import (
    EXTENTS,
    NO_REUSE,
    Article,
    PairScore,
    Verdict,
)
from provenance.progress import Progress, no_progress
from provenance.text.bodies import article_bodies
from provenance.text.document import read_corpus
from provenance.verdict.direction import ArticleFacts, Layout, same_name
from provenance.verdict.direction import decide as decide_direction
from provenance.verdict.discount import Marks, evidence
from provenance.verdict.features import Measurement, Weighed, measure, measure_both, weigh
from provenance.verdict.models import (
    Calibration,
    Decision,
    decide_all,
    verdict_of,
)
from provenance.verdict.retelling import retelling, retold_decision


def measure_pairs(articles: Sequence[Article], pairs: Sequence[tuple[str, str]],
                  params: Parameters | None = None,
                  progress: Progress = no_progress) -> list[Measurement]:
    """Measure each ``(source id, derived id)`` pair; ``articles`` is the corpus (for IDF)."""
    params = params or Parameters()
    read, weights = read_corpus(articles, article_bodies(articles), params, progress)
    documents = {article.id: weigh(doc, weights)
                 for article, doc in zip(articles, read, strict=True)}
    measurements = []
    for done, (source, derived) in enumerate(pairs, start=1):
        measurements.append(measure(documents[source], documents[derived],
                                    params.shingle_size, params.max_gap))
        if done % 100 == 0 or done == len(pairs):
            progress("measuring", done, len(pairs))
    return measurements


def is_related(jaccard: float, a_in_b: float, b_in_a: float, params: Parameters) -> bool:
    """True when a pair shares enough to report."""
    return max(jaccard, a_in_b, b_in_a) >= params.min_containment


def judged_pair(a: Article, b: Article, doc_a: Weighed, doc_b: Weighed, params: Parameters,
                calibration: Calibration, facts: Mapping[str, ArticleFacts],
                in_question: str | None = None) -> tuple[PairScore, Verdict]:
    """``a`` and ``b`` measured both ways: their shingle overlap and shared passages, and the
    verdict of the direction the evidence settles (``facts``: what it rests on, by id; see
    :mod:`direction`). Where it settles none, the stronger of the two verdicts; of two of
    equal extent, the one taking as derived the article ``in_question`` (whose derivation a
    check asks about), if named."""
    return judged_pairs([(a, b, doc_a, doc_b)], params, calibration, facts,
                        {in_question} if in_question else set())[0]


#: Two articles and their weighed readings.
ArticlePair = tuple[Article, Article, Weighed, Weighed]


def judged_pairs(pairs: Sequence[ArticlePair], params: Parameters, calibration: Calibration,
                 facts: Mapping[str, ArticleFacts], in_question: Container[str] = ()
                 ) -> list[tuple[PairScore, Verdict]]:
    """:func:`judged_pair` of each pair (``in_question``: ids of articles whose derivation is
    asked about), the verdicts of all decided at once."""
    measured = [measure_both(doc_a, doc_b, params.shingle_size, params.max_gap)
                for _, _, doc_a, doc_b in pairs]
    decisions = iter(decide_all(
        [m.features for _, forward, backward in measured for m in (backward, forward)],
        calibration, [derived.language for a, b, _, _ in pairs for derived in (a, b)]))
    marks: dict[str, Marks] = {}  # of each article, read once
    for a, b, doc_a, doc_b in pairs:
        for article, doc in ((a, doc_a), (b, doc_b)):
            if article.id not in marks:
                marks[article.id] = Marks.of(doc.document)
    judged = []
    for (a, b, _, _), (shared, forward, backward) in zip(pairs, measured, strict=True):
        same_outlet = same_name(a.outlet, b.outlet) if a.outlet and b.outlet else False
        options = [(source.id, copy.id,
                    _shown(measurement, next(decisions), (marks[source.id], marks[copy.id]),
                           same_outlet))
                   for source, copy, measurement in ((b, a, backward), (a, b, forward))]
        direction = decide_direction(facts[a.id], facts[b.id], _layout(shared, forward))
        if direction.relation == "derived":
            chosen = options[direction.source == a.id]
        else:
            earlier = _published_before(facts[a.id], facts[b.id])
            chosen = max(options, key=lambda option: _strength(
                option[2].decision, option[2].measurement.features, option[1] in in_question,
                earlier is not None and (option[0] == a.id) == earlier))
        source_id, derived_id, shown = chosen
        if shown.decision[0] == "none":  # no reuse: no direction to tell
            direction = NO_REUSE
        verdict = verdict_of(source_id, derived_id, shown.measurement, shown.decision,
                             direction, shown.discounted, shown.retold)
        judged.append((PairScore(a.id, b.id, *shared, forward.passages, verdict), verdict))
    return judged


class Shown(NamedTuple):
    """What a pair's verdict one way rests on: the measurement whose sentences are its
    evidence, the decision, the shared text discounted as no copy, and whether the evidence
    is a retelling's (see :mod:`retelling`)."""

    measurement: Measurement
    decision: Decision
    discounted: tuple[tuple[str, int], ...]
    retold: bool = False


def _shown(measurement: Measurement, decision: Decision, marks: tuple[Marks, Marks],
           same_outlet: bool) -> Shown:
    """What :func:`_on_copy` keeps of the models' decision, or the pair as a retelling: its
    sentences aligned in order are the evidence of a reuse shown without them, and show
    reuse themselves where they tell the source."""
    shown = _on_copy(measurement, decision, marks, same_outlet)
    retold = retelling(measurement, decision, marks[0].boilerplate)
    if retold is None or not (shown.decision[0] != "none" or retold.tells_source):
        return shown
    as_retold = _on_copy(retold.measurement, retold_decision(decision), marks, same_outlet)
    if as_retold.decision[0] == "none":
        return shown
    return as_retold._replace(retold=True)


def _on_copy(measurement: Measurement, decision: Decision, marks: tuple[Marks, Marks],
             same_outlet: bool) -> Shown:
    """``measurement`` and ``decision``, unless it finds reuse that rests on no copy (see
    :mod:`discount`): then no reuse; and the shared text discounted (``marks``: the
    source's and the derived text's)."""
    found = evidence(measurement.source, measurement.derived, marks,
                     measurement.aligned_source, measurement.aligned_derived,
                     measurement.passage_spans, same_outlet)
    extent, _, confidence = decision
    if extent != "none" and not found.shows_copy(measurement.derived.word_count):
        return Shown(measurement, ("none", "none", confidence), found.discounted)
    return Shown(measurement, decision, found.discounted)


def _layout(shared: tuple[float, float, float], forward: Measurement) -> Layout:
    """Where the text ``a`` and ``b`` share sits in each (``forward``: ``b`` measured as
    derived from ``a``)."""
    spans = forward.passage_spans
    _, a_in_b, b_in_a = shared
    if not spans.size:
        return Layout(a_in_b, b_in_a, None, None)
    return Layout(a_in_b, b_in_a, int(spans[:, 0].min()), int(spans[:, 2].min()))


def _strength(decision: Decision, features: Mapping[str, float], derived_in_question: bool,
              source_earlier: bool) -> tuple[bool, bool, bool, int, float, float]:
    """Orders the two verdicts of a pair whose direction no evidence settles: one finding
    reuse first; of those, the one whose derived text is in question (a check asks whether
    it derives from the other), then the one measured from the earlier publication (two
    carriers of one copy, shown as they appeared), then the more derived, then the way in
    which more of the derived text is found in the source (a copy is contained in its
    source, not the other way round), then the more confident."""
    extent, _, confidence = decision
    signed = confidence if extent != "none" else -confidence
    return (extent != "none", derived_in_question, source_earlier, EXTENTS.index(extent),
            features["gram_containment"], signed)


def _published_before(a: ArticleFacts, b: ArticleFacts) -> bool | None:
    """Was ``a`` published before ``b`` (None: not known, or at one time)?"""
    return a.published.before(b.published) if a.published and b.published else None

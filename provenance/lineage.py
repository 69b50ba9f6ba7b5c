"""Lineage: from pair verdicts and credits to where each article's text came from.

The rules, in order:

1. **Stories**: articles linked by any reported pair form one story cluster.
2. **Derivations**: a reused verdict counts only with aligned evidence (at least
   :data:`MIN_ALIGNED_SENTENCES` aligned sentences, or half the derived text aligned). Its
   direction is settled by, first to decide: an agency's own article is the source of a
   newspaper's; credited wire copy is the source of uncredited text; the earlier publication
   is the source; a text found almost whole in the other (containment at least
   :data:`CONTAINED` and twice the reverse) is the copy. Otherwise it stays unsettled.
3. **Each article's source** is its strongest derivation (most confident verdict) among those
   it receives or that are unsettled. Articles joined by unsettled derivations are rewrites of
   one copy that is not in the corpus: they get a **common source**, named after the agency
   their wire credits name, or ``unknown copy``.
4. **Lineage**: ``credited wire copy`` when the article credits its source's agency (or
   carries a wire credit and has no source in the corpus), ``uncredited reuse`` when it does
   not, ``original`` for a source and for an agency's own copy, ``independent`` for an
   article that shares a story but no derivation.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .agencies import Registry
from .judged import DerivationOfPair
from .model import (
    EXTENTS,
    UNKNOWN_COPY,
    Article,
    ArticleLineage,
    CommonSource,
    Credit,
    Lineage,
    LineageKind,
    PairScore,
    Story,
    Verdict,
)
from .texts import article_ids, field_values

#: Aligned sentences a derivation needs before lineage asserts it.
MIN_ALIGNED_SENTENCES = 2
#: ...or this share of the derived text in aligned sentences (a one-sentence brief).
MIN_ALIGNED_SHARE = 0.5
#: A derived text whose 5-word runs are at least this much in the source, and twice as much
#: as the other way round, is a copy of it: trimmed copy is contained in its source.
CONTAINED = 0.5


@dataclass(frozen=True)
class PairSummary:
    """What lineage (and the report's order) needs of each judged pair, one array per field,
    pair ``n`` at row ``n``: a scan's pairs wait on disk with their evidence, and lineage
    reads none of them back."""

    #: The positions of the pair's articles (``a`` and ``b`` of its :class:`PairScore`)
    #: among the scan's articles.
    a: npt.NDArray[np.int32]
    b: npt.NDArray[np.int32]
    jaccard: npt.NDArray[np.float64]
    a_in_b: npt.NDArray[np.float64]
    b_in_a: npt.NDArray[np.float64]
    #: The verdict's extent, as its place in :data:`model.EXTENTS` (0 without a verdict).
    extent: npt.NDArray[np.int8]
    #: Whether the verdict is reused with the evidence a derivation needs (:func:`evidenced`).
    evidenced: npt.NDArray[np.bool_]
    #: Whether the verdict's source is ``a`` (else ``b``).
    a_is_source: npt.NDArray[np.bool_]
    confidence: npt.NDArray[np.float64]
    #: The shares of the derived and of the source text in aligned sentences.
    aligned_share: npt.NDArray[np.float64]
    source_aligned_share: npt.NDArray[np.float64]

    @classmethod
    def of(cls, pairs: Sequence[PairScore], ends: Sequence[tuple[int, int]]) -> PairSummary:
        """The summary of ``pairs``, whose articles are at positions ``ends``."""
        verdicts = [pair.verdict for pair in pairs]
        features: list[Mapping[str, float]] = [v.features if v else {} for v in verdicts]

        def floats(values: Iterable[float]) -> npt.NDArray[np.float64]:
            return np.fromiter(values, dtype=np.float64, count=len(pairs))

        def flags(values: Iterable[bool]) -> npt.NDArray[np.bool_]:
            return np.fromiter(values, dtype=bool, count=len(pairs))

        return cls(
            a=np.fromiter((a for a, _ in ends), dtype=np.int32, count=len(ends)),
            b=np.fromiter((b for _, b in ends), dtype=np.int32, count=len(ends)),
            jaccard=floats(pair.jaccard for pair in pairs),
            a_in_b=floats(pair.a_in_b for pair in pairs),
            b_in_a=floats(pair.b_in_a for pair in pairs),
            extent=np.fromiter((EXTENTS.index(v.extent) if v else 0 for v in verdicts),
                               dtype=np.int8, count=len(pairs)),
            evidenced=flags(v is not None and evidenced(v) for v in verdicts),
            a_is_source=flags(v is not None and v.source == pair.a
                              for pair, v in zip(pairs, verdicts, strict=True)),
            confidence=floats(v.confidence if v else 0.0 for v in verdicts),
            aligned_share=floats(f.get("aligned_share", 0.0) for f in features),
            source_aligned_share=floats(f.get("source_aligned_share", 0.0) for f in features),
        )

    @classmethod
    def concatenate(cls, parts: Sequence[PairSummary]) -> PairSummary:
        """The pairs of ``parts``, one part after the other."""
        if not parts:
            return cls.of([], [])
        return cls(*(np.concatenate([vars(part)[name] for part in parts])
                     for name in cls.__dataclass_fields__))

    def __len__(self) -> int:
        return int(self.a.size)

    def reused(self) -> int:
        """How many of the pairs are judged derived (an extent other than ``none``)."""
        return int(np.count_nonzero(self.extent != EXTENTS.index("none")))

    def take(self, order: npt.NDArray[np.intp]) -> PairSummary:
        """The pairs at rows ``order``, in that order."""
        return PairSummary(*(vars(self)[name][order] for name in self.__dataclass_fields__))

    def report_order(self) -> npt.NDArray[np.intp]:
        """The order pairs are reported in: more derived first, then the more contained,
        the more alike, and by their articles' positions."""
        order: npt.NDArray[np.intp] = np.lexsort(
            (self.b, self.a, -self.jaccard, -np.maximum(self.a_in_b, self.b_in_a),
             -self.extent.astype(np.int64)))
        return order


@dataclass(frozen=True)
class _Edge:
    """An evidenced derivation between two articles: pair ``index`` of the scan."""

    index: int
    source: str
    derived: str
    confidence: float
    #: (source, derived, basis) when the direction is settled.
    settled: tuple[str, str, str] | None
    #: The shares of each article's text in aligned sentences.
    shares: Mapping[str, float]

    def other(self, article_id: str) -> str:
        return self.derived if article_id == self.source else self.source


def infer_lineage(articles: Sequence[Article], pairs: Sequence[PairScore],
                  credits: Mapping[str, tuple[Credit, ...]], registry: Registry,
                  summary: PairSummary | None = None) -> Lineage:
    """Stories, derivations, common sources and each article's lineage. ``summary``, the
    pairs' summary if it is at hand, saves reading every pair: lineage then reads none, and
    its derivations read their verdicts from ``pairs`` when they are asked for."""
    # Read as columns: a scan's articles would each be made anew when asked for.
    positions = article_ids(articles)
    published = field_values(articles, "published")
    outlets = field_values(articles, "outlet")
    agency_of = {outlet: own.name for outlet in set(outlets) if (own := registry.lookup(outlet))}
    own_agency = {i: agency_of[outlet] for i, outlet in zip(positions, outlets, strict=True)
                  if outlet in agency_of}
    if summary is None:
        place = {article_id: n for n, article_id in enumerate(positions)}
        summary = PairSummary.of(pairs, [(place[p.a], place[p.b]) for p in pairs])
    ids = sorted(positions)
    # Few articles carry wire credits: only theirs are kept (lookups default to none).
    wire = {i: found for i, found_credits in credits.items()
            if (found := tuple(c for c in found_credits if c.wire))}
    touching: dict[str, list[_Edge]] = {}
    for judged in _edges(summary, positions, published, own_agency, wire):
        for end in (judged.source, judged.derived):
            touching.setdefault(end, []).append(judged)
    primary = {i: strongest for i in ids if (strongest := _primary(i, touching.get(i, [])))}
    unsettled = ((i, edge.other(i)) for i, edge in primary.items() if edge.settled is None)
    common: dict[str, CommonSource] = {}
    for number, members in enumerate(_groups(unsettled), start=1):
        agency = _credited_agency(wire.get(m, ()) for m in members)
        source = CommonSource(f"copy-{number}", agency or UNKNOWN_COPY, agency, members)
        common.update({member: source for member in members})

    links = ((positions[a], positions[b])
             for a, b in zip(summary.a.tolist(), summary.b.tolist(), strict=True))
    stories = _groups(links)
    in_story = {member for story in stories for member in story}
    sources = {edge.settled[0] for edge in primary.values() if edge.settled}
    lineages = []
    for i in ids:
        source_edge = primary.get(i)
        if i in own_agency or source_edge is None:
            lineages.append(_unsourced(i, credits.get(i, ()), wire.get(i, ()), i in own_agency,
                                       independent=i in in_story and i not in sources))
        else:
            lineages.append(_sourced(i, source_edge, pairs, common.get(i), own_agency, wire,
                                     credits.get(i, ())))
    by_article = {item.article: item for item in lineages}
    return Lineage(
        stories=tuple(_story(number, members, by_article, common)
                      for number, members in enumerate(stories, start=1)),
        articles=tuple(lineages),
    )


def evidenced(verdict: Verdict) -> bool:
    """True when a reused verdict has the aligned evidence a derivation claim needs."""
    return verdict.reused and (len(verdict.sentences) >= MIN_ALIGNED_SENTENCES
                               or verdict.features.get("aligned_share", 0.0) >= MIN_ALIGNED_SHARE)


def _edges(summary: PairSummary, ids: Sequence[str], published: Sequence[str],
           own_agency: Mapping[str, str], wire: Mapping[str, tuple[Credit, ...]]
           ) -> Iterable[_Edge]:
    """The evidenced derivations among the pairs of ``summary`` (of the articles whose ids
    and publication dates are ``ids`` and ``published``), each with its direction when the
    evidence settles it."""
    for n in np.flatnonzero(summary.evidenced).tolist():
        a, b = int(summary.a[n]), int(summary.b[n])
        a_in_b, b_in_a = float(summary.a_in_b[n]), float(summary.b_in_a[n])
        if not summary.a_is_source[n]:
            a, b, a_in_b, b_in_a = b, a, b_in_a, a_in_b
        settled = _direction((ids[a], published[a]), (ids[b], published[b]), a_in_b, b_in_a,
                             own_agency, wire)
        yield _Edge(n, ids[a], ids[b], float(summary.confidence[n]), settled,
                    {ids[b]: float(summary.aligned_share[n]),
                     ids[a]: float(summary.source_aligned_share[n])})


def _direction(source: tuple[str, str], derived: tuple[str, str], a_in_b: float,
               b_in_a: float, own_agency: Mapping[str, str],
               wire: Mapping[str, tuple[Credit, ...]]) -> tuple[str, str, str] | None:
    """(source, derived, basis) when the evidence settles which way the text went between
    ``source`` and ``derived`` (each an article's id and publication date), the verdict's
    (``a_in_b``: the share of the source's 5-word runs found in the derived text)."""
    (a, published_a), (b, published_b) = source, derived
    for test, basis in ((own_agency, "agency's own copy"), (wire, "credited wire copy")):
        if bool(test.get(a)) != bool(test.get(b)):
            return (a, b, basis) if test.get(a) else (b, a, basis)
    if published_a and published_b and published_a != published_b:
        return (a, b, "published earlier") if published_a < published_b else (
            b, a, "published earlier")
    if b_in_a >= CONTAINED and b_in_a >= 2 * a_in_b:
        return a, b, "contained in source"
    if a_in_b >= CONTAINED and a_in_b >= 2 * b_in_a:
        return b, a, "contained in source"
    return None


def _primary(article_id: str, edges: Iterable[_Edge]) -> _Edge | None:
    """The strongest derivation the article receives, or takes part in unsettled."""
    eligible = [edge for edge in edges if edge.settled is None or edge.settled[1] == article_id]
    return max(eligible, key=lambda e: (e.confidence, e.source, e.derived), default=None)


def _groups(links: Iterable[tuple[str, str]]) -> list[tuple[str, ...]]:
    """The articles joined by ``links``, directly or through others: each group sorted, the
    groups in order of first member. Only linked articles are held, not the whole corpus."""
    parent: dict[str, str] = {}

    def root(node: str) -> str:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for first, second in links:
        parent[root(first)] = root(second)
    components: dict[str, list[str]] = {}
    for node in sorted(parent):
        components.setdefault(root(node), []).append(node)
    return sorted((tuple(c) for c in components.values()), key=lambda c: c[0])


def _credited_agency(member_credits: Iterable[tuple[Credit, ...]]) -> str | None:
    """The agency most members credit as wire copy (ties go to the name first in order)."""
    votes = Counter(agency for credits in member_credits
                    for agency in {c.agency for c in credits if c.agency})
    if not votes:
        return None
    return min(votes, key=lambda agency: (-votes[agency], agency))


def credits_agency(credits: Iterable[Credit], agency: str | None) -> bool:
    """True when the wire ``credits`` among ``credits`` credit ``agency``; a credit to
    unnamed agencies covers any agency (and copy of no known agency)."""
    credited = {c.agency for c in credits if c.wire}
    return agency in credited or None in credited


def _unsourced(article_id: str, credits: tuple[Credit, ...], wire: tuple[Credit, ...],
               agency_copy: bool, independent: bool) -> ArticleLineage:
    """The lineage of an article with no source in the corpus: wire copy if it says so
    (unless it is the agency's own), else ``independent`` (in a story, a source of none of
    it) or ``original``."""
    if wire and not agency_copy:
        agency = _credited_agency([wire]) or "agencies"
        return ArticleLineage(article_id, "credited wire copy", agency, None, credits, None)
    kind: LineageKind = "independent" if independent and not agency_copy else "original"
    return ArticleLineage(article_id, kind, None, None, credits, None)


def _sourced(article_id: str, edge: _Edge, pairs: Sequence[PairScore],
             common: CommonSource | None, own_agency: Mapping[str, str],
             wire: Mapping[str, tuple[Credit, ...]], credits: tuple[Credit, ...]
             ) -> ArticleLineage:
    """The lineage of an article taking text from ``edge``'s source (``edge``: one of
    ``pairs``), or from the common source it retells."""
    if edge.settled is not None:
        source, _, basis = edge.settled
        source_agency = own_agency.get(source) or _credited_agency([wire.get(source, ())])
    else:
        assert common is not None  # an unsettled primary always joins a common source
        source, basis, source_agency = common.id, "common source", common.agency
    credited = credits_agency(wire.get(article_id, ()), source_agency)
    return ArticleLineage(article_id, "credited wire copy" if credited else "uncredited reuse",
                          source, round(edge.shares[article_id], 6), credits,
                          DerivationOfPair(source, article_id, basis, pairs, edge.index))


def _story(number: int, members: tuple[str, ...], lineages: Mapping[str, ArticleLineage],
           common: Mapping[str, CommonSource]) -> Story:
    sources = {common[m].id: common[m] for m in members if m in common}
    derivations = tuple(derivation for m in members
                        if (derivation := lineages[m].derivation) is not None)
    return Story(f"story-{number}", members, tuple(sources[k] for k in sorted(sources)),
                 derivations)

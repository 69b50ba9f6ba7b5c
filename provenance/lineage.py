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

from .agencies import Registry
from .model import (
    UNKNOWN_COPY,
    Article,
    ArticleLineage,
    CommonSource,
    Credit,
    Derivation,
    Lineage,
    LineageKind,
    PairScore,
    Story,
    Verdict,
)

#: Aligned sentences a derivation needs before lineage asserts it.
MIN_ALIGNED_SENTENCES = 2
#: ...or this share of the derived text in aligned sentences (a one-sentence brief).
MIN_ALIGNED_SHARE = 0.5
#: A derived text whose 5-word runs are at least this much in the source, and twice as much
#: as the other way round, is a copy of it: trimmed copy is contained in its source.
CONTAINED = 0.5


@dataclass(frozen=True)
class _Edge:
    verdict: Verdict
    pair: PairScore
    #: (source, derived, basis) when the direction is settled.
    settled: tuple[str, str, str] | None

    def other(self, article_id: str) -> str:
        return self.verdict.derived if article_id == self.verdict.source else self.verdict.source


def infer_lineage(articles: Sequence[Article], pairs: Sequence[PairScore],
                  credits: Mapping[str, tuple[Credit, ...]], registry: Registry) -> Lineage:
    """Stories, derivations, common sources and each article's lineage."""
    by_id = {article.id: article for article in articles}
    ids = sorted(by_id)
    own_agency = {a.id: own.name for a in articles if (own := registry.lookup(a.outlet))}
    wire = {i: tuple(c for c in credits.get(i, ()) if c.wire) for i in ids}
    touching: dict[str, list[_Edge]] = {}
    for pair in pairs:
        if pair.verdict and evidenced(pair.verdict):
            judged = _Edge(pair.verdict, pair, _direction(pair, by_id, own_agency, wire))
            for end in (pair.a, pair.b):
                touching.setdefault(end, []).append(judged)
    primary = {i: strongest for i in ids if (strongest := _primary(i, touching.get(i, [])))}
    unsettled = ((i, edge.other(i)) for i, edge in primary.items() if edge.settled is None)
    common: dict[str, CommonSource] = {}
    for number, members in enumerate((g for g in _groups(unsettled, ids) if len(g) > 1),
                                     start=1):
        agency = _credited_agency(wire[m] for m in members)
        source = CommonSource(f"copy-{number}", agency or UNKNOWN_COPY, agency, members)
        common.update({member: source for member in members})

    stories = [s for s in _groups(((p.a, p.b) for p in pairs), ids) if len(s) > 1]
    in_story = {member for story in stories for member in story}
    sources = {edge.settled[0] for edge in primary.values() if edge.settled}
    lineages = []
    for i in ids:
        source_edge = primary.get(i)
        if i in own_agency or source_edge is None:
            lineages.append(_unsourced(i, credits.get(i, ()), wire[i], i in own_agency,
                                       independent=i in in_story and i not in sources))
        else:
            lineages.append(_sourced(i, source_edge, common.get(i), own_agency, wire,
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


def _direction(pair: PairScore, articles: Mapping[str, Article], own_agency: Mapping[str, str],
               wire: Mapping[str, tuple[Credit, ...]]) -> tuple[str, str, str] | None:
    """(source, derived, basis) when the evidence settles which way the text went."""
    assert pair.verdict is not None
    a, b = pair.verdict.source, pair.verdict.derived
    for test, basis in ((own_agency, "agency's own copy"), (wire, "credited wire copy")):
        if bool(test.get(a)) != bool(test.get(b)):
            return (a, b, basis) if test.get(a) else (b, a, basis)
    published_a, published_b = articles[a].published, articles[b].published
    if published_a and published_b and published_a != published_b:
        return (a, b, "published earlier") if published_a < published_b else (
            b, a, "published earlier")
    b_in_a, a_in_b = (pair.b_in_a, pair.a_in_b) if pair.a == a else (pair.a_in_b, pair.b_in_a)
    if b_in_a >= CONTAINED and b_in_a >= 2 * a_in_b:
        return a, b, "contained in source"
    if a_in_b >= CONTAINED and a_in_b >= 2 * b_in_a:
        return b, a, "contained in source"
    return None


def _primary(article_id: str, edges: Iterable[_Edge]) -> _Edge | None:
    """The strongest derivation the article receives, or takes part in unsettled."""
    eligible = [edge for edge in edges if edge.settled is None or edge.settled[1] == article_id]
    return max(eligible, key=lambda e: (e.verdict.confidence, e.verdict.source,
                                        e.verdict.derived), default=None)


def _groups(links: Iterable[tuple[str, str]], ids: Sequence[str]) -> list[tuple[str, ...]]:
    """Connected components of ``links`` over ``ids``, each sorted, in order of first member."""
    parent = {node: node for node in ids}

    def root(node: str) -> str:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for first, second in links:
        parent[root(first)] = root(second)
    components: dict[str, list[str]] = {}
    for node in sorted(ids):
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


def _sourced(article_id: str, edge: _Edge, common: CommonSource | None,
             own_agency: Mapping[str, str], wire: Mapping[str, tuple[Credit, ...]],
             credits: tuple[Credit, ...]) -> ArticleLineage:
    """The lineage of an article taking text from ``edge``'s source, or from the common
    source it retells."""
    verdict = edge.verdict
    if edge.settled is not None:
        source, _, basis = edge.settled
        source_agency = own_agency.get(source) or _credited_agency([wire[source]])
    else:
        assert common is not None  # an unsettled primary always joins a common source
        source, basis, source_agency = common.id, "common source", common.agency
    credited = credits_agency(wire[article_id], source_agency)
    share = verdict.features["aligned_share" if verdict.derived == article_id
                             else "source_aligned_share"]
    return ArticleLineage(article_id, "credited wire copy" if credited else "uncredited reuse",
                          source, round(float(share), 6), credits,
                          Derivation(source, article_id, basis, verdict))


def _story(number: int, members: tuple[str, ...], lineages: Mapping[str, ArticleLineage],
           common: Mapping[str, CommonSource]) -> Story:
    sources = {common[m].id: common[m] for m in members if m in common}
    derivations = tuple(derivation for m in members
                        if (derivation := lineages[m].derivation) is not None)
    return Story(f"story-{number}", members, tuple(sources[k] for k in sorted(sources)),
                 derivations)

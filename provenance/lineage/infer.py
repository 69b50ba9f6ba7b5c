"""Lineage: from judged pairs, each with its direction (decided once, in :mod:`direction`),
and credits to where each article's text came from.

The rules, in order:

1. **Stories**: articles linked by any reported pair form one story cluster.
2. **Links**: a reused verdict counts only with aligned evidence (at least
   :data:`MIN_ALIGNED_SENTENCES` aligned sentences, or half the derived text aligned). Its
   direction is the verdict's: one article derives from the other, both carry copy from a
   common source, or nothing settles it.
3. **Each article's source** is, of the articles it derives from, the one whose text
   explains most of its own (the share of its 5-word runs found there, plus the share of its
   words in aligned sentences); between those within :data:`SECOND_GENERATION_MARGIN` of
   the best, the one highest up: an agency's own copy, then one that derives from none of
   the others, then the earliest, then by id. So a reprint's source is the agency's copy
   when it is in the corpus, not a sibling reprint. A sibling that derives from that same
   copy becomes the source only where it explains more by the margin: a second-generation
   reprint, carrying that sibling's changes.
4. **Common sources**: an article that derives from no article of the corpus but carries
   copy it shares with others (their direction a common source, or unknown) takes the
   agency's own copy as its source where a sibling it shares that copy with takes its text
   from it (shown through that sibling: a rewrite may align with a reprint better than
   with the wire story itself); else a common source: copy not in the corpus, one for each
   story and agency, named after the agency its wire credits name (or ``unknown copy``).
5. **Lineage**: ``credited wire copy`` when the article credits its source's agency (or
   carries a wire credit and has no source in the corpus), ``uncredited reuse`` when it does
   not, ``original`` for a source and for an agency's own copy, ``independent`` for an
   article that shares a story but no derivation.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from provenance.attribution.agencies import Registry
from provenance.lineage.judged import RELATIONS, RULES, DerivationOfPair, PairSummary
from provenance.model import (
    UNKNOWN_COPY,
    Article,
    ArticleLineage,
    CommonSource,
    Credit,
    Direction,
    DirectionRule,
    Lineage,
    LineageKind,
    PairScore,
    Relation,
    Story,
)
from provenance.text.articles import article_ids, field_values
from provenance.verdict.direction import Published, same_name

#: How much more of an article's text (share of its 5-word runs, plus share of its words
#: in aligned sentences) a copy must explain than the copy it derives from, to be taken as
#: its source rather than that one: a few words changed or a line added by the paper it
#: was copied from.
SECOND_GENERATION_MARGIN = 0.1
#: Evidence of a direction that copy shared from a common source does not outweigh: an
#: agency's own copy is the copy; and credits settle nothing between two carriers of it.
STRONG_RULES: tuple[DirectionRule, ...] = ("agency copy", "credits")


@dataclass(frozen=True)
class _Link:
    """An evidenced reused pair: pair ``index`` of the scan, between ``a`` and ``b``."""

    index: int
    a: str
    b: str
    relation: Relation
    rule: DirectionRule
    #: The source, for a ``derived`` relation.
    source: str | None
    #: Of each article: the share of its 5-word runs found in the other, plus the share of
    #: its words in sentences aligned to the other's; and the aligned share alone.
    explained: Mapping[str, float]
    aligned: Mapping[str, float]

    def other(self, article_id: str) -> str:
        return self.b if article_id == self.a else self.a

    #: The source of the verdict's measure (its direction's, where one is settled).
    measured_source: str

    def derives(self, article_id: str) -> bool:
        """Does ``article_id`` derive from the other article, by this link?"""
        return self.relation == "derived" and self.source == self.other(article_id)

    def measured_from(self, article_id: str) -> bool:
        """Was the pair's verdict measured taking ``article_id`` as the source?"""
        return self.measured_source == article_id


@dataclass(frozen=True)
class _Facts:
    """What choosing among sources needs of the corpus's articles, by id."""

    own_agency: Mapping[str, str]
    #: The articles each article derives from (by links of a ``derived`` relation).
    derives_from: Mapping[str, frozenset[str]]
    #: The outlets of the linked articles, by id.
    outlets: Mapping[str, str]
    published: Mapping[str, Published]
    wire: Mapping[str, tuple[Credit, ...]]
    links: Mapping[str, list[_Link]]
    #: The names of the press-release wires of the registry.
    release_wires: frozenset[str] = frozenset()

    @cached_property
    def sources_of_others(self) -> frozenset[str]:
        """The articles another derives from, by a link of a ``derived`` relation."""
        return frozenset(link.source for links in self.links.values() for link in links
                         if link.source is not None)


def infer_lineage(articles: Sequence[Article], pairs: Sequence[PairScore],
                  credits: Mapping[str, tuple[Credit, ...]], registry: Registry,
                  summary: PairSummary | None = None) -> Lineage:
    """Stories, derivations, common sources and each article's lineage. ``summary``, the
    pairs' summary if it is at hand, saves reading every pair: lineage then reads none, and
    its derivations read their verdicts from ``pairs`` when they are asked for."""
    # Read as columns: a scan's articles would each be made anew when asked for.
    positions = article_ids(articles)
    outlets = field_values(articles, "outlet")
    agency_of = {outlet: own.name for outlet in set(outlets) if (own := registry.lookup(outlet))}
    if summary is None:
        place = {article_id: n for n, article_id in enumerate(positions)}
        summary = PairSummary.of(pairs, [(place[p.a], place[p.b]) for p in pairs])
    links: dict[str, list[_Link]] = {}
    for link in _links(summary, positions):
        for end in (link.a, link.b):
            links.setdefault(end, []).append(link)
    facts = _Facts(
        own_agency={i: agency_of[outlet] for i, outlet in zip(positions, outlets, strict=True)
                    if outlet in agency_of},
        outlets={i: outlet for i, outlet in zip(positions, outlets, strict=True) if i in links},
        published={i: when for i, value in zip(positions, field_values(articles, "published"),
                                               strict=True)
                   if i in links and (when := Published.parse(value)) is not None},
        # Few articles carry wire credits: only theirs are kept (lookups default to none).
        wire={i: found for i, found_credits in credits.items()
              if (found := tuple(c for c in found_credits if c.wire))},
        derives_from={i: frozenset(link.other(i) for link in mine if link.derives(i))
                      for i, mine in links.items()},
        links=links,
        release_wires=registry.release_wires)
    stories = _groups((positions[a], positions[b])
                      for a, b in zip(summary.a.tolist(), summary.b.tolist(), strict=True))
    story_of = {member: number for number, story in enumerate(stories) for member in story}
    ids = sorted(positions)
    chosen = {i: source for i in ids if i not in facts.own_agency
              and (source := _source(i, facts)) is not None}
    carried = _carried_through_siblings(ids, chosen, facts)
    common = _common_sources(ids, {**chosen, **carried}, facts, story_of)
    sources = {link.other(i) for i, (link, _) in chosen.items()}
    lineages = []
    for i in ids:
        if i in chosen:
            lineages.append(_sourced(i, *chosen[i], pairs, facts, credits.get(i, ())))
        elif i in carried:
            lineages.append(_carried(i, *carried[i], pairs, facts, credits.get(i, ())))
        elif i in common:
            lineages.append(_common(i, common[i], pairs, facts, credits.get(i, ())))
        else:
            lineages.append(_unsourced(i, credits.get(i, ()), facts.wire.get(i, ()),
                                       i in facts.own_agency,
                                       independent=i in story_of and i not in sources))
    by_article = {item.article: item for item in lineages}
    return Lineage(
        stories=tuple(_story(number, members, by_article, common)
                      for number, members in enumerate(stories, start=1)),
        articles=tuple(lineages),
        directions=_settled_here(chosen, by_article, facts),
    )


def _settled_here(chosen: Mapping[str, tuple[_Link, str | None]],
                  lineages: Mapping[str, ArticleLineage], facts: _Facts
                  ) -> dict[int, Direction]:
    """The directions lineage settles that the pairs alone do not: a second-generation
    copy's pair with the copy it carries the changes of; and a pair "derived" by time or
    length alone between two carriers of one source's text, where the later takes its text
    from that source: the earlier publication shows no more than that both carry it."""
    settled = {link.index: Direction("derived", link.other(i), i, basis, "changes")
               for i, (link, basis) in chosen.items() if basis is not None}
    for i, item in lineages.items():
        for link in facts.links.get(i, []):
            if (link.derives(i) and link.rule not in STRONG_RULES and link.index not in settled
                    and item.source is not None and item.source != link.other(i)):
                settled[link.index] = Direction(
                    "common source", None, None, f"both take their text from {item.source}: "
                    f"that {link.other(i)} came out first shows no more", "none",
                    facts.own_agency.get(item.source)
                    or _credited_agency([facts.wire.get(item.source, ())]))
    return settled


def _links(summary: PairSummary, ids: Sequence[str]) -> Iterable[_Link]:
    """The evidenced reused pairs of ``summary`` (of the articles whose ids are ``ids``)."""
    for n in np.flatnonzero(summary.evidenced).tolist():
        a, b = ids[int(summary.a[n])], ids[int(summary.b[n])]
        source, derived = (a, b) if summary.a_is_source[n] else (b, a)
        relation = RELATIONS[int(summary.relation[n])]
        aligned = {derived: float(summary.aligned_share[n]),
                   source: float(summary.source_aligned_share[n])}
        contained = {a: float(summary.a_in_b[n]), b: float(summary.b_in_a[n])}
        yield _Link(n, a, b, relation, RULES[int(summary.rule[n])],
                    source if relation == "derived" else None,
                    {i: contained[i] + aligned[i] for i in (a, b)}, aligned, source)


def _source(article_id: str, facts: _Facts) -> tuple[_Link, str | None] | None:
    """The link to the article ``article_id`` takes its text from, and the basis of that
    choice where it is not the link's own direction; None when it derives from no article
    of the corpus."""
    mine = facts.links.get(article_id, [])
    upstream = [link for link in mine if link.derives(article_id)]
    if not upstream:
        return None
    best = max(link.explained[article_id] for link in upstream)
    near = [link for link in upstream
            if link.explained[article_id] >= best - SECOND_GENERATION_MARGIN]
    sources = {link.other(article_id) for link in near}
    chosen = min(near, key=lambda link: _upstream_rank(link.other(article_id), sources, facts))
    carried = _second_generation(article_id, chosen, mine, facts)
    if carried is not None:
        return carried, (f"second generation: its text matches {carried.other(article_id)}'s "
                         f"version better than {chosen.other(article_id)}'s")
    if chosen.rule not in STRONG_RULES and _explained_by_common_copy(article_id, chosen, mine):
        return None
    return chosen, None


def _explained_by_common_copy(article_id: str, upstream: _Link, mine: Sequence[_Link]) -> bool:
    """Does copy ``article_id`` shares with others from a common source explain its text as
    well as ``upstream`` does? Then an earlier publication, or a longer text, shows no more
    than that both carry that copy."""
    common = [link.explained[article_id] for link in mine if link.relation == "common source"]
    return bool(common) and max(common) >= upstream.explained[article_id] - (
        SECOND_GENERATION_MARGIN)


def _upstream_rank(candidate: str, candidates: set[str], facts: _Facts
                   ) -> tuple[bool, bool, float, str]:
    """Orders equally good sources, highest up first: an agency's own copy, one that derives
    from none of the others, the earliest published, then by id."""
    derived_from_another = not facts.derives_from.get(candidate, frozenset()).isdisjoint(
        candidates)
    published = facts.published.get(candidate)
    return (candidate not in facts.own_agency, derived_from_another,
            published.timestamp() if published else float("inf"), candidate)


def _second_generation(article_id: str, upstream: _Link, mine: Sequence[_Link],
                       facts: _Facts) -> _Link | None:
    """The link to a sibling copy that ``article_id`` was copied from, if it carries that
    sibling's changes: a copy derived from the same source as ``article_id``'s (``upstream``),
    published no later, that explains more of its text by the margin (of those, the one
    highest up)."""
    origin = upstream.other(article_id)
    floor = upstream.explained[article_id] + SECOND_GENERATION_MARGIN
    mine_published = facts.published.get(article_id)
    # Measured from the sibling, so that the pair can show the direction too.
    carriers = {link.other(article_id): link for link in mine if link is not upstream
                and link.explained[article_id] >= floor
                and link.measured_from(link.other(article_id))
                and not link.derives(link.other(article_id))  # not a copy of this one
                and not _later(facts.published.get(link.other(article_id)), mine_published)
                and origin in facts.derives_from.get(link.other(article_id), frozenset())}
    if not carriers:
        return None
    best = max(link.explained[article_id] for link in carriers.values())
    near = {i for i, link in carriers.items()
            if link.explained[article_id] >= best - SECOND_GENERATION_MARGIN}
    return carriers[min(near, key=lambda i: _upstream_rank(i, near, facts))]


def _later(first: Published | None, second: Published | None) -> bool:
    """Was ``first`` published after ``second`` (both known)?"""
    return first is not None and second is not None and second.before(first) is True


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


def credits_agency(credits: Iterable[Credit], agency: str | None,
                   release_wire: bool = False) -> bool:
    """True when the wire ``credits`` among ``credits`` credit ``agency``; a credit to
    unnamed agencies covers any agency (and copy of no known agency); and a release credit
    naming no wire ("SOURCE Acme" alone, "according to a news release") covers the copy of
    any press-release wire (``release_wire``: whether ``agency`` is one)."""
    credits = tuple(credits)
    return ((agency is not None and any(c.wire and c.agency == agency for c in credits))
            or any(c.unnamed for c in credits)
            or (release_wire and any(c.kind == "release" and c.agency is None
                                     for c in credits)))


def credits_outlet(credits: Iterable[Credit], outlet: str) -> bool:
    """True when ``credits`` name ``outlet`` as where the text was published first."""
    return bool(outlet) and any(c.kind == "republication" and same_name(c.name, outlet)
                                for c in credits)


def lineage_alone(article_id: str, credits: tuple[Credit, ...], agency_copy: bool
                  ) -> ArticleLineage:
    """The lineage of an article that shares text with none: wire copy if its credits say
    so (unless it is the agency's own copy, ``agency_copy``), else an original."""
    return _unsourced(article_id, credits, tuple(c for c in credits if c.wire), agency_copy,
                      independent=False)


def _unsourced(article_id: str, credits: tuple[Credit, ...], wire: tuple[Credit, ...],
               agency_copy: bool, independent: bool) -> ArticleLineage:
    """The lineage of an article with no source in the corpus: wire copy if it says so
    (unless it is the agency's own), else ``independent`` (in a story, a source of none of
    it) or ``original``."""
    if wire and not agency_copy:
        # The agency credited; else the outlet it was first published in, or the company
        # whose release it is; else the unnamed agencies it credits.
        named = next((c.name for c in wire if c.kind in ("republication", "release")), None)
        source = _credited_agency([wire]) or named or "agencies"
        return ArticleLineage(article_id, "credited wire copy", source, None, credits, None)
    kind: LineageKind = "independent" if independent and not agency_copy else "original"
    return ArticleLineage(article_id, kind, None, None, credits, None)


def _sourced(article_id: str, link: _Link, basis: str | None, pairs: Sequence[PairScore],
             facts: _Facts, credits: tuple[Credit, ...]) -> ArticleLineage:
    """The lineage of an article taking its text from the other article of ``link`` (pair
    ``link.index`` of ``pairs``); ``basis``: why that one, where it is not the direction's
    own evidence."""
    source = link.other(article_id)
    source_agency = facts.own_agency.get(source) or _credited_agency([facts.wire.get(source, ())])
    mine = facts.wire.get(article_id, ())
    # A newspaper's own text is credited by naming the paper, not by "agencies".
    credited = ((source_agency is not None
                 and credits_agency(mine, source_agency, source_agency in facts.release_wires))
                or credits_outlet(mine, facts.outlets.get(source, "")))
    return ArticleLineage(article_id, "credited wire copy" if credited else "uncredited reuse",
                          source, round(link.aligned[article_id], 6), credits,
                          DerivationOfPair(source, article_id, basis, pairs, link.index))


def _carried_through_siblings(ids: Sequence[str], chosen: Mapping[str, tuple[_Link, str | None]],
                              facts: _Facts) -> dict[str, tuple[str, _Link]]:
    """The articles that derive from no article of the corpus but share copy with a sibling
    that carries an agency's own copy, here in the corpus (taking its text from it, from a
    copy of it, or found here to carry it): each with that copy and its link to the sibling
    (of those sharing about the most, the one highest up). Their common copy is not missing
    from the corpus: it is that agency's, which a common source would say it is not. An
    article whose credits name another agency is left to its own."""
    carries = {i: origin for i in chosen if (origin := _origin(i, chosen)) in facts.own_agency}
    open_ids = [i for i in ids if i not in chosen and i not in facts.own_agency]
    found: dict[str, tuple[str, _Link]] = {}
    while True:  # until no article is found to carry a copy: a rewrite of a rewrite too
        newly = {i: carried for i in open_ids if i not in found
                 and (carried := _copy_carried(i, carries, facts)) is not None}
        if not newly:
            return found
        found.update(newly)
        carries.update({i: copy for i, (copy, _) in newly.items()})


def _origin(article_id: str, chosen: Mapping[str, tuple[_Link, str | None]]) -> str:
    """Where the text of ``article_id``, which takes it from another, started: its source's
    source, and so on, to one that takes its text from none (or, in a loop, where it
    closes)."""
    seen = {article_id}
    source = chosen[article_id][0].other(article_id)
    while source in chosen and source not in seen:
        seen.add(source)
        source = chosen[source][0].other(source)
    return source


def _copy_carried(article_id: str, carries: Mapping[str, str], facts: _Facts
                  ) -> tuple[str, _Link] | None:
    """The agency's own copy ``article_id`` shares through a sibling that carries it (by
    ``carries``), and its link to that sibling; None where it shares none that way."""
    links = _sharing_links(article_id, facts)
    if not links:
        return None
    best = max(link.explained[article_id] for link in links)
    credited = _credited_agency([facts.wire.get(article_id, ())])
    carriers = {sibling: link for link in links
                if link.explained[article_id] >= best - SECOND_GENERATION_MARGIN
                and (agency := facts.own_agency.get(
                    carries.get(sibling := link.other(article_id), ""))) is not None
                and credited in (None, agency)}
    if not carriers:
        return None
    sibling = min(carriers, key=lambda s: _upstream_rank(s, set(carriers), facts))
    return carries[sibling], carriers[sibling]


def _carried(article_id: str, source: str, link: _Link, pairs: Sequence[PairScore],
             facts: _Facts, credits: tuple[Credit, ...]) -> ArticleLineage:
    """The lineage of an article carrying the agency's copy ``source``, shown through its
    link to a sibling that takes its text from that copy."""
    mine = facts.wire.get(article_id, ())
    agency = facts.own_agency[source]
    credited = credits_agency(mine, agency, agency in facts.release_wires)
    sibling = link.other(article_id)
    return ArticleLineage(article_id, "credited wire copy" if credited else "uncredited reuse",
                          source, round(link.aligned[article_id], 6), credits,
                          DerivationOfPair(source, article_id,
                                           f"seen through {sibling}, which carries it", pairs,
                                           link.index))


def _common_sources(ids: Sequence[str], sourced: Mapping[str, object], facts: _Facts,
                    story_of: Mapping[str, int]) -> dict[str, tuple[CommonSource, _Link]]:
    """The common source of each article that derives from none of the corpus but shares
    copy with others, and its link to the sibling that shares most: one source for each
    story and agency."""
    siblings = {i: links for i in ids
                if i not in sourced and i not in facts.own_agency
                and (links := _sharing_links(i, facts))}
    keyed: dict[tuple[int, str | None], list[str]] = {}
    for i, links in siblings.items():
        keyed.setdefault((story_of[i], _carried_agency(i, links, facts)), []).append(i)
    found: dict[str, tuple[CommonSource, _Link]] = {}
    for number, (story, agency) in enumerate(sorted(keyed, key=lambda key: (key[0],
                                                                          key[1] or "")), 1):
        members = tuple(sorted(keyed[story, agency]))
        common = CommonSource(f"copy-{number}", agency or UNKNOWN_COPY, agency, members)
        for member in members:
            found[member] = common, _evidence_link(member, siblings[member], members, facts)
    return found


def _sharing_links(article_id: str, facts: _Facts) -> list[_Link]:
    """The links by which ``article_id`` shares copy with a sibling in no direction: copy
    from a common source, or in a direction nothing settles, unless it is a source of
    others (which carries copy from a common source only where credits say so)."""
    return [link for link in facts.links.get(article_id, [])
            if link.relation == "common source"
            or (link.relation == "unknown" and article_id not in facts.sources_of_others)]


def _evidence_link(article_id: str, links: Sequence[_Link], members: tuple[str, ...],
                   facts: _Facts) -> _Link:
    """Of the links of an article to siblings that carry copy, the one its common source is
    shown through: to a sibling of the same common source (``members``) where one is linked,
    so that no article is shown through another source's copy; of those sharing about the
    most, the sibling highest up."""
    links = [link for link in links if link.other(article_id) in members] or links
    best = max(link.explained[article_id] for link in links)
    near = {link.other(article_id): link for link in links
            if link.explained[article_id] >= best - SECOND_GENERATION_MARGIN}
    return near[min(near, key=lambda i: _upstream_rank(i, set(near), facts))]


def _carried_agency(article_id: str, links: Sequence[_Link], facts: _Facts) -> str | None:
    """The agency whose copy an article carries, by its own wire credits, else by those of
    the sibling it shares most with (of those sharing about as much, one that credits an
    agency): an uncredited copy of Reuters copy carries Reuters copy. None where no credit
    names one."""
    own = _credited_agency([facts.wire.get(article_id, ())])
    if own is not None:
        return own
    best = max(link.explained[article_id] for link in links)
    named = [agency for link in links
             if link.explained[article_id] >= best - SECOND_GENERATION_MARGIN
             and (agency := _credited_agency([facts.wire.get(link.other(article_id), ())]))]
    return min(named, default=None)


def _common(article_id: str, common: tuple[CommonSource, _Link], pairs: Sequence[PairScore],
            facts: _Facts, credits: tuple[Credit, ...]) -> ArticleLineage:
    """The lineage of an article carrying copy from a common source (not in the corpus),
    the evidence its link to the sibling sharing most of it."""
    source, link = common
    credited = credits_agency(facts.wire.get(article_id, ()), source.agency,
                              source.agency in facts.release_wires)
    return ArticleLineage(article_id, "credited wire copy" if credited else "uncredited reuse",
                          source.id, round(link.aligned[article_id], 6), credits,
                          DerivationOfPair(source.id, article_id, "common source", pairs,
                                           link.index))


def _story(number: int, members: tuple[str, ...], lineages: Mapping[str, ArticleLineage],
           common: Mapping[str, tuple[CommonSource, _Link]]) -> Story:
    sources = {common[m][0].id: common[m][0] for m in members if m in common}
    derivations = tuple(derivation for m in members
                        if (derivation := lineages[m].derivation) is not None)
    # In the order they were numbered in (by agency), not by id: copy-10 comes after copy-9.
    return Story(f"story-{number}", members, tuple(sorted(
        sources.values(), key=lambda source: source.agency or "")), derivations)

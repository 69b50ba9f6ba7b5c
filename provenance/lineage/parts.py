"""Lineage a story at a time, for a scan whose stories are inferred apart (on a cluster):
each part is :func:`~provenance.lineage.infer.infer_lineage` of some whole stories, told
by the pairs' places in the whole scan's report order; :func:`assembled` numbers the
stories and common sources of every part as one inference over the corpus numbers them.

Lineage's rules read only an article's own links, and its links stay inside its story; its
numbering is the one thing the corpus shares: stories in order of their first article, and
common sources in order of their story, then of their agency. So the parts, numbered
again in that total order, make the corpus's lineage, whatever parts the stories were
cut into.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from provenance.attribution.agencies import Registry
from provenance.candidates.buckets import connected_groups
from provenance.lineage.infer import infer_lineage, lineage_alone
from provenance.lineage.judged import DerivationOfPair, PairSummary
from provenance.model import (
    Article,
    ArticleLineage,
    Credit,
    Direction,
    Lineage,
    PairScore,
    Story,
)
from provenance.text.articles import article_ids, field_values

#: A part's inputs: its articles, their credits, its pairs' summary and their rows.
PartInputs = tuple[list[Article], dict[str, tuple[Credit, ...]], PairSummary,
                   npt.NDArray[np.int64]]


@dataclass(frozen=True)
class DerivationRow:
    """A derivation as a part holds it: its pair by place in the scan's report order (its
    verdict is read back from the pairs when the parts are assembled)."""

    source: str
    derived: str
    #: The basis lineage gave, where it is not the verdict's direction's own.
    basis: str | None
    row: int


@dataclass(frozen=True)
class LineagePart:
    """The lineage of some whole stories, numbered among themselves: their stories (with
    no derivations, which the articles hold), their articles' lineages (with none), each
    article's derivation, and the directions lineage settled, by report-order row."""

    stories: tuple[Story, ...]
    articles: tuple[ArticleLineage, ...]
    derivations: Mapping[str, DerivationRow]
    directions: Mapping[int, Direction]


class _Unread(Sequence[PairScore]):
    """The pairs of a part, which lineage never reads when it is given their summary."""

    def __init__(self, count: int) -> None:
        self._count = count

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index: object) -> PairScore:  # type: ignore[override]
        raise LookupError("lineage of a part reads no pair")


def story_runs(summary: PairSummary, articles: int, pairs_per_run: int
               ) -> Iterator[npt.NDArray[np.int64]]:
    """The rows of ``summary`` (of a corpus of ``articles``) in runs of whole stories, packed
    up to ``pairs_per_run`` pairs; a larger story is a run of its own (lineage reads a
    story whole). Each run's rows ascend."""
    if not len(summary):
        return
    ends = np.stack([summary.a, summary.b], axis=1).astype(np.int64)
    story = connected_groups(ends, articles)[ends[:, 0]]
    rows = np.lexsort((np.arange(len(summary)), story))
    starts = [*np.flatnonzero(np.diff(story[rows], prepend=-1)).tolist(), rows.size]
    run_start = 0
    for story_start, story_end in itertools.pairwise(starts):
        if story_end - run_start > pairs_per_run and story_start > run_start:
            yield np.sort(rows[run_start:story_start])
            run_start = story_start
    if run_start < rows.size:
        yield np.sort(rows[run_start:])


def part_inputs(articles: Sequence[Article], credits: Mapping[str, tuple[Credit, ...]],
                summary: PairSummary, rows: npt.NDArray[np.int64]
                ) -> tuple[list[Article], dict[str, tuple[Credit, ...]], PairSummary]:
    """What :func:`lineage_part` of the pairs at ``rows`` of ``summary`` reads: their
    articles (ids, outlets and publication times alone), those articles' credits, and the
    pairs' summary, naming the articles by place among them."""
    part = summary.take(rows)
    positions = np.unique(np.concatenate([part.a, part.b]))
    chosen = [articles[n] for n in positions.tolist()]
    light = [Article(article.id, "", outlet=article.outlet, published=article.published)
             for article in chosen]
    local = replace(part, a=np.searchsorted(positions, part.a).astype(np.int32),
                    b=np.searchsorted(positions, part.b).astype(np.int32))
    return light, {a.id: credits[a.id] for a in light if a.id in credits}, local


def lineage_part(articles: Sequence[Article], credits: Mapping[str, tuple[Credit, ...]],
                 registry: Registry, summary: PairSummary, rows: npt.NDArray[np.int64]
                 ) -> LineagePart:
    """The lineage of the whole stories whose pairs ``summary`` holds (their articles at
    positions of ``articles``, which need only their ids, outlets and publication times),
    pair ``n`` being pair ``rows[n]`` of the scan's report order."""
    found = infer_lineage(articles, _Unread(len(summary)), credits, registry, summary)
    derivations = {}
    for item in found.articles:
        derivation = item.derivation
        if isinstance(derivation, DerivationOfPair):
            derivations[item.article] = DerivationRow(
                derivation.source, derivation.derived, derivation.given_basis,
                int(rows[derivation.index]))
    members = {member for story in found.stories for member in story.articles}
    return LineagePart(
        stories=tuple(replace(story, derivations=()) for story in found.stories),
        articles=tuple(replace(item, derivation=None) for item in found.articles
                       if item.article in members),
        derivations=derivations,
        directions={int(rows[row]): direction for row, direction in found.directions.items()})


def assembled(parts: Iterable[LineagePart], articles: Sequence[Article],
              credits: Mapping[str, tuple[Credit, ...]], registry: Registry,
              pairs: Sequence[PairScore]) -> Lineage:
    """The corpus's lineage from ``parts`` that hold each of its stories once: stories and
    common sources numbered as :func:`infer_lineage` numbers them, each derivation reading
    its verdict from ``pairs`` (the scan's, in report order), and every article in no story
    given the lineage of an article alone."""
    held: list[LineagePart | None] = list(parts)  # each let go once read
    stories = sorted(((story.articles[0], n, story) for n, part in enumerate(held) if part
                      for story in part.stories), key=lambda entry: entry[0])
    renamed: dict[tuple[int, str], str] = {}
    numbered: list[tuple[int, Story]] = []
    for number, (_, n, story) in enumerate(stories, start=1):
        sources = []
        for source in story.common_sources:
            renamed[n, source.id] = f"copy-{len(renamed) + 1}"
            sources.append(replace(source, id=renamed[n, source.id]))
        numbered.append((n, replace(story, id=f"story-{number}", common_sources=tuple(sources))))
    lineages: dict[str, ArticleLineage] = {}
    directions: dict[int, Direction] = {}
    for n, part in enumerate(held):
        held[n] = None  # so that the corpus's lineage is held once, not twice
        if part is None:
            continue
        directions.update(part.directions)
        for item in part.articles:
            row = part.derivations.get(item.article)
            derivation = None if row is None else DerivationOfPair(
                renamed.get((n, row.source), row.source), row.derived, row.basis, pairs, row.row)
            lineages[item.article] = replace(
                item, source=renamed.get((n, item.source or ""), item.source),
                derivation=derivation)
    ids = article_ids(articles)
    own_agency = {outlet for outlet in set(field_values(articles, "outlet"))
                  if registry.lookup(outlet)}
    for article_id, outlet in zip(ids, field_values(articles, "outlet"), strict=True):
        if article_id not in lineages:
            lineages[article_id] = lineage_alone(article_id, credits.get(article_id, ()),
                                                 agency_copy=outlet in own_agency)
    return Lineage(
        stories=tuple(replace(story, derivations=tuple(
            found for member in story.articles
            if (found := lineages[member].derivation) is not None))
            for _, story in numbered),
        articles=tuple(lineages[i] for i in sorted(lineages)),
        directions=directions)


#: What infers the parts: given each part's inputs (:func:`part_inputs` and its rows) and
#: how many there are, :func:`lineage_part` of each, in order (here, or in a cluster's tasks).
PartRunner = Callable[[Iterator[PartInputs], int], Iterable[LineagePart]]


def lineage_by_parts(articles: Sequence[Article], pairs: Sequence[PairScore],
                     credits: Mapping[str, tuple[Credit, ...]], registry: Registry,
                     summary: PairSummary, pairs_per_run: int, run: PartRunner | None = None
                     ) -> Lineage:
    """:func:`infer_lineage` (given the pairs' ``summary``) inferred a run of whole stories
    of about ``pairs_per_run`` pairs at a time, by ``run`` (default: in this process), and
    the parts numbered together."""
    runs = list(story_runs(summary, len(articles), pairs_per_run))
    inputs = ((*part_inputs(articles, credits, summary, rows), rows) for rows in runs)
    if run is None:
        parts: Iterable[LineagePart] = (
            lineage_part(light, part_credits, registry, local, rows)
            for light, part_credits, local, rows in inputs)
    else:
        parts = run(inputs, len(runs))
    return assembled(parts, articles, credits, registry, pairs)

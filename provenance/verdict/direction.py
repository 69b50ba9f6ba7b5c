"""Which article of a related pair is the source: decided here, once, from the evidence, for
every output (the pair table, `compare`, the JSON, the reports, lineage and `check`).

The evidence, strongest first; the first that settles the pair is its basis:

1. **Republication**: an article saying another outlet published its text first ("This
   article first appeared in ...") derives from that outlet's article, an agency's too.
2. **An agency's own copy**: of two articles sharing text, the one whose outlet is a news
   agency or a press-release wire (in the registry) is the source of the other.
3. **Credits**: an article that credits agency A as the source of its text (a dateline, a
   byline, a sign-off, a contribution line, an attribution) is not the origin of A's copy.
   Where one credits A and the other is A's own, rule 2 settles it. Where both carry A's copy
   (both credit A, or one credits A and the other credits nothing) neither is shown to come
   from the other: they share a **common source**, A's copy.
4. **Publication times**: the earlier is the source. Moments are compared in UTC, a minute
   apart at least; a date, or a time without its zone, only against a day two days off.
5. **Trims**: a text found almost whole in the other is a copy of it, cut short (news is
   trimmed from the end: the copy then keeps the other's opening) or excerpted.

Where none settles it, the direction is **unknown**, and said so: no output guesses.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

import numpy as np
import numpy.typing as npt

from provenance.attribution.agencies import Registry
from provenance.model import Article, Credit, Direction
from provenance.text.articles import field_values

log = logging.getLogger(__name__)

#: A text is "almost whole" in another when this share of its 5-word runs is found there,
#: and at least twice the share the other way.
CONTAINED = 0.8
#: Publication moments closer than this (seconds) settle nothing: a feed's timestamps are
#: rounded, and two copies posted within a minute were not copied one from the other.
MIN_GAP = 60
#: Days apart two publications must be to settle which came first where either gives no
#: moment: with time zones from -12 to +14 hours, the next day may be the same moment.
MIN_DAYS_APART = 2
#: Words a copy may carry before the text it shares with its source and still open as the
#: source does: a headline and a byline of its own.
OPENING_WORDS = 40


@dataclass(frozen=True, slots=True)
class Published:
    """A publication time as written: its day where it was published, and the moment (in
    UTC) where a time of day and a time zone were given."""

    day: date
    moment: datetime | None

    @classmethod
    def parse(cls, value: str) -> Published | None:
        """The time ``value`` (ISO 8601) gives; None where it gives none that can be read."""
        text = value.strip()
        if not text:
            return None
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            log.debug("publication time not read (not ISO 8601): %r", text)
            return None
        timed = "T" in text or " " in text
        # A time without a zone is a local time in a zone unknown: only its day is known.
        return cls(parsed.date(), parsed.astimezone(UTC) if timed and parsed.tzinfo else None)

    def timestamp(self) -> float:
        """Seconds since the epoch: of the moment, or of the day's start (for ordering only:
        :meth:`before` is what compares two times)."""
        start = self.moment or datetime(self.day.year, self.day.month, self.day.day, tzinfo=UTC)
        return start.timestamp()

    def before(self, other: Published) -> bool | None:
        """True when this is earlier than ``other``, False when later, None when the two
        cannot be told apart: moments less than :data:`MIN_GAP` apart, or days less than
        :data:`MIN_DAYS_APART` apart where either has no moment (its zone, or its time,
        unknown, a day may be another's yesterday or tomorrow)."""
        if self.moment is not None and other.moment is not None:
            gap = (other.moment - self.moment).total_seconds()
            return None if abs(gap) < MIN_GAP else gap > 0
        days = (other.day - self.day).days
        return None if abs(days) < MIN_DAYS_APART else days > 0


@dataclass(frozen=True, slots=True)
class ArticleFacts:
    """What the direction of a pair may rest on, of one article."""

    id: str
    #: The agency whose own copy this is (its outlet is one), if any.
    own_agency: str | None
    #: The agencies its wire credits name; None for unnamed ``agencies``.
    credited: frozenset[str | None]
    published: Published | None
    outlet: str = ""
    #: The outlets it says published its text first (``first appeared in ...``).
    republished_from: tuple[str, ...] = ()

    @classmethod
    def of(cls, article: Article, credits: Iterable[Credit], registry: Registry
           ) -> ArticleFacts:
        """The facts of ``article``, whose credits are ``credits``."""
        own = registry.lookup(article.outlet) if article.outlet else None
        credits = tuple(credits)
        credited: set[str | None] = {credit.agency for credit in credits
                                     if credit.wire and credit.agency}
        if any(credit.unnamed for credit in credits):
            credited.add(None)
        return cls(article.id, own.name if own else None, frozenset(credited),
                   Published.parse(article.published), article.outlet,
                   tuple(c.name for c in credits if c.kind == "republication"))

    def republishes(self, other: ArticleFacts) -> bool:
        """Does this article say ``other``'s outlet published its text first?"""
        return bool(other.outlet) and any(same_name(name, other.outlet)
                                          for name in self.republished_from)

    def credits(self, agency: str | None) -> bool:
        """Does this article credit ``agency``'s copy (a credit to unnamed agencies covers
        any)?"""
        return agency in self.credited or None in self.credited


@dataclass(frozen=True, slots=True)
class Layout:
    """How the text two articles share sits in each: ``a`` measured against ``b``."""

    #: The share of each one's 5-word runs found in the other.
    a_in_b: float
    b_in_a: float
    #: The words of each before the first passage they share (None: no passage).
    a_lead: int | None
    b_lead: int | None


def decide(a: ArticleFacts, b: ArticleFacts, layout: Layout) -> Direction:
    """The direction of the pair ``a``, ``b`` (see the module's rules)."""
    for rule in (_republished, _agency_copy, _credited_copy, _publication, _trim):
        found = rule(a, b, layout)
        if found is not None:
            return found
    return Direction("unknown", None, None, "nothing settles which came first")


def _agency_copy(a: ArticleFacts, b: ArticleFacts, layout: Layout) -> Direction | None:
    if bool(a.own_agency) == bool(b.own_agency):
        return None
    source, derived = (a, b) if a.own_agency else (b, a)
    return Direction("derived", source.id, derived.id, f"{source.own_agency}'s own copy",
                     "agency copy")


def _republished(a: ArticleFacts, b: ArticleFacts, layout: Layout) -> Direction | None:
    for copy, first in ((a, b), (b, a)):
        if copy.republishes(first) and not first.republishes(copy):
            return Direction("derived", first.id, copy.id, f"{copy.id} credits {first.outlet} "
                             "with publishing it first", "credits")
    return None


def _credited_copy(a: ArticleFacts, b: ArticleFacts, layout: Layout) -> Direction | None:
    agencies = {agency for agency in a.credited | b.credited if agency is not None}
    for agency in sorted(agencies):
        if a.credits(agency) and b.credits(agency):
            return Direction("common source", None, None,
                             f"both credit {agency}: neither is its origin", "credits", agency)
    for carrier, other in ((a, b), (b, a)):
        if carrier.credited and not other.credited:
            named = sorted(name for name in carrier.credited if name is not None)
            credited = named[0] if named else None
            return Direction("common source", None, None,
                             f"{carrier.id} credits {credited or 'agencies'}, {other.id} "
                             "credits none: neither is shown to be the other's source",
                             "credits", credited)
    return None


def _publication(a: ArticleFacts, b: ArticleFacts, layout: Layout) -> Direction | None:
    if a.published is None or b.published is None:
        return None
    earlier = a.published.before(b.published)
    if earlier is None:
        return None
    source, derived = (a, b) if earlier else (b, a)
    return Direction("derived", source.id, derived.id, "published earlier", "publication")


def _trim(a: ArticleFacts, b: ArticleFacts, layout: Layout) -> Direction | None:
    for part, whole, part_in_whole, whole_in_part, whole_lead in (
            (a, b, layout.a_in_b, layout.b_in_a, layout.b_lead),
            (b, a, layout.b_in_a, layout.a_in_b, layout.a_lead)):
        if part_in_whole >= CONTAINED and part_in_whole >= 2 * whole_in_part:
            opening = whole_lead is not None and whole_lead <= OPENING_WORDS
            return Direction("derived", whole.id, part.id, "a copy cut short: its text is the "
                             "opening of the other's" if opening else
                             "found almost whole in the other", "trim")
    return None


def source_rank(articles: Sequence[Article], registry: Registry) -> npt.NDArray[np.int64]:
    """Each article's place in the order of likely sources, highest up first: an agency's
    own copy, then the earliest published (those without a time last), then by position.
    What candidate search ranks equally good candidates by; the direction itself is
    :func:`decide`'s."""
    outlets = field_values(articles, "outlet")
    agencies = {outlet for outlet in set(outlets) if outlet and registry.lookup(outlet)}
    times = [when.timestamp() if (when := Published.parse(value)) else float("inf")
             for value in field_values(articles, "published")]
    order = sorted(range(len(outlets)), key=lambda n: (outlets[n] not in agencies, times[n], n))
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    return rank


def same_name(first: str, second: str) -> bool:
    """Do two names of an outlet name the same one (case, a leading "The" and punctuation
    aside)?"""
    return _name_key(first) == _name_key(second)


def _name_key(name: str) -> str:
    words = "".join(char if char.isalnum() else " " for char in name.casefold()).split()
    return " ".join(words[1:] if words[:1] == ["the"] else words)

from __future__ import annotations

import pytest

from provenance.attribution.agencies import builtin_registry
from provenance.model import Article, Credit
from provenance.verdict.direction import ArticleFacts, Layout, Published, decide

REGISTRY = builtin_registry()
#: Two texts sharing a few passages, neither found whole in the other.
APART = Layout(0.3, 0.3, 0, 0)


def facts(article_id: str, outlet: str = "", published: str = "",
          credits: tuple[str, ...] = ()) -> ArticleFacts:
    """The facts of an article crediting ``credits`` (agencies' short forms) in a dateline."""
    found = [Credit("dateline", name, agency.name if (agency := REGISTRY.lookup(name))
                    else None, 0, 4, f"({name})") for name in credits]
    return ArticleFacts.of(Article(article_id, "t", outlet=outlet, published=published),
                           found, REGISTRY)


def test_an_agencys_own_copy_is_the_source_whatever_else_says_otherwise() -> None:
    # The reprint carries "(AP)" and was stamped earlier (a time zone mix-up).
    ap = facts("ap", outlet="Associated Press", published="2026-03-04T10:00:00+00:00",
               credits=("AP",))
    reprint = facts("paper", outlet="The Daily", published="2026-03-04T09:00:00+00:00",
                    credits=("AP",))
    for first, second in ((ap, reprint), (reprint, ap)):
        found = decide(first, second, APART)
        assert (found.relation, found.source, found.derived) == ("derived", "ap", "paper")
        assert found.basis == "Associated Press's own copy"


def test_two_articles_crediting_one_agency_share_its_copy() -> None:
    found = decide(facts("a", published="2026-03-04", credits=("AFP",)),
                   facts("b", published="2026-03-05", credits=("AFP",)), APART)
    assert (found.relation, found.agency) == ("common source", "Agence France-Presse")
    assert found.source is None and "neither is its origin" in found.basis


def test_an_uncredited_copy_of_credited_copy_shares_its_source() -> None:
    found = decide(facts("credited", credits=("Reuters",)), facts("bare"), APART)
    assert (found.relation, found.agency) == ("common source", "Reuters")
    assert found.basis == ("credited credits Reuters, bare credits none: neither is shown to be "
                           "the other's source")


@pytest.mark.parametrize(("first", "second", "source"), [
    ("2026-03-04T09:00:00+09:00", "2026-03-04T01:00:00+00:00", "a"),  # 00:00 UTC first
    ("2026-03-04T09:00:00+09:00", "2026-03-03T23:30:00+00:00", "b"),
    ("2026-03-04T08:00:00Z", "2026-03-04T08:00:30+00:00", None),  # under a minute apart
    ("2026-03-04", "2026-03-06T08:00:00", "a"),  # two days apart
    ("2026-03-04", "2026-03-05T08:00:00+14:00", None),  # the next day: maybe the same moment
    ("2024-01-05", "2024-01-05T22:30:00-05:00", None),  # one day, one without a time
    ("2026-03-04T08:00:00", "2026-03-04T09:00:00", None),  # times without a zone
    ("last Tuesday", "2026-03-04", None),  # not a time
])
def test_the_earlier_publication_is_the_source(first: str, second: str,
                                               source: str | None) -> None:
    found = decide(facts("a", published=first), facts("b", published=second), APART)
    assert found.source == source
    assert found.relation == ("derived" if source else "unknown")


def test_a_copy_found_whole_in_the_other_derives_from_it() -> None:
    trimmed = decide(facts("short"), facts("long"), Layout(0.95, 0.4, 0, 3))
    assert (trimmed.source, trimmed.derived) == ("long", "short")
    assert trimmed.basis == "a copy cut short: its text is the opening of the other's"
    excerpt = decide(facts("long"), facts("short"), Layout(0.4, 0.95, 300, 0))
    assert (excerpt.source, excerpt.derived) == ("long", "short")
    assert excerpt.basis == "found almost whole in the other"


def test_nothing_settles_two_texts_that_share_without_other_evidence() -> None:
    found = decide(facts("a"), facts("b"), APART)
    assert (found.relation, found.source, found.derived) == ("unknown", None, None)
    assert found.basis == "nothing settles which came first"


def test_publication_times_are_read_in_utc() -> None:
    tokyo = Published.parse("2026-03-04T09:00:00+09:00")
    london = Published.parse("2026-03-04T00:30:00+00:00")
    assert tokyo is not None and london is not None
    assert tokyo.before(london) is True and london.before(tokyo) is False


def test_an_agency_republishing_a_papers_story_derives_from_it() -> None:
    agency = ArticleFacts.of(
        Article("ap", "t", outlet="Associated Press", published="2026-03-05T10:00:00Z"),
        [Credit("republication", "The Oregonian", None, 0, 9, "first published by The "
                "Oregonian")], REGISTRY)
    paper = facts("oregonian", outlet="The Oregonian", published="2026-03-04T10:00:00Z")
    found = decide(agency, paper, APART)
    assert (found.relation, found.source, found.derived) == ("derived", "oregonian", "ap")

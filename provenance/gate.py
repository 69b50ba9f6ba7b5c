"""The policy gate of `provenance check`: from a judged pair to a finding, or none.

Three rules, each set to fail, warn or ignore by the policy (:class:`config.Policy`):

- ``duplicate``: the new article repeats an existing one: their Jaccard, or the share of the
  new article's 5-word runs found in the existing one, reaches ``duplicate_similarity``;
- ``uncredited-reuse``: the new article is judged derived from an existing one, at least
  ``uncredited_share`` of its words sit in sentences aligned to it, and it does not credit
  the agency that text comes from (the existing article's outlet, if an agency, or the agency
  its wire credits name; a credit to unnamed ``agencies`` covers any);
- ``reuse``: any other derivation: credited, or below the share.

A derivation counts only with the aligned evidence lineage asks for (:func:`lineage.evidenced`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .agencies import Registry
from .config import Action, Policy
from .lineage import credits_agency, evidenced
from .model import Article, Credit, PairScore, Verdict

Rule = Literal["duplicate", "uncredited-reuse", "reuse"]


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


def evaluate(new: Article, new_credits: tuple[Credit, ...], existing: Article,
             existing_credits: tuple[Credit, ...], pair: PairScore, verdict: Verdict,
             policy: Policy, registry: Registry) -> Finding | None:
    """The finding the policy makes of ``new`` against ``existing``, if any."""
    new_in_existing = pair.a_in_b if pair.a == new.id else pair.b_in_a
    similarity = max(pair.jaccard, new_in_existing)
    if similarity >= policy.duplicate_similarity:
        return _finding("duplicate", policy.duplicate, new, existing, pair, verdict,
                        f"duplicates {existing.id}: Jaccard {pair.jaccard:.2f}, "
                        f"{new_in_existing:.0%} of its 5-word runs are in {existing.id}")
    if not evidenced(verdict) or verdict.derived != new.id:
        return None
    share = verdict.features.get("aligned_share", 0.0)
    agency = _agency_of(existing, existing_credits, registry)
    detail = (f"{verdict.extent} derived from {existing.id} ({verdict.form}, confidence "
              f"{verdict.confidence:.2f}): {share:.0%} of its words in "
              f"{len(verdict.sentences)} aligned sentence"
              f"{'' if len(verdict.sentences) == 1 else 's'}")
    if credits_agency(new_credits, agency):
        return _finding("reuse", policy.reuse, new, existing, pair, verdict,
                        f"{detail}; credits {agency or 'agencies'}")
    if share >= policy.uncredited_share:
        source = f"{agency} copy" if agency else "its text"
        return _finding("uncredited-reuse", policy.uncredited_reuse, new, existing, pair,
                        verdict, f"{detail}; does not credit {source}")
    return _finding("reuse", policy.reuse, new, existing, pair, verdict,
                    f"{detail}; below the {policy.uncredited_share:.0%} that fails uncredited")


def _agency_of(article: Article, credits: tuple[Credit, ...], registry: Registry) -> str | None:
    """The agency whose copy ``article`` is: its outlet, else what its wire credits name."""
    own = registry.lookup(article.outlet) if article.outlet else None
    if own:
        return own.name
    return next((c.agency for c in credits if c.wire and c.agency), None)


def _finding(rule: Rule, action: Action, new: Article, existing: Article, pair: PairScore,
             verdict: Verdict, message: str) -> Finding | None:
    if action == "ignore":
        return None
    starts = [p.b_start for p in verdict.passages if verdict.derived == new.id]
    starts += [s.derived_start for s in verdict.sentences if verdict.derived == new.id]
    starts += [p.a_start if pair.a == new.id else p.b_start for p in pair.passages]
    return Finding(rule, action, new.id, existing.id, min(starts, default=0), message, pair,
                   verdict)

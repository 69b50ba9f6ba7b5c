"""The policy gate of `provenance check`: from a judged pair to a finding, or none.

Four rules, each set to fail, warn or ignore by the policy (:class:`config.Policy`). None
applies where the pair's direction shows the existing article taking its text from the new
one: a later article copying an earlier one is never the earlier one's fault.

- ``duplicate``: the new article repeats an existing one (their Jaccard, or the share of
  the new article's 5-word runs found in the existing one, reaches
  ``duplicate_similarity``) and does not credit the copy's agency;
- ``credited-duplicate``: the same, crediting it: a credited wire reprint, which newsrooms
  publish every day;
- ``uncredited-reuse``: the new article takes its text from an existing one, or carries the
  same agency copy as an existing one, with at least ``uncredited_share`` of its words in
  sentences aligned to it, and does not credit the agency that text comes from (the
  existing article's outlet, if an agency, or the agency its wire credits name; a credit to
  unnamed ``agencies`` covers any);
- ``reuse``: any other reuse: credited, below the share, or in a direction nothing settles.

A derivation counts only with the aligned evidence lineage asks for (:func:`lineage.evidenced`).
"""

from __future__ import annotations

from provenance.attribution.agencies import Registry
from provenance.config import Action, Policy
from provenance.lineage.infer import credits_agency, credits_outlet
from provenance.lineage.judged import evidenced
from provenance.model import Article, Credit, PairScore, Verdict
from provenance.results import Finding, Rule


def evaluate(new: Article, new_credits: tuple[Credit, ...], existing: Article,
             existing_credits: tuple[Credit, ...], pair: PairScore, verdict: Verdict,
             policy: Policy, registry: Registry) -> Finding | None:
    """The finding the policy makes of ``new`` against ``existing``, if any."""
    direction = verdict.direction
    if verdict.settled and verdict.source == new.id:
        return None  # the existing article copies the new one
    common = direction.relation == "common source"
    agency = direction.agency if common else _agency_of(existing, existing_credits, registry)
    source = f"{agency or 'agency'} copy, as {existing.id} carries it" if common else existing.id
    credited = credits_agency(new_credits, agency, agency in registry.release_wires) or (
        not common and credits_outlet(new_credits, existing.outlet))
    credit = f"; credits {agency or existing.outlet or 'agencies'}" if credited else ""
    new_in_existing = pair.a_in_b if pair.a == new.id else pair.b_in_a
    if is_duplicate(new, pair, policy):
        rule: Rule = "credited-duplicate" if credited else "duplicate"
        return _finding(rule, policy.credited_duplicate if credited else policy.duplicate,
                        new, existing, pair, verdict,
                        f"duplicates {source}: Jaccard {pair.jaccard:.2f}, {new_in_existing:.0%} "
                        f"of its 5-word runs are in {existing.id}{credit}")
    if not evidenced(verdict) or verdict.derived != new.id:
        return None
    share = verdict.features.get("aligned_share", 0.0)
    relation = (f"{verdict.extent} derived from {source}" if verdict.settled else
                f"{verdict.extent} shared with {source}" if common else
                f"shares text with {existing.id}, which came first unknown")
    form = f"{verdict.form}, retold in the source's order" if verdict.retold else verdict.form
    detail = (f"{relation} ({form}, confidence {verdict.confidence:.2f}): {share:.0%} "
              f"of its words in {len(verdict.sentences)} aligned sentence"
              f"{'' if len(verdict.sentences) == 1 else 's'}")
    if credited:
        return _finding("reuse", policy.reuse, new, existing, pair, verdict, detail + credit)
    if direction.relation == "unknown":
        return _finding("reuse", policy.reuse, new, existing, pair, verdict,
                        f"{detail} ({direction.basis})")
    if share >= policy.uncredited_share:
        return _finding("uncredited-reuse", policy.uncredited_reuse, new, existing, pair,
                        verdict, f"{detail}; does not credit "
                        + (f"{agency} copy" if agency else "its text"))
    return _finding("reuse", policy.reuse, new, existing, pair, verdict,
                    f"{detail}; below the {policy.uncredited_share:.0%} that fails uncredited")


def is_duplicate(new: Article, pair: PairScore, policy: Policy) -> bool:
    """Does ``new`` repeat the other article of ``pair``: their Jaccard, or the share of its
    5-word runs found in the other, reaches ``duplicate_similarity``?"""
    new_in_existing = pair.a_in_b if pair.a == new.id else pair.b_in_a
    return max(pair.jaccard, new_in_existing) >= policy.duplicate_similarity


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

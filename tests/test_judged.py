from __future__ import annotations

import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from provenance import spool
from provenance.attribution.agencies import builtin_registry
from provenance.lineage.infer import infer_lineage
from provenance.lineage.judged import DerivationOfPair, PairSummary, SpooledPairs, pickled
from provenance.model import EXTENTS, Derivation, Extent, PairScore, Passage, Verdict
from provenance.scanning import scan
from provenance.spool import InMemoryRecords, Records, Spool
from provenance.text.corpus import load_corpus


def _pair(a: str, b: str, jaccard: float, extent: Extent | None) -> PairScore:
    verdict = None if extent is None else Verdict(
        b, a, extent, "heavy" if extent != "none" else "none", 0.7,
        {"aligned_share": 0.4, "source_aligned_share": 0.3})
    return PairScore(a, b, jaccard, jaccard, jaccard / 2, (Passage(0, 5, 1, 6, 1),), verdict)


PAIRS = [_pair("a", "b", 0.5, "wholly"), _pair("a", "c", 0.2, None),
         _pair("b", "c", 0.9, "none")]


@pytest.mark.parametrize("records", [lambda: Spool("pairs"), InMemoryRecords])
def test_spooled_pairs_are_the_pairs_in_their_order(records: Callable[[], Records]) -> None:
    kept = records()
    for pair in PAIRS:
        kept.append(pickled(pair))
    pairs = SpooledPairs(kept, np.array([2, 0, 1]))
    expected = (PAIRS[2], PAIRS[0], PAIRS[1])
    assert pairs == expected and expected == pairs and list(pairs) == list(expected)
    assert len(pairs) == 3 and pairs[1] == PAIRS[0] and pairs[-1] == PAIRS[1]
    assert pairs[1:] == expected[1:] and pairs[:0] == ()
    assert pairs != expected[:2] and pairs != (PAIRS[0], PAIRS[2], PAIRS[1])
    assert pickle.loads(pickle.dumps(pairs)) == expected


@given(st.lists(st.tuples(st.sampled_from([None, *EXTENTS]),
                          st.sampled_from([0.0, 0.25, 0.5, 1.0]),
                          st.sampled_from([0.0, 0.5, 1.0])), max_size=12))
def test_the_report_order_is_more_derived_then_more_contained_then_more_alike(
        drawn: list[tuple[Extent | None, float, float]]) -> None:
    names = [f"{n:02}" for n in range(len(drawn) + 1)]
    pairs = [PairScore(names[n], names[n + 1], jaccard, containment, containment / 2, (),
                       None if extent is None else Verdict(names[n], names[n + 1], extent,
                                                           "none", 0.5, {}))
             for n, (extent, containment, jaccard) in enumerate(drawn)]
    summary = PairSummary.of(pairs, [(n, n + 1) for n in range(len(pairs))])
    expected = sorted(pairs, key=lambda s: (-EXTENTS.index(s.verdict.extent) if s.verdict
                                            else 0, -s.containment, -s.jaccard, s.a, s.b))
    assert [pairs[n] for n in summary.report_order()] == expected


def test_a_summary_cut_in_parts_and_reordered_is_the_summary_of_the_pairs_so() -> None:
    whole = PairSummary.of(PAIRS, [(0, 1), (0, 2), (1, 2)])
    parts = PairSummary.concatenate([PairSummary.of(PAIRS[:1], [(0, 1)]),
                                     PairSummary.of(PAIRS[1:], [(0, 2), (1, 2)])])
    order = np.array([2, 0, 1])
    reordered = PairSummary.of([PAIRS[n] for n in order], [(1, 2), (0, 1), (0, 2)])
    for name in PairSummary.__dataclass_fields__:
        assert vars(parts)[name].tolist() == vars(whole)[name].tolist()
        assert vars(whole.take(order))[name].tolist() == vars(reordered)[name].tolist()
    assert len(PairSummary.concatenate([])) == 0
    assert whole.reused() == 1  # wholly; neither the unjudged pair nor the "none"
    assert whole.a_is_source.tolist() == [False, False, False]  # each verdict's source is b
    # A verdict of reuse asserts it: the copy it rests on was checked as it was judged.
    assert whole.evidenced.tolist() == [True, False, False]


class _CountedReads(tuple[PairScore, ...]):
    """Pairs that count how many times one of them is read."""

    reads = 0

    def __getitem__(self, index: Any) -> Any:
        self.reads += 1
        return super().__getitem__(index)


def test_a_derivation_of_a_pair_reads_its_verdict_when_asked(tmp_path: Path) -> None:
    pairs = _CountedReads(PAIRS)
    derivation = DerivationOfPair("b", "a", "published earlier", pairs, 0)
    with pytest.raises(AttributeError):  # the slot a derivation keeps its verdict in is empty
        Derivation.__dict__["verdict"].__get__(derivation)
    assert pairs.reads == 0
    plain = Derivation("b", "a", "published earlier", PAIRS[0].verdict)  # type: ignore[arg-type]
    assert derivation.verdict == PAIRS[0].verdict and pairs.reads == 1
    assert derivation == plain and plain == derivation
    assert derivation != DerivationOfPair("b", "a", "published earlier", pairs, 2)
    copied = pickle.loads(pickle.dumps(derivation))  # with its verdict, not all the pairs
    assert type(copied) is Derivation and copied == plain
    with pytest.raises(ValueError, match="no verdict"):
        _ = DerivationOfPair("a", "c", "published earlier", pairs, 1).verdict


def test_a_scan_keeps_its_pairs_on_disk_and_its_lineage_reads_none(
        corpus_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    articles = [*load_corpus([corpus_dir]).articles,
                *load_corpus([Path(__file__).parent / "data" / "counter-sample"]).articles]
    result = scan(articles)
    assert isinstance(result.pairs, SpooledPairs) and len(result.pairs) > 4
    assert 0 < result.derived_pairs == sum(1 for p in result.pairs if p.verdict
                                           and p.verdict.reused)
    # Lineage from the summary is lineage from the pairs themselves, and reads none of them.
    pairs = tuple(result.pairs)
    assert infer_lineage(result.articles, pairs, result.credits,
                         builtin_registry()) == result.lineage
    counted = _CountedReads(pairs)
    ids = [article.id for article in result.articles]
    summary = PairSummary.of(pairs, [(ids.index(p.a), ids.index(p.b)) for p in pairs])
    lineage = infer_lineage(result.articles, counted, result.credits, builtin_registry(),
                            summary)
    assert counted.reads == 0
    assert lineage == result.lineage and counted.reads > 0  # the verdicts, once compared
    # Where files are not spooled, the pairs are kept in memory, the same.
    monkeypatch.setattr(spool, "SPOOLING", False)
    assert scan(articles) == result

from __future__ import annotations

from pathlib import Path

from provenance.agencies import builtin_registry
from provenance.corpus import load_corpus
from provenance.lineage import infer_lineage
from provenance.model import AlignedSentence, Article, Credit, Extent, PairScore, Verdict
from provenance.pipeline import scan

REGISTRY = builtin_registry()
SENTENCE = AlignedSentence(0, 10, 0, 10, 0.6)


def verdict(source: str, derived: str, sentences: int = 3, confidence: float = 0.6,
            extent: Extent = "partially") -> Verdict:
    return Verdict(source, derived, extent, "heavy" if extent != "none" else "none",
                   confidence, {"aligned_share": 0.3, "source_aligned_share": 0.2},
                   sentences=(SENTENCE,) * sentences)


def pair(v: Verdict, a_in_b: float = 0.05, b_in_a: float = 0.05) -> PairScore:
    a, b = sorted((v.source, v.derived))
    return PairScore(a, b, 0.02, a_in_b, b_in_a, (), v)


def sign_off(agency: str) -> Credit:
    return Credit("sign-off", agency, REGISTRY.lookup(agency).name, 0, 5, "- " + agency)  # type: ignore[union-attr]


def test_an_agencys_own_copy_is_the_source_and_a_credit_to_it_is_credited() -> None:
    articles = [Article("wire", "t", outlet="APP"), Article("paper", "t", outlet="jang"),
                Article("other", "t", outlet="dawn")]
    pairs = [pair(verdict("paper", "wire")), pair(verdict("wire", "other"))]
    credits = {"paper": (Credit("dateline", "اے پی پی", "Associated Press of Pakistan", 0, 9,
                                "(اے پی پی)"),)}
    lineage = infer_lineage(articles, pairs, credits, REGISTRY)
    # The verdict's own direction is overruled: the agency's article is the source.
    assert (lineage.of("paper").kind, lineage.of("paper").source) == ("credited wire copy",
                                                                      "wire")
    assert lineage.of("paper").derivation.basis == "agency's own copy"  # type: ignore[union-attr]
    assert (lineage.of("other").kind, lineage.of("other").source) == ("uncredited reuse", "wire")
    assert lineage.of("wire").kind == "original"
    assert [story.articles for story in lineage.stories] == [("other", "paper", "wire")]


def test_publication_time_then_containment_settle_the_direction() -> None:
    articles = [Article("early", "t", published="2025-01-02"),
                Article("late", "t", published="2025-01-03"), Article("trim", "t"),
                Article("full", "t")]
    pairs = [pair(verdict("late", "early")),
             # "trim" is found whole in "full": 0.9 of its runs, 0.2 the other way.
             pair(verdict("trim", "full"), a_in_b=0.2, b_in_a=0.9)]
    lineage = infer_lineage(articles, pairs, {}, REGISTRY)
    assert lineage.of("late").source == "early"
    assert lineage.of("late").derivation.basis == "published earlier"  # type: ignore[union-attr]
    assert lineage.of("early").kind == lineage.of("full").kind == "original"  # sources
    assert lineage.of("trim").source == "full"
    assert lineage.of("trim").derivation.basis == "contained in source"  # type: ignore[union-attr]


def test_rewrites_of_copy_not_in_the_corpus_share_a_common_source() -> None:
    articles = [Article(name, "t") for name in ("a", "b", "c", "d")]
    pairs = [pair(verdict("a", "b")), pair(verdict("c", "d")), pair(verdict("a", "d", 0, 0.9))]
    lineage = infer_lineage(articles, pairs, {"c": (sign_off("PTI"),)}, REGISTRY)
    first, second = (lineage.common_source(lineage.of(x).source or "") for x in ("a", "c"))
    assert first and first.members == ("a", "b") and first.name == "unknown copy"
    assert lineage.of("b").kind == "uncredited reuse"
    # c is credited PTI copy; d retells it: the direction is settled, no common source.
    assert second is None and lineage.of("d").source == "c"
    assert lineage.of("d").kind == "uncredited reuse"
    assert lineage.of("c").kind == "credited wire copy"


def test_a_common_source_is_named_after_the_agency_its_members_credit() -> None:
    articles = [Article(name, "t") for name in ("a", "b")]
    credits = {name: (sign_off("AFP"),) for name in ("a", "b")}
    lineage = infer_lineage(articles, [pair(verdict("a", "b"))], credits, REGISTRY)
    source = lineage.common_source(lineage.of("a").source or "")
    assert source and source.name == source.agency == "Agence France-Presse"
    assert lineage.of("a").kind == lineage.of("b").kind == "credited wire copy"


def test_no_derivation_without_aligned_evidence() -> None:
    articles = [Article(name, "t") for name in ("a", "b", "c")]
    pairs = [pair(verdict("a", "b", sentences=1)), pair(verdict("a", "c", extent="none"))]
    lineage = infer_lineage(articles, pairs, {}, REGISTRY)
    assert [lineage.of(x).kind for x in "abc"] == ["independent"] * 3
    assert lineage.stories[0].derivations == ()


def test_an_article_alone_with_a_wire_credit_is_credited_copy_of_that_agency() -> None:
    lineage = infer_lineage([Article("a", "t"), Article("b", "t")], [],
                            {"a": (sign_off("ANI"),)}, REGISTRY)
    assert (lineage.of("a").kind, lineage.of("a").source) == ("credited wire copy",
                                                              "Asian News International")
    assert (lineage.of("b").kind, lineage.of("b").source) == ("original", None)
    assert lineage.stories == ()


def test_the_seed_articles_lineage(corpus_dir: Path) -> None:
    result = scan(load_corpus([corpus_dir]).articles)
    lineage = result.lineage
    (story,) = lineage.stories
    assert len(story.articles) == 5
    seeds = {item.article[:3]: item for item in lineage.articles}
    assert seeds["003"].kind == "credited wire copy"
    assert seeds["003"].source == "Asian News International"
    assert [c.name for c in seeds["003"].citations] == ["Japan Times", "Japan Times"]
    assert {c.agency for c in seeds["001"].citations} == {"Associated Press", "Kyodo News"}
    # The two rewrites of one copy share a common source that is not in the corpus.
    assert seeds["000"].source == seeds["004"].source
    assert lineage.common_source(seeds["000"].source or "") is not None
    for derivation in story.derivations:
        assert len(derivation.verdict.sentences) >= 2

from __future__ import annotations

from pathlib import Path

from provenance.attribution.agencies import builtin_registry
from provenance.lineage.infer import credits_agency, infer_lineage
from provenance.model import (
    AlignedSentence,
    Article,
    Credit,
    Direction,
    DirectionRule,
    Extent,
    PairScore,
    Verdict,
)
from provenance.report.tables import render_scan
from provenance.scanning import scan
from provenance.text.corpus import load_corpus

REGISTRY = builtin_registry()
AFP = "Agence France-Presse"
SENTENCE = AlignedSentence(0, 10, 0, 10, 0.6)


def derived(source: str, copy: str, sentences: int = 3, confidence: float = 0.6,
            extent: Extent = "partially", basis: str = "published earlier",
            rule: DirectionRule = "publication") -> Verdict:
    """A verdict that ``copy`` derives from ``source``, as the direction's evidence shows."""
    return verdict(source, copy, Direction("derived", source, copy, basis, rule), sentences,
                   confidence, extent)


def sharing(a: str, b: str, agency: str | None = None, sentences: int = 3) -> Verdict:
    """A verdict that ``a`` and ``b`` share copy, from a common source or in a direction
    nothing settles."""
    direction = (Direction("common source", None, None, "both credit it", "credits", agency)
                 if agency
                 else Direction("unknown", None, None, "nothing settles it"))
    return verdict(a, b, direction, sentences)


def verdict(source: str, copy: str, direction: Direction, sentences: int = 3,
            confidence: float = 0.6, extent: Extent = "partially") -> Verdict:
    return Verdict(source, copy, extent, "heavy" if extent != "none" else "none",
                   confidence, {"aligned_share": 0.3, "source_aligned_share": 0.2},
                   sentences=(SENTENCE,) * sentences, direction=direction)


def pair(v: Verdict, a_in_b: float = 0.05, b_in_a: float = 0.05) -> PairScore:
    a, b = sorted((v.source, v.derived))
    return PairScore(a, b, 0.02, a_in_b, b_in_a, (), v)


def contained(v: Verdict, copy_in_source: float) -> PairScore:
    """``v``'s pair, the derived text's 5-word runs found in the source at this share."""
    a, b = sorted((v.source, v.derived))
    share = {v.derived: copy_in_source, v.source: 0.3}
    return PairScore(a, b, 0.3, share[a], share[b], (), v)


def sign_off(agency: str) -> Credit:
    return Credit("sign-off", agency, REGISTRY.lookup(agency).name, 0, 5, "- " + agency)  # type: ignore[union-attr]


def test_each_article_takes_the_direction_its_verdict_was_given() -> None:
    articles = [Article("wire", "t", outlet="APP"), Article("paper", "t", outlet="jang"),
                Article("other", "t", outlet="dawn")]
    pairs = [pair(derived("wire", "paper", basis="Associated Press of Pakistan's own copy",
                          rule="agency copy")),
             pair(derived("wire", "other"))]
    credits = {"paper": (Credit("dateline", "اے پی پی", "Associated Press of Pakistan", 0, 9,
                                "(اے پی پی)"),)}
    lineage = infer_lineage(articles, pairs, credits, REGISTRY)
    assert (lineage.of("paper").kind, lineage.of("paper").source) == ("credited wire copy",
                                                                      "wire")
    assert lineage.of("paper").derivation.basis == (  # type: ignore[union-attr]
        "Associated Press of Pakistan's own copy")
    assert (lineage.of("other").kind, lineage.of("other").source) == ("uncredited reuse", "wire")
    assert lineage.of("wire").kind == "original"
    assert [story.articles for story in lineage.stories] == [("other", "paper", "wire")]


def test_reprints_take_the_agency_copy_not_a_sibling() -> None:
    # Every reprint derives from the agency's copy, and from the reprints published before
    # it: each explains it as well, and the agency's copy is highest up.
    reprints = [f"reprint-{n}" for n in range(5)]
    articles = [Article("ap", "t", outlet="Associated Press"),
                *(Article(r, "t", published=f"2026-01-0{n + 1}") for n, r in enumerate(reprints))]
    pairs = [contained(derived("ap", r, rule="agency copy"), 1.0) for r in reprints]
    pairs += [contained(derived(first, later), 1.0)
              for n, first in enumerate(reprints) for later in reprints[n + 1:]]
    lineage = infer_lineage(articles, pairs, {}, REGISTRY)
    assert {lineage.of(r).source for r in reprints} == {"ap"}
    assert lineage.stories[0].common_sources == ()


def test_a_reprint_carrying_another_papers_changes_takes_that_paper_as_source() -> None:
    articles = [Article(name, "t") for name in ("afp", "edited", "copy", "direct")]
    pairs = [contained(derived("afp", "edited", rule="agency copy"), 0.85),
             # The edits are not in AFP's copy.
             contained(derived("afp", "copy", rule="agency copy"), 0.85),
             contained(derived("afp", "direct", rule="agency copy"), 1.0),
             contained(verdict("edited", "copy", Direction(
                 "common source", None, None, "both credit it", "credits", AFP)), 1.0),
             contained(verdict("direct", "copy", Direction(
                 "common source", None, None, "both credit it", "credits", AFP)), 0.85)]
    lineage = infer_lineage(articles, pairs, {}, REGISTRY)
    assert lineage.of("copy").source == "edited"
    assert lineage.of("copy").derivation.basis.startswith(  # type: ignore[union-attr]
        "second generation")
    # The pair of the two papers shows it too: a direction no pair could settle alone.
    (settled,) = lineage.directions.values()
    assert (settled.relation, settled.source, settled.derived, settled.rule) == (
        "derived", "edited", "copy", "changes")
    assert lineage.of("direct").source == lineage.of("edited").source == "afp"


def test_copy_not_in_the_corpus_is_one_common_source_for_each_agency() -> None:
    articles = [Article(name, "t") for name in ("a", "b", "c", "d", "e")]
    credits = {name: (sign_off("Reuters"),) for name in ("a", "b", "c")}
    # d and e credit nothing: each shares as much with an article crediting Reuters as
    # with the other, and carries Reuters copy.
    pairs = [pair(sharing("a", "b", "Reuters")), pair(sharing("c", "d", "Reuters")),
             pair(sharing("b", "c", "Reuters")), pair(sharing("d", "e")),
             pair(sharing("c", "e", "Reuters"))]
    lineage = infer_lineage(articles, pairs, credits, REGISTRY)
    (story,) = lineage.stories
    (common,) = story.common_sources
    assert common.name == common.agency == "Reuters"
    assert common.members == ("a", "b", "c", "d", "e")
    assert [lineage.of(x).kind for x in "abcde"] == ["credited wire copy"] * 3 + [
        "uncredited reuse"] * 2


def test_a_common_sources_member_is_shown_through_a_sibling_of_that_source() -> None:
    # u shares most with x (unknown copy), about as much with z, which credits Reuters: u
    # carries Reuters copy, and is shown through z, never through another source's copy.
    articles = [Article(name, "t") for name in ("u", "x", "y", "z")]
    through_x = pair(sharing("x", "u"), a_in_b=0.12)  # u's 5-word runs found in x
    through_z = pair(sharing("z", "u", "Reuters"))
    pairs = [pair(sharing("x", "y"), a_in_b=0.5, b_in_a=0.5), through_x, through_z]
    lineage = infer_lineage(articles, pairs, {"z": (sign_off("Reuters"),)}, REGISTRY)
    reuters = lineage.common_source(lineage.of("u").source or "")
    assert reuters is not None and reuters.members == ("u", "z")
    assert lineage.of("u").derivation.verdict is through_z.verdict  # type: ignore[union-attr]
    assert lineage.of("z").derivation.verdict is through_z.verdict  # type: ignore[union-attr]


def test_copy_shared_with_a_reprint_of_the_agencys_own_copy_is_that_copy() -> None:
    # "rewrite" shares text with the reprint only (against the agency's copy its verdict
    # fell short), and credits nothing: the copy it shares is APP's, which is in the corpus.
    articles = [Article("app", "t", outlet="APP"), Article("reprint", "t"),
                Article("rewrite", "t")]
    credits = {"reprint": (sign_off("APP"),)}
    carried = pair(sharing("reprint", "rewrite", "Associated Press of Pakistan"))
    pairs = [pair(derived("app", "reprint", basis="Associated Press of Pakistan's own copy",
                          rule="agency copy")), carried]
    lineage = infer_lineage(articles, pairs, credits, REGISTRY)
    item = lineage.of("rewrite")
    assert (item.kind, item.source) == ("uncredited reuse", "app")
    assert item.derivation is not None and item.derivation.verdict is carried.verdict
    assert item.derivation.seen_through == "reprint"
    assert lineage.stories[0].common_sources == ()
    # A rewrite of that rewrite, sharing copy with it alone, carries the same copy.
    again = pair(sharing("rewrite", "retold"))
    lineage = infer_lineage([*articles, Article("retold", "t")], [*pairs, again], credits,
                            REGISTRY)
    item = lineage.of("retold")
    assert (item.kind, item.source) == ("uncredited reuse", "app")
    assert item.derivation is not None and item.derivation.seen_through == "rewrite"
    assert lineage.stories[0].common_sources == ()
    # Crediting another agency, its copy is that agency's, not in the corpus.
    lineage = infer_lineage(articles, pairs, {**credits, "rewrite": (sign_off("PTI"),)},
                            REGISTRY)
    assert lineage.common_source(lineage.of("rewrite").source or "") is not None


def test_copy_shared_with_a_reprint_of_a_reprint_is_the_agencys_copy() -> None:
    # The reprint the rewrite shares copy with takes its text from another reprint, which
    # takes it from APP's own copy: the copy is still APP's, here in the corpus.
    articles = [Article("app", "t", outlet="APP"), Article("reprint", "t"),
                Article("reprint-2", "t"), Article("rewrite", "t")]
    pairs = [pair(derived("app", "reprint", basis="Associated Press of Pakistan's own copy",
                          rule="agency copy")),
             pair(derived("reprint", "reprint-2")),
             pair(sharing("reprint-2", "rewrite"))]
    lineage = infer_lineage(articles, pairs, {}, REGISTRY)
    assert lineage.of("reprint-2").source == "reprint"
    item = lineage.of("rewrite")
    assert (item.kind, item.source) == ("uncredited reuse", "app")
    assert item.derivation is not None and item.derivation.seen_through == "reprint-2"


def test_a_credit_to_a_news_release_credits_a_release_wires_copy_only() -> None:
    release = Credit("release", "news release", None, 0, 27, "according to a news release")
    assert credits_agency([release], "GlobeNewswire", release_wire=True)
    assert not credits_agency([release], "Reuters")
    articles = [Article("wire", "t", outlet="GlobeNewswire"), Article("story", "t")]
    pairs = [pair(derived("wire", "story", basis="GlobeNewswire's own copy",
                          rule="agency copy"))]
    lineage = infer_lineage(articles, pairs, {"story": (release,)}, REGISTRY)
    assert lineage.of("story").kind == "credited wire copy"


def test_rewrites_of_uncredited_copy_share_an_unknown_common_source() -> None:
    articles = [Article(name, "t") for name in ("a", "b", "c", "d")]
    pairs = [pair(sharing("a", "b")), pair(derived("c", "d"))]
    lineage = infer_lineage(articles, pairs, {"c": (sign_off("PTI"),)}, REGISTRY)
    first = lineage.common_source(lineage.of("a").source or "")
    assert first and first.members == ("a", "b") and first.name == "unknown copy"
    assert lineage.of("b").kind == "uncredited reuse"
    assert lineage.of("d").source == "c" and lineage.of("d").kind == "uncredited reuse"
    assert lineage.of("c").kind == "credited wire copy"


def test_no_derivation_from_a_verdict_of_no_reuse() -> None:
    articles = [Article(name, "t") for name in ("a", "b")]
    lineage = infer_lineage(articles, [pair(derived("a", "b", extent="none"))], {}, REGISTRY)
    assert [lineage.of(x).kind for x in "ab"] == ["independent"] * 2
    assert lineage.stories[0].derivations == ()


def test_siblings_ordered_by_time_alone_share_their_source() -> None:
    # Both reprint the agency's story; the earlier one is not the later one's source, and
    # their pair says so too.
    articles = [Article("wire", "t", outlet="Associated Press"), Article("early", "t"),
                Article("late", "t")]
    pairs = [contained(derived("wire", "early", rule="agency copy"), 1.0),
             contained(derived("wire", "late", rule="agency copy"), 1.0),
             contained(derived("early", "late"), 1.0)]
    lineage = infer_lineage(articles, pairs, {}, REGISTRY)
    assert lineage.of("late").source == "wire"
    (settled,) = lineage.directions.values()
    assert (settled.relation, settled.source) == ("common source", None)
    assert settled.basis == "both take their text from wire: that early came out first shows " \
        "no more"


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
    ani = lineage.common_source(seeds["003"].source or "")
    assert ani is not None and ani.name == "Asian News International"
    assert [c.name for c in seeds["003"].citations] == ["Japan Times", "Japan Times"]
    assert {c.agency for c in seeds["001"].citations} == {"Associated Press", "Kyodo News"}
    # The two rewrites of one copy share a common source that is not in the corpus.
    assert seeds["000"].source == seeds["004"].source
    assert lineage.common_source(seeds["000"].source or "") is not None
    for derivation in story.derivations:
        assert len(derivation.verdict.sentences) >= 2


def test_a_derivation_resting_on_little_text_is_said_to(corpus_dir: Path) -> None:
    # The seeds 001 and 002 share a few sentences of the story with the rewrites of its
    # copy: their lineage says so, and that it rests on little of their text.
    result = scan(load_corpus([corpus_dir]).articles)
    table = render_scan(result, "table")
    shares = {line.split()[0][:3]: line for line in table.splitlines()
              if line[:3] in ("000", "001", "002", "004") and "%" in line}
    assert "(little text)" in shares["001"] and "(little text)" in shares["002"]
    assert "(little text)" not in shares["000"] + shares["004"]

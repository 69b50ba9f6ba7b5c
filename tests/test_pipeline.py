from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from provenance import scanning as pipeline
from provenance.candidates.buckets import sample
from provenance.candidates.minhash import Permutations, signatures
from provenance.config import Parameters
from provenance.model import PairScore, Verdict
from provenance.report.json_output import result_json
from provenance.scanning import compare, scan
from provenance.store.entries import fingerprint, minhash_signatures
from provenance.text import bodies as bodies_module
from provenance.text.bodies import article_bodies
from provenance.text.corpus import load_corpus
from provenance.text.words import shingle_hashes, word_hashes, word_tokens
from provenance.verdict.features import overlap

from .conftest import ROOT, article, prose


def test_a_scan_of_no_articles_finds_nothing() -> None:
    # The library's caller may hand over an empty list; the CLI stops before.
    result = pipeline.scan([])
    assert (len(result.articles), len(result.pairs), result.candidates) == (0, 0, 0)
    assert result.lineage.stories == () and result.lineage.articles == ()


def test_scan_finds_a_short_story_quoted_inside_a_long_article() -> None:
    story = prose(1, 120)
    articles = [
        article("wire", story),
        article("paper", prose(2, 1500) + " " + story + " " + prose(3, 1500)),
        article("other", prose(4, 600)),
        article("tiny", "too short"),
    ]
    result = scan(articles)
    (pair,) = result.pairs
    assert (pair.a, pair.b) == ("paper", "wire")
    assert pair.b_in_a == 1.0 and pair.jaccard < 0.05
    assert pair.longest_passage == 120
    assert result.too_short == ("tiny",)
    assert result.article_ids == ("other", "paper", "tiny", "wire")


def test_a_scan_keeps_the_credits_of_the_articles_that_carry_some() -> None:
    result = scan([article("signed", prose(5, 80) + "\n- AP"), article("plain", prose(6, 80))])
    assert list(result.credits) == ["signed"]
    assert [(c.kind, c.agency) for c in result.credits["signed"]] == [
        ("sign-off", "Associated Press")]


def test_a_scan_reports_the_progress_of_every_stage() -> None:
    story = prose(1, 120)
    reports: list[tuple[str, int, int]] = []
    scan([article("wire", story), article("paper", prose(2, 300) + " " + story)],
         progress=lambda *report: reports.append(report))
    last = {stage: (done, total) for stage, done, total in reports}  # in order of arrival
    assert list(last) == ["page furniture", "reading", "finding candidates", "judging",
                          "lineage"]
    assert all(done == total for done, total in last.values())


def test_pairs_are_ordered_most_related_first_and_deterministic() -> None:
    base = prose(5, 300).split()
    articles = [article("copy", " ".join(base)), article("base", " ".join(base)),
                article("half", " ".join(base[:150] + prose(6, 150).split()))]
    first, second = scan(articles), scan(list(reversed(articles)))
    assert first == second
    assert (first.pairs[0].a, first.pairs[0].b) == ("base", "copy")
    assert [p.containment for p in first.pairs] == sorted(
        (p.containment for p in first.pairs), reverse=True)


def test_threshold_reports_shared_text_that_is_not_judged_derived() -> None:
    base = prose(7, 300).split()
    shared_run = " ".join(base[:12])
    articles = [article("a", " ".join(base)),
                article("b", " ".join([*prose(8, 40).split(), shared_run]))]
    (pair,) = scan(articles, Parameters(min_containment=0.1)).pairs
    assert pair.verdict is not None and not pair.verdict.reused
    assert scan(articles, Parameters(min_containment=0.5)).pairs == ()


def test_derived_pairs_are_reported_whatever_the_threshold() -> None:
    base = prose(7, 300).split()
    articles = [article("a", " ".join(base)),
                article("b", " ".join(base[:120] + prose(8, 80).split()))]
    (pair,) = scan(articles, Parameters(min_containment=0.9)).pairs
    assert pair.verdict is not None
    assert (pair.verdict.source, pair.verdict.derived) == ("a", "b")
    assert pair.verdict.extent != "none" and pair.verdict.form in ("verbatim", "light")


def test_form_is_graded_on_the_part_reused() -> None:
    def story(seeds: range) -> str:
        return " ".join(prose(seed, 18).capitalize() + "." for seed in seeds)

    def lightly(text: str) -> str:
        return " ".join(f"x{n}" if n % 9 == 4 else word for n, word in enumerate(text.split()))

    source, own = story(range(20)), story(range(100, 115))
    others = [article("c", story(range(105, 120))), article("d", prose(999, 300))]
    for derived, form in [(story(range(5)) + " " + own, "verbatim"),
                          (lightly(story(range(5))) + " " + own, "light")]:
        result = scan([article("a", source), article("b", derived), *others],
                      Parameters(min_containment=0.05))
        (verdict,) = [p.verdict for p in result.pairs if {p.a, p.b} == {"a", "b"}]
        assert verdict is not None and verdict.derived == "b"
        assert (verdict.extent, verdict.form) == ("partially", form)


def test_sample_corpus_rewrites_are_judged_heavy_rewrites_and_the_strongest_pair(
        corpus_dir: Path) -> None:
    corpus = load_corpus([corpus_dir]).articles
    articles = {a.id[:3]: a for a in corpus}
    pair, verdict = compare(articles["000"], articles["004"], corpus)
    assert pair.jaccard < 0.03
    assert verdict.extent in ("partially", "wholly") and verdict.form == "heavy"
    assert len(verdict.sentences) >= 5
    result = scan(corpus)
    assert len(result.article_ids) == 5
    strongest = result.pairs[0]
    assert {strongest.a[:3], strongest.b[:3]} == {"000", "004"}
    # The other pairs only report the same event: none is judged more than partially derived,
    # and none has as many sentences retold.
    assert strongest.verdict is not None
    for other in result.pairs[1:]:
        assert other.verdict is not None and other.verdict.extent != "wholly"
        assert len(other.verdict.sentences) < len(strongest.verdict.sentences)


def test_compare_reports_scores_whatever_the_threshold(urdu_pair: Path) -> None:
    agency, paper = load_corpus([urdu_pair]).articles
    pair, verdict = compare(agency, paper)
    assert (pair.a, pair.b) == ("counter-0430", "counter-0430p")
    assert (verdict.source, verdict.derived) == ("counter-0430", "counter-0430p")
    assert verdict.extent != "none"
    assert pair.b_in_a > 0.5 and pair.passages
    for passage in pair.passages:
        assert 0 <= passage.a_start < passage.a_end <= len(agency.text)
        assert 0 <= passage.b_start < passage.b_end <= len(paper.text)


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10_000), st.integers(20, 200), st.integers(0, 150))
def test_an_excerpt_is_wholly_contained(seed: int, length: int, start: int) -> None:
    text = prose(seed, 400)
    excerpt = " ".join(text.split()[start : start + length])
    pair, verdict = compare(article("full", text), article("excerpt", excerpt))
    assert pair.b_in_a == 1.0
    assert (verdict.source, verdict.derived, verdict.extent) == ("full", "excerpt", "wholly")
    assert 0.0 <= pair.jaccard <= pair.a_in_b <= 1.0


@given(st.lists(st.integers(0, 50), max_size=40), st.lists(st.integers(0, 50), max_size=40))
def test_scores_are_in_the_unit_interval(a: list[int], b: list[int]) -> None:
    jaccard, a_in_b, b_in_a = overlap(np.array(a, dtype=np.uint64), np.array(b, dtype=np.uint64))
    for value in (jaccard, a_in_b, b_in_a):
        assert 0.0 <= value <= 1.0
    assert jaccard <= min(a_in_b, b_in_a) or jaccard == 0.0


def test_lines_repeated_across_chunks_are_furniture_whatever_the_number_of_jobs(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # Five articles carry the caption, no chunk of two more than two of them.
    articles = [article(str(n), f"{prose(n, 80)}\nPhoto: staff archive\n{prose(n + 9, 40)}")
                for n in range(5)] + [article("5", prose(5, 80))]
    monkeypatch.setattr(bodies_module, "FURNITURE_CHUNK", 2)
    bodies = article_bodies(articles, jobs=2)
    assert list(bodies) == list(article_bodies(articles, jobs=1))
    assert [len(body) for body in bodies] == [len(a.text) for a in articles]
    assert ["Photo" in body for body in bodies] == [False] * 6
    assert [body == a.text for body, a in zip(bodies, articles, strict=True)] == \
        [False] * 5 + [True]


def test_results_are_the_same_whatever_the_number_of_jobs(
        corpus_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    articles = [*load_corpus([corpus_dir]).articles,
                *load_corpus([Path(__file__).parent / "data" / "counter-sample"]).articles]
    # Chunks of two, so that both workers survey and judge several chunks each.
    monkeypatch.setattr(bodies_module, "FURNITURE_CHUNK", 2)
    monkeypatch.setattr(pipeline, "SURVEY_CHUNK", 2)
    monkeypatch.setattr(pipeline, "JUDGE_CHUNK", 2)
    one, two = scan(articles, jobs=1), scan(articles, jobs=2)
    assert len(one.pairs) > 4
    assert result_json(one) == result_json(two)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.text(max_size=200), min_size=1, max_size=8))
def test_batch_fingerprints_are_those_of_each_article_alone(texts: list[str]) -> None:
    params = Parameters()
    prints = fingerprint([str(n) for n in range(len(texts))], texts, params)
    for text, print_ in zip(texts, prints, strict=True):
        tokens = word_tokens(text)
        shingles = shingle_hashes(word_hashes(tokens, params.seed), params.shingle_size)
        alone = signatures([shingles], Permutations.create(params.num_perm, params.seed))[0]
        assert print_.word_count == len(tokens)
        assert print_.too_short == (shingles.size == 0)
        assert print_.samples.tolist() == sample(shingles, params.sample_rate).tolist()
        assert print_.signature.tolist() == alone.tolist()


def test_signatures_alone_are_the_fingerprints_signatures() -> None:
    texts = [prose(seed, 300) for seed in range(5)] + ["too short", ""]
    alone = minhash_signatures(texts, Parameters(), jobs=2)
    prints = fingerprint([str(n) for n in range(len(texts))], texts, Parameters())
    assert alone.shape == (len(texts), Parameters().num_perm)
    assert alone.tolist() == [fp.signature.tolist() for fp in prints]


#: Characters that render as nothing (zero-width space and joiner, soft hyphen, bidi
#: controls, word joiner, byte-order mark, a variation selector).
_INVISIBLE = "\u200b\u200d\u00ad\u200e\u202e\u2066\u2060\ufeff\ufe0f"


def _scores(pair: PairScore, verdict: Verdict) -> tuple[object, ...]:
    return (pair.jaccard, pair.a_in_b, pair.b_in_a, len(pair.passages),
            [p.words for p in pair.passages], verdict.source, verdict.extent, verdict.form,
            verdict.confidence, dict(verdict.features), len(verdict.sentences))


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.floats(0, 1), st.sampled_from(_INVISIBLE)), max_size=200))
def test_invisible_characters_anywhere_leave_every_score_unchanged(
        inserted: list[tuple[float, str]]) -> None:
    # Two seeds that retell one copy: aligned sentences carry the verdict, not shingles.
    first, second = sorted((ROOT / "corpus").glob("*.txt"))[0::4]
    a = article("a", load_corpus([first]).articles[0].text)
    b_text = load_corpus([second]).articles[0].text
    marked = list(b_text)
    for place, char in inserted:
        marked.insert(int(place * len(marked)), char)
    plain = compare(a, article("b", b_text))
    disguised = compare(a, article("b", "".join(marked)))
    assert _scores(*disguised) == _scores(*plain)

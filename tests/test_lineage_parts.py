"""Lineage a run of whole stories at a time, as a cluster scan's tasks infer it: the same
document as the whole corpus's inference, however the stories are cut into runs."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

import provenance.scanning as scanning
from provenance.lineage.infer import infer_lineage
from provenance.lineage.judged import PairSummary
from provenance.lineage.parts import lineage_by_parts
from provenance.model import Article
from provenance.report.json_output import scan_json_parts
from provenance.text.corpus import load_corpus

from .conftest import ROOT
from .test_lineage import AFP, REGISTRY, pair, sharing, sign_off


@pytest.mark.parametrize("folder", ["corpus", "benchmarks/scenarios",
                                    "benchmarks/scenarios-blind"])
def test_lineage_by_runs_of_stories_is_the_corpus_lineage(
        folder: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # The scenario suites read as one corpus hold dozens of stories, common sources,
    # second-generation copies and directions lineage settles.
    articles = load_corpus([Path(ROOT / folder)]).articles
    whole = "".join(scan_json_parts(scanning.scan(articles)))
    for pairs_per_run in (1, 7):
        monkeypatch.setattr(scanning, "judged_lineage", functools.partial(
            scanning.judged_lineage, infer=functools.partial(lineage_by_parts,
                                                             pairs_per_run=pairs_per_run)))
        assert "".join(scan_json_parts(scanning.scan(articles))) == whole
        monkeypatch.undo()


def test_common_sources_keep_their_numbers_past_nine() -> None:
    # Five stories of two common sources each (Reuters copy, AFP copy, joined by a link):
    # the last story's are copy-9 and copy-10, which sort the other way as strings.
    articles, pairs, credits = [], [], {}
    for story in range(5):
        a, b, c, d = (f"s{story}{member}" for member in "abcd")
        articles += [Article(member, "t") for member in (a, b, c, d)]
        credits.update({a: (sign_off("Reuters"),), b: (sign_off("Reuters"),),
                        c: (sign_off("AFP"),), d: (sign_off("AFP"),)})
        pairs += [pair(sharing(a, b, "Reuters")), pair(sharing(c, d, AFP)), pair(sharing(b, c))]
    place = {article.id: n for n, article in enumerate(articles)}
    summary = PairSummary.of(pairs, [(place[p.a], place[p.b]) for p in pairs])
    whole = infer_lineage(articles, pairs, credits, REGISTRY, summary)
    last = whole.stories[-1]
    assert [source.id for source in last.common_sources] == ["copy-9", "copy-10"]
    assert whole.common_source(whole.of("s4a").source or "").agency == "Reuters"  # type: ignore[union-attr]
    for pairs_per_run in (1, 3, 100):
        assert lineage_by_parts(articles, pairs, credits, REGISTRY, summary,
                                pairs_per_run) == whole

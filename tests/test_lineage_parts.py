"""Lineage a run of whole stories at a time, as a cluster scan's tasks infer it: the same
document as the whole corpus's inference, however the stories are cut into runs."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

import provenance.scanning as scanning
from provenance.lineage.parts import lineage_by_parts
from provenance.report.json_output import scan_json_parts
from provenance.text.corpus import load_corpus

from .conftest import ROOT


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

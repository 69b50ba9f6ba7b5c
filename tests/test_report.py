from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace

import pytest

from provenance.model import (
    SCHEMA_VERSION,
    AlignedSentence,
    ArticleLineage,
    Derivation,
    Direction,
    Lineage,
    PairScore,
    Passage,
    Skipped,
    Story,
    Verdict,
)
from provenance.report import json_output
from provenance.report.json_output import json_text, result_json, scan_json_parts
from provenance.report.tables import render_compare, render_scan
from provenance.results import ScanResult

from .conftest import article

PASSAGE = Passage(0, 4, 5, 9, 2)
PAIR = PairScore("a", "b", 0.25, 0.5, 0.333333333, (PASSAGE,))
TEXTS = {"a": "shared text", "b": "then shared text"}
PARAMETERS = {"min_containment": 0.1, "shingle_size": 5}


def result(ids: Sequence[str], pairs: Sequence[PairScore], too_short: Sequence[str] = (),
           skipped: Sequence[Skipped] = (), candidates: int = 0) -> ScanResult:
    """A scan result whose articles are all originals with no credits."""
    lineage = Lineage((), tuple(ArticleLineage(i, "original", None, None, (), None)
                                for i in ids))
    return ScanResult(tuple(article(i, "text of " + i) for i in ids), tuple(pairs),
                      tuple(too_short), tuple(skipped), candidates,
                      sum(1 for pair in pairs if pair.verdict and pair.verdict.reused), PARAMETERS,
                      {i: () for i in ids}, lineage)


RESULT = result(("a", "b", "c"), (PAIR,), ("c",), (Skipped("x.txt", "empty article"),), 3)


def test_table_lists_pairs_and_a_summary() -> None:
    text = render_scan(RESULT, "table")
    assert "0.250" in text and "0.333" in text  # jaccard, and b's share found in a
    assert ("3 articles, 3 candidate pairs judged, 1 related: 0 derived one from the other, "
            "0 sharing copy in no known direction, 1 more sharing containment or Jaccard >= "
            "0.1. `derived in source`: share of the derived article's 5-word runs") in text
    assert "1 too short to fingerprint (fewer than 5 words): c" in text
    assert "1 input skipped" in text and "1 inputs" not in text


def test_summary_counts_only_the_pairs_there_are() -> None:
    verdict = Verdict("a", "b", "wholly", "verbatim", 0.8, {"aligned_share": 1.0},
                      direction=Direction("derived", "a", "b", "published earlier"))
    derived = result(("a", "b"), (replace(PAIR, verdict=verdict),), candidates=1)
    text = render_scan(derived, "table")
    assert ("1 related: 1 derived one from the other, 0 sharing copy in no known direction. "
            "`derived in source`") in text
    assert "more sharing" not in text


def test_json_is_complete_and_versioned() -> None:
    document = json.loads(render_scan(RESULT, "json"))
    assert document["schema_version"] == SCHEMA_VERSION
    assert document["skipped"] == [{"location": "x.txt", "reason": "empty article"}]
    # Evidence holds offsets; the JSON gives the text they point to, on both sides.
    passage = document["pairs"][0]["passages"][0]
    assert (passage["a_text"], passage["b_text"]) == ("text", "of b")
    assert document["pairs"][0]["longest_passage_words"] == 2


def test_json_written_a_part_at_a_time_is_the_document_dumped_whole() -> None:
    verdict = Verdict("a", "b", "wholly", "verbatim", 0.8, {"aligned_share": 1.0},
                      (PASSAGE,), (AlignedSentence(0, 11, 5, 16, 0.9),))
    pairs = (PairScore("a", "b", 0.25, 0.5, 0.3, (PASSAGE,), verdict), PAIR)
    for scanned in (RESULT, result(("a", "b", "é"), pairs), result((), ())):
        parts = list(scan_json_parts(scanned))
        assert len(parts) > len(scanned.articles) + len(scanned.pairs)
        assert "".join(parts) == json.dumps(result_json(scanned), ensure_ascii=False,
                                            indent=2)


def test_lists_rendered_by_worker_processes_read_the_same(
        monkeypatch: pytest.MonkeyPatch) -> None:
    verdict = Verdict("a", "b", "partially", "light", 0.8, {"aligned_share": 0.5},
                      (PASSAGE,), (AlignedSentence(0, 11, 5, 16, 0.9),))
    pairs = [PairScore("a", "b", 0.25, 0.5, 0.3, (PASSAGE,), verdict), PAIR,
             PairScore("b", "c", 0.1, 0.2, 0.3)]
    scanned = result(("a", "b", "c"), pairs)
    derivation = Derivation("a", "b", "published earlier", verdict)
    stories = tuple(Story(f"story-{n}", ("a", "b"), (), (derivation,)) for n in range(3))
    scanned = replace(scanned, lineage=Lineage(stories, scanned.lineage.articles))
    monkeypatch.setattr(json_output, "RENDER_CHUNK", 1)  # three chunks a list, over two processes
    text = "".join(scan_json_parts(scanned, jobs=2))
    assert text == "".join(scan_json_parts(scanned))
    assert text == json.dumps(result_json(scanned), ensure_ascii=False, indent=2)


def test_empty_results_say_so() -> None:
    empty = result(("a",), ())
    assert render_scan(empty, "table").startswith("No related pairs.")
    nothing = Verdict("a", "b", "none", "none", 0.99, {"aligned_share": 0.0})
    text = render_compare(PairScore("a", "b", 0.0, 0.0, 0.0), nothing, TEXTS, "table")
    assert "No shared passages." in text
    assert "Verdict: neither derives from the other (form none, confidence 0.99)." in text
    assert text.endswith("No aligned sentences.")


def test_verdicts_show_their_aligned_sentences_and_go_into_json() -> None:
    sentence = AlignedSentence(0, 11, 5, 16, 0.9)
    verdict = Verdict("a", "b", "wholly", "verbatim", 0.8, {"aligned_share": 1.0},
                      (PASSAGE,), (sentence,),
                      Direction("derived", "a", "b", "published earlier", "publication"))
    text = render_compare(PAIR, verdict, TEXTS, "table")
    assert ("Verdict: b is wholly derived from a (form verbatim, confidence 0.80). Direction: "
            "published earlier." in text and "0.90" in text)
    document = json.loads(render_compare(PAIR, verdict, TEXTS, "json"))
    assert document["verdict"]["extent"] == "wholly"
    assert document["verdict"]["direction"] == {
        "relation": "derived", "source": "a", "derived": "b", "basis": "published earlier",
        "rule": "publication", "agency": None}
    assert document["verdict"]["sentences"][0]["derived_text"] == "shared text"
    scanned = json.loads(render_scan(result(("a", "b"), (PairScore(
        "a", "b", 0.25, 0.5, 0.3, (PASSAGE,), verdict),)), "json"))
    assert scanned["pairs"][0]["verdict"]["form"] == "verbatim"


def test_json_reads_back_as_written() -> None:
    # Exponents, control characters, quotes and non-ASCII text survive as JSON has them.
    document = {"share": 2.5e-05, "tiny": 1e-06, "big": 1e+16, "text": 'a "b"\\\n\t\x00\u2028é',
                "nested": [{"n": 0}, [], {}], "none": None, "flag": True}
    assert json.loads(json_text(document)) == document
    assert json_text({"a": [1, {"b": "é"}]}) == json.dumps({"a": [1, {"b": "é"}]},
                                                        ensure_ascii=False, indent=2)

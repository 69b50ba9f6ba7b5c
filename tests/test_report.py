from __future__ import annotations

import json

from provenance.model import SCHEMA_VERSION, PairScore, Passage, ScanResult, Skipped
from provenance.report import render_compare, render_scan

PASSAGE = Passage(0, 11, 5, 16, "shared text", "shared text", 2)
PAIR = PairScore("a", "b", 0.25, 0.5, 0.333333333, (PASSAGE,))
RESULT = ScanResult(("a", "b", "c"), (PAIR,), ("c",), (Skipped("x.txt", "empty article"),), 3,
                    {"min_containment": 0.1, "shingle_size": 5})


def test_table_lists_pairs_and_a_summary() -> None:
    text = render_scan(RESULT, "table")
    assert "0.250" in text and "0.500" in text and "0.333" in text
    assert "3 articles, 3 candidate pairs verified, 1 related" in text
    assert "1 too short to fingerprint (fewer than 5 words): c" in text
    assert "1 inputs skipped" in text


def test_json_is_complete_and_versioned() -> None:
    document = json.loads(render_scan(RESULT, "json"))
    assert document["schema_version"] == SCHEMA_VERSION
    assert document["skipped"] == [{"location": "x.txt", "reason": "empty article"}]
    assert document["pairs"][0]["passages"][0]["a_text"] == "shared text"
    assert document["pairs"][0]["longest_passage_words"] == 2


def test_empty_results_say_so() -> None:
    empty = ScanResult(("a",), (), (), (), 0, {"min_containment": 0.1, "shingle_size": 5})
    assert render_scan(empty, "table").startswith("No related pairs.")
    assert render_compare(PairScore("a", "b", 0.0, 0.0, 0.0), "table").endswith(
        "No shared passages.")

"""Rendering results for people (tables) and programs (JSON). One place decides every format."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any, Literal

from tabulate import tabulate

from .model import SCHEMA_VERSION, PairScore, ScanResult

Format = Literal["table", "json"]
FORMATS: tuple[Format, ...] = ("table", "json")
#: Width of each text column when passages are shown side by side.
PASSAGE_COLUMN_WIDTH = 58


def render_scan(result: ScanResult, fmt: Format) -> str:
    """The scan result as a table of related pairs plus a summary, or as JSON."""
    if fmt == "json":
        return _dump({
            "schema_version": SCHEMA_VERSION,
            "parameters": dict(result.parameters),
            "articles": len(result.article_ids),
            "candidates": result.candidates,
            "too_short": list(result.too_short),
            "skipped": [asdict(item) for item in result.skipped],
            "pairs": [_pair_json(pair) for pair in result.pairs],
        })
    rows = [
        [pair.a, pair.b, f"{pair.jaccard:.3f}", f"{pair.a_in_b:.3f}", f"{pair.b_in_a:.3f}",
         len(pair.passages), pair.longest_passage]
        for pair in result.pairs
    ]
    headers = ["a", "b", "jaccard", "a in b", "b in a", "passages", "longest (words)"]
    table = tabulate(rows, headers=headers, disable_numparse=True) if rows else "No related pairs."
    return table + "\n\n" + _summary(result)


def _summary(result: ScanResult) -> str:
    lines = [
        f"{len(result.article_ids)} articles, {result.candidates} candidate pairs verified, "
        f"{len(result.pairs)} related (containment or Jaccard >= "
        f"{result.parameters['min_containment']})."
    ]
    if result.too_short:
        lines.append(f"{len(result.too_short)} too short to fingerprint (fewer than "
                     f"{result.parameters['shingle_size']} words): "
                     + ", ".join(result.too_short))
    if result.skipped:
        lines.append(f"{len(result.skipped)} inputs skipped (see the messages above).")
    return "\n".join(lines)


def render_compare(pair: PairScore, fmt: Format) -> str:
    """One pair's scores and its passages side by side, or as JSON."""
    if fmt == "json":
        return _dump({"schema_version": SCHEMA_VERSION, **_pair_json(pair)})
    scores = tabulate(
        [["jaccard", f"{pair.jaccard:.3f}"],
         [f"containment of {pair.a} in {pair.b}", f"{pair.a_in_b:.3f}"],
         [f"containment of {pair.b} in {pair.a}", f"{pair.b_in_a:.3f}"],
         ["shared passages", str(len(pair.passages))],
         ["longest passage (words)", str(pair.longest_passage)]],
        tablefmt="plain", disable_numparse=True,
    )
    if not pair.passages:
        return scores + "\n\nNo shared passages."
    rows = [
        [f"{p.a_start}-{p.a_end}\n{_flat(p.a_text)}", f"{p.b_start}-{p.b_end}\n{_flat(p.b_text)}"]
        for p in pair.passages
    ]
    side_by_side = tabulate(rows, headers=[pair.a, pair.b], tablefmt="grid",
                            maxcolwidths=[PASSAGE_COLUMN_WIDTH, PASSAGE_COLUMN_WIDTH],
                            disable_numparse=True)
    return scores + "\n\n" + side_by_side


def _flat(text: str) -> str:
    return " ".join(text.split())


def _pair_json(pair: PairScore) -> dict[str, Any]:
    return {
        "a": pair.a, "b": pair.b,
        "jaccard": round(pair.jaccard, 6),
        "a_in_b": round(pair.a_in_b, 6),
        "b_in_a": round(pair.b_in_a, 6),
        "longest_passage_words": pair.longest_passage,
        "passages": [asdict(passage) for passage in pair.passages],
    }


def _dump(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2)

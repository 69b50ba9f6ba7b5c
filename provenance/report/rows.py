"""A scan as flat tables for spreadsheets and pandas: one row per judged pair, one per
article (``scan --format csv|jsonl``, and ``pairs.csv`` and ``articles.csv`` beside the
reports). Every row of a table has the same columns, in the order of :data:`PAIR_COLUMNS`
and :data:`ARTICLE_COLUMNS`; a value that does not apply is empty (``null`` in JSON lines).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Literal

import orjson

from provenance.model import LITTLE_TEXT, PairScore
from provenance.results import ScanResult

#: What ``scan --format`` offers: the terminal's tables, the JSON document, and these rows.
SCAN_FORMATS = ("table", "json", "csv", "jsonl")
Table = Literal["pairs", "articles"]
TABLES: tuple[Table, ...] = ("pairs", "articles")

#: One row per judged pair. ``source`` and ``derived`` are filled where the verdict shows
#: a derivation (reuse, and a direction settled); ``relation`` says how the pair stands
#: otherwise (a common source, direction unknown, not derived).
PAIR_COLUMNS = (
    "a", "b", "source", "derived", "relation", "direction_rule", "direction_basis",
    "extent", "form", "confidence", "reused", "jaccard", "a_in_b", "b_in_a", "passages",
    "longest_passage_words", "aligned_share", "discounted",
)
#: One row per article: its fields, lineage and credits.
ARTICLE_COLUMNS = (
    "id", "title", "outlet", "published", "url", "language", "story", "lineage", "source",
    "source_name", "share", "little_text", "basis", "credits",
)


def table_rows(result: ScanResult, table: Table) -> Iterator[dict[str, Any]]:
    """The rows of one of the scan's tables."""
    return pair_rows(result) if table == "pairs" else article_rows(result)


def table_columns(table: Table) -> tuple[str, ...]:
    return PAIR_COLUMNS if table == "pairs" else ARTICLE_COLUMNS


def pair_rows(result: ScanResult) -> Iterator[dict[str, Any]]:
    """A row per judged pair, in the scan's order (most derived first)."""
    for pair in result.pairs:
        yield _pair_row(pair)


def _pair_row(pair: PairScore) -> dict[str, Any]:
    verdict = pair.verdict
    shows = verdict is not None and verdict.reused and verdict.settled
    return {
        "a": pair.a, "b": pair.b,
        "source": verdict.source if shows and verdict else None,
        "derived": verdict.derived if shows and verdict else None,
        "relation": verdict.direction.relation if verdict else None,
        "direction_rule": verdict.direction.rule if verdict else None,
        "direction_basis": verdict.direction.basis if verdict else None,
        "extent": verdict.extent if verdict else None,
        "form": verdict.form if verdict else None,
        "confidence": round(verdict.confidence, 6) if verdict else None,
        "reused": verdict.reused if verdict else None,
        "jaccard": round(pair.jaccard, 6),
        "a_in_b": round(pair.a_in_b, 6),
        "b_in_a": round(pair.b_in_a, 6),
        "passages": len(pair.passages),
        "longest_passage_words": pair.longest_passage,
        "aligned_share": (round(verdict.features.get("aligned_share", 0.0), 6)
                          if verdict else None),
        "discounted": "; ".join(f"{kind} ({words} words)" for kind, words in
                                verdict.discounted) if verdict else None,
    }


def article_rows(result: ScanResult) -> Iterator[dict[str, Any]]:
    """A row per article, in order of id."""
    story_of = {article: story.id for story in result.lineage.stories
                for article in story.articles}
    common = {source.id: source.name for story in result.lineage.stories
              for source in story.common_sources}
    for article in result.articles:
        lineage = result.lineage.of(article.id)
        credits = result.credits.get(article.id, ())
        yield {
            "id": article.id, "title": article.title or None,
            "outlet": article.outlet or None, "published": article.published or None,
            "url": article.url or None, "language": article.language or None,
            "story": story_of.get(article.id),
            "lineage": lineage.kind, "source": lineage.source,
            "source_name": common.get(lineage.source or ""),
            "share": None if lineage.share is None else round(lineage.share, 6),
            "little_text": lineage.share is not None and lineage.share < LITTLE_TEXT,
            "basis": lineage.derivation.basis if lineage.derivation else None,
            "credits": "; ".join(f"{credit.kind}: {credit.agency or credit.name}"
                                 for credit in credits) or None,
        }


def csv_lines(rows: Iterable[Mapping[str, Any]], columns: tuple[str, ...]) -> Iterator[str]:
    """The header, then a line per row, as ``csv`` writes them (RFC 4180 quoting, so a
    value holding a comma, quote or line break stays one field)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")

    def taken() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writeheader()
    yield taken()
    for row in rows:
        writer.writerow({name: _csv_value(row[name]) for name in columns})
        yield taken()


#: What a spreadsheet reads as the start of a formula, in a cell that starts with it.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        # Text from an article never runs as a formula in a spreadsheet (OWASP's advice).
        return "'" + value
    return value


def jsonl_lines(rows: Iterable[Mapping[str, Any]]) -> Iterator[str]:
    """A JSON object per row, a line each."""
    for row in rows:
        yield orjson.dumps(row).decode() + "\n"

"""The scan as tables for analysts (``scan --format csv|jsonl``, ``pairs.csv`` and
``articles.csv`` beside the reports): what csv, pandas and a spreadsheet read."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pandas
import pytest
from click.testing import CliRunner

from provenance.cli import main
from provenance.report.rows import ARTICLE_COLUMNS, PAIR_COLUMNS

from .conftest import ROOT


def _scan(*args: str) -> str:
    result = CliRunner().invoke(main, ["scan", *args, "--no-index", "-q"])
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture(scope="module")
def awkward_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two copies of a seed that credits nothing, published a day apart, under a title
    holding a comma, quotes and a line break."""
    seed = (ROOT / "corpus" / "000_d7927f73828eb8cf.txt").read_text(encoding="utf-8")
    rows = [{"id": f"copy-{n}", "text": seed, "outlet": "Daily, \"News\"",
             "title": f"Minister says \"no\",\nagain {n}",
             "published": f"2026-03-0{n + 1}T09:00:00+00:00"} for n in range(2)]
    path = tmp_path_factory.mktemp("rows") / "articles.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


def test_pairs_as_csv_load_in_the_csv_module_and_pandas() -> None:
    text = _scan("corpus", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows and tuple(rows[0]) == PAIR_COLUMNS
    frame = pandas.read_csv(io.StringIO(text))
    assert {"source", "derived", "extent", "form", "confidence"} <= set(frame.columns)
    assert len(frame) == len(rows)
    assert frame["confidence"].between(0, 1).all()


def test_a_derivation_names_its_source_and_derived_article(awkward_corpus: Path) -> None:
    frame = pandas.read_csv(io.StringIO(_scan(str(awkward_corpus), "--format", "csv")))
    assert len(frame) == 1
    row = frame.iloc[0]
    assert (row["source"], row["derived"]) == ("copy-0", "copy-1")
    assert row["extent"] == "wholly" and row["form"] == "verbatim"


def test_commas_quotes_and_line_breaks_stay_one_field(awkward_corpus: Path) -> None:
    text = _scan(str(awkward_corpus), "--format", "csv", "--table", "articles")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert tuple(rows[0]) == ARTICLE_COLUMNS
    assert [row["title"] for row in rows] == ['Minister says "no",\nagain 0',
                                             'Minister says "no",\nagain 1']
    assert rows[0]["outlet"] == 'Daily, "News"'


@pytest.mark.parametrize("table", ["pairs", "articles"])
def test_json_lines_load_in_pandas(table: str) -> None:
    text = _scan("corpus", "--format", "jsonl", "--table", table)
    frame = pandas.read_json(io.StringIO(text), lines=True)
    assert tuple(frame.columns) == (PAIR_COLUMNS if table == "pairs" else ARTICLE_COLUMNS)
    assert len(frame) == len(text.splitlines())


def test_the_report_writes_the_tables_scan_prints(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["report", "corpus", "--out", str(tmp_path), "-q"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "pairs.csv").read_text(encoding="utf-8") == _scan("corpus", "--format",
                                                                          "csv")
    assert (tmp_path / "articles.csv").read_text(encoding="utf-8") == _scan(
        "corpus", "--format", "csv", "--table", "articles")


@pytest.mark.parametrize(("heading", "columns"), [("Pair columns:", PAIR_COLUMNS),
                                                  ("Article columns:", ARTICLE_COLUMNS)])
def test_every_column_is_documented(heading: str, columns: tuple[str, ...]) -> None:
    page = (ROOT / "docs" / "commands.md").read_text(encoding="utf-8")
    table = page.split(heading, 1)[1].split("\n\n", 2)[1]
    documented = [name for cell in re.findall(r"^\| (.+?) \|", table, re.MULTILINE)
                  for name in re.findall(r"`([a-z_]+)`", cell)]
    assert documented == list(columns)


def test_text_that_a_spreadsheet_would_run_as_a_formula_is_shown_as_text(
        tmp_path: Path) -> None:
    seed = (ROOT / "corpus" / "000_d7927f73828eb8cf.txt").read_text(encoding="utf-8")
    rows = [{"id": "copy", "text": seed, "title": '=HYPERLINK("http://evil.example")'},
            {"id": "other", "text": seed, "outlet": "@home", "title": "Plain, title"}]
    path = tmp_path / "articles.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    found = {row["id"]: row for row in csv.DictReader(io.StringIO(
        _scan(str(path), "--format", "csv", "--table", "articles")))}
    assert found["copy"]["title"] == '\'=HYPERLINK("http://evil.example")'
    assert found["other"]["outlet"] == "'@home" and found["other"]["title"] == "Plain, title"
    # JSON lines hold the values as they are: no spreadsheet reads them.
    lines = [json.loads(line) for line in _scan(str(path), "--format", "jsonl", "--table",
                                                "articles").splitlines()]
    assert lines[0]["title"] == '=HYPERLINK("http://evil.example")'


def test_a_common_source_is_named_and_table_needs_a_row_format() -> None:
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(
        _scan("corpus", "--format", "csv", "--table", "articles")))}
    credited = rows["003_553fd49de71b68a2.txt"]
    assert credited["source"].startswith("copy-")
    assert credited["source_name"] == "Asian News International"
    refused = CliRunner().invoke(main, ["scan", "corpus", "--table", "articles", "--no-index"])
    assert refused.exit_code == 2 and "--table is for --format csv or jsonl" in refused.output

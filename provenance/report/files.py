"""Writing the report files of one scan, from one result: Markdown, JSON and HTML, and the
pairs and articles as CSV tables for spreadsheets."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterable
from pathlib import Path

from provenance.errors import OutputError
from provenance.report.html import render_html
from provenance.report.json_output import scan_json_parts
from provenance.report.markdown import render_markdown
from provenance.report.rows import (
    ARTICLE_COLUMNS,
    PAIR_COLUMNS,
    article_rows,
    csv_lines,
    pair_rows,
)
from provenance.results import ScanResult

REPORT_NAMES = ("provenance.md", "provenance.json", "provenance.html", "pairs.csv",
                "articles.csv")


def render_reports(result: ScanResult, jobs: int = 1) -> dict[str, str]:
    """Each report file's name and content. Same result, byte-identical files."""
    return {name: "".join(parts) for name, parts in _report_parts(result, jobs).items()}


def _report_parts(result: ScanResult, jobs: int) -> dict[str, Iterable[str]]:
    """Each report file's name and content, as parts to be written one after the other (the
    JSON document's pairs rendered by ``jobs`` processes)."""
    return {
        "provenance.md": [render_markdown(result)],
        "provenance.json": itertools.chain(scan_json_parts(result, jobs), ["\n"]),
        "provenance.html": [render_html(result)],
        "pairs.csv": csv_lines(pair_rows(result), PAIR_COLUMNS),
        "articles.csv": csv_lines(article_rows(result), ARTICLE_COLUMNS),
    }


def write_reports(result: ScanResult, folder: str | Path, jobs: int = 1) -> list[Path]:
    """Write the reports into ``folder`` (created if needed); the paths written. The JSON
    document is written as it is rendered: a large scan's is never held whole.

    Each is written to a temporary file beside it, and all renamed into place once all are
    written: where one cannot be (a full disk), the previous reports stay whole, the
    temporary files go, and :class:`OutputError` names the folder and the reason."""
    out = Path(folder)
    written: dict[Path, Path] = {}  # each report's place, and its temporary file
    try:
        out.mkdir(parents=True, exist_ok=True)
        for name, parts in _report_parts(result, jobs).items():
            # Named by the process: two writing into one folder do not share one.
            temporary = out / f".{name}.{os.getpid()}.tmp"
            written[out / name] = temporary
            with temporary.open("w", encoding="utf-8") as file:
                file.writelines(parts)
        for path, temporary in written.items():
            os.replace(temporary, path)
    except BaseException as err:
        for temporary in written.values():
            temporary.unlink(missing_ok=True)
        if isinstance(err, OSError):
            raise OutputError(f"{out}: cannot write the reports ({err.strerror or err})"
                              ) from err
        raise
    return list(written)

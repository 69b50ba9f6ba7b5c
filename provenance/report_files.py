"""Writing the three report files of one scan: Markdown, JSON and HTML, from one result."""

from __future__ import annotations

from pathlib import Path

from .model import ScanResult
from .report import scan_json_parts
from .report_html import render_html
from .report_markdown import render_markdown

REPORT_NAMES = ("provenance.md", "provenance.json", "provenance.html")


def render_reports(result: ScanResult) -> dict[str, str]:
    """Each report file's name and content. Same result, byte-identical files."""
    return {
        "provenance.md": render_markdown(result),
        "provenance.json": "".join(scan_json_parts(result)) + "\n",
        "provenance.html": render_html(result),
    }


def write_reports(result: ScanResult, folder: str | Path) -> list[Path]:
    """Write the reports into ``folder`` (created if needed); the paths written."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, content in render_reports(result).items():
        path = out / name
        path.write_text(content, encoding="utf-8")
        written.append(path)
    return written

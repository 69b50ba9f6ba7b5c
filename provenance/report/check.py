"""Rendering a check: for people (``text``), programs (``json``), GitHub Actions (``github``
workflow commands, annotating file and line, and a job summary of every finding) and CI
dashboards (``junit`` XML). File names, ids and the messages naming them come from outside:
each is escaped for its format (see :mod:`escaping`), so that no name forges a line, a
workflow command or a table cell, or breaks the XML."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Literal
from xml.etree import ElementTree

from provenance.errors import InputError
from provenance.model import SCHEMA_VERSION, Article
from provenance.report.escaping import markdown_text, visible
from provenance.report.tables import counted
from provenance.results import CheckResult, Finding
from provenance.text.corpus import file_text

CheckFormat = Literal["text", "json", "github", "junit"]
CHECK_FORMATS: tuple[CheckFormat, ...] = ("text", "json", "github", "junit")


def render_check(result: CheckResult, fmt: CheckFormat) -> str:
    """The check's findings in one of :data:`CHECK_FORMATS`."""
    articles = {article.id: article for article in result.checked}
    return {"text": _text, "json": _json, "github": _github, "junit": _junit}[fmt](
        result, articles)


def location(article: Article, offset: int) -> tuple[str, int]:
    """The file and 1-based line where ``offset`` of ``article``'s text lies (the article's
    id and the line in its text, for an article read from no file)."""
    path, _, line = article.origin.rpartition(":")
    if path and line.isdigit():  # a .jsonl line: the article is that line
        return path, int(line)
    first = _text_start_line(article.origin, article.text[:200]) if article.origin else 1
    return article.origin or article.id, first + article.text.count("\n", 0, offset)


@cache
def _text_start_line(path: str, opening: str) -> int:
    """The line of ``path`` where the article text starts (after any front matter)."""
    content = file_text(Path(path))  # decoded as the article was read
    if isinstance(content, InputError):
        return 1
    start = content.find(opening)
    return content.count("\n", 0, max(start, 0)) + 1


def _text(result: CheckResult, articles: dict[str, Article]) -> str:
    lines = []
    for finding in result.findings:
        path, line = location(articles[finding.article], finding.offset)
        lines.append(visible(f"{path}:{line}: {finding.action}: {finding.rule}: "
                             f"{finding.message}"))
    lines.append(_tally(result))
    return "\n".join(lines)


def _tally(result: CheckResult) -> str:
    failed = sum(1 for f in result.findings if f.action == "fail")
    warned = sum(1 for f in result.findings if f.action == "warn")
    return (f"Checked {counted(len(result.checked), 'article')} against {result.indexed:,} "
            f"indexed: {counted(failed, 'failure')}, {counted(warned, 'warning')}.")


def render_step_summary(result: CheckResult) -> str:
    """Every finding as a Markdown table, for a GitHub Actions job summary: GitHub shows at
    most ten error and ten warning annotations a step, and this many more findings would
    otherwise be in the log alone."""
    articles = {article.id: article for article in result.checked}
    lines = ["## provenance check", "", _tally(result)]
    if result.findings:
        lines += ["", "| file | line | action | rule | finding |", "|---|---|---|---|---|"]
        for finding in result.findings:
            path, line = location(articles[finding.article], finding.offset)
            cells = (_repository_path(path), str(line), finding.action, finding.rule,
                     finding.message)
            lines.append("| " + " | ".join(map(markdown_text, cells)) + " |")
    return "\n".join(lines) + "\n"


def _json(result: CheckResult, articles: dict[str, Article]) -> str:
    return json.dumps({
        "schema_version": SCHEMA_VERSION,
        "checked": [article.id for article in result.checked],
        "indexed": result.indexed,
        "failed": result.failed,
        "findings": [_finding_json(f, articles[f.article]) for f in result.findings],
    }, ensure_ascii=False, indent=2)


def _finding_json(finding: Finding, article: Article) -> dict[str, object]:
    path, line = location(article, finding.offset)
    verdict = finding.verdict
    return {
        "article": finding.article, "path": path, "line": line, "rule": finding.rule,
        "action": finding.action, "other": finding.other, "message": finding.message,
        "jaccard": round(finding.pair.jaccard, 6),
        "verdict": {"source": verdict.source, "derived": verdict.derived,
                    "extent": verdict.extent, "form": verdict.form,
                    "confidence": round(verdict.confidence, 6),
                    "aligned_share": round(verdict.features.get("aligned_share", 0.0), 6)},
    }


def _github(result: CheckResult, articles: dict[str, Article]) -> str:
    """Workflow commands: ``::error file=...,line=...,title=...::message``."""
    lines = []
    for finding in result.findings:
        path, line = location(articles[finding.article], finding.offset)
        level = "error" if finding.action == "fail" else "warning"
        lines.append(f"::{level} file={_escape_property(_repository_path(path))},line={line},"
                     f"title={_escape_property('provenance ' + finding.rule)}::"
                     f"{_escape_data(finding.message)}")
    return "\n".join(lines) if lines else "::notice::provenance check: no findings"


@cache
def _repository_path(path: str) -> str:
    """``path`` as GitHub matches an annotation to a file of a pull request: from the root
    of the git repository holding it (the nearest folder above with a ``.git``), with no
    ``./``; as given outside a repository. Absolute paths and ``./corpus/new.txt`` are
    shown in the run's log but on no file. An article read from no file is named by its
    id, which may be no path at all (a NUL in it): as given."""
    try:
        resolved = Path(path).resolve()
    except (OSError, ValueError):
        return path
    for folder in resolved.parents:
        if (folder / ".git").exists():
            return resolved.relative_to(folder).as_posix()
    return path


def _escape_data(text: str) -> str:
    """``text`` as a workflow command's message: shown :func:`visible`, since the runner
    would decode an escaped line break and show it raw in the annotation."""
    return visible(text).replace("%", "%25")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _junit(result: CheckResult, articles: dict[str, Article]) -> str:
    """One test case per checked article, as JUnit consumers read it: at most one
    ``failure`` (every failing finding of the article in its text), the counts matching the
    elements, warnings as properties and in ``system-out``, and each article's time."""
    cases = [(article, [f for f in result.findings if f.article == article.id])
             for article in result.checked]
    suite = ElementTree.Element(
        "testsuite", name="provenance check", tests=str(len(cases)),
        failures=str(sum(any(f.action == "fail" for f in mine) for _, mine in cases)),
        errors="0", skipped="0", time=_seconds(sum(result.seconds.values())))
    for article, mine in cases:
        path, _ = location(article, 0)
        # XML 1.0 holds no C0 control character but tab and line ends, even as a reference.
        case = ElementTree.SubElement(suite, "testcase", name=visible(article.id),
                                      classname="provenance.check", file=visible(path),
                                      time=_seconds(result.seconds.get(article.id, 0.0)))
        warnings = [f for f in mine if f.action == "warn"]
        if warnings:
            properties = ElementTree.SubElement(case, "properties")
            for finding in warnings:
                ElementTree.SubElement(properties, "property", name=f"warning: {finding.rule}",
                                       value=visible(finding.message))
        failing = [f for f in mine if f.action == "fail"]
        if failing:
            failure = ElementTree.SubElement(case, "failure", type=visible(failing[0].rule),
                                             message=visible(failing[0].message))
            failure.text = "\n".join(visible("{}:{}: {}: {}".format(
                *location(article, f.offset), f.rule, f.message)) for f in failing)
        if warnings:
            out = ElementTree.SubElement(case, "system-out")
            out.text = "\n".join(visible(f"warning: {f.rule}: {f.message}") for f in warnings)
    ElementTree.indent(suite)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(
        suite, encoding="unicode")


def _seconds(value: float) -> str:
    return f"{value:.3f}"

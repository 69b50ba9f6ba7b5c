"""Random Unicode through every stage and every writer: nothing raises, every score is a
share, every offset points into its text, and every report parses as its format.

The articles are built to share text (one copies spans of another, with invisible and
look-alike characters, quotes and markup mixed in), so that pairs are judged and evidence
rendered, not only read.
"""

from __future__ import annotations

import json
import math
import re
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from provenance.attribution.agencies import load_registry
from provenance.ci.workflow import check
from provenance.config import Parameters, Policy
from provenance.errors import ArticleTextError
from provenance.model import Article, PairScore, Verdict
from provenance.report.check import CHECK_FORMATS, render_check
from provenance.report.files import write_reports
from provenance.report.json_output import scan_json_parts
from provenance.results import ScanResult
from provenance.scanning import compare, scan
from provenance.store.index import Index
from provenance.verdict.models import load_calibration

from .conftest import prose

#: What a hostile or careless input holds: invisible and bidirectional controls, look-alike
#: and full-width letters, markup, line breaks of every kind, control characters, quotes,
#: scripts without spaces, combining marks.
_AWKWARD = ["\u200b", "\u200d", "\u00ad", "\u202e", "\u2066", "\ufeff", "\ufe0f", "\u0430",
            "\u03bf", "\uff41", "<img src=x onerror=alert(1)>", "![x](http://e.example/t.png)",
            "[x](javascript:alert(1))", "|", "`", "*", "_", "#", "&amp;", "\r\n", "\r", "\n",
            "\u2028", "\u0085", "\x00", "\x1b[31m", "\x07", "\"", "\u201c", "(AP) -", "- ANI",
            "\u06d4", "\u3002", "e\u0301", "\U0001f600", "::error::", "%0A", "]]>"]
_PIECES = st.one_of(st.sampled_from(_AWKWARD), st.text(min_size=1, max_size=12),
                    st.sampled_from(prose(7, 60).split()))
_TEXTS = st.lists(_PIECES, min_size=1, max_size=80).map(" ".join)
_NAMES = st.lists(_PIECES, min_size=1, max_size=4).map("".join)
#: What no line of a line-based output may hold raw (a line break ends a line, and only one).
_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029]")
_FIELDS = ("id", "text", "title", "outlet", "url", "published", "language", "origin")


@st.composite
def _articles(draw: st.DrawFn) -> list[Article]:
    """Three or four articles, the later ones taking spans of the first."""
    base = prose(draw(st.integers(0, 50)), 120) + " " + draw(_TEXTS)
    texts = [base]
    for _ in range(draw(st.integers(2, 3))):
        start = draw(st.integers(0, len(base)))
        end = draw(st.integers(start, len(base)))
        texts.append(draw(_TEXTS) + base[start:end] + draw(_TEXTS))
    ids = draw(st.lists(_NAMES, min_size=len(texts), max_size=len(texts), unique=True))
    return [Article(id=article_id, text=text, title=draw(_NAMES), outlet=draw(_NAMES),
                    url=draw(_NAMES), published="2026-01-0" + str(n + 1))
            for n, (article_id, text) in enumerate(zip(ids, texts, strict=True))]


def _within(pair: PairScore, verdict: Verdict | None, texts: dict[str, str]) -> None:
    """Every score of ``pair`` is a share, every offset inside its article."""
    for share in (pair.jaccard, pair.a_in_b, pair.b_in_a):
        assert 0.0 <= share <= 1.0
    a, b = texts[pair.a], texts[pair.b]
    for passage in pair.passages:
        assert 0 <= passage.a_start < passage.a_end <= len(a)
        assert 0 <= passage.b_start < passage.b_end <= len(b)
    if verdict is None:
        return
    assert 0.0 <= verdict.confidence <= 1.0
    assert all(math.isfinite(value) for value in verdict.features.values())
    source, derived = texts[verdict.source], texts[verdict.derived]
    for sentence in verdict.sentences:
        assert 0 <= sentence.source_start < sentence.source_end <= len(source)
        assert 0 <= sentence.derived_start < sentence.derived_end <= len(derived)
        assert 0.0 <= sentence.similarity <= 1.0


class _Strict(HTMLParser):
    """Parses a page, and keeps every element and attribute it opens."""

    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, attrs))


def _reports_parse(result: ScanResult, folder: Path) -> None:
    write_reports(result, folder)
    json.loads((folder / "provenance.json").read_text(encoding="utf-8"))
    page = _Strict()
    page.feed((folder / "provenance.html").read_text(encoding="utf-8"))
    page.close()
    assert not any(tag == "img" or any(name.startswith("on") for name, _ in attrs)
                   for tag, attrs in page.elements), "markup from an article came through"
    markdown = (folder / "provenance.md").read_text(encoding="utf-8")
    # The report's own markup uses no brackets and no tags: any left outside code spans and
    # backslash escapes would be an article's markup, live.
    assert not re.search(r"[<>\[\]]", _outside_code_and_escapes(markdown)), (
        "markup from an article came through")


def _outside_code_and_escapes(markdown: str) -> str:
    """The characters of ``markdown`` that are neither backslash-escaped nor in a code span,
    read as CommonMark reads them, left to right."""
    kept = []
    at = 0
    while at < len(markdown):
        char = markdown[at]
        if char == "\\" and at + 1 < len(markdown) and not markdown[at + 1].isalnum():
            at += 2
            continue
        if char == "`":
            fence = re.match(r"`+", markdown[at:]).group()  # type: ignore[union-attr]
            close = re.compile(rf"(?<!`){fence}(?!`)").search(markdown, at + len(fence))
            if close and "\n\n" not in markdown[at:close.start()]:
                at = close.end()
                continue
        kept.append(char)
        at += 1
    return "".join(kept)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                 HealthCheck.function_scoped_fixture])
@given(articles=_articles())
def test_random_unicode_through_scan_compare_check_and_every_report(
        articles: list[Article], tmp_path_factory: object) -> None:
    folder = tmp_path_factory.mktemp("fuzz")  # type: ignore[attr-defined]
    texts = {article.id: article.text for article in articles}
    with Index.open(folder / "index.db", Parameters()) as index:
        result = scan(articles[1:], index=index)
        for pair in result.pairs:
            _within(pair, pair.verdict, texts)
        json.loads("".join(scan_json_parts(result)))
        _reports_parse(result, folder)
        checked = check(articles[:1], index, Parameters(), load_calibration(),
                        load_registry(), Policy())
        ElementTree.fromstring(render_check(checked, "junit"))
        json.loads(render_check(checked, "json"))
        for fmt in ("text", "github"):
            for line in render_check(checked, fmt).splitlines():
                assert not line.startswith("::") or line.startswith(
                    ("::error file=", "::warning file=", "::notice::")), line
    for line_based in (fmt for fmt in CHECK_FORMATS if fmt != "json"):
        assert not _CONTROL.search(render_check(checked, line_based)), "a raw control character"
    try:
        pair, verdict = compare(articles[0], articles[1])
    except Exception as err:  # only the documented refusal: too short to judge
        assert "too short to judge" in str(err)
    else:
        _within(pair, verdict, texts)


@given(field=st.sampled_from(_FIELDS), text=_TEXTS, place=st.integers(0),
       surrogate=st.integers(0xD800, 0xDFFF).map(chr))
def test_an_article_holding_a_lone_surrogate_is_refused_where_it_is_made(
        field: str, text: str, place: int, surrogate: str) -> None:
    # Half of a UTF-16 pair is not text any UTF-8 report can hold: refused at once, naming
    # the field, rather than failing a report half-written.
    at = place % (len(text) + 1)
    fields = {name: "x" for name in _FIELDS} | {field: text[:at] + surrogate + text[at:]}
    with pytest.raises(ArticleTextError, match=f"'{field}' is not valid Unicode"):
        Article(**fields)  # type: ignore[arg-type]  # every field a string

from __future__ import annotations

import errno
import html
import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterable
from html.parser import HTMLParser
from pathlib import Path
from typing import IO, Any

import pytest
from click.testing import CliRunner

from provenance.cli import main
from provenance.model import SCHEMA_VERSION, Article
from provenance.report.files import REPORT_NAMES, render_reports
from provenance.results import ScanResult
from provenance.scanning import scan
from provenance.text.corpus import load_corpus

from .conftest import ROOT, article, prose


@pytest.fixture(scope="module")
def seeds() -> ScanResult:
    """The scan of corpus/ as the README's command runs it: from the top of the repository,
    so that each article's origin reads ``corpus/...``."""
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(ROOT)
        return scan(load_corpus(["corpus"]).articles)


@pytest.fixture(scope="module")
def reports(seeds: ScanResult) -> dict[str, str]:
    return render_reports(seeds)


def test_reports_are_deterministic(seeds: ScanResult, reports: dict[str, str]) -> None:
    again = render_reports(scan(list(reversed(seeds.articles))))
    assert again == reports
    assert tuple(reports) == REPORT_NAMES


def test_the_repositorys_reports_are_current(reports: dict[str, str]) -> None:
    """reports/ must match the corpus: regenerate with `provenance report corpus/ --out
    reports/` (see the README)."""
    for name, content in reports.items():
        assert (ROOT / "reports" / name).read_text(encoding="utf-8") == content, (
            f"reports/{name} is out of date: run `provenance report corpus/ --out reports/`")


def test_json_report_holds_lineage_credits_and_evidence(reports: dict[str, str]) -> None:
    document = json.loads(reports["provenance.json"])
    assert document["schema_version"] == SCHEMA_VERSION
    articles = {a["id"][:3]: a for a in document["articles"]}
    assert articles["003"]["lineage"]["kind"] == "credited wire copy"
    assert {c["kind"] for c in articles["003"]["credits"]} == {"sign-off", "citation"}
    (story,) = document["stories"]
    assert story["common_sources"][0]["name"] == "unknown copy"
    assert all(d["basis"] for d in story["derivations"])
    assert document["pairs"][0]["verdict"]["sentences"]


def test_markdown_report_keeps_odd_ids_inside_their_code_spans_and_cells(
        seeds: ScanResult) -> None:
    # Ids are file paths: a pipe or a backtick in one must not split a table row or end its
    # code span early.
    texts = {a.id: a.text for a in seeds.articles}
    names = {"000_d7927f73828eb8cf.txt": "a|b.txt", "004_cdba2c8ed4ad3861.txt": "`c``d`.txt"}
    odd = render_reports(scan([article(names[i], texts[i]) for i in names]))["provenance.md"]
    lineage_table = [line for line in odd.splitlines() if line.startswith("| ")][:4]
    unescaped_pipes = [len(re.findall(r"(?<!\\)\|", row)) for row in lineage_table]
    assert unescaped_pipes == [7, 7, 7, 7]  # six cells a row, both articles' rows included
    assert "`a\\|b.txt`" in odd and "``` `c``d`.txt ```" in odd


def test_markdown_report_summarises_each_story_with_a_table(reports: dict[str, str]) -> None:
    text = reports["provenance.md"]
    assert text.startswith("# Provenance report\n")
    assert "| article | outlet | lineage | source | share reused | credit |" in text
    assert "credited wire copy | copy-2 (Asian News International)" in text
    assert "cites Japan Times" in text and "retell one copy that is not in the corpus" in text


def test_html_report_is_self_contained(reports: dict[str, str]) -> None:
    page = reports["provenance.html"]
    assert "<svg" in page and 'class="node node-source"' in page
    # No script, no stylesheet or image fetched from anywhere.
    assert "<script" not in page
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)
    # Each aligned sentence is coloured in both texts, with the same colour.
    section = page[page.index('<section class="derivation"'):]
    section = section[:section.index("</section>")]
    colours = re.findall(r'data-sentence="(\d+)"[^>]*? style="background:(#[0-9a-f]{6})"',
                         section)
    by_sentence: dict[str, set[str]] = {}
    for number, colour in colours:
        by_sentence.setdefault(number, set()).add(colour)
    assert len(by_sentence) >= 5 and all(len(c) == 1 for c in by_sentence.values())
    assert 'class="passage"' in section


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which(
    "google-chrome")


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (.ci/run installs it)")
def test_html_report_renders_graph_and_highlights_in_chromium(reports: dict[str, str],
                                                              tmp_path: Path) -> None:
    from PIL import Image

    from provenance.report.html import KIND_COLOURS, SENTENCE_COLOURS

    page = tmp_path / "provenance.html"
    page.write_text(reports["provenance.html"], encoding="utf-8")
    shot = tmp_path / "shot.png"
    subprocess.run([str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu",
                    "--hide-scrollbars", "--window-size=1280,2400",
                    f"--screenshot={shot}", page.as_uri()],
                   check=True, capture_output=True, timeout=120)
    image = Image.open(shot).convert("RGB")
    counts = {colour: count for count, colour in image.getcolors(maxcolors=1 << 24) or []}

    def pixels(hex_colour: str) -> int:
        return counts.get(tuple(int(hex_colour[i:i + 2], 16) for i in (1, 3, 5)), 0)

    # The graph's article nodes are drawn (uncredited reuse in red, credited copy in green)...
    assert pixels(KIND_COLOURS["uncredited reuse"]) > 500
    assert pixels(KIND_COLOURS["credited wire copy"]) > 200
    # ...and the aligned sentences are painted in their colours in the side-by-side texts.
    assert sum(pixels(colour) > 2000 for colour in SENTENCE_COLOURS[:4]) == 4


#: Markup an article's title, outlet or text may carry: a remote image (a tracking pixel), an
#: HTML image whose error runs a script, a script link, a script.
PAYLOADS = ("![img](http://evil.example/t.png)", "<img src=x onerror=alert(1)>",
            "[x](javascript:alert(1))", "<script>alert(1)</script>")


@pytest.fixture(scope="module")
def planted(seeds: ScanResult) -> dict[str, str]:
    """The reports of a wire story and a trimmed copy of it, the markup planted in the
    copy's id (with control characters), the title and outlet of both, and the opening of
    the text they share."""
    wire = next(a for a in seeds.articles if a.id.startswith("003"))
    payload = " ".join(PAYLOADS)
    text = f"The story says {payload} in its text.\n\n{wire.text}"
    source = Article(id="wire.txt", text=text, title=payload, outlet=payload)
    copy = Article(id="<img src=x onerror=alert(1)>[x](javascript:alert(1))\x1b[31m\n.txt",
                   text=text[:len(text) * 2 // 3], title=payload, outlet=payload)
    return render_reports(scan([source, copy]))


def _live_markup(markdown: str) -> str:
    """What Markdown may read as markup: the text left once code spans (literal) and
    backslash-escaped characters are taken out."""
    return re.sub(r"\\[!-/:-@\[-`{-~]|(`+).+?(?<!`)\1(?!`)", "", markdown)


def test_markdown_report_shows_article_markup_as_text(planted: dict[str, str]) -> None:
    markdown = planted["provenance.md"]
    live = _live_markup(markdown)
    # No link, image or HTML without an unescaped [ or <; the report's own text has none.
    assert "[" not in live and "]" not in live and "<" not in live
    assert not re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f]", markdown)
    # ...and the markup is shown, in the title, outlets, quoted sentences and passages.
    shown = "!\\[img\\](http://evil.example/t.png) \\<img src=x onerror=alert(1)\\>"
    assert markdown.count(shown) >= 6
    assert "## story-1: " + shown in markdown
    # The id, in its code span (which shows markup as it is), with its controls shown.
    assert "`<img src=x onerror=alert(1)>[x](javascript:alert(1))\\x1b[31m\\n.txt`" in markdown


def test_html_report_shows_article_markup_as_text(planted: dict[str, str]) -> None:
    elements = _Elements()
    elements.feed(planted["provenance.html"])
    assert not {"img", "script", "iframe"} & {tag for tag, _ in elements.found}
    # The report's own links go to its own parts, and nowhere else.
    links = [dict(attrs).get("href") or "" for tag, attrs in elements.found if tag == "a"]
    assert links and all(link.startswith("#") for link in links)
    assert not [value for _, attrs in elements.found for name, value in attrs
                if name.startswith("on") or (value or "").lower().startswith("javascript:")]
    assert any(PAYLOADS[1] in data for data in elements.text)


class _Elements(HTMLParser):
    """The elements of a page, and its text."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, attrs))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


class FullDisk:
    """A file opened to be written that takes ``room`` characters, then fails as a write to
    a full disk does."""

    def __init__(self, file: IO[str], room: int) -> None:
        self._file, self._room = file, room

    def __enter__(self) -> FullDisk:
        return self

    def __exit__(self, *exc: object) -> None:
        self._file.close()

    def write(self, text: str) -> int:
        taken = self._file.write(text[:self._room])
        self._room -= taken
        if taken < len(text):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return taken

    def writelines(self, lines: Iterable[str]) -> None:
        for line in lines:
            self.write(line)


def test_reports_that_cannot_all_be_written_leave_the_previous_ones_whole(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus, out = tmp_path / "corpus", tmp_path / "reports"
    shutil.copytree(ROOT / "corpus", corpus)
    report = ["report", str(corpus), "--out", str(out), "--no-index", "--quiet"]
    assert CliRunner().invoke(main, report).exit_code == 0
    previous = {path.name: path.read_bytes() for path in out.iterdir()}
    assert sorted(previous) == sorted(REPORT_NAMES)
    (corpus / "new.txt").write_text(prose(8, 300), encoding="utf-8")  # new reports differ
    opened = Path.open

    def the_disk_fills_in_the_json(path: Path, mode: str = "r", *args: Any, **kwargs: Any
                                   ) -> Any:
        file = opened(path, mode, *args, **kwargs)
        return FullDisk(file, 5000) if "w" in mode and ".json" in path.name else file

    monkeypatch.setattr(Path, "open", the_disk_fills_in_the_json)
    result = CliRunner().invoke(main, report)
    assert result.exit_code == 2
    assert f"Error: {out}: cannot write the reports (No space left on device)" in result.stderr
    assert {path.name: path.read_bytes() for path in out.iterdir()} == previous


def test_a_wire_storys_reprints_are_one_group_in_every_report() -> None:
    # An agency story reprinted word for word by 40 papers: one row, one box, one evidence.
    story = prose(21, 200)
    articles = [Article("agency", story, outlet="Associated Press"),
                *(Article(f"paper-{n:02d}", f"{story}\n\n- AP", outlet=f"Paper {n}")
                  for n in range(40))]
    reports = render_reports(scan(articles))
    markdown, page = reports["provenance.md"], reports["provenance.html"]
    assert "| 40 word-for-word copies: `paper-00`" in markdown
    assert markdown.count("### ") == 2  # the group's evidence, and the credits found
    assert page.count('class="node node-group"') == 1
    assert page.count('class="node node-article"') == 1  # the agency's own copy
    assert page.count('class="derivation-line"') == 1


#: What a script, added to a copy of the report for the test alone, sends the page that
#: frames it: the page's width against the frame's, and each link to a part of the page
#: whose target is missing. (Headless Chromium's window is never narrower than 500 px: a
#: frame of the width measured stands in for the phone's screen.)
_MEASURE = """<script>
const missing = [...document.querySelectorAll('a[href^="#"]')]
  .map(a => a.getAttribute('href').slice(1)).filter(id => !document.getElementById(id));
parent.postMessage(JSON.stringify({page: document.documentElement.scrollWidth,
                                   window: window.innerWidth, missing: missing,
                                   links: document.querySelectorAll('a[href^="#"]').length}),
                   '*');
</script>"""
_FRAME = """<!DOCTYPE html><html><head><title>waiting</title></head>
<body style="margin:0"><iframe src="provenance.html" style="border:0;width:{width}px;
height:2400px"></iframe><script>
addEventListener('message', event => {{ document.title = event.data; }});
</script></body></html>"""


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (.ci/run installs it)")
@pytest.mark.parametrize("width", [360, 1280])
def test_html_report_fits_a_phone_and_a_wide_screen_and_its_links_land(
        reports: dict[str, str], tmp_path: Path, width: int) -> None:
    from PIL import Image

    from provenance.report.html import KIND_COLOURS

    (tmp_path / "provenance.html").write_text(
        reports["provenance.html"].replace("</body>", _MEASURE + "</body>"), encoding="utf-8")
    frame = tmp_path / "frame.html"
    frame.write_text(_FRAME.format(width=width), encoding="utf-8")
    browser = [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu",
               "--hide-scrollbars", "--virtual-time-budget=5000",
               f"--window-size={max(width, 500)},2400"]
    dom = subprocess.run([*browser, "--dump-dom", frame.as_uri()], check=True,
                         capture_output=True, text=True, timeout=120).stdout
    found = re.search(r"<title>(\{.*?\})</title>", dom)
    assert found, dom[:500]
    measured = json.loads(html.unescape(found.group(1)))
    assert measured["window"] == width
    assert measured["page"] <= width, f"the page is {measured['page']} px wide at {width}"
    assert measured["links"] >= 10 and measured["missing"] == []
    shot = tmp_path / f"shot-{width}.png"
    subprocess.run([*browser, f"--screenshot={shot}", frame.as_uri()], check=True,
                   capture_output=True, timeout=120)
    image = Image.open(shot).convert("RGB").crop((0, 0, width, 2400))
    counts = {colour: count for count, colour in image.getcolors(maxcolors=1 << 24) or []}
    vermillion = tuple(int(KIND_COLOURS["uncredited reuse"][i:i + 2], 16) for i in (1, 3, 5))
    assert counts.get(vermillion, 0) > 100  # the graph is drawn inside the screen's width


def test_html_report_links_the_contents_stories_graph_and_evidence(
        reports: dict[str, str]) -> None:
    page = reports["provenance.html"]
    assert '<meta name="viewport"' in page and "@media (max-width: 700px)" in page
    ids = set(re.findall(r'\bid="([^"]+)"', page))
    links = re.findall(r'href="#([^"]+)"', page)
    assert links and set(links) <= ids
    contents = page[page.index('<nav class="contents">'):page.index("</nav>")]
    assert re.findall(r'href="#(story-\d+)"', contents) == re.findall(
        r'<section class="story" id="(story-\d+)"', page)
    graph = page[page.index("<svg"):page.index("</svg>")]
    assert re.search(r'<a href="#pair-[0-9a-f]{12}"><title>[^<]*</title><line', graph)
    assert page.count("The same pair as ") == page.count('The same pair as <a href="#pair-')
    assert "<h3>Credits found</h3>" in page and "<details><summary>All " in page
    assert re.search(r'class="aligned" data-sentence="0" data-similarity="[01]\.\d\d" title='
                     r'"sentence 1: similarity', page)

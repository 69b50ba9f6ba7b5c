"""The documentation names only what exists, and names all of it."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import click
import pytest

from provenance.cli import main

from .conftest import CORPUS, ROOT

_TEST_REFERENCE = re.compile(r"`(test_\w+\.py)::(test_\w+)`")
README = ROOT / "README.md"
DOCS = ROOT / "docs"
COMMANDS_PAGE = DOCS / "commands.md"
#: The README is the five-minute start; the rest lives in docs/.
README_MAX_LINES = 200

_FENCE = re.compile(r"^```.*?^```[ \t]*$", re.MULTILINE | re.DOTALL)
_CODE_SPAN = re.compile(r"`[^`\n]*`")
_LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
_HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t]*$", re.MULTILINE)


def test_every_test_the_docs_name_exists() -> None:
    named = [(page.name, *found) for page in sorted((ROOT / "docs").glob("*.md"))
             for found in _TEST_REFERENCE.findall(page.read_text(encoding="utf-8"))]
    assert named, "the docs name no test: the pattern above no longer matches them"
    missing = [f"{page}: {module}::{name}" for page, module, name in named
               if not re.search(rf"^def {name}\(", (ROOT / "tests" / module).read_text(
                   encoding="utf-8"), re.MULTILINE)]
    assert missing == []


def _pages() -> list[Path]:
    return [README, *sorted(DOCS.glob("*.md"))]


def _sections(page: Path) -> dict[str, str]:
    """The text under each second-level heading of ``page``, by heading; the text before the
    first one under ``""``."""
    parts = re.split(r"^## +(.+?)[ \t]*$", page.read_text(encoding="utf-8"), flags=re.MULTILINE)
    return {"": parts[0], **dict(zip(parts[1::2], parts[2::2], strict=True))}


def _names(param: click.Parameter) -> list[str]:
    return [*param.opts, *param.secondary_opts]


def _documented(option: str, text: str) -> bool:
    """Is ``option`` written in ``text`` as code: `--format table|json`, `-q`?"""
    return re.search(rf"`{re.escape(option)}(?![\w-])", text) is not None


def _option_rows(section: str) -> set[str]:
    """The options named in the first cells of a section's option table (`--jobs N`, `-j N`)."""
    cells = [line.split(" | ")[0] for line in section.splitlines() if line.startswith("| `-")]
    return {option for cell in cells for option in re.findall(r"`(-[\w-]+)", cell)}


def test_every_command_has_its_section_in_the_commands_page() -> None:
    sections = _sections(COMMANDS_PAGE)
    assert sorted(set(main.commands) - set(sections)) == []


@pytest.mark.parametrize("name", sorted(main.commands))
def test_every_option_of_a_command_has_a_row_under_its_heading(name: str) -> None:
    rows = _option_rows(_sections(COMMANDS_PAGE).get(name, ""))
    missing = [option for param in main.commands[name].params
               if isinstance(param, click.Option) for option in _names(param)
               if option not in rows]
    assert missing == [], f"docs/commands.md, ## {name}: options not in its table"


@pytest.mark.parametrize("name", sorted(main.commands))
def test_each_command_shows_its_usage_as_the_command_line_does(name: str) -> None:
    command = main.commands[name]
    context = click.Context(command, info_name=name,
                            parent=click.Context(main, info_name="provenance"))
    usage = " ".join([context.command_path, *command.collect_usage_pieces(context)])
    assert f"`{usage}`" in _sections(COMMANDS_PAGE).get(name, "")


@pytest.mark.parametrize("name", sorted(main.commands))
def test_the_commands_page_documents_no_option_a_command_lacks(name: str) -> None:
    """Each row of a command's option table names an option the command has."""
    options = {option for param in main.commands[name].params for option in _names(param)}
    rows = _option_rows(_sections(COMMANDS_PAGE).get(name, ""))
    assert rows, f"docs/commands.md, ## {name}: no option table"
    assert sorted(rows - options) == []


def test_the_group_options_are_documented() -> None:
    text = COMMANDS_PAGE.read_text(encoding="utf-8")
    missing = [option for param in main.params for option in _names(param)
               if not _documented(option, text)]
    assert missing == []


def test_the_readme_reads_in_five_minutes() -> None:
    lines = README.read_text(encoding="utf-8").splitlines()
    assert len(lines) <= README_MAX_LINES, "move the detail to a page of docs/"


def _slug(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", _CODE_SPAN.sub(lambda m: m[0].strip("`"), heading)
                  .lower()).replace(" ", "-")


def _anchors(page: Path) -> set[str]:
    text = _FENCE.sub("", page.read_text(encoding="utf-8"))
    return {_slug(title) for _, title in _HEADING.findall(text)}


def _links(page: Path) -> list[str]:
    """The targets of the Markdown links of ``page``, outside code."""
    text = _CODE_SPAN.sub("", _FENCE.sub("", page.read_text(encoding="utf-8")))
    return _LINK.findall(text)


def test_the_slug_is_githubs() -> None:
    assert _slug("`--since`: what a pull request adds") == "--since-what-a-pull-request-adds"
    assert _slug("The index, and `check` in CI") == "the-index-and-check-in-ci"


@pytest.mark.parametrize("page", _pages(), ids=lambda page: page.relative_to(ROOT).as_posix())
def test_every_relative_link_points_at_what_exists(page: Path) -> None:
    broken = []
    for target in _links(page):
        if re.match(r"[a-z][a-z0-9+.-]*:", target):  # https:, mailto:: not ours to check
            continue
        path, _, anchor = target.partition("#")
        place = (page.parent / path).resolve() if path else page
        if not place.exists():
            broken.append(f"{target}: no such file")
        elif anchor and place.suffix == ".md" and anchor not in _anchors(place):
            broken.append(f"{target}: no such heading")
    assert broken == []


def test_every_docs_page_is_in_the_table_of_contents_and_the_readme() -> None:
    pages = {page.name for page in DOCS.glob("*.md")} - {"index.md"}
    index_links = {target.partition("#")[0] for target in _links(DOCS / "index.md")}
    readme_links = {target.partition("#")[0] for target in _links(README)}
    assert sorted(pages - index_links) == []
    assert sorted({f"docs/{name}" for name in pages | {"index.md"}} - readme_links) == []


def _blocks(page: Path, language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```$", page.read_text(encoding="utf-8"),
                      re.MULTILINE | re.DOTALL)


def test_the_readmes_workflow_is_the_ci_pages() -> None:
    """One GitHub Actions workflow, shown in two places: they must not drift apart."""
    (readme,) = _blocks(README, "yaml")
    assert _blocks(DOCS / "ci.md", "yaml")[0] == readme
    assert "/wire-provenance@" in readme  # the Action, which runs the check
    assert "provenance check --since" in (ROOT / "action.yml").read_text(encoding="utf-8")


@pytest.mark.parametrize("page", [README, DOCS / "library.md"], ids=lambda page: page.name)
def test_the_library_examples_run_as_written(page: Path, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Each Python example, run from the top of a copy of the repository's corpus (with a
    new story to check, as the check example needs)."""
    examples = _blocks(page, "python")
    assert examples, f"{page.name} shows no Python example"
    shutil.copytree(CORPUS, tmp_path / "corpus")
    shutil.copy(CORPUS / "003_553fd49de71b68a2.txt", tmp_path / "corpus" / "new-story.txt")
    monkeypatch.chdir(tmp_path)
    for number, example in enumerate(examples, 1):
        exec(compile(example, f"{page.name}, example {number}", "exec"), {"__name__": "example"})

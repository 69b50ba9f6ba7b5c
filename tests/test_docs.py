"""The documentation names only what exists."""

from __future__ import annotations

import re

from .conftest import ROOT

_TEST_REFERENCE = re.compile(r"`(test_\w+\.py)::(test_\w+)`")


def test_every_test_the_docs_name_exists() -> None:
    named = [(page.name, *found) for page in sorted((ROOT / "docs").glob("*.md"))
             for found in _TEST_REFERENCE.findall(page.read_text(encoding="utf-8"))]
    assert named, "the docs name no test: the pattern above no longer matches them"
    missing = [f"{page}: {module}::{name}" for page, module, name in named
               if not re.search(rf"^def {name}\(", (ROOT / "tests" / module).read_text(
                   encoding="utf-8"), re.MULTILINE)]
    assert missing == []

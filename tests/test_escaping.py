from __future__ import annotations

import re
from xml.etree import ElementTree

from hypothesis import given
from hypothesis import strategies as st

from provenance.report.escaping import markdown_text, visible

#: What XML 1.0 may hold (its Char production).
XML_CHAR = re.compile("[\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]*")


def test_control_characters_line_separators_and_what_xml_forbids_are_shown_escaped() -> None:
    assert visible("a\tb\nc\rd") == "a\\tb\\nc\\rd"
    assert visible("\x00\x1b[31m\x7f") == "\\x00\\x1b[31m\\x7f"
    assert visible("\x85\x9f") == "\\x85\\x9f"  # C1: NEL ends a line for some readers
    assert visible("a\u2028b\u2029c") == "a\\u2028b\\u2029c"
    assert visible("bad\udcff.txt") == "bad\\udcff.txt"  # a name not UTF-8, as Python reads it
    assert visible("\ufffe\uffff") == "\\ufffe\\uffff"


def test_printable_text_in_any_script_is_left_as_it_is() -> None:
    for text in ("corpus/000_d7927f73828eb8cf.txt", "خبر\u200cنامہ.txt", "a\\n.txt",
                 "C:\\corpus\\new.txt", "naïve — “quoted” 日本 \u00a0🙂"):
        assert visible(text) == text


@given(st.text())
def test_whatever_a_name_holds_its_visible_form_is_one_line_of_xml_characters(
        text: str) -> None:
    shown = visible(text)
    assert len(shown.splitlines()) <= 1 and XML_CHAR.fullmatch(shown)
    element = ElementTree.fromstring(ElementTree.tostring(
        ElementTree.Element("case", name=shown), encoding="unicode"))
    assert element.get("name") == shown


def test_markdown_text_escapes_what_markdown_or_html_reads_as_markup() -> None:
    assert markdown_text("![img](http://evil.example/t.png)") == (
        "!\\[img\\](http://evil.example/t.png)")
    assert markdown_text("<img src=x onerror=alert(1)>") == "\\<img src=x onerror=alert(1)\\>"
    assert markdown_text("a|b `c` *d* _e_ ~f~ $1 &amp; \\") == (
        "a\\|b \\`c\\` \\*d\\* \\_e\\_ \\~f\\~ \\$1 \\&amp; \\\\")
    assert markdown_text("line\none\x1b") == "line\\\\none\\\\x1b"
    assert markdown_text("Plain words, (parens) and a #hash: kept.") == (
        "Plain words, (parens) and a #hash: kept.")


@given(st.text())
def test_markdown_text_leaves_no_markup_character_unescaped(text: str) -> None:
    unescaped = re.sub(r"\\.", "", markdown_text(text))
    assert not set(unescaped) & set("\\`*_[]<>&|~$") and "\n" not in unescaped


def test_a_name_never_opens_a_workflow_command_at_the_start_of_a_line() -> None:
    # Found by test_fuzz: an article id "::error::" started a line of check's text output.
    assert visible("::error::forged") == "\\x3a:error::forged"
    assert visible("a::b") == "a::b" and visible(":x") == ":x"

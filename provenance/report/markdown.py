"""``provenance.md``: the report a journalist reads on GitHub.

A summary, then per story cluster: what its articles are, a table of each article's lineage,
and the evidence behind every derivation (aligned sentences, shared passages, credit lines).
Deterministic: no timestamps, sorted throughout. Every value taken from an article (ids,
titles, outlets, quoted text, credits) is shown as text, never read as markup: ids in code
spans, the rest escaped by :func:`escaping.markdown_text`; so a title holding
``![img](http://...)`` shows those characters, and loads no image.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from provenance.model import Article, ArticleLineage, Credit, Derivation, Lineage, Story
from provenance.report.escaping import markdown_text, visible
from provenance.report.tables import (
    CopyGroup,
    copy_groups,
    counted,
    credit_summary,
    share_label,
    source_label,
    story_title,
    verdict_sentence,
)
from provenance.results import ScanResult

#: Aligned sentences and passages shown per derivation; the JSON report has them all.
SHOWN_SENTENCES = 8
SHOWN_PASSAGES = 5


def render_markdown(result: ScanResult) -> str:
    """The whole report as Markdown."""
    lineage = result.lineage
    articles = {article.id: article for article in result.articles}
    kinds = [item.kind for item in lineage.articles]
    parts = [
        "# Provenance report",
        f"{len(result.articles)} articles; story clusters (articles sharing text): "
        f"{len(lineage.stories)}; lineage: {kinds.count('credited wire copy')} credited wire copy, "
        f"{kinds.count('uncredited reuse')} uncredited reuse, {kinds.count('original')} "
        f"original, {kinds.count('independent')} independent.",
        "Lineage: *credited wire copy* credits the agency its text comes from; *uncredited "
        "reuse* takes text from a source it does not credit; *original* is a source, or "
        "shares no text; *independent* reports a story others report, without taking their "
        "text. *Share* is the share of the article's words in sentences aligned to its source. "
        "A *common source* is copy that several articles retell and that is not in the "
        "corpus. A citation names a source of facts; it does not credit text.",
    ]
    for story in lineage.stories:
        parts.append(_story(story, articles, lineage))
    alone = [item for item in lineage.articles
             if lineage.story_of(item.article) is None]
    if alone:
        parts.append("## Articles sharing no story\n\n" + _lineage_table(alone, articles,
                                                                        lineage))
    return "\n\n".join(parts) + "\n"


def _story(story: Story, articles: dict[str, Article], lineage: Lineage) -> str:
    groups, alone = copy_groups(story, lineage)
    members = [lineage.of(article_id) for article_id in alone]
    lines = [f"## {story.id}: {_prose(story_title(story, articles))}",
             _story_summary(story, groups, members),
             _lineage_table(members, articles, lineage, groups)]
    shown: set[tuple[str, str]] = set()
    for group in groups:
        first = lineage.of(group.members[0]).derivation
        assert first is not None  # a group's members derive from its source
        lines.append(_evidence(first, lineage, articles, shown, group))
    singles = set(alone)
    for derivation in story.derivations:
        if derivation.derived in singles:
            lines.append(_evidence(derivation, lineage, articles, shown))
    cited = [(item.article, credit) for item in map(lineage.of, story.articles)
             for credit in item.credits]
    if cited:
        lines.append("### Credits found\n\n" + _credits_table(cited))
    return "\n\n".join(lines)


def _story_summary(story: Story, groups: Sequence[CopyGroup],
                   members: Sequence[ArticleLineage]) -> str:
    sentences = [f"{len(story.articles)} articles."]
    for source in story.common_sources:
        sentences.append(f"{_names(source.members)} retell one copy that is not in the corpus "
                         f"({_code(source.id)}, {markdown_text(source.name)}).")
    for group in groups:
        sentences.append(f"{len(group.members)} articles copy {_code(group.source)} whole, "
                         f"word for word ({group.kind}).")
    for item in members:
        if item.kind == "credited wire copy" and item.derivation is None:
            sentences.append(f"{_code(item.article)} is credited "
                             f"{markdown_text(item.source or '')} wire copy.")
        elif item.derivation and item.derivation.basis != "common source":
            sentences.append(f"{_code(item.article)} takes text from "
                             f"{_code(item.derivation.source)} "
                             f"({item.kind}, {markdown_text(item.derivation.basis)}).")
    independent = [item.article for item in members if item.kind == "independent"]
    if independent:
        sentences.append(f"{_names(independent)} report the story without taking its text.")
    return " ".join(sentences)


def _names(ids: Sequence[str]) -> str:
    quoted = [_code(i) for i in ids]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


def _lineage_table(items: Sequence[ArticleLineage], articles: dict[str, Article],
                   lineage: Lineage, groups: Sequence[CopyGroup] = ()) -> str:
    rows = ["| article | outlet | lineage | source | share reused | credit |",
            "| --- | --- | --- | --- | --- | --- |"]
    for item in items:
        rows.append(f"| {_code_cell(item.article)} | {_prose(articles[item.article].outlet)} | "
                    f"{item.kind} | {markdown_text(source_label(item.source, lineage))} | "
                    f"{share_label(item.share)} | "
                    f"{_prose(credit_summary(item.credits))} |")
    for group in groups:
        shares = [lineage.of(member).share or 0.0 for member in group.members]
        credits = sorted({credit_summary(lineage.of(member).credits)
                          for member in group.members} - {""})
        rows.append(f"| {len(group.members)} word-for-word copies: "
                    f"{', '.join(map(_code_cell, group.members))} | "
                    f"{len({articles[m].outlet for m in group.members})} outlets | "
                    f"{group.kind} | {markdown_text(source_label(group.source, lineage))} | "
                    f"{share_label(min(shares))} to {share_label(max(shares))} | "
                    f"{_prose('; '.join(credits))} |")
    return "\n".join(rows)


def _evidence(derivation: Derivation, lineage: Lineage, articles: dict[str, Article],
              shown: set[tuple[str, str]], group: CopyGroup | None = None) -> str:
    """The heading of one derivation and its verdict's evidence (once per verdict); of a
    group's, as the evidence of them all."""
    verdict = derivation.verdict
    if group is not None:
        heading = (f"### {len(group.members)} word-for-word copies of {_code(group.source)} "
                   f"({group.kind}): the evidence of {_code(derivation.derived)}, which they "
                   f"all share ({markdown_text(derivation.basis)})")
    elif derivation.basis == "common source":
        heading = (f"### {_code(derivation.derived)} from "
                   f"{markdown_text(source_label(derivation.source, lineage))}, seen through "
                   f"{_code(derivation.seen_through or '')}")
    else:
        heading = (f"### {_code(derivation.derived)} from {_code(derivation.source)} "
                   f"({derivation.basis})")
    if (verdict.source, verdict.derived) in shown:
        return f"{heading}\n\nThe same pair as above: the evidence is listed there."
    shown.add((verdict.source, verdict.derived))
    lines = [heading,
             f"{verdict_sentence(verdict, _code, markdown_text)} "
             f"{counted(len(verdict.sentences), 'aligned sentence')}, "
             f"{counted(len(verdict.passages), 'shared passage')}; "
             f"aligned share {verdict.features.get('aligned_share', 0.0):.0%}."]
    if verdict.sentences:
        rows = [f"| {markdown_text(verdict.source)} | {markdown_text(verdict.derived)} | "
                "similarity |",
                "| --- | --- | --- |"]
        source, derived = articles[verdict.source].text, articles[verdict.derived].text
        rows += [f"| {_prose(source[s.source_start:s.source_end])} | "
                 f"{_prose(derived[s.derived_start:s.derived_end])} | {s.similarity:.2f} |"
                 for s in verdict.sentences[:SHOWN_SENTENCES]]
        more = len(verdict.sentences) - SHOWN_SENTENCES
        lines.append("\n".join(rows) + (f"\n\n{more} more in provenance.json." if more > 0
                                        else ""))
    if verdict.passages:
        longest = sorted(verdict.passages, key=lambda p: (-p.words, p.a_start))
        derived_text = articles[verdict.derived].text
        lines.append("Shared passages: " + "; ".join(
            f"“{_prose(derived_text[p.b_start:p.b_end])}” ({p.words} words)"
            for p in longest[:SHOWN_PASSAGES]))
    return "\n\n".join(lines)


def _credits_table(cited: Sequence[tuple[str, Credit]]) -> str:
    rows = ["| article | kind | name | agency | text |", "| --- | --- | --- | --- | --- |"]
    rows += [f"| {_code_cell(article_id)} | {credit.kind} | {_prose(credit.name)} | "
             f"{_prose(credit.agency or '')} | {_prose(credit.text)} |"
             for article_id, credit in cited]
    return "\n".join(rows)


def _code(text: str) -> str:
    """``text`` (an article id) as an inline code span, its characters shown
    :func:`~escaping.visible` (a code span shows the rest as it is, markup included), fenced
    by one backtick more than the longest run of them it holds, and padded with a space
    where it starts or ends with one."""
    text = visible(text)
    fence = "`" * (1 + max(map(len, re.findall("`+", text)), default=0))
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _code_cell(text: str) -> str:
    """``text`` (an article id) as a code span in a table cell, where even a code span's
    pipes end the cell unless escaped."""
    return _code(text).replace("|", "\\|")


def _prose(text: str) -> str:
    """Article text (a title, a quoted sentence) as Markdown: on one line, each run of white
    space one space (as Markdown reads it anyway), and :func:`~escaping.markdown_text`."""
    return markdown_text(" ".join(text.split()))

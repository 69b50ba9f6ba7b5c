"""Rendering results for people (tables) and programs (JSON). One place decides every format."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal

from tabulate import tabulate

from provenance.model import (
    LITTLE_TEXT,
    SCHEMA_VERSION,
    UNKNOWN_COPY,
    Article,
    Credit,
    Lineage,
    LineageKind,
    PairScore,
    Story,
    Verdict,
)
from provenance.report.escaping import visible
from provenance.report.json_output import (
    Texts,
    credit_json,
    json_text,
    pair_json,
    scan_json_parts,
    verdict_json,
)
from provenance.results import ScanResult

Format = Literal["table", "json"]
FORMATS: tuple[Format, ...] = ("table", "json")
#: Width of each text column when passages are shown side by side.
PASSAGE_COLUMN_WIDTH = 58
#: Width of the column that says what settled a pair's direction, or why nothing did.
BASIS_COLUMN_WIDTH = 36


def render_scan(result: ScanResult, fmt: Format) -> str:
    """The scan result as tables (the pairs one derives from the other, then the pairs that
    share text with no derivation shown, then each article's lineage) plus a summary, or as
    the JSON document of :func:`result_json`."""
    if fmt == "json":
        return "".join(scan_json_parts(result))
    derived = [pair for pair in result.pairs if _shows_derivation(pair.verdict)]
    sharing = [pair for pair in result.pairs if not _shows_derivation(pair.verdict)]
    tables = []
    if derived:
        tables.append(tabulate(
            [[*_verdict_cells(pair), visible(pair.verdict.direction.basis),  # type: ignore[union-attr]
              *_shared_cells(pair)] for pair in derived],
            headers=["source", "derived", "extent", "form", "conf.", "direction",
                     "derived in source", "jaccard", "passages", "longest (words)"],
            maxcolwidths=[*[None] * 5, BASIS_COLUMN_WIDTH, *[None] * 4], disable_numparse=True))
    if sharing:
        tables.append(tabulate(
            [[*_verdict_cells(pair), *_relation_cells(pair.verdict), *_shared_cells(pair)]
             for pair in sharing],
            headers=["article", "shares text with", "extent", "form", "conf.", "relation",
                     "why no derivation", "derived in source", "jaccard", "passages",
                     "longest (words)"],
            maxcolwidths=[*[None] * 6, BASIS_COLUMN_WIDTH, *[None] * 4], disable_numparse=True))
    return "\n\n".join([*(tables or ["No related pairs."]),
                         render_lineage_table(result.lineage), _summary(result, len(derived))])


def _shows_derivation(verdict: Verdict | None) -> bool:
    """Does ``verdict`` say that one article derives from the other (reused, and the
    direction settled)?"""
    return verdict is not None and verdict.reused and verdict.settled


def _relation_cells(verdict: Verdict | None) -> list[str]:
    """How two articles that share text stand, where no derivation is shown, and why."""
    if verdict is None:
        return ["not judged", ""]
    if not verdict.reused:
        if verdict.discounted:
            return ["not derived", f"shares no copy: {_discounted(verdict)}"]
        return ["not derived", "the verdict finds no reuse"]
    direction = verdict.direction
    if direction.relation == "common source":
        return [f"common source ({direction.agency or UNKNOWN_COPY})", visible(direction.basis)]
    return ["direction unknown", visible(direction.basis)]


def _discounted(verdict: Verdict) -> str:
    """What of a pair's shared text the verdict discounts as no copy, in words."""
    return ", ".join(f"{reason}, {words:,} words" for reason, words in verdict.discounted)


def _shared_cells(pair: PairScore) -> list[str]:
    return [f"{_derived_in_source(pair):.3f}", f"{pair.jaccard:.3f}", str(len(pair.passages)),
            str(pair.longest_passage)]


def render_lineage_table(lineage: Lineage) -> str:
    """One row per article: its lineage, source, share reused and credits."""
    rows = [[visible(item.article), item.kind, visible(source_label(item.source, lineage)),
             share_label(item.share), visible(credit_summary(item.credits))]
            for item in lineage.articles]
    return tabulate(rows, headers=["article", "lineage", "source", "share", "credits"],
                    disable_numparse=True)


def source_label(source: str | None, lineage: Lineage) -> str:
    """An article's source as people read it: an article id, ``copy-1 (unknown copy)``, an
    agency, or empty."""
    if source is None:
        return ""
    common = lineage.common_source(source)
    return f"{source} ({common.name})" if common else source


def share_label(share: float | None) -> str:
    """A lineage share as a percentage, said to be little text where the derivation rests
    on little (see :data:`lineage.LITTLE_TEXT`); empty when the source is not in the
    corpus."""
    if share is None:
        return ""
    return f"{share:.0%}" + (" (little text)" if share < LITTLE_TEXT else "")


def story_title(story: Story, articles: Mapping[str, Article]) -> str:
    """A story's heading: its first article's title that has one, else its first id."""
    return next((articles[m].title for m in story.articles if articles[m].title),
                story.articles[0])


#: Word-for-word copies of one source are shown as one group in the reports from this many.
GROUP_FROM = 3


@dataclass(frozen=True)
class CopyGroup:
    """Articles that copy one source whole and word for word, with one lineage: a wire
    story's reprints, shown as one in the reports."""

    source: str
    kind: LineageKind
    members: tuple[str, ...]


def copy_groups(story: Story, lineage: Lineage) -> tuple[list[CopyGroup], list[str]]:
    """The word-for-word copies of one source in ``story`` grouped (groups of at least
    :data:`GROUP_FROM`), and the articles shown one by one: the sources of others among
    them, whatever they copied."""
    sources = {derivation.source for derivation in story.derivations}
    keyed: dict[tuple[str, LineageKind], list[str]] = {}
    for article_id in story.articles:
        item = lineage.of(article_id)
        derivation = item.derivation
        if derivation is None or article_id in sources:
            continue
        verdict = derivation.verdict
        if (verdict.extent, verdict.form) == ("wholly", "verbatim"):
            keyed.setdefault((derivation.source, item.kind), []).append(article_id)
    groups = [CopyGroup(source, kind, tuple(members))
              for (source, kind), members in sorted(keyed.items())
              if len(members) >= GROUP_FROM]
    grouped = {member for group in groups for member in group.members}
    return groups, [article_id for article_id in story.articles if article_id not in grouped]


def credit_summary(credits: tuple[Credit, ...]) -> str:
    """Credits in a few words: ``sign-off ANI; cites Japan Times``."""
    wire = dict.fromkeys(f"{c.kind} {c.name}" for c in credits if c.wire)
    cited = dict.fromkeys(c.name for c in credits if not c.wire)
    parts = [*wire, *(["cites " + ", ".join(cited)] if cited else [])]
    return "; ".join(parts)


def render_credits(credits: dict[str, tuple[Credit, ...]], fmt: Format) -> str:
    """Every credit found, one row each: article, kind, name, agency, offsets, text."""
    if fmt == "json":
        return json_text({"schema_version": SCHEMA_VERSION,
                      "articles": [{"id": article_id, "credits": [credit_json(c) for c in found]}
                                   for article_id, found in credits.items()]})
    rows = [[visible(article_id), c.kind, visible(c.name), visible(c.agency or ""),
             f"{c.start}-{c.end}", _flat(c.text)]
            for article_id, found in credits.items() for c in found]
    if not rows:
        return "No credits found."
    return tabulate(rows, headers=["article", "kind", "name", "agency", "offsets", "text"],
                    maxcolwidths=[None, None, None, None, None, PASSAGE_COLUMN_WIDTH],
                    disable_numparse=True)


def _verdict_cells(pair: PairScore) -> list[str]:
    """Source, derived, extent, form and confidence; a and b when the pair was not judged."""
    verdict = pair.verdict
    if verdict is None:
        return [visible(pair.a), visible(pair.b), "", "", ""]
    form = f"{verdict.form}, retold" if verdict.retold else verdict.form
    return [visible(verdict.source), visible(verdict.derived), verdict.extent, form,
            f"{verdict.confidence:.2f}"]


def _derived_in_source(pair: PairScore) -> float:
    """Containment of the derived article in the source (b in a when not judged)."""
    return pair.a_in_b if pair.verdict and pair.verdict.derived == pair.a else pair.b_in_a


def counted(count: int, noun: str) -> str:
    """``count`` and ``noun``, plural unless one: "1 article", "3 articles"."""
    return f"{count:,} {noun}" if count == 1 else f"{count:,} {noun}s"


def _summary(result: ScanResult, derived: int) -> str:
    """The scan in figures (``derived``: its pairs one of which derives from the other)."""
    reused = result.derived_pairs - derived
    others = len(result.pairs) - result.derived_pairs
    sharing = (f", {others:,} more sharing containment or Jaccard >= "
               f"{result.parameters['min_containment']}" if others else "")
    lines = [
        f"{counted(len(result.articles), 'article')}, "
        f"{counted(result.candidates, 'candidate pair')} judged, "
        f"{len(result.pairs):,} related: {derived:,} derived one from the other, {reused:,} "
        f"sharing copy in no known direction{sharing}. "
        f"`derived in source`: share of the derived article's "
        f"{result.parameters['shingle_size']}-word runs found in the source.",
    ]
    if result.too_short:
        lines.append(f"{len(result.too_short)} too short to fingerprint (fewer than "
                     f"{result.parameters['shingle_size']} words): "
                     + ", ".join(map(visible, result.too_short)))
    if result.skipped:
        lines.append(f"{counted(len(result.skipped), 'input')} skipped (see the messages "
                     "above).")
    return "\n".join(lines)


def render_compare(pair: PairScore, verdict: Verdict, texts: Texts, fmt: Format) -> str:
    """One pair's scores, verdict, passages and aligned sentences (``texts``: the two
    articles' texts by id), or all of it as JSON."""
    if fmt == "json":
        return json_text({"schema_version": SCHEMA_VERSION, **pair_json(pair, texts),
                      "verdict": verdict_json(verdict, texts)})
    return "\n\n".join([_render_scores(pair, texts), render_verdict(verdict, texts)])


def render_verdict(verdict: Verdict, texts: Texts) -> str:
    """A verdict as text: the call, the features it rests on, and the aligned sentences."""
    lines = [verdict_sentence(verdict)]
    lines.append(tabulate([[name, f"{value:.3f}"] for name, value in verdict.features.items()],
                          headers=["feature", "value"], disable_numparse=True))
    if not verdict.sentences:
        return "\n\n".join([*lines, "No aligned sentences."])
    source, derived = texts[verdict.source], texts[verdict.derived]
    rows = [[f"{s.source_start}-{s.source_end}\n{_flat(source[s.source_start:s.source_end])}",
             f"{s.derived_start}-{s.derived_end}\n{_flat(derived[s.derived_start:s.derived_end])}",
             f"{s.similarity:.2f}"]
            for s in verdict.sentences]
    lines.append("Aligned sentences:\n" + tabulate(
        rows, headers=[f"source {visible(verdict.source)}",
                       f"derived {visible(verdict.derived)}", "similarity"],
        tablefmt="grid", maxcolwidths=[PASSAGE_COLUMN_WIDTH, PASSAGE_COLUMN_WIDTH, None],
        disable_numparse=True))
    return "\n\n".join(lines)


def verdict_sentence(verdict: Verdict, name: Callable[[str], str] = visible,
                     text: Callable[[str], str] = visible) -> str:
    """The verdict in a sentence a reader acts on: what derives from what and on which
    evidence, or that the two share text and why no derivation is shown (``name`` and
    ``text`` format article ids and other text for the output: escaped for it)."""
    derived, source = name(verdict.derived), name(verdict.source)
    retold = "; retold: its sentences tell the source's in turn" if verdict.retold else ""
    measured = f"(form {verdict.form}, confidence {verdict.confidence:.2f}{retold})"
    direction = verdict.direction
    if not verdict.reused:
        if verdict.discounted:
            return ("Verdict: neither derives from the other: the text they share is no copy "
                    f"({_discounted(verdict)}).")
        return f"Verdict: neither derives from the other {measured}."
    if verdict.settled:
        return (f"Verdict: {derived} is {verdict.extent} derived from {source} {measured}. "
                f"Direction: {text(direction.basis)}.")
    if direction.relation == "common source":
        shared = f"copy from a common source, {text(direction.agency or UNKNOWN_COPY)}"
    else:
        shared = "text; which came first is unknown"
    return (f"Verdict: {derived} and {source} share {shared} ({text(direction.basis)}). "
            f"Measured as {derived} from {source}: {verdict.extent} {measured}.")


def _render_scores(pair: PairScore, texts: Texts) -> str:
    a_id, b_id = visible(pair.a), visible(pair.b)
    scores = tabulate(
        [["jaccard", f"{pair.jaccard:.3f}"],
         [f"containment of {a_id} in {b_id}", f"{pair.a_in_b:.3f}"],
         [f"containment of {b_id} in {a_id}", f"{pair.b_in_a:.3f}"],
         ["shared passages", str(len(pair.passages))],
         ["longest passage (words)", str(pair.longest_passage)]],
        tablefmt="plain", disable_numparse=True,
    )
    if not pair.passages:
        return scores + "\n\nNo shared passages."
    a, b = texts[pair.a], texts[pair.b]
    rows = [[f"{p.a_start}-{p.a_end}\n{_flat(a[p.a_start:p.a_end])}",
             f"{p.b_start}-{p.b_end}\n{_flat(b[p.b_start:p.b_end])}"]
            for p in pair.passages]
    side_by_side = tabulate(rows, headers=[a_id, b_id], tablefmt="grid",
                            maxcolwidths=[PASSAGE_COLUMN_WIDTH, PASSAGE_COLUMN_WIDTH],
                            disable_numparse=True)
    return scores + "\n\n" + side_by_side


def _flat(text: str) -> str:
    """Article text on one line of a terminal's table: each run of white space one space,
    and what a terminal would act on (escape sequences, say) shown as escapes."""
    return visible(" ".join(text.split()))




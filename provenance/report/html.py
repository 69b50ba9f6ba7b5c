"""``provenance.html``: one self-contained page (no script, no network, works from a file),
readable from a 360-pixel phone to a wide screen.

A table of contents, then per story cluster: the reuse graph drawn as inline SVG (articles,
common sources, derivation arrows, and dashed lines for pairs that share text without a
derivation; each node and arrow a link to its row or its evidence), the lineage table, the
credits found, and for each derivation the two texts side by side with aligned sentences in
matching colours and numbers (each with its similarity on hover and focus), shared passages
underlined in both, and every aligned sentence pair listed (collapsed).

Colour is never the only cue: lineage kinds are the Okabe-Ito colours, which readers with
any common colour-vision deficiency tell apart, and each node carries its kind's letter;
aligned sentences carry their number.
"""

from __future__ import annotations

import hashlib
import itertools
import math
from collections.abc import Sequence
from html import escape

from provenance.model import Article, Credit, Derivation, Lineage, PairScore, Story, Verdict
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

#: Background colours of aligned sentence pairs, reused in turn (readable under black text);
#: each pair also shows its number, so colours that repeat or look alike are told apart.
SENTENCE_COLOURS = ("#ffd6a5", "#caffbf", "#9bf6ff", "#bdb2ff", "#ffc6ff", "#fdffb6",
                    "#a0c4ff", "#ffadad")
#: The Okabe-Ito colours (vermillion, bluish green, blue, grey), told apart with any common
#: colour-vision deficiency; each kind's letter is drawn on its nodes too.
KIND_COLOURS = {"uncredited reuse": "#d55e00", "credited wire copy": "#009e73",
                "original": "#0072b2", "independent": "#6e6e6e"}
KIND_LETTERS = {"uncredited reuse": "U", "credited wire copy": "C", "original": "O",
                "independent": "I"}
GRAPH_WIDTH = 720
#: Rows of the layered graph: their spacing, the margin above the first and below the last,
#: and the nodes a row holds before it wraps.
ROW_HEIGHT, GRAPH_MARGIN, ROW_NODES = 90, 50, 12
#: Dashed lines for pairs sharing text with no derivation, at most: past it, a mesh.
MAX_SHARED_LINES = 30
NODE_RADIUS = 16
LABEL_CHARS = 18

STYLE = """
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, sans-serif; margin: 2em auto; max-width: 1200px;
       padding: 0 1em; color: #222; }
h1, h2, h3 { line-height: 1.2; overflow-wrap: anywhere; }
a { color: #0b5cad; }
table { border-collapse: collapse; margin: 0; }
th, td { border: 1px solid #ccc; padding: 4px 8px; text-align: left; vertical-align: top; }
.scroll { overflow-x: auto; margin: 1em 0; max-width: 100%; }
.graph { border: 1px solid #ddd; background: #fcfcfc; width: 100%; max-width: 720px;
         min-width: 560px; height: auto; display: block; }
.graph text { font-size: 12px; }
.graph .letter { font-size: 13px; font-weight: 700; fill: #fff; }
.graph a:hover line, .graph a:focus line { stroke-width: 4; }
.node-source circle { fill: #fff; stroke-dasharray: 4 3; }
.pair { stroke: #aaa; stroke-dasharray: 5 4; }
.derivation-line { stroke-width: 2.5; }
.side-by-side { display: grid; grid-template-columns: 1fr 1fr; gap: 1em; }
.side-by-side > div { min-width: 0; }
.text { border: 1px solid #ddd; padding: 0.5em 1em; white-space: pre-wrap;
        overflow-wrap: anywhere; max-height: 40em; overflow-y: auto; }
.passage { text-decoration: underline 3px #b03a2e; text-underline-offset: 3px;
           font-weight: 600; }
.aligned:focus { outline: 2px solid #222; }
.aligned:hover::after, .aligned:focus::after {
  content: "similarity " attr(data-similarity); background: #222; color: #fff;
  font: 600 12px system-ui, sans-serif; padding: 0 4px; margin-left: 4px; }
.number { font-size: 0.7em; font-weight: 700; vertical-align: super; margin-right: 2px; }
.legend span { display: inline-block; margin-right: 1.5em; }
.swatch { display: inline-block; width: 1.2em; height: 1.2em; vertical-align: middle;
          margin-right: 0.3em; color: #fff; font: 700 11px/1.2em system-ui, sans-serif;
          text-align: center; }
details { margin: 1em 0; }
@media (max-width: 700px) {
  body { margin: 1em auto; padding: 0 0.6em; font-size: 14px; }
  .side-by-side { grid-template-columns: 1fr; }
  .text { max-height: 25em; }
}
"""


def render_html(result: ScanResult) -> str:
    """The whole report as one HTML page."""
    articles = {article.id: article for article in result.articles}
    lineage = result.lineage
    body = [f"<h1>Provenance report</h1>\n<p>{len(result.articles)} articles; story "
            f"clusters (articles sharing text): {len(lineage.stories)}.</p>",
            _legend(), _contents(lineage.stories, articles)]
    # A story is a connected component of the pairs: both ends of a pair share its story.
    pairs: dict[str, list[PairScore]] = {story.id: [] for story in lineage.stories}
    for pair in result.pairs:
        story = lineage.story_of(pair.a)
        if story:
            pairs[story.id].append(pair)
    for story in lineage.stories:
        body.append(_story(story, pairs[story.id], articles, lineage))
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            "<title>Provenance report</title>\n<style>" + STYLE + "</style>\n</head>\n<body>\n"
            + "\n".join(body) + "\n</body>\n</html>\n")


def _legend() -> str:
    items = "".join(f'<span><i class="swatch" style="background:{colour}">'
                    f"{KIND_LETTERS[kind]}</i>{kind}</span>"
                    for kind, colour in KIND_COLOURS.items())
    return (f'<p class="legend">{items}<span>dashed circle: common source not in the corpus'
            "</span><span>dashed line: shares text, no derivation</span></p>")


def _contents(stories: Sequence[Story], articles: dict[str, Article]) -> str:
    items = "".join(f'<li><a href="#{story.id}">{escape(story.id)}: '
                    f"{escape(story_title(story, articles))}</a> ({len(story.articles)} "
                    "articles)</li>" for story in stories)
    return f'<nav class="contents"><h2>Contents</h2><ol>{items}</ol></nav>' if stories else ""


def anchor(kind: str, *names: str) -> str:
    """A stable id for an element about ``names`` (article ids, which may hold any
    character): ``kind-`` and a digest of them."""
    digest = hashlib.sha1("\0".join(names).encode("utf-8", "surrogatepass")).hexdigest()
    return f"{kind}-{digest[:12]}"


def _evidence_anchor(derivation: Derivation) -> str:
    """Where a derivation's evidence is: the section of its verdict's pair."""
    return anchor("pair", derivation.verdict.source, derivation.verdict.derived)


def _story(story: Story, pairs: Sequence[PairScore], articles: dict[str, Article],
           lineage: Lineage) -> str:
    groups, alone = copy_groups(story, lineage)
    parts = [f'<section class="story" id="{story.id}">',
             f"<h2>{escape(story.id)}: {escape(story_title(story, articles))}</h2>",
             _graph(story, pairs, lineage), _lineage_table(alone, groups, articles, lineage)]
    cited = [(item.article, credit) for item in map(lineage.of, story.articles)
             for credit in item.credits]
    if cited:
        parts.append(_credits_table(cited))
    shown: set[tuple[str, str]] = set()
    for group in groups:
        first = lineage.of(group.members[0]).derivation
        assert first is not None  # a group's members derive from its source
        parts.append(_derivation(first, articles, lineage, shown, group))
    singles = set(alone)
    parts += [_derivation(d, articles, lineage, shown) for d in story.derivations
              if d.derived in singles]
    parts.append("</section>")
    return "\n".join(parts)


def _credits_table(cited: Sequence[tuple[str, Credit]]) -> str:
    rows = ["<h3>Credits found</h3><div class=\"scroll\"><table class=\"credits\"><tr>"
            "<th>article</th><th>kind</th><th>name</th><th>agency</th><th>text</th></tr>"]
    rows += [f'<tr><td><a href="#{anchor("article", article_id)}">{escape(article_id)}</a>'
             f"</td><td>{credit.kind}</td><td>{escape(credit.name)}</td>"
             f"<td>{escape(credit.agency or '')}</td><td>{escape(credit.text)}</td></tr>"
             for article_id, credit in cited]
    return "\n".join(rows) + "</table></div>"


def _graph(story: Story, pairs: Sequence[PairScore], lineage: Lineage) -> str:
    """The story drawn in layers, top to bottom as its text went: sources above what derives
    from them, common sources (dashed circles) at the top, a source's word-for-word copies
    as one box; a dashed line for a pair that shares text with no derivation, where the
    story is small enough to show them."""
    groups, alone = copy_groups(story, lineage)
    group_of = {member: f"group-{n}" for n, group in enumerate(groups)
                for member in group.members}
    node_of = {article_id: group_of.get(article_id, article_id)
               for article_id in story.articles}
    edges = sorted({(node_of.get(d.source, d.source), node_of[d.derived], d.derived)
                    for d in story.derivations})
    linked = {(above, below) for above, below, _ in edges}
    nodes = [*(source.id for source in story.common_sources), *alone,
             *(f"group-{n}" for n in range(len(groups)))]
    place, height = _layered(nodes, sorted(linked))
    shapes = ['<defs><marker id="arrow-' + story.id + '" viewBox="0 0 10 10" refX="10" '
              'refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
              '<path d="M0,0 L10,5 L0,10 z" fill="context-stroke"/></marker></defs>']
    shared = [(node_of[p.a], node_of[p.b]) for p in pairs
              if node_of[p.a] != node_of[p.b] and (node_of[p.a], node_of[p.b]) not in linked
              and (node_of[p.b], node_of[p.a]) not in linked]
    if len(shared) <= MAX_SHARED_LINES:
        shapes += [_line(place[a], place[b], 'class="pair"') for a, b in sorted(set(shared))]
    drawn: set[tuple[str, str]] = set()
    for above, below, article_id in edges:
        if (above, below) in drawn:
            continue
        drawn.add((above, below))
        item = lineage.of(article_id)
        assert item.derivation is not None  # an edge is a derivation
        line = _line(place[above], place[below],
                     f'class="derivation-line" stroke="{KIND_COLOURS[item.kind]}" '
                     f'marker-end="url(#arrow-{story.id})" data-source="{escape(above)}" '
                     f'data-derived="{escape(below)}"')
        shapes.append(f'<a href="#{_evidence_anchor(item.derivation)}"><title>'
                      f"{escape(item.derivation.derived)} from "
                      f"{escape(item.derivation.source)}: the evidence</title>{line}</a>")
    for source in story.common_sources:
        x, y = place[source.id]
        shapes.append(f'<g class="node node-source" data-id="{escape(source.id)}">'
                      f"<title>{escape(source.id)}: {escape(source.name)}</title>"
                      f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{NODE_RADIUS}" stroke="#333" '
                      f'stroke-width="2"/><text x="{x:.1f}" y="{y - 1.4 * NODE_RADIUS:.1f}" '
                      f'text-anchor="middle">{escape(_short(source.name))}</text></g>')
    for n, group in enumerate(groups):
        x, y = place[f"group-{n}"]
        colour = KIND_COLOURS[group.kind]
        shapes.append(f'<a href="#{anchor("copies", group.source, *group.members)}">'
                      f'<g class="node node-group" data-id="group-{n}">'
                      f"<title>{len(group.members)} word-for-word copies of "
                      f"{escape(group.source)}: {escape(', '.join(group.members))}</title>"
                      f'<rect x="{x - 2 * NODE_RADIUS:.1f}" y="{y - NODE_RADIUS:.1f}" '
                      f'width="{4 * NODE_RADIUS}" height="{2 * NODE_RADIUS}" rx="6" '
                      f'fill="{colour}"/>{_letter(x, y, group.kind)}'
                      f'<text x="{x:.1f}" y="{y + 2.2 * NODE_RADIUS:.1f}" '
                      f'text-anchor="middle">{len(group.members)} copies</text></g></a>')
    for article_id in alone:
        x, y = place[article_id]
        kind = lineage.of(article_id).kind
        shapes.append(f'<a href="#{anchor("article", article_id)}">'
                      f'<g class="node node-article" data-id="{escape(article_id)}">'
                      f"<title>{escape(article_id)}: {kind}</title>"
                      f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{NODE_RADIUS}" '
                      f'fill="{KIND_COLOURS[kind]}"/>{_letter(x, y, kind)}'
                      f'<text x="{x:.1f}" y="{y + 2.2 * NODE_RADIUS:.1f}" text-anchor="middle">'
                      f"{escape(_short(article_id))}</text></g></a>")
    return (f'<div class="scroll"><svg class="graph" xmlns="http://www.w3.org/2000/svg" '
            f'width="{GRAPH_WIDTH}" height="{height}" viewBox="0 0 {GRAPH_WIDTH} {height}" '
            f'role="group" aria-label="Reuse graph of {escape(story.id)}">' + "".join(shapes)
            + "</svg></div>")


def _letter(x: float, y: float, kind: str) -> str:
    """The kind's letter on its node: lineage told by more than colour."""
    return (f'<text class="letter" x="{x:.1f}" y="{y + 4.5:.1f}" text-anchor="middle">'
            f"{KIND_LETTERS[kind]}</text>")


def _layered(nodes: Sequence[str], edges: Sequence[tuple[str, str]]
             ) -> tuple[dict[str, tuple[float, float]], int]:
    """Where each node stands, and the drawing's height: each a row below the deepest of
    its sources, a row of more than :data:`ROW_NODES` wrapped onto the next."""
    sources: dict[str, list[str]] = {}
    for source, derived in edges:
        sources.setdefault(derived, []).append(source)
    depth: dict[str, int] = {}

    def depth_of(node: str, seen: frozenset[str] = frozenset()) -> int:
        if node not in depth:
            above = [s for s in sources.get(node, []) if s not in seen]
            depth[node] = 1 + max((depth_of(s, seen | {node}) for s in above), default=-1)
        return depth[node]

    layers: dict[int, list[str]] = {}
    for node in nodes:
        layers.setdefault(depth_of(node), []).append(node)
    place: dict[str, tuple[float, float]] = {}
    row = 0
    for layer in sorted(layers):
        members = layers[layer]
        for start in range(0, len(members), ROW_NODES):
            chunk = members[start:start + ROW_NODES]
            step = GRAPH_WIDTH / (len(chunk) + 1)
            for n, node in enumerate(chunk, 1):
                place[node] = (n * step, GRAPH_MARGIN + row * ROW_HEIGHT)
            row += 1
    return place, int(2 * GRAPH_MARGIN + max(row - 1, 0) * ROW_HEIGHT)


def _line(start: tuple[float, float], end: tuple[float, float], attributes: str) -> str:
    """A line between two node centres, stopping at the circles' edges."""
    (x1, y1), (x2, y2) = start, end
    length = math.hypot(x2 - x1, y2 - y1) or 1.0
    dx, dy = (x2 - x1) / length * NODE_RADIUS, (y2 - y1) / length * NODE_RADIUS
    return (f'<line x1="{x1 + dx:.1f}" y1="{y1 + dy:.1f}" x2="{x2 - dx:.1f}" '
            f'y2="{y2 - dy:.1f}" {attributes}/>')


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[:LABEL_CHARS - 1] + "…"


def _lineage_table(alone: Sequence[str], groups: Sequence[CopyGroup],
                   articles: dict[str, Article], lineage: Lineage) -> str:
    rows = ['<div class="scroll"><table class="lineage"><tr><th>article</th><th>outlet</th>'
            "<th>lineage</th><th>source</th><th>share reused</th><th>credit</th>"
            "<th>evidence</th></tr>"]
    for article_id in alone:
        item = lineage.of(article_id)
        evidence = (f'<a href="#{_evidence_anchor(item.derivation)}">evidence</a>'
                    if item.derivation else "")
        rows.append(f'<tr id="{anchor("article", article_id)}" data-id="{escape(article_id)}">'
                    f"<td>{escape(article_id)}</td>"
                    f"<td>{escape(articles[article_id].outlet)}</td><td>{item.kind}</td>"
                    f"<td>{escape(source_label(item.source, lineage))}</td>"
                    f"<td>{share_label(item.share)}</td>"
                    f"<td>{escape(credit_summary(item.credits))}</td><td>{evidence}</td></tr>")
    for group in groups:
        shares = [lineage.of(member).share or 0.0 for member in group.members]
        outlets = sorted({articles[member].outlet for member in group.members} - {""})
        first = lineage.of(group.members[0]).derivation
        evidence = f'<a href="#{_evidence_anchor(first)}">evidence</a>' if first else ""
        rows.append(f'<tr id="{anchor("copies", group.source, *group.members)}">'
                    f"<td>{len(group.members)} word-for-word copies: "
                    + ", ".join(f'<span id="{anchor("article", member)}">{escape(member)}'
                                "</span>" for member in group.members) + "</td>"
                    f"<td>{escape(', '.join(outlets))}</td><td>{group.kind}</td>"
                    f"<td>{escape(source_label(group.source, lineage))}</td>"
                    f"<td>{share_label(min(shares))} to {share_label(max(shares))}</td>"
                    f"<td></td><td>{evidence}</td></tr>")
    return "\n".join(rows) + "</table></div>"


def _derivation(derivation: Derivation, articles: dict[str, Article], lineage: Lineage,
                shown: set[tuple[str, str]], group: CopyGroup | None = None) -> str:
    """One derivation: its heading, and its verdict's texts side by side (once per verdict);
    of a group's, as the evidence of them all."""
    verdict = derivation.verdict
    attributes = (f'class="derivation" data-source="{escape(derivation.source)}" '
                  f'data-derived="{escape(derivation.derived)}"')
    if group is not None:
        heading = (f"{len(group.members)} word-for-word copies of {group.source} "
                   f"({group.kind}): the evidence of {derivation.derived}, which they all "
                   f"share ({derivation.basis})")
    elif derivation.basis == "common source":
        heading = (f"{derivation.derived} from {source_label(derivation.source, lineage)}, "
                   "seen beside the article that retells the same copy")
    else:
        heading = f"{derivation.derived} from {derivation.source} ({derivation.basis})"
    if (verdict.source, verdict.derived) in shown:
        return (f"<section {attributes}>\n<h3>{escape(heading)}</h3>\n<p>The same pair as "
                f'<a href="#{_evidence_anchor(derivation)}">above</a>: its texts are shown '
                "there.</p>\n</section>")
    shown.add((verdict.source, verdict.derived))
    summary = (f"{verdict_sentence(verdict, str, str)} "
               f"{counted(len(verdict.sentences), 'aligned sentence')} (matching colours and "
               f"numbers; hover or focus one for its similarity), "
               f"{counted(len(verdict.passages), 'shared passage')} (underlined).")
    source, derived = articles[verdict.source].text, articles[verdict.derived].text
    source_text = _highlighted(source, verdict, side="source")
    derived_text = _highlighted(derived, verdict, side="derived")
    return (f'<section {attributes} id="{_evidence_anchor(derivation)}">\n'
            f"<h3>{escape(heading)}</h3>\n"
            f"<p>{escape(summary)}</p>\n<div class=\"side-by-side\">"
            f'<div><h4>{escape(verdict.source)}</h4><div class="text" dir="auto">{source_text}'
            f'</div></div><div><h4>{escape(verdict.derived)}</h4><div class="text" '
            f'dir="auto">{derived_text}</div></div></div>\n'
            f"{_sentence_table(verdict, source, derived)}</section>")


def _sentence_table(verdict: Verdict, source: str, derived: str) -> str:
    """Every aligned sentence pair with its similarity, collapsed under a summary line."""
    if not verdict.sentences:
        return ""
    rows = "".join(f"<tr><td>{n}</td><td>{escape(source[s.source_start:s.source_end])}</td>"
                   f"<td>{escape(derived[s.derived_start:s.derived_end])}</td>"
                   f"<td>{s.similarity:.2f}</td></tr>"
                   for n, s in enumerate(verdict.sentences, 1))
    return (f"<details><summary>All {len(verdict.sentences)} aligned sentence pairs, with "
            "their similarity</summary><div class=\"scroll\"><table class=\"sentences\">"
            f"<tr><th>#</th><th>{escape(verdict.source)}</th><th>{escape(verdict.derived)}"
            f"</th><th>similarity</th></tr>{rows}</table></div></details>\n")


def _highlighted(text: str, verdict: Verdict, side: str) -> str:
    """``text`` as HTML: each aligned sentence in its pair's colour, opened by its number
    and focusable (showing its similarity), passages underlined."""
    sentences = [((s.source_start, s.source_end) if side == "source"
                  else (s.derived_start, s.derived_end), number)
                 for number, s in enumerate(verdict.sentences)]
    passages = [(p.a_start, p.a_end) if side == "source" else (p.b_start, p.b_end)
                for p in verdict.passages]
    starts = {span[0]: number for span, number in sentences}
    cuts = sorted({0, len(text), *(o for span, _ in sentences for o in span),
                   *(o for span in passages for o in span)})
    pieces = []
    for start, end in itertools.pairwise(cuts):
        segment = escape(text[start:end])
        sentence = next((n for (s, e), n in sentences if s <= start and end <= e), None)
        in_passage = any(s <= start and end <= e for s, e in passages)
        if sentence is None and not in_passage:
            pieces.append(segment)
            continue
        classes = ["passage"] if in_passage else []
        attributes = ""
        if sentence is not None:
            similarity = verdict.sentences[sentence].similarity
            colour = SENTENCE_COLOURS[sentence % len(SENTENCE_COLOURS)]
            classes.append("aligned")
            attributes = (f' data-sentence="{sentence}" data-similarity="{similarity:.2f}" '
                          f'title="sentence {sentence + 1}: similarity {similarity:.2f}" '
                          f'style="background:{colour}"')
            if starts.get(start) == sentence:  # a sentence's first piece: its number, focus
                attributes += ' tabindex="0"'
                segment = f'<span class="number">{sentence + 1}</span>{segment}'
        pieces.append(f'<span class="{" ".join(classes)}"{attributes}>{segment}</span>')
    return "".join(pieces)

"""``provenance.html``: one self-contained page (no script, no network, works from a file).

Per story cluster: the reuse graph drawn as inline SVG (articles, common sources, derivation
arrows, and dashed lines for pairs that share text without a derivation), the lineage table,
and for each derivation the two texts side by side with aligned sentences in matching colours
and shared passages underlined in both.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from html import escape

from provenance.model import Article, Derivation, Lineage, PairScore, Story, Verdict
from provenance.report.tables import (
    CopyGroup,
    copy_groups,
    credit_summary,
    share_label,
    source_label,
    story_title,
    verdict_sentence,
)
from provenance.results import ScanResult

#: Background colours of aligned sentence pairs, reused in turn (readable under black text).
SENTENCE_COLOURS = ("#ffd6a5", "#caffbf", "#9bf6ff", "#bdb2ff", "#ffc6ff", "#fdffb6",
                    "#a0c4ff", "#ffadad")
KIND_COLOURS = {"uncredited reuse": "#c0392b", "credited wire copy": "#1e8449",
                "original": "#34495e", "independent": "#7f8c8d"}
GRAPH_WIDTH = 720
#: Rows of the layered graph: their spacing, the margin above the first and below the last,
#: and the nodes a row holds before it wraps.
ROW_HEIGHT, GRAPH_MARGIN, ROW_NODES = 90, 50, 12
#: Dashed lines for pairs sharing text with no derivation, at most: past it, a mesh.
MAX_SHARED_LINES = 30
NODE_RADIUS = 16
LABEL_CHARS = 18

STYLE = """
body { font: 15px/1.5 system-ui, sans-serif; margin: 2em auto; max-width: 1200px;
       padding: 0 1em; color: #222; }
h1, h2, h3 { line-height: 1.2; }
table { border-collapse: collapse; margin: 1em 0; }
th, td { border: 1px solid #ccc; padding: 4px 8px; text-align: left; vertical-align: top; }
.graph { border: 1px solid #ddd; background: #fcfcfc; max-width: 100%; height: auto; }
.graph text { font-size: 12px; }
.node-source circle { fill: #fff; stroke-dasharray: 4 3; }
.pair { stroke: #aaa; stroke-dasharray: 5 4; }
.derivation-line { stroke-width: 2.5; }
.side-by-side { display: grid; grid-template-columns: 1fr 1fr; gap: 1em; }
.text { border: 1px solid #ddd; padding: 0.5em 1em; white-space: pre-wrap;
        overflow-wrap: anywhere; max-height: 40em; overflow-y: auto; }
.passage { text-decoration: underline 3px #b03a2e; text-underline-offset: 3px;
           font-weight: 600; }
.legend span { display: inline-block; margin-right: 1.5em; }
.swatch { display: inline-block; width: 1em; height: 1em; vertical-align: middle;
          margin-right: 0.3em; border: 1px solid #999; }
"""


def render_html(result: ScanResult) -> str:
    """The whole report as one HTML page."""
    articles = {article.id: article for article in result.articles}
    lineage = result.lineage
    body = [f"<h1>Provenance report</h1>\n<p>{len(result.articles)} articles; story "
            f"clusters (articles sharing text): {len(lineage.stories)}.</p>",
            _legend()]
    # A story is a connected component of the pairs: both ends of a pair share its story.
    pairs: dict[str, list[PairScore]] = {story.id: [] for story in lineage.stories}
    for pair in result.pairs:
        story = lineage.story_of(pair.a)
        if story:
            pairs[story.id].append(pair)
    for story in lineage.stories:
        body.append(_story(story, pairs[story.id], articles, lineage))
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<title>Provenance report</title>\n<style>" + STYLE + "</style>\n</head>\n<body>\n"
            + "\n".join(body) + "\n</body>\n</html>\n")


def _legend() -> str:
    items = "".join(f'<span><i class="swatch" style="background:{colour}"></i>{kind}</span>'
                    for kind, colour in KIND_COLOURS.items())
    return (f'<p class="legend">{items}<span>dashed circle: common source not in the corpus'
            "</span><span>dashed line: shares text, no derivation</span></p>")


def _story(story: Story, pairs: Sequence[PairScore], articles: dict[str, Article],
           lineage: Lineage) -> str:
    groups, alone = copy_groups(story, lineage)
    parts = [f'<section class="story" id="{story.id}">',
             f"<h2>{escape(story.id)}: {escape(story_title(story, articles))}</h2>",
             _graph(story, pairs, lineage), _lineage_table(alone, groups, articles, lineage)]
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
        colour = KIND_COLOURS[lineage.of(article_id).kind]
        shapes.append(_line(
            place[above], place[below],
            f'class="derivation-line" stroke="{colour}" '
            f'marker-end="url(#arrow-{story.id})" data-source="{escape(above)}" '
            f'data-derived="{escape(below)}"'))
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
        shapes.append(f'<g class="node node-group" data-id="group-{n}">'
                      f"<title>{len(group.members)} word-for-word copies of "
                      f"{escape(group.source)}: {escape(', '.join(group.members))}</title>"
                      f'<rect x="{x - 2 * NODE_RADIUS:.1f}" y="{y - NODE_RADIUS:.1f}" '
                      f'width="{4 * NODE_RADIUS}" height="{2 * NODE_RADIUS}" rx="6" '
                      f'fill="{colour}"/><text x="{x:.1f}" y="{y + 2.2 * NODE_RADIUS:.1f}" '
                      f'text-anchor="middle">{len(group.members)} copies</text></g>')
    for article_id in alone:
        x, y = place[article_id]
        colour = KIND_COLOURS[lineage.of(article_id).kind]
        shapes.append(f'<g class="node node-article" data-id="{escape(article_id)}">'
                      f"<title>{escape(article_id)}: {lineage.of(article_id).kind}</title>"
                      f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{NODE_RADIUS}" fill="{colour}"/>'
                      f'<text x="{x:.1f}" y="{y + 2.2 * NODE_RADIUS:.1f}" text-anchor="middle">'
                      f"{escape(_short(article_id))}</text></g>")
    return (f'<svg class="graph" xmlns="http://www.w3.org/2000/svg" width="{GRAPH_WIDTH}" '
            f'height="{height}" viewBox="0 0 {GRAPH_WIDTH} {height}" role="img" '
            f'aria-label="Reuse graph of {escape(story.id)}">' + "".join(shapes) + "</svg>")


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
    rows = ["<table class=\"lineage\"><tr><th>article</th><th>outlet</th><th>lineage</th>"
            "<th>source</th><th>share reused</th><th>credit</th></tr>"]
    for article_id in alone:
        item = lineage.of(article_id)
        rows.append(f'<tr data-id="{escape(article_id)}"><td>{escape(article_id)}</td>'
                    f"<td>{escape(articles[article_id].outlet)}</td><td>{item.kind}</td>"
                    f"<td>{escape(source_label(item.source, lineage))}</td>"
                    f"<td>{share_label(item.share)}</td>"
                    f"<td>{escape(credit_summary(item.credits))}</td></tr>")
    for group in groups:
        shares = [lineage.of(member).share or 0.0 for member in group.members]
        outlets = sorted({articles[member].outlet for member in group.members} - {""})
        rows.append(f"<tr><td>{len(group.members)} word-for-word copies: "
                    f"{escape(', '.join(group.members))}</td>"
                    f"<td>{escape(', '.join(outlets))}</td><td>{group.kind}</td>"
                    f"<td>{escape(source_label(group.source, lineage))}</td>"
                    f"<td>{share_label(min(shares))} to {share_label(max(shares))}</td>"
                    "<td></td></tr>")
    return "\n".join(rows) + "</table>"


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
                "above: its texts are shown there.</p>\n</section>")
    shown.add((verdict.source, verdict.derived))
    summary = (f"{verdict_sentence(verdict, str, str)} {len(verdict.sentences)} aligned "
               f"sentences (matching colours), {len(verdict.passages)} shared passages "
               "(underlined).")
    source_text = _highlighted(articles[verdict.source].text, verdict, side="source")
    derived_text = _highlighted(articles[verdict.derived].text, verdict, side="derived")
    return (f"<section {attributes}>\n<h3>{escape(heading)}</h3>\n"
            f"<p>{escape(summary)}</p>\n<div class=\"side-by-side\">"
            f'<div><h4>{escape(verdict.source)}</h4><div class="text" dir="auto">{source_text}'
            f'</div></div><div><h4>{escape(verdict.derived)}</h4><div class="text" '
            f'dir="auto">{derived_text}</div></div></div>\n</section>')


def _highlighted(text: str, verdict: Verdict, side: str) -> str:
    """``text`` as HTML: each aligned sentence in its pair's colour, passages underlined."""
    sentences = [((s.source_start, s.source_end) if side == "source"
                  else (s.derived_start, s.derived_end), number)
                 for number, s in enumerate(verdict.sentences)]
    passages = [(p.a_start, p.a_end) if side == "source" else (p.b_start, p.b_end)
                for p in verdict.passages]
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
        attributes = ' class="passage"' if in_passage else ""
        if sentence is not None:
            colour = SENTENCE_COLOURS[sentence % len(SENTENCE_COLOURS)]
            attributes += f' data-sentence="{sentence}" style="background:{colour}"'
        pieces.append(f"<span{attributes}>{segment}</span>")
    return "".join(pieces)

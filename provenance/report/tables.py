"""Rendering results for people (tables) and programs (JSON). One place decides every format."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any, Literal

import orjson
from tabulate import tabulate

from provenance.model import (
    LITTLE_TEXT,
    SCHEMA_VERSION,
    UNKNOWN_COPY,
    AlignedSentence,
    Article,
    ArticleLineage,
    Credit,
    Derivation,
    Lineage,
    LineageKind,
    PairScore,
    Passage,
    Story,
    Verdict,
)
from provenance.report.escaping import visible
from provenance.results import CollectionResult, Evaluation, ScanResult, Scores, Spread
from provenance.text.articles import in_memory
from provenance.workers import chunk_spans, ordered_map

Format = Literal["table", "json"]
#: Article id -> its original text: what evidence offsets point into.
Texts = Mapping[str, str]
FORMATS: tuple[Format, ...] = ("table", "json")
#: Width of each text column when passages are shown side by side.
PASSAGE_COLUMN_WIDTH = 58
#: Width of the column that says what settled a pair's direction, or why nothing did.
BASIS_COLUMN_WIDTH = 36


class ArticleTexts(Mapping[str, str]):
    """Articles' texts by id, each read when it is looked up: a spooled text (see
    :mod:`texts`) is not held."""

    def __init__(self, articles: Iterable[Article]) -> None:
        self._articles = {article.id: article for article in articles}

    def __getitem__(self, article_id: str) -> str:
        return self._articles[article_id].text

    def __iter__(self) -> Iterator[str]:
        return iter(self._articles)

    def __len__(self) -> int:
        return len(self._articles)


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


def credit_json(credit: Credit) -> dict[str, Any]:
    """A credit as JSON: its fields, and ``covers`` only for one that covers a span (an
    attribution), so that other credits read as they always have."""
    fields = asdict(credit)
    if credit.covers is None:
        del fields["covers"]
    return fields


def result_json(result: ScanResult) -> dict[str, Any]:
    """Everything a scan found as one JSON-ready document (``schema_version`` 3)."""
    return {key: list(value) if isinstance(value, Iterator) else value
            for key, value in _scan_document(result).items()}


def scan_json_parts(result: ScanResult, jobs: int = 1) -> Iterator[str]:
    """The text of :func:`result_json`'s document, indented by 2 (as :func:`_dump` writes
    it whole), a part at a time: one part per article, story and pair, so that the
    document of a large scan (a million articles, their pairs with their passages' texts)
    is never held whole. Those three lists, most of it, are rendered by ``jobs``
    processes."""
    rendering = _Rendering.of(result)
    for number, (key, value) in enumerate(_scan_document(result, rendering).items()):
        yield f"{',' if number else '{'}\n  {json.dumps(key)}: "
        if key not in SECTIONS:
            yield _dump(value).replace("\n", "\n  ")
            continue
        empty = True
        for item in _rendered(rendering, SECTIONS[SECTIONS.index(key)], jobs):
            yield f"{'[' if empty else ','}\n    " + item
            empty = False
        yield "[]" if empty else "\n  ]"
    yield "\n}"


#: The document's lists made an item at a time.
Section = Literal["articles", "stories", "pairs"]
SECTIONS: tuple[Section, ...] = ("articles", "stories", "pairs")


@dataclass(frozen=True)
class _Rendering:
    """What the document's item for an article, a story or a pair is made from."""

    result: ScanResult
    lineage: Mapping[str, ArticleLineage]
    texts: Texts

    @classmethod
    def of(cls, result: ScanResult) -> _Rendering:
        return cls(result, {item.article: item for item in result.lineage.articles},
                   ArticleTexts(result.articles))

    def section(self, name: Section) -> tuple[Sequence[Any], Callable[[Any], dict[str, Any]]]:
        """The items of the list ``name``, and what makes each one's JSON object."""
        if name == "articles":
            return self.result.articles, self._article
        if name == "stories":
            return self.result.lineage.stories, _story_json
        return self.result.pairs, lambda pair: _pair_json(pair, self.texts)

    def items(self, name: Section) -> Iterator[dict[str, Any]]:
        """The JSON objects of the list ``name``, made as they are read."""
        items, make = self.section(name)
        return map(make, items)

    def _article(self, article: Article) -> dict[str, Any]:
        article = in_memory(article)  # its fields read back in one go
        return {
            "id": article.id, "title": article.title, "outlet": article.outlet,
            "url": article.url, "published": article.published, "origin": article.origin,
            "lineage": _lineage_json(self.lineage[article.id]),
            "credits": [credit_json(credit) for credit in self.result.credits.get(article.id, ())],
        }


#: Items rendered per chunk of work: up to a few megabytes of text. Larger chunks mean
#: fewer pools of workers forked from a large process (see workers.CHUNKS_PER_POOL): at a
#: million articles, writing took 130 s with 128, 170 s with 32.
RENDER_CHUNK = 128


def _rendered(rendering: _Rendering, name: Section, jobs: int) -> Iterator[str]:
    """The items of the list ``name`` as the document's text, in order, rendered chunk by
    chunk over ``jobs`` processes (a worker reads the texts it needs itself)."""
    spans = chunk_spans(len(rendering.section(name)[0]), RENDER_CHUNK)
    for items in ordered_map(_render_items, (rendering, name), spans, jobs):
        yield from items


def _render_items(work: tuple[_Rendering, Section], span: tuple[int, int]) -> list[str]:
    rendering, name = work
    items, make = rendering.section(name)
    return [_list_item(make(item)) for item in items[span[0]:span[1]]]


def _list_item(value: dict[str, Any]) -> str:
    """``value`` as an item of a list in the document, indented as :func:`_dump` indents
    it there (the opening line and comma are the list's)."""
    return _dump(value).replace("\n", "\n    ")


def _scan_document(result: ScanResult, rendering: _Rendering | None = None
                   ) -> dict[str, Any]:
    """:func:`result_json`'s document, its articles, stories and pairs as iterators, made
    as they are read."""
    rendering = rendering or _Rendering.of(result)
    return {
        "schema_version": SCHEMA_VERSION,
        "parameters": dict(result.parameters),
        "summary": {
            "articles": len(result.articles),
            "candidates": result.candidates,
            "related_pairs": len(result.pairs),
            "derived_pairs": result.derived_pairs,
            "stories": len(result.lineage.stories),
        },
        "articles": rendering.items("articles"),
        "stories": rendering.items("stories"),
        "pairs": rendering.items("pairs"),
        "too_short": list(result.too_short),
        "skipped": [asdict(item) for item in result.skipped],
    }


def _lineage_json(item: ArticleLineage) -> dict[str, Any]:
    return {"kind": item.kind, "source": item.source, "share": item.share,
            "little_text": item.share is not None and item.share < LITTLE_TEXT,
            "basis": item.derivation.basis if item.derivation else None}


def _story_json(story: Story) -> dict[str, Any]:
    return {
        "id": story.id,
        "articles": list(story.articles),
        "common_sources": [asdict(source) for source in story.common_sources],
        "derivations": [_derivation_json(d) for d in story.derivations],
    }


def _derivation_json(derivation: Derivation) -> dict[str, Any]:
    verdict = derivation.verdict  # read back from its judged pair on disk: once
    return {
        "source": derivation.source, "derived": derivation.derived, "basis": derivation.basis,
        "verdict": {"source": verdict.source, "derived": verdict.derived,
                    "extent": verdict.extent, "form": verdict.form,
                    "confidence": round(verdict.confidence, 6)},
    }


def render_credits(credits: dict[str, tuple[Credit, ...]], fmt: Format) -> str:
    """Every credit found, one row each: article, kind, name, agency, offsets, text."""
    if fmt == "json":
        return _dump({"schema_version": SCHEMA_VERSION,
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
    return [visible(verdict.source), visible(verdict.derived), verdict.extent, verdict.form,
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
        return _dump({"schema_version": SCHEMA_VERSION, **_pair_json(pair, texts),
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
    measured = f"(form {verdict.form}, confidence {verdict.confidence:.2f})"
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


def verdict_json(verdict: Verdict, texts: Texts) -> dict[str, Any]:
    """A verdict as a JSON object (features, passages and aligned sentences, with their
    texts, included)."""
    source, derived = texts[verdict.source], texts[verdict.derived]
    return {
        "source": verdict.source, "derived": verdict.derived,
        "direction": asdict(verdict.direction),
        "extent": verdict.extent, "form": verdict.form,
        "confidence": round(verdict.confidence, 6),
        "features": {name: round(value, 6) for name, value in verdict.features.items()},
        "discounted": [list(item) for item in verdict.discounted],
        "passages": [_passage_json(passage, source, derived) for passage in verdict.passages],
        "sentences": [_sentence_json(sentence, source, derived)
                      for sentence in verdict.sentences],
    }


def _passage_json(passage: Passage, a: str, b: str) -> dict[str, Any]:
    """A passage with its text on both sides (``a``, ``b``: the two articles' texts)."""
    return {"a_start": passage.a_start, "a_end": passage.a_end,
            "b_start": passage.b_start, "b_end": passage.b_end,
            "a_text": a[passage.a_start:passage.a_end],
            "b_text": b[passage.b_start:passage.b_end], "words": passage.words}


def _sentence_json(sentence: AlignedSentence, source: str, derived: str) -> dict[str, Any]:
    return {"source_start": sentence.source_start, "source_end": sentence.source_end,
            "derived_start": sentence.derived_start, "derived_end": sentence.derived_end,
            "similarity": sentence.similarity,
            "source_text": source[sentence.source_start:sentence.source_end],
            "derived_text": derived[sentence.derived_start:sentence.derived_end]}


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


def render_evaluation(evaluation: Evaluation, method: str, fmt: Format) -> str:
    """Per collection: macro-F1 beside the naive baseline's, per-class precision, recall
    and F1, the confusion matrix, and the reliability of confidence."""
    if fmt == "json":
        return _dump({"schema_version": SCHEMA_VERSION, "method": method,
                      "deals": evaluation.deals,
                      "collections": [_collection_json(c) for c in evaluation.collections]})
    parts = [f"Verdicts {method}."]
    for result in evaluation.collections:
        scores = result.scores
        first = " (first deal)" if len(result.model.values) > 1 else ""
        rows = [[c.label, f"{c.precision:.3f}", f"{c.recall:.3f}", f"{c.f1:.3f}", c.support]
                for c in scores.per_class]
        confusion = [[f"true {label}", *row] for label, row in zip(scores.classes,
                                                                      scores.confusion,
                                                                      strict=True)]
        parts.append("\n".join([
            f"{result.name}: {result.axis}, {sum(c.support for c in scores.per_class)} pairs",
            tabulate([[f"macro-F1 ({result.axis})", _spread(result.model),
                       _spread(result.baseline)],
                      ["macro-F1 (reused vs none)", _spread(result.model_reuse),
                       _spread(result.baseline_reuse)]],
                     headers=["", "verdicts", "naive baseline"], disable_numparse=True),
            "",
            tabulate(rows, headers=[f"class{first}", "precision", "recall", "F1", "pairs"],
                     disable_numparse=True),
            "",
            tabulate(confusion, headers=["", *(f"as {label}" for label in scores.classes)]),
            "",
            _reliability_table(result),
        ]))
    parts.append("The naive baseline: cut points on word containment (the share of the "
                 "derived text's words found in the source), tuned on the other folds.")
    return "\n\n".join(parts)


def _spread(spread: Spread) -> str:
    if len(spread.values) == 1:
        return f"{spread.mean:.3f}"
    return f"{spread.mean:.3f} ± {spread.deviation:.3f}"


def _reliability_table(result: CollectionResult) -> str:
    what = ("extent right" if result.axis == "extent"
            else "reused or none right (the labels grade form)")
    rows = [[f"{b.low:.1f} to {b.high:.1f}", b.verdicts,
             f"{b.share_right:.2f}" if b.verdicts else "-",
             f"{b.mean_confidence:.2f}" if b.verdicts else "-"]
            for b in result.reliability]
    return tabulate(rows, headers=["confidence", "verdicts", f"share {what}",
                                   "mean confidence"], disable_numparse=True)


def _scores_json(scores: Scores) -> dict[str, Any]:
    return {
        "classes": {c.label: {"precision": round(c.precision, 6), "recall": round(c.recall, 6),
                              "f1": round(c.f1, 6), "pairs": c.support}
                    for c in scores.per_class},
        "macro_f1": round(scores.macro_f1, 6),
        "confusion": [list(row) for row in scores.confusion],
    }


def _collection_json(result: CollectionResult) -> dict[str, Any]:
    return {"name": result.name, "axis": result.axis, **_scores_json(result.scores),
            "reuse": _scores_json(result.reuse),
            "deals": {"verdicts": {"macro_f1": _spread_json(result.model),
                                   "reused_vs_none_macro_f1": _spread_json(result.model_reuse)},
                      "naive_baseline": {
                          "macro_f1": _spread_json(result.baseline),
                          "reused_vs_none_macro_f1": _spread_json(result.baseline_reuse)}},
            "reliability": [{"confidence": [b.low, b.high], "verdicts": b.verdicts,
                             "right": b.right, "mean_confidence": round(b.mean_confidence, 6)}
                            for b in result.reliability]}


def _spread_json(spread: Spread) -> dict[str, Any]:
    return {"mean": round(spread.mean, 6), "deviation": round(spread.deviation, 6),
            "values": [round(v, 6) for v in spread.values]}


def _flat(text: str) -> str:
    """Article text on one line of a terminal's table: each run of white space one space,
    and what a terminal would act on (escape sequences, say) shown as escapes."""
    return visible(" ".join(text.split()))


def _pair_json(pair: PairScore, texts: Texts) -> dict[str, Any]:
    a, b = texts[pair.a], texts[pair.b]
    return {
        "a": pair.a, "b": pair.b,
        "jaccard": round(pair.jaccard, 6),
        "a_in_b": round(pair.a_in_b, 6),
        "b_in_a": round(pair.b_in_a, 6),
        "longest_passage_words": pair.longest_passage,
        "passages": [_passage_json(passage, a, b) for passage in pair.passages],
        "verdict": verdict_json(pair.verdict, {pair.a: a, pair.b: b}) if pair.verdict else None,
    }


def _dump(document: dict[str, Any]) -> str:
    """``document`` as JSON indented by 2, characters unescaped: the layout of
    ``json.dumps(document, ensure_ascii=False, indent=2)`` (numbers too, but for the
    exponent's form: ``1e-6``, not ``1e-06``), written a dozen times faster, as Python's
    encoder has no compiled path for indented output."""
    return orjson.dumps(document, option=orjson.OPT_INDENT_2).decode()

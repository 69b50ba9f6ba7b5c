"""A scan as one JSON document (``scan --format json``, ``provenance.json``): rendered in
parts as it is written, by worker processes for a large scan, whose document runs to
gigabytes."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from typing import Any, Literal

import orjson

from provenance.model import (
    LITTLE_TEXT,
    SCHEMA_VERSION,
    AlignedSentence,
    Article,
    ArticleLineage,
    Credit,
    Derivation,
    PairScore,
    Passage,
    Story,
    Verdict,
)
from provenance.results import ScanResult
from provenance.text.articles import in_memory
from provenance.workers import chunk_spans, ordered_map


def result_json(result: ScanResult) -> dict[str, Any]:
    """Everything a scan found as one JSON-ready document (``schema_version`` 3)."""
    return {key: list(value) if isinstance(value, Iterator) else value
            for key, value in _scan_document(result).items()}


#: Renders a list's chunks of work (:class:`ListInChunks`), in order, each to its items'
#: text (:func:`rendered_chunk`); told how many there are.
ChunkRenderer = Callable[[Iterable["Chunk"], int], Iterator[list[str]]]


def scan_json_parts(result: ScanResult, jobs: int = 1, renderer: ChunkRenderer | None = None
                    ) -> Iterator[str]:
    """The text of :func:`result_json`'s document, indented by 2 (as :func:`json_text` writes
    it whole), a part at a time: one part per article, story and pair, so that the
    document of a large scan (a million articles, their pairs with their passages' texts)
    is never held whole. Those three lists, most of it, are rendered by ``jobs``
    processes, or by ``renderer`` (a cluster's tasks), chunk by chunk."""
    rendering = _Rendering.of(result)
    for piece in _layout(result, rendering):
        if isinstance(piece, str):
            yield piece
            continue
        name = piece.name
        items = (_rendered(rendering, name, jobs) if renderer is None
                 else itertools.chain.from_iterable(renderer(piece.chunks, piece.count)))
        empty = True
        for item in items:
            yield listed([item], opens=empty)
            empty = False
        yield closing(empty)


@dataclass(frozen=True)
class ListInChunks:
    """One of the document's lists (``articles``, ``stories``, ``pairs``), to be rendered in
    ``count`` self-contained chunks of :data:`RENDER_CHUNK` items."""

    name: Section
    count: int
    chunks: Iterator[Chunk]


def json_layout(result: ScanResult) -> Iterator[str | ListInChunks]:
    """:func:`scan_json_parts`'s document as text and lists to render: each list's text is
    its chunks' :func:`listed` texts, then its :func:`closing`."""
    return _layout(result, _Rendering.of(result))


def _layout(result: ScanResult, rendering: _Rendering) -> Iterator[str | ListInChunks]:
    for number, (key, value) in enumerate(_scan_document(result, rendering).items()):
        yield f"{',' if number else '{'}\n  {json.dumps(key)}: "
        if key in SECTIONS:
            name = SECTIONS[SECTIONS.index(key)]
            spans = chunk_spans(len(rendering.section(name)[0]), RENDER_CHUNK)
            yield ListInChunks(name, len(spans),
                               (rendering.chunk(name, span) for span in spans))
        else:
            yield json_text(value).replace("\n", "\n  ")
    yield "\n}"


def listed(items: Sequence[str], opens: bool) -> str:
    """Rendered items as they stand in their list, the first of them opening it if
    ``opens``."""
    return "".join(f"{'[' if opens and n == 0 else ','}\n    {item}"
                   for n, item in enumerate(items))


def closing(empty: bool) -> str:
    """What closes a list after its items."""
    return "[]" if empty else "\n  ]"


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
        return self.result.pairs, lambda pair: pair_json(pair, self.texts)

    def items(self, name: Section) -> Iterator[dict[str, Any]]:
        """The JSON objects of the list ``name``, made as they are read."""
        items, make = self.section(name)
        return map(make, items)

    def _article(self, article: Article) -> dict[str, Any]:
        return _article_json(article, self.lineage[article.id],
                             self.result.credits.get(article.id, ()))

    def chunk(self, name: Section, span: tuple[int, int]) -> Chunk:
        """The items at ``span`` of the list ``name``, with all their JSON is made from
        (an article's lineage and credits, a pair's two texts): work for another machine."""
        items = self.section(name)[0][span[0]:span[1]]
        if name == "articles":
            # An article's item reads its fields, not its text.
            return name, [(replace(in_memory(article), text=""), self.lineage[article.id],
                           self.result.credits.get(article.id, ())) for article in items]
        if name == "stories":
            return name, list(items)
        return name, [(pair, {pair.a: self.texts[pair.a], pair.b: self.texts[pair.b]})
                      for pair in items]


#: Some items of one of the document's lists, with what their JSON is made from: articles
#: as (article, lineage, credits), stories as themselves, pairs as (pair, texts by id).
Chunk = tuple["Section", list[Any]]


def rendered_chunk(chunk: Chunk) -> list[str]:
    """The document's text of each item of ``chunk``, as :func:`scan_json_parts` writes it."""
    name, items = chunk
    if name == "articles":
        return [_list_item(_article_json(*item)) for item in items]
    if name == "stories":
        return [_list_item(_story_json(story)) for story in items]
    return [_list_item(pair_json(pair, texts)) for pair, texts in items]


def _article_json(article: Article, lineage: ArticleLineage, credits: Iterable[Credit]
                  ) -> dict[str, Any]:
    article = in_memory(article)  # its fields read back in one go
    return {
        "id": article.id, "title": article.title, "outlet": article.outlet,
        "url": article.url, "published": article.published, "origin": article.origin,
        "lineage": _lineage_json(lineage),
        "credits": [credit_json(credit) for credit in credits],
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
    """``value`` as an item of a list in the document, indented as :func:`json_text` indents
    it there (the opening line and comma are the list's)."""
    return json_text(value).replace("\n", "\n    ")


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


#: Article id -> its original text: what evidence offsets point into.
Texts = Mapping[str, str]


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


def credit_json(credit: Credit) -> dict[str, Any]:
    """A credit as JSON: its fields, and ``covers`` only for one that covers a span (an
    attribution), so that other credits read as they always have."""
    fields = asdict(credit)
    if credit.covers is None:
        del fields["covers"]
    return fields


#: The document's lists made an item at a time.
Section = Literal["articles", "stories", "pairs"]


SECTIONS: tuple[Section, ...] = ("articles", "stories", "pairs")


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
        "retold": verdict.retold,
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


def pair_json(pair: PairScore, texts: Texts) -> dict[str, Any]:
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


def json_text(document: dict[str, Any]) -> str:
    """``document`` as JSON indented by 2, characters unescaped: the layout of
    ``json.dumps(document, ensure_ascii=False, indent=2)`` (numbers too, but for the
    exponent's form: ``1e-6``, not ``1e-06``), written a dozen times faster, as Python's
    encoder has no compiled path for indented output."""
    return orjson.dumps(document, option=orjson.OPT_INDENT_2).decode()

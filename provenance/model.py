"""The plain data that flows between the stages: frozen dataclasses (named tuples for the
evidence, held packed in arrays by the hundred thousand), no behaviour of note."""

from __future__ import annotations

import sys
from array import array
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal, NamedTuple, TypeVar, overload

import numpy as np
import numpy.typing as npt

from provenance.errors import ArticleTextError, InputError

#: Bumped whenever the JSON output changes shape; consumers check it.
SCHEMA_VERSION = 5

HashArray = npt.NDArray[np.uint64]
SignatureArray = npt.NDArray[np.uint32]


#: The ``extra`` of an article that has none (most): one empty mapping shared by all of them
#: (read-only by its type; a mapping proxy would be by its nature, but does not pickle).
NO_EXTRA: Mapping[str, str] = {}


@dataclass(frozen=True, slots=True)
class Article:
    """One article as loaded: its text and the metadata its source gave. A scan may hold a
    million: their fields are in slots, not a dict of attributes (about 100 bytes less each)."""

    id: str
    text: str
    title: str = ""
    outlet: str = ""
    url: str = ""
    published: str = ""
    language: str = ""
    #: Where it was read from: ``path`` or ``path:line``.
    origin: str = ""
    #: Any other fields the source carried, kept as strings.
    extra: Mapping[str, str] = field(default_factory=lambda: NO_EXTRA, compare=False,
                                     hash=False)

    def __post_init__(self) -> None:
        # Checked as each article is made, by a reader or by a library user: a lone
        # surrogate passes through a scan, then fails the first UTF-8 write of a report.
        for name in _TEXT_FIELDS:
            _require_unicode(getattr(self, name), repr(name), self.id)
        for key, value in self.extra.items():
            _require_unicode(key, "a field name", self.id)
            _require_unicode(value, repr(key), self.id)


#: The fields of an :class:`Article` that hold text (``extra`` aside).
_TEXT_FIELDS = ("id", "text", "title", "outlet", "url", "published", "language", "origin")


def _require_unicode(value: str, name: str, article_id: str) -> None:
    """Raise :class:`ArticleTextError` where ``value`` (the field ``name``) holds a lone
    surrogate."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as err:
        raise ArticleTextError(article_id, f"{name} is not valid Unicode: a lone surrogate "
                               f"({value[err.start]!r}) at character {err.start + 1}"
                               ) from None


@dataclass(frozen=True)
class Skipped:
    """An input that was not loaded, and why."""

    location: str
    reason: str

    @classmethod
    def of(cls, error: InputError) -> Skipped:
        """The input ``error`` is about, skipped for it."""
        return cls(error.location, error.reason)

    def __str__(self) -> str:
        """The line a command prints for it on stderr: ``Skipped PATH: reason``."""
        return f"Skipped {self.location}: {self.reason}"


@dataclass(frozen=True)
class Fingerprint:
    """What candidate search needs of one article's shingles: small enough to pass between
    processes by the thousand."""

    article_id: str
    word_count: int
    #: MinHash signature (datasketch ``affine32``); all 0xFFFFFFFF when there are no shingles.
    signature: SignatureArray
    #: Containment samples: the distinct shingle hashes in the lowest ``1/sample_rate`` of
    #: the hash range, sorted.
    samples: HashArray
    #: True when the article has fewer words than one shingle needs.
    too_short: bool


class Passage(NamedTuple):
    """A stretch of text that two articles share, as character offsets into both originals
    (the text itself is ``article.text[start:end]``: evidence points into the articles
    rather than copying them, so a large scan's results stay small).

    A named tuple, not a dataclass: a report reads hundreds of thousands (a scan holds them
    packed, see :class:`PackedRows`), and a tuple is built and compared several times
    faster."""

    a_start: int
    a_end: int
    b_start: int
    b_end: int
    #: Length in words on the first article's side.
    words: int


class AlignedSentence(NamedTuple):
    """A sentence of the derived text aligned to the source sentence it retells, as character
    offsets into both originals (a named tuple, as :class:`Passage` is)."""

    source_start: int
    source_end: int
    derived_start: int
    derived_end: int
    #: Similarity in [0, 1] (IDF-weighted words and character n-grams).
    similarity: float


Row = TypeVar("Row", Passage, AlignedSentence)


class PackedRows(Sequence[Row]):
    """Evidence rows (:class:`Passage` or :class:`AlignedSentence`) kept packed in arrays,
    each named tuple made when it is read. A scan holds every reported pair's evidence until
    it is written: as tuples of named tuples that is about 200 bytes a row, as arrays 20
    (a million articles' pairs: gigabytes), and arrays pass between processes faster.

    Equal to any sequence of the same rows, a tuple included."""

    __slots__ = ("_kind", "_last", "_numbers")

    def __init__(self, kind: type[Row], numbers: npt.NDArray[np.int32],
                 last: npt.NDArray[np.float64] | None = None) -> None:
        #: The named tuple each row makes; its integer fields, one row each; and, for a
        #: kind whose last field is a float, that field.
        self._kind: type[Row] = kind
        self._numbers = numbers
        self._last = last

    def __len__(self) -> int:
        return len(self._numbers)

    @overload
    def __getitem__(self, index: int) -> Row: ...

    @overload
    def __getitem__(self, index: slice) -> PackedRows[Row]: ...

    def __getitem__(self, index: int | slice) -> Row | PackedRows[Row]:
        if isinstance(index, slice):
            return PackedRows(self._kind, self._numbers[index],
                              None if self._last is None else self._last[index])
        numbers: list[Any] = self._numbers[index].tolist()
        if self._last is not None:
            numbers.append(float(self._last[index]))
        return self._kind._make(numbers)

    def __iter__(self) -> Iterator[Row]:
        rows: list[list[Any]] = self._numbers.tolist()
        if self._last is not None:
            for row, last in zip(rows, self._last.tolist(), strict=True):
                row.append(last)
        return map(self._kind._make, rows)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str):
            return NotImplemented
        return tuple(self) == tuple(other)

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return repr(tuple(self))

    def __reduce__(self) -> tuple[Any, ...]:
        # As bytes, not arrays: a pickled array comes back as a view on a view on a copy of
        # the pickle's bytes, three objects (about 550 bytes) where one array will do.
        numbers = self._numbers.astype(np.int32, copy=False)
        last = None if self._last is None else self._last.astype(np.float64, copy=False)
        return _unpickled_rows, (self._kind, numbers.shape[1], numbers.tobytes(),
                                 None if last is None else last.tobytes())


def _unpickled_rows(kind: type[Row], width: int, numbers: bytes, last: bytes | None
                    ) -> PackedRows[Row]:
    return PackedRows(kind, np.frombuffer(numbers, dtype=np.int32).reshape(-1, width).copy(),
                      None if last is None else np.frombuffer(last, dtype=np.float64).copy())


class FeatureValues(Mapping[str, float]):
    """A verdict's measured features, by name: a read-only mapping whose values are packed
    in an array and whose names are one tuple shared by every verdict. A scan holds a
    verdict for every pair it reports: a dict of twelve floats is about 750 bytes, this 220.

    Equal to any mapping of the same items, a dict included."""

    __slots__ = ("_names", "_values")

    def __init__(self, names: tuple[str, ...], values: Iterable[float]) -> None:
        self._names = names
        self._values = array("d", values)
        if len(self._values) != len(names):
            raise ValueError(f"{len(self._values)} values for {len(names)} features")

    def __getitem__(self, name: str) -> float:
        try:
            return self._values[self._names.index(name)]
        except ValueError:
            raise KeyError(name) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)

    def __repr__(self) -> str:
        return repr(dict(self))

    def __reduce__(self) -> tuple[Any, ...]:
        return _unpickled_features, (self._names, self._values)


def _unpickled_features(names: tuple[str, ...], values: array[float]) -> FeatureValues:
    # Names come back as new strings from each pickle: interned, every verdict read back
    # shares one copy of each (about 770 bytes a verdict).
    return FeatureValues(tuple(map(sys.intern, names)), values)


#: How much of the derived text comes from the source (the METER scheme).
Extent = Literal["wholly", "partially", "none"]
#: How it was reused: copied as is, lightly edited, heavily rewritten, or not at all.
Form = Literal["verbatim", "light", "heavy", "none"]
EXTENTS: tuple[Extent, ...] = ("none", "partially", "wholly")
FORMS: tuple[Form, ...] = ("none", "heavy", "light", "verbatim")


#: How two articles sharing text stand to each other: one derives from the other, both
#: carry copy from a common source, or nothing settles which came first.
Relation = Literal["derived", "common source", "unknown"]
#: The kind of evidence that settled a direction (see :mod:`direction`), strongest first.
DirectionRule = Literal["agency copy", "credits", "publication", "trim", "changes", "none"]


@dataclass(frozen=True, slots=True)
class Direction:
    """Which way text went between two articles, and the evidence that settled it (see
    :mod:`direction`)."""

    relation: Relation
    #: The source and the derived article, when the relation is ``derived``.
    source: str | None
    derived: str | None
    #: The evidence, as a reader is told it: ``Associated Press's own copy``, ``published
    #: earlier`` ...; or why nothing settles it.
    basis: str
    #: The kind of evidence that settled it.
    rule: DirectionRule = "none"
    #: The agency whose copy both carry, for a common source that is named.
    agency: str | None = None


#: The direction of a pair no direction was decided for (a pair measured, not judged).
UNDECIDED = Direction("unknown", None, None, "not judged")
#: The direction of a pair judged to share no copy: nothing went either way.
NO_REUSE = Direction("unknown", None, None, "no reuse found")


@dataclass(frozen=True, slots=True)
class Verdict:
    """Whether, how much and how ``derived`` reuses ``source``, with the evidence.

    ``source`` and ``derived`` are the way the pair was measured; :attr:`direction` says
    whether the evidence shows that text went that way (``relation == "derived"``), or
    shows a common source, or settles nothing."""

    source: str
    derived: str
    extent: Extent
    form: Form
    #: Probability the calibrated models give to this (extent, form) verdict.
    confidence: float
    features: Mapping[str, float]
    passages: Sequence[Passage] = ()
    sentences: Sequence[AlignedSentence] = ()
    direction: Direction = UNDECIDED
    #: ``(reason, words)``: aligned words of the derived text that show no copy (quotes
    #: both carry, boilerplate, one outlet's template lines: see :mod:`discount`).
    discounted: tuple[tuple[str, int], ...] = ()
    #: True when the aligned sentences are a retelling's, in the source's order (see
    #: :mod:`retelling`); and where the models found no reuse, the confidence is the rule's.
    retold: bool = False

    @property
    def settled(self) -> bool:
        """True when the evidence shows ``derived`` takes its text from ``source``."""
        return self.direction.relation == "derived"

    @property
    def reused(self) -> bool:
        """True when some of ``derived`` comes from ``source``."""
        return self.extent != "none"


@dataclass(frozen=True, slots=True)
class PairScore:
    """How much two articles share, measured on their shingle sets, with the shared passages."""

    a: str
    b: str
    jaccard: float
    #: Share of a's shingles that are also in b.
    a_in_b: float
    #: Share of b's shingles that are also in a.
    b_in_a: float
    passages: Sequence[Passage] = ()
    #: The judged direction and verdict (``None`` when the pair was only measured).
    verdict: Verdict | None = None

    @property
    def containment(self) -> float:
        """The larger containment: how much of the more-reused article is shared."""
        return max(self.a_in_b, self.b_in_a)

    @property
    def longest_passage(self) -> int:
        """Length in words of the longest shared passage (0 when there is none)."""
        return max((p.words for p in self.passages), default=0)


#: Where a credit sits and what it claims. All but ``citation`` credit the text as wire copy
#: (a ``release`` credits it as a company's press release, distributed by a wire; an
#: ``attribution`` credits the text it introduces; a ``republication`` credits the outlet
#: that published it first); a citation names the source of a fact, which does not make
#: the article wire copy.
CreditKind = Literal["dateline", "sign-off", "byline", "copyright", "release", "attribution",
                     "republication", "citation"]
WIRE_CREDIT_KINDS: tuple[CreditKind, ...] = ("dateline", "sign-off", "byline", "copyright",
                                             "release", "attribution", "republication")


@dataclass(frozen=True, slots=True)
class Credit:
    """An attribution found in an article, with its offsets in the original text."""

    kind: CreditKind
    #: The name as written, without a leading "the" (``Associated Press``, ``agencies``).
    name: str
    #: The canonical agency name, or ``None`` for an outlet that is not an agency or for
    #: unnamed agencies (``with inputs from agencies``).
    agency: str | None
    start: int
    end: int
    text: str
    #: The span of text an attribution introduces (``As AFP reported:`` and the quoted
    #: paragraphs after it); ``None`` for every other credit, which credits the article.
    covers: tuple[int, int] | None = None

    def __post_init__(self) -> None:
        # Read back from JSON (a stored index) the span is a list: a tuple again, so that a
        # stored credit equals the one found.
        if self.covers is not None:
            start, end = self.covers
            object.__setattr__(self, "covers", (start, end))

    @property
    def wire(self) -> bool:
        """True when the credit says the text is wire copy (every kind but citation)."""
        return self.kind != "citation"

    @property
    def unnamed(self) -> bool:
        """True for a credit to unnamed agencies (``with inputs from agencies``), which
        covers any agency's copy: a wire credit naming no agency, other than a release's
        company or the outlet a text was republished from."""
        return self.wire and self.agency is None and self.kind not in ("release",
                                                                       "republication")


LineageKind = Literal["original", "credited wire copy", "uncredited reuse", "independent"]
#: The name of a common source no credit names.
UNKNOWN_COPY = "unknown copy"


@dataclass(frozen=True, slots=True)
class CommonSource:
    """Copy that several articles derive from and that is not in the corpus."""

    id: str
    #: The agency the members' wire credits name, or ``unknown copy``.
    name: str
    agency: str | None
    members: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Derivation:
    """``derived`` takes text from ``source`` (an article id or a common source id)."""

    source: str
    derived: str
    #: What settled the direction (``agency's own copy``, ``published earlier`` ...), or
    #: ``common source``.
    basis: str
    #: The pair verdict behind it (for a common source: the one between two members; for a
    #: copy shown through a sibling: the one between the two siblings).
    verdict: Verdict

    @property
    def seen_through(self) -> str | None:
        """The article the derivation is shown through, where its verdict is not between
        ``source`` and ``derived``: the sibling that carries the same copy."""
        verdict = self.verdict
        if self.source in (verdict.source, verdict.derived):
            return None
        return verdict.source if verdict.derived == self.derived else verdict.derived


@dataclass(frozen=True, slots=True)
class ArticleLineage:
    """Where one article's text came from, whether that is credited, and the evidence."""

    article: str
    kind: LineageKind
    #: Article id, common source id, or the credited agency's name when its copy is not in
    #: the corpus; ``None`` for originals and independents.
    source: str | None
    #: Share of this article's words in sentences aligned to its source (``None`` when the
    #: source is not in the corpus).
    share: float | None
    credits: tuple[Credit, ...]
    derivation: Derivation | None

    @property
    def citations(self) -> tuple[Credit, ...]:
        """The credits that cite a source of facts, not of text."""
        return tuple(credit for credit in self.credits if not credit.wire)


@dataclass(frozen=True, slots=True)
class Story:
    """Articles that report one story: linked by shared text, directly or through others."""

    id: str
    articles: tuple[str, ...]
    common_sources: tuple[CommonSource, ...]
    derivations: tuple[Derivation, ...]


@dataclass(frozen=True)
class Lineage:
    """The reuse graph of a corpus and every article's lineage."""

    stories: tuple[Story, ...]
    articles: tuple[ArticleLineage, ...]
    #: Directions that lineage settled and no pair shows alone (a second-generation copy,
    #: which carries a sibling's changes), by the pair's place among the pairs.
    directions: Mapping[int, Direction] = field(default_factory=dict)

    def of(self, article_id: str) -> ArticleLineage:
        """The lineage of one article."""
        return self._by_article[article_id]

    def common_source(self, source_id: str) -> CommonSource | None:
        """The common source with this id, if it is one."""
        return self._common_sources.get(source_id)

    def story_of(self, article_id: str) -> Story | None:
        """The story the article belongs to, if it shares text with another."""
        return self._stories.get(article_id)

    @cached_property
    def _stories(self) -> dict[str, Story]:
        return {member: story for story in self.stories for member in story.articles}

    @cached_property
    def _by_article(self) -> dict[str, ArticleLineage]:
        return {item.article: item for item in self.articles}

    @cached_property
    def _common_sources(self) -> dict[str, CommonSource]:
        return {source.id: source for story in self.stories for source in story.common_sources}


#: A derivation whose article has less than this share of its words in aligned sentences
#: rests on little text: the reports say so. A paper quoting two wire paragraphs in a story
#: of its own is one; so is a report sharing a few sentences of facts with another.
LITTLE_TEXT = 0.3

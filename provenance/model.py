"""The plain data that flows between the stages: frozen dataclasses, no behaviour of note."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import numpy.typing as npt

#: Bumped whenever the JSON output changes shape; consumers check it.
SCHEMA_VERSION = 2

HashArray = npt.NDArray[np.uint64]
SignatureArray = npt.NDArray[np.uint32]


@dataclass(frozen=True)
class Article:
    """One article as loaded: its text and the metadata its source gave."""

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
    extra: Mapping[str, str] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class Skipped:
    """An input that was not loaded, and why."""

    location: str
    reason: str


@dataclass(frozen=True)
class Fingerprint:
    """What candidate search and verification need of one article."""

    article_id: str
    word_count: int
    #: Word k-gram hashes in text order (repeats kept, so positions line up with words).
    shingles: HashArray
    #: MinHash signature (datasketch ``affine32``); all 0xFFFFFFFF when there are no shingles.
    signature: SignatureArray

    @property
    def too_short(self) -> bool:
        """True when the article has fewer words than one shingle needs."""
        return self.shingles.size == 0


@dataclass(frozen=True)
class Passage:
    """A stretch of text that two articles share, as character offsets into both originals."""

    a_start: int
    a_end: int
    b_start: int
    b_end: int
    a_text: str
    b_text: str
    #: Length in words on the first article's side.
    words: int


@dataclass(frozen=True)
class AlignedSentence:
    """A sentence of the derived text aligned to the source sentence it retells."""

    source_start: int
    source_end: int
    derived_start: int
    derived_end: int
    #: Similarity in [0, 1] (IDF-weighted words and character n-grams).
    similarity: float
    source_text: str
    derived_text: str


#: How much of the derived text comes from the source (the METER scheme).
Extent = Literal["wholly", "partially", "none"]
#: How it was reused: copied as is, lightly edited, heavily rewritten, or not at all.
Form = Literal["verbatim", "light", "heavy", "none"]
EXTENTS: tuple[Extent, ...] = ("none", "partially", "wholly")
FORMS: tuple[Form, ...] = ("none", "heavy", "light", "verbatim")


@dataclass(frozen=True)
class Verdict:
    """Whether, how much and how ``derived`` reuses ``source``, with the evidence."""

    source: str
    derived: str
    extent: Extent
    form: Form
    #: Probability the calibrated models give to this (extent, form) verdict.
    confidence: float
    features: Mapping[str, float]
    passages: tuple[Passage, ...] = ()
    sentences: tuple[AlignedSentence, ...] = ()

    @property
    def reused(self) -> bool:
        """True when some of ``derived`` comes from ``source``."""
        return self.extent != "none"


@dataclass(frozen=True)
class PairScore:
    """How much two articles share, measured on their shingle sets, with the shared passages."""

    a: str
    b: str
    jaccard: float
    #: Share of a's shingles that are also in b.
    a_in_b: float
    #: Share of b's shingles that are also in a.
    b_in_a: float
    passages: tuple[Passage, ...] = ()
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


@dataclass(frozen=True)
class ScanResult:
    """Everything one scan found, in a deterministic order."""

    article_ids: tuple[str, ...]
    pairs: tuple[PairScore, ...]
    too_short: tuple[str, ...]
    skipped: tuple[Skipped, ...]
    candidates: int
    parameters: Mapping[str, float | int]

"""A scan's judged pairs, kept on disk (see :mod:`spool`) from the moment they are judged:
each pair pickled whole, with its evidence, and read back when the report, or lineage, asks
for it. In memory, a pair costs its row in a :class:`lineage.PairSummary` (59 bytes) and its
place in the spool and in the report's order (16), where as objects it took about 3.7 KB: a
corpus whose stories each run in dozens of outlets holds many more pairs than articles.
Lineage's derivations read their verdicts back from the pairs too.
"""

from __future__ import annotations

import pickle
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, get_args, overload

import numpy as np
import numpy.typing as npt

from provenance.model import (
    EXTENTS,
    Derivation,
    Direction,
    DirectionRule,
    PairScore,
    Relation,
    Verdict,
)
from provenance.spool import Records


def pickled(pair: PairScore) -> bytes:
    """``pair`` as a record of :class:`SpooledPairs`."""
    return pickle.dumps(pair, protocol=pickle.HIGHEST_PROTOCOL)


class SpooledPairs(Sequence[PairScore]):
    """Judged pairs read back from their records, in the order ``order`` gives (pair ``n``
    is record ``order[n]``), with the directions lineage settled since (see :meth:`settle`).
    Equal to any sequence of the same pairs, a tuple included."""

    __slots__ = ("_order", "_records", "_settled")

    def __init__(self, records: Records, order: npt.NDArray[np.intp],
                 settled: dict[int, Direction] | None = None) -> None:
        self._records = records
        self._order = order
        #: Directions given since the pairs were judged, by record.
        self._settled = {} if settled is None else settled

    def settle(self, directions: Mapping[int, Direction]) -> None:
        """Give the pairs at these positions the directions lineage settled: a
        second-generation copy's, which no pair shows alone."""
        for position, direction in directions.items():
            self._settled[int(self._order[position])] = direction

    def __len__(self) -> int:
        return int(self._order.size)

    @overload
    def __getitem__(self, index: int) -> PairScore: ...

    @overload
    def __getitem__(self, index: slice) -> SpooledPairs: ...

    def __getitem__(self, index: int | slice) -> PairScore | SpooledPairs:
        if isinstance(index, slice):
            return SpooledPairs(self._records, self._order[index], self._settled)
        return self._read(int(self._order[index]))

    def __iter__(self) -> Iterator[PairScore]:
        return map(self._read, self._order.tolist())

    def _read(self, record: int) -> PairScore:
        pair: PairScore = pickle.loads(self._records[record])
        direction = self._settled.get(record)
        if direction is None or pair.verdict is None:
            return pair
        return replace(pair, verdict=replace(pair.verdict, direction=direction))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str):
            return NotImplemented
        return len(self) == len(other) and all(
            mine == theirs for mine, theirs in zip(self, other, strict=True))

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"SpooledPairs({len(self)} pairs)"

    def __reduce__(self) -> tuple[Any, ...]:
        return SpooledPairs, (self._records, self._order, self._settled)


class DerivationOfPair(Derivation):
    """A :class:`Derivation` whose verdict is read back from the judged pair it rests on
    (pair ``index`` of ``pairs``) each time it is asked for: lineage names a derivation for
    most articles of a scan, and a verdict held with its evidence is about 2 KB. Its basis,
    unless given, is the verdict's direction's. Equal to the :class:`Derivation` it stands
    for, and pickled as one."""

    __slots__ = ("_basis", "_index", "_pairs")
    _pairs: Sequence[PairScore]
    _index: int
    _basis: str | None

    def __init__(self, source: str, derived: str, basis: str | None,
                 pairs: Sequence[PairScore], index: int) -> None:
        for name, value in (("source", source), ("derived", derived), ("_basis", basis),
                            ("_pairs", pairs), ("_index", index)):
            object.__setattr__(self, name, value)

    @property
    def index(self) -> int:
        """The pair's place among the pairs."""
        return self._index

    @property
    def given_basis(self) -> str | None:
        """The basis lineage gave, where it is not the verdict's direction's own."""
        return self._basis

    @property
    def basis(self) -> str:
        return self._basis if self._basis is not None else self.verdict.direction.basis

    @property
    def verdict(self) -> Verdict:
        verdict = self._pairs[self._index].verdict
        if verdict is None:
            raise ValueError(f"pair {self._index} has no verdict to derive from")
        return verdict

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Derivation):
            return NotImplemented
        return _compared(self) == _compared(other)

    __hash__ = Derivation.__hash__

    def __reduce__(self) -> tuple[Any, ...]:
        # Sent to another process with its verdict, not with every pair of the scan.
        return Derivation, (self.source, self.derived, self.basis, self.verdict)


def _compared(derivation: Derivation) -> tuple[str, str, str, Verdict]:
    return derivation.source, derivation.derived, derivation.basis, derivation.verdict


@dataclass(frozen=True)
class PairSummary:
    """What lineage (and the report's order) needs of each judged pair, one array per field,
    pair ``n`` at row ``n``: a scan's pairs wait on disk with their evidence, and lineage
    reads none of them back."""

    #: The positions of the pair's articles (``a`` and ``b`` of its :class:`PairScore`)
    #: among the scan's articles.
    a: npt.NDArray[np.int32]
    b: npt.NDArray[np.int32]
    jaccard: npt.NDArray[np.float64]
    a_in_b: npt.NDArray[np.float64]
    b_in_a: npt.NDArray[np.float64]
    #: The verdict's extent, as its place in :data:`model.EXTENTS` (0 without a verdict).
    extent: npt.NDArray[np.int8]
    #: Whether the verdict is reused with the evidence a derivation needs (:func:`evidenced`).
    evidenced: npt.NDArray[np.bool_]
    #: Whether the verdict's source is ``a`` (else ``b``): for a pair whose relation is
    #: ``derived``, the way the text went.
    a_is_source: npt.NDArray[np.bool_]
    #: The verdict's relation (its direction's), as its place in :data:`RELATIONS`, and
    #: the kind of evidence that settled it, as its place in :data:`RULES`.
    relation: npt.NDArray[np.int8]
    rule: npt.NDArray[np.int8]
    confidence: npt.NDArray[np.float64]
    #: The shares of the derived and of the source text in aligned sentences.
    aligned_share: npt.NDArray[np.float64]
    source_aligned_share: npt.NDArray[np.float64]

    @classmethod
    def of(cls, pairs: Sequence[PairScore], ends: Sequence[tuple[int, int]]) -> PairSummary:
        """The summary of ``pairs``, whose articles are at positions ``ends``."""
        verdicts = [pair.verdict for pair in pairs]
        features: list[Mapping[str, float]] = [v.features if v else {} for v in verdicts]

        def floats(values: Iterable[float]) -> npt.NDArray[np.float64]:
            return np.fromiter(values, dtype=np.float64, count=len(pairs))

        def flags(values: Iterable[bool]) -> npt.NDArray[np.bool_]:
            return np.fromiter(values, dtype=bool, count=len(pairs))

        return cls(
            a=np.fromiter((a for a, _ in ends), dtype=np.int32, count=len(ends)),
            b=np.fromiter((b for _, b in ends), dtype=np.int32, count=len(ends)),
            jaccard=floats(pair.jaccard for pair in pairs),
            a_in_b=floats(pair.a_in_b for pair in pairs),
            b_in_a=floats(pair.b_in_a for pair in pairs),
            extent=np.fromiter((EXTENTS.index(v.extent) if v else 0 for v in verdicts),
                               dtype=np.int8, count=len(pairs)),
            evidenced=flags(v is not None and evidenced(v) for v in verdicts),
            a_is_source=flags(v is not None and v.source == pair.a
                              for pair, v in zip(pairs, verdicts, strict=True)),
            relation=np.fromiter((RELATIONS.index(v.direction.relation if v else "unknown")
                                  for v in verdicts), dtype=np.int8, count=len(pairs)),
            rule=np.fromiter((RULES.index(v.direction.rule if v else "none")
                              for v in verdicts), dtype=np.int8, count=len(pairs)),
            confidence=floats(v.confidence if v else 0.0 for v in verdicts),
            aligned_share=floats(f.get("aligned_share", 0.0) for f in features),
            source_aligned_share=floats(f.get("source_aligned_share", 0.0) for f in features),
        )

    @classmethod
    def concatenate(cls, parts: Sequence[PairSummary]) -> PairSummary:
        """The pairs of ``parts``, one part after the other."""
        if not parts:
            return cls.of([], [])
        return cls(*(np.concatenate([vars(part)[name] for part in parts])
                     for name in cls.__dataclass_fields__))

    def __len__(self) -> int:
        return int(self.a.size)

    def reused(self) -> int:
        """How many of the pairs are judged derived (an extent other than ``none``)."""
        return int(np.count_nonzero(self.extent != EXTENTS.index("none")))

    def take(self, order: npt.NDArray[np.intp]) -> PairSummary:
        """The pairs at rows ``order``, in that order."""
        return PairSummary(*(vars(self)[name][order] for name in self.__dataclass_fields__))

    def report_order(self) -> npt.NDArray[np.intp]:
        """The order pairs are reported in: more derived first, then the more contained,
        the more alike, and by their articles' positions."""
        order: npt.NDArray[np.intp] = np.lexsort(
            (self.b, self.a, -self.jaccard, -np.maximum(self.a_in_b, self.b_in_a),
             -self.extent.astype(np.int64)))
        return order


#: The relations, and the kinds of evidence of a direction, as :class:`PairSummary` keeps
#: them.
RELATIONS: tuple[Relation, ...] = get_args(Relation)


RULES: tuple[DirectionRule, ...] = get_args(DirectionRule)


def evidenced(verdict: Verdict) -> bool:
    """True when a verdict asserts reuse: it is judged reused only on copy shown outside
    what both merely quote and the furniture they share (see :mod:`discount`)."""
    return verdict.reused

"""A scan's judged pairs, kept on disk (see :mod:`spool`) from the moment they are judged:
each pair pickled whole, with its evidence, and read back when the report, or lineage, asks
for it. In memory, a pair costs its row in a :class:`lineage.PairSummary` (59 bytes) and its
place in the spool and in the report's order (16), where as objects it took about 3.7 KB: a
corpus whose stories each run in dozens of outlets holds many more pairs than articles.
Lineage's derivations read their verdicts back from the pairs too.
"""

from __future__ import annotations

import pickle
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace
from typing import Any, overload

import numpy as np
import numpy.typing as npt

from provenance.model import Derivation, Direction, PairScore, Verdict
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

"""A scan's judged pairs, kept on disk (see :mod:`spool`) from the moment they are judged:
each pair pickled whole, with its evidence, and read back when the report, or lineage, asks
for it. In memory, a pair costs its row in a :class:`lineage.PairSummary` (59 bytes) and its
place in the spool and in the report's order (16), where as objects it took about 3.7 KB: a
corpus whose stories each run in dozens of outlets holds many more pairs than articles.
"""

from __future__ import annotations

import pickle
from collections.abc import Iterator, Sequence
from typing import Any, overload

import numpy as np
import numpy.typing as npt

from .model import PairScore
from .spool import Records


def pickled(pair: PairScore) -> bytes:
    """``pair`` as a record of :class:`SpooledPairs`."""
    return pickle.dumps(pair, protocol=pickle.HIGHEST_PROTOCOL)


class SpooledPairs(Sequence[PairScore]):
    """Judged pairs read back from their records, in the order ``order`` gives (pair ``n``
    is record ``order[n]``). Equal to any sequence of the same pairs, a tuple included."""

    __slots__ = ("_order", "_records")

    def __init__(self, records: Records, order: npt.NDArray[np.intp]) -> None:
        self._records = records
        self._order = order

    def __len__(self) -> int:
        return int(self._order.size)

    @overload
    def __getitem__(self, index: int) -> PairScore: ...

    @overload
    def __getitem__(self, index: slice) -> SpooledPairs: ...

    def __getitem__(self, index: int | slice) -> PairScore | SpooledPairs:
        if isinstance(index, slice):
            return SpooledPairs(self._records, self._order[index])
        pair: PairScore = pickle.loads(self._records[int(self._order[index])])
        return pair

    def __iter__(self) -> Iterator[PairScore]:
        return (pickle.loads(self._records[record]) for record in self._order.tolist())

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
        return SpooledPairs, (self._records, self._order)

from __future__ import annotations

import pickle
import re
from typing import Any

import numpy as np
import pytest

from provenance.errors import ArticleTextError
from provenance.model import AlignedSentence, Article, FeatureValues, PackedRows, Passage


def test_evidence_comes_back_from_a_worker_process_unchanged() -> None:
    # Judged pairs travel between processes pickled, their evidence with them.
    for evidence in (Passage(1, 20, 5, 24, 4), AlignedSentence(0, 30, 10, 44, 0.731245)):
        restored = pickle.loads(pickle.dumps(evidence))
        assert restored == evidence and type(restored) is type(evidence)


PASSAGES = (Passage(1, 20, 5, 24, 4), Passage(30, 90, 40, 100, 11))
SENTENCES = (AlignedSentence(0, 30, 10, 44, 0.731245), AlignedSentence(31, 80, 45, 90, 0.25))


def _packed_passages() -> PackedRows[Passage]:
    return PackedRows(Passage, np.array(PASSAGES, dtype=np.int32))


def _packed_sentences() -> PackedRows[AlignedSentence]:
    return PackedRows(AlignedSentence, np.array([s[:4] for s in SENTENCES], dtype=np.int32),
                      np.array([s.similarity for s in SENTENCES]))


def test_packed_rows_read_back_as_their_named_tuples() -> None:
    for packed, rows in ((_packed_passages(), PASSAGES), (_packed_sentences(), SENTENCES)):
        assert len(packed) == len(rows)
        assert list(packed) == list(rows) and [packed[0], packed[-1]] == [rows[0], rows[-1]]
        assert all(type(row) is type(rows[0]) for row in packed)
        assert all(type(value) is type(expected) for value, expected in zip(packed[1], rows[1],
                                                                              strict=True))
        assert packed == rows and rows == packed and hash(packed) == hash(rows)
        assert packed[1:] == rows[1:] and isinstance(packed[1:], PackedRows)
        assert packed != rows[:1] and repr(packed) == repr(rows)
        restored = pickle.loads(pickle.dumps(packed))
        assert restored == rows and isinstance(restored, PackedRows)
        # A slice, reversed or empty, comes back too (its rows copied out of its view).
        assert pickle.loads(pickle.dumps(packed[::-1])) == rows[::-1]
        assert pickle.loads(pickle.dumps(packed[:0])) == ()


def test_feature_values_are_a_read_only_mapping_equal_to_its_dict() -> None:
    features = {"aligned_share": 0.5, "length_ratio": -0.25, "passage_coverage": 1.0}
    packed = FeatureValues(tuple(features), features.values())
    assert packed == features and features == packed and dict(packed) == features
    assert list(packed.items()) == list(features.items())  # in the names' order
    assert packed["length_ratio"] == -0.25 and packed.get("missing", 2.0) == 2.0
    with pytest.raises(KeyError):
        packed["missing"]
    assert pickle.loads(pickle.dumps(packed)) == features
    assert repr(packed) == repr(features)
    with pytest.raises(ValueError, match="2 values for 3 features"):
        FeatureValues(tuple(features), [0.1, 0.2])


@pytest.mark.parametrize(("fields", "named"), [
    ({"text": "half \ud83d a pair"}, "'text'"),
    ({"id": "a\udce9"}, "'id'"),
    ({"title": "\udc00"}, "'title'"),
    ({"extra": {"source": "x\ud800"}}, "'source'"),
    ({"extra": {"bad\ud800": "x"}}, "a field name"),
])
def test_an_article_holding_a_lone_surrogate_is_refused(fields: dict[str, Any], named: str
                                                        ) -> None:
    # Refused when it is made, by a reader or a library user alike: no report could be
    # written of it (UTF-8 holds no half of a UTF-16 pair).
    with pytest.raises(ArticleTextError, match=f"{re.escape(named)} is not valid Unicode"):
        Article(**{"id": "a", "text": "words", **fields})
    assert Article("a", "smile \U0001f600", extra={"k": "ok"}).text == "smile \U0001f600"

from __future__ import annotations

from pathlib import Path

import pytest

from provenance.errors import InputError
from provenance.evaluate import read_examples, read_pairs
from provenance.scores import reuse_scores, score

from .conftest import DATA


def test_scores_match_a_hand_computed_example() -> None:
    truth = ["none", "none", "partially", "partially", "wholly"]
    predicted = ["none", "partially", "partially", "wholly", "wholly"]
    scores = score(truth, predicted, ("none", "partially", "wholly"))
    none, partially, wholly = scores.per_class
    assert (none.precision, none.recall, none.support) == (1.0, 0.5, 2)
    assert (partially.precision, partially.recall) == (0.5, 0.5)
    assert wholly.f1 == pytest.approx(2 / 3)
    assert scores.confusion == ((1, 1, 0), (0, 1, 1), (0, 0, 1))
    assert scores.macro_f1 == pytest.approx((2 / 3 + 0.5 + 2 / 3) / 3)
    binary = reuse_scores(truth, predicted)
    assert binary.confusion == ((1, 1), (0, 3))


def test_labelled_folder_is_read_and_measured() -> None:
    pairs, examples = read_examples(DATA / "counter-sample")
    assert len(pairs) == len(examples) == 12
    assert {e.axis for e in examples} == {"extent"}
    assert {e.label for e in examples} == {"none", "partially", "wholly"}
    assert all(e.group == f"counter-sample/{p.source}" for p, e in zip(pairs, examples,
                                                                         strict=True))


def test_bad_pair_lines_name_the_line(tmp_path: Path) -> None:
    path = tmp_path / "pairs.jsonl"
    path.write_text('{"source": "a", "derived": "b", "label": "WD"}\n'
                    '{"source": "a", "derived": "c", "label": "XX"}\n')
    with pytest.raises(InputError, match=r"pairs.jsonl:2: unknown label 'XX'"):
        read_pairs(path)


def test_pairs_that_are_not_utf8_are_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "pairs.jsonl"
    path.write_bytes(b'{"source": "a", "derived": "b", "label": "WD"}\n\xff\n')
    with pytest.raises(InputError, match=r"pairs\.jsonl: not UTF-8 text \(bad byte at offset 47\)"):
        read_pairs(path)


def test_pairs_naming_missing_articles_are_an_error(tmp_path: Path) -> None:
    (tmp_path / "articles.jsonl").write_text('{"id": "a", "text": "one two three"}\n')
    (tmp_path / "pairs.jsonl").write_text('{"source": "a", "derived": "zz", "label": "ND"}\n')
    with pytest.raises(InputError, match=r"'zz' is not in articles\.jsonl"):
        read_examples(tmp_path)

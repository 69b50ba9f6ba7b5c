from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from provenance.errors import InputError
from provenance.evaluation import (
    evaluate,
    naive_predictions,
    read_examples,
    read_pairs,
    reliability,
)
from provenance.verdict.accuracy import reuse_scores, score
from provenance.verdict.calibrate import FOLDS, Example, fold_of_groups
from provenance.verdict.features import FEATURES
from provenance.verdict.models import load_calibration

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


def _synthetic(count: int, seed: int) -> list[Example]:
    """Extent-labelled pairs whose class follows word containment, with noise."""
    generator = np.random.default_rng(seed)
    examples = []
    for index in range(count):
        shared = float(generator.uniform())
        label = "none" if shared < 0.3 else "partially" if shared < 0.7 else "wholly"
        noisy = float(np.clip(shared + generator.normal(0, 0.05), 0, 1))
        examples.append(Example("synthetic", f"s{index % 40}", "extent", label,
                                dict.fromkeys(FEATURES, noisy), "", noisy))
    return examples


def test_the_naive_baseline_never_sees_the_labels_of_the_pairs_it_judges() -> None:
    examples = _synthetic(200, 1)
    fold = fold_of_groups([e.group for e in examples], FOLDS, deal=3)
    held = fold == 0
    # Every label of fold 0 turned upside down: its pairs' predictions do not move.
    flipped = [replace(e, label={"none": "wholly", "wholly": "none"}.get(e.label, e.label))
               if h else e for e, h in zip(examples, held.tolist(), strict=True)]
    before, after = naive_predictions(examples, 3), naive_predictions(flipped, 3)
    for k, h in enumerate(held.tolist()):
        if h:
            assert before[0][k] == after[0][k] and before[1][k] == after[1][k]
    truth = [e.label for e in examples]
    assert sum(p == t for p, t in zip(before[0], truth, strict=True)) > 0.8 * len(examples)


def test_deals_put_the_sources_into_different_folds() -> None:
    groups = [f"g{i}" for i in range(60)]
    assert (fold_of_groups(groups, FOLDS, 0) != fold_of_groups(groups, FOLDS, 1)).any()
    assert (fold_of_groups(groups, FOLDS, 1) == fold_of_groups(groups, FOLDS, 1)).all()


def test_evaluation_scores_the_verdicts_of_each_deal_beside_the_baseline() -> None:
    examples = _synthetic(160, 2)
    evaluation = evaluate(examples, load_calibration(), refit=True, deals=3)
    (result,) = evaluation.collections
    assert evaluation.deals == 3 and len(result.model.values) == 3
    assert len(result.baseline.values) == len(result.baseline_reuse.values) == 3
    assert result.model.mean > 0.8 and result.baseline.mean > 0.8
    assert evaluation.fitted is not None
    recorded = evaluation.fitted.provenance["cross_validation"]["synthetic extent"]
    assert recorded["macro_f1"] == round(result.model.mean, 4)
    # Every verdict of every deal lands in one bin of the reliability table.
    assert sum(b.verdicts for b in result.reliability) == 3 * len(examples)
    by_calibration = evaluate(examples, load_calibration(), refit=False, deals=2)
    assert len(by_calibration.collections[0].model.values) == 1
    assert by_calibration.fitted is None


def test_reliability_counts_a_verdict_right_by_what_its_labels_grade() -> None:
    features = dict.fromkeys(FEATURES, 0.5)
    extent = Example("e", "g", "extent", "partially", features)
    form = Example("f", "g", "form", "light", features)
    bins = reliability([extent, form, extent, form],
                       [("wholly", "verbatim", 0.95), ("partially", "heavy", 0.95),
                        ("partially", "light", 0.55), ("none", "none", 0.55)])
    by_edge = {b.low: b for b in bins}
    # Wholly for partially is wrong; heavy for light has reuse right, all form labels say.
    assert (by_edge[0.9].verdicts, by_edge[0.9].right) == (2, 1)
    assert (by_edge[0.5].verdicts, by_edge[0.5].right) == (2, 1)
    assert by_edge[0.9].mean_confidence == 0.95
    assert by_edge[0.9].share_right == 0.5 and by_edge[0.0].share_right == 0.0

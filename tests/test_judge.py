from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from provenance.errors import CalibrationError
from provenance.features import FEATURES
from provenance.judge import decide, decide_all, default_calibration_path, load_calibration

COPY = {name: 1.0 for name in FEATURES} | {"mean_passage_words": 5.0, "length_ratio": 0.0}
UNRELATED = {name: 0.0 for name in FEATURES} | {"word_containment": 0.1,
                                                "gram_containment": 0.1}


def test_the_shipped_calibration_loads_and_judges_the_obvious_cases() -> None:
    calibration = load_calibration()
    assert calibration.provenance["fitted_on"] == ["counter-dev", "clough-stevenson"]
    assert decide(COPY, calibration)[:2] == ("wholly", "verbatim")
    extent, form, confidence = decide(UNRELATED, calibration)
    assert (extent, form) == ("none", "none") and confidence > 0.9


def test_features_beyond_the_fitted_range_are_clipped() -> None:
    model = load_calibration().reuse
    column = model.features.index("length_ratio")
    inside = np.array([[COPY[name] for name in model.features]])
    beyond = inside.copy()
    beyond[0, column] = model.high[column] + 100.0
    at_edge = inside.copy()
    at_edge[0, column] = model.high[column]
    assert np.allclose(model.probabilities(beyond), model.probabilities(at_edge))


_FEATURE_VALUES = st.fixed_dictionaries(
    {name: st.floats(-1.0, 6.0, allow_nan=False) for name in FEATURES})


@settings(max_examples=50, deadline=None)
@given(st.lists(_FEATURE_VALUES, min_size=1, max_size=40))
def test_a_verdict_does_not_depend_on_the_batch_it_is_decided_in(
        features: list[dict[str, float]]) -> None:
    # A scan decides a chunk of pairs at once, `compare` one: both must give the same answer,
    # to the bit, whatever else is in the batch.
    calibration = load_calibration()
    assert decide_all(features, calibration) == [decide(row, calibration) for row in features]
    assert decide_all(features[::-1], calibration) == decide_all(features, calibration)[::-1]


def test_a_calibration_round_trips_through_its_json_file(tmp_path: Path) -> None:
    calibration = load_calibration()
    calibration.save(tmp_path / "c.json")
    again = load_calibration(tmp_path / "c.json")
    row = np.array([[UNRELATED[name] for name in FEATURES]])
    for name in ("reuse", "extent", "form"):
        assert np.allclose(getattr(again, name).probabilities(row),
                           getattr(calibration, name).probabilities(row), atol=1e-5)


@pytest.mark.parametrize(("content", "message"), [
    ("{", "not a JSON calibration file"),
    ('{"format": "something else"}', "not a wire-provenance calibration file"),
    ('{"format": "wire-provenance calibration", "version": 99}', "calibration version 99"),
    ('{"format": "wire-provenance calibration", "version": 1, "models": {}}', "malformed"),
])
def test_bad_calibration_files_fail_with_a_clear_message(tmp_path: Path, content: str,
                                                         message: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(CalibrationError, match=message):
        load_calibration(path)


def test_unknown_features_are_rejected(tmp_path: Path) -> None:
    document = json.loads(default_calibration_path().read_text(encoding="utf-8"))
    document["models"]["form"]["features"]["made_up"] = document["models"]["form"][
        "features"]["length_ratio"]
    path = tmp_path / "c.json"
    path.write_text(json.dumps(document))
    with pytest.raises(CalibrationError, match="unknown features"):
        load_calibration(path)

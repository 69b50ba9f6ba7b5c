from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from provenance.errors import CalibrationError
from provenance.verdict.features import FEATURES
from provenance.verdict.models import (
    Calibration,
    Models,
    decide,
    decide_all,
    default_calibration_path,
    language_code,
    load_calibration,
)

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
    model = load_calibration().models.reuse
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
@given(st.lists(st.tuples(_FEATURE_VALUES, st.sampled_from(["", "en", "ur", "de"])),
                min_size=1, max_size=40))
def test_a_verdict_does_not_depend_on_the_batch_it_is_decided_in(
        pairs: list[tuple[dict[str, float], str]]) -> None:
    # A scan decides a chunk of pairs at once, `compare` one: both must give the same answer,
    # to the bit, whatever else (and whatever language) is in the batch.
    calibration = load_calibration()
    features, languages = [f for f, _ in pairs], [language for _, language in pairs]
    together = decide_all(features, calibration, languages)
    assert together == [decide(f, calibration, language) for f, language in pairs]
    assert decide_all(features[::-1], calibration, languages[::-1]) == together[::-1]


def _never_reused(models: Models) -> Models:
    """``models`` with a reuse model that finds no pair reused."""
    return dataclasses.replace(models, reuse=dataclasses.replace(
        models.reuse, intercepts=(0.0, -100.0)))


def test_a_pair_is_judged_by_the_models_of_its_derived_texts_language() -> None:
    shipped = load_calibration()
    calibration = Calibration(shipped.models, {"xx": _never_reused(shipped.models)})
    # A close rewrite: no passage long enough to make it reuse by definition.
    rewrite = COPY | {"passage_coverage": 0.1, "shingle_containment": 0.1}
    assert decide(rewrite, calibration, "xx")[0] == "none"
    assert decide(rewrite, calibration, " XX_yy ")[0] == "none"  # a tag's primary code
    assert decide(rewrite, calibration, "en")[0] != "none"  # no models of its own
    assert decide(rewrite, calibration)[0] != "none"  # language unknown
    assert language_code("en-GB") == "en"


def test_the_reuse_threshold_is_where_reuse_begins() -> None:
    models = load_calibration().models
    middling = {name: 0.3 for name in FEATURES} | {"length_ratio": 0.0}
    probability = float(models.reuse.probabilities(
        np.array([[middling[name] for name in models.reuse.features]]))[0, 1])
    assert 0.01 < probability < 0.99
    below = Calibration(dataclasses.replace(models, reuse_threshold=probability - 0.005))
    above = Calibration(dataclasses.replace(models, reuse_threshold=probability + 0.005))
    assert decide(middling, below)[0] != "none"
    assert decide(middling, above) == ("none", "none", round(1.0 - probability, 6))


def test_a_calibration_round_trips_through_its_json_file(tmp_path: Path) -> None:
    shipped = load_calibration()
    calibration = Calibration(shipped.models, {
        "xx": dataclasses.replace(_never_reused(shipped.models), reuse_threshold=0.6)})
    calibration.save(tmp_path / "c.json")
    written = json.loads((tmp_path / "c.json").read_text(encoding="utf-8"))
    assert list(written["languages"]["xx"]["models"]) == ["reuse"]  # only what differs
    again = load_calibration(tmp_path / "c.json")
    assert again.languages["xx"].reuse_threshold == 0.6
    assert again.languages["xx"].form == again.models.form
    row = np.array([[UNRELATED[name] for name in FEATURES]])
    for models, read in ((calibration.models, again.models),
                         (calibration.languages["xx"], again.languages["xx"])):
        assert read.reuse_threshold == models.reuse_threshold
        for name in ("reuse", "extent", "form"):
            assert np.allclose(getattr(read, name).probabilities(row),
                               getattr(models, name).probabilities(row), atol=1e-5)


def test_a_version_1_file_still_loads(tmp_path: Path) -> None:
    # Version 1 had one set of models and judged reuse from a probability of 0.5.
    document = load_calibration().to_json()
    document.update(version=1)
    del document["languages"], document["reuse_threshold"]
    path = tmp_path / "old.json"
    path.write_text(json.dumps(document))
    old = load_calibration(path)
    assert old.languages == {} and old.models.reuse_threshold == 0.5


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


@pytest.mark.parametrize(("change", "message"), [
    ({"reuse_threshold": 1.5}, "reuse_threshold 1.5 is not a probability"),
    ({"languages": ["ur"]}, "malformed"),
    ({"languages": {"ur": {"reuse_threshold": 0.6}}}, "malformed"),
])
def test_bad_parts_of_a_calibration_are_named(tmp_path: Path, change: dict[str, object],
                                             message: str) -> None:
    document = load_calibration().to_json() | change
    path = tmp_path / "c.json"
    path.write_text(json.dumps(document))
    with pytest.raises(CalibrationError, match=message):
        load_calibration(path)

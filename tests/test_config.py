from __future__ import annotations

import re
from pathlib import Path

import pytest

from provenance.config import Parameters, corpus_setting, find_settings
from provenance.errors import ParameterError


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"shingle_size": 0}, "shingle_size"),
        ({"bands": 64, "rows": 4}, "exceeds num_perm"),
        ({"min_containment": 1.5}, "between 0 and 1"),
        ({"sample_rate": 0}, "sample_rate"),
        ({"max_gap": -1}, "max_gap"),
    ],
)
def test_invalid_parameters_say_what_is_wrong(changes: dict[str, float], message: str) -> None:
    with pytest.raises(ParameterError, match=message):
        Parameters(**changes)  # type: ignore[arg-type]


def test_defaults_are_valid_and_reported() -> None:
    assert Parameters().as_dict()["shingle_size"] == 5


@pytest.mark.parametrize(("settings", "message"), [
    ('corpos = "articles"\n', "unknown setting(s) corpos (expected agencies, calibration"),
    ("corpus = 5\n", "corpus must be a path, as a string"),
])
def test_settings_files_hold_only_known_settings(tmp_path: Path, settings: str, message: str
                                                 ) -> None:
    # A misspelt key would leave the default in force without a word.
    for name, text in (("provenance.toml", settings),
                       ("pyproject.toml", "[tool.provenance]\n" + settings)):
        folder = tmp_path / name.split(".")[0]
        folder.mkdir()
        (folder / name).write_text(text, encoding="utf-8")
        with pytest.raises(ParameterError, match=re.escape(message)):
            find_settings(folder)
    good = tmp_path / "good"
    good.mkdir()
    (good / "provenance.toml").write_text('corpus = "articles"\n', encoding="utf-8")
    assert corpus_setting(good) == good / "articles"

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from provenance.cli import main
from provenance.config import Parameters, corpus_setting, find_settings
from provenance.errors import ParameterError

from .conftest import prose


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


@pytest.mark.parametrize(("pyproject", "message"), [
    ("tool = 5\n", "`tool` must be a table"),
    ("[tool]\nprovenance = 5\n", "[tool.provenance] must be a table"),
    ("[tool.provenance]\npolicy = 5\n", "policy must be a table"),
    ("[tool.provenance.policy]\nuncredited_share = true\n",
     "uncredited_share must be a number between 0 and 1"),
    ("[tool.provenance.policy]\nduplicate = 5\n", "duplicate must be one of fail, warn"),
    ("[tool.provenance.policy]\nshare = 0.5\n", "unknown policy key(s) share"),
    ("[tool.provenance]\nagencies = 5\n", "`agencies` must be an array of tables"),
    ("[[tool.provenance.agencies]]\nname = 5\n", "every agency needs a `name`"),
    ("[tool.provenance]\ncalibration = [1]\n", "calibration must be a path"),
    ("[tool.provenance\n", "cannot read settings"),
])
@pytest.mark.parametrize("command", [["scan", "corpus"], ["check", "corpus/a.txt"],
                                     ["credits", "corpus"], ["report", "corpus"]])
def test_malformed_settings_are_an_input_error_in_every_command(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pyproject: str, message: str,
        command: list[str]) -> None:
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "a.txt").write_text(prose(1, 80), encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, [*command, "--quiet"] if command[0] != "credits"
                                else command)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("Error: ") and message in result.stderr
    assert "Traceback" not in result.output

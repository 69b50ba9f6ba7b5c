"""The GitHub Action (``action.yml``) and the pre-commit hook (``.pre-commit-hooks.yaml``),
run as GitHub and pre-commit would run them, in a scratch repository whose branch adds a
copy of a corpus article: the Action's shell steps with its inputs and GitHub's context
filled in (steps that use other actions, setup-python and the cache, are GitHub's own), and
the hook's entry on the staged files its pattern selects."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from .conftest import ROOT

SEED = "003_553fd49de71b68a2.txt"
_EXPRESSION = re.compile(r"\$\{\{\s*([^}]+?)\s*\}\}")


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True,
                          text=True).stdout


def _environment(**more: str) -> dict[str, str]:
    # The tool as the Action's install step would leave it: on PATH.
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    return {**os.environ, "PATH": path, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t",
            "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t", **more}


@pytest.fixture
def origin(tmp_path: Path) -> Path:
    """A bare repository whose main branch holds the seed corpus, and whose branch
    ``feature`` adds ``corpus/copy.txt``, an uncredited copy of a seed."""
    work = tmp_path / "work"
    work.mkdir()
    _git(work, "init", "-q", "-b", "main")
    shutil.copytree(ROOT / "corpus", work / "corpus")
    env = _environment()
    subprocess.run(["git", "-C", str(work), "add", "-A"], check=True, env=env)
    subprocess.run(["git", "-C", str(work), "commit", "-qm", "corpus"], check=True, env=env)
    subprocess.run(["git", "-C", str(work), "switch", "-qc", "feature"], check=True, env=env)
    text = (ROOT / "corpus" / SEED).read_text(encoding="utf-8")
    # The copy drops the seed's credit lines: an uncredited duplicate.
    (work / "corpus" / "copy.txt").write_text(re.sub(r"\(ANI\)|ANI", "", text),
                                             encoding="utf-8")
    subprocess.run(["git", "-C", str(work), "add", "-A"], check=True, env=env)
    subprocess.run(["git", "-C", str(work), "commit", "-qm", "a copy"], check=True, env=env)
    bare = tmp_path / "origin.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(work), str(bare)], check=True)
    return bare


def _run_action(checkout: Path, context: dict[str, str], inputs: dict[str, str]
                ) -> subprocess.CompletedProcess[str]:
    """The Action's shell steps, in order, in ``checkout``; the first that fails ends it."""
    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    values = {f"inputs.{name}": str(spec.get("default", ""))
              for name, spec in action["inputs"].items()}
    values.update({f"inputs.{name}": value for name, value in inputs.items()})
    values.update(context)

    def filled(text: str) -> str:
        return _EXPRESSION.sub(lambda found: values[found.group(1)], text)

    result = subprocess.CompletedProcess[str]([], 0, "", "")
    for step in action["runs"]["steps"]:
        if "run" not in step:
            continue  # another action (setup-python, cache): GitHub's, not ours
        env = _environment(**{name: filled(str(value))
                              for name, value in step.get("env", {}).items()})
        result = subprocess.run(["bash", "-e", "-c", filled(step["run"])], cwd=checkout,
                                env=env, capture_output=True, text=True, timeout=300)
        if result.returncode:
            break
    return result


def _context(tmp_path: Path) -> dict[str, str]:
    return {"github.action_path": str(ROOT), "github.base_ref": "main",
            "github.event.before": "", "runner.temp": str(tmp_path / "runner-temp")}


def test_the_action_fails_a_pull_request_adding_a_copy_from_a_shallow_clone(
        origin: Path, tmp_path: Path) -> None:
    checkout = tmp_path / "checkout"
    # As actions/checkout does: one commit of the pull request's branch, nothing else.
    subprocess.run(["git", "clone", "-q", "--depth", "1", "--branch", "feature",
                    f"file://{origin}", str(checkout)], check=True)
    result = _run_action(checkout, _context(tmp_path), {"install": "false"})
    assert result.returncode == 1, result.stderr
    assert result.stdout.startswith("::error file=corpus/copy.txt,line=")
    assert (checkout / ".provenance" / "index.db").is_file()  # what the cache keeps


def test_the_action_passes_a_pull_request_adding_nothing_copied(origin: Path,
                                                                tmp_path: Path) -> None:
    checkout = tmp_path / "checkout"
    subprocess.run(["git", "clone", "-q", f"file://{origin}", str(checkout)], check=True)
    _git(checkout, "switch", "-q", "main")
    env = _environment()
    (checkout / "corpus" / "own.txt").write_text(
        "The city council voted on Tuesday to extend the night bus service to the harbour "
        "district, after residents collected four thousand signatures over the summer.\n",
        encoding="utf-8")
    subprocess.run(["git", "-C", str(checkout), "add", "-A"], check=True, env=env)
    subprocess.run(["git", "-C", str(checkout), "commit", "-qm", "own"], check=True, env=env)
    result = _run_action(checkout, _context(tmp_path), {"install": "false"})
    assert result.returncode == 0, result.stdout + result.stderr


def _hook() -> dict[str, Any]:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    (hook,) = (hook for hook in hooks if hook["id"] == "provenance-check")
    return dict(hook)


def test_the_pre_commit_hook_fails_a_commit_adding_a_copy(origin: Path, tmp_path: Path
                                                          ) -> None:
    checkout = tmp_path / "checkout"
    subprocess.run(["git", "clone", "-q", "--branch", "main", f"file://{origin}",
                    str(checkout)], check=True)
    shutil.copy(ROOT / "corpus" / "000_d7927f73828eb8cf.txt", checkout / "corpus" / "new.txt")
    (checkout / "README.md").write_text("notes\n", encoding="utf-8")
    _git(checkout, "add", "-A")
    staged = _git(checkout, "diff", "--cached", "--name-only").split()
    hook = _hook()
    selected = [name for name in staged if re.search(hook["files"], name)]
    assert selected == ["corpus/new.txt"]  # the README is not an article
    result = subprocess.run([*hook["entry"].split(), *selected], cwd=checkout,
                            env=_environment(), capture_output=True, text=True, timeout=300)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "corpus/new.txt" in result.stdout and "fail" in result.stdout

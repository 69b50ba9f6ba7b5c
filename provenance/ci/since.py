"""What a git ref's diff adds to a corpus folder: the articles `provenance check --since`
checks. Files added, changed or renamed since the work left the ref, committed or not, and
those git does not track yet; of a .jsonl file the ref held, only its lines added or changed.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import xxhash

from provenance.errors import ParameterError
from provenance.model import Article
from provenance.text.corpus import JSONL_SUFFIX, jsonl_articles
from provenance.text.folders import TEXT_SUFFIXES


@dataclass(frozen=True)
class Changes:
    """The article files under a folder added or changed since a git ref; and, of the
    ``.jsonl`` files among them that the ref held, their records as they were there (by
    digest): of such a file, only the lines added or changed since are new articles."""

    files: list[Path]
    earlier: frozenset[bytes]

    def is_new(self, article: Article) -> bool:
        """Was ``article`` added or changed since the ref?"""
        return _record(article) not in self.earlier


def changed_since(ref: str, folder: Path) -> Changes:
    """The :class:`Changes` under ``folder`` since the git ``ref`` (since the work left
    it: see :func:`_fork_point`): files added, changed or renamed, committed or not, and
    those not yet tracked."""
    top = Path(_git(folder, "rev-parse", "--show-toplevel").strip())
    inside = folder.resolve().relative_to(top.resolve()).as_posix() or "."
    base = _fork_point(top, _commit(top, ref))
    changed = _changed_names(top, base, inside)
    for name in _git(top, "ls-files", "-z", "--others", "--exclude-standard", "--",
                     inside).split("\0"):
        if name:
            changed.setdefault(name, None)
    kept = sorted(name for name in changed
                  if Path(name).suffix.lower() in {*TEXT_SUFFIXES, JSONL_SUFFIX}
                  and (top / name).is_file())
    earlier = frozenset(record for name in kept
                        if name.lower().endswith(JSONL_SUFFIX) and changed[name] is not None
                        for record in _jsonl_records_at(top, base, str(changed[name])))
    return Changes([_as_typed(top / name) for name in kept], earlier)


def _changed_names(top: Path, base: str, inside: str) -> dict[str, str | None]:
    """The files under ``inside`` added, changed or renamed since the commit ``base``, each
    with its name there (None for a file added)."""
    # -z: names as they are, where git would quote a name outside ASCII (an Urdu one).
    fields = _git(top, "diff", "--name-status", "-z", "--diff-filter=AMR", "--end-of-options",
                  base, "--", inside).split("\0")
    changed: dict[str, str | None] = {}
    at = 0
    while at + 1 < len(fields):
        kind, name = fields[at], fields[at + 1]
        if kind.startswith("R"):  # R<similarity>, then the old name and the new one
            changed[fields[at + 2]] = name
            at += 3
        else:
            changed[name] = name if kind == "M" else None
            at += 2
    return changed


def _commit(top: Path, ref: str) -> str:
    """The commit ``ref`` names in the repository at ``top``, as its full hash, which alone
    goes on to git: ``ref`` is taken as a revision, never as an option (``--output=FILE``
    would have git write FILE), and anything else (a tree, a file, a name git does not
    know) is an error that says so."""
    found = _run(top, "rev-parse", "--verify", "--quiet", "--end-of-options",
                 f"{ref}^{{commit}}")
    if found.returncode == 0:
        return found.stdout.strip()
    if _git(top, "rev-parse", "--is-shallow-repository").strip() == "true":
        # A CI checkout is shallow by default: HEAD^ and the base branch are not fetched.
        raise ParameterError(
            f"--since {ref}: no such commit in this shallow clone of {top}, which holds only "
            "the latest history; fetch the rest (`fetch-depth: 0` for actions/checkout, or "
            "`git fetch --unshallow`)")
    raise ParameterError(f"--since {ref}: no such commit in {top} (name a branch, a tag or "
                         "a commit, as origin/main or HEAD^)")


def _fork_point(top: Path, commit: str) -> str:
    """Where the work on ``HEAD`` left ``commit``: their last common commit (``commit``
    itself when ``HEAD`` descends from it, as from ``HEAD^``), so that what ``commit``'s
    branch gained since is not taken for this work's, as a pull request's files are
    counted. ``commit`` where git finds none (a shallow clone's history may not reach it)."""
    found = _run(top, "merge-base", "--end-of-options", commit, "HEAD")
    return found.stdout.strip() if found.returncode == 0 and found.stdout.strip() else commit


def _as_typed(path: Path) -> Path:
    """``path`` (absolute) as a user would name it: from the working directory, when it is
    below it, as reports then show it (``corpus/new.txt``, not ``/home/.../corpus/new.txt``)."""
    here = Path.cwd().resolve()
    return path.relative_to(here) if path.is_relative_to(here) else path


def _jsonl_records_at(top: Path, ref: str, name: str) -> Iterator[bytes]:
    """The :func:`_record` of each article of the ``.jsonl`` file ``name`` as the git ``ref``
    holds it (none where git cannot show it), read a line at a time."""
    with subprocess.Popen(["git", "-C", str(top), "show", "--end-of-options", f"{ref}:{name}"],
                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL) as shown:
        assert shown.stdout is not None
        yield from map(_record, jsonl_articles(shown.stdout, name))


def _record(article: Article) -> bytes:
    """What an article is, wherever it was read from (its origin and line left out), as a
    digest: a feed's every line is held at once, and its texts could run to gigabytes."""
    fields = [article.id, article.text, article.title, article.outlet, article.url,
              article.published, article.language, sorted(article.extra.items())]
    return xxhash.xxh3_128_digest(json.dumps(fields, ensure_ascii=False).encode(
        "utf-8", "surrogatepass"))


def _git(where: Path, *args: str) -> str:
    """What git prints given ``args`` in ``where``; an error with git's message if it fails."""
    done = _run(where, *args)
    if done.returncode != 0:
        raise ParameterError(f"git {' '.join(args[:2])} failed in {where}: "
                             + (done.stderr.strip().splitlines() or ["no message"])[-1])
    return done.stdout


def _run(where: Path, *args: str) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(["git", "-C", str(where), *args], capture_output=True,
                              encoding="utf-8", errors="surrogateescape", check=False)
    except FileNotFoundError as err:
        raise ParameterError("--since needs git, which is not installed") from err

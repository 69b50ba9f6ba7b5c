from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from xml.etree import ElementTree

import pytest
from click.testing import CliRunner

from provenance.candidates.minhash import Permutations
from provenance.ci.workflow import _shares_enough_words, indexed_candidates
from provenance.cli import main
from provenance.config import Parameters, Policy, policy_setting
from provenance.errors import ParameterError
from provenance.store.index import Index
from provenance.text.bodies import article_bodies
from provenance.text.corpus import load_corpus
from provenance.text.document import read_document
from provenance.text.terms import CorpusWeights
from provenance.verdict.features import weigh

from .conftest import ROOT, another_programs_database, cramped, damage, prose, unlistable

#: A seed that credits nothing: a copy of it is an uncredited duplicate.
SEED = "000_d7927f73828eb8cf.txt"
#: The seed that credits ANI: a copy of it is a credited wire reprint.
CREDITED_SEED = "003_553fd49de71b68a2.txt"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the sample corpus in a folder of its own, the working directory (so that
    no settings of this repository apply)."""
    shutil.copytree(ROOT / "corpus", tmp_path / "corpus")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def check(repo: Path, *args: str) -> tuple[int, str, str]:
    return run("check", "--corpus", str(repo / "corpus"), "--index",
               str(repo / "index.db"), *args)


def test_a_copy_of_a_seed_under_a_new_name_fails_and_names_the_original(repo: Path) -> None:
    copy = repo / "corpus" / "copy-of-seed.txt"
    shutil.copy(repo / "corpus" / SEED, copy)
    code, out, err = check(repo, str(copy))
    assert code == 1
    assert f"copy-of-seed.txt:5: fail: duplicate: duplicates {SEED}" in out
    assert "No index" in err  # built on first use, from the corpus
    with Index.open(repo / "index.db", Parameters()) as index:
        assert index.count() == 6  # the copy too: an article is never its own candidate


def test_a_credited_wire_reprint_warns_by_default_and_fails_where_the_policy_says(
        repo: Path) -> None:
    copy = repo / "corpus" / "reprint.txt"
    shutil.copy(repo / "corpus" / CREDITED_SEED, copy)
    code, out, _ = check(repo, str(copy))
    assert code == 0
    # Both credit ANI: the finding names ANI's copy, which both carry.
    assert ("/reprint.txt:5: warn: credited-duplicate: duplicates Asian News International "
            f"copy, as {CREDITED_SEED} carries it" in out
            and out.splitlines()[0].endswith("; credits Asian News International"))
    (repo / "provenance.toml").write_text('[policy]\ncredited_duplicate = "fail"\n',
                                          encoding="utf-8")
    assert check(repo, str(copy))[0] == 1


def _after_each_letter(mark: str) -> Callable[[str], str]:
    return lambda text: "".join(char + mark if char.isalpha() else char for char in text)


@pytest.mark.parametrize("disguise", [
    _after_each_letter("\u200b"),  # a zero-width space
    _after_each_letter("\u00ad"),  # a soft hyphen
    lambda text: text.translate(str.maketrans("aeopcxyMHT", "аеорсхуМНТ")),  # Cyrillic
    lambda text: "".join(chr(ord(c) + 0xFEE0) if c.isascii() and c.isalpha() else c
                         for c in text),  # full-width letters
])
def test_a_copy_disguised_in_characters_that_look_alike_fails(
        repo: Path, disguise: Callable[[str], str]) -> None:
    text = (repo / "corpus" / SEED).read_text(encoding="utf-8")
    _, header, body = text.split("---\n", 2)  # the front matter kept as it is
    copy = repo / "corpus" / "copy.txt"
    copy.write_text(f"---\n{header}---\n{disguise(body)}", encoding="utf-8")
    code, out, _ = check(repo, "corpus/copy.txt")
    assert code == 1 and f"fail: duplicate: duplicates {SEED}" in out


@pytest.mark.parametrize("encoded", [
    lambda text: text.replace("\n", "\r\n").encode("utf-8"),  # Windows line ends
    lambda text: b"\xef\xbb\xbf" + text.encode("utf-8"),  # a byte-order mark
])
def test_findings_name_the_line_in_files_saved_otherwise(
        repo: Path, encoded: Callable[[str], bytes]) -> None:
    copy = repo / "corpus" / "copy.txt"
    copy.write_bytes(encoded((repo / "corpus" / SEED).read_text(encoding="utf-8")))
    code, out, _ = check(repo, "corpus/copy.txt")
    # Line 5: the article starts after its front matter, on the same line either way.
    assert code == 1 and out.startswith("corpus/copy.txt:5: fail: duplicate")


def test_an_unrelated_article_passes(repo: Path, tmp_path: Path) -> None:
    other = tmp_path / "weather.txt"
    other.write_text("Rain is expected across the northern plains on Sunday, forecasters "
                     "said, with heavy snow in the mountains above two thousand metres.\n",
                     encoding="utf-8")
    code, out, _ = check(repo, str(other))
    assert code == 0 and out.strip() == ("Checked 1 article against 5 indexed: 0 failures, "
                                         "0 warnings.")


def test_every_output_format(repo: Path) -> None:
    copy = repo / "corpus" / "copy.txt"
    shutil.copy(repo / "corpus" / SEED, copy)
    code, out, _ = check(repo, str(copy), "--format", "json")
    document = json.loads(out)
    assert code == 1 and document["failed"] is True
    duplicate = document["findings"][0]
    assert (duplicate["rule"], duplicate["other"], duplicate["line"]) == ("duplicate", SEED, 5)
    code, out, _ = check(repo, str(copy), "--format", "github")
    first = out.splitlines()[0]
    assert first.startswith(f"::error file={copy},line=5,title=provenance duplicate::")
    code, out, _ = check(repo, str(copy), "--format", "junit")
    suite = ElementTree.fromstring(out.split("\n", 1)[1])
    assert (suite.tag, suite.get("tests"), suite.get("failures")) == ("testsuite", "1", "1")
    failure = suite.find("testcase/failure")
    assert failure is not None and failure.get("type") == "duplicate"


def test_the_policy_decides_what_fails(repo: Path) -> None:
    (repo / "provenance.toml").write_text('[policy]\nduplicate = "warn"\n', encoding="utf-8")
    copy = repo / "corpus" / "copy.txt"
    shutil.copy(repo / "corpus" / SEED, copy)
    code, out, _ = check(repo, str(copy))
    assert code == 0 and "warn: duplicate" in out
    (repo / "provenance.toml").write_text('[policy]\nduplicate = "ignore"\n', encoding="utf-8")
    assert "duplicate" not in check(repo, str(copy))[1]


def dated(repo: Path, seed: str, published: str) -> None:
    """Give a seed of ``repo``'s corpus a publication date in its front matter."""
    path = repo / "corpus" / seed
    path.write_text(path.read_text(encoding="utf-8").replace(
        "---\n", f"---\npublished: {published}\n", 1), encoding="utf-8")


def test_uncredited_reuse_fails_above_the_share(repo: Path) -> None:
    # 000 and 004 retell one copy; 004 came out first.
    dated(repo, "004_cdba2c8ed4ad3861.txt", "2026-01-05")
    dated(repo, "000_d7927f73828eb8cf.txt", "2026-01-07")
    code, out, _ = check(repo, str(repo / "corpus" / "000_d7927f73828eb8cf.txt"))
    assert code == 1
    assert ("fail: uncredited-reuse: partially derived from 004_cdba2c8ed4ad3861.txt" in out
            and "does not credit its text" in out)


def test_a_later_article_copying_an_earlier_one_never_fails_the_earlier(repo: Path) -> None:
    dated(repo, "004_cdba2c8ed4ad3861.txt", "2026-01-05")
    dated(repo, "000_d7927f73828eb8cf.txt", "2026-01-07")
    code, out, _ = check(repo, str(repo / "corpus" / "004_cdba2c8ed4ad3861.txt"))
    assert code == 0 and "000_d7927f73828eb8cf.txt" not in out


def test_two_rewrites_of_one_copy_in_no_known_order_warn(repo: Path) -> None:
    # Nothing says which of 000 and 004 came first: neither is said to copy the other.
    code, out, _ = check(repo, str(repo / "corpus" / "004_cdba2c8ed4ad3861.txt"))
    assert code == 0
    assert ("warn: reuse: shares text with 000_d7927f73828eb8cf.txt, which came first "
            "unknown" in out and "(nothing settles which came first)" in out)


def test_a_rewrite_sharing_no_copy_key_is_found_by_its_rarer_words(repo: Path) -> None:
    # 000 retells part of 001 in its own words: they share no LSH band and too few
    # containment samples, so only the lookup of 000's words proposes 001; judged, 000 is
    # a heavy rewrite of it.
    new, rewritten = "000_d7927f73828eb8cf.txt", "001_82730ee1a3a636eb.txt"
    article = load_corpus([repo / "corpus" / new]).articles[0]
    params = Parameters()
    check(repo, str(repo / "corpus" / new))  # builds the index
    with Index.open(repo / "index.db", params) as index:
        document = read_document(article.text, article_bodies([article])[0], params)
        copies, rewrites = indexed_candidates(
            new, document, index, params, Permutations.create(params.num_perm, params.seed))
    assert rewritten not in {s.article.id for s in copies}
    assert rewritten in {s.article.id for s in rewrites}
    # Judged, 000 shares text with 001; it is reported against the copy it shares most
    # with, the other rewrite of its copy.
    _, out, _ = check(repo, str(repo / "corpus" / new))
    assert ("warn: reuse: shares text with 004_cdba2c8ed4ad3861.txt, which came first "
            "unknown (heavy") in out


def test_a_rewrite_candidate_is_judged_only_if_enough_words_are_shared() -> None:
    params = Parameters(rewrite_min_containment=0.15)
    story = "Floods in Sindh displaced thousands of families near Hyderabad on Monday. " * 3
    other = " ".join(f"unrelated{n} words{n} about{n} markets{n}." for n in range(60))
    documents = [read_document(text, text, params)
                 for text in (story, story + other, other + " Sindh.")]
    weights = CorpusWeights.fit([d.distinct for d in documents])
    base, grown, unlike = (weigh(d, weights) for d in documents)
    assert _shares_enough_words(base, grown, params)  # all of the story's words, one way
    assert not _shares_enough_words(base, unlike, params)


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@t",
                    *args], check=True, capture_output=True)


def committed(repo: Path) -> None:
    """Make ``repo`` a git repository holding what it holds, committed."""
    for args in (["init", "-q"], ["add", "."], ["commit", "-q", "-m", "corpus"]):
        git(repo, *args)


def test_since_a_git_ref_checks_the_files_added_since(repo: Path) -> None:
    committed(repo)
    code, _, err = check(repo, "--since", "HEAD")
    assert code == 0 and "No articles added or changed" in err
    shutil.copy(repo / "corpus" / SEED, repo / "corpus" / "added.txt")
    code, out, _ = check(repo, "--since", "HEAD")
    # Named as from the working directory (the repository's root here), not absolute.
    assert code == 1 and out.startswith("corpus/added.txt:5: fail: duplicate")
    code, _, err = check(repo, "--since", "no-such-ref")
    assert code == 2 and "Error: --since no-such-ref: no such commit in " in err


@pytest.mark.parametrize("ref", ["--output=victim.txt", "-p", "--quiet", "--relative=x",
                                 "HEAD:corpus", "HEAD^{tree}", ""])
def test_since_takes_a_commit_never_an_option(repo: Path, ref: str) -> None:
    # Given to git as it was, "--output=FILE" emptied FILE and the others hid what the
    # work added: each passed, a verbatim duplicate committed.
    committed(repo)
    shutil.copy(repo / "corpus" / SEED, repo / "corpus" / "added.txt")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "a duplicate")
    (repo / "victim.txt").write_text("kept\n", encoding="utf-8")
    code, out, err = check(repo, "--since", ref)
    assert code == 2 and out == ""
    assert f"Error: --since {ref}: no such commit in " in err and "Traceback" not in err
    assert (repo / "victim.txt").read_text(encoding="utf-8") == "kept\n"
    code, out, _ = check(repo, "--since", "HEAD^")  # a commit, of any spelling, is taken
    assert code == 1 and out.startswith("corpus/added.txt:5: fail: duplicate")


def test_since_in_a_shallow_clone_says_to_fetch_the_history(repo: Path,
                                                             tmp_path: Path) -> None:
    committed(repo)
    shutil.copy(repo / "corpus" / SEED, repo / "corpus" / "added.txt")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "a duplicate")
    clone = tmp_path / "clone"
    git(repo, "clone", "-q", "--depth", "1", (repo / ".git").as_uri(), str(clone))
    code, _, err = run("check", "--corpus", str(clone / "corpus"), "--index",
                       str(tmp_path / "clone.db"), "--since", "HEAD^")
    assert code == 2 and "Error: --since HEAD^: no such commit in this shallow clone" in err
    assert "fetch-depth: 0" in err and "git fetch --unshallow" in err
    git(clone, "fetch", "-q", "--unshallow")
    code, out, _ = run("check", "--corpus", str(clone / "corpus"), "--index",
                       str(tmp_path / "clone.db"), "--since", "HEAD^")
    assert code == 1 and "added.txt:5: fail: duplicate" in out


def test_since_counts_the_work_of_the_branch_not_what_its_base_gained(repo: Path) -> None:
    committed(repo)
    git(repo, "branch", "-M", "main")
    git(repo, "checkout", "-q", "-b", "work")
    shutil.copy(repo / "corpus" / SEED, repo / "corpus" / "added.txt")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "work")
    git(repo, "checkout", "-q", "main")  # meanwhile, an article is edited on main
    edited = repo / "corpus" / "000_d7927f73828eb8cf.txt"
    edited.write_text(edited.read_text() + "\nThis story has been corrected.\n")
    git(repo, "commit", "-q", "-a", "-m", "main")
    git(repo, "checkout", "-q", "work")
    code, out, _ = check(repo, "--since", "main", "--format", "json")
    assert code == 1 and json.loads(out)["checked"] == ["added.txt"]


def test_since_finds_files_named_outside_ascii_once(repo: Path) -> None:
    committed(repo)
    added = repo / "corpus" / "خبر.txt"  # git quotes such a name unless asked not to
    shutil.copy(repo / "corpus" / SEED, added)
    code, out, _ = check(repo, "--since", "HEAD")
    assert code == 1 and out.startswith("corpus/خبر.txt:5: fail: duplicate")
    code, out, _ = check(repo, "--since", "HEAD", "corpus/خبر.txt")  # named and found: once
    assert code == 1 and "Checked 1 article against" in out


def test_since_checks_only_the_lines_a_jsonl_file_gained_or_changed(repo: Path) -> None:
    lines = [json.dumps({"id": f"story-{n}", "text": (repo / "corpus" / name).read_text()})
             for n, name in enumerate(sorted(p.name for p in (repo / "corpus").iterdir()))]
    feed = repo / "corpus" / "feed.jsonl"
    feed.write_text("\n".join(lines[:3]) + "\n", encoding="utf-8")
    committed(repo)
    # A line changed (the same id, other text) and one added; the others are as they were.
    changed = json.dumps({"id": "story-1", "text": json.loads(lines[4])["text"]})
    feed.write_text("\n".join([lines[0], changed, lines[2], lines[3]]) + "\n",
                    encoding="utf-8")
    code, out, _ = check(repo, "--since", "HEAD", "--format", "json")
    assert code in (0, 1)
    assert json.loads(out)["checked"] == ["story-1", "story-3"]
    # Renamed, and a line added: the renamed file's old lines are as they were.
    git(repo, "commit", "-q", "-a", "-m", "feed")
    git(repo, "mv", "corpus/feed.jsonl", "corpus/wire.jsonl")
    with (repo / "corpus" / "wire.jsonl").open("a", encoding="utf-8") as wire:
        wire.write(json.dumps({"id": "story-9", "text": "A new line of the feed."}) + "\n")
    git(repo, "commit", "-q", "-a", "-m", "renamed")
    code, out, _ = check(repo, "--since", "HEAD^", "--format", "json")
    assert code in (0, 1) and json.loads(out)["checked"] == ["story-9"]


def test_a_corpus_without_article_files_is_said_to_give_nothing_to_check_against(
        repo: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty-corpus"
    empty.mkdir()
    code, out, err = run("check", "--corpus", str(empty), str(repo / "corpus" / SEED))
    assert code == 0 and "Checked 1 article against 0 indexed" in out
    assert "holds no articles" in err and "nothing to check against" in err


def test_under_github_actions_every_finding_goes_to_the_job_summary(
        repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # GitHub shows ten error annotations a step: twelve duplicates would leave two unseen.
    for n in range(12):
        shutil.copy(repo / "corpus" / SEED, repo / "corpus" / f"copy|{n:02d}.txt")
    summary = repo / "summary.md"
    summary.write_text("earlier steps' summary\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    copies = [f"corpus/copy|{n:02d}.txt" for n in range(12)]
    code, out, _ = check(repo, *copies, "--format", "text")
    assert code == 1 and summary.read_text(encoding="utf-8") == "earlier steps' summary\n"
    code, out, _ = check(repo, *copies, "--format", "github")
    lines = summary.read_text(encoding="utf-8").splitlines()
    assert code == 1 and lines[:3] == ["earlier steps' summary", "## provenance check", ""]
    assert lines[3].startswith("Checked 12 articles against 17 indexed: ")
    rows = [line for line in lines if line.startswith("| corpus/copy")]
    # A row for each finding the annotations give, its pipe escaped.
    assert len(rows) == out.count("\n::") + 1 >= 12
    assert rows[0].startswith("| corpus/copy\\|00.txt | 5 | fail | duplicate | duplicates ")


def test_annotations_name_files_from_the_repository_root(
        repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # GitHub places an annotation on a file of the pull request only by its path from the
    # repository's root: an absolute path or a ./ prefix shows in the log, on no file.
    committed(repo)
    added = repo / "corpus" / "added.txt"
    shutil.copy(repo / "corpus" / SEED, added)
    monkeypatch.chdir(repo / "corpus")
    for named in (str(added), "./added.txt", "../corpus/added.txt"):
        code, out, _ = check(repo, named, "--format", "github")
        assert code == 1
        assert out.startswith("::error file=corpus/added.txt,line=5,title=provenance duplicate")


#: File names made to forge a workflow command, and to hold every control character a file
#: name can (all of C0 but NUL, and DEL).
FORGING = "evil\n::error file=README.md,line=1::INJECTED.txt"
CONTROLS = "c" + "".join(map(chr, [*range(1, 32), 127])) + ".txt"
#: How the outputs show them: each control character as the escape Python writes.
SHOWN = {FORGING: "evil\\n::error file=README.md,line=1::INJECTED.txt",
         CONTROLS: "c" + "".join({9: "\\t", 10: "\\n", 13: "\\r"}.get(code, f"\\x{code:02x}")
                                 for code in [*range(1, 32), 127]) + ".txt"}
RAW_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f]")  # any but the line ends


@pytest.fixture
def odd_names(repo: Path) -> list[str]:
    """The files named so, each a copy of the seed: each is named as the file of its
    finding, a duplicate of the seed."""
    for name in SHOWN:
        shutil.copy(repo / "corpus" / SEED, repo / "corpus" / name)
    return [f"corpus/{name}" for name in SHOWN]


def test_file_names_never_forge_a_line_of_text_output(repo: Path, odd_names: list[str]
                                                      ) -> None:
    forged, controls = SHOWN[FORGING], SHOWN[CONTROLS]
    code, out, _ = check(repo, *odd_names, "--format", "text")
    lines = out.splitlines()
    # One finding each, naming the copy it repeats (the seed, highest up of the equals).
    assert code == 1 and RAW_CONTROL.search(out) is None and len(lines) == 3
    assert all(line.startswith((f"corpus/{forged}:", f"corpus/{controls}:"))
               for line in lines[:-1]) and lines[-1].startswith("Checked 2 articles")
    assert f"corpus/{forged}:5: fail: duplicate: duplicates {SEED}: " in out


def test_file_names_never_forge_a_workflow_command_or_a_summary_row(
        repo: Path, odd_names: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    summary = repo / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    code, out, _ = check(repo, *odd_names, "--format", "github")
    commands = out.splitlines()
    assert code == 1 and RAW_CONTROL.search(out) is None and len(commands) == 2
    assert all(line.startswith(("::error file=corpus/", "::warning file=corpus/"))
               for line in commands)
    # The runner decodes %0A back to a line break in the annotation: shown escaped instead.
    assert ("::error file=corpus/evil\\n%3A%3Aerror file=README.md%2Cline=1%3A%3AINJECTED.txt,"
            f"line=5,title=provenance duplicate::duplicates {SEED}: ") in out
    rows = summary.read_text(encoding="utf-8").splitlines()[6:]  # after the table's head
    assert RAW_CONTROL.search("".join(rows)) is None and len(rows) == 2
    # Shown as the annotations show them, their backslashes escaped for Markdown.
    assert all(row.startswith(("| corpus/c\\\\x01\\\\x02", "| corpus/evil\\\\n::error"))
               and row.count(" | ") == 4 for row in rows)


def test_junit_output_parses_whatever_the_file_names(repo: Path, odd_names: list[str]
                                                     ) -> None:
    forged, controls = SHOWN[FORGING], SHOWN[CONTROLS]
    code, out, _ = check(repo, *odd_names, "--format", "junit")
    suite = ElementTree.fromstring(out)
    assert code == 1 and RAW_CONTROL.search(out) is None
    assert {case.get("name") for case in suite} == {forged, controls}
    assert {case.get("file") for case in suite} == {f"corpus/{forged}", f"corpus/{controls}"}
    assert all(failure.get("message", "").startswith("duplicates ")
               for failure in suite.iter("failure"))


@pytest.mark.parametrize("how", ["cut short", "overwritten"])
def test_a_damaged_index_is_moved_aside_and_built_afresh(repo: Path, how: str) -> None:
    # A CI cache may restore a broken copy; the index is derived data, so a check rebuilds
    # it rather than failing every pull request until someone clears the cache.
    copy = repo / "corpus" / "copy.txt"
    shutil.copy(repo / "corpus" / SEED, copy)
    first = check(repo, str(copy))
    damage(repo / "index.db", how)
    damaged = (repo / "index.db").read_bytes()
    code, out, err = check(repo, str(copy))
    assert (code, out) == first[:2] and code == 1
    assert "the index is damaged" in err and "building it afresh" in err
    assert (repo / "index.db.damaged").read_bytes() == damaged  # kept to look at
    damage(repo / "index.db", how)  # and so does a scan, which keeps the index too
    code, _, err = run("scan", str(repo / "corpus"), "--index", str(repo / "index.db"))
    assert code == 0 and "building it afresh" in err
    with Index.open(repo / "index.db", Parameters(), on_mismatch="fail") as index:
        assert index.count() == 6


def test_on_a_full_disk_a_check_reads_the_index_as_it_is(
        repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    copy = repo / "corpus" / "copy.txt"
    shutil.copy(repo / "corpus" / SEED, copy)
    cramped(monkeypatch)
    code, _, err = check(repo, str(copy))  # no index yet, and no room to write one
    assert code == 2 and "cannot write the index (database or disk is full)" in err
    monkeypatch.undo()
    copy.unlink()
    assert check(repo, str(repo / "corpus" / SEED))[0] == 0  # indexes the 5 seeds
    shutil.copy(repo / "corpus" / SEED, copy)
    (repo / "corpus" / "long.txt").write_text(prose(1, 30_000), encoding="utf-8")  # pages more
    cramped(monkeypatch)
    code, out, err = check(repo, str(copy))
    assert "cannot write the index" in err and "checking against it as it is" in err
    assert code == 1 and f"duplicates {SEED}" in out and "against 5 indexed" in out


def test_a_file_that_is_not_a_database_is_never_moved(repo: Path) -> None:
    notes = repo / "index.db"
    notes.write_text("my notes, not a database\n" * 50, encoding="utf-8")
    code, _, err = check(repo, str(repo / "corpus" / SEED))
    assert code == 2 and "cannot open the index" in err
    assert notes.read_text(encoding="utf-8").startswith("my notes")
    assert not (repo / "index.db.damaged").exists()


def test_another_programs_database_named_as_the_index_is_refused_untouched(repo: Path
                                                                         ) -> None:
    original = another_programs_database(repo / "index.db")
    code, out, err = check(repo, str(repo / "corpus" / SEED))
    assert (code, out) == (2, "")
    assert f"Error: {repo / 'index.db'}: not a provenance index" in err
    assert (repo / "index.db").read_bytes() == original


def test_usage_and_index_errors_exit_2(repo: Path) -> None:
    code, _, err = check(repo)
    assert code == 2 and "name the articles to check" in err
    code, _, err = run("check", "x.txt", "--corpus", str(repo / "nowhere"))
    assert code == 2 and f"--corpus {repo / 'nowhere'}: no such folder" in err
    (repo / "index.db").write_text("not an index", encoding="utf-8")
    code, _, err = check(repo, str(repo / "corpus" / SEED))
    assert code == 2 and "cannot open the index" in err


def test_an_index_of_another_version_or_other_parameters_is_rebuilt(repo: Path) -> None:
    # A CI cache restores the index an older version made: it is derived data.
    Index.open(repo / "index.db", Parameters(shingle_size=4)).close()
    copy = repo / "corpus" / "copy.txt"
    shutil.copy(repo / "corpus" / SEED, copy)
    code, out, err = check(repo, str(copy))
    assert "was made with other parameters (shingle_size 4 here, 5 asked): indexing" in err
    assert code == 1 and f"fail: duplicate: duplicates {SEED}" in out
    assert "indexing" not in check(repo, str(copy))[2]  # rebuilt once


def test_a_restored_older_index_is_brought_up_to_date_with_the_corpus(repo: Path,
                                                                     tmp_path: Path) -> None:
    # A CI cache restores the index saved before the latest merges: one article has since
    # been added to the corpus, and another removed.
    check(repo, str(repo / "corpus" / SEED))
    merged = repo / "corpus" / "merged.txt"
    shutil.copy(repo / "corpus" / SEED, merged)
    shutil.move(repo / "corpus" / SEED, tmp_path / "removed.txt")
    new = tmp_path / "new.txt"
    shutil.copy(merged, new)
    code, out, err = check(repo, str(new))
    assert "Index brought up to date with" in err and "1 added, 0 changed, 1 removed" in err
    assert code == 1 and "duplicates merged.txt" in out and SEED not in out
    code, _, err = check(repo, str(new))
    assert code == 1 and "brought up to date" not in err  # nothing changed since


def test_articles_indexed_from_jsonl_stay_whatever_their_ids_end_in(repo: Path,
                                                                      tmp_path: Path) -> None:
    # Articles of .jsonl files are no folder's: named like text files, they stay indexed.
    story = prose(7, 300)
    lines = tmp_path / "wire.jsonl"
    lines.write_text(json.dumps({"id": "wire/story.txt", "text": story}) + "\n",
                     encoding="utf-8")
    assert run("scan", str(repo / "corpus"), str(lines), "--index", str(repo / "index.db"),
               "--format", "json")[0] == 0
    copy = tmp_path / "copy.txt"
    copy.write_text(story, encoding="utf-8")
    code, out, err = check(repo, str(copy))
    assert code == 1 and "duplicates wire/story.txt" in out
    assert "removed" not in err
    with Index.open(repo / "index.db", Parameters(), on_mismatch="fail") as index:
        assert "wire/story.txt" in index.content_hashes() and index.count() == 6


def test_an_index_that_may_not_be_written_is_used_as_it_is(repo: Path, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    check(repo, str(repo / "corpus" / SEED))
    shutil.copy(repo / "corpus" / SEED, repo / "corpus" / "merged.txt")
    # As for an index file on a read-only disk (the tests run as root, whom no file mode
    # stops): it may not be written.
    may_write = os.access
    monkeypatch.setattr("os.access", lambda path, mode: may_write(path, mode) and not (
        mode == os.W_OK and Path(path) == repo / "index.db"))
    code, out, err = check(repo, str(repo / "corpus" / "merged.txt"))
    assert "the index is read-only; checking against it as it is" in err
    assert code == 1 and f"duplicates {SEED}" in out


def test_an_index_on_a_read_only_disk_is_read(repo: Path, tmp_path: Path) -> None:
    check(repo, str(repo / "corpus" / SEED))
    disk, mounted_at = tmp_path / "disk", tmp_path / "read-only"
    disk.mkdir()
    mounted_at.mkdir()
    shutil.copytree(repo / "corpus", disk / "corpus")
    shutil.copy(repo / "index.db", disk / "index.db")
    mounted = subprocess.run(["mount", "--bind", str(disk), str(mounted_at)],
                             capture_output=True)
    if mounted.returncode != 0:
        pytest.skip("a read-only disk needs a bind mount, which needs root")
    try:
        subprocess.run(["mount", "-o", "remount,bind,ro", str(mounted_at)], check=True)
        new = tmp_path / "new.txt"
        shutil.copy(repo / "corpus" / SEED, new)
        code, out, err = run("check", str(new), "--corpus", str(mounted_at / "corpus"),
                             "--index", str(mounted_at / "index.db"))
        assert "the index is read-only; checking against it as it is" in err
        assert code == 1 and f"duplicates {SEED}" in out
    finally:
        subprocess.run(["umount", "--lazy", str(mounted_at)], check=True)


def test_policy_settings_are_validated(tmp_path: Path) -> None:
    assert policy_setting(tmp_path) == Policy()
    (tmp_path / "provenance.toml").write_text('[policy]\nduplicate = "explode"\n',
                                              encoding="utf-8")
    with pytest.raises(ParameterError, match="duplicate must be one of fail, warn, ignore"):
        policy_setting(tmp_path)
    (tmp_path / "provenance.toml").write_text("[policy]\nshare = 0.2\n", encoding="utf-8")
    with pytest.raises(ParameterError, match="unknown policy key"):
        policy_setting(tmp_path)
    (tmp_path / "provenance.toml").write_text("[policy]\nuncredited_share = 2\n",
                                              encoding="utf-8")
    with pytest.raises(ParameterError, match="uncredited_share must be a number"):
        policy_setting(tmp_path)


def test_checking_the_whole_corpus_checks_each_article_against_the_others(repo: Path) -> None:
    shutil.copy(repo / "corpus" / SEED, repo / "corpus" / "copy.txt")
    code, out, _ = check(repo, str(repo / "corpus"))
    assert code == 1
    assert f"copy.txt:5: fail: duplicate: duplicates {SEED}" in out
    assert f"{SEED}:5: fail: duplicate: duplicates copy.txt" in out


def test_every_corpus_input_the_index_refresh_skips_is_named(
        repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Their duplicates go unreported: a check that passes must say what it did not read.
    corpus = repo / "corpus"
    (corpus / "binary.txt").write_bytes(b"\x00\x01")
    (corpus / "locked").mkdir()
    (corpus / "locked" / "story.txt").write_text(prose(8, 80))
    (corpus / "gone.txt").symlink_to(tmp_path / "moved.txt")
    unlistable(monkeypatch, "locked")
    new = tmp_path / "new.txt"
    new.write_text(prose(9, 80))
    skips = [f"Skipped {(corpus / 'gone.txt').as_posix()}: a broken link (its target, "
             f"{tmp_path / 'moved.txt'}, is missing)",
             f"Skipped {(corpus / 'locked').as_posix()}: cannot list the folder: "
             "Permission denied",
             f"Skipped {(corpus / 'binary.txt').as_posix()}: not a text file (contains NUL "
             "bytes)"]
    for _ in ("building the index", "bringing it up to date"):
        code, _, err = check(repo, str(new))
        assert code == 0, err
        assert [line for line in err.splitlines() if line.startswith("Skipped")] == skips


def test_a_reprint_is_reported_once_against_the_agency_copy_not_a_sibling(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # An AP story and 24 papers' reprints of it: a reprint crediting nothing is failed once,
    # against AP's own copy, which every other reprint shares with it too.
    scenario = ROOT / "benchmarks" / "scenarios" / "fan-out-original-present"
    shutil.copytree(scenario, tmp_path / "corpus")
    monkeypatch.chdir(tmp_path)
    uncredited = [line["id"] for line in map(json.loads, (
        scenario / "truth.jsonl").read_text(encoding="utf-8").splitlines())
                  if line["credited"] is False]
    code, out, _ = run("check", "--corpus", "corpus", "--format", "json",
                       *(f"corpus/{name}" for name in uncredited))
    findings = json.loads(out)["findings"]
    assert code == 1 and sorted(f["article"] for f in findings) == sorted(uncredited)
    assert {f["other"] for f in findings} == {"ap-original.md"}
    assert {f["action"] for f in findings} == {"fail"}


def test_junit_has_one_failure_per_case_counts_that_match_warnings_and_times() -> None:
    from typing import Any, cast

    from provenance.model import Article
    from provenance.report.check import render_check
    from provenance.results import CheckResult, Finding

    def finding(article: str, rule: str, action: str, message: str) -> Finding:
        return Finding(cast(Any, rule), cast(Any, action), article, "corpus/old.txt", 0,
                       message, cast(Any, None), cast(Any, None))

    articles = tuple(Article(name, "Some text of the article.\n", origin=f"corpus/{name}")
                     for name in ("a.txt", "b.txt", "c.txt"))
    result = CheckResult(articles, (
        finding("a.txt", "duplicate", "fail", "a duplicate of old.txt"),
        finding("a.txt", "uncredited-reuse", "fail", "reuses old.txt uncredited"),
        finding("b.txt", "credited-duplicate", "warn", "a credited copy of old.txt"),
    ), 10, {"a.txt": 0.25, "b.txt": 0.5, "c.txt": 0.125})
    suite = ElementTree.fromstring(render_check(result, "junit").split("\n", 1)[1])
    cases = suite.findall("testcase")
    assert int(suite.get("failures") or -1) == len(suite.findall("testcase/failure")) == 1
    assert [len(case.findall("failure")) for case in cases] == [1, 0, 0]
    failure = cases[0].find("failure")
    assert failure is not None and failure.text is not None
    assert "duplicate" in failure.text and "uncredited-reuse" in failure.text
    warned = cases[1].find("properties/property")
    assert warned is not None and warned.get("name") == "warning: credited-duplicate"
    assert "credited copy" in (cases[1].findtext("system-out") or "")
    assert [case.get("time") for case in cases] == ["0.250", "0.500", "0.125"]
    assert suite.get("time") == "0.875"

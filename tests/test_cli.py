from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from provenance import scanning as pipeline
from provenance.cli import StderrProgress, main
from provenance.config import Parameters
from provenance.model import SCHEMA_VERSION
from provenance.store.index import Index

from .conftest import DATA, another_programs_database, cramped, prose, unlistable


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_scan_sample_corpus_prints_a_table_and_summary(corpus_dir: Path) -> None:
    code, out, err = run("scan", str(corpus_dir))
    assert code == 0, err
    assert "5 articles" in out
    assert err == ""
    assert any(line.startswith("003_") and "credited wire copy" in line
               and "sign-off ANI; cites Japan Times" in line for line in out.splitlines())


def test_scan_output_is_the_same_with_one_job_or_two(corpus_dir: Path) -> None:
    one = run("scan", str(corpus_dir), "--no-index", "--format", "json", "--jobs", "1")
    two = run("scan", str(corpus_dir), "--no-index", "--format", "json", "-j", "2")
    assert one[0] == two[0] == 0
    assert one[1] == two[1]
    code, _, err = run("scan", str(corpus_dir), "--jobs", "0")
    assert code == 2 and "Invalid value for '--jobs'" in err


def test_scan_json_has_schema_version_and_pairs(tmp_path: Path) -> None:
    story = prose(1, 200)
    (tmp_path / "a.txt").write_text(story)
    (tmp_path / "b.txt").write_text(prose(2, 300) + "\n" + story)
    code, out, _ = run("scan", str(tmp_path), "--format", "json")
    assert code == 0
    document = json.loads(out)
    assert document["schema_version"] == SCHEMA_VERSION
    (pair,) = document["pairs"]
    assert (pair["a"], pair["b"], pair["a_in_b"]) == ("a.txt", "b.txt", 1.0)
    passage = pair["passages"][0]
    text = (tmp_path / "b.txt").read_text()
    assert text[passage["b_start"] : passage["b_end"]] == passage["b_text"]


def test_bad_inputs_are_skipped_by_name_or_fail_under_strict(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(prose(3, 50))
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02")
    (tmp_path / "empty.md").write_text("")
    code, out, err = run("scan", str(tmp_path))
    assert code == 0
    assert f"Skipped {(tmp_path / 'binary.txt').as_posix()}: not a text file" in err
    assert f"Skipped {(tmp_path / 'empty.md').as_posix()}: empty article" in err
    assert "2 inputs skipped" in out
    code, _, err = run("scan", str(tmp_path), "--strict")
    assert code == 2
    assert err.startswith("Error: ") and "binary.txt" in err and "Traceback" not in err


def test_a_file_name_never_forges_a_line_of_the_messages(tmp_path: Path) -> None:
    # GitHub Actions reads stderr for workflow commands too.
    (tmp_path / "good.txt").write_text(prose(3, 50))
    (tmp_path / "evil\n::error file=README.md::x.txt").write_bytes(b"\x00\x01\x02")
    shown = f"{tmp_path.as_posix()}/evil\\n::error file=README.md::x.txt"
    code, _, err = run("scan", str(tmp_path), "--no-index")
    assert code == 0 and err == f"Skipped {shown}: not a text file (contains NUL bytes)\n"
    code, _, err = run("scan", str(tmp_path), "--no-index", "--strict")
    assert code == 2 and err == f"Error: {shown}: not a text file (contains NUL bytes)\n"


def test_ids_and_text_never_forge_a_line_of_the_tables(tmp_path: Path) -> None:
    # A copy under a name that would start a workflow command, a text holding a terminal's
    # escape sequence: every table shows them escaped, on their own line.
    story = prose(3, 120) + " \x1b[2J (AP) -"
    (tmp_path / "wire.txt").write_text(story, encoding="utf-8")
    forged = tmp_path / "x\n::error file=README.md::forged\x1b[31m.txt"
    forged.write_text(story, encoding="utf-8")
    outputs = [run("scan", str(tmp_path), "--no-index")[1],
               run("credits", str(tmp_path))[1],
               run("compare", str(tmp_path / "wire.txt"), str(forged))[1]]
    for out in outputs:
        assert "\x1b" not in out
        assert not any(line.lstrip("|+ ").startswith("::") for line in out.splitlines())
    assert "x\\n::error file=README.md::forged\\x1b[31m.txt" in outputs[0]  # escaped
    assert "\\x1b[2J" in outputs[2]  # the shared passage, escaped


def test_malformed_jsonl_line_is_named_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text('{"id": "a", "text": "fine words"}\n{broken\n')
    code, _, err = run("scan", str(path))
    assert code == 0 and f"Skipped {path.as_posix()}:2: malformed JSON" in err
    code, _, err = run("scan", str(path), "--strict")
    assert code == 2 and f"Error: {path.as_posix()}:2: malformed JSON" in err


def test_usage_and_input_errors_exit_2(tmp_path: Path) -> None:
    code, _, err = run("scan", str(tmp_path / "missing"))
    assert code == 2 and "no such file or folder" in err
    code, _, err = run("scan", str(tmp_path))
    assert code == 2 and "no articles found" in err
    code, _, err = run("scan", "corpus", "--threshold", "2")
    assert code == 2 and "Invalid value for '--threshold'" in err  # named as the user typed it
    code, _, err = run("scan", "corpus", "--shingle-size", "0")
    assert code == 2 and "Invalid value for '--shingle-size'" in err
    code, _, err = run("scan", "corpus", "--format", "xml")
    assert code == 2 and "Invalid value for '--format'" in err
    (tmp_path / "a.jsonl").write_text('{"id": "x", "text": "a"}\n{"id": "x", "text": "b"}\n')
    code, _, err = run("scan", str(tmp_path / "a.jsonl"))
    assert code == 2 and "duplicate article id 'x'" in err and "a.jsonl:2" in err


def test_compare_two_files_shows_passages_side_by_side(tmp_path: Path) -> None:
    story = prose(4, 80)
    (tmp_path / "a.txt").write_text(story)
    (tmp_path / "b.txt").write_text(prose(5, 100) + " " + story)
    code, out, _ = run("compare", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"))
    assert code == 0
    assert "containment of" in out and "1.000" in out
    assert story.split()[0] in out and story.split()[-1] in out
    assert "a.txt is wholly derived from" in out and "(form verbatim" in out


def test_compare_ids_in_a_corpus(urdu_pair: Path) -> None:
    code, out, _ = run("compare", "counter-0430", "counter-0430p", "--corpus", str(urdu_pair),
                       "--format", "json")
    assert code == 0
    document = json.loads(out)
    assert document["schema_version"] == SCHEMA_VERSION and document["passages"]
    verdict = document["verdict"]
    assert (verdict["source"], verdict["derived"]) == ("counter-0430", "counter-0430p")
    assert verdict["extent"] != "none" and verdict["sentences"]


def test_compare_unknown_id_says_how_to_name_one(urdu_pair: Path) -> None:
    code, _, err = run("compare", "nope", "counter-0430p")
    assert code == 2 and "--corpus" in err
    code, _, err = run("compare", str(urdu_pair), "counter-0430p", "--corpus", str(urdu_pair))
    assert code == 2 and "holds 2 articles" in err


def test_compare_refuses_an_article_with_itself(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(prose(4, 80))
    (tmp_path / "b.txt").write_text(prose(4, 80))
    code, _, err = run("compare", str(tmp_path / "a.txt"), str(tmp_path / "a.txt"))
    assert code == 2 and "name two different articles" in err
    code, out, _ = run("compare", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"))
    # Two files of one text and nothing else: no evidence says which came first.
    assert code == 0 and "share text; which came first is unknown" in out


def test_every_command_help_has_an_example() -> None:
    for command in ("scan", "compare", "eval", "report", "credits", "check"):
        code, out, _ = run(command, "--help")
        assert code == 0 and "Example:" in out


def test_progress_rewrites_one_stderr_line_and_ends_it(capsys: pytest.CaptureFixture[str]
                                                       ) -> None:
    progress = StderrProgress(enabled=True)
    progress("fingerprinting", 1, 2)
    progress("fingerprinting", 2, 2)
    StderrProgress(enabled=False)("fingerprinting", 1, 2)
    progress("loading", 5, 0)  # a total not known yet
    progress("loading", 7, 7)
    err = capsys.readouterr().err
    assert err == ("\rfingerprinting: 1/2\rfingerprinting: 2/2\n"
                   "\rloading: 5...\rloading: 7/7\n")


def test_eval_prints_scores_and_writes_predictions(tmp_path: Path) -> None:
    predictions = tmp_path / "verdicts.jsonl"
    code, out, err = run("eval", str(DATA / "counter-sample"), "--predictions",
                         str(predictions))
    assert code == 0, err
    assert "by the calibration" in out and "fitted on counter-dev, clough-stevenson" in out
    assert "counter-sample: extent, 12 pairs" in out
    assert "macro-F1" in out and "true partially" in out
    assert "naive baseline" in out and "share extent right" in out
    lines = [json.loads(line) for line in predictions.read_text().splitlines()]
    assert len(lines) == 12
    assert set(lines[0]) >= {"source", "derived", "extent", "form", "confidence", "features"}
    assert {line["label"] for line in lines} == {"WD", "PD", "ND"}


def test_eval_calibrate_writes_a_calibration_the_other_commands_read(tmp_path: Path) -> None:
    fitted = tmp_path / "calibration.json"
    code, out, err = run("eval", str(DATA / "counter-sample"), "--calibrate", str(fitted),
                         "--format", "json", "--deals", "2")
    assert code == 0, err
    document = json.loads(out)
    assert document["method"].startswith("cross-validated") and document["deals"] == 2
    (collection,) = document["collections"]
    assert collection["axis"] == "extent" and 0.0 <= collection["macro_f1"] <= 1.0
    for method in ("verdicts", "naive_baseline"):
        assert len(collection["deals"][method]["macro_f1"]["values"]) == 2
    written = json.loads(fitted.read_text())
    assert written["provenance"]["fitted_on"] == ["counter-sample"]
    assert "counter-sample extent" in written["provenance"]["cross_validation"]
    code, out, err = run("eval", str(DATA / "counter-sample"), "--calibration", str(fitted))
    assert code == 0 and "fitted on counter-sample" in out, err


def test_outputs_that_cannot_be_written_are_errors_before_the_work(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("a file where a folder is asked for", encoding="utf-8")
    # The reports' folder is made before the corpus is read: its error comes first.
    code, _, err = run("report", str(tmp_path / "missing"), "--out", str(blocker / "reports"))
    assert code == 2 and f"Error: {blocker / 'reports'}: Not a directory" in err
    for option in ("--predictions", "--calibrate"):
        code, _, err = run("eval", str(DATA / "counter-sample"), option,
                           str(tmp_path / "nowhere" / "out.json"))
        assert code == 2 and f"{tmp_path / 'nowhere'}: cannot write" in err
        assert "(no such folder)" in err and not (tmp_path / "nowhere").exists()


def test_settings_file_points_at_a_calibration(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "provenance.toml").write_text('calibration = "missing.json"\n')
    monkeypatch.chdir(tmp_path)
    code, _, err = run("eval", str(DATA / "counter-sample"))
    assert code == 2 and "missing.json: cannot read calibration" in err


def test_eval_of_a_folder_without_labels_is_an_input_error(tmp_path: Path) -> None:
    code, _, err = run("eval", str(tmp_path))
    assert code == 2 and "pairs.jsonl" in err


def test_report_writes_three_files_and_says_so(corpus_dir: Path, tmp_path: Path) -> None:
    out_dir = tmp_path / "out"
    code, out, err = run("report", str(corpus_dir), "--out", str(out_dir), "--quiet")
    assert code == 0 and out == ""
    for name in ("provenance.md", "provenance.json", "provenance.html"):
        assert f"Wrote {out_dir / name}" in err
        assert (out_dir / name).stat().st_size > 1000
    code, _, err = run("report", str(tmp_path / "missing"), "--out", str(out_dir))
    assert code == 2 and "missing: no such file or folder" in err


def test_scan_works_without_an_index_where_none_can_be_kept(tmp_path: Path) -> None:
    """A corpus whose folder takes no index (read-only data, say) is scanned all the same,
    with a warning; an index asked for by name in such a place is an error."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    for n in range(2):
        (folder / f"{n}.txt").write_text(prose(3, 100), encoding="utf-8")
    unindexed = run("scan", str(folder), "--no-index")
    (tmp_path / ".provenance").write_text("a file where the index's folder would go")
    code, out, err = run("scan", str(folder))
    assert (code, out) == (0, unindexed[1])
    assert "cannot make the index's folder" in err and "working without an index" in err
    code, _, err = run("scan", str(folder), "--index", str(tmp_path / ".provenance" / "i.db"))
    assert code == 2 and "Error:" in err and "cannot make the index's folder" in err
    (tmp_path / ".provenance").unlink()
    (tmp_path / ".provenance" / "index.db").mkdir(parents=True)  # sqlite cannot open it
    code, out, err = run("scan", str(folder))
    assert (code, out) == (0, unindexed[1]) and "cannot write an index here" in err


def test_scan_on_a_full_disk_leaves_the_index_as_it_was_and_says_so(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for n in range(3):
        (folder / f"{n}.txt").write_text(prose(n, 200), encoding="utf-8")
    index_path = tmp_path / "index.db"
    assert run("scan", str(folder), "--index", str(index_path))[0] == 0
    (folder / "3.txt").write_text(prose(3, 30_000), encoding="utf-8")  # pages more
    unindexed = run("scan", str(folder), "--no-index", "--format", "json")
    cramped(monkeypatch)
    code, out, err = run("scan", str(folder), "--index", str(index_path), "--format", "json")
    assert (code, out) == (0, unindexed[1])
    assert "cannot write the index (database or disk is full)" in err
    assert "the index is as it was" in err and "Traceback" not in err
    with Index.open(index_path, Parameters(), on_mismatch="fail") as index:
        assert index.count() == 3


def test_credits_lists_each_credit_with_offsets(tmp_path: Path) -> None:
    text = "TOKYO (AP) — Prices rose, according to Kyodo News.\nThe rest.\n- AP"
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    (tmp_path / "b.txt").write_text(prose(4, 60), encoding="utf-8")
    code, out, _ = run("credits", str(tmp_path))
    assert code == 0
    assert [line.split()[1] for line in out.splitlines()[2:]] == ["dateline", "citation",
                                                                   "sign-off"]
    code, out, _ = run("credits", str(tmp_path), "--format", "json")
    found = json.loads(out)["articles"]
    assert [a["id"] for a in found] == ["a.txt", "b.txt"] and found[1]["credits"] == []
    first = found[0]["credits"][0]
    assert text[first["start"]:first["end"]] == first["text"] == "TOKYO (AP) —"


def test_scan_keeps_an_index_beside_the_corpus_unless_told_otherwise(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.txt").write_text(prose(5, 100), encoding="utf-8")
    assert run("scan", str(folder))[0] == 0
    assert (tmp_path / ".provenance" / "index.db").is_file()
    elsewhere = tmp_path / "elsewhere.db"
    assert run("scan", str(folder), "--index", str(elsewhere))[0] == 0 and elsewhere.is_file()
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "b.txt").write_text(prose(6, 100), encoding="utf-8")
    # The same default index: --no-index leaves it alone, a plain scan makes it match.
    assert run("scan", str(tmp_path / "other"), "--no-index")[0] == 0
    with Index.open(tmp_path / ".provenance" / "index.db", Parameters()) as index:
        assert list(index.content_hashes()) == ["a.txt"]
    assert run("scan", str(tmp_path / "other"))[0] == 0
    with Index.open(tmp_path / ".provenance" / "index.db", Parameters()) as index:
        assert list(index.content_hashes()) == ["b.txt"]
    bad = tmp_path / "bad.db"
    bad.write_text("plain text, not an index " * 50, encoding="utf-8")
    code, _, err = run("scan", str(folder), "--index", str(bad))
    assert code == 2 and "cannot open the index" in err


@pytest.mark.parametrize(("raised", "code", "said"), [
    (RuntimeError("a bug"), 3, "Internal error: RuntimeError: a bug. This is a bug in provenance"),
    (KeyboardInterrupt(), 130, "Interrupted."),
])
def test_only_a_policy_failure_exits_1(monkeypatch: pytest.MonkeyPatch, corpus_dir: Path,
                                       raised: BaseException, code: int, said: str) -> None:
    # A CI job reads exit 1 as "the check found a policy failure": a crash or an
    # interrupt must never look like one.
    def failing(*args: object, **kwargs: object) -> None:
        raise raised

    monkeypatch.setattr(pipeline, "scan", failing)
    result = CliRunner().invoke(main, ["scan", str(corpus_dir), "--no-index"])
    assert result.exit_code == code
    assert said in result.stderr
    assert ("Traceback" in result.stderr) == (code == 3)  # the bug's, to report it


def test_articles_too_short_to_fingerprint_get_no_verdict(corpus_dir: Path,
                                                          tmp_path: Path) -> None:
    # With shingles longer than every article, no pair can be measured: none is judged,
    # though two articles retell one copy sentence by sentence.
    code, out, _ = run("scan", str(corpus_dir), "--no-index", "--format", "json",
                       "--shingle-size", "10000")
    document = json.loads(out)
    assert code == 0 and document["pairs"] == [] and len(document["too_short"]) == 5
    short = tmp_path / "short.txt"
    short.write_text("Japan PM Takaichi.", encoding="utf-8")
    code, _, err = run("compare", str(corpus_dir / "000_d7927f73828eb8cf.txt"), str(short))
    assert code == 2 and f"Error: {short}: too short to judge (fewer than 5 words" in err


@pytest.mark.parametrize("value", ["nan", "NaN", "-nan"])
def test_a_threshold_that_is_not_a_number_is_named_as_typed(corpus_dir: Path,
                                                            value: str) -> None:
    code, _, err = run("scan", str(corpus_dir), "--threshold", value)
    assert code == 2
    assert f"Invalid value for '--threshold': {value!r} is not a number from 0 to 1" in err


@pytest.mark.parametrize("command", ["scan", "report"])
def test_another_programs_database_named_as_the_index_is_refused_untouched(
        tmp_path: Path, command: str) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.txt").write_text(prose(5, 100), encoding="utf-8")
    database = tmp_path / "app.db"
    original = another_programs_database(database)
    out = ["--out", str(tmp_path / "reports")] if command == "report" else []
    code, _, err = run(command, str(folder), "--index", str(database), *out)
    assert code == 2 and f"Error: {database}: not a provenance index" in err
    assert database.read_bytes() == original


def test_a_file_name_that_is_not_utf8_is_skipped_and_the_reports_are_written(
        tmp_path: Path) -> None:
    # Its id (the name) holds a lone surrogate as Python decodes it: no report could hold it.
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    story = prose(5, 80)
    (corpus / "a.txt").write_text(story)
    (Path(os.fsdecode(bytes(corpus) + b"/caf\xe9.txt"))).write_text(story)
    out_dir = tmp_path / "out"
    code, _, err = run("report", str(corpus), "--out", str(out_dir), "--no-index", "--quiet")
    assert code == 0, err
    assert f"Skipped {corpus.as_posix()}/caf\\xe9.txt: the file name is not UTF-8" in err
    assert "Traceback" not in err
    document = json.loads((out_dir / "provenance.json").read_text(encoding="utf-8"))
    assert [article["id"] for article in document["articles"]] == ["a.txt"]
    assert document["skipped"][0]["location"] == f"{corpus.as_posix()}/caf\\xe9.txt"
    assert "a.txt" in (out_dir / "provenance.md").read_text(encoding="utf-8")


def test_a_folder_that_cannot_be_listed_is_skipped_by_name_in_every_command(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = tmp_path / "corpus"
    (corpus / "locked").mkdir(parents=True)
    story = prose(6, 80)
    for name in ("a.txt", "b.txt", "locked/c.txt"):
        (corpus / name).write_text(story)
    unlistable(monkeypatch, "locked")
    skip = f"Skipped {(corpus / 'locked').as_posix()}: cannot list the folder: Permission denied"
    for command in (("scan", "--no-index"), ("credits",),
                    ("compare", "a.txt", "b.txt", "--corpus")):
        code, _, err = run(*command, str(corpus))
        assert code == 0, err
        assert err.splitlines() == [skip]
    code, _, err = run("scan", str(corpus), "--strict")
    assert code == 2 and err == f"Error: {skip.removeprefix('Skipped ')}\n"


def test_each_file_is_read_once_and_an_empty_path_is_a_usage_error(tmp_path: Path) -> None:
    story = prose(7, 80)
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text(story)
    code, out, err = run("scan", str(tmp_path / "a.txt"), str(tmp_path), str(tmp_path),
                         "--no-index", "--format", "json")
    assert code == 0, err
    document = json.loads(out)
    assert [a["id"] for a in document["articles"]] == [(tmp_path / "a.txt").as_posix(),
                                                       "b.txt"]
    assert len(document["pairs"]) == 1  # not a.txt as a copy of itself
    code, out, err = run("scan", "")
    assert (code, out) == (2, "") and err == "Error: an empty path names no file or folder\n"


def test_a_path_that_is_no_regular_file_says_what_it_is(tmp_path: Path) -> None:
    code, _, err = run("scan", "/dev/null", "--no-index")
    assert code == 2
    assert err.splitlines()[0] == "Skipped /dev/null: not a regular file (a character device)"


def test_h_is_help_and_python_m_provenance_is_the_command() -> None:
    for command in ([], ["scan"], ["check"]):
        assert run(*command, "-h")[1] == run(*command, "--help")[1]
    done = subprocess.run([sys.executable, "-m", "provenance", "--version"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0 and done.stdout.startswith("provenance, version ")


def test_the_public_api_names_what_the_readme_uses() -> None:
    import provenance

    assert sorted(provenance.__all__) == sorted(set(provenance.__all__))
    missing = [name for name in provenance.__all__ if not hasattr(provenance, name)]
    assert missing == []
    assert callable(provenance.scan) and callable(provenance.check_folder)
    assert issubclass(provenance.InputError, provenance.ProvenanceError)


def test_progress_in_a_log_is_a_line_every_few_seconds_with_rate_and_time_left(
        capsys: pytest.CaptureFixture[str]) -> None:
    from provenance.cli.running import StderrProgress

    now = [0.0]
    progress = StderrProgress(False, log_every=5.0, clock=lambda: now[0])
    for done in range(0, 101, 10):  # a stage of 100 items, 10 a second
        progress("judging", done, 100)
        now[0] += 1.0
    progress("lineage", 0, 1)  # a short stage: nothing
    progress("lineage", 1, 1)
    lines = capsys.readouterr().err.splitlines()
    assert lines == ["judging: 50/100 (50%), 10/s, about 5 s left",
                     "judging: 100/100 done in 10 s"]
    assert "\r" not in "".join(lines)


def test_progress_is_logged_where_stderr_is_no_terminal_and_silenced_by_quiet() -> None:
    from provenance.cli.running import LOG_EVERY, StderrProgress

    assert StderrProgress.for_stderr(quiet=False).log_every == LOG_EVERY  # pytest's stderr
    quiet = StderrProgress.for_stderr(quiet=True)
    assert quiet.log_every is None and not quiet.enabled


def test_a_stage_logged_again_under_its_name_starts_afresh(
        capsys: pytest.CaptureFixture[str]) -> None:
    from provenance.cli.running import StderrProgress

    now = [0.0]
    progress = StderrProgress(False, log_every=5.0, clock=lambda: now[0])
    for done in range(0, 11):  # a first round of 10 tasks, one a second
        progress("candidates", done, 10)
        now[0] += 1.0
    now[0] += 100.0
    progress("candidates", 0, 2)  # a second round, later, of two quick tasks
    progress("candidates", 2, 2)
    assert capsys.readouterr().err.splitlines() == [
        "candidates: 5/10 (50%), 1/s, about 5 s left", "candidates: 10/10 done in 10 s"]

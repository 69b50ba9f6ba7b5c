"""The scan on a Ray cluster (``scan --engine ray``): the local scan's JSON to the byte,
however the corpus is partitioned and its files split, and a run stopped part way resumes
from its checkpoints. A local Ray cluster of two processes runs the tests; each test has a
time limit, so that a hung cluster fails the run instead of stalling it."""

from __future__ import annotations

import importlib.util
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import ray
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from provenance.candidates.buckets import PAIR_SHIFT, shared_key_pairs
from provenance.cli import main
from provenance.cluster.shuffle import KeyEntries, PairCounts, counted_pairs
from provenance.hashsets import HashSets

from .conftest import ROOT

DATA = Path(__file__).parent / "data"
#: Copies of one article in the synthetic corpus: past the cap on the articles a sample
#: may be shared by (200), so that the cap decides, and one LSH bucket of them all.
HOT_COPIES = 250

pytestmark = pytest.mark.timeout(600)


@pytest.fixture(scope="module")
def cluster() -> Iterator[None]:
    """A local cluster of two processes for the module's tests (the scans find it
    running and leave it so)."""
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield
    ray.shutdown()


def _synthetic() -> object:
    spec = importlib.util.spec_from_file_location("synthetic", ROOT / "benchmarks" /
                                                  "synthetic.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def hot_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """2,000 synthetic articles with popular stories, and one of them copied
    :data:`HOT_COPIES` times word for word: one .jsonl file."""
    synthetic = _synthetic()
    rows = [{"id": planted.article.id, "text": planted.article.text,
             "outlet": planted.article.outlet}
            for planted in synthetic.generate(2_000 - HOT_COPIES, seed=7,  # type: ignore[attr-defined]
                                              words=200, popularity=1.5)]
    rows += [{"id": f"copy-{n:03d}", "text": rows[0]["text"], "outlet": f"paper-{n}"}
             for n in range(HOT_COPIES)]
    path = tmp_path_factory.mktemp("hot") / "articles.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


def _scan(*args: str) -> bytes:
    result = CliRunner().invoke(main, ["scan", *args, "--format", "json", "-q"])
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


def _local(*paths: Path | str) -> bytes:
    return _scan(*map(str, paths), "--no-index", "--jobs", "1")


@pytest.fixture(scope="module")
def corpus_with_a_bad_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed corpus and a file that does not load: skipped, and named, alike."""
    folder = tmp_path_factory.mktemp("seeds") / "corpus"
    shutil.copytree(ROOT / "corpus", folder)
    (folder / "empty.txt").write_text("---\ntitle: nothing after this\n---\n", encoding="utf-8")
    return folder


@pytest.mark.parametrize("partitions", ["1", "7", "64"])
def test_a_cluster_scan_of_the_seeds_is_the_local_scan(
        cluster: None, corpus_with_a_bad_file: Path, partitions: str) -> None:
    local = _local(corpus_with_a_bad_file)
    assert b'"skipped"' in local and b"empty.txt" in local
    assert _scan(str(corpus_with_a_bad_file), "--engine", "ray",
                 "--partitions", partitions) == local


@pytest.mark.parametrize("every", [(), ("--all-pairs",)], ids=["best candidates", "all pairs"])
def test_a_cluster_scan_of_urdu_agency_copy_is_the_local_scan(cluster: None,
                                                              every: tuple[str, ...]) -> None:
    articles = DATA / "counter-sample" / "articles.jsonl"
    assert _scan(str(articles), "--engine", "ray", "--partitions", "7", *every) == _local(
        articles, *every)


@pytest.fixture(scope="module")
def hot_local(hot_corpus: Path) -> bytes:
    """The local scan of the hot corpus."""
    return _local(hot_corpus)


@pytest.mark.parametrize("partitions", ["1", "7", "64"])
def test_a_cluster_scan_with_a_hot_bucket_is_the_local_scan(
        cluster: None, hot_corpus: Path, hot_local: bytes, partitions: str) -> None:
    document = json.loads(hot_local)
    copies = {pair["b"] for pair in document["pairs"] if pair["b"].startswith("copy-")}
    assert len(copies) > 200  # the copies are found: past the sample cap, LSH finds them
    assert _scan(str(hot_corpus), "--engine", "ray", "--partitions", partitions) == hot_local


def test_the_document_written_as_ordered_parts_is_the_local_scans(
        cluster: None, hot_corpus: Path, hot_local: bytes, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "part-99999999.json").write_text("left by an earlier, longer run", encoding="utf-8")
    (out / "notes.txt").write_text("not a part", encoding="utf-8")
    result = CliRunner().invoke(main, ["scan", str(hot_corpus), "--engine", "ray",
                                       "--partitions", "7", "--format", "json",
                                       "--out-parts", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    parts = sorted(out.glob("part-*.json"))
    assert len(parts) > 10  # each list's chunks apart, and the text between them
    assert b"".join(part.read_bytes() for part in parts) == hot_local
    assert (out / "notes.txt").exists() and (out / "_SUCCESS").exists()
    assert f"as {len(parts)} parts" in result.stderr
    refused = CliRunner().invoke(main, ["scan", "corpus", "--out-parts", str(out)])
    assert refused.exit_code == 2 and "--engine ray --format json" in refused.output


def test_a_corpus_split_into_files_named_in_any_order_scans_alike(
        cluster: None, hot_corpus: Path, tmp_path: Path) -> None:
    lines = hot_corpus.read_text(encoding="utf-8").splitlines(keepends=True)
    random.Random(3).shuffle(lines)
    folder = tmp_path / "split"
    folder.mkdir()
    parts = [folder / f"part-{n}.jsonl" for n in range(5)]
    for n, part in enumerate(parts):
        part.write_text("".join(lines[n::5]), encoding="utf-8")
    shuffled = [str(part) for part in random.Random(4).sample(parts, len(parts))]
    # Each article names the file and line it came from: the local scan of the same files.
    assert _scan(*shuffled, "--engine", "ray", "--partitions", "7") == _local(*shuffled)


def test_a_stopped_run_resumes_from_its_checkpoints(hot_corpus: Path, hot_local: bytes,
                                                    tmp_path: Path) -> None:
    work = tmp_path / "work"
    command = [sys.executable, "-m", "provenance", "scan", str(hot_corpus), "--engine", "ray",
               "--partitions", "4", "--jobs", "2", "--work", str(work), "--format", "json",
               "-q"]
    first = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             start_new_session=True)
    deadline = time.monotonic() + 300
    while not list(work.glob("*/survey/*.pickle")) and time.monotonic() < deadline:
        assert first.poll() is None, "the run ended before it could be stopped"
        time.sleep(0.05)
    os.killpg(first.pid, signal.SIGKILL)  # the run, its cluster and its workers
    first.wait()
    left = {path: path.stat().st_mtime_ns for path in work.glob("*/*/*.pickle")}
    assert any("/survey/" in str(path) for path in left)
    assert not list(work.glob("*/judging/*.pickle"))
    resumed = subprocess.run(command, capture_output=True, timeout=600, check=True)
    assert all(path.stat().st_mtime_ns == stamp for path, stamp in left.items())
    assert resumed.stdout == hot_local


@pytest.fixture(scope="module")
def object_store() -> Iterator[dict[str, str]]:
    """A local S3-compatible server (moto's), and the environment that points the AWS
    clients at it."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0)
    server.start()
    host, port = server.get_host_and_port()
    yield dict(os.environ, AWS_ENDPOINT_URL=f"http://{host}:{port}",
               AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing",
               AWS_DEFAULT_REGION="us-east-1")
    server.stop()


def test_articles_and_checkpoints_in_an_object_store(object_store: dict[str, str]) -> None:
    import s3fs

    store = s3fs.S3FileSystem(endpoint_url=object_store["AWS_ENDPOINT_URL"], key="testing",
                              secret="testing")
    store.mkdir("newsroom")
    store.put(f"{ROOT / 'corpus'}/", "newsroom/seeds/", recursive=True)
    store.pipe("newsroom/seeds/.hidden.txt", b"passed over, as in a folder")

    def scan(*args: str) -> bytes:
        return subprocess.run([sys.executable, "-m", "provenance", "scan", "s3://newsroom/seeds",
                               "--format", "json", "-q", *args], env=object_store,
                              capture_output=True, timeout=300, check=True).stdout

    local = scan("--no-index")
    assert json.loads(local)["summary"]["articles"] == 5
    assert scan("--engine", "ray", "--work", "s3://newsroom/work", "--jobs", "2") == local
    assert store.find("newsroom/work/")  # every task's output checkpointed there
    assert scan("--engine", "ray", "--work", "s3://newsroom/work", "--jobs", "2") == local
    assert scan("--engine", "ray", "--jobs", "2", "--out-parts", "s3://newsroom/out") == b""
    assert b"".join(store.cat(key) for key in sorted(store.glob("newsroom/out/part-*.json"))
                    ) == local


def test_a_cluster_scan_of_nothing_says_so_as_the_local_scan_does(cluster: None,
                                                                 tmp_path: Path) -> None:
    empty = tmp_path / "empty.jsonl"
    empty.write_text("", encoding="utf-8")
    for engine in ("local", "ray"):
        result = CliRunner().invoke(main, ["scan", str(empty), "--engine", engine, "-q",
                                           "--no-index"])
        assert result.exit_code == 2 and "no articles found" in result.output, result.output


def test_a_read_that_did_not_load_is_not_checkpointed(tmp_path: Path) -> None:
    from provenance.cluster.tasks import KEEPS, read_group
    from provenance.cluster.work import WorkFolder
    from provenance.text.corpus import InputFile

    work = WorkFolder(str(tmp_path), "run")
    missing = [InputFile("gone.txt", "gone.txt")]  # relative to the driver's folder
    here = os.getcwd()
    read = work.checkpointed("read", "0-of-1", lambda: read_group(missing, str(tmp_path)),
                             keep=KEEPS["read_group"])
    assert os.getcwd() == here  # a task's folder is its own for the read alone
    assert read[0][1]  # the file did not load, and may on the next run (a store's hiccup)
    assert not work.done("read", "0-of-1")
    kept = work.checkpointed("read", "1-of-1", lambda: read_group([], str(tmp_path)),
                             keep=KEEPS["read_group"])
    assert kept == [] and work.done("read", "1-of-1")


def test_a_second_run_says_what_it_took_from_the_work_folder(
        cluster: None, corpus_with_a_bad_file: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    command = ["scan", str(corpus_with_a_bad_file), "--engine", "ray", "--work",
               str(tmp_path / "work"), "--format", "json"]
    first, second = runner.invoke(main, command), runner.invoke(main, command)
    assert first.exit_code == second.exit_code == 0
    assert re.search(r"Work folder .*: 0 of \d+ task outputs taken", first.stderr)
    taken = re.search(r"Work folder .*: (\d+) of (\d+) task outputs taken", second.stderr)
    # All but the read of the folder holding the file that did not load.
    assert taken and 0 < int(taken.group(1)) < int(taken.group(2))
    assert first.stdout == second.stdout


def test_a_cluster_or_work_folder_out_of_reach_is_an_error_not_a_crash(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("in the way", encoding="utf-8")
    for options, reason in ((["--address", "ray://127.0.0.1:1"], "cannot start or reach"),
                            (["--work", str(blocker)], "cannot hold the work folder"),
                            (["--format", "json", "--out-parts", str(blocker)],
                             "cannot hold the output's parts")):
        done = subprocess.run([sys.executable, "-m", "provenance", "scan", str(ROOT / "corpus"),
                               "--engine", "ray", "--jobs", "1", *options], capture_output=True,
                              text=True, timeout=300)
        assert done.returncode == 2 and reason in done.stderr, done.stderr[-2000:]
        assert "Traceback" not in done.stderr


def test_an_index_is_for_the_local_engine_and_cluster_options_for_ray() -> None:
    runner = CliRunner()
    refused = runner.invoke(main, ["scan", "corpus", "--engine", "ray", "--index", "x.db"])
    assert refused.exit_code == 2 and "--index is for the local engine" in refused.output
    refused = runner.invoke(main, ["scan", "corpus", "--partitions", "3"])
    assert refused.exit_code == 2 and "are for --engine ray" in refused.output


key_sets = st.lists(st.lists(st.integers(0, 40), max_size=12), min_size=2, max_size=30)


@settings(max_examples=60, deadline=None)
@given(key_sets, st.integers(1, 3), st.sampled_from([None, 2, 4]), st.integers(1, 9))
def test_keys_counted_in_partitions_find_the_pairs_one_machine_finds(
        sets: list[list[int]], min_shared: int, max_articles: int | None, partitions: int
        ) -> None:
    hash_sets = HashSets.of([np.unique(np.array(keys, dtype=np.uint64)) for keys in sets])
    expected = shared_key_pairs(hash_sets, min_shared, max_articles)
    pieces = KeyEntries.of(hash_sets, 0).split(partitions)
    counted = [counted_pairs(piece, max_articles).split(partitions) for piece in pieces]
    codes = np.sort(np.concatenate([
        PairCounts.summed([parts[q] for parts in counted]).at_least(min_shared)
        for q in range(partitions)]))
    assert codes.tolist() == (expected[:, 0] * PAIR_SHIFT + expected[:, 1]).tolist()

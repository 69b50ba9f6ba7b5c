"""The scan on a local Ray cluster beside the local scan, on the same synthetic corpora, in
one run: time, peak memory, bytes moved between tasks per article, whether the two JSON
documents are the same bytes, and the cluster scan's cost per stage, from which
``docs/cluster.md`` estimates a scan of 100 million articles.

Memory is the proportional set size (shared pages split between the processes that map
them, so Ray's shared object store counts once), summed over every process of the run and
sampled five times a second; the driver's own peak is shown apart, as it is what grows
on one machine however large the cluster.

    python benchmarks/cluster.py                    # 20,000 and 100,000 articles, 2 jobs
    python benchmarks/cluster.py 2000 --jobs 2
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict
from pathlib import Path

from synthetic import generate
from tabulate import tabulate

#: Zipf exponent of the stories' popularity, as in ``fanout.py``: a few are reprinted
#: hundreds of times.
POPULARITY = 1.5
MIB = 1 << 20


def write_corpus(count: int, seed: int, path: Path) -> None:
    with path.open("w", encoding="utf-8") as file:
        for planted in generate(count, seed=seed, popularity=POPULARITY, dated=True):
            article = planted.article
            file.write(json.dumps({"id": article.id, "text": article.text,
                                   "outlet": article.outlet,
                                   "published": article.published}) + "\n")


def _pss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as file:
            for line in file:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _session_processes(session: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as file:
                    fields = file.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[3]) == session:  # the fields after the name: state, ppid, pgrp, session
                found.append(int(entry))
    return found


def measured(command: list[str], stdout: Path) -> tuple[float, int, int]:
    """Run ``command`` in a session of its own: seconds, peak memory of the session, and
    peak memory of its first process (the driver)."""
    peaks = [0, 0]
    started = time.perf_counter()
    with stdout.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, start_new_session=True)
        done = threading.Event()

        def sample() -> None:
            while not done.is_set():
                pids = _session_processes(process.pid)
                peaks[0] = max(peaks[0], sum(_pss(pid) for pid in pids))
                peaks[1] = max(peaks[1], _pss(process.pid))
                done.wait(0.2)

        sampler = threading.Thread(target=sample)
        sampler.start()
        code = process.wait()
        done.set()
        sampler.join()
    if code:
        raise SystemExit(f"{command} exited with {code}")
    return time.perf_counter() - started, peaks[0], peaks[1]


def ray_run(corpus: str, out: str, report: str, jobs: int, partitions: int | None,
            work: str | None) -> None:
    """The cluster scan of ``corpus``: its JSON to ``out``, its stage costs to ``report``
    (what ``scan --engine ray --format json`` does, the costs kept)."""
    from provenance.cluster.engine import scan_on_ray
    from provenance.report.json_output import ChunkRenderer, scan_json_parts
    from provenance.results import ScanResult

    def write(result: ScanResult, renderer: ChunkRenderer) -> None:
        with open(out, "w", encoding="utf-8") as file:  # rendered in tasks, as the CLI's
            file.writelines(scan_json_parts(result, jobs, renderer))
            file.write("\n")

    _, costs = scan_on_ray([corpus], cpus=jobs, partitions=partitions, work=work,
                           output=write)
    Path(report).write_text(json.dumps(asdict(costs)), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("counts", type=int, nargs="*", default=[20_000, 100_000])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--partitions", type=int, default=None)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--ray-run", nargs=3, metavar=("CORPUS", "OUT", "REPORT"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.ray_run:
        corpus, out, report = args.ray_run
        ray_run(corpus, out, report, jobs=args.jobs, partitions=args.partitions, work=None)
        return
    rows, stages = [], []
    with tempfile.TemporaryDirectory() as folder:
        for count in args.counts:
            corpus = Path(folder) / f"corpus-{count}.jsonl"
            write_corpus(count, args.seed, corpus)
            local_out, ray_out = Path(folder) / "local.json", Path(folder) / "ray.json"
            report = Path(folder) / "report.json"
            local = measured([sys.executable, "-m", "provenance", "scan", str(corpus),
                              "--no-index", "--jobs", str(args.jobs), "--format", "json",
                              "-q"], local_out)
            partitions = ["--partitions", str(args.partitions)] if args.partitions else []
            on_ray = measured([sys.executable, __file__, "--jobs", str(args.jobs), *partitions,
                               "--ray-run", str(corpus), str(ray_out), str(report)],
                              Path(os.devnull))
            costs = json.loads(report.read_text(encoding="utf-8"))
            shipped = sum(stage["shipped_bytes"] for stage in costs["stages"].values())
            same = local_out.read_bytes() == ray_out.read_bytes()
            rows.append([count, "local", f"{local[0]:.1f}", f"{local[1] / MIB:.0f}",
                         f"{local[2] / MIB:.0f}", "-", "-"])
            rows.append([count, f"ray ({costs['partitions']} partitions)", f"{on_ray[0]:.1f}",
                         f"{on_ray[1] / MIB:.0f}", f"{on_ray[2] / MIB:.0f}",
                         f"{shipped / count:.0f}", "yes" if same else "NO"])
            for name, stage in costs["stages"].items():
                cores = 1 if stage["on_driver"] else args.jobs
                stages.append([count, name + (" (driver)" if stage["on_driver"] else ""),
                               f"{stage['seconds']:.2f}", stage["tasks"],
                               f"{stage['seconds'] * cores / count * 1000:.3f}",
                               f"{stage['shipped_bytes'] / count:.0f}"])
            print(f"{count} articles: local {local[0]:.1f} s, ray {on_ray[0]:.1f} s",
                  file=sys.stderr)
    print(tabulate(rows, headers=["articles", "engine", "seconds", "peak MiB (all)",
                                  "peak MiB (driver)", "bytes moved / article",
                                  "same JSON"]))
    print()
    # Core-milliseconds: a stage's wall time times the cores it ran on (the driver's one).
    print(tabulate(stages, headers=["articles", "stage", "seconds", "tasks",
                                    "core-ms / article", "bytes moved / article"]))


if __name__ == "__main__":
    main()

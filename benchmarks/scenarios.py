"""How well lineage recovers the truth of hand-written wire scenarios.

Each folder under ``benchmarks/scenarios`` (or the folders named) is a corpus with its truth
(see ``benchmarks/scenarios/README.md``). Each is scanned, and checked as CI checks a corpus
(every article against the rest, under the default policy). Per scenario and in all:

- **source**: articles whose lineage names their true source (the exact article, the agency
  for copy not in the corpus, none for an original);
- **direction**: derived articles whose source is in the corpus and whose pair with it is
  judged derived, in the true direction;
- **false claims**: pairs that share only a quote, furniture, a template or the event, judged
  reused all the same;
- **credited**: derived articles whose lineage says credited exactly when the truth does;
- **found**: derived articles whose lineage gives them a source at all;
- **check**: articles that `check` fails, each of which must be an uncredited copy (never an
  original, never a credited reprint), and the uncredited copies it fails.

    python benchmarks/scenarios.py                    # every scenario
    python benchmarks/scenarios.py benchmarks/scenarios/no-dates --explain
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tabulate import tabulate

from provenance.attribution.agencies import load_registry
from provenance.ci.workflow import check
from provenance.config import Parameters, Policy
from provenance.model import ArticleLineage, Lineage, PairScore
from provenance.results import ScanResult
from provenance.scanning import scan
from provenance.store.entries import update_index
from provenance.store.index import Index
from provenance.text.corpus import load_corpus
from provenance.verdict.models import load_calibration

SCENARIOS = Path(__file__).resolve().parent / "scenarios"
MEASURES = ("source", "direction", "false claims", "credited", "found", "check fails",
            "check catches")


@dataclass
class Tally:
    """Hits out of cases, for one measure, and the cases missed (to explain)."""

    hits: int = 0
    cases: int = 0
    missed: list[str] = field(default_factory=list)

    def add(self, hit: bool, case: str) -> None:
        self.hits += hit
        self.cases += 1
        if not hit:
            self.missed.append(case)

    def cell(self) -> str:
        return f"{self.hits}/{self.cases}" if self.cases else "-"

    def share(self) -> float:
        return self.hits / self.cases if self.cases else 1.0


def truth_of(folder: Path) -> tuple[dict[str, dict[str, Any]], list[dict[str, Any]]]:
    """The truth of each article of a scenario, and the pairs it says derive from neither."""
    truth = {str(line["id"]): line for line in _lines(folder / "truth.jsonl")}
    return truth, list(_lines(folder / "not-derived.jsonl"))


def _lines(path: Path) -> Iterator[dict[str, Any]]:
    if path.is_file():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                yield json.loads(line)


def named_source(item: ArticleLineage, lineage: Lineage) -> str | None:
    """What lineage names as the article's source, in the truth's terms."""
    if item.kind in ("original", "independent") or item.source is None:
        return None
    common = lineage.common_source(item.source)
    if common is not None:
        return f"external:{common.agency or common.name}"
    if item.derivation is None:  # credited wire copy of an agency alone
        return f"external:{item.source}"
    return item.source


def measure(folder: Path, workspace: Path) -> dict[str, Tally]:
    """Every measure of one scenario (``workspace``: a folder for its index)."""
    truth, unrelated = truth_of(folder)
    registry = load_registry()
    articles = load_corpus([folder]).articles
    result = scan(articles, registry=registry)
    tallies = {name: Tally() for name in MEASURES}
    pairs = {frozenset((pair.a, pair.b)): pair for pair in result.pairs}
    for article_id, expected in sorted(truth.items()):
        item = result.lineage.of(article_id)
        source = expected["source"]
        named = named_source(item, result.lineage)
        tallies["source"].add(named == source, f"{article_id}: {named} for {source}")
        if source is None:
            continue
        tallies["found"].add(named is not None, f"{article_id}: {item.kind}")
        credited = item.kind == "credited wire copy"
        tallies["credited"].add(credited == expected["credited"],
                                f"{article_id}: {item.kind}, truth credited "
                                f"{expected['credited']}")
        if not str(source).startswith("external:"):
            tallies["direction"].add(_derived(pairs.get(frozenset((article_id, str(source)))),
                                              str(source), article_id),
                                     f"{article_id} from {source}: "
                                     + _said(pairs.get(frozenset((article_id, str(source))))))
    for pair in unrelated:
        judged = pairs.get(frozenset((pair["a"], pair["b"])))
        claimed = judged is not None and judged.verdict is not None and judged.verdict.reused
        tallies["false claims"].add(not claimed, f"{pair['a']} ~ {pair['b']} ({pair['shares']}): "
                                    + _said(judged))
    _check(folder, articles, result, truth, workspace, tallies)
    return tallies


def _derived(pair: PairScore | None, source: str, derived: str) -> bool:
    verdict = pair.verdict if pair else None
    return (verdict is not None and verdict.reused and verdict.settled
            and (verdict.source, verdict.derived) == (source, derived))


def _said(pair: PairScore | None) -> str:
    if pair is None or pair.verdict is None:
        return "not judged"
    verdict = pair.verdict
    return (f"{verdict.derived} {verdict.extent} {verdict.form} from {verdict.source}, "
            f"{verdict.direction.relation}: {verdict.direction.basis}")


def _check(folder: Path, articles: Sequence[object], result: ScanResult,
           truth: dict[str, dict[str, object]], workspace: Path,
           tallies: dict[str, Tally]) -> None:
    """Check every article against the rest, as `provenance check corpus/` does."""
    index_path = workspace / f"{folder.name}.db"
    index_path.unlink(missing_ok=True)
    params = Parameters()
    with Index.open(index_path, params) as index:
        update_index(result.articles, index, params)
        checked = check(result.articles, index, params, load_calibration(), load_registry(),
                        Policy())
    failed = {finding.article: finding for finding in checked.findings
              if finding.action == "fail"}
    for article_id, expected in sorted(truth.items()):
        uncredited = expected["source"] is not None and expected["credited"] is False
        if article_id in failed and not uncredited:
            tallies["check fails"].add(False, f"{article_id}: {failed[article_id].message}")
        elif article_id in failed:
            tallies["check fails"].add(True, "")
        if uncredited:
            tallies["check catches"].add(article_id in failed, f"{article_id}: not failed")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", type=Path,
                        help="scenario folders (default: every one in benchmarks/scenarios)")
    parser.add_argument("--explain", action="store_true", help="list every case missed")
    parser.add_argument("--work", type=Path, default=Path("/tmp/provenance-scenarios"),
                        help="folder for the scenarios' indexes")
    options = parser.parse_args()
    folders = options.folders or sorted(p for p in SCENARIOS.iterdir()
                                        if p.is_dir() and not p.name.startswith("."))
    options.work.mkdir(parents=True, exist_ok=True)
    totals = {name: Tally() for name in MEASURES}
    rows = []
    for folder in folders:
        tallies = measure(folder, options.work)
        rows.append([folder.name, *(tallies[name].cell() for name in MEASURES)])
        for name, tally in tallies.items():
            totals[name].hits += tally.hits
            totals[name].cases += tally.cases
            totals[name].missed += [f"{folder.name}: {case}" for case in tally.missed]
    rows.append(["all", *(totals[name].cell() for name in MEASURES)])
    rows.append(["share", *(f"{totals[name].share():.3f}" for name in MEASURES)])
    print(tabulate(rows, headers=["scenario", *MEASURES], disable_numparse=True))
    if options.explain:
        for name in MEASURES:
            for case in totals[name].missed:
                print(f"{name}: {case}", file=sys.stdout)


if __name__ == "__main__":
    main()

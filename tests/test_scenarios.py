"""The scenario suites of wire practice, measured as ``benchmarks/scenarios.py`` measures
them: the figures the lineage rules must hold (see ``benchmarks/scenarios/README.md``, and
``benchmarks/scenarios-blind/README.md`` for the suite written without reading the engine)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from .conftest import ROOT

BENCHMARKS = ROOT / "benchmarks"
#: The scenario suite, and the one written without reading the engine.
SUITES = (BENCHMARKS / "scenarios", BENCHMARKS / "scenarios-blind")


def _benchmark() -> ModuleType:
    """``benchmarks/scenarios.py``, loaded as a module (benchmarks are scripts)."""
    sys.path.insert(0, str(BENCHMARKS))
    try:
        spec = importlib.util.spec_from_file_location("scenarios_benchmark",
                                                      BENCHMARKS / "scenarios.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module  # as an import would: its dataclasses look it up
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(BENCHMARKS))


#: Per scenario: (hits, cases) of each measure.
Tallies = dict[str, dict[str, tuple[int, int]]]


@pytest.fixture(scope="module")
def tallies(tmp_path_factory: pytest.TempPathFactory) -> Tallies:
    benchmark = _benchmark()
    work = tmp_path_factory.mktemp("scenarios")
    return {f"{suite.name}/{folder.name}": {
                name: (tally.hits, tally.cases)
                for name, tally in benchmark.measure(Path(folder), work).items()}
            for suite in SUITES
            for folder in sorted(p for p in suite.iterdir()
                                 if p.is_dir() and not p.name.startswith("."))}


@pytest.mark.parametrize(("measure", "share"), [
    ("source", 0.95), ("direction", 0.95), ("credited", 0.95), ("found", 0.95),
    ("false claims", 1.0), ("check fails", 1.0)])
def test_the_scenario_suite_holds_its_figures(tallies: Tallies, measure: str,
                                              share: float) -> None:
    hits = sum(scenario[measure][0] for scenario in tallies.values())
    cases = sum(scenario[measure][1] for scenario in tallies.values())
    assert cases and hits / cases >= share, f"{measure}: {hits}/{cases}"


def test_no_scenario_claims_a_false_derivation_or_fails_what_it_should_not(
        tallies: Tallies) -> None:
    # Totals could hide one scenario's regression: these hold in each.
    for name, scenario in tallies.items():
        for measure in ("false claims", "check fails"):
            hits, cases = scenario[measure]
            assert hits == cases, f"{name}: {measure} {hits}/{cases}"
        hits, cases = scenario["source"]
        assert hits / cases >= 0.75, f"{name}: sources {hits}/{cases}"

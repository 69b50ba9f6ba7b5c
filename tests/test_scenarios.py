"""The scenario suite of wire practice, measured as ``benchmarks/scenarios.py`` measures it:
the figures the lineage rules must hold (see ``benchmarks/scenarios/README.md``)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from .conftest import ROOT

BENCHMARKS = ROOT / "benchmarks"


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


@pytest.fixture(scope="module")
def totals(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[int, int]]:
    benchmark = _benchmark()
    work = tmp_path_factory.mktemp("scenarios")
    sums: dict[str, list[int]] = {name: [0, 0] for name in benchmark.MEASURES}
    for folder in sorted(p for p in benchmark.SCENARIOS.iterdir() if p.is_dir()):
        for name, tally in benchmark.measure(Path(folder), work).items():
            sums[name][0] += tally.hits
            sums[name][1] += tally.cases
    return {name: (hits, cases) for name, (hits, cases) in sums.items()}


@pytest.mark.parametrize(("measure", "share"), [
    ("source", 0.95), ("direction", 0.95), ("credited", 0.95), ("found", 0.95),
    ("false claims", 1.0), ("check fails", 1.0)])
def test_the_scenario_suite_holds_its_figures(totals: dict[str, tuple[int, int]],
                                              measure: str, share: float) -> None:
    hits, cases = totals[measure]
    assert cases and hits / cases >= share, f"{measure}: {hits}/{cases}"

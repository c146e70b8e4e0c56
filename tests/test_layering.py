"""The package boundaries of STYLE.md, checked in fresh interpreters."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import ROOT

PURE_MODULES = ["calendars.events", "calendars.hours", "forecast.history", "forecast.models",
                "forecast.baseline", "forecast.backtest", "forecast.intervals", "staffing.sources",
                "staffing.windows", "staffing.sensitivity", "surgeplan.config", "surgeplan.result",
                "forecast.events", "forecast.intraday", "staffing.erlang", "staffing.erlang_a",
                "staffing.async_work", "staffing.requirements", "staffing.plan", "staffing.costs",
                "staffing.shifts", "staffing.schedules", "staffing.rosters",
                "staffing.serve", "staffing.backlog", "staffing.hiring", "staffing.cohorts",
                "staffing.hire_or_rent", "staffing.way_out", "forecast.seasonality",
                "forecast.multipliers", "forecast.quantiles", "surgeplan.demand", "surgeplan.summary",
                "surgeplan.people", "surgeplan.evaluate", "surgeplan.pipeline", "staffing.optimal",
                "staffing._sparse"]
HEAVY = ["typer", "matplotlib", "prophet", "statsmodels"]


def _loaded_after(module: str) -> set[str]:
    code = f"import json, sys, {module}; print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, check=True)
    return set(json.loads(out.stdout))


@pytest.mark.parametrize("module", PURE_MODULES)
def test_pure_modules_import_no_cli_plotting_or_heavy_models(module):
    loaded = _loaded_after(module)
    assert not [m for m in HEAVY if m in loaded]


@pytest.mark.parametrize("package, forbidden", [
    ("calendars", ["forecast", "staffing", "surgeplan"]),
    ("calendars.io", ["forecast", "staffing", "surgeplan"]),
    ("forecast.models", ["staffing", "surgeplan"]),
    ("forecast.io", ["staffing", "surgeplan"]),
    ("staffing.costs", ["calendars", "forecast", "surgeplan"]),
    ("staffing.requirements", ["calendars", "forecast", "surgeplan"]),
    ("staffing.schedules", ["calendars", "forecast", "surgeplan"]),
    ("staffing.rosters", ["calendars", "forecast", "surgeplan"]),
])
def test_dependency_direction(package, forbidden):
    loaded = _loaded_after(package)
    assert not [m for m in loaded if m.split(".")[0] in forbidden]


def test_cli_import_is_light():
    loaded = _loaded_after("surgeplan.cli")
    assert not [m for m in HEAVY + ["pandas", "numpy", "scipy"] if m in loaded and m != "typer"]


PACKAGES = ["calendars", "forecast", "staffing", "surgeplan"]


def _import_graph() -> dict[str, set[str]]:
    """Module -> project modules it imports, at the top or inside a function (AST, not runtime)."""
    import ast

    graph: dict[str, set[str]] = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).glob("*.py")):
            module = package if path.stem == "__init__" else f"{package}.{path.stem}"
            found = set()
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ImportFrom) and node.module:
                    names = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
                elif isinstance(node, ast.Import):
                    names = [a.name for a in node.names]
                else:
                    continue
                for name in names:
                    parts = name.split(".")
                    if parts[0] in PACKAGES and len(parts) > 1 and \
                            (ROOT / parts[0] / f"{parts[1]}.py").exists():
                        found.add(f"{parts[0]}.{parts[1]}")
            graph[module] = found - {module}
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    state: dict[str, int] = {}
    found = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                found.append(path[path.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt, path)
        path.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [])
    return found


def test_no_import_cycles_inside_or_across_packages():
    # an import hidden inside a function is still an edge: a cycle broken that way is a cycle
    assert _cycles(_import_graph()) == []


def test_cycle_finder_finds_a_cycle():
    assert _cycles({"a.x": {"a.y"}, "a.y": {"a.z"}, "a.z": {"a.x"}}) == [["a.x", "a.y", "a.z", "a.x"]]


@pytest.mark.parametrize("package, allowed", [
    ("calendars", set()), ("forecast", {"calendars"}), ("staffing", set()),
])
def test_domain_packages_import_only_what_the_design_allows(package, allowed):
    graph = _import_graph()
    for module, imports in graph.items():
        if module.split(".")[0] == package:
            outside = {m.split(".")[0] for m in imports} - {package} - allowed
            assert not outside, (module, outside)


@pytest.mark.parametrize("module", ["forecast.registry", "surgeplan.console"])
def test_light_modules_import_no_pandas(module):
    loaded = _loaded_after(module)
    assert not [m for m in ["pandas", "numpy", "scipy", *HEAVY] if m in loaded and m != "typer"]

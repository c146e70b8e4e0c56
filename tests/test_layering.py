"""The package boundaries of STYLE.md, checked in fresh interpreters."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import ROOT

PURE_MODULES = ["calendars.events", "calendars.hours", "forecast.history", "forecast.models",
                "forecast.events", "forecast.intraday", "staffing.erlang", "staffing.erlang_a",
                "staffing.async_work", "staffing.requirements", "staffing.plan", "staffing.costs",
                "surgeplan.pipeline"]
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
])
def test_dependency_direction(package, forbidden):
    loaded = _loaded_after(package)
    assert not [m for m in loaded if m.split(".")[0] in forbidden]


def test_cli_import_is_light():
    loaded = _loaded_after("surgeplan.cli")
    assert not [m for m in HEAVY + ["pandas", "numpy", "scipy"] if m in loaded and m != "typer"]

"""Every script in examples/ runs as a user would run it, and the example data is reproducible.

Each script runs in a subprocess with this interpreter (the venv's python),
from a scratch folder, so it cannot lean on the test process's imports or on
the repository being the working directory.
"""
from __future__ import annotations

import filecmp
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
DATA = EXAMPLES / "data"
GENERATOR = "make_example_data.py"
#: Every script but the data generator (tested for reproducibility instead).
SCRIPTS = sorted(p.name for p in EXAMPLES.glob("*.py") if p.name != GENERATOR)
DATE = r"\d{4}-\d{2}-\d{2}"


def run_script(name: str, *args: str, cwd: Path, timeout_s: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(EXAMPLES / name), *args], cwd=cwd,
                          capture_output=True, text=True, timeout=timeout_s)


def test_there_is_an_end_to_end_example():
    assert "plan_peak_season.py" in SCRIPTS


@pytest.mark.parametrize("name", SCRIPTS)
def test_every_example_script_runs(name, tmp_path, request):
    if name == "plan_peak_season.py":  # already run once by its fixture; reuse that run
        request.getfixturevalue("peak_season")
        return
    done = run_script(name, cwd=tmp_path)
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="module")
def peak_season(tmp_path_factory):
    """Run examples/plan_peak_season.py once, writing its report to a scratch folder."""
    base = tmp_path_factory.mktemp("peak")
    out = base / "out"
    done = run_script("plan_peak_season.py", "--out", str(out), cwd=base)
    assert done.returncode == 0, done.stderr
    return done.stdout, out


def test_plan_peak_season_prints_core_per_queue(peak_season):
    stdout, _ = peak_season
    assert "Core team (in-house)" in stdout
    for queue in ("chat", "email", "phone"):
        assert re.search(rf"^\s+{queue}\s+\d+\.\d FTE", stdout, re.MULTILINE), queue


def test_plan_peak_season_prints_windows_with_notice_by_dates(peak_season):
    stdout, _ = peak_season
    windows = re.findall(rf"^\s+W\d+\s+(\w+)\s+\S+\s+({DATE}) to ({DATE}).*notice by ({DATE})",
                         stdout, re.MULTILINE)
    assert windows, stdout
    assert {source for source, *_ in windows} <= {"nearshore", "offshore"}
    # The holiday season needs a window, and every notice date comes before its start.
    assert any(start <= "2026-12-01" <= end for _, start, end, _ in windows)
    assert all(notice < start for _, start, _, notice in windows)


def test_plan_peak_season_prints_every_cost_scenario(peak_season):
    stdout, _ = peak_season
    assert "Cost scenarios over the horizon (USD)" in stdout
    for scenario in ("all in-house (sized for peak)", "in-house core + nearshore overflow",
                     "all offshore"):
        assert re.search(rf"{re.escape(scenario)}\s+total\s+[\d,]+", stdout), scenario


def test_plan_peak_season_writes_the_report(peak_season):
    stdout, out = peak_season
    assert f"to {out}" in stdout
    for name in ("forecast.csv", "plan.csv", "windows.csv", "costs.csv", "report.html"):
        assert (out / name).stat().st_size > 0, name


def test_example_data_is_reproduced_byte_for_byte(tmp_path):
    done = run_script(GENERATOR, "--out", str(tmp_path), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    for name in ("daily_counts.csv", "promo_calendar.csv", "tickets_recent.csv",
                 "true_mean.csv", "truth.json"):
        assert filecmp.cmp(tmp_path / name, DATA / name, shallow=False), \
            f"{name}: make_example_data.py no longer writes the committed file"

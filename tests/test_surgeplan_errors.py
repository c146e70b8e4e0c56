"""Bad input is exit 2 with one line; anything else is a bug: exit 1 with one line (--debug: all)."""
from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest
from typer.testing import CliRunner

from surgeplan.cli import app
from surgeplan.console import main_guard
from tests.conftest import ROOT

runner = CliRunner()


def test_an_unexpected_error_is_one_line_and_exit_1(capsys):
    def broken():
        raise KeyError("planner")
    with pytest.raises(SystemExit) as info:
        main_guard(broken)
    assert info.value.code == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "unexpected KeyError" in err and "--debug" in err
    assert "Traceback" not in err


def test_debug_shows_the_traceback(monkeypatch):
    monkeypatch.setenv("SURGEPLAN_DEBUG", "1")
    with pytest.raises(KeyError):
        main_guard(lambda: {}["planner"])


def test_the_console_script_turns_a_bug_into_exit_1(tmp_path):
    # an internal ValueError is no longer passed off as bad input (it used to exit 2)
    code = ("import sys; import surgeplan.cli as c; import forecast.models as m\n"
            "def boom(*a, **k): raise ValueError('internal invariant broken')\n"
            "m.forecast_queues = boom\n"
            "import surgeplan.pipeline as p; p.forecast_queues = boom\n"
            "sys.argv = ['surgeplan', 'plan', '--out', sys.argv[1]]; c.main()")
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path / "o")], cwd=ROOT,
                         capture_output=True, text=True)
    assert out.returncode == 1
    assert "unexpected ValueError: internal invariant broken" in out.stderr
    assert "Traceback" not in out.stderr


@pytest.mark.parametrize("volumes, words", [
    ([0.0] * 60, "zero on every day"),
    ([5.0] * 3, "3 days with a count"),
])
def test_a_history_that_cannot_give_a_forecast_is_refused_naming_the_queue(tmp_path, volumes,
                                                                           words):
    path = tmp_path / "daily.csv"
    pd.DataFrame({"date": pd.date_range("2026-01-05", periods=len(volumes)),
                  "volume": volumes}).to_csv(path, index=False)
    result = runner.invoke(app, ["forecast", "--history", str(path), "--model", "naive",
                                 "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "queue 'all'" in result.stderr and words in result.stderr


def test_a_calendar_covering_every_day_is_refused(tmp_path):
    path = tmp_path / "daily.csv"
    pd.DataFrame({"date": pd.date_range("2026-01-05", periods=60),
                  "volume": 100.0}).to_csv(path, index=False)
    cal = tmp_path / "promos.csv"
    cal.write_text("name,type,start,end\nForever,promotion,2025-12-01,2026-12-31\n")
    result = runner.invoke(app, ["forecast", "--history", str(path), "--calendar", str(cal),
                                 "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "days outside events" in result.stderr

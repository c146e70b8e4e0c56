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


@pytest.mark.parametrize("text, words", [
    # issue 17's repro: two days a week apart, one day ahead (once an all-NaN forecast, exit 1)
    ("date,volume\n2024-01-01,5\n2024-01-09,4\n", "queue 'all' has 2 days with a count"),
    # a single-row queue beside a healthy one
    ("date,channel,volume\n" + "".join(f"2024-01-{d:02d},chat,{10 + d}\n" for d in range(1, 29))
     + "2024-01-28,sms,3\n", "queue 'sms' has 1 days with a count"),
])
def test_degenerate_histories_are_exit_2_naming_the_queue(tmp_path, text, words):
    path = tmp_path / "h.csv"
    path.write_text(text)
    result = runner.invoke(app, ["forecast", "--history", str(path), "--model", "naive",
                                 "--horizon-days", "1", "--out", str(tmp_path / "o")])
    assert result.exit_code == 2 and words in result.stderr
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize("options, words", [
    (["--tz", "Mars/Olympus"], "--tz: unknown time zone 'Mars/Olympus'"),
    (["--tz", ""], "--tz: unknown time zone ''"),
    (["--country", "XX"], "--country: unknown country code 'XX'"),
])
def test_forecast_options_are_checked_before_any_work(tmp_path, options, words):
    path = tmp_path / "h.csv"
    path.write_text("date,volume\n2024-01-01,5\n")
    result = runner.invoke(app, ["forecast", "--history", str(path), *options,
                                 "--out", str(tmp_path / "o")])
    assert result.exit_code == 2 and words in result.stderr


@pytest.mark.parametrize("command", ["forecast", "plan"])
@pytest.mark.parametrize("out, words", [("a_file", "found a file"),
                                        ("a_file/sub", "a part of this path is a file")])
def test_an_output_path_that_cannot_be_a_folder_is_exit_2_before_the_work(tmp_path, command,
                                                                          out, words):
    (tmp_path / "a_file").write_text("x")
    history = tmp_path / "h.csv"
    history.write_text("date,volume\n2024-01-01,5\n")  # too short: the --out check comes first
    result = runner.invoke(app, [command, "--history", str(history), "--out",
                                 str(tmp_path / out)])
    assert result.exit_code == 2 and words in result.stderr


def test_an_output_folder_without_write_permission_is_exit_2(tmp_path, monkeypatch):
    import os

    history = tmp_path / "h.csv"
    history.write_text("date,volume\n2024-01-01,5\n")
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: False if str(p) == str(tmp_path / "ro")
                        else real_access(p, mode))
    (tmp_path / "ro").mkdir()
    result = runner.invoke(app, ["forecast", "--history", str(history), "--out",
                                 str(tmp_path / "ro" / "o")])
    assert result.exit_code == 2 and "no permission" in result.stderr


@pytest.mark.parametrize("extra", [[], ["--patience-s", "100"]])
@pytest.mark.parametrize("arrivals", ["1e300", "0.99"])  # 0.99: 1e297 Erlangs, found by make fuzz
def test_an_infinite_load_in_the_calculator_is_bad_input(extra, arrivals):
    result = runner.invoke(app, ["erlang", "--arrivals", arrivals, "--aht-s", "1e300",
                                 "--target-sl", "0.8", "--target-answer-s", "20", *extra])
    assert result.exit_code == 2 and "expected a finite load" in result.stderr

"""The planner's own data in one command, init from a history, --as-of, --version."""
from __future__ import annotations

import json
import shutil
import tomllib

import pandas as pd
import pytest
from typer.testing import CliRunner

from surgeplan.cli import app
from tests.conftest import EXAMPLE
from tests.small_plan import write_case

runner = CliRunner()


def test_a_zendesk_export_plans_with_one_command_and_no_config(tmp_path):
    export = tmp_path / "my_export.csv"
    shutil.copy(EXAMPLE / "tickets_recent.csv", export)  # Id, Created at, Via, Tags, ...
    result = runner.invoke(app, ["plan", "--history", str(export), "--tz", "America/New_York",
                                 "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.split())
    assert "Assumed (config): every queue and source: no --config" in text
    assert "surgeplan init --history FILE plan.toml" in text
    assert "Holiday season" not in text  # nothing of the bundled store's calendar
    costs = pd.read_csv(tmp_path / "out" / "costs.csv")
    assert costs["scenario"].iloc[0] == "recommended"
    plan = pd.read_csv(tmp_path / "out" / "plan.csv")
    assert sorted(plan["queue"].unique()) == ["chat", "email", "phone"]


def test_init_from_a_history_writes_a_config_that_plans_it_unchanged(tmp_path):
    folder = tmp_path / "case"
    write_case(folder, queues=("chat", "phone"))
    config = tmp_path / "plan.toml"
    result = runner.invoke(app, ["init", str(config), "--history", str(folder / "daily.csv"),
                                 "--tz", "Europe/London"])
    assert result.exit_code == 0, result.output
    raw = tomllib.loads(config.read_text(encoding="utf-8"))
    assert list(raw["queues"]) == ["chat", "phone"]
    assert raw["queues"]["phone"]["channel"] == "phone"
    assert list(raw["sources"]) == ["inhouse", "nearshore", "offshore"]
    assert raw["sources"]["offshore"]["queues"] == ["chat"]  # no live phone offshore
    assert raw["business"]["timezone"] == "Europe/London"
    assert config.read_text(encoding="utf-8").endswith("\n")
    result = runner.invoke(app, ["plan", "--config", str(config), "--out", str(tmp_path / "o"),
                                 "--json"])
    assert result.exit_code == 0, result.output
    assert set(json.loads(result.stdout)["core_fte"]) == {"chat", "phone"}


def test_plain_init_has_every_channel_and_source(tmp_path):
    result = runner.invoke(app, ["init", str(tmp_path / "plan.toml")])
    assert result.exit_code == 0
    raw = tomllib.loads((tmp_path / "plan.toml").read_text(encoding="utf-8"))
    assert list(raw["queues"]) == ["chat", "email", "phone"]
    assert list(raw["sources"]) == ["inhouse", "nearshore", "offshore"]


def test_as_of_plans_from_an_earlier_date(tmp_path):
    config = write_case(tmp_path / "case")
    result = runner.invoke(app, ["plan", "--config", str(config), "--as-of", "2026-01-15",
                                 "--out", str(tmp_path / "o"), "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["as_of"] == "2026-01-15"
    forecast = pd.read_csv(tmp_path / "o" / "forecast.csv")
    assert forecast["date"].min() == "2026-01-15"


def test_as_of_after_the_history_is_refused(tmp_path):
    config = write_case(tmp_path / "case")
    result = runner.invoke(app, ["plan", "--config", str(config), "--as-of", "2027-01-01",
                                 "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "ends on 2026-03-01" in result.stderr  # 420 days from 2025-01-06
    result = runner.invoke(app, ["plan", "--config", str(config), "--as-of", "soon",
                                 "--out", str(tmp_path / "o")])
    assert result.exit_code == 2 and "--as-of" in result.stderr


def test_version():
    from surgeplan import __version__

    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout.strip() == f"surgeplan {__version__}"


def test_the_console_summary_keeps_every_money_figure_whole_at_100_and_160_columns(tmp_path):
    config = write_case(tmp_path / "case", queues=("chat", "email"))
    for width in (100, 160):
        out = tmp_path / f"o{width}"
        result = runner.invoke(app, ["plan", "--config", str(config), "--out", str(out)],
                               env={"COLUMNS": str(width)})
        assert result.exit_code == 0, result.output
        lines = result.stdout.splitlines()
        assert max(len(line) for line in lines) <= width
        costs = pd.read_csv(out / "costs.csv")
        for _, row in costs.iterrows():
            for column in ("total_cost", "monthly_cost"):
                # the CSV holds 4 decimals: a figure on a half unit may print either way
                figures = {f"{row[column] + d:,.0f}" for d in (-1e-3, 0.0, 1e-3)}
                assert any(f in line for f in figures for line in lines), (width, column, figures)
            assert f"{row['cost_per_ticket']:,.2f}" in result.stdout
        assert "…" not in result.stdout  # nothing cut short


def test_the_wfm_export_round_trips_without_time_zones_and_matches_the_intervals(tmp_path):
    config = write_case(tmp_path / "case", queues=("chat", "phone"))
    out = tmp_path / "o"
    result = runner.invoke(app, ["plan", "--config", str(config), "--out", str(out)])
    assert result.exit_code == 0, result.output
    wfm = pd.read_csv(out / "wfm_intervals.csv", dtype={"date": str, "time": str})
    assert list(wfm.columns) == ["date", "time", "interval_min", "queue", "volume_p50",
                                 "volume_p90", "aht_s", "agents"]
    starts = pd.to_datetime(wfm["date"] + " " + wfm["time"], format="%Y-%m-%d %H:%M")
    assert starts.dt.tz is None  # local wall clock, nothing to convert
    assert (wfm["time"].str.fullmatch(r"\d\d:\d\d")).all() and (wfm["interval_min"] == 30).all()
    intervals = pd.read_csv(out / "intervals.csv")
    for queue, one in intervals.groupby("queue"):  # the same rows, the same agents
        mine = wfm[wfm["queue"] == queue]
        assert len(mine) == len(one)
        assert mine["agents"].sum() == pytest.approx(one["agents"].sum(), rel=1e-6)
    assert (wfm["volume_p90"] >= wfm["volume_p50"] - 1e-9).all()
    forecast = pd.read_csv(out / "forecast.csv")
    chat = forecast[forecast["queue"] == "chat"]  # open every day: each day's volume is split
    for column in ("volume_p50", "volume_p90"):
        assert wfm.loc[wfm["queue"] == "chat", column].sum() == pytest.approx(
            chat[column].sum(), rel=1e-6)
    assert set(wfm.loc[wfm["queue"] == "phone", "aht_s"]) == {360.0}


def test_shifts_and_hiring_from_the_config(tmp_path):
    config = write_case(tmp_path / "case", queues=("chat",), horizon_days=14,
                        extra={"shifts": {"enabled": True, "lengths_h": [4, 8]},
                               "hiring": {"enabled": True, "attrition_per_month": 0.12,
                                          "lead_time_days": 10, "training_weeks": 1}})
    out = tmp_path / "o"
    result = runner.invoke(app, ["plan", "--config", str(config), "--out", str(out)])
    assert result.exit_code == 0, result.output
    shifts = pd.read_csv(out / "shifts.csv")
    assert set(shifts["length_h"]) <= {4.0, 8.0} and (shifts["agents"] > 0).all()
    days = pd.read_csv(out / "shift_days.csv")
    # the plan's FTE are the shifts' (the fluid curve is the lower bound)
    daily = pd.read_csv(out / "daily_requirements.csv")
    assert (daily["required_fte"] >= daily["fluid_fte"] - 1e-9).all()
    assert days["efficiency"].between(0, 1).all()
    assert (out / "roster_weekly.csv").exists()
    monthly = pd.read_csv(out / "hiring_monthly.csv")
    assert {"month", "queue", "target_fte", "headcount", "productive_fte"} <= set(monthly.columns)
    text = " ".join(result.stdout.split())
    assert "Shifts:" in text and "schedule efficiency" in text
    hires = pd.read_csv(out / "hiring.csv")
    for h in hires.groupby("queue").head(1).itertuples():
        assert f"Hire {h.people:.0f} for {h.queue} by {h.decide_by}" in text


def test_schedule_command_on_a_plans_folder(tmp_path):
    config = write_case(tmp_path / "case", queues=("chat",), horizon_days=7,
                        extra={"shifts": {"lengths_h": [4, 6, 8]}})
    out = tmp_path / "o"
    assert runner.invoke(app, ["plan", "--config", str(config), "--out", str(out)]).exit_code == 0
    result = runner.invoke(app, ["schedule", "--config", str(config), "--plan", str(out),
                                 "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert 0 < doc["efficiency"] <= 1 and doc["gap"] >= 0
    shifts = pd.read_csv(out / "shifts.csv")
    assert set(shifts["length_h"]) <= {4.0, 6.0, 8.0}
    coverage = pd.read_csv(out / "intervals.csv")
    assert shifts["agents"].sum() > 0 and len(coverage)


def test_a_shift_longer_than_the_open_hours_is_exit_2_naming_the_key(tmp_path):
    config = write_case(tmp_path / "case", queues=("phone",), horizon_days=7,
                        extra={"shifts": {"enabled": True, "lengths_h": [10]}})  # open 9 h
    result = runner.invoke(app, ["plan", "--config", str(config), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2, result.output
    assert "key shifts.lengths_h" in result.stderr

"""The plans a planner makes every week run, through the CLI: no crash, no silent nonsense.

A 20-day horizon, a plan inside every partner's lead time, a queue closed at
weekends, a single queue, no partner, no in-house team, no calendar, an edited
forecast. Each is a small synthetic business (tests/small_plan.py) planned with
``surgeplan plan --json``.
"""
from __future__ import annotations

import json
import re
import shutil

import pandas as pd
import pytest
from typer.testing import CliRunner

from surgeplan.cli import app
from tests.conftest import EXAMPLE
from tests.small_plan import SOURCES, write_case

runner = CliRunner()


def plan(config, out, *extra):
    result = runner.invoke(app, ["plan", "--config", str(config), "--out", str(out), "--json",
                                 *extra])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout), out


def sale(start: str, days: int = 2, uplift: float | None = None) -> pd.DataFrame:
    row = {"name": "Flash sale", "type": "flash_sale", "start": start,
           "end": str((pd.Timestamp(start) + pd.Timedelta(days=days - 1)).date())}
    if uplift:
        row["uplift"] = uplift
    return pd.DataFrame([row])


def test_the_example_over_20_days(tmp_path):
    folder = tmp_path / "example"
    shutil.copytree(EXAMPLE, folder)
    config = folder / "plan.toml"
    config.write_text(config.read_text(encoding="utf-8").replace("horizon_days = 120",
                                                                  "horizon_days = 20"))
    doc, out = plan(config, tmp_path / "out")
    costs = pd.read_csv(out / "costs.csv")
    assert costs["scenario"].iloc[0] == "recommended"
    assert len(pd.read_csv(out / "plan.csv")) == 20 * 4
    assert (out / "report.html").exists() and (out / "plan.xlsx").exists()


def test_a_plan_inside_every_partners_lead_time_names_the_notice_it_needed(tmp_path):
    # history ends 2026-03-01 (420 days from 2025-01-06); the sale is 5 days in, every
    # partner needs 14 days' notice: nobody can be called in time
    config = write_case(tmp_path / "case", calendar=sale("2026-03-06", uplift=6.0))
    doc, out = plan(config, tmp_path / "out")
    plan_csv = pd.read_csv(out / "plan.csv", parse_dates=["date"])
    short = plan_csv[plan_csv["shortfall_fte"] > 0.05]
    assert len(short) and short["date"].min() >= pd.Timestamp("2026-03-06")
    assert short["shortfall_reason"].str.contains(
        "lead time: nearshore needed notice by 2026-02-2").all()
    assert pd.read_csv(out / "windows.csv").empty  # no window can open in time


def test_a_queue_closed_at_weekends(tmp_path):
    config = write_case(tmp_path / "case", queues=("chat", "phone"))
    doc, out = plan(config, tmp_path / "out")
    daily = pd.read_csv(out / "daily_requirements.csv", parse_dates=["date"])
    phone = daily[daily["queue"] == "phone"]
    weekend = phone["date"].dt.day_of_week >= 5
    assert (phone.loc[weekend, "required_fte"] == 0).all()
    assert (phone.loc[~weekend, "required_fte"] > 0).all()
    intervals = pd.read_csv(out / "intervals.csv")
    assert not intervals[intervals["queue"] == "phone"]["interval_start"].str[:10].map(
        lambda d: pd.Timestamp(d).day_of_week >= 5).any()


def test_one_queue_no_partner_no_calendar(tmp_path):
    config = write_case(tmp_path / "case", sources={"team": SOURCES["inhouse"]})
    doc, out = plan(config, tmp_path / "out")
    costs = pd.read_csv(out / "costs.csv")
    assert costs["scenario"].tolist() == ["recommended", "all in-house (sized for peak)"]
    assert doc["windows"] == []
    assert pd.read_csv(out / "windows.csv").empty


def test_no_inhouse_team_plans_with_partners_only(tmp_path):
    partner = {k: v for k, v in SOURCES["nearshore"].items() if k != "cost_ratio"}
    config = write_case(tmp_path / "case", sources={"bpo": {**partner, "hourly_cost": 15.0,
                                                            "lead_time_days": 0}})
    doc, out = plan(config, tmp_path / "out")
    assert doc["core_fte"] == {"chat": 0.0}
    plan_csv = pd.read_csv(out / "plan.csv")
    assert plan_csv["overflow_fte"].sum() > 0


def test_no_source_at_all_is_all_shortfall_and_says_why(tmp_path):
    config = write_case(tmp_path / "case", sources={})
    doc, out = plan(config, tmp_path / "out")
    plan_csv = pd.read_csv(out / "plan.csv")
    assert plan_csv["shortfall_fte"].sum() == pytest.approx(plan_csv["required_fte"].sum())
    assert plan_csv.loc[plan_csv["shortfall_fte"] > 0, "shortfall_reason"].str.contains(
        "no partner").all()


def test_an_edited_forecast_is_planned_as_given(tmp_path):
    config = write_case(tmp_path / "case")
    _, first = plan(config, tmp_path / "first")
    forecast = pd.read_csv(first / "forecast.csv")
    edited = forecast.copy()
    day = edited["date"].iloc[5]
    edited.loc[edited["date"] == day, ["volume_p10", "volume_p50", "volume_p90"]] *= 2
    edited.to_csv(tmp_path / "edited.csv", index=False)
    _, second = plan(config, tmp_path / "second", "--forecast", str(tmp_path / "edited.csv"))
    again = pd.read_csv(second / "forecast.csv")
    assert again["volume_p50"].tolist() == pytest.approx(edited["volume_p50"].tolist(), rel=1e-4)
    before = pd.read_csv(first / "daily_requirements.csv").set_index("date")["required_fte"]
    after = pd.read_csv(second / "daily_requirements.csv").set_index("date")["required_fte"]
    assert 1.3 * before[day] < after[day] < 2 * before[day]  # twice the volume, Erlang economies
    others = before.index != day
    assert after[others].tolist() == pytest.approx(before[others].tolist())


def test_a_bad_forecast_file_is_exit_2_naming_the_line(tmp_path):
    config = write_case(tmp_path / "case")
    bad = tmp_path / "bad.csv"
    bad.write_text("date,queue,volume_p50\n2026-03-01,chat,10\n2026-03-02,chat,-4\n")
    result = runner.invoke(app, ["plan", "--config", str(config), "--forecast", str(bad),
                                 "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "bad.csv, line 3, column volume_p50" in result.stderr


def test_the_console_says_what_was_assumed_and_how_to_change_it(tmp_path):
    config = write_case(tmp_path / "case", horizon_days=20, calendar=sale("2026-03-12"))
    result = runner.invoke(app, ["plan", "--config", str(config), "--out", str(tmp_path / "o")])
    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.split())
    # a flash sale never seen before takes the preset, said with the key that changes it
    assert "Assumed (event uplift): Flash sale: flash sale x10 (a preset" in text
    assert "set its uplift in the calendar" in text
    # no ticket export: the intraday shape is the channel's default, and it says so
    assert "Assumed (intraday shape): chat: the channel's default curve" in text
    page = (tmp_path / "o" / "report.html").read_text(encoding="utf-8")
    assert "What the plan assumes rather than learns" in page and "Flash sale" in page


def test_a_calendar_uplift_on_a_learned_type_overrides_it_and_says_so(tmp_path):
    # two past flash sales that moved nothing (learned about x1) and one ahead at x3
    calendar = pd.concat([sale("2025-05-15", 1), sale("2025-09-18", 1),
                          sale("2026-03-12", 1, uplift=3.0)], ignore_index=True)
    config = write_case(tmp_path / "case", horizon_days=20, calendar=calendar)
    result = runner.invoke(app, ["plan", "--config", str(config), "--out", str(tmp_path / "o")])
    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.split())
    assert "Flash sale: flash sale x3 (from the calendar, overriding the x1." in text
    assert "clear its uplift in the calendar to use the learned one" in text
    uplifts = pd.read_csv(tmp_path / "o" / "uplifts.csv")
    assert (uplifts["source"] == "override").sum() == 1
    forecast = pd.read_csv(tmp_path / "o" / "forecast.csv", parse_dates=["date"]).set_index("date")
    # the sale day is three times the same weekday a week either side
    week = pd.Timedelta(days=7)
    day = pd.Timestamp("2026-03-12")
    around = (forecast.loc[day - week, "volume_p50"] + forecast.loc[day + week, "volume_p50"]) / 2
    assert forecast.loc[day, "volume_p50"] / around == pytest.approx(3.0, rel=0.05)


def test_profile_prints_every_stage_time_on_stderr_and_leaves_json_alone(tmp_path, monkeypatch):
    from surgeplan.pipeline import STAGES

    config = write_case(tmp_path / "case", horizon_days=20)
    monkeypatch.setenv("SURGEPLAN_PROFILE", "1")
    result = runner.invoke(app, ["plan", "--config", str(config), "--out", str(tmp_path / "o"),
                                 "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["outputs"]  # stdout is still one JSON document
    lines = result.stderr.splitlines()
    rows = lines[lines.index("stage times (--profile):") + 1:]
    names = [line.split("  ")[0] for line in rows]
    assert names == ["reading inputs", *STAGES, "writing outputs", "total"]
    seconds = [float(re.search(r"([0-9.]+) s", line).group(1)) for line in rows]
    # each line is rounded to 0.01 s: the total may differ from their sum by half of that each
    assert all(s >= 0 for s in seconds)
    assert seconds[-1] == pytest.approx(sum(seconds[:-1]), abs=0.005 * len(seconds) + 1e-9)
    monkeypatch.setenv("SURGEPLAN_PROFILE", "0")
    quiet = runner.invoke(app, ["plan", "--config", str(config), "--out", str(tmp_path / "o")])
    assert "stage times" not in quiet.stderr + quiet.stdout


def test_plan_forecasts_queues_in_parallel_with_the_same_result(tmp_path):
    config = write_case(tmp_path / "case", queues=("chat", "email"), horizon_days=20)
    serial, _ = plan(config, tmp_path / "serial")
    pooled, _ = plan(config, tmp_path / "pool", "--jobs", "2")
    assert serial["costs"] and pooled["costs"] == serial["costs"]
    frames = [pd.read_csv(tmp_path / name / "forecast.csv") for name in ("serial", "pool")]
    pd.testing.assert_frame_equal(*frames)
    bad = runner.invoke(app, ["plan", "--config", str(config), "--out", str(tmp_path / "x"),
                              "--jobs", "0"])
    assert bad.exit_code == 2 and "n_jobs" in bad.stderr


def test_a_short_tier2_gets_its_ways_out_costed(tmp_path):
    # a flash sale (x10 preset) 12 days ahead: Tier 2, in-house only with a 90-day lead time,
    # is short; the plan offers overtime, a temporary hire and the partner, each costed
    config = write_case(tmp_path / "case", horizon_days=20, calendar=sale("2026-03-13"),
                        extra={"escalation": {"share": 0.1}})
    result = runner.invoke(app, ["plan", "--config", str(config), "--out", str(tmp_path / "o")])
    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.split())
    assert "Ways out for tier2 (" in text and "no partner may serve it" in text
    options = pd.read_csv(tmp_path / "o" / "way_out.csv", parse_dates=["start", "decide_by"])
    assert options["option"].tolist() == ["overtime", "temporary hire", "partner nearshore"]
    plan_rows = pd.read_csv(tmp_path / "o" / "plan.csv")
    short = plan_rows.loc[plan_rows["queue"] == "tier2", "shortfall_fte"].sum()
    both = options["fte_days_covered"] + options["fte_days_left"]
    assert both.to_numpy() == pytest.approx([short] * 3, rel=1e-3)
    overtime = options.iloc[0]
    assert overtime["cost"] == pytest.approx(overtime["fte_days_covered"] * 8 * 30.0 * 1.5,
                                             rel=1e-3)  # paid hours x in-house rate x premium
    # the temporary hire cannot start before the in-house lead time has passed
    hire = options.iloc[1]
    assert hire["start"] >= hire["decide_by"] + pd.Timedelta(days=90)
    document = json.loads(runner.invoke(app, ["plan", "--config", str(config), "--out",
                                              str(tmp_path / "o"), "--json"]).stdout)
    assert [w["option"] for w in document["ways_out"]] == options["option"].tolist()

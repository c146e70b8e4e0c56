"""The CLI end to end on the bundled example, and every bad input it must refuse cleanly."""
from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from surgeplan.cli import app
from tests.conftest import EXAMPLE

runner = CliRunner()

DESIGN_COLUMNS = {
    "forecast.csv": ["date", "queue", "volume_p10", "volume_p50", "volume_p90", "regime", "events"],
    "intervals.csv": ["interval_start", "queue", "volume", "agents", "sl", "asa_s", "occupancy"],
    "plan.csv": ["date", "queue", "required_fte", "core_fte", "overflow_fte", "source"],
    "windows.csv": ["window", "source", "queue", "start", "end", "peak_fte", "fte_days",
                    "notice_by", "reason"],
    "costs.csv": ["scenario", "core_cost", "overflow_cost", "total_cost", "cost_per_ticket",
                  "understaffed_hours", "idle_hours"],
}


@pytest.fixture(scope="module")
def example_run(tmp_path_factory) -> tuple[Path, object]:
    out = tmp_path_factory.mktemp("plan") / "out"
    result = runner.invoke(app, ["plan", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out, result


@pytest.fixture(scope="module")
def outputs(example_run) -> dict[str, pd.DataFrame]:
    out, _ = example_run
    return {name: pd.read_csv(out / name) for name in DESIGN_COLUMNS}


def test_plan_writes_every_output_with_design_columns(example_run, outputs):
    out, _ = example_run
    for name, columns in DESIGN_COLUMNS.items():
        assert set(columns) <= set(outputs[name].columns), name
        assert len(outputs[name]) > 0, name
    for chart in ("forecast.png", "plan.png", "costs.png"):
        assert (out / chart).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert not list(out.glob(".*.tmp")), "temporary files left behind"


def test_summary_names_core_windows_and_scenarios(example_run, outputs):
    _, result = example_run
    text = result.stdout
    for queue in ("chat", "email", "phone"):
        assert queue in text
    for window in outputs["windows.csv"].itertuples():
        assert window.notice_by in text
    for scenario in ("all in-house", "in-house core + nearshore overflow",
                     "in-house core + offshore overflow"):
        assert scenario in text


def test_forecast_covers_the_horizon_and_orders_quantiles(outputs):
    forecast = outputs["forecast.csv"]
    config = tomllib.loads((EXAMPLE / "plan.toml").read_text())
    horizon = config["forecast"]["horizon_days"]
    assert forecast.groupby("queue")["date"].nunique().eq(horizon).all()
    assert forecast["date"].min() == "2026-10-19"  # the day after the example's history
    assert (forecast["volume_p10"] <= forecast["volume_p50"] + 1e-9).all()
    assert (forecast["volume_p50"] <= forecast["volume_p90"] + 1e-9).all()
    total = forecast.groupby("date")["volume_p50"].sum()
    normal = forecast[forecast["regime"] == "normal"].groupby("date")["volume_p50"].sum()
    # A flash sale is ~10x a normal day in the example's truth; the holiday plateau 3-5x.
    assert total["2027-01-20"] > 5 * normal.median()
    assert 2.5 * normal.median() < total["2026-12-08"] < 6 * normal.median()


def _days(frame: pd.DataFrame, start: str, end: str) -> set[str]:
    return {d.strftime("%Y-%m-%d") for d in pd.date_range(start, end)}


def test_windows_cover_flash_sales_and_the_holiday_season(outputs):
    windows = outputs["windows.csv"]
    covered = set()
    for w in windows.itertuples():
        covered |= _days(windows, w.start, w.end)
    calendar = pd.read_csv(EXAMPLE / "promo_calendar.csv")
    ahead = calendar[(calendar["start"] >= "2026-10-19") & (calendar["start"] <= "2027-02-15")]
    for event in ahead[ahead["type"].isin(["flash_sale", "holiday_peak"])].itertuples():
        assert _days(windows, event.start, event.end) <= covered, event.name
    season = windows[windows["reason"].str.contains("Holiday season 2026")]
    assert ((pd.to_datetime(season["end"]) - pd.to_datetime(season["start"])).dt.days >= 21).any()
    flash = windows[windows["reason"] == "January clearance flash sale"]
    lengths = (pd.to_datetime(flash["end"]) - pd.to_datetime(flash["start"])).dt.days + 1
    assert len(flash) and lengths.between(1, 3).all()


def test_notice_by_is_start_minus_lead_time(outputs):
    config = tomllib.loads((EXAMPLE / "plan.toml").read_text())
    windows = outputs["windows.csv"]
    for w in windows.itertuples():
        lead = config["sources"][w.source]["lead_time_days"]
        assert pd.Timestamp(w.start) - pd.Timestamp(w.notice_by) == pd.Timedelta(days=lead)


def test_core_plus_overflow_covers_the_requirement(outputs):
    plan = outputs["plan.csv"]
    covered = plan["core_fte"] + plan["overtime_fte"] + plan["overflow_fte"] + plan["shortfall_fte"]
    tolerance = 1e-3  # the CSV rounds each of the five numbers to 4 decimals
    assert (covered >= plan["required_fte"] - tolerance).all()
    # Where no shortfall is reported, core and overflow alone cover the requirement.
    served = plan[plan["shortfall_fte"] == 0]
    assert (served["core_fte"] + served["overtime_fte"] + served["overflow_fte"]
            >= served["required_fte"] - tolerance).all()


def test_costs_add_up(outputs):
    costs = outputs["costs.csv"]
    parts = costs[["core_cost", "overtime_cost", "overflow_cost", "activation_cost"]].sum(axis=1)
    assert parts.to_numpy() == pytest.approx(costs["total_cost"].to_numpy(), rel=1e-6)
    peak = costs[costs["scenario"].str.startswith("all in-house")].iloc[0]
    hybrid = costs[costs["scenario"] == "in-house core + nearshore overflow"].iloc[0]
    assert hybrid["total_cost"] < peak["total_cost"]
    assert peak["understaffed_hours"] == 0


def test_json_summary_is_one_document_on_stdout(tmp_path):
    result = runner.invoke(app, ["plan", "--out", str(tmp_path / "o"), "--json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert set(document["core_fte"]) == {"chat", "email", "phone", "tier2"}  # Tier 2 in-house
    assert document["windows"] and document["costs"]


def test_same_input_same_output(tmp_path, example_run):
    out, _ = example_run
    again = tmp_path / "again"
    assert runner.invoke(app, ["plan", "--out", str(again)]).exit_code == 0
    for name in DESIGN_COLUMNS:
        assert (again / name).read_bytes() == (out / name).read_bytes(), name


def test_erlang_calculator_textbook_case():
    # 100 calls per 30 min, AHT 180 s -> 10 Erlangs; 13 agents give SL(20 s) = 0.7956 < 0.8,
    # 14 give 0.888, so 14 agents; 14 / (1 - 0.3) = 20 FTE.
    result = runner.invoke(app, ["erlang", "--arrivals", "100", "--interval-min", "30", "--aht-s",
                                 "180", "--target-sl", "0.8", "--target-answer-s", "20",
                                 "--shrinkage", "0.3", "--json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["agents"] == 14
    assert document["fte"] == pytest.approx(20.0)
    assert 0.8 <= document["sl"] < 0.9


# ---------------------------------------------------------------------------------------
# Bad input: one line naming the file, the row or key and what was expected; exit 2; no
# traceback; nothing written to --out.

def _edit_csv(path: Path, edit) -> None:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    edit(frame).to_csv(path, index=False)


def _set(column: str, row: int, value: str):
    def edit(frame):
        frame.loc[row, column] = value
        return frame
    return edit


def _drop(column: str):
    def edit(frame):
        return frame.drop(columns=[column])
    return edit


def _duplicate_row(row: int):
    def edit(frame):
        return pd.concat([frame, frame.iloc[[row]]], ignore_index=True)
    return edit


BAD_CSV = [
    ("daily_counts.csv", _drop("volume"), ["daily_counts.csv", "volume", "required"]),
    ("daily_counts.csv", _set("date", 4, "2024-13-45"), ["daily_counts.csv", "line 6", "date"]),
    ("daily_counts.csv", _set("volume", 9, "-3"), ["daily_counts.csv", "line 11", "volume"]),
    ("daily_counts.csv", _set("volume", 9, "lots"), ["daily_counts.csv", "line 11", "number"]),
    ("daily_counts.csv", _duplicate_row(2), ["daily_counts.csv", "duplicate", "2023-10-16"]),
    ("promo_calendar.csv", _set("type", 3, "mega_sale"),
     ["promo_calendar.csv", "line 5", "type", "flash_sale"]),
    ("promo_calendar.csv", _set("end", 2, "2024-01-01"),
     ["promo_calendar.csv", "line 4", "end", "before it starts"]),
    ("promo_calendar.csv", _drop("start"), ["promo_calendar.csv", "start", "found"]),
]


@pytest.mark.parametrize("filename, edit, expected", BAD_CSV,
                         ids=[f"{f}-{'-'.join(e[1:])}" for f, _, e in BAD_CSV])
def test_bad_data_file_exits_2_with_one_clear_line(example_copy, tmp_path, filename, edit, expected):
    _edit_csv(example_copy.parent / filename, edit)
    out = tmp_path / "out"
    result = runner.invoke(app, ["plan", "--config", str(example_copy), "--out", str(out)])
    assert result.exit_code == 2, result.output
    message = result.stderr.strip()
    assert "\n" not in message and "Traceback" not in result.output
    for fragment in expected:
        assert fragment in message, (fragment, message)
    assert not out.exists()


BAD_CONFIG = [
    ("aht_s = 600", "aht_sec = 600", ["plan.toml", "queues.chat.aht_sec", "did you mean 'aht_s'"]),
    ("[forecast]", "[forcast]", ["plan.toml", "forcast", "did you mean 'forecast'"]),
    ("horizon_days = 120", "horizon_days = \"many\"", ["forecast.horizon_days", "whole number"]),
    ("timezone = \"America/New_York\"", "timezone = \"Mars/Olympus\"",
     ["business.timezone", "IANA"]),
    ("open_hours = \"08:00-22:00\"", "open_hours = \"8 to 10\"", ["queues.chat.open_hours"]),
    ("history = \"daily_counts.csv\"", "history = \"nowhere.csv\"", ["nowhere.csv", "not found"]),
    ("target_sl = 0.8\ntarget_answer_s = 60", "target_sl = 1.5\ntarget_answer_s = 60",
     ["queues.chat.target_sl"]),
    ("[business]", "[business\n", ["plan.toml", "invalid TOML"]),
]


@pytest.mark.parametrize("old, new, expected", BAD_CONFIG, ids=[b[1][:20] for b in BAD_CONFIG])
def test_bad_config_exits_2_with_one_clear_line(example_copy, tmp_path, old, new, expected):
    text = example_copy.read_text()
    assert old in text
    example_copy.write_text(text.replace(old, new, 1))
    out = tmp_path / "out"
    result = runner.invoke(app, ["plan", "--config", str(example_copy), "--out", str(out)])
    assert result.exit_code == 2, result.output
    message = result.stderr.strip()
    assert "\n" not in message and "Traceback" not in result.output
    for fragment in expected:
        assert fragment in message, (fragment, message)
    assert not out.exists()


def test_missing_history_file_option(tmp_path):
    out = tmp_path / "out"
    result = runner.invoke(app, ["plan", "--history", str(tmp_path / "absent.csv"),
                                 "--out", str(out)])
    assert result.exit_code == 2
    assert "absent.csv" in result.stderr and "not found" in result.stderr
    assert not out.exists()


def test_unreadable_history_file(tmp_path):
    bad = tmp_path / "history.csv"
    bad.write_bytes(b"\xff\xfe\x00binary\x00garbage")
    result = runner.invoke(app, ["plan", "--history", str(bad), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "history.csv" in result.stderr


def test_erlang_bad_number_is_exit_2():
    result = runner.invoke(app, ["erlang", "--arrivals", "-5", "--aht-s", "180"])
    assert result.exit_code == 2
    assert "arrivals" in result.stderr


def test_failed_run_keeps_previous_outputs(example_copy, tmp_path, example_run):
    out, _ = example_run
    before = (out / "plan.csv").read_bytes()
    _edit_csv(example_copy.parent / "promo_calendar.csv", _set("type", 0, "nonsense"))
    result = runner.invoke(app, ["plan", "--config", str(example_copy), "--out", str(out)])
    assert result.exit_code == 2
    assert (out / "plan.csv").read_bytes() == before


def test_simulate_agrees_with_erlang_c_within_sampling_error():
    result = runner.invoke(app, ["simulate", "--arrivals", "100", "--aht-s", "180",
                                 "--target-answer-s", "20", "--n-arrivals", "100000", "--json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    sl = document["measures"]["sl"]
    assert document["agents"] == 14
    assert abs(sl["formula"] - sl["simulated"]) < 4 * sl["std_error"]


def test_simulate_refuses_zero_agents():
    result = runner.invoke(app, ["simulate", "--arrivals", "100", "--aht-s", "180", "--agents", "0"])
    assert result.exit_code == 2
    assert "agents" in result.stderr


def test_init_json_names_the_file(tmp_path):
    target = tmp_path / "plan.toml"
    result = runner.invoke(app, ["init", str(target), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"written": str(target)}
    assert "[queues." in target.read_text()

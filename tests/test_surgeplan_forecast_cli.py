"""``surgeplan forecast`` and ``surgeplan backtest`` through typer's CliRunner."""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from surgeplan.cli import EXIT_BAD_INPUT, app
from tests.conftest import SHARED_DATA

NYC = SHARED_DATA / "nyc311_daily" / "nyc311_daily.csv"
runner = CliRunner()


@pytest.fixture
def history(tmp_path):
    """Ten weeks of daily counts for two channels, and a promo calendar with a sale ahead."""
    rng = np.random.default_rng(5)
    dates = pd.date_range("2026-01-05", periods=140, freq="D")
    weekly = np.where(dates.day_of_week < 5, 1.0, 0.5)
    frame = pd.concat([pd.DataFrame({"date": dates.strftime("%Y-%m-%d"), "channel": ch,
                                     "volume": rng.poisson(level * weekly)})
                       for ch, level in (("chat", 300.0), ("email", 120.0))])
    path = tmp_path / "daily.csv"
    frame.to_csv(path, index=False)
    calendar = tmp_path / "promos.csv"
    calendar.write_text("name,type,start,end,uplift\nSpring sale,flash_sale,2026-06-03,"
                        "2026-06-04,3.0\n")
    return path, calendar


def test_forecast_writes_csvs_and_chart(history, tmp_path):
    path, calendar = history
    out = tmp_path / "out"
    result = runner.invoke(app, ["forecast", "--history", str(path), "--calendar", str(calendar),
                                 "--country", "US", "--horizon-days", "30", "--model", "baseline",
                                 "--out", str(out)])
    assert result.exit_code == 0, result.output
    forecast = pd.read_csv(out / "forecast.csv")
    assert forecast.columns.tolist() == ["date", "queue", "volume_p10", "volume_p50",
                                         "volume_p90", "regime", "events"]
    assert sorted(forecast["queue"].unique()) == ["chat", "email"]
    assert len(forecast) == 60
    sale = forecast[forecast["date"] == "2026-06-03"]
    assert (sale["regime"] == "flash_sale").all()
    normal = forecast[forecast["date"] == "2026-06-10"].set_index("queue")["volume_p50"]
    assert (sale.set_index("queue")["volume_p50"] > 2.0 * normal).all()
    assert (out / "uplifts.csv").exists()
    assert (out / "forecast.png").read_bytes()[:4] == b"\x89PNG"
    assert "chat" in result.stdout and "Outputs in" in result.stdout


def test_forecast_json_is_one_document(history, tmp_path):
    path, _ = history
    result = runner.invoke(app, ["forecast", "--history", str(path), "--horizon-days", "14",
                                 "--model", "naive", "--out", str(tmp_path / "o"), "--json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["model"] == "naive"
    assert [q["queue"] for q in document["queues"]] == ["chat", "email"]
    assert len(document["outputs"]) == 3


def test_forecast_with_orders_uses_the_drivers_model(tmp_path):
    dates = pd.date_range("2026-01-05", periods=150, freq="D")
    orders = np.where(dates.day_of_week < 5, 2000.0, 1200.0)
    orders[-5] = 6000.0  # a planned spike in the horizon
    pd.DataFrame({"date": dates.strftime("%Y-%m-%d"), "orders": orders}).to_csv(
        tmp_path / "orders.csv", index=False)
    rng = np.random.default_rng(2)
    pd.DataFrame({"date": dates[:120].strftime("%Y-%m-%d"),
                  "volume": rng.poisson(0.05 * orders[:120])}).to_csv(tmp_path / "daily.csv",
                                                                      index=False)
    result = runner.invoke(app, ["forecast", "--history", str(tmp_path / "daily.csv"),
                                 "--orders", str(tmp_path / "orders.csv"), "--horizon-days", "30",
                                 "--out", str(tmp_path / "o"), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["model"] == "drivers"
    forecast = pd.read_csv(tmp_path / "o" / "forecast.csv")
    assert forecast["queue"].unique().tolist() == ["all"]
    assert forecast["volume_p50"].iloc[-5] == pytest.approx(0.05 * 6000.0, rel=0.15)


def test_backtest_prints_metrics_per_model(history):
    path, _ = history
    result = runner.invoke(app, ["backtest", "--history", str(path), "--origins", "2",
                                 "--horizon-days", "14", "--models", "naive,baseline"])
    assert result.exit_code == 0, result.output
    for word in ("WAPE", "MASE", "bias", "coverage", "naive", "baseline", "all"):
        assert word in result.stdout


@pytest.mark.parametrize("args, message", [
    (["--model", "arima"], "--model"),
    (["--horizon-days", "0"], "--horizon-days"),
    (["--model", "drivers"], "--orders"),
    (["--jobs", "0"], "n_jobs"),
    (["--scheduler", "somewhere"], "scheduler"),
    (["--holiday-window-days", "-1"], "--holiday-window-days"),
])
def test_forecast_bad_options_exit_2(history, tmp_path, args, message):
    path, _ = history
    result = runner.invoke(app, ["forecast", "--history", str(path), "--out",
                                 str(tmp_path / "o"), *args])
    assert result.exit_code == EXIT_BAD_INPUT
    assert message in result.stderr and result.stderr.count("\n") == 1


def test_bad_history_names_file_line_and_column(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("date,volume\n2026-01-05,10\n2026-01-06,lots\n")
    for command in (["forecast", "--out", str(tmp_path / "o")], ["backtest"]):
        result = runner.invoke(app, [*command, "--history", str(path)])
        assert result.exit_code == EXIT_BAD_INPUT
        assert f"{path}, line 3, column volume" in result.stderr
    result = runner.invoke(app, ["backtest", "--history", str(path), "--models", "naive,magic"])
    assert result.exit_code == EXIT_BAD_INPUT and "--models" in result.stderr


@pytest.mark.skipif(not NYC.exists(), reason="../shared/data/nyc311_daily is not present")
def test_backtest_on_nyc311_json():
    result = runner.invoke(app, ["backtest", "--history", str(NYC), "--country", "US",
                                 "--origins", "2", "--models", "naive,baseline,ets", "--json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    scores = {row["model"]: row for row in document["metrics"]}
    assert set(scores) == {"naive", "baseline", "ets"}
    assert all(row["n_days"] == 56 for row in scores.values())
    assert scores["ets"]["wape"] < scores["naive"]["wape"] < 0.3


@pytest.mark.skipif(not NYC.exists(), reason="../shared/data/nyc311_daily is not present")
def test_holiday_windows_learn_the_days_around_christmas_on_nyc311(tmp_path):
    args = ["forecast", "--history", str(NYC), "--country", "US", "--model", "baseline",
            "--horizon-days", "7"]
    plain = runner.invoke(app, [*args, "--out", str(tmp_path / "plain")])
    windows = runner.invoke(app, [*args, "--holiday-window-days", "3", "--out",
                                  str(tmp_path / "windows")])
    assert plain.exit_code == 0 and windows.exit_code == 0, windows.output
    learned = pd.read_csv(tmp_path / "windows" / "uplifts.csv")
    around = learned[(learned["name"] == "Christmas Day") & (learned["phase"] != "event")]
    assert set(around["offset_days"]) == {-3, -2, -1, 1, 2, 3}
    # NYC 311 is quieter in the week after Christmas: enough to clear the noise gate
    assert (around.loc[around["offset_days"] > 0, "multiplier"] < 0.95).any()
    assert "phase" in pd.read_csv(tmp_path / "plain" / "uplifts.csv").columns
    assert not (pd.read_csv(tmp_path / "plain" / "uplifts.csv")["phase"] == "post").any()
    labels = pd.read_csv(tmp_path / "windows" / "forecast.csv")["events"].fillna("")
    assert (labels == "New Year's Day (post)").any()  # the horizon starts on Jan 1


@pytest.mark.skipif(not NYC.exists(), reason="../shared/data/nyc311_daily is not present")
def test_forecast_on_nyc311(tmp_path):
    result = runner.invoke(app, ["forecast", "--history", str(NYC), "--country", "US",
                                 "--model", "baseline", "--horizon-days", "60",
                                 "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    forecast = pd.read_csv(tmp_path / "forecast.csv")
    assert forecast["date"].iloc[0] == "2019-01-01" and len(forecast) == 60
    assert 3000 < forecast["volume_p50"].median() < 12000

"""Forecast accuracy benchmark: rolling-origin backtests of every daily model.

Run from the repository root::

    .venv/bin/python benchmarks/forecast_accuracy.py [--quick] [--jobs 2]

Prints one plain-text table. Data sets:

* NYC 311 daily service requests 2016-2018 (``../shared/data/nyc311_daily``),
  with US public holidays as events: 8 origins x 28 days (and 8 x 90 days
  for the cheaper models unless ``--quick``).
* The bundled Harbor & Pine example (``examples/data``), per channel, with
  its promo calendar and US holidays: 13 origins x 28 days, so that the
  2025 holiday season and Singles' Day are scored; ``oracle`` is the true
  simulated mean (its WAPE is the noise floor). WAPE and coverage are also
  reported on flash-sale and holiday-peak days, and the flash-sale day
  profiles learned on the whole history are printed against the truth.

``auto_hw3`` is ``auto`` with +-3-day holiday windows
(``--holiday-window-days 3``), an option, off by default.

References measured in the same run: seasonal naive, plain damped
multiplicative Holt-Winters, statsmodels' ETS(A,Ad,A) with its own
intervals, and Prophet's defaults with the calendar as holidays.

Columns: WAPE [fraction], MASE [ratio to in-sample weekly naive MAE], bias
[fraction, + = over-forecast], coverage of the P10-P90 interval [fraction],
seconds per fit (the model's own interval backtests included).
"""
from __future__ import annotations

import argparse
import json
import logging
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from calendars.events import (event_days, holiday_events, holiday_windows,  # noqa: E402
                              public_holidays)
from calendars.io import read_promo_calendar  # noqa: E402
from forecast.backtest import metrics, rolling_origin  # noqa: E402
from forecast.events import clean_days, days_for_queue, learn_uplifts  # noqa: E402
from forecast.intervals import backtest_intervals  # noqa: E402
from forecast.registry import load_model  # noqa: E402
from forecast.prophet_model import prophet_holidays, quiet_cmdstanpy  # noqa: E402
from forecast.statistical import holt_winters_point  # noqa: E402

NYC = ROOT.parent / "shared" / "data" / "nyc311_daily" / "nyc311_daily.csv"
EXAMPLE = ROOT / "examples" / "data"


def holt_winters(daily, days, horizon_days):
    """Plain damped multiplicative Holt-Winters, events ignored (a reference)."""
    return backtest_intervals(holt_winters_point, daily, days, horizon_days)


def ets_statsmodels(daily, days, horizon_days):
    """statsmodels' ETS(A,Ad,A) on the raw series with its own 80 % intervals (a reference)."""
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    window = daily.iloc[-2 * 365:]
    y = pd.Series(window["volume"].to_numpy(float), index=pd.DatetimeIndex(window["date"], freq="D"))
    y = y.interpolate(limit_direction="both")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = ETSModel(y, error="add", trend="add", damped_trend=True, seasonal="add",
                       seasonal_periods=7).fit(disp=False)
        frame = fit.get_prediction(start=len(y), end=len(y) + horizon_days - 1).summary_frame(
            alpha=0.2)
    clip = lambda c: np.clip(frame[c].to_numpy(float), 0.0, None)  # noqa: E731
    future = pd.date_range(daily["date"].max() + pd.Timedelta(days=1), periods=horizon_days)
    return pd.DataFrame({"date": future, "volume_p10": clip("pi_lower"),
                         "volume_p50": clip("mean"), "volume_p90": clip("pi_upper")})


def prophet_defaults(daily, days, horizon_days):
    """Prophet's defaults (additive, its own 80 % intervals) plus the calendar as holidays."""
    logging.getLogger("prophet.plot").setLevel(logging.CRITICAL)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from prophet import Prophet

        quiet_cmdstanpy()
        history = pd.DataFrame({"ds": daily["date"], "y": daily["volume"]}).dropna()
        holidays = prophet_holidays(days[days["type"] != "closure"])
        model = Prophet(holidays=holidays if len(holidays) else None, interval_width=0.8)
        model.fit(history)
        future = pd.date_range(daily["date"].max() + pd.Timedelta(days=1), periods=horizon_days)
        out = model.predict(pd.DataFrame({"ds": future}))
    clip = lambda c: np.clip(out[c].to_numpy(float), 0.0, None)  # noqa: E731
    return pd.DataFrame({"date": future, "volume_p10": clip("yhat_lower"),
                         "volume_p50": clip("yhat"), "volume_p90": clip("yhat_upper")})


def oracle_for(truth: pd.Series):
    """A model that returns the true simulated mean (the example's noise floor)."""
    def oracle(daily, days, horizon_days):
        future = pd.date_range(daily["date"].max() + pd.Timedelta(days=1), periods=horizon_days)
        mean = truth.reindex(future).to_numpy(float)
        return pd.DataFrame({"date": future, "volume_p10": mean, "volume_p50": mean,
                             "volume_p90": mean})
    return oracle


ALL_MODELS = {"naive": load_model("naive"), "holt_winters": holt_winters,
              "ets_statsmodels": ets_statsmodels,
              "prophet_defaults": prophet_defaults, **{k: load_model(k) for k in
              ("baseline", "ets", "sarimax", "prophet", "auto")}}
LONG_MODELS = ("naive", "baseline", "ets", "auto")


def nyc311() -> tuple[pd.DataFrame, pd.DataFrame]:
    daily = pd.read_csv(NYC, parse_dates=["date"])
    daily = pd.DataFrame({"date": daily["date"].astype("datetime64[ns]"),
                          "volume": daily["volume"].astype(float)})
    years = range(daily["date"].dt.year.min(), daily["date"].dt.year.max() + 2)
    return daily, holiday_events(public_holidays(years, ["US"]))


def example() -> tuple[dict, pd.DataFrame, pd.DataFrame]:
    counts = pd.read_csv(EXAMPLE / "daily_counts.csv", parse_dates=["date"])
    counts["date"] = counts["date"].astype("datetime64[ns]")
    daily = counts.groupby(["date", "channel"], as_index=False)["volume"].sum()
    truth = pd.read_csv(EXAMPLE / "true_mean.csv", parse_dates=["date"])
    truth["date"] = truth["date"].astype("datetime64[ns]")
    promos = read_promo_calendar(EXAMPLE / "promo_calendar.csv")
    years = range(daily["date"].dt.year.min(), daily["date"].dt.year.max() + 2)
    days = pd.concat([event_days(promos), holiday_events(public_holidays(years, ["US"]))],
                     ignore_index=True)
    return daily, truth, days


def run(task):
    """One (data set, queue, model, horizon, origins) backtest -> (key, backtest, seconds/fit)."""
    key, daily, days, model, horizon_days, origins = task
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        backtest = rolling_origin(daily, days, model, horizon_days, origins)
    return key, backtest, (time.perf_counter() - start) / origins


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip the 90-day horizon")
    parser.add_argument("--jobs", type=int, default=2, help="parallel backtests (joblib)")
    args = parser.parse_args(argv)

    tasks = []
    daily, days = nyc311()
    for name, model in ALL_MODELS.items():
        tasks.append((("nyc311", name, 28), daily, days, model, 28, 8))
        if not args.quick and name in LONG_MODELS:
            tasks.append((("nyc311", name, 90), daily, days, model, 90, 8))
    # auto again with +-3-day holiday windows (opt-in: --holiday-window-days 3)
    tasks.append((("nyc311", "auto_hw3", 28), daily, holiday_windows(days, 3), load_model("auto"),
                  28, 8))
    ex_daily, truth, ex_days = example()
    for channel, one in ex_daily.groupby("channel"):
        one = one[["date", "volume"]].reset_index(drop=True)
        mine = days_for_queue(ex_days, channel)
        mean = truth[truth["channel"] == channel].set_index("date")["mean_volume"]
        for name, model in {**ALL_MODELS, "oracle": oracle_for(mean)}.items():
            tasks.append((("example", name, 28, channel), one, mine, model, 28, 13))
        tasks.append((("example", "auto_hw3", 28, channel), one, holiday_windows(mine, 3),
                      load_model("auto"), 28, 13))

    from joblib import Parallel, delayed
    results = Parallel(n_jobs=args.jobs)(delayed(run)(t) for t in tasks)

    rows = []
    grouped: dict[tuple, list] = {}
    for key, backtest, seconds in results:
        grouped.setdefault(key[:3], []).append((backtest, seconds))
    for (data, name, horizon), parts in grouped.items():
        backtest = pd.concat([b for b, _ in parts], ignore_index=True)
        overall = metrics(backtest).iloc[0]
        per_regime = metrics(backtest, by=["regime"]).set_index("regime")
        by_regime, by_cover = per_regime["wape"], per_regime["coverage_80"]
        rows.append({"data": data, "model": name, "horizon_d": horizon,
                     "wape": overall["wape"], "mase": overall["mase"], "bias": overall["bias"],
                     "cover80": overall["coverage_80"],
                     "wape_flash": by_regime.get("flash_sale", np.nan),
                     "wape_peak": by_regime.get("holiday_peak", np.nan),
                     "cover_flash": by_cover.get("flash_sale", np.nan),
                     "cover_peak": by_cover.get("holiday_peak", np.nan),
                     "s_per_fit": sum(s for _, s in parts) / len(parts)})
    table = pd.DataFrame(rows).sort_values(["data", "horizon_d", "wape"], ascending=[False, True, True])
    print(table.to_string(index=False, float_format=lambda v: f"{v:.3f}", na_rep="-"))

    nyc = table[(table["data"] == "nyc311") & (table["horizon_d"] == 28)].set_index("model")
    refs = ["naive", "prophet_defaults", "ets_statsmodels", "holt_winters"]
    print()
    for label, pool in (("usual tools", refs), ("usual tools and our own models",
                                                 refs + ["prophet", "ets", "baseline"])):
        best = nyc.loc[pool, "wape"].idxmin()
        ratio = nyc.loc["auto", "wape"] / nyc.loc[best, "wape"]
        print(f"NYC 311, 28 days: auto WAPE {nyc.loc['auto', 'wape']:.4f} = {ratio:.3f} x the "
              f"best of the {label} ({best}, {nyc.loc[best, 'wape']:.4f}); goal <= 0.9")
    print(f"NYC 311, 28 days: auto 80% coverage {nyc.loc['auto', 'cover80']:.3f} (goal 0.75-0.85)")
    ex = table[(table["data"] == "example") & (table["horizon_d"] == 28)].set_index("model")
    for column, label in (("wape_flash", "flash-sale"), ("wape_peak", "holiday-peak")):
        ratio = ex.loc["auto", column] / ex.loc["oracle", column]
        print(f"Example: auto {label} WAPE {ex.loc['auto', column]:.4f} = {ratio:.2f} x the "
              f"oracle's {ex.loc['oracle', column]:.4f} (goal <= 1.3)")
    print(f"Example: auto 80% coverage {ex.loc['auto', 'cover80']:.3f}, on flash-sale days "
          f"{ex.loc['auto', 'cover_flash']:.3f}, on holiday-peak days "
          f"{ex.loc['auto', 'cover_peak']:.3f}")
    print(f"Seconds per fit (with its interval backtest), auto: NYC 311 "
          f"{nyc.loc['auto', 's_per_fit']:.2f}, example {ex.loc['auto', 's_per_fit']:.2f} "
          f"(goal <= 2; {args.jobs} backtests at once)")
    oracle_runs = {key[3]: backtest for key, backtest, _ in results
                   if key[0] == "example" and key[1] == "oracle"}
    ideal = ideal_flash_wape(oracle_runs, ex_daily, truth)
    print(f"Example: an ideal learner (the true baseline, multipliers learned from the same "
          f"past sales) scores flash-sale WAPE {ideal:.4f} = "
          f"{ideal / ex.loc['oracle', 'wape_flash']:.2f} x the oracle's: the floor for any "
          f"model that must learn the uplift")
    print_learned_uplifts(ex_daily, ex_days)


def ideal_flash_wape(oracle_runs: dict, daily: pd.DataFrame, truth: pd.DataFrame) -> float:
    """WAPE on the backtest's flash-sale days of a forecast that knows the true baseline.

    Each scored flash-sale day is forecast as its true no-event mean times the
    geometric mean, over past sales of the same length and day (before the
    origin), of actual / true no-event mean: the best a learner of uplifts
    can do without knowing this sale's own noise.
    """
    events = json.loads((EXAMPLE / "truth.json").read_text())["events"]
    day = {}  # date -> (true day multiplier, sale length, day of the sale)
    for event in (e for e in events if e["type"] == "flash_sale"):
        for k, m in enumerate(event["day_multipliers"]):
            day[pd.Timestamp(event["start"]) + pd.Timedelta(days=k)] = (
                m, len(event["day_multipliers"]), k)
    error = total = 0.0
    for channel, backtest in oracle_runs.items():
        actual = daily[daily["channel"] == channel].set_index("date")["volume"]
        mean = truth[truth["channel"] == channel].set_index("date")["mean_volume"]
        for row in backtest[backtest["regime"] == "flash_sale"].itertuples():
            m, length, k = day[pd.Timestamp(row.date)]
            past = [d for d, (_, n, j) in day.items() if (n, j) == (length, k) and d <= row.origin]
            ratios = [actual[d] * day[d][0] / mean[d] for d in past]
            forecast = mean[row.date] / m * np.exp(np.mean(np.log(ratios)))
            error += abs(forecast - row.actual)
            total += row.actual
    return error / total


def print_learned_uplifts(daily: pd.DataFrame, days: pd.DataFrame) -> None:
    """Flash-sale uplifts learned on the whole example history against the generator's truth."""
    truth = json.loads((EXAMPLE / "truth.json").read_text())["event_types"]["flash_sale"]
    for channel, one in daily.groupby("channel"):
        one = one[["date", "volume"]].reset_index(drop=True)
        mine = days_for_queue(days, channel)
        learned = learn_uplifts(one, mine, clean_days(one, mine))
        flash = learned[(learned["type"] == "flash_sale") & (learned["phase"] == "event")]
        parts = []
        for length, profile in sorted(truth["day_profile_by_length"].items()):
            rows = flash[flash["event_length_days"] == int(length)].sort_values("offset_days")
            if len(rows) == 0:
                rows = flash[flash["event_length_days"] == 0].sort_values("offset_days")
            got = rows["multiplier"].to_numpy()[:len(profile)]
            error = np.mean(got) / np.mean(profile) - 1.0
            parts.append(f"{length}-day sale {np.round(got, 2).tolist()} vs {profile} "
                         f"(uplift {error:+.1%})")
        print(f"Example {channel}: learned flash-sale days: " + "; ".join(parts))


if __name__ == "__main__":
    main()

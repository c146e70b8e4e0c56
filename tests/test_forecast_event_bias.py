"""Event-day P50 without bias: multipliers are means of ratios, not geometric means.

With a log-normal spread ``s`` across occurrences the geometric mean of the
ratios is their median and under-states the mean by ``exp(s**2 / 2)``: an
event day forecast on it falls short of the volume that comes, on the whole.
These tests fail if the multipliers go back to log-space averaging.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calendars.events import event_days
from forecast.baseline import baseline_events_point
from forecast.events import clean_days, event_multiplier, learn_uplifts

T = pd.Timestamp
FIRST_SALE = T("2024-01-10")


def _one_day_sales(n_sales: int, gap_days: int = 21, post_days: int = 0):
    starts = [FIRST_SALE + pd.Timedelta(days=gap_days * k) for k in range(n_sales)]
    promos = pd.DataFrame({"name": [f"Sale {k}" for k in range(n_sales)], "type": "flash_sale",
                           "start": starts, "end": starts, "uplift": np.nan,
                           "channels": [()] * n_sales, "pre_days": 0, "post_days": post_days})
    return starts, event_days(promos)


def _flat_history(factors, level: float = 1000.0):
    """A flat, noise-free history with the one-day sales at ``factors`` x the level."""
    starts, days = _one_day_sales(len(factors))
    dates = pd.date_range("2023-11-01", starts[-1] + pd.Timedelta(days=60), freq="D")
    volume = pd.Series(level, index=dates)
    for day, factor in zip(starts, factors):
        volume[day] *= factor
    return pd.DataFrame({"date": dates, "volume": volume.to_numpy()}), days


def test_the_multiplier_is_the_mean_of_the_sales_ratios_not_their_geometric_mean():
    daily, days = _flat_history([5.0, 10.0, 20.0])
    learned = learn_uplifts(daily, days, clean_days(daily, days))
    event = learned[(learned["phase"] == "event") & (learned["event_length_days"] == 0)]
    # by hand: (5 + 10 + 20) / 3 = 11.667; the geometric mean would be 10
    assert event["multiplier"].iloc[0] == pytest.approx(35.0 / 3.0, rel=1e-6)
    # the spread stays a log-scale one: SD of log(5), log(10), log(20) = log(2)
    assert event["log_sd"].iloc[0] == pytest.approx(np.log(2.0), rel=1e-6)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.floats(1.5, 30.0), min_size=2, max_size=5))
def test_any_sales_are_forecast_at_their_mean_ratio(factors):
    daily, days = _flat_history(factors)
    future = _one_day_sales(len(factors) + 1)[1].tail(1)
    multiplier = event_multiplier(future, learn_uplifts(daily, days, clean_days(daily, days)))
    assert float(multiplier.iloc[0]) == pytest.approx(np.mean(factors), rel=1e-6)


def test_event_day_p50_is_unbiased_with_log_normal_sales():
    # Sales at 8x with a log-normal spread of 0.4 across occurrences: the volume that comes
    # is 8 exp(0.08) = 8.67x on average; the geometric mean of past ratios is 8x (-7.7 %).
    # Over 24 independent histories of 29 past sales, the P50 of the next sale against the
    # mean volume a sale brings, 8000 exp(sigma^2 / 2) (the log-normal mean): the standard
    # error of the forecasts' mean is about 0.42 / sqrt(29 x 24) = 1.6 %.
    rng = np.random.default_rng(11)
    sigma, n_sales = 0.4, 30
    forecast = []
    for _ in range(24):
        factors = 8.0 * np.exp(rng.normal(0.0, sigma, n_sales))
        daily, days = _flat_history(factors)
        history = daily[daily["date"] < FIRST_SALE + pd.Timedelta(days=21 * (n_sales - 1) - 10)]
        future = pd.date_range(history["date"].max() + pd.Timedelta(days=1), periods=28)
        on_sale = future.isin(days["date"])
        assert on_sale.sum() == 1  # the last sale, held out
        forecast.append(baseline_events_point(history, days, 28)[on_sale][0])
    bias = np.mean(forecast) / (8000.0 * np.exp(sigma ** 2 / 2.0)) - 1.0
    assert abs(bias) < 0.04  # log-space averaging: about -0.077


def test_a_season_ramping_linearly_in_volume_is_learned_without_bias():
    # 1.5x rising linearly to 4x over 29 days, two seasons: concave in log, so a local line
    # fitted in log space would sit below the ramp (by ~3 % at its start); in ratio space it
    # is exact.
    ramp = np.linspace(1.5, 4.0, 29)
    dates = pd.date_range("2024-06-01", periods=640, freq="D")
    volume = pd.Series(1000.0, index=dates)
    starts = (T("2024-11-10"), T("2025-11-09"))
    for start in starts:
        volume[pd.date_range(start, periods=29)] *= ramp
    daily = pd.DataFrame({"date": dates, "volume": volume.to_numpy()})
    promos = pd.DataFrame({"name": ["S1", "S2"], "type": "holiday_peak", "start": list(starts),
                           "end": [s + pd.Timedelta(days=28) for s in starts], "uplift": np.nan,
                           "channels": [(), ()], "pre_days": 0, "post_days": 0})
    days = event_days(promos)
    learned = learn_uplifts(daily, days, clean_days(daily, days))
    curve = learned[learned["phase"] == "event"].sort_values("offset_days")["multiplier"]
    assert curve.to_numpy() == pytest.approx(ramp, rel=1e-6)

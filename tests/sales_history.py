"""A seeded daily history with two 10x flash sales, shared by the forecast-model tests.

Weekly shape, 20 %/year growth and 5 % log-normal noise; the sales fall on
two Thursdays, the second within the 14 days after :data:`ORIGIN`.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from calendars.events import event_days

WEEKLY = np.array([1.2, 1.1, 1.0, 1.0, 0.9, 0.6, 0.5])  # Monday first
START = pd.Timestamp("2024-01-01")
SALES = (pd.Timestamp("2024-05-09"), pd.Timestamp("2024-07-18"))  # both Thursdays
ORIGIN = pd.Timestamp("2024-07-10")  # the second sale falls in the 14 days after it
FORECAST_COLUMNS = ["date", "volume_p10", "volume_p50", "volume_p90"]


def truth(dates) -> np.ndarray:
    """The noise-free mean [tickets/day]: weekly shape, 20 %/year growth, 10x flash sales."""
    dates = pd.DatetimeIndex(dates)
    t_years = (dates - START).days.to_numpy() / 365.25
    spike = np.where(dates.isin(SALES), 10.0, 1.0)
    return 500.0 * WEEKLY[dates.day_of_week] * 1.2 ** t_years * spike


def sales_history(seed: int, last_day: pd.Timestamp = ORIGIN, pre_days: int = 0,
                  post_days: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The history from :data:`START` to ``last_day`` and the two sales' event days."""
    rng = np.random.default_rng(seed)
    dates = pd.date_range(START, last_day, freq="D").astype("datetime64[ns]")
    volume = truth(dates) * np.exp(rng.normal(0.0, 0.05, len(dates)))
    daily = pd.DataFrame({"date": dates, "volume": np.round(volume)})
    promos = pd.DataFrame({"name": ["Spring flash sale", "Summer flash sale"],
                           "type": ["flash_sale"] * 2, "start": list(SALES), "end": list(SALES),
                           "uplift": [np.nan] * 2, "channels": [(), ()],
                           "pre_days": [pre_days] * 2, "post_days": [post_days] * 2})
    return daily, event_days(promos)


def check_forecast(out: pd.DataFrame, horizon_days: int, origin: pd.Timestamp = ORIGIN) -> None:
    """Assert a model's output contract: columns, consecutive days after ``origin``, and
    finite, non-negative, ordered P10 <= P50 <= P90."""
    assert list(out.columns) == FORECAST_COLUMNS and len(out) == horizon_days
    assert out["date"].iloc[0] == origin + pd.Timedelta(days=1)
    assert out["date"].diff().dropna().eq(pd.Timedelta(days=1)).all()
    values = out[FORECAST_COLUMNS[1:]].to_numpy()
    assert np.isfinite(values).all() and (values >= 0).all()
    assert (out["volume_p10"] <= out["volume_p50"]).all()
    assert (out["volume_p50"] <= out["volume_p90"]).all()

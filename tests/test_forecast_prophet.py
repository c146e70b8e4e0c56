"""Prophet with calendar holidays: contract, spike, and its holidays frame."""
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from calendars.events import event_days, holiday_events
from forecast.prophet_model import prophet_holidays

WEEKLY = np.array([1.2, 1.1, 1.0, 1.0, 0.9, 0.6, 0.5])
START = pd.Timestamp("2024-01-01")
SALES = (pd.Timestamp("2024-05-09"), pd.Timestamp("2024-07-18"))
ORIGIN = pd.Timestamp("2024-07-10")


def synthetic(seed=9):
    rng = np.random.default_rng(seed)
    dates = pd.date_range(START, ORIGIN, freq="D").astype("datetime64[ns]")
    t_years = (dates - START).days.to_numpy() / 365.25
    mean = 500.0 * WEEKLY[dates.day_of_week] * 1.2 ** t_years * np.where(dates.isin(SALES), 10, 1)
    daily = pd.DataFrame({"date": dates,
                          "volume": np.round(mean * np.exp(rng.normal(0, 0.05, len(dates))))})
    promos = pd.DataFrame({"name": ["Spring flash sale", "Summer flash sale"],
                           "type": ["flash_sale"] * 2, "start": list(SALES), "end": list(SALES),
                           "uplift": [np.nan] * 2, "channels": [(), ()], "pre_days": [1, 1],
                           "post_days": [2, 2]})
    return daily, event_days(promos)


def test_prophet_holidays_windows():
    _, days = synthetic()
    holidays = holiday_events(pd.DataFrame({"date": [pd.Timestamp("2024-07-04")],
                                            "name": ["Independence Day"]}))
    frame = prophet_holidays(pd.concat([days, holidays], ignore_index=True))
    assert list(frame.columns) == ["holiday", "ds", "lower_window", "upper_window"]
    sales = frame[frame["holiday"] == "flash_sale"]
    assert list(sales["ds"]) == list(SALES)
    assert (sales["lower_window"] == -1).all() and (sales["upper_window"] == 2).all()
    july4 = frame[frame["holiday"] == "Independence Day"].iloc[0]
    assert (july4["lower_window"], july4["upper_window"]) == (0, 0)
    assert prophet_holidays(days.iloc[:0]).empty


def test_importing_the_module_does_not_load_prophet():
    code = "import sys, forecast.models; assert 'prophet' not in sys.modules, 'prophet loaded'"
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.slow
def test_prophet_contract_and_spike():
    pytest.importorskip("prophet")
    from forecast.prophet_model import prophet

    daily, days = synthetic()
    before = daily.copy()
    out = prophet(daily, days, 14)
    pd.testing.assert_frame_equal(daily, before)
    assert list(out.columns) == ["date", "volume_p10", "volume_p50", "volume_p90"]
    assert len(out) == 14 and out["date"].iloc[0] == ORIGIN + pd.Timedelta(days=1)
    assert (out["volume_p10"] >= 0).all()
    assert (out["volume_p10"] <= out["volume_p50"]).all()
    assert (out["volume_p50"] <= out["volume_p90"]).all()
    p50 = out.set_index("date")["volume_p50"]
    assert p50[SALES[1]] > 4 * p50[SALES[1] - pd.Timedelta(days=7)]

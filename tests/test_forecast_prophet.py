"""Prophet with calendar holidays: contract, spike, and its holidays frame."""
import subprocess
import sys

import pandas as pd
import pytest

from calendars.events import holiday_events
from forecast.prophet_model import prophet_holidays
from tests.sales_history import SALES, check_forecast, sales_history


def synthetic(seed=9):
    return sales_history(seed, pre_days=1, post_days=2)


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
    check_forecast(out, 14)
    p50 = out.set_index("date")["volume_p50"]
    assert p50[SALES[1]] > 4 * p50[SALES[1] - pd.Timedelta(days=7)]

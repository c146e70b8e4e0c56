"""ETS and SARIMAX models: the forecast contract, event spikes, no mutation, errors."""
import warnings

import numpy as np
import pandas as pd
import pytest

from calendars.events import event_days
from forecast.statistical import (cleaned_volume, ets, ets_point, holt_winters_point, sarimax,
                                  sarimax_point)
from tests.sales_history import ORIGIN, SALES, check_forecast, sales_history


def synthetic(seed=5):
    """Seeded history up to ORIGIN (weekly shape, growth, one 10x sale) and the event days."""
    return sales_history(seed)


@pytest.mark.parametrize("model", [ets, sarimax])
def test_contract_and_spike(model):
    daily, days = synthetic()
    before, days_before = daily.copy(), days.copy()
    out = model(daily, days, 21)
    pd.testing.assert_frame_equal(daily, before)
    pd.testing.assert_frame_equal(days, days_before)
    check_forecast(out, 21)
    p50 = out.set_index("date")["volume_p50"]
    normal = p50[SALES[1] - pd.Timedelta(days=7)]
    assert p50[SALES[1]] > 5 * normal
    # A normal Thursday near 500 x 1.0 x growth (~545 tickets/day): within 15 %.
    assert normal == pytest.approx(545, rel=0.15)


@pytest.mark.parametrize("point", [ets_point, sarimax_point, holt_winters_point])
def test_points_tolerate_missing_days(point):
    daily, days = synthetic()
    gappy = daily.copy()
    gappy.loc[100:104, "volume"] = np.nan
    forecast = point(gappy, days, 10)
    assert forecast.shape == (10,) and np.isfinite(forecast).all() and (forecast > 0).all()


def test_no_warnings_escape():
    daily, days = synthetic()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ets_point(daily.iloc[-60:], days, 7)
        sarimax_point(daily.iloc[-60:], days, 7)


def test_cleaned_volume_replaces_event_days_and_outliers():
    daily, days = synthetic()
    spiky = daily.copy()
    spiky.loc[30, "volume"] *= 20  # an unexplained outage-style spike
    cleaned, clean = cleaned_volume(spiky, days)
    assert not clean.iloc[30] and not clean[SALES[0]]
    assert cleaned.iloc[30] < 2 * daily["volume"].iloc[23]
    assert cleaned[SALES[0]] < 2 * cleaned[SALES[0] - pd.Timedelta(days=7)]
    assert cleaned.notna().all() and (cleaned > 0).all()


def test_unseen_event_type_takes_the_calendar_uplift():
    daily, days = synthetic()
    launch = pd.DataFrame({"name": ["Launch"], "type": ["product_launch"],
                           "start": [ORIGIN + pd.Timedelta(days=3)],
                           "end": [ORIGIN + pd.Timedelta(days=3)], "uplift": [3.0],
                           "channels": [()], "pre_days": [0], "post_days": [0]})
    with_launch = pd.concat([days, event_days(launch)], ignore_index=True)
    plain = sarimax_point(daily, days, 7)
    lifted = sarimax_point(daily, with_launch, 7)
    assert lifted[2] == pytest.approx(3.0 * plain[2], rel=1e-6)


def test_missing_column_is_named():
    daily, days = synthetic()
    with pytest.raises(ValueError, match="daily: missing column"):
        ets(daily.rename(columns={"volume": "tickets"}), days, 7)

"""The drivers model: tickets follow planned orders times a forecast contact rate."""
from __future__ import annotations

from functools import partial

import numpy as np
import pandas as pd
import pytest

from calendars.events import holiday_events, public_holidays
from forecast.backtest import metrics, point_model, rolling_origin
from forecast.drivers import contact_rate, drivers, drivers_point
from forecast.baseline import baseline_events
from forecast.models import forecast_queues

RATE = 0.08  # tickets per order


def _orders_and_tickets(horizon_days: int = 28):
    """Two years of orders and tickets = 0.08 x orders + noise; a planned 3x order spike ahead."""
    rng = np.random.default_rng(11)
    dates = pd.date_range("2024-03-04", periods=700 + horizon_days, freq="D")
    weekly = np.where(dates.day_of_week < 5, 1.1, 0.75)
    orders = 6000.0 * weekly * (1.0 + 0.2 * np.sin(2 * np.pi * dates.day_of_year.to_numpy() / 365.25))
    orders *= rng.lognormal(0.0, 0.05, len(dates))
    spike = dates[-10:-7]  # three days of a sale that is not in the promo calendar
    orders[dates.isin(spike)] *= 3.0
    tickets = rng.poisson(RATE * orders).astype(float)
    history = pd.DataFrame({"date": dates[:-horizon_days], "volume": tickets[:-horizon_days]})
    truth = pd.Series(tickets[-horizon_days:], index=dates[-horizon_days:])
    return history, pd.DataFrame({"date": dates, "orders": orders}), truth, spike


def test_drivers_tracks_a_planned_order_spike_and_beats_the_baseline():
    history, orders, truth, spike = _orders_and_tickets()
    days = holiday_events(public_holidays([], []))
    out = drivers(history, days, 28, orders=orders)
    base = baseline_events(history, days, 28)
    p50 = pd.Series(out["volume_p50"].to_numpy(), index=out["date"])
    # On the spike the forecast follows the orders (about 3x a normal day) ...
    np.testing.assert_allclose(p50[spike], truth[spike], rtol=0.1)
    # ... and over the horizon it is clearly more accurate than the baseline.
    wape = lambda f: np.abs(f["volume_p50"].to_numpy() - truth.to_numpy()).sum() / truth.sum()  # noqa: E731
    assert wape(out) < 0.05
    assert wape(out) < 0.5 * wape(base)
    assert (out["volume_p10"] <= out["volume_p50"]).all()
    assert (out["volume_p50"] <= out["volume_p90"]).all()


def test_drivers_backtest_beats_baseline_backtest():
    history, orders, _, _ = _orders_and_tickets()
    days = holiday_events(public_holidays([], []))
    bt_drivers = rolling_origin(history, days, point_model(partial(drivers_point, orders=orders)),
                                28, 3)
    bt_base = rolling_origin(history, days, baseline_events, 28, 3)
    assert metrics(bt_drivers)["wape"].iloc[0] < metrics(bt_base)["wape"].iloc[0]


def test_contact_rate_is_tickets_per_order():
    history, orders, _, _ = _orders_and_tickets()
    rate = contact_rate(history, orders)["volume"]
    assert rate.median() == pytest.approx(RATE, rel=0.03)


def test_forecast_queues_passes_each_queue_its_orders():
    history, orders, _, spike = _orders_and_tickets()
    daily = pd.concat([history.assign(queue="chat"),
                       history.assign(queue="email", volume=history["volume"] / 2)])
    per_channel = pd.concat([orders.assign(channel="chat"),
                             orders.assign(channel="email", orders=orders["orders"] / 2)])
    days = holiday_events(public_holidays([], []))
    out = forecast_queues(daily, days, 28, "drivers", orders=per_channel)
    chat = out[out["queue"] == "chat"].set_index("date")["volume_p50"]
    email = out[out["queue"] == "email"].set_index("date")["volume_p50"]
    # Same contact rate, half the orders: half the tickets, spike included.
    np.testing.assert_allclose(email[spike], chat[spike] / 2, rtol=0.05)


@pytest.mark.parametrize("orders, message", [
    (None, "needs daily orders"),
    (pd.DataFrame({"day": [], "orders": []}), "missing column"),
    (pd.DataFrame({"date": pd.to_datetime(["2024-03-04"]), "orders": [1.0]}),
     "no planned orders for"),
])
def test_drivers_errors(orders, message):
    history, _, _, _ = _orders_and_tickets()
    days = holiday_events(public_holidays([], []))
    with pytest.raises(ValueError, match=message):
        drivers_point(history, days, 7, orders=orders)

"""Business drivers: tickets as planned orders times a forecast contact rate.

Ecommerce contacts follow orders: a sale that doubles orders roughly doubles
"where is my order" tickets a few days later, whether or not the promo
calendar lists it. The ``drivers`` model forecasts the *contact rate*
(tickets per order), which is far steadier than the volume, with the
weekly-seasonal baseline and learned event multipliers of
:func:`forecast.baseline.baseline_events_point`, and multiplies it by the
planned orders of each future day.

The model keeps the contract ``model(daily, days, horizon_days)``; the
orders come in as the keyword ``orders=`` (bind them with
``functools.partial(drivers, orders=orders)`` where a three-argument
model is expected; :func:`forecast.models.forecast_queues` does this).

References
----------
Hyndman, R. J. & Athanasopoulos, G., *Forecasting: Principles and Practice*,
3rd ed., section 7.6 (forecasting with a regression on known future
predictors) and 13.3 (ratios of forecasts).
"""
from __future__ import annotations

from functools import partial

import numpy as np
import pandas as pd

from forecast.backtest import future_dates
from forecast.baseline import baseline_events_point
from forecast.intervals import backtest_intervals


def _check_orders(orders: pd.DataFrame | None) -> pd.Series:
    if orders is None:
        raise ValueError("orders: the drivers model needs daily orders (date, orders), got none")
    missing = [c for c in ("date", "orders") if c not in orders.columns]
    if missing:
        raise ValueError(f"orders: missing column(s) {', '.join(missing)}; required: date, orders; "
                         f"found: {', '.join(map(str, orders.columns))}")
    return orders.groupby(pd.DatetimeIndex(orders["date"]))["orders"].sum().astype(float)


def contact_rate(daily: pd.DataFrame, orders: pd.DataFrame) -> pd.DataFrame:
    """Tickets per order on each history day.

    Parameters
    ----------
    daily : DataFrame
        ``date``, ``volume`` [tickets/day] of one queue.
    orders : DataFrame
        ``date``, ``orders`` [orders/day] (summed per date).

    Returns
    -------
    DataFrame
        ``date``, ``volume`` = contact rate [tickets/order]; NaN where the
        volume is missing or a day has no orders (so that the models treat
        it as a missing day, not as zero).

    Examples
    --------
    >>> d = pd.DataFrame({"date": pd.to_datetime(["2026-01-01", "2026-01-02"]),
    ...                   "volume": [8.0, 5.0]})
    >>> o = pd.DataFrame({"date": pd.to_datetime(["2026-01-01"]), "orders": [100.0]})
    >>> contact_rate(d, o)["volume"].tolist()
    [0.08, nan]
    """
    per_day = _check_orders(orders).reindex(pd.DatetimeIndex(daily["date"]))
    per_day = per_day.where(per_day > 0).to_numpy(float)
    return pd.DataFrame({"date": daily["date"].to_numpy(),
                         "volume": daily["volume"].to_numpy(float) / per_day})


def drivers_point(daily: pd.DataFrame, days: pd.DataFrame, horizon_days: int, *,
                  orders: pd.DataFrame | None = None) -> np.ndarray:
    """Forecast contact rate times planned orders [tickets/day].

    Parameters
    ----------
    daily : DataFrame
        ``date``, ``volume`` [tickets/day] of one queue.
    days : DataFrame
        Event days over history and horizon.
    horizon_days : int
        Days to forecast [days].
    orders : DataFrame
        ``date``, ``orders`` [orders/day] over the history and the horizon
        (planned orders ahead).

    Returns
    -------
    ndarray
        The point forecast [tickets/day].

    Raises
    ------
    ValueError
        No orders, missing columns, or a future day without planned orders.

    Notes
    -----
    rate(d) = volume(d) / orders(d) on history days; the rate's forecast is
    :func:`forecast.baseline.baseline_events_point` on that series (weekday
    factors, recent level, yearly shape, event multipliers: the effects
    orders do not explain, such as a holiday's returns questions); the
    forecast is rate x planned orders.
    """
    per_day = _check_orders(orders)
    future = future_dates(daily, horizon_days)
    planned = per_day.reindex(future)
    if planned.isna().any():
        first = planned.index[planned.isna()][0]
        raise ValueError(f"orders: no planned orders for {first:%Y-%m-%d}; the drivers model "
                         f"needs orders for every day of the {int(horizon_days)}-day horizon "
                         f"(through {future[-1]:%Y-%m-%d})")
    rate = baseline_events_point(contact_rate(daily, orders), days, horizon_days)
    return np.clip(rate, 0.0, None) * planned.to_numpy(float)


def drivers(daily: pd.DataFrame, days: pd.DataFrame, horizon_days: int, *,
            orders: pd.DataFrame | None = None) -> pd.DataFrame:
    """Contact rate x planned orders, with P10/P90 from backtest residuals.

    Parameters
    ----------
    daily : DataFrame
        ``date``, ``volume`` [tickets/day] of one queue, consecutive days.
    days : DataFrame
        Event days (promo windows and holidays) over history and horizon.
    horizon_days : int
        Days to forecast after the last history day [days].
    orders : DataFrame
        ``date``, ``orders`` [orders/day], past and planned.

    Returns
    -------
    DataFrame
        ``date``, ``volume_p10``, ``volume_p50``, ``volume_p90`` [tickets/day].

    See Also
    --------
    drivers_point : the point forecast and its assumptions.

    Examples
    --------
    >>> from functools import partial
    >>> model = partial(drivers, orders=pd.DataFrame({"date": [], "orders": []}))
    """
    _check_orders(orders)
    return backtest_intervals(partial(drivers_point, orders=orders), daily, days, horizon_days)

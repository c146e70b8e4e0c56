"""Daily volume models. Each is ``model(daily, days, horizon_days) -> forecast frame``.

``daily`` holds one queue (``date``, ``volume``); ``days`` its event days
(promo windows and public holidays); the result has ``date``,
``volume_p10``, ``volume_p50``, ``volume_p90`` [tickets/day] for the
``horizon_days`` days after the history. :func:`forecast_queues` runs a
model over every queue and adds ``queue``, ``regime`` and ``events``.
"""
from __future__ import annotations

from collections.abc import Callable
from functools import partial

import numpy as np
import pandas as pd

from calendars.events import event_labels, regime_per_day
from forecast.backtest import backtest_intervals, future_dates
from forecast.events import (clean_days, days_for_queue, event_multiplier,
                             learn_uplifts, local_baseline)
from forecast.auto import auto
from forecast.drivers import drivers
from forecast.prophet_model import prophet
from forecast.statistical import ets, sarimax

FORECAST_COLUMNS = ["date", "queue", "volume_p10", "volume_p50", "volume_p90", "regime", "events"]


def seasonal_naive_point(daily: pd.DataFrame, days: pd.DataFrame, horizon_days: int) -> np.ndarray:
    """Last observed value on the same weekday [tickets/day]; events ignored."""
    volume = daily.set_index("date")["volume"].dropna()
    last_week = volume.iloc[-7:]
    by_weekday = pd.Series(last_week.to_numpy(), index=last_week.index.day_of_week)
    return by_weekday.reindex(future_dates(daily, horizon_days).day_of_week).to_numpy(float)


def baseline_events_point(daily: pd.DataFrame, days: pd.DataFrame,
                          horizon_days: int) -> np.ndarray:
    """Weekly-seasonal baseline with yearly shape, times learned event multipliers.

    Notes
    -----
    The level is the mean of the last 28 clean days after removing weekday
    factors (from the last 26 weeks of clean days). The path ahead follows
    last year's clean local baseline over the same dates, scaled to today's
    level, which carries both growth and yearly seasonality; with less than
    a year and a horizon of history, a log-linear growth fitted to the last
    365 clean days is used instead. Event multipliers come from
    :func:`forecast.events.learn_uplifts` on the whole history.
    """
    daily = daily.reset_index(drop=True)
    dates = pd.DatetimeIndex(daily["date"])
    volume = daily["volume"].to_numpy(float)
    clean = clean_days(daily, days)
    ok = clean.to_numpy()
    last = dates[-1]
    future = future_dates(daily, horizon_days)

    recent = ok & (dates > last - pd.Timedelta(days=182))
    if recent.sum() < 14:
        recent = ok
    weekday = dates.day_of_week.to_numpy()
    mean_all = volume[recent].mean()
    factors = np.array([volume[recent & (weekday == w)].mean() / mean_all
                        if (recent & (weekday == w)).any() else 1.0 for w in range(7)])
    deseason = volume / factors[weekday]
    for window in (28, 56, 112, len(dates)):
        level_rows = ok & (dates > last - pd.Timedelta(days=window))
        if level_rows.sum() >= 7:
            break
    level = deseason[level_rows].mean()

    ahead = ((future - last).days.to_numpy())
    year_ago = future - pd.Timedelta(days=364)
    if year_ago[-1] <= last - pd.Timedelta(days=364) + pd.Timedelta(days=len(future)) and \
            dates[0] <= last - pd.Timedelta(days=364 + 28) and len(future) <= 364:
        smooth = pd.Series(local_baseline(daily, clean) / factors[weekday], index=dates)
        smooth = smooth.rolling(28, center=True, min_periods=7).mean()
        anchor = smooth[(dates > last - pd.Timedelta(days=364 + 28))
                        & (dates <= last - pd.Timedelta(days=364))].mean()
        shape = smooth.reindex(year_ago).to_numpy() / anchor
    else:
        fit = ok & (dates > last - pd.Timedelta(days=365))
        t_years = (dates - last).days.to_numpy() / 365.25
        slope = np.polyfit(t_years[fit], np.log(deseason[fit]), 1)[0] if fit.sum() >= 28 else 0.0
        slope = float(np.clip(slope, np.log(0.5), np.log(2.0)))
        shape = np.exp(slope * (ahead - 14) / 365.25)
    baseline = level * factors[future.day_of_week.to_numpy()] * shape

    uplifts = learn_uplifts(daily, days, clean)
    multiplier = event_multiplier(days, uplifts).reindex(future).fillna(1.0).to_numpy()
    return baseline * multiplier


def seasonal_naive(daily: pd.DataFrame, days: pd.DataFrame, horizon_days: int) -> pd.DataFrame:
    """Seasonal naive: each day repeats the same weekday of the last week (the baseline)."""
    return backtest_intervals(seasonal_naive_point, daily, days, horizon_days)


def baseline_events(daily: pd.DataFrame, days: pd.DataFrame, horizon_days: int) -> pd.DataFrame:
    """Weekly-seasonal baseline times learned event multipliers, with P10/P90 from backtests."""
    return backtest_intervals(baseline_events_point, daily, days, horizon_days)


MODELS: dict[str, Callable[[pd.DataFrame, pd.DataFrame, int], pd.DataFrame]] = {
    "naive": seasonal_naive,
    "baseline": baseline_events,
    "ets": ets,
    "sarimax": sarimax,
    "prophet": prophet,
    "auto": auto,
    "drivers": drivers,
}


def _forecast_one(queue: str, one: pd.DataFrame, mine: pd.DataFrame, model: str,
                  horizon_days: int, orders: pd.DataFrame | None) -> pd.DataFrame:
    """One queue's forecast with ``queue``, ``regime`` and ``events`` (a picklable task)."""
    fit = MODELS[model]
    if orders is not None:
        fit = partial(fit, orders=orders)
    out = fit(one, mine, horizon_days)
    dates = pd.DatetimeIndex(out["date"])
    out.insert(1, "queue", queue)
    out["regime"] = regime_per_day(mine, dates).to_numpy()
    out["events"] = event_labels(mine, dates).to_numpy()
    return out[FORECAST_COLUMNS]


def forecast_queues(daily: pd.DataFrame, days: pd.DataFrame, horizon_days: int,
                    model: str = "baseline", n_jobs: int = 1, scheduler: str | None = None,
                    orders: pd.DataFrame | None = None,
                    on_queue: Callable[[str], None] | None = None) -> pd.DataFrame:
    """Forecast every queue of ``daily`` with ``MODELS[model]``.

    Parameters
    ----------
    daily : DataFrame
        ``date``, ``queue``, ``volume`` [tickets/day].
    days : DataFrame
        Event days (promo windows and holidays) over history and horizon.
    horizon_days : int
        Days to forecast after the last day of history [days].
    model : str
        A key of :data:`MODELS`.
    n_jobs : int
        Processes: 1 forecasts the queues one after the other here; more
        (or -1 for one per core) uses a local joblib process pool with
        BLAS pinned to one thread per worker. The result is the same.
    scheduler : str, optional
        ``"local"`` runs the queues on a local Dask cluster (2 worker
        processes), ``"tcp://host:8786"`` on a running one; overrides
        ``n_jobs``. Same result again.
    orders : DataFrame, optional
        Daily orders (:func:`forecast.io.read_orders`: ``date``, ``orders``
        [orders/day], optional ``channel``), past and planned; required by
        the ``drivers`` model and passed to it as ``orders=``. Rows with a
        ``channel`` go to that queue; without one, every queue gets them.
    on_queue : callable, optional
        Called with each queue's name when its forecast is in (progress).

    Returns
    -------
    DataFrame
        :data:`FORECAST_COLUMNS`, queues in sorted order; ``regime`` is the
        day's regime, ``events`` the events touching it.

    Raises
    ------
    ValueError
        Unknown ``model``, ``horizon_days`` below 1, ``drivers`` without
        ``orders``, a bad ``n_jobs`` or ``scheduler``.
    """
    from forecast.parallel import check_parallel, map_queues

    if model not in MODELS:
        raise ValueError(f"model: unknown model {model!r}; expected one of {', '.join(MODELS)}")
    if horizon_days < 1:
        raise ValueError(f"horizon_days: expected at least 1, got {horizon_days}")
    if model == "drivers" and orders is None:
        raise ValueError("orders: the drivers model needs daily orders (date, orders), got none")
    check_parallel(n_jobs, scheduler)
    tasks = []
    for queue, one in daily.groupby("queue", sort=True):
        mine = days_for_queue(days, str(queue))
        queue_orders = orders_for_queue(orders, str(queue)) if model == "drivers" else None
        tasks.append((queue, one[["date", "volume"]].reset_index(drop=True), mine, model,
                      int(horizon_days), queue_orders))
    frames = []
    for task, out in zip(tasks, map_queues(_forecast_one, tasks, n_jobs, scheduler)):
        frames.append(out)
        if on_queue is not None:
            on_queue(str(task[0]))
    return pd.concat(frames, ignore_index=True)[FORECAST_COLUMNS]


def orders_for_queue(orders: pd.DataFrame, queue: str) -> pd.DataFrame:
    """The daily orders that drive ``queue``: its channel's rows, or all orders summed.

    Returns
    -------
    DataFrame
        ``date``, ``orders`` [orders/day], one row per date.
    """
    if "channel" in orders.columns and (orders["channel"] == queue).any():
        orders = orders[orders["channel"] == queue]
    return orders.groupby("date", as_index=False)["orders"].sum()

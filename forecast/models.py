"""Running the forecast models over every queue: the forecast, and its rolling-origin backtest.

A model (:data:`forecast.registry.MODELS`) is ``model(daily, days,
horizon_days) -> DataFrame``: ``daily`` holds one queue (``date``,
``volume``), ``days`` its event days (promo windows and public holidays),
and the result has ``date``, ``volume_p10``, ``volume_p50``, ``volume_p90``
[tickets/day] for the ``horizon_days`` days after the history.
:func:`forecast_queues` runs one over every queue and adds ``queue``,
``regime`` and ``events``; :func:`backtest_queues` scores several.
"""
from __future__ import annotations

from collections.abc import Callable
from functools import partial

import numpy as np
import pandas as pd

from calendars.errors import InputError
from calendars.events import event_labels, regime_per_day
from forecast.backtest import METRIC_COLUMNS, check_horizon_days, metrics, origin_cuts, rolling_origin
from forecast.events import clean_days, days_for_queue
from forecast.parallel import check_parallel, map_queues
from forecast.registry import check_model, load_model

FORECAST_COLUMNS = ["date", "queue", "volume_p10", "volume_p50", "volume_p90", "regime", "events"]
#: The fewest days with a count, and the fewest without an event, a queue needs to be forecast.
MIN_HISTORY_DAYS = 14
MIN_CLEAN_DAYS = 7
SUMMARY_COLUMNS = ["queue", "total_p50", "mean_p50", "normal_median_p50", "peak_day", "peak_p50",
                   "peak_p90", "event_days"]


def check_history(queue: str, daily: pd.DataFrame, days: pd.DataFrame) -> None:
    """Refuse a queue's history that cannot give a forecast, saying why.

    Raises
    ------
    InputError
        Fewer than :data:`MIN_HISTORY_DAYS` days with a count, every count
        zero, or fewer than :data:`MIN_CLEAN_DAYS` days outside events (the
        calendar covers nearly every day, so no baseline can be measured).
    """
    volume = daily["volume"].to_numpy(float)
    counted = np.isfinite(volume)
    where = f"the history's queue {queue!r}"
    if counted.sum() < MIN_HISTORY_DAYS:
        raise InputError(f"{where} has {int(counted.sum())} days with a count; a forecast needs "
                         f"at least {MIN_HISTORY_DAYS}")
    if not (volume[counted] > 0).any():
        raise InputError(f"{where} is zero on every day; there is no demand to forecast (leave "
                         "the queue out of the history and the config)")
    clean = clean_days(daily, days).to_numpy() & counted
    if clean.sum() < MIN_CLEAN_DAYS:
        raise InputError(f"{where} has {int(clean.sum())} days outside events; a baseline needs "
                         f"at least {MIN_CLEAN_DAYS} (does the calendar cover nearly every day?)")


def _forecast_one(queue: str, one: pd.DataFrame, mine: pd.DataFrame, model: str,
                  horizon_days: int, orders: pd.DataFrame | None) -> pd.DataFrame:
    """One queue's forecast with ``queue``, ``regime`` and ``events`` (a picklable task)."""
    fit = load_model(model)
    if orders is not None:
        fit = partial(fit, orders=orders)
    check_history(queue, one, mine)
    out = fit(one, mine, horizon_days)
    values = out[["volume_p10", "volume_p50", "volume_p90"]].to_numpy(float)
    if not np.isfinite(values).all():
        raise InputError(f"the history's queue {queue!r} gives no forecast on "
                         f"{int((~np.isfinite(values).all(axis=1)).sum())} days (too few usable "
                         f"days for model {model!r}); try --model naive or a longer history")
    dates = pd.DatetimeIndex(out["date"])
    out.insert(1, "queue", queue)
    out["regime"] = regime_per_day(mine, dates).to_numpy()
    out["events"] = event_labels(mine, dates).to_numpy()
    return out[FORECAST_COLUMNS]


def forecast_queues(daily: pd.DataFrame, days: pd.DataFrame, horizon_days: int,
                    model: str = "baseline", n_jobs: int = 1, scheduler: str | None = None,
                    orders: pd.DataFrame | None = None,
                    on_queue: Callable[[str], None] | None = None) -> pd.DataFrame:
    """Forecast every queue of ``daily`` with the model named ``model``.

    Parameters
    ----------
    daily : DataFrame
        ``date``, ``queue``, ``volume`` [tickets/day].
    days : DataFrame
        Event days (promo windows and holidays) over history and horizon.
    horizon_days : int
        Days to forecast after the last day of history [days].
    model : str
        A key of :data:`forecast.registry.MODELS`.
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
    check_model(model)
    horizon_days = check_horizon_days(horizon_days)
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


def forecast_summary(forecast: pd.DataFrame) -> pd.DataFrame:
    """Each queue's forecast in brief.

    Returns
    -------
    DataFrame
        :data:`SUMMARY_COLUMNS`: the P50 total and daily mean [contacts], the
        median P50 of normal-regime days (NaN with none), the peak day (the
        largest P50) with its P50 and P90, and the number of days with events.
    """
    rows = []
    for queue, one in forecast.groupby("queue", sort=True):
        peak = one.loc[one["volume_p50"].idxmax()]
        normal = one.loc[one["regime"] == "normal", "volume_p50"]
        rows.append((str(queue), float(one["volume_p50"].sum()), float(one["volume_p50"].mean()),
                     float(normal.median()) if len(normal) else float("nan"),
                     pd.Timestamp(peak["date"]), float(peak["volume_p50"]),
                     float(peak["volume_p90"]), int((one["events"].fillna("") != "").sum())))
    return pd.DataFrame(rows, columns=SUMMARY_COLUMNS)


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


SCORE_COLUMNS = ["queue", "model", *METRIC_COLUMNS]


def backtest_queues(daily: pd.DataFrame, days: pd.DataFrame, models: list[str],
                    horizon_days: int = 28, origins: int = 8,
                    orders: pd.DataFrame | None = None,
                    on_step: Callable[[], None] | None = None) -> pd.DataFrame:
    """Rolling-origin accuracy of each model on every queue, and over all queues.

    Parameters
    ----------
    daily : DataFrame
        ``date``, ``queue``, ``volume`` [tickets/day].
    days : DataFrame
        Event days over history and horizon.
    models : list of str
        Keys of :data:`forecast.registry.MODELS`.
    horizon_days, origins : int
        As for :func:`forecast.backtest.rolling_origin`.
    orders : DataFrame, optional
        Daily orders, for the ``drivers`` model.
    on_step : callable, optional
        Called after each model fit (progress): :func:`backtest_steps` of them.

    Returns
    -------
    DataFrame
        :data:`SCORE_COLUMNS`: one row per queue and model, then, with
        several queues, one per model over all queues (``queue`` = ``all``).
    """
    for name in models:
        check_model(name)
    if "drivers" in models and orders is None:
        raise ValueError("orders: the drivers model needs daily orders (date, orders), got none")
    step = on_step or (lambda: None)
    runs: dict[str, list] = {name: [] for name in models}
    rows = []
    for queue, one in daily.groupby("queue", sort=True):
        one = one[["date", "volume"]].reset_index(drop=True)
        mine = days_for_queue(days, str(queue))
        for name in models:
            fit = load_model(name)
            if name == "drivers":
                fit = partial(fit, orders=orders_for_queue(orders, str(queue)))

            def counted(train, known, h, fit=fit):
                out = fit(train, known, h)
                step()
                return out
            run = rolling_origin(one, mine, counted, horizon_days, origins)
            runs[name].append(run)
            rows.append({"queue": str(queue), "model": name, **metrics(run).iloc[0].to_dict()})
    if daily["queue"].nunique() > 1:
        for name in models:
            rows.append({"queue": "all", "model": name,
                         **metrics(pd.concat(runs[name], ignore_index=True)).iloc[0].to_dict()})
    scores = pd.DataFrame(rows, columns=SCORE_COLUMNS)
    scores["n_days"] = scores["n_days"].astype(int)
    return scores


def backtest_steps(daily: pd.DataFrame, n_models: int, horizon_days: int, origins: int) -> int:
    """Model fits :func:`backtest_queues` makes (for a progress bar's total)."""
    return n_models * sum(len(origin_cuts(len(one), horizon_days, origins))
                          for _, one in daily.groupby("queue"))


"""Prediction intervals for every model: conformal quantiles of backtest residuals.

Every model's P10/P90 come from here. A model's point forecast is
backtested from several origins (:func:`forecast.backtest.rolling_origin`);
the log residuals give split-conformal quantiles by regime and horizon
bucket (:func:`interval_quantiles`), which wrap the forecast fitted on the
whole history (:func:`forecast_with_quantiles`).

References
----------
Vovk, Gammerman & Shafer, *Algorithmic Learning in a Random World* (split
conformal prediction).
"""
from __future__ import annotations

from statistics import NormalDist

import numpy as np
import pandas as pd

from calendars.events import regime_per_day
from forecast.backtest import (Point, check_daily, check_horizon_days, future_dates, origin_cuts,
                               point_model, rolling_origin)
from forecast.events import event_log_sd

QUANTILE_COLUMNS = ["regime", "first_day", "last_day", "log_low", "log_high", "n_residuals"]
#: Log-scale interval used when the history is too short to measure one [log ratio].
DEFAULT_LOG_HALF_WIDTH = 0.2
#: The fewest backtest residuals a horizon bucket or a regime needs for its own quantiles.
MIN_RESIDUALS = 20
#: The fewest separate runs of days (occurrences) a regime's residuals must come from for
#: quantiles of its own. A season's days share one miss of its level: the 29 holiday-season
#: days in a six-origin backtest are one draw. With their quantiles the example's held-out
#: season was covered 0.64 of the time; with the event's spread instead
#: (:func:`forecast.events.event_log_sd`), 0.82 (benchmarks/forecast_accuracy.py).
MIN_OCCURRENCES = 5
#: Past the last measured horizon the band's log half-width grows as
#: (horizon / measured) ** this. Chosen on the tuning half of the forecast benchmark's
#: origins (NYC 311, bank_calls, the example; days 29-90), where it kept 80 % bands
#: closest to 0.8: 0.1 (mean miss 0.031) against the square root's 0.5 (0.090), which
#: covered 0.88 (NYC 311) to 0.97 (the example) of held-out days 57-90; 0.1 covers 0.81
#: and 0.87-0.88 there. Daily errors barely grow past four weeks.
WIDEN_EXPONENT = 0.1


def _runs(backtest: pd.DataFrame, regime: np.ndarray) -> np.ndarray:
    """A label per row for its run: consecutive dates of one regime after one origin.

    Without ``date`` and ``origin`` columns every row is a run of its own.
    """
    if not {"date", "origin"} <= set(backtest.columns):
        return np.arange(len(backtest))
    frame = pd.DataFrame({"origin": pd.DatetimeIndex(backtest["origin"]),
                          "date": pd.DatetimeIndex(backtest["date"]), "regime": regime})
    frame = frame.sort_values(["origin", "date"])
    new = ((frame["origin"] != frame["origin"].shift())
           | (frame["regime"] != frame["regime"].shift())
           | (frame["date"] - frame["date"].shift() != pd.Timedelta(days=1)))
    return new.cumsum().reindex(range(len(frame))).to_numpy()


def interval_quantiles(backtest: pd.DataFrame, coverage: float = 0.8,
                       bucket_days: int = 28) -> pd.DataFrame:
    """Conformal quantiles of log(actual / p50), by horizon bucket and by regime.

    Parameters
    ----------
    backtest : DataFrame
        A (point) backtest: ``horizon_day``, ``actual``, ``volume_p50`` and,
        optionally, ``regime`` (all ``normal`` without it).
    coverage : float
        Central interval coverage [fraction], e.g. 0.8 for P10-P90.
    bucket_days : int
        Width of the horizon buckets [days]. The default, 28, is one bucket
        over a 28-day backtest: on NYC 311, the spread of log residuals
        barely changes from week 1 to week 4 (10th-90th percentile -0.12 to
        0.10 in week 1, -0.11 to 0.10 in week 4) while 14-day buckets of
        six origins' residuals made noisier quantiles (coverage 0.74).

    Returns
    -------
    DataFrame
        :data:`QUANTILE_COLUMNS`: ``regime``, ``first_day``, ``last_day``
        [days ahead], ``log_low``, ``log_high`` [log ratio], ``n_residuals``.
        ``normal`` days have one row per horizon bucket; every other regime
        with at least :data:`MIN_RESIDUALS` residuals from at least
        :data:`MIN_OCCURRENCES` runs of days (with ``date`` and ``origin``
        columns; each row is a run without them) has one row over all
        horizons. Empty when the backtest has fewer than
        :data:`MIN_RESIDUALS` usable residuals.

    Notes
    -----
    Split-conformal: the upper quantile is taken at level
    ``ceil((n + 1) q) / n`` so that, for exchangeable residuals, the
    interval covers at least ``coverage``, with ``n`` the number of normal
    residuals (a thin bucket is not inflated further). A bucket with fewer than
    :data:`MIN_RESIDUALS` residuals takes its regime's pooled quantiles;
    normal days with too few take every day's. Event regimes are kept apart
    because their errors (a multiplier's miss) are not normal days' errors.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> bt = pd.DataFrame({"horizon_day": np.tile(np.arange(1, 29), 4), "volume_p50": 100.0,
    ...                    "actual": 100.0 * np.exp(rng.normal(0, 0.1, 112))})
    >>> q = interval_quantiles(bt, bucket_days=14)
    >>> q[["regime", "first_day", "last_day"]].to_numpy().tolist()
    [['normal', 1, 14], ['normal', 15, 28]]
    >>> bool((q["log_low"] < 0).all() and (q["log_high"] > 0).all())
    True
    """
    if not 0.0 < coverage < 1.0:
        raise ValueError(f"coverage: expected a fraction in (0, 1), got {coverage}")
    if int(bucket_days) < 1:
        raise ValueError(f"bucket_days: expected at least 1, got {bucket_days}")
    actual = backtest["actual"].to_numpy(float)
    p50 = backtest["volume_p50"].to_numpy(float)
    ok = np.isfinite(actual) & (actual > 0) & np.isfinite(p50) & (p50 > 0)
    if ok.sum() < MIN_RESIDUALS:
        return pd.DataFrame(columns=QUANTILE_COLUMNS)
    log_ratio = np.log(actual[ok] / p50[ok])
    horizon = backtest["horizon_day"].to_numpy(int)[ok]
    regime = (backtest["regime"].to_numpy(object)[ok] if "regime" in backtest
              else np.full(len(log_ratio), "normal", dtype=object))
    tail = (1.0 - coverage) / 2.0

    def conformal(values: np.ndarray, n: int | None = None) -> tuple[float, float]:
        n = len(values) if n is None else n
        hi_level = min(1.0, np.ceil((n + 1) * (1.0 - tail)) / n)
        lo_level = max(0.0, 1.0 - hi_level)
        return float(np.quantile(values, lo_level)), float(np.quantile(values, hi_level))

    normal = regime == "normal"
    if normal.sum() < MIN_RESIDUALS:
        normal = np.ones(len(log_ratio), bool)
    pooled = conformal(log_ratio[normal])
    last_day = int(horizon.max())
    rows = []
    for first in range(1, last_day + 1, int(bucket_days)):
        last = first + int(bucket_days) - 1
        inside = normal & (horizon >= first) & (horizon <= last)
        low, high = (conformal(log_ratio[inside], int(normal.sum()))
                     if inside.sum() >= MIN_RESIDUALS else pooled)
        rows.append(("normal", first, last, low, high, int(inside.sum())))
    occurrence = _runs(backtest[ok], regime)
    for name in sorted(set(regime) - {"normal"}):
        mine = regime == name
        if mine.sum() >= MIN_RESIDUALS and np.unique(occurrence[mine]).size >= MIN_OCCURRENCES:
            rows.append((name, 1, last_day, *conformal(log_ratio[mine]), int(mine.sum())))
    return pd.DataFrame(rows, columns=QUANTILE_COLUMNS)


def apply_quantiles(p50: np.ndarray, horizon_day: np.ndarray, quantiles: pd.DataFrame,
                    regime: np.ndarray | None = None,
                    event_log_sd: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """P10 and P90 [tickets/day] around ``p50`` from :func:`interval_quantiles`.

    A day whose regime has its own quantiles takes them; any other day takes
    the ``normal`` quantiles ``q`` of its horizon bucket or, if wider, its
    event multiplier's spread: ``max(|q|, z * event_log_sd)`` with ``z`` the
    standard normal 90th percentile. The wider, not the sum in quadrature:
    a multiplier's spread across past occurrences already holds the
    day-to-day noise the normal band measures (in quadrature, the example's
    holiday-peak days were covered 0.92 of the time, not 0.8). Days past the last
    measured horizon widen by the horizon ratio to the power
    :data:`WIDEN_EXPONENT` (measured, not the random walk's square root).
    With no quantiles, a +-:data:`DEFAULT_LOG_HALF_WIDTH` log interval is the
    normal one.

    Parameters
    ----------
    p50 : array
        Point forecast [tickets/day].
    horizon_day : array of int
        Days ahead of the origin [days].
    quantiles : DataFrame
        :func:`interval_quantiles`' result.
    regime : array of str, optional
        Each day's regime; ``normal`` when omitted.
    event_log_sd : array, optional
        Each day's event multiplier spread [log ratio]
        (:func:`forecast.events.event_log_sd`); 0 when omitted.
    """
    p50 = np.asarray(p50, float)
    horizon_day = np.asarray(horizon_day, int)
    regime = np.full(len(p50), "normal", dtype=object) if regime is None else np.asarray(regime)
    sd = np.zeros(len(p50)) if event_log_sd is None else np.asarray(event_log_sd, float)
    normal = quantiles[quantiles["regime"] == "normal"] if len(quantiles) else quantiles
    if normal.empty:
        low = np.full(len(p50), -DEFAULT_LOG_HALF_WIDTH)
        high = np.full(len(p50), DEFAULT_LOG_HALF_WIDTH)
        measured = 28.0
    else:
        row = np.clip(np.searchsorted(normal["last_day"].to_numpy(int), horizon_day), 0,
                      len(normal) - 1)
        low = normal["log_low"].to_numpy(float)[row]
        high = normal["log_high"].to_numpy(float)[row]
        measured = float(normal["last_day"].iloc[-1])
    own = quantiles[quantiles["regime"] != "normal"].set_index("regime") if len(quantiles) \
        else pd.DataFrame(columns=["log_low", "log_high"])
    has_own = pd.Series(regime).isin(own.index).to_numpy()
    z = NormalDist().inv_cdf(0.9)
    widen = np.where(has_own, 0.0, z * sd)
    low = np.where(has_own, pd.Series(regime).map(own["log_low"]).to_numpy(float),
                   -np.maximum(-np.minimum(low, 0.0), widen))
    high = np.where(has_own, pd.Series(regime).map(own["log_high"]).to_numpy(float),
                    np.maximum(np.maximum(high, 0.0), widen))
    scale = np.maximum(1.0, horizon_day / measured) ** WIDEN_EXPONENT
    # Keep P10 <= P50 <= P90 even when the residuals are all on one side.
    return p50 * np.exp(np.minimum(low, 0.0) * scale), p50 * np.exp(np.maximum(high, 0.0) * scale)


def backtest_intervals(point: Point, daily: pd.DataFrame, days: pd.DataFrame,
                       horizon_days: int, origins: int = 4,
                       backtest_days: int = 28) -> pd.DataFrame:
    """A model's forecast with P10/P90 from conformal quantiles of its backtest residuals.

    Parameters
    ----------
    point : callable
        ``point(daily, days, horizon_days) -> ndarray`` [tickets/day].
    daily, days : DataFrame
        As for a model.
    horizon_days : int
        Days to forecast [days].
    origins : int
        Backtest origins used to measure the residuals.
    backtest_days : int
        Horizon of that backtest [days]; longer horizons widen by
        :func:`apply_quantiles`'s :data:`WIDEN_EXPONENT` rule.

    Returns
    -------
    DataFrame
        ``date``, ``volume_p10``, ``volume_p50``, ``volume_p90`` [tickets/day].
    """
    check_daily(daily)
    horizon_days = check_horizon_days(horizon_days)
    daily = daily[["date", "volume"]].reset_index(drop=True)
    measured = min(int(horizon_days), int(backtest_days))
    if origin_cuts(len(daily), measured, origins):
        backtest = rolling_origin(daily, days, point_model(point), measured, origins)
        quantiles = interval_quantiles(backtest)
    else:
        quantiles = pd.DataFrame(columns=QUANTILE_COLUMNS)
    return forecast_with_quantiles(point, daily, days, horizon_days, quantiles)


def forecast_with_quantiles(point: Point, daily: pd.DataFrame, days: pd.DataFrame,
                            horizon_days: int, quantiles: pd.DataFrame) -> pd.DataFrame:
    """Fit ``point`` on all of ``daily`` and wrap it in the intervals of ``quantiles``.

    Days of a regime without quantiles of its own take the wider of the
    normal band and their event multiplier's spread (:func:`apply_quantiles`).
    """
    dates = future_dates(daily, horizon_days)
    p50 = np.clip(np.asarray(point(daily, days, horizon_days), float), 0.0, None)
    ahead = (dates - pd.Timestamp(daily["date"].max())).days.to_numpy()
    regime = regime_per_day(days, dates).to_numpy(object)
    own = set(quantiles["regime"]) - {"normal"} if len(quantiles) else set()
    needs_sd = ~pd.Series(regime).isin(own).to_numpy() & dates.isin(days["date"])
    sd = event_log_sd(daily, days, dates) if needs_sd.any() else np.zeros(len(dates))
    p10, p90 = apply_quantiles(p50, ahead, quantiles, regime, sd)
    return pd.DataFrame({"date": dates, "volume_p10": p10, "volume_p50": p50,
                         "volume_p90": p90})

"""Rolling-origin backtests and accuracy metrics.

A backtest refits a model at several origins on the history up to each
origin only, and scores the ``horizon_days`` days that follow. The event
calendar (``days``) is passed whole up to the end of each horizon: events
are planned ahead, so knowing them is not a leak.

References
----------
Hyndman, R. J. & Athanasopoulos, G., *Forecasting: Principles and Practice*,
3rd ed., sections 5.8 (MASE) and 5.10 (time series cross-validation).
"""
from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from calendars.events import regime_per_day

BACKTEST_COLUMNS = ["origin", "date", "horizon_day", "actual", "volume_p10", "volume_p50",
                    "volume_p90", "regime", "naive_mae"]
METRIC_COLUMNS = ["n_days", "wape", "mase", "bias", "coverage_80"]
#: The fewest training days a backtest origin may have [days].
MIN_TRAIN_DAYS = 56
#: The longest horizon forecast or planned [days]: two years, past which neither a weekly
#: level nor last year's shape says anything, and a bound on memory from one config value.
MAX_HORIZON_DAYS = 730

Model = Callable[[pd.DataFrame, pd.DataFrame, int], pd.DataFrame]
Point = Callable[[pd.DataFrame, pd.DataFrame, int], np.ndarray]


def check_daily(daily: pd.DataFrame) -> None:
    missing = [c for c in ("date", "volume") if c not in daily.columns]
    if missing:
        raise ValueError(f"daily: missing column(s) {', '.join(missing)}; required: date, volume; "
                         f"found: {', '.join(map(str, daily.columns))}")


def check_horizon_days(horizon_days, name: str = "horizon_days") -> int:
    """``horizon_days`` as an int, or ValueError naming ``name`` unless in 1..MAX_HORIZON_DAYS.

    Examples
    --------
    >>> check_horizon_days(28)
    28
    """
    if isinstance(horizon_days, bool) or not 1 <= horizon_days <= MAX_HORIZON_DAYS \
            or int(horizon_days) != horizon_days:
        raise ValueError(f"{name}: expected a whole number of days from 1 to {MAX_HORIZON_DAYS}, "
                         f"got {horizon_days!r}")
    return int(horizon_days)


def future_dates(daily: pd.DataFrame, horizon_days: int) -> pd.DatetimeIndex:
    """The ``horizon_days`` dates after the last day of ``daily``."""
    last = pd.Timestamp(daily["date"].max())
    return pd.date_range(last + pd.Timedelta(days=1), periods=int(horizon_days), freq="D")


def point_model(point: Point) -> Model:
    """Wrap a point forecast ``point(daily, days, horizon_days) -> ndarray`` as a model.

    The model's P10, P50 and P90 are all the point forecast: use it to
    backtest point accuracy without paying for intervals.
    """
    def model(daily: pd.DataFrame, days: pd.DataFrame, horizon_days: int) -> pd.DataFrame:
        p50 = np.clip(np.asarray(point(daily, days, horizon_days), float), 0.0, None)
        return pd.DataFrame({"date": future_dates(daily, horizon_days), "volume_p10": p50,
                             "volume_p50": p50, "volume_p90": p50})
    model.__name__ = getattr(point, "__name__", "point")
    return model


def origin_cuts(n_days: int, horizon_days: int, origins: int, step_days: int | None = None,
                min_train_days: int = MIN_TRAIN_DAYS) -> list[int]:
    """Training lengths [days] of the backtest origins, oldest first.

    The last origin leaves exactly ``horizon_days`` days to score; earlier
    ones step back by ``step_days`` (default ``horizon_days``). Origins with
    fewer than ``min_train_days`` training days are dropped.
    """
    step_days = horizon_days if step_days is None else step_days
    cuts = [n_days - horizon_days - k * step_days for k in range(origins)]
    return sorted(c for c in cuts if c >= min_train_days)


def rolling_origin(daily: pd.DataFrame, days: pd.DataFrame, model: Model,
                   horizon_days: int = 28, origins: int = 8,
                   step_days: int | None = None, keep: Sequence[str] = ()) -> pd.DataFrame:
    """Backtest ``model`` from several origins, refitting it on the history up to each.

    Parameters
    ----------
    daily : DataFrame
        ``date`` (consecutive days), ``volume`` [tickets/day] of one queue;
        NaN for missing days.
    days : DataFrame
        Event days (promo windows and holidays) over the whole span.
    model : callable
        ``model(daily, days, horizon_days) -> DataFrame`` with ``date``,
        ``volume_p10``, ``volume_p50``, ``volume_p90``.
    horizon_days : int
        Days scored after each origin [days].
    origins : int
        Number of origins; the last leaves exactly ``horizon_days`` days.
    step_days : int, optional
        Days between origins [days]; ``horizon_days`` by default, so the
        scored windows do not overlap.
    keep : sequence of str
        Further columns of the model's output to keep, after the others
        (e.g. several candidates' forecasts from one fit per origin).

    Returns
    -------
    DataFrame
        One row per origin and scored date: ``origin`` (last training day),
        ``date``, ``horizon_day`` [days ahead, 1 = the day after the origin],
        ``actual`` [tickets/day], ``volume_p10``, ``volume_p50``,
        ``volume_p90`` [tickets/day], ``regime`` (of the date) and
        ``naive_mae`` [tickets/day], the in-sample mean absolute error of
        the weekly seasonal naive forecast up to the origin (the MASE scale).

    Raises
    ------
    ValueError
        A missing column, a non-positive ``horizon_days``, ``origins`` or
        ``step_days``, or a history too short for even one origin with
        :data:`MIN_TRAIN_DAYS` training days.

    Notes
    -----
    The model sees ``daily`` up to the origin only, and the event days up
    to the end of the scored window (the calendar is known in advance).
    """
    check_daily(daily)
    for name, value in (("horizon_days", horizon_days), ("origins", origins),
                        ("step_days", 1 if step_days is None else step_days)):
        if int(value) < 1:
            raise ValueError(f"{name}: expected at least 1, got {value}")
    daily = daily[["date", "volume"]].reset_index(drop=True)
    cuts = origin_cuts(len(daily), horizon_days, origins, step_days)
    if not cuts:
        raise ValueError(f"daily: {len(daily)} days are too few for a {horizon_days}-day "
                         f"backtest; need at least {MIN_TRAIN_DAYS + horizon_days}")
    volume = daily["volume"].to_numpy(float)
    frames = []
    for cut in cuts:
        train = daily.iloc[:cut]
        origin = pd.Timestamp(train["date"].iloc[-1])
        end = origin + pd.Timedelta(days=horizon_days)
        known = days[days["date"] <= end]
        out = model(train, known, horizon_days)
        scored = daily.iloc[cut:cut + horizon_days]
        truth = pd.Series(scored["volume"].to_numpy(float), index=pd.DatetimeIndex(scored["date"]))
        dates = pd.DatetimeIndex(out["date"])
        weekly_diff = np.abs(volume[7:cut] - volume[:cut - 7])
        frames.append(pd.DataFrame({
            "origin": origin, "date": dates, "horizon_day": (dates - origin).days,
            "actual": truth.reindex(dates).to_numpy(),
            "volume_p10": out["volume_p10"].to_numpy(float),
            "volume_p50": out["volume_p50"].to_numpy(float),
            "volume_p90": out["volume_p90"].to_numpy(float),
            "regime": regime_per_day(known, dates).to_numpy(),
            "naive_mae": float(np.nanmean(weekly_diff)) if np.isfinite(weekly_diff).any()
            else np.nan} | {column: out[column].to_numpy() for column in keep}))
    return pd.concat(frames, ignore_index=True)[BACKTEST_COLUMNS + list(keep)]


def metrics(backtest: pd.DataFrame, by: Sequence[str] = ()) -> pd.DataFrame:
    """Accuracy of a backtest: WAPE, MASE, bias and 80 % interval coverage.

    Parameters
    ----------
    backtest : DataFrame
        :func:`rolling_origin`'s result.
    by : sequence of str
        Columns to group by (e.g. ``["regime"]`` or ``["horizon_day"]``);
        empty for one overall row.

    Returns
    -------
    DataFrame
        ``by`` columns, then ``n_days`` (scored days with an actual),
        ``wape`` [fraction] = sum|actual - p50| / sum actual, ``mase``
        [ratio] = mean(|actual - p50| / naive_mae), ``bias`` [fraction] =
        sum(p50 - actual) / sum actual (positive: over-forecast) and
        ``coverage_80`` [fraction] of actuals within [p10, p90].

    Examples
    --------
    >>> bt = pd.DataFrame({"actual": [10.0, 20.0], "volume_p10": [8.0, 15.0],
    ...     "volume_p50": [9.0, 22.0], "volume_p90": [12.0, 25.0], "naive_mae": [2.0, 2.0]})
    >>> metrics(bt)[["wape", "mase", "bias", "coverage_80"]].round(3).to_numpy().tolist()
    [[0.1, 0.75, 0.033, 1.0]]
    """
    needed = ["actual", "volume_p10", "volume_p50", "volume_p90", "naive_mae", *by]
    missing = [c for c in needed if c not in backtest.columns]
    if missing:
        raise ValueError(f"backtest: missing column(s) {', '.join(missing)}; required: "
                         f"{', '.join(needed)}; found: {', '.join(map(str, backtest.columns))}")
    scored = backtest[np.isfinite(backtest["actual"].to_numpy(float))]
    error = scored["volume_p50"] - scored["actual"]
    parts = pd.DataFrame({
        "n": 1.0, "abs_error": error.abs(), "error": error, "actual": scored["actual"],
        "scaled": error.abs() / scored["naive_mae"],
        "inside": ((scored["actual"] >= scored["volume_p10"])
                   & (scored["actual"] <= scored["volume_p90"])).astype(float)})
    keys = [scored[c] for c in by]
    sums = parts.groupby(keys).sum() if keys else parts.sum().to_frame().T
    out = pd.DataFrame({
        "n_days": sums["n"].astype(int),
        "wape": sums["abs_error"] / sums["actual"],
        "mase": sums["scaled"] / sums["n"],
        "bias": sums["error"] / sums["actual"],
        "coverage_80": sums["inside"] / sums["n"]})
    return out.reset_index() if keys else out.reset_index(drop=True)

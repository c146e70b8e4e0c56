"""Prophet with the promo calendar and public holidays as holiday windows.

prophet is imported inside :func:`prophet_point` only: importing this module
must not load prophet, cmdstanpy or plotly.

References
----------
Taylor, S. J. & Letham, B. (2018), "Forecasting at scale", *The American
Statistician* 72(1), 37-45.
"""
from __future__ import annotations

import logging
import warnings

import numpy as np
import pandas as pd

from forecast.backtest import future_dates
from forecast.multipliers import UPLIFT_COLUMNS, event_multiplier
from forecast.intervals import backtest_intervals

HOLIDAY = "public_holiday"


def quiet_cmdstanpy() -> None:
    """Keep cmdstanpy's per-fit INFO lines out of the output.

    cmdstanpy installs its own INFO handler on first use unless the logger
    already has one; a NullHandler at WARNING level pre-empts that.
    """
    logger = logging.getLogger("cmdstanpy")
    if not logger.handlers:
        logger.addHandler(logging.NullHandler())
    logger.setLevel(logging.WARNING)


def prophet_holidays(days: pd.DataFrame) -> pd.DataFrame:
    """Prophet's ``holidays`` frame from event days: one row per occurrence.

    Parameters
    ----------
    days : DataFrame
        Event days (:func:`calendars.events.event_days` plus holiday rows).

    Returns
    -------
    DataFrame
        ``holiday`` (the event type, so that occurrences of a type share
        their effects; a public holiday's own name), ``ds`` (the first event
        day), ``lower_window`` [days, <= 0] reaching back over the pre
        window, ``upper_window`` [days, >= 0] reaching over the rest of the
        event and its post window.

    Examples
    --------
    >>> days = pd.DataFrame({"date": pd.to_datetime(["2026-03-09", "2026-03-10", "2026-03-11"]),
    ...     "name": "Sale", "type": "flash_sale", "phase": ["pre", "event", "post"],
    ...     "offset_days": [-1, 0, 1], "event_start": pd.Timestamp("2026-03-10")})
    >>> prophet_holidays(days).to_dict("records")[0]["upper_window"]
    1
    """
    columns = ["holiday", "ds", "lower_window", "upper_window"]
    if days.empty:
        return pd.DataFrame(columns=columns)
    label = days["name"].where(days["type"] == HOLIDAY, days["type"])
    span = (pd.DatetimeIndex(days["date"]) - pd.DatetimeIndex(days["event_start"])).days
    frame = pd.DataFrame({"holiday": label.to_numpy(), "ds": days["event_start"].to_numpy(),
                          "occurrence": days["name"].to_numpy(), "span": span})
    out = frame.groupby(["holiday", "occurrence", "ds"], as_index=False)["span"].agg(["min", "max"])
    out = out.rename(columns={"min": "lower_window", "max": "upper_window"})
    out["lower_window"] = out["lower_window"].clip(upper=0).astype(int)
    out["upper_window"] = out["upper_window"].clip(lower=0).astype(int)
    out["ds"] = pd.to_datetime(out["ds"])
    return out[columns].sort_values(["ds", "holiday"]).reset_index(drop=True)


def prophet_point(daily: pd.DataFrame, days: pd.DataFrame, horizon_days: int,
                  seasonality_mode: str = "multiplicative") -> np.ndarray:
    """Prophet's ``yhat`` [tickets/day] with the event calendar as holidays.

    Parameters
    ----------
    daily : DataFrame
        ``date``, ``volume`` [tickets/day] of one queue; NaN days are dropped.
    days : DataFrame
        Event days over history and horizon.
    horizon_days : int
        Days to forecast [days].
    seasonality_mode : str
        ``multiplicative`` (default here) or ``additive`` (Prophet's default).

    Notes
    -----
    ``uncertainty_samples=0``: intervals come from backtests instead.
    Closures are removed from the holidays and set the forecast to zero; a
    future event type that the history never saw takes the calendar's or
    the preset multiplier, because Prophet would give it no effect.
    """
    if seasonality_mode not in ("multiplicative", "additive"):
        raise ValueError(f"seasonality_mode: expected 'multiplicative' or 'additive', "
                         f"got {seasonality_mode!r}")
    # prophet logs a plotly notice at import and cmdstanpy an INFO line per fit.
    logging.getLogger("prophet.plot").setLevel(logging.CRITICAL)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*plotly.*")
        warnings.filterwarnings("ignore", category=DeprecationWarning, module=r"prophet(\..*)?")
        warnings.filterwarnings("ignore", category=FutureWarning, module=r"prophet(\..*)?")
        try:
            from pandas.errors import Pandas4Warning
            warnings.filterwarnings("ignore", category=Pandas4Warning, module=r"prophet(\..*)?")
        except ImportError:  # pandas < 3 has no Pandas4Warning
            pass
        from prophet import Prophet

        quiet_cmdstanpy()

        history = pd.DataFrame({"ds": pd.DatetimeIndex(daily["date"]),
                                "y": daily["volume"].to_numpy(float)}).dropna()
        future = future_dates(daily, horizon_days)
        first = history["ds"].min()
        kept = days[(days["type"] != "closure") & (days["date"] >= first)]
        seen_types = set(kept.loc[kept["date"] <= history["ds"].max(), "type"])
        holidays = prophet_holidays(kept[kept["type"].isin(seen_types)])
        model = Prophet(holidays=holidays if len(holidays) else None,
                        seasonality_mode=seasonality_mode, uncertainty_samples=0)
        model.fit(history)
        yhat = model.predict(pd.DataFrame({"ds": future}))["yhat"].to_numpy(float)
    ahead = days[days["date"].isin(future) & ~days["type"].isin(seen_types - {"closure"})]
    assumed = event_multiplier(ahead, pd.DataFrame(columns=UPLIFT_COLUMNS))
    return np.clip(yhat, 0.0, None) * assumed.reindex(future).fillna(1.0).to_numpy(float)


def prophet(daily: pd.DataFrame, days: pd.DataFrame, horizon_days: int) -> pd.DataFrame:
    """Prophet with holiday windows from the event calendar, multiplicative seasonality.

    Parameters
    ----------
    daily : DataFrame
        ``date``, ``volume`` [tickets/day] of one queue, consecutive days.
    days : DataFrame
        Event days (promo windows and holidays) over history and horizon.
    horizon_days : int
        Days to forecast after the last history day [days].

    Returns
    -------
    DataFrame
        ``date``, ``volume_p10``, ``volume_p50``, ``volume_p90``
        [tickets/day]; P10/P90 from conformal quantiles of rolling-origin
        residuals (:func:`forecast.intervals.backtest_intervals`).
    """
    return backtest_intervals(prophet_point, daily, days, horizon_days)

"""Automatic model choice per queue by rolling-origin WAPE, with calibrated intervals.

:func:`auto` backtests a few event-free base models, each times the same
learned event multipliers, combines them with weights proportional to
1 / WAPE, and keeps that combination unless one model is clearly better on
its own (WAPE below :data:`CLEAR_WIN` x the combination's). It wraps the
forecast in intervals from the conformal quantiles of that same backtest's
log residuals, by regime and horizon
(:func:`forecast.intervals.interval_quantiles`). At each origin the event
multipliers are learned once and every candidate shares them, and no model
is fitted twice for the same origin.

Why combine rather than pick: on NYC 311 (8 origins x 28 days) picking the
lowest backtest WAPE among baseline, ETS and their mean scored 0.068,
while the inverse-WAPE combination of baseline and ETS scored 0.063; the
choice is noisy across origins, the combination averages errors that are
only partly correlated (Hyndman & Athanasopoulos 13.4; Bates & Granger 1969).
On the benchmark's 101 weekly NYC 311 origins, equal weights, 1 / WAPE,
1 / WAPE^2 and 1 / WAPE with recent origins weighted more scored within
0.0002 of each other; picking the best scored worse (0.0727 against 0.0725
on the tuning half). Prophet as a third candidate helped the tuning half
(28 days 0.0711 against 0.0725) but not the held-out one (0.0683 against
0.0679; at 90 days 0.0620 against 0.0626), and costs about 1 s per fit,
seven fits per queue, past the 2 s budget: not kept. Neither was a LightGBM
model of log(volume / last 28 days' level) on horizon, weekday, yearly
Fourier terms and the recent trend (tuning half 0.0769 alone, 0.0742 with
both bases against 0.0748 without; held-out 0.0684 against 0.0680). Nor an
ARIMA(1,1,1) or an AR(7) of the weekday-adjusted log volume: mixed with ``auto``
at weights set on the tuning half they took 5 % and 2 % and moved the held-out
28-day WAPE by under 0.5 % (benchmarks/forecast_accuracy.py's mix of every peer,
weighted on the tuning half, does no better than ``auto`` alone either).

References
----------
Hyndman, R. J. & Athanasopoulos, G., *Forecasting: Principles and Practice*,
3rd ed., sections 5.10 (cross-validation) and 13.4 (forecast combinations).
"""
from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from calendars.events import regime_per_day
from forecast.backtest import check_horizon_days, future_dates, metrics, origin_cuts, rolling_origin
from forecast.baseline import baseline_point
from forecast.events import clean_days, event_factor, event_log_sd, learn_uplifts
from forecast.intervals import QUANTILE_COLUMNS, apply_quantiles, interval_quantiles
from forecast.statistical import ets_base_point

Point = Callable[[pd.DataFrame, pd.DataFrame, int], np.ndarray]
RANK_COLUMNS = ["model", "wape", "n_days", "chosen"]
#: Backtest used for the choice and the intervals: origins and horizon [days]. Six origins,
#: not four, because the intervals rest on its residuals: on NYC 311 the 80 % band covered
#: 0.75 with four and 0.78 with six, for about 0.2 s more per queue.
AUTO_ORIGINS = 6
AUTO_BACKTEST_DAYS = 28
#: A single model replaces the combination only if its WAPE is below this share of it.
CLEAR_WIN = 0.8


def default_candidates() -> tuple[tuple[str, Point], ...]:
    """The event-free base models :func:`auto` chooses among: ``baseline`` and ``ets``.

    ``ets`` carries a yearly season learned from the event-cleaned history
    (:func:`forecast.statistical.ets_base_point`).
    """
    return (("baseline", baseline_point), ("ets", ets_base_point))


def _all_candidates(candidates: Sequence[tuple[str, Point]]):
    """One model giving every candidate's base x the shared event factor (one fit per origin)."""
    def model(daily: pd.DataFrame, days: pd.DataFrame, horizon_days: int) -> pd.DataFrame:
        factor = event_factor(daily, days, horizon_days)
        out = pd.DataFrame({"date": future_dates(daily, horizon_days)})
        for name, base in candidates:
            out[name] = np.clip(np.asarray(base(daily, days, horizon_days), float), 0.0,
                                None) * factor
        first = out[candidates[0][0]]
        return out.assign(volume_p10=first, volume_p50=first, volume_p90=first)
    return model


def combination_weights(wape: Sequence[float]) -> np.ndarray:
    """Weights proportional to 1 / WAPE, summing to 1 [fraction].

    Examples
    --------
    >>> combination_weights([0.1, 0.2, 0.4]).round(3).tolist()
    [0.571, 0.286, 0.143]
    """
    inverse = 1.0 / np.maximum(np.asarray(wape, float), 1e-9)
    return inverse / inverse.sum()


def rank_models(daily: pd.DataFrame, days: pd.DataFrame,
                candidates: Sequence[tuple[str, Point]] | None = None,
                origins: int = AUTO_ORIGINS,
                backtest_days: int = AUTO_BACKTEST_DAYS) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Backtest each candidate and their inverse-WAPE combination; rank them by WAPE.

    Parameters
    ----------
    daily : DataFrame
        ``date``, ``volume`` [tickets/day] of one queue.
    days : DataFrame
        Event days over history and horizon.
    candidates : sequence of (name, base) pairs, optional
        Event-free base models ``base(daily, days, horizon_days) -> ndarray``
        [tickets/day], each multiplied by the learned event multipliers
        (:func:`forecast.events.event_factor`, learned once per origin);
        :func:`default_candidates` when omitted.
    origins : int
        Backtest origins.
    backtest_days : int
        Backtest horizon [days].

    Returns
    -------
    ranking : DataFrame
        ``model``, ``wape`` [fraction], ``n_days``, ``chosen``, best first.
        The combination is named ``weighted(a, b, ...)`` and is chosen
        unless a single candidate's WAPE is below :data:`CLEAR_WIN` x its
        WAPE (then the best single candidate is chosen).
    backtest : DataFrame
        The chosen model's point backtest (:func:`forecast.backtest.rolling_origin`).

    Raises
    ------
    ValueError
        No candidates, or a history too short for one backtest origin.
    """
    candidates = tuple(default_candidates() if candidates is None else candidates)
    if not candidates:
        raise ValueError("candidates: expected at least one (name, point) pair, got none")
    daily = daily[["date", "volume"]].reset_index(drop=True)
    names = [name for name, _ in candidates]
    if len(set(names)) != len(names):
        raise ValueError(f"candidates: names must differ, got {names}")
    every = rolling_origin(daily, days, _all_candidates(candidates), backtest_days, origins,
                           keep=names)
    runs = {name: every.assign(volume_p10=every[name], volume_p50=every[name],
                               volume_p90=every[name]).drop(columns=names)
            for name in names}
    wape = {name: float(metrics(bt)["wape"].iloc[0]) for name, bt in runs.items()}
    chosen = min(wape, key=lambda n: (wape[n], list(wape).index(n)))
    if len(candidates) >= 2:
        weights = combination_weights([wape[n] for n in names])
        combo = runs[names[0]].copy()
        combo["volume_p50"] = np.sum([w * runs[n]["volume_p50"].to_numpy(float)
                                      for n, w in zip(names, weights)], axis=0)
        combo["volume_p10"] = combo["volume_p90"] = combo["volume_p50"]
        name = f"weighted({', '.join(names)})"
        runs[name] = combo
        wape[name] = float(metrics(combo)["wape"].iloc[0])
        if wape[chosen] >= CLEAR_WIN * wape[name]:
            chosen = name
    order = sorted(wape, key=lambda n: (n != chosen, wape[n], list(wape).index(n)))
    ranking = pd.DataFrame({"model": order, "wape": [wape[n] for n in order],
                            "n_days": [int(metrics(runs[n])["n_days"].iloc[0]) for n in order],
                            "chosen": [n == chosen for n in order]})
    return ranking[RANK_COLUMNS], runs[chosen]


def auto(daily: pd.DataFrame, days: pd.DataFrame, horizon_days: int,
         candidates: Sequence[tuple[str, Point]] | None = None) -> pd.DataFrame:
    """An inverse-WAPE combination of the candidates (or a clear winner), with 80 % intervals.

    Parameters
    ----------
    daily : DataFrame
        ``date``, ``volume`` [tickets/day] of one queue, consecutive days.
    days : DataFrame
        Event days (promo windows and holidays) over history and horizon.
    horizon_days : int
        Days to forecast after the last history day [days].
    candidates : sequence of (name, base) pairs, optional
        As for :func:`rank_models`.

    Returns
    -------
    DataFrame
        ``date``, ``volume_p10``, ``volume_p50``, ``volume_p90`` [tickets/day].

    Notes
    -----
    The weights and the choice use :data:`AUTO_ORIGINS` origins of
    :data:`AUTO_BACKTEST_DAYS` days (:func:`rank_models`); the interval is
    the split-conformal 10th-90th percentile of log(actual / forecast) of
    the chosen model in that backtest, widened by (h / 28) ** 0.1 past day 28
    (:data:`forecast.intervals.WIDEN_EXPONENT`).
    Event days whose regime has too few residuals of its own take the
    normal days' band or, if wider, their multiplier's spread
    (:func:`forecast.intervals.interval_quantiles`, :func:`forecast.intervals.apply_quantiles`).
    With a history too short to backtest, the first candidate is used with
    a default interval.
    """
    horizon_days = check_horizon_days(horizon_days)
    candidates = tuple(default_candidates() if candidates is None else candidates)
    if not candidates:
        raise ValueError("candidates: expected at least one (name, point) pair, got none")
    daily = daily[["date", "volume"]].reset_index(drop=True)
    if origin_cuts(len(daily), AUTO_BACKTEST_DAYS, AUTO_ORIGINS):
        ranking, backtest = rank_models(daily, days, candidates)
        chosen = str(ranking["model"].iloc[0])
        quantiles = interval_quantiles(backtest)
        wape = ranking.set_index("model")["wape"]
        names = [name for name, _ in candidates]
        weights = (combination_weights(wape[names].to_numpy()) if chosen not in names
                   else np.array([float(name == chosen) for name in names]))
    else:
        quantiles = pd.DataFrame(columns=QUANTILE_COLUMNS)
        weights = np.array([1.0] + [0.0] * (len(candidates) - 1))
    dates = future_dates(daily, horizon_days)
    uplifts = (learn_uplifts(daily, days, clean_days(daily, days))
               if dates.isin(days["date"]).any() else None)
    base = np.sum([w * np.clip(np.asarray(point(daily, days, horizon_days), float), 0.0, None)
                   for (_, point), w in zip(candidates, weights) if w > 0], axis=0)
    p50 = base * event_factor(daily, days, horizon_days, uplifts)
    regime = regime_per_day(days, dates).to_numpy(object)
    own = set(quantiles["regime"]) - {"normal"} if len(quantiles) else set()
    needs_sd = ~pd.Series(regime).isin(own).to_numpy() & dates.isin(days["date"])
    sd = event_log_sd(daily, days, dates, uplifts) if needs_sd.any() else np.zeros(len(dates))
    ahead = (dates - pd.Timestamp(daily["date"].max())).days.to_numpy()
    p10, p90 = apply_quantiles(p50, ahead, quantiles, regime, sd)
    return pd.DataFrame({"date": dates, "volume_p10": p10, "volume_p50": p50,
                         "volume_p90": p90})

"""Event effects: a multiplier per event type, phase and day, learned from history.

An event's effect is measured against the clean days around it (no event
window, no public holiday, not an outlier): the mean of the 28 clean days
centred on it, adjusted for the weekday (:func:`weekday_adjusted_baseline`).
Learned multipliers carry their spread across occurrences
and the number of occurrences they rest on; a type never seen takes the
calendar's ``uplift`` or the preset of :data:`calendars.events.PRESET_UPLIFT`,
and is marked as an assumption.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from forecast.multipliers import (HOLIDAY, UPLIFT_COLUMNS, assumed_uplifts, attach_multipliers,
                                  event_multiplier)

__all__ = ["HOLIDAY", "UPLIFT_COLUMNS", "assumed_uplifts", "attach_multipliers", "clean_days",
           "days_for_queue", "event_factor", "event_log_sd", "event_multiplier", "learn_uplifts",
           "local_baseline", "unusual_days", "uplift_table", "weekday_adjusted_baseline"]

#: Fewest past occurrences of one event length for that length's own day profile to be used
#: (a two-day sale's first day is not a one-day sale's day); below it, lengths are pooled.
MIN_OCCURRENCES_BY_LENGTH = 2
#: Events this long or longer [days] have their day-by-day multipliers smoothed: a local
#: linear fit over +-:data:`SMOOTH_HALF_WIDTH_DAYS` days of every past occurrence.
SMOOTH_MIN_LENGTH_DAYS = 7
SMOOTH_HALF_WIDTH_DAYS = 2
#: Log-scale spread of an event multiplier resting on one occurrence, and of an assumed one
#: (calendar or preset): a flash sale's 10x may well be 7x or 14x.
SINGLE_OCCURRENCE_LOG_SD = 0.25
ASSUMED_LOG_SD = 0.35
#: How many noise standard errors a holiday's pre or post day must differ from 1 by to get a
#: multiplier of its own (see :func:`calendars.events.holiday_windows`); below it the day is 1:
#: with two or three past years, most neighbours of a holiday are noise.
HOLIDAY_WINDOW_Z = 3.0


def clean_days(daily: pd.DataFrame, days: pd.DataFrame, outlier_z: float = 5.0) -> pd.Series:
    """True for the days a baseline may be learned from.

    Excludes missing days, every day of an event window or public holiday in
    ``days``, and outliers (outage or unexplained spike): days whose log
    ratio to the local baseline is more than ``outlier_z`` robust standard
    deviations (1.4826 x MAD) from the median.

    Parameters
    ----------
    daily : DataFrame
        ``date``, ``volume`` [tickets/day] of one queue, one row per day.
    days : DataFrame
        Event days (:func:`calendars.events.event_days` plus holiday rows).
    """
    dates = pd.DatetimeIndex(daily["date"])
    volume = daily["volume"].to_numpy(float)
    clean = ~dates.isin(days["date"]) & np.isfinite(volume) & (volume > 0)
    base = local_baseline(daily, pd.Series(clean, index=dates))
    with np.errstate(divide="ignore", invalid="ignore"):
        log_ratio = np.log(volume / base)
    ok = clean & np.isfinite(log_ratio)
    if ok.sum() >= 8:
        centre = np.median(log_ratio[ok])
        spread = 1.4826 * np.median(np.abs(log_ratio[ok] - centre))
        if spread > 0:
            clean &= ~(np.abs(log_ratio - centre) > outlier_z * spread)
    return pd.Series(clean, index=dates, name="clean")


def local_baseline(daily: pd.DataFrame, clean: pd.Series, k: int = 6) -> np.ndarray:
    """The median volume of the ``k`` nearest clean days on the same weekday [tickets/day].

    Returns NaN for a day whose weekday has no clean day.
    """
    dates = pd.DatetimeIndex(daily["date"])
    volume = daily["volume"].to_numpy(float)
    ordinal = (dates - dates[0]).days.to_numpy()
    out = np.full(len(dates), np.nan)
    clean = np.asarray(clean, bool)
    for weekday in range(7):
        rows = np.flatnonzero(dates.day_of_week == weekday)
        pool = rows[clean[rows]]
        if len(pool) == 0:
            continue
        take = min(k, len(pool))
        distance = np.abs(ordinal[rows][:, None] - ordinal[pool][None, :])
        nearest = np.argpartition(distance, take - 1, axis=1)[:, :take]
        out[rows] = np.median(volume[pool][nearest], axis=1)
    return out


def learn_uplifts(daily: pd.DataFrame, days: pd.DataFrame, clean: pd.Series) -> pd.DataFrame:
    """Learn a multiplier per event type, phase and day offset (and per public holiday).

    Parameters
    ----------
    daily : DataFrame
        ``date``, ``volume`` of one queue.
    days : DataFrame
        Event days of this queue (:func:`calendars.events.event_days`), holiday
        rows included (type ``public_holiday``).
    clean : Series
        :func:`clean_days` of ``daily``.

    Returns
    -------
    DataFrame
        :data:`UPLIFT_COLUMNS`: ``multiplier`` [ratio to :func:`weekday_adjusted_baseline`],
        the geometric mean over occurrences; ``log_sd``, the standard
        deviation of the log ratio across occurrences (NaN for one);
        ``n_occurrences``; ``source`` = ``learned``. Holidays have their
        ``name``; event types have an empty name. ``event_length_days`` is 0
        for a multiplier pooled over every length of the type, or the length
        [days] of the events an event-day multiplier was learned on: such rows
        exist when a type has past occurrences of several lengths, for each
        length seen at least :data:`MIN_OCCURRENCES_BY_LENGTH` times.

    Notes
    -----
    A promo day is used for its type only when no other promo occurrence and
    no holiday falls on it, so that overlapping events do not leak into each
    other. Holidays are then measured after dividing out the promo effect of
    their day. Event days of events at least :data:`SMOOTH_MIN_LENGTH_DAYS`
    long (a holiday season) are smoothed across neighbouring days: with two
    or three past seasons, one day's own mean carries most of the noise of
    its few occurrences, while the season's shape changes slowly. The days
    around a holiday (``pre``/``post`` rows of
    :func:`calendars.events.holiday_windows`) are learned per holiday and
    offset, and keep their multiplier only when its log differs from 0 by
    more than :data:`HOLIDAY_WINDOW_Z` standard errors of the clean days'
    noise (1.4826 x MAD of their log ratio, over sqrt(occurrences)); the
    others are 1.
    """
    base = pd.Series(weekday_adjusted_baseline(daily, clean),
                     index=pd.DatetimeIndex(daily["date"]))
    actual = pd.Series(daily["volume"].to_numpy(float), index=base.index)
    days = days[days["date"].isin(base.index)].copy()
    if days.empty:
        return pd.DataFrame(columns=UPLIFT_COLUMNS)
    with np.errstate(divide="ignore", invalid="ignore"):
        days["log_ratio"] = np.log(actual.reindex(days["date"]).to_numpy()
                                   / base.reindex(days["date"]).to_numpy())
    days = days[np.isfinite(days["log_ratio"])]
    promo = days[days["type"] != HOLIDAY]
    occurrences = promo[["date", "event_start", "name"]].drop_duplicates().groupby("date").size()
    holiday_dates = set(days.loc[(days["type"] == HOLIDAY) & (days["phase"] == "event"), "date"])
    alone = promo[promo["date"].map(occurrences).eq(1) & ~promo["date"].isin(holiday_dates)]
    keys = ["type", "phase", "offset_days"]
    learned = _summarise(alone, keys).assign(event_length_days=0)
    on_event = alone[alone["phase"] == "event"]
    several = on_event.groupby("type")["event_length_days"].transform("nunique") > 1
    by_length = _summarise(on_event[several], ["event_length_days", *keys])
    learned = pd.concat([learned, by_length[by_length["n_occurrences"]
                                            >= MIN_OCCURRENCES_BY_LENGTH]], ignore_index=True)
    learned = _smooth_long_events(learned, on_event).assign(name="")
    holidays = days[days["type"] == HOLIDAY]
    if not holidays.empty:
        promo_effect = event_multiplier(promo, learned.assign(source="learned"))
        adjusted = holidays["log_ratio"] - np.log(
            promo_effect.reindex(holidays["date"]).fillna(1.0).clip(lower=1e-6).to_numpy())
        holidays = holidays.assign(log_ratio=adjusted.to_numpy())
        on_holiday = _summarise(holidays, ["type", "name", *keys[1:]])
        window = (on_holiday["phase"] != "event").to_numpy()
        if window.any():
            ok = clean.to_numpy() & np.isfinite(base.to_numpy()) & (base.to_numpy() > 0)
            normal = np.log(actual.to_numpy()[ok] / base.to_numpy()[ok])
            sigma = 1.4826 * float(np.median(np.abs(normal - np.median(normal)))) if ok.any() \
                else np.inf
            own = np.log(on_holiday.loc[window, "multiplier"].astype(float).to_numpy())
            n = on_holiday.loc[window, "n_occurrences"].to_numpy(float)
            on_holiday.loc[window, "multiplier"] = np.where(
                np.abs(own) > HOLIDAY_WINDOW_Z * sigma / np.sqrt(n), np.exp(own), 1.0)
        learned = pd.concat([learned, on_holiday.assign(event_length_days=0)])
    return learned.assign(source="learned")[UPLIFT_COLUMNS].reset_index(drop=True)


def _summarise(rows: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Per key: the arithmetic mean of exp(log_ratio), the SD of log_ratio and the count.

    The mean of the ratios, not exp of the mean log ratio (a geometric mean):
    with a log-normal spread ``s`` across occurrences, the geometric mean is
    the median multiplier and under-states the mean by ``exp(s**2 / 2)``, so
    a forecast built on it under-forecasts event days on the whole.
    """
    if rows.empty:
        return pd.DataFrame({k: pd.Series(dtype=object) for k in keys} | {
            "multiplier": pd.Series(dtype=float), "log_sd": pd.Series(dtype=float),
            "n_occurrences": pd.Series(dtype=int)})
    rows = rows.assign(ratio=np.exp(rows["log_ratio"]))
    grouped = rows.groupby(keys)
    out = grouped["ratio"].mean().rename("multiplier").to_frame()
    out["log_sd"] = grouped["log_ratio"].std()
    out["n_occurrences"] = grouped["log_ratio"].count()
    return out.reset_index()


def _smooth_long_events(learned: pd.DataFrame, on_event: pd.DataFrame) -> pd.DataFrame:
    """Replace the event-day multipliers of long events by a local linear fit.

    For each learned (type, length) event-day curve whose events are at least
    :data:`SMOOTH_MIN_LENGTH_DAYS` long, the multiplier at offset ``o`` is a
    straight line fitted to every past occurrence's ratio (actual / baseline)
    on offsets ``o - h .. o + h`` (``h`` = :data:`SMOOTH_HALF_WIDTH_DAYS`),
    evaluated at ``o``: unbiased on a ramp, about 1/sqrt(2h + 1) of the noise.
    The fit is on the ratio, not its log, for the same reason as
    :func:`_summarise`: a mean, not a median (and a season ramping linearly
    in volume is concave in log, where a local line would sit below it).
    The curve's ``log_sd`` becomes the pooled spread of every occurrence's
    log ratio around it.
    """
    multiplier = learned["multiplier"].to_numpy(float).copy()
    log_sd = learned["log_sd"].to_numpy(float).copy()
    curves = learned[learned["phase"] == "event"].groupby(["type", "event_length_days"])
    for (kind, length), curve in curves:
        points = on_event[on_event["type"] == kind]
        if length:
            points = points[points["event_length_days"] == length]
        if points.empty or points["event_length_days"].median() < SMOOTH_MIN_LENGTH_DAYS:
            continue
        x = points["offset_days"].to_numpy(float)
        y = points["log_ratio"].to_numpy(float)
        ratio = np.exp(y)
        rows = learned.index.get_indexer(curve.index)
        fitted = {}
        for row, offset in zip(rows, curve["offset_days"].to_numpy(float)):
            near = np.abs(x - offset) <= SMOOTH_HALF_WIDTH_DAYS
            if np.unique(x[near]).size >= 3:
                slope, intercept = np.polyfit(x[near] - offset, ratio[near], 1)
                multiplier[row] = max(float(intercept), 1e-6)
            fitted[offset] = np.log(multiplier[row])
        # One spread for the whole curve: every occurrence's distance from it, pooled, is a
        # far steadier estimate than each day's spread over two or three occurrences.
        residual = y - np.array([fitted.get(o, np.nan) for o in x])
        residual = residual[np.isfinite(residual)]
        if len(residual) > len(rows):
            log_sd[rows] = float(np.sqrt(np.sum(residual ** 2) / (len(residual) - len(rows) / 2)))
    learned = learned.assign(multiplier=multiplier, log_sd=log_sd)
    return learned


def event_factor(daily: pd.DataFrame, days: pd.DataFrame, horizon_days: int,
                 uplifts: pd.DataFrame | None = None) -> np.ndarray:
    """The event multiplier of each of the ``horizon_days`` days after ``daily`` (1 without events).

    Parameters
    ----------
    daily : DataFrame
        ``date``, ``volume`` [tickets/day] of one queue.
    days : DataFrame
        Event days over history and horizon.
    horizon_days : int
        Days after the last history day [days].
    uplifts : DataFrame, optional
        :func:`learn_uplifts` of ``daily`` and ``days``, if already at hand.

    Returns
    -------
    ndarray
        [ratio to the event-free baseline], :func:`event_multiplier` of the
        learned (or assumed) multipliers.
    """
    last = pd.Timestamp(daily["date"].max())
    future = pd.date_range(last + pd.Timedelta(days=1), periods=int(horizon_days), freq="D")
    ahead = days[days["date"].isin(future)]
    if ahead.empty:
        return np.ones(len(future))
    if uplifts is None:
        uplifts = learn_uplifts(daily, days, clean_days(daily, days))
    return event_multiplier(ahead, uplifts).reindex(future).fillna(1.0).to_numpy(float)


def event_log_sd(daily: pd.DataFrame, days: pd.DataFrame, dates: pd.DatetimeIndex,
                 uplifts: pd.DataFrame | None = None) -> np.ndarray:
    """Log-scale spread of each date's event multiplier [log ratio]; 0 on dates without one.

    A learned multiplier's spread is that of a new occurrence around a mean
    of ``n`` past ones, ``log_sd * sqrt(1 + 1 / n)`` with ``log_sd`` their
    spread (the textbook prediction interval; :data:`SINGLE_OCCURRENCE_LOG_SD`
    when it rests on one); an assumed one (calendar or preset) has
    :data:`ASSUMED_LOG_SD`. Spreads of the events sharing a date add in
    quadrature. ``uplifts``: :func:`learn_uplifts` of
    ``daily`` and ``days`` if already at hand (learned here otherwise).
    """
    dates = pd.DatetimeIndex(dates)
    ahead = days[days["date"].isin(dates)]
    if ahead.empty:
        return np.zeros(len(dates))
    if uplifts is None:
        uplifts = learn_uplifts(daily, days, clean_days(daily, days))
    rows = attach_multipliers(ahead, uplifts)
    assumed = rows["source"].isin(["calendar", "preset"]).to_numpy()  # override: learned sd
    sd = rows["log_sd"].to_numpy(float)
    sd = np.where(assumed, ASSUMED_LOG_SD, np.where(np.isnan(sd), SINGLE_OCCURRENCE_LOG_SD, sd))
    # a new occurrence's spread around a mean learned from n past ones: s * sqrt(1 + 1/n)
    n = rows["n_occurrences"].to_numpy(float)
    grows = ~assumed & (n >= 2)
    sd = np.where(grows, sd * np.sqrt(1.0 + 1.0 / np.where(grows, n, 1.0)), sd)
    sd = np.where(rows["multiplier"].to_numpy() == 1.0, 0.0, sd)
    total = pd.Series(sd ** 2, index=rows["date"].to_numpy()).groupby(level=0).sum() ** 0.5
    return total.reindex(dates).fillna(0.0).to_numpy()


UPLIFT_TABLE_COLUMNS = ["queue", "type", "name", "phase", "offset_days", "event_length_days",
                        "multiplier", "log_sd", "n_occurrences", "source"]


def days_for_queue(days: pd.DataFrame, queue: str) -> pd.DataFrame:
    """The event days that touch ``queue``: events for every channel or naming it."""
    touches = days["channels"].map(lambda chans: len(chans) == 0 or queue in chans)
    return days[touches.astype(bool)]


def uplift_table(daily: pd.DataFrame, days: pd.DataFrame,
                 first_forecast_date: pd.Timestamp) -> pd.DataFrame:
    """Learned multipliers per queue, plus the assumed ones of events in the horizon.

    Parameters
    ----------
    daily : DataFrame
        ``date``, ``queue``, ``volume`` [tickets/day].
    days : DataFrame
        Event days over history and horizon; a row's ``channels`` (empty:
        every queue) says which queues it touches.
    first_forecast_date : Timestamp
        The first day of the horizon; assumed uplifts are listed for events
        from this day on.

    Returns
    -------
    DataFrame
        :data:`UPLIFT_TABLE_COLUMNS`; ``multiplier`` [ratio to the local
        baseline], ``source`` is ``learned`` or one of
        :data:`~forecast.multipliers.ASSUMED_SOURCES`.
    """
    frames = []
    ahead = days[days["date"] >= pd.Timestamp(first_forecast_date)]
    for queue, one in daily.groupby("queue", sort=True):
        one = one[["date", "volume"]].reset_index(drop=True)
        mine = days_for_queue(days, str(queue))
        learned = learn_uplifts(one, mine, clean_days(one, mine)).assign(queue=queue)
        assumed = assumed_uplifts(days_for_queue(ahead, str(queue)), learned).assign(
            queue=queue, phase="event", offset_days=0, event_length_days=0, log_sd=float("nan"),
            n_occurrences=0)
        frames += [learned, assumed]
    if not frames:
        return pd.DataFrame(columns=UPLIFT_TABLE_COLUMNS)
    return pd.concat([f for f in frames if len(f)] or frames[:1],
                     ignore_index=True).reindex(columns=UPLIFT_TABLE_COLUMNS)


def weekday_adjusted_baseline(daily: pd.DataFrame, clean: pd.Series, k: int = 28,
                              weekday_window_days: int = 182) -> np.ndarray:
    """The volume each day would have had as a clean day [tickets/day].

    The mean of the ``k`` clean days centred on the day (half before, half
    after; shifted where the history ends), each divided by its weekday
    factor, times the day's own weekday factor. Weekday factors are the
    mean of each weekday's clean days within +-``weekday_window_days`` over
    the mean of the seven (over the whole history where that window misses
    a weekday).

    Notes
    -----
    Used to measure event effects: an event is compared with what surrounds
    it on both sides, so a trend cancels, and ``k`` days of every weekday
    carry about half the noise of a median of 12 same-weekday days.
    """
    dates = pd.DatetimeIndex(daily["date"])
    volume = daily["volume"].to_numpy(float)
    clean = np.asarray(clean, bool) & np.isfinite(volume)
    ordinal = (dates - dates[0]).days.to_numpy()
    weekday = dates.day_of_week.to_numpy()
    n = len(dates)
    pool = np.flatnonzero(clean)
    if len(pool) == 0:
        return np.full(n, np.nan)
    on_weekday = (weekday[:, None] == np.arange(7)[None, :]) & clean[:, None]
    sums = np.vstack([np.zeros(7), np.cumsum(np.where(on_weekday, volume[:, None], 0.0), axis=0)])
    counts = np.vstack([np.zeros(7), np.cumsum(on_weekday, axis=0)])
    lo = np.searchsorted(ordinal, ordinal - weekday_window_days, side="left")
    hi = np.searchsorted(ordinal, ordinal + weekday_window_days, side="right")
    with np.errstate(invalid="ignore", divide="ignore"):
        means = (sums[hi] - sums[lo]) / (counts[hi] - counts[lo])
        everywhere = sums[-1] / counts[-1]
        overall = everywhere / np.nanmean(everywhere)
        # a window that misses a weekday takes the whole history's factors
        full = np.isfinite(means).all(axis=1)
        factors = np.where(full[:, None], means / means.mean(axis=1, keepdims=True),
                           overall[None, :])
    factors = np.where(np.isfinite(factors) & (factors > 0), factors, 1.0)
    take = min(int(k), len(pool))
    start = np.clip(np.searchsorted(ordinal[pool], ordinal) - take // 2, 0, len(pool) - take)
    window = pool[start[:, None] + np.arange(take)[None, :]]
    level = np.mean(volume[window] / np.take_along_axis(factors, weekday[window], axis=1), axis=1)
    return level * factors[np.arange(n), weekday]


def unusual_days(history: pd.DataFrame, days: pd.DataFrame) -> pd.DatetimeIndex:
    """Promo event days and any queue's outlier days (:func:`clean_days`).

    Parameters
    ----------
    history : DataFrame
        ``date``, ``queue``, ``volume`` [contacts/day].
    days : DataFrame
        Event days; public holidays are not counted as unusual by themselves.

    Returns
    -------
    DatetimeIndex
        The days to leave out of an intraday profile: their shape is not a
        normal day's.
    """
    promo = days.loc[days["type"] != HOLIDAY, "date"]
    outliers = []
    for queue, one in history.groupby("queue", sort=True):
        one = one[["date", "volume"]].reset_index(drop=True)
        mine = days_for_queue(days, str(queue))
        clean = clean_days(one, mine)
        on_event_or_missing = one["date"].isin(mine["date"]) | one["volume"].isna()
        outliers.append(one.loc[~clean.to_numpy() & ~on_event_or_missing.to_numpy(), "date"])
    return pd.DatetimeIndex(pd.concat([promo, *outliers]).unique())


def unlearned_holidays(uplifts: pd.DataFrame, days: pd.DataFrame,
                       first_forecast_date: pd.Timestamp) -> pd.DataFrame:
    """Public holidays in the horizon that no queue's history has seen: forecast as normal days.

    Parameters
    ----------
    uplifts : DataFrame
        :func:`uplift_table` (learned holiday multipliers carry the holiday's name).
    days : DataFrame
        Event days over history and horizon.
    first_forecast_date : Timestamp

    Returns
    -------
    DataFrame
        ``name``, ``date`` of each such holiday ahead, in date order.
    """
    ahead = days[(days["date"] >= pd.Timestamp(first_forecast_date)) & (days["type"] == HOLIDAY)
                 & (days["phase"] == "event")]
    learned = set(uplifts.loc[(uplifts["type"] == HOLIDAY) & (uplifts["source"] == "learned"),
                              "name"])
    out = ahead.loc[~ahead["name"].isin(learned), ["name", "date"]].drop_duplicates("name")
    return out.sort_values("date", kind="stable").reset_index(drop=True)


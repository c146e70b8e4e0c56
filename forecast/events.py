"""Event effects: a multiplier per event type, phase and day, learned from history.

An event's effect is measured against a *local baseline*: the median of the
nearest clean days (no event window, no public holiday, not an outlier) on
the same weekday. Learned multipliers carry their spread across occurrences
and the number of occurrences they rest on; a type never seen takes the
calendar's ``uplift`` or the preset of :data:`calendars.events.PRESET_UPLIFT`,
and is marked as an assumption.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from calendars.events import PRESET_UPLIFT

UPLIFT_COLUMNS = ["type", "name", "phase", "offset_days", "multiplier", "log_sd",
                  "n_occurrences", "source"]
HOLIDAY = "public_holiday"


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
        Event days of this queue, holiday rows included (type ``public_holiday``).
    clean : Series
        :func:`clean_days` of ``daily``.

    Returns
    -------
    DataFrame
        :data:`UPLIFT_COLUMNS`: ``multiplier`` [ratio to the local baseline],
        the geometric mean over occurrences; ``log_sd``, the standard
        deviation of the log ratio across occurrences (NaN for one);
        ``n_occurrences``; ``source`` = ``learned``. Holidays have their
        ``name``; event types have an empty name.

    Notes
    -----
    A promo day is used for its type only when no other promo occurrence and
    no holiday falls on it, so that overlapping events do not leak into each
    other. Holidays are then measured after dividing out the promo effect of
    their day.
    """
    base = pd.Series(local_baseline(daily, clean), index=pd.DatetimeIndex(daily["date"]))
    actual = pd.Series(daily["volume"].to_numpy(float), index=base.index)
    days = days[days["date"].isin(base.index)].copy()
    if days.empty:
        return pd.DataFrame(columns=UPLIFT_COLUMNS)
    with np.errstate(divide="ignore", invalid="ignore"):
        days["log_ratio"] = np.log(actual.reindex(days["date"]).to_numpy()
                                   / base.reindex(days["date"]).to_numpy())
    days = days[np.isfinite(days["log_ratio"])]
    promo = days[days["type"] != HOLIDAY]
    occurrences_per_day = promo.groupby("date")["event_start"].transform(
        lambda s: len(set(zip(s, promo.loc[s.index, "name"]))))
    holiday_dates = set(days.loc[days["type"] == HOLIDAY, "date"])
    alone = promo[(occurrences_per_day == 1) & ~promo["date"].isin(holiday_dates)]
    learned = _summarise(alone, ["type", "phase", "offset_days"]).assign(name="",
                                                                        source="learned")
    holidays = days[days["type"] == HOLIDAY]
    if not holidays.empty:
        promo_effect = event_multiplier(promo, learned)
        adjusted = holidays["log_ratio"] - np.log(
            promo_effect.reindex(holidays["date"]).fillna(1.0).clip(lower=1e-6).to_numpy())
        holidays = holidays.assign(log_ratio=adjusted.to_numpy())
        learned = pd.concat([learned, _summarise(holidays, ["type", "name", "phase",
                                                            "offset_days"])])
    return learned.assign(source="learned")[UPLIFT_COLUMNS].reset_index(drop=True)



def _summarise(rows: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    if rows.empty:
        return pd.DataFrame({k: pd.Series(dtype=object) for k in keys} | {
            "multiplier": pd.Series(dtype=float), "log_sd": pd.Series(dtype=float),
            "n_occurrences": pd.Series(dtype=int)})
    grouped = rows.groupby(keys)["log_ratio"]
    out = grouped.agg(["mean", "std", "count"]).reset_index()
    return out.rename(columns={"mean": "multiplier", "std": "log_sd",
                               "count": "n_occurrences"}).assign(
        multiplier=lambda f: np.exp(f["multiplier"]))


def event_multiplier(days: pd.DataFrame, uplifts: pd.DataFrame) -> pd.Series:
    """The combined multiplier on each date that has events [ratio to baseline].

    The rules, in order: on an event day the strongest promo event sets the
    level (a closure sets zero); the pre and post windows of every event
    multiply it; public holidays multiply it. A learned (type, phase, offset)
    is used where it exists; an event day past the learned length takes the
    type's mean event-day multiplier; an unseen type takes
    :func:`assumed_uplifts`; an unlearned pre/post day is 1.

    Returns
    -------
    Series
        Indexed by date; dates without events are absent.
    """
    if days.empty:
        return pd.Series(dtype=float)
    rows = attach_multipliers(days, uplifts)
    is_event = (rows["phase"] == "event") & (rows["type"] != HOLIDAY)
    top = rows[is_event].groupby("date")["multiplier"].max()
    closed = rows[is_event & (rows["type"] == "closure")].groupby("date").size()
    top[top.index.isin(closed.index)] = 0.0
    others = rows[~is_event].groupby("date")["multiplier"].prod()
    return top.reindex(top.index.union(others.index)).fillna(1.0) * others.reindex(
        top.index.union(others.index)).fillna(1.0)


def attach_multipliers(days: pd.DataFrame, uplifts: pd.DataFrame) -> pd.DataFrame:
    """Event days with the ``multiplier`` and ``source`` that apply to each row."""
    rows = days.copy()
    rows["multiplier"] = np.nan
    rows["source"] = ""
    learned = uplifts[uplifts["source"] == "learned"].astype({"multiplier": float})
    promo_learned = learned[learned["type"] != HOLIDAY].set_index(
        ["type", "phase", "offset_days"])["multiplier"]
    key = pd.MultiIndex.from_frame(rows[["type", "phase", "offset_days"]])
    exact = promo_learned.reindex(key).to_numpy()
    rows.loc[~np.isnan(exact), "source"] = "learned"
    rows["multiplier"] = exact
    type_mean = learned[(learned["phase"] == "event") & (learned["type"] != HOLIDAY)].groupby(
        "type")["multiplier"].apply(lambda m: float(np.exp(np.log(m.clip(lower=1e-6)).mean())))
    gap = rows["multiplier"].isna() & (rows["phase"] == "event") & rows["type"].isin(type_mean.index)
    rows.loc[gap, "multiplier"] = rows.loc[gap, "type"].map(type_mean).astype(float)
    rows.loc[gap, "source"] = "learned"
    holiday_learned = learned[learned["type"] == HOLIDAY].set_index("name")["multiplier"]
    is_holiday = rows["type"] == HOLIDAY
    rows.loc[is_holiday, "multiplier"] = rows.loc[is_holiday, "name"].map(holiday_learned).astype(float)
    rows.loc[is_holiday & rows["multiplier"].notna(), "source"] = "learned"
    if len(holiday_learned):
        fallback = float(np.exp(np.log(holiday_learned.clip(lower=1e-6)).mean()))
        fill = is_holiday & rows["multiplier"].isna()
        rows.loc[fill, ["multiplier", "source"]] = [fallback, "learned"]
    assumed = rows["multiplier"].isna() & (rows["phase"] == "event") & ~is_holiday & \
        ~rows["type"].isin(type_mean.index)
    calendar = rows["uplift"].notna()
    rows.loc[assumed & calendar, "multiplier"] = rows.loc[assumed & calendar, "uplift"]
    rows.loc[assumed & calendar, "source"] = "calendar"
    preset = assumed & ~calendar
    rows.loc[preset, "multiplier"] = rows.loc[preset, "type"].map(PRESET_UPLIFT).astype(float)
    rows.loc[preset, "source"] = "preset"
    rows["multiplier"] = rows["multiplier"].fillna(1.0)
    return rows


def assumed_uplifts(days: pd.DataFrame, uplifts: pd.DataFrame) -> pd.DataFrame:
    """The event rows whose multiplier is an assumption (calendar or preset), one per event."""
    rows = attach_multipliers(days, uplifts)
    rows = rows[rows["source"].isin(["calendar", "preset"])]
    return (rows.groupby(["name", "type", "source"], as_index=False)["multiplier"].first()
            .sort_values("name").reset_index(drop=True))


UPLIFT_TABLE_COLUMNS = ["queue", "type", "name", "phase", "offset_days", "multiplier", "log_sd",
                        "n_occurrences", "source"]


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
        baseline], ``source`` is ``learned``, ``calendar`` or ``preset``.
    """
    frames = []
    ahead = days[days["date"] >= pd.Timestamp(first_forecast_date)]
    for queue, one in daily.groupby("queue", sort=True):
        one = one[["date", "volume"]].reset_index(drop=True)
        mine = days_for_queue(days, str(queue))
        learned = learn_uplifts(one, mine, clean_days(one, mine)).assign(queue=queue)
        assumed = assumed_uplifts(days_for_queue(ahead, str(queue)), learned).assign(
            queue=queue, phase="event", offset_days=0, log_sd=float("nan"), n_occurrences=0)
        frames += [learned, assumed]
    if not frames:
        return pd.DataFrame(columns=UPLIFT_TABLE_COLUMNS)
    return pd.concat([f for f in frames if len(f)] or frames[:1],
                     ignore_index=True).reindex(columns=UPLIFT_TABLE_COLUMNS)

"""Applying event multipliers: which multiplier each event day takes, and how a day's combine.

:func:`attach_multipliers` finds, for each event-day row, the learned
multiplier of its type, length, phase and offset (or its public holiday's),
else the calendar's ``uplift`` or the preset (a calendar ``uplift`` on an event day
of a learned type overrides the learned multiplier); :func:`event_multiplier`
combines the events sharing a date. Learning the multipliers is
:func:`forecast.events.learn_uplifts`.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from calendars.events import PRESET_UPLIFT

UPLIFT_COLUMNS = ["type", "name", "phase", "offset_days", "event_length_days", "multiplier",
                  "log_sd", "n_occurrences", "source"]
HOLIDAY = "public_holiday"
#: ``source`` values of a multiplier the planner or a preset set rather than history:
#: ``calendar`` (an unseen type's calendar ``uplift``), ``preset``
#: (:data:`calendars.events.PRESET_UPLIFT`), ``override`` (a calendar ``uplift`` on a
#: type the history has seen: the planner's number wins over the learned one).
ASSUMED_SOURCES = ("calendar", "preset", "override")


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
    """Event days with the ``multiplier``, its ``log_sd``, ``n_occurrences`` and ``source``
    that apply to each row.

    A learned multiplier for the event's own length (``event_length_days``)
    comes first, then the type's pooled one for that phase and offset. Rows
    without a learned multiplier have a NaN ``log_sd`` and ``n_occurrences``.
    """
    rows = days.copy()
    learned = uplifts[uplifts["source"] == "learned"].astype({"multiplier": float,
                                                              "log_sd": float})
    promo = learned[learned["type"] != HOLIDAY].set_index(
        ["type", "event_length_days", "phase", "offset_days"])[["multiplier", "log_sd",
                                                                "n_occurrences"]]
    length = rows["event_length_days"] if "event_length_days" in rows else 0
    found = [promo.reindex(pd.MultiIndex.from_arrays(
        [rows["type"], np.broadcast_to(n, len(rows)), rows["phase"], rows["offset_days"]]))
        for n in (length, 0)]
    exact = found[0].where(found[0]["multiplier"].notna(), found[1].to_numpy())
    rows["multiplier"] = exact["multiplier"].to_numpy()
    rows["log_sd"] = exact["log_sd"].to_numpy()
    rows["n_occurrences"] = exact["n_occurrences"].to_numpy(float)
    rows["source"] = np.where(rows["multiplier"].notna(), "learned", "")
    pooled = learned[(learned["phase"] == "event") & (learned["type"] != HOLIDAY)
                     & (learned["event_length_days"] == 0)]
    type_mean = pooled.groupby("type")["multiplier"].mean()
    gap = rows["multiplier"].isna() & (rows["phase"] == "event") & rows["type"].isin(type_mean.index)
    rows.loc[gap, "multiplier"] = rows.loc[gap, "type"].map(type_mean).astype(float)
    rows.loc[gap, "source"] = "learned"
    holiday_learned = learned[learned["type"] == HOLIDAY].set_index(
        ["name", "phase", "offset_days"])[["multiplier", "log_sd", "n_occurrences"]]
    is_holiday = rows["type"] == HOLIDAY
    on_holiday = holiday_learned.reindex(pd.MultiIndex.from_arrays(
        [rows.loc[is_holiday, "name"], rows.loc[is_holiday, "phase"],
         rows.loc[is_holiday, "offset_days"]]))
    for column in ("multiplier", "log_sd", "n_occurrences"):
        rows.loc[is_holiday, column] = on_holiday[column].to_numpy(float)
    rows.loc[is_holiday & rows["multiplier"].notna(), "source"] = "learned"
    holiday_days = learned.loc[(learned["type"] == HOLIDAY) & (learned["phase"] == "event"),
                               "multiplier"]
    if len(holiday_days):
        fallback = float(holiday_days.mean())
        fill = is_holiday & rows["multiplier"].isna() & (rows["phase"] == "event")
        rows.loc[fill, ["multiplier", "source"]] = [fallback, "learned"]
    calendar = rows["uplift"].notna()
    # the planner's hand on the forecast: a calendar uplift on a learned type's event day
    # replaces the learned level (its spread stays the learned one)
    override = calendar & rows["multiplier"].notna() & (rows["phase"] == "event") & ~is_holiday
    rows.loc[override, "multiplier"] = rows.loc[override, "uplift"].astype(float)
    rows.loc[override, "source"] = "override"
    assumed = rows["multiplier"].isna() & (rows["phase"] == "event") & ~is_holiday & \
        ~rows["type"].isin(type_mean.index)
    rows.loc[assumed & calendar, "multiplier"] = rows.loc[assumed & calendar, "uplift"]
    rows.loc[assumed & calendar, "source"] = "calendar"
    preset = assumed & ~calendar
    rows.loc[preset, "multiplier"] = rows.loc[preset, "type"].map(PRESET_UPLIFT).astype(float)
    rows.loc[preset, "source"] = "preset"
    rows["multiplier"] = rows["multiplier"].fillna(1.0)
    return rows


def assumed_uplifts(days: pd.DataFrame, uplifts: pd.DataFrame) -> pd.DataFrame:
    """The event rows whose multiplier is set rather than learned (:data:`ASSUMED_SOURCES`), one per event."""
    rows = attach_multipliers(days, uplifts)
    rows = rows[rows["source"].isin(ASSUMED_SOURCES)]
    return (rows.groupby(["name", "type", "source"], as_index=False)["multiplier"].first()
            .sort_values("name").reset_index(drop=True))

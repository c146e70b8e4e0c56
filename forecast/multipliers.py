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
    learned = uplifts[uplifts["source"] == "learned"]
    spread = ["multiplier", "log_sd", "n_occurrences"]
    holiday = (learned["type"] == HOLIDAY).to_numpy()

    def table(part: pd.DataFrame, keys: list[str]) -> dict:
        values = part[spread].to_numpy(float)
        return dict(zip(zip(*(part[k].tolist() for k in keys)), map(tuple, values)))

    promo = table(learned[~holiday], ["type", "event_length_days", "phase", "offset_days"])
    by_name = table(learned[holiday], ["name", "phase", "offset_days"])
    pooled = learned[~holiday & (learned["phase"] == "event").to_numpy()
                     & (learned["event_length_days"] == 0).to_numpy()]
    type_mean = pooled["multiplier"].astype(float).groupby(pooled["type"]).mean().to_dict()
    on_holidays = learned.loc[holiday & (learned["phase"] == "event").to_numpy(), "multiplier"]
    holiday_mean = float(on_holidays.astype(float).mean()) if len(on_holidays) else None
    missing = (np.nan, np.nan, np.nan)
    lengths = (days["event_length_days"].tolist() if "event_length_days" in days
               else [0] * len(days))
    out, source = [], []
    for kind, name, phase, offset, length, uplift in zip(
            days["type"].tolist(), days["name"].tolist(), days["phase"].tolist(),
            days["offset_days"].tolist(), lengths, days["uplift"].tolist()):
        calendar = not pd.isna(uplift)
        if kind == HOLIDAY:
            found, where = by_name.get((name, phase, offset), missing), "learned"
            if np.isnan(found[0]):
                found, where = ((holiday_mean, np.nan, np.nan), "learned") if (
                    phase == "event" and holiday_mean is not None) else (missing, "")
        else:
            found = promo.get((kind, length, phase, offset), missing)
            if np.isnan(found[0]):
                found = promo.get((kind, 0, phase, offset), missing)
            where = "learned"
            if np.isnan(found[0]):
                found, where = ((type_mean[kind], np.nan, np.nan), "learned") if (
                    phase == "event" and kind in type_mean) else (missing, "")
            if phase == "event" and calendar and where:
                # the planner's hand on the forecast: a calendar uplift on a learned type's
                # event day replaces the learned level (its spread stays the learned one)
                found, where = (float(uplift), *found[1:]), "override"
            elif phase == "event" and not where:
                found, where = ((float(uplift), *missing[1:]), "calendar") if calendar else (
                    (float(PRESET_UPLIFT.get(kind, np.nan)), *missing[1:]), "preset")
        out.append(found)
        source.append(where)
    values = np.array(out, float).reshape(len(days), 3)
    rows = days.copy()
    rows["multiplier"] = np.where(np.isnan(values[:, 0]), 1.0, values[:, 0])
    rows["log_sd"] = values[:, 1]
    rows["n_occurrences"] = values[:, 2]
    rows["source"] = source
    return rows


def assumed_uplifts(days: pd.DataFrame, uplifts: pd.DataFrame) -> pd.DataFrame:
    """The event rows whose multiplier is set rather than learned (:data:`ASSUMED_SOURCES`), one per event."""
    rows = attach_multipliers(days, uplifts)
    rows = rows[rows["source"].isin(ASSUMED_SOURCES)]
    return (rows.groupby(["name", "type", "source"], as_index=False)["multiplier"].first()
            .sort_values("name").reset_index(drop=True))

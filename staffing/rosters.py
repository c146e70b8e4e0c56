"""People per week: the days-off patterns that staff every day's shifts.

A person works ``work_days_per_week`` days of seven. Headcount is the fewest
people whose patterns put, on each day, at least as many people at work as that
day's schedule has shifts, an integer programme over the patterns, rather than
``FTE x 7 / 5``, which assumes every day of the week needs the same.
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import numpy as np
import pandas as pd

from staffing.errors import FieldError

WEEK_COLUMNS = ["week_start", "queue", "headcount", "people_days", "peak_day_shifts",
                "headcount_7_5"]
PATTERN_COLUMNS = ["week_start", "queue", "days_off", "people"]
DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def days_off_patterns(work_days_per_week: int = 5, days_off: str = "any") -> np.ndarray:
    """The weekly patterns a person may work.

    Parameters
    ----------
    work_days_per_week : int
        Days a week one person works [days], 1 to 7.
    days_off : str
        ``any``: any ``7 - work_days_per_week`` days off (21 patterns for 5
        days); ``consecutive``: the days off in one block, Sunday to Monday
        wrapping (7 patterns).

    Returns
    -------
    ndarray of bool
        ``(patterns, 7)``, True on the days worked, Monday first.

    Examples
    --------
    >>> days_off_patterns(5).shape, days_off_patterns(5, "consecutive").shape
    ((21, 7), (7, 7))
    """
    if not isinstance(work_days_per_week, (int, np.integer)) or not 1 <= work_days_per_week <= 7:
        raise FieldError("work_days_per_week", "a whole number of days in [1, 7]",
                         work_days_per_week)
    if days_off not in ("any", "consecutive"):
        raise FieldError("days_off", "any or consecutive", days_off)
    n_off = 7 - int(work_days_per_week)
    if n_off == 0:
        return np.ones((1, 7), bool)
    if days_off == "any":
        offs = [list(c) for c in combinations(range(7), n_off)]
    else:
        offs = [[(first + k) % 7 for k in range(n_off)] for first in range(7)]
    works = np.ones((len(offs), 7), bool)
    for row, off in enumerate(offs):
        works[row, off] = False
    return works


def pattern_headcount(people_per_day, patterns: np.ndarray) -> np.ndarray:
    """Fewest people per pattern so that each day has enough at work.

    Parameters
    ----------
    people_per_day : array_like of int
        Seven values, Monday first: people needed at work each day [people].
    patterns : ndarray of bool
        :func:`days_off_patterns`.

    Returns
    -------
    ndarray of int
        People on each pattern [people]; their sum is the least headcount.

    Notes
    -----
    ``min sum(x)`` subject to ``patterns.T @ x >= people_per_day``, ``x``
    integer (HiGHS). With any two days off, the optimum is
    ``max(max(n), ceil(sum(n) / 5))``; with consecutive days off it can be
    more (Baker, 1974).

    References
    ----------
    Baker, "Workforce allocation in cyclical scheduling problems: a survey",
    Operational Research Quarterly 27(1), 1976.
    """
    from scipy.optimize import Bounds, LinearConstraint, milp

    need = np.ceil(np.round(np.asarray(people_per_day, float), 9))
    if need.shape != (7,) or (need < 0).any():
        raise FieldError("people_per_day", "seven counts >= 0, Monday first",
                         np.asarray(people_per_day).tolist())
    if not need.any():
        return np.zeros(len(patterns), int)
    result = milp(np.ones(len(patterns)),
                  constraints=LinearConstraint(patterns.T.astype(float), lb=need, ub=np.inf),
                  bounds=Bounds(0, np.inf), integrality=np.ones(len(patterns)))
    if result.x is None:
        raise FieldError("patterns", "patterns that work every day someone is needed",
                         patterns.sum(axis=0).tolist())
    return np.round(result.x).astype(int)


@dataclass(frozen=True)
class WeeklyRoster:
    """Headcount per queue and week from the days-off patterns.

    Attributes
    ----------
    weeks : DataFrame
        :data:`WEEK_COLUMNS`: ``week_start`` (the Monday), ``queue``,
        ``headcount`` [people], ``people_days`` (shifts in the week)
        [people-days], ``peak_day_shifts`` [people] and ``headcount_7_5`` =
        ``ceil(people_days / work_days_per_week)`` [people], the FTE x 7/5
        figure, for comparison.
    patterns : DataFrame
        :data:`PATTERN_COLUMNS`: people on each pattern used, ``days_off``
        named like ``sat+sun``.
    """

    weeks: pd.DataFrame
    patterns: pd.DataFrame


def weekly_headcount(shifts: pd.DataFrame, work_days_per_week: int = 5,
                     days_off: str = "any") -> WeeklyRoster:
    """People per queue and week to staff the scheduled shifts, each working one a day.

    Parameters
    ----------
    shifts : DataFrame
        ``date`` (local), ``queue``, ``agents`` [agents]:
        :attr:`staffing.schedules.Schedule.shifts`.
    work_days_per_week : int
        Days a week one person works [days].
    days_off : str
        ``any`` or ``consecutive`` (:func:`days_off_patterns`).

    Returns
    -------
    WeeklyRoster

    Notes
    -----
    Weeks run Monday to Sunday; a day with no shift (closed, or outside the
    horizon in a first or last partial week) needs no one. A person works one
    shift a day, of any length: part-time and full-time people are not told
    apart, and absence (vacation, sickness) is not added.

    Examples
    --------
    >>> days = pd.date_range("2026-03-02", periods=7, freq="D")  # a Monday
    >>> shifts = pd.DataFrame({"date": days, "queue": "chat", "agents": [6, 6, 6, 6, 6, 1, 1]})
    >>> weekly_headcount(shifts).weeks[["headcount", "headcount_7_5"]].to_numpy().tolist()
    [[7, 7]]
    >>> shifts["agents"] = [9, 2, 2, 2, 2, 9, 9]
    >>> weekly_headcount(shifts).weeks[["headcount", "headcount_7_5"]].to_numpy().tolist()
    [[9, 7]]
    """
    patterns = days_off_patterns(work_days_per_week, days_off)
    names = ["+".join(DAY_NAMES[d] for d in range(7) if not p[d]) or "none" for p in patterns]
    date = pd.to_datetime(shifts["date"])
    per_day = shifts.assign(date=date).groupby(["queue", "date"])["agents"].sum()
    week_rows, pattern_rows = [], []
    for (queue, week_start), days in per_day.groupby(
            [per_day.index.get_level_values("queue"),
             per_day.index.get_level_values("date").to_period("W-SUN").start_time], sort=True):
        need = np.zeros(7)
        need[days.index.get_level_values("date").day_of_week] = days.to_numpy(float)
        people = pattern_headcount(need, patterns)
        week_rows.append((week_start, queue, int(people.sum()), int(need.sum()), int(need.max()),
                          int(np.ceil(need.sum() / work_days_per_week - 1e-9))))
        pattern_rows += [(week_start, queue, names[p], int(people[p]))
                         for p in np.flatnonzero(people)]
    weeks = pd.DataFrame(week_rows, columns=WEEK_COLUMNS).astype({"week_start": "datetime64[ns]"})
    used = pd.DataFrame(pattern_rows, columns=PATTERN_COLUMNS).astype(
        {"week_start": "datetime64[ns]", "people": "int64"})
    return WeeklyRoster(weeks=weeks, patterns=used)

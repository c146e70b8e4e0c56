"""Shift schedules over a horizon: every queue and local day of a requirement frame.

:func:`schedule_requirements` is the pipeline stage: it takes
:func:`staffing.requirements.interval_requirements` output (any number of
queues and days) and lays whole shifts over it with
:func:`staffing.shifts.schedule_day`, one queue and day at a time.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from staffing.errors import FieldError
from staffing.shifts import ShiftRules, schedule_day, shift_set

SHIFT_COLUMNS = ["date", "queue", "shift_start", "length_h", "break_start", "paid_hours",
                 "agents"]
COVERAGE_COLUMNS = ["interval_start", "queue", "required", "scheduled", "over"]
DAY_COLUMNS = ["date", "queue", "shifts", "required_agent_hours", "scheduled_agent_hours",
               "paid_hours", "cost", "lp_bound_cost", "efficiency", "gap"]

SHIFT_DTYPES = {"date": "datetime64[ns]", "queue": object, "length_h": float,
                "paid_hours": float, "agents": "int64"}


@dataclass(frozen=True)
class Schedule:
    """Shifts over a horizon, what they cover, and how close they are to the fluid curve.

    Attributes
    ----------
    shifts : DataFrame
        :data:`SHIFT_COLUMNS`, one row per queue, day, start,
        length and break: ``date`` (local), ``queue``, ``shift_start`` and
        ``break_start`` (tz-aware; NaT with no break), ``length_h`` [h],
        ``paid_hours`` of one such shift [h], ``agents`` starting it [agents].
    coverage : DataFrame
        :data:`COVERAGE_COLUMNS`, one row per input interval:
        ``required`` and ``scheduled`` (on the floor, breaks out) [agents],
        ``over`` = scheduled - required [agents], never negative.
    days : DataFrame
        :data:`DAY_COLUMNS`, one row per queue and day:
        ``shifts`` [shifts] (people on shift that day), required and
        scheduled agent-hours [h], ``paid_hours`` [h], ``cost`` and
        ``lp_bound_cost`` [currency], ``efficiency`` and ``gap`` [fraction].
    """

    shifts: pd.DataFrame
    coverage: pd.DataFrame
    days: pd.DataFrame

    @property
    def efficiency(self) -> float:
        """Required over scheduled agent-hours over the whole horizon [fraction]."""
        scheduled = float(self.days["scheduled_agent_hours"].sum())
        return float(self.days["required_agent_hours"].sum()) / scheduled if scheduled else 1.0

    @property
    def cost(self) -> float:
        """Cost of every shift [currency]."""
        return float(self.days["cost"].sum())

    @property
    def lp_bound_cost(self) -> float:
        """Sum of the days' LP lower bounds [currency]."""
        return float(self.days["lp_bound_cost"].sum())

    @property
    def gap(self) -> float:
        """Cost over its LP bound, less 1, over the horizon [fraction]."""
        bound = self.lp_bound_cost
        return self.cost / bound - 1.0 if bound > 0 else 0.0


def schedule_requirements(requirements: pd.DataFrame, interval_min: int,
                          rules: ShiftRules | Mapping[str, ShiftRules],
                          column: str = "agents") -> Schedule:
    """Shifts for every queue and local day of an interval requirement.

    Parameters
    ----------
    requirements : DataFrame
        ``interval_start`` (tz-aware, on the ``interval_min`` grid of the
        local day), ``queue`` and ``column`` [agents], one row per open
        interval (:func:`staffing.requirements.interval_requirements`
        output). The intervals present are the open ones: shifts lie inside them.
    interval_min : int
        Interval length [min].
    rules : ShiftRules or mapping of str to ShiftRules
        One set of rules for every queue, or one per queue.
    column : str
        The requirement to cover [agents]: ``agents`` (productive agents,
        Erlang) by default; a fraction is rounded up per interval.

    Returns
    -------
    Schedule

    Raises
    ------
    ValueError
        A missing column or an interval off the grid.
    FieldError
        The rules cannot staff a day (:func:`staffing.shifts.schedule_day`),
        with the queue as ``owner`` and the day in ``expected``.

    Notes
    -----
    Each queue and day is its own programme: a shift never crosses local
    midnight (a queue open around the clock is covered by shifts that end at
    midnight and start at midnight). Days with the same open intervals share
    one shift set, and days with the same requirement one solve. Among
    schedules of equal cost the solver picks any (three 4-hour shifts or an
    8-hour and a 4-hour one): the cost is what is minimised.

    Examples
    --------
    >>> start = pd.date_range("2026-03-02 09:00", periods=8, freq="60min", tz="UTC")
    >>> req = pd.DataFrame({"interval_start": start, "queue": "chat",
    ...                     "agents": [1, 1, 1, 2, 2, 2, 1, 1]})
    >>> s = schedule_requirements(req, 60, ShiftRules(lengths_h=(3, 8), break_min=0))
    >>> [(f"{t:%H:%M}", h, n) for t, h, n in s.shifts[["shift_start", "length_h", "agents"]]
    ...  .itertuples(index=False)], s.efficiency
    ([('09:00', 8.0, 1), ('12:00', 3.0, 1)], 1.0)
    """
    missing = [c for c in ("interval_start", "queue", column) if c not in requirements.columns]
    if missing:
        found = ", ".join(map(str, requirements.columns))
        raise ValueError(f"requirements: expected columns interval_start, queue, {column}; "
                         f"missing {', '.join(missing)} (found {found})")
    frame = requirements[["interval_start", "queue", column]].reset_index(drop=True)
    wall = frame["interval_start"].dt.tz_localize(None)
    date = wall.dt.normalize()
    offset = (wall - date) / pd.Timedelta(minutes=interval_min)  # [intervals] from midnight
    if not np.allclose(offset, np.round(offset)):
        raise ValueError(f"requirements: interval_start off the {interval_min}-minute grid")
    slot = np.round(offset.to_numpy(float)).astype(int)
    n_slots = 24 * 60 // interval_min  # [min] -> [intervals per day]
    required_all = frame[column].to_numpy(float)
    stamps = frame["interval_start"].to_numpy()
    shift_sets: dict = {}
    solved: dict = {}
    shift_rows, day_rows = [], []
    scheduled_all = np.zeros(len(frame))
    for (queue, day), rows in frame.groupby(["queue", date], sort=True).indices.items():
        queue_rules = rules.get(queue) if isinstance(rules, Mapping) else rules
        if queue_rules is None:
            raise ValueError(f"rules: no ShiftRules for queue {queue!r}")
        mask = np.zeros(n_slots, bool)
        mask[slot[rows]] = True
        required = np.zeros(n_slots)
        required[slot[rows]] = required_all[rows]
        key = (queue_rules, mask.tobytes())
        try:
            if key not in shift_sets:
                shift_sets[key] = shift_set(mask, interval_min, queue_rules)
            solve_key = (key, required.tobytes())
            if solve_key not in solved:
                solved[solve_key] = schedule_day(required, interval_min, queue_rules, mask,
                                                 shifts=shift_sets[key])
        except FieldError as error:
            raise FieldError(error.field, f"{error.expected} on {day:%Y-%m-%d}", error.value,
                             queue) from error
        result = solved[solve_key]
        starts = dict(zip(slot[rows], stamps[rows]))
        scheduled_all[rows] = result.scheduled[slot[rows]]
        for first, length_h, brk, agents in zip(result.start_slot, result.length_h,
                                                 result.break_slot, result.agents):
            shift_rows.append((day, queue, starts[first], length_h,
                               starts[brk] if brk >= 0 else pd.NaT,
                               queue_rules.paid_hours(length_h), int(agents)))
        day_rows.append((day, queue, int(result.agents.sum()), result.required_agent_hours,
                         result.scheduled_agent_hours, result.paid_hours, result.cost,
                         result.lp_bound_cost, result.efficiency, result.gap))
    shifts = pd.DataFrame(shift_rows, columns=SHIFT_COLUMNS)
    tz = frame["interval_start"].dt.tz
    for name in ("shift_start", "break_start"):
        shifts[name] = pd.to_datetime(shifts[name], utc=True).dt.tz_convert(tz)
    shifts = shifts.astype(SHIFT_DTYPES).sort_values(
        ["queue", "date", "shift_start", "length_h", "break_start"], kind="stable",
        ignore_index=True)
    coverage = frame[["interval_start", "queue"]].assign(
        required=required_all, scheduled=scheduled_all,
        over=scheduled_all - required_all)[COVERAGE_COLUMNS]
    days = pd.DataFrame(day_rows, columns=DAY_COLUMNS).astype({"date": "datetime64[ns]"})
    return Schedule(shifts=shifts, coverage=coverage, days=days)


ROSTER_FTE_COLUMNS = ["date", "queue", "required_fte", "scheduled_fte", "extra_fte"]


def roster_fte(days: pd.DataFrame, shrinkage: Mapping[str, float],
               paid_hours_per_fte_day: float = 8.0) -> pd.DataFrame:
    """FTE per day from the scheduled shifts, beside the fluid curve's.

    Parameters
    ----------
    days : DataFrame
        :attr:`Schedule.days`.
    shrinkage : mapping of str to float
        Each queue's share of paid time not available for contacts [fraction].
    paid_hours_per_fte_day : float
        Paid hours of one FTE on a working day [h].

    Returns
    -------
    DataFrame
        :data:`ROSTER_FTE_COLUMNS`: ``required_fte`` = required agent-hours /
        (1 - shrinkage) / paid hours per FTE-day (the fluid lower bound, as
        :func:`staffing.requirements.daily_requirements` computes it),
        ``scheduled_fte`` the same of the shifts' paid hours, and
        ``extra_fte`` their difference [FTE].

    Examples
    --------
    >>> days = pd.DataFrame({"date": [pd.Timestamp("2026-03-02")], "queue": ["chat"],
    ...                      "required_agent_hours": [34.0], "paid_hours": [40.0]})
    >>> roster_fte(days, {"chat": 0.2}, 8.0)[["required_fte", "scheduled_fte", "extra_fte"]
    ...                                     ].round(2).to_numpy().tolist()
    [[5.31, 6.25, 0.94]]
    """
    if paid_hours_per_fte_day <= 0:
        raise FieldError("paid_hours_per_fte_day", "> 0 hours", paid_hours_per_fte_day)
    missing = sorted(set(days["queue"]) - set(shrinkage))
    if missing:
        raise ValueError(f"shrinkage: no shrinkage for queue(s) {', '.join(missing)}")
    scale = 1.0 / ((1.0 - days["queue"].map(shrinkage).astype(float)) * paid_hours_per_fte_day)
    out = days[["date", "queue"]].assign(required_fte=days["required_agent_hours"] * scale,
                                         scheduled_fte=days["paid_hours"] * scale)
    out["extra_fte"] = out["scheduled_fte"] - out["required_fte"]
    return out[ROSTER_FTE_COLUMNS].reset_index(drop=True)

"""Shift schedules: whole shifts laid over an interval requirement at least cost (HiGHS MILP).

A queue's requirement per interval (:func:`staffing.requirements.interval_requirements`)
is a fluid curve; people work whole shifts. :func:`schedule_day` chooses how many
agents start each allowed shift (start, length, break position) so that every
open interval has at least the required agents on the floor, at the least paid
hours; :func:`schedule_requirements` does that for every queue and local day of
a requirement frame. :mod:`staffing.rosters` turns the shifts into people per
week (days-off patterns).

Notes
-----
The model, per queue and day: ``x_j >= 0`` integer agents on shift ``j``,
``sum_j A[t, j] x_j >= ceil(required[t])`` for every open interval ``t``,
minimise ``sum_j paid_hours_j x_j``. ``A[t, j]`` is 1 when shift ``j`` has its
agent on the floor in ``t``: inside the shift and outside its break. Without
breaks the columns are runs of consecutive ones, an interval matrix, which is
totally unimodular: the LP relaxation already has an integer optimum. Breaks
punch a hole in the run, so the integer programme and its LP bound may differ.

References
----------
Dantzig, "A comment on Edie's traffic delays at toll booths", Operations
Research 2(3), 1954 (the set-covering shift model). Aykin, "Optimal shift
scheduling with multiple break windows", Management Science 42(4), 1996.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from staffing.errors import FieldError

#: Stop a day's branch and bound here and keep the best schedule found [s]; the
#: gap to the LP bound in ``days`` then shows what was left.
MILP_TIME_LIMIT_S = 10.0
#: HiGHS stops once the schedule is within this of its best bound [fraction]. Paid
#: hours move in steps of one interval, and HiGHS rounds its bound up to that
#: step, so a day under 0.5 h / 0.002 = 250 paid hours (at 30-minute intervals)
#: is solved to optimality; a bigger one may cost up to 0.2% more than its optimum.
#: (Stopping one step above the bound instead saved under 10% of the time on the
#: example's plan, and would lose the exact optimum on small days.)
MIP_REL_GAP = 0.002
_MINUTES_PER_DAY = 24 * 60


def _number(value) -> bool:
    return isinstance(value, (int, float, np.integer, np.floating)) \
        and not isinstance(value, bool) and math.isfinite(value)


@dataclass(frozen=True)
class ShiftRules:
    """The shifts a queue may be staffed with.

    Parameters
    ----------
    lengths_h : tuple of float
        Allowed shift lengths, start to end, break included [h]; each a
        multiple of the interval length when scheduled.
    start_step_min : int, optional
        Shifts start on the clock at multiples of this from midnight [min];
        ``None`` for every interval. Every shift lies inside the queue's open
        intervals of the day.
    break_from_length_h : float
        Shifts this long or longer include one break [h].
    break_min : int
        The break's length [min], a multiple of the interval length; 0 for
        no breaks.
    break_paid : bool
        Whether the break is paid time. Unpaid by default: a 30-minute meal
        break is usually unpaid, and the short paid rest breaks already sit in
        the queue's ``shrinkage``.
    break_after_h : float
        The break starts no sooner than this after the shift starts [h].
    break_before_end_h : float
        The break ends no later than this before the shift ends [h].
    hourly_cost : float
        Cost of one paid hour [currency/h]; 1 makes the cost the paid hours.

    Notes
    -----
    The break takes its agent off the floor for ``break_min``; the solver
    places it, per shift, at any interval of the window, so breaks fall in the
    curve's troughs. Counting it as reduced productivity instead would leave
    the interval it falls in uncovered.
    """

    lengths_h: tuple[float, ...] = (4.0, 6.0, 8.0, 10.0)
    start_step_min: int | None = None
    break_from_length_h: float = 6.0
    break_min: int = 30
    break_paid: bool = False
    break_after_h: float = 2.0
    break_before_end_h: float = 2.0
    hourly_cost: float = 1.0

    def __post_init__(self):
        lengths = self.lengths_h
        ok_lengths = isinstance(lengths, (tuple, list)) and len(lengths) > 0 \
            and all(_number(v) and 0 < v <= 24 for v in lengths) \
            and len(set(lengths)) == len(lengths)
        if not ok_lengths:
            raise FieldError("lengths_h", "distinct shift lengths in (0, 24] hours", lengths)
        object.__setattr__(self, "lengths_h", tuple(sorted(float(v) for v in lengths)))
        checks = [
            ("start_step_min", self.start_step_min is None or (
                isinstance(self.start_step_min, (int, np.integer))
                and not isinstance(self.start_step_min, bool) and 0 < self.start_step_min
                <= _MINUTES_PER_DAY), "None or a whole number of minutes in (0, 1440]"),
            ("break_from_length_h", _number(self.break_from_length_h)
             and self.break_from_length_h >= 0, ">= 0 hours"),
            ("break_min", isinstance(self.break_min, (int, np.integer))
             and not isinstance(self.break_min, bool) and 0 <= self.break_min <= 240,
             "a whole number of minutes in [0, 240]"),
            ("break_paid", isinstance(self.break_paid, bool), "true or false"),
            ("break_after_h", _number(self.break_after_h) and self.break_after_h >= 0,
             ">= 0 hours"),
            ("break_before_end_h", _number(self.break_before_end_h)
             and self.break_before_end_h >= 0, ">= 0 hours"),
            ("hourly_cost", _number(self.hourly_cost) and self.hourly_cost > 0, "> 0"),
        ]
        for field_name, ok, expected in checks:
            if not ok:
                raise FieldError(field_name, expected, getattr(self, field_name))
        for length in self.lengths_h:
            window = self.break_after_h + self.break_min / 60.0 + self.break_before_end_h
            if self.has_break(length) and window > length:
                raise FieldError("break_after_h",
                                 f"a break window that fits the {length:g} h shift "
                                 "(break_after_h + break_min / 60 + break_before_end_h <= "
                                 "length)", self.break_after_h)

    def has_break(self, length_h: float) -> bool:
        """True when a shift of ``length_h`` [h] includes a break."""
        return self.break_min > 0 and length_h >= self.break_from_length_h

    def paid_hours(self, length_h: float) -> float:
        """Paid hours of one shift of ``length_h`` [h]: its length less an unpaid break."""
        unpaid = self.break_min / 60.0 if self.has_break(length_h) and not self.break_paid else 0.0
        return length_h - unpaid  # [min] -> [h] above


@dataclass(frozen=True)
class DaySchedule:
    """One day's shifts and what they cover, on the day's interval grid.

    Attributes
    ----------
    start_slot, break_slot : ndarray of int
        Each shift's first interval and first break interval (-1 with no
        break), counted from the grid's start [intervals].
    length_h : ndarray of float
        Each shift's length [h].
    agents : ndarray of int
        Agents starting each shift [agents]; only shifts with agents are kept.
    required, scheduled : ndarray of float
        Agents required and on the floor in each interval of the grid [agents].
    interval_min : int
        Interval length [min].
    paid_hours, lp_bound_paid_hours : float
        Paid hours of the schedule and the LP relaxation's lower bound on them [h].
    hourly_cost : float
        Cost of one paid hour [currency/h].
    """

    start_slot: np.ndarray
    length_h: np.ndarray
    break_slot: np.ndarray
    agents: np.ndarray
    required: np.ndarray
    scheduled: np.ndarray
    interval_min: int
    paid_hours: float
    lp_bound_paid_hours: float
    hourly_cost: float

    @property
    def required_agent_hours(self) -> float:
        """Agent-hours the requirement asks for [h]."""
        return float(self.required.sum()) * self.interval_min / 60.0

    @property
    def scheduled_agent_hours(self) -> float:
        """Agent-hours on the floor, breaks left out [h]."""
        return float(self.scheduled.sum()) * self.interval_min / 60.0

    @property
    def efficiency(self) -> float:
        """Required over scheduled agent-hours [fraction]; 1 with nothing scheduled."""
        scheduled = self.scheduled_agent_hours
        return self.required_agent_hours / scheduled if scheduled > 0 else 1.0

    @property
    def cost(self) -> float:
        """Paid hours times the hourly cost [currency]."""
        return self.paid_hours * self.hourly_cost

    @property
    def lp_bound_cost(self) -> float:
        """The LP relaxation's lower bound on the cost [currency]."""
        return self.lp_bound_paid_hours * self.hourly_cost

    @property
    def gap(self) -> float:
        """Cost over its LP bound, less 1 [fraction]; 0 when both are 0."""
        return self.paid_hours / self.lp_bound_paid_hours - 1.0 \
            if self.lp_bound_paid_hours > 0 else 0.0


@dataclass(frozen=True)
class ShiftSet:
    """Every allowed shift on one day's grid: the columns of the covering programme.

    Attributes
    ----------
    start_slot, break_slot : ndarray of int
        First interval, and first break interval or -1 [intervals].
    length_h, paid_hours : ndarray of float
        Length and paid hours of each shift [h].
    cover : ndarray of bool
        ``(intervals, shifts)``: True where the shift's agent is on the floor.
    """

    start_slot: np.ndarray
    length_h: np.ndarray
    break_slot: np.ndarray
    paid_hours: np.ndarray
    cover: np.ndarray


def shift_set(open_mask, interval_min: int, rules: ShiftRules) -> ShiftSet:
    """Every shift the rules allow inside the open intervals of one day.

    Parameters
    ----------
    open_mask : array_like of bool
        One entry per interval of the day's grid, True where the queue is open.
    interval_min : int
        Interval length [min].
    rules : ShiftRules

    Returns
    -------
    ShiftSet

    Raises
    ------
    FieldError
        ``interval_min`` not dividing a day; ``lengths_h``, ``start_step_min``,
        ``break_min``, ``break_after_h`` or ``break_before_end_h`` off the
        interval grid.

    Examples
    --------
    >>> s = shift_set(np.ones(8, bool), 60, ShiftRules(lengths_h=(4,), break_min=0))
    >>> s.start_slot.tolist(), s.cover.sum(axis=0).tolist()
    ([0, 1, 2, 3, 4], [4, 4, 4, 4, 4])
    """
    mask = np.asarray(open_mask, bool)
    if not (isinstance(interval_min, (int, np.integer)) and interval_min > 0
            and _MINUTES_PER_DAY % interval_min == 0):
        raise FieldError("interval_min", "a whole number of minutes dividing a day",
                         interval_min)

    def slots(minutes: float, field_name: str, value) -> int:
        count = minutes / interval_min  # [min] -> [intervals]
        if abs(count - round(count)) > 1e-9:
            raise FieldError(field_name, f"a multiple of interval_min = {interval_min} min",
                             value)
        return int(round(count))

    widths = [slots(h * 60.0, "lengths_h", rules.lengths_h) for h in rules.lengths_h]
    step = 1 if rules.start_step_min is None else slots(rules.start_step_min, "start_step_min",
                                                       rules.start_step_min)
    n_slots = len(mask)
    closed_before = np.concatenate([[0], np.cumsum(~mask)])  # closed intervals in [0, t)
    starts_all = np.arange(0, n_slots, step)
    parts = []  # (start, length_h, break offset or -1, width)
    for length, width in zip(rules.lengths_h, widths):
        starts = starts_all[starts_all + width <= n_slots]
        starts = starts[closed_before[starts + width] - closed_before[starts] == 0]
        if rules.has_break(length):
            brk = slots(rules.break_min, "break_min", rules.break_min)
            first = slots(rules.break_after_h * 60.0, "break_after_h", rules.break_after_h)
            last = width - slots(rules.break_before_end_h * 60.0, "break_before_end_h",
                                 rules.break_before_end_h) - brk
            offsets = np.arange(first, last + 1)
        else:
            brk, offsets = 0, np.array([-1])
        s, o = (a.ravel() for a in np.meshgrid(starts, offsets, indexing="ij"))
        parts.append((s, np.full(len(s), length), o, width, brk))
    start = np.concatenate([p[0] for p in parts]).astype(int)
    offset = np.concatenate([p[2] for p in parts]).astype(int)
    length_h = np.concatenate([p[1] for p in parts]).astype(float)
    cover = np.zeros((n_slots, len(start)), bool)
    col = 0
    for s, _, o, width, brk in parts:
        rel = np.arange(width)
        on = np.ones((len(s), width), bool)
        if brk:
            on &= ~((rel[None, :] >= o[:, None]) & (rel[None, :] < o[:, None] + brk))
        rows = s[:, None] + rel[None, :]
        cols = np.broadcast_to(np.arange(col, col + len(s))[:, None], rows.shape)
        cover[rows[on], cols[on]] = True
        col += len(s)
    paid = np.array([rules.paid_hours(h) for h in length_h])
    return ShiftSet(start_slot=start, length_h=length_h,
                    break_slot=np.where(offset >= 0, start + offset, -1), paid_hours=paid,
                    cover=cover)


def _solve(cover: np.ndarray, paid: np.ndarray, need: np.ndarray) -> tuple[np.ndarray, float]:
    """Integer agents per shift covering ``need``, and the LP bound on paid hours."""
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import csr_array

    rows = need > 0
    if not rows.any():
        return np.zeros(len(paid), int), 0.0
    matrix = csr_array(cover[rows].astype(float))
    useful = np.asarray(matrix.sum(axis=0)).ravel() > 0
    matrix, cost = matrix[:, useful], paid[useful]
    constraint = LinearConstraint(matrix, lb=need[rows], ub=np.inf)
    bounds = Bounds(0, np.inf)
    relaxed = milp(cost, constraints=constraint, bounds=bounds)
    if relaxed.status != 0:
        raise RuntimeError(f"HiGHS could not solve the LP relaxation: {relaxed.message}")
    x = relaxed.x
    if np.abs(x - np.round(x)).max() > 1e-6:  # a fractional vertex: branch and bound
        found = milp(cost, constraints=constraint, bounds=bounds,
                     integrality=np.ones(len(cost)),
                     options={"time_limit": MILP_TIME_LIMIT_S, "mip_rel_gap": MIP_REL_GAP})
        # Out of time with nothing found: rounding the LP up still covers every interval.
        x = found.x if found.x is not None else np.ceil(x - 1e-6)
    agents = np.zeros(len(paid), int)
    agents[useful] = np.round(x).astype(int)
    return agents, float(relaxed.fun)


def schedule_day(required_agents_per_interval, interval_min: int, rules: ShiftRules,
                 open_mask=None, shifts: ShiftSet | None = None) -> DaySchedule:
    """Whole shifts covering one day's requirement at the least paid hours.

    Parameters
    ----------
    required_agents_per_interval : array_like of float
        Agents required on the floor in each interval of the day's grid
        [agents]; a fraction is rounded up. Closed intervals must be 0.
    interval_min : int
        Interval length [min].
    rules : ShiftRules
    open_mask : array_like of bool, optional
        True where the queue is open; all True by default. Shifts lie inside
        open intervals.
    shifts : ShiftSet, optional
        :func:`shift_set` of this mask, to reuse across days.

    Returns
    -------
    DaySchedule

    Raises
    ------
    FieldError
        ``required_agents_per_interval`` negative, not finite, or above 0 in
        a closed interval; ``lengths_h`` when no allowed shift covers an
        interval that needs agents (a shift longer than the open hours),
        ``start_step_min`` when the starts miss it; the grid errors of
        :func:`shift_set`.

    Notes
    -----
    The LP relaxation (HiGHS) gives ``lp_bound_paid_hours``; the integer
    programme (HiGHS branch and bound, :data:`MILP_TIME_LIMIT_S`) the shifts.
    Without breaks the two coincide (interval matrices are totally unimodular).

    Examples
    --------
    >>> day = schedule_day([1, 1, 2, 2, 1, 1], 60, ShiftRules(lengths_h=(2, 4), break_min=0))
    >>> day.paid_hours, day.efficiency
    (8.0, 1.0)
    """
    required = np.asarray(required_agents_per_interval, float)
    mask = np.ones(len(required), bool) if open_mask is None else np.asarray(open_mask, bool)
    if required.ndim != 1 or mask.shape != required.shape:
        raise FieldError("open_mask", f"one flag per interval ({len(required)})",
                         None if open_mask is None else mask.shape)
    if not np.all(np.isfinite(required)) or (required < 0).any() or (required[~mask] > 0).any():
        raise FieldError("required_agents_per_interval",
                         "finite agents >= 0, and 0 where the queue is closed",
                         required.tolist())
    if shifts is None:
        shifts = shift_set(mask, interval_min, rules)
    need = np.ceil(np.round(required, 9))
    uncovered = (need > 0) & ~shifts.cover.any(axis=1)
    if uncovered.any():
        _raise_uncovered(mask, np.flatnonzero(uncovered), interval_min, rules)
    agents, bound = _solve(shifts.cover, shifts.paid_hours, need)
    keep = agents > 0
    scheduled = shifts.cover[:, keep].astype(float) @ agents[keep]
    return DaySchedule(start_slot=shifts.start_slot[keep], length_h=shifts.length_h[keep],
                       break_slot=shifts.break_slot[keep], agents=agents[keep],
                       required=required, scheduled=scheduled, interval_min=interval_min,
                       paid_hours=float(shifts.paid_hours[keep] @ agents[keep]),
                       lp_bound_paid_hours=bound, hourly_cost=rules.hourly_cost)


def _raise_uncovered(mask: np.ndarray, slots: np.ndarray, interval_min: int,
                     rules: ShiftRules) -> None:
    """Name the rule that leaves the intervals ``slots`` with no shift."""
    edges = np.flatnonzero(np.diff(np.concatenate([[0], mask.astype(int), [0]])))
    opens, closes = edges[::2], edges[1::2]
    here = np.searchsorted(opens, slots[0], side="right") - 1  # the open stretch holding it
    open_h = float(closes[here] - opens[here]) * interval_min / 60.0  # [intervals] -> [h]
    at = f"{slots[0] * interval_min // 60:02d}:{slots[0] * interval_min % 60:02d}"
    if min(rules.lengths_h) > open_h:
        raise FieldError("lengths_h", f"a shift no longer than the open hours ({open_h:g} h "
                         f"open in a row from {opens[here] * interval_min // 60:02d}:"
                         f"{opens[here] * interval_min % 60:02d})", rules.lengths_h)
    raise FieldError("start_step_min", f"starts that let a shift cover {at}, the first "
                     "interval no allowed shift covers", rules.start_step_min)

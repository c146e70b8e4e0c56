"""The cohort model behind a hiring plan: hiring rules, months, and what a group of people gives.

Shared by :mod:`staffing.hiring` (the hiring plan) and
:mod:`staffing.hire_or_rent` (a seasonal cohort against a partner).

The model, month by month (calendar months, the first one holding ``as_of``):

* **Attrition** [fraction/month]: at the start of every month after the one a
  group joins in, that share of the group leaves. The month is worked and paid
  by those who stay (the leavers are gone for the whole month: conservative for
  coverage). The current team joins in month 0 (``as_of``).
* **Cohorts** become productive on the first day of a month
  (``productive_from``); they start ``training_weeks`` earlier and are decided
  ``lead_time_days`` before that (``decide_by = start - lead_time_days``,
  never before ``as_of``). A cohort is paid from its start (trainees
  included) and leaves at the attrition rate from the first month start after
  it.
* **Productivity** of a new hire in the k-th month from ``productive_from`` is
  ``productivity_ramp[k - 1]``, 1 after the ramp; the current team is fully
  productive. One person is ``work_days_per_week / days_per_week`` FTE.
* **Pay**: every person on the payroll is paid ``paid_hours_per_fte_day x
  work_days_per_week / 7`` hours a calendar day at ``hourly_cost``.

Headcounts after attrition are expected values (fractional); cohorts are whole
people.
"""
from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

import numpy as np
import pandas as pd

from staffing.errors import FieldError

#: The longest hiring path [months].
MAX_HORIZON_MONTHS = 18
#: Average days in a month [days], for costs beyond the calendar (after a season).
DAYS_PER_MONTH = 365.25 / 12
TARGET_COLUMNS = ["month", "queue", "target_fte"]


def is_number(value) -> bool:
    """True for a finite real number (not a bool)."""
    return (isinstance(value, numbers.Real) and not isinstance(value, bool)
            and math.isfinite(value))


@dataclass(frozen=True)
class HiringRules:
    """The terms on which the in-house team grows and shrinks.

    Parameters
    ----------
    headcount : dict of str to float
        People on the in-house payroll today, per queue [people].
    hourly_cost : float
        Fully loaded cost of one paid in-house hour [currency/h].
    attrition_per_month : float
        Share of the team that leaves each month [fraction/month], in [0, 1).
    lead_time_days : int
        Days from the hiring decision to the start date [days].
    training_weeks : float
        Paid training before a new hire takes contacts [weeks].
    productivity_ramp : tuple of float
        Productivity of a new hire in months 1, 2, ... after training
        [fraction], each in (0, 1] and none below the one before; 1 after the
        last one given.
    paid_hours_per_fte_day : float
        Paid hours of one FTE-day (one person's working day) [h].
    work_days_per_week : float
        Days a week one person works [days].
    days_per_week : float
        Days a week the queues are staffed [days]: one person is
        ``work_days_per_week / days_per_week`` FTE.

    Raises
    ------
    FieldError
        A field outside its domain, with ``.field`` (and ``.owner``, the queue,
        for a headcount).
    """

    headcount: dict[str, float]
    hourly_cost: float
    attrition_per_month: float = 0.03
    lead_time_days: int = 45
    training_weeks: float = 4.0
    productivity_ramp: tuple[float, ...] = (0.5, 0.75, 0.9)
    paid_hours_per_fte_day: float = 8.0
    work_days_per_week: float = 5.0
    days_per_week: float = 7.0

    def __post_init__(self):
        if not isinstance(self.headcount, dict):
            raise FieldError("headcount", "a mapping of queue to people", self.headcount)
        for queue, people in self.headcount.items():
            if not isinstance(queue, str) or not is_number(people) or people < 0:
                raise FieldError("headcount", "a number of people >= 0 per queue name", people,
                                 str(queue))
        ramp = self.productivity_ramp
        if isinstance(ramp, (list, tuple)):
            object.__setattr__(self, "productivity_ramp", tuple(ramp))
            ramp = self.productivity_ramp
        ramp_ok = isinstance(ramp, tuple) and all(is_number(r) and 0 < r <= 1 for r in ramp) \
            and all(a <= b for a, b in zip(ramp, ramp[1:]))
        lead = self.lead_time_days
        checks = [
            ("hourly_cost", is_number(self.hourly_cost) and self.hourly_cost >= 0, ">= 0"),
            ("attrition_per_month", is_number(self.attrition_per_month)
             and 0 <= self.attrition_per_month < 1, "a fraction in [0, 1)"),
            ("lead_time_days", isinstance(lead, numbers.Integral) and not isinstance(lead, bool)
             and lead >= 0, "a whole number of days >= 0"),
            ("training_weeks", is_number(self.training_weeks) and self.training_weeks >= 0,
             ">= 0 weeks"),
            ("productivity_ramp", ramp_ok,
             "fractions in (0, 1] that do not fall from one month to the next"),
            ("paid_hours_per_fte_day", is_number(self.paid_hours_per_fte_day)
             and 0 < self.paid_hours_per_fte_day <= 24, "hours in (0, 24]"),
            ("work_days_per_week", is_number(self.work_days_per_week)
             and 0 < self.work_days_per_week <= 7, "days in (0, 7]"),
            ("days_per_week", is_number(self.days_per_week) and 0 < self.days_per_week <= 7,
             "days in (0, 7]")]
        for field_name, ok, expected in checks:
            if not ok:
                raise FieldError(field_name, expected, getattr(self, field_name))

    @property
    def fte_per_person(self) -> float:
        """FTE one person provides on the queue's open days [FTE/person]."""
        return self.work_days_per_week / self.days_per_week

    @property
    def daily_pay_per_person(self) -> float:
        """Payroll cost of one person per calendar day [currency/day]."""
        # paid hours a week spread over the 7 days of the week
        return self.hourly_cost * self.paid_hours_per_fte_day * self.work_days_per_week / 7

    @property
    def training_days(self) -> int:
        """Training length [days], rounded to whole days."""
        return int(round(self.training_weeks * 7))


# --- months and groups of people ------------------------------------------------------

@dataclass(frozen=True)
class Group:
    """People who joined the payroll together: the current team or a cohort.

    ``join`` is the month index they join in, ``paid_from`` the date their pay
    starts, ``productive`` the month index from which they work (new hires at
    the ramp when ``ramps``), ``people`` how many joined [people].
    """

    join: int
    paid_from: pd.Timestamp
    productive: int
    people: float
    ramps: bool


@dataclass(frozen=True)
class GroupPath:
    """One group's monthly arrays over the path [people, fraction, days]."""

    people: np.ndarray
    leavers: np.ndarray
    trainees: np.ndarray
    factor: np.ndarray
    paid_days: np.ndarray


def month_starts(as_of: pd.Timestamp, n_months: int) -> pd.DatetimeIndex:
    """The first days of ``n_months`` calendar months from the one holding ``as_of``."""
    return pd.date_range(as_of.to_period("M").to_timestamp(), periods=n_months, freq="MS")


def month_index(months: pd.DatetimeIndex, date: pd.Timestamp) -> int:
    """Index of the month holding ``date`` (may fall outside ``months``)."""
    return (date.year - months[0].year) * 12 + date.month - months[0].month


def group_path(group: Group, months: pd.DatetimeIndex, rules: HiringRules) -> GroupPath:
    """Head count, leavers, trainees, productivity and paid days of a group, per month."""
    idx = np.arange(len(months))
    keep = 1.0 - rules.attrition_per_month
    on = idx >= group.join
    people = np.where(on, group.people * keep ** np.maximum(idx - group.join, 0), 0.0)
    leavers = np.where(idx > group.join, group.people * keep ** np.maximum(idx - 1 - group.join, 0)
                       * rules.attrition_per_month, 0.0)
    ramp = np.array((rules.productivity_ramp if group.ramps else ()) + (1.0,))
    since = idx - group.productive
    factor = np.where(since < 0, 0.0, ramp[np.clip(since, 0, len(ramp) - 1)])
    trainees = np.where(on & (since < 0), people, 0.0)
    month_ends = months + pd.offsets.MonthEnd(0)
    first_paid = np.maximum(months.values, np.datetime64(group.paid_from, "ns"))
    days = (month_ends.values - first_paid).astype("timedelta64[D]").astype(int) + 1
    paid_days = np.where(on, np.maximum(days, 0), 0)
    return GroupPath(people, leavers, trainees, factor, paid_days)


def first_productive_index(months: pd.DatetimeIndex, as_of: pd.Timestamp,
                           rules: HiringRules) -> int:
    """Index of the first month a cohort decided on ``as_of`` can be productive in."""
    ready = as_of + pd.Timedelta(days=rules.lead_time_days + rules.training_days)
    index = month_index(months, ready)
    return index if ready == ready.to_period("M").to_timestamp() else index + 1


def cohort_group(months: pd.DatetimeIndex, productive: int, people: float,
                 rules: HiringRules) -> Group:
    """The cohort productive from month ``productive``: it starts ``training_days`` before."""
    start = productive_month_start(months, productive) - pd.Timedelta(days=rules.training_days)
    return Group(join=month_index(months, start), paid_from=start, productive=productive,
                 people=people, ramps=True)


def productive_month_start(months: pd.DatetimeIndex, index: int) -> pd.Timestamp:
    """First day of month ``index`` (past the path too)."""
    return months[0] + pd.DateOffset(months=index)


def whole_people(fte: float, fte_per_person: float) -> int:
    return int(math.ceil(round(fte / fte_per_person, 9)))


# --- monthly frames ---------------------------------------------------------------------

def _as_months(values) -> pd.Series:
    """``month`` values (``YYYY-MM`` strings, Periods or dates) as month-start Timestamps."""
    series = pd.Series(values)
    if isinstance(series.dtype, pd.PeriodDtype):
        return series.dt.to_timestamp()
    return pd.to_datetime(series.astype(str).str.slice(0, 7), format="%Y-%m")


def targets_by_queue(target_fte_by_month: pd.DataFrame, months: pd.DatetimeIndex,
                     name: str = "target_fte_by_month", fill: float | None = None
                     ) -> dict[str, np.ndarray]:
    """Target FTE per queue as an array over ``months``; months outside are ignored.

    ``fill`` [FTE] stands for a month with no row; None makes it an error.

    Raises
    ------
    FieldError
        Missing columns, a target that is not a number >= 0, or a month of
        the path with no target (``.owner`` is the queue).
    """
    missing = [c for c in TARGET_COLUMNS if c not in target_fte_by_month.columns]
    if missing:
        raise FieldError(name, f"columns {TARGET_COLUMNS}", list(target_fte_by_month.columns))
    frame = target_fte_by_month.assign(month=_as_months(target_fte_by_month["month"]).to_numpy())
    out = {}
    for queue, mine in frame.groupby("queue", sort=True):
        values = mine.set_index("month")["target_fte"]
        bad = [v for v in values if not (is_number(v) and v >= 0)]
        if bad:
            raise FieldError(name, "target_fte >= 0 [FTE]", bad[0], str(queue))
        if values.index.duplicated().any():
            raise FieldError(name, "one target per month and queue",
                             values.index[values.index.duplicated()][0].strftime("%Y-%m"),
                             str(queue))
        series = values.reindex(months)
        if fill is not None:
            series = series.fillna(fill)
        if series.isna().any():
            gaps = [m.strftime("%Y-%m") for m in series.index[series.isna()]]
            raise FieldError(name, f"a target for every month from {months[0]:%Y-%m} to "
                             f"{months[-1]:%Y-%m}", gaps, str(queue))
        out[str(queue)] = series.to_numpy(float)
    return out


def path_months(target_fte_by_month: pd.DataFrame, as_of: pd.Timestamp,
                horizon_months: int | None) -> pd.DatetimeIndex:
    """The path's months: from ``as_of``'s month, ``horizon_months`` of them, or up to the
    last month of the targets when None (at most :data:`MAX_HORIZON_MONTHS`)."""
    if horizon_months is None:
        if not len(target_fte_by_month):
            raise FieldError("target_fte_by_month", "at least one month", "an empty frame")
        last = _as_months(target_fte_by_month["month"]).max()
        horizon_months = max(month_index(month_starts(as_of, 1), last) + 1, 1)
        if horizon_months > MAX_HORIZON_MONTHS:
            raise FieldError("horizon_months", f"at most {MAX_HORIZON_MONTHS} months: pass "
                             "horizon_months to cut longer targets", horizon_months)
    if not (isinstance(horizon_months, numbers.Integral) and not isinstance(horizon_months, bool)
            and 1 <= horizon_months <= MAX_HORIZON_MONTHS):
        raise FieldError("horizon_months", f"a whole number of months in [1, "
                         f"{MAX_HORIZON_MONTHS}]", horizon_months)
    return month_starts(as_of, int(horizon_months))


def naive_date(value) -> pd.Timestamp:
    """A calendar date as a naive Timestamp at midnight."""
    stamp = pd.Timestamp(value)
    return (stamp.tz_localize(None) if stamp.tz is not None else stamp).normalize()

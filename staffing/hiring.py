"""A hiring plan: cohorts that keep the in-house core at its monthly target.

The core takes months to grow: a hiring decision becomes a start date
``lead_time_days`` later, a new hire trains (paid, not productive) for
``training_weeks``, then works at a ramp of productivity, and every month a
share of the team leaves. :func:`hiring_plan` turns a monthly core target per
queue into cohorts (how many people, decided by when) and the monthly path of
headcount, productive FTE, trainees, leavers and payroll; :func:`monthly_target_fte`
derives the target from the plan's daily requirement. The model (attrition,
cohorts, ramp, pay) is in :mod:`staffing.cohorts`.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from staffing.cohorts import (MAX_HORIZON_MONTHS, TARGET_COLUMNS, Group, HiringRules,
                              cohort_group, first_productive_index, group_path, is_number,
                              naive_date, path_months, productive_month_start,
                              targets_by_queue, whole_people)
from staffing.errors import FieldError

__all__ = ["COHORT_COLUMNS", "MAX_HORIZON_MONTHS", "PATH_COLUMNS", "TARGET_COLUMNS",
           "HiringPlan", "HiringRules", "hiring_plan", "monthly_target_fte", "next_hires"]

COHORT_COLUMNS = ["queue", "cohort", "decide_by", "start", "people", "productive_from", "cost"]
COHORT_DTYPES = {"queue": object, "cohort": "int64", "decide_by": "datetime64[ns]",
                 "start": "datetime64[ns]", "people": "int64",
                 "productive_from": "datetime64[ns]", "cost": float}
PATH_COLUMNS = ["month", "queue", "target_fte", "headcount", "starts", "trainees", "leavers",
                "productive_fte", "gap_fte", "hire_reachable", "cost"]
TARGET_METHODS = ("normal_percentile", "percentile", "mean", "core")
#: Tolerance on FTE comparisons [FTE]: below it, rounding noise.
_TOL_FTE = 1e-9


@dataclass(frozen=True)
class HiringPlan:
    """A hiring plan: the cohorts to hire and the monthly path they give.

    Attributes
    ----------
    cohorts : DataFrame
        :data:`COHORT_COLUMNS`, one row per cohort: ``cohort`` numbered from 1
        per queue, ``decide_by``, ``start`` and ``productive_from`` dates,
        ``people`` [people] and ``cost``, the cohort's payroll over the path,
        training included [currency].
    path : DataFrame
        :data:`PATH_COLUMNS`, one row per month (``YYYY-MM``) and queue:
        ``target_fte`` and ``productive_fte`` [FTE]; ``headcount`` on the
        payroll in the month after its leavers, ``starts`` (cohorts starting
        in it), ``trainees`` (in training at some point in it) and
        ``leavers`` (who left at its start) [people, expected];
        ``gap_fte = max(target - productive, 0)`` [FTE], to fill with overtime
        or partners; ``hire_reachable`` is False for the months before
        ``first_productive`` (no cohort decided today can work in them: their
        gap is the overflow's) and ``cost`` is the month's payroll [currency].
    first_productive : Timestamp or None
        The first month a cohort decided on ``as_of`` can be productive; None
        when that is past the path.
    as_of : Timestamp
    rules : HiringRules
    """

    cohorts: pd.DataFrame
    path: pd.DataFrame
    first_productive: pd.Timestamp | None
    as_of: pd.Timestamp
    rules: HiringRules = field(repr=False)

    @property
    def total_cost(self) -> float:
        """Payroll over the path, every queue [currency]."""
        return float(self.path["cost"].sum())


# --- targets ----------------------------------------------------------------------------

def monthly_target_fte(daily: pd.DataFrame, method: str = "normal_percentile",
                       percentile: float = 0.9, column: str = "required_fte",
                       core: pd.Series | None = None) -> pd.DataFrame:
    """The core each month should hold, per queue, from a daily requirement.

    Parameters
    ----------
    daily : DataFrame
        ``date``, ``queue``, ``column`` [FTE] and, for ``normal_percentile``,
        ``regime``.
    method : str
        ``normal_percentile`` (default): the ``percentile`` of the month's
        normal-regime days, the core policy month by month; a month with no
        normal day (all season) takes the percentile of every normal day in
        ``daily``, so a season stays the overflow's (or
        :func:`staffing.hire_or_rent.hire_or_rent`'s) question.
        ``percentile``: the percentile of all the month's days. ``mean``: the
        month's mean (the FTE-days a partner would bill, over the days).
        ``core``: ``core[queue]`` every month (the plan's constant core).
    percentile : float
        [fraction].
    column : str
        The daily column to summarise, e.g. ``required_fte`` [FTE].
    core : Series, optional
        Core FTE per queue [FTE], for ``method="core"``.

    Returns
    -------
    DataFrame
        :data:`TARGET_COLUMNS`: ``month`` (``YYYY-MM``), ``queue``,
        ``target_fte`` [FTE]; percentiles are rounded up to a tenth, like
        :func:`staffing.plan.core_fte`.

    Examples
    --------
    >>> daily = pd.DataFrame({"date": pd.date_range("2027-01-30", periods=3), "queue": "chat",
    ...                       "required_fte": [2.0, 4.0, 3.0], "regime": "normal"})
    >>> monthly_target_fte(daily, percentile=1.0)["target_fte"].tolist()
    [4.0, 3.0]
    """
    if method not in TARGET_METHODS:
        raise FieldError("method", " or ".join(TARGET_METHODS), method)
    if not (is_number(percentile) and 0 <= percentile <= 1):
        raise FieldError("percentile", "a fraction in [0, 1]", percentile)
    needed = ["date", "queue", column] + (["regime"] if method == "normal_percentile" else [])
    missing = [c for c in needed if c not in daily.columns]
    if missing:
        raise ValueError(f"daily: missing columns {missing}; required {needed}, "
                         f"found {list(daily.columns)}")
    if method == "core" and core is None:
        raise FieldError("core", "a core FTE per queue for method='core'", core)
    frame = daily.assign(month=pd.to_datetime(daily["date"]).dt.strftime("%Y-%m"))
    rows = []
    for (queue, month), mine in frame.groupby(["queue", "month"], sort=True):
        values = mine[column].astype(float)
        if method == "core":
            if queue not in core.index:
                raise FieldError("core", "a core FTE for every queue", None, str(queue))
            value = float(core[queue])
        elif method == "mean":
            value = float(values.mean())
        else:
            if method == "normal_percentile":
                normal = values[mine["regime"] == "normal"]
                if not len(normal):
                    everyone = frame[frame["queue"] == queue]
                    pool = everyone.loc[everyone["regime"] == "normal", column].astype(float)
                    normal = pool if len(pool) else everyone[column].astype(float)
                values = normal
            value = math.ceil(round(float(np.quantile(values, percentile)) * 10, 6)) / 10
        rows.append((month, queue, value))
    return pd.DataFrame(rows, columns=TARGET_COLUMNS)


# --- the plan ---------------------------------------------------------------------------

def hiring_plan(target_fte_by_month: pd.DataFrame, rules: HiringRules, as_of,
                horizon_months: int | None = None) -> HiringPlan:
    """Cohorts that keep every queue's productive core at its monthly target.

    From the first month a cohort decided on ``as_of`` can be productive
    (``first_productive``), month by month, when the current team and the
    cohorts already planned fall short of the target, a cohort productive
    from that month's first day is added: the fewest whole people whose
    first ramp month (after the attrition of their training months) closes
    the gap. Each cohort is as late as the month it is for (just in time),
    so no month from ``first_productive`` on falls below its target. Months
    before it keep their gap (``hire_reachable`` False): overtime or partners
    fill it. A team above its target is not released: attrition brings it down.

    Parameters
    ----------
    target_fte_by_month : DataFrame
        :data:`TARGET_COLUMNS`: ``month`` (``YYYY-MM``, a Period or any date
        in the month), ``queue``, ``target_fte`` [FTE], one row per month of
        the path and queue (:func:`monthly_target_fte` makes one). Months
        outside the path are ignored.
    rules : HiringRules
        Its ``headcount`` must name every queue of the targets.
    as_of : date or Timestamp
        The planning date: the first possible hiring decision.
    horizon_months : int, optional
        Months in the path from ``as_of``'s month [months], at most
        :data:`MAX_HORIZON_MONTHS`; None: up to the targets' last month.

    Returns
    -------
    HiringPlan

    Raises
    ------
    FieldError
        A target missing for a month of the path or below 0, a queue with no
        headcount, a horizon past :data:`MAX_HORIZON_MONTHS`.

    Notes
    -----
    Month ``m``'s productive FTE is ``fte_per_person x sum over groups of
    people_g x (1 - attrition)^(m - join_g) x factor_g(m)`` where ``factor``
    is 1 for the current team and the ramp for a cohort (0 before its
    ``productive_from``). A cohort for month ``m`` joining in month ``j`` has
    ``ceil(gap / (fte_per_person x ramp[0] x (1 - attrition)^(m - j)))``
    people. Cohorts only add FTE from their month on, so the months already
    checked stay met.

    Examples
    --------
    >>> rules = HiringRules({"chat": 10}, hourly_cost=30.0, attrition_per_month=0.0,
    ...                     lead_time_days=0, training_weeks=0, productivity_ramp=(),
    ...                     days_per_week=5)
    >>> targets = pd.DataFrame({"month": ["2027-01", "2027-02"], "queue": "chat",
    ...                         "target_fte": [10.0, 12.0]})
    >>> hiring_plan(targets, rules, "2027-01-01").cohorts[["productive_from", "people"]]
      productive_from  people
    0      2027-02-01       2
    """
    as_of = naive_date(as_of)
    months = path_months(target_fte_by_month, as_of, horizon_months)
    targets = targets_by_queue(target_fte_by_month, months)
    p0 = first_productive_index(months, as_of, rules)
    per_person = rules.fte_per_person
    paths, cohort_rows = [], []
    for queue, target in targets.items():
        if queue not in rules.headcount:
            raise FieldError("headcount", "a current headcount for every queue of the targets",
                             None, queue)
        groups = [Group(0, as_of, 0, float(rules.headcount[queue]), ramps=False)]
        arrays = [group_path(groups[0], months, rules)]
        for m in range(max(p0, 0), len(months)):
            productive = per_person * sum(a.people[m] * a.factor[m] for a in arrays)
            gap = target[m] - productive
            if gap <= _TOL_FTE:
                continue
            probe = cohort_group(months, m, 1.0, rules)
            one = group_path(probe, months, rules)  # what one person of this cohort gives in m
            people = whole_people(gap, per_person * one.people[m] * one.factor[m])
            groups.append(cohort_group(months, m, float(people), rules))
            arrays.append(group_path(groups[-1], months, rules))
        paths.append(_queue_path(queue, months, target, groups[1:], arrays, p0, rules))
        for number, (group, arr) in enumerate(zip(groups[1:], arrays[1:]), start=1):
            start = group.paid_from
            cohort_rows.append((queue, number, start - pd.Timedelta(days=rules.lead_time_days),
                                start, int(group.people), months[group.productive],
                                float((arr.people * arr.paid_days).sum()
                                      * rules.daily_pay_per_person)))
    cohorts = pd.DataFrame(cohort_rows, columns=COHORT_COLUMNS).astype(COHORT_DTYPES)
    path = pd.concat(paths, ignore_index=True) if paths else pd.DataFrame(columns=PATH_COLUMNS)
    first = productive_month_start(months, p0) if p0 < len(months) else None
    return HiringPlan(cohorts=cohorts, path=path, first_productive=first, as_of=as_of,
                      rules=rules)


def _queue_path(queue, months, target, cohorts, arrays, p0, rules) -> pd.DataFrame:
    people = sum(a.people for a in arrays)
    productive = rules.fte_per_person * sum(a.people * a.factor for a in arrays)
    starts = np.zeros(len(months))
    for group in cohorts:
        starts[group.join] += group.people
    return pd.DataFrame({
        "month": months.strftime("%Y-%m"), "queue": queue, "target_fte": target,
        "headcount": people, "starts": starts, "trainees": sum(a.trainees for a in arrays),
        "leavers": sum(a.leavers for a in arrays), "productive_fte": productive,
        "gap_fte": np.clip(target - productive, 0.0, None),
        "hire_reachable": np.arange(len(months)) >= p0,
        "cost": sum(a.people * a.paid_days for a in arrays) * rules.daily_pay_per_person},
        columns=PATH_COLUMNS)


def next_hires(plan: HiringPlan) -> pd.DataFrame:
    """Each queue's first cohort: the decision to take next ("hire N for chat by D").

    Returns
    -------
    DataFrame
        ``queue, people, decide_by, start, productive_from``, by ``decide_by``.
    """
    first = plan.cohorts.sort_values(["queue", "decide_by"]).groupby("queue").head(1)
    return first[["queue", "people", "decide_by", "start", "productive_from"]].sort_values(
        ["decide_by", "queue"]).reset_index(drop=True)

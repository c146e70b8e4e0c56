"""Hire for the season or rent it: a seasonal cohort against a partner, per queue, costed.

Both options cover the same work: ``target_fte`` in-house FTE in each month of
the season (:func:`season_fte_by_month` makes that frame from a plan, between
the dates :func:`season_spans` finds). Renting pays the partner for ``target_fte x quality_factor`` FTE every
day of the season from the day its lead time allows, plus its ramp days and one
activation fee per run of season months. Hiring pays one cohort, sized so its
productive FTE covers every season month, from its start (training included)
to the season's end, then either the cost to release the people left or the
payroll of the surplus until attrition absorbs it into the core; months of
the season that no cohort decided today can reach are rented in the hire
option too.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from staffing.cohorts import (DAYS_PER_MONTH, MAX_HORIZON_MONTHS, HiringRules, cohort_group,
                              first_productive_index, group_path, month_index, month_starts,
                              naive_date, path_months, productive_month_start, targets_by_queue)
from staffing.errors import FieldError
from staffing.sources import Source

SEASON_CHOICE_COLUMNS = ["season", "partner"]  # then HIRE_OR_RENT_COLUMNS
HIRE_OR_RENT_COLUMNS = [
    "queue", "season_start", "season_end", "season_fte_days",
    "hire_people", "hire_decide_by", "hire_start", "hire_productive_from", "hire_payroll_cost",
    "hire_after_season", "hire_after_season_cost", "hire_rented_fte_days", "hire_cost",
    "hire_uncovered_fte_days", "rent_notice_by", "rent_fte_days", "rent_cost",
    "rent_uncovered_fte_days", "choice"]
AFTER_SEASON = ("release", "absorb", "cheaper")
#: Months of absorption counted before the surplus is taken as never absorbed [months].
_MAX_ABSORB_MONTHS = 600


def season_spans(daily: pd.DataFrame, regime: str = "holiday_peak", merge_gap_days: int = 7
                 ) -> list[tuple[pd.Timestamp, pd.Timestamp]]:
    """The (first, last) dates of each season: runs of days in ``regime``.

    Parameters
    ----------
    daily : DataFrame
        ``date`` and ``regime`` (any queue's rows; dates are taken once).
    regime : str
        The season's regime.
    merge_gap_days : int
        Runs apart by at most this many other days are one season [days].

    Examples
    --------
    >>> daily = pd.DataFrame({"date": pd.date_range("2027-11-20", periods=6),
    ...                       "regime": ["holiday_peak"] * 2 + ["normal"] * 3 + ["holiday_peak"]})
    >>> [(a.day, b.day) for a, b in season_spans(daily, merge_gap_days=2)]
    [(20, 21), (25, 25)]
    """
    dates = pd.DatetimeIndex(sorted(pd.to_datetime(daily.loc[daily["regime"] == regime,
                                                             "date"]).unique()))
    spans: list[tuple[pd.Timestamp, pd.Timestamp]] = []
    for date in dates:
        if spans and (date - spans[-1][1]).days - 1 <= merge_gap_days:
            spans[-1] = (spans[-1][0], date)
        else:
            spans.append((date, date))
    return spans


def season_fte_by_month(plan: pd.DataFrame, start=None, end=None) -> pd.DataFrame:
    """The requirement above the core between two dates, per month and queue: what a season adds.

    Parameters
    ----------
    plan : DataFrame
        ``date``, ``queue``, ``required_fte`` and ``core_fte`` [FTE]
        (:func:`staffing.plan.build_plan`).
    start, end : date, optional
        The season's first and last days (:func:`season_spans`); None: the plan's.

    Returns
    -------
    DataFrame
        ``month, queue, target_fte``: ``max(required - core, 0)`` summed over
        the season's days of the month, over the month's days from the plan's
        first date [FTE]: times those days it gives back the season's
        FTE-days, the work both options of :func:`hire_or_rent` cover. A
        month the season only touches has a small mean (a cohort sized on it
        covers the work, not the peak day).
    """
    dates = pd.to_datetime(plan["date"])
    above = (plan["required_fte"].astype(float) - plan["core_fte"].astype(float)).clip(lower=0)
    inside = pd.Series(True, index=plan.index)
    if start is not None:
        inside &= dates >= naive_date(start)
    if end is not None:
        inside &= dates <= naive_date(end)
    first = dates.min()
    month = dates.dt.to_period("M")
    total = above.where(inside, 0.0).groupby([plan["queue"], month]).sum()
    rows = []
    for (queue, period), fte_days in total.items():
        begin = max(period.to_timestamp(), first)
        days = (period.to_timestamp(how="end").normalize() - begin).days + 1
        rows.append((period.strftime("%Y-%m"), queue, float(fte_days) / days))
    return pd.DataFrame(rows, columns=["month", "queue", "target_fte"])


def rent_cost(need_fte: np.ndarray, months: pd.DatetimeIndex, as_of: pd.Timestamp,
              partner: Source, paid_hours_per_fte_day: float, queue: str
              ) -> tuple[float, float, float, pd.Timestamp | None]:
    """What renting ``need_fte`` (in-house FTE per month) from ``partner`` costs.

    Returns
    -------
    tuple
        ``(cost [currency], covered [FTE-days of work], uncovered [FTE-days],
        notice_by)``: days before ``as_of + lead_time_days`` and work above the
        partner's cap are uncovered; ``notice_by`` is the first covered day
        minus the lead time (None when nothing is rented).
    """
    if not partner.serves(queue):
        return math.nan, 0.0, float(_days_from(months, as_of, as_of) @ need_fte), None
    reach = as_of + pd.Timedelta(days=partner.lead_time_days)
    days_all = _days_from(months, as_of, as_of)
    days_in = _days_from(months, as_of, reach)
    work = np.minimum(need_fte, partner.max_fte / partner.quality_factor)  # per day [FTE]
    covered = float(days_in @ work)
    uncovered = float(days_all @ need_fte) - covered
    paid_fte_days = covered * partner.quality_factor
    fees, first = 0.0, None
    active = (work > 0) & (days_in > 0)
    for m in np.flatnonzero(active):
        if m > 0 and active[m - 1]:
            continue  # inside a run of season months: one activation
        first_day = max(months[m], reach)
        first = first_day if first is None else first
        fees += partner.activation_cost
        ramp_days = min(len(partner.ramp), int(days_in[m]))
        paid_fte_days += work[m] * partner.quality_factor * sum(r - 1 for r in
                                                                 partner.ramp[:ramp_days])
    cost = paid_fte_days * paid_hours_per_fte_day * partner.hourly_cost + fees
    notice_by = None if first is None else first - pd.Timedelta(days=partner.lead_time_days)
    return float(cost), covered, uncovered, notice_by


def _days_from(months: pd.DatetimeIndex, as_of: pd.Timestamp, start: pd.Timestamp) -> np.ndarray:
    """Days of each month on or after ``start`` and ``as_of`` [days]."""
    ends = (months + pd.offsets.MonthEnd(0)).values
    first = np.maximum(months.values, np.datetime64(max(start, as_of), "ns"))
    return np.maximum((ends - first).astype("timedelta64[D]").astype(int) + 1, 0).astype(float)


def after_season_costs(survivors: float, core_headcount: float, rules: HiringRules,
                       release_cost_per_person: float) -> tuple[float, float]:
    """Release the seasonal hires left, or keep them until attrition absorbs them.

    Parameters
    ----------
    survivors : float
        Seasonal hires on the payroll at the season's end [people].
    core_headcount : float
        The core team they would join [people]: each month its leavers
        (``attrition x core_headcount``) are replaced from the surplus instead
        of by new hires.

    Returns
    -------
    tuple
        ``(release, absorb)`` [currency]: ``survivors x release_cost_per_person``;
        the payroll of the surplus ``S_k = max(S_{k-1} (1 - attrition) -
        attrition x core_headcount, 0)`` over the months until it is 0
        (:data:`staffing.hiring.DAYS_PER_MONTH` days each; infinite when
        nobody ever leaves).
    """
    release = survivors * release_cost_per_person
    keep, a = 1.0 - rules.attrition_per_month, rules.attrition_per_month
    surplus, months = survivors, 0.0
    for _ in range(_MAX_ABSORB_MONTHS):
        surplus = max(surplus * keep - a * core_headcount, 0.0)
        if surplus <= 1e-9:
            break
        months += surplus
    else:
        return release, math.inf
    return release, months * DAYS_PER_MONTH * rules.daily_pay_per_person


def hire_or_rent(season_fte: pd.DataFrame, rules: HiringRules, partner: Source, as_of,
                 horizon_months: int | None = None, *, release_cost_per_person: float = 0.0,
                 after_season: str = "cheaper") -> pd.DataFrame:
    """Per queue: hire a seasonal cohort, or rent the same FTE from ``partner``?

    Parameters
    ----------
    season_fte : DataFrame
        ``month, queue, target_fte``: the in-house FTE the season needs each
        month above the core [FTE] (0, or no row, outside the season),
        :func:`season_fte_by_month`.
    rules : HiringRules
        The hiring terms; ``headcount[queue]`` is the core the surplus is
        absorbed into (0 when the queue is not named).
    partner : Source
        The partner to rent from: ``hourly_cost`` [currency/h],
        ``quality_factor`` [ratio], ``activation_cost`` [currency],
        ``lead_time_days`` [days], ``max_fte`` [FTE], ``ramp`` [ratio] and the
        queues it serves.
    as_of : date or Timestamp
        The planning date.
    horizon_months : int, optional
        As for :func:`staffing.hiring.hiring_plan`.
    release_cost_per_person : float
        Cost to release one seasonal hire after the season [currency/person].
    after_season : str
        ``release``, ``absorb`` (keep them; attrition makes room in the core)
        or ``cheaper`` of the two.

    Returns
    -------
    DataFrame
        :data:`HIRE_OR_RENT_COLUMNS`, one row per queue with a season:
        ``season_start``/``season_end`` (first and last day of its months from
        ``as_of``), ``season_fte_days`` [FTE-days]; the hire option's cohort
        (``hire_people`` [people], ``hire_decide_by``, ``hire_start``,
        ``hire_productive_from``; NaN/NaT when no cohort can reach any season
        month), ``hire_payroll_cost`` (start to season end),
        ``hire_after_season`` and its cost, ``hire_rented_fte_days`` (months
        before the cohort can work, rented), ``hire_cost`` (all three)
        [currency], ``hire_uncovered_fte_days``; the rent option's
        ``rent_notice_by``, ``rent_fte_days`` (the work the partner covers,
        in-house FTE-days; ``season_fte_days = rent_fte_days +
        rent_uncovered_fte_days``), ``rent_cost`` (NaN when the partner does not serve the
        queue), ``rent_uncovered_fte_days``; ``choice`` = the option that
        leaves less work uncovered (by more than 0.01 FTE-days), else the
        cheaper (``hire`` on a tie); ``none`` when neither can be had. An
        option that cannot be had costs NaN (or inf: absorbing with no
        attrition never ends).

    Notes
    -----
    The cohort is tried productive from the season's first month and up to
    ``len(productivity_ramp)`` months earlier (so it is ramped when the season
    comes), never before :func:`staffing.hiring.first_productive_index`; the
    cheapest try is kept. Its size is the largest over the season months of
    ``ceil(need / (fte_per_person x factor x survival))``. Work the cohort
    does before the season is not credited (it would only lower overtime).
    """
    if after_season not in AFTER_SEASON:
        raise FieldError("after_season", " or ".join(AFTER_SEASON), after_season)
    if not (isinstance(release_cost_per_person, (int, float))
            and math.isfinite(release_cost_per_person) and release_cost_per_person >= 0):
        raise FieldError("release_cost_per_person", ">= 0 [currency/person]",
                         release_cost_per_person)
    as_of = naive_date(as_of)
    months = path_months(season_fte, as_of, horizon_months)
    needs = targets_by_queue(season_fte, months, "season_fte", fill=0.0)
    p0 = first_productive_index(months, as_of, rules)
    hours = rules.paid_hours_per_fte_day
    rows = []
    for queue, need in needs.items():
        season = np.flatnonzero(need > 1e-9)
        if not len(season):
            continue
        days = _days_from(months, as_of, as_of)
        first, last = int(season[0]), int(season[-1])
        start_day = max(months[first], as_of)
        end_day = months[last] + pd.offsets.MonthEnd(0)
        rent = rent_cost(need, months, as_of, partner, hours, queue)
        hire = _best_cohort(need, months, as_of, rules, partner, p0, first, last, queue,
                            release_cost_per_person, after_season)
        rows.append({
            "queue": queue, "season_start": start_day, "season_end": end_day,
            "season_fte_days": float(days @ need), **hire,
            "rent_notice_by": rent[3], "rent_fte_days": rent[1], "rent_cost": rent[0],
            "rent_uncovered_fte_days": rent[2]})
        row = rows[-1]
        row["choice"] = _choice(row)
    out = pd.DataFrame(rows, columns=HIRE_OR_RENT_COLUMNS)
    for col in ("season_start", "season_end", "hire_decide_by", "hire_start",
                "hire_productive_from", "rent_notice_by"):
        out[col] = pd.to_datetime(out[col])
    return out


def _choice(row: dict) -> str:
    """``hire``, ``rent`` or ``none`` (neither option can be had)."""
    options = [(row[f"{name}_uncovered_fte_days"], row[f"{name}_cost"], name)
               for name in ("hire", "rent") if math.isfinite(row[f"{name}_cost"])]
    if not options:
        return "none"
    least = min(gap for gap, _, _ in options)
    return min((cost, name) for gap, cost, name in options if gap <= least + 0.01)[1]


def _best_cohort(need, months, as_of, rules, partner, p0, first, last, queue, release_cost,
                 after_season) -> dict:
    """The cheapest seasonal cohort (and the rented months it cannot reach)."""
    per_person = rules.fte_per_person
    best = None
    for ahead in range(len(rules.productivity_ramp) + 1):
        productive = max(first - ahead, p0)
        if productive > last:
            break
        probe = group_path(cohort_group(months, productive, 1.0, rules), months, rules)
        gives = per_person * probe.people * probe.factor  # FTE one hire gives each month
        season = [m for m in range(productive, last + 1) if need[m] > 1e-9]
        people = max(math.ceil(round(need[m] / gives[m], 9)) for m in season)
        group = cohort_group(months, productive, float(people), rules)
        arr = group_path(group, months, rules)
        within = np.arange(len(months)) <= last
        payroll = float((arr.people * arr.paid_days)[within].sum()) * rules.daily_pay_per_person
        release, absorb = after_season_costs(float(arr.people[last]),
                                             float(rules.headcount.get(queue, 0.0)), rules,
                                             release_cost)
        kind = after_season if after_season != "cheaper" else (
            "release" if release <= absorb else "absorb")
        tail = release if kind == "release" else absorb
        early = np.where(np.arange(len(months)) < productive, need, 0.0)
        rented = rent_cost(early, months, as_of, partner, rules.paid_hours_per_fte_day, queue) \
            if early.any() else (0.0, 0.0, 0.0, None)
        rented_cost = rented[0] if not math.isnan(rented[0]) else 0.0
        uncovered = rented[2] if not math.isnan(rented[0]) else float(
            _days_from(months, as_of, as_of) @ early)
        total = payroll + tail + rented_cost
        candidate = {
            "hire_people": float(people),
            "hire_decide_by": group.paid_from - pd.Timedelta(days=rules.lead_time_days),
            "hire_start": group.paid_from,
            "hire_productive_from": productive_month_start(months, productive),
            "hire_payroll_cost": payroll, "hire_after_season": kind,
            "hire_after_season_cost": tail, "hire_rented_fte_days": rented[1],
            "hire_cost": total, "hire_uncovered_fte_days": uncovered}
        if best is None or total < best["hire_cost"]:
            best = candidate
        if productive == p0:
            break  # an earlier try cannot start sooner
    if best is None:
        uncovered = float(_days_from(months, as_of, as_of) @ need)
        rented = rent_cost(need, months, as_of, partner, rules.paid_hours_per_fte_day, queue)
        best = {"hire_people": math.nan, "hire_decide_by": None, "hire_start": None,
                "hire_productive_from": None, "hire_payroll_cost": math.nan,
                "hire_after_season": "", "hire_after_season_cost": math.nan,
                "hire_rented_fte_days": math.nan, "hire_cost": math.nan,
                "hire_uncovered_fte_days": rented[2] if not math.isnan(rented[0]) else uncovered}
    return best


def season_choices(daily: pd.DataFrame, plan: pd.DataFrame, rules: HiringRules,
                   partners, as_of, *, regime: str = "holiday_peak", merge_gap_days: int = 7,
                   release_cost_per_person: float = 0.0, after_season: str = "cheaper"
                   ) -> pd.DataFrame:
    """Hire or rent, for every season of the plan and every partner: one call for a pipeline.

    Parameters
    ----------
    daily : DataFrame
        ``date, regime`` (the plan's daily requirement), for :func:`season_spans`.
    plan : DataFrame
        ``date, queue, required_fte, core_fte`` [FTE], for :func:`season_fte_by_month`.
    rules : HiringRules
    partners : iterable of Source
        In-house sources among them are skipped.
    as_of : date or Timestamp
    regime, merge_gap_days
        As for :func:`season_spans`.
    release_cost_per_person, after_season
        As for :func:`hire_or_rent`.

    Returns
    -------
    DataFrame
        :data:`SEASON_CHOICE_COLUMNS` (``season`` numbered from 1, ``partner``
        its name) then :data:`HIRE_OR_RENT_COLUMNS`. A season ending past
        :data:`staffing.cohorts.MAX_HORIZON_MONTHS` months from ``as_of``'s
        month is left out.
    """
    as_of = naive_date(as_of)
    first_month = month_starts(as_of, 1)
    frames = []
    for number, (start, end) in enumerate(season_spans(daily, regime, merge_gap_days), start=1):
        last = month_index(first_month, end)
        if last >= MAX_HORIZON_MONTHS:
            continue
        season = season_fte_by_month(plan, start, end)
        months = pd.to_datetime(season["month"], format="%Y-%m")
        season = season[months <= end.to_period("M").to_timestamp()]
        for partner in partners:
            if partner.inhouse:
                continue
            table = hire_or_rent(season, rules, partner, as_of, last + 1,
                                 release_cost_per_person=release_cost_per_person,
                                 after_season=after_season)
            frames.append(table.assign(season=number, partner=partner.name))
    columns = SEASON_CHOICE_COLUMNS + HIRE_OR_RENT_COLUMNS
    if not frames:
        return pd.DataFrame(columns=columns)
    return pd.concat(frames, ignore_index=True)[columns]

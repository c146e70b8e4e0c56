"""What a plan returns: one frame per stage, and the summary every presenter formats."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from staffing.costs import CostInputs
from staffing.plan import Risk
from surgeplan.config import PlanConfig


@dataclass(frozen=True)
class Roster:
    """Whole shifts for the requirement (``[shifts]``).

    Attributes
    ----------
    schedule : staffing.schedules.Schedule
        The shifts (``shifts``), the coverage per interval and each day's
        efficiency and gap to the LP bound (``days``).
    fte : DataFrame
        :func:`staffing.schedules.roster_fte`: each day's fluid and scheduled FTE.
    weekly : staffing.rosters.WeeklyRoster
        People per queue and week from days-off patterns.
    """

    schedule: object
    fte: pd.DataFrame
    weekly: object


@dataclass(frozen=True)
class Hiring:
    """The hiring plan (``[hiring]``).

    Attributes
    ----------
    plan : staffing.hiring.HiringPlan
        ``cohorts`` (who to hire, decide by, start, productive from, cost)
        and ``path`` (each month's target, headcount, trainees, leavers,
        productive FTE, gap).
    next_hires : DataFrame
        Each queue's first cohort: the decision to take next.
    seasons : DataFrame
        Hire or rent, for each season and partner.
    """

    plan: object
    next_hires: pd.DataFrame
    seasons: pd.DataFrame


@dataclass(frozen=True)
class PlanSummary:
    """The facts every presenter shows, computed once (the CLI, HTML, workbook and JSON format it).

    Attributes
    ----------
    core : DataFrame
        :func:`staffing.plan.core_table`: core FTE, headcount, peak and normal-day requirement.
    risk : Risk
        :func:`staffing.plan.risk_summary`: the days no source covers.
    forecast : DataFrame
        :func:`forecast.models.forecast_summary`: each queue's forecast in brief.
    recommended : Series
        The ``recommended`` row of the costs: what the plan drawn and
        recommended costs (core, overtime, every partner's windows).
    calls : DataFrame
        :func:`staffing.windows.partner_calls`: whom to call, by when.
    assumptions : DataFrame
        :func:`surgeplan.pipeline.assumptions`: what the plan assumes rather
        than learns, and how to change it.
    staffed_on : str
        What the plan staffs, in words (``P50``, ``P90``, ``the 0.81 quantile
        of each day's forecast``).
    buffers : DataFrame
        ``regime``, ``buffer`` [ratio]: the mean volume staffed over the P50,
        by regime (how much more an event day is staffed for).
    ways_out : DataFrame
        :data:`staffing.way_out.OPTION_COLUMNS`: for each queue short with no
        partner allowed to serve it (Tier 2), overtime, a temporary hire and
        each partner (if its contract took the queue), costed.
    """

    core: pd.DataFrame
    risk: Risk
    forecast: pd.DataFrame
    recommended: pd.Series
    calls: pd.DataFrame
    assumptions: pd.DataFrame
    staffed_on: str
    buffers: pd.DataFrame
    ways_out: pd.DataFrame


@dataclass(frozen=True)
class PlanResult:
    """Every stage's output, one documented field each.

    Attributes
    ----------
    as_of : Timestamp
        The planning date: the day after the last day of history.
    history : DataFrame
        ``date``, ``queue``, ``volume`` [contacts/day], the daily history.
    days : DataFrame
        Event days (promo windows and public holidays) over history and horizon.
    forecast : DataFrame
        ``date, queue, volume_p10, volume_p50, volume_p90, regime, events``.
    uplifts : DataFrame
        Event multipliers per queue: learned ones with their spread and
        occurrences, and the assumed ones (calendar or preset) used ahead.
    category_mix : DataFrame
        ``queue, day_type, category, share``: each day type's mix, learned
        from its past days (:func:`forecast.history.category_mix`).
    intervals : DataFrame
        ``interval_start, queue, volume, agents, sl, asa_s, occupancy, fte``,
        after deflection, Tier 2 included.
    daily : DataFrame
        ``date, queue, volume, agent_hours, required_fte, regime``.
    core : Series
        Core FTE per queue [FTE].
    core_curve : DataFrame
        Total cost per core level priced and queue: the chosen level and its
        neighbours (``optimal`` policy only; else empty).
    plan : DataFrame
        ``date, queue, required_fte, core_fte, overtime_fte, overflow_fte,
        source, shortfall_fte, expected_sl``.
    allocation : DataFrame
        ``date, queue, source, fte, work_fte``: overflow per day and source.
    windows : DataFrame
        Activation windows, ``notice_by`` = start - lead time.
    costs : DataFrame
        One row per cost scenario.
    costs_monthly : DataFrame
        Each scenario's cost per calendar month.
    sensitivity : DataFrame
        ``case, scenario, total_cost, change, understaffed_hours``: the cases
        of ``[sensitivity]`` (partner cost, AHT, the other volume quantile).
    deflection : DataFrame
        FTE and cost saved per queue by deflection, against none.
    profile : DataFrame
        The intraday profile of every first-line queue
        (:func:`surgeplan.pipeline.intraday_profile`).
    wfm : DataFrame
        :func:`surgeplan.wfm.wfm_intervals`: the interval forecast and
        requirement in local date and time, for a WFM tool's import.
    weekly, monthly : DataFrame
        :func:`staffing.plan.rollup` of the plan by week and by month.
    roster : Roster or None
        With ``[shifts]``: the shifts, their FTE and the people per week.
    hiring : Hiring or None
        With ``[hiring]``: the cohorts, the monthly path and hire-or-rent.
    summary : PlanSummary
        The headline facts, computed once for every presenter.
    config : PlanConfig
    """

    as_of: pd.Timestamp
    history: pd.DataFrame
    days: pd.DataFrame
    forecast: pd.DataFrame
    uplifts: pd.DataFrame
    category_mix: pd.DataFrame
    intervals: pd.DataFrame
    daily: pd.DataFrame
    core: pd.Series
    core_curve: pd.DataFrame
    plan: pd.DataFrame
    allocation: pd.DataFrame
    windows: pd.DataFrame
    costs: pd.DataFrame
    costs_monthly: pd.DataFrame
    sensitivity: pd.DataFrame
    deflection: pd.DataFrame
    profile: pd.DataFrame
    wfm: pd.DataFrame
    weekly: pd.DataFrame
    monthly: pd.DataFrame
    summary: PlanSummary
    roster: Roster | None
    hiring: Hiring | None
    config: PlanConfig


@dataclass(frozen=True)
class Sourcing:
    """The core/overflow plan and the cost scenarios for a staffing requirement.

    Attributes
    ----------
    inputs : CostInputs
        Sources (Tier 2 in-house only), coverage and after-hours shares.
    core : Series
        Core FTE per queue [FTE].
    core_curve : DataFrame
        The optimal policy's cost curve, around the chosen level (else empty).
    plan, allocation, windows : DataFrame
        The recommended plan: in-house core plus every partner.
    scenarios : list of Scenario
    costs, costs_monthly : DataFrame
        :func:`staffing.costs.scenario_costs` of the standard scenarios.
    """

    inputs: CostInputs
    core: pd.Series
    core_curve: pd.DataFrame
    plan: pd.DataFrame
    allocation: pd.DataFrame
    windows: pd.DataFrame
    scenarios: list
    costs: pd.DataFrame
    costs_monthly: pd.DataFrame


def people_tables(result: PlanResult) -> dict[str, pd.DataFrame]:
    """The shift and hiring tables of a plan, by file name, when it has them."""
    tables = {}
    if result.roster is not None:
        tables["shifts"] = result.roster.schedule.shifts
        tables["shift_days"] = result.roster.schedule.days.merge(
            result.roster.fte, on=["date", "queue"], how="left")
        tables["roster_weekly"] = result.roster.weekly.weeks
    if result.hiring is not None:
        tables["hiring"] = result.hiring.plan.cohorts
        tables["hiring_monthly"] = result.hiring.plan.path
        tables["hire_or_rent"] = result.hiring.seasons
    return tables

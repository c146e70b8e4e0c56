"""People stages of a plan: whole shifts for the requirement, and the hiring plan."""
from __future__ import annotations

from dataclasses import replace

import pandas as pd

from calendars.errors import InputError
from staffing.errors import FieldError
from staffing.hire_or_rent import season_choices
from staffing.hiring import hiring_plan, monthly_target_fte, next_hires
from staffing.plan import core_table
from staffing.rosters import weekly_headcount
from staffing.schedules import roster_fte, schedule_requirements
from surgeplan.config import PlanConfig
from surgeplan.result import Hiring, Roster, Sourcing


def schedule_shifts(intervals: pd.DataFrame, config: PlanConfig) -> Roster:
    """Whole shifts for the interval requirement, their FTE, and the people per week.

    Raises
    ------
    InputError
        Rules no day can be scheduled with (a shift longer than the open
        hours, no allowed start), naming the ``[shifts]`` key.
    """
    try:
        schedule = schedule_requirements(intervals, config.staffing.interval_min,
                                         config.shifts.rules)
    except FieldError as exc:
        raise InputError(str(exc), path=config.path, key=f"shifts.{exc.field}") from None
    fte = roster_fte(schedule.days, {q.target.queue: q.target.shrinkage for q in config.all_queues},
                     config.staffing.paid_hours_per_fte_day)
    weekly = weekly_headcount(schedule.shifts, int(round(config.staffing.work_days_per_week)),
                              config.shifts.days_off)
    return Roster(schedule=schedule, fte=fte, weekly=weekly)


def scheduled_daily(daily: pd.DataFrame, fte: pd.DataFrame) -> pd.DataFrame:
    """The daily requirement in the shifts' FTE; the fluid curve's kept as ``fluid_fte``."""
    key = pd.MultiIndex.from_frame(daily[["date", "queue"]])
    scheduled = fte.set_index(["date", "queue"])["scheduled_fte"].reindex(key).fillna(0.0)
    return daily.assign(fluid_fte=daily["required_fte"], required_fte=scheduled.to_numpy())


def hire(daily: pd.DataFrame, chosen: Sourcing, config: PlanConfig, as_of: pd.Timestamp
         ) -> Hiring:
    """The core as a monthly path: cohorts to hire, and hire-or-rent for each season.

    A queue whose team today the config does not give starts with the plan's
    core headcount.
    """
    h = config.hiring
    people = core_table(daily, chosen.core, config.staffing.work_days_per_week)
    rules = replace(h.rules, headcount={**dict(zip(people["queue"], people["headcount"])),
                                        **h.rules.headcount},
                    paid_hours_per_fte_day=config.staffing.paid_hours_per_fte_day,
                    work_days_per_week=config.staffing.work_days_per_week)
    target = monthly_target_fte(daily, h.target, config.core.policy.percentile, core=chosen.core)
    plan = hiring_plan(target, rules, as_of, h.horizon_months or None)
    seasons = season_choices(daily, chosen.plan, rules,
                             [s for s in chosen.inputs.sources if not s.inhouse], as_of,
                             merge_gap_days=config.plan.merge_gap_days,
                             release_cost_per_person=h.release_cost_per_person,
                             after_season=h.after_season)
    return Hiring(plan=plan, next_hires=next_hires(plan), seasons=seasons)

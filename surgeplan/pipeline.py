"""The plan, stage by stage: one pure function from loaded inputs to every output frame.

:func:`run_plan` is a list of stage calls, each a function of a domain
package; this module only hands each stage its part of the config.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import partial

import pandas as pd

from calendars.errors import InputError
from calendars.events import all_event_days, day_types
from forecast.events import unusual_days, uplift_table
from forecast.history import category_mix, daily_volume
from forecast.intraday import queue_profiles
from forecast.models import forecast_queues
from staffing.costs import (RECOMMENDED, Scenario, cost_inputs, optimal_core, plan_scenario,
                            scenario_costs, standard_scenarios)
from staffing.plan import CorePolicy, core_fte, rollup
from staffing.requirements import daily_requirements, interval_requirements, plan_expected_sl
from staffing.sensitivity import (SENSITIVITY_COLUMNS, aht_case, partner_cost_case,
                                  quantile_case, sensitivity_costs, with_partner_cost)
from staffing.workload import (DEFLECTION_COLUMNS, deflection_savings, deflection_shares,
                               shares_per_day)
from surgeplan.config import PlanConfig
from surgeplan.demand import (given_forecast, history_until, interval_volumes, planned_volume)
from surgeplan.people import hire, schedule_shifts, scheduled_daily
from surgeplan.result import PlanResult, Sourcing
from surgeplan.summary import summarise
from surgeplan.wfm import wfm_intervals

#: The stages ``run_plan`` reports through ``on_stage``, in order.
STAGES = ("forecast", "staffing", "plan and costs", "sensitivity", "deflection and summary")


def check_queues(frame: pd.DataFrame, config: PlanConfig, what: str = "the history") -> None:
    """Raise InputError (key ``queues``) unless ``frame``'s queues are the config's queues."""
    in_data = set(frame["queue"].unique())
    in_config = {q.target.queue for q in config.queues}
    if in_data - in_config:
        raise InputError(f"{what} has queue(s) {', '.join(sorted(in_data - in_config))} "
                         f"with no [queues.NAME] table in the config (it has "
                         f"{', '.join(sorted(in_config))})", path=config.path, key="queues")
    if in_config - in_data:
        raise InputError(f"the config's queue(s) {', '.join(sorted(in_config - in_data))} "
                         f"are not in {what} (it has {', '.join(sorted(in_data))})",
                         path=config.path, key="queues")


def staff(volumes: pd.DataFrame, regime: pd.Series, profile: pd.DataFrame, config: PlanConfig,
          deflected: pd.Series | None = None, aht_scale: float = 1.0
          ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """From daily volumes to agents per interval and FTE per day, every queue.

    Deflection removes its share of each queue's volume first (``deflected``:
    per queue, or per date and queue, :func:`staffing.workload.deflect`); Tier 2
    receives the escalation share of what remains. ``aht_scale`` multiplies
    every AHT (for sensitivity).

    Parameters
    ----------
    volumes : DataFrame
        ``date, queue, volume`` [contacts/day] (:func:`planned_volume`).
    regime : Series
        Each date's regime, indexed by date.

    Returns
    -------
    intervals, daily : DataFrame
        :func:`staffing.requirements.interval_requirements` of every queue, and
        :func:`staffing.requirements.daily_requirements` on the full date grid
        with each day's ``regime``.
    """
    st, queues = config.staffing, config.all_queues
    split = interval_volumes(volumes, profile, config, deflected)
    intervals = pd.concat(
        [interval_requirements(split[split["queue"] == q.target.queue],
                               replace(q.target, aht_s=q.target.aht_s * aht_scale),
                               st.interval_min) for q in queues], ignore_index=True)
    daily = daily_requirements(intervals, st.interval_min, st.paid_hours_per_fte_day)
    grid = pd.MultiIndex.from_product([pd.DatetimeIndex(regime.index),
                                       [q.target.queue for q in queues]], names=["date", "queue"])
    daily = daily.set_index(["date", "queue"]).reindex(grid).fillna(0.0).reset_index()
    daily["regime"] = daily["date"].map(regime)
    return intervals, daily[["date", "queue", "volume", "agent_hours", "required_fte", "regime"]]


def intraday_profile(tickets: pd.DataFrame | None, history: pd.DataFrame, days: pd.DataFrame,
                     config: PlanConfig) -> pd.DataFrame:
    """The intraday profile of every first-line queue, as :func:`run_plan` builds it.

    Learned from ``tickets`` with event and outlier days left out
    (:func:`forecast.events.unusual_days`); a queue without tickets takes its
    channel's default shape (:func:`forecast.intraday.queue_profiles`).
    """
    return queue_profiles(tickets, {q.target.queue: q.target.channel for q in config.queues},
                          config.staffing.interval_min,
                          unusual_days(history, days) if tickets is not None else ())


def run_plan(history: pd.DataFrame, promos: pd.DataFrame | None, config: PlanConfig,
             tickets: pd.DataFrame | None = None,
             on_stage: Callable[[str], None] | None = None,
             forecast: pd.DataFrame | None = None,
             as_of: pd.Timestamp | None = None, sensitivity: bool = True,
             n_jobs: int = 1, scheduler: str | None = None) -> PlanResult:
    """Forecast, staff, plan and cost, from loaded and validated inputs.

    Parameters
    ----------
    history : DataFrame
        :func:`forecast.io.read_ticket_history` output, either form.
    promos : DataFrame or None
        :func:`calendars.io.read_promo_calendar` output.
    config : PlanConfig
    tickets : DataFrame, optional
        A ticket-level export for the intraday profile; the history itself
        when it is ticket-level; else the default per-channel profiles.
    on_stage : callable, optional
        Called with each stage's name as it starts (for progress display).
    forecast : DataFrame, optional
        A forecast to plan on instead of making one
        (:func:`surgeplan.io.read_forecast`: the planner's edited
        ``forecast.csv``); its first date is the planning date and its days
        the horizon. Regimes and events come from the calendar.
    as_of : Timestamp, optional
        Plan as if on this date: only the history (and tickets) before it is
        used. Default: the day after the last day of history.
    sensitivity : bool
        Cost the ``[sensitivity]`` cases (False leaves ``sensitivity``
        empty: a backtest needs only the plan).
    n_jobs, scheduler
        Where the queues' forecasts run (:func:`forecast.models.forecast_queues`):
        processes, or a Dask scheduler (``"local"`` or ``"tcp://host:8786"``).
    """
    stage = on_stage or (lambda name: None)
    business, horizon_days = config.business, config.forecast.horizon_days
    if as_of is not None:
        history, tickets = history_until(history, tickets, as_of, config)
    daily_history = daily_volume(history)
    check_queues(daily_history, config)
    if forecast is not None:
        check_queues(forecast, config, "the forecast")
        as_of, horizon_days = forecast["date"].min(), forecast["date"].nunique()
        config = replace(config, forecast=replace(config.forecast, horizon_days=horizon_days))
    else:
        as_of = daily_history["date"].max() + pd.Timedelta(days=1)
    days = all_event_days(promos, business.countries, daily_history["date"].min(),
                          as_of + pd.Timedelta(days=horizon_days - 1),
                          business.holiday_window_days)

    stage("forecast")
    if forecast is None:
        forecast = forecast_queues(daily_history, days, horizon_days, config.forecast.model,
                                   n_jobs=n_jobs, scheduler=scheduler)
    else:
        forecast = given_forecast(forecast, days)
    uplifts = uplift_table(daily_history, days, forecast["date"].min())
    plan_end = forecast["date"].max()
    kinds = day_types(days, pd.date_range(daily_history["date"].min(), plan_end, freq="D"))
    mix = category_mix(history, day_type=kinds)
    profile = intraday_profile(tickets if tickets is not None else
                               (history if "created_at" in history.columns else None),
                               daily_history, days, config)

    stage("staffing")
    regime = forecast.drop_duplicates("date").set_index("date")["regime"]
    volumes = planned_volume(forecast, config)
    forecast = forecast.assign(volume_plan=volumes["volume"].to_numpy())
    shares = (shares_per_day(deflection_shares(mix, config.deflection_rates),
                             kinds[kinds.index >= as_of]) if config.deflection_rates else None)
    intervals, daily = staff(volumes, regime, profile, config, shares)
    roster = None
    if config.shifts.enabled:
        roster = schedule_shifts(intervals, config)
        daily = scheduled_daily(daily, roster.fte)

    stage("plan and costs")
    core_daily = None
    if config.forecast.plan_on == "cost":  # the buffer is bought flexibly, not as headcount
        core_daily = staff(planned_volume(forecast, config, "p50"), regime, profile, config,
                           shares)[1]
        if roster is not None:
            core_daily = daily  # a roster's shifts are what the core is sized on
    chosen = sourcing(daily, intervals, config, as_of, days, core_daily)
    hiring = hire(daily, chosen, config, as_of) if config.hiring.rules is not None else None

    stage("sensitivity")
    staffed = partial(staff, regime=regime, profile=profile, config=config)
    costed = (_sensitivity(forecast, volumes, daily, chosen, config, staffed, shares)
              if sensitivity else pd.DataFrame(columns=SENSITIVITY_COLUMNS))

    stage("deflection and summary")
    saved = pd.DataFrame(columns=DEFLECTION_COLUMNS)
    if shares is not None:
        saved = deflection_savings(shares, volumes, daily, staffed(volumes, deflected=None)[1],
                                   config.staffing.paid_hours_per_fte_day,
                                   next((s.hourly_cost for s in config.sources if s.inhouse), 0.0))
    wfm = wfm_intervals(intervals, *(interval_volumes(planned_volume(forecast, config, q), profile,
                                                      config, shares) for q in ("p50", "p90")),
                        {q.target.queue: q.target.aht_s for q in config.all_queues},
                        config.staffing.interval_min)
    paid_hours = config.staffing.paid_hours_per_fte_day
    summary = summarise(config, daily, forecast, uplifts, days, profile, as_of, chosen)
    return PlanResult(as_of=as_of, history=daily_history, days=days, forecast=forecast,
                      uplifts=uplifts, category_mix=mix, intervals=intervals, daily=daily,
                      core=chosen.core, core_curve=chosen.core_curve, plan=chosen.plan,
                      allocation=chosen.allocation, windows=chosen.windows, costs=chosen.costs,
                      costs_monthly=chosen.costs_monthly, sensitivity=costed,
                      deflection=saved, profile=profile, wfm=wfm, roster=roster, hiring=hiring,
                      weekly=rollup(chosen.plan, chosen.allocation, "week", paid_hours),
                      monthly=rollup(chosen.plan, chosen.allocation, "month", paid_hours),
                      summary=summary, config=config)


def _sensitivity(forecast, volumes, daily, chosen, config, staffed, shares) -> pd.DataFrame:
    """The ``[sensitivity]`` cases costed: partner rates, AHT, the other volume quantile."""
    cases = [(partner_cost_case(f), daily, with_partner_cost(chosen.inputs, f))
             for f in config.sensitivity.partner_cost]
    cases += [(aht_case(f), staffed(volumes, deflected=shares, aht_scale=f)[1], chosen.inputs)
              for f in config.sensitivity.aht]
    if config.sensitivity.other_quantile:
        other = "p90" if config.forecast.plan_on == "p50" else "p50"  # from cost or p90: P50
        cases.append((quantile_case(other), staffed(planned_volume(forecast, config, other),
                                                    deflected=shares)[1], chosen.inputs))
    return sensitivity_costs(chosen.costs, cases, chosen.scenarios)


def sourcing(daily: pd.DataFrame, intervals: pd.DataFrame, config: PlanConfig,
             as_of: pd.Timestamp, days: pd.DataFrame | None = None,
             core_daily: pd.DataFrame | None = None) -> Sourcing:
    """Size the core, fill overflow by source, group windows and cost the scenarios.

    Parameters
    ----------
    daily : DataFrame
        ``date, queue, volume, required_fte, regime`` (:func:`staff`).
    intervals : DataFrame
        The interval requirements behind ``daily`` (for partner hours).
    config : PlanConfig
    as_of : Timestamp
        The planning date.
    days : DataFrame, optional
        Event days, to name what each window covers.
    core_daily : DataFrame, optional
        The requirement a percentile, fixed or peak core is sized on, when not
        ``daily`` (a plan staffing a quantile above P50 sizes its standing
        core on the P50 requirement and buys the buffer flexibly).
    """
    tier2 = config.escalation.queue if config.escalation else None
    inputs = cost_inputs(
        intervals, config.sources, config.coverage_hours, as_of,
        config.staffing.paid_hours_per_fte_day,
        partner_queues=tuple(q.target.queue for q in config.queues) if tier2 else None,
        tier2_hours=tier2.open_hours if tier2 else None,
        escalation_share=config.escalation.share if tier2 else 0.0,
        merge_gap_days=config.plan.merge_gap_days, min_window_fte=config.plan.min_window_fte)
    inhouse = next((s.name for s in inputs.sources if s.inhouse), None)
    partners = tuple(s.name for s in inputs.sources if not s.inhouse)
    given = config.core.policy
    if inhouse is None:  # no team of our own: no core, partners and shortfall only
        core, curve = pd.Series(0.0, index=sorted(daily["queue"].unique())), pd.DataFrame()
    elif given.method == "optimal":
        core, curve = optimal_core(daily, Scenario(RECOMMENDED, inhouse, given, partners), inputs,
                                   config.core.optimal_step_fte)
    else:
        core, curve = core_fte(daily if core_daily is None else core_daily, given), pd.DataFrame()
    policy = CorePolicy("fixed", fixed_fte=core.to_dict(),
                        overtime_fraction=given.overtime_fraction,
                        overtime_premium=given.overtime_premium)
    recommended = Scenario(RECOMMENDED, inhouse, policy, partners)
    _, plan, allocation, windows = plan_scenario(daily, recommended, inputs, core=core, days=days)
    plan = plan.assign(expected_sl=plan_expected_sl(
        plan, intervals, [q.target for q in config.all_queues],
        config.staffing.interval_min).to_numpy())
    scenarios = [recommended] + standard_scenarios(
        list(inputs.sources), policy,
        {tier2.target.queue: float(core.get(tier2.target.queue, 0.0))} if tier2 else None)
    costs, monthly = scenario_costs(daily, scenarios, inputs)
    return Sourcing(inputs=inputs, core=core, core_curve=curve, plan=plan, allocation=allocation,
                    windows=windows, scenarios=scenarios, costs=costs, costs_monthly=monthly)

"""The plan, stage by stage: one pure function from loaded inputs to every output frame."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from calendars.events import event_days, holiday_events, holiday_windows, public_holidays
from forecast.events import clean_days, days_for_queue, uplift_table
from forecast.history import category_mix, daily_volume
from forecast.intraday import default_profile, distribute, interval_profile
from forecast.models import forecast_queues
from staffing.costs import CostInputs, Scenario, optimal_core, plan_scenario, scenario_costs, \
    standard_scenarios
from staffing.plan import CorePolicy, core_fte
from staffing.requirements import daily_requirements, expected_service_level, \
    interval_requirements
from staffing.workload import deflect, deflection_savings, deflection_shares, escalation_volume
from surgeplan.config import PlanConfig, QueueConfig

#: The stages ``run_plan`` reports through ``on_stage``, in order.
STAGES = ("forecast", "staffing", "plan and costs", "sensitivity")
SENSITIVITY_COLUMNS = ["case", "scenario", "total_cost", "change", "understaffed_hours"]


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
        ``queue, category, share`` over the last 8 weeks of history.
    intervals : DataFrame
        ``interval_start, queue, volume, agents, sl, asa_s, occupancy, fte``,
        after deflection, Tier 2 included.
    daily : DataFrame
        ``date, queue, volume, agent_hours, required_fte, regime``.
    core : Series
        Core FTE per queue [FTE].
    core_curve : DataFrame
        Total cost per core level and queue (``optimal`` policy only; else empty).
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
        ``case, scenario, total_cost, change, understaffed_hours``: partner
        cost +/-20%, AHT +/-10%, and the other volume quantile (P90 or P50).
    deflection : DataFrame
        FTE and cost saved per queue by deflection, against none.
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
    config: PlanConfig


def check_queues(history: pd.DataFrame, config: PlanConfig) -> None:
    """Raise ValueError unless the history's queues and the config's queues are the same."""
    in_history = set(history["queue"].unique())
    in_config = {q.target.queue for q in config.queues}
    if in_history - in_config:
        raise ValueError(f"queues: the history has queue(s) {', '.join(sorted(in_history - in_config))} "
                         f"with no [queues.NAME] table in the config (it has "
                         f"{', '.join(sorted(in_config))})")
    if in_config - in_history:
        raise ValueError(f"queues: the config's queue(s) {', '.join(sorted(in_config - in_history))} "
                         f"have no history (the history has {', '.join(sorted(in_history))})")


def all_event_days(promos: pd.DataFrame | None, countries, first: pd.Timestamp,
                   last: pd.Timestamp, holiday_window_days: int = 0) -> pd.DataFrame:
    """Promo windows and public holidays between ``first`` and ``last``, in one frame.

    With ``holiday_window_days`` > 0 the days around each holiday are event
    rows too (:func:`calendars.events.holiday_windows`).
    """
    frames = []
    if promos is not None and len(promos):
        frames.append(event_days(promos))
    if countries:
        frames.append(holiday_events(public_holidays(range(first.year - 1, last.year + 2),
                                                     countries)))
    if not frames:
        return holiday_events(public_holidays([], []))
    days = holiday_windows(pd.concat(frames, ignore_index=True), holiday_window_days)
    return days[(days["date"] >= first) & (days["date"] <= last)].reset_index(drop=True)


def all_queues(config: PlanConfig) -> list[QueueConfig]:
    """First-line queues, then Tier 2 when escalation is configured."""
    return list(config.queues) + ([config.escalation.queue] if config.escalation else [])


def staff(forecast: pd.DataFrame, profile: pd.DataFrame, config: PlanConfig,
          deflected: pd.Series | None, column: str, aht_scale: float = 1.0
          ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """From the daily forecast to agents per interval and FTE per day, every queue.

    Deflection removes its share of each queue's ``column`` volume first; Tier 2
    receives the escalation share of what remains. ``aht_scale`` multiplies
    every AHT (for sensitivity).

    Returns
    -------
    intervals, daily : DataFrame
        :func:`staffing.requirements.interval_requirements` of every queue, and
        :func:`staffing.requirements.daily_requirements` on the full date grid
        with each day's ``regime``.
    """
    volumes = forecast[["date", "queue", column]]
    if deflected is not None:
        volumes = deflect(volumes, deflected, [column])
    queues = all_queues(config)
    if config.escalation:
        tier2 = config.escalation.queue.target.queue
        volumes = pd.concat([volumes, escalation_volume(volumes, config.escalation.share, tier2,
                                                        column)], ignore_index=True)
        profile = pd.concat([profile, default_profile({tier2: "email"}, config.interval_min)],
                            ignore_index=True)
    split = distribute(volumes, profile, config.interval_min, config.timezone,
                       {q.target.queue: q.open_hours for q in queues}, column=column)
    intervals = pd.concat(
        [interval_requirements(split[split["queue"] == q.target.queue],
                               replace(q.target, aht_s=q.target.aht_s * aht_scale),
                               config.interval_min) for q in queues], ignore_index=True)
    daily = daily_requirements(intervals, config.interval_min, config.paid_hours_per_fte_day)
    regime = forecast.drop_duplicates("date").set_index("date")["regime"]
    grid = pd.MultiIndex.from_product([pd.DatetimeIndex(regime.index),
                                       [q.target.queue for q in queues]], names=["date", "queue"])
    daily = daily.set_index(["date", "queue"]).reindex(grid).fillna(0.0).reset_index()
    daily["regime"] = daily["date"].map(regime)
    return intervals, daily[["date", "queue", "volume", "agent_hours", "required_fte", "regime"]]


def run_plan(history: pd.DataFrame, promos: pd.DataFrame | None, config: PlanConfig,
             tickets: pd.DataFrame | None = None,
             on_stage: Callable[[str], None] | None = None) -> PlanResult:
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
    """
    stage = on_stage or (lambda name: None)
    daily_history = daily_volume(history)
    check_queues(daily_history, config)
    as_of = daily_history["date"].max() + pd.Timedelta(days=1)
    horizon_end = as_of + pd.Timedelta(days=config.horizon_days - 1)
    days = all_event_days(promos, config.countries, daily_history["date"].min(), horizon_end,
                          config.holiday_window_days)

    stage("forecast")
    forecast = forecast_queues(daily_history, days, config.horizon_days, config.model)
    uplifts = uplift_table(daily_history, days, forecast["date"].min())
    mix = category_mix(history)
    profile = intraday_profile(tickets if tickets is not None else
                       (history if "created_at" in history.columns else None),
                       daily_history, days, config)

    stage("staffing")
    column = f"volume_{config.plan_on}"
    shares = deflection_shares(mix, config.deflection_rates) if config.deflection_rates else None
    intervals, daily = staff(forecast, profile, config, shares, column)

    stage("plan and costs")
    chosen = sourcing(daily, intervals, config, as_of, days)
    costs = chosen.costs
    stage("sensitivity")
    sensitivity = _sensitivity(forecast, profile, config, shares, column, daily,
                               chosen.scenarios, chosen.inputs, costs)
    saved = pd.DataFrame(columns=["queue", "deflected_share", "contacts_deflected",
                                  "fte_days_saved", "cost_saved"])
    if shares is not None:
        _, undeflected = staff(forecast, profile, config, None, column)
        saved = deflection_savings(shares, forecast, daily, undeflected, column,
                                   config.paid_hours_per_fte_day, _inhouse_rate(config))
    return PlanResult(as_of=as_of, history=daily_history, days=days, forecast=forecast,
                      uplifts=uplifts, category_mix=mix, intervals=intervals, daily=daily,
                      core=chosen.core, core_curve=chosen.core_curve, plan=chosen.plan,
                      allocation=chosen.allocation, windows=chosen.windows, costs=costs,
                      costs_monthly=chosen.costs_monthly, sensitivity=sensitivity,
                      deflection=saved, config=config)


def _inhouse_rate(config: PlanConfig) -> float:
    return next((s.hourly_cost for s in config.sources if s.inhouse), 0.0)


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
        The optimal policy's cost curve (else empty).
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


def sourcing(daily: pd.DataFrame, intervals: pd.DataFrame, config: PlanConfig,
             as_of: pd.Timestamp, days: pd.DataFrame | None = None) -> Sourcing:
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
    """
    inputs = _cost_inputs(intervals, config, as_of)
    inhouse = next((s.name for s in inputs.sources if s.inhouse), None)
    partners = tuple(s.name for s in inputs.sources if not s.inhouse)
    if config.core.method == "optimal":
        core, curve = optimal_core(daily, Scenario("plan", inhouse, config.core, partners),
                                   inputs, config.optimal_step_fte)
    else:
        core, curve = core_fte(daily, config.core), pd.DataFrame()
    policy = CorePolicy("fixed", fixed_fte=core.to_dict(),
                        overtime_fraction=config.core.overtime_fraction,
                        overtime_premium=config.core.overtime_premium)
    _, plan, allocation, windows = plan_scenario(daily, Scenario("plan", inhouse, policy, partners),
                                                 inputs, core=core, days=days)
    plan = plan.assign(expected_sl=_expected_sl(plan, intervals, config).to_numpy())
    tier2 = config.escalation.queue.target.queue if config.escalation else None
    scenarios = standard_scenarios(list(inputs.sources), policy,
                                   {tier2: float(core.get(tier2, 0.0))} if tier2 else None)
    costs, monthly = scenario_costs(daily, scenarios, inputs)
    return Sourcing(inputs=inputs, core=core, core_curve=curve, plan=plan, allocation=allocation,
                    windows=windows, scenarios=scenarios, costs=costs, costs_monthly=monthly)


def intraday_profile(tickets: pd.DataFrame | None, history: pd.DataFrame, days: pd.DataFrame,
                     config: PlanConfig) -> pd.DataFrame:
    """The intraday profile of every configured queue, as ``run_plan`` builds it.

    Learned from ``tickets`` (promo days and outlier days left out) where a
    queue has tickets; the channel's default shape elsewhere or with no tickets.
    """
    channels = {q.target.queue: q.target.channel for q in config.queues}
    if tickets is None:
        return default_profile(channels, config.interval_min)
    learned = interval_profile(tickets, config.interval_min,
                               exclude_dates=_unusual_days(history, days))
    learned = learned[learned["queue"].isin(channels)]
    missing = {q: c for q, c in channels.items() if q not in set(learned["queue"])}
    if not missing:
        return learned.reset_index(drop=True)
    return pd.concat([learned, default_profile(missing, config.interval_min)], ignore_index=True)


def _cost_inputs(intervals: pd.DataFrame, config: PlanConfig, as_of: pd.Timestamp) -> CostInputs:
    """Sources (Tier 2 kept in-house), coverage shares and after-hours shares from the intervals."""
    first_line = tuple(q.target.queue for q in config.queues)
    sources = tuple(replace(s, queues=s.queues or first_line) if config.escalation else s
                    for s in config.sources)
    local = intervals["interval_start"].dt.tz_localize(None)
    weekday = local.dt.day_of_week.to_numpy()
    minute = (local.dt.hour * 60 + local.dt.minute).to_numpy()
    date = local.dt.normalize()
    tier2_hours = config.escalation.queue.open_hours if config.escalation else None
    coverage, after = [], []
    for source in sources:
        if source.inhouse:
            continue
        inside = config.coverage_hours[source.name].is_open(weekday, minute)
        covered = pd.Series(intervals["fte"].to_numpy() * inside)
        total = pd.Series(intervals["fte"].to_numpy())
        keys = [date, intervals["queue"]]
        share = (covered.groupby(keys).sum() / total.groupby(keys).sum().where(lambda t: t > 0)
                 ).fillna(1.0).rename("share").reset_index()
        share.columns = ["date", "queue", "share"]
        coverage.append(share.assign(source=source.name))
        if tier2_hours is not None:
            closed = inside & ~tier2_hours.is_open(weekday, minute)
            vol = intervals["volume"].to_numpy()
            by_queue = pd.Series(vol * closed).groupby(intervals["queue"]).sum() / \
                pd.Series(vol * inside).groupby(intervals["queue"]).sum().where(lambda t: t > 0)
            after.append(by_queue.fillna(0.0).rename("share").rename_axis("queue").reset_index()
                         .assign(source=source.name))
    return CostInputs(
        sources=sources, as_of=as_of, paid_hours_per_fte_day=config.paid_hours_per_fte_day,
        coverage=pd.concat(coverage, ignore_index=True) if coverage else None,
        after_hours=pd.concat(after, ignore_index=True) if after else None,
        escalation_share=config.escalation.share if config.escalation else 0.0)


def _expected_sl(plan: pd.DataFrame, intervals: pd.DataFrame, config: PlanConfig) -> pd.Series:
    """Each plan row's expected service level given its shortfall."""
    out = []
    for q in all_queues(config):
        rows = plan[plan["queue"] == q.target.queue]
        required = rows["required_fte"].to_numpy()
        with np.errstate(divide="ignore", invalid="ignore"):
            staffed = np.where(required > 0, 1.0 - rows["shortfall_fte"].to_numpy() / required, 1.0)
        sl = expected_service_level(intervals[intervals["queue"] == q.target.queue], q.target,
                                    config.interval_min,
                                    pd.Series(staffed, index=rows["date"].to_numpy()))
        out.append(pd.Series(rows["date"].map(sl).fillna(1.0).to_numpy(), index=rows.index))
    return pd.concat(out).reindex(plan.index)


def _sensitivity(forecast, profile, config, shares, column, daily, scenarios, inputs, base):
    """Scenario totals when partner cost, AHT or the volume quantile move."""
    other = "volume_p90" if column == "volume_p50" else "volume_p50"
    cases = [("base", daily, inputs)]
    for factor in (0.8, 1.2):
        cheaper = tuple(s if s.inhouse else replace(s, hourly_cost=s.hourly_cost * factor)
                        for s in inputs.sources)
        cases.append((f"partner cost x{factor:g}", daily, replace(inputs, sources=cheaper)))
    for scale in (0.9, 1.1):
        cases.append((f"AHT {scale - 1:+.0%}", staff(forecast, profile, config, shares, column,
                                                    aht_scale=scale)[1], inputs))
    cases.append((f"plan on {other[-3:].upper()}",
                  staff(forecast, profile, config, shares, other)[1], inputs))
    base_total = base.set_index("scenario")["total_cost"]
    frames = []
    for case, frame, case_inputs in cases:
        costs = base if case == "base" else scenario_costs(frame, scenarios, case_inputs)[0]
        frames.append(pd.DataFrame({
            "case": case, "scenario": costs["scenario"], "total_cost": costs["total_cost"],
            "change": costs["total_cost"].to_numpy() - base_total.reindex(costs["scenario"]).to_numpy(),
            "understaffed_hours": costs["understaffed_hours"]}))
    return pd.concat(frames, ignore_index=True)[SENSITIVITY_COLUMNS]


def _unusual_days(history: pd.DataFrame, days: pd.DataFrame) -> pd.DatetimeIndex:
    """Promo event days and any queue's outlier days: left out of the intraday profile."""
    promo = days.loc[days["type"] != "public_holiday", "date"]
    outliers = []
    for queue, one in history.groupby("queue", sort=True):
        one = one[["date", "volume"]].reset_index(drop=True)
        mine = days_for_queue(days, str(queue))
        clean = clean_days(one, mine)
        on_event_or_missing = one["date"].isin(mine["date"]) | one["volume"].isna()
        outliers.append(one.loc[~clean.to_numpy() & ~on_event_or_missing.to_numpy(), "date"])
    return pd.DatetimeIndex(pd.concat([promo, *outliers]).unique())

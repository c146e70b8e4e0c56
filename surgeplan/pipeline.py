"""The plan, stage by stage: one pure function from loaded inputs to every output frame."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from calendars.events import event_days, holiday_events, public_holidays
from forecast.events import assumed_uplifts, clean_days, learn_uplifts
from forecast.history import category_mix, daily_volume
from forecast.intraday import default_profile, distribute, interval_profile
from forecast.models import days_for_queue, forecast_queues
from staffing.costs import scenario_costs, standard_scenarios
from staffing.plan import activation_windows, build_plan, core_fte
from staffing.requirements import daily_requirements, interval_requirements
from surgeplan.config import PlanConfig


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
        ``interval_start, queue, volume, agents, sl, asa_s, occupancy, fte``.
    daily : DataFrame
        ``date, queue, volume, agent_hours, required_fte, regime``.
    core : Series
        Core FTE per queue [FTE].
    plan : DataFrame
        ``date, queue, required_fte, core_fte, overflow_fte, source, shortfall_fte``.
    allocation : DataFrame
        ``date, queue, source, fte``: overflow per day and source.
    windows : DataFrame
        Activation windows, ``notice_by`` = start - lead time.
    costs : DataFrame
        One row per cost scenario.
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
    plan: pd.DataFrame
    allocation: pd.DataFrame
    windows: pd.DataFrame
    costs: pd.DataFrame
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
                   last: pd.Timestamp) -> pd.DataFrame:
    """Promo windows and public holidays between ``first`` and ``last``, in one frame."""
    frames = []
    if promos is not None and len(promos):
        frames.append(event_days(promos))
    if countries:
        frames.append(holiday_events(public_holidays(range(first.year, last.year + 1), countries)))
    if not frames:
        return event_days(promos.iloc[:0]) if promos is not None else holiday_events(
            public_holidays([], []))
    days = pd.concat(frames, ignore_index=True)
    return days[(days["date"] >= first) & (days["date"] <= last)].reset_index(drop=True)


def run_plan(history: pd.DataFrame, promos: pd.DataFrame | None, config: PlanConfig,
             tickets: pd.DataFrame | None = None) -> PlanResult:
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
    """
    daily_history = daily_volume(history)
    check_queues(daily_history, config)
    as_of = daily_history["date"].max() + pd.Timedelta(days=1)
    horizon_end = as_of + pd.Timedelta(days=config.horizon_days - 1)
    days = all_event_days(promos, config.countries, daily_history["date"].min(), horizon_end)

    forecast = forecast_queues(daily_history, days, config.horizon_days, config.model)
    uplifts = _uplift_table(daily_history, days, forecast)

    channels = {q.target.queue: q.target.channel for q in config.queues}
    if tickets is None and "created_at" in history.columns:
        tickets = history
    if tickets is not None:
        learned = interval_profile(tickets, config.interval_min,
                                   exclude_dates=_unusual_days(daily_history, days))
        fallback = default_profile({q: c for q, c in channels.items()
                                    if q not in set(learned["queue"])}, config.interval_min) \
            if set(channels) - set(learned["queue"]) else learned.iloc[:0]
        profile = pd.concat([learned[learned["queue"].isin(channels)], fallback],
                            ignore_index=True)
    else:
        profile = default_profile(channels, config.interval_min)
    volumes = distribute(forecast, profile, config.interval_min, config.timezone,
                         {q.target.queue: q.open_hours for q in config.queues},
                         column=f"volume_{config.plan_on}")

    intervals = pd.concat(
        [interval_requirements(volumes[volumes["queue"] == q.target.queue], q.target,
                               config.interval_min) for q in config.queues],
        ignore_index=True)
    daily = daily_requirements(intervals, config.interval_min, config.paid_hours_per_fte_day)
    daily = _complete_days(daily, forecast)

    core = core_fte(daily, config.core)
    sources = list(config.sources)
    plan, allocation = build_plan(daily, core, sources, as_of, config.core.overtime_fraction)
    windows = activation_windows(allocation, sources, days)
    costs = scenario_costs(daily, sources, standard_scenarios(sources, config.core), as_of,
                           config.paid_hours_per_fte_day)
    return PlanResult(as_of=as_of, history=daily_history, days=days, forecast=forecast,
                      uplifts=uplifts, category_mix=category_mix(history), intervals=intervals,
                      daily=daily, core=core, plan=plan, allocation=allocation, windows=windows,
                      costs=costs, config=config)


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


def _complete_days(daily: pd.DataFrame, forecast: pd.DataFrame) -> pd.DataFrame:
    """Every forecast day and queue, with zero requirement on days with no open interval."""
    grid = forecast[["date", "queue", "regime"]]
    out = grid.merge(daily, on=["date", "queue"], how="left")
    out[["volume", "agent_hours", "required_fte"]] = out[
        ["volume", "agent_hours", "required_fte"]].fillna(0.0)
    return out[["date", "queue", "volume", "agent_hours", "required_fte", "regime"]]


def _uplift_table(history: pd.DataFrame, days: pd.DataFrame, forecast: pd.DataFrame) -> pd.DataFrame:
    """Learned multipliers per queue, plus the assumed ones that apply in the horizon."""
    frames = []
    ahead = days[days["date"] >= forecast["date"].min()]
    for queue, one in history.groupby("queue", sort=True):
        one = one[["date", "volume"]].reset_index(drop=True)
        mine = days_for_queue(days, str(queue))
        learned = learn_uplifts(one, mine, clean_days(one, mine)).assign(queue=queue)
        assumed = assumed_uplifts(days_for_queue(ahead, str(queue)), learned)
        assumed = assumed.assign(queue=queue, phase="event", offset_days=0, log_sd=float("nan"),
                                 n_occurrences=0)
        frames += [learned, assumed]
    table = pd.concat(frames, ignore_index=True)
    columns = ["queue", "type", "name", "phase", "offset_days", "multiplier", "log_sd",
               "n_occurrences", "source"]
    return table[columns]

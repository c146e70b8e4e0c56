"""What the plan staffs: the volume chosen from the forecast, split into intervals.

The forecast quantile (``plan_on``; ``cost`` prices an understaffed hour
against an idle one), a forecast from a file, the history before a planning
date, and each queue's contacts per interval (deflected, Tier 2 added).
"""
from __future__ import annotations

import pandas as pd

from calendars.errors import InputError
from calendars.events import event_labels, regime_per_day
from forecast.events import days_for_queue
from forecast.history import daily_volume, history_before
from forecast.intraday import default_profile, distribute
from forecast.models import FORECAST_COLUMNS
from forecast.quantiles import cost_quantile, volume_quantile
from staffing.workload import deflect, escalation_volume
from surgeplan.config import PlanConfig


def staffing_quantile(config: PlanConfig) -> float | None:
    """The forecast quantile ``plan_on = "cost"`` staffs; None for ``p50``/``p90``.

    The newsvendor's ratio (:func:`forecast.quantiles.cost_quantile`) of an
    understaffed FTE-hour, priced ``[plan] miss_cost_ratio`` x the in-house
    rate, against an idle one: the cheapest flexible hour of work (a
    partner's, at its flexible rate and work factor) or, with no partner,
    an in-house overtime hour.
    """
    if config.forecast.plan_on != "cost":
        return None
    inhouse = next((s for s in config.sources if s.inhouse), None)
    partners = [s for s in config.sources if not s.inhouse]
    premium = config.core.policy.overtime_premium
    idle = min([s.surge_cost_per_work_hour for s in partners]
               or [inhouse.hourly_cost * premium if inhouse else 1.0])
    reference = inhouse.hourly_cost if inhouse else idle
    if not idle > 0 or not reference > 0:
        return 0.5
    return cost_quantile(config.plan.miss_cost_ratio * reference, idle)


def planned_volume(forecast: pd.DataFrame, config: PlanConfig, quantile: str | None = None
                   ) -> pd.DataFrame:
    """``date, queue, volume``: what the plan staffs (``plan_on``, or ``quantile`` if given).

    ``p50`` and ``p90`` are the forecast's columns; ``cost`` each day's
    :func:`staffing_quantile` of its forecast (:func:`forecast.quantiles.volume_quantile`):
    a day with a wider band (an event) gets a larger buffer over its P50.
    """
    chosen = quantile or config.forecast.plan_on
    if chosen == "cost":
        volume = volume_quantile(forecast["volume_p10"], forecast["volume_p50"],
                                 forecast["volume_p90"], staffing_quantile(config))
        return pd.DataFrame({"date": forecast["date"], "queue": forecast["queue"],
                             "volume": volume})
    column = f"volume_{chosen}"
    return forecast[["date", "queue", column]].rename(columns={column: "volume"})


def interval_volumes(volumes: pd.DataFrame, profile: pd.DataFrame, config: PlanConfig,
                     deflected: pd.Series | None) -> pd.DataFrame:
    """Each queue's contacts per open interval: deflected, Tier 2 added, split by the profile.

    Returns
    -------
    DataFrame
        ``interval_start, queue, volume`` [contacts/interval]
        (:func:`forecast.intraday.distribute`), Tier 2 included.
    """
    st = config.staffing
    if deflected is not None:
        volumes = deflect(volumes, deflected)
    if config.escalation:
        tier2 = config.escalation.queue.target.queue
        volumes = pd.concat([volumes, escalation_volume(volumes, config.escalation.share, tier2)],
                            ignore_index=True)
        profile = pd.concat([profile, default_profile({tier2: "email"}, st.interval_min)],
                            ignore_index=True)
    return distribute(volumes, profile, st.interval_min, config.business.timezone,
                      {q.target.queue: q.open_hours for q in config.all_queues},
                      carry_closed=frozenset(q.target.queue for q in config.all_queues
                                             if q.target.is_async))


def history_until(history: pd.DataFrame, tickets: pd.DataFrame | None, as_of: pd.Timestamp,
            config: PlanConfig) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """The history and tickets before ``as_of``; InputError if it leaves a gap or nothing."""
    full = daily_volume(history)
    last = full["date"].max()
    if pd.Timestamp(as_of) > last + pd.Timedelta(days=1):
        raise InputError(f"--as-of {as_of:%Y-%m-%d} is after the history, which ends on "
                         f"{last:%Y-%m-%d}; the latest planning date is the day after it",
                         path=config.data.history)
    earlier = history_before(history, as_of)
    if earlier.empty:
        raise InputError(f"--as-of {as_of:%Y-%m-%d}: the history starts on "
                         f"{full['date'].min():%Y-%m-%d}; there is nothing before the planning "
                         "date to forecast from", path=config.data.history)
    tickets = None if tickets is None else history_before(tickets, as_of)
    return earlier, None if tickets is None or tickets.empty else tickets


def given_forecast(forecast: pd.DataFrame, days: pd.DataFrame) -> pd.DataFrame:
    """A forecast from a file, with each day's ``regime`` and ``events`` from the calendar."""
    out = forecast.drop(columns=["regime", "events"], errors="ignore")
    parts = []
    for queue, one in out.groupby("queue", sort=True):
        dates = pd.DatetimeIndex(one["date"])
        mine = days_for_queue(days, str(queue))
        parts.append(one.assign(regime=regime_per_day(mine, dates).to_numpy(),
                                events=event_labels(mine, dates).to_numpy()))
    return pd.concat(parts, ignore_index=True)[FORECAST_COLUMNS]

"""A way out for a queue no partner may serve (Tier 2): what a planner would do, costed.

When an in-house-only queue is short, the plan cannot call a partner. This
module prices the three moves a planner has: more overtime on the short
days, a temporary in-house uplift hired ahead (within the in-house lead
time), and letting a partner take the queue's work (a contract change).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from staffing.plan import SHORTFALL_TOLERANCE_FTE
from staffing.sources import Source

OPTION_COLUMNS = ["queue", "option", "fte", "start", "end", "decide_by", "cost",
                  "fte_days_covered", "fte_days_left"]
#: The most overtime a core can stretch to on a short day, as a share of its size: half a
#: shift more, a week or two at most [fraction].
STRETCH_FRACTION = 0.5
#: A temporary uplift covers this quantile of the daily shortfall over its span.
UPLIFT_QUANTILE = 0.9


def way_out(plan: pd.DataFrame, queue: str, inhouse: Source, partners: list[Source],
            as_of: pd.Timestamp, paid_hours_per_fte_day: float = 8.0,
            overtime_premium: float = 1.5) -> pd.DataFrame:
    """The ways to cover an in-house-only queue's shortfall, each costed.

    Parameters
    ----------
    plan : DataFrame
        :func:`staffing.plan.build_plan`'s plan (``date, queue, core_fte,
        overtime_fte, shortfall_fte``).
    queue : str
        The queue no partner may serve.
    inhouse : Source
        The in-house source (its rate and lead time to hire).
    partners : list of Source
        Partners that could take the queue's work if the contract allowed it.
    as_of : Timestamp
        The planning date.
    paid_hours_per_fte_day, overtime_premium : float
        [h] and [ratio].

    Returns
    -------
    DataFrame
        :data:`OPTION_COLUMNS`, one row per option, in the order
        ``overtime``, ``temporary hire``, ``partner NAME``: ``fte`` the
        extra FTE on a short day (the most), ``start``..``end`` the days it
        runs, ``decide_by`` the last day to decide it (start - lead time),
        ``cost`` [currency], the shortfall it covers and the shortfall left
        [FTE-days]. Empty when the queue is not short.

    Notes
    -----
    Overtime stretches the core by up to :data:`STRETCH_FRACTION` of its
    size on each short day, beyond the plan's overtime, at the premium. A
    temporary hire is one in-house uplift from the first day the in-house
    lead time allows to the last short day, sized to the
    :data:`UPLIFT_QUANTILE` of the daily shortfall there, paid every day.
    A partner takes the shortfall on the days its lead time allows, at its
    flexible rate and work factor, with one activation fee per run of
    consecutive days.
    """
    rows = plan[plan["queue"] == queue].sort_values("date")
    short = rows["shortfall_fte"].to_numpy(float)
    at_risk = short > SHORTFALL_TOLERANCE_FTE
    if not at_risk.any():
        return pd.DataFrame(columns=OPTION_COLUMNS)
    dates = pd.DatetimeIndex(rows["date"])
    total = float(short[at_risk].sum())
    hours, rate = paid_hours_per_fte_day, inhouse.hourly_cost
    first, last = dates[at_risk].min(), dates[at_risk].max()
    out = []

    # overtime: the core stretched on the short days
    room = np.maximum(rows["core_fte"].to_numpy(float) * STRETCH_FRACTION
                      - rows["overtime_fte"].to_numpy(float), 0.0)
    extra = np.where(at_risk, np.minimum(short, room), 0.0)
    out.append((queue, "overtime", float(extra.max()), first, last, pd.Timestamp(as_of),
                float(extra.sum()) * hours * rate * overtime_premium, float(extra.sum()),
                total - float(extra.sum())))

    # a temporary in-house uplift, hired within the lead time
    start = max(first, pd.Timestamp(as_of) + pd.Timedelta(days=inhouse.lead_time_days))
    span = (dates >= start) & (dates <= last)
    if span.any() and (short[span] > SHORTFALL_TOLERANCE_FTE).any():
        level = float(np.quantile(short[span & at_risk], UPLIFT_QUANTILE))
        covered = float(np.minimum(short[span], level).sum())
        out.append((queue, "temporary hire", level, start, last,
                    start - pd.Timedelta(days=inhouse.lead_time_days),
                    level * int(span.sum()) * hours * rate, covered, total - covered))
    else:
        out.append((queue, "temporary hire", 0.0, start, last,
                    start - pd.Timedelta(days=inhouse.lead_time_days), 0.0, 0.0, total))

    # a partner allowed to take the queue's work
    for partner in partners:
        ready = pd.Timestamp(as_of) + pd.Timedelta(days=partner.lead_time_days)
        can = at_risk & (dates >= ready)
        take = np.where(can, np.minimum(short, partner.max_fte / partner.work_factor), 0.0)
        runs = int(np.sum(np.diff(np.concatenate([[0], can.astype(int)])) == 1))
        cost = float(take.sum()) * partner.work_factor * hours * partner.hourly_cost \
            * partner.surge_cost_ratio + runs * partner.activation_cost
        start_p = dates[can].min() if can.any() else ready
        out.append((queue, f"partner {partner.name}", float(take.max()), start_p, last,
                    start_p - pd.Timedelta(days=partner.lead_time_days), cost,
                    float(take.sum()), total - float(take.sum())))
    return pd.DataFrame(out, columns=OPTION_COLUMNS)

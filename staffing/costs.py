"""Cost scenarios: what each sourcing choice costs over the plan's horizon."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from staffing.plan import CorePolicy, Source, activation_windows, build_plan, core_fte

COST_COLUMNS = ["scenario", "core_source", "overflow_sources", "core_fte", "core_cost",
                "overtime_cost", "overflow_cost", "activation_cost", "total_cost", "cost_per_ticket",
                "understaffed_hours", "idle_hours"]


@dataclass(frozen=True)
class Scenario:
    """A sourcing choice to cost.

    Parameters
    ----------
    name : str
    core_source : str or None
        The source paid for the core every day; None for no core.
    core_policy : CorePolicy
        How big the core is.
    overflow_sources : tuple of str
        Sources that may fill the requirement above core.
    steady_state : bool
        True when the sources are the standing team rather than a call-off
        partner: lead times do not apply (the contract is assumed in place).
    """

    name: str
    core_source: str | None
    core_policy: CorePolicy
    overflow_sources: tuple[str, ...] = ()
    steady_state: bool = False


def standard_scenarios(sources: list[Source], policy: CorePolicy) -> list[Scenario]:
    """All in-house sized for the peak; in-house core plus each partner's overflow; all with each partner.

    The in-house source is the first one marked ``inhouse``; partners are the others.
    """
    inhouse = next((s.name for s in sources if s.inhouse), None)
    partners = [s.name for s in sources if not s.inhouse]
    out = []
    if inhouse:
        out.append(Scenario("all in-house (sized for peak)", inhouse, CorePolicy("peak")))
        out += [Scenario(f"in-house core + {p} overflow", inhouse, policy, (p,)) for p in partners]
    out += [Scenario(f"all {p}", None, CorePolicy("fixed"), (p,), steady_state=True)
            for p in partners]
    return out


def scenario_costs(daily: pd.DataFrame, sources: list[Source], scenarios: list[Scenario],
                   as_of: pd.Timestamp, paid_hours_per_fte_day: float = 8.0) -> pd.DataFrame:
    """Cost each scenario over the days in ``daily``.

    Parameters
    ----------
    daily : DataFrame
        ``date``, ``queue``, ``volume`` [contacts/day], ``required_fte`` [FTE]
        and ``regime``.
    sources : list of Source
    scenarios : list of Scenario
    as_of : Timestamp
        Planning date, for lead times.
    paid_hours_per_fte_day : float
        Paid hours of one FTE-day [h].

    Returns
    -------
    DataFrame
        :data:`COST_COLUMNS`. Costs [currency] over the horizon:
        ``core_cost`` = core FTE x days x paid hours x hourly cost;
        ``overtime_cost`` = overtime FTE-days x paid hours x hourly cost x premium;
        ``overflow_cost`` = overflow FTE-days x paid hours x the partner's
        hourly cost; ``activation_cost`` = windows x the partner's fixed
        cost; ``total_cost`` their sum; ``cost_per_ticket`` =
        total / contacts; ``understaffed_hours`` = FTE-hours of requirement
        nobody covers [h]; ``idle_hours`` = paid core hours above the
        requirement [h].
    """
    by_name = {s.name: s for s in sources}
    n_days = daily["date"].nunique()
    contacts = float(daily["volume"].sum())
    rows = []
    for scenario in scenarios:
        if scenario.core_source is None:
            core = pd.Series(0.0, index=sorted(daily["queue"].unique()))
        else:
            core = core_fte(daily, scenario.core_policy)
        partners = [by_name[n] for n in scenario.overflow_sources]
        if scenario.steady_state:
            partners = [Source(**{**p.__dict__, "lead_time_days": 0}) for p in partners]
        overtime_fraction = scenario.core_policy.overtime_fraction if scenario.core_source else 0.0
        plan, allocation = build_plan(daily, core, partners, as_of, overtime_fraction)
        core_rate = by_name[scenario.core_source].hourly_cost if scenario.core_source else 0.0
        core_cost = float(core.sum()) * n_days * paid_hours_per_fte_day * core_rate
        overtime_cost = (float(plan["overtime_fte"].sum()) * paid_hours_per_fte_day * core_rate
                         * scenario.core_policy.overtime_premium)
        rate = allocation["source"].map({p.name: p.hourly_cost for p in partners})
        overflow_cost = float((allocation["fte"] * rate).sum()) * paid_hours_per_fte_day
        activation = 0.0
        if not allocation.empty and not scenario.steady_state:
            windows = activation_windows(allocation, partners)
            activation = float(windows["source"].map(
                {p.name: p.activation_cost for p in partners}).sum())
        total = core_cost + overtime_cost + overflow_cost + activation
        idle = (plan["core_fte"] - plan["required_fte"]).clip(lower=0).sum()
        rows.append({
            "scenario": scenario.name, "core_source": scenario.core_source or "",
            "overflow_sources": "+".join(scenario.overflow_sources),
            "core_fte": round(float(core.sum()), 1),
            "core_cost": core_cost, "overtime_cost": overtime_cost, "overflow_cost": overflow_cost, "activation_cost": activation,
            "total_cost": total, "cost_per_ticket": total / contacts if contacts else float("nan"),
            "understaffed_hours": float(plan["shortfall_fte"].sum()) * paid_hours_per_fte_day,
            "idle_hours": float(idle) * paid_hours_per_fte_day})
    return pd.DataFrame(rows, columns=COST_COLUMNS)

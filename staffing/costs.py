"""Cost scenarios and the optimal core: what each sourcing choice costs over the plan's days."""
from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from staffing.optimal import CoreTerms, core_levels, programme_core
from staffing.plan import (CALLED, SHORTFALL_EPSILON_FTE, CorePolicy, apply_ramp, build_plan,
                           core_fte)
from staffing.sources import Source
from staffing.windows import activation_windows

#: The parts of a scenario's cost: they add up to ``total_cost``.
COST_PARTS = ["core_cost", "overtime_cost", "commitment_cost", "overflow_cost", "activation_cost"]
COST_COLUMNS = ["scenario", "core_source", "overflow_sources", "core_fte", *COST_PARTS,
                "total_cost", "monthly_cost", "cost_per_ticket", "understaffed_hours",
                "idle_hours", "escalations_waiting", "unserved_queues"]
#: The scenario of the plan recommended (core + every partner as planned): costs.csv's first row.
RECOMMENDED = "recommended"
#: A queue is unserved by a scenario that leaves at least this share of its work uncovered.
UNSERVED_SHARE = 0.5
CURVE_COLUMNS = ["queue", "core_fte", "total_cost", "shortfall_fte_days", "optimal"]
#: How :func:`optimal_core` finds the core: one programme (HiGHS), or a plan per grid level.
OPTIMAL_METHODS = ("milp", "grid")
#: Levels whose shortfall is within this of the least are equally covered [FTE-days].
SHORTFALL_TIE_FTE_DAYS = 1e-9


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
        partner: lead times and activations do not apply (the contract is
        assumed in place).
    """

    name: str
    core_source: str | None
    core_policy: CorePolicy
    overflow_sources: tuple[str, ...] = ()
    steady_state: bool = False


@dataclass(frozen=True)
class CostInputs:
    """What costing needs besides the requirement: sources, dates, hours and escalations.

    Parameters
    ----------
    sources : list of Source
    as_of : Timestamp
        Planning date, for lead times.
    paid_hours_per_fte_day : float
        Paid hours of one FTE-day [h].
    coverage : DataFrame, optional
        ``date, queue, source, share``: see :func:`staffing.plan.build_plan`.
    after_hours : DataFrame, optional
        ``queue, source, share`` [fraction]: share of a queue's contacts a
        source handles while the in-house team is closed; their escalations
        wait for the next in-house opening.
    escalation_share : float
        Share of contacts that escalate to Tier 2 [fraction].
    merge_gap_days : int
        Longest idle gap inside one activation window [days].
    min_window_fte : float
        A window whose peak stays below this is not worth a call to the
        partner: its work goes to core overtime instead (not in steady
        state, where the partner is already in place) [FTE].
    """

    sources: tuple[Source, ...]
    as_of: pd.Timestamp
    paid_hours_per_fte_day: float = 8.0
    coverage: pd.DataFrame | None = None
    after_hours: pd.DataFrame | None = None
    escalation_share: float = 0.0
    merge_gap_days: int = 2
    min_window_fte: float = 1.0


def cost_inputs(intervals: pd.DataFrame, sources: tuple[Source, ...], coverage_hours: dict,
                as_of: pd.Timestamp, paid_hours_per_fte_day: float = 8.0, *,
                partner_queues: tuple[str, ...] | None = None, tier2_hours=None,
                escalation_share: float = 0.0, merge_gap_days: int = 2,
                min_window_fte: float = 1.0) -> CostInputs:
    """Cost inputs from the interval requirement: partner hours coverage and after-hours shares.

    Parameters
    ----------
    intervals : DataFrame
        :func:`staffing.requirements.interval_requirements` of every queue
        (``interval_start`` tz-aware local, ``queue``, ``volume``, ``fte``).
    sources : tuple of Source
    coverage_hours : dict
        ``{source name: hours}``, each with ``is_open(weekday, minute)``
        (:class:`calendars.hours.OpenHours`): when the source works.
    as_of : Timestamp
        The planning date.
    paid_hours_per_fte_day : float
        [h].
    partner_queues : tuple of str, optional
        The queues a source without a queue list may serve (the first-line
        queues, when Tier 2 is in-house only); None for every queue.
    tier2_hours : optional
        Tier 2's open hours (with ``is_open``): escalations of contacts a
        partner takes while Tier 2 is closed wait for its next opening.
    escalation_share : float
        Share of contacts that escalate [fraction].
    merge_gap_days, min_window_fte
        As for :class:`CostInputs`.

    Returns
    -------
    CostInputs
        ``coverage``: per date, queue and partner, the share of the day's
        required FTE inside the partner's hours [fraction] (1 on a day with
        no requirement); ``after_hours``: per queue and partner, the share of
        the contacts inside the partner's hours that fall while Tier 2 is
        closed [fraction].
    """
    if partner_queues is not None:
        sources = tuple(replace(s, queues=s.queues or tuple(partner_queues)) for s in sources)
    intervals = intervals.reset_index(drop=True)
    local = intervals["interval_start"].dt.tz_localize(None)
    weekday = local.dt.day_of_week.to_numpy()
    minute = (local.dt.hour * 60 + local.dt.minute).to_numpy()
    keys = [local.dt.normalize(), intervals["queue"]]
    fte = intervals["fte"].to_numpy(float)
    volume = intervals["volume"].to_numpy(float)
    total = pd.Series(fte).groupby(keys).sum()
    coverage, after = [], []
    for source in sources:
        if source.inhouse:
            continue
        inside = coverage_hours[source.name].is_open(weekday, minute)
        share = (pd.Series(fte * inside).groupby(keys).sum() / total.where(total > 0)
                 ).fillna(1.0).rename("share").reset_index()
        share.columns = ["date", "queue", "share"]
        coverage.append(share.assign(source=source.name))
        if tier2_hours is not None:
            closed = inside & ~tier2_hours.is_open(weekday, minute)
            inside_volume = pd.Series(volume * inside).groupby(intervals["queue"]).sum()
            by_queue = (pd.Series(volume * closed).groupby(intervals["queue"]).sum()
                        / inside_volume.where(inside_volume > 0))
            after.append(by_queue.fillna(0.0).rename("share").rename_axis("queue").reset_index()
                         .assign(source=source.name))
    return CostInputs(
        sources=sources, as_of=as_of, paid_hours_per_fte_day=paid_hours_per_fte_day,
        coverage=pd.concat(coverage, ignore_index=True) if coverage else None,
        after_hours=pd.concat(after, ignore_index=True) if after else None,
        escalation_share=escalation_share, merge_gap_days=merge_gap_days,
        min_window_fte=min_window_fte)


def standard_scenarios(sources: list[Source], policy: CorePolicy,
                       inhouse_only: dict[str, float] | None = None) -> list[Scenario]:
    """All in-house sized for the peak; in-house core plus each partner's overflow; all with each partner.

    The in-house source is the first one marked ``inhouse``; partners are the
    others. ``inhouse_only`` maps queues no partner may serve (Tier 2) to
    their in-house core, which the all-partner scenarios keep.
    """
    inhouse = next((s.name for s in sources if s.inhouse), None)
    partners = [s.name for s in sources if not s.inhouse]
    out = []
    if inhouse:
        out.append(Scenario("all in-house (sized for peak)", inhouse, CorePolicy("peak")))
        out += [Scenario(f"in-house core + {p} overflow", inhouse, policy, (p,)) for p in partners]
    kept = dict(inhouse_only or {})
    out += [Scenario(f"all {p}", inhouse if kept else None, CorePolicy("fixed", fixed_fte=kept),
                     (p,), steady_state=True) for p in partners]
    return out


def plan_scenario(daily: pd.DataFrame, scenario: Scenario, inputs: CostInputs,
                  core: pd.Series | None = None, days: pd.DataFrame | None = None):
    """Core, plan, allocation and windows of one scenario (ramp applied).

    ``days`` (event days) only name the events a window covers.

    Returns
    -------
    tuple
        ``(core, plan, allocation, windows)`` as :func:`staffing.plan.build_plan`
        and :func:`staffing.windows.activation_windows` return them.
    """
    by_name = {s.name: s for s in inputs.sources}
    if core is None:
        queues = sorted(daily["queue"].unique())
        if scenario.core_source is None:
            core = pd.Series(0.0, index=queues)
        elif scenario.core_policy.method == "fixed":
            fixed = scenario.core_policy.fixed_fte
            core = pd.Series([float(fixed.get(q, 0.0)) for q in queues], index=queues)
        else:
            core = core_fte(daily, scenario.core_policy)
    partners = _partners(scenario, inputs)
    overtime = scenario.core_policy.overtime_fraction if scenario.core_source else 0.0
    # a standing contract (steady state) makes no call, and without a core nothing works overtime
    calls = scenario.core_source is not None and not scenario.steady_state

    def build(blocked: frozenset):
        plan, allocation = build_plan(daily, core, partners, inputs.as_of, overtime,
                                      inputs.coverage, blocked)
        plan, allocation = apply_ramp(plan, allocation, partners, inputs.merge_gap_days)
        windows = activation_windows(allocation[allocation["basis"] == CALLED], partners, days,
                                     merge_gap_days=inputs.merge_gap_days)
        small = windows[windows["peak_fte"] < inputs.min_window_fte]
        if len(small) and calls:
            drop = np.zeros(len(allocation), bool)
            for w in small.itertuples(index=False):
                drop |= ((allocation["source"] == w.source) & (allocation["date"] >= w.start)
                         & (allocation["date"] <= w.end)
                         & (allocation["basis"] == CALLED)).to_numpy()
            moved = allocation[drop].groupby(["date", "queue"])["work_fte"].sum()
            plan = _to_overtime(plan, moved, overflow=True)
            plan["source"] = _sources_used(allocation[~drop], plan)
            allocation = allocation[~drop].reset_index(drop=True)
            windows = activation_windows(allocation[allocation["basis"] == CALLED], partners,
                                         days, merge_gap_days=inputs.merge_gap_days)
        return plan, allocation, windows

    blocked: frozenset = frozenset()
    plan, allocation, windows = build(blocked)
    if calls:
        plan, allocation, windows = _drop_windows_not_worth_their_fee(
            daily, scenario, inputs, core, build, plan, allocation, windows)
    return core, plan, allocation, windows


def _partners(scenario: Scenario, inputs: CostInputs) -> list[Source]:
    """The scenario's overflow sources on its terms (a standing contract: no lead time or ramp)."""
    by_name = {s.name: s for s in inputs.sources}
    partners = [by_name[n] for n in scenario.overflow_sources]
    if scenario.steady_state:
        partners = [replace(p, lead_time_days=0, ramp=(), min_activation_days=1)
                    for p in partners]
    return partners


def _to_overtime(plan: pd.DataFrame, moved: pd.Series, overflow: bool) -> pd.DataFrame:
    """``plan`` with ``moved`` [FTE] (by date and queue) worked as core overtime.

    ``overflow``: the work comes from a partner (else from the shortfall).
    """
    key = pd.MultiIndex.from_frame(plan[["date", "queue"]])
    extra = moved.reindex(key).fillna(0.0).to_numpy()
    out = plan.assign(overtime_fte=plan["overtime_fte"] + extra)
    if overflow:
        return out.assign(overflow_fte=plan["overflow_fte"] - extra)
    short = plan["shortfall_fte"] - extra
    return out.assign(shortfall_fte=short, shortfall_reason=np.where(
        short > SHORTFALL_EPSILON_FTE, plan["shortfall_reason"], ""))


def _drop_windows_not_worth_their_fee(daily, scenario, inputs, core, build, plan, allocation,
                                      windows):
    """Drop each window whose activation fee exceeds the labour it brings, if that saves money.

    The work of a dropped window goes to the other partners called on those
    days or, where none can take it, to core overtime (only for queues with
    a core). A window is dropped only when the plan without it costs less
    and leaves no more shortfall: a fee above the labour is the trigger, the
    total cost the judge (overtime at a premium can cost more than the fee).
    """
    by_name = {s.name: s for s in inputs.sources}

    def total(plan, allocation, windows) -> float:
        parts = _cost_by_date(daily, scenario, inputs, core, plan, allocation, windows)
        return float(parts[COST_PARTS].to_numpy().sum())

    blocked: frozenset = frozenset()
    best = total(plan, allocation, windows)
    tried: set = set()
    while True:
        labour = windows["fte_days"] * inputs.paid_hours_per_fte_day * \
            windows["source"].map(lambda n: by_name[n].hourly_cost)
        fee = windows["source"].map(lambda n: by_name[n].activation_cost)
        gap = (fee - labour)[fee > labour].sort_values(ascending=False)
        candidates = [w for w in windows.loc[gap.index].itertuples(index=False)
                      if (w.source, w.start) not in tried]
        if not candidates:
            return plan, allocation, windows
        w = candidates[0]
        tried.add((w.source, w.start))
        trial = blocked | {(w.source, d) for d in pd.date_range(w.start, w.end)}
        new_plan, new_alloc, new_windows = build(trial)
        lost = (new_plan.set_index(["date", "queue"])["shortfall_fte"]
                - plan.set_index(["date", "queue"])["shortfall_fte"]).clip(lower=0.0)
        has_core = lost.index.get_level_values("queue").map(lambda q: core.get(q, 0.0) > 0)
        if (lost[~has_core] > SHORTFALL_EPSILON_FTE).any():
            continue  # a queue without a core: nothing else covers it, the window stays
        new_plan = _to_overtime(new_plan, lost[lost > SHORTFALL_EPSILON_FTE], overflow=False)
        cost = total(new_plan, new_alloc, new_windows)
        if cost < best - 1e-6 and new_plan["shortfall_fte"].sum() <= \
                plan["shortfall_fte"].sum() + SHORTFALL_EPSILON_FTE:
            blocked, best = trial, cost
            plan, allocation, windows = new_plan, new_alloc, new_windows


def _sources_used(allocation: pd.DataFrame, plan: pd.DataFrame) -> np.ndarray:
    names = allocation.groupby(["date", "queue"])["source"].agg("+".join)
    return names.reindex(pd.MultiIndex.from_frame(plan[["date", "queue"]])).fillna("").to_numpy()


def scenario_costs(daily: pd.DataFrame, scenarios: list[Scenario], inputs: CostInputs
                   ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Cost each scenario over the days in ``daily``.

    Parameters
    ----------
    daily : DataFrame
        ``date``, ``queue``, ``volume`` [contacts/day], ``required_fte`` [FTE]
        and ``regime``.
    scenarios : list of Scenario
    inputs : CostInputs

    Returns
    -------
    costs : DataFrame
        :data:`COST_COLUMNS`. Costs [currency] over the days given:
        ``core_cost`` = core FTE x days x paid hours x hourly cost;
        ``overtime_cost`` = overtime FTE-days x paid hours x hourly cost x premium;
        ``commitment_cost`` = every partner's committed FTE x days x paid
        hours x its hourly cost (paid, used or not); ``overflow_cost`` =
        partner FTE-days called above the commitment x paid hours x the
        partner's hourly cost x its surge ratio; ``activation_cost`` = windows x the partner's fixed
        cost (none in steady state); ``total_cost`` their sum;
        ``monthly_cost`` = total / days x 365.25 / 12; ``cost_per_ticket`` =
        total / contacts; ``understaffed_hours`` = FTE-hours of requirement
        nobody covers [h]; ``idle_hours`` = paid core hours above the
        requirement [h]; ``escalations_waiting`` = escalations of contacts a
        partner handles outside in-house hours [contacts]; ``unserved_queues``
        the queues (comma-joined) of which the scenario leaves at least
        :data:`UNSERVED_SHARE` of the required FTE-days uncovered.
    monthly : DataFrame
        ``scenario, month`` (``YYYY-MM``), :data:`COST_PARTS` and
        ``total_cost`` per calendar month.
    """
    rows, months = [], []
    for scenario in scenarios:
        core, plan, allocation, windows = plan_scenario(daily, scenario, inputs)
        parts = _cost_by_date(daily, scenario, inputs, core, plan, allocation, windows)
        total = parts[COST_PARTS].sum()
        contacts = float(daily["volume"].sum())
        n_days = daily["date"].nunique()
        idle = (plan["core_fte"] - plan["required_fte"]).clip(lower=0).sum()
        rows.append({
            "scenario": scenario.name, "core_source": scenario.core_source or "",
            "overflow_sources": "+".join(scenario.overflow_sources),
            "core_fte": round(float(core.sum()), 1), **total.to_dict(),
            "total_cost": float(total.sum()),
            "monthly_cost": float(total.sum()) / n_days * 365.25 / 12 if n_days else math.nan,
            "cost_per_ticket": float(total.sum()) / contacts if contacts else math.nan,
            "understaffed_hours": float(plan["shortfall_fte"].sum()) * inputs.paid_hours_per_fte_day,
            "idle_hours": float(idle) * inputs.paid_hours_per_fte_day,
            "escalations_waiting": _escalations_waiting(daily, allocation, inputs),
            "unserved_queues": ",".join(unserved_queues(plan))})
        month = parts.groupby(parts["date"].dt.strftime("%Y-%m"))[COST_PARTS].sum()
        month["total_cost"] = month.sum(axis=1)
        months.append(month.rename_axis("month").reset_index().assign(scenario=scenario.name))
    monthly = pd.concat(months, ignore_index=True) if months else pd.DataFrame()
    if len(monthly):
        monthly = monthly[["scenario", "month", *COST_PARTS, "total_cost"]]
    return pd.DataFrame(rows, columns=COST_COLUMNS), monthly


def unserved_queues(plan: pd.DataFrame) -> list[str]:
    """Queues whose shortfall is at least :data:`UNSERVED_SHARE` of their required FTE-days."""
    by_queue = plan.groupby("queue")[["shortfall_fte", "required_fte"]].sum()
    short = by_queue[(by_queue["required_fte"] > 0)
                     & (by_queue["shortfall_fte"] >= UNSERVED_SHARE * by_queue["required_fte"])]
    return sorted(map(str, short.index))


def _cost_by_date(daily, scenario, inputs, core, plan, allocation, windows) -> pd.DataFrame:
    """Each part of :data:`COST_PARTS` on each date [currency]."""
    by_name = {s.name: s for s in inputs.sources}
    hours = inputs.paid_hours_per_fte_day
    core_rate = by_name[scenario.core_source].hourly_cost if scenario.core_source else 0.0
    dates = pd.DatetimeIndex(sorted(daily["date"].unique()))
    out = pd.DataFrame({"date": dates})
    out["core_cost"] = float(core.sum()) * hours * core_rate
    overtime = plan.groupby("date")["overtime_fte"].sum().reindex(dates).fillna(0.0)
    out["overtime_cost"] = overtime.to_numpy() * hours * core_rate * \
        scenario.core_policy.overtime_premium
    # the commitment is paid every day, used or not; work above it at the surge rate
    committed = sum(by_name[n].committed_fte * by_name[n].hourly_cost
                    for n in scenario.overflow_sources)
    out["commitment_cost"] = committed * hours
    called = allocation[allocation["basis"] == CALLED]
    rate = called["source"].map({n: s.hourly_cost * s.surge_cost_ratio
                                 for n, s in by_name.items()}).astype(float)
    overflow = (called["fte"].astype(float) * rate * hours).groupby(called["date"]).sum()
    out["overflow_cost"] = overflow.reindex(dates).fillna(0.0).to_numpy()
    out["activation_cost"] = 0.0
    if not scenario.steady_state and len(windows):
        fixed = windows["source"].map({n: s.activation_cost for n, s in by_name.items()})
        per_start = fixed.groupby(windows["start"]).sum()
        out["activation_cost"] = per_start.reindex(dates).fillna(0.0).to_numpy()
    return out


def _escalations_waiting(daily: pd.DataFrame, allocation: pd.DataFrame,
                         inputs: CostInputs) -> float:
    if inputs.after_hours is None or allocation.empty or inputs.escalation_share == 0:
        return 0.0
    req = daily.set_index(["date", "queue"])
    key = pd.MultiIndex.from_frame(allocation[["date", "queue"]])
    required = req["required_fte"].reindex(key).to_numpy()
    volume = req["volume"].reindex(key).to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        handled = np.where(required > 0, allocation["work_fte"].to_numpy() / required * volume, 0.0)
    after = inputs.after_hours.set_index(["queue", "source"])["share"].reindex(
        pd.MultiIndex.from_frame(allocation[["queue", "source"]])).fillna(0.0).to_numpy()
    return float(np.nansum(handled * after) * inputs.escalation_share)


def optimal_core(daily: pd.DataFrame, scenario: Scenario, inputs: CostInputs,
                 step_fte: float = 0.5, method: str = "milp") -> tuple[pd.Series, pd.DataFrame]:
    """The core per queue that minimises total cost, and the cost curve over core levels.

    Each queue is sized on its own (a partner's cap and activation costs
    counted per queue) on the levels from 0 to the queue's peak requirement
    in steps of ``step_fte`` (:func:`staffing.optimal.core_levels`). Among the
    levels whose plan leaves the least shortfall (none: the peak level leaves
    none), the cheapest wins, the cost and shortfall being those of
    :func:`plan_scenario`'s plan.

    Parameters
    ----------
    daily : DataFrame
        ``date``, ``queue``, ``required_fte`` [FTE] (and what the scenario's
        costs read).
    scenario : Scenario
    inputs : CostInputs
    step_fte : float
        The levels' step [FTE].
    method : str
        ``milp`` (default): one mixed-integer programme over every queue
        chooses the levels (:func:`staffing.optimal.programme_core`); the plan
        then prices the choice and its neighbours one step either side, moving
        to a neighbour while it is cheaper with the least shortfall (or up
        while the choice leaves shortfall), plus :data:`SWEEP_LEVELS` levels
        spread over the range (no core included) and climbs from the cheapest
        of them with no shortfall and the cheapest of all. ``grid``: the plan prices every
        level (a plan per level and queue: the test oracle, and far slower).

    Returns
    -------
    core : Series
        Optimal core FTE per queue [FTE].
    curve : DataFrame
        :data:`CURVE_COLUMNS`: ``total_cost`` [currency] and
        ``shortfall_fte_days`` [FTE-days] at each core level priced (every
        level with ``grid``; the levels around the programme's choice with
        ``milp``); ``optimal`` marks the chosen one.

    Raises
    ------
    ValueError
        For a step that is not > 0 or an unknown method.
    """
    if not step_fte > 0:
        raise ValueError(f"step_fte: expected > 0, got {step_fte!r}")
    if method not in OPTIMAL_METHODS:
        raise ValueError(f"method: expected one of {', '.join(OPTIMAL_METHODS)}, got {method!r}")
    chosen = None
    if method == "milp":
        by_name = {s.name: s for s in inputs.sources}
        policy = scenario.core_policy
        terms = CoreTerms(
            core_hourly_cost=by_name[scenario.core_source].hourly_cost
            if scenario.core_source else 0.0,
            as_of=inputs.as_of, step_fte=step_fte,
            paid_hours_per_fte_day=inputs.paid_hours_per_fte_day,
            overtime_fraction=policy.overtime_fraction if scenario.core_source else 0.0,
            overtime_premium=policy.overtime_premium, coverage=inputs.coverage,
            merge_gap_days=inputs.merge_gap_days, min_window_fte=inputs.min_window_fte,
            activation=scenario.core_source is not None and not scenario.steady_state)
        chosen = programme_core(daily, _partners(scenario, inputs), terms).core
    best, curves = {}, []
    for queue, rows in daily.groupby("queue", sort=True):
        levels = core_levels(float(rows["required_fte"].max()), step_fte)
        priced: dict[int, tuple[float, float]] = {}

        def price(k: int) -> tuple[float, float]:
            """(total cost, shortfall) of the plan with a core of ``levels[k]``."""
            if k not in priced:
                core = pd.Series({queue: float(levels[k])})
                _, plan, allocation, windows = plan_scenario(rows, scenario, inputs, core=core)
                parts = _cost_by_date(rows, scenario, inputs, core, plan, allocation, windows)
                priced[k] = (float(parts[COST_PARTS].to_numpy().sum()),
                             float(plan["shortfall_fte"].sum()))
            return priced[k]

        if chosen is None:
            for k in range(len(levels)):
                price(k)
        else:
            _climb(price, int(np.argmin(np.abs(levels - chosen[queue]))), len(levels))
            # the programme prices work, not a window's ramped first days or every fee rule, so
            # its choice can sit in a local dip of a curve that is not convex: price a coarse
            # sweep of the range (the no-core level included) and climb from the cheapest
            for k in np.unique(np.linspace(0, len(levels) - 1, SWEEP_LEVELS).round()):
                price(int(k))
            # climb from the cheapest level with no shortfall and from the cheapest of all (a
            # level just short of the need is often next to the best: the climb walks it up)
            feasible = [k for k, (_, short) in priced.items() if short <= SHORTFALL_TIE_FTE_DAYS]
            starts = {min(priced, key=lambda k: priced[k][0])}
            if feasible:
                starts.add(min(feasible, key=lambda k: priced[k][0]))
            for k in sorted(starts):
                _climb(price, k, len(levels))
        points = [(queue, float(levels[k]), *priced[k]) for k in sorted(priced)]
        curve = pd.DataFrame(points, columns=CURVE_COLUMNS[:-1])
        least_short = curve["shortfall_fte_days"].min()
        feasible = curve[curve["shortfall_fte_days"] <= least_short + SHORTFALL_TIE_FTE_DAYS]
        choice = feasible["total_cost"].idxmin()
        curve["optimal"] = curve.index == choice
        best[queue] = float(curve.loc[choice, "core_fte"])
        curves.append(curve)
    return (pd.Series(best, name="core_fte", dtype=float).rename_axis("queue"),
            pd.concat(curves, ignore_index=True))


#: Core levels spread over each queue's range that the plan prices beside the programme's
#: choice: the curve of cost over core level is not convex (ramps, fees, minimum days).
SWEEP_LEVELS = 6


def _climb(price, k: int, n_levels: int) -> int:
    """Price level ``k`` and walk to the cheapest level with no shortfall near it; that level.

    Up to the least level above it with no shortfall (the top level leaves
    none), galloping then bisecting since shortfall falls as the core grows;
    then to a neighbour one step either side while it has no shortfall and
    costs less. ``price(k)`` returns ``(total cost, shortfall)`` and keeps
    what it priced.
    """
    def short(j: int) -> bool:
        return price(j)[1] > SHORTFALL_TIE_FTE_DAYS

    if short(k):
        low, step = k, 1  # low: a level known to leave shortfall
        high = min(k + step, n_levels - 1)
        while high < n_levels - 1 and short(high):
            low, step = high, step * 2
            high = min(k + step, n_levels - 1)
        while high - low > 1:  # the least level in (low, high] with no shortfall
            middle = (low + high) // 2
            low, high = (middle, high) if short(middle) else (low, middle)
        k = high
    while True:
        cost = price(k)[0]
        better = [j for j in (k - 1, k + 1) if 0 <= j < n_levels
                  and price(j)[1] <= SHORTFALL_TIE_FTE_DAYS and price(j)[0] < cost - 1e-6]
        if not better:
            return k
        k = min(better, key=lambda j: price(j)[0])

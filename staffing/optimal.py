"""The optimal core as one mixed-integer programme over every queue (HiGHS).

:func:`staffing.costs.optimal_core` used to plan and cost every core level of
a grid, one :func:`staffing.costs.plan_scenario` per level and queue.
:func:`programme_core` chooses the levels in one programme instead; the grid
stays as the test oracle and the caller prices the chosen core with the plan.

Notes
-----
Per queue ``q`` the core is one of the grid's levels ``L_k = k x step``
(:func:`core_levels`), chosen by binaries ``lambda_k`` (``sum_k lambda_k = 1``).
Everything :func:`staffing.plan.build_plan` does before it calls a partner is a
function of the level alone, so it is computed per level and enters the
programme linearly in ``lambda``: the committed partners' take (used first),
the core's overtime (``min(need, overtime_fraction x L_k)``, before any call)
and the work left for calls, ``r[t, k]`` [FTE] on day ``t``. Then per partner
``p`` that serves the queue, in the plan's order (cheapest per work hour
first), and day ``t`` past its lead time:

- ``x[p, t] >= 0`` the work it is called for [FTE of in-house work], paid
  ``x x work_factor`` FTE at its surge rate; ``z[p, t]`` binary, 1 when called
  (and then with some work: an idle call would join two windows under one fee);
- ``e[p, t] >= 0`` work it could take that goes to core overtime instead, at
  the overtime rate (a window not worth its fee, which the plan drops only
  with a core; or one whose peak stays under ``min_window_fte``);
- ``sum_p x + e = sum_k r[t, k] lambda_k``: no shortfall. The grid keeps the
  levels with the least shortfall, and the largest level (the peak) leaves
  none, so the least is zero;
- ``x + e <= share x (r - what partners before p took)``: the share of the
  day's work inside the partner's hours, as the plan applies it;
- ``work_factor x (x + e) + ramp extra <= max_fte - committed FTE used``;
- window starts as :func:`staffing.windows.window_spans` draws them: a run
  starts where ``z`` is 1 with no call in the ``merge_gap_days + 1`` days
  before, a window where a run starts with no run start in the
  ``min_activation_days`` before; each window start pays the activation fee,
  and on day ``k`` of a window the ramp adds ``(ramp[k] - 1) x`` the paid FTE
  (a big-M constraint on the start ``k`` days before).

The objective is the grid's: core every day, overtime at its premium, calls
at the surge rate (ramp included) and activation fees; the commitment is paid
whatever the core and leaves the choice alone.

The plan moves a window's work to overtime only when the window's fee passes
its labour (paid FTE-days x hours x hourly cost) or its peak stays under
``min_window_fte``. When overtime costs more than a call by at least the
labour rate (the usual case: partners are cheap), any window the programme
would move satisfies the first rule, so moving is left to the cost. When a
partner is dearer, the programme would move everything: there, each moved day
is either a small window's (at most ``min_window_fte`` paid) or a dropped
window's (binaries ``small``, ``dropped``, never on a called day), and the
dropped work is at most ``fee / (hours x hourly cost)`` paid FTE-days per
dropped window, summed over windows. Two rules stay out: a called window
whose peak stays under ``min_window_fte`` is not forced to overtime, and the
plan's drops are greedy where the programme's are optimal. The programme is
therefore a close model of the grid's objective, not the same function:
:func:`staffing.costs.optimal_core` prices its choice (and the neighbouring
levels) with the plan.

Levels the partners cannot cover even when each takes all it can (the plan's
greedy order without the ramp) are infeasible and fixed out before the solve;
the big-M bounds are then the work left at the least level allowed, which
keeps the relaxation tight (on the example at a year's horizon, 4.6 s became
0.8 s). As in the grid, each queue is sized on its own: a partner's cap and
activation fees count per queue. The queues share no constraint, so the
programme is one block per queue.

References
----------
Huangfu and Hall, "Parallelizing the dual revised simplex method",
Mathematical Programming Computation 10, 2018 (HiGHS).
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np
import pandas as pd

from staffing._sparse import SparseProgramme, lag, run_starts
from staffing.plan import SHORTFALL_EPSILON_FTE, _shares
from staffing.sources import Source

#: Stop branch and bound here and keep the best core found [s] (the caller prices
#: it and its neighbours with the plan, so a near-optimal choice is still checked).
TIME_LIMIT_S = 20.0
#: A level whose partners leave more than this uncovered on a day is not allowed [FTE]
#: (the grid's least shortfall is zero, within its 1e-9 FTE-days).
COVERED_TOLERANCE_FTE = 1e-7
#: A day counted as called, or moved to overtime, carries at least this work [FTE]: far
#: above HiGHS's integer feasibility tolerance (1e-6), which would let a day with no work
#: count as a window of its own (a dropped window's fee budget) or join two windows.
CALLED_EPSILON_FTE = MOVED_EPSILON_FTE = 1e-4
#: HiGHS stops once the core is within this of its best bound [fraction]: the cost goal's
#: tolerance against the grid, and the plan then prices the neighbouring levels. On the
#: example, 1e-3 found the same core in twice the time (2.1 s against 1.2 s).
MIP_REL_GAP = 5e-3

PROGRAMME_STATUS = {0: "optimal", 1: "time limit", 2: "infeasible", 3: "unbounded", 4: "error"}


def core_levels(peak_fte: float, step_fte: float) -> np.ndarray:
    """The grid's core levels for a queue: 0 to the first level at or above the peak [FTE].

    Examples
    --------
    >>> core_levels(1.2, 0.5).tolist()
    [0.0, 0.5, 1.0, 1.5]
    """
    if not step_fte > 0:
        raise ValueError(f"step_fte: expected > 0, got {step_fte!r}")
    return np.round(np.arange(0.0, max(float(peak_fte), 0.0) + step_fte, step_fte), 6)


@dataclass(frozen=True)
class CoreTerms:
    """What the programme prices, besides the requirement and the partners.

    Parameters
    ----------
    core_hourly_cost : float
        The in-house rate, paid for the core every day [currency/h].
    as_of : Timestamp
        The planning date, for lead times.
    step_fte : float
        The core levels' step [FTE].
    paid_hours_per_fte_day : float
        [h].
    overtime_fraction : float
        Overtime the core works before a call, as a share of its size [fraction].
    overtime_premium : float
        Overtime pay over the in-house rate [ratio].
    coverage : DataFrame, optional
        ``date, queue, source, share`` [fraction], as for
        :func:`staffing.plan.build_plan`.
    merge_gap_days : int
        Longest idle gap inside one activation window [days].
    min_window_fte : float
        A window whose peak stays below this goes to core overtime [FTE].
    activation : bool
        True when partners are called (fees, ramp and windows moved to
        overtime apply); False for a standing contract (steady state).
    """

    core_hourly_cost: float
    as_of: pd.Timestamp
    step_fte: float = 0.5
    paid_hours_per_fte_day: float = 8.0
    overtime_fraction: float = 0.0
    overtime_premium: float = 1.5
    coverage: pd.DataFrame | None = None
    merge_gap_days: int = 2
    min_window_fte: float = 1.0
    activation: bool = True

    def __post_init__(self):
        checks = [("core_hourly_cost", self.core_hourly_cost >= 0, ">= 0"),
                  ("step_fte", self.step_fte > 0, "> 0"),
                  ("paid_hours_per_fte_day", self.paid_hours_per_fte_day > 0, "> 0"),
                  ("overtime_fraction", 0 <= self.overtime_fraction <= 1, "a fraction in [0, 1]"),
                  ("overtime_premium", self.overtime_premium >= 1, ">= 1"),
                  ("merge_gap_days", self.merge_gap_days >= 0, ">= 0 days"),
                  ("min_window_fte", self.min_window_fte >= 0, ">= 0")]
        for name, ok, expected in checks:
            if not ok:
                raise ValueError(f"{name}: expected {expected}, got {getattr(self, name)!r}")


@dataclass(frozen=True)
class ProgrammeCore:
    """The programme's answer.

    Attributes
    ----------
    core : Series
        Core FTE per queue, on the grid's levels [FTE].
    modelled_cost : float
        The programme's objective plus the commitments: its estimate of the
        total cost [currency].
    status : str
        HiGHS's outcome (``optimal``, ``time limit``, ...).
    mip_gap : float
        The relative gap to HiGHS's bound when it stopped [fraction].
    solve_s : float
        Wall time of the solve [s].
    n_binaries : int
        Binary variables in the programme.
    """

    core: pd.Series
    modelled_cost: float
    status: str
    mip_gap: float
    solve_s: float
    n_binaries: int


def _before_calls(required: np.ndarray, levels: np.ndarray, partners: list[Source],
                  shares: dict, queue: str, overtime_fraction: float):
    """Per day and level, what the plan does before it calls anyone.

    Returns ``(overtime [T, K], left for calls [T, K], {partner: committed FTE paid [T, K]})``.
    """
    need = np.maximum(required[:, None] - levels[None, :], 0.0)
    used = {}
    for source in partners:  # committed capacity is paid anyway: used first
        if source.committed_fte <= 0 or not source.serves(queue):
            continue
        share = shares.get((queue, source.name), np.ones(len(required)))[:, None]
        take = np.minimum(need * share, source.committed_fte / source.work_factor)
        take = np.where((need > SHORTFALL_EPSILON_FTE) & (take > SHORTFALL_EPSILON_FTE), take, 0.0)
        used[source.name] = take * source.work_factor
        need = need - take
    overtime = np.minimum(need, levels[None, :] * overtime_fraction)
    return overtime, need - overtime, used


def _coverable(left: np.ndarray, serving: list[Source], committed: dict, shares: dict,
               queue: str, days_ahead: np.ndarray) -> np.ndarray:
    """Per level, True unless the partners cannot cover the work left on some day.

    The plan's own order takes the most the partners can (each its share of
    what is left, within its lead time and cap); the ramp, which only takes
    capacity away, is left out. So a level this leaves short is infeasible in
    the programme too, and a level's binary is fixed to 0: the big-M bounds
    shrink to the work left at the least level allowed. The top level (no
    work left) is always allowed.
    """
    rest = left.copy()
    for source in serving:
        room = source.max_fte - committed.get(source.name, 0.0)
        share = shares.get((queue, source.name), np.ones(len(days_ahead)))[:, None]
        take = np.minimum(rest * share, np.maximum(room, 0.0) / source.work_factor)
        rest = rest - np.where((days_ahead >= source.lead_time_days)[:, None], take, 0.0)
    allowed = (rest <= COVERED_TOLERANCE_FTE).all(axis=0)
    allowed[-1] = True
    return allowed


def _partner_block(model: SparseProgramme, source: Source, queue: str, lam: np.ndarray,
                   left: np.ndarray, most_work: np.ndarray, committed: dict, shares: dict,
                   days_ahead: np.ndarray, terms: CoreTerms, taken: list) -> tuple[list, int]:
    """One partner's columns and rows for one queue; returns ``([x, e], binaries)``."""
    n_days = len(days_ahead)
    hours = terms.paid_hours_per_fte_day
    wf = source.work_factor
    open_ = days_ahead >= source.lead_time_days
    most = np.where(open_, np.minimum(most_work, source.max_fte / wf), 0.0)  # [FTE]
    open_ = open_ & (most > 0)  # a day with no work left at any level allowed has no call
    call_rate = hours * source.hourly_cost * source.surge_cost_ratio  # [currency / FTE-day]
    overtime_rate = hours * terms.core_hourly_cost * terms.overtime_premium
    none, ones = np.full(n_days, -np.inf), np.ones(n_days)
    x = model.add(n_days, cost=call_rate * wf, ub=most)
    fee = source.activation_cost if terms.activation else 0.0
    moves = terms.activation and (fee > 0 or terms.min_window_fte > 0)
    e = model.add(n_days, cost=overtime_rate, ub=most if moves else 0.0)
    if moves:  # the work of a dropped window goes to overtime only with a core
        model.rows_of([(e, 1.0), (np.full(n_days, lam[0]), most)], none, most)
    share = shares.get((queue, source.name), ones)
    part = np.flatnonzero(share < 1.0)
    if len(part):  # x + e <= share x (left - what the partners before took)
        rows = [(x[part], 1.0), (e[part], 1.0),
                (np.tile(lam, (len(part), 1)), -share[part, None] * left[part])]
        if taken:
            rows.append((np.stack(taken, axis=1)[part], share[part, None]))
        model.rows_of(rows, np.full(len(part), -np.inf), np.zeros(len(part)))
    ramp = np.array(source.ramp if terms.activation else (), float)
    w = model.add(n_days, cost=call_rate, ub=(ramp.max() - 1.0) * wf * most) \
        if len(ramp) else None
    if math.isfinite(source.max_fte):  # paid FTE within the cap, the committed ones included
        rows = [(x, wf), (e, wf)] + ([(w, 1.0)] if w is not None else [])
        if source.name in committed:
            rows.append((np.tile(lam, (n_days, 1)), committed[source.name]))
        model.rows_of(rows, none, np.full(n_days, source.max_fte))
    if fee <= 0 and w is None and not moves:
        return [x, e], 0  # a call costs its hours only: no window to model
    z = model.add(n_days, ub=open_.astype(float), integer=True)
    model.rows_of([(x, 1.0), (z, -most)], none, np.zeros(n_days))
    # a called day carries work: else an idle "call" would join two windows under one fee
    model.rows_of([(x, 1.0), (z, -CALLED_EPSILON_FTE)], np.zeros(n_days),
                  np.full(n_days, np.inf))
    v = run_starts(model, z, terms.merge_gap_days)
    # u: a window starts (a run with no run start in the min_activation_days before); its fee
    u = model.add(n_days, cost=fee, ub=1.0)
    model.rows_of([(u, 1.0), (v, -1.0),
                   *(lag(v, j) for j in range(1, source.min_activation_days + 1))],
                  np.zeros(n_days), np.full(n_days, np.inf))
    for k, factor in enumerate(ramp):  # w_t >= (ramp_k - 1) wf x_t - M (1 - u_{t-k})
        big = (factor - 1.0) * wf * most
        starts, inside = lag(u, k)
        model.rows_of([(w, 1.0), (x, -(factor - 1.0) * wf), (starts, -big * inside)],
                      -big, np.full(n_days, np.inf))
    labour_rate = hours * source.hourly_cost  # [currency / paid FTE-day]
    if not moves or overtime_rate - call_rate * wf >= labour_rate * wf:
        # moving work to overtime saves (overtime - call) per FTE-day, so the programme moves
        # a window only when its fee passes (overtime - call) x its work, and so its labour:
        # the plan's own trigger for dropping it
        return [x, e], int(open_.sum())
    # else (a partner dearer than overtime, or nearly) bound what moves as the plan does:
    # it moves a window whose peak stays under min_window_fte (days of ``small``), or
    # whose fee passes its labour (paid FTE-days x hours x hourly cost; days of
    # ``dropped``): at most min_window_fte on a small window's day, and at most
    # fee / (hours x hourly cost) paid FTE-days per dropped window, none on a called day
    small = model.add(n_days, ub=open_.astype(float), integer=True)
    dropped = model.add(n_days, ub=open_.astype(float) if fee > 0 else 0.0, integer=True)
    e_small = model.add(n_days, ub=np.minimum(most, terms.min_window_fte / wf))
    model.rows_of([(e, 1.0), (e_small, -1.0), (dropped, -most)], none, np.zeros(n_days))
    model.rows_of([(e_small, 1.0), (e, -1.0)], none, np.zeros(n_days))
    model.rows_of([(e_small, 1.0), (small, -most)], none, np.zeros(n_days))
    model.rows_of([(dropped, MOVED_EPSILON_FTE), (e, -1.0), (e_small, 1.0)], none,
                  np.zeros(n_days))
    model.rows_of([(small, 1.0), (dropped, 1.0), (z, 1.0)], none, ones)
    if labour_rate > 0:
        starts = run_starts(model, dropped, terms.merge_gap_days)
        model.rows_of([(e[None, :], np.full((1, n_days), wf)),
                       (e_small[None, :], np.full((1, n_days), -wf)),
                       (starts[None, :], np.full((1, n_days), -fee / labour_rate))],
                      [-np.inf], [0.0])
    return [x, e], 3 * int(open_.sum())


def programme_core(daily: pd.DataFrame, partners: list[Source], terms: CoreTerms, *,
                   time_limit_s: float = TIME_LIMIT_S, mip_rel_gap: float = MIP_REL_GAP
                   ) -> ProgrammeCore:
    """The core per queue of least total cost, as one mixed-integer programme.

    Parameters
    ----------
    daily : DataFrame
        ``date``, ``queue``, ``required_fte`` [FTE].
    partners : list of Source
        The overflow sources (in-house ones are skipped), with the terms the
        scenario applies (a standing contract: no lead time, ramp or minimum).
    terms : CoreTerms
    time_limit_s : float
        Stop branch and bound and keep the best core found [s].
    mip_rel_gap : float
        Stop within this of the best bound [fraction].

    Returns
    -------
    ProgrammeCore

    Raises
    ------
    ValueError
        When HiGHS finds no core (it always should: the peak level is feasible).

    Notes
    -----
    The formulation is in this module's docstring.
    """
    hours = terms.paid_hours_per_fte_day
    rate = terms.core_hourly_cost * hours  # [currency / FTE-day]
    overtime_rate = rate * terms.overtime_premium
    partners = sorted((s for s in partners if not s.inhouse),
                      key=lambda s: (s.surge_cost_per_work_hour, s.name))
    date_code, dates = pd.factorize(daily["date"], sort=True)
    queue_code, queues = pd.factorize(daily["queue"], sort=True)
    dates, queues = pd.DatetimeIndex(dates), [str(q) for q in queues]
    required = np.zeros((len(dates), len(queues)))
    np.add.at(required, (date_code, queue_code), daily["required_fte"].to_numpy(float))
    required = np.nan_to_num(required)
    present = np.zeros((len(dates), len(queues)), bool)
    present[date_code, queue_code] = True  # the core is paid on a queue's own days
    n_days = len(dates)
    days_ahead = (dates - pd.Timestamp(terms.as_of)).days.to_numpy()
    shares = _shares(terms.coverage, dates, queues)
    model = SparseProgramme()
    picks, constant, n_binaries = [], 0.0, 0
    for qi, queue in enumerate(queues):
        req = required[:, qi]
        levels = core_levels(req.max(initial=0.0), terms.step_fte)
        overtime, left, committed = _before_calls(req, levels, partners, shares, queue,
                                                  terms.overtime_fraction)
        serving = [s for s in partners if s.serves(queue)]
        allowed = _coverable(left, serving, committed, shares, queue, days_ahead)
        lam = model.add(len(levels), cost=levels * present[:, qi].sum() * rate
                        + overtime.sum(axis=0) * overtime_rate, ub=allowed.astype(float),
                        integer=True)
        n_binaries += int(allowed.sum())
        picks.append((queue, levels, lam))
        model.rows_of([(lam[None, :], np.ones((1, len(levels))))], [1.0], [1.0])
        # the most work a call can take on a day: the work left at the least level allowed
        most_work = left[:, allowed].max(axis=1)
        taken = []  # per partner before this one: its x and e columns, in the plan's order
        for source in serving:
            cols, binaries = _partner_block(model, source, queue, lam, left, most_work,
                                            committed, shares, days_ahead, terms, taken)
            taken += cols
            n_binaries += binaries
        everyone = [(np.stack(taken, axis=1), 1.0)] if taken else []
        model.rows_of([*everyone, (np.tile(lam, (n_days, 1)), -left)],  # no shortfall
                      np.zeros(n_days), np.zeros(n_days))
        constant += sum(s.committed_fte * s.hourly_cost * hours * present[:, qi].sum()
                        for s in partners)
    started = time.perf_counter()
    result = model.solve(time_limit_s, mip_rel_gap)
    seconds = time.perf_counter() - started
    if result.x is None:
        raise ValueError(f"daily: the core programme found no core ({result.message})")
    core = {queue: float(levels[int(np.argmax(result.x[lam]))]) for queue, levels, lam in picks}
    return ProgrammeCore(
        core=pd.Series(core, name="core_fte", dtype=float).rename_axis("queue"),
        modelled_cost=float(result.fun + constant),
        status=PROGRAMME_STATUS.get(result.status, str(result.status)),
        mip_gap=float(getattr(result, "mip_gap", 0.0) or 0.0), solve_s=seconds,
        n_binaries=n_binaries)

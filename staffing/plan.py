"""Core versus overflow: the core team, overflow per day and source, and activation windows."""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

PLAN_COLUMNS = ["date", "queue", "required_fte", "core_fte", "overtime_fte", "overflow_fte",
                "source", "shortfall_fte"]
ALLOCATION_COLUMNS = ["date", "queue", "source", "fte", "work_fte"]


@dataclass(frozen=True)
class Source:
    """A way to staff: the in-house team or an outsourcing partner.

    Parameters
    ----------
    name : str
    hourly_cost : float
        Fully loaded cost of one paid hour [currency/h].
    lead_time_days : int
        Days between the call to the partner (or the hiring decision) and the
        first productive day [days].
    min_activation_days : int
        Shortest window the partner accepts [days].
    max_fte : float
        Most FTE the source can provide on a day [FTE].
    queues : tuple of str
        Queues it may serve; empty for all.
    inhouse : bool
        True for the employer's own team (it provides the core).
    activation_cost : float
        Fixed cost of each activation window [currency].
    quality_factor : float
        The partner's AHT over in-house AHT [ratio]; 1.1 means a partner FTE
        clears 1/1.1 of an in-house FTE's work.
    ramp : tuple of float
        AHT multiplier [ratio] on the first days of each window (day 1, 2,
        ...), for a team still learning: each >= 1 and none above the one
        before; 1 after the last one given.
    """

    name: str
    hourly_cost: float
    lead_time_days: int = 0
    min_activation_days: int = 1
    max_fte: float = math.inf
    queues: tuple[str, ...] = ()
    inhouse: bool = False
    activation_cost: float = 0.0
    quality_factor: float = 1.0
    ramp: tuple[float, ...] = ()

    def __post_init__(self):
        if not self.hourly_cost >= 0:
            raise ValueError(f"hourly_cost: expected >= 0, got {self.hourly_cost!r} ({self.name})")
        if self.lead_time_days < 0 or self.min_activation_days < 1:
            raise ValueError(f"lead_time_days >= 0 and min_activation_days >= 1 expected "
                             f"({self.name}: {self.lead_time_days}, {self.min_activation_days})")
        if not self.max_fte > 0:
            raise ValueError(f"max_fte: expected > 0, got {self.max_fte!r} ({self.name})")
        if not self.quality_factor > 0:
            raise ValueError(f"quality_factor: expected > 0, got {self.quality_factor!r} "
                             f"({self.name})")
        if any(not r >= 1 for r in self.ramp) or any(a < b for a, b in zip(self.ramp,
                                                                          self.ramp[1:])):
            raise ValueError(f"ramp: expected AHT multipliers >= 1 that do not rise from one day "
                             f"to the next (a learning curve), got {self.ramp!r} ({self.name})")
        if not self.activation_cost >= 0:
            raise ValueError(f"activation_cost: expected >= 0, got {self.activation_cost!r} "
                             f"({self.name})")

    @property
    def cost_per_work_hour(self) -> float:
        """What an hour of in-house-equivalent work costs from this source [currency/h]."""
        return self.hourly_cost * self.quality_factor

    def serves(self, queue: str) -> bool:
        """True if the source may take work from ``queue``."""
        return not self.queues or queue in self.queues


@dataclass(frozen=True)
class CorePolicy:
    """How big the in-house core is.

    ``percentile``: that percentile of required FTE over normal-regime days
    (all days when there are none); ``fixed``: ``fixed_fte[queue]``; ``peak``:
    the maximum required FTE (the team sized for the peak); ``optimal``: the
    core that minimises the total cost of core, overtime, overflow and
    activations (:func:`staffing.costs.optimal_core`; :func:`core_fte` alone
    cannot size it and raises).

    ``overtime_fraction`` [fraction] lets the core stretch on a busy day by
    that share of its size before overflow is called, paid at
    ``overtime_premium`` [ratio] times the in-house rate: a short bump (the
    tail of a sale) is cheaper in overtime than in a partner's activation.
    """

    method: str = "percentile"
    percentile: float = 0.9
    fixed_fte: dict[str, float] = field(default_factory=dict)
    overtime_fraction: float = 0.0
    overtime_premium: float = 1.5

    def __post_init__(self):
        if self.method not in ("percentile", "fixed", "peak", "optimal"):
            raise ValueError(f"method: expected percentile, fixed, peak or optimal, "
                             f"got {self.method!r}")
        if not 0 <= self.percentile <= 1:
            raise ValueError(f"percentile: expected a fraction in [0, 1], got {self.percentile!r}")
        if not 0 <= self.overtime_fraction <= 1:
            raise ValueError(f"overtime_fraction: expected a fraction in [0, 1], "
                             f"got {self.overtime_fraction!r}")
        if not self.overtime_premium >= 1:
            raise ValueError(f"overtime_premium: expected >= 1, got {self.overtime_premium!r}")


def core_fte(daily: pd.DataFrame, policy: CorePolicy) -> pd.Series:
    """Core FTE per queue.

    Parameters
    ----------
    daily : DataFrame
        ``date``, ``queue``, ``required_fte`` [FTE] and ``regime``.

    Returns
    -------
    Series
        Core FTE per queue [FTE], rounded up to a tenth.
    """
    if policy.method == "optimal":
        raise ValueError("method: the optimal core needs costs; use staffing.costs.optimal_core")
    out = {}
    for queue, rows in daily.groupby("queue", sort=True):
        if policy.method == "fixed":
            if queue not in policy.fixed_fte:
                raise ValueError(f"fixed_fte: no core FTE given for queue {queue!r}")
            out[queue] = float(policy.fixed_fte[queue])
            continue
        if policy.method == "peak":
            value = rows["required_fte"].max()
        else:
            normal = rows.loc[rows["regime"] == "normal", "required_fte"]
            value = np.quantile(normal if len(normal) else rows["required_fte"], policy.percentile)
        out[queue] = math.ceil(round(float(value) * 10, 6)) / 10
    return pd.Series(out, name="core_fte", dtype=float).rename_axis("queue")


def build_plan(daily: pd.DataFrame, core: pd.Series, sources: list[Source],
               as_of: pd.Timestamp, overtime_fraction: float = 0.0,
               coverage: pd.DataFrame | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Fill the requirement above core with the cheapest source that can serve it in time.

    Parameters
    ----------
    daily : DataFrame
        ``date``, ``queue``, ``required_fte`` [FTE].
    core : Series
        Core FTE per queue [FTE].
    sources : list of Source
        Candidate overflow sources (in-house ones are skipped), tried in order
        of :attr:`Source.cost_per_work_hour`.
    as_of : Timestamp
        The planning date; a source can serve a day no sooner than
        ``as_of + lead_time_days``.
    overtime_fraction : float
        The core covers up to ``core x (1 + overtime_fraction)`` with
        overtime before any partner is called [fraction].
    coverage : DataFrame, optional
        ``date``, ``queue``, ``source``, ``share`` [fraction]: the share of
        the day's requirement inside the hours the source covers. A source
        takes at most that share of the work above core; missing rows mean 1.

    Returns
    -------
    plan : DataFrame
        :data:`PLAN_COLUMNS`, one row per date and queue; ``overtime_fte`` is
        the core's overtime and ``overflow_fte`` the work the partners cover,
        in in-house FTE [FTE]; ``source`` names the sources used that day
        (``+``-joined, empty when none); ``shortfall_fte`` the requirement no
        source could cover in time or in its hours (service-level risk) [FTE].
        ``core + overtime + overflow + shortfall = max(required, core)``.
    allocation : DataFrame
        :data:`ALLOCATION_COLUMNS`, one row per date, queue and source used:
        ``fte`` the partner FTE paid (``work_fte x quality_factor``) and
        ``work_fte`` the work covered in in-house FTE.
    """
    as_of = pd.Timestamp(as_of)
    partners = sorted((s for s in sources if not s.inhouse),
                      key=lambda s: (s.cost_per_work_hour, s.name))
    share = {} if coverage is None else {
        (d, q, s): v for d, q, s, v in coverage[["date", "queue", "source", "share"]].itertuples(
            index=False)}
    rows, allocation = [], []
    for date, day in daily.sort_values(["date", "queue"]).groupby("date", sort=True):
        room = {s.name: s.max_fte for s in partners}
        for rec in day.itertuples(index=False):
            core_q = float(core.get(rec.queue, 0.0))
            above = max(float(rec.required_fte) - core_q, 0.0)
            overtime = min(above, core_q * overtime_fraction)
            need = above - overtime
            used = []
            for source in partners:
                if need <= 1e-9:
                    break
                if not source.serves(rec.queue) or (date - as_of).days < source.lead_time_days:
                    continue
                reach = need * share.get((date, rec.queue, source.name), 1.0)
                take = min(reach, room[source.name] / source.quality_factor)
                if take <= 1e-9:
                    continue
                room[source.name] -= take * source.quality_factor
                need -= take
                used.append(source.name)
                allocation.append((date, rec.queue, source.name, take * source.quality_factor,
                                   take))
            rows.append((date, rec.queue, float(rec.required_fte), core_q, overtime,
                         above - overtime - need, "+".join(used), need))
    plan = pd.DataFrame(rows, columns=PLAN_COLUMNS)
    return plan, pd.DataFrame(allocation, columns=ALLOCATION_COLUMNS)


def apply_ramp(plan: pd.DataFrame, allocation: pd.DataFrame, sources: list[Source],
               merge_gap_days: int = 2) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Raise partner FTE on the first days of each window by the source's ramp.

    A team in its first days is slower (AHT x ``ramp[k]`` on day ``k + 1`` of
    a window), so the same work needs more FTE. Where that would pass the
    source's daily cap, the day's allocations are scaled back to the cap and
    the work no longer covered moves to ``shortfall_fte``.

    Returns
    -------
    plan, allocation : DataFrame
        As :func:`build_plan`'s, adjusted.
    """
    from staffing.windows import window_spans

    by_name = {s.name: s for s in sources}
    alloc = allocation.copy()
    for name, rows in alloc.groupby("source"):
        source = by_name[name]
        if not source.ramp:
            continue
        for start, end in window_spans(rows["date"], source.min_activation_days, merge_gap_days):
            inside = rows.index[(rows["date"] >= start) & (rows["date"] <= end)]
            day_index = (alloc.loc[inside, "date"] - start).dt.days.to_numpy()
            factor = [source.ramp[k] if k < len(source.ramp) else 1.0 for k in day_index]
            alloc.loc[inside, "fte"] = alloc.loc[inside, "fte"] * factor
        per_day = alloc[alloc["source"] == name].groupby("date")["fte"].transform("sum")
        over = per_day > source.max_fte + 1e-9
        if over.any():
            idx = per_day.index[over]
            scale = source.max_fte / per_day[over]
            alloc.loc[idx, "fte"] *= scale
            alloc.loc[idx, "work_fte"] *= scale
    lost = (allocation.set_index(["date", "queue", "source"])["work_fte"]
            - alloc.set_index(["date", "queue", "source"])["work_fte"]).groupby(
        level=["date", "queue"]).sum()
    plan = plan.copy()
    key = pd.MultiIndex.from_frame(plan[["date", "queue"]])
    moved = lost.reindex(key).fillna(0.0).to_numpy()
    plan["overflow_fte"] -= moved
    plan["shortfall_fte"] += moved
    return plan, alloc

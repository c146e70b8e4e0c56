"""Core versus overflow: the core team, overflow per day and source, and activation windows."""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

PLAN_COLUMNS = ["date", "queue", "required_fte", "core_fte", "overtime_fte", "overflow_fte",
                "source", "shortfall_fte"]
ALLOCATION_COLUMNS = ["date", "queue", "source", "fte"]
WINDOW_COLUMNS = ["window", "source", "queue", "start", "end", "peak_fte", "fte_days",
                  "notice_by", "reason", "strategy"]


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
    """

    name: str
    hourly_cost: float
    lead_time_days: int = 0
    min_activation_days: int = 1
    max_fte: float = math.inf
    queues: tuple[str, ...] = ()
    inhouse: bool = False
    activation_cost: float = 0.0

    def __post_init__(self):
        if not self.hourly_cost >= 0:
            raise ValueError(f"hourly_cost: expected >= 0, got {self.hourly_cost!r} ({self.name})")
        if self.lead_time_days < 0 or self.min_activation_days < 1:
            raise ValueError(f"lead_time_days >= 0 and min_activation_days >= 1 expected "
                             f"({self.name}: {self.lead_time_days}, {self.min_activation_days})")
        if not self.max_fte > 0:
            raise ValueError(f"max_fte: expected > 0, got {self.max_fte!r} ({self.name})")

    def serves(self, queue: str) -> bool:
        """True if the source may take work from ``queue``."""
        return not self.queues or queue in self.queues


@dataclass(frozen=True)
class CorePolicy:
    """How big the in-house core is.

    ``percentile``: that percentile of required FTE over normal-regime days
    (all days when there are none); ``fixed``: ``fixed_fte[queue]``; ``peak``:
    the maximum required FTE (the team sized for the peak).

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
        if self.method not in ("percentile", "fixed", "peak"):
            raise ValueError(f"method: expected percentile, fixed or peak, got {self.method!r}")
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
               as_of: pd.Timestamp, overtime_fraction: float = 0.0
               ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Fill the requirement above core with the cheapest source that can serve it in time.

    Parameters
    ----------
    daily : DataFrame
        ``date``, ``queue``, ``required_fte`` [FTE].
    core : Series
        Core FTE per queue [FTE].
    sources : list of Source
        Candidate overflow sources (in-house ones are skipped).
    as_of : Timestamp
        The planning date; a source can serve a day no sooner than
        ``as_of + lead_time_days``.
    overtime_fraction : float
        The core covers up to ``core x (1 + overtime_fraction)`` with
        overtime before any partner is called [fraction].

    Returns
    -------
    plan : DataFrame
        :data:`PLAN_COLUMNS`, one row per date and queue; ``overtime_fte`` is
        the core's overtime [FTE]; ``source`` names the
        sources used that day (``+``-joined, empty when none), and
        ``shortfall_fte`` the requirement no source could cover in time
        (service-level risk) [FTE].
    allocation : DataFrame
        :data:`ALLOCATION_COLUMNS`, one row per date, queue and source used.
    """
    as_of = pd.Timestamp(as_of)
    partners = sorted((s for s in sources if not s.inhouse), key=lambda s: (s.hourly_cost, s.name))
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
                take = min(need, room[source.name])
                if take <= 1e-9:
                    continue
                room[source.name] -= take
                need -= take
                used.append(source.name)
                allocation.append((date, rec.queue, source.name, take))
            rows.append((date, rec.queue, float(rec.required_fte), core_q, overtime,
                         above - overtime - need, "+".join(used), need))
    plan = pd.DataFrame(rows, columns=PLAN_COLUMNS)
    return plan, pd.DataFrame(allocation, columns=ALLOCATION_COLUMNS)


#: Strategy in words per event type, after DESIGN.md's seed table.
STRATEGIES = {
    "flash_sale": "AI triage of order-status (WISMO) contacts plus {source} overflow for the sale "
                  "and its shipping tail",
    "holiday_peak": "scaled {source} team for the season's weeks, trained before the ramp",
    "product_launch": "Tier 2/3 specialists on standby; {source} overflow for first-line questions",
    "promotion": "{source} overflow on call for the promotion",
    "closure": "no overflow needed",
}


def activation_windows(allocation: pd.DataFrame, sources: list[Source],
                       days: pd.DataFrame | None = None, merge_gap_days: int = 2) -> pd.DataFrame:
    """Group overflow days into activation windows per source.

    Days a source is used are merged across gaps of at most ``merge_gap_days``
    idle days; a window shorter than the source's ``min_activation_days`` is
    extended at its end.

    Parameters
    ----------
    allocation : DataFrame
        :func:`build_plan`'s allocation.
    sources : list of Source
    days : DataFrame, optional
        Event days (``date``, ``name``, ``type``, ``phase``) for ``reason``
        and ``strategy``.
    merge_gap_days : int
        Longest idle gap inside one window [days].

    Returns
    -------
    DataFrame
        :data:`WINDOW_COLUMNS`: ``queue`` lists the queues served
        (comma-joined); ``peak_fte`` is the largest daily FTE across them
        [FTE]; ``fte_days`` the sum [FTE-days]; ``notice_by`` = ``start`` -
        ``lead_time_days``; ``reason`` the events inside the window.
    """
    by_name = {s.name: s for s in sources}
    out = []
    for name, rows in allocation.groupby("source", sort=True):
        source = by_name[name]
        per_day = rows.groupby("date")["fte"].sum().sort_index()
        dates = list(per_day.index)
        runs, start, prev = [], dates[0], dates[0]
        for date in dates[1:]:
            if (date - prev).days - 1 > merge_gap_days:
                runs.append((start, prev))
                start = date
            prev = date
        runs.append((start, prev))
        # extend each run to the minimum activation, then merge a run that the
        # previous (extended) window already reaches, so windows never overlap
        windows = []
        for start, end in runs:
            end = max(end, start + pd.Timedelta(days=source.min_activation_days - 1))
            if windows and start <= windows[-1][1]:
                windows[-1] = (windows[-1][0], max(windows[-1][1], end))
            else:
                windows.append((start, end))
        for start, end in windows:
            inside = rows[(rows["date"] >= start) & (rows["date"] <= end)]
            daily_total = inside.groupby("date")["fte"].sum()
            reason, kind = _events_in(days, start, end)
            out.append({
                "source": name, "queue": ",".join(sorted(inside["queue"].unique())),
                "start": start, "end": end, "peak_fte": round(float(daily_total.max()), 2),
                "fte_days": round(float(daily_total.sum()), 2),
                "notice_by": start - pd.Timedelta(days=source.lead_time_days),
                "reason": reason,
                "strategy": STRATEGIES.get(kind, "{source} overflow above the core team").format(
                    source=name)})
    frame = pd.DataFrame(out, columns=[c for c in WINDOW_COLUMNS if c != "window"])
    frame = frame.sort_values(["start", "source"], kind="stable").reset_index(drop=True)
    frame.insert(0, "window", [f"W{i + 1}" for i in range(len(frame))])
    return frame[WINDOW_COLUMNS]


def _events_in(days: pd.DataFrame | None, start, end) -> tuple[str, str | None]:
    """The events inside [start, end] and the type of the longest-running one."""
    if days is None or days.empty:
        return "", None
    inside = days[(days["date"] >= start) & (days["date"] <= end)
                  & (days["type"] != "public_holiday")]
    if inside.empty:
        return "demand above core", None
    counts = inside[inside["phase"] == "event"].groupby("type").size()
    kind = counts.idxmax() if len(counts) else inside["type"].iloc[0]
    names = list(dict.fromkeys(inside["name"]))
    return "; ".join(names), kind

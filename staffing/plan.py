"""Core versus overflow: the core team, overflow per day and source, and activation windows."""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from staffing.errors import FieldError
from staffing.requirements import headcount
from staffing.sources import Source
from staffing.windows import window_spans

PLAN_COLUMNS = ["date", "queue", "required_fte", "core_fte", "overtime_fte", "overflow_fte",
                "source", "shortfall_fte", "shortfall_reason"]
ALLOCATION_COLUMNS = ["date", "queue", "source", "fte", "work_fte", "basis"]
#: The frames are typed even when empty (a plan with no overflow has no allocation rows).
PLAN_DTYPES = {"date": "datetime64[ns]", "queue": object, "required_fte": float, "core_fte": float,
               "overtime_fte": float, "overflow_fte": float, "source": object,
               "shortfall_fte": float, "shortfall_reason": object}
ALLOCATION_DTYPES = {"date": "datetime64[ns]", "queue": object, "source": object, "fte": float,
                     "work_fte": float, "basis": object}
#: ``basis`` of an allocation row: inside the contract's commitment, or called above it.
COMMITTED, CALLED = "committed", "called"
CORE_TABLE_COLUMNS = ["queue", "core_fte", "headcount", "peak_required_fte", "normal_median_fte"]
#: A day is at risk when its shortfall passes this [FTE]: below it, rounding noise.
SHORTFALL_TOLERANCE_FTE = 0.05
#: Work below this is no work [FTE] (floating-point dust left by subtraction).
SHORTFALL_EPSILON_FTE = 1e-9


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
        checks = [("method", self.method in ("percentile", "fixed", "peak", "optimal"),
                   "percentile, fixed, peak or optimal"),
                  ("percentile", 0 <= self.percentile <= 1, "a fraction in [0, 1]"),
                  ("overtime_fraction", 0 <= self.overtime_fraction <= 1, "a fraction in [0, 1]"),
                  ("overtime_premium", self.overtime_premium >= 1, ">= 1")]
        for field_name, ok, expected in checks:
            if not ok:
                raise FieldError(field_name, expected, getattr(self, field_name))


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
               coverage: pd.DataFrame | None = None,
               blocked: frozenset = frozenset()) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Fill the requirement above core: committed partner capacity, overtime, then calls.

    A partner's committed FTE are paid anyway, so they are used first (no
    lead time: the team is in place); then the core's overtime; then calls
    to partners, the cheapest per hour of work above their commitment first,
    each within its lead time, hours and cap.

    Parameters
    ----------
    daily : DataFrame
        ``date``, ``queue``, ``required_fte`` [FTE].
    core : Series
        Core FTE per queue [FTE].
    sources : list of Source
        Candidate overflow sources (in-house ones are skipped), called in
        order of :attr:`Source.surge_cost_per_work_hour`.
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
    blocked : frozenset of (source, date)
        Days a source is not called (a window dropped as not worth its fee).

    Returns
    -------
    plan : DataFrame
        :data:`PLAN_COLUMNS`, one row per date and queue; ``overtime_fte`` is
        the core's overtime and ``overflow_fte`` the work the partners cover,
        in in-house FTE [FTE]; ``source`` names the sources used that day
        (``+``-joined, empty when none); ``shortfall_fte`` the requirement no
        source could cover in time or in its hours (service-level risk) [FTE];
        ``shortfall_reason`` the rules that left it uncovered
        (:func:`shortfall_causes`), empty without shortfall.
        ``core + overtime + overflow + shortfall = max(required, core)``.
    allocation : DataFrame
        :data:`ALLOCATION_COLUMNS`, one row per date, queue, source and basis
        used: ``fte`` the partner FTE paid (``work_fte x work_factor``),
        ``work_fte`` the work covered in in-house FTE, ``basis``
        :data:`COMMITTED` (inside the commitment) or :data:`CALLED`.
    """
    as_of = pd.Timestamp(as_of)
    partners = sorted((s for s in sources if not s.inhouse),
                      key=lambda s: (s.surge_cost_per_work_hour, s.name))
    committed = [s for s in partners if s.committed_fte > 0]
    date_code, dates = pd.factorize(daily["date"], sort=True)
    queue_code, queues = pd.factorize(daily["queue"], sort=True)
    dates, queues = pd.DatetimeIndex(dates), [str(q) for q in queues]
    required = np.zeros((len(dates), len(queues)))
    np.add.at(required, (date_code, queue_code), daily["required_fte"].to_numpy(float))
    present = np.zeros((len(dates), len(queues)), bool)
    present[date_code, queue_code] = True
    inside = _shares(coverage, dates, queues)
    days_ahead = (dates - as_of).days.to_numpy()
    blocked_on = {p.name: dates.isin([d for name, d in blocked if name == p.name])
                  for p in partners}
    room = {p.name: np.full(len(dates), p.max_fte, float) for p in partners}
    kept = {p.name: np.full(len(dates), p.committed_fte, float) for p in committed}
    parts, steps = [], []  # per queue: plan columns; allocation pieces
    for qi, queue in enumerate(queues):  # queues in order, as a day's queues share the caps
        req = required[:, qi]
        core_q = float(core.get(queue, 0.0))
        above = np.maximum(np.nan_to_num(req) - core_q, 0.0)
        need = above.copy()
        order: list[tuple[str, str, np.ndarray]] = []  # (source, basis, taken mask) in use order
        notes: list[tuple[str, Source | None, np.ndarray]] = []  # (rule, source, days), as met

        def take_from(source: Source, most: np.ndarray, basis: str, active: np.ndarray) -> None:
            share = inside.get((queue, source.name), 1.0)
            reach = need * share
            take = np.where(active, np.minimum(reach, most / source.work_factor), 0.0)
            if basis == CALLED:
                short = active & (take < need - SHORTFALL_EPSILON_FTE)
                by_hours = short & (take >= reach - 1e-12)
                notes.append(("partner hours", source, by_hours))
                notes.append(("partner cap", source, short & ~by_hours))
            taken = take > SHORTFALL_EPSILON_FTE
            take = np.where(taken, take, 0.0)
            paid = take * source.work_factor
            room[source.name] -= paid
            if basis == COMMITTED:
                kept[source.name] -= paid
            need[:] = need - take
            if taken.any():
                order.append((source.name, basis, taken))
                steps.append((qi, len(order), source.name, basis, taken, paid, take))

        for source in committed:  # paid anyway: first
            if source.serves(queue):
                active = (need > SHORTFALL_EPSILON_FTE) & ~blocked_on[source.name]
                take_from(source, np.minimum(kept[source.name], room[source.name]), COMMITTED,
                          active)
        overtime = np.minimum(need, core_q * overtime_fraction)
        need -= overtime
        for source in partners:
            if not source.serves(queue):
                continue
            active = (need > SHORTFALL_EPSILON_FTE) & ~blocked_on[source.name]
            late = active & (days_ahead < source.lead_time_days)
            notes.append(("lead time", source, late))
            take_from(source, room[source.name], CALLED, active & ~late)
        short = need > SHORTFALL_EPSILON_FTE
        if not any(p.serves(queue) for p in partners):
            notes.append(("in-house only" if partners else "no partner", None, short))
        reasons = np.full(len(dates), "", dtype=object)
        for i in np.flatnonzero(short & present[:, qi]):
            reasons[i] = "; ".join(_cause(rule, source, dates[i], queue,
                                          inside.get((queue, source.name), 1.0)
                                          if source else 1.0, i)
                                   for rule, source, days in notes if days[i])
        used = np.full(len(dates), "", dtype=object)
        for i in np.flatnonzero(present[:, qi]):
            used[i] = "+".join(dict.fromkeys(name for name, _, taken in order if taken[i]))
        parts.append(pd.DataFrame({
            "date": dates, "queue": queue, "required_fte": req, "core_fte": core_q,
            "overtime_fte": overtime, "overflow_fte": above - overtime - need, "source": used,
            "shortfall_fte": need, "shortfall_reason": reasons,
            "_present": present[:, qi]}))
    columns = {c: [] for c in ALLOCATION_COLUMNS}
    keys = []
    for qi, step, name, basis, taken, paid, take in steps:
        where = np.flatnonzero(taken & present[:, qi])
        columns["date"].append(dates[where])
        columns["queue"].append(np.full(len(where), queues[qi], dtype=object))
        columns["source"].append(np.full(len(where), name, dtype=object))
        columns["fte"].append(paid[where])
        columns["work_fte"].append(take[where])
        columns["basis"].append(np.full(len(where), basis, dtype=object))
        keys.append(np.column_stack([where, np.full(len(where), qi), np.full(len(where), step)]))
    plan = (pd.concat(parts, ignore_index=True) if parts else
            pd.DataFrame(columns=[*PLAN_COLUMNS, "_present"]))
    plan = plan[plan["_present"].astype(bool)].sort_values(["date", "queue"], kind="stable")
    plan = plan[PLAN_COLUMNS].reset_index(drop=True).astype(PLAN_DTYPES)
    if not keys:
        return plan, pd.DataFrame(columns=ALLOCATION_COLUMNS).astype(ALLOCATION_DTYPES)
    allocation = pd.DataFrame({c: np.concatenate(v) for c, v in columns.items()})
    sort = np.lexsort(np.concatenate(keys).T[::-1])  # by date, then queue, then use order
    allocation = allocation.iloc[sort].reset_index(drop=True)
    return plan, allocation[ALLOCATION_COLUMNS].astype(ALLOCATION_DTYPES)


def _shares(coverage: pd.DataFrame | None, dates: pd.DatetimeIndex, queues: list[str]
            ) -> dict[tuple[str, str], np.ndarray]:
    """``{(queue, source): share of each date's work inside the source's hours}``; absent: 1."""
    if coverage is None or coverage.empty:
        return {}
    row = dates.get_indexer(pd.DatetimeIndex(coverage["date"]))
    keep = (row >= 0) & coverage["queue"].isin(queues).to_numpy()
    pair_code, pairs = pd.factorize(pd.MultiIndex.from_arrays(
        [coverage["queue"].to_numpy()[keep], coverage["source"].to_numpy()[keep]]))
    dense = np.ones((len(pairs), len(dates)))
    dense[pair_code, row[keep]] = coverage["share"].to_numpy(float)[keep]
    return {(str(q), str(s)): dense[i] for i, (q, s) in enumerate(pairs)}


def _cause(rule: str, source: Source | None, date: pd.Timestamp, queue: str, share, i: int
           ) -> str:
    """The text of one rule that left day ``date`` of ``queue`` short (``rule: detail``)."""
    if rule == "lead time":
        notice = date - pd.Timedelta(days=source.lead_time_days)
        return f"lead time: {source.name} needed notice by {notice:%Y-%m-%d}"
    if rule == "partner hours":
        inside = float(share[i]) if isinstance(share, np.ndarray) else float(share)
        return f"partner hours: {inside:.0%} of the day's work is in {source.name}'s hours"
    if rule == "partner cap":
        return f"partner cap: {source.name} at its {source.max_fte:g} FTE"
    if rule == "in-house only":
        return f"in-house only: no partner may serve {queue}"
    return "no partner: none is configured"


def shortfall_causes(plan: pd.DataFrame) -> pd.DataFrame:
    """The rules behind the shortfall, in brief: FTE-days and days per rule and queue.

    Returns
    -------
    DataFrame
        ``rule`` (``lead time``, ``partner hours``, ``partner cap``, ``ramp``,
        ``in-house only``, ``no partner``), ``queue``, ``detail`` (the first
        reason of that rule, e.g. who needed notice by when), ``fte_days``
        [FTE-days] and ``days``, largest first. A day with several rules
        counts under each.
    """
    short = at_risk(plan)
    rows = []
    for rec in short.itertuples(index=False):
        for reason in filter(None, str(rec.shortfall_reason).split("; ")):
            rule = reason.split(":", 1)[0]
            rows.append((rule, rec.queue, reason, float(rec.shortfall_fte), rec.date))
    frame = pd.DataFrame(rows, columns=["rule", "queue", "detail", "fte_days", "date"])
    out = frame.groupby(["rule", "queue"], as_index=False, sort=False).agg(
        detail=("detail", "first"), fte_days=("fte_days", "sum"), days=("date", "nunique"))
    return out.sort_values("fte_days", ascending=False, kind="stable").reset_index(drop=True)


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
    by_name = {s.name: s for s in sources}
    date = allocation["date"].to_numpy("datetime64[ns]")
    source_of = allocation["source"].to_numpy(object)
    called = (allocation["basis"] == CALLED).to_numpy()  # a committed team is in place: no ramp
    fte = allocation["fte"].to_numpy(float).copy()
    work = allocation["work_fte"].to_numpy(float).copy()
    for name in sorted(set(source_of[called])):
        source = by_name[name]
        mine = source_of == name
        if source.ramp:
            ramp = np.array([*source.ramp, 1.0])
            for start, end in window_spans(date[mine & called], source.min_activation_days,
                                           merge_gap_days):
                inside = mine & called & (date >= start.to_datetime64()) & \
                    (date <= end.to_datetime64())
                k = ((date[inside] - start.to_datetime64()) // np.timedelta64(1, "D")).astype(int)
                fte[inside] = fte[inside] * ramp[np.minimum(k, len(ramp) - 1)]
        days, day = np.unique(date[mine], return_inverse=True)
        per_day = np.bincount(day, weights=fte[mine], minlength=len(days))
        fixed = np.bincount(day, weights=np.where(called[mine], 0.0, fte[mine]),
                            minlength=len(days))
        over = per_day > source.max_fte + 1e-9
        if over.any():  # only the called part is cut back to the cap
            flexible = per_day - fixed
            with np.errstate(divide="ignore", invalid="ignore"):
                scale = np.clip((source.max_fte - fixed) / flexible, 0.0, None)
            rows = np.flatnonzero(mine)
            cut = called[rows] & over[day]
            fte[rows[cut]] *= scale[day[cut]]
            work[rows[cut]] *= scale[day[cut]]
    alloc = allocation.assign(fte=fte, work_fte=work)
    lost_work = allocation["work_fte"].to_numpy(float) - work
    plan = plan.copy()
    if not (lost_work > 0).any():
        return plan, alloc
    lost_rows = allocation.assign(lost=lost_work)
    by_source = lost_rows.groupby(["date", "queue", "source"])["lost"].sum()
    lost = by_source.groupby(level=["date", "queue"]).sum()
    key = pd.MultiIndex.from_frame(plan[["date", "queue"]])
    moved = lost.reindex(key).fillna(0.0).to_numpy()
    plan["overflow_fte"] -= moved
    plan["shortfall_fte"] += moved
    ramped = by_source[by_source > SHORTFALL_EPSILON_FTE].reset_index()
    if len(ramped):
        reasons = ramped.groupby(["date", "queue"])["source"].agg(
            lambda names: "; ".join(f"ramp: {n} is slower on a window's first days"
                                    for n in names))
        extra = reasons.reindex(key).fillna("").to_numpy()
        plan["shortfall_reason"] = ["; ".join(filter(None, pair)) for pair in
                                    zip(plan["shortfall_reason"], extra)]
    return plan, alloc


def core_table(daily: pd.DataFrame, core: pd.Series, work_days_per_week: float = 5.0
               ) -> pd.DataFrame:
    """The core per queue beside the requirement it is sized against.

    Returns
    -------
    DataFrame
        :data:`CORE_TABLE_COLUMNS`: ``core_fte`` [FTE], ``headcount``
        [people] (:func:`staffing.requirements.headcount`), the largest daily
        required FTE and the median over normal-regime days (NaN with none) [FTE].
    """
    rows = []
    for queue, value in core.items():
        mine = daily[daily["queue"] == queue]
        normal = mine.loc[mine["regime"] == "normal", "required_fte"]
        rows.append((queue, float(value),
                     int(headcount(value, work_days_per_week=work_days_per_week)),
                     float(mine["required_fte"].max()) if len(mine) else 0.0,
                     float(normal.median()) if len(normal) else float("nan")))
    return pd.DataFrame(rows, columns=CORE_TABLE_COLUMNS)


def at_risk(plan: pd.DataFrame) -> pd.DataFrame:
    """The plan's rows whose shortfall passes :data:`SHORTFALL_TOLERANCE_FTE`."""
    return plan[plan["shortfall_fte"].astype(float) > SHORTFALL_TOLERANCE_FTE]


@dataclass(frozen=True)
class Risk:
    """The days no source covers, in brief.

    Attributes
    ----------
    rows : DataFrame
        :func:`at_risk` rows of the plan.
    fte_days : float
        Their shortfall summed [FTE-days].
    n_days : int
        Dates with at least one queue at risk.
    by_queue : Series
        Shortfall per queue [FTE-days], largest first.
    worst : Series or None
        The row with the lowest ``expected_sl`` (None when nothing is at risk).
    causes : DataFrame
        :func:`shortfall_causes`: the rules behind the shortfall.
    """

    rows: pd.DataFrame
    fte_days: float
    n_days: int
    by_queue: pd.Series
    worst: pd.Series | None
    causes: pd.DataFrame


def risk_summary(plan: pd.DataFrame) -> Risk:
    """:class:`Risk` of a plan with ``expected_sl``."""
    rows = at_risk(plan)
    worst = rows.loc[rows["expected_sl"].astype(float).idxmin()] if len(rows) else None
    by_queue = rows.groupby("queue")["shortfall_fte"].sum().astype(float).sort_values(
        ascending=False)
    return Risk(rows=rows, fte_days=float(rows["shortfall_fte"].sum()),
                n_days=int(rows["date"].nunique()), by_queue=by_queue, worst=worst,
                causes=shortfall_causes(plan))


ROLLUP_COLUMNS = ["period", "queue", "days", "required_fte", "core_fte", "overtime_fte",
                  "overflow_fte", "shortfall_fte", "shortfall_hours"]


def rollup(plan: pd.DataFrame, allocation: pd.DataFrame, period: str = "week",
           paid_hours_per_fte_day: float = 8.0) -> pd.DataFrame:
    """The plan by week (Monday first) or calendar month, the unit planners present in.

    Returns
    -------
    DataFrame
        :data:`ROLLUP_COLUMNS`, then ``overflow_fte: SOURCE`` per partner:
        ``period`` the week's Monday or the month's first day; ``days`` in
        the plan; each ``*_fte`` the mean over those days [FTE] (overflow in
        in-house work, a partner's column in the FTE it is paid for);
        ``shortfall_hours`` the FTE-hours no one covers [h]. One row per
        period and queue, then one per period over all queues (``all``).
    """
    if period not in ("week", "month"):
        raise ValueError(f"period: expected week or month, got {period!r}")
    dates = pd.DatetimeIndex(plan["date"])
    start = (dates - pd.to_timedelta(dates.day_of_week, unit="D")) if period == "week" \
        else dates.to_period("M").to_timestamp()
    frame = plan.assign(period=start.astype("datetime64[ns]"))
    partners = sorted(allocation["source"].unique())
    paid = allocation.pivot_table(index=["date", "queue"], columns="source", values="fte",
                                  aggfunc="sum").reindex(columns=partners)
    key = pd.MultiIndex.from_frame(frame[["date", "queue"]])
    for name in partners:
        frame[f"overflow_fte: {name}"] = paid[name].reindex(key).fillna(0.0).to_numpy()
    values = ["required_fte", "core_fte", "overtime_fte", "overflow_fte", "shortfall_fte",
              *(f"overflow_fte: {n}" for n in partners)]
    parts = []
    for keys in (["period", "queue"], ["period"]):
        sums = frame.groupby(keys)[values].sum()
        days = frame.groupby(keys)["date"].nunique()
        out = sums.div(days, axis=0).assign(days=days,
                                            shortfall_hours=sums["shortfall_fte"]
                                            * paid_hours_per_fte_day).reset_index()
        parts.append(out if "queue" in keys else out.assign(queue="all"))
    columns = ROLLUP_COLUMNS + [f"overflow_fte: {n}" for n in partners]
    return pd.concat(parts, ignore_index=True).sort_values(
        ["period", "queue"], kind="stable").reset_index(drop=True)[columns]


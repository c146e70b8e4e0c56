"""Agents per interval and FTE per day, from an interval volume frame and a queue's targets."""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from staffing.async_work import async_agents
from staffing.erlang import asa_s, occupancy, required_agents, service_level
from staffing.errors import FieldError
from staffing.serve import backlog_requirements, expected_on_time_share

REQUIREMENT_COLUMNS = ["interval_start", "queue", "volume", "agents", "sl", "asa_s",
                       "occupancy", "fte"]
#: Volumes below this are no contacts at all [contacts/interval]. An interval's share
#: of a day can underflow to a subnormal (5e-324) that no staffing rule can serve
#: exactly (0 agents leave 3e-322 agent-seconds of work); a billionth of a contact is
#: nothing a planner staffs for, so it is zero, in the output's ``volume`` too.
NEGLIGIBLE_CONTACTS = 1e-9
DAILY_COLUMNS = ["date", "queue", "volume", "agent_hours", "required_fte"]


@dataclass(frozen=True)
class QueueTarget:
    """A queue's workload and service targets.

    Parameters
    ----------
    queue : str
        The queue's name.
    channel : str
        ``phone`` and ``chat`` are staffed per interval (Erlang C, or Erlang A
        when ``patience_s`` is set); ``email`` is async work staffed across
        its response window.
    aht_s : float
        Average handle time [s].
    target_sl : float
        Share of contacts to answer within ``target_answer_s`` [fraction].
    target_answer_s : float
        Answer time (real time) or response time (async) target [s].
    concurrency : float
        Chats an agent handles at once [contacts]; 1 for phone and email.
    max_occupancy : float, optional
        Upper bound on agent occupancy [fraction].
    max_asa_s : float, optional
        Upper bound on the average speed of answer [s].
    patience_s : float, optional
        Mean patience before abandoning [s]; staffs with Erlang A when set.
    max_abandon : float, optional
        Upper bound on the abandonment rate [fraction] (Erlang A only).
    shrinkage : float
        Share of paid time not available for contacts [fraction].
    async_mode : str
        Async work: ``backlog`` (the default: work carries from interval to
        interval and day to day, and each day is staffed to clear what it
        inherits by the deadlines, :func:`staffing.serve.backlog_requirements`),
        ``spread`` (each day's own work levelled over its open hours) or
        ``just_in_time``.
    """

    queue: str
    channel: str
    aht_s: float
    target_sl: float
    target_answer_s: float
    concurrency: float = 1.0
    max_occupancy: float | None = None
    max_asa_s: float | None = None
    patience_s: float | None = None
    max_abandon: float | None = None
    shrinkage: float = 0.30
    async_mode: str = "backlog"

    def __post_init__(self):
        def number(value) -> bool:
            return isinstance(value, (int, float)) and not isinstance(value, bool) \
                and math.isfinite(value)

        def optional(value, ok) -> bool:
            return value is None or (number(value) and ok(value))

        checks = [
            ("channel", self.channel in ("phone", "chat", "email"), "phone, chat or email"),
            ("aht_s", number(self.aht_s) and self.aht_s > 0, "a positive number"),
            ("concurrency", number(self.concurrency) and self.concurrency > 0,
             "a positive number"),
            ("target_sl", number(self.target_sl) and 0 < self.target_sl <= 1,
             "a fraction in (0, 1]"),
            ("target_answer_s", number(self.target_answer_s) and self.target_answer_s >= 0,
             ">= 0 seconds"),
            ("max_occupancy", optional(self.max_occupancy, lambda v: 0 < v <= 1),
             "a fraction in (0, 1]"),
            ("max_asa_s", optional(self.max_asa_s, lambda v: v > 0), "> 0 seconds"),
            ("patience_s", optional(self.patience_s, lambda v: v > 0), "> 0 seconds"),
            ("max_abandon", optional(self.max_abandon, lambda v: 0 < v <= 1),
             "a fraction in (0, 1]"),
            ("max_abandon", self.max_abandon is None or self.patience_s is not None,
             "no max_abandon without patience_s (Erlang A)"),
            ("shrinkage", number(self.shrinkage) and 0 <= self.shrinkage < 1,
             "a fraction in [0, 1)"),
            ("async_mode", self.async_mode in ("backlog", "spread", "just_in_time"),
             "backlog, spread or just_in_time"),
        ]
        for field_name, ok, expected in checks:
            if not ok:
                raise FieldError(field_name, expected, getattr(self, field_name), self.queue)

    @property
    def is_async(self) -> bool:
        """True for work answered across a response window rather than per interval."""
        return self.channel == "email"

    @property
    def effective_aht_s(self) -> float:
        """Handle time per contact of one agent's capacity [s]: AHT / concurrency.

        The chat approximation: an agent with ``k`` chats at once serves them as
        ``k`` parallel servers of the same AHT; real concurrency slows each chat,
        which the configured AHT should already reflect.
        """
        return self.aht_s / self.concurrency


def interval_requirements(intervals: pd.DataFrame, target: QueueTarget,
                          interval_min: int) -> pd.DataFrame:
    """Agents needed in each interval of one queue, and the outcomes at that staffing.

    Parameters
    ----------
    intervals : DataFrame
        ``interval_start`` (tz-aware), ``queue``, ``volume`` [contacts/interval]
        for the queue's open intervals, in time order.
    target : QueueTarget
    interval_min : int
        Interval length [min].

    Returns
    -------
    DataFrame
        :data:`REQUIREMENT_COLUMNS`: ``agents`` [agents, integer for real-time
        queues], ``sl`` [fraction], ``asa_s`` [s], ``occupancy`` [fraction],
        ``fte`` = agents / (1 - shrinkage) [scheduled agents]. For async work
        the response target is met across the window by construction, so
        ``sl`` and ``asa_s`` are NaN (not a per-interval quantity). A
        ``volume`` below :data:`NEGLIGIBLE_CONTACTS` is zero (and written as 0).
    """
    interval_s = interval_min * 60.0  # [min] -> [s]
    volume = intervals["volume"].to_numpy(float)
    volume = np.where(volume < NEGLIGIBLE_CONTACTS, 0.0, volume)
    out = intervals[["interval_start", "queue"]].reset_index(drop=True).copy()
    out["volume"] = volume
    intervals = intervals.assign(volume=volume)
    if target.is_async and target.async_mode == "backlog":
        # work carries from interval to interval and day to day: each day's level clears
        # the backlog by its deadlines (staffing.serve.backlog_requirements)
        carried = backlog_requirements(intervals.reset_index(drop=True), target, interval_min)
        out["agents"] = carried["agents"].to_numpy(float)
        out["sl"] = np.nan  # async: met across the response window, not per interval
        out["asa_s"] = np.nan
        out["occupancy"] = carried["occupancy"].to_numpy(float)
    elif target.is_async:
        # "spread" levels each local day's work over that day's open intervals
        # (the response window is a day or less); "just_in_time" needs the whole
        # series to see the deadlines that cross midnight.
        day = out["interval_start"].dt.tz_localize(None).dt.normalize().to_numpy()
        groups = [np.arange(len(volume))] if target.async_mode == "just_in_time" else \
            [np.flatnonzero(day == d) for d in np.unique(day)]
        agents = np.zeros(len(volume))
        for rows in groups:
            agents[rows] = async_agents(volume[rows], np.ones(len(rows), bool), target.aht_s,
                                        interval_s, target.target_answer_s,
                                        target_sl=target.target_sl, mode=target.async_mode,
                                        max_occupancy=target.max_occupancy or 1.0)
        agents = np.asarray(agents, float)
        with np.errstate(divide="ignore", invalid="ignore"):
            occ = np.where(agents > 0, volume * target.aht_s / interval_s / agents, 0.0)
        out["agents"] = agents
        out["sl"] = np.nan  # async: met across the response window, not per interval
        out["asa_s"] = np.nan
        out["occupancy"] = occ
    else:
        aht = target.effective_aht_s
        agents = required_agents(volume, aht, interval_s, target.target_sl, target.target_answer_s,
                                 max_occupancy=target.max_occupancy, max_asa_s=target.max_asa_s,
                                 patience_s=target.patience_s, max_abandon=target.max_abandon)
        agents = np.asarray(agents)
        out["agents"] = agents.astype(float)
        out["sl"] = service_level(agents, volume, aht, interval_s, target.target_answer_s,
                                  patience_s=target.patience_s)
        out["asa_s"] = asa_s(agents, volume, aht, interval_s, patience_s=target.patience_s)
        with np.errstate(divide="ignore", invalid="ignore"):
            out["occupancy"] = np.where(agents > 0, occupancy(np.maximum(agents, 1), volume, aht,
                                                              interval_s), 0.0)
    out["fte"] = out["agents"] / (1.0 - target.shrinkage)
    return out[REQUIREMENT_COLUMNS]


def daily_requirements(requirements: pd.DataFrame, interval_min: int,
                       paid_hours_per_fte_day: float = 8.0) -> pd.DataFrame:
    """Scheduled FTE per day from the interval requirements.

    Parameters
    ----------
    requirements : DataFrame
        :func:`interval_requirements` output (``fte`` already holds shrinkage).
    interval_min : int
        Interval length [min].
    paid_hours_per_fte_day : float
        Paid hours of one FTE on a working day [h].

    Returns
    -------
    DataFrame
        ``date`` (local), ``queue``, ``volume`` [contacts/day],
        ``agent_hours`` [h of productive agents], ``required_fte`` [FTE] =
        scheduled agent-hours / paid hours per FTE-day.

    Notes
    -----
    This assumes shifts can be laid to follow the intraday curve; real rosters
    add some idle time, which ``shrinkage`` or a higher ``max_occupancy``
    margin should absorb.
    """
    if paid_hours_per_fte_day <= 0:
        raise ValueError(f"paid_hours_per_fte_day: expected > 0 hours, got {paid_hours_per_fte_day!r}")
    hours = interval_min / 60.0  # [min] -> [h]
    frame = requirements.assign(
        date=requirements["interval_start"].dt.tz_localize(None).dt.normalize(),
        agent_hours=requirements["agents"] * hours,
        fte_hours=requirements["fte"] * hours)
    daily = frame.groupby(["date", "queue"], as_index=False)[
        ["volume", "agent_hours", "fte_hours"]].sum()
    daily["required_fte"] = daily["fte_hours"] / paid_hours_per_fte_day
    daily["date"] = daily["date"].astype("datetime64[ns]")
    return daily[DAILY_COLUMNS]


def headcount(fte, days_per_week: float = 7.0, work_days_per_week: float = 5.0):
    """People to employ so that ``fte`` FTE are on shift every day [people].

    Parameters
    ----------
    fte : float or array_like
        FTE needed on each day the queue is open [FTE].
    days_per_week : float
        Days a week the queue is staffed [days].
    work_days_per_week : float
        Days a week one full-time person works [days].

    Returns
    -------
    numpy.ndarray or float
        ``ceil(fte x days_per_week / work_days_per_week)``; shrinkage is already in ``fte``.

    Examples
    --------
    >>> int(headcount(10.0))  # 10 FTE a day, 7 days a week, people working 5 days -> 14
    14
    """
    if not 0 < work_days_per_week <= 7 or not 0 < days_per_week <= 7:
        raise ValueError(f"days_per_week and work_days_per_week: expected in (0, 7], got "
                         f"{days_per_week!r} and {work_days_per_week!r}")
    return np.ceil(np.round(np.asarray(fte, float) * days_per_week / work_days_per_week, 9))


def expected_service_level(requirements: pd.DataFrame, target: QueueTarget, interval_min: int,
                           staffed_share: pd.Series) -> pd.Series:
    """Daily service level of one queue when only part of the requirement is staffed.

    Parameters
    ----------
    requirements : DataFrame
        :func:`interval_requirements` of the queue.
    target : QueueTarget
    interval_min : int
        Interval length [min].
    staffed_share : Series
        Indexed by local date: the share of the required FTE staffed that day
        [fraction]; days not given are fully staffed.

    Returns
    -------
    Series
        Volume-weighted daily service level [fraction], indexed by date. Each
        interval keeps ``floor(agents x share)`` agents. For async work, where
        no per-interval level exists, the staffed share itself (the share of
        the work cleared within its window) is returned.
    """
    date = requirements["interval_start"].dt.tz_localize(None).dt.normalize()
    share = date.map(staffed_share).fillna(1.0).clip(0.0, 1.0).to_numpy()
    volume = requirements["volume"].to_numpy(float)
    if target.is_async:
        sl = share
    else:
        agents = np.floor(requirements["agents"].to_numpy(float) * share + 1e-9)
        sl = service_level(agents, volume, target.effective_aht_s, interval_min * 60.0,
                           target.target_answer_s, patience_s=target.patience_s)
        sl = np.where(volume > 0, sl, 1.0)
    weighted = pd.Series(sl * volume, index=date).groupby(level=0).sum()
    total = pd.Series(volume, index=date).groupby(level=0).sum()
    return (weighted / total.where(total > 0)).fillna(1.0).rename("expected_sl")


def plan_expected_sl(plan: pd.DataFrame, intervals: pd.DataFrame, targets, interval_min: int
                     ) -> pd.Series:
    """Each plan row's expected service level, given the share of its requirement staffed.

    Parameters
    ----------
    plan : DataFrame
        ``date``, ``queue``, ``required_fte``, ``core_fte`` and
        ``shortfall_fte`` [FTE].
    intervals : DataFrame
        :func:`interval_requirements` of every queue.
    targets : iterable of QueueTarget
        One per queue of the plan.
    interval_min : int
        Interval length [min].

    Returns
    -------
    Series
        ``expected_sl`` [fraction] aligned with ``plan``'s index
        (:func:`expected_service_level` of each day; 1 on a day with no
        requirement).
    """
    out = []
    for target in targets:
        rows = plan[plan["queue"] == target.queue]
        required = rows["required_fte"].to_numpy(float)
        short = rows["shortfall_fte"].to_numpy(float)
        mine = intervals[intervals["queue"] == target.queue]
        if target.is_async and target.async_mode == "backlog":
            # work carries: a core larger than a quiet day's requirement works a backlog off
            on = np.maximum(required, rows["core_fte"].to_numpy(float)) - short
            with np.errstate(divide="ignore", invalid="ignore"):
                staffed = np.where(required > 0, on / required, 1.0)
            sl = expected_on_time_share(mine.reset_index(drop=True), target, interval_min,
                                        pd.Series(staffed, index=rows["date"].to_numpy()))
        else:
            with np.errstate(divide="ignore", invalid="ignore"):
                staffed = np.where(required > 0, 1.0 - short / required, 1.0)
            sl = expected_service_level(mine, target, interval_min,
                                        pd.Series(staffed, index=rows["date"].to_numpy()))
        out.append(pd.Series(rows["date"].map(sl).fillna(1.0).to_numpy(float), index=rows.index))
    if not out:
        return pd.Series(np.ones(len(plan)), index=plan.index, name="expected_sl")
    return pd.concat(out).reindex(plan.index).rename("expected_sl")


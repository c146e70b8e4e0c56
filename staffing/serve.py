"""Serve the demand that came with the staff a plan put on, interval by interval.

The domain engine of a plan's backtest (``surgeplan evaluate``) and of the
backlog-aware async plan:

* :func:`serve_live`: phone and chat, Erlang C (Erlang A with ``patience_s``)
  per interval, at a possibly fractional number of agents;
* :func:`serve_async`: email and Tier 2, a first-come-first-served backlog
  carried from interval to interval and day to day (:mod:`staffing.backlog`),
  and :func:`async_daily`, each day's on-time share;
* :func:`backlog_requirements`: agents per interval so that the backlog clears
  within the response window, carried across days;
* :func:`expected_on_time_share`: a day's expected on-time share when only part
  of an async requirement is staffed, the backlog carried.

``target`` is a :class:`staffing.requirements.QueueTarget` (read through its
fields only: this module does not import :mod:`staffing.requirements`, so that
module may import this one).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from staffing._numerics import _check
from staffing.backlog import COUNT_RTOL, backlog_agents, fifo_serve, interval_seconds
from staffing.erlang import asa_s, service_level
from staffing.erlang_a import abandon_probability

__all__ = ["LIVE_COLUMNS", "ASYNC_COLUMNS", "ASYNC_DAILY_COLUMNS", "BACKLOG_COLUMNS",
           "serve_live", "serve_async", "async_daily", "backlog_requirements",
           "expected_on_time_share"]

LIVE_COLUMNS = ["interval_start", "queue", "volume", "agents", "sl", "asa_s", "abandon",
                "occupancy", "meets"]
ASYNC_COLUMNS = ["interval_start", "queue", "volume", "agents", "open", "capacity", "served",
                 "backlog", "answered_on_time", "answered_late", "oldest_age_s", "on_time", "late",
                 "pending", "sl", "meets"]
ASYNC_DAILY_COLUMNS = ["date", "queue", "volume", "on_time", "late", "pending", "on_time_share"]
BACKLOG_COLUMNS = ["interval_start", "queue", "volume", "open", "agents", "sl", "occupancy"]


def _columns(frame: pd.DataFrame, required: list[str], name: str) -> None:
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise ValueError(f"{name}: missing column(s) {', '.join(missing)}; required "
                         f"{', '.join(required)}, found {', '.join(map(str, frame.columns))}")
    if "queue" in frame.columns and frame["queue"].nunique() > 1:
        raise ValueError(f"{name}: expected the rows of one queue, got queues "
                         f"{', '.join(map(str, frame['queue'].unique()))}")


def _open(frame: pd.DataFrame) -> np.ndarray:
    return frame["open"].to_numpy(bool) if "open" in frame.columns else np.ones(len(frame), bool)


def _local_date(interval_start: pd.Series) -> pd.Series:
    return interval_start.dt.tz_localize(None).dt.normalize().astype("datetime64[ns]")


# ---------------------------------------------------------------- live queues
def _live_at(agents, volume, aht_s, interval_s, target_answer_s, patience_s):
    """SL, P(abandon), ASA [s] and busy agents at whole agent counts."""
    sl = service_level(agents, volume, aht_s, interval_s, target_answer_s, patience_s=patience_s)
    asa = asa_s(agents, volume, aht_s, interval_s, patience_s=patience_s)
    traffic = volume * aht_s / interval_s  # [contacts/interval] -> [Erlang]
    if patience_s is None:
        abandon = np.zeros_like(traffic)
    else:
        abandon = abandon_probability(agents, volume, aht_s, interval_s, patience_s)
    busy = np.minimum(traffic * (1.0 - abandon), agents)  # only answered contacts load agents
    return np.asarray(sl, float), np.asarray(abandon, float), np.asarray(asa, float), busy


def serve_live(intervals: pd.DataFrame, target, interval_min: int) -> pd.DataFrame:
    """Outcomes of a live queue (phone, chat) per interval, at the agents staffed.

    Parameters
    ----------
    intervals : DataFrame
        ``interval_start``, ``queue`` (one queue), ``volume`` (the arrivals
        that came) [contacts/interval] and ``agents`` (staffed, productive,
        possibly fractional) [agents].
    target : QueueTarget
        The queue's targets; chat uses ``effective_aht_s`` (AHT /
        concurrency), Erlang A when ``patience_s`` is set.
    interval_min : int
        Interval length [min].

    Returns
    -------
    DataFrame
        :data:`LIVE_COLUMNS`: ``sl`` [fraction] answered within
        ``target_answer_s`` (abandons are misses), ``asa_s`` [s] of answered
        contacts (``inf`` when none is answered or Erlang C has agents <=
        traffic), ``abandon`` [fraction] of offered contacts (0 in Erlang C),
        ``occupancy`` [fraction], and ``meets``: ``sl >= target_sl``, ``asa_s <=
        max_asa_s`` and ``abandon <= max_abandon`` when set (occupancy is a
        planning cap, not a service outcome). An interval with no arrivals meets.

    Raises
    ------
    ValueError
        For missing columns, several queues, negative or NaN volume or agents.

    Notes
    -----
    A fractional staffing ``s = f + w`` (0 < w < 1) is read as ``f + 1``
    agents for the share ``w`` of the interval and ``f`` for the rest (time
    sharing: half an agent is one agent for half the interval), so every
    outcome is the mix of the two whole-agent outcomes: SL and abandonment
    weighted by ``w`` (arrivals are uniform in the interval), ASA by answered
    contacts, occupancy as busy agent-time over staffed agent-time. SL is
    then linear between the floor and the ceiling, never above the ceiling's
    (rounding up would flatter the plan) nor below the floor's. Erlang C
    assumptions hold (steady state within each interval), so a load above
    the agents gives SL 0 for the whole interval.

    Examples
    --------
    >>> from staffing.requirements import QueueTarget
    >>> phone = QueueTarget("phone", "phone", aht_s=180, target_sl=0.8, target_answer_s=20)
    >>> frame = pd.DataFrame({"interval_start": pd.date_range("2026-11-02 09:00", periods=2,
    ...                       freq="30min", tz="UTC"), "queue": "phone", "volume": [100.0, 100.0],
    ...                       "agents": [14.0, 13.5]})
    >>> out = serve_live(frame, phone, 30)  # 13.5: half-way between 13 (0.7956) and 14 agents
    >>> out["sl"].round(4).tolist(), out["meets"].tolist()
    ([0.8884, 0.842], [True, True])
    """
    _columns(intervals, ["interval_start", "queue", "volume", "agents"], "intervals")
    interval_s = interval_min * 60.0  # [min] -> [s]
    volume = _check("volume", intervals["volume"].to_numpy(float))
    agents = _check("agents", intervals["agents"].to_numpy(float))
    aht = target.effective_aht_s
    whole = np.floor(agents + 1e-9)
    w = np.clip(agents - whole, 0.0, 1.0)
    w = np.where(w < 1e-9, 0.0, w)
    args = (volume, aht, interval_s, target.target_answer_s, target.patience_s)
    sl0, ab0, asa0, busy0 = _live_at(whole, *args)
    sl1, ab1, asa1, busy1 = _live_at(whole + 1.0, *args)
    sl = (1.0 - w) * sl0 + w * sl1
    abandon = (1.0 - w) * ab0 + w * ab1
    n0, n1 = (1.0 - w) * (1.0 - ab0), w * (1.0 - ab1)  # answered share in each part
    with np.errstate(invalid="ignore", divide="ignore"):
        waited = np.where(n0 > 0, n0 * asa0, 0.0) + np.where(n1 > 0, n1 * asa1, 0.0)
        asa = np.where(n0 + n1 > 0, waited / (n0 + n1), np.inf)
        occupancy = np.where(agents > 0, ((1.0 - w) * busy0 + w * busy1) / agents, 0.0)
    empty = volume == 0
    sl, abandon = np.where(empty, 1.0, sl), np.where(empty, 0.0, abandon)
    asa, occupancy = np.where(empty, 0.0, asa), np.where(empty, 0.0, occupancy)
    meets = sl >= target.target_sl - COUNT_RTOL
    if target.max_asa_s is not None:
        meets &= asa <= target.max_asa_s * (1.0 + COUNT_RTOL)
    if target.max_abandon is not None:
        meets &= abandon <= target.max_abandon + COUNT_RTOL
    out = intervals[["interval_start", "queue", "volume", "agents"]].reset_index(drop=True).copy()
    out["sl"], out["asa_s"], out["abandon"] = sl, asa, abandon
    out["occupancy"], out["meets"] = np.minimum(occupancy, 1.0), meets | empty
    return out[LIVE_COLUMNS]


# ---------------------------------------------------------------- async queues
def serve_async(intervals: pd.DataFrame, target, interval_min: int) -> pd.DataFrame:
    """Serve an async queue (email, Tier 2) first come first served, carrying the backlog.

    Parameters
    ----------
    intervals : DataFrame
        ``interval_start`` (tz-aware, time order, one queue), ``queue``,
        ``volume`` (arrivals) [contacts/interval], ``agents`` (staffed)
        [agents], and optionally ``open`` (bool, default True): closed rows
        carry arrivals that wait for the next open interval, never vanish. A
        day with no open hour can be given as closed rows holding its arrivals
        (one row at midnight is enough).
    target : QueueTarget
        ``target_answer_s`` is the response window [s] from arrival,
        wall-clock; ``target_sl`` the share to answer within it.
    interval_min : int
        Interval length [min].

    Returns
    -------
    DataFrame
        :data:`ASYNC_COLUMNS`: ``capacity`` [contacts] = agents x interval x
        ``max_occupancy`` (1 if unset) / ``effective_aht_s`` on open rows;
        ``served``, ``backlog`` (at the interval's end), ``answered_on_time``,
        ``answered_late`` (of those served in the interval) [contacts];
        ``oldest_age_s`` [s]; ``on_time``, ``late``, ``pending`` (the fate of
        the interval's own arrivals, :class:`staffing.backlog.FifoOutcome`)
        [contacts]; ``sl`` = on_time / (on_time + late) [fraction] (1 with no
        arrivals, NaN while all are pending); ``meets``: at least ``target_sl``
        of the interval's decided arrivals answered by their deadline.

    Raises
    ------
    ValueError
        For missing columns, several queues, bad values or overlapping rows.

    Notes
    -----
    The timing conventions are :mod:`staffing.backlog`'s: arrivals credited
    at their interval's start, answers at the end of the interval that serves
    them (conservative by up to one interval). ``sl`` is attributed to the
    interval the contacts *arrived* in, like a live queue's service level, so
    volume-weighted means of both kinds agree; it depends on later intervals,
    which is why the run must reach past the last day judged by one response
    window (contacts still waiting at the end with their deadline ahead are
    ``pending``).

    Examples
    --------
    >>> from staffing.requirements import QueueTarget
    >>> email = QueueTarget("email", "email", aht_s=1800, target_sl=0.9, target_answer_s=3600)
    >>> frame = pd.DataFrame({"interval_start": pd.date_range("2026-11-02 09:00", periods=3,
    ...                       freq="30min", tz="UTC"), "queue": "email",
    ...                       "volume": [4.0, 0.0, 0.0], "agents": [1.0, 1.0, 1.0]})
    >>> out = serve_async(frame, email, 30)
    >>> out[["served", "backlog", "answered_late"]].to_numpy().tolist()
    [[1.0, 3.0, 0.0], [1.0, 2.0, 0.0], [1.0, 1.0, 1.0]]
    >>> float(out["sl"].iloc[0]), bool(out["meets"].iloc[0])
    (0.5, False)
    """
    _columns(intervals, ["interval_start", "queue", "volume", "agents"], "intervals")
    interval_s = interval_min * 60.0  # [min] -> [s]
    volume = _check("volume", intervals["volume"].to_numpy(float))
    agents = _check("agents", intervals["agents"].to_numpy(float))
    open_ = _open(intervals)
    start_s, _ = interval_seconds(intervals["interval_start"])
    occ = target.max_occupancy or 1.0
    # agents x [s] x occupancy / [s per contact] -> [contacts per interval]
    capacity = np.where(open_, agents * interval_s * occ / target.effective_aht_s, 0.0)
    run = fifo_serve(volume, capacity, start_s, interval_s, target.target_answer_s)
    tol = COUNT_RTOL * max(1.0, float(volume.sum()))
    decided = run.on_time + run.late
    with np.errstate(invalid="ignore", divide="ignore"):
        sl = np.where(decided > 0, run.on_time / decided, np.where(volume > 0, np.nan, 1.0))
    out = intervals[["interval_start", "queue", "volume", "agents"]].reset_index(drop=True).copy()
    out["open"] = open_
    out["capacity"] = capacity
    for name in ("served", "backlog", "answered_on_time", "answered_late", "oldest_age_s",
                 "on_time", "late", "pending"):
        out[name] = getattr(run, name)
    out["sl"] = sl
    out["meets"] = run.on_time + tol >= target.target_sl * decided
    return out[ASYNC_COLUMNS]


def async_daily(served: pd.DataFrame) -> pd.DataFrame:
    """Each day's on-time share of an async queue, from :func:`serve_async`.

    Parameters
    ----------
    served : DataFrame
        :func:`serve_async` output (one queue or several).

    Returns
    -------
    DataFrame
        :data:`ASYNC_DAILY_COLUMNS`, one row per local date and queue:
        ``volume``, ``on_time``, ``late``, ``pending`` [contacts] of the
        contacts that *arrived* that day, and ``on_time_share`` = on_time /
        (on_time + late) [fraction], NaN when nothing is decided (no arrivals,
        or all still pending at the run's end).
    """
    _columns(served.drop(columns="queue"), ["interval_start", "volume", "on_time", "late",
                                            "pending"], "served")
    frame = served.assign(date=_local_date(served["interval_start"]))
    daily = frame.groupby(["date", "queue"], as_index=False)[
        ["volume", "on_time", "late", "pending"]].sum()
    decided = daily["on_time"] + daily["late"]
    daily["on_time_share"] = (daily["on_time"] / decided.where(decided > 0)).astype(float)
    return daily[ASYNC_DAILY_COLUMNS]


def backlog_requirements(intervals: pd.DataFrame, target, interval_min: int) -> pd.DataFrame:
    """Agents per interval of an async queue so that its backlog clears within the window.

    Parameters
    ----------
    intervals : DataFrame
        ``interval_start`` (tz-aware, time order), ``queue`` (one queue),
        ``volume`` (the forecast) [contacts/interval], optionally ``open``
        (bool, default True; closed rows hold arrivals that wait).
    target : QueueTarget
    interval_min : int
        Interval length [min].

    Returns
    -------
    DataFrame
        :data:`BACKLOG_COLUMNS`: ``agents`` [agents] (one level per local day
        on its open rows, :func:`staffing.backlog.backlog_agents` with
        ``target_sl``, ``max_occupancy`` and ``effective_aht_s``), and, served
        with that forecast (:func:`serve_async`), ``sl`` [fraction] the
        on-time share of each interval's arrivals and ``occupancy``
        [fraction] the busy share of the staffed time.

    Notes
    -----
    It replaces the per-day ``"spread"`` levelling where work carries: a
    day whose own work, spread, already meets every deadline keeps that
    level; a day that inherits a backlog (after a short day, or an
    escalation raised while Tier 2 was closed) gets what clears it in time.
    Contacts no open interval can answer in time are answered, late, on the
    next open day.
    """
    _columns(intervals, ["interval_start", "queue", "volume"], "intervals")
    interval_s = interval_min * 60.0  # [min] -> [s]
    volume = _check("volume", intervals["volume"].to_numpy(float))
    open_ = _open(intervals)
    start_s, day = interval_seconds(intervals["interval_start"])
    agents = backlog_agents(volume, open_, start_s, day, target.effective_aht_s, interval_s,
                            target.target_answer_s, target_sl=target.target_sl,
                            max_occupancy=target.max_occupancy or 1.0)
    frame = intervals[["interval_start", "queue", "volume"]].reset_index(drop=True).assign(
        agents=agents, open=open_)
    served = serve_async(frame, target, interval_min)
    with np.errstate(invalid="ignore", divide="ignore"):
        # contacts x [s per contact] / (agents x [s]) -> busy share of staffed time
        occupancy = np.where(agents > 0, served["served"].to_numpy() * target.effective_aht_s
                             / (agents * interval_s), 0.0)
    frame["sl"] = served["sl"].to_numpy()
    frame["occupancy"] = occupancy
    return frame[BACKLOG_COLUMNS]


def expected_on_time_share(requirements: pd.DataFrame, target, interval_min: int,
                           staffed_share: pd.Series) -> pd.Series:
    """A day's expected on-time share of an async queue when part of its requirement is staffed.

    Parameters
    ----------
    requirements : DataFrame
        ``interval_start``, ``queue``, ``volume`` (the forecast)
        [contacts/interval] and ``agents`` (the requirement) [agents] of one
        async queue, optionally ``open`` (as in :func:`serve_async`).
    target : QueueTarget
    interval_min : int
        Interval length [min].
    staffed_share : Series
        Indexed by local date: staffed FTE over that day's required FTE
        [ratio]; days not given are fully staffed (1). It may exceed 1: a core
        larger than a quiet day's requirement works off the backlog.

    Returns
    -------
    Series
        ``expected_sl`` [fraction] indexed by local date: of the contacts that
        arrive that day, the share answered by their deadline when each
        interval keeps ``agents x share`` (fluid: async work has no whole-agent
        step) and the backlog a short day leaves is carried into the next
        days, first come first served. 1 on a day with nothing decided (no
        arrivals, or all still waiting at the plan's end).

    Notes
    -----
    Unlike ``staffed_share`` itself (what :func:`staffing.requirements.
    expected_service_level` gives async queues), the share stays below 1
    after a short day until the backlog is gone, since the next day's
    contacts queue behind it.

    Examples
    --------
    One interval a day, a one-day window, two emails a day and one agent who
    answers two an interval; the first day is staffed at half. One email is
    left over each day and the next day's queue behind it, so every day
    stays at 0.5 (the staffed share alone would say 1 from day 2):

    >>> from staffing.requirements import QueueTarget
    >>> email = QueueTarget("email", "email", aht_s=900, target_sl=0.9, target_answer_s=86400)
    >>> starts = pd.date_range("2026-11-02 09:00", periods=4, freq="D", tz="UTC")
    >>> req = pd.DataFrame({"interval_start": starts, "queue": "email",
    ...                     "volume": [2.0, 2.0, 2.0, 0.0], "agents": 1.0})
    >>> share = pd.Series([0.5], index=[pd.Timestamp("2026-11-02")])
    >>> expected_on_time_share(req, email, 30, share).tolist()
    [0.5, 0.5, 0.5, 1.0]
    """
    _columns(requirements, ["interval_start", "queue", "volume", "agents"], "requirements")
    date = _local_date(requirements["interval_start"])
    share = date.map(staffed_share).astype(float).fillna(1.0).clip(lower=0.0).to_numpy()
    frame = requirements.reset_index(drop=True).assign(
        agents=requirements["agents"].to_numpy(float) * share)
    daily = async_daily(serve_async(frame, target, interval_min))
    return pd.Series(daily["on_time_share"].fillna(1.0).to_numpy(),
                     index=pd.DatetimeIndex(daily["date"]), name="expected_sl")

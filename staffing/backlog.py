"""Async work with memory: a first-come-first-served backlog carried from interval to interval.

Email and Tier 2 contacts are not lost when the queue is short or closed: they
wait, oldest first, and each one is due ``target_response_s`` after it arrived
(wall-clock time). This module serves a series of intervals with a given
capacity (:func:`fifo_serve`) and sizes the capacity so that the backlog clears
within the response window, day after day (:func:`backlog_agents`).

numpy (pandas only in :func:`interval_seconds`); no ``QueueTarget``, so
:mod:`staffing.requirements` may import it without a cycle.

Conventions shared by both functions
------------------------------------
* Interval ``k`` covers ``[start_s[k], start_s[k] + interval_s)``. The rows need
  not be contiguous: a gap is time with no row (and so no capacity); rows that
  are *closed* carry arrivals but no capacity.
* Work is a fluid. The contacts of interval ``j`` (its *cohort*) are credited at
  the interval's start; a contact served in interval ``k`` is answered at the
  interval's end. It is **on time** when
  ``start_s[k] + interval_s <= start_s[j] + max(target_response_s, interval_s)``.
  Both roundings are conservative: a contact counted on time truly waited no
  longer than its window; with a window that is a whole number of intervals ``w``
  this is "served within its own interval and the ``w - 1`` after it", the rule of
  :func:`staffing.async_work.async_agents`.
* Service is first come, first served, which here is also earliest deadline
  first (every contact has the same window), so it is the order that misses the
  fewest deadlines for a given capacity.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from staffing._numerics import _check

__all__ = ["COUNT_RTOL", "FifoOutcome", "fifo_serve", "backlog_agents", "interval_seconds"]

#: Relative tolerance on contact counts (of the run's total arrivals): a shortfall below it is rounding.
COUNT_RTOL = 1e-9
_ROUNDS = 6  # bracket refinements of a day's level: 32**6 ~ 1e9 steps between floor and ceiling
_GRID = 33


@dataclass(frozen=True)
class FifoOutcome:
    """What a fluid FIFO run did, per interval (all arrays of shape (n,)).

    Attributes
    ----------
    served : ndarray
        Contacts answered in the interval [contacts].
    backlog : ndarray
        Contacts still waiting at the interval's end [contacts].
    answered_on_time, answered_late : ndarray
        Of ``served``, those within and past their deadline [contacts].
    oldest_age_s : ndarray
        Age at the interval's end of the oldest contact still waiting, from
        its interval's start [s]; 0 with no backlog.
    on_time, late, pending : ndarray
        The fate of the interval's own arrivals [contacts]: answered by their
        deadline; decided late (answered after it, or unanswered when it
        passed); unanswered at the last interval's end with the deadline still
        ahead (undecided). ``on_time + late + pending`` = arrivals.
    """

    served: np.ndarray
    backlog: np.ndarray
    answered_on_time: np.ndarray
    answered_late: np.ndarray
    oldest_age_s: np.ndarray
    on_time: np.ndarray
    late: np.ndarray
    pending: np.ndarray

    def __post_init__(self):
        shapes = {name: np.shape(getattr(self, name)) for name in self.__dataclass_fields__}
        if len(set(shapes.values())) != 1:
            raise ValueError(f"FifoOutcome: every array must have one shape, got {shapes}")


def _grid(arrivals, start_s, interval_s, target_response_s):
    """Validated arrays and the deadline row of each cohort."""
    lam = _check("arrivals_per_interval", arrivals)
    start = np.asarray(start_s, dtype=float)
    if lam.ndim != 1 or start.shape != lam.shape:
        raise ValueError(f"arrivals_per_interval and start_s must be 1-D of one length, got shapes "
                         f"{lam.shape} and {start.shape}")
    interval = float(_check("interval_s", interval_s, positive=True))
    window = float(_check("target_response_s", target_response_s, allow_inf=True))
    if not np.all(np.isfinite(start)):
        raise ValueError("start_s must be finite, got a NaN or infinite interval start")
    gaps = np.diff(start)
    if np.any(gaps < interval - 1e-6):
        k = int(np.flatnonzero(gaps < interval - 1e-6)[0])
        raise ValueError(f"start_s must increase by at least interval_s={interval!r} s; rows {k} and "
                         f"{k + 1} start {gaps[k]!r} s apart")
    end = start + interval
    deadline = start + max(window, interval)
    # last row that ends by the deadline (>= own row, since deadline >= own end)
    last_ok = np.searchsorted(end, deadline + 1e-6, side="right") - 1
    return lam, start, end, interval, deadline, last_ok


def fifo_serve(arrivals_per_interval, capacity_per_interval, start_s, interval_s,
               target_response_s) -> FifoOutcome:
    """Serve a series of intervals first come, first served, carrying the backlog.

    Parameters
    ----------
    arrivals_per_interval : array_like, shape (n,)
        Contacts arriving in each interval [contacts/interval]; closed
        intervals may hold arrivals.
    capacity_per_interval : array_like, shape (n,)
        Contacts the staff can answer in each interval [contacts/interval]:
        agents x interval_s x occupancy / AHT, 0 when closed.
    start_s : array_like, shape (n,)
        Interval starts, increasing by at least ``interval_s`` [s, any epoch].
    interval_s : float
        Interval length [s].
    target_response_s : float
        Response window from arrival [s]; ``inf`` for no deadline.

    Returns
    -------
    FifoOutcome
        Per-interval service and backlog, and the fate of each interval's
        arrivals.

    Raises
    ------
    ValueError
        Naming the argument: negative or NaN counts, mismatched shapes,
        overlapping intervals.

    Notes
    -----
    The queue length obeys Lindley's recursion with arrivals credited at the
    interval start: ``served[k] = min(capacity[k], backlog[k-1] + arrivals[k])``.
    With ``D[k]`` the contacts served up to the end of interval ``k`` and
    ``A[j]`` those arrived up to interval ``j``, FIFO answers the contacts in
    arrival order, so cohort ``j`` occupies the positions ``(A[j-1], A[j]]`` and
    its on-time part is ``clip(D[K_j] - A[j-1], 0, arrivals[j])``, ``K_j`` the
    last interval ending by its deadline. Served work of interval ``k`` is on
    time for the positions past ``A[J_k - 1]``, ``J_k`` the first cohort whose
    deadline is at or after the interval's end. See the module docstring for
    the timing conventions.

    References
    ----------
    .. [1] D. V. Lindley, "The theory of queues with a single server",
       Proc. Cambridge Philos. Soc. 48(2), 1952.
    .. [2] Assembled, "Forecasting and staffing for async channels".

    Examples
    --------
    Ten emails in the first hour, capacity 4 an hour, a two-hour window:
    4 answered in hour 1, 4 in hour 2 (both on time), 2 in hour 3 (late).

    >>> out = fifo_serve([10, 0, 0], [4, 4, 4], [0, 3600, 7200], 3600, 7200)
    >>> out.served.tolist(), out.answered_late.tolist(), out.on_time.tolist()
    ([4.0, 4.0, 2.0], [0.0, 0.0, 2.0], [8.0, 0.0, 0.0])
    """
    lam, start, end, _, deadline, last_ok = _grid(arrivals_per_interval, start_s, interval_s,
                                                  target_response_s)
    cap = _check("capacity_per_interval", capacity_per_interval)
    if cap.shape != lam.shape:
        raise ValueError(f"capacity_per_interval must have the shape of arrivals_per_interval "
                         f"{lam.shape}, got {cap.shape}")
    n = lam.size
    served = np.zeros(n)
    backlog = np.zeros(n)
    queue = 0.0
    for k in range(n):  # Lindley: arrivals at the start, then the interval's capacity
        queue += lam[k]
        served[k] = min(cap[k], queue)
        queue = max(queue - served[k], 0.0)
        backlog[k] = queue
    arrived = np.concatenate([[0.0], np.cumsum(lam)])  # arrived[j] = contacts before cohort j
    done = np.cumsum(served)  # served up to each interval's end
    tol = COUNT_RTOL * max(1.0, float(arrived[-1]))

    # each cohort's fate
    by_deadline = done[last_ok] if n else done
    on_time = np.clip(np.minimum(by_deadline, arrived[1:]) - arrived[:-1], 0.0, lam)
    undecided = deadline > end[-1] + 1e-6 if n else np.zeros(0, bool)
    served_by_end = np.clip(done[-1] - arrived[:-1], 0.0, lam) if n else lam
    pending = np.where(undecided, lam - served_by_end, 0.0)
    pending = np.where(pending < tol, 0.0, pending)
    on_time = np.where(on_time < tol, 0.0, on_time)
    late = np.maximum(lam - on_time - pending, 0.0)
    late = np.where(late < tol, 0.0, late)  # rounding in the sums is not a late contact
    on_time = np.maximum(lam - late - pending, 0.0)

    # each interval's answers: on time for positions of cohorts due at or after its end
    first_due = np.searchsorted(deadline, end - 1e-6, side="left")
    before = np.concatenate([[0.0], done[:-1]])
    answered_on_time = np.clip(done - np.maximum(before, arrived[first_due]), 0.0, served)
    answered_late = np.maximum(served - answered_on_time, 0.0)
    answered_late = np.where(answered_late < tol, 0.0, answered_late)
    answered_on_time = served - answered_late

    # the oldest waiting contact's cohort: the first whose last position is past D[k]
    oldest = np.minimum(np.searchsorted(arrived[1:], done + tol, side="right"), max(n - 1, 0))
    oldest_age_s = np.where(backlog > tol, end - start[oldest] if n else 0.0, 0.0)
    return FifoOutcome(served=served, backlog=backlog, answered_on_time=answered_on_time,
                       answered_late=answered_late, oldest_age_s=oldest_age_s, on_time=on_time,
                       late=late, pending=pending)


def backlog_agents(arrivals_per_interval, open_mask, start_s, day, aht_s, interval_s,
                   target_response_s, target_sl=1.0, max_occupancy=1.0):
    """Agents per interval so that a FIFO backlog clears within its response window, day by day.

    Parameters
    ----------
    arrivals_per_interval : array_like, shape (n,)
        Contacts arriving in each interval [contacts/interval], closed
        intervals included (they wait for the next open one).
    open_mask : array_like of bool, shape (n,)
        True where the team works in the interval.
    start_s : array_like, shape (n,)
        Interval starts, increasing by at least ``interval_s`` [s].
    day : array_like, shape (n,)
        Each interval's local day (any labels, non-decreasing): one staffing
        level is chosen per day.
    aht_s : float
        Handle time per contact of one agent [s] (AHT / concurrency).
    interval_s : float
        Interval length [s].
    target_response_s : float
        Response window from arrival, wall-clock [s].
    target_sl : float, default 1.0
        Share of each interval's contacts that must be answered by their
        deadline [fraction], in (0, 1].
    max_occupancy : float, default 1.0
        Share of an agent's time spent answering [fraction], in (0, 1].

    Returns
    -------
    numpy.ndarray, shape (n,)
        Agents [agents]: one level per day on that day's open intervals, 0
        on closed ones; fractional.

    Raises
    ------
    ValueError
        Naming the argument: bad values or shapes, days out of order, or
        arrivals with no open interval at all.

    Notes
    -----
    Each day with open intervals, in order, gets the least flat level ``L``
    such that, served first come first served from the backlog the previous
    days left (:func:`fifo_serve`'s conventions):

    * at least ``target_sl`` of every interval's arrivals whose last chance
      (the last open interval ending by their deadline) falls on this day is
      answered by then;
    * contacts that no open interval can answer in time (an escalation raised
      on Saturday with an 8-hour window) are answered by the end of the first
      open day after they arrive: late, but served on Monday, not dropped;
    * ``L`` is at least the day's own arrivals spread over its open
      intervals (the ``"spread"`` level of
      :func:`staffing.async_work.async_agents`), so the backlog never drifts
      and a day that spread already serves in time keeps exactly that level.

    The condition is monotone in ``L`` (more capacity never answers anyone
    later), so ``L`` is found by bracketing between that floor and the level
    that clears the whole backlog in the day's first open interval; the
    returned level is the bracket's feasible end (above the least level by at
    most 1e-9 of the bracket). Each day is chosen given the days before it
    (greedy in time), which is always feasible: a later day can always clear
    what it inherits. Contacts whose deadline lies past the last interval
    constrain nothing.

    References
    ----------
    .. [1] Assembled, "Forecasting and staffing for async channels".

    Examples
    --------
    Ten contacts arrive in the last hour of a four-hour day with a one-hour
    window: spread (2.5 an hour) would leave 7.5 late, so the day needs 10
    an hour (AHT one hour, so one agent answers one contact an hour).

    >>> backlog_agents([0, 0, 0, 10], [True] * 4, [0, 3600, 7200, 10800], [0] * 4,
    ...                3600, 3600, 3600).round(4).tolist()
    [10.0, 10.0, 10.0, 10.0]
    """
    lam, _, _, interval, _, last_ok = _grid(arrivals_per_interval, start_s, interval_s,
                                           target_response_s)
    n = lam.size
    open_ = np.asarray(open_mask)
    days = np.asarray(day)
    if open_.shape != lam.shape or days.shape != lam.shape:
        raise ValueError(f"open_mask and day must have the shape of arrivals_per_interval "
                         f"{lam.shape}, got {open_.shape} and {days.shape}")
    open_ = open_.astype(bool)
    aht = float(_check("aht_s", aht_s, positive=True))
    share = float(_check("target_sl", target_sl, positive=True, upper=1.0))
    occ = float(_check("max_occupancy", max_occupancy, positive=True, upper=1.0))
    agents = np.zeros(n)
    if n == 0 or lam.sum() == 0:
        return agents
    if n > 1 and np.any(days[1:] < days[:-1]):
        raise ValueError("day must be non-decreasing with start_s (one block of rows per day)")
    open_rows = np.flatnonzero(open_)
    if open_rows.size == 0:
        raise ValueError("open_mask has no open interval, but there are arrivals")
    per_agent = occ * interval / aht  # contacts one agent answers in an open interval
    arrived = np.concatenate([[0.0], np.cumsum(lam)])
    tol = 0.5 * COUNT_RTOL * max(1.0, float(arrived[-1]))  # half fifo_serve's: its sums may round

    # day blocks [bounds[i], bounds[i + 1]) and the last open row of each
    bounds = np.concatenate([[0], np.flatnonzero(days[1:] != days[:-1]) + 1, [n]])
    block = np.repeat(np.arange(bounds.size - 1), np.diff(bounds))
    last_open_of_block = np.full(bounds.size - 1, -1)
    np.maximum.at(last_open_of_block, block[open_rows], open_rows)

    # each cohort's last chance: the last open row ending by its deadline ...
    pos = np.searchsorted(open_rows, last_ok, side="right") - 1
    last_open = np.where(pos >= 0, open_rows[np.maximum(pos, 0)], -1)
    nxt = np.searchsorted(open_rows, np.arange(n), side="left")
    first_open = np.where(nxt < open_rows.size, open_rows[np.minimum(nxt, open_rows.size - 1)], n)
    avoidable = last_open >= first_open
    # ... or, when none can make it, the end of the first open day after it arrives
    fallback = np.where(first_open < n, last_open_of_block[block[np.minimum(first_open, n - 1)]], -1)
    chance = np.where(avoidable, last_open, fallback)
    need = np.where(avoidable, arrived[:-1] + share * lam, arrived[1:])  # position served by then
    binding = (lam > 0) & (chance >= 0)
    # D[r] >= need  <=>  backlog at the end of row r <= arrived[r + 1] - need
    limit = np.full(n, np.inf)
    np.minimum.at(limit, chance[binding], arrived[chance[binding] + 1] - need[binding])

    served_before = 0.0  # contacts answered before the current day
    for a, b in zip(bounds[:-1], bounds[1:]):
        opened = open_[a:b]
        if not opened.any():
            continue
        lam_d, limit_d = lam[a:b], limit[a:b] + tol
        waiting = arrived[a] - served_before
        slots = per_agent * opened

        def backlog(levels):
            # Lindley by reflection: Q = W - min(0, running min of W), W the unreflected queue
            w = waiting + np.cumsum(lam_d[None, :] - levels[:, None] * slots[None, :], axis=1)
            return w - np.minimum(np.minimum.accumulate(w, axis=1), 0.0)

        level = lam_d.sum() / (opened.sum() * per_agent)  # the day's own work, spread
        if not np.all(backlog(np.array([level]))[0] <= limit_d):
            lo, hi = level, (waiting + lam_d.sum()) / per_agent
            for _ in range(_ROUNDS):
                grid = np.linspace(lo, hi, _GRID)
                good = np.all(backlog(grid) <= limit_d[None, :], axis=1)
                good[-1] = True  # hi is feasible by construction (it clears every open row)
                first = int(np.argmax(good))
                lo, hi = grid[max(first - 1, 0)], grid[first]
            level = hi
        agents[a:b] = np.where(opened, level, 0.0)
        served_before = arrived[b] - backlog(np.array([level]))[0, -1]
    return agents


def interval_seconds(interval_start):
    """Interval starts in seconds and their local days, for the functions above.

    Parameters
    ----------
    interval_start : Series or DatetimeIndex
        Time-zone-aware interval starts, in time order.

    Returns
    -------
    start_s : numpy.ndarray of float
        Seconds since 1970-01-01 UTC [s] (so a day across a clock change
        lasts 23 or 25 hours of real time).
    day : numpy.ndarray of datetime64
        The local calendar day of each start.

    Raises
    ------
    ValueError
        If the timestamps are naive.

    Examples
    --------
    Noon to noon across the end of daylight saving time lasts 25 hours:

    >>> starts = pd.DatetimeIndex(["2026-10-31 12:00", "2026-11-01 12:00"]).tz_localize("America/New_York")
    >>> start_s, day = interval_seconds(starts)
    >>> float(start_s[1] - start_s[0]) / 3600
    25.0
    """
    ts = pd.DatetimeIndex(interval_start)
    if ts.tz is None:
        raise ValueError("interval_start must be time-zone aware (local interval starts), got naive "
                         "timestamps")
    start_s = np.asarray((ts - pd.Timestamp(0, tz="UTC")).total_seconds(), dtype=float)
    day = ts.tz_localize(None).normalize().to_numpy()
    return start_s, day

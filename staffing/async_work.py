"""Chat concurrency and asynchronous work (email, back office).

Async work is not answered the moment it arrives: it must be cleared within a
response window, so capacity is planned across that window instead of per
interval with Erlang C. Everything here is pure numpy.
"""

from __future__ import annotations

import numpy as np

from staffing._numerics import _check, _out

__all__ = ["chat_effective_aht_s", "async_agents"]

_MODES = ("spread", "just_in_time")


def chat_effective_aht_s(aht_s, concurrency):
    """Effective handle time of a chat when an agent runs ``concurrency`` chats at once.

    Parameters
    ----------
    aht_s : float or array_like
        Handle time of one chat, start to end [s].
    concurrency : float or array_like
        Chats an agent handles at the same time, k >= 1 [chats/agent].

    Returns
    -------
    numpy.float64 or numpy.ndarray
        aht_s / k [s], to pass to the Erlang functions as ``aht_s``.

    Raises
    ------
    ValueError
        If ``aht_s`` is not positive or ``concurrency`` is below 1 or NaN.

    Notes
    -----
    An approximation: it treats an agent with k chat slots as k independent
    servers of one k-th of an agent. It ignores that a chat's handle time
    usually grows with concurrency and that the slots of one agent are not
    independent, so it tends to understaff when k is large; measure AHT at the
    concurrency you plan for.

    Examples
    --------
    >>> float(chat_effective_aht_s(600, 3))
    200.0
    """
    aht = _check("aht_s", aht_s, positive=True)
    k = _check("concurrency", concurrency, positive=True)
    if np.any(k < 1):
        raise ValueError(f"concurrency must be >= 1 chat per agent, got {np.min(k)!r}")
    return _out(np.asarray(aht / k, dtype=float))


def async_agents(
    arrivals_per_interval,
    open_mask,
    aht_s,
    interval_s,
    target_response_s,
    target_sl=1.0,
    mode="spread",
    max_occupancy=1.0,
):
    """Agents needed per interval to clear async work within its response window.

    Parameters
    ----------
    arrivals_per_interval : array_like of float, shape (n,)
        Work items arriving in each interval, in time order
        [items/interval]. Items may arrive while closed.
    open_mask : array_like of bool, shape (n,)
        True where the team works in that interval.
    aht_s : float
        Handle time per item [s].
    interval_s : float
        Interval length [s].
    target_response_s : float
        Response window: an item arriving at time t is due by
        t + target_response_s, in wall-clock time [s].
    target_sl : float, default 1.0
        Share of the work that must meet its deadline [fraction], in (0, 1].
    mode : {"spread", "just_in_time"}
        ``"spread"``: the whole workload is spread evenly over the open
        intervals (one flat level). ``"just_in_time"``: each interval gets the
        least capacity such that every window of intervals can finish the
        work due inside it.
    max_occupancy : float, default 1.0
        Share of paid time spent on this work [fraction], in (0, 1].

    Returns
    -------
    numpy.ndarray of float, shape (n,)
        Agents per interval [agents], 0 in closed intervals; fractional
        (round up, or sum into FTE, downstream).

    Raises
    ------
    ValueError
        For negative or NaN inputs, mismatched shapes, an unknown mode, or
        work whose response window contains no open time.

    Notes
    -----
    Work is treated as a fluid: agents can switch items instantly and any
    item can be worked by anyone. An item arriving in interval j is due by
    the end of interval j + max(1, floor(R / interval_s)) - 1, R the response
    window, so it is credited at the start of its interval (conservative).

    ``"just_in_time"`` follows Assembled's async model: the capacity c_i of
    each open interval must satisfy, for every window of intervals [i, e],
    work due in [i, e] that arrived in [i, e] <= sum of c over [i, e]. This is
    the earliest-deadline-first feasibility condition, so it is both needed
    and enough. Each interval is given the largest ratio (work due / open
    time) over the windows containing it. To reach ``target_sl`` only that
    share of each window's work must meet the deadline, but all work must be
    done eventually, so the result is never below the ``"spread"`` level.
    This per-interval profile is feasible but may exceed the least one;
    its peak is exactly the max over windows of work due / open time. Work
    whose deadline falls after the last interval is covered by the
    ``"spread"`` floor only. Cost is O(n^2) time and O(n) memory (about 2 s for a year of 30-minute
    intervals).

    References
    ----------
    .. [1] Assembled, "Forecasting and staffing for async channels"
       (email and back-office capacity across the response window).

    Examples
    --------
    >>> arrivals = [10, 0, 0, 0]
    >>> async_agents(arrivals, [True] * 4, 360, 3600, 7200, mode="just_in_time").round(3).tolist()
    [0.5, 0.5, 0.333, 0.25]
    """
    lam = _check("arrivals_per_interval", arrivals_per_interval)
    open_ = np.asarray(open_mask)
    if lam.ndim != 1 or open_.shape != lam.shape:
        raise ValueError(
            f"arrivals_per_interval and open_mask must be 1-D of one length, got shapes {lam.shape} and {open_.shape}"
        )
    open_ = open_.astype(bool)
    aht = float(_check("aht_s", aht_s, positive=True))
    interval = float(_check("interval_s", interval_s, positive=True))
    window = float(_check("target_response_s", target_response_s, positive=True, allow_inf=True))
    sl = float(_check("target_sl", target_sl, positive=True, upper=1.0))
    occ = float(_check("max_occupancy", max_occupancy, positive=True, upper=1.0))
    if mode not in _MODES:
        raise ValueError(f"mode must be one of {_MODES}, got {mode!r}")
    work_s = lam * aht  # [s of agent time per interval]
    agents = np.zeros(lam.shape)
    open_s = open_.sum() * interval
    if work_s.sum() == 0:
        return agents
    if open_s == 0:
        raise ValueError("open_mask has no open interval, but there is work to do")
    level = work_s.sum() / open_s / occ  # agent-seconds per second = agents
    agents[open_] = level
    if mode == "spread":
        return agents
    n = lam.size
    lag = n if np.isinf(window) else max(1, int(window // interval))  # intervals until due, own one included
    cum_work = np.concatenate([[0.0], np.cumsum(work_s * sl)])
    cum_open = np.concatenate([[0.0], np.cumsum(open_ * interval)])
    best = np.zeros(n)  # largest window ratio seen per interval
    ends = np.arange(n)
    for start in range(n):
        e = ends[start + lag - 1 :]  # windows [start, e] long enough to hold a deadline
        if e.size == 0:
            break
        due = cum_work[e - lag + 2] - cum_work[start]  # arrived in [start, e - lag + 1]
        open_time = cum_open[e + 1] - cum_open[start]
        if np.any((due > 0) & (open_time == 0)):
            raise ValueError(
                f"target_response_s={window!r} leaves work due with no open interval in its window"
            )
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(due > 0, due / open_time, 0.0)
        # every interval in [start, e] must carry the window's ratio: running max from the right
        best_to_end = np.maximum.accumulate(ratio[::-1])[::-1]
        span = slice(start, n)
        # interval k >= start lies in windows [start, e] for all e >= k
        cover = np.full(n - start, 0.0)
        first = start + lag - 1
        cover[first - start :] = best_to_end
        cover[: first - start] = best_to_end[0] if best_to_end.size else 0.0
        best[span] = np.maximum(best[span], cover)
    jit = np.where(open_, best / occ, 0.0)
    return np.maximum(jit, agents)

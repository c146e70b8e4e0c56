"""Erlang B and Erlang C queueing formulas and the agent requirement search.

Everything here is vectorised over numpy arrays (broadcasting like any numpy
ufunc) and uses numpy and scipy.special only, never pandas.  A scalar input
gives a scalar output (``numpy.float64`` or ``numpy.int64``). Plain numbers
(``int``, ``float``, ``numpy.float64``, ``numpy.int64``) take a scalar fast path
(:mod:`staffing._scalar`, a few microseconds a call instead of a few hundred):
the same formulas in :mod:`math`, the same numbers to 1e-12, the same errors.

The formulas are evaluated through the Poisson probability ratio in log space
(Stirling-corrected log pmf over the regularised incomplete gamma function),
so they hold far past 100,000 Erlangs: no factorials, no powers.

Passing ``patience_s`` to :func:`service_level`, :func:`asa_s`,
:func:`occupancy` or :func:`required_agents` switches to Erlang A
(:mod:`staffing.erlang_a`).
"""

from __future__ import annotations

import numpy as np

from staffing import _scalar
from staffing._numerics import (
    _ABANDON_NEEDS_PATIENCE,
    _NEEDS_TARGET_C,
    _UNREACHABLE_ASA,
    _UNREACHABLE_SL,
    _check,
    _erlang_c_asa,
    _erlang_c_core,
    _erlang_c_sl,
    _least_agents_c,
    _log_erlang_b,
    _out,
    _validate_targets,
)
from staffing.erlang_a import asa_s_a, occupancy_a, required_agents_a, service_level_a

__all__ = [
    "traffic_erlangs",
    "erlang_b",
    "erlang_c",
    "service_level",
    "asa_s",
    "occupancy",
    "required_agents",
]


# ---------------------------------------------------------------- public API
def traffic_erlangs(arrivals_per_interval, aht_s, interval_s):
    """Offered traffic a = arrivals * AHT / interval length.

    Parameters
    ----------
    arrivals_per_interval : float or array_like
        Contacts offered in one interval [contacts/interval].
    aht_s : float or array_like
        Average handle time [s].
    interval_s : float or array_like
        Interval length [s].

    Returns
    -------
    numpy.float64 or numpy.ndarray
        Offered traffic [Erlang].

    Raises
    ------
    ValueError
        If an argument is negative or NaN, or a time is zero.

    Examples
    --------
    >>> float(traffic_erlangs(100, 180, 1800))
    10.0
    """
    if _scalar.is_scalar(arrivals_per_interval, aht_s, interval_s):
        return np.float64(_scalar.traffic_erlangs(arrivals_per_interval, aht_s, interval_s))
    lam = _check("arrivals_per_interval", arrivals_per_interval)
    aht = _check("aht_s", aht_s, positive=True)
    interval = _check("interval_s", interval_s, positive=True)
    return _out(np.asarray(lam * aht / interval, dtype=float))


def erlang_b(agents, traffic_erlangs):
    """Erlang B blocking probability B(s, a) of the M/M/s/s loss system.

    Parameters
    ----------
    agents : float or array_like
        Servers s [agents]; non-integers use the gamma-function extension.
    traffic_erlangs : float or array_like
        Offered traffic a [Erlang].

    Returns
    -------
    numpy.float64 or numpy.ndarray
        Blocking probability [fraction]. B(0, a) = 1 and B(s, 0) = 0 for s > 0.

    Notes
    -----
    B(s, a) is the ratio of the Poisson(a) pmf at s to its cdf at s, computed in
    log space; where the cdf underflows (a far above s) the Legendre continued
    fraction of the upper incomplete gamma function is used instead.
    Assumes Poisson arrivals and no waiting room (blocked contacts are lost).

    References
    ----------
    .. [1] A. K. Erlang, "Solution of some problems in the theory of
       probabilities of significance in automatic telephone exchanges", 1917.
    .. [2] C. Loader, "Fast and accurate computation of binomial
       probabilities", 2000 (the log pmf form).

    Examples
    --------
    >>> round(float(erlang_b(10, 5.0)), 5)
    0.01838
    """
    if _scalar.is_scalar(agents, traffic_erlangs):
        return np.float64(_scalar.erlang_b(agents, traffic_erlangs))
    s = _check("agents", agents)
    a = _check("traffic_erlangs", traffic_erlangs)
    s, a = np.broadcast_arrays(s, a)
    out = np.where(s == 0, 1.0, 0.0).astype(float)
    live = (a > 0) & (s > 0)
    if live.any():
        out[live] = np.exp(_log_erlang_b(s[live], a[live]))
    return _out(out)


def erlang_c(agents, traffic_erlangs):
    """Erlang C probability that a contact waits, C(s, a), in M/M/s.

    Parameters
    ----------
    agents : float or array_like
        Agents s [agents].
    traffic_erlangs : float or array_like
        Offered traffic a [Erlang].

    Returns
    -------
    numpy.float64 or numpy.ndarray
        Probability of waiting [fraction]: 1 when s <= a (no steady state),
        0 when a = 0.

    Notes
    -----
    C = s B / (s - a (1 - B)) with B = :func:`erlang_b`. Assumes Poisson
    arrivals, exponential handle times, FCFS and no abandonment.

    References
    ----------
    .. [1] G. Koole, "Call Center Optimization", MG books, 2013, ch. 5.

    Examples
    --------
    >>> round(float(erlang_c(13, 10.0)), 4)
    0.2853
    """
    if _scalar.is_scalar(agents, traffic_erlangs):
        return np.float64(_scalar.erlang_c(agents, traffic_erlangs))
    s = _check("agents", agents)
    a = _check("traffic_erlangs", traffic_erlangs)
    s, a = np.broadcast_arrays(s, a)
    return _out(_erlang_c_core(s.astype(float), a.astype(float)))


def _inputs(agents, arrivals_per_interval, aht_s, interval_s, *extra):
    s = _check("agents", agents)
    lam = _check("arrivals_per_interval", arrivals_per_interval)
    aht = _check("aht_s", aht_s, positive=True)
    interval = _check("interval_s", interval_s, positive=True)
    arrays = np.broadcast_arrays(s, lam * aht / interval, aht, *extra)
    return [np.array(x, dtype=float) for x in arrays]


def service_level(agents, arrivals_per_interval, aht_s, interval_s, target_answer_s, patience_s=None):
    """Fraction of offered contacts answered within ``target_answer_s``.

    Parameters
    ----------
    agents : float or array_like
        Agents on the queue s [agents].
    arrivals_per_interval : float or array_like
        Contacts offered per interval [contacts/interval].
    aht_s : float or array_like
        Average handle time [s].
    interval_s : float or array_like
        Interval length [s].
    target_answer_s : float or array_like
        Answer-time threshold t [s]; ``inf`` allowed.
    patience_s : float or array_like, optional
        Mean customer patience [s]. If given, Erlang A is used
        (:func:`staffing.erlang_a.service_level_a`); abandons count as misses.

    Returns
    -------
    numpy.float64 or numpy.ndarray
        Service level [fraction]: 0 when s <= a, 1 when there are no arrivals.

    Notes
    -----
    Erlang C: SL(t) = 1 - C(s, a) exp(-(s - a) t / AHT). Assumes Poisson
    arrivals, exponential handle times, FCFS, no abandonment, steady state
    within the interval.

    References
    ----------
    .. [1] N. Gans, G. Koole, A. Mandelbaum, "Telephone call centers:
       tutorial, review, and research prospects", M&SOM 5(2), 2003.

    Examples
    --------
    >>> round(float(service_level(14, 100, 180, 1800, 20)), 4)
    0.8884
    """
    if patience_s is not None:
        return service_level_a(agents, arrivals_per_interval, aht_s, interval_s, target_answer_s, patience_s)
    if _scalar.is_scalar(agents, arrivals_per_interval, aht_s, interval_s, target_answer_s):
        return np.float64(_scalar.service_level(agents, arrivals_per_interval, aht_s, interval_s, target_answer_s))
    t = _check("target_answer_s", target_answer_s, allow_inf=True)
    s, a, aht, t = _inputs(agents, arrivals_per_interval, aht_s, interval_s, t)
    return _out(_erlang_c_sl(s, a, aht, t))


def asa_s(agents, arrivals_per_interval, aht_s, interval_s, patience_s=None):
    """Average speed of answer: the mean wait of answered contacts.

    Parameters
    ----------
    agents, arrivals_per_interval, aht_s, interval_s
        As in :func:`service_level` [agents], [contacts/interval], [s], [s].
    patience_s : float or array_like, optional
        Mean patience [s]; if given, Erlang A is used.

    Returns
    -------
    numpy.float64 or numpy.ndarray
        ASA [s]: ``inf`` when s <= a (Erlang C), 0 with no arrivals.

    Notes
    -----
    Erlang C: ASA = C(s, a) AHT / (s - a). Same assumptions as
    :func:`service_level`.

    References
    ----------
    .. [1] G. Koole, "Call Center Optimization", MG books, 2013.

    Examples
    --------
    >>> round(float(asa_s(14, 100, 180, 1800)), 2)
    7.84
    """
    if patience_s is not None:
        return asa_s_a(agents, arrivals_per_interval, aht_s, interval_s, patience_s)
    if _scalar.is_scalar(agents, arrivals_per_interval, aht_s, interval_s):
        return np.float64(_scalar.asa_s(agents, arrivals_per_interval, aht_s, interval_s))
    s, a, aht = _inputs(agents, arrivals_per_interval, aht_s, interval_s)
    return _out(_erlang_c_asa(s, a, aht))


def occupancy(agents, arrivals_per_interval, aht_s, interval_s, patience_s=None):
    """Fraction of agent time spent handling contacts.

    Parameters
    ----------
    agents, arrivals_per_interval, aht_s, interval_s
        As in :func:`service_level` [agents], [contacts/interval], [s], [s].
    patience_s : float or array_like, optional
        Mean patience [s]; if given, only answered contacts load the agents.

    Returns
    -------
    numpy.float64 or numpy.ndarray
        Occupancy [fraction]: a / s capped at 1 (Erlang C), 0 with no arrivals.

    Examples
    --------
    >>> float(occupancy(14, 100, 180, 1800))
    0.7142857142857143
    """
    if patience_s is not None:
        return occupancy_a(agents, arrivals_per_interval, aht_s, interval_s, patience_s)
    if _scalar.is_scalar(agents, arrivals_per_interval, aht_s, interval_s):
        return np.float64(_scalar.occupancy(agents, arrivals_per_interval, aht_s, interval_s))
    s, a, _ = _inputs(agents, arrivals_per_interval, aht_s, interval_s)
    with np.errstate(divide="ignore", invalid="ignore"):
        occ = np.where(a == 0, 0.0, np.minimum(a / np.where(s > 0, s, np.nan), 1.0))
    return _out(np.where(np.isnan(occ), 1.0, occ))


def required_agents(
    arrivals_per_interval,
    aht_s,
    interval_s,
    target_sl,
    target_answer_s,
    max_occupancy=None,
    max_asa_s=None,
    patience_s=None,
    max_abandon=None,
):
    """Least number of agents meeting every target given, per interval.

    Parameters
    ----------
    arrivals_per_interval : float or array_like
        Contacts offered per interval [contacts/interval].
    aht_s : float or array_like
        Average handle time [s].
    interval_s : float or array_like
        Interval length [s].
    target_sl : float or array_like or None
        Required service level [fraction], in [0, 1); None for no SL target.
    target_answer_s : float or array_like
        Answer-time threshold of the SL target [s].
    max_occupancy : float or array_like, optional
        Occupancy cap [fraction] in (0, 1].
    max_asa_s : float or array_like, optional
        Cap on the average speed of answer [s].
    patience_s : float or array_like, optional
        Mean patience [s]; if given, Erlang A is used
        (:func:`staffing.erlang_a.required_agents_a`), which may staff below
        the load.
    max_abandon : float or array_like, optional
        Cap on the probability of abandoning [fraction]; needs ``patience_s``.

    Returns
    -------
    numpy.int64 or numpy.ndarray of int64
        Agents [agents]; 0 where there are no arrivals.

    Raises
    ------
    ValueError
        For negative or NaN inputs (naming the argument), for no target at all,
        and for unreachable targets: with positive traffic SL < 1 and ASA > 0
        for any finite number of agents, so ``target_sl = 1`` or
        ``max_asa_s = 0`` cannot be met.

    Notes
    -----
    SL rises and ASA and occupancy fall with s, so the feasible counts are
    {s*, s* + 1, ...}. The search starts at the square-root staffing guess
    s0 = ceil(a + beta sqrt(a)), beta from the Halfin-Whitt approximation, and
    gallops then bisects with exact Erlang C checks on the still-open
    intervals only: a handful of O(1) evaluations per interval, whatever s.
    Erlang C needs s > a. Assumes Poisson arrivals, exponential handle times,
    FCFS, no abandonment.

    References
    ----------
    .. [1] S. Halfin, W. Whitt, "Heavy-traffic limits for queues with many
       exponential servers", Operations Research 29(3), 1981.
    .. [2] G. Koole, "Call Center Optimization", MG books, 2013.

    Examples
    --------
    >>> int(required_agents(100, 180, 1800, 0.8, 20))
    14
    """
    if patience_s is not None:
        return required_agents_a(
            arrivals_per_interval, aht_s, interval_s, target_sl, target_answer_s,
            patience_s, max_occupancy=max_occupancy, max_asa_s=max_asa_s, max_abandon=max_abandon,
        )
    if max_abandon is not None:
        raise ValueError(_ABANDON_NEEDS_PATIENCE)
    if _scalar.is_scalar(arrivals_per_interval, aht_s, interval_s) and _scalar.targets_are_scalar(
        target_sl, target_answer_s, max_occupancy, max_asa_s
    ):
        return np.int64(_scalar.required_agents(
            arrivals_per_interval, aht_s, interval_s, target_sl, target_answer_s, max_occupancy, max_asa_s
        ))
    lam = _check("arrivals_per_interval", arrivals_per_interval)
    aht = _check("aht_s", aht_s, positive=True)
    interval = _check("interval_s", interval_s, positive=True)
    sl, t, occ, asa = _validate_targets(target_sl, target_answer_s, max_occupancy, max_asa_s)
    if sl is None and occ is None and asa is None:
        raise ValueError(_NEEDS_TARGET_C)
    parts = [lam * aht / interval] + [x for x in (sl, t, occ, asa) if x is not None]
    shape = np.broadcast_shapes(*(np.shape(x) for x in parts))
    a = np.broadcast_to(lam * aht / interval, shape).ravel()
    aht_b = np.broadcast_to(aht, shape).ravel()

    def flat(x):
        return None if x is None else np.broadcast_to(x, shape).ravel()

    sl, t, occ, asa = flat(sl), flat(t), flat(occ), flat(asa)
    live = a > 0
    if sl is not None and np.any(live & (sl >= 1.0)):
        raise ValueError(_UNREACHABLE_SL)
    if asa is not None and np.any(live & (asa == 0)):
        raise ValueError(_UNREACHABLE_ASA)
    return _out(_least_agents_c(a, aht_b, sl, t, occ, asa).reshape(shape))

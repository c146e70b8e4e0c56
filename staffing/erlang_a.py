"""Erlang A: the M/M/s+M queue, where waiting customers abandon.

Customers arrive as a Poisson stream, handle times are exponential with mean
AHT, service is FCFS, and each waiting customer abandons after an exponential
patience with mean ``patience_s`` if not answered by then. Unlike Erlang C the
queue is stable for any number of agents, so staffing may go below the load.

Write r = AHT / patience (abandonment rate over service rate), x = s / r and
y = a / r. With B = Erlang B(s, a) and the Kummer function
g(x, z) = M(1; x + 1; z) = sum_k z^k / ((x+1)(x+2)...(x+k)), the stationary
probabilities relative to the state "all s agents busy, nobody waiting" are

* agents not all busy: 1/B - 1
* someone waiting, or all busy: S = g(x, y); D = 1/B - 1 + S in all

which give P(wait) = S / D, P(abandon) = (S (a - s) + s) / (a D) and, through
the Beta(x, k + 1) law of exp(-patience-scaled wait) seen by an arrival that
finds k customers ahead, the answered-within-t and mean-wait terms below.
g is evaluated in log space from the regularised lower incomplete gamma
function, or by its continued fraction where that underflows.
"""

from __future__ import annotations

import numpy as np

from staffing import _scalar, _scalar_a
from staffing._numerics import (
    _NEEDS_TARGET_A,
    _OCCUPANCY_RTOL,
    _UNREACHABLE_ABANDON,
    _UNREACHABLE_SL,
    _check,
    _hw_beta,
    _least_integer,
    _out,
    _validate_targets,
)
from staffing._numerics_a import _metrics, _occupancy

__all__ = ["abandon_probability", "wait_probability_a", "service_level_a", "asa_s_a", "occupancy_a", "required_agents_a"]


def _inputs(agents, arrivals_per_interval, aht_s, interval_s, patience_s, *extra):
    s = _check("agents", agents)
    lam = _check("arrivals_per_interval", arrivals_per_interval)
    aht = _check("aht_s", aht_s, positive=True)
    interval = _check("interval_s", interval_s, positive=True)
    pat = _check("patience_s", patience_s, positive=True, allow_inf=True)
    arrays = np.broadcast_arrays(s, lam * aht / interval, aht, pat, *extra)
    shape = arrays[0].shape
    return shape, [np.array(v, dtype=float).ravel() for v in arrays]


def wait_probability_a(agents, arrivals_per_interval, aht_s, interval_s, patience_s):
    """Probability that an arriving contact has to wait, in Erlang A.

    Parameters
    ----------
    agents : float or array_like
        Agents s [agents].
    arrivals_per_interval : float or array_like
        Contacts offered per interval [contacts/interval].
    aht_s : float or array_like
        Average handle time [s].
    interval_s : float or array_like
        Interval length [s].
    patience_s : float or array_like
        Mean patience [s]; ``inf`` gives Erlang C.

    Returns
    -------
    numpy.float64 or numpy.ndarray
        P(wait) [fraction].

    Notes
    -----
    P(wait) = S / (1/B - 1 + S) with S = M(1; x + 1; y) (module docstring).
    Assumes Poisson arrivals, exponential handle times and patience, FCFS.

    References
    ----------
    .. [1] A. Mandelbaum, S. Zeltyn, "The M/M/n+G queue: summary of
       performance measures", Technion, 2009.
    .. [2] O. Garnett, A. Mandelbaum, M. Reiman, "Designing a call center
       with impatient customers", M&SOM 4(3), 2002.
    """
    if _scalar.is_scalar(agents, arrivals_per_interval, aht_s, interval_s, patience_s):
        return np.float64(_scalar_a.wait_probability_a(agents, arrivals_per_interval, aht_s, interval_s, patience_s))
    shape, (s, a, aht, pat) = _inputs(agents, arrivals_per_interval, aht_s, interval_s, patience_s)
    return _out(_metrics(s, a, aht, pat)[0].reshape(shape))


def abandon_probability(agents, arrivals_per_interval, aht_s, interval_s, patience_s):
    """Probability that an offered contact abandons before being answered (Erlang A).

    Parameters
    ----------
    agents, arrivals_per_interval, aht_s, interval_s, patience_s
        As in :func:`wait_probability_a` [agents], [contacts/interval], [s],
        [s], [s].

    Returns
    -------
    numpy.float64 or numpy.ndarray
        P(abandon) [fraction]; 1 with zero agents, 0 with no arrivals or
        infinite patience.

    Notes
    -----
    P(abandon | wait) = 1 - 1/rho + 1/(rho S), rho = a / s (Mandelbaum &
    Zeltyn). Assumptions as in :func:`wait_probability_a`.

    References
    ----------
    .. [1] A. Mandelbaum, S. Zeltyn, "The M/M/n+G queue: summary of
       performance measures", Technion, 2009.

    Examples
    --------
    >>> round(float(abandon_probability(10, 100, 180, 1800, 180)), 4)
    0.1251
    """
    if _scalar.is_scalar(agents, arrivals_per_interval, aht_s, interval_s, patience_s):
        return np.float64(_scalar_a.abandon_probability(agents, arrivals_per_interval, aht_s, interval_s, patience_s))
    shape, (s, a, aht, pat) = _inputs(agents, arrivals_per_interval, aht_s, interval_s, patience_s)
    return _out(_metrics(s, a, aht, pat)[1].reshape(shape))


def service_level_a(agents, arrivals_per_interval, aht_s, interval_s, target_answer_s, patience_s):
    """Fraction of ALL offered contacts answered within ``target_answer_s`` (Erlang A).

    Parameters
    ----------
    agents, arrivals_per_interval, aht_s, interval_s
        As in :func:`wait_probability_a` [agents], [contacts/interval], [s], [s].
    target_answer_s : float or array_like
        Answer-time threshold t [s].
    patience_s : float or array_like
        Mean patience [s]; ``inf`` gives Erlang C.

    Returns
    -------
    numpy.float64 or numpy.ndarray
        Service level [fraction]; abandons, early or late, count as misses.

    Notes
    -----
    An arrival that finds k customers ahead waits V with
    exp(-theta V) ~ Beta(x, k + 1) (theta = 1/patience, in units of the mean
    patience); it is answered within t when V <= t and its own patience
    outlasts V. Summing over k gives the answered-after-t term
    x/(x+1) exp(y (1 - e^{-theta t}) - (x + 1) theta t) g(x + 1, y e^{-theta t}),
    so SL = [(1/B - 1) + x/(x+1) g(x+1, y) - that term] / D.

    References
    ----------
    .. [1] A. Mandelbaum, S. Zeltyn, "The M/M/n+G queue: summary of
       performance measures", Technion, 2009.

    Examples
    --------
    >>> round(float(service_level_a(10, 100, 180, 1800, 20, 180)), 4)
    0.587
    """
    if _scalar.is_scalar(agents, arrivals_per_interval, aht_s, interval_s, target_answer_s, patience_s):
        return np.float64(_scalar_a.service_level_a(agents, arrivals_per_interval, aht_s, interval_s, target_answer_s, patience_s))
    t = _check("target_answer_s", target_answer_s, allow_inf=True)
    shape, (s, a, aht, pat, tt) = _inputs(agents, arrivals_per_interval, aht_s, interval_s, patience_s, t)
    return _out(_metrics(s, a, aht, pat, t=tt)[2].reshape(shape))


def asa_s_a(agents, arrivals_per_interval, aht_s, interval_s, patience_s):
    """Average speed of answer of the answered contacts in Erlang A.

    Parameters
    ----------
    agents, arrivals_per_interval, aht_s, interval_s, patience_s
        As in :func:`wait_probability_a` [agents], [contacts/interval], [s],
        [s], [s].

    Returns
    -------
    numpy.float64 or numpy.ndarray
        Mean wait of answered contacts [s]; ``inf`` with zero agents (nobody
        is answered), 0 with no arrivals.

    Notes
    -----
    The wait of a contact answered after waiting has density proportional to
    exp(-(x+1) v - y expm1(-v)) in patience units v; its mean is found by
    48-point Gauss-Legendre quadrature on each side of the mode, then weighted
    by P(answered after waiting) / P(answered).
    """
    if _scalar.is_scalar(agents, arrivals_per_interval, aht_s, interval_s, patience_s):
        return np.float64(_scalar_a.asa_s_a(agents, arrivals_per_interval, aht_s, interval_s, patience_s))
    shape, (s, a, aht, pat) = _inputs(agents, arrivals_per_interval, aht_s, interval_s, patience_s)
    return _out(_metrics(s, a, aht, pat, want_asa=True)[3].reshape(shape))


def occupancy_a(agents, arrivals_per_interval, aht_s, interval_s, patience_s):
    """Agent occupancy in Erlang A: answered load over agents, a (1 - P(abandon)) / s.

    Parameters
    ----------
    agents, arrivals_per_interval, aht_s, interval_s, patience_s
        As in :func:`wait_probability_a` [agents], [contacts/interval], [s],
        [s], [s].

    Returns
    -------
    numpy.float64 or numpy.ndarray
        Occupancy [fraction]; 0 with zero agents or no arrivals.
    """
    if _scalar.is_scalar(agents, arrivals_per_interval, aht_s, interval_s, patience_s):
        return np.float64(_scalar_a.occupancy_a(agents, arrivals_per_interval, aht_s, interval_s, patience_s))
    shape, (s, a, aht, pat) = _inputs(agents, arrivals_per_interval, aht_s, interval_s, patience_s)
    return _out(_occupancy(s, a, _metrics(s, a, aht, pat)[1]).reshape(shape))


def required_agents_a(
    arrivals_per_interval,
    aht_s,
    interval_s,
    target_sl,
    target_answer_s,
    patience_s,
    max_occupancy=None,
    max_asa_s=None,
    max_abandon=None,
):
    """Least number of agents meeting every target given, with abandonment (Erlang A).

    Parameters
    ----------
    arrivals_per_interval : float or array_like
        Contacts offered per interval [contacts/interval].
    aht_s : float or array_like
        Average handle time [s].
    interval_s : float or array_like
        Interval length [s].
    target_sl : float or array_like or None
        Required share of all offered contacts answered within
        ``target_answer_s`` [fraction], abandons counting as misses.
    target_answer_s : float or array_like
        Answer-time threshold [s].
    patience_s : float or array_like
        Mean patience [s]; ``inf`` gives Erlang C.
    max_occupancy : float or array_like, optional
        Occupancy cap [fraction].
    max_asa_s : float or array_like, optional
        Cap on the mean wait of answered contacts [s].
    max_abandon : float or array_like, optional
        Cap on the probability of abandoning [fraction].

    Returns
    -------
    numpy.int64 or numpy.ndarray of int64
        Agents [agents]; may be below the load a, 0 with no arrivals.

    Raises
    ------
    ValueError
        For negative or NaN inputs, no SL / ASA / abandonment target, or
        unreachable targets (SL = 1, ASA = 0 or abandonment = 0 with traffic).

    Notes
    -----
    SL rises and P(abandon), ASA and occupancy fall with s; the least feasible
    s is found by galloping from the Erlang C square-root staffing guess, then
    bisecting, with exact Erlang A checks. Assumes Poisson arrivals,
    exponential handle times and patience, FCFS.

    References
    ----------
    .. [1] O. Garnett, A. Mandelbaum, M. Reiman, "Designing a call center
       with impatient customers", M&SOM 4(3), 2002.

    Examples
    --------
    >>> int(required_agents_a(100, 180, 1800, None, 20, 180, max_abandon=0.1))
    11
    """
    if _scalar.is_scalar(arrivals_per_interval, aht_s, interval_s, patience_s) and _scalar.targets_are_scalar(
        target_sl, target_answer_s, max_occupancy, max_asa_s, max_abandon
    ):
        return np.int64(_scalar_a.required_agents_a(
            arrivals_per_interval, aht_s, interval_s, target_sl, target_answer_s, patience_s,
            max_occupancy, max_asa_s, max_abandon,
        ))
    lam = _check("arrivals_per_interval", arrivals_per_interval)
    aht = _check("aht_s", aht_s, positive=True)
    interval = _check("interval_s", interval_s, positive=True)
    pat = _check("patience_s", patience_s, positive=True, allow_inf=True)
    sl, t, occ, asa = _validate_targets(target_sl, target_answer_s, max_occupancy, max_asa_s)
    ab = None if max_abandon is None else _check("max_abandon", max_abandon, upper=1.0)
    if sl is None and asa is None and ab is None:
        raise ValueError(_NEEDS_TARGET_A)
    a_full = lam * aht / interval
    given = [x for x in (sl, t, occ, asa, ab) if x is not None]
    shape = np.broadcast_shapes(np.shape(a_full), np.shape(pat), *(np.shape(x) for x in given))

    def flat(x):
        return None if x is None else np.broadcast_to(x, shape).ravel().astype(float)

    a, aht_f, pat_f = flat(a_full), flat(aht), flat(pat)
    sl, t, occ, asa, ab = flat(sl), flat(t), flat(occ), flat(asa), flat(ab)
    live = a > 0
    if sl is not None and np.any(live & (sl >= 1.0)):
        raise ValueError(_UNREACHABLE_SL)
    if ab is not None and np.any(live & (ab == 0) & np.isfinite(pat_f)):
        raise ValueError(_UNREACHABLE_ABANDON)
    result = np.zeros(a.size, dtype=np.int64)
    idx = np.flatnonzero(live)
    if idx.size == 0:
        return _out(result.reshape(shape))

    def sub(x):
        return None if x is None else x[idx]

    al, ahl, pl = a[idx], aht_f[idx], pat_f[idx]
    sl_l, t_l, occ_l, asa_l, ab_l = sub(sl), sub(t), sub(occ), sub(asa), sub(ab)
    stable_c = np.isinf(pl)  # Erlang C needs s > a
    lower = np.where(stable_c, np.floor(al) + 1, 1).astype(np.int64)
    if sl_l is None and asa_l is None:
        beta = np.full_like(al, 1.0)
    else:
        beta = _hw_beta(al, ahl, sl_l, t_l, asa_l)
    guess = np.ceil(al + beta * np.sqrt(al)).astype(np.int64)

    def meets(i, s):
        want_asa = asa_l is not None
        tt = None if sl_l is None else t_l[i]
        _, pab, sl_i, asa_i = _metrics(s, al[i], ahl[i], pl[i], t=tt, want_asa=want_asa)
        ok = np.ones(i.size, dtype=bool)
        if sl_l is not None:
            ok &= sl_i >= sl_l[i]
        if want_asa:
            ok &= asa_i <= asa_l[i]
        if ab_l is not None:
            ok &= pab <= ab_l[i]
        if occ_l is not None:
            ok &= _occupancy(s, al[i], pab) <= occ_l[i] * (1 + _OCCUPANCY_RTOL)
        return ok

    result[idx] = _least_integer(meets, lower, guess)
    return _out(result.reshape(shape))

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
from scipy import special

from staffing._numerics import (
    _NEEDS_TARGET_A,
    _OCCUPANCY_RTOL,
    _UNDERFLOW,
    _UNREACHABLE_ABANDON,
    _UNREACHABLE_SL,
    _check,
    _erlang_c_asa,
    _erlang_c_core,
    _erlang_c_sl,
    _hw_beta,
    _least_integer,
    _lentz,
    _log_erlang_b,
    _log_poisson_pmf,
    _out,
    _validate_targets,
)

__all__ = ["abandon_probability", "wait_probability_a", "service_level_a", "asa_s_a", "occupancy_a", "required_agents_a"]

_GL_NODES, _GL_WEIGHTS = np.polynomial.legendre.leggauss(48)
_TAIL_NATS = 46.0  # the wait density is cut where it has fallen by e**-46 of its peak
_CHUNK = 50_000


def _log_g(x, z):
    """log M(1; x + 1; z) = log(x z**-x e**z gamma(x, z)) for x >= 0, z >= 0."""
    x, z = np.broadcast_arrays(np.asarray(x, float), np.asarray(z, float))
    out = np.zeros(x.shape)  # z == 0 gives g = 1
    out[(x == 0) & (z > 0)] = z[(x == 0) & (z > 0)]  # g(0, z) = e**z
    live = (x > 0) & (z > 0)
    if not live.any():
        return out
    xl, zl = x[live], z[live]
    p = special.gammainc(xl, zl)
    ok = p > _UNDERFLOW
    res = np.empty_like(xl)
    res[ok] = np.log(p[ok]) - _log_poisson_pmf(xl[ok], zl[ok])
    if not ok.all():
        # z far below x: 1 / (1 - z/(b + 1 z/(b+1 - b z/(b+2 + 2 z/(b+3 - (b+1) z/...))))), b = x + 1
        b, zz = xl[~ok] + 1.0, zl[~ok]

        def num(j):
            return (j // 2) * zz if j % 2 == 0 else -(b + (j - 3) // 2) * zz

        f = _lentz(np.ones_like(b), lambda j: -zz if j == 1 else num(j), lambda j: b + (j - 1), b.shape)
        res[~ok] = -np.log(f)
    out[live] = res
    return out


def _parts(n, a, r, theta_t=None):
    """Log-space pieces of the Erlang A distribution for n > 0, a > 0, 0 < r < inf.

    Returns log D, log S, log of (1/B - 1), log of the answered-after-waiting
    term, and (if ``t`` is given) log of the answered-later-than-t term, all
    relative to the probability of the state with n busy agents and no queue.
    """
    x, y = n / r, a / r
    log_b = _log_erlang_b(n, a)
    with np.errstate(divide="ignore"):
        log_idle = np.log(-np.expm1(log_b)) - log_b
    log_s = _log_g(x, y)
    log_d = np.logaddexp(log_idle, log_s)
    log_frac = np.log(x / (x + 1.0))
    log_answered = log_frac + _log_g(x + 1.0, y)
    log_late = None
    if theta_t is not None:
        z = y * np.exp(-theta_t)
        with np.errstate(invalid="ignore"):
            log_late = log_frac - y * np.expm1(-theta_t) - (x + 1.0) * theta_t + _log_g(x + 1.0, z)
        log_late = np.where(np.isinf(theta_t), -np.inf, log_late)
    return log_d, log_s, log_idle, log_answered, log_late


def _mean_wait_scaled(x, y):
    """Mean wait, in units of the mean patience, of customers answered after waiting.

    The wait V (scaled by the abandonment rate) of an answered waiting customer
    has density proportional to exp(phi(v)), phi(v) = -(x+1) v - y expm1(-v),
    v >= 0, which is log-concave. Gauss-Legendre quadrature on the two sides of
    its mode, each cut where the density has fallen by e**-46.
    """
    out = np.empty_like(x)
    for lo in range(0, x.size, _CHUNK):
        xs, ys = x[lo : lo + _CHUNK], y[lo : lo + _CHUNK]
        interior = ys > xs + 1.0
        mode = np.where(interior, np.log(ys) - np.log(xs + 1.0), 0.0)
        curv = np.where(interior, xs + 1.0, ys)  # -phi'' at the mode
        slope = np.where(interior, 0.0, xs + 1.0 - ys)  # -phi' at the mode

        def rel_phi(u):  # phi(mode + u) - phi(mode)
            return -(xs + 1.0)[:, None] * u - curv[:, None] * np.expm1(-u)

        with np.errstate(divide="ignore"):
            left = np.where(interior, np.minimum(mode, np.sqrt(2 * _TAIL_NATS / curv)), 0.0)
            right = np.minimum(_TAIL_NATS / np.maximum(slope, 1e-300), np.sqrt(2 * _TAIL_NATS / np.maximum(curv, 1e-300)))
        for _ in range(60):
            short = rel_phi(right[:, None])[:, 0] > -_TAIL_NATS
            if not short.any():
                break
            right = np.where(short, 2.0 * right, right)
        num = np.zeros_like(xs)
        den = np.zeros_like(xs)
        for a_end, b_end in ((-left, np.zeros_like(xs)), (np.zeros_like(xs), right)):
            half = 0.5 * (b_end - a_end)
            u = (a_end + b_end)[:, None] * 0.5 + half[:, None] * _GL_NODES[None, :]
            w = np.exp(rel_phi(u)) * _GL_WEIGHTS[None, :] * half[:, None]
            den += w.sum(axis=1)
            num += (w * u).sum(axis=1)
        out[lo : lo + _CHUNK] = mode + num / den
    return out


def _metrics(n, a, aht, patience, t=None, want_asa=False):
    """(P(wait), P(abandon), SL or None, ASA [s] or None) on flat float arrays of one shape."""
    p_wait = np.where(a > 0, 1.0, 0.0)
    p_ab = np.where((a > 0) & (n == 0), 1.0, 0.0)
    sl = None if t is None else np.where(a > 0, 0.0, 1.0)
    asa = None if not want_asa else np.where(a > 0, np.inf, 0.0)
    # infinite patience: Erlang C
    c_idx = (a > 0) & (n > 0) & np.isinf(patience)
    if c_idx.any():
        p_wait[c_idx] = _erlang_c_core(n[c_idx], a[c_idx])
        if t is not None:
            sl[c_idx] = _erlang_c_sl(n[c_idx], a[c_idx], aht[c_idx], t[c_idx])
        if want_asa:
            asa[c_idx] = _erlang_c_asa(n[c_idx], a[c_idx], aht[c_idx])
    live = (a > 0) & (n > 0) & np.isfinite(patience)
    if live.any():
        nl, al = n[live], a[live]
        r = aht[live] / patience[live]
        tl = None if t is None else t[live] / patience[live]  # threshold in units of the mean patience
        log_d, log_s, log_idle, log_ans, log_late = _parts(nl, al, r, tl)
        pw = np.exp(log_s - log_d)
        # P(abandon) = P(wait) - P(answered after waiting)
        pab = pw * -np.expm1(np.minimum(log_ans - log_s, 0.0))
        p_wait[live], p_ab[live] = pw, pab
        ans_waited = np.exp(log_ans - log_d)
        if t is not None:
            with np.errstate(invalid="ignore"):
                within = ans_waited * -np.expm1(np.minimum(log_late - log_ans, 0.0))
            sl[live] = np.clip(np.exp(log_idle - log_d) + within, 0.0, 1.0)
        if want_asa:
            wait_scaled = _mean_wait_scaled(nl / r, al / r)
            # scaled time -> seconds: multiply by the mean patience
            asa[live] = wait_scaled * patience[live] * ans_waited / (1.0 - pab)
    return p_wait, p_ab, sl, asa


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
    shape, (s, a, aht, pat) = _inputs(agents, arrivals_per_interval, aht_s, interval_s, patience_s)
    return _out(_occupancy(s, a, _metrics(s, a, aht, pat)[1]).reshape(shape))


def _occupancy(s, a, p_ab):
    with np.errstate(divide="ignore", invalid="ignore"):
        occ = np.where(s > 0, a * (1.0 - p_ab) / s, 0.0)
    return np.minimum(np.where(a > 0, occ, 0.0), 1.0)


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

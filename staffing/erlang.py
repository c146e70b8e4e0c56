"""Erlang B and Erlang C queueing formulas and the agent requirement search.

Everything here is vectorised over numpy arrays (broadcasting like any numpy
ufunc) and uses numpy and scipy.special only, never pandas.  A scalar input
gives a scalar output (``numpy.float64`` or ``numpy.int64``).

The formulas are evaluated through the Poisson probability ratio in log space
(Stirling-corrected log pmf over the regularised incomplete gamma function),
so they hold far past 100,000 Erlangs: no factorials, no powers.

Passing ``patience_s`` to :func:`service_level`, :func:`asa_s`,
:func:`occupancy` or :func:`required_agents` switches to Erlang A
(:mod:`staffing.erlang_a`).
"""

from __future__ import annotations

import numpy as np
from scipy import special

__all__ = [
    "traffic_erlangs",
    "erlang_b",
    "erlang_c",
    "service_level",
    "asa_s",
    "occupancy",
    "required_agents",
]

_LOG_SQRT_2PI = 0.5 * np.log(2.0 * np.pi)
_TINY = 1e-300
_UNDERFLOW = 1e-250  # below this a regularised gamma value is recomputed by a continued fraction
_OCCUPANCY_RTOL = 1e-12  # tolerance on a/s <= max_occupancy, so 8.5/10 passes a 0.85 cap


# ---------------------------------------------------------------- validation
def _check(name, value, *, positive=False, allow_inf=False, upper=None):
    """Return ``value`` as a float array, or raise ValueError naming it."""
    arr = np.asarray(value, dtype=float)
    bad = np.isnan(arr) | (arr <= 0 if positive else arr < 0)
    if not allow_inf:
        bad |= np.isinf(arr)
    if upper is not None:
        bad |= arr > upper
    if np.any(bad):
        first = arr[bad].flat[0] if arr.ndim else float(arr)
        rule = "> 0" if positive else ">= 0"
        if upper is not None:
            rule += f" and <= {upper}"
        raise ValueError(
            f"{name} must be {'' if allow_inf else 'finite and '}{rule}, got {first!r}"
        )
    return arr


def _out(arr):
    """0-d array -> numpy scalar; other arrays unchanged."""
    return arr[()] if arr.ndim == 0 else arr


# ---------------------------------------------------------------- numerics
def _stirlerr(n):
    """log Gamma(n+1) - (n + 1/2) log n + n - log sqrt(2 pi), for n > 0."""
    n = np.asarray(n, dtype=float)
    out = np.empty_like(n)
    big = n > 15.0
    inv = 1.0 / n[big]
    inv2 = inv * inv
    out[big] = inv * (1 / 12 - inv2 * (1 / 360 - inv2 * (1 / 1260 - inv2 * (1 / 1680 - inv2 / 1188))))
    small = n[~big]
    out[~big] = special.gammaln(small + 1.0) - (small + 0.5) * np.log(small) + small - _LOG_SQRT_2PI
    return out


def _log_poisson_pmf(n, mean):
    """log(mean**n exp(-mean) / Gamma(n+1)) for real n >= 0, mean > 0 (Loader's form).

    The deviance term ``n log(n/mean) + mean - n`` is formed as
    ``n log1p(d/mean) - d`` with ``d = n - mean``, so nothing large cancels.
    """
    n, mean = np.broadcast_arrays(np.asarray(n, float), np.asarray(mean, float))
    out = -mean.copy()  # the n == 0 case
    pos = n > 0
    npos, m = n[pos], mean[pos]
    d = npos - m
    near = np.abs(d) < m  # log1p keeps accuracy when n is near the mean; logs elsewhere (no overflow)
    log_ratio = np.where(near, np.log1p(np.where(near, d, 0.0) / m), np.log(npos) - np.log(m))
    deviance = npos * log_ratio - d
    out[pos] = -(_LOG_SQRT_2PI + 0.5 * np.log(npos) + _stirlerr(npos) + deviance)
    return out


def _lentz(b0, a_fn, b_fn, shape, max_terms=5000):
    """Evaluate b0 + a1/(b1 + a2/(b2 + ...)) element-wise by the modified Lentz method."""
    f = np.where(b0 == 0, _TINY, b0).astype(float)
    c = f.copy()
    d = np.zeros(shape)
    active = np.ones(shape, dtype=bool)
    for j in range(1, max_terms):
        aj, bj = a_fn(j), b_fn(j)
        d = bj + aj * d
        d = np.where(np.abs(d) < _TINY, _TINY, d)
        c = bj + aj / c
        c = np.where(np.abs(c) < _TINY, _TINY, c)
        d = 1.0 / d
        delta = np.where(active, c * d, 1.0)
        f = f * delta
        active &= np.abs(delta - 1.0) > 1e-16
        if not active.any():
            break
    return f


def _log_inv_b_cf(n, a):
    """log(1/B(n, a)) by the Legendre continued fraction of Gamma(n+1, a); for a >> n."""
    # 1/B = a * exp(a) a**-(n+1) Gamma(n+1, a) = a / (a - n + 1*n/(a + 2 - n + 2*(n-1)/(a + 4 - n + ...)))
    s = n + 1.0
    f = _lentz(a + 1.0 - s, lambda j: -j * (j - s), lambda j: a + 1.0 - s + 2.0 * j, a.shape)
    return np.log(a) - np.log(f)


def _log_erlang_b(n, a):
    """log B(n, a) for n >= 0 and a > 0 (arrays of one shape)."""
    cdf = special.gammaincc(n + 1.0, a)  # P(Poisson(a) <= n)
    ok = cdf > _UNDERFLOW
    out = np.empty_like(a)
    with np.errstate(divide="ignore"):
        out[ok] = _log_poisson_pmf(n[ok], a[ok]) - np.log(cdf[ok])
    if not ok.all():
        out[~ok] = -_log_inv_b_cf(n[~ok], a[~ok])
    return np.minimum(out, 0.0)


def _erlang_c_core(s, a):
    """Probability of waiting C(s, a) on float arrays of one shape, no validation."""
    out = np.ones_like(a)
    out[a == 0] = 0.0
    stable = (s > a) & (a > 0)
    if stable.any():
        ss, aa = s[stable], a[stable]
        b = np.exp(_log_erlang_b(ss, aa))
        out[stable] = ss * b / (ss - aa + aa * b)
    return out


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
    s = _check("agents", agents)
    a = _check("traffic_erlangs", traffic_erlangs)
    s, a = np.broadcast_arrays(s, a)
    return _out(_erlang_c_core(s.astype(float), a.astype(float)))


def _erlang_c_sl(s, a, aht, t):
    c = _erlang_c_core(s, a)
    with np.errstate(invalid="ignore", over="ignore"):
        sl = 1.0 - c * np.exp(-(s - a) * t / aht)
    sl = np.where(s > a, sl, 0.0)
    return np.where(a == 0, 1.0, np.clip(sl, 0.0, 1.0))


def _erlang_c_asa(s, a, aht):
    c = _erlang_c_core(s, a)
    with np.errstate(divide="ignore", invalid="ignore"):
        asa = np.where(s > a, c * aht / (s - a), np.inf)
    return np.where(a == 0, 0.0, asa)


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
        from staffing.erlang_a import service_level_a

        return service_level_a(agents, arrivals_per_interval, aht_s, interval_s, target_answer_s, patience_s)
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
        from staffing.erlang_a import asa_s_a

        return asa_s_a(agents, arrivals_per_interval, aht_s, interval_s, patience_s)
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
        from staffing.erlang_a import occupancy_a

        return occupancy_a(agents, arrivals_per_interval, aht_s, interval_s, patience_s)
    s, a, _ = _inputs(agents, arrivals_per_interval, aht_s, interval_s)
    with np.errstate(divide="ignore", invalid="ignore"):
        occ = np.where(a == 0, 0.0, np.minimum(a / np.where(s > 0, s, np.nan), 1.0))
    return _out(np.where(np.isnan(occ), 1.0, occ))


# ---------------------------------------------------------------- agent search
def _least_integer(meets, lower, guess, max_rounds=200):
    """Least integer s >= lower with meets(index, s) true, for a predicate monotone in s.

    ``meets(index, s)`` evaluates the predicate for the elements ``index``
    at agent counts ``s``. Starting from ``guess``, the search gallops (steps
    1, 2, 4, ...) to a bracket and then bisects, on shrinking subsets only.
    """
    lower = np.asarray(lower, dtype=np.int64)
    start = np.maximum(np.asarray(guess, dtype=np.int64), lower)
    ok = meets(np.arange(start.size), start.astype(float))
    fail = np.where(ok, lower - 1, start)  # largest count known to fail (lower-1 by definition)
    good = np.where(ok, start, -1)  # smallest count known to meet, -1 if none yet
    step = np.ones_like(start)
    going_down = ok & (start > lower)
    going_up = ~ok
    fail = np.where(going_down, -2, fail)  # -2: below-bound not reached yet
    for _ in range(max_rounds):
        down = np.flatnonzero(going_down)
        up = np.flatnonzero(going_up)
        bis = np.flatnonzero(~going_down & ~going_up & (good - fail > 1) & (good >= 0))
        if down.size + up.size + bis.size == 0:
            return good
        probe_down = np.maximum(good[down] - step[down], lower[down])
        probe_up = fail[up] + step[up]
        probe_bis = (fail[bis] + good[bis]) // 2
        idx = np.concatenate([down, up, bis])
        probe = np.concatenate([probe_down, probe_up, probe_bis])
        res = meets(idx, probe.astype(float))
        good[idx] = np.where(res, probe, good[idx])
        fail[idx] = np.where(res, fail[idx], probe)
        # gallop down: stop at the first failure or at the lower bound
        res_d = res[: down.size]
        at_floor = probe_down == lower[down]
        fail[down] = np.where(res_d & at_floor, lower[down] - 1, fail[down])
        going_down[down] = res_d & ~at_floor
        step[down] *= 2
        res_u = res[down.size : down.size + up.size]
        going_up[up] = ~res_u
        step[up] *= 2
    raise ValueError("the targets could not be met within the search limit; check that they are reachable")


def _hw_beta(a, aht, target_sl, t, max_asa, iterations=3):
    """Square-root staffing factor beta from the Halfin-Whitt approximation of Erlang C.

    With s = a + beta sqrt(a), P(wait) ~ alpha(beta) = 1 / (1 + beta Phi(beta)/phi(beta)).
    Each target gives a decreasing convex condition in beta, solved by Newton
    steps from the left (so the iterates never overshoot the root).
    """
    sqrt_a = np.sqrt(a)
    beta = np.zeros_like(a)

    def log_alpha_and_slope(b):
        mills = np.sqrt(np.pi / 2) * special.erfcx(-b / np.sqrt(2))  # Phi(b) / phi(b)
        denom = 1.0 + b * mills
        return -np.log(denom), -(mills + b + b * b * mills) / denom

    if target_sl is not None:
        k = sqrt_a * t / aht
        with np.errstate(divide="ignore"):
            log_miss = np.log1p(-np.minimum(target_sl, 1.0 - 1e-16))
        b = np.zeros_like(a)
        for _ in range(iterations):
            la, dla = log_alpha_and_slope(b)
            b = b - (la - b * k - log_miss) / (dla - k)
        beta = np.maximum(beta, b)
    if max_asa is not None:
        cap = np.isfinite(max_asa)
        log_ratio = np.log(aht[cap] / (max_asa[cap] * sqrt_a[cap]))  # ASA ~ alpha AHT / (beta sqrt(a))
        b = np.full(log_ratio.shape, 1e-3)
        for _ in range(iterations + 2):
            la, dla = log_alpha_and_slope(b)
            f = la + log_ratio - np.log(b)
            b = np.where(f > 0, b - f / (dla - 1.0 / b), b)
        beta[cap] = np.maximum(beta[cap], b)
    return np.clip(beta, 0.0, 50.0)


def _validate_targets(target_sl, target_answer_s, max_occupancy, max_asa_s):
    out = []
    out.append(None if target_sl is None else _check("target_sl", target_sl, upper=1.0))
    out.append(_check("target_answer_s", target_answer_s, allow_inf=True) if target_sl is not None else None)
    out.append(None if max_occupancy is None else _check("max_occupancy", max_occupancy, positive=True, upper=1.0))
    out.append(None if max_asa_s is None else _check("max_asa_s", max_asa_s, positive=True, allow_inf=True))
    return out


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
        from staffing.erlang_a import required_agents_a

        return required_agents_a(
            arrivals_per_interval, aht_s, interval_s, target_sl, target_answer_s,
            patience_s, max_occupancy=max_occupancy, max_asa_s=max_asa_s, max_abandon=max_abandon,
        )
    if max_abandon is not None:
        raise ValueError("max_abandon needs patience_s (Erlang A); got patience_s=None")
    lam = _check("arrivals_per_interval", arrivals_per_interval)
    aht = _check("aht_s", aht_s, positive=True)
    interval = _check("interval_s", interval_s, positive=True)
    sl, t, occ, asa = _validate_targets(target_sl, target_answer_s, max_occupancy, max_asa_s)
    if sl is None and occ is None and asa is None:
        raise ValueError("required_agents needs at least one target: target_sl, max_occupancy or max_asa_s")
    parts = [lam * aht / interval] + [x for x in (sl, t, occ, asa) if x is not None]
    shape = np.broadcast_shapes(*(np.shape(x) for x in parts))
    a = np.broadcast_to(lam * aht / interval, shape).ravel()
    aht_b = np.broadcast_to(aht, shape).ravel()

    def flat(x):
        return None if x is None else np.broadcast_to(x, shape).ravel()

    sl, t, occ, asa = flat(sl), flat(t), flat(occ), flat(asa)
    live = a > 0
    if sl is not None and np.any(live & (sl >= 1.0)):
        raise ValueError("target_sl = 1.0 is unreachable with positive traffic: SL < 1 for any finite agents")
    if asa is not None and np.any(live & (asa == 0)):
        raise ValueError("max_asa_s = 0 is unreachable with positive traffic: ASA > 0 for any finite agents")
    result = np.zeros(a.size, dtype=np.int64)
    if live.any():
        idx_live = np.flatnonzero(live)
        al, ahl = a[live], aht_b[live]
        sub = {k: (None if v is None else v[live]) for k, v in (("sl", sl), ("t", t), ("occ", occ), ("asa", asa))}
        lower = np.floor(al).astype(np.int64) + 1  # Erlang C needs s > a
        if sub["occ"] is not None:
            lower = np.maximum(lower, np.ceil(al / sub["occ"] * (1 - _OCCUPANCY_RTOL)).astype(np.int64))
        if sub["sl"] is None and sub["asa"] is None:
            result[idx_live] = lower
        else:
            beta = _hw_beta(al, ahl, sub["sl"], sub["t"], sub["asa"])
            guess = np.ceil(al + beta * np.sqrt(al)).astype(np.int64)

            def meets(i, s):
                ai, ahti = al[i], ahl[i]
                c = _erlang_c_core(s, ai)  # s > a here, so the closed forms below are finite
                ok = np.ones(i.size, dtype=bool)
                if sub["sl"] is not None:
                    ok &= 1.0 - c * np.exp(-(s - ai) * sub["t"][i] / ahti) >= sub["sl"][i]
                if sub["asa"] is not None:
                    ok &= c * ahti <= sub["asa"][i] * (s - ai)
                return ok

            result[idx_live] = _least_integer(meets, lower, guess)
    return _out(result.reshape(shape))

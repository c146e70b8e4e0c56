"""Scalar twins of the Erlang B/C kernels of :mod:`staffing._numerics`, on plain floats.

One call with plain numbers used to pay numpy's per-call costs (0-d arrays, masks,
broadcasting, fancy indexing) dozens of times over the arithmetic: 0.3-1.5 ms for
one ``required_agents``. The twins here follow the array kernels step for step
(the same formulas, branches, constants and order of operations) in :mod:`math`,
and take the incomplete gamma, log gamma and erfcx functions from
:mod:`scipy.special.cython_special`: the same C code as the ``scipy.special``
ufuncs, called on a float without the ufunc machinery. A scalar therefore gives
the numbers of a one-element array, up to last-bit differences between
:mod:`math` and numpy's exp and log; the agent searches test the same predicate,
so they return the same integer.

Each public twin validates in the order of its array counterpart and raises its
very messages. Private to :mod:`staffing.erlang` and :mod:`staffing._scalar_a`.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.special import cython_special as _cs

from staffing._numerics import (
    _LOG_SQRT_2PI,
    _NEEDS_TARGET_C,
    _OCCUPANCY_RTOL,
    _SEARCH_LIMIT_MESSAGE,
    _TINY,
    _UNDERFLOW,
    _UNREACHABLE_ASA,
    _UNREACHABLE_SL,
    _bad_value_message,
)

# plain numbers: Python int and float, and the numpy scalars met when iterating an array
# (bool is left to the array path, which treats it as 0 or 1)
SCALAR_TYPES = frozenset({int, float, np.float64, np.int64})

_LOG_SQRT_2PI_F = float(_LOG_SQRT_2PI)
_SQRT_HALF_PI = math.sqrt(math.pi / 2)
_SQRT_2 = math.sqrt(2.0)
_INF = math.inf
# B(s, a) by the recurrence up to this many agents: cheaper than one log-space evaluation,
# and more accurate (it agrees with the log-space ratio to ~1e-13 relative)
_RECURRENCE_MAX_AGENTS = 16
# below this traffic [Erlang] (and this many agents) the search sweeps the recurrence from
# B(0) = 1 and tests each count from its lower bound up: cheaper than the square-root guess
_SWEEP_BELOW_ERLANGS = 25.0
_SWEEP_MAX_AGENTS = 64
_WALK_MAX_STEPS = 32  # then the search gallops and bisects with direct evaluations


# ---------------------------------------------------------------- dispatch and validation
#: The largest offered load with an answer: its agent count must fit an int64 (the fuzz
#: suite found 0.99 contacts of 1e300 s, 1e297 Erlangs, overflowing the conversion).
MAX_TRAFFIC_ERLANGS = 1e15

def is_scalar(*values):
    """True when every value is a plain number (see ``SCALAR_TYPES``)."""
    for value in values:
        if type(value) not in SCALAR_TYPES:
            return False
    return True


def targets_are_scalar(target_sl, target_answer_s, *caps):
    """True when every target given is a plain number; None marks a target not given.

    ``target_answer_s`` matters only with an SL target, as in
    :func:`staffing._numerics._validate_targets`.
    """
    if target_sl is not None and (type(target_sl) not in SCALAR_TYPES or type(target_answer_s) not in SCALAR_TYPES):
        return False
    for value in caps:
        if value is not None and type(value) not in SCALAR_TYPES:
            return False
    return True


def check(name, value, positive=False, allow_inf=False, upper=None):
    """``value`` as a float, or the ValueError of :func:`staffing._numerics._check`."""
    v = float(value)
    if v != v or (v <= 0.0 if positive else v < 0.0) or (v == _INF and not allow_inf) or (upper is not None and v > upper):
        raise ValueError(_bad_value_message(name, v, positive=positive, allow_inf=allow_inf, upper=upper))
    return v


def validate_targets(target_sl, target_answer_s, max_occupancy, max_asa_s):
    """Scalar :func:`staffing._numerics._validate_targets`: floats, or None for targets not given."""
    sl = None if target_sl is None else check("target_sl", target_sl, upper=1.0)
    t = check("target_answer_s", _none_as_nan(target_answer_s), allow_inf=True) if target_sl is not None else None
    occ = None if max_occupancy is None else check("max_occupancy", max_occupancy, positive=True, upper=1.0)
    asa = None if max_asa_s is None else check("max_asa_s", max_asa_s, positive=True, allow_inf=True)
    return sl, t, occ, asa


def _none_as_nan(value):
    return math.nan if value is None else value  # numpy reads None as NaN


# ---------------------------------------------------------------- Poisson and Erlang B
def _stirlerr(n):
    """log Gamma(n+1) - (n + 1/2) log n + n - log sqrt(2 pi), for n > 0."""
    if n > 15.0:
        inv = 1.0 / n
        inv2 = inv * inv
        return inv * (1 / 12 - inv2 * (1 / 360 - inv2 * (1 / 1260 - inv2 * (1 / 1680 - inv2 / 1188))))
    return _cs.gammaln(n + 1.0) - (n + 0.5) * math.log(n) + n - _LOG_SQRT_2PI_F


def log_poisson_pmf(n, mean):
    """log(mean**n exp(-mean) / Gamma(n+1)) for real n >= 0, mean > 0 (Loader's form)."""
    if not n > 0:
        return -mean
    d = n - mean
    log_ratio = math.log1p(d / mean) if abs(d) < mean else math.log(n) - math.log(mean)
    deviance = n * log_ratio - d
    return -(_LOG_SQRT_2PI_F + 0.5 * math.log(n) + _stirlerr(n) + deviance)


def lentz(b0, a_fn, b_fn, max_terms=5000):
    """b0 + a1/(b1 + a2/(b2 + ...)) by the modified Lentz method."""
    f = _TINY if b0 == 0 else b0
    c = f
    d = 0.0
    for j in range(1, max_terms):
        aj, bj = a_fn(j), b_fn(j)
        d = bj + aj * d
        if abs(d) < _TINY:
            d = _TINY
        c = bj + aj / c
        if abs(c) < _TINY:
            c = _TINY
        d = 1.0 / d
        delta = c * d
        f = f * delta
        if not abs(delta - 1.0) > 1e-16:
            break
    return f


def log_erlang_b(n, a):
    """log B(n, a) for n >= 0 and a > 0."""
    cdf = _cs.gammaincc(n + 1.0, a)  # P(Poisson(a) <= n)
    if cdf > _UNDERFLOW:
        out = log_poisson_pmf(n, a) - math.log(cdf)
    else:  # a far above n: the Legendre continued fraction of Gamma(n+1, a)
        s = n + 1.0
        f = lentz(a + 1.0 - s, lambda j: -j * (j - s), lambda j: a + 1.0 - s + 2.0 * j)
        out = -(math.log(a) - math.log(f))
    return min(out, 0.0)


def _b_recurrence(n, a):
    """B(n, a) for a whole n by B(k) = a B(k-1) / (k + a B(k-1)) from B(0) = 1.

    Every step is stable (its rounding errors shrink) and it underflows to 0
    rather than overflowing: within a few units in the last place of the exact value.
    """
    b = 1.0
    for k in range(1, n + 1):
        ab = a * b
        b = ab / (k + ab)
    return b


def erlang_b_value(s, a):
    """B(s, a) on floats, no validation: the recurrence for a few agents, else the log-space ratio."""
    if s == 0:
        return 1.0
    if not a > 0:
        return 0.0
    if s <= _RECURRENCE_MAX_AGENTS and s.is_integer():
        return _b_recurrence(int(s), a)
    return math.exp(log_erlang_b(s, a))


def erlang_c_value(s, a):
    """C(s, a) on floats, no validation (:func:`staffing._numerics._erlang_c_core`)."""
    if a == 0:
        return 0.0
    if not s > a:
        return 1.0
    b = erlang_b_value(s, a)
    return s * b / (s - a + a * b)


def erlang_c_sl(s, a, aht, t):
    if a == 0:
        return 1.0
    if not s > a:
        return 0.0
    sl = 1.0 - erlang_c_value(s, a) * math.exp(-(s - a) * t / aht)
    return min(max(sl, 0.0), 1.0)


def erlang_c_asa(s, a, aht):
    if a == 0:
        return 0.0
    return erlang_c_value(s, a) * aht / (s - a) if s > a else _INF


# ---------------------------------------------------------------- public twins (validated)
def traffic_erlangs(arrivals_per_interval, aht_s, interval_s):
    lam = check("arrivals_per_interval", arrivals_per_interval)
    aht = check("aht_s", aht_s, positive=True)
    interval = check("interval_s", interval_s, positive=True)
    return lam * aht / interval


def erlang_b(agents, traffic):
    return erlang_b_value(check("agents", agents), check("traffic_erlangs", traffic))


def erlang_c(agents, traffic):
    return erlang_c_value(check("agents", agents), check("traffic_erlangs", traffic))


def inputs(agents, arrivals_per_interval, aht_s, interval_s):
    """(s, a, aht) validated in the order of :func:`staffing.erlang._inputs`."""
    s = check("agents", agents)
    lam = check("arrivals_per_interval", arrivals_per_interval)
    aht = check("aht_s", aht_s, positive=True)
    interval = check("interval_s", interval_s, positive=True)
    return s, lam * aht / interval, aht


def service_level(agents, arrivals_per_interval, aht_s, interval_s, target_answer_s):
    t = check("target_answer_s", target_answer_s, allow_inf=True)
    s, a, aht = inputs(agents, arrivals_per_interval, aht_s, interval_s)
    return erlang_c_sl(s, a, aht, t)


def asa_s(agents, arrivals_per_interval, aht_s, interval_s):
    return erlang_c_asa(*inputs(agents, arrivals_per_interval, aht_s, interval_s))


def occupancy(agents, arrivals_per_interval, aht_s, interval_s):
    s, a, _ = inputs(agents, arrivals_per_interval, aht_s, interval_s)
    if a == 0:
        return 0.0
    return min(a / s, 1.0) if s > 0 else 1.0


# ---------------------------------------------------------------- agent search
def _log_alpha_and_slope(b):
    mills = _SQRT_HALF_PI * _cs.erfcx(-b / _SQRT_2)  # Phi(b) / phi(b)
    denom = 1.0 + b * mills
    return -math.log(denom), -(mills + b + b * b * mills) / denom


def hw_beta(a, aht, target_sl, t, max_asa, iterations=2):
    """Square-root staffing factor of :func:`staffing._numerics._hw_beta`, for one interval.

    Only the starting point of the search depends on it, never its answer: a
    degenerate case (an infinite threshold, an overflow) falls back to beta = 0.
    Two Newton steps, not three: on 3,000 random SL targets from 25 to 100,000
    Erlangs the guess is then exact 90 % of the time and never off by more than
    one (three steps: 86 %), at half the cost.
    """
    sqrt_a = math.sqrt(a)
    beta = 0.0
    if target_sl is not None and t < _INF:  # an infinite threshold is met by any s > a
        k = sqrt_a * t / aht
        log_miss = math.log1p(-min(target_sl, 1.0 - 1e-16))
        b = 0.0
        for _ in range(iterations):
            la, dla = _log_alpha_and_slope(b)
            b = b - (la - b * k - log_miss) / (dla - k)
        beta = b if b > beta else beta
    scale = None if max_asa is None else max_asa * sqrt_a
    if scale is not None and 0.0 < scale < _INF:  # ASA ~ alpha AHT / (beta sqrt(a))
        log_ratio = math.log(aht / scale)
        b = 1e-3
        for _ in range(iterations + 2):
            la, dla = _log_alpha_and_slope(b)
            f = la + log_ratio - math.log(b)
            if f > 0:
                b = b - f / (dla - 1.0 / b)
        beta = b if b > beta else beta
    return min(beta, 50.0) if beta > 0.0 else 0.0  # a NaN falls back to 0


def least_integer(meets, lower, guess, max_rounds=200):
    """Least integer s >= lower with meets(s), for a predicate monotone in s.

    The scalar :func:`staffing._numerics._least_integer`: gallop from ``guess``
    (steps 1, 2, 4, ...) to a bracket, then bisect.
    """
    start = max(guess, lower)
    rounds = 0
    if meets(float(start)):
        good, fail, step = start, lower - 1, 1
        while good > lower:  # gallop down to the first failure or the bound
            rounds += 1
            probe = max(good - step, lower)
            if meets(float(probe)):
                good, step = probe, 2 * step
            else:
                fail = probe
                break
    else:
        fail, step = start, 1
        while True:  # gallop up to the first success
            rounds += 1
            if rounds > max_rounds:
                raise ValueError(_SEARCH_LIMIT_MESSAGE)
            probe = fail + step
            if meets(float(probe)):
                good = probe
                break
            fail, step = probe, 2 * step
    while good - fail > 1:
        rounds += 1
        if rounds > max_rounds:
            raise ValueError(_SEARCH_LIMIT_MESSAGE)
        mid = (fail + good) // 2
        if meets(float(mid)):
            good = mid
        else:
            fail = mid
    return good


def required_agents(arrivals_per_interval, aht_s, interval_s, target_sl, target_answer_s, max_occupancy, max_asa_s):
    """Scalar twin of :func:`staffing.erlang.required_agents` (Erlang C), as a Python int."""
    lam = check("arrivals_per_interval", arrivals_per_interval)
    aht = check("aht_s", aht_s, positive=True)
    interval = check("interval_s", interval_s, positive=True)
    sl, t, occ, asa = validate_targets(target_sl, target_answer_s, max_occupancy, max_asa_s)
    if sl is None and occ is None and asa is None:
        raise ValueError(_NEEDS_TARGET_C)
    a = lam * aht / interval
    if not a > 0:
        return 0
    if not math.isfinite(a) or a > MAX_TRAFFIC_ERLANGS:  # no agent count is an answer
        raise ValueError(f"traffic: arrivals_per_interval x aht_s / interval_s is {a!r} "
                         f"Erlangs; expected a finite load of at most {MAX_TRAFFIC_ERLANGS:g}")
    if sl is not None and sl >= 1.0:
        raise ValueError(_UNREACHABLE_SL)
    if asa is not None and asa == 0:
        raise ValueError(_UNREACHABLE_ASA)
    lower = math.floor(a) + 1  # Erlang C needs s > a
    if occ is not None:
        lower = max(lower, math.ceil(a / occ * (1 - _OCCUPANCY_RTOL)))
    if sl is None and asa is None:
        return lower

    def meets_b(s, b):  # the predicate of the array search, given B(s, a)
        c = s * b / (s - a + a * b)  # C(s, a); s > a here, so the closed forms below are finite
        if sl is not None and not 1.0 - c * math.exp(-(s - a) * t / aht) >= sl:
            return False
        return asa is None or c * aht <= asa * (s - a)

    if a < _SWEEP_BELOW_ERLANGS and lower <= _SWEEP_MAX_AGENTS:
        return sweep(meets_b, a, lower)
    return walk(meets_b, a, lower, max(lower, math.ceil(a + hw_beta(a, aht, sl, t, asa) * math.sqrt(a))))


def sweep(meets_b, a, lower):
    """Least s >= lower with meets_b(s, B(s, a)), by the recurrence from B(0) = 1 (small traffic)."""
    b = 1.0
    for k in range(1, lower):
        ab = a * b
        b = ab / (k + ab)
    for s in range(lower, lower + _WALK_MAX_STEPS):
        ab = a * b
        b = ab / (s + ab)
        if meets_b(s, b):
            return s
    return least_integer(lambda k: meets_b(k, erlang_b_value(k, a)), lower + _WALK_MAX_STEPS, lower + _WALK_MAX_STEPS)


def walk(meets_b, a, lower, start):
    """Least s >= lower with meets_b(s, B(s, a)), walking from ``start`` by the Erlang B recurrences.

    One evaluation of B at ``start``, then O(1) steps: up by
    B(s+1) = a B(s) / (s + 1 + a B(s)), down by B(s-1) = s B(s) / (a (1 - B(s)))
    (both stable for s > a). Past ``_WALK_MAX_STEPS`` steps it hands over to the
    galloping search of :func:`least_integer`.
    """
    s = start
    b = erlang_b_value(float(s), a)
    if meets_b(s, b):
        for _ in range(_WALK_MAX_STEPS):
            if s == lower:
                return s
            below = s * b / (a * (1.0 - b))
            if not meets_b(s - 1, below):
                return s
            s, b = s - 1, below
        return least_integer(lambda k: meets_b(k, erlang_b_value(k, a)), lower, s)
    for _ in range(_WALK_MAX_STEPS):
        s += 1
        ab = a * b
        b = ab / (s + ab)
        if meets_b(s, b):
            return s
    return least_integer(lambda k: meets_b(k, erlang_b_value(k, a)), s + 1, s + 1)

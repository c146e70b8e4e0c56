"""Scalar twins of the Erlang A kernels of :mod:`staffing._numerics_a`, on plain floats.

Step for step the array code (see :mod:`staffing.erlang_a` for the formulas),
with :mod:`math` and :mod:`scipy.special.cython_special` in place of numpy and
the ``scipy.special`` ufuncs; :mod:`staffing._scalar` explains why. The mean wait
keeps numpy for its 48-node quadrature, on the nodes of one interval only.

Private to :mod:`staffing.erlang_a`.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.special import cython_special as _cs

from staffing import _scalar
from staffing._numerics import (
    _NEEDS_TARGET_A,
    _OCCUPANCY_RTOL,
    _UNDERFLOW,
    _UNREACHABLE_ABANDON,
    _UNREACHABLE_SL,
)
from staffing._numerics_a import _GL_NODES, _GL_WEIGHTS, _TAIL_NATS

_INF = math.inf
_LOG2 = math.log(2.0)
check = _scalar.check


def _log(v):
    """math.log with numpy's log(0) = -inf (the array kernels silence that warning)."""
    return math.log(v) if v > 0.0 else -_INF


def _logaddexp(x, y):
    """numpy's logaddexp for two floats."""
    if x == y:  # equal infinities too
        return x + _LOG2
    tmp = x - y
    if tmp > 0:
        return x + math.log1p(math.exp(-tmp))
    if tmp <= 0:
        return y + math.log1p(math.exp(tmp))
    return tmp  # NaN


def _divide(num, den):
    """num / den with numpy's float rules for a zero denominator."""
    if den != 0.0:
        return num / den
    return math.nan if num == 0.0 or num != num else math.copysign(_INF, num) * math.copysign(1.0, den)


def log_g(x, z):
    """log M(1; x + 1; z) for x >= 0, z >= 0 (:func:`staffing._numerics_a._log_g`)."""
    if not z > 0:
        return 0.0
    if not x > 0:
        return z
    p = _cs.gammainc(x, z)
    if p > _UNDERFLOW:
        return math.log(p) - _scalar.log_poisson_pmf(x, z)
    b = x + 1.0  # z far below x: the continued fraction

    def a_fn(j):
        if j == 1:
            return -z
        return (j // 2) * z if j % 2 == 0 else -(b + (j - 3) // 2) * z

    return -math.log(_scalar.lentz(1.0, a_fn, lambda j: b + (j - 1)))


def parts(n, a, r, theta_t=None):
    """log D, log S, log(1/B - 1), log answered-after-waiting, log answered-after-t (or None)."""
    x, y = n / r, a / r
    log_b = _scalar.log_erlang_b(n, a)
    log_idle = _log(-math.expm1(log_b)) - log_b
    log_s = log_g(x, y)
    log_d = _logaddexp(log_idle, log_s)
    log_frac = _log(x / (x + 1.0))
    log_answered = log_frac + log_g(x + 1.0, y)
    log_late = None
    if theta_t is not None:
        if theta_t == _INF:
            log_late = -_INF
        else:
            z = y * math.exp(-theta_t)
            log_late = log_frac - y * math.expm1(-theta_t) - (x + 1.0) * theta_t + log_g(x + 1.0, z)
    return log_d, log_s, log_idle, log_answered, log_late


def mean_wait_scaled(x, y):
    """Mean scaled wait of answered waiting customers (:func:`staffing._numerics_a._mean_wait_scaled`)."""
    interior = y > x + 1.0
    mode = math.log(y) - math.log(x + 1.0) if interior else 0.0
    curv = x + 1.0 if interior else y  # -phi'' at the mode
    slope = 0.0 if interior else x + 1.0 - y  # -phi' at the mode

    def rel_phi(u):  # phi(mode + u) - phi(mode), for a float
        return -(x + 1.0) * u - curv * math.expm1(-u)

    left = min(mode, math.sqrt(2 * _TAIL_NATS / curv)) if interior else 0.0
    right = min(_TAIL_NATS / max(slope, 1e-300), math.sqrt(2 * _TAIL_NATS / max(curv, 1e-300)))
    for _ in range(60):
        if not rel_phi(right) > -_TAIL_NATS:
            break
        right = 2.0 * right
    num = den = 0.0
    for a_end, b_end in ((-left, 0.0), (0.0, right)):
        half = 0.5 * (b_end - a_end)
        u = (a_end + b_end) * 0.5 + half * _GL_NODES
        w = np.exp(-(x + 1.0) * u - curv * np.expm1(-u)) * _GL_WEIGHTS * half
        den += float(w.sum())
        num += float((w * u).sum())
    return mode + num / den


def metrics(n, a, aht, patience, t=None, want_asa=False):
    """(P(wait), P(abandon), SL or None, ASA [s] or None) for one interval (:func:`_numerics_a._metrics`)."""
    if not a > 0:
        return 0.0, 0.0, (None if t is None else 1.0), (0.0 if want_asa else None)
    if not n > 0:
        return 1.0, 1.0, (None if t is None else 0.0), (_INF if want_asa else None)
    if patience == _INF:  # Erlang C
        sl = None if t is None else _scalar.erlang_c_sl(n, a, aht, t)
        asa = _scalar.erlang_c_asa(n, a, aht) if want_asa else None
        return _scalar.erlang_c_value(n, a), 0.0, sl, asa
    r = aht / patience
    tl = None if t is None else t / patience  # threshold in units of the mean patience
    log_d, log_s, log_idle, log_ans, log_late = parts(n, a, r, tl)
    pw = math.exp(log_s - log_d)
    # P(abandon) = P(wait) - P(answered after waiting)
    pab = pw * -math.expm1(min(log_ans - log_s, 0.0))
    ans_waited = math.exp(log_ans - log_d)
    sl = None
    if t is not None:
        within = ans_waited * -math.expm1(min(log_late - log_ans, 0.0))
        sl = min(max(math.exp(log_idle - log_d) + within, 0.0), 1.0)
    asa = None
    if want_asa:
        wait_scaled = mean_wait_scaled(n / r, a / r)
        # scaled time -> seconds: multiply by the mean patience
        asa = _divide(wait_scaled * patience * ans_waited, 1.0 - pab)
    return pw, pab, sl, asa


def occupancy_value(s, a, p_ab):
    occ = a * (1.0 - p_ab) / s if s > 0 else 0.0
    return min(occ if a > 0 else 0.0, 1.0)


# ---------------------------------------------------------------- public twins (validated)
def inputs(agents, arrivals_per_interval, aht_s, interval_s, patience_s):
    """(s, a, aht, patience) validated in the order of :func:`staffing.erlang_a._inputs`."""
    s, a, aht = _scalar.inputs(agents, arrivals_per_interval, aht_s, interval_s)
    return s, a, aht, check("patience_s", patience_s, positive=True, allow_inf=True)


def wait_probability_a(agents, arrivals_per_interval, aht_s, interval_s, patience_s):
    return metrics(*inputs(agents, arrivals_per_interval, aht_s, interval_s, patience_s))[0]


def abandon_probability(agents, arrivals_per_interval, aht_s, interval_s, patience_s):
    return metrics(*inputs(agents, arrivals_per_interval, aht_s, interval_s, patience_s))[1]


def service_level_a(agents, arrivals_per_interval, aht_s, interval_s, target_answer_s, patience_s):
    t = check("target_answer_s", target_answer_s, allow_inf=True)
    s, a, aht, pat = inputs(agents, arrivals_per_interval, aht_s, interval_s, patience_s)
    return metrics(s, a, aht, pat, t=t)[2]


def asa_s_a(agents, arrivals_per_interval, aht_s, interval_s, patience_s):
    return metrics(*inputs(agents, arrivals_per_interval, aht_s, interval_s, patience_s), want_asa=True)[3]


def occupancy_a(agents, arrivals_per_interval, aht_s, interval_s, patience_s):
    s, a, aht, pat = inputs(agents, arrivals_per_interval, aht_s, interval_s, patience_s)
    return occupancy_value(s, a, metrics(s, a, aht, pat)[1])


def required_agents_a(arrivals_per_interval, aht_s, interval_s, target_sl, target_answer_s, patience_s,
                      max_occupancy, max_asa_s, max_abandon):
    """Scalar twin of :func:`staffing.erlang_a.required_agents_a`, as a Python int."""
    lam = check("arrivals_per_interval", arrivals_per_interval)
    aht = check("aht_s", aht_s, positive=True)
    interval = check("interval_s", interval_s, positive=True)
    pat = check("patience_s", patience_s, positive=True, allow_inf=True)
    sl, t, occ, asa = _scalar.validate_targets(target_sl, target_answer_s, max_occupancy, max_asa_s)
    ab = None if max_abandon is None else check("max_abandon", max_abandon, upper=1.0)
    if sl is None and asa is None and ab is None:
        raise ValueError(_NEEDS_TARGET_A)
    a = lam * aht / interval
    if not a > 0:
        return 0
    if not math.isfinite(a) or a > _scalar.MAX_TRAFFIC_ERLANGS:  # no agent count answers it
        raise ValueError(f"traffic: arrivals_per_interval x aht_s / interval_s is {a!r} "
                         f"Erlangs; expected a finite load of at most {_scalar.MAX_TRAFFIC_ERLANGS:g}")
    if sl is not None and sl >= 1.0:
        raise ValueError(_UNREACHABLE_SL)
    if ab is not None and ab == 0 and pat < _INF:
        raise ValueError(_UNREACHABLE_ABANDON)
    lower = math.floor(a) + 1 if pat == _INF else 1  # Erlang C needs s > a
    beta = 1.0 if sl is None and asa is None else _scalar.hw_beta(a, aht, sl, t, asa)
    guess = math.ceil(a + beta * math.sqrt(a))
    want_asa = asa is not None

    def meets(s):
        _, pab, sl_s, asa_s = metrics(s, a, aht, pat, t=t, want_asa=want_asa)
        return (
            (sl is None or sl_s >= sl)
            and (not want_asa or asa_s <= asa)
            and (ab is None or pab <= ab)
            and (occ is None or occupancy_value(s, a, pab) <= occ * (1 + _OCCUPANCY_RTOL))
        )

    return _scalar.least_integer(meets, lower, guess)

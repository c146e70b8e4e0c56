"""Array kernels of Erlang A (M/M/s+M): the Kummer function g in log space, the
stationary pieces, the mean wait by quadrature, and all metrics in one pass.

The formulas are derived in the docstring of :mod:`staffing.erlang_a`, whose public
functions validate, broadcast and call :func:`_metrics`. Private to
:mod:`staffing.erlang_a` and its scalar twin :mod:`staffing._scalar_a`; numpy and
scipy.special only.
"""

from __future__ import annotations

import numpy as np
from scipy import special

from staffing._numerics import (
    _UNDERFLOW,
    _erlang_c_asa,
    _erlang_c_core,
    _erlang_c_sl,
    _lentz,
    _log_erlang_b,
    _log_poisson_pmf,
)

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


def _occupancy(s, a, p_ab):
    with np.errstate(divide="ignore", invalid="ignore"):
        occ = np.where(s > 0, a * (1.0 - p_ab) / s, 0.0)
    return np.minimum(np.where(a > 0, occ, 0.0), 1.0)



"""Numerical kernels behind the Erlang formulas: validation, log-space Poisson and Erlang B,
the stable Erlang C pieces and the integer agent search.

Private to :mod:`staffing.erlang` and :mod:`staffing.erlang_a`; numpy and scipy.special only.
"""

from __future__ import annotations

import numpy as np
from scipy import special

_LOG_SQRT_2PI = 0.5 * np.log(2.0 * np.pi)
_TINY = 1e-300
_UNDERFLOW = 1e-250  # below this a regularised gamma value is recomputed by a continued fraction
_OCCUPANCY_RTOL = 1e-12  # tolerance on a/s <= max_occupancy, so 8.5/10 passes a 0.85 cap
_SEARCH_LIMIT_MESSAGE = "the targets could not be met within the search limit; check that they are reachable"
# the target errors of the agent searches, worded once for the array and the scalar paths
_NEEDS_TARGET_C = "required_agents needs at least one target: target_sl, max_occupancy or max_asa_s"
_NEEDS_TARGET_A = "required_agents_a needs target_sl, max_asa_s or max_abandon; got none of them"
_UNREACHABLE_SL = "target_sl = 1.0 is unreachable with positive traffic: SL < 1 for any finite agents"
_UNREACHABLE_ASA = "max_asa_s = 0 is unreachable with positive traffic: ASA > 0 for any finite agents"
_UNREACHABLE_ABANDON = "max_abandon = 0 is unreachable with finite patience_s and positive traffic"
_ABANDON_NEEDS_PATIENCE = "max_abandon needs patience_s (Erlang A); got patience_s=None"


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
        raise ValueError(_bad_value_message(name, first, positive=positive, allow_inf=allow_inf, upper=upper))
    return arr


def _bad_value_message(name, first, *, positive, allow_inf, upper):
    """The one wording of a rejected argument, shared by the array and the scalar checks."""
    rule = "> 0" if positive else ">= 0"
    if upper is not None:
        rule += f" and <= {upper}"
    return f"{name} must be {'' if allow_inf else 'finite and '}{rule}, got {first!r}"


def _out(arr):
    """0-d array -> numpy scalar; other arrays unchanged."""
    return arr[()] if arr.ndim == 0 else arr


def _validate_targets(target_sl, target_answer_s, max_occupancy, max_asa_s):
    out = []
    out.append(None if target_sl is None else _check("target_sl", target_sl, upper=1.0))
    out.append(_check("target_answer_s", target_answer_s, allow_inf=True) if target_sl is not None else None)
    out.append(None if max_occupancy is None else _check("max_occupancy", max_occupancy, positive=True, upper=1.0))
    out.append(None if max_asa_s is None else _check("max_asa_s", max_asa_s, positive=True, allow_inf=True))
    return out


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
    raise ValueError(_SEARCH_LIMIT_MESSAGE)


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
        finite = np.isfinite(k)  # an infinite threshold is met by any s > a: beta 0
        k = np.where(finite, k, 0.0)
        with np.errstate(divide="ignore"):
            log_miss = np.log1p(-np.minimum(target_sl, 1.0 - 1e-16))
        b = np.zeros_like(a)
        for _ in range(iterations):
            la, dla = log_alpha_and_slope(b)
            b = b - (la - b * k - log_miss) / (dla - k)
        beta = np.maximum(beta, np.where(finite, b, 0.0))
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


def _least_agents_c(a, aht, sl, t, occ, asa):
    """Least agents meeting the Erlang C targets given, on validated flat arrays of one size.

    The body of :func:`staffing.erlang.required_agents` once its arguments are
    checked and broadcast; ``sl``, ``t``, ``occ`` and ``asa`` may be None.
    """
    live = a > 0
    result = np.zeros(a.size, dtype=np.int64)
    if live.any():
        idx_live = np.flatnonzero(live)
        al, ahl = a[live], aht[live]
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
    return result

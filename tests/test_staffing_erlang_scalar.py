"""The scalar fast path of the Erlang functions: same numbers, types and errors as the array path.

Plain Python numbers take :mod:`staffing._scalar` / :mod:`staffing._scalar_a`;
a 0-d or one-element numpy array takes the broadcasting array code. The array
path is the oracle here (its own references are in test_staffing_erlang*.py),
plus an independent 50-digit Erlang B recurrence for the scalar path far out.
"""

import math

import mpmath as mp
import numpy as np
import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from staffing import _scalar
from staffing.erlang import (
    asa_s,
    erlang_b,
    erlang_c,
    occupancy,
    required_agents,
    service_level,
    traffic_erlangs,
)
from staffing.erlang_a import (
    abandon_probability,
    asa_s_a,
    occupancy_a,
    required_agents_a,
    service_level_a,
    wait_probability_a,
)

INTERVAL_S = 1800.0

traffic = st.one_of(st.just(0.0), st.floats(1e-4, 2e5))
aht = st.floats(1.0, 3600.0)
interval = st.sampled_from([300.0, 900.0, 1800.0, 3600.0])
threshold = st.one_of(st.floats(0.0, 600.0), st.just(math.inf))


def _close(x, y, rel=1e-12, abs_=1e-300):
    x, y = float(x), float(y)
    return x == y or math.isclose(x, y, rel_tol=rel, abs_tol=abs_)


def _agents(a, offset, fraction):
    """Agents around the load: whole counts from below a to far above, sometimes fractional."""
    s = max(0, math.floor(a) + offset)
    return s + fraction


def _both(fn, *args, **kwargs):
    """(scalar result, array result) of ``fn`` on plain numbers and on 0-d arrays."""
    arrays = [None if v is None else np.asarray(v) for v in args]
    kw_arrays = {k: (None if v is None else np.asarray(v)) for k, v in kwargs.items()}
    return fn(*args, **kwargs), fn(*arrays, **kw_arrays)


# ------------------------------------------------------------ Erlang B / C values


@settings(max_examples=300, deadline=None)
@given(a=traffic, aht_s=aht, interval_s=interval, offset=st.integers(-30, 80),
       fraction=st.sampled_from([0.0, 0.0, 0.0, 0.25, 0.5]), t=threshold)
def test_scalar_matches_array_erlang_c(a, aht_s, interval_s, offset, fraction, t):
    s = float(_agents(a, offset, fraction))
    lam = a * interval_s / aht_s
    a = lam * aht_s / interval_s  # the traffic the functions see
    for fn, args, rel, abs_ in [
        (erlang_b, (s, a), 1e-12, 1e-300),
        (erlang_c, (s, a), 1e-12, 1e-300),
        (asa_s, (s, lam, aht_s, interval_s), 1e-12, 1e-300),
        (service_level, (s, lam, aht_s, interval_s, t), 1e-12, 1e-12),
        (occupancy, (s, lam, aht_s, interval_s), 1e-12, 1e-12),
        (traffic_erlangs, (lam, aht_s, interval_s), 0.0, 0.0),
    ]:
        fast, slow = _both(fn, *args)
        assert type(fast) is np.float64
        assert _close(fast, slow, rel, abs_), (fn.__name__, args, float(fast), float(slow))


def _mp_erlang_c(s, a):
    """C(s, a) from the exact Erlang B recurrence at 50 digits (independent of both paths)."""
    mp.mp.dps = 50
    amp = mp.mpf(a)
    inv_b = mp.mpf(1)
    for k in range(1, s + 1):
        inv_b = 1 + inv_b * k / amp
    b = 1 / inv_b
    return s * b / (s - amp * (1 - b))


@pytest.mark.parametrize("a", [0.05, 3.0, 10.0, 15.5, 240.0, 12_000.0, 100_000.0])
@pytest.mark.parametrize("extra", [1, 3, 12])
def test_scalar_erlang_c_against_mpmath(a, extra):
    # from 1 agent above the load to well above it, small traffic (the recurrence) and large (log space)
    s = math.floor(a) + extra if a > 1 else extra
    c_ref = _mp_erlang_c(s, a)
    assert erlang_c(s, a) == pytest.approx(float(c_ref), rel=1e-11)
    lam = a * INTERVAL_S / 180.0
    a_seen = lam * 180.0 / INTERVAL_S
    c_seen = _mp_erlang_c(s, a_seen)
    sl_ref = 1 - c_seen * mp.exp(-(s - mp.mpf(a_seen)) * 20 / mp.mpf(180))
    assert service_level(s, lam, 180.0, INTERVAL_S, 20.0) == pytest.approx(float(sl_ref), rel=1e-11, abs=1e-13)
    assert asa_s(s, lam, 180.0, INTERVAL_S) == pytest.approx(float(c_seen * 180 / (s - mp.mpf(a_seen))), rel=1e-11)


# ------------------------------------------------------------ agent searches


@st.composite
def erlang_c_targets(draw):
    target_sl = draw(st.one_of(st.none(), st.floats(0.0, 0.999)))
    max_occupancy = draw(st.one_of(st.none(), st.floats(0.05, 1.0)))
    max_asa = draw(st.one_of(st.none(), st.floats(0.01, 3600.0), st.just(math.inf)))
    assume(target_sl is not None or max_occupancy is not None or max_asa is not None)
    return target_sl, max_occupancy, max_asa


def _required_both(lam, aht_s, interval_s, target_sl, t, occ, asa, **extra):
    kwargs = dict(max_occupancy=occ, max_asa_s=asa, **extra)
    return _both(required_agents, lam, aht_s, interval_s, target_sl, t, **kwargs)


@settings(max_examples=300, deadline=None)
@given(a=traffic, aht_s=aht, interval_s=interval, targets=erlang_c_targets(), t=threshold)
def test_scalar_required_agents_matches_array(a, aht_s, interval_s, targets, t):
    target_sl, occ, asa = targets
    lam = a * interval_s / aht_s
    fast, slow = _required_both(lam, aht_s, interval_s, target_sl, t, occ, asa)
    assert type(fast) is np.int64
    assert fast == slow


@pytest.mark.parametrize("walk_max_steps", [0, 1, 3])
@pytest.mark.parametrize("sweep_below", [0.0, math.inf])
@settings(max_examples=40, deadline=None)
@given(a=traffic, aht_s=aht, targets=erlang_c_targets(), t=threshold)
def test_scalar_search_fallbacks_match_array(walk_max_steps, sweep_below, a, aht_s, targets, t):
    # the sweep and the walk, each with its hand-over to galloping, on every input
    target_sl, occ, asa = targets
    lam = a * INTERVAL_S / aht_s
    with pytest.MonkeyPatch.context() as mpatch:
        mpatch.setattr(_scalar, "_WALK_MAX_STEPS", walk_max_steps)
        mpatch.setattr(_scalar, "_SWEEP_BELOW_ERLANGS", sweep_below)
        fast, slow = _required_both(lam, aht_s, INTERVAL_S, target_sl, t, occ, asa)
    assert fast == slow


def test_scalar_required_agents_published_and_far_out():
    # callcentrehelper.com worked example (see test_staffing_erlang.py): 14 agents
    assert required_agents(100, 180, 1800, 0.8, 20, max_occupancy=0.85) == 14
    assert required_agents(100.0, 180.0, 1800.0, 0.8, 20.0) == 14
    # 100,000 and 10^7 Erlangs: the least count, checked on the array path's SL
    for a in (1e5, 1e7):
        lam = a * INTERVAL_S / 180.0
        s = required_agents(lam, 180.0, INTERVAL_S, 0.8, 20.0)
        sl = service_level(np.array([s - 1, s], dtype=float), lam, 180.0, INTERVAL_S, 20.0)
        assert sl[0] < 0.8 <= sl[1]
        assert a < s < a + 6 * math.sqrt(a)


# ------------------------------------------------------------ Erlang A


@settings(max_examples=150, deadline=None)
@given(a=st.floats(1e-3, 3000.0), aht_s=aht, offset=st.integers(-30, 60), t=threshold,
       patience=st.one_of(st.floats(1.0, 1e4), st.just(math.inf)))
@example(a=1369.71875, aht_s=1.0, offset=-23, t=math.inf, patience=2384.0)
def test_scalar_matches_array_erlang_a(a, aht_s, offset, t, patience):
    # Erlang A works with log-space terms of size about x = s patience / AHT, where one
    # last-bit difference between math's and numpy's log1p, exp or expm1 (they differ on
    # ~5-10 % of arguments) moves exp(term) by about x ulp: the rounding floor of the
    # formula itself, equal for both paths. The tolerance is that floor (10 x ulp), and
    # never below 1e-11. (x = 3.2e6 in the pinned example: the paths differ by 8e-10.)
    s = float(_agents(a, offset, 0.0))
    lam = a * INTERVAL_S / aht_s
    x = s * patience / aht_s if math.isfinite(patience) else 0.0
    floor = max(1e-11, 10 * x * 2.2e-16)
    for fn, args, rel, abs_ in [
        (wait_probability_a, (s, lam, aht_s, INTERVAL_S, patience), floor, floor),
        (abandon_probability, (s, lam, aht_s, INTERVAL_S, patience), floor, floor),
        (service_level_a, (s, lam, aht_s, INTERVAL_S, t, patience), floor, floor),
        (occupancy_a, (s, lam, aht_s, INTERVAL_S, patience), floor, floor),
        (asa_s_a, (s, lam, aht_s, INTERVAL_S, patience), floor, 1e-300),
    ]:
        fast, slow = _both(fn, *args)
        assert type(fast) is np.float64
        assert _close(fast, slow, rel, abs_), (fn.__name__, args, float(fast), float(slow))


@settings(max_examples=80, deadline=None)
@given(a=st.one_of(st.just(0.0), st.floats(1e-3, 3000.0)), aht_s=aht, t=threshold,
       patience=st.one_of(st.floats(1.0, 1e4), st.just(math.inf)),
       target_sl=st.one_of(st.none(), st.floats(0.0, 0.99)),
       occ=st.one_of(st.none(), st.floats(0.3, 1.0)),
       asa=st.one_of(st.none(), st.floats(0.5, 600.0)),
       abandon=st.one_of(st.none(), st.floats(0.001, 0.5)))
def test_scalar_required_agents_a_matches_array(a, aht_s, t, patience, target_sl, occ, asa, abandon):
    assume(target_sl is not None or asa is not None or abandon is not None)
    lam = a * INTERVAL_S / aht_s
    fast, slow = _both(required_agents_a, lam, aht_s, INTERVAL_S, target_sl, t, patience,
                       max_occupancy=occ, max_asa_s=asa, max_abandon=abandon)
    assert type(fast) is np.int64
    assert fast == slow
    via_c = required_agents(lam, aht_s, INTERVAL_S, target_sl, t, patience_s=patience,
                            max_occupancy=occ, max_asa_s=asa, max_abandon=abandon)
    assert via_c == slow


# ------------------------------------------------------------ types and errors


def test_numpy_scalars_and_bools():
    # numpy.float64 / numpy.int64 (what iterating an array gives) take the fast path too
    assert required_agents(np.float64(100.0), np.int64(180), 1800, 0.8, np.float64(20.0)) == 14
    assert type(service_level(np.int64(14), np.float64(100.0), 180, 1800, 20)) is np.float64
    # a bool is left to the array path, which reads it as 0 or 1
    assert erlang_b(True, 5.0) == pytest.approx(erlang_b(1, 5.0), rel=1e-12)  # B(1, 5) = 5/6
    assert type(required_agents(100, 180, 1800, 0.8, 20)) is np.int64


def _message(fn, *args, **kwargs):
    with pytest.raises(ValueError) as info:
        fn(*args, **kwargs)
    return str(info.value)


BAD_CALLS = [
    (erlang_b, (-1, 5.0), {}),
    (erlang_b, (3, math.nan), {}),
    (erlang_c, (math.inf, 5.0), {}),
    (traffic_erlangs, (100, 0, 1800), {}),
    (service_level, (14, 100, 180, 1800, -1.0), {}),
    (service_level, (math.nan, 100, 180, 1800, 20), {}),
    (service_level, (14, -3, 180, 1800, 20), {}),
    (asa_s, (14, 100, 180, -5.0), {}),
    (occupancy, (14, 100, math.inf, 1800), {}),
    (required_agents, (-1.0, 180, 1800, 0.8, 20), {}),
    (required_agents, (100, 0.0, 1800, 0.8, 20), {}),
    (required_agents, (100, 180, 1800, 1.5, 20), {}),
    (required_agents, (100, 180, 1800, math.nan, 20), {}),
    (required_agents, (100, 180, 1800, 0.8, -1.0), {}),
    (required_agents, (100, 180, 1800, 0.8, None), {}),
    (required_agents, (100, 180, 1800, 0.8, 20), {"max_occupancy": 0.0}),
    (required_agents, (100, 180, 1800, 0.8, 20), {"max_asa_s": 0.0}),
    (required_agents, (100, 180, 1800, 1.0, 0), {}),
    (required_agents, (100, 180, 1800, None, 20), {}),
    (required_agents, (100, 180, 1800, 0.8, 20), {"max_abandon": 0.05}),
    (required_agents, (100, 180, 1800, 0.8, 20), {"patience_s": math.nan}),
    (required_agents, (100, 180, 1800, None, 20), {"patience_s": 180.0, "max_abandon": 0.0}),
    (required_agents, (100, 180, 1800, 1.0, 20), {"patience_s": 180.0}),
    (required_agents_a, (100, 180, 1800, None, 20, 180.0), {}),
    (required_agents_a, (100, 180, 1800, 0.8, 20, 180.0), {"max_abandon": 1.5}),
    (service_level_a, (10, 100, 180, 1800, 20, -5.0), {}),
    (asa_s_a, (10, 100, 180, 1800, 0.0), {}),
    (wait_probability_a, (-2, 100, 180, 1800, 60.0), {}),
]


@pytest.mark.parametrize("fn, args, kwargs", BAD_CALLS)
def test_scalar_errors_are_the_array_errors(fn, args, kwargs):
    # a bad plain number raises the very ValueError (text included) of the same value as a 0-d array
    fast = _message(fn, *args, **kwargs)
    slow = _message(fn, *[v if v is None else np.asarray(v) for v in args],
                    **{k: (v if v is None else np.asarray(v)) for k, v in kwargs.items()})
    assert fast == slow
    assert "np.float64" not in fast

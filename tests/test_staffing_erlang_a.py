"""Erlang A (M/M/s+M) against an independent 50-digit birth-death evaluation."""

import math

import mpmath as mp
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from staffing.erlang import asa_s, erlang_c, required_agents, service_level
from staffing.erlang_a import (
    abandon_probability,
    asa_s_a,
    occupancy_a,
    required_agents_a,
    service_level_a,
    wait_probability_a,
)

INTERVAL_S = 1800.0


def _birth_death_reference(n, a, aht_s, patience_s, t_s):
    """P(wait), P(abandon), SL(t), ASA of M/M/n+M by summing the state probabilities.

    States j <= n have weight a^j / j!; state n + k (k waiting) multiplies by
    lambda / (n mu + i theta), i = 1..k. An arrival that finds k waiting is
    answered after V = sum_{j=0..k} Exp(n mu + j theta); U = exp(-theta V) is
    Beta(x, k + 1) with x = n mu / theta, so (own patience Exp(theta))
    P(answered) = E[U] = x / (x + k + 1),
    P(answered, V <= t) = x / (x + k + 1) * (1 - I_{exp(-theta t)}(x + 1, k + 1)),
    E[V; answered] = x / (x + k + 1) * (digamma(x + k + 2) - digamma(x + 1)) / theta.
    Each state is evaluated on its own in 50-digit arithmetic; nothing here
    shares code or closed forms with staffing.erlang_a.
    """
    mp.mp.dps = 50
    a = mp.mpf(a)
    mu, theta = 1 / mp.mpf(aht_s), 1 / mp.mpf(patience_s)
    lam, x = a * mu, n * mu / theta
    weights = [mp.mpf(1)]
    for j in range(1, n + 1):
        weights.append(weights[-1] * a / j)
    z = sum(weights[:-1])
    queue, cur, k, peak = [], weights[-1], 0, weights[-1]
    while True:
        queue.append(cur)
        peak = max(peak, cur)
        k += 1
        cur = cur * lam / (n * mu + k * theta)
        if k > 5 and cur < peak * mp.mpf(10) ** -60:
            break
    z += sum(queue)
    u0 = mp.exp(-theta * t_s)
    p_ab = sl_wait = wait_ans = mp.mpf(0)
    for k, w in enumerate(queue):
        ans = x / (x + k + 1)
        p_ab += w * (1 - ans)
        sl_wait += w * ans * (1 - mp.betainc(x + 1, k + 1, 0, u0, regularized=True))
        wait_ans += w * ans * (mp.digamma(x + k + 2) - mp.digamma(x + 1)) / theta
    p_wait = sum(queue) / z
    p_ab /= z
    return p_wait, p_ab, (1 - p_wait) + sl_wait / z, (wait_ans / z) / (1 - p_ab)


CASES = [  # (agents, traffic [Erlang], aht_s, patience_s, t_s)
    (1, 0.1, 300.0, 60.0, 20.0),
    (1, 1.0, 600.0, 60.0, 30.0),
    (3, 2.5, 180.0, 600.0, 20.0),
    (5, 10.0, 180.0, 300.0, 20.0),  # well below the load
    (10, 10.0, 180.0, 180.0, 20.0),
    (14, 10.0, 180.0, 120.0, 20.0),
    (30, 37.3, 60.0, 90.0, 10.0),
    (95, 100.0, 240.0, 120.0, 30.0),
    (110, 100.0, 240.0, 600.0, 30.0),
    (480, 500.0, 300.0, 300.0, 20.0),
]


@pytest.mark.parametrize("n, a, aht_s, patience_s, t_s", CASES)
def test_against_birth_death_reference(n, a, aht_s, patience_s, t_s):
    ref = [float(v) for v in _birth_death_reference(n, a, aht_s, patience_s, t_s)]
    lam = a * INTERVAL_S / aht_s
    got = [
        wait_probability_a(n, lam, aht_s, INTERVAL_S, patience_s),
        abandon_probability(n, lam, aht_s, INTERVAL_S, patience_s),
        service_level_a(n, lam, aht_s, INTERVAL_S, t_s, patience_s),
        asa_s_a(n, lam, aht_s, INTERVAL_S, patience_s),
    ]
    for value, expected in zip(got, ref):
        assert value == pytest.approx(expected, rel=1e-9, abs=1e-13)


def _closed_form_mp(n, a, aht_s, patience_s, t_s):
    """The Mandelbaum-Zeltyn closed forms evaluated directly with mpmath's incomplete gamma."""
    mp.mp.dps = 50
    a = mp.mpf(a)
    r = mp.mpf(aht_s) / patience_s
    x, y = n / r, a / r
    inv_b = mp.mpf(1)
    for k in range(1, n + 1):
        inv_b = 1 + inv_b * k / a
    s = x * mp.exp(y) * y ** (-x) * mp.gammainc(x, 0, y)
    d = inv_b - 1 + s
    z = y * mp.exp(-t_s / mp.mpf(patience_s))
    answered = x * mp.exp(y) * y ** (-x - 1) * mp.gammainc(x + 1, 0, y)
    late = x * mp.exp(y) * y ** (-x - 1) * mp.gammainc(x + 1, 0, z)
    p_ab = (s * (a - n) + n) / (a * d)
    return s / d, p_ab, (inv_b - 1 + answered - late) / d


@pytest.mark.parametrize("n", [99_700, 100_000, 100_250])
def test_one_hundred_thousand_erlangs(n):
    a, aht_s, patience_s, t_s = 100_000.0, 180.0, 180.0, 20.0
    ref = [float(v) for v in _closed_form_mp(n, a, aht_s, patience_s, t_s)]
    lam = a * INTERVAL_S / aht_s
    got = [
        wait_probability_a(n, lam, aht_s, INTERVAL_S, patience_s),
        abandon_probability(n, lam, aht_s, INTERVAL_S, patience_s),
        service_level_a(n, lam, aht_s, INTERVAL_S, t_s, patience_s),
    ]
    for value, expected in zip(got, ref):
        assert value == pytest.approx(expected, rel=1e-9, abs=1e-13)


def test_required_agents_match_reference_scan():
    # least n with SL >= 0.8 in 20 s, by scanning the 50-digit reference
    for a, patience_s in ((10.0, 180.0), (2.5, 600.0), (37.3, 60.0)):
        n = 1
        while float(_birth_death_reference(n, a, 180.0, patience_s, 20.0)[2]) < 0.8:
            n += 1
        assert required_agents(a * INTERVAL_S / 180.0, 180.0, INTERVAL_S, 0.8, 20.0, patience_s=patience_s) == n


def test_staffing_below_the_load():
    # 1,000 Erlangs of impatient customers (patience 60 s, AHT 600 s): about
    # 5 % over-load abandons quickly and the rest are answered fast, so 80 % in
    # 20 s needs fewer agents than the load.
    lam = 1000 * INTERVAL_S / 600.0
    n = required_agents(lam, 600.0, INTERVAL_S, 0.8, 20.0, patience_s=60.0)
    assert n < 1000
    assert service_level(n, lam, 600.0, INTERVAL_S, 20.0, patience_s=60.0) >= 0.8
    assert service_level(n - 1, lam, 600.0, INTERVAL_S, 20.0, patience_s=60.0) < 0.8


def test_max_abandon_target():
    n = required_agents_a(100, 180, INTERVAL_S, None, 20, 180, max_abandon=0.05)
    assert abandon_probability(n, 100, 180, INTERVAL_S, 180) <= 0.05 < abandon_probability(n - 1, 100, 180, INTERVAL_S, 180)
    both = required_agents(100, 180, INTERVAL_S, 0.8, 20, patience_s=180, max_abandon=0.01, max_asa_s=5.0)
    assert abandon_probability(both, 100, 180, INTERVAL_S, 180) <= 0.01
    assert asa_s(both, 100, 180, INTERVAL_S, patience_s=180) <= 5.0
    with pytest.raises(ValueError, match="max_abandon"):
        required_agents(100, 180, INTERVAL_S, 0.8, 20, max_abandon=0.05)
    with pytest.raises(ValueError, match="max_abandon"):
        required_agents(100, 180, INTERVAL_S, None, 20, patience_s=180, max_abandon=0.0)


def test_infinite_patience_is_erlang_c():
    s = np.arange(11, 30)
    np.testing.assert_array_equal(wait_probability_a(s, 100, 180, INTERVAL_S, np.inf), erlang_c(s, 10.0))
    np.testing.assert_array_equal(service_level_a(s, 100, 180, INTERVAL_S, 20, np.inf), service_level(s, 100, 180, INTERVAL_S, 20))
    np.testing.assert_array_equal(asa_s_a(s, 100, 180, INTERVAL_S, np.inf), asa_s(s, 100, 180, INTERVAL_S))
    assert np.all(abandon_probability(s, 100, 180, INTERVAL_S, np.inf) == 0.0)
    np.testing.assert_allclose(wait_probability_a(s, 100, 180, INTERVAL_S, 1e9), erlang_c(s, 10.0), rtol=1e-5)


@settings(max_examples=40, deadline=None)
@given(a=st.floats(0.05, 2000.0), aht_s=st.floats(30.0, 1500.0), patience_s=st.floats(10.0, 3000.0), t=st.floats(0.0, 300.0))
def test_monotone_in_agents(a, aht_s, patience_s, t):
    lam = a * INTERVAL_S / aht_s
    s = np.arange(0, math.ceil(a + 5 * math.sqrt(a) + 5))
    sl = service_level_a(s, lam, aht_s, INTERVAL_S, t, patience_s)
    ab = abandon_probability(s, lam, aht_s, INTERVAL_S, patience_s)
    assert np.all(np.diff(sl) >= -1e-10)
    assert np.all(np.diff(ab) <= 1e-10)
    assert np.all((sl >= 0) & (sl <= 1 - ab + 1e-12))


@settings(max_examples=30, deadline=None)
@given(lam=st.floats(0.0, 3000.0), extra=st.floats(0.0, 300.0), aht_s=st.floats(30.0, 1500.0), patience_s=st.floats(10.0, 3000.0))
def test_required_agents_rise_with_arrivals(lam, extra, aht_s, patience_s):
    base = required_agents(lam, aht_s, INTERVAL_S, 0.8, 20.0, patience_s=patience_s)
    assert required_agents(lam + extra, aht_s, INTERVAL_S, 0.8, 20.0, patience_s=patience_s) >= base


def test_edge_cases():
    assert service_level_a(0, 100, 180, INTERVAL_S, 20, 180) == 0.0
    assert abandon_probability(0, 100, 180, INTERVAL_S, 180) == 1.0
    assert np.isinf(asa_s_a(0, 100, 180, INTERVAL_S, 180))
    assert service_level_a(3, 0, 180, INTERVAL_S, 20, 180) == 1.0
    assert asa_s_a(3, 0, 180, INTERVAL_S, 180) == 0.0
    assert required_agents(0, 180, INTERVAL_S, 0.8, 20, patience_s=180) == 0
    assert 0 < occupancy_a(10, 100, 180, INTERVAL_S, 180) < 1
    assert isinstance(service_level_a(10, 100, 180, INTERVAL_S, 20, 180), np.float64)
    with pytest.raises(ValueError, match="patience_s"):
        service_level_a(10, 100, 180, INTERVAL_S, 20, -5.0)
    with pytest.raises(ValueError, match="patience_s"):
        required_agents(100, 180, INTERVAL_S, 0.8, 20, patience_s=np.nan)
    with pytest.raises(ValueError, match="target_sl"):
        required_agents(100, 180, INTERVAL_S, 1.0, 0, patience_s=180)

"""Erlang B / C: published examples, an mpmath reference, properties, edge cases."""

import math
from fractions import Fraction

import mpmath as mp
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from staffing.erlang import (
    asa_s,
    erlang_b,
    erlang_c,
    occupancy,
    required_agents,
    service_level,
    traffic_erlangs,
)

# ------------------------------------------------------------ published examples


def _erlang_b_exact(servers, traffic):
    """Erlang B by the textbook recurrence 1/B_k = 1 + k/(a B_{k-1}), in exact fractions."""
    inv = Fraction(1)
    for k in range(1, servers + 1):
        inv = 1 + inv * k / Fraction(traffic)
    return 1 / inv


def test_erlang_b_table_10_servers_5_erlangs():
    # Erlang B tables (e.g. the table in Wikipedia "Erlang (unit)" / any
    # teletraffic handbook, ITU-T "Teletraffic Engineering Handbook" table):
    # B(10 servers, 5 Erlangs) = 0.01838. Re-derived exactly by the recurrence.
    exact = float(_erlang_b_exact(10, 5))
    assert round(exact, 5) == 0.01838
    assert erlang_b(10, 5.0) == pytest.approx(exact, rel=1e-13)


def test_erlang_b_table_one_percent_grade_of_service():
    # Erlang B table, 1 % blocking column: 10 trunks carry 4.46 Erlangs
    # (ITU-T Teletraffic Engineering Handbook, Erlang B table). Re-derived:
    # B(10, 4.46) just under 1 %, B(10, 4.47) just over.
    assert erlang_b(10, 4.46) < 0.01 < erlang_b(10, 4.47)
    assert erlang_b(10, 4.46) == pytest.approx(float(_erlang_b_exact(10, Fraction(446, 100))), rel=1e-13)


def test_mm1_and_mm2_closed_forms():
    # L. Kleinrock, "Queueing Systems, Vol. 1", 1975, section 3.5: for M/M/1
    # P(wait) = rho and mean wait rho/(1 - rho) * AHT; for M/M/2
    # P(wait) = a^2 / (2 + a). Exact identities, checked to rounding.
    for a in (0.1, 0.5, 0.9, 0.99):
        assert erlang_c(1, a) == pytest.approx(a, rel=1e-13)
        # a = arrivals * AHT / interval with AHT 100 s, interval 1000 s
        assert asa_s(1, a * 10, 100, 1000) == pytest.approx(a / (1 - a) * 100, rel=1e-12)
    for a in (0.3, 1.0, 1.7, 1.99):
        assert erlang_c(2, a) == pytest.approx(a * a / (2 + a), rel=1e-13)


def test_call_centre_helper_worked_example():
    # callcentrehelper.com, "Erlang C Formula - Made Simple With an Easy Worked
    # Example" (also the pyworkforce README case, via lucidmanager.org):
    # 100 calls in 30 min, AHT 180 s -> 10 Erlangs; 80 % answered in 20 s.
    # With 11 agents P(wait) = 68.21 % and SL = 39 %; the first count to reach
    # 80 % is 14 agents (SL 88.8 %, occupancy 71.4 %); 30 % shrinkage -> 20.
    # Re-derived: SL(13) = 0.7956 < 0.8, so 14 is needed even without an
    # occupancy cap (the 0.85 cap, which needs only 12, does not bind).
    assert traffic_erlangs(100, 180, 1800) == pytest.approx(10.0)
    assert erlang_c(11, 10.0) == pytest.approx(0.6821, abs=5e-5)
    assert service_level(11, 100, 180, 1800, 20) == pytest.approx(0.3896, abs=5e-5)
    assert service_level(13, 100, 180, 1800, 20) == pytest.approx(0.7956, abs=5e-5)
    assert service_level(14, 100, 180, 1800, 20) == pytest.approx(0.8884, abs=5e-5)
    assert occupancy(14, 100, 180, 1800) == pytest.approx(10 / 14)
    assert required_agents(100, 180, 1800, 0.8, 20) == 14
    agents = required_agents(100, 180, 1800, 0.8, 20, max_occupancy=0.85)
    assert agents == 14
    assert math.ceil(agents / (1 - 0.3)) == 20


def test_halfin_whitt_limit():
    # S. Halfin, W. Whitt, "Heavy-traffic limits for queues with many exponential
    # servers", Oper. Res. 29(3), 1981: with s = a + beta sqrt(a), P(wait) ->
    # 1 / (1 + beta Phi(beta)/phi(beta)); beta = 1 gives 0.22336.
    # The error shrinks like 1/sqrt(a); at a = 10^6 it is about 1e-4.
    beta = 1.0
    phi = math.exp(-beta * beta / 2) / math.sqrt(2 * math.pi)
    big_phi = 0.5 * math.erfc(-beta / math.sqrt(2))
    limit = 1 / (1 + beta * big_phi / phi)
    assert erlang_c(10**6 + 1000, 1e6) == pytest.approx(limit, abs=5e-4)
    assert abs(erlang_c(10**6 + 1000, 1e6) - limit) < abs(erlang_c(10**4 + 100, 1e4) - limit)


# ------------------------------------------------------------ mpmath reference

AHT_S, INTERVAL_S, T_S = 180.0, 1800.0, 20.0
GRID_ERLANGS = [0.1, 0.5, 1.0, 2.5, 10.0, 37.3, 100.0, 512.7, 2000.0, 12000.0, 100000.0]
TARGETS = [(0.8, 20.0), (0.95, 10.0), (0.5, 60.0)]


def _mp_reference(a, s_values, sl_targets):
    """Exact Erlang B recurrence at 50 digits, swept once up to what is needed.

    Returns {s: (C, SL(20 s), ASA)} for ``s_values`` and the least s meeting
    each SL target (scanning upward from floor(a) + 1).
    """
    mp.mp.dps = 50
    amp = mp.mpf(a)
    inv_b = mp.mpf(1)
    out, need = {}, {}
    s_max = max(s_values)
    k = 0
    pending = list(sl_targets)
    while k < s_max or pending:
        k += 1
        inv_b = 1 + inv_b * k / amp
        if k <= a:
            continue
        b = 1 / inv_b
        c = k * b / (k - amp * (1 - b))
        sl_at = lambda t: 1 - c * mp.exp(-(k - amp) * t / AHT_S)  # noqa: E731
        if k in s_values:
            out[k] = (c, sl_at(T_S), c * AHT_S / (k - amp))
        for tgt in list(pending):
            if sl_at(tgt[1]) >= tgt[0]:
                need[tgt] = k
                pending.remove(tgt)
    return out, need


@pytest.mark.parametrize("a", GRID_ERLANGS)
def test_against_mpmath(a):
    s_values = sorted({math.floor(a) + 1, math.ceil(a + math.sqrt(a)), math.ceil(a + 3 * math.sqrt(a) + 1)})
    ref, need = _mp_reference(a, s_values, TARGETS)
    lam = a * INTERVAL_S / AHT_S
    s = np.array(s_values, dtype=float)
    c = erlang_c(s, a)
    sl = service_level(s, lam, AHT_S, INTERVAL_S, T_S)
    asa = asa_s(s, lam, AHT_S, INTERVAL_S)
    for i, k in enumerate(s_values):
        c_ref, sl_ref, asa_ref = (float(v) for v in ref[k])
        assert c[i] == pytest.approx(c_ref, rel=1e-9, abs=1e-300)
        assert sl[i] == pytest.approx(sl_ref, rel=1e-9, abs=1e-12)
        assert asa[i] == pytest.approx(asa_ref, rel=1e-9, abs=1e-300)
    for (target, t), k in need.items():
        assert required_agents(lam, AHT_S, INTERVAL_S, target, t) == k


# ------------------------------------------------------------ properties

traffic = st.floats(0.05, 3000.0)
aht = st.floats(30.0, 1500.0)


@settings(max_examples=60, deadline=None)
@given(a=traffic, aht_s=aht, t=st.floats(0.0, 300.0))
def test_sl_rises_with_agents(a, aht_s, t):
    lam = a * INTERVAL_S / aht_s
    s = np.arange(0, math.ceil(a + 6 * math.sqrt(a) + 5))
    sl = service_level(s, lam, aht_s, INTERVAL_S, t)
    assert np.all(np.diff(sl) >= -1e-12)


@settings(max_examples=60, deadline=None)
@given(a=traffic, aht_s=aht)
def test_no_finite_answer_when_agents_do_not_exceed_traffic(a, aht_s):
    lam = a * INTERVAL_S / aht_s
    a = lam * aht_s / INTERVAL_S  # the traffic the functions see, after rounding
    s = np.arange(0, math.floor(a) + 1)
    assert np.all(np.isinf(asa_s(s, lam, aht_s, INTERVAL_S)))
    assert np.all(service_level(s, lam, aht_s, INTERVAL_S, 20.0) == 0.0)
    assert np.all(erlang_c(s, a) == 1.0)


@settings(max_examples=60, deadline=None)
@given(
    lam=st.floats(0.0, 4000.0),
    extra=st.floats(0.0, 500.0),
    aht_s=aht,
    sl=st.floats(0.05, 0.99),
    t=st.floats(0.0, 120.0),
    dt=st.floats(0.0, 120.0),
)
def test_required_agents_monotone(lam, extra, aht_s, sl, t, dt):
    base = required_agents(lam, aht_s, INTERVAL_S, sl, t)
    assert required_agents(lam + extra, aht_s, INTERVAL_S, sl, t) >= base
    assert required_agents(lam, aht_s * 1.1, INTERVAL_S, sl, t) >= base
    assert required_agents(lam, aht_s, INTERVAL_S, sl, t + dt) <= base


@settings(max_examples=40, deadline=None)
@given(lam=st.floats(0.01, 3000.0), aht_s=aht, sl=st.floats(0.05, 0.99), t=st.floats(0.0, 120.0),
       occ=st.floats(0.5, 1.0), asa=st.floats(1.0, 300.0))
def test_required_agents_is_least(lam, aht_s, sl, t, occ, asa):
    s = required_agents(lam, aht_s, INTERVAL_S, sl, t, max_occupancy=occ, max_asa_s=asa)
    a = lam * aht_s / INTERVAL_S

    def ok(k):
        return (
            k > a
            and service_level(k, lam, aht_s, INTERVAL_S, t) >= sl
            and asa_s(k, lam, aht_s, INTERVAL_S) <= asa
            and a <= occ * k * (1 + 1e-12)
        )

    assert ok(s)
    assert not ok(s - 1)


def test_erlang_a_with_infinite_patience_is_erlang_c():
    s = np.arange(1, 40)
    c_sl = service_level(s, 100, 180, 1800, 20)
    np.testing.assert_array_equal(service_level(s, 100, 180, 1800, 20, patience_s=np.inf), c_sl)
    # very patient customers: Erlang A tends to Erlang C where C is stable (s > a = 10)
    a_sl = service_level(s, 100, 180, 1800, 20, patience_s=1e9)
    np.testing.assert_allclose(a_sl[s > 10], c_sl[s > 10], rtol=1e-5)  # the gap shrinks like 1/patience
    assert np.all(a_sl[s <= 10] < 1e-3)
    np.testing.assert_allclose(asa_s(s[s > 10], 100, 180, 1800, patience_s=1e9), asa_s(s[s > 10], 100, 180, 1800), rtol=1e-5)
    assert required_agents(100, 180, 1800, 0.8, 20, patience_s=np.inf) == 14


# ------------------------------------------------------------ edge cases and inputs


def test_zero_arrivals():
    assert erlang_c(5, 0.0) == 0.0
    assert service_level(5, 0, 180, 1800, 20) == 1.0
    assert asa_s(5, 0, 180, 1800) == 0.0
    assert occupancy(5, 0, 180, 1800) == 0.0
    assert required_agents(0, 180, 1800, 0.8, 20) == 0
    np.testing.assert_array_equal(required_agents(np.array([0.0, 100.0, 0.0]), 180, 1800, 0.8, 20), [0, 14, 0])


def test_scalar_and_array_types():
    assert isinstance(erlang_c(14, 10.0), np.float64)
    assert isinstance(service_level(14, 100, 180, 1800, 20), np.float64)
    assert isinstance(required_agents(100, 180, 1800, 0.8, 20), np.integer)
    out = required_agents(np.array([[100.0, 200.0], [0.0, 50.0]]), 180, 1800, 0.8, 20)
    assert out.shape == (2, 2) and out.dtype == np.int64
    grid = service_level(np.arange(12, 16)[:, None], np.array([100.0, 120.0]), 180, 1800, 20)
    assert grid.shape == (4, 2)


def test_unreachable_targets_raise():
    with pytest.raises(ValueError, match="target_sl"):
        required_agents(100, 180, 1800, 1.0, 0)
    with pytest.raises(ValueError, match="max_asa_s"):
        required_agents(100, 180, 1800, 0.8, 20, max_asa_s=0.0)
    with pytest.raises(ValueError, match="target"):
        required_agents(100, 180, 1800, None, 20)


@pytest.mark.parametrize(
    "kwargs, name",
    [
        ({"arrivals_per_interval": -1.0}, "arrivals_per_interval"),
        ({"arrivals_per_interval": np.array([1.0, np.nan])}, "arrivals_per_interval"),
        ({"aht_s": 0.0}, "aht_s"),
        ({"aht_s": np.nan}, "aht_s"),
        ({"interval_s": -5.0}, "interval_s"),
        ({"target_sl": 1.5}, "target_sl"),
        ({"target_sl": np.nan}, "target_sl"),
        ({"target_answer_s": -1.0}, "target_answer_s"),
        ({"max_occupancy": 0.0}, "max_occupancy"),
    ],
)
def test_bad_inputs_name_the_argument(kwargs, name):
    args = {"arrivals_per_interval": 100.0, "aht_s": 180.0, "interval_s": 1800.0, "target_sl": 0.8, "target_answer_s": 20.0}
    args.update(kwargs)
    with pytest.raises(ValueError, match=name):
        required_agents(**args)


def test_bad_agents_and_traffic_raise():
    with pytest.raises(ValueError, match="agents"):
        erlang_c(-1, 5.0)
    with pytest.raises(ValueError, match="traffic_erlangs"):
        erlang_b(3, np.nan)
    with pytest.raises(ValueError, match="agents"):
        service_level(np.nan, 100, 180, 1800, 20)


def test_one_hundred_thousand_erlangs():
    lam = 1e5 * INTERVAL_S / AHT_S
    s = required_agents(lam, AHT_S, INTERVAL_S, 0.8, 20)
    assert 100_000 < s < 100_000 + 400
    assert service_level(s, lam, AHT_S, INTERVAL_S, 20) >= 0.8 > service_level(s - 1, lam, AHT_S, INTERVAL_S, 20)
    # far past: 10^7 Erlangs still gives finite, sensible values
    assert 0.0 < erlang_c(10**7 + 3000, 1e7) < 1.0
    assert 0.0 < erlang_b(10**7 - 3000, 1e7) < 1.0


def test_no_runtime_warnings_on_degenerate_grid():
    s = np.array([0.0, 1.0, 10.0, 11.0])
    lam = np.array([0.0, 100.0])[:, None]
    service_level(s, lam, 180, 1800, np.inf)
    asa_s(s, lam, 180, 1800)
    occupancy(s, lam, 180, 1800)

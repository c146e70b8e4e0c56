"""The simulator agrees with Erlang C and Erlang A within sampling error."""

import numpy as np
import pytest

from staffing.erlang import asa_s, service_level
from staffing.erlang_a import abandon_probability
from staffing.simulate import SimulationResult, simulate_queue

INTERVAL_S = 1800.0


@pytest.mark.parametrize(
    "agents, arrivals_per_interval, aht_s, t_s",
    [(14, 100, 180.0, 20.0), (3, 20, 180.0, 30.0), (55, 900, 100.0, 10.0)],
)
def test_matches_erlang_c(agents, arrivals_per_interval, aht_s, t_s):
    res = simulate_queue(agents, aht_s, t_s, arrivals_per_s=arrivals_per_interval / INTERVAL_S, n_arrivals=150_000, seed=7)
    expected = service_level(agents, arrivals_per_interval, aht_s, INTERVAL_S, t_s)
    assert abs(res.sl - expected) < 4 * res.sl_std_error
    assert res.asa_s == pytest.approx(asa_s(agents, arrivals_per_interval, aht_s, INTERVAL_S), rel=0.1)
    assert res.occupancy == pytest.approx(arrivals_per_interval * aht_s / INTERVAL_S / agents, rel=0.03)
    assert res.abandon_rate == 0.0


@pytest.mark.parametrize(
    "agents, arrivals_per_interval, aht_s, t_s, patience_s",
    [(10, 100, 180.0, 20.0, 180.0), (8, 100, 180.0, 60.0, 600.0), (40, 500, 180.0, 20.0, 60.0)],
)
def test_matches_erlang_a(agents, arrivals_per_interval, aht_s, t_s, patience_s):
    res = simulate_queue(
        agents, aht_s, t_s, arrivals_per_s=arrivals_per_interval / INTERVAL_S, n_arrivals=150_000,
        patience_s=patience_s, seed=11,
    )
    expected = service_level(agents, arrivals_per_interval, aht_s, INTERVAL_S, t_s, patience_s=patience_s)
    assert abs(res.sl - expected) < 4 * res.sl_std_error
    assert res.abandon_rate == pytest.approx(abandon_probability(agents, arrivals_per_interval, aht_s, INTERVAL_S, patience_s), abs=0.01)
    assert res.asa_s == pytest.approx(asa_s(agents, arrivals_per_interval, aht_s, INTERVAL_S, patience_s=patience_s), rel=0.1)


def test_seeded_and_given_arrivals():
    one = simulate_queue(5, 120.0, 20.0, arrivals_per_s=0.03, n_arrivals=5_000, seed=3)
    assert one == simulate_queue(5, 120.0, 20.0, arrivals_per_s=0.03, n_arrivals=5_000, seed=3)
    times = np.arange(1000) * 60.0  # one contact a minute, one agent, 30 s each: nobody waits
    res = simulate_queue(1, 30.0, 0.0, arrival_times_s=times, handle_time_distribution="lognormal", aht_cv=0.01)
    assert res.sl == 1.0 and res.asa_s == 0.0
    assert res.n_offered == 900


def test_lognormal_mean_and_speed():
    import time

    start = time.perf_counter()
    res = simulate_queue(30, 300.0, 20.0, arrivals_per_s=0.09, n_arrivals=200_000, handle_time_distribution="lognormal", aht_cv=0.5)
    assert time.perf_counter() - start < 5.0
    assert res.occupancy == pytest.approx(0.09 * 300 / 30, rel=0.03)
    assert isinstance(res, SimulationResult)


def test_bad_arguments():
    with pytest.raises(ValueError, match="agents"):
        simulate_queue(0, 180.0, 20.0, arrivals_per_s=0.1, n_arrivals=10)
    with pytest.raises(ValueError, match="arrivals_per_s"):
        simulate_queue(2, 180.0, 20.0, arrivals_per_s=-0.1, n_arrivals=10)
    with pytest.raises(ValueError, match="arrival_times_s"):
        simulate_queue(2, 180.0, 20.0, arrival_times_s=[3.0, 1.0])
    with pytest.raises(ValueError, match="handle_time_distribution"):
        simulate_queue(2, 180.0, 20.0, arrivals_per_s=0.1, n_arrivals=10, handle_time_distribution="gamma")

"""Chat concurrency and async (email / back office) capacity."""

import numpy as np
import pytest

from staffing.async_work import async_agents, chat_effective_aht_s


def _edf_meets_deadlines(work_s, capacity_s, lag):
    """Fluid earliest-deadline-first run: True if all work due inside the horizon is done on time."""
    backlog = []  # [deadline interval, remaining seconds]
    for i, (w, c) in enumerate(zip(work_s, capacity_s)):
        if w > 0:
            backlog.append([i + lag - 1, w])
        backlog.sort()
        while c > 1e-9 and backlog:
            take = min(c, backlog[0][1])
            backlog[0][1] -= take
            c -= take
            if backlog[0][1] <= 1e-9:
                backlog.pop(0)
        if any(d <= i and r > 1e-6 * max(1.0, w) for d, r in backlog):
            return False
    return True


def test_chat_concurrency():
    assert chat_effective_aht_s(600, 3) == 200.0
    np.testing.assert_allclose(chat_effective_aht_s(np.array([600.0, 300.0]), 2), [300.0, 150.0])
    with pytest.raises(ValueError, match="concurrency"):
        chat_effective_aht_s(600, 0.5)
    with pytest.raises(ValueError, match="aht_s"):
        chat_effective_aht_s(-1, 2)


def test_spread_clears_the_total_work():
    rng = np.random.default_rng(0)
    arrivals = rng.poisson(30, 48).astype(float)
    open_mask = (np.arange(48) >= 16) & (np.arange(48) < 36)
    agents = async_agents(arrivals, open_mask, 240, 1800, 4 * 3600, mode="spread", max_occupancy=0.8)
    assert np.all(agents[~open_mask] == 0)
    assert np.ptp(agents[open_mask]) == 0
    assert (agents * 1800).sum() * 0.8 == pytest.approx(arrivals.sum() * 240)


@pytest.mark.parametrize("window_h", [1, 2, 4, 8])
def test_just_in_time_is_feasible_and_at_least_spread(window_h):
    rng = np.random.default_rng(window_h)
    n = 96
    arrivals = rng.poisson(20 * (1 + np.sin(np.arange(n) / 8.0) ** 2)).astype(float)
    open_mask = np.ones(n, dtype=bool)
    open_mask[::7] = False
    jit = async_agents(arrivals, open_mask, 300, 1800, window_h * 3600, mode="just_in_time")
    spread = async_agents(arrivals, open_mask, 300, 1800, window_h * 3600, mode="spread")
    assert np.all(jit >= spread - 1e-12)
    assert np.all(jit[~open_mask] == 0)
    assert _edf_meets_deadlines(arrivals * 300, jit * 1800, lag=2 * window_h)


def test_just_in_time_worked_example():
    # 10 items of 6 min at 8:00, 1-hour intervals, 2-hour window, open 4 hours:
    # the 1 hour of work is due by 10:00, so 0.5 agents in the first two hours.
    agents = async_agents([10, 0, 0, 0], [True] * 4, 360, 3600, 7200, mode="just_in_time")
    assert agents[:2] == pytest.approx([0.5, 0.5])
    assert agents.max() == pytest.approx(0.5)
    # a lower target_sl lowers the deadline-driven peak but never below spread
    half = async_agents([10, 0, 0, 0], [True] * 4, 360, 3600, 7200, target_sl=0.5, mode="just_in_time")
    assert half[:2] == pytest.approx([0.25, 0.25])


def test_zero_work_and_errors():
    assert np.all(async_agents(np.zeros(5), np.ones(5, bool), 300, 1800, 3600) == 0)
    with pytest.raises(ValueError, match="arrivals_per_interval"):
        async_agents([1.0, -1.0], [True, True], 300, 1800, 3600)
    with pytest.raises(ValueError, match="mode"):
        async_agents([1.0], [True], 300, 1800, 3600, mode="asap")
    with pytest.raises(ValueError, match="open_mask"):
        async_agents([1.0, 2.0], [True], 300, 1800, 3600)
    with pytest.raises(ValueError, match="target_response_s"):
        async_agents([5.0, 0.0, 0.0], [False, False, True], 300, 1800, 1800, mode="just_in_time")

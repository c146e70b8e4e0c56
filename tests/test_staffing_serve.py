"""Serving the demand that came: live queues per interval, async queues as a FIFO backlog."""
from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from staffing.backlog import backlog_agents, fifo_serve, interval_seconds
from staffing.erlang import asa_s, occupancy, service_level
from staffing.erlang_a import abandon_probability
from staffing.requirements import QueueTarget, interval_requirements
from staffing.serve import (ASYNC_COLUMNS, LIVE_COLUMNS, async_daily, backlog_requirements,
                            expected_on_time_share, serve_async, serve_live)

TZ = "America/New_York"
HOUR = 3600.0


def _frame(starts, queue, volume, **columns):
    return pd.DataFrame({"interval_start": starts, "queue": queue, "volume": volume, **columns})


def _naive_fifo(arrivals, capacity, lag):
    """An independent reference: a list of cohorts on a contiguous grid, served oldest first.

    A contact of interval j is on time when served in intervals j .. j + lag - 1.
    Returns (served, on_time per cohort, pending per cohort, answered_late per interval).
    """
    n = len(arrivals)
    queue = []  # [cohort, remaining]
    served, on_time = np.zeros(n), np.zeros(n)
    answered_late = np.zeros(n)
    for k in range(n):
        if arrivals[k] > 0:
            queue.append([k, float(arrivals[k])])
        room = float(capacity[k])
        while room > 1e-12 and queue:
            j, left = queue[0]
            take = min(room, left)
            served[k] += take
            room -= take
            if k <= j + lag - 1:
                on_time[j] += take
            else:
                answered_late[k] += take
            queue[0][1] -= take
            if queue[0][1] <= 1e-12:
                queue.pop(0)
    pending = np.zeros(n)
    for j, left in queue:
        if j + lag - 1 > n - 1:  # deadline after the last interval's end: undecided
            pending[j] = left
    return served, on_time, pending, answered_late


# ---------------------------------------------------------------- hand-computed FIFO
def test_fifo_backlog_by_hand():
    # One-hour intervals, a two-hour window: a contact of interval j must be
    # answered by the end of interval j + 1.
    #   interval      0    1    2    3    4
    #   arrivals      6    2    0    4    0
    #   capacity      2    3    3    1    5
    # FIFO positions: interval 0's contacts are 1-6, interval 1's 7-8, interval 3's 9-12.
    #   0: 6 waiting, answers 1-2          -> backlog 4 (3-6)
    #   1: 4 + 2 waiting, answers 3-5      -> backlog 3 (6, 7, 8)
    #   2: answers 6 (due end of 1: LATE), 7, 8 (due end of 2: on time) -> backlog 0, 1 idle
    #   3: 4 arrive, answers 9             -> backlog 3 (10-12), the oldest one hour old
    #   4: answers 10-12 (due end of 4: on time) -> backlog 0
    # Interval 0's contacts: 5 on time (1-5), 1 late (6); the others all on time.
    out = fifo_serve([6, 2, 0, 4, 0], [2, 3, 3, 1, 5], np.arange(5) * HOUR, HOUR, 2 * HOUR)
    assert out.served.tolist() == [2, 3, 3, 1, 3]
    assert out.backlog.tolist() == [4, 3, 0, 3, 0]
    assert out.answered_on_time.tolist() == [2, 3, 2, 1, 3]
    assert out.answered_late.tolist() == [0, 0, 1, 0, 0]
    # oldest waiting contact at each end: interval 0's (1 h, then 2 h old), none, interval 3's
    assert out.oldest_age_s.tolist() == [HOUR, 2 * HOUR, 0, HOUR, 0]
    assert out.on_time.tolist() == [5, 2, 0, 4, 0]
    assert out.late.tolist() == [1, 0, 0, 0, 0]
    assert out.pending.tolist() == [0, 0, 0, 0, 0]


def test_contacts_waiting_at_the_end_with_their_deadline_ahead_are_pending():
    # window of two intervals; interval 2's 3 contacts are due after the run ends
    # capacity 1 each: interval 0's 2 contacts answered in 0 and 1 (on time);
    # interval 2: 1 of 3 answered (on time so far), 2 pending
    out = fifo_serve([2, 0, 3], [1, 1, 1], np.arange(3) * HOUR, HOUR, 2 * HOUR)
    assert out.on_time.tolist() == [2, 0, 1]
    assert out.pending.tolist() == [0, 0, 2]
    assert out.late.tolist() == [0, 0, 0]


def test_gaps_between_rows_are_wall_clock_time():
    # rows at 0 h and 30 h (a closed night between), window 24 h: the 4 contacts
    # of row 0 left over are answered at 31 h, late; with a 36 h window on time
    late = fifo_serve([5, 0], [1, 10], [0, 30 * HOUR], HOUR, 24 * HOUR)
    assert late.on_time.tolist() == [1, 0] and late.late.tolist() == [4, 0]
    assert late.oldest_age_s[0] == HOUR
    ok = fifo_serve([5, 0], [1, 10], [0, 30 * HOUR], HOUR, 36 * HOUR)
    assert ok.on_time.tolist() == [5, 0]


def test_daylight_saving_change_counts_real_hours():
    # 2026-11-01 in New York lasts 25 hours: an email of 08:00 on Oct 31 answered
    # at 08:00 on Nov 1 has waited 25 h, past a 24 h window
    starts = pd.DatetimeIndex(["2026-10-31 07:30", "2026-11-01 07:30"]).tz_localize(TZ)
    start_s, day = interval_seconds(starts)
    out = fifo_serve([1, 0], [0, 1], start_s, 1800, 24 * HOUR)
    assert out.late.tolist() == [1, 0]
    assert len(set(day.tolist())) == 2


# ---------------------------------------------------------------- properties
counts = st.floats(0, 50, allow_nan=False).map(lambda x: round(x, 3))


@settings(max_examples=150, deadline=None)
@given(st.data(), st.integers(1, 40), st.integers(1, 8))
def test_fifo_matches_an_independent_cohort_simulation(data, n, lag):
    arrivals = np.array(data.draw(st.lists(counts, min_size=n, max_size=n)))
    capacity = np.array(data.draw(st.lists(counts, min_size=n, max_size=n)))
    out = fifo_serve(arrivals, capacity, np.arange(n) * 1800.0, 1800.0, lag * 1800.0)
    served, on_time, pending, answered_late = _naive_fifo(arrivals, capacity, lag)
    np.testing.assert_allclose(out.served, served, atol=1e-7)
    np.testing.assert_allclose(out.on_time, on_time, atol=1e-7)
    np.testing.assert_allclose(out.pending, pending, atol=1e-7)
    np.testing.assert_allclose(out.answered_late, answered_late, atol=1e-7)


@settings(max_examples=150, deadline=None)
@given(st.data(), st.integers(1, 40), st.integers(1, 8))
def test_fifo_conserves_contacts(data, n, lag):
    arrivals = np.array(data.draw(st.lists(counts, min_size=n, max_size=n)))
    capacity = np.array(data.draw(st.lists(counts, min_size=n, max_size=n)))
    out = fifo_serve(arrivals, capacity, np.arange(n) * 1800.0, 1800.0, lag * 1800.0)
    before = np.concatenate([[0.0], out.backlog[:-1]])
    assert np.all(out.backlog >= 0)
    assert np.all(out.served <= before + arrivals + 1e-9)
    assert np.all(out.served <= capacity + 1e-9)
    # nothing vanishes: everything that came was answered or is still waiting
    np.testing.assert_allclose(np.cumsum(arrivals), np.cumsum(out.served) + out.backlog, atol=1e-7)
    np.testing.assert_allclose(out.on_time + out.late + out.pending, arrivals, atol=1e-7)
    np.testing.assert_allclose(out.answered_on_time + out.answered_late, out.served, atol=1e-7)
    # capacity is never left idle while someone waits
    idle = capacity - out.served > 1e-9
    assert np.all(out.backlog[idle] <= 1e-9)


@settings(max_examples=150, deadline=None)
@given(st.data(), st.integers(1, 40), st.integers(1, 8))
def test_more_capacity_never_lowers_the_on_time_share(data, n, lag):
    arrivals = np.array(data.draw(st.lists(counts, min_size=n, max_size=n)))
    capacity = np.array(data.draw(st.lists(counts, min_size=n, max_size=n)))
    extra = np.array(data.draw(st.lists(counts, min_size=n, max_size=n)))
    grid = np.arange(n) * 1800.0
    low = fifo_serve(arrivals, capacity, grid, 1800.0, lag * 1800.0)
    high = fifo_serve(arrivals, capacity + extra, grid, 1800.0, lag * 1800.0)
    assert np.all(high.on_time >= low.on_time - 1e-7)  # every interval's contacts, not just the sum
    assert np.all(high.late <= low.late + 1e-7)
    assert np.all(high.backlog <= low.backlog + 1e-7)


def test_more_agents_never_lower_the_daily_on_time_share():
    email = QueueTarget("email", "email", aht_s=420, target_sl=0.9, target_answer_s=4 * HOUR)
    starts = pd.date_range("2026-11-02", periods=96, freq="30min", tz=TZ)
    rng = np.random.default_rng(3)
    volume = rng.poisson(12, 96).astype(float)
    shares = []
    for agents in (1.0, 1.5, 2.0, 2.5, 3.0, 4.0):
        served = serve_async(_frame(starts, "email", volume, agents=agents), email, 30)
        shares.append(async_daily(served)["on_time_share"].to_numpy())
    assert np.all(np.diff(np.array(shares), axis=0) >= -1e-12)
    assert shares[0][0] < 0.5 and shares[-1][0] == 1.0


# ---------------------------------------------------------------- live queues
PHONE_A = QueueTarget("phone", "phone", aht_s=360, target_sl=0.8, target_answer_s=20,
                      max_occupancy=0.85, patience_s=180, max_abandon=0.05)
PHONE_C = QueueTarget("phone", "phone", aht_s=240, target_sl=0.8, target_answer_s=20, max_asa_s=15)
CHAT = QueueTarget("chat", "chat", aht_s=600, concurrency=2, target_sl=0.8, target_answer_s=60,
                   max_occupancy=0.85)


def _day_curve(seed, n=28, peak=120.0):
    rng = np.random.default_rng(seed)
    shape = np.sin(np.linspace(0.2, np.pi - 0.2, n)) * peak
    return np.round(shape * rng.uniform(0.8, 1.2, n), 2)


@pytest.mark.parametrize("target", [PHONE_A, PHONE_C, CHAT], ids=["erlang_a", "erlang_c_asa", "chat"])
def test_a_plan_served_with_its_own_forecast_meets_every_live_interval(target):
    starts = pd.date_range("2026-11-27 08:00", periods=28, freq="30min", tz=TZ)
    volume = _day_curve(7)
    volume[3] = 0.0
    required = interval_requirements(_frame(starts, target.queue, volume), target, 30)
    served = serve_live(required[["interval_start", "queue", "volume", "agents"]], target, 30)
    assert list(served.columns) == LIVE_COLUMNS
    assert served["meets"].all()
    np.testing.assert_allclose(served["sl"], required["sl"])
    # one agent fewer misses somewhere (the requirement is the least that meets)
    short = served.assign(agents=np.maximum(required["agents"] - 1, 0))
    assert not serve_live(short, target, 30)["meets"].all()


def test_live_outcomes_agree_with_the_erlang_functions_at_whole_agents():
    volume = np.array([0.0, 40.0, 100.0, 100.0, 160.0])
    agents = np.array([3.0, 8.0, 12.0, 16.0, 20.0])
    starts = pd.date_range("2026-11-27 08:00", periods=5, freq="30min", tz=TZ)
    frame = _frame(starts, "phone", volume, agents=agents)
    a = serve_live(frame, PHONE_A, 30)
    np.testing.assert_allclose(a["sl"], service_level(agents, volume, 360, 1800, 20, patience_s=180))
    np.testing.assert_allclose(a["asa_s"], asa_s(agents, volume, 360, 1800, patience_s=180))
    np.testing.assert_allclose(a["abandon"], abandon_probability(agents, volume, 360, 1800, 180))
    np.testing.assert_allclose(a["occupancy"], occupancy(agents, volume, 360, 1800, patience_s=180))
    c = serve_live(frame, PHONE_C, 30)
    np.testing.assert_allclose(c["sl"], service_level(agents, volume, 240, 1800, 20))
    np.testing.assert_allclose(c["asa_s"], asa_s(agents, volume, 240, 1800))
    np.testing.assert_allclose(c["occupancy"], occupancy(agents, volume, 240, 1800))
    assert (c["abandon"] == 0).all()
    # chat: AHT / concurrency per agent slot
    chat = serve_live(frame.assign(queue="chat"), CHAT, 30)
    np.testing.assert_allclose(chat["sl"], service_level(agents, volume, 300, 1800, 60))


def test_fractional_agents_time_share_the_two_whole_counts():
    # 12.25 agents = 13 agents a quarter of the interval, 12 the rest
    starts = pd.date_range("2026-11-27 08:00", periods=2, freq="30min", tz=TZ)
    frame = _frame(starts, "phone", [100.0, 100.0], agents=[12.25, 12.25])
    sl12, sl13 = service_level([12, 13], 100, 360, 1800, 20, patience_s=180)
    ab12, ab13 = abandon_probability([12, 13], 100, 360, 1800, 180)
    out = serve_live(frame, PHONE_A, 30)
    assert out["sl"].iloc[0] == pytest.approx(0.75 * sl12 + 0.25 * sl13)
    assert out["abandon"].iloc[0] == pytest.approx(0.75 * ab12 + 0.25 * ab13)
    # occupancy: answered load (20 Erlangs x answered share) over 12.25 staffed agents
    assert out["occupancy"].iloc[0] == pytest.approx(20 * (1 - (0.75 * ab12 + 0.25 * ab13)) / 12.25)
    # Erlang C below the load: 10 Erlangs on 9.5 agents is unstable half the time
    c = serve_live(_frame(starts, "phone", [75.0, 75.0], agents=[9.5, 10.5]), PHONE_C, 30)
    assert c["sl"].iloc[0] == pytest.approx(0.5 * service_level(10, 75, 240, 1800, 20))
    assert c["asa_s"].iloc[0] == np.inf
    assert c["sl"].iloc[1] == pytest.approx(np.mean(service_level([10, 11], 75, 240, 1800, 20)))


def test_live_meets_checks_each_target_given():
    starts = pd.date_range("2026-11-27 08:00", periods=3, freq="30min", tz=TZ)
    frame = _frame(starts, "phone", [100.0, 100.0, 0.0], agents=[9.0, 30.0, 0.0])
    out = serve_live(frame, PHONE_A, 30)
    assert out["abandon"].iloc[0] > 0.05 and not out["meets"].iloc[0]
    assert out["meets"].iloc[1] and out["meets"].iloc[2]
    assert out["sl"].iloc[2] == 1.0 and out["asa_s"].iloc[2] == 0.0
    # abandonment cap: 23 agents answer 0.837 within 20 s but lose 4.5% of callers
    strict = QueueTarget("phone", "phone", aht_s=360, target_sl=0.8, target_answer_s=20,
                         patience_s=180, max_abandon=0.03)
    lossy = serve_live(_frame(starts[:1], "phone", [100.0], agents=[23.0]), strict, 30)
    assert lossy["sl"].iloc[0] > 0.8 and lossy["abandon"].iloc[0] > 0.03
    assert not lossy["meets"].iloc[0]
    assert serve_live(_frame(starts[:1], "phone", [100.0], agents=[23.0]), PHONE_A, 30)["meets"].all()
    # ASA cap alone: SL met but the ASA over 15 s fails
    relaxed = QueueTarget("phone", "phone", aht_s=240, target_sl=0.5, target_answer_s=20, max_asa_s=15)
    few = serve_live(_frame(starts[:1], "phone", [100.0], agents=[15.0]), relaxed, 30)
    assert few["sl"].iloc[0] >= 0.5 and few["asa_s"].iloc[0] > 15 and not few["meets"].iloc[0]


# ---------------------------------------------------------------- async queues
EMAIL = QueueTarget("email", "email", aht_s=420, target_sl=0.9, target_answer_s=86400)
TIER2 = QueueTarget("tier2", "email", aht_s=1200, target_sl=0.9, target_answer_s=8 * HOUR)


def _grid(days, start="2026-11-20"):
    """A 24/7 grid of 30-minute intervals with Tier 2's hours (mon-fri 09:00-18:00) marked open."""
    starts = pd.date_range(start, periods=48 * days, freq="30min", tz=TZ)
    local = starts.tz_localize(None)
    minute = local.hour * 60 + local.minute
    open_ = (local.day_of_week < 5) & (minute >= 540) & (minute < 1080)
    return starts, np.asarray(open_)


def _escalations(starts, seed):
    """Escalations raised while the first line works (08:00-22:00, every day), a sale on one day."""
    local = starts.tz_localize(None)
    rng = np.random.default_rng(seed)
    volume = np.where((local.hour >= 8) & (local.hour < 22), rng.uniform(0.5, 2.0, len(starts)), 0.0)
    sale = local.normalize() == pd.Timestamp("2026-11-27")
    return np.round(np.where(sale, volume * 6, volume), 3)


def _avoidable(starts, open_, window_s):
    """Rows whose contacts some open interval can answer in time (an independent loop)."""
    start_s = np.asarray((starts - pd.Timestamp(0, tz="UTC")).total_seconds())
    ok = np.zeros(len(starts), bool)
    for j in range(len(starts)):
        later = np.flatnonzero(open_ & (np.arange(len(starts)) >= j))
        ok[j] = later.size > 0 and start_s[later[0]] + 1800 <= start_s[j] + max(window_s, 1800)
    return ok


@pytest.mark.parametrize("target", [EMAIL, TIER2], ids=["email", "tier2"])
def test_a_backlog_plan_served_with_its_own_forecast_meets_every_interval(target):
    starts, open_ = _grid(21)
    volume = _escalations(starts, 1)
    frame = _frame(starts, target.queue, volume, open=open_)
    required = backlog_requirements(frame, target, 30)
    served = serve_async(frame.assign(agents=required["agents"]), target, 30)
    assert list(served.columns) == ASYNC_COLUMNS
    avoidable = _avoidable(starts, open_, target.target_answer_s)
    assert avoidable[open_].all()  # every open interval's contacts can be answered in time ...
    assert served.loc[avoidable, "meets"].all()  # ... and are
    np.testing.assert_allclose(required["sl"], served["sl"])
    # the unavoidable ones (raised at night or at the weekend with an 8 h window) are late,
    # but answered: only the last day's are still waiting at the end
    assert served.loc[~avoidable & (volume > 0), "on_time"].sum() == 0
    assert served["served"].sum() + served["backlog"].iloc[-1] == pytest.approx(volume.sum())
    # never below the day's own work spread (each open day does at least its own arrivals)
    day = starts.tz_localize(None).normalize()
    level = pd.Series(required["agents"].to_numpy()).groupby(day[:]).max()
    work = pd.Series(volume * target.aht_s).groupby(day).sum()
    hours = pd.Series(open_ * 1800.0).groupby(day).sum()
    has = hours > 0
    assert np.all(level[has.to_numpy()].to_numpy() >= (work / hours)[has].to_numpy() - 1e-9)


def test_spread_levelling_leaves_late_work_that_the_backlog_plan_clears():
    # Four one-hour open intervals, a one-hour window, AHT one hour: ten
    # contacts arrive in the last hour. "spread" staffs 2.5 agents every hour:
    # 2.5 answered in hour 4, 7.5 wait for the next day (late).
    starts = pd.date_range("2026-11-23 09:00", periods=4, freq="60min", tz=TZ)
    target = QueueTarget("t2", "email", aht_s=3600, target_sl=1.0, target_answer_s=HOUR)
    frame = _frame(starts, "t2", [0.0, 0.0, 0.0, 10.0])
    spread = interval_requirements(frame, replace(target, async_mode="spread"), 60)
    assert spread["agents"].tolist() == [2.5] * 4
    by_spread = serve_async(frame.assign(agents=spread["agents"]), target, 60)
    assert by_spread["late"].sum() == 7.5 and not by_spread["meets"].iloc[3]
    ours = backlog_requirements(frame, target, 60)
    assert ours["agents"].tolist() == pytest.approx([10.0] * 4, rel=1e-6)
    assert serve_async(frame.assign(agents=ours["agents"]), target, 60)["meets"].all()
    # with an 80% target, 8 of the 10 in their hour are enough
    eighty = QueueTarget("t2", "email", aht_s=3600, target_sl=0.8, target_answer_s=HOUR)
    ours = backlog_requirements(frame, eighty, 60)
    assert ours["agents"].tolist() == pytest.approx([8.0] * 4, rel=1e-7)
    served = serve_async(frame.assign(agents=ours["agents"]), eighty, 60)
    assert served["sl"].iloc[3] == pytest.approx(0.8) and served["meets"].all()


def test_escalations_on_a_closed_day_are_served_on_the_next_open_day():
    # Friday 2026-11-27 to Monday 2026-11-30, Tier 2 open mon-fri 09:00-18:00.
    # 10 escalations are raised on Saturday and 10 on Sunday (one closed row at
    # noon each), 4 per hour in Friday's and Monday's open hours.
    starts, open_ = _grid(4, start="2026-11-27")
    local = starts.tz_localize(None)
    volume = np.where(open_ & (local.minute == 0), 4.0, 0.0)
    weekend_noon = (local.day_of_week >= 5) & (local.hour == 12) & (local.minute == 0)
    volume[weekend_noon] = 10.0
    frame = _frame(starts, "tier2", volume, open=open_)
    every = QueueTarget("tier2", "email", aht_s=1200, target_sl=1.0, target_answer_s=8 * HOUR)
    required = backlog_requirements(frame, every, 30)
    served = serve_async(frame.assign(agents=required["agents"]), every, 30)
    monday = np.asarray(local.day_of_week == 0)
    friday = np.asarray(local.day_of_week == 4)
    # Friday staffs its own 36 escalations over 9 h (4 an hour, 3 answered an hour per agent);
    # Monday its own 36 plus the weekend's 20: 56 x 1200 s over 9 h
    assert required.loc[friday & open_, "agents"].tolist() == pytest.approx([36 * 1200 / (9 * HOUR)] * 18)
    assert required.loc[monday & open_, "agents"].tolist() == pytest.approx([56 * 1200 / (9 * HOUR)] * 18,
                                                                          rel=1e-7)
    assert (required.loc[~open_, "agents"] == 0).all()
    # nothing vanishes: all 92 escalations are answered by Monday's close
    assert served["served"].sum() == pytest.approx(volume.sum())
    assert served["backlog"].iloc[-1] == pytest.approx(0.0, abs=1e-9)
    weekend = served[weekend_noon]
    assert weekend["late"].sum() == pytest.approx(20.0)  # an 8-hour window cannot be met on Monday
    first_monday = np.flatnonzero(monday & open_)[0]
    assert served["answered_late"].iloc[first_monday] > 0  # the weekend's, first thing Monday
    assert served["oldest_age_s"].iloc[first_monday - 1] >= 20 * HOUR  # waited through Sunday night
    # a quiet Monday (no escalations of its own) still clears the weekend's: 20 x 1200 s over 9 h
    quiet = np.where(monday, 0.0, volume)
    required = backlog_requirements(frame.assign(volume=quiet), every, 30)
    assert required.loc[monday & open_, "agents"].tolist() == pytest.approx(
        [20 * 1200 / (9 * HOUR)] * 18, rel=1e-7)
    # with a three-day window the same escalations are answered on Monday in time
    long = QueueTarget("tier2", "email", aht_s=1200, target_sl=0.9, target_answer_s=72 * HOUR)
    required = backlog_requirements(frame, long, 30)
    served = serve_async(frame.assign(agents=required["agents"]), long, 30)
    assert served.loc[weekend_noon, "on_time"].sum() == pytest.approx(20.0)
    assert served["meets"].all()


def test_the_plans_staffing_still_serves_weekend_escalations_on_monday():
    # staffed for its weekday forecast only (today's plan drops weekend escalations),
    # the weekend's contacts are still served on Monday, ahead of Monday's own
    starts, open_ = _grid(4, start="2026-11-27")
    local = starts.tz_localize(None)
    volume = np.where(open_ & (local.minute == 0), 4.0, 0.0)
    agents = np.full(len(starts), 36 * 1200 / (9 * HOUR))  # the level, on the rows, open or not
    volume[(local.day_of_week == 5) & (local.hour == 12) & (local.minute == 0)] = 10.0
    served = serve_async(_frame(starts, "tier2", volume, agents=agents, open=open_), TIER2, 30)
    assert (served.loc[~open_, "served"] == 0).all() and (served.loc[~open_, "capacity"] == 0).all()
    monday = np.asarray(local.day_of_week == 0)
    assert served["served"].sum() == pytest.approx(volume.sum() - served["backlog"].iloc[-1])
    assert served.loc[monday, "late"].sum() > 0  # Monday's own queue behind the weekend's
    assert served["backlog"].iloc[-1] == pytest.approx(10.0)  # a day's capacity short at the end


def test_just_in_time_requirements_meet_every_interval_on_a_round_the_clock_grid():
    starts = pd.date_range("2026-11-23", periods=96, freq="30min", tz=TZ)
    volume = _day_curve(5, n=96, peak=30.0)
    target = QueueTarget("email", "email", aht_s=420, target_sl=1.0, target_answer_s=4 * HOUR,
                         async_mode="just_in_time")
    required = interval_requirements(_frame(starts, "email", volume), target, 30)
    served = serve_async(required[["interval_start", "queue", "volume", "agents"]], target, 30)
    assert served["meets"].all()


def _broken(arrivals, open_, day, capacity, lag, share=1.0):
    """Contacts whose backlog_agents promise a staffing breaks, checked by the cohort simulation.

    On a contiguous grid: a contact some open interval can answer in time gets
    at least ``share`` of its interval answered within ``lag`` intervals; one
    that none can is answered by the end of the first open day after it.
    """
    served = np.cumsum(_naive_fifo(arrivals, capacity, lag)[0])  # answered by each interval's end
    before = np.cumsum(arrivals) - arrivals  # arrived before each interval
    idx = np.arange(len(arrivals))
    broken = np.zeros(len(arrivals), bool)
    for j in np.flatnonzero(arrivals > 0):
        in_time = np.flatnonzero(open_ & (idx >= j) & (idx <= j + lag - 1))
        if in_time.size:  # by its last chance, FIFO has answered everyone before it and `share` of it
            broken[j] = served[in_time[-1]] < before[j] + share * arrivals[j] - 1e-6
        elif (open_ & (idx >= j)).any():
            first_day = day[np.flatnonzero(open_ & (idx >= j))[0]]
            last = np.flatnonzero(day == first_day)[-1]
            broken[j] = served[last] < before[j] + arrivals[j] - 1e-6
    return broken


def test_backlog_agents_levels_are_the_least_that_meet_each_day():
    starts, open_ = _grid(14)
    volume = _escalations(starts, 2)
    start_s, day = interval_seconds(starts)
    day = (day - day[0]).astype("timedelta64[D]").astype(int)
    agents = backlog_agents(volume, open_, start_s, day, 1200, 1800, 8 * HOUR)
    per_agent, lag = 1800 / 1200, 16
    assert not _broken(volume, open_, day, agents * per_agent, lag).any()
    raised = 0
    for d in np.unique(day):
        rows = (day == d) & open_
        if not rows.any():
            continue
        floor = volume[day == d].sum() / (rows.sum() * per_agent)  # the day's own work, spread
        assert agents[rows].min() == agents[rows].max() >= floor - 1e-12
        if agents[rows][0] > floor * (1 + 1e-6):  # raised above spread: the least that works
            lower = agents.copy()
            lower[rows] *= 1 - 1e-3
            assert _broken(volume, open_, day, lower * per_agent, lag).any()
            raised += 1
    assert raised >= 3  # Mondays and the flash sale's days


@settings(max_examples=100, deadline=None)
@given(st.data(), st.integers(1, 5), st.integers(1, 16), st.sampled_from([1.0, 0.8]))
def test_backlog_agents_meet_every_deadline_that_can_be_met(data, n_days, lag, share):
    per_day = 8
    n = n_days * per_day
    arrivals = np.array(data.draw(st.lists(counts, min_size=n, max_size=n)))
    open_ = np.array(data.draw(st.lists(st.booleans(), min_size=n, max_size=n)))
    open_[data.draw(st.integers(0, n - 1))] = True
    day = np.arange(n) // per_day
    agents = backlog_agents(arrivals, open_, np.arange(n) * 1800.0, day, 900, 1800, lag * 1800.0,
                            target_sl=share)
    assert np.all(agents[~open_] == 0)
    assert not _broken(arrivals, open_, day, agents * 2.0, lag, share).any()  # 1800 s / 900 s


# ---------------------------------------------------------------- plan's expected share
def test_expected_on_time_share_carries_the_backlog_of_a_short_day():
    starts = pd.date_range("2026-11-23", periods=48 * 5, freq="30min", tz=TZ)
    local = starts.tz_localize(None)
    open_ = np.asarray((local.hour >= 8) & (local.hour < 20))
    volume = np.where(open_, 20.0, 0.0)
    target = QueueTarget("email", "email", aht_s=420, target_sl=0.9, target_answer_s=4 * HOUR)
    required = backlog_requirements(_frame(starts, "email", volume, open=open_), target, 30)
    requirement = required[["interval_start", "queue", "volume", "agents", "open"]]
    full = expected_on_time_share(requirement, target, 30, pd.Series(dtype=float))
    assert (full == 1.0).all() and len(full) == 5
    short = expected_on_time_share(requirement, target, 30,
                                   pd.Series([0.5], index=[pd.Timestamp("2026-11-23")]))
    # the short day misses; the next day, fully staffed, still starts behind
    # (its own work only fits), so it misses too: what the staffed share alone hides
    assert short.iloc[0] < 0.6
    assert short.iloc[1] < 0.9
    assert (short.index == full.index).all()


# ---------------------------------------------------------------- errors
def test_errors_name_the_argument():
    starts = pd.date_range("2026-11-23", periods=3, freq="30min", tz=TZ)
    with pytest.raises(ValueError, match="missing column.*agents.*found interval_start"):
        serve_live(_frame(starts, "phone", [1.0, 2.0, 3.0]), PHONE_C, 30)
    with pytest.raises(ValueError, match="one queue"):
        serve_async(_frame(starts, ["a", "b", "a"], 1.0, agents=1.0), EMAIL, 30)
    with pytest.raises(ValueError, match="volume"):
        serve_async(_frame(starts, "email", [1.0, -1.0, 0.0], agents=1.0), EMAIL, 30)
    with pytest.raises(ValueError, match="start_s must increase"):
        serve_async(_frame(starts[::-1], "email", 1.0, agents=1.0), EMAIL, 30)
    with pytest.raises(ValueError, match="time-zone aware"):
        interval_seconds(starts.tz_localize(None))
    with pytest.raises(ValueError, match="no open interval"):
        backlog_agents([1.0], [False], [0.0], [0], 60, 1800, 3600)
    with pytest.raises(ValueError, match="day must be non-decreasing"):
        backlog_agents([1.0, 1.0], [True, True], [0.0, 1800.0], [1, 0], 60, 1800, 3600)

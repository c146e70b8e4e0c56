"""staffing.requirements: agents per interval for phone, chat and email, FTE per day."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from staffing.erlang import service_level
from staffing.requirements import (DAILY_COLUMNS, REQUIREMENT_COLUMNS, QueueTarget,
                                   daily_requirements, interval_requirements)

TZ = "Europe/London"


def intervals(volumes, queue="q", start="2026-04-06 08:00", interval_min=30):
    starts = pd.date_range(start, periods=len(volumes), freq=f"{interval_min}min", tz=TZ)
    return pd.DataFrame({"interval_start": starts, "queue": queue,
                         "volume": np.asarray(volumes, float)})


# volumes whose traffic underflows to 0.0 (subnormals) are a float artefact, not a queue
VOLUME = st.one_of(st.just(0.0), st.floats(1e-3, 800))


@given(st.lists(VOLUME, min_size=1, max_size=12),
       st.floats(60, 600), st.floats(0.5, 0.95), st.sampled_from([10.0, 20.0, 60.0]))
@settings(max_examples=30, deadline=None)
def test_phone_meets_target_and_one_agent_less_fails(volumes, aht_s, target_sl, answer_s):
    target = QueueTarget("q", "phone", aht_s=aht_s, target_sl=target_sl,
                         target_answer_s=answer_s, shrinkage=0.3)
    out = interval_requirements(intervals(volumes), target, 30)
    assert list(out.columns) == REQUIREMENT_COLUMNS
    interval_s = 1800.0  # 30 min
    busy = out["volume"] > 0
    agents = out["agents"].to_numpy()
    assert np.all(agents == np.round(agents))
    sl = service_level(agents, out["volume"].to_numpy(), aht_s, interval_s, answer_s)
    assert np.all(sl[busy] >= target_sl - 1e-9)
    np.testing.assert_allclose(out["sl"], sl)
    fewer = service_level(agents[busy] - 1, out["volume"].to_numpy()[busy], aht_s, interval_s,
                          answer_s)
    assert np.all(fewer < target_sl)
    # fte = agents / (1 - shrinkage)
    np.testing.assert_allclose(out["fte"], agents / 0.7)
    # traffic = volume x aht / interval; occupancy = traffic / agents where staffed
    traffic = out["volume"].to_numpy() * aht_s / interval_s
    np.testing.assert_allclose(out["occupancy"][busy], traffic[busy] / agents[busy])


def test_phone_known_case():
    # pyworkforce's case: 100 calls / 30 min, AHT 180 s, 80% in 20 s -> 14 agents
    target = QueueTarget("q", "phone", aht_s=180, target_sl=0.8, target_answer_s=20,
                         max_occupancy=0.85)
    out = interval_requirements(intervals([100]), target, 30)
    assert out["agents"].tolist() == [14.0]
    assert out["fte"].iloc[0] == pytest.approx(20.0)  # 14 / (1 - 0.3)


def test_chat_uses_aht_over_concurrency():
    volumes = [50.0, 120.0, 0.0, 300.0]
    chat = QueueTarget("q", "chat", aht_s=600, target_sl=0.8, target_answer_s=30,
                       concurrency=3)
    # a phone queue of AHT 600 / 3 = 200 s is the same Erlang C problem
    phone = QueueTarget("q", "phone", aht_s=200, target_sl=0.8, target_answer_s=30)
    got = interval_requirements(intervals(volumes), chat, 30)
    same = interval_requirements(intervals(volumes), phone, 30)
    pd.testing.assert_series_equal(got["agents"], same["agents"])
    single = interval_requirements(intervals(volumes),
                                   QueueTarget("q", "chat", aht_s=600, target_sl=0.8,
                                               target_answer_s=30, concurrency=1), 30)
    assert (got["agents"] <= single["agents"]).all()
    assert (got["agents"] < single["agents"]).any()


@given(st.lists(st.floats(0, 500), min_size=1, max_size=10),
       st.lists(st.floats(0, 500), min_size=1, max_size=10),
       st.floats(60, 900), st.floats(0.5, 1.0))
@settings(max_examples=30, deadline=None)
@example(day1=[0.0], day2=[5e-324], aht_s=60.0, max_occupancy=0.5)  # a subnormal day (was red)
@example(day1=[1e-10, 2.0], day2=[1e-9], aht_s=900.0, max_occupancy=1.0)  # at the threshold
def test_email_daily_capacity_covers_the_days_work(day1, day2, aht_s, max_occupancy):
    frame = pd.concat([intervals(day1, start="2026-04-06 08:00"),
                       intervals(day2, start="2026-04-07 08:00")], ignore_index=True)
    target = QueueTarget("q", "email", aht_s=aht_s, target_sl=0.9, target_answer_s=86400,
                         max_occupancy=max_occupancy, async_mode="spread")
    out = interval_requirements(frame, target, 30)
    assert out["sl"].isna().all() and out["asa_s"].isna().all()
    day = out["interval_start"].dt.tz_localize(None).dt.normalize()
    interval_s = 1800.0
    for date, rows in out.groupby(day):
        # capacity [agent-s] = sum(agents) x interval_s x max_occupancy; work = volume x aht
        capacity = rows["agents"].sum() * interval_s * max_occupancy
        work = rows["volume"].sum() * aht_s
        assert capacity >= work * (1 - 1e-9)
        # "spread" is one flat level per day, with no slack
        assert capacity == pytest.approx(work, rel=1e-9, abs=1e-6)
        assert rows["agents"].nunique() == 1


def test_email_hand_checked():
    # 60 emails x 300 s = 18,000 agent-s over 4 intervals x 1,800 s = 7,200 s -> 2.5 agents
    target = QueueTarget("q", "email", aht_s=300, target_sl=1.0, target_answer_s=86400,
                         async_mode="spread")
    out = interval_requirements(intervals([30, 10, 20, 0]), target, 30)
    assert out["agents"].tolist() == pytest.approx([2.5] * 4)
    assert out["occupancy"].tolist() == pytest.approx([
        30 * 300 / 1800 / 2.5, 10 * 300 / 1800 / 2.5, 20 * 300 / 1800 / 2.5, 0.0])


def test_daily_requirements_hand_computed():
    req = pd.DataFrame({
        "interval_start": pd.DatetimeIndex(["2026-04-06 09:00", "2026-04-06 09:30",
                                            "2026-04-07 09:00"]).tz_localize(TZ),
        "queue": "q", "volume": [40.0, 60.0, 10.0], "agents": [4.0, 6.0, 2.0]})
    req["fte"] = req["agents"] / (1 - 0.2)
    out = daily_requirements(req, 30)
    assert list(out.columns) == DAILY_COLUMNS
    first = out.iloc[0]
    assert first["date"] == pd.Timestamp("2026-04-06")
    assert first["volume"] == 100.0
    assert first["agent_hours"] == pytest.approx(5.0)  # (4 + 6) x 0.5 h
    # (4 + 6) / 0.8 x 0.5 h = 6.25 scheduled hours -> 6.25 / 8 FTE
    assert first["required_fte"] == pytest.approx(6.25 / 8)
    # day 2: 2 / 0.8 x 0.5 = 1.25 h -> 1.25 / 8
    assert out.iloc[1]["required_fte"] == pytest.approx(1.25 / 8)
    assert daily_requirements(req, 30, paid_hours_per_fte_day=6.25).iloc[0]["required_fte"] \
        == pytest.approx(1.0)


def test_daily_requirements_rejects_bad_paid_hours():
    req = pd.DataFrame({"interval_start": pd.DatetimeIndex([], tz=TZ), "queue": [],
                        "volume": [], "agents": [], "fte": []})
    with pytest.raises(ValueError, match="paid_hours_per_fte_day"):
        daily_requirements(req, 30, paid_hours_per_fte_day=0)


@pytest.mark.parametrize("kwargs, name", [
    ({"channel": "fax"}, "channel"), ({"aht_s": 0}, "aht_s"), ({"concurrency": -1}, "concurrency"),
    ({"target_sl": 1.5}, "target_sl"), ({"target_answer_s": -1}, "target_answer_s"),
    ({"shrinkage": 1.0}, "shrinkage"), ({"async_mode": "lazy"}, "async_mode"),
])
def test_queue_target_validation_names_the_field(kwargs, name):
    base = dict(queue="q", channel="phone", aht_s=180, target_sl=0.8, target_answer_s=20)
    with pytest.raises(ValueError, match=name):
        QueueTarget(**{**base, **kwargs})


# --- headcount ------------------------------------------------------------------------

def test_headcount_seven_day_queue_five_day_people():
    from staffing.requirements import headcount

    assert headcount(10.0) == 14.0                         # 10 x 7 / 5 = 14 exactly
    assert headcount(10.1) == 15.0                         # 14.14 -> 15 people
    assert headcount(10.0, days_per_week=5) == 10.0        # open only on work days
    assert headcount(6.0, work_days_per_week=4) == 11.0    # 6 x 7 / 4 = 10.5 -> 11
    assert headcount(0.0) == 0.0


def test_headcount_vectorised_and_no_float_noise():
    from staffing.requirements import headcount

    got = headcount(np.array([0.0, 2.5, 5.0, 7.1]))
    # 2.5 x 7 / 5 = 3.5 -> 4; 5 -> 7; 7.1 x 7 / 5 = 9.94 -> 10
    np.testing.assert_array_equal(got, [0.0, 4.0, 7.0, 10.0])
    # 0.1 x 3 x 5 / 1.5 is 1.0000000000000002 in floats: one person, not two
    assert headcount(0.1 * 3, days_per_week=5, work_days_per_week=1.5) == 1.0
    assert headcount(pd.Series([1.5, 3.0]).to_numpy()).tolist() == [3.0, 5.0]  # 2.1, 4.2


@pytest.mark.parametrize("kwargs", [{"days_per_week": 0}, {"work_days_per_week": 8},
                                    {"days_per_week": 7.5}])
def test_headcount_rejects_impossible_weeks(kwargs):
    from staffing.requirements import headcount

    with pytest.raises(ValueError, match="days_per_week"):
        headcount(1.0, **kwargs)


# --- expected_service_level -----------------------------------------------------------

PHONE = QueueTarget("q", "phone", aht_s=180, target_sl=0.8, target_answer_s=20)


def two_days():
    # day 1: 08:00-09:30 (3 intervals); day 2: 08:00-09:00 (2 intervals, one empty)
    day1 = intervals([100.0, 50.0, 20.0], start="2026-04-06 08:00")
    day2 = intervals([0.0, 80.0], start="2026-04-07 08:00")
    return interval_requirements(pd.concat([day1, day2], ignore_index=True), PHONE, 30)


def test_expected_service_level_full_staffing_is_volume_weighted():
    from staffing.requirements import expected_service_level

    req = two_days()
    sl = expected_service_level(req, PHONE, 30, pd.Series(dtype=float))
    d1, d2 = pd.Timestamp("2026-04-06"), pd.Timestamp("2026-04-07")
    assert list(sl.index) == [d1, d2] and sl.name == "expected_sl"
    s = req["sl"].to_numpy()
    # day 1: (100 s0 + 50 s1 + 20 s2) / 170; day 2: the empty interval weighs nothing
    assert sl[d1] == pytest.approx((100 * s[0] + 50 * s[1] + 20 * s[2]) / 170)
    assert sl[d2] == pytest.approx(s[4])
    assert (sl >= 0.8 - 1e-9).all()
    pd.testing.assert_series_equal(
        expected_service_level(req, PHONE, 30, pd.Series({d1: 1.0, d2: 1.0})), sl)


def test_expected_service_level_understaffed_day_is_lower():
    from staffing.requirements import expected_service_level

    req = two_days()
    d1, d2 = pd.Timestamp("2026-04-06"), pd.Timestamp("2026-04-07")
    full = expected_service_level(req, PHONE, 30, pd.Series(dtype=float))
    half = expected_service_level(req, PHONE, 30, pd.Series({d1: 0.5}))
    assert half[d1] < full[d1] - 0.05
    assert half[d2] == full[d2]  # a day not given is fully staffed
    # 14 agents x 0.5 = 7 for 100 calls at 180 s (10 Erlangs): no finite queue, SL 0
    first = float(service_level(7, 100.0, 180.0, 1800.0, 20.0))
    assert req["agents"].iloc[0] == 14.0
    s1 = float(service_level(np.floor(req["agents"].iloc[1] * 0.5), 50.0, 180.0, 1800.0, 20.0))
    s2 = float(service_level(np.floor(req["agents"].iloc[2] * 0.5), 20.0, 180.0, 1800.0, 20.0))
    assert half[d1] == pytest.approx((100 * first + 50 * s1 + 20 * s2) / 170)
    none = expected_service_level(req, PHONE, 30, pd.Series({d1: 0.0}))
    assert none[d1] == pytest.approx(0.0)


def test_expected_service_level_async_is_the_staffed_share():
    from staffing.requirements import expected_service_level

    email = QueueTarget("e", "email", aht_s=420, target_sl=0.9, target_answer_s=86400)
    req = interval_requirements(intervals([10.0, 20.0, 5.0], queue="e"), email, 30)
    d1 = pd.Timestamp("2026-04-06")
    assert expected_service_level(req, email, 30, pd.Series({d1: 0.7}))[d1] == pytest.approx(0.7)
    assert expected_service_level(req, email, 30, pd.Series({d1: 1.4}))[d1] == 1.0  # clipped
    assert expected_service_level(req, email, 30, pd.Series(dtype=float))[d1] == 1.0


def test_async_work_raised_while_closed_is_staffed_at_the_next_opening():
    # 10 escalations on a Saturday, when Tier 2 is closed (one closed row at noon); Monday
    # brings none of its own. Carried by default, they are staffed on Monday; levelled day
    # by day ("spread"), Monday would have no work.
    start = pd.Timestamp("2026-04-11 12:00", tz="America/New_York")  # a Saturday
    monday = pd.date_range("2026-04-13 09:00", periods=4, freq="30min", tz="America/New_York")
    frame = pd.DataFrame({"interval_start": [start, *monday], "queue": "tier2",
                          "volume": [10.0, 0.0, 0.0, 0.0, 0.0],
                          "open": [False, True, True, True, True]})
    target = QueueTarget("tier2", "email", aht_s=900, target_sl=0.9, target_answer_s=28800)
    out = interval_requirements(frame, target, 30)
    assert out["agents"].iloc[0] == 0.0  # nobody works the closed day
    # Monday clears the 10 x 900 s = 9,000 agent-s of work: 2 hours of 4 intervals = 7,200 s
    monday_work = out["agents"].iloc[1:].sum() * 1800.0
    assert monday_work >= 9000.0 * (1 - 1e-9)
    spread = interval_requirements(frame[frame["open"]],
                                   QueueTarget("tier2", "email", aht_s=900, target_sl=0.9,
                                               target_answer_s=28800, async_mode="spread"), 30)
    assert spread["agents"].sum() == 0.0


def test_negligible_volumes_are_zero_contacts():
    from staffing.requirements import NEGLIGIBLE_CONTACTS

    target = QueueTarget("q", "phone", aht_s=300, target_sl=0.8, target_answer_s=20)
    out = interval_requirements(intervals([5e-324, NEGLIGIBLE_CONTACTS / 2, NEGLIGIBLE_CONTACTS,
                                           3.0]), target, 30)
    assert out["volume"].tolist() == [0.0, 0.0, NEGLIGIBLE_CONTACTS, 3.0]
    assert out["agents"].tolist()[:2] == [0.0, 0.0]

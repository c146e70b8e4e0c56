"""staffing.requirements: agents per interval for phone, chat and email, FTE per day."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
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
def test_email_daily_capacity_covers_the_days_work(day1, day2, aht_s, max_occupancy):
    frame = pd.concat([intervals(day1, start="2026-04-06 08:00"),
                       intervals(day2, start="2026-04-07 08:00")], ignore_index=True)
    target = QueueTarget("q", "email", aht_s=aht_s, target_sl=0.9, target_answer_s=86400,
                         max_occupancy=max_occupancy)
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
    target = QueueTarget("q", "email", aht_s=300, target_sl=1.0, target_answer_s=86400)
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

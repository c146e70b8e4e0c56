"""forecast.intraday: intraday profiles and the split of daily volume into intervals."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calendars.hours import OpenHours
from forecast.intraday import INTERVAL_COLUMNS, default_profile, distribute, interval_profile

T = pd.Timestamp
NY = "America/New_York"


def daily_frame(dates, volumes, queue="chat"):
    return pd.DataFrame({"date": pd.to_datetime(dates), "queue": queue,
                         "volume": np.asarray(volumes, float)})


def one_slot_profile(queue, interval_min, slot_min):
    """All of every day's volume in one slot."""
    slots = np.arange(0, 1440, interval_min)
    return pd.DataFrame([(queue, wd, s, float(s == slot_min)) for wd in range(7) for s in slots],
                        columns=["queue", "weekday", "slot_min", "share"])


def local_day_totals(out, tz):
    local = out["interval_start"].dt.tz_convert(tz).dt.tz_localize(None).dt.normalize()
    return out.groupby([local, out["queue"]])["volume"].sum()


spans = st.tuples(st.integers(0, 48), st.integers(0, 48)).map(
    lambda p: (min(p) * 30, max(p) * 30))


@given(volumes=st.lists(st.floats(0, 5000), min_size=1, max_size=10),
       week=st.lists(spans, min_size=7, max_size=7),
       interval_min=st.sampled_from([15, 30, 60]),
       profile_seed=st.integers(0, 2**32 - 1), uniform=st.booleans())
@settings(max_examples=40, deadline=None)
def test_distribute_keeps_daily_totals_inside_open_hours(volumes, week, interval_min,
                                                         profile_seed, uniform):
    hours = OpenHours(tuple(week))
    dates = pd.date_range("2026-04-06", periods=len(volumes), freq="D")
    daily = pd.concat([daily_frame(dates, volumes, "chat"),
                       daily_frame(dates, volumes[::-1], "email")], ignore_index=True)
    profile = default_profile({"chat": "chat", "email": "email"}, interval_min)
    if not uniform:  # a random profile, with zero-share slots
        rng = np.random.default_rng(profile_seed)
        share = rng.random(len(profile)) * (rng.random(len(profile)) < 0.3)
        profile = profile.assign(share=share)
        profile["share"] /= profile.groupby(["queue", "weekday"])["share"].transform(
            "sum").replace(0, 1)
    out = distribute(daily, profile, interval_min, "UTC", open_hours={"chat": hours})
    assert list(out.columns) == INTERVAL_COLUMNS
    assert (out["volume"] >= 0).all()
    # no chat volume outside open hours
    chat = out[out["queue"] == "chat"]
    local = chat["interval_start"].dt.tz_localize(None)
    minute = local.dt.hour * 60 + local.dt.minute
    assert hours.is_open(local.dt.day_of_week.to_numpy(), minute.to_numpy()).all()
    totals = local_day_totals(out, "UTC")
    for row in daily.itertuples(index=False):
        # an interval is open when its start is (the grid does not split at 09:30)
        slots = np.arange(0, 1440, interval_min)
        has_open_interval = hours.is_open(np.full(len(slots), row.date.day_of_week), slots).any()
        if row.queue == "chat" and not has_open_interval:
            assert (row.date, "chat") not in totals.index  # closed day: nothing lands
        else:
            # email has no open hours given: open all day
            assert totals.get((row.date, row.queue), 0.0) == pytest.approx(row.volume,
                                                                         rel=1e-9, abs=1e-9)


def test_distribute_moves_closed_share_onto_open_intervals_in_proportion():
    # profile: 0.5 at 08:00 (closed), 0.3 at 10:00, 0.2 at 11:00; open 09:00-12:00
    slots = np.arange(0, 1440, 60)
    share = {480: 0.5, 600: 0.3, 660: 0.2}
    profile = pd.DataFrame([("chat", wd, s, share.get(s, 0.0)) for wd in range(7) for s in slots],
                           columns=["queue", "weekday", "slot_min", "share"])
    out = distribute(daily_frame(["2026-04-06"], [100]), profile, 60, NY,
                     open_hours={"chat": OpenHours.parse("09:00-12:00")})
    got = dict(zip(out["interval_start"].dt.hour, out["volume"]))
    # open mass 0.5 -> 10:00 gets 100 x 0.3/0.5 = 60, 11:00 gets 100 x 0.2/0.5 = 40, 09:00 0
    assert got == pytest.approx({9: 0.0, 10: 60.0, 11: 40.0})


def test_distribute_spreads_evenly_when_profile_has_no_open_mass():
    profile = one_slot_profile("chat", 60, 3 * 60)  # everything at 03:00, but open 09-13
    out = distribute(daily_frame(["2026-04-06"], [100]), profile, 60, NY,
                     open_hours={"chat": OpenHours.parse("09:00-13:00")})
    assert out["volume"].tolist() == pytest.approx([25.0] * 4)  # 100 / 4 open hours


def test_distribute_interval_start_is_tz_aware_start_label():
    profile = one_slot_profile("chat", 30, 9 * 60 + 30)
    out = distribute(daily_frame(["2026-07-01"], [40]), profile, 30, NY)
    hit = out[out["volume"] > 0]
    assert str(out["interval_start"].dt.tz) == NY
    # the 09:30-10:00 slot is labelled by its start, 09:30 local (13:30 UTC in summer)
    assert hit["interval_start"].tolist() == [T("2026-07-01 09:30", tz=NY)]
    assert hit["interval_start"].iloc[0].tz_convert("UTC") == T("2026-07-01 13:30", tz="UTC")
    assert hit["volume"].tolist() == [40.0]
    assert len(out) == 48  # every interval of an all-day-open queue


def test_distribute_unknown_queue_and_bad_interval():
    profile = default_profile({"chat": "chat"}, 30)
    with pytest.raises(ValueError, match="profile"):
        distribute(daily_frame(["2026-04-06"], [10], queue="phone"), profile, 30, NY)
    with pytest.raises(ValueError, match="interval_min"):
        distribute(daily_frame(["2026-04-06"], [10]), profile, 20, NY)


@pytest.mark.parametrize("day, n_intervals", [
    ("2026-03-08", 46),  # spring forward: 23 h -> 46 half hours
    ("2026-11-01", 48),  # fall back: one local 01:00-02:00 hour is labelled once
])
def test_distribute_dst_days_keep_daily_total(day, n_intervals):
    profile = default_profile({"chat": "chat"}, 30)
    daily = daily_frame([day, pd.Timestamp(day) + pd.Timedelta(days=1)], [1000, 500])
    out = distribute(daily, profile, 30, NY)
    totals = local_day_totals(out, NY)
    assert totals[(T(day), "chat")] == pytest.approx(1000)
    assert totals[(T(day) + pd.Timedelta(days=1), "chat")] == pytest.approx(500)
    on_day = out[out["interval_start"].dt.tz_localize(None).dt.normalize() == T(day)]
    assert on_day["interval_start"].is_unique
    assert len(on_day) == n_intervals


def test_default_profile_shares_sum_to_one():
    profile = default_profile({"a": "chat", "b": "email", "c": "phone"}, 15)
    sums = profile.groupby(["queue", "weekday"])["share"].sum()
    np.testing.assert_allclose(sums, 1.0)
    assert len(sums) == 21


def make_tickets(minutes, queues, start="2026-01-05"):
    stamps = pd.Timestamp(start, tz=NY) + pd.to_timedelta(np.asarray(minutes), unit="min")
    return pd.DataFrame({"created_at": stamps, "channel": queues})


@given(st.lists(st.tuples(st.integers(0, 70 * 1440), st.sampled_from(["chat", "email"])),
                min_size=1, max_size=150),
       st.sampled_from([15, 30, 60]))
@settings(max_examples=30, deadline=None)
def test_interval_profile_shares_sum_to_one_per_queue_and_weekday(rows, interval_min):
    tickets = make_tickets([m for m, _ in rows], [q for _, q in rows])
    profile = interval_profile(tickets, interval_min, min_weeks=0)
    assert len(profile) == profile["queue"].nunique() * 7 * (1440 // interval_min)
    assert (profile["share"] >= 0).all()
    local = tickets["created_at"].dt.tz_localize(None)
    sums = profile.groupby(["queue", "weekday"])["share"].sum()
    # every weekday sums to one: one never seen takes the queue's all-week shape
    np.testing.assert_allclose(sums, 1.0)
    unpooled = interval_profile(tickets, interval_min, min_weeks=0, prior_tickets=0)
    raw = unpooled.groupby(["queue", "weekday"])["share"].sum()
    for (queue, weekday), total in raw.items():
        seen = ((tickets["channel"] == queue) & (local.dt.day_of_week == weekday)).any()
        assert total == pytest.approx(1.0 if seen else 0.0)


def test_a_thin_weekday_leans_on_the_weeks_shape_and_a_busy_one_keeps_its_own():
    # Mondays: every ticket at 09:00; the other days: every ticket at 15:00
    monday = [d * 7 * 1440 + 9 * 60 for d in range(10)]  # 10 tickets on Mondays
    rest = [(d * 7 + k) * 1440 + 15 * 60 for d in range(10) for k in range(1, 7)
            for _ in range(50)]  # 3,000 on the other days
    tickets = make_tickets(monday + rest, ["chat"] * (len(monday) + len(rest)),
                           start="2026-06-01")  # a Monday; ten weeks with no clock change
    profile = interval_profile(tickets, 60, min_weeks=0, prior_tickets=1000).set_index(
        ["weekday", "slot_min"])["share"]
    week_at_15 = 3000 / 3010
    # Monday: (10 at 09:00 + 1000 x the week's shape) / 1010
    assert profile[(0, 540)] == pytest.approx((10 + 1000 * 10 / 3010) / 1010)
    assert profile[(0, 900)] == pytest.approx(1000 * week_at_15 / 1010)
    # Tuesday (500 tickets, all at 15:00) keeps most of its own shape
    assert profile[(1, 900)] == pytest.approx((500 + 1000 * week_at_15) / 1500)


def test_interval_profile_hand_checked_and_excludes_dates():
    # Monday 2026-01-05: 3 chats at 09:05, 09:20, 10:40; Monday 01-12 (excluded) at 20:00
    tickets = make_tickets([9 * 60 + 5, 9 * 60 + 20, 10 * 60 + 40, 7 * 1440 + 20 * 60],
                           ["chat"] * 4)
    profile = interval_profile(tickets, 60, exclude_dates=[T("2026-01-12")], min_weeks=0)
    monday = profile[(profile["weekday"] == 0) & (profile["share"] > 0)]
    assert dict(zip(monday["slot_min"], monday["share"])) == pytest.approx({540: 2 / 3,
                                                                            600: 1 / 3})


def test_interval_profile_warns_on_short_history():
    tickets = make_tickets([60, 1440 + 60], ["chat", "chat"])
    with pytest.warns(UserWarning, match="weeks of tickets"):
        interval_profile(tickets, 30)

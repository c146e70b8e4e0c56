"""staffing.shifts, .schedules and .rosters: shifts over the requirement, people per week."""
from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from staffing.erlang import required_agents
from staffing.errors import FieldError
from staffing.rosters import days_off_patterns, pattern_headcount, weekly_headcount
from staffing.schedules import (COVERAGE_COLUMNS, DAY_COLUMNS, SHIFT_COLUMNS, Schedule,
                                schedule_requirements)
from staffing.shifts import ShiftRules, schedule_day

SLOW = settings(max_examples=25, deadline=None,
                suppress_health_check=[HealthCheck.too_slow])
IV = 30  # [min]
#: Rules the properties draw from: no breaks; a 30-minute unpaid break; hourly starts.
RULES = [ShiftRules(lengths_h=(4, 6, 8), break_min=0),
         ShiftRules(),
         ShiftRules(lengths_h=(4, 8), start_step_min=60, break_after_h=1.5,
                    break_before_end_h=1.0)]


def open_mask(first: int, last: int, n: int = 48) -> np.ndarray:
    mask = np.zeros(n, bool)
    mask[first:last] = True
    return mask


def check_day(day, required, mask, rules: ShiftRules):
    """Every rule, and the coverage recomputed from the shifts alone."""
    on_floor = np.zeros(len(required))
    step = (rules.start_step_min or IV) // IV
    for start, length_h, brk, agents in zip(day.start_slot, day.length_h, day.break_slot,
                                            day.agents):
        width = int(round(length_h * 60 / IV))
        assert length_h in rules.lengths_h
        assert start % step == 0
        assert mask[start:start + width].all() and start + width <= len(mask)
        assert agents > 0
        if rules.has_break(length_h):
            brk_w = rules.break_min // IV
            assert start + rules.break_after_h * 60 / IV <= brk
            assert brk + brk_w <= start + width - rules.break_before_end_h * 60 / IV
        else:
            assert brk == -1
        floor = np.zeros(len(required))
        floor[start:start + width] = agents
        if brk >= 0:
            floor[brk:brk + rules.break_min // IV] = 0
        on_floor += floor
    np.testing.assert_array_equal(on_floor, day.scheduled)
    assert (day.scheduled >= np.ceil(required - 1e-9)).all()
    paid = sum(a * rules.paid_hours(h) for h, a in zip(day.length_h, day.agents))
    assert day.paid_hours == pytest.approx(paid)
    assert day.paid_hours >= day.lp_bound_paid_hours - 1e-6


# --- the rules ------------------------------------------------------------------------

def test_paid_hours_leave_out_an_unpaid_break_only():
    rules = ShiftRules()  # breaks from 6 h, 30 min, unpaid
    assert (rules.paid_hours(4), rules.paid_hours(6), rules.paid_hours(8)) == (4, 5.5, 7.5)
    assert ShiftRules(break_paid=True).paid_hours(8) == 8
    assert ShiftRules(break_min=0).paid_hours(8) == 8


@pytest.mark.parametrize("kwargs, field", [
    ({"lengths_h": ()}, "lengths_h"),
    ({"lengths_h": (4, -1)}, "lengths_h"),
    ({"lengths_h": (25,)}, "lengths_h"),
    ({"lengths_h": (4, 4)}, "lengths_h"),
    ({"start_step_min": 0}, "start_step_min"),
    ({"break_min": -30}, "break_min"),
    ({"break_paid": "no"}, "break_paid"),
    ({"hourly_cost": 0}, "hourly_cost"),
    ({"break_after_h": 3.0, "break_before_end_h": 3.0}, "break_after_h"),  # 6.5 h > 6 h shift
])
def test_bad_rules_name_their_field(kwargs, field):
    with pytest.raises(FieldError) as info:
        ShiftRules(**kwargs)
    assert info.value.field == field


# --- one day --------------------------------------------------------------------------

def test_hand_computed_day_without_breaks():
    # 1,1,2,2,1,1 agents over six hours: a 4 h shift from 0 and one from 2 (8 paid hours);
    # anything with a 2 h shift needs three of them or more hours.
    day = schedule_day([1, 1, 2, 2, 1, 1], 60, ShiftRules(lengths_h=(2, 4), break_min=0))
    assert day.paid_hours == 8 and day.efficiency == 1.0 and day.lp_bound_paid_hours == 8


def test_hand_computed_day_where_the_break_costs_a_second_agent():
    # One agent needed for four hours with 4 h shifts and a 1 h break in the middle two
    # hours: one shift leaves its break uncovered, so two are needed, breaks apart:
    # coverage 2, 1, 1, 2 and 2 x 3 = 6 paid hours; the LP cannot do better either.
    rules = ShiftRules(lengths_h=(4,), break_from_length_h=4, break_min=60, break_after_h=1,
                       break_before_end_h=1)
    day = schedule_day([1, 1, 1, 1], 60, rules)
    assert day.paid_hours == 6 and day.lp_bound_paid_hours == pytest.approx(6)
    assert day.scheduled.tolist() == [2, 1, 1, 2]
    assert sorted(day.break_slot.tolist()) == [1, 2]
    assert day.efficiency == pytest.approx(4 / 6)


@SLOW
@given(rules=st.sampled_from(RULES), first=st.integers(6, 10).map(lambda h: 2 * h),
       hours=st.integers(8, 14), data=st.data())
def test_every_interval_is_covered_and_every_rule_honoured(rules, first, hours, data):
    # open from a full hour, so that hourly starts can cover every open interval
    last = first + 2 * hours
    mask = open_mask(first, last)
    required = np.zeros(48)
    required[first:last] = data.draw(st.lists(st.floats(0, 9), min_size=last - first,
                                              max_size=last - first))
    day = schedule_day(required, IV, rules, mask)
    check_day(day, required, mask, rules)


@st.composite
def shift_sums(draw):
    """A requirement that is a sum of allowed shifts (breaks placed by hand), and its cost."""
    rules = draw(st.sampled_from(RULES[:2] + [RULES[2]]))
    first = draw(st.integers(12, 20))
    last = first + 2 * draw(st.integers(10, 14))
    required = np.zeros(48)
    paid = 0.0
    step = (rules.start_step_min or IV) // IV
    for _ in range(draw(st.integers(1, 6))):
        length_h = draw(st.sampled_from(rules.lengths_h))
        width = int(length_h * 2)
        starts = [s for s in range(first, last - width + 1) if s % step == 0]
        start = draw(st.sampled_from(starts))
        agents = draw(st.integers(1, 3))
        floor = np.zeros(48)
        floor[start:start + width] = agents
        if rules.has_break(length_h):
            offset = draw(st.integers(int(rules.break_after_h * 2),
                                      width - int(rules.break_before_end_h * 2) - 1))
            floor[start + offset] = 0  # a 30-minute break is one interval
        required += floor
        paid += agents * rules.paid_hours(length_h)
    return rules, open_mask(first, last), required, paid


@SLOW
@given(case=shift_sums())
def test_a_sum_of_allowed_shifts_is_scheduled_with_efficiency_one(case):
    rules, mask, required, paid = case
    day = schedule_day(required, IV, rules, mask)
    # With unpaid breaks paid hours are on-floor hours, which cannot be fewer than the
    # required agent-hours: the sum itself is optimal, and any optimum covers exactly.
    assert day.efficiency == pytest.approx(1.0)
    assert day.paid_hours == pytest.approx(paid)
    np.testing.assert_allclose(day.scheduled, required)


def bimodal_required(scale: float, rng) -> np.ndarray:
    """Erlang C agents over a chat-like day, 08:00-22:00, peaks at 11:00 and 20:00."""
    t = np.arange(48) / 2.0  # [h]
    shape = np.exp(-((t - 11) / 2.5) ** 2) + 0.8 * np.exp(-((t - 20) / 2.0) ** 2) + 0.25
    volume = scale * shape * rng.uniform(0.9, 1.1, 48)  # [contacts/interval]
    agents = required_agents(volume, 300.0, IV * 60.0, 0.8, 60.0)
    return np.where(open_mask(16, 44), agents, 0).astype(float)


@pytest.mark.parametrize("scale", [60, 150, 400])
def test_realistic_days_are_within_two_percent_of_the_lp_bound(scale):
    rng = np.random.default_rng(scale)
    mask = open_mask(16, 44)
    cost = bound = 0.0
    for _ in range(3):
        required = bimodal_required(scale, rng)
        day = schedule_day(required, IV, ShiftRules(), mask)
        check_day(day, required, mask, ShiftRules())
        cost, bound = cost + day.paid_hours, bound + day.lp_bound_paid_hours
    assert bound <= cost <= 1.02 * bound


def test_a_shift_longer_than_the_open_hours_names_lengths_h():
    with pytest.raises(FieldError) as info:
        schedule_day(np.where(open_mask(20, 32), 2, 0), IV, ShiftRules(lengths_h=(8, 10)),
                     open_mask(20, 32))
    assert info.value.field == "lengths_h" and "6 h open" in str(info.value)


def test_starts_that_miss_an_interval_name_start_step_min():
    # open 08:30-16:30, 8 h shifts starting on the hour: none fits
    with pytest.raises(FieldError) as info:
        schedule_day(np.where(open_mask(17, 33), 1, 0), IV,
                     ShiftRules(lengths_h=(8,), start_step_min=60), open_mask(17, 33))
    assert info.value.field == "start_step_min"


@pytest.mark.parametrize("rules, field", [
    (ShiftRules(lengths_h=(4.25,)), "lengths_h"),
    (ShiftRules(start_step_min=45), "start_step_min"),
    (ShiftRules(break_min=20), "break_min"),
])
def test_rules_off_the_interval_grid_name_their_field(rules, field):
    with pytest.raises(FieldError) as info:
        schedule_day(np.ones(48), IV, rules)
    assert info.value.field == field


def test_a_requirement_in_a_closed_interval_is_refused():
    with pytest.raises(FieldError) as info:
        schedule_day([1, 1, 1, 1], 60, ShiftRules(lengths_h=(2,)), [True, True, True, False])
    assert info.value.field == "required_agents_per_interval"


# --- a horizon of queues and days -----------------------------------------------------

def requirement_frame(tz="America/New_York"):
    """Two queues over Mon-Sun: chat 08:00-22:00 daily, phone 09:00-18:00 weekdays only."""
    rows, rng = [], np.random.default_rng(7)
    for day in pd.date_range("2026-03-02", periods=7, freq="D"):  # across the DST change
        for queue, first, last in (("chat", 16, 44), ("phone", 18, 36)):
            if queue == "phone" and day.day_of_week >= 5:
                continue
            for slot in range(first, last):
                rows.append((day + pd.Timedelta(minutes=IV * slot), queue,
                             float(rng.integers(1, 9))))
    frame = pd.DataFrame(rows, columns=["local", "queue", "agents"])
    frame.insert(0, "interval_start", pd.DatetimeIndex(frame.pop("local")).tz_localize(tz))
    return frame


def test_a_horizon_is_scheduled_per_queue_and_local_day():
    frame = requirement_frame()
    rules = {"chat": ShiftRules(), "phone": ShiftRules(lengths_h=(4, 8), start_step_min=60)}
    schedule = schedule_requirements(frame, IV, rules)
    assert isinstance(schedule, Schedule)
    assert list(schedule.shifts.columns) == SHIFT_COLUMNS
    assert list(schedule.coverage.columns) == COVERAGE_COLUMNS
    assert list(schedule.days.columns) == DAY_COLUMNS
    assert len(schedule.days) == 7 + 5
    cov = schedule.coverage
    assert (cov["interval_start"] == frame["interval_start"]).all()
    assert (cov["scheduled"] >= cov["required"]).all() and (cov["over"] >= 0).all()
    shifts = schedule.shifts
    assert str(shifts["shift_start"].dt.tz) == "America/New_York"
    local = shifts["shift_start"].dt.tz_localize(None)
    assert (local.dt.normalize() == shifts["date"]).all()
    end = local + pd.to_timedelta(shifts["length_h"], unit="h")
    opening = np.where(shifts["queue"] == "chat", 8, 9)
    closing = np.where(shifts["queue"] == "chat", 22, 18)
    assert (local.dt.hour >= opening).all()
    assert ((end - shifts["date"]) <= pd.to_timedelta(closing, unit="h")).all()
    phone = shifts[shifts["queue"] == "phone"]
    assert (phone["shift_start"].dt.minute == 0).all() and set(phone["length_h"]) <= {4, 8}
    # scheduled agents per interval, recomputed from the shift rows
    for row in shifts.sample(10, random_state=0, replace=True).itertuples():
        assert row.shift_start in set(frame.loc[frame["queue"] == row.queue, "interval_start"])
    hours = schedule.days
    assert schedule.efficiency == pytest.approx(hours["required_agent_hours"].sum()
                                                / hours["scheduled_agent_hours"].sum())
    assert hours["required_agent_hours"].sum() == pytest.approx(frame["agents"].sum() * 0.5)
    assert schedule.lp_bound_cost <= schedule.cost + 1e-6 and schedule.gap >= -1e-9


def test_hourly_cost_scales_the_cost_and_not_the_shifts():
    frame = requirement_frame()
    base = schedule_requirements(frame, IV, ShiftRules(break_min=0))
    dear = schedule_requirements(frame, IV, ShiftRules(break_min=0, hourly_cost=36.0))
    assert dear.cost == pytest.approx(36 * base.cost)
    assert dear.days["paid_hours"].sum() == pytest.approx(base.days["paid_hours"].sum())


def test_a_day_the_rules_cannot_staff_names_the_queue_the_day_and_the_field():
    frame = requirement_frame()
    frame = frame[~((frame["queue"] == "chat")
                    & (frame["interval_start"].dt.day_of_week == 6)
                    & (frame["interval_start"].dt.hour >= 14))]  # Sunday 08:00-14:00 only
    with pytest.raises(FieldError) as info:
        schedule_requirements(frame, IV, ShiftRules(lengths_h=(8, 10)))
    assert info.value.field == "lengths_h" and info.value.owner == "chat"
    assert "2026-03-08" in str(info.value)


def test_missing_columns_and_rules_are_refused():
    frame = requirement_frame()
    with pytest.raises(ValueError, match="missing agents"):
        schedule_requirements(frame.drop(columns="agents"), IV, ShiftRules())
    with pytest.raises(ValueError, match="phone"):
        schedule_requirements(frame, IV, {"chat": ShiftRules()})


# --- people per week ------------------------------------------------------------------

def test_patterns():
    assert days_off_patterns(5).shape == (21, 7) and (days_off_patterns(5).sum(axis=1) == 5).all()
    consecutive = days_off_patterns(5, "consecutive")
    assert sorted(map(tuple, np.argwhere(~consecutive)[:, 1].reshape(7, 2).tolist())) == sorted(
        [(0, 1), (1, 2), (2, 3), (3, 4), (4, 5), (5, 6), (0, 6)])
    with pytest.raises(FieldError) as info:
        days_off_patterns(8)
    assert info.value.field == "work_days_per_week"


@settings(max_examples=40, deadline=None)
@given(need=st.lists(st.integers(0, 30), min_size=7, max_size=7))
def test_any_two_days_off_meets_the_closed_form_and_covers_each_day(need):
    people = pattern_headcount(need, days_off_patterns(5))
    at_work = days_off_patterns(5).T.astype(int) @ people
    assert (at_work >= np.array(need)).all()
    # Baker: with any two days off, max(peak day, ceil(people-days / 5)) people suffice
    assert people.sum() == max(max(need), math.ceil(sum(need) / 5))


@settings(max_examples=15, deadline=None)
@given(need=st.lists(st.integers(0, 3), min_size=7, max_size=7))
def test_consecutive_days_off_matches_brute_force(need):
    patterns = days_off_patterns(5, "consecutive")
    people = pattern_headcount(need, patterns)
    assert (patterns.T.astype(int) @ people >= np.array(need)).all()
    best = min(sum(x) for x in itertools.product(range(4), repeat=7)
               if (patterns.T.astype(int) @ np.array(x) >= np.array(need)).all())
    assert people.sum() == best


def test_weekly_headcount_from_a_schedule_covers_each_day():
    schedule = schedule_requirements(requirement_frame(), IV, ShiftRules())
    roster = weekly_headcount(schedule.shifts)
    per_day = schedule.shifts.groupby(["queue", "date"])["agents"].sum()
    assert list(roster.weeks["week_start"].unique()) == [pd.Timestamp("2026-03-02")]
    for row in roster.weeks.itertuples():
        mine = per_day.loc[row.queue]
        assert row.people_days == mine.sum() and row.peak_day_shifts == mine.max()
        assert row.headcount == max(mine.max(), math.ceil(mine.sum() / 5))
        assert row.headcount >= row.headcount_7_5
        used = roster.patterns[roster.patterns["queue"] == row.queue]
        assert used["people"].sum() == row.headcount
        names = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
        for date, shifts in mine.items():
            day = names[date.day_of_week]
            at_work = used.loc[~used["days_off"].str.split("+").apply(lambda d: day in d),
                               "people"].sum()
            assert at_work >= shifts


def test_phone_closed_at_weekends_needs_no_weekend_people():
    days = pd.date_range("2026-03-02", periods=5, freq="D")
    shifts = pd.DataFrame({"date": days, "queue": "phone", "agents": 10})
    roster = weekly_headcount(shifts)
    assert roster.weeks["headcount"].tolist() == [10]
    assert roster.patterns["days_off"].tolist() == ["sat+sun"]


def test_roster_fte_against_hand_values():
    from staffing.schedules import roster_fte

    days = pd.DataFrame({"date": pd.to_datetime(["2026-03-02", "2026-03-02"]),
                         "queue": ["chat", "phone"], "required_agent_hours": [34.0, 60.0],
                         "paid_hours": [40.0, 60.0]})
    out = roster_fte(days, {"chat": 0.2, "phone": 0.25}, 8.0)
    # chat: 34 / 0.8 / 8 = 5.3125 and 40 / 0.8 / 8 = 6.25; phone: 60 / 0.75 / 8 = 10 both
    assert out["required_fte"].tolist() == pytest.approx([5.3125, 10.0])
    assert out["scheduled_fte"].tolist() == pytest.approx([6.25, 10.0])
    assert out["extra_fte"].tolist() == pytest.approx([0.9375, 0.0])
    with pytest.raises(ValueError, match="phone"):
        roster_fte(days, {"chat": 0.2})

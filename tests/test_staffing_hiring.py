"""staffing.hiring, staffing.cohorts and staffing.hire_or_rent: cohorts, the monthly path, hire vs rent."""
from __future__ import annotations

import calendar
import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from staffing.cohorts import DAYS_PER_MONTH, MAX_HORIZON_MONTHS, HiringRules
from staffing.errors import FieldError
from staffing.hire_or_rent import (HIRE_OR_RENT_COLUMNS, SEASON_CHOICE_COLUMNS,
                                   after_season_costs, hire_or_rent, season_choices,
                                   season_fte_by_month, season_spans)
from staffing.hiring import (COHORT_COLUMNS, PATH_COLUMNS, TARGET_COLUMNS, hiring_plan,
                             monthly_target_fte, next_hires)
from staffing.sources import Source

T = pd.Timestamp


def targets(values, queue="chat", start="2027-01"):
    months = pd.period_range(start, periods=len(values), freq="M")
    return pd.DataFrame({"month": months.strftime("%Y-%m"), "queue": queue,
                         "target_fte": np.asarray(values, float)})


def rules(**kwargs):
    # days_per_week = work_days_per_week = 5: one person is one FTE; 35/h x 8 h x 5/7 = 200 a day
    base = dict(headcount={"chat": 20}, hourly_cost=35.0, attrition_per_month=0.12,
                lead_time_days=60, training_weeks=4, productivity_ramp=(0.5, 0.75),
                paid_hours_per_fte_day=8.0, work_days_per_week=5, days_per_week=5)
    base.update(kwargs)
    return HiringRules(**base)


# --- the hand-computed cohort table -----------------------------------------------------
#
# 20 people today (1 FTE each), target 20 FTE every month Jan..Jul 2027, as_of 2027-01-01,
# 12% monthly attrition, 60-day lead time, 4 training weeks (28 days), ramp 0.5 then 0.75.
#
# Earliest productive day: Jan 1 + 60 + 28 = Mar 30 -> the first month start after: Apr 1.
# Current team, x0.88 at each month start after January:
#   Jan 20, Feb 17.6, Mar 15.488, Apr 13.62944, May 11.9939072, Jun 10.554638336,
#   Jul 9.28808173568
# Jan..Mar cannot be reached by a hire decided today: gaps 0, 2.4, 4.512 (overflow's).
# April: gap 20 - 13.62944 = 6.37056. A cohort productive Apr 1 starts Apr 1 - 28 = Mar 4
#   (decide by Mar 4 - 60 days = Jan 3), joins in March, and gives in April
#   0.88 (one attrition) x 0.5 (ramp month 1) = 0.44 FTE a head: 6.37056 / 0.44 = 14.48 -> 15.
#   Cohort 1 heads: Mar 15, Apr 13.2, May 11.616, Jun 10.22208, Jul 8.9954304
#   April productive = 13.62944 + 13.2 x 0.5 = 20.22944
# May:  11.9939072 + 11.616 x 0.75 = 20.7059072            >= 20, no hire
# June: 10.554638336 + 10.22208 x 1 = 20.776718336         >= 20, no hire
# July: 9.28808173568 + 8.9954304 = 18.28351213568: gap 1.71648786432. A cohort productive
#   Jul 1 starts Jun 3 (decide by Apr 4), gives 0.88 x 0.5 = 0.44 a head: 3.90 -> 4.
#   July productive = 18.28351213568 + 4 x 0.44 = 20.04351213568
# Cohort cost at 200 a person-day:
#   cohort 1: Mar 4-31 28 d x 15 = 420; Apr 30 x 13.2 = 396; May 31 x 11.616 = 360.096;
#             Jun 30 x 10.22208 = 306.6624; Jul 31 x 8.9954304 = 278.8583424
#             = 1761.6167424 person-days x 200 = 352323.34848
#   cohort 2: Jun 3-30 28 d x 4 = 112; Jul 31 x 3.52 = 109.12 = 221.12 x 200 = 44224
COHORT_TABLE = [
    # cohort, decide_by, start, people, productive_from, cost
    (1, "2027-01-03", "2027-03-04", 15, "2027-04-01", 352323.34848),
    (2, "2027-04-04", "2027-06-03", 4, "2027-07-01", 44224.0),
]
PATH_TABLE = [
    # month, headcount, starts, trainees, leavers, productive_fte, gap_fte, reachable, cost
    ("2027-01", 20.0, 0, 0, 0.0, 20.0, 0.0, False, 20 * 31 * 200),
    ("2027-02", 17.6, 0, 0, 2.4, 17.6, 2.4, False, 17.6 * 28 * 200),
    # March: 15.488 current + 15 trainees from Mar 4; leavers 17.6 x 0.12 = 2.112
    ("2027-03", 30.488, 15, 15, 2.112, 15.488, 4.512, False, (15.488 * 31 + 15 * 28) * 200),
    # April: leavers 15.488 x 0.12 + 15 x 0.12 = 1.85856 + 1.8 = 3.65856
    ("2027-04", 26.82944, 0, 0, 3.65856, 20.22944, 0.0, True, 26.82944 * 30 * 200),
    ("2027-05", 23.6099072, 0, 0, 26.82944 * 0.12, 20.7059072, 0.0, True,
     23.6099072 * 31 * 200),
    # June: 10.554638336 + 10.22208 + 4 new trainees from Jun 3 (28 days)
    ("2027-06", 24.776718336, 4, 4, 23.6099072 * 0.12, 20.776718336, 0.0, True,
     (20.776718336 * 30 + 4 * 28) * 200),
    ("2027-07", 21.80351213568, 0, 0, 24.776718336 * 0.12, 20.04351213568, 0.0, True,
     21.80351213568 * 31 * 200),
]


def test_cohorts_match_the_hand_computed_table():
    plan = hiring_plan(targets([20.0] * 7), rules(), "2027-01-01")
    assert list(plan.cohorts.columns) == COHORT_COLUMNS
    assert plan.first_productive == T("2027-04-01")
    got = plan.cohorts
    assert got["queue"].tolist() == ["chat", "chat"]
    for row, (number, decide_by, start, people, productive_from, cost) in zip(
            got.itertuples(), COHORT_TABLE):
        assert (row.cohort, row.decide_by, row.start, row.people, row.productive_from) == (
            number, T(decide_by), T(start), people, T(productive_from))
        assert row.cost == pytest.approx(cost, rel=1e-12)


def test_monthly_path_matches_the_hand_computed_table():
    path = hiring_plan(targets([20.0] * 7), rules(), "2027-01-01").path
    assert list(path.columns) == PATH_COLUMNS
    for row, expected in zip(path.itertuples(), PATH_TABLE):
        month, headcount, starts, trainees, leavers, productive, gap, reachable, cost = expected
        assert row.month == month and row.target_fte == 20.0
        assert row.hire_reachable == reachable
        assert (row.headcount, row.starts, row.trainees, row.leavers, row.productive_fte,
                row.gap_fte, row.cost) == pytest.approx(
            (headcount, starts, trainees, leavers, productive, gap, cost), rel=1e-10, abs=1e-9)
    assert plan_total(path) == pytest.approx(sum(r[-1] for r in PATH_TABLE))


def plan_total(path):
    return float(path["cost"].sum())


def test_month_zero_is_paid_from_as_of_and_fte_per_person_converts_people():
    # 14 people working 5 of 7 days are 10 FTE; as_of Jan 15 -> 17 days paid in January;
    # 30/h x 8 h x 5/7 a calendar day
    r = HiringRules({"chat": 14}, hourly_cost=30.0, attrition_per_month=0.0, lead_time_days=0,
                    training_weeks=0, productivity_ramp=())
    plan = hiring_plan(targets([10.0, 10.0]), r, "2027-01-15")
    assert plan.path["productive_fte"].tolist() == pytest.approx([10.0, 10.0])
    assert plan.path["cost"].tolist() == pytest.approx([14 * 17 * 30 * 8 * 5 / 7,
                                                        14 * 28 * 30 * 8 * 5 / 7])
    assert plan.cohorts.empty


def test_mid_month_as_of_and_a_cohort_trained_across_months():
    # as_of Jan 15, lead 10 days, training 2 weeks: ready Feb 8 -> productive Mar 1,
    # start Mar 1 - 14 = Feb 15, decide by Feb 5. No attrition, no ramp: 3 FTE short in
    # March -> 3 people; they are paid Feb 15-28 (14 days) as trainees.
    r = rules(headcount={"chat": 5}, attrition_per_month=0.0, lead_time_days=10,
              training_weeks=2, productivity_ramp=())
    plan = hiring_plan(targets([5.0, 5.0, 8.0, 8.0]), r, "2027-01-15")
    row = plan.cohorts.iloc[0]
    assert (row.decide_by, row.start, row.productive_from, row.people) == (
        T("2027-02-05"), T("2027-02-15"), T("2027-03-01"), 3)
    assert row.cost == pytest.approx((3 * 14 + 3 * 31 + 3 * 30) * 200)
    feb = plan.path.iloc[1]
    assert (feb.trainees, feb.starts, feb.headcount, feb.productive_fte) == (3, 3, 8, 5)


def test_zero_attrition_flat_target_needs_no_hires():
    plan = hiring_plan(targets([20.0] * 18), rules(attrition_per_month=0.0), "2027-01-01")
    assert plan.cohorts.empty
    assert (plan.path["headcount"] == 20).all() and (plan.path["leavers"] == 0).all()
    assert (plan.path["gap_fte"] == 0).all()


def test_no_hire_reaches_the_path_and_every_month_keeps_its_gap():
    plan = hiring_plan(targets([25.0] * 3), rules(lead_time_days=120), "2027-01-01")
    assert plan.first_productive is None and plan.cohorts.empty
    assert not plan.path["hire_reachable"].any()
    # 20, 17.6, 15.488 people against 25 FTE
    assert plan.path["gap_fte"].tolist() == pytest.approx([5.0, 7.4, 9.512])


def test_several_queues_and_next_hires():
    r = rules(headcount={"chat": 20, "email": 4})
    frame = pd.concat([targets([20.0] * 7), targets([4.0, 4, 4, 10, 10, 10, 10], "email")])
    plan = hiring_plan(frame, r, "2027-01-01")
    assert set(plan.path["queue"]) == {"chat", "email"} and len(plan.path) == 14
    # email in April: 4 x 0.88^3 = 2.725888 people left; gap 7.274112 / 0.44 = 16.53 -> 17
    email = plan.cohorts[plan.cohorts["queue"] == "email"]
    assert email.iloc[0]["people"] == 17
    hires = next_hires(plan)
    assert hires["queue"].tolist() == ["chat", "email"]
    assert hires["people"].tolist() == [15, 17]
    assert (hires["decide_by"] == T("2027-01-03")).all()


def test_horizon_cuts_longer_targets_and_ignores_months_before_as_of():
    frame = targets([20.0] * 30, start="2026-10")
    plan = hiring_plan(frame, rules(attrition_per_month=0.0), "2027-01-10", horizon_months=4)
    assert plan.path["month"].tolist() == ["2027-01", "2027-02", "2027-03", "2027-04"]
    with pytest.raises(FieldError) as err:
        hiring_plan(frame, rules(), "2027-01-10")  # 27 months of targets from January
    assert err.value.field == "horizon_months"


# --- properties -------------------------------------------------------------------------

def reference_path(target, r: HiringRules, as_of: dt.date, cohorts):
    """The documented model in plain loops over calendar months, for one queue.

    ``cohorts``: (start date, productive_from date, people). Returns per month
    (headcount, productive FTE, leavers, cost).
    """
    a, per_person = r.attrition_per_month, r.work_days_per_week / r.days_per_week
    pay = r.hourly_cost * r.paid_hours_per_fte_day * r.work_days_per_week / 7
    y, mo = as_of.year, as_of.month
    months = []
    for _ in range(len(target)):
        months.append(dt.date(y, mo, 1))
        y, mo = (y + 1, 1) if mo == 12 else (y, mo + 1)

    def index(day):
        return (day.year - months[0].year) * 12 + day.month - months[0].month

    groups = [(0, as_of, None, float(r.headcount["chat"]))]
    groups += [(index(s), s, index(p), float(n)) for s, p, n in cohorts]
    out = []
    for m, first in enumerate(months):
        last = calendar.monthrange(first.year, first.month)[1]
        heads = prod = leavers = cost = 0.0
        for join, paid_from, productive, n in groups:
            if m < join:
                continue
            people = n * (1 - a) ** (m - join)
            if m > join:
                leavers += n * (1 - a) ** (m - 1 - join) * a
            if productive is None:
                factor = 1.0
            elif m < productive:
                factor = 0.0
            else:
                k = m - productive
                factor = r.productivity_ramp[k] if k < len(r.productivity_ramp) else 1.0
            heads += people
            prod += people * factor * per_person
            days = last - (max(first, paid_from) - first).days
            cost += people * days * pay
        out.append((heads, prod, leavers, cost))
    return out


ramps = st.lists(st.floats(0.05, 1.0), max_size=4).map(lambda xs: tuple(sorted(xs)))


@settings(max_examples=150, deadline=None)
@given(target=st.lists(st.floats(0.0, 80.0), min_size=1, max_size=MAX_HORIZON_MONTHS),
       headcount=st.integers(0, 60), attrition=st.floats(0.0, 0.4),
       lead=st.integers(0, 200), training=st.sampled_from([0, 1, 2, 3.5, 4, 6, 8, 13]),
       ramp=ramps, work_days=st.sampled_from([4, 5, 6]), days=st.sampled_from([5, 6, 7]),
       as_of=st.dates(dt.date(2026, 1, 1), dt.date(2028, 12, 31)))
def test_reachable_months_meet_their_target_and_the_path_follows_the_model(
        target, headcount, attrition, lead, training, ramp, work_days, days, as_of):
    r = HiringRules({"chat": headcount}, hourly_cost=30.0, attrition_per_month=attrition,
                    lead_time_days=lead, training_weeks=training, productivity_ramp=ramp,
                    work_days_per_week=work_days, days_per_week=days)
    start = pd.Period(as_of, freq="M")
    plan = hiring_plan(targets(target, start=str(start)), r, as_of)
    path, cohorts = plan.path, plan.cohorts
    reachable = path["hire_reachable"].to_numpy()
    # the goal: no month below target once the first cohort can be productive
    assert (path["productive_fte"][reachable] >= path["target_fte"][reachable] - 1e-6).all()
    assert (path["gap_fte"][reachable] <= 1e-6).all()
    # reachability starts at as_of + lead + training, rounded up to a month start
    ready = T(as_of) + pd.Timedelta(days=lead + round(training * 7))
    first = ready if ready.day == 1 else (ready + pd.offsets.MonthBegin(1))
    months = pd.to_datetime(path["month"], format="%Y-%m")
    assert (reachable == (months >= first).to_numpy()).all()
    # people never negative; attrition each month on last month's payroll
    for col in ("headcount", "trainees", "leavers", "starts"):
        assert (path[col] >= -1e-12).all()
    assert (path["trainees"] <= path["headcount"] + 1e-9).all()
    heads, leavers = path["headcount"].to_numpy(), path["leavers"].to_numpy()
    assert leavers[0] == 0
    assert leavers[1:] == pytest.approx(attrition * heads[:-1], rel=1e-9, abs=1e-9)
    assert heads[1:] == pytest.approx(heads[:-1] - leavers[1:] + path["starts"].to_numpy()[1:],
                                      rel=1e-9, abs=1e-9)
    # cohort dates follow the rules
    for c in cohorts.itertuples():
        assert c.decide_by >= T(as_of) and c.people >= 1
        assert (c.start - c.decide_by).days == lead
        assert (c.productive_from - c.start).days == round(training * 7)
        assert c.productive_from.day == 1 and c.productive_from >= first
    # an independent loop over the documented model gives the same path
    ref = reference_path(target, r, as_of, [(c.start.date(), c.productive_from.date(), c.people)
                                            for c in cohorts.itertuples()])
    got = path[["headcount", "productive_fte", "leavers", "cost"]].to_numpy()
    assert got == pytest.approx(np.array(ref), rel=1e-9, abs=1e-6)
    # the path's payroll is the current team's plus each cohort's
    current = sum(row[3] for row in reference_path(target, r, as_of, []))
    assert path["cost"].sum() == pytest.approx(current + cohorts["cost"].sum(), rel=1e-9)
    # each cohort is the fewest people: one fewer leaves its first month short
    per_person = work_days / days
    for c in cohorts.itertuples():
        m = int(np.flatnonzero(months == c.productive_from)[0])
        joined = (c.productive_from.year - c.start.year) * 12 + (
            c.productive_from.month - c.start.month)
        one = per_person * (1 - attrition) ** joined * (ramp[0] if ramp else 1.0)
        assert path["productive_fte"][m] - one < path["target_fte"][m] - 1e-9


# --- targets ----------------------------------------------------------------------------

def daily_frame():
    # Jan 2027: 4 normal days 1, 2, 3, 4 and a flash sale at 20; Feb: all holiday_peak
    dates = list(pd.date_range("2027-01-01", periods=5)) + list(pd.date_range("2027-02-01",
                                                                              periods=2))
    return pd.DataFrame({"date": dates, "queue": "chat",
                         "required_fte": [1.0, 2.0, 3.0, 4.0, 20.0, 30.0, 40.0],
                         "regime": ["normal"] * 4 + ["flash_sale"] + ["holiday_peak"] * 2})


def test_monthly_target_normal_percentile_and_its_fallback():
    out = monthly_target_fte(daily_frame(), percentile=0.5)
    assert list(out.columns) == TARGET_COLUMNS
    # January: median of the normal days 1..4 = 2.5; February has no normal day: the
    # median of every normal day in the frame, 2.5 again (not the season's 35)
    assert out["month"].tolist() == ["2027-01", "2027-02"]
    assert out["target_fte"].tolist() == [2.5, 2.5]
    # numpy linear quantile of 1..4 at 0.9: 1 + 0.9 x 3 = 3.7
    assert monthly_target_fte(daily_frame(), percentile=0.9)["target_fte"].tolist() == [3.7, 3.7]


def test_monthly_target_other_methods():
    frame = daily_frame()
    # percentile over all days: January 1,2,3,4,20 at 0.5 -> 3; February 30,40 -> 35
    assert monthly_target_fte(frame, "percentile", 0.5)["target_fte"].tolist() == [3.0, 35.0]
    # mean: January 30 / 5 = 6; February 35
    assert monthly_target_fte(frame, "mean")["target_fte"].tolist() == [6.0, 35.0]
    core = pd.Series({"chat": 9.4})
    assert monthly_target_fte(frame, "core", core=core)["target_fte"].tolist() == [9.4, 9.4]
    # rounded up to a tenth: 1.01, 1.02 at 1.0 -> 1.1
    small = frame.iloc[:2].assign(required_fte=[1.01, 1.02])
    assert monthly_target_fte(small, percentile=1.0)["target_fte"].tolist() == [1.1]


def test_season_fte_by_month_keeps_the_fte_days_above_core():
    plan = pd.DataFrame({"date": pd.date_range("2027-11-29", periods=4), "queue": "chat",
                         "required_fte": [12.0, 8.0, 15.0, 10.0], "core_fte": 10.0})
    # above core: Nov 29 2, Nov 30 0, Dec 1 5, Dec 2 0. The plan starts Nov 29: November
    # counts 2 days -> 2 / 2 = 1; December 31 days -> 5 / 31 (x 31 days = the 5 FTE-days)
    out = season_fte_by_month(plan)
    assert out["month"].tolist() == ["2027-11", "2027-12"]
    assert out["target_fte"].tolist() == pytest.approx([1.0, 5 / 31])
    # a season Dec 1..Dec 31 leaves November out
    inside = season_fte_by_month(plan, start="2027-12-01", end="2027-12-31")
    assert inside["target_fte"].tolist() == pytest.approx([0.0, 5 / 31])


def test_season_spans_merge_short_gaps():
    regimes = ["normal", "holiday_peak", "holiday_peak", "normal", "holiday_peak"] + \
        ["normal"] * 5 + ["holiday_peak"]
    daily = pd.DataFrame({"date": pd.date_range("2027-11-01", periods=11), "regime": regimes})
    # a 1-day gap is merged (Nov 2..5); the 5-day gap is not at merge_gap_days = 4
    assert season_spans(daily, merge_gap_days=4) == [(T("2027-11-02"), T("2027-11-05")),
                                                     (T("2027-11-11"), T("2027-11-11"))]
    assert season_spans(daily, merge_gap_days=5) == [(T("2027-11-02"), T("2027-11-11"))]
    assert season_spans(daily, "flash_sale") == []


# --- hire or rent -----------------------------------------------------------------------
#
# Core 10 people, 10% attrition, 30-day lead, 4 training weeks, ramp 0.5 for month 1,
# one person = 1 FTE at 200 a day; as_of 2027-01-01; the season needs 10 FTE in November
# and December 2027 (months 10 and 11). Earliest productive: Jan 1 + 58 = Feb 28 -> Mar 1.
# Hire, productive Nov 1 (start Oct 4, joins October): a head gives Nov 0.9 x 0.5 = 0.45,
#   Dec 0.81 x 1 -> max(ceil(10/0.45) = 23, ceil(10/0.81) = 13) = 23 people.
#   Payroll: Oct 28 d x 23 = 644, Nov 30 x 20.7 = 621, Dec 31 x 18.63 = 577.53
#   = 1842.53 person-days x 200 = 368506; release 18.63 x 1000 = 18630 -> 387136.
# Hire, productive Oct 1 (start Sep 3, decide by Aug 4): Nov 0.81 x 1 -> 13, Dec 0.729 -> 14.
#   Payroll: Sep 28 d x 14 = 392, Oct 31 x 12.6 = 390.6, Nov 30 x 11.34 = 340.2,
#   Dec 31 x 10.206 = 316.386 = 1439.186 x 200 = 287837.2; release 10.206 x 1000 = 10206
#   -> 298043.2, the cheaper try. Absorbing 10.206 into a core of 10 instead: surplus
#   9.1854-1, ... costs far more than 10206 (see test_after_season_costs), so release.
# Rent: 610 FTE-days of work x 1.1 quality = 671 partner FTE-days x 8 h x hourly + 1500.
#   hourly 20 -> 107360 + 1500 = 108860 (rent); hourly 60 -> 322080 + 1500 = 323580 (hire).
SEASON = targets([0.0] * 10 + [10.0, 10.0])


def season_rules(**kwargs):
    return rules(headcount={"chat": 10}, attrition_per_month=0.1, lead_time_days=30,
                 productivity_ramp=(0.5,), **kwargs)


@pytest.mark.parametrize("hourly, rent, choice", [(20.0, 108860.0, "rent"),
                                                  (60.0, 323580.0, "hire")])
def test_hire_or_rent_matches_the_hand_computed_costs(hourly, rent, choice):
    partner = Source("nearshore", hourly, lead_time_days=21, activation_cost=1500.0,
                     quality_factor=1.1)
    out = hire_or_rent(SEASON, season_rules(), partner, "2027-01-01",
                       release_cost_per_person=1000.0)
    assert list(out.columns) == HIRE_OR_RENT_COLUMNS
    row = out.iloc[0]
    assert (row.season_start, row.season_end) == (T("2027-11-01"), T("2027-12-31"))
    assert row.season_fte_days == pytest.approx(610.0)
    assert (row.hire_people, row.hire_start, row.hire_decide_by, row.hire_productive_from) == (
        14, T("2027-09-03"), T("2027-08-04"), T("2027-10-01"))
    assert row.hire_payroll_cost == pytest.approx(287837.2)
    assert (row.hire_after_season, row.hire_after_season_cost) == ("release",
                                                                  pytest.approx(10206.0))
    assert row.hire_cost == pytest.approx(298043.2)
    assert row.hire_rented_fte_days == 0 and row.hire_uncovered_fte_days == 0
    assert row.rent_cost == pytest.approx(rent)
    assert row.rent_fte_days == pytest.approx(610.0) and row.rent_uncovered_fte_days == 0
    assert row.rent_notice_by == T("2027-10-11")  # Nov 1 - 21 days
    assert row.choice == choice


def test_after_season_costs():
    # 3 left, core of 10, 10% attrition: S1 = 2.7 - 1 = 1.7, S2 = 1.53 - 1 = 0.53,
    # S3 = 0.477 - 1 < 0 -> 0: 2.23 person-months x 30.4375 days x 200 a day
    r = season_rules()
    release, absorb = after_season_costs(3.0, 10.0, r, 1000.0)
    assert release == 3000.0
    assert absorb == pytest.approx(2.23 * DAYS_PER_MONTH * 200)
    # nobody ever leaves: the surplus is never absorbed
    assert after_season_costs(3.0, 10.0, rules(attrition_per_month=0.0), 0.0)[1] == math.inf


def test_rent_lead_time_cap_and_ramp():
    # January 2027, 5 FTE; the partner is reachable from Jan 11 (10-day lead): 21 days x 5
    # = 105 covered, 10 x 5 = 50 uncovered; cap 4 FTE at quality 1 -> 21 x 4 = 84 covered,
    # 155 - 84 = 71 uncovered. Ramp 1.5, 1.2: paid 84 + 4 x (0.5 + 0.2) = 86.8 FTE-days
    # x 8 h x 20 = 13888 + activation 100.
    partner = Source("p", 20.0, lead_time_days=10, max_fte=4.0, activation_cost=100.0,
                     ramp=(1.5, 1.2))
    row = hire_or_rent(targets([5.0]), season_rules(), partner, "2027-01-01").iloc[0]
    assert row.rent_fte_days == pytest.approx(84.0)
    assert row.rent_uncovered_fte_days == pytest.approx(71.0)
    assert row.rent_cost == pytest.approx(86.8 * 8 * 20 + 100)
    assert row.rent_notice_by == T("2027-01-01")
    # no cohort reaches January: the hire option cannot be had
    assert math.isnan(row.hire_cost) and row.choice == "rent"


def test_hire_option_rents_the_months_it_cannot_reach():
    # need 10 FTE Jan..Jun; cohorts can work from March: January and February are rented
    # (31 + 28 days x 10 = 590 FTE-days of work) inside the hire option
    partner = Source("p", 20.0)
    row = hire_or_rent(targets([10.0] * 6), season_rules(), partner, "2027-01-01",
                       release_cost_per_person=0.0).iloc[0]
    assert row.hire_productive_from == T("2027-03-01")
    assert row.hire_rented_fte_days == pytest.approx(590.0)
    assert row.hire_uncovered_fte_days == 0


def test_a_partner_that_does_not_serve_the_queue():
    partner = Source("offshore", 10.0, queues=("email",))
    row = hire_or_rent(SEASON, season_rules(), partner, "2027-01-01").iloc[0]
    assert math.isnan(row.rent_cost) and row.choice == "hire"
    assert row.rent_uncovered_fte_days == pytest.approx(610.0)


def test_season_choices_prices_each_season_against_each_partner():
    # 2027-01-01 .. 2029-01-31 daily; holiday_peak Nov 15 - Dec 31 in 2027 and 2028; on those
    # days the requirement is 10 FTE above a core of 5. The 2028 season ends in month 23
    # from January 2027, past the 18-month path: left out.
    dates = pd.date_range("2027-01-01", "2029-01-31")
    peak = ((dates.month == 11) & (dates.day >= 15)) | (dates.month == 12)
    daily = pd.DataFrame({"date": dates, "queue": "chat",
                          "regime": np.where(peak, "holiday_peak", "normal")})
    plan = daily.assign(core_fte=5.0, required_fte=np.where(peak, 15.0, 4.0))
    partners = [Source("inhouse", 36.0, inhouse=True), Source("cheap", 20.0)]
    out = season_choices(daily, plan, season_rules(), partners, "2027-01-01")
    assert list(out.columns) == SEASON_CHOICE_COLUMNS + HIRE_OR_RENT_COLUMNS
    assert out[["season", "partner", "queue"]].values.tolist() == [[1, "cheap", "chat"]]
    row = out.iloc[0]
    # 16 days of November + 31 of December at 10 FTE = 470 FTE-days; x 8 h x 20 = 75200
    assert (row.season_start, row.season_end) == (T("2027-11-01"), T("2027-12-31"))
    assert row.season_fte_days == pytest.approx(470.0)
    assert row.rent_cost == pytest.approx(75200.0) and row.choice == "rent"


# --- errors -----------------------------------------------------------------------------

@pytest.mark.parametrize("kwargs, field", [
    ({"headcount": {"chat": -1}}, "headcount"),
    ({"headcount": {"chat": float("nan")}}, "headcount"),
    ({"headcount": [20]}, "headcount"),
    ({"hourly_cost": -5.0}, "hourly_cost"),
    ({"attrition_per_month": 1.0}, "attrition_per_month"),
    ({"attrition_per_month": 12}, "attrition_per_month"),
    ({"lead_time_days": -1}, "lead_time_days"),
    ({"lead_time_days": 1.5}, "lead_time_days"),
    ({"training_weeks": -2}, "training_weeks"),
    ({"productivity_ramp": (0.0, 0.5)}, "productivity_ramp"),
    ({"productivity_ramp": (0.9, 0.5)}, "productivity_ramp"),
    ({"productivity_ramp": (1.5,)}, "productivity_ramp"),
    ({"paid_hours_per_fte_day": 0}, "paid_hours_per_fte_day"),
    ({"work_days_per_week": 8}, "work_days_per_week"),
    ({"days_per_week": 0}, "days_per_week"),
])
def test_hiring_rules_name_the_bad_field(kwargs, field):
    with pytest.raises(FieldError) as err:
        rules(**kwargs)
    assert err.value.field == field
    assert str(err.value).startswith(f"{field}: expected")


def test_headcount_error_names_the_queue():
    with pytest.raises(FieldError) as err:
        rules(headcount={"chat": 20, "email": -3})
    assert (err.value.field, err.value.owner, err.value.value) == ("headcount", "email", -3)


def test_ramp_list_is_kept_as_a_tuple():
    assert rules(productivity_ramp=[0.5, 0.8]).productivity_ramp == (0.5, 0.8)


def test_plan_errors_name_the_argument():
    with pytest.raises(FieldError) as err:  # a queue with no headcount
        hiring_plan(targets([5.0], "email"), rules(), "2027-01-01")
    assert (err.value.field, err.value.owner) == ("headcount", "email")
    gappy = targets([5.0, 5.0, 5.0]).drop(index=1)
    with pytest.raises(FieldError) as err:
        hiring_plan(gappy, rules(), "2027-01-01")
    assert (err.value.field, err.value.owner, err.value.value) == (
        "target_fte_by_month", "chat", ["2027-02"])
    with pytest.raises(FieldError) as err:
        hiring_plan(targets([-1.0]), rules(), "2027-01-01")
    assert err.value.field == "target_fte_by_month"
    with pytest.raises(FieldError) as err:
        hiring_plan(targets([5.0]), rules(), "2027-01-01", horizon_months=19)
    assert err.value.field == "horizon_months"
    with pytest.raises(FieldError) as err:
        hiring_plan(targets([5.0]).rename(columns={"target_fte": "fte"}), rules(), "2027-01-01")
    assert err.value.field == "target_fte_by_month"
    with pytest.raises(FieldError) as err:
        monthly_target_fte(daily_frame(), method="median")
    assert err.value.field == "method"
    with pytest.raises(FieldError) as err:
        hire_or_rent(SEASON, season_rules(), Source("p", 1.0), "2027-01-01",
                     after_season="keep")
    assert err.value.field == "after_season"
    with pytest.raises(FieldError) as err:
        hire_or_rent(SEASON, season_rules(), Source("p", 1.0), "2027-01-01",
                     release_cost_per_person=-1.0)
    assert err.value.field == "release_cost_per_person"

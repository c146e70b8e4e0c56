"""staffing.costs: scenario costs add up, hand-computed on a tiny plan."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from staffing.costs import (COST_COLUMNS, CostInputs, Scenario, plan_scenario, scenario_costs,
                            standard_scenarios)
from staffing.plan import CorePolicy
from staffing.sources import Source

D0 = pd.Timestamp("2026-01-01")
TEAM = Source("Team", hourly_cost=30, inhouse=True)
PARTNER = Source("P", hourly_cost=50, activation_cost=1000)


def daily(required=(2.0, 5.0), volume=(100.0, 300.0), queue="chat"):
    return pd.DataFrame({"date": pd.date_range(D0, periods=len(required)), "queue": queue,
                         "volume": list(volume), "required_fte": list(required),
                         "regime": "normal"})


def cost(frame, sources, scenario, **kw):
    out, _ = scenario_costs(frame, [scenario], CostInputs(tuple(sources), as_of=D0, **kw))
    assert list(out.columns) == COST_COLUMNS
    return out.iloc[0]


def test_inhouse_core_plus_partner_overflow_hand_computed():
    row = cost(daily(), [TEAM, PARTNER],
               Scenario("mix", "Team", CorePolicy(percentile=0.0), ("P",)))
    # core = 0th percentile of [2, 5] = 2 FTE; 2 FTE x 2 days x 8 h x 30 = 960
    assert row["core_fte"] == 2.0
    assert row["core_cost"] == pytest.approx(960.0)
    # day 2 needs 5 - 2 = 3 FTE of P: 3 x 8 h x 50 = 1200; one window -> 1000
    assert row["overflow_cost"] == pytest.approx(1200.0)
    assert row["activation_cost"] == pytest.approx(1000.0)
    assert row["overtime_cost"] == 0.0
    assert row["total_cost"] == pytest.approx(3160.0)       # 960 + 1200 + 1000
    assert row["cost_per_ticket"] == pytest.approx(7.9)     # 3160 / (100 + 300)
    assert row["understaffed_hours"] == 0.0 and row["idle_hours"] == 0.0
    assert (row["core_source"], row["overflow_sources"]) == ("Team", "P")


def test_all_inhouse_sized_for_peak_hand_computed():
    row = cost(daily(), [TEAM, PARTNER], Scenario("peak", "Team", CorePolicy("peak")))
    assert row["core_cost"] == pytest.approx(2400.0)  # 5 FTE x 2 days x 8 h x 30
    assert row["idle_hours"] == pytest.approx(24.0)   # day 1: (5 - 2) FTE x 8 h
    assert row["total_cost"] == pytest.approx(2400.0)


def test_all_partner_steady_state_ignores_lead_time_and_activation():
    slow = Source("P", hourly_cost=50, activation_cost=1000, lead_time_days=30)
    row = cost(daily(), [TEAM, slow],
               Scenario("all P", None, CorePolicy("fixed"), ("P",), steady_state=True))
    # (2 + 5) FTE-days x 8 h x 50 = 2800; standing contract: no activation, no lead time
    assert row["core_cost"] == 0.0 and row["core_fte"] == 0.0
    assert row["overflow_cost"] == pytest.approx(2800.0)
    assert row["activation_cost"] == 0.0 and row["understaffed_hours"] == 0.0
    assert row["total_cost"] == pytest.approx(2800.0)


def test_overtime_premium_hand_computed():
    policy = CorePolicy(percentile=0.0, overtime_fraction=0.5, overtime_premium=1.5)
    cheap_call = Source("P", hourly_cost=50, activation_cost=100)
    row = cost(daily(), [TEAM, cheap_call], Scenario("ot", "Team", policy, ("P",)))
    # core 2, overtime up to 1: day 2 -> 1 FTE overtime, 2 FTE overflow
    assert row["overtime_cost"] == pytest.approx(360.0)   # 1 x 8 h x 30 x 1.5
    assert row["overflow_cost"] == pytest.approx(800.0)   # 2 x 8 h x 50
    assert row["total_cost"] == pytest.approx(960 + 360 + 800 + 100)


def test_a_window_not_worth_its_fee_goes_to_overtime_when_that_is_cheaper():
    policy = CorePolicy(percentile=0.0, overtime_fraction=0.5, overtime_premium=1.5)
    row = cost(daily(), [TEAM, PARTNER], Scenario("ot", "Team", policy, ("P",)))
    # the window brings 2 FTE x 8 h x 50 = 800 of labour for a 1000 fee; as overtime the
    # 2 FTE cost 2 x 8 h x 30 x 1.5 = 720 < 1800: no call, 3 FTE of overtime on day 2
    assert row["activation_cost"] == 0.0 and row["overflow_cost"] == 0.0
    assert row["overtime_cost"] == pytest.approx(1080.0)  # (1 + 2) x 8 h x 30 x 1.5
    assert row["total_cost"] == pytest.approx(960 + 1080)
    assert row["understaffed_hours"] == 0.0


def test_a_window_not_worth_its_fee_stays_when_overtime_costs_more():
    policy = CorePolicy(percentile=0.0, overtime_fraction=0.5, overtime_premium=3.0)
    cheap = Source("P", hourly_cost=10, activation_cost=500)
    row = cost(daily(), [TEAM, cheap], Scenario("ot", "Team", policy, ("P",)))
    # labour 2 x 8 h x 10 = 160 < fee 500, but overtime 2 x 8 h x 30 x 3 = 1440 > 660
    assert row["activation_cost"] == pytest.approx(500.0)
    assert row["overflow_cost"] == pytest.approx(160.0)
    assert row["overtime_cost"] == pytest.approx(720.0)   # 1 x 8 h x 30 x 3


def test_a_window_not_worth_its_fee_moves_to_a_partner_without_one():
    # B is cheaper per hour and called first: 3 FTE x 8 h x 15 = 360 of labour for a 1000
    # fee. A, dearer per hour but with no fee, takes the same work for 3 x 8 x 20 = 480.
    a = Source("A", hourly_cost=20, activation_cost=0.0)
    b = Source("B", hourly_cost=15, activation_cost=1000.0)
    row = cost(daily(), [TEAM, a, b], Scenario("s", "Team", CorePolicy(percentile=0.0),
                                               ("A", "B")))
    assert row["activation_cost"] == 0.0 and row["overtime_cost"] == 0.0
    assert row["overflow_cost"] == pytest.approx(480.0)
    assert row["total_cost"] == pytest.approx(960 + 480)


def test_a_window_not_worth_its_fee_goes_to_overtime_past_its_fraction_when_cheaper():
    # A (capped at 2 FTE) and B share day 2's 3 FTE above the core; B's 1 FTE brings
    # 1 x 8 h x 20 = 160 of labour for a 1000 fee. Without B nobody else can take it, so
    # the core works it as overtime (past overtime_fraction 0: a short bump), 360 < 1160.
    a = Source("A", hourly_cost=15, max_fte=2.0, activation_cost=0.0)
    b = Source("B", hourly_cost=20, activation_cost=1000.0)
    row = cost(daily(), [TEAM, a, b], Scenario("s", "Team", CorePolicy(percentile=0.0),
                                               ("A", "B")))
    assert row["activation_cost"] == 0.0
    assert row["overflow_cost"] == pytest.approx(240.0)   # A: 2 x 8 h x 15
    assert row["overtime_cost"] == pytest.approx(360.0)   # 1 x 8 h x 30 x 1.5
    assert row["understaffed_hours"] == 0.0


def test_a_window_stays_when_no_core_can_work_it():
    row = cost(daily(), [TEAM, PARTNER], Scenario("s", "Team", CorePolicy("fixed"), ("P",)))
    # no core: the partner's (2 + 5) FTE-days bring 2,800 of labour for its 1,000 fee anyway
    assert row["activation_cost"] == pytest.approx(1000.0)


def test_lead_time_shortfall_is_understaffed_hours():
    slow = Source("P", hourly_cost=50, activation_cost=1000, lead_time_days=5)
    row = cost(daily(), [TEAM, slow], Scenario("late", "Team", CorePolicy(percentile=0.0),
                                               ("P",)))
    # day 2 (01-02) is before 01-01 + 5 days: 3 FTE x 8 h = 24 h uncovered, nothing bought
    assert row["understaffed_hours"] == pytest.approx(24.0)
    assert row["overflow_cost"] == 0.0 and row["activation_cost"] == 0.0
    assert row["total_cost"] == pytest.approx(960.0)


def test_paid_hours_scale_costs():
    scenario = Scenario("mix", "Team", CorePolicy(percentile=0.0), ("P",))
    partner = Source("P", hourly_cost=50, activation_cost=100)  # worth its fee at 6 h and 8 h
    eight = cost(daily(), [TEAM, partner], scenario)
    six = cost(daily(), [TEAM, partner], scenario, paid_hours_per_fte_day=6.0)
    assert six["core_cost"] == pytest.approx(eight["core_cost"] * 6 / 8)
    assert six["overflow_cost"] == pytest.approx(eight["overflow_cost"] * 6 / 8)
    assert six["activation_cost"] == eight["activation_cost"]


def test_standard_scenarios_names():
    sources = [TEAM, Source("P1", 40), Source("P2", 45)]
    scenarios = standard_scenarios(sources, CorePolicy(percentile=0.8))
    assert [s.name for s in scenarios] == [
        "all in-house (sized for peak)", "in-house core + P1 overflow",
        "in-house core + P2 overflow", "all P1", "all P2"]
    assert scenarios[0].core_policy.method == "peak" and scenarios[0].overflow_sources == ()
    assert scenarios[1].core_policy.percentile == 0.8 and scenarios[1].overflow_sources == ("P1",)
    assert scenarios[3].core_source is None and scenarios[3].steady_state
    assert [s.name for s in standard_scenarios([Source("P1", 40)], CorePolicy())] == ["all P1"]


@given(required=st.lists(st.floats(0, 30), min_size=1, max_size=8),
       second=st.lists(st.floats(0, 30), min_size=1, max_size=8),
       percentile=st.floats(0, 1), overtime=st.floats(0, 0.5),
       lead=st.integers(0, 4), cap=st.floats(0.5, 20), activation=st.floats(0, 5000))
@settings(max_examples=25, deadline=None)
def test_total_is_sum_of_parts_for_every_scenario(required, second, percentile, overtime, lead,
                                                  cap, activation):
    frame = pd.concat([daily(required, [10.0] * len(required), "chat"),
                       daily(second, [5.0] * len(second), "email")], ignore_index=True)
    sources = [TEAM, Source("P1", 40, lead_time_days=lead, max_fte=cap,
                            activation_cost=activation), Source("P2", 60)]
    policy = CorePolicy(percentile=percentile, overtime_fraction=overtime)
    out, monthly = scenario_costs(frame, standard_scenarios(sources, policy),
                                  CostInputs(tuple(sources), as_of=D0))
    assert len(out) == 5
    parts = out[["core_cost", "overtime_cost", "overflow_cost", "activation_cost"]].sum(axis=1)
    np.testing.assert_allclose(out["total_cost"], parts)
    assert (out[["core_cost", "overtime_cost", "overflow_cost", "activation_cost",
                 "understaffed_hours", "idle_hours"]] >= 0).all().all()
    # the monthly split adds up to the totals
    np.testing.assert_allclose(monthly.groupby("scenario", sort=False)["total_cost"].sum()
                               .reindex(out["scenario"]).to_numpy(), out["total_cost"].to_numpy())
    contacts = frame["volume"].sum()
    np.testing.assert_allclose(out["cost_per_ticket"], out["total_cost"] / contacts)
    # sized for the peak, nothing is bought (the core is the peak rounded to a tenth; its
    # round-to-6-decimals guard against float noise may leave < 1e-6 FTE uncovered)
    peak = out.iloc[0]
    assert peak["understaffed_hours"] <= 8 * 1e-6 and peak["overflow_cost"] == 0.0


# --- partner contracts as sold: commitment, surge rate, first-contact resolution ------------

def test_a_commitment_is_paid_every_day_used_first_and_the_rest_at_the_surge_rate():
    partner = Source("P", hourly_cost=50, committed_fte=1.0, surge_cost_ratio=1.5)
    scenario = Scenario("mix", "Team", CorePolicy(percentile=0.0), ("P",))
    row = cost(daily(), [TEAM, partner], scenario)
    # core 2 FTE: 2 x 2 days x 8 h x 30 = 960. The commitment: 1 FTE x 2 days x 8 h x 50 = 800,
    # idle on day 1. Day 2 needs 3 FTE above core: 1 from the commitment, 2 called at the
    # surge rate 50 x 1.5 = 75: 2 x 8 h x 75 = 1200.
    assert row["commitment_cost"] == pytest.approx(800.0)
    assert row["overflow_cost"] == pytest.approx(1200.0)
    assert row["total_cost"] == pytest.approx(960 + 800 + 1200)


def test_an_all_partner_contract_surges_above_its_commitment_without_windows():
    partner = Source("P", hourly_cost=50, committed_fte=3.0, surge_cost_ratio=1.5,
                     activation_cost=1000, lead_time_days=30)
    row = cost(daily(), [TEAM, partner],
               Scenario("all P", None, CorePolicy("fixed"), ("P",), steady_state=True))
    # 3 FTE committed: 3 x 2 x 8 x 50 = 2400; day 2's 5 FTE: 3 committed + 2 at 75/h = 1200
    assert row["commitment_cost"] == pytest.approx(2400.0)
    assert row["overflow_cost"] == pytest.approx(1200.0)
    assert row["activation_cost"] == 0.0 and row["understaffed_hours"] == 0.0


def test_committed_capacity_needs_no_lead_time_and_opens_no_window():
    partner = Source("P", hourly_cost=50, committed_fte=5.0, lead_time_days=30,
                     activation_cost=1000, ramp=(2.0,))
    core, plan, allocation, windows = plan_scenario(
        daily(), Scenario("s", "Team", CorePolicy(percentile=0.0), ("P",)),
        CostInputs((TEAM, partner), as_of=D0))
    # the team is in place: day 2's 3 FTE come from the commitment at once, no ramp, no call
    assert windows.empty
    assert allocation["basis"].tolist() == ["committed"]
    assert allocation["fte"].tolist() == pytest.approx([3.0])
    assert plan["shortfall_fte"].sum() == 0.0


def test_a_partner_resolving_less_first_time_pays_for_the_repeats():
    # in-house FCR 0.8, the partner's 0.64: it handles 1.25 contacts per contact resolved
    partner = Source("P", hourly_cost=40, quality_factor=1.1, repeat_factor=1.25)
    row = cost(daily(), [TEAM, partner], Scenario("s", "Team", CorePolicy(percentile=0.0), ("P",)))
    # day 2: 3 FTE of work x 1.1 x 1.25 = 4.125 paid FTE x 8 h x 40 = 1320
    assert row["overflow_cost"] == pytest.approx(1320.0)
    assert partner.cost_per_work_hour == pytest.approx(40 * 1.1 * 1.25)

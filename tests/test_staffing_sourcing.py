"""staffing sourcing: partner quality, hours coverage, ramp, small windows, optimal core."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from staffing.costs import (COST_PARTS, CURVE_COLUMNS, CostInputs, Scenario, optimal_core,
                            plan_scenario, scenario_costs, standard_scenarios)
from staffing.plan import CorePolicy, apply_ramp, build_plan
from staffing.sources import Source

D0 = pd.Timestamp("2026-01-01")
TEAM = Source("Team", hourly_cost=30, inhouse=True)
PARTS = COST_PARTS  # the parts that add up to total_cost


def T(offset: int) -> pd.Timestamp:
    return D0 + pd.Timedelta(days=offset)


def daily(required, queue="chat", volume=100.0):
    return pd.DataFrame({"date": pd.date_range(D0, periods=len(required)), "queue": queue,
                         "volume": volume, "required_fte": [float(r) for r in required],
                         "regime": "normal"})


def fixed(core: dict, **kw) -> CorePolicy:
    return CorePolicy("fixed", fixed_fte=core, **kw)


def identity_gap(plan: pd.DataFrame) -> np.ndarray:
    """core + overtime + overflow + shortfall - max(required, core): 0 (build_plan docstring)."""
    total = plan["core_fte"] + plan["overtime_fte"] + plan["overflow_fte"] + plan["shortfall_fte"]
    return (total - np.maximum(plan["required_fte"], plan["core_fte"])).to_numpy(float)


# --- quality_factor -------------------------------------------------------------------

def test_quality_factor_cap_limits_work_and_pays_more_fte():
    slow = Source("P", hourly_cost=20, quality_factor=1.25, max_fte=10)
    plan, alloc = build_plan(daily([20.0]), pd.Series({"chat": 5.0}), [slow], as_of=D0)
    # 15 FTE of work above core; 10 FTE of P clear 10 / 1.25 = 8 FTE of work; 7 left over
    row = plan.iloc[0]
    assert row["overflow_fte"] == pytest.approx(8.0)
    assert row["shortfall_fte"] == pytest.approx(7.0)
    assert (alloc.loc[0, "work_fte"], alloc.loc[0, "fte"]) == (pytest.approx(8.0),
                                                               pytest.approx(10.0))
    # uncapped: 4 FTE of work are paid as 4 x 1.25 = 5 partner FTE
    plan, alloc = build_plan(daily([9.0]), pd.Series({"chat": 5.0}), [slow], as_of=D0)
    assert alloc.loc[0, "fte"] == pytest.approx(5.0)
    assert plan.loc[0, "overflow_fte"] == pytest.approx(4.0)  # in in-house FTE


def test_quality_factor_cost_is_paid_fte():
    slow = Source("P", hourly_cost=20, quality_factor=1.25)
    costs, _ = scenario_costs(daily([9.0]), [Scenario("s", "Team", fixed({"chat": 5.0}), ("P",))],
                              CostInputs((TEAM, slow), as_of=D0))
    # 4 FTE of work x 1.25 = 5 FTE x 8 h x 20 = 800; core 5 x 8 x 30 = 1200
    assert costs.loc[0, "overflow_cost"] == pytest.approx(800.0)
    assert costs.loc[0, "core_cost"] == pytest.approx(1200.0)


def test_cheaper_per_hour_but_slower_partner_loses():
    slow_cheap = Source("A", hourly_cost=20, quality_factor=1.5)  # 30 per hour of work
    fast_dear = Source("B", hourly_cost=25)                       # 25 per hour of work
    assert slow_cheap.cost_per_work_hour == pytest.approx(30.0)
    assert fast_dear.cost_per_work_hour == pytest.approx(25.0)
    plan, alloc = build_plan(daily([6.0]), pd.Series({"chat": 2.0}), [slow_cheap, fast_dear],
                             as_of=D0)
    assert alloc["source"].tolist() == ["B"] and plan.loc[0, "source"] == "B"
    costs, _ = scenario_costs(daily([6.0]), [Scenario("s", "Team", fixed({"chat": 2.0}),
                                                      ("A", "B"))],
                              CostInputs((TEAM, slow_cheap, fast_dear), as_of=D0))
    # B: 4 FTE x 8 h x 25 = 800 (A would cost 4 x 1.5 x 8 x 20 = 960)
    assert costs.loc[0, "overflow_cost"] == pytest.approx(800.0)


def test_slower_partner_used_once_the_faster_one_is_full():
    slow_cheap = Source("A", hourly_cost=20, quality_factor=1.5)
    fast_dear = Source("B", hourly_cost=25, max_fte=3)
    plan, alloc = build_plan(daily([6.0]), pd.Series({"chat": 2.0}), [slow_cheap, fast_dear],
                             as_of=D0)
    # B first (25 < 30 per work hour) takes its cap of 3; A the 1 left at 1.5 FTE
    got = alloc.set_index("source")[["fte", "work_fte"]]
    assert got.loc["B"].tolist() == pytest.approx([3.0, 3.0])
    assert got.loc["A"].tolist() == pytest.approx([1.5, 1.0])
    assert plan.loc[0, "source"] == "B+A"


# --- coverage -------------------------------------------------------------------------

def coverage(rows):
    """rows: (day offset, queue, source, share)."""
    return pd.DataFrame([(T(d), q, s, v) for d, q, s, v in rows],
                        columns=["date", "queue", "source", "share"])


def test_coverage_share_limits_a_partner_and_the_rest_is_shortfall():
    p = Source("P", hourly_cost=20)
    cov = coverage([(0, "chat", "P", 0.5)])  # day 1 only; day 2 has no row: share 1
    plan, alloc = build_plan(daily([6.0, 6.0]), pd.Series({"chat": 2.0}), [p], as_of=D0,
                             coverage=cov)
    # day 1: 4 FTE above core, P works half the hours -> 2, shortfall 2; day 2: all 4
    assert plan["overflow_fte"].tolist() == pytest.approx([2.0, 4.0])
    assert plan["shortfall_fte"].tolist() == pytest.approx([2.0, 0.0])
    np.testing.assert_allclose(identity_gap(plan), 0.0, atol=1e-9)


def test_coverage_rest_goes_to_the_next_source():
    p = Source("P", hourly_cost=20)
    q = Source("Q", hourly_cost=40)
    cov = coverage([(0, "chat", "P", 0.5)])
    plan, alloc = build_plan(daily([6.0]), pd.Series({"chat": 2.0}), [q, p], as_of=D0,
                             coverage=cov)
    got = alloc.set_index("source")["work_fte"]
    assert got.to_dict() == pytest.approx({"P": 2.0, "Q": 2.0})  # P half of 4, Q the rest
    assert plan.loc[0, "source"] == "P+Q" and plan.loc[0, "shortfall_fte"] == pytest.approx(0.0)


def test_coverage_of_another_queue_or_source_does_not_apply():
    p = Source("P", hourly_cost=20)
    cov = coverage([(0, "email", "P", 0.0), (0, "chat", "Other", 0.0)])
    plan, _ = build_plan(daily([6.0]), pd.Series({"chat": 2.0}), [p], as_of=D0, coverage=cov)
    assert plan.loc[0, "overflow_fte"] == pytest.approx(4.0)


# --- ramp -----------------------------------------------------------------------------

def ramp_plan(required, source, core=1.0):
    plan, alloc = build_plan(daily(required), pd.Series({"chat": core}), [source], as_of=D0)
    return (plan, alloc, *apply_ramp(plan, alloc, [source]))


def test_ramp_multiplies_first_days_of_a_window_only():
    p = Source("P", hourly_cost=20, ramp=(1.5, 1.2))
    plan, alloc, rplan, ralloc = ramp_plan([3.0, 3.0, 3.0, 3.0], p)
    # 2 FTE of work a day: day 1 x 1.5 = 3.0, day 2 x 1.2 = 2.4, then 2.0
    assert ralloc["fte"].tolist() == pytest.approx([3.0, 2.4, 2.0, 2.0])
    assert ralloc["work_fte"].tolist() == pytest.approx([2.0, 2.0, 2.0, 2.0])
    pd.testing.assert_frame_equal(rplan, plan)  # no cap: the same work is covered
    pd.testing.assert_frame_equal(alloc, build_plan(daily([3.0] * 4), pd.Series({"chat": 1.0}),
                                                    [p], as_of=D0)[1])  # input untouched


def test_ramp_restarts_in_each_window_and_counts_idle_days_inside_one():
    p = Source("P", hourly_cost=20, ramp=(1.5, 1.2))
    # days 0, 2 (one idle day: same window), then days 8, 9 (a new window)
    required = [3.0, 1.0, 3.0, 1, 1, 1, 1, 1, 3.0, 3.0]
    _, _, _, ralloc = ramp_plan(required, p)
    got = dict(zip((ralloc["date"] - D0).dt.days, ralloc["fte"]))
    # day 0 = window day 1 (x1.5); day 2 = window day 3 (x1); day 8 day 1, day 9 day 2
    assert got == pytest.approx({0: 3.0, 2: 2.0, 8: 3.0, 9: 2.4})


def test_ramp_uses_the_paid_fte_with_quality():
    p = Source("P", hourly_cost=20, quality_factor=1.25, ramp=(2.0,))
    _, _, _, ralloc = ramp_plan([3.0, 3.0], p)
    # 2 FTE work x 1.25 = 2.5 FTE, first day x 2 = 5.0
    assert ralloc["fte"].tolist() == pytest.approx([5.0, 2.5])


def test_ramp_beyond_the_cap_moves_work_to_shortfall():
    p = Source("P", hourly_cost=20, max_fte=2.5, ramp=(1.5, 1.2))
    plan, _, rplan, ralloc = ramp_plan([3.0, 3.0, 3.0], p)
    # day 1: 2 x 1.5 = 3.0 > 2.5 -> 2.5 FTE clearing 2 x 2.5 / 3 = 5/3 of work; 1/3 short
    # day 2: 2 x 1.2 = 2.4 <= 2.5, unchanged
    assert ralloc["fte"].tolist() == pytest.approx([2.5, 2.4, 2.0])
    assert ralloc["work_fte"].tolist() == pytest.approx([5 / 3, 2.0, 2.0])
    assert rplan["overflow_fte"].tolist() == pytest.approx([5 / 3, 2.0, 2.0])
    assert rplan["shortfall_fte"].tolist() == pytest.approx([1 / 3, 0.0, 0.0])
    assert plan["shortfall_fte"].tolist() == [0.0, 0.0, 0.0]
    np.testing.assert_allclose(identity_gap(rplan), 0.0, atol=1e-9)


def test_ramp_cap_scales_every_queue_of_the_day():
    p = Source("P", hourly_cost=20, max_fte=4.0, ramp=(2.0,))
    frame = pd.concat([daily([3.0]), daily([2.0], queue="email")], ignore_index=True)
    plan, alloc = build_plan(frame, pd.Series({"chat": 1.0, "email": 1.0}), [p], as_of=D0)
    rplan, ralloc = apply_ramp(plan, alloc, [p])
    # 2 + 1 work x 2 = 6 FTE > 4: both scaled by 4/6
    assert ralloc["fte"].sum() == pytest.approx(4.0)
    assert ralloc.set_index("queue")["work_fte"].to_dict() == pytest.approx(
        {"chat": 4 / 3, "email": 2 / 3})
    assert rplan.set_index("queue")["shortfall_fte"].to_dict() == pytest.approx(
        {"chat": 2 / 3, "email": 1 / 3})


# --- min_window_fte -------------------------------------------------------------------

def test_small_window_goes_to_overtime():
    p = Source("P", hourly_cost=20, activation_cost=500)
    # core 2: day 1 needs 0.5 more (a window peaking at 0.5 < 1), days 7-8 need 4 more
    frame = daily([2, 2.5, 2, 2, 2, 2, 2, 6, 6, 2])
    scenario = Scenario("s", "Team", fixed({"chat": 2.0}), ("P",))
    inputs = CostInputs((TEAM, p), as_of=D0)
    core, plan, alloc, windows = plan_scenario(frame, scenario, inputs)
    assert len(windows) == 1 and windows.loc[0, "start"] == T(7)
    assert sorted((alloc["date"] - D0).dt.days) == [7, 8]
    day1 = plan.iloc[1]
    assert (day1["overtime_fte"], day1["overflow_fte"], day1["source"]) == (
        pytest.approx(0.5), pytest.approx(0.0), "")
    assert plan.loc[7, "source"] == "P" and plan.loc[7, "overflow_fte"] == pytest.approx(4.0)
    np.testing.assert_allclose(identity_gap(plan), 0.0, atol=1e-9)
    costs, _ = scenario_costs(frame, [scenario], inputs)
    # overtime 0.5 x 8 h x 30 x 1.5 = 180; overflow 8 FTE-days x 8 x 20 = 1280; one activation
    assert costs.loc[0, ["overtime_cost", "overflow_cost", "activation_cost"]].tolist() == \
        pytest.approx([180.0, 1280.0, 500.0])


def test_min_window_fte_threshold_is_configurable_and_uses_ramped_fte():
    frame = daily([2, 2.7, 2.7])
    scenario = Scenario("s", "Team", fixed({"chat": 2.0}), ("P",))
    plain = Source("P", hourly_cost=20)
    ramped = Source("P", hourly_cost=20, ramp=(1.5,))
    # 0.7 FTE of work: below 1 FTE -> overtime; with ramp day 1 is 1.05 FTE -> kept
    _, plan, alloc, _ = plan_scenario(frame, scenario, CostInputs((TEAM, plain), as_of=D0))
    assert alloc.empty and plan["overtime_fte"].sum() == pytest.approx(1.4)
    _, plan, alloc, _ = plan_scenario(frame, scenario, CostInputs((TEAM, ramped), as_of=D0))
    assert alloc["fte"].tolist() == pytest.approx([1.05, 0.7])
    assert plan["overtime_fte"].sum() == 0.0
    _, plan, alloc, _ = plan_scenario(frame, scenario,
                                      CostInputs((TEAM, plain), as_of=D0, min_window_fte=0.5))
    assert len(alloc) == 2 and plan["overtime_fte"].sum() == 0.0


def test_small_windows_stay_with_the_partner_without_an_inhouse_core():
    frame = daily([0.5, 0.5])
    scenario = Scenario("all P", None, fixed({}), ("P",), steady_state=True)
    _, plan, alloc, _ = plan_scenario(frame, scenario, CostInputs((TEAM, Source("P", 20)),
                                                                  as_of=D0))
    assert plan["overflow_fte"].tolist() == pytest.approx([0.5, 0.5])
    assert plan["overtime_fte"].sum() == 0.0


def test_all_partner_scenario_with_a_kept_tier2_core_leaves_first_line_to_the_partner():
    # steady state: the contract is in place, so no window is "too small to call"; the
    # first-line queue has no in-house core to put overtime on
    p = Source("P", hourly_cost=20, lead_time_days=10, activation_cost=500, queues=("chat",))
    frame = pd.concat([daily([0.5, 0.5, 0.5]), daily([2.0, 2.0, 2.0], queue="tier2")],
                      ignore_index=True)
    scenario = standard_scenarios([TEAM, p], CorePolicy(), {"tier2": 2.0})[-1]
    costs, _ = scenario_costs(frame, [scenario], CostInputs((TEAM, p), as_of=D0))
    row = costs.iloc[0]
    # tier2 core 2 x 3 days x 8 h x 30 = 1440; chat 1.5 FTE-days x 8 h x 20 = 240
    assert row["core_cost"] == pytest.approx(1440.0)
    assert row["overflow_cost"] == pytest.approx(240.0)
    assert row["overtime_cost"] == 0.0 and row["activation_cost"] == 0.0


# --- standard_scenarios with an in-house-only queue -----------------------------------

def test_standard_scenarios_keep_the_inhouse_only_core():
    p, q = Source("P", 20), Source("Q", 10)
    policy = CorePolicy(percentile=0.5, overtime_fraction=0.1)
    out = {s.name: s for s in standard_scenarios([TEAM, p, q], policy, {"tier2": 2.0})}
    assert list(out) == ["all in-house (sized for peak)", "in-house core + P overflow",
                         "in-house core + Q overflow", "all P", "all Q"]
    for name in ("all P", "all Q"):
        s = out[name]
        assert s.core_source == "Team" and s.steady_state
        assert s.core_policy.method == "fixed" and s.core_policy.fixed_fte == {"tier2": 2.0}
    assert out["in-house core + P overflow"].core_policy == policy
    without = {s.name: s for s in standard_scenarios([TEAM, p], policy)}
    assert without["all P"].core_source is None
    # planned: tier2 keeps 2 FTE in-house, chat has no core and all goes to P
    frame = pd.concat([daily([3.0, 1.0]), daily([2.5, 1.5], queue="tier2")], ignore_index=True)
    core, plan, alloc, _ = plan_scenario(
        frame, out["all P"], CostInputs((TEAM, Source("P", 20, queues=("chat",)),
                                         Source("Q", 10, queues=("chat",))), as_of=D0))
    assert core.to_dict() == {"chat": 0.0, "tier2": 2.0}
    assert alloc.groupby("queue")["work_fte"].sum().to_dict() == pytest.approx({"chat": 4.0})
    tier2 = plan[plan["queue"] == "tier2"]
    assert tier2["shortfall_fte"].tolist() == pytest.approx([0.5, 0.0])  # 2.5 - 2; 1.5 < 2


# --- optimal core ---------------------------------------------------------------------

def brute_force(frame, scenario, inputs, step):
    """(core, total cost, shortfall) per core level, by scenario_costs with a fixed core."""
    queue = frame["queue"].iloc[0]
    peak = frame["required_fte"].max()
    out = []
    for level in np.round(np.arange(0.0, peak + step, step), 6):
        policy = fixed({queue: float(level)},
                       overtime_fraction=scenario.core_policy.overtime_fraction,
                       overtime_premium=scenario.core_policy.overtime_premium)
        one = Scenario("grid", scenario.core_source, policy, scenario.overflow_sources)
        costs, _ = scenario_costs(frame, [one], inputs)
        out.append((float(level), costs.loc[0, "total_cost"],
                    costs.loc[0, "understaffed_hours"] / inputs.paid_hours_per_fte_day))
    return pd.DataFrame(out, columns=["core", "total", "shortfall"])


def test_optimal_core_is_the_argmin_of_a_brute_force_grid():
    p = Source("P", hourly_cost=45, activation_cost=400, min_activation_days=2)
    frame = daily([3, 3, 4, 3, 9, 10, 4, 3, 3, 5, 3, 3, 8, 3])
    scenario = Scenario("opt", "Team", CorePolicy("optimal", overtime_fraction=0.1), ("P",))
    inputs = CostInputs((TEAM, p), as_of=D0)
    core, curve = optimal_core(frame, scenario, inputs, step_fte=0.5, method="grid")
    grid = brute_force(frame, scenario, inputs, 0.5)
    assert list(curve.columns) == CURVE_COLUMNS
    np.testing.assert_allclose(curve["core_fte"], grid["core"])
    np.testing.assert_allclose(curve["total_cost"], grid["total"], rtol=1e-9)
    np.testing.assert_allclose(curve["shortfall_fte_days"], grid["shortfall"], atol=1e-9)
    best = grid.loc[grid["total"].idxmin(), "core"]
    assert core["chat"] == best
    assert curve.loc[curve["optimal"], "core_fte"].tolist() == [best]
    # neither the smallest nor the largest core: the trade-off is real
    assert 0 < best < 10


def test_optimal_core_prefers_least_shortfall_over_cost():
    # the partner is cheap but needs 3 days' notice: a small core is cheaper yet leaves
    # the first 3 days short; only a core of 4 covers them
    p = Source("P", hourly_cost=10, lead_time_days=3)
    frame = daily([4.0] * 10)
    scenario = Scenario("opt", "Team", CorePolicy("optimal"), ("P",))
    inputs = CostInputs((TEAM, p), as_of=D0)
    core, curve = optimal_core(frame, scenario, inputs, step_fte=1.0, method="grid")
    # core 0: 7 days x 4 FTE x 8 h x 10 = 2240 with 12 FTE-days short; core 4: 4 x 10 x 8 x 30
    by_core = curve.set_index("core_fte")
    assert by_core.loc[0.0, "total_cost"] == pytest.approx(2240.0)
    assert by_core.loc[0.0, "shortfall_fte_days"] == pytest.approx(12.0)
    assert by_core.loc[4.0, "total_cost"] == pytest.approx(9600.0)
    assert core["chat"] == 4.0
    # nothing feasible: the least shortfall wins (the partner cannot serve chat at all)
    blocked = Source("P", hourly_cost=10, queues=("email",))
    core, curve = optimal_core(daily([4.0, 6.0]), scenario, CostInputs((TEAM, blocked), as_of=D0),
                               step_fte=1.0)
    assert core["chat"] == 6.0  # the peak: no shortfall left


def test_optimal_core_curve_has_one_optimal_row_per_queue():
    p = Source("P", hourly_cost=45, activation_cost=100)
    frame = pd.concat([daily([2, 5, 2, 3]), daily([1, 1, 4, 1], queue="email"),
                       daily([0, 0, 0, 0], queue="idle")], ignore_index=True)
    scenario = Scenario("opt", "Team", CorePolicy("optimal"), ("P",))
    core, curve = optimal_core(frame, scenario, CostInputs((TEAM, p), as_of=D0), step_fte=0.5,
                               method="grid")
    assert curve.groupby("queue")["optimal"].sum().to_dict() == {"chat": 1, "email": 1, "idle": 1}
    assert sorted(core.index) == ["chat", "email", "idle"] and core["idle"] == 0.0
    chosen = curve[curve["optimal"]].set_index("queue")["core_fte"]
    pd.testing.assert_series_equal(chosen.sort_index(), core.sort_index(), check_names=False)
    assert curve.groupby("queue")["core_fte"].max().to_dict() == {"chat": 5.0, "email": 4.0,
                                                                  "idle": 0.0}


def test_optimal_core_rejects_a_bad_step():
    with pytest.raises(ValueError, match="step_fte"):
        optimal_core(daily([1.0]), Scenario("o", "Team", CorePolicy("optimal")),
                     CostInputs((TEAM,), as_of=D0), step_fte=0)


@given(required=st.lists(st.floats(0, 4), min_size=2, max_size=5),
       partner_cost=st.floats(5, 80), activation=st.floats(0, 800), cap=st.floats(1, 5),
       lead=st.integers(0, 2), percentile=st.floats(0, 1), overtime=st.floats(0, 0.3))
@settings(max_examples=8, deadline=None)
def test_optimal_never_costs_more_than_percentile_without_shortfall(
        required, partner_cost, activation, cap, lead, percentile, overtime):
    p = Source("P", hourly_cost=partner_cost, activation_cost=activation, max_fte=cap,
               lead_time_days=lead)
    frame = daily(required)
    inputs = CostInputs((TEAM, p), as_of=D0)
    # a step of a tenth puts the percentile core (rounded up to a tenth) on the grid
    opt_core, _ = optimal_core(frame, Scenario("o", "Team", CorePolicy(
        "optimal", overtime_fraction=overtime), ("P",)), inputs, step_fte=0.1)
    costs, _ = scenario_costs(frame, [
        Scenario("optimal", "Team", fixed(opt_core.to_dict(), overtime_fraction=overtime), ("P",)),
        Scenario("percentile", "Team", CorePolicy(percentile=percentile,
                                                  overtime_fraction=overtime), ("P",))], inputs)
    opt, pct = costs.iloc[0], costs.iloc[1]
    assert opt["understaffed_hours"] <= pct["understaffed_hours"] + 1e-6
    if pct["understaffed_hours"] < 1e-9:
        assert opt["total_cost"] <= pct["total_cost"] * (1 + 1e-9) + 1e-6


# --- properties with quality, coverage and ramp on ------------------------------------

partner_st = st.builds(
    lambda i, cost, quality, ramp, cap, lead, minimum: Source(
        f"S{i}", cost, quality_factor=quality, ramp=tuple(sorted(ramp, reverse=True)),
        max_fte=cap,
        lead_time_days=lead, min_activation_days=minimum, activation_cost=100.0),
    st.integers(0, 9), st.floats(1, 60), st.floats(0.8, 1.6),
    st.lists(st.floats(1, 2), max_size=3), st.one_of(st.just(math.inf), st.floats(0.5, 15)),
    st.integers(0, 3), st.integers(1, 4))


@st.composite
def sourcing_case(draw):
    n = draw(st.integers(1, 8))
    required = draw(st.lists(st.floats(0, 30), min_size=n, max_size=n))
    partners = draw(st.lists(partner_st, min_size=1, max_size=3, unique_by=lambda s: s.name))
    shares = draw(st.lists(st.floats(0, 1), min_size=n * len(partners),
                           max_size=n * len(partners)))
    cov = pd.DataFrame([(T(d), "chat", s.name, shares[d * len(partners) + k])
                        for d in range(n) for k, s in enumerate(partners)],
                       columns=["date", "queue", "source", "share"])
    return daily(required), partners, cov


# ramps are non-increasing (a team learning); an increasing one could make a day later in a
# window need more partner FTE than the same day starting a window under a bigger core
@given(case=sourcing_case(), core=st.floats(0, 20), extra=st.floats(0, 10),
       overtime=st.floats(0, 0.5), min_window=st.floats(0, 3))
@settings(max_examples=30, deadline=None)
def test_plan_scenario_properties(case, core, extra, overtime, min_window):
    frame, partners, cov = case
    inputs = CostInputs((TEAM, *partners), as_of=D0, coverage=cov, min_window_fte=min_window)
    names = tuple(s.name for s in partners)

    def run(level):
        scenario = Scenario("s", "Team", fixed({"chat": level}, overtime_fraction=overtime), names)
        return plan_scenario(frame, scenario, inputs)

    _, plan, alloc, windows = run(core)
    np.testing.assert_allclose(identity_gap(plan), 0.0, atol=1e-7)
    assert (plan[["overtime_fte", "overflow_fte", "shortfall_fte"]] >= -1e-9).all().all()
    # the partners' work adds up to the overflow; no source above its cap on a day
    work = alloc.astype({"work_fte": float}).groupby("date")["work_fte"].sum()
    np.testing.assert_allclose(work.reindex(plan["date"], fill_value=0.0).to_numpy(float),
                               plan["overflow_fte"].to_numpy(float), atol=1e-7)
    caps = {s.name: s.max_fte for s in partners}
    per_day = alloc.groupby(["source", "date"])["fte"].sum()
    for (name, _), fte in per_day.items():
        assert fte <= caps[name] + 1e-7
    # a source is named on a day exactly when it works that day
    for rec in plan.itertuples(index=False):
        used = set(alloc.loc[alloc["date"] == rec.date, "source"])
        assert set(filter(None, rec.source.split("+"))) == used
    # no window below min_window_fte survives (the core takes it as overtime)
    assert (windows["peak_fte"] >= min_window).all()
    # more core never means more overflow
    _, bigger, _, _ = run(core + extra)
    assert (bigger["overflow_fte"].to_numpy() <= plan["overflow_fte"].to_numpy() + 1e-7).all()


@given(case=sourcing_case(), core=st.floats(0, 20), overtime=st.floats(0, 0.5),
       paid_hours=st.floats(4, 12), premium=st.floats(1, 2))
@settings(max_examples=10, deadline=None)
def test_scenario_costs_add_up_and_months_sum_to_total(case, core, overtime, paid_hours, premium):
    frame, partners, cov = case
    # spread the days over a month boundary
    frame = frame.assign(date=frame["date"] + pd.Timedelta(days=25))
    cov = cov.assign(date=cov["date"] + pd.Timedelta(days=25))
    inputs = CostInputs((TEAM, *partners), as_of=D0, coverage=cov,
                        paid_hours_per_fte_day=paid_hours)
    names = tuple(s.name for s in partners)
    policy = fixed({"chat": core}, overtime_fraction=overtime, overtime_premium=premium)
    scenarios = standard_scenarios([TEAM, *partners], policy) + [
        Scenario("all partners", None, fixed({}), names)]
    costs, monthly = scenario_costs(frame, scenarios, inputs)
    np.testing.assert_allclose(costs["total_cost"], costs[PARTS].sum(axis=1), rtol=1e-9)
    assert list(monthly.columns) == ["scenario", "month", *PARTS, "total_cost"]
    np.testing.assert_allclose(monthly["total_cost"], monthly[PARTS].sum(axis=1), rtol=1e-9)
    by_scenario = monthly.groupby("scenario", sort=False)[[*PARTS, "total_cost"]].sum()
    for part in [*PARTS, "total_cost"]:
        np.testing.assert_allclose(by_scenario[part].reindex(costs["scenario"]).to_numpy(),
                                   costs[part].to_numpy(), rtol=1e-9, atol=1e-6)
    months = sorted(frame["date"].dt.strftime("%Y-%m").unique())
    assert (monthly.groupby("scenario")["month"].apply(sorted) == pd.Series(
        [months] * len(scenarios), index=sorted(costs["scenario"]))).all()
    n_days = frame["date"].nunique()
    np.testing.assert_allclose(costs["monthly_cost"], costs["total_cost"] / n_days * 365.25 / 12)


def test_monthly_split_hand_computed():
    p = Source("P", hourly_cost=20, activation_cost=300)
    frame = daily([2.0, 4.0, 4.0])
    frame["date"] = pd.to_datetime(["2026-01-31", "2026-02-01", "2026-02-02"])
    costs, monthly = scenario_costs(frame, [Scenario("s", "Team", fixed({"chat": 2.0}), ("P",))],
                                    CostInputs((TEAM, p), as_of=D0))
    got = monthly.set_index("month")
    # January: core 2 x 8 x 30 = 480. February: core 960, overflow 2 x 2 x 8 x 20 = 640,
    # one window starting 02-01: 300
    # (parts: core, overtime, commitment, overflow, activation)
    assert got.loc["2026-01", PARTS].tolist() == pytest.approx([480.0, 0.0, 0.0, 0.0, 0.0])
    assert got.loc["2026-02", PARTS].tolist() == pytest.approx([960.0, 0.0, 0.0, 640.0, 300.0])
    assert got["total_cost"].sum() == pytest.approx(costs.loc[0, "total_cost"])  # 2380
    assert costs.loc[0, "total_cost"] == pytest.approx(2380.0)

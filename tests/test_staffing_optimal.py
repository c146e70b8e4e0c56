"""The optimal core as one programme (HiGHS) against the grid of plans, the oracle."""
from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from staffing.costs import CostInputs, Scenario, optimal_core
from staffing.optimal import MIP_REL_GAP, CoreTerms, core_levels, programme_core
from staffing.plan import CorePolicy
from staffing.sources import Source

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "data"
D0 = pd.Timestamp("2026-01-01")
TEAM = Source("Team", hourly_cost=30, inhouse=True)
#: The programme's core may cost this much more than the grid's best, over all queues [fraction].
COST_TOLERANCE = 0.005


def daily(required, queue="chat"):
    return pd.DataFrame({"date": pd.date_range(D0, periods=len(required)), "queue": queue,
                         "volume": 100.0, "required_fte": [float(r) for r in required],
                         "regime": "normal"})


def against_the_grid(frame, scenario, inputs, step_fte):
    """(programme's core, the grid's curve): the grid prices every level, the oracle."""
    core, curve = optimal_core(frame, scenario, inputs, step_fte, method="milp")
    _, grid = optimal_core(frame, scenario, inputs, step_fte, method="grid")
    return core, grid


def assert_as_good_as_the_grid(core, grid):
    """The programme's levels leave the grid's least shortfall and cost within tolerance."""
    chosen, best = 0.0, 0.0
    for queue, rows in grid.groupby("queue"):
        at = rows.set_index("core_fte").loc[core[queue]]  # the grid's price of the choice
        assert at["shortfall_fte_days"] <= rows["shortfall_fte_days"].min() + 1e-9, queue
        chosen += at["total_cost"]
        best += rows.loc[rows["optimal"], "total_cost"].iloc[0]
    assert chosen <= best * (1 + COST_TOLERANCE) + 1e-6


# --- known cases ----------------------------------------------------------------------

def test_a_trade_off_between_core_and_a_partner_with_a_fee():
    # the grid oracle's own case (tests/test_staffing_sourcing.py): neither end of the range
    p = Source("P", hourly_cost=45, activation_cost=400, min_activation_days=2)
    frame = daily([3, 3, 4, 3, 9, 10, 4, 3, 3, 5, 3, 3, 8, 3])
    scenario = Scenario("opt", "Team", CorePolicy("optimal", overtime_fraction=0.1), ("P",))
    core, grid = against_the_grid(frame, scenario, CostInputs((TEAM, p), as_of=D0), 0.5)
    assert_as_good_as_the_grid(core, grid)
    assert 0 < core["chat"] < 10


def test_no_partner_sizes_the_core_for_the_peak_with_its_overtime():
    frame = daily([4.0, 6.0, 11.0, 5.0])
    for overtime in (0.0, 0.1):
        scenario = Scenario("opt", "Team", CorePolicy("optimal", overtime_fraction=overtime))
        core, grid = against_the_grid(frame, scenario, CostInputs((TEAM,), as_of=D0), 0.5)
        assert_as_good_as_the_grid(core, grid)
        # the least level on the grid whose core and overtime reach the peak of 11
        assert core["chat"] == grid.loc[grid["optimal"], "core_fte"].iloc[0]
        assert core["chat"] * (1 + overtime) >= 11.0 > (core["chat"] - 0.5) * (1 + overtime)


def test_a_partner_that_serves_another_queue_counts_as_none():
    frame = daily([4.0, 6.0])
    blocked = Source("P", hourly_cost=10, queues=("email",))
    scenario = Scenario("opt", "Team", CorePolicy("optimal"), ("P",))
    core, grid = against_the_grid(frame, scenario, CostInputs((TEAM, blocked), as_of=D0), 1.0)
    assert core["chat"] == 6.0
    assert_as_good_as_the_grid(core, grid)


def test_a_binding_cap_raises_the_core():
    # a cheap partner capped at 3 FTE: above core + 3 nothing covers the sale, so the
    # core must reach peak - 3; without the cap the cheap partner takes it all
    frame = daily([4, 4, 4, 12, 14, 4, 4, 4])
    scenario = Scenario("opt", "Team", CorePolicy("optimal"), ("P",))
    capped = Source("P", hourly_cost=10, max_fte=3.0)
    core, grid = against_the_grid(frame, scenario, CostInputs((TEAM, capped), as_of=D0), 0.5)
    assert_as_good_as_the_grid(core, grid)
    assert core["chat"] == 11.0  # 14 - 3
    free, _ = optimal_core(frame, scenario, CostInputs((TEAM, replace(capped, max_fte=math.inf)),
                                                       as_of=D0), 0.5)
    assert free["chat"] < core["chat"]


def test_a_cap_shared_with_the_commitment_and_a_slower_partner():
    # the commitment is used first and takes part of the cap; the partner's work factor
    # (quality x repeats) means each FTE of its cap clears less than one FTE of work
    frame = daily([5, 5, 9, 12, 8, 5, 5])
    p = Source("P", hourly_cost=12, max_fte=6.0, committed_fte=1.0, quality_factor=1.2,
               repeat_factor=1.1, surge_cost_ratio=1.3)
    scenario = Scenario("opt", "Team", CorePolicy("optimal", overtime_fraction=0.1), ("P",))
    core, grid = against_the_grid(frame, scenario, CostInputs((TEAM, p), as_of=D0), 0.5)
    assert_as_good_as_the_grid(core, grid)


def test_lead_time_days_are_covered_by_the_core():
    # the partner is cheap but needs 3 days' notice: only a core of 4 covers the first days
    p = Source("P", hourly_cost=10, lead_time_days=3)
    scenario = Scenario("opt", "Team", CorePolicy("optimal"), ("P",))
    core, grid = against_the_grid(daily([4.0] * 10), scenario, CostInputs((TEAM, p), as_of=D0),
                                  1.0)
    assert core["chat"] == 4.0
    assert_as_good_as_the_grid(core, grid)


def test_queues_are_sized_each_on_its_own_in_one_programme():
    p = Source("P", hourly_cost=45, activation_cost=100, ramp=(1.3,), max_fte=4)
    frame = pd.concat([daily([2, 5, 2, 3]), daily([1, 1, 4, 1], queue="email"),
                       daily([0, 0, 0, 0], queue="idle")], ignore_index=True)
    scenario = Scenario("opt", "Team", CorePolicy("optimal"), ("P",))
    core, grid = against_the_grid(frame, scenario, CostInputs((TEAM, p), as_of=D0), 0.5)
    assert sorted(core.index) == ["chat", "email", "idle"] and core["idle"] == 0.0
    assert_as_good_as_the_grid(core, grid)


def test_the_curve_prices_the_choice_and_its_neighbours_with_the_plan():
    p = Source("P", hourly_cost=45, activation_cost=400, min_activation_days=2)
    frame = daily([3, 3, 4, 3, 9, 10, 4, 3, 3, 5, 3, 3, 8, 3])
    scenario = Scenario("opt", "Team", CorePolicy("optimal", overtime_fraction=0.1), ("P",))
    inputs = CostInputs((TEAM, p), as_of=D0)
    core, curve = optimal_core(frame, scenario, inputs, 0.5)
    _, grid = optimal_core(frame, scenario, inputs, 0.5, method="grid")
    assert curve["optimal"].sum() == 1
    assert curve.loc[curve["optimal"], "core_fte"].iloc[0] == core["chat"]
    levels = curve["core_fte"].to_numpy()
    assert {core["chat"] - 0.5, core["chat"] + 0.5} <= set(levels)
    # every row is the plan's own price of that level: the grid's row
    on_grid = grid.set_index("core_fte").loc[levels]
    np.testing.assert_allclose(curve["total_cost"], on_grid["total_cost"], rtol=1e-12)
    np.testing.assert_allclose(curve["shortfall_fte_days"], on_grid["shortfall_fte_days"])


def test_optimal_core_rejects_an_unknown_method():
    with pytest.raises(ValueError, match="method"):
        optimal_core(daily([1.0]), Scenario("o", "Team", CorePolicy("optimal")),
                     CostInputs((TEAM,), as_of=D0), method="simplex")


def test_core_levels_are_the_grids():
    assert core_levels(1.2, 0.5).tolist() == [0.0, 0.5, 1.0, 1.5]
    assert core_levels(1.0, 0.5).tolist() == [0.0, 0.5, 1.0]
    assert core_levels(0.0, 0.5).tolist() == [0.0]
    with pytest.raises(ValueError, match="step_fte"):
        core_levels(1.0, 0.0)


def test_the_programme_reports_how_it_stopped():
    p = Source("P", hourly_cost=20, activation_cost=300, lead_time_days=1)
    terms = CoreTerms(core_hourly_cost=30, as_of=D0, step_fte=0.5, overtime_fraction=0.1)
    out = programme_core(daily([3, 6, 8, 3, 3]), [p], terms)
    assert out.status == "optimal" and 0 <= out.mip_gap <= MIP_REL_GAP
    assert out.n_binaries > 0 and out.modelled_cost > 0
    assert out.core.index.tolist() == ["chat"]
    with pytest.raises(ValueError, match="overtime_fraction"):
        CoreTerms(core_hourly_cost=30, as_of=D0, overtime_fraction=2.0)


# --- small synthetic cases ------------------------------------------------------------

partner_st = st.builds(
    lambda i, cost, quality, repeat, ramp, cap, lead, minimum, fee, committed, surge: Source(
        f"S{i}", cost, quality_factor=quality, repeat_factor=repeat,
        ramp=tuple(sorted(ramp, reverse=True)), max_fte=cap, lead_time_days=lead,
        min_activation_days=minimum, activation_cost=fee,
        committed_fte=min(committed, cap), surge_cost_ratio=surge),
    st.integers(0, 9), st.floats(5, 60), st.floats(0.8, 1.4), st.floats(1.0, 1.3),
    st.lists(st.floats(1, 1.6), max_size=2), st.one_of(st.just(math.inf), st.floats(0.5, 8)),
    st.integers(0, 3), st.integers(1, 4), st.sampled_from([0.0, 150.0, 600.0]),
    st.sampled_from([0.0, 0.0, 1.0]), st.floats(1.0, 1.5))


def coverage_of(partners, shares, n_days):
    """``date, queue, source, share``: ``shares`` day by day, partner by partner (or None)."""
    if not partners:
        return None
    return pd.DataFrame([(D0 + pd.Timedelta(days=d), "chat", s.name, shares[d * len(partners) + k])
                         for d in range(n_days) for k, s in enumerate(partners)],
                        columns=["date", "queue", "source", "share"])


@st.composite
def sourcing_case(draw):
    n = draw(st.integers(3, 12))
    required = draw(st.lists(st.floats(0, 10), min_size=n, max_size=n))
    partners = draw(st.lists(partner_st, max_size=2, unique_by=lambda s: s.name))
    shares = draw(st.lists(st.sampled_from([1.0, 1.0, 0.8, 0.5]), min_size=n * len(partners),
                           max_size=n * len(partners)))
    overtime = draw(st.sampled_from([0.0, 0.1, 0.25]))
    step = draw(st.sampled_from([0.5, 1.0]))
    gap = draw(st.integers(0, 2))
    return required, tuple(partners), coverage_of(partners, shares, n), overtime, step, gap


# found by hypothesis: partners dearer per hour of work than core overtime, whose windows
# the plan keeps (fee below labour) or moves to overtime (peak under min_window_fte)
DEARER_NO_FEE = Source("S9", 57.5, lead_time_days=1, min_activation_days=2,
                       quality_factor=1.17, ramp=(1.005,), surge_cost_ratio=1.42,
                       repeat_factor=1.1)
DEARER_RAMPED = Source("S7", 60.0, activation_cost=600.0, quality_factor=0.92,
                       ramp=(1.6, 1.28), surge_cost_ratio=1.29, repeat_factor=1.25)
# found by the merged suite: one busy day, a partner whose first (ramped) day with its fee
# still beats paying a core all week; the programme chose a core of 2, the grid none
RAMPED_FOR_ONE_DAY = Source("S0", 35.0, activation_cost=600.0, ramp=(1.5,),
                            surge_cost_ratio=1.25, repeat_factor=1.125)
# found by a fresh clone's CI: the programme chose 6.5, a local dip of a curve that is not
# convex (two busy days, a ramped partner with a fee); the grid's best is 3.5
DEAR_RAMPED_FEE = Source("S0", 38.0, activation_cost=600.0, quality_factor=1.25, ramp=(1.5,),
                         surge_cost_ratio=1.25, repeat_factor=1.125)
# and a second: the best level (4.0) sits just above one left short (3.5) by the sweep
DEARER_RAMPED_FEE = replace(DEAR_RAMPED_FEE, hourly_cost=40.0, quality_factor=1.125)


@given(case=sourcing_case())
@example(case=([4.01, 3.84, 0.0, 6.77, 0.0, 5.0, 6.86, 0.0, 1.6, 0.0, 3.32], (DEARER_NO_FEE,),
               coverage_of([DEARER_NO_FEE], [1, .5, 1, 1, 1, .5, 1, 1, .5, 1, 1], 11),
               0.25, 0.5, 0))
@example(case=([5.27, 0.0, 6.28, 0.0, 0.0, 0.0, 8.4, 1.5, 5.91], (DEARER_RAMPED,),
               coverage_of([DEARER_RAMPED], [.5, 1, 1, 1, .8, 1, 1, 1, 1], 9), 0.25, 0.5, 2))
@example(case=([0.0, 0.0, 0.0, 3.0, 0.0], (RAMPED_FOR_ONE_DAY,),
               coverage_of([RAMPED_FOR_ONE_DAY], [1.0] * 5, 5), 0.0, 0.5, 0))
@example(case=([0.0, 0.0, 0.0, 4.805696177878241, 0.0, 8.512308113285714], (DEAR_RAMPED_FEE,),
               coverage_of([DEAR_RAMPED_FEE], [1.0] * 6, 6), 0.25, 0.5, 0))
@example(case=([0.0, 0.0, 4.805696177878241, 0.0, 0.0, 8.512308113285714], (DEARER_RAMPED_FEE,),
               coverage_of([DEARER_RAMPED_FEE], [1.0, 1.0, 0.8, 1.0, 1.0, 1.0], 6), 0.25, 0.5, 0))
@settings(max_examples=30, deadline=None, derandomize=True, database=None)
def test_the_programme_costs_no_more_than_the_grid(case):
    required, partners, coverage, overtime, step, gap = case
    scenario = Scenario("opt", "Team", CorePolicy("optimal", overtime_fraction=overtime),
                        tuple(p.name for p in partners))
    inputs = CostInputs((TEAM, *partners), as_of=D0, coverage=coverage, merge_gap_days=gap)
    core, grid = against_the_grid(daily(required), scenario, inputs, step)
    assert_as_good_as_the_grid(core, grid)


# --- the bundled example ----------------------------------------------------------------

@pytest.fixture(scope="module")
def example_requirement():
    """(daily requirement, recommended scenario, cost inputs) of the bundled example, 8 weeks."""
    from surgeplan.inputs import load_inputs
    from surgeplan.pipeline import run_plan, sourcing

    loaded = load_inputs(EXAMPLE / "plan.toml")
    config = replace(loaded.config, forecast=replace(loaded.config.forecast, horizon_days=56))
    result = run_plan(loaded.history, loaded.promos, config, loaded.tickets, sensitivity=False)
    inputs = sourcing(result.daily, result.intervals, config, result.as_of).inputs
    inhouse = next(s.name for s in inputs.sources if s.inhouse)
    partners = tuple(s.name for s in inputs.sources if not s.inhouse)
    policy = replace(config.core.policy, method="optimal")
    return result.daily, Scenario("recommended", inhouse, policy, partners), inputs


@pytest.mark.slow  # plans the example (8 weeks) and prices every grid level: ~15 s
def test_the_example_costs_no_more_than_the_grid(example_requirement):
    frame, scenario, inputs = example_requirement
    core, grid = against_the_grid(frame, scenario, inputs, 0.5)
    assert_as_good_as_the_grid(core, grid)


def test_without_partners_the_programme_prices_as_the_plan_does():
    # nothing to call: core and overtime are the whole plan, and the programme's cost is
    # the plan's, each queue's core paid on that queue's own days (email has 3 of 7)
    frame = pd.concat([daily([3, 3, 7, 3, 3, 8, 3]), daily([2, 5, 2], queue="email")],
                      ignore_index=True)
    scenario = Scenario("opt", "Team", CorePolicy("optimal", overtime_fraction=0.1))
    _, grid = optimal_core(frame, scenario, CostInputs((TEAM,), as_of=D0), 0.5, method="grid")
    terms = CoreTerms(core_hourly_cost=30, as_of=D0, step_fte=0.5, overtime_fraction=0.1)
    out = programme_core(frame, [], terms)
    chosen = grid[grid["optimal"]].set_index("queue")
    pd.testing.assert_series_equal(out.core, chosen["core_fte"], check_names=False)
    assert out.modelled_cost == pytest.approx(chosen["total_cost"].sum(), rel=1e-9)


def test_a_standing_contract_has_no_lead_time_fee_or_ramp():
    p = Source("P", hourly_cost=10, lead_time_days=5, activation_cost=5000, ramp=(2.0,),
               max_fte=3.0)
    frame = daily([4, 4, 9, 4, 4, 10, 4])
    scenario = Scenario("all P", "Team", CorePolicy("optimal"), ("P",), steady_state=True)
    core, grid = against_the_grid(frame, scenario, CostInputs((TEAM, p), as_of=D0), 0.5)
    assert_as_good_as_the_grid(core, grid)
    assert core["chat"] == 7.0  # the cap of 3 covers the rest from the first day


@given(n_levels=st.integers(2, 200), first_ok=st.integers(0, 199), start=st.integers(0, 199))
@settings(max_examples=200)
def test_the_climb_finds_the_least_level_with_no_shortfall_in_few_prices(n_levels, first_ok,
                                                                         start):
    from staffing.costs import _climb

    first_ok, start = min(first_ok, n_levels - 1), min(start, n_levels - 1)
    priced = set()

    def price(k):  # shortfall falls to none at first_ok; above it the cost rises with the level
        priced.add(k)
        return float(k), (0.0 if k >= first_ok else float(first_ok - k))

    assert _climb(price, start, n_levels) == first_ok
    if start < first_ok:  # up by galloping and bisecting, not one level at a time
        assert len(priced) <= 2 * math.ceil(math.log2(n_levels)) + 2

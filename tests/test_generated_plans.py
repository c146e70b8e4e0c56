"""Generated plans through the whole pipeline and every writer: no crash, and the books balance.

Hypothesis draws small businesses (which queues, which sources, closed days,
Tier 2, a calendar before, inside or after every lead time, a horizon from a
week to a quarter, the core policy) and plans each through ``run_plan`` and
``write_report``. CI runs a few, derandomized; ``SURGEPLAN_PLAN_EXAMPLES=200``
runs the issue's 200.
"""
from __future__ import annotations

import os

import pandas as pd
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from surgeplan.pipeline import run_plan
from surgeplan.report import PLAN_OUTPUTS, write_report
from tests.small_plan import SOURCES, load_case, write_case

EXAMPLES = int(os.environ.get("SURGEPLAN_PLAN_EXAMPLES", "6"))
LAST_HISTORY_DAY = pd.Timestamp("2026-03-01")  # small_plan's 420 days from 2025-01-06

cases = st.fixed_dictionaries({
    "queues": st.sets(st.sampled_from(["chat", "email", "phone"]), min_size=1).map(sorted),
    "sources": st.sampled_from(["both", "inhouse", "nearshore"]),
    "horizon_days": st.sampled_from([7, 20, 45, 90]),
    "sale_in_days": st.one_of(st.none(), st.integers(-60, 100)),
    "weekends_closed": st.booleans(),
    "tier2": st.booleans(),
    "policy": st.sampled_from(["percentile", "peak", "fixed"]),
})


@pytest.mark.slow
@settings(max_examples=EXAMPLES, deadline=None,  # no shrinking: each example is a whole plan
          phases=[Phase.explicit, Phase.reuse, Phase.generate],
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(case=cases)
def test_any_plan_runs_writes_and_balances(case, tmp_path_factory):
    folder = tmp_path_factory.mktemp("case")
    sources = {"both": SOURCES, "inhouse": {"inhouse": SOURCES["inhouse"]},
               "nearshore": {"nearshore": {**SOURCES["nearshore"], "hourly_cost": 12.0,
                                           "cost_ratio": None}}}[case["sources"]]
    sources = {name: {k: v for k, v in values.items() if v is not None}
               for name, values in sources.items()}
    calendar = None
    if case["sale_in_days"] is not None:
        start = LAST_HISTORY_DAY + pd.Timedelta(days=case["sale_in_days"])
        calendar = pd.DataFrame([{"name": "Sale", "type": "flash_sale", "start": f"{start:%Y-%m-%d}",
                                  "end": f"{start + pd.Timedelta(days=1):%Y-%m-%d}"}])
    overrides = {q: {"open_hours": "mon-fri 09:00-18:00"} for q in case["queues"]} \
        if case["weekends_closed"] else None
    extra = {"core": {"policy": case["policy"]}}
    if case["policy"] == "fixed":
        extra["core"]["fixed_fte"] = {q: 3.0 for q in case["queues"] + ["tier2"] * case["tier2"]}
    if case["tier2"]:
        extra["escalation"] = {"share": 0.1}
    config = write_case(folder, queues=tuple(case["queues"]), sources=sources,
                        horizon_days=case["horizon_days"], calendar=calendar,
                        queue_overrides=overrides, extra=extra)
    result = run_plan(*load_case(config))
    written = write_report(result, folder / "out")
    assert {p.name for p in written} <= set(PLAN_OUTPUTS)
    plan = result.plan
    # every day of every queue is covered by its parts or named as short
    assert len(plan) == case["horizon_days"] * plan["queue"].nunique()
    assert (plan[["core_fte", "overtime_fte", "overflow_fte", "shortfall_fte"]] >= -1e-9).all().all()
    short = plan["shortfall_fte"] > 1e-6
    assert (plan.loc[short, "shortfall_reason"].astype(str).str.len() > 0).all()
    # the recommended plan is costed, first, and its parts add up to its total
    costs = result.costs
    assert costs["scenario"].iloc[0] == "recommended"
    parts = ["core_cost", "overtime_cost", "commitment_cost", "overflow_cost", "activation_cost"]
    assert costs[parts].sum(axis=1).to_numpy() == pytest.approx(costs["total_cost"].to_numpy(),
                                                                 rel=1e-9, abs=1e-6)

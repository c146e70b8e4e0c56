"""Optimal core benchmark: the programme (HiGHS MILP) against the grid of plans, on the example.

    .venv/bin/python benchmarks/optimal_core.py [--step-fte 0.5] [--repeats 3] [--horizon-days N]

Plans the bundled example (its config, ``policy = "optimal"``) up to the
core, then times :func:`staffing.costs.optimal_core` both ways on the same
daily requirement: ``milp`` (one programme chooses the levels, the plan
prices the choice and its neighbours) and ``grid`` (a plan per level and
queue). The optimal core's extra wall time in ``surgeplan plan`` is that
call: everything else the plan does is the same whichever core policy.
The cost ratio prices both cores with the grid's own curve (each queue on
its own, as the optimal core sizes it) and with the recommended plan over
every queue (partners' caps shared). Goals: extra time <= 3 s, cost ratio
<= 1.005.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from staffing.costs import RECOMMENDED, Scenario, optimal_core, scenario_costs  # noqa: E402
from staffing.plan import CorePolicy  # noqa: E402
from surgeplan.inputs import load_inputs  # noqa: E402
from surgeplan.pipeline import run_plan, sourcing  # noqa: E402

GOAL_EXTRA_S = 3.0
GOAL_COST_RATIO = 1.005


def example_requirement(horizon_days: int | None):
    """(daily requirement, recommended scenario with the optimal policy, cost inputs)."""
    loaded = load_inputs(ROOT / "examples" / "data" / "plan.toml")
    config = loaded.config
    if horizon_days:
        config = replace(config, forecast=replace(config.forecast, horizon_days=horizon_days))
    result = run_plan(loaded.history, loaded.promos, config, loaded.tickets, sensitivity=False)
    inputs = sourcing(result.daily, result.intervals, config, result.as_of).inputs
    inhouse = next(s.name for s in inputs.sources if s.inhouse)
    partners = tuple(s.name for s in inputs.sources if not s.inhouse)
    policy = replace(config.core.policy, method="optimal")
    return result.daily, Scenario(RECOMMENDED, inhouse, policy, partners), inputs


def timed(daily, scenario, inputs, step_fte, method, repeats):
    """(core, curve, median wall time [s]) of ``repeats`` calls."""
    seconds = []
    for _ in range(repeats):
        started = time.perf_counter()
        core, curve = optimal_core(daily, scenario, inputs, step_fte, method=method)
        seconds.append(time.perf_counter() - started)
    return core, curve, statistics.median(seconds)


def plan_cost(daily, scenario, inputs, core) -> float:
    """Total cost of the recommended plan over every queue with this core [currency]."""
    policy = scenario.core_policy
    fixed = Scenario(scenario.name, scenario.core_source,
                     CorePolicy("fixed", fixed_fte=core.to_dict(),
                                overtime_fraction=policy.overtime_fraction,
                                overtime_premium=policy.overtime_premium),
                     scenario.overflow_sources)
    return float(scenario_costs(daily, [fixed], inputs)[0].loc[0, "total_cost"])


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--step-fte", type=float, default=0.5)
    parser.add_argument("--repeats", type=int, default=3, help="median of this many MILP runs")
    parser.add_argument("--horizon-days", type=int, default=None,
                        help="default: the example config's")
    args = parser.parse_args(argv)
    import scipy.optimize  # noqa: F401  (loaded by the plan anyway: not the programme's time)

    daily, scenario, inputs = example_requirement(args.horizon_days)
    print(f"example: {daily['date'].nunique()} days, {daily['queue'].nunique()} queues, "
          f"step {args.step_fte:g} FTE", flush=True)
    milp_core, _, milp_s = timed(daily, scenario, inputs, args.step_fte, "milp", args.repeats)
    grid_core, grid_curve, grid_s = timed(daily, scenario, inputs, args.step_fte, "grid", 1)
    by_level = grid_curve.set_index(["queue", "core_fte"])["total_cost"]
    per_queue = {m: sum(by_level[(q, c)] for q, c in core.items())
                 for m, core in (("milp", milp_core), ("grid", grid_core))}
    plan = {m: plan_cost(daily, scenario, inputs, core)
            for m, core in (("milp", milp_core), ("grid", grid_core))}
    ratio = per_queue["milp"] / per_queue["grid"]
    plan_ratio = plan["milp"] / plan["grid"]
    print(f"\n{'method':<6} {'extra s':>8} {'core FTE by queue':<44} {'cost (grid)':>13} "
          f"{'cost (plan)':>13}")
    for name, core, seconds in (("milp", milp_core, milp_s), ("grid", grid_core, grid_s)):
        levels = ", ".join(f"{q} {v:g}" for q, v in core.items())
        print(f"{name:<6} {seconds:>8.2f} {levels:<44} {per_queue[name]:>13,.0f} "
              f"{plan[name]:>13,.0f}")
    print(f"\nspeed-up {grid_s / milp_s:.0f}x; cost ratio milp/grid {ratio:.4f} on the grid's "
          f"curve, {plan_ratio:.4f} on the recommended plan")
    ok = milp_s <= GOAL_EXTRA_S and max(ratio, plan_ratio) <= GOAL_COST_RATIO
    print(f"goals: extra time <= {GOAL_EXTRA_S:g} s, cost ratio <= {GOAL_COST_RATIO}: "
          f"{'met' if ok else 'NOT met'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

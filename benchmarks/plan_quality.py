"""Plan quality: plans made at past dates of the bundled example, served with what came.

    .venv/bin/python benchmarks/plan_quality.py [--jobs 2] [--origins 2024-09-16 ...]

For each origin (by default: two holiday seasons and a summer flash sale,
planned two months ahead, and a quiet spring), four plans serve the demand
that actually came (``surgeplan.evaluate``): the product as configured
(``plan_on = "cost"``: each day's forecast quantile set by the price of an
understaffed hour against an idle one), the product on P50, P90 everywhere,
and the oracle (the same stages fed the actual volumes); ``peak`` (all
in-house for the peak) comes with every run. Prints the share of first-line
open intervals meeting the target by day type, Tier 2's, and each plan's
cost against the oracle's, all in the same run.
"""
from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from surgeplan.evaluate import evaluate  # noqa: E402
from surgeplan.inputs import load_inputs  # noqa: E402

ORIGINS = ["2024-09-16", "2025-05-01", "2025-09-15", "2026-03-20"]
HORIZON_DAYS = 105
VARIANTS = {"cost": "cost", "p50": "p50", "p90": "p90"}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--origins", nargs="*", default=ORIGINS)
    parser.add_argument("--horizon-days", type=int, default=HORIZON_DAYS)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--miss-cost-ratio", type=float, default=None)
    parser.add_argument("--variants", nargs="*", default=list(VARIANTS),
                        help="plan_on values to compare (cost, p50, p90)")
    args = parser.parse_args(argv)
    inputs = load_inputs(ROOT / "examples" / "data" / "plan.toml")
    base = inputs.config
    base = replace(base, forecast=replace(base.forecast, horizon_days=args.horizon_days))
    if args.miss_cost_ratio:
        base = replace(base, plan=replace(base.plan, miss_cost_ratio=args.miss_cost_ratio))
    origins = [pd.Timestamp(o) for o in args.origins]
    frames = []
    for name, plan_on in ((v, VARIANTS[v]) for v in args.variants):
        cfg = replace(base, forecast=replace(base.forecast, plan_on=plan_on))
        started = time.perf_counter()
        metrics = evaluate(inputs.history, inputs.promos, cfg, origins, inputs.tickets,
                           n_jobs=args.jobs)
        seconds = time.perf_counter() - started
        print(f"{name}: {len(origins)} origins evaluated in {seconds:.0f} s", flush=True)
        metrics["variant"] = name
        frames.append(metrics)
    m = pd.concat(frames, ignore_index=True)
    # one row per variant: the product of each, and the oracle and peak once
    m["label"] = m["variant"].where(m["plan"] == "product", m["plan"])
    m = m[(m["plan"] == "product") | (m["variant"] == args.variants[0])]
    tier2 = "tier2"
    first_line = m[(m["queue"] != "all") & (m["queue"] != tier2)]
    table = (first_line.groupby(["label", "day_type"])[["intervals", "intervals_met"]].sum())
    share = (table["intervals_met"] / table["intervals"]).unstack("day_type")
    overall = first_line.groupby("label")[["intervals", "intervals_met"]].sum()
    share["first-line all"] = overall["intervals_met"] / overall["intervals"]
    t2 = m[(m["queue"] == tier2) & (m["day_type"] == "all")].groupby("label")[
        ["intervals", "intervals_met"]].sum()
    share["tier2"] = t2["intervals_met"] / t2["intervals"] if len(t2) else float("nan")
    totals = m[(m["queue"] == "all") & (m["day_type"] == "all")]
    cost = totals.groupby("label")["cost"].sum()
    share["cost / oracle"] = cost / cost["oracle"]
    pd.set_option("display.width", 200)
    print("\nShare of first-line open intervals meeting the target, by day type; Tier 2's; "
          "cost against the oracle (all origins)")
    print(share.round(3).to_string())
    event = [c for c in share.columns if c in ("flash_sale", "holiday_peak")]
    product = share.loc[args.variants[0]]
    print("\nGoals (product as configured): first-line all >= 0.97: "
          f"{product['first-line all']:.3f}; event days >= 0.95: "
          + ", ".join(f"{c} {product[c]:.3f}" for c in event)
          + f"; Tier 2 >= 0.95: {product['tier2']:.3f}; cost <= 1.05x oracle: "
          f"{product['cost / oracle']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Shift schedules on the bundled example: efficiency, gap to the LP bound, speed, and pyworkforce.

Run:  .venv/bin/python benchmarks/shifts.py [--peer-days 7] [--no-peer] [--refresh]

The interval requirement is the bundled example's plan (``run_plan``, about a
minute), cached in ``benchmarks/.cache/example_intervals.parquet`` (git-ignored;
``--refresh`` rebuilds it). Every queue takes the default :class:`ShiftRules`
(4, 6, 8, 10 h shifts starting on any half hour inside open hours; shifts of 6 h
or more have an unpaid 30-minute break placed 2 h or more from either end).

Goals (issue 14): gap to the LP bound <= 2%; a week of 3 queues < 5 s; the
120-day plan < 60 s; against pyworkforce 0.5.1 ``MinRequiredResources`` on the
same requirement and shift set: equal or fewer paid hours, >= 10x faster.

pyworkforce is NOT a project dependency: it runs in its own virtual environment,
``benchmarks/.peer-venv`` (git-ignored), made on first use with
``python3 -m venv benchmarks/.peer-venv && benchmarks/.peer-venv/bin/pip install
pyworkforce==0.5.1``, and is called as a subprocess exchanging JSON. It is given
exactly our shift set for each queue and group of days with the same open hours
(every start, length and break position, as coverage arrays over the day's 48
half hours), the same requirement (agents rounded up) and our cost (paid
half-hours, its costs must be integers). Its CP-SAT solver runs with its default
two workers and a search limit of ``--peer-limit-s`` per call.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from staffing.schedules import schedule_requirements  # noqa: E402
from staffing.shifts import ShiftRules, shift_set  # noqa: E402

CACHE = HERE / ".cache" / "example_intervals.parquet"
PEER_VENV = HERE / ".peer-venv"
IV = 30  # [min], the example's interval
WEEK_QUEUES = ("chat", "phone", "email")

_PEER_SCRIPT = r"""
import json, sys, time
from pyworkforce.scheduling import MinRequiredResources
problems = json.load(sys.stdin)
out, total = [], 0.0
for p in problems:
    start = time.perf_counter()
    solver = MinRequiredResources(num_days=len(p["required"]), periods=len(p["required"][0]),
                                  shifts_coverage=p["coverage"], required_resources=p["required"],
                                  max_period_concurrency=p["max_period"],
                                  max_shift_concurrency=p["max_shift"], cost_dict=p["cost"],
                                  max_search_time=p["limit_s"])
    solution = solver.solve()
    total += time.perf_counter() - start
    out.append({"status": solution["status"], "resources": solution["resources_shifts"]})
print(json.dumps({"seconds": total, "results": out}))
"""


def requirement(refresh: bool = False) -> pd.DataFrame:
    """The example plan's interval requirement, from the cache or a fresh run_plan."""
    if CACHE.exists() and not refresh:
        return pd.read_parquet(CACHE)
    sys.path.insert(0, str(ROOT / "examples"))
    from plan_peak_season import EXAMPLE_CONFIG, plan

    intervals = plan(EXAMPLE_CONFIG).intervals
    CACHE.parent.mkdir(exist_ok=True)
    intervals.to_parquet(CACHE)
    return intervals


def first_days(frame: pd.DataFrame, n_days: int, queues=WEEK_QUEUES) -> pd.DataFrame:
    local = frame["interval_start"].dt.tz_localize(None).dt.normalize()
    keep = (local < local.min() + pd.Timedelta(days=n_days)) & frame["queue"].isin(queues)
    return frame[keep].reset_index(drop=True)


def timed(frame, rules):
    start = time.perf_counter()
    schedule = schedule_requirements(frame, IV, rules)
    return schedule, time.perf_counter() - start


def peer_python() -> Path | None:
    python = PEER_VENV / "bin" / "python"
    if not python.exists():
        print(f"making {PEER_VENV} with pyworkforce 0.5.1 ...", flush=True)
        if subprocess.run(["python3", "-m", "venv", str(PEER_VENV)]).returncode or subprocess.run(
                [str(python), "-m", "pip", "install", "--quiet", "pyworkforce==0.5.1"]).returncode:
            return None
    return python


def peer_problems(frame: pd.DataFrame, rules: ShiftRules, limit_s: float):
    """One pyworkforce problem per queue and set of days with the same open intervals."""
    wall = frame["interval_start"].dt.tz_localize(None)
    date = wall.dt.normalize()
    slot = ((wall - date) / pd.Timedelta(minutes=IV)).round().astype(int).to_numpy()
    groups: dict = {}
    for (queue, _), rows in frame.groupby(["queue", date], sort=True).indices.items():
        mask = np.zeros(24 * 60 // IV, bool)
        mask[slot[rows]] = True
        need = np.zeros(len(mask))
        need[slot[rows]] = np.ceil(np.round(frame["agents"].to_numpy(float)[rows], 9))
        groups.setdefault((queue, mask.tobytes()), (mask, []))[1].append(need)
    problems, paid = [], []
    for (queue, _), (mask, needs) in groups.items():
        shifts = shift_set(mask, IV, rules)
        names = [f"s{j}" for j in range(len(shifts.start_slot))]
        top = int(max(n.max() for n in needs))
        problems.append({
            "coverage": {n: shifts.cover[:, j].astype(int).tolist() for j, n in enumerate(names)},
            "required": [n.astype(int).tolist() for n in needs],
            "cost": {n: int(round(shifts.paid_hours[j] * 60 / IV)) for j, n in enumerate(names)},
            "max_period": 10 * top + 10, "max_shift": top + 1, "limit_s": limit_s})
        paid.append(dict(zip(names, shifts.paid_hours)))
    return problems, paid


def run_peer(python: Path, problems, paid) -> tuple[float, float, list[str]] | None:
    proc = subprocess.run([str(python), "-c", _PEER_SCRIPT], input=json.dumps(problems),
                          capture_output=True, text=True)
    if proc.returncode != 0:
        print((proc.stderr.strip().splitlines() or ["pyworkforce failed"])[-1])
        return None
    out = json.loads(proc.stdout)
    hours = sum(paid[k][r["shift"]] * r["resources"] for k, res in enumerate(out["results"])
                for r in res["resources"] if r["resources"] > 0)
    return out["seconds"], hours, [r["status"] for r in out["results"]]


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--peer-days", type=int, default=7)
    parser.add_argument("--peer-limit-s", type=float, default=120.0)
    parser.add_argument("--no-peer", action="store_true")
    parser.add_argument("--refresh", action="store_true")
    args = parser.parse_args(argv)
    rules = ShiftRules()
    frame = requirement(args.refresh)
    week = first_days(frame, 7)

    print("Shift schedules on the example (default ShiftRules, 30-minute intervals)")
    print("(timings on a shared machine: compare the ratios taken in the same run)\n")
    week_schedule, week_s = timed(week, rules)
    plan_schedule, plan_s = timed(frame, rules)
    print(f"{'case':<28} {'queue-days':>10} {'time s':>8} {'efficiency':>10} {'gap to LP':>10}")
    for name, sched, secs, goal in (("week, chat+phone+email", week_schedule, week_s, "< 5 s"),
                                    (f"plan, {frame['queue'].nunique()} queues, "
                                     f"{frame['interval_start'].dt.date.nunique()} days",
                                     plan_schedule, plan_s, "< 60 s")):
        print(f"{name:<28} {len(sched.days):>10} {secs:>8.2f} {sched.efficiency:>10.3f} "
              f"{sched.gap:>10.4f}   goal {goal}, gap <= 0.02")
    days = plan_schedule.days
    print(f"\nPer queue over the plan: {'required h':>10} {'on floor h':>10} {'paid h':>9} "
          f"{'efficiency':>10} {'gap':>7} {'worst day gap':>13}")
    for queue, rows in days.groupby("queue"):
        req, sch = rows["required_agent_hours"].sum(), rows["scheduled_agent_hours"].sum()
        print(f"  {queue:<22} {req:>10.0f} {sch:>10.0f} {rows['paid_hours'].sum():>9.0f} "
              f"{req / sch:>10.3f} {rows['cost'].sum() / rows['lp_bound_cost'].sum() - 1:>7.4f} "
              f"{rows['gap'].max():>13.4f}")

    if args.no_peer:
        return
    python = peer_python()
    if python is None:
        print("\npyworkforce: could not make its venv; see the module docstring")
        return
    sample = first_days(frame, args.peer_days)
    problems, paid = peer_problems(sample, rules, args.peer_limit_s)
    print(f"\nAgainst pyworkforce 0.5.1 MinRequiredResources, {args.peer_days} days of "
          f"{', '.join(WEEK_QUEUES)} ({len(problems)} problems, "
          f"{sum(len(p['coverage']) for p in problems)} shift columns), interleaved:")
    ours_a, ours_a_s = timed(sample, rules)
    peer = run_peer(python, problems, paid)
    _, ours_b_s = timed(sample, rules)
    ours_s = min(ours_a_s, ours_b_s)
    ours_paid = ours_a.days["paid_hours"].sum()
    print(f"  ours        {ours_s:8.2f} s   paid hours {ours_paid:9.1f}   "
          f"LP bound {ours_a.days['lp_bound_cost'].sum():9.1f}")
    if peer is None:
        return
    peer_s, peer_paid, status = peer
    print(f"  pyworkforce {peer_s:8.2f} s   paid hours {peer_paid:9.1f}   status "
          f"{', '.join(sorted(set(status)))}")
    print(f"  speed-up {peer_s / ours_s:6.1f}x (goal >= 10x); paid hours ours - peer "
          f"{ours_paid - peer_paid:+.1f} (goal <= 0)")


if __name__ == "__main__":
    main()

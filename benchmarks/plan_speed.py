"""Plan speed: `surgeplan plan` on the example with its stage table, `--help`, and 50 queues' memory.

    .venv/bin/python benchmarks/plan_speed.py [--repeat 10] [--queues 50] [--days 365]
    .venv/bin/python benchmarks/plan_speed.py --baseline /tmp/base [--plan-repeat 5]

Three measurements in one run, each beside the baseline it is read against:

1. ``surgeplan --help``: the median and best of ``--repeat`` runs, against a bare
   ``python -c pass`` (the floor no CLI can go under). Goal < 0.25 s.
2. ``surgeplan plan --profile`` on the bundled example: wall time and the
   stage table the command prints itself. Goal <= 10 s on 2 cores.
3. ``surgeplan plan`` for ``--queues`` synthetic queues over ``--days`` days
   (model ``baseline``): wall time and peak resident memory of the process.
   Goal < 2 GB for 50 queues x 365 days.

Every plan runs in a fresh process, as a planner runs it.
"""
from __future__ import annotations

import argparse
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SURGEPLAN = Path(sys.executable).with_name("surgeplan")


def wall_s(command: list[str], **kwargs) -> tuple[float, subprocess.CompletedProcess]:
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, **kwargs)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return elapsed, done


def help_times(repeat: int) -> None:
    ours = [wall_s([str(SURGEPLAN), "--help"])[0] for _ in range(repeat)]
    bare = [wall_s([sys.executable, "-c", "pass"])[0] for _ in range(repeat)]
    print(f"surgeplan --help   median {statistics.median(ours):.3f} s, best {min(ours):.3f} s "
          f"(goal < 0.25 s)")
    print(f"python -c pass     median {statistics.median(bare):.3f} s, best {min(bare):.3f} s; "
          f"--help costs {statistics.median(ours) / statistics.median(bare):.1f}x a bare "
          f"interpreter")


def example_plan(folder: Path) -> None:
    seconds, done = wall_s([str(SURGEPLAN), "plan", "--profile", "--out", str(folder / "example")])
    table = done.stderr[done.stderr.index("stage times"):]
    print(f"\nsurgeplan plan (bundled example): {seconds:.1f} s wall (goal <= 10 s)")
    print(table.rstrip())


def stage_seconds(stderr: str) -> dict[str, float]:
    """The ``--profile`` table as {stage: seconds} (``total`` included)."""
    table = stderr[stderr.index("stage times"):].splitlines()[1:]
    rows = (re.match(r"^(.*?)\s+([\d.]+) s\b", line) for line in table)
    return {m.group(1): float(m.group(2)) for m in rows if m}


def against_baseline(folder: Path, baseline: Path, repeat: int) -> None:
    """The example plan from ``baseline`` (another checkout) and from here, runs alternating."""
    runs: dict[str, list[dict[str, float]]] = {"baseline": [], "this": []}
    for k in range(repeat):
        for side, root in (("baseline", baseline), ("this", ROOT)):
            command = [sys.executable, "-c", "from surgeplan.cli import main; main()", "plan",
                       "--profile", "--out", str(folder / f"{side}{k}")]
            started = time.perf_counter()
            done = subprocess.run(command, capture_output=True, text=True, cwd=root,
                                  env={**os.environ, "PYTHONPATH": str(root)})
            if done.returncode != 0:
                raise SystemExit(f"{side} plan failed:\n{done.stderr[-2000:]}")
            stages = stage_seconds(done.stderr)
            stages["wall"] = time.perf_counter() - started
            runs[side].append(stages)
    names = list(runs["this"][0])
    print(f"\nsurgeplan plan (bundled example), {repeat} runs each alternating with the "
          f"baseline {baseline}: median seconds")
    print(f"{'stage':<24} {'baseline':>9} {'this':>9} {'ratio':>7}")
    for name in names:
        b = statistics.median(r.get(name, float("nan")) for r in runs["baseline"])
        t = statistics.median(r[name] for r in runs["this"])
        print(f"{name:<24} {b:>9.2f} {t:>9.2f} {t / b if b else float('nan'):>7.2f}")


def many_queues(folder: Path, n_queues: int, n_days: int) -> None:
    from benchmarks.many_queues import synthetic_queues
    from tests.small_plan import QUEUES, SOURCES, config_text

    daily, _ = synthetic_queues(n_queues)
    daily = daily.rename(columns={"queue": "channel"})
    daily[["date", "channel", "volume"]].to_csv(folder / "daily.csv", index=False)
    queues = {f"queue_{q:03d}": {**QUEUES["chat"]} for q in range(n_queues)}
    (folder / "plan.toml").write_text(config_text(queues, SOURCES, horizon_days=n_days),
                                      encoding="utf-8")
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    seconds, _ = wall_s([str(SURGEPLAN), "plan", "--config", str(folder / "plan.toml"),
                         "--out", str(folder / "many")])
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    peak = f"{peak_kib / 2**20:.2f} GB" if peak_kib > before else "not above earlier runs'"
    print(f"\nsurgeplan plan, {n_queues} queues x {n_days} days: {seconds:.1f} s wall, "
          f"peak memory {peak} (goal < 2 GB)")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--queues", type=int, default=50)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--baseline", type=Path, default=None,
                        help="another checkout (git worktree add /tmp/base REV): only the example "
                             "plan, alternating with it, --plan-repeat times")
    parser.add_argument("--plan-repeat", type=int, default=5)
    args = parser.parse_args(argv)
    if args.baseline is not None:
        with tempfile.TemporaryDirectory() as tmp:
            against_baseline(Path(tmp), args.baseline.resolve(), args.plan_repeat)
        return 0
    help_times(args.repeat)
    with tempfile.TemporaryDirectory() as tmp:
        many_queues(Path(tmp), args.queues, args.days)  # first: ru_maxrss is the peak so far
        example_plan(Path(tmp))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

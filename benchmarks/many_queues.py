"""Many-queues benchmark: one forecast over 200 queues, serially, in a process pool and on Dask.

Run from the repository root::

    .venv/bin/python benchmarks/many_queues.py [--queues 200] [--jobs 2] [--model baseline]
        [--auto-queues 20] [--no-dask]

Makes ``--queues`` seeded synthetic queues (two years of daily volume each,
weekly and yearly seasonality, growth, Poisson noise, US holidays and a
flash sale per year with a queue-specific lift) and forecasts 120 days with
:func:`forecast.models.forecast_queues` three ways in the same run: serial,
a local joblib process pool of ``--jobs`` workers, and a local Dask cluster
(2 worker processes). Prints queues per second for each, the speed-up over
serial, and checks that each result equals the serial one. ``--auto-queues``
repeats serial and pool with the ``auto`` model on a subset. The goal is a
pool at least 1.7x serial on 2 cores.

``--plan-queues N`` also runs the whole plan (``surgeplan.pipeline.run_plan``,
as ``surgeplan plan --jobs/--scheduler`` does) for the first N queues as chat
queues, serially, in the pool and on Dask, and checks that the plans and
costs are equal.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from calendars.events import event_days, holiday_events, public_holidays  # noqa: E402
from forecast.models import forecast_queues  # noqa: E402

HORIZON_DAYS = 120


def synthetic_queues(n_queues: int, seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``n_queues`` two-year daily histories and their event days (holidays, flash sales)."""
    rng = np.random.default_rng(seed)
    dates = pd.date_range("2024-01-01", "2025-12-31", freq="D")
    t_years = np.arange(len(dates)) / 365.25
    sales = pd.DataFrame({
        "name": ["Spring sale 2024", "Spring sale 2025", "Spring sale 2026"],
        "type": "flash_sale", "start": pd.to_datetime(["2024-04-10", "2025-04-09", "2026-04-08"]),
        "end": pd.to_datetime(["2024-04-11", "2025-04-10", "2026-04-09"]), "uplift": np.nan,
        "channels": [()] * 3, "pre_days": 0, "post_days": 2})
    days = pd.concat([event_days(sales), holiday_events(public_holidays(range(2024, 2027), ["US"]))],
                     ignore_index=True)
    frames = []
    for q in range(n_queues):
        level = rng.uniform(50, 2000)
        weekly = 1.0 + rng.uniform(0.1, 0.5) * (dates.day_of_week < 5) - 0.2
        yearly = 1.0 + rng.uniform(0.0, 0.3) * np.sin(2 * np.pi * (t_years + rng.uniform()))
        mean = level * weekly * yearly * np.exp(rng.uniform(-0.1, 0.3) * t_years)
        lift = rng.uniform(2.0, 6.0)
        on_sale = dates.isin(days.loc[days["type"] == "flash_sale", "date"])
        mean = np.where(on_sale, mean * lift, mean)
        mean = np.where(dates.isin(days.loc[days["type"] == "public_holiday", "date"]),
                        mean * 0.5, mean)
        frames.append(pd.DataFrame({"date": dates, "queue": f"queue_{q:03d}",
                                    "volume": rng.poisson(mean).astype(float)}))
    return pd.concat(frames, ignore_index=True), days


def timed(daily, days, model, **kwargs) -> tuple[pd.DataFrame, float]:
    start = time.perf_counter()
    out = forecast_queues(daily, days, HORIZON_DAYS, model, **kwargs)
    return out, time.perf_counter() - start


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queues", type=int, default=200)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--model", default="baseline")
    parser.add_argument("--auto-queues", type=int, default=0,
                        help="also run auto on this many queues (serial and pool)")
    parser.add_argument("--no-dask", action="store_true")
    parser.add_argument("--plan-queues", type=int, default=0,
                        help="also plan this many queues end to end (serial, pool, Dask)")
    args = parser.parse_args(argv)

    daily, days = synthetic_queues(args.queues)
    print(f"{args.queues} queues x {daily['date'].nunique()} days, {HORIZON_DAYS}-day horizon, "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
    rows = []

    def run(model, n, label, **kwargs):
        subset = daily[daily["queue"].isin(sorted(daily["queue"].unique())[:n])]
        out, seconds = timed(subset, days, model, **kwargs)
        rows.append({"model": model, "queues": n, "run": label, "seconds": seconds,
                     "queues_per_s": n / seconds, "out": out})

    run(args.model, args.queues, "serial")
    run(args.model, args.queues, f"pool ({args.jobs} processes)", n_jobs=args.jobs)
    if not args.no_dask:
        run(args.model, args.queues, "dask local (2 workers)", scheduler="local")
    if args.auto_queues:
        run("auto", args.auto_queues, "serial")
        run("auto", args.auto_queues, f"pool ({args.jobs} processes)", n_jobs=args.jobs)

    table = pd.DataFrame(rows)
    serial = table[table["run"] == "serial"].set_index("model")
    table["x_serial"] = serial["seconds"].reindex(table["model"]).to_numpy() / table["seconds"]
    table["same_as_serial"] = [
        bool(_equal(r.out, serial.loc[r.model, "out"])) for r in table.itertuples()]
    print(table.drop(columns="out").to_string(index=False, float_format=lambda v: f"{v:.2f}"))
    if args.plan_queues:
        plans(daily, args.plan_queues, args.jobs, args.no_dask)


def plans(daily: pd.DataFrame, n_queues: int, jobs: int, no_dask: bool) -> None:
    """``run_plan`` over ``n_queues`` chat queues three ways; times and equality with serial."""
    import tempfile

    from surgeplan.config import load_config
    from surgeplan.pipeline import run_plan
    from tests.small_plan import QUEUES, SOURCES, config_text

    names = sorted(daily["queue"].unique())[:n_queues]
    history = daily[daily["queue"].isin(names)].rename(columns={"queue": "channel"})
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "plan.toml"
        history.to_csv(Path(tmp) / "daily.csv", index=False)
        path.write_text(config_text({q: {**QUEUES["chat"]} for q in names}, SOURCES,
                                    horizon_days=HORIZON_DAYS), encoding="utf-8")
        config = load_config(path)
    runs = [("serial", {}), (f"pool ({jobs} processes)", {"n_jobs": jobs})]
    if not no_dask:
        runs.append(("dask local (2 workers)", {"scheduler": "local"}))
    rows, first = [], None
    for label, kwargs in runs:
        start = time.perf_counter()
        result = run_plan(history, None, config, **kwargs)
        seconds = time.perf_counter() - start
        first = first or result
        same = _equal(result.plan, first.plan) and _equal(result.costs, first.costs)
        rows.append({"run": label, "queues": len(names), "seconds": seconds,
                     "x_serial": rows[0]["seconds"] / seconds if rows else 1.0,
                     "same_as_serial": same})
    print(f"\nsurgeplan plan, {len(names)} queues x {HORIZON_DAYS} days (the forecast stage "
          "runs in parallel; staffing, plan and costs serially):")
    print(pd.DataFrame(rows).to_string(index=False, float_format=lambda v: f"{v:.2f}"))


def _equal(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    try:
        pd.testing.assert_frame_equal(a, b)
    except AssertionError:
        return False
    return True


if __name__ == "__main__":
    main()

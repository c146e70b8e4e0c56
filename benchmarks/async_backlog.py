"""Async queues with memory, on the bundled example: what carrying the backlog changes.

Run:  .venv/bin/python benchmarks/async_backlog.py      (plans the example first, about a minute)

1. **Expected on-time share** of email and Tier 2 per day in the plan: today's
   ``expected_sl`` (the staffed share of the day's requirement, back to 1 the
   day the requirement fits) against the backlog carried from day to day
   (:func:`staffing.serve.expected_on_time_share`), for the same plan.
2. **The plan served with its own forecast**: the share of open intervals that
   meet the target when the forecast arrives exactly, with today's per-day
   ``spread`` level and with :func:`staffing.serve.backlog_requirements`, and
   the agent-hours each staffs.
3. **Tier 2 with the weekend's escalations**, which the plan's intraday split
   drops today: added as closed rows (one at noon of each Saturday and
   Sunday), then served by each staffing.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from examples.plan_peak_season import EXAMPLE_CONFIG, plan  # noqa: E402
from staffing.serve import (async_daily, backlog_requirements, expected_on_time_share,  # noqa: E402
                            serve_async)


def _staffed_share(plan_rows: pd.DataFrame, on_shift: bool) -> pd.Series:
    """Staffed over required FTE per day: capped at 1 as the plan's expected_sl reads it, or
    with the whole core on shift (core + overtime + overflow, above 1 on a quiet day)."""
    required = plan_rows["required_fte"].to_numpy(float)
    if on_shift:
        staffed = plan_rows[["core_fte", "overtime_fte", "overflow_fte"]].sum(axis=1).to_numpy(float)
    else:
        staffed = required - plan_rows["shortfall_fte"].to_numpy(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(required > 0, staffed / required, 1.0)
    return pd.Series(share, index=pd.DatetimeIndex(plan_rows["date"]))


def _runs_below(values: np.ndarray, level: float) -> int:
    longest = run = 0
    for v in values:
        run = run + 1 if v < level - 1e-9 else 0
        longest = max(longest, run)
    return longest


def _meeting(served: pd.DataFrame) -> float:
    judged = served["open"] & (served["on_time"] + served["late"] > 0)
    return float(served.loc[judged, "meets"].mean())


def _weekend_escalations(daily: pd.DataFrame, first_line: list[str], share: float, queue: str,
                         tz: str) -> pd.DataFrame:
    volume = daily[daily["queue"].isin(first_line)].groupby("date")["volume"].sum() * share
    weekend = volume[pd.DatetimeIndex(volume.index).day_of_week >= 5]
    starts = (pd.DatetimeIndex(weekend.index) + pd.Timedelta(hours=12)).tz_localize(tz)
    return pd.DataFrame({"interval_start": starts, "queue": queue, "volume": weekend.to_numpy(),
                         "open": False})


def main() -> None:
    started = time.perf_counter()
    result = plan(EXAMPLE_CONFIG)
    config = result.config
    interval_min = config.staffing.interval_min
    hours = interval_min / 60.0  # [min] -> [h]
    print(f"planned the example in {time.perf_counter() - started:.0f} s "
          f"({result.as_of:%Y-%m-%d} + {config.forecast.horizon_days} days; machine shared and loaded)")
    targets = {q.target.queue: q.target for q in config.all_queues if q.target.is_async}

    print("\n1. Expected on-time share per day (days with contacts), the plan as it is")
    print(f"{'queue':<7} {'reading':<34} {'mean':>6} {'min':>6} {'days<target':>11} "
          f"{'longest run<target':>18}")
    for name, target in targets.items():
        rows = result.plan[result.plan["queue"] == name]
        req = result.intervals[result.intervals["queue"] == name]
        days = pd.DatetimeIndex(sorted(req["interval_start"].dt.tz_localize(None).dt.normalize()
                                       .unique()))
        today = pd.Series(rows["expected_sl"].to_numpy(float),
                          index=pd.DatetimeIndex(rows["date"])).reindex(days)
        readings = [("today (staffed share, no memory)", today)]
        for label, on_shift in (("carried, staffed share <= 1", False),
                                ("carried, whole core on shift", True)):
            readings.append((label, expected_on_time_share(
                req, target, interval_min, _staffed_share(rows, on_shift)).reindex(days)))
        short = int((rows["shortfall_fte"] > 1e-9).sum())
        for label, values in readings:
            print(f"{name:<7} {label:<34} {values.mean():>6.3f} {values.min():>6.3f} "
                  f"{int((values < target.target_sl - 1e-9).sum()):>11} "
                  f"{_runs_below(values.to_numpy(), target.target_sl):>18}")
        print(f"{name:<7} ({len(days)} days with contacts, {short} with a shortfall)")

    print("\n2. The plan's own forecast served by its own staffing (no shortfall)")
    print(f"{'queue':<7} {'staffing':<9} {'open intervals meeting':>22} {'on-time share':>13} "
          f"{'agent-hours':>11}")
    frames = {}
    for name, target in targets.items():
        req = result.intervals[result.intervals["queue"] == name]
        frame = req[["interval_start", "queue", "volume"]].reset_index(drop=True)
        frames[name] = frame
        ours = backlog_requirements(frame, target, interval_min)
        for label, agents in (("spread", req["agents"].to_numpy()), ("backlog", ours["agents"])):
            served = serve_async(frame.assign(agents=agents), target, interval_min)
            daily = async_daily(served)
            on_time = daily["on_time"].sum() / (daily["on_time"] + daily["late"]).sum()
            print(f"{name:<7} {label:<9} {_meeting(served):>22.3f} {on_time:>13.3f} "
                  f"{np.sum(agents) * hours:>11,.0f}")

    if config.escalation:
        tier2 = config.escalation.queue.target
        first_line = [q.target.queue for q in config.queues]
        extra = _weekend_escalations(result.daily, first_line, config.escalation.share,
                                     tier2.queue, config.business.timezone)
        base = frames[tier2.queue].assign(open=True)
        full = pd.concat([base, extra], ignore_index=True).sort_values(
            "interval_start", kind="stable").reset_index(drop=True)
        print(f"\n3. Tier 2 with the weekend's escalations ({extra['volume'].sum():,.0f} of "
              f"{full['volume'].sum():,.0f} contacts, "
              f"{extra['volume'].sum() / full['volume'].sum():.1%}, raised while it is closed)")
        print(f"{'staffing':<28} {'open intervals meeting':>22} {'on-time share':>13} "
              f"{'answered':>9} {'agent-hours':>11}")
        req = result.intervals[result.intervals["queue"] == tier2.queue]
        spread = full["interval_start"].map(
            dict(zip(req["interval_start"], req["agents"]))).fillna(0.0).to_numpy()
        ours = backlog_requirements(full, tier2, interval_min)["agents"].to_numpy()
        for label, agents in (("spread (weekends dropped)", spread), ("backlog (weekends carried)", ours)):
            served = serve_async(full.assign(agents=agents), tier2, interval_min)
            decided = served["on_time"] + served["late"]
            print(f"{label:<28} {_meeting(served):>22.3f} "
                  f"{served['on_time'].sum() / decided.sum():>13.3f} "
                  f"{served['served'].sum() / full['volume'].sum():>9.3f} "
                  f"{agents.sum() * hours:>11,.0f}")
    print(f"\ntotal {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()

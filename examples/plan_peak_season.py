"""Plan Harbor & Pine's peak season end to end through the library API.

Loads the bundled plan config, reads the daily history, the promo calendar and
the recent ticket export, runs :func:`surgeplan.pipeline.run_plan`, and prints
what a workforce planner takes to the next staffing meeting: the in-house core
per queue, each overflow activation window with the date by which the partner
must be called, and what each sourcing scenario costs over the horizon. The
outputs (CSVs, charts, report.html, plan.xlsx) go to ``--out``, a temporary
folder unless one is given.

Run it from the repository root::

    .venv/bin/python examples/plan_peak_season.py
    .venv/bin/python examples/plan_peak_season.py --out peak-plan/
    .venv/bin/python examples/plan_peak_season.py --config my-plan.toml --no-report
"""
from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from calendars.io import read_promo_calendar
from forecast.io import read_ticket_history
from surgeplan.config import load_config
from surgeplan.pipeline import run_plan
from surgeplan.result import PlanResult
from surgeplan.report import write_report

EXAMPLE_CONFIG = Path(__file__).resolve().parent / "data" / "plan.toml"


def plan(config_path: Path) -> PlanResult:
    """Read the config's inputs and run the whole plan."""
    config = load_config(config_path)
    data, tz = config.data, config.business.timezone
    history = read_ticket_history(data.history, tz, data.column_map, data.channel_map)
    promos = read_promo_calendar(data.calendar) if data.calendar else None
    tickets = read_ticket_history(data.tickets, tz) if data.tickets else None
    return run_plan(history, promos, config, tickets=tickets)


def print_summary(result: PlanResult) -> None:
    """Core per queue, activation windows with notice-by dates, and the cost scenarios."""
    config = result.config
    print(f"{config.business.name}: plan from {result.as_of:%Y-%m-%d} to "
          f"{result.forecast['date'].max():%Y-%m-%d}, staffed on "
          f"{config.forecast.plan_on.upper()} volume")

    print("\nCore team (in-house)")
    for row in result.summary.core.itertuples():
        print(f"  {row.queue:<8} {row.core_fte:6.1f} FTE  ({row.headcount} people)")

    print("\nOverflow activation windows (call the partner by the notice date)")
    if result.windows.empty:
        print("  none: the core covers every day")
    for w in result.windows.itertuples():
        late = "  LATE: already past" if w.notice_by < result.as_of else ""
        print(f"  {w.window:<3} {w.source:<10} {w.queue:<17} {w.start:%Y-%m-%d} to "
              f"{w.end:%Y-%m-%d}  peak {w.peak_fte:5.1f} FTE  notice by "
              f"{w.notice_by:%Y-%m-%d}{late}  ({w.reason})")

    print(f"\nCost scenarios over the horizon ({config.business.currency})")
    for c in result.costs.itertuples():
        print(f"  {c.scenario:<36} total {c.total_cost:>12,.0f}  per ticket "
              f"{c.cost_per_ticket:6.2f}  understaffed {c.understaffed_hours:8,.0f} h")

    short = result.plan["shortfall_fte"].sum()
    if short > 0:
        print(f"\nRisk: {short:,.1f} FTE-days no source can cover in time (see plan.csv)")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--config", type=Path, default=EXAMPLE_CONFIG,
                        help="plan config (TOML); default: the bundled Harbor & Pine example")
    parser.add_argument("--out", type=Path, default=None,
                        help="folder for the outputs; default: a new temporary folder")
    parser.add_argument("--no-report", action="store_true", help="print only, write nothing")
    args = parser.parse_args(argv)

    result = plan(args.config)
    print_summary(result)
    if not args.no_report:
        out = args.out or Path(tempfile.mkdtemp(prefix="surgeplan-peak-"))
        written = write_report(result, out)
        print(f"\nWrote {len(written)} files to {out}")


if __name__ == "__main__":
    main()

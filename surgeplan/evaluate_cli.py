"""``surgeplan evaluate``: plan at past dates of your own history, then serve what came.

Registered on :data:`surgeplan.cli.app` by ``cli.py``. Parse, call
:mod:`surgeplan.evaluate`, format; heavy libraries are imported inside.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from calendars.errors import InputError
from surgeplan.console import make_console, progress, user_errors
from surgeplan.forecast_cli import DayFirstOpt, date_order_of


def evaluate(
    config: Annotated[Optional[Path], typer.Option(
        help="Plan config (TOML). Default: with --history, the starting values for its "
             "queues; without, the bundled example.")] = None,
    history: Annotated[Optional[Path], typer.Option(
        help="Ticket history (daily counts or a ticket export). Default: the config's.")] = None,
    calendar: Annotated[Optional[Path], typer.Option(help="Promo calendar. Default: the "
                                                     "config's.")] = None,
    tickets: Annotated[Optional[Path], typer.Option(help="Ticket export for the intraday "
                                                    "profile. Default: the config's.")] = None,
    tz: Annotated[Optional[str], typer.Option("--tz", help="IANA time zone without a config.")
                  ] = None,
    dayfirst: DayFirstOpt = None,
    origins: Annotated[int, typer.Option(
        help="Planning dates spread over the history (the first a year in, the last a "
             "horizon before its end).")] = 4,
    origin: Annotated[Optional[list[str]], typer.Option(
        help="A planning date (YYYY-MM-DD) to evaluate; repeatable; replaces --origins.")] = None,
    horizon_days: Annotated[Optional[int], typer.Option(
        help="Days each plan covers. Default: the config's horizon.")] = None,
    jobs: Annotated[int, typer.Option(help="Processes, one origin each (-1: one per core).")
                    ] = 1,
    out: Annotated[Path, typer.Option(help="Folder for evaluation.csv and evaluation.html.")
                   ] = Path("surgeplan-eval"),
    json_out: Annotated[bool, typer.Option("--json", help="Print one JSON document.")] = False,
):
    """Backtest the whole plan: plan at past dates, serve the demand that actually came.

    At each origin, the plan made with the history before it (product), the same plan
    fed the daily volumes that actually came (oracle) and all in-house for the peak
    (peak) each serve the actual demand interval by interval: Erlang C/A for phone and
    chat (abandons are misses), a first-come-first-served backlog for email and Tier 2.
    Reports, per queue and day type (normal, each event type, echo), the share of open
    intervals meeting the target, the volume-weighted service level, abandons, idle
    hours, cost and cost against the oracle, and the cause of each miss. Writes
    evaluation.csv and evaluation.html to --out.

    Example:

    \b
        surgeplan evaluate --origins 4 --jobs 2
        surgeplan evaluate --config plan.toml --origin 2025-09-15 --origin 2025-05-01
    """
    console = make_console(json_mode=json_out)
    with user_errors():
        from dataclasses import replace

        from forecast.backtest import check_horizon_days
        from forecast.parallel import check_parallel
        from surgeplan.console import BUNDLED_CONFIG, as_input, date_option
        from surgeplan.evaluate import check_origin, evaluate as run, spread_origins
        from surgeplan.inputs import load_inputs
        from surgeplan.report import check_out_dir, csv_writer, text_writer, write_set

        check_out_dir(out)
        as_input(check_parallel, jobs, None)
        inputs = load_inputs(config, history, calendar, tickets, tz=tz, bundled=BUNDLED_CONFIG,
                             date_order=date_order_of(dayfirst))
        cfg = inputs.config
        if horizon_days is not None:
            as_input(check_horizon_days, horizon_days, "--horizon-days")
            cfg = replace(cfg, forecast=replace(cfg.forecast, horizon_days=horizon_days))
        horizon = cfg.forecast.horizon_days
        if origin:
            dates = [date_option(o, "--origin") for o in origin]
            for d in dates:
                check_origin(inputs.history, d, horizon)
        else:
            if origins < 1:
                raise InputError(f"--origins: expected at least 1, got {origins}")
            dates = spread_origins(inputs.history, origins, horizon)
        with progress(console, "Evaluating", len(dates), not json_out) as step:
            metrics = run(inputs.history, inputs.promos, cfg, dates, inputs.tickets, jobs,
                          on_origin=lambda o: step(f"Evaluated {o:%Y-%m-%d}"))
        from surgeplan.evaluation_report import evaluation_html

        write_set(out, {"evaluation.csv": csv_writer(metrics),
                        "evaluation.html": text_writer(evaluation_html(metrics, cfg))})
    if json_out:
        import json

        sys.stdout.write(json.dumps({
            "origins": [f"{d:%Y-%m-%d}" for d in dates], "horizon_days": horizon,
            "metrics": json.loads(metrics.to_json(orient="records", date_format="iso",
                                                  date_unit="s"))}, indent=2) + "\n")
        return
    _print(console, metrics, out)


def _print(console, metrics, out: Path) -> None:
    from rich.table import Table

    from surgeplan.escape import terminal
    from surgeplan.evaluate import summary_by_day_type

    table = Table(title="Share of open intervals meeting the target, by day type (all origins)",
                  title_justify="left")
    summary = summary_by_day_type(metrics)
    kinds = sorted(summary["day_type"].unique(), key=lambda k: (k != "normal", k))
    table.add_column("plan")
    table.add_column("queue")
    for kind in kinds:
        table.add_column(kind.replace("_", " "), justify="right")
    for (plan, queue), rows in summary.groupby(["plan", "queue"], sort=False):
        share = rows.set_index("day_type")["share_met"]
        table.add_row(plan, terminal(queue), *[f"{share[k]:.2f}" if k in share else "-"
                                                for k in kinds])
    console.print(table)
    totals = metrics[(metrics["queue"] == "all") & (metrics["day_type"] == "all")]
    for plan, rows in totals.groupby("plan", sort=False):
        met = rows["intervals_met"].sum() / rows["intervals"].sum()
        console.print(f"{plan}: {met:.3f} of open intervals met; cost {rows['cost'].sum():,.0f} "
                      f"({rows['cost'].sum() / totals.loc[totals['plan'] == 'oracle', 'cost'].sum():.2f}"
                      " x the oracle's)")
    console.print(f"Details in {terminal(str(out))}/evaluation.csv and evaluation.html.")

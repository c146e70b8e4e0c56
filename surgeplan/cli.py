"""The ``surgeplan`` command line: parse, call the library, format. No arithmetic here.

Heavy libraries (pandas, statsmodels, prophet, matplotlib) are imported inside
the commands, so ``surgeplan --help`` answers at once.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from calendars.errors import InputError
from surgeplan.console import (BUNDLED_CONFIG, DEBUG_ENV, EXIT_BAD_INPUT, StageClock, as_input,
                               date_option, main_guard, make_console, profile_wanted, progress,
                               user_errors)
from surgeplan.evaluate_cli import evaluate
from surgeplan.forecast_cli import (DayFirstOpt, JobsOpt, SchedulerOpt, backtest, date_order_of,
                                    forecast)

app = typer.Typer(
    name="surgeplan",
    help="Forecast support volume, staff it with Erlang C, and plan core and overflow headcount.\n\n"
         "Exit codes: 0 success; 2 bad input (a file, row or key is named); 1 an unexpected error.",
    no_args_is_help=True, add_completion=False, rich_markup_mode=None,
    pretty_exceptions_enable=False,  # main_guard prints the one line; --debug the plain traceback
    context_settings={"help_option_names": ["-h", "--help"]})



def _version(value: bool) -> None:
    if value:
        from surgeplan import __version__

        typer.echo(f"surgeplan {__version__}")
        raise typer.Exit()


@app.callback()
def _options(
    debug: Annotated[bool, typer.Option(
        "--debug", help="Show the full traceback of an unexpected error (a bug).")] = False,
    version: Annotated[bool, typer.Option(
        "--version", callback=_version, is_eager=True, help="Print the version and exit.")
                       ] = False,
) -> None:
    if debug:
        import os

        os.environ[DEBUG_ENV] = "1"


@app.command()
def plan(
    history: Annotated[Optional[Path], typer.Option(
        help="Ticket history: daily counts (date, volume[, channel]) or a ticket export "
             "(Zendesk, Gorgias, Freshdesk, Intercom). Default: the config's [data] history.")] = None,
    calendar: Annotated[Optional[Path], typer.Option(
        help="Promo calendar, CSV or YAML (name, type, start, end[, uplift, channels, "
             "pre_days, post_days]). Default: the config's [data] calendar.")] = None,
    config: Annotated[Optional[Path], typer.Option(
        help="Plan config (TOML). Default: with --history, the starting values of `surgeplan "
             "init` for the queues the history has (listed when it runs); without, the bundled "
             "Harbor & Pine example.")] = None,
    tickets: Annotated[Optional[Path], typer.Option(
        help="Ticket export for the intraday profile. Default: the config's [data] tickets.")] = None,
    tz: Annotated[Optional[str], typer.Option(
        "--tz", help="IANA time zone of the business when there is no config (default UTC).")
                  ] = None,
    as_of: Annotated[Optional[str], typer.Option(
        "--as-of", help="Planning date (YYYY-MM-DD): plan as if on that day, with the history "
                        "before it. Default: the day after the history.")] = None,
    forecast_file: Annotated[Optional[Path], typer.Option(
        "--forecast", help="Plan on this forecast instead of making one: a forecast.csv "
        "(date, queue, volume_p10, volume_p50, volume_p90) you edited. Its days are the "
        "horizon.")] = None,
    out: Annotated[Path, typer.Option(help="Folder for the outputs.")] = Path("surgeplan-out"),
    json_out: Annotated[bool, typer.Option("--json", help="Print the summary as one JSON "
                                           "document on stdout.")] = False,
    dayfirst: DayFirstOpt = None,
    jobs: JobsOpt = 1,
    scheduler: SchedulerOpt = None,
    profile: Annotated[bool, typer.Option("--profile", help="Print each stage's wall time on "
                                          "stderr at the end (or set SURGEPLAN_PROFILE=1).")
                       ] = False,
):
    """Plan staffing end to end: forecast, intervals, core, overflow windows and costs.

    Writes to --out, as one set (a failed run leaves the previous set): report.html (the
    page to forward), plan.xlsx (every table, for finance), forecast.csv, intervals.csv,
    wfm_intervals.csv (for a WFM tool's import), plan.csv, windows.csv, costs.csv,
    costs_monthly.csv, sensitivity.csv, uplifts.csv, daily_requirements.csv,
    deflection.csv and forecast.png, plan.png, costs.png. Prints the core per queue,
    each activation window with its notice-by date, why any day stays short, the cost
    of each scenario (the recommended plan first), the decision in one sentence, and
    what was assumed rather than learned.

    Example:

    \b
        surgeplan plan
        surgeplan plan --history my_zendesk_export.csv --tz Europe/London
        surgeplan plan --config plan.toml --history tickets.csv --calendar promos.csv --out out/
        surgeplan plan --config brands.toml --jobs -1 --profile   (many queues: forecast them in parallel)
    """
    console = make_console(json_mode=json_out)
    with user_errors():
        from forecast.parallel import check_parallel
        from surgeplan.inputs import load_inputs
        from surgeplan.pipeline import STAGES, run_plan
        from surgeplan.report import check_out_dir, summary_document, write_report

        check_out_dir(out)
        planning_date = date_option(as_of, "--as-of")
        as_input(check_parallel, jobs, scheduler)
        clock = StageClock()
        clock.start("reading inputs")
        with console.status("Reading inputs..."):
            inputs = load_inputs(config, history, calendar, tickets, forecast_file, tz,
                                 BUNDLED_CONFIG, date_order_of(dayfirst))
        with progress(console, "Planning", len(STAGES) + 1, not json_out) as step:
            def on_stage(name: str) -> None:
                clock.start(name)
                step(name.capitalize(), advance=0 if name == STAGES[0] else 1)
            result = run_plan(inputs.history, inputs.promos, inputs.config,
                              tickets=inputs.tickets, on_stage=on_stage, forecast=inputs.forecast,
                              as_of=planning_date, n_jobs=jobs, scheduler=scheduler)
            clock.start("writing outputs")
            step(f"Writing outputs to {out}")
            written = write_report(result, out)
            step()
        clock.stop()
    if profile_wanted(profile):
        typer.echo(clock.report(), err=True)
    if json_out:
        import json

        document = summary_document(result)
        document["outputs"] = [str(p) for p in written]
        sys.stdout.write(json.dumps(document, indent=2) + "\n")
        return
    _print_summary(console, result, out)


def _print_summary(console, result, out: Path) -> None:
    from rich.table import Table

    from surgeplan import formats
    from surgeplan.escape import terminal

    cfg, summary = result.config, result.summary
    money = cfg.business.currency
    console.print(f"[bold]{terminal(cfg.business.name)}[/bold]: plan from {result.as_of:%Y-%m-%d} "
                  f"to {result.forecast['date'].max():%Y-%m-%d} ({cfg.forecast.horizon_days} "
                  f"days), staffed on {terminal(summary.staffed_on)}")
    if (summary.buffers["buffer"] - 1).abs().max() > 1e-9:
        console.print("Buffer over P50 by day type: " + ", ".join(
            f"{terminal(b.regime.replace('_', ' '))} {b.buffer - 1:+.0%}"
            for b in summary.buffers.itertuples()))
    core = Table(title="Core team (in-house)", title_justify="left")
    for col in ("queue", "core FTE", "headcount", "peak required FTE", "normal-day median FTE"):
        core.add_column(col, justify="right" if col != "queue" else "left")
    for row in summary.core.itertuples():
        core.add_row(terminal(row.queue), f"{row.core_fte:.1f}", f"{row.headcount}",
                     f"{row.peak_required_fte:.1f}",
                     "-" if row.normal_median_fte != row.normal_median_fte
                     else f"{row.normal_median_fte:.1f}")
    console.print(core)

    windows = Table(title="Overflow activation windows", title_justify="left")
    for col in ("window", "source", "queues", "start", "end", "days", "peak FTE", "notice by",
                "covers"):
        windows.add_column(col)
    for w in result.windows.itertuples():
        late = " (late)" if w.notice_by < result.as_of else ""
        windows.add_row(w.window, terminal(w.source), terminal(w.queue), f"{w.start:%Y-%m-%d}",
                        f"{w.end:%Y-%m-%d}", str(w.days), f"{w.peak_fte:.1f}",
                        f"{w.notice_by:%Y-%m-%d}{late}", terminal(w.reason))
    console.print(windows)
    risk = formats.risk_sentence(summary.risk)
    if risk:
        console.print(terminal(risk), style="red")
        console.print("See plan.csv (shortfall_fte, shortfall_reason, expected_sl).")
    for sentence in formats.way_out_sentences(summary.ways_out, money):
        console.print(terminal(sentence))

    _print_costs(console, result.costs, money)
    console.print(terminal(formats.decision(summary, money, cfg.forecast.horizon_days)),
                  style="bold")
    if result.hiring is not None:
        for h in result.hiring.next_hires.itertuples():
            console.print(terminal(f"Hire {h.people:.0f} for {h.queue} by {h.decide_by:%Y-%m-%d} "
                                   f"(start {h.start:%Y-%m-%d}, productive from "
                                   f"{h.productive_from:%Y-%m-%d}); see hiring.csv."))
    if result.roster is not None:
        days = result.roster.schedule.days
        console.print(f"Shifts: {len(result.roster.schedule.shifts):,} shift rows; schedule "
                      f"efficiency {result.roster.schedule.efficiency:.2f} (required over scheduled "
                      f"agent-hours), {result.roster.fte['extra_fte'].sum():,.1f} FTE-days over "
                      f"the fluid curve; {days['date'].nunique()} days in shifts.csv.")
    for a in summary.assumptions.itertuples():
        console.print(terminal(f"Assumed ({a.kind}): {a.subject}: {a.detail}; to change it, "
                               f"{a.how_to_change}."), style="yellow")
    if len(result.deflection) and result.deflection["fte_days_saved"].sum() > 0:
        d = result.deflection
        console.print(f"Deflection saves {d['fte_days_saved'].sum():,.0f} FTE-days "
                      f"({d['contacts_deflected'].sum():,.0f} contacts, "
                      f"{d['cost_saved'].sum():,.0f} {terminal(money)} at the in-house rate); see "
                      "deflection.csv. Sensitivity of each scenario: sensitivity.csv.")
    console.print(f"Outputs in {terminal(str(out))}/: report.html (forward this), plan.xlsx, CSV "
                  "tables and PNG charts.")


def _print_costs(console, costs, money: str) -> None:
    from rich.table import Table

    from surgeplan import formats
    from surgeplan.escape import terminal

    table = Table(title=f"Cost scenarios over the horizon ({terminal(money)}); details in "
                        "costs.csv", title_justify="left")
    for col in formats.CONSOLE_COST_TABLE:
        numeric = col != "scenario"
        table.add_column(formats.label(col), justify="right" if numeric else "left",
                         no_wrap=numeric, overflow="fold",
                         min_width=max([len(formats.label(col).split()[-1])]
                                       + [len(formats.text(v, formats.kind(col)))
                                          for v in costs[col]]) if numeric else 12)
    for i, c in costs.iterrows():
        cells = [formats.scenario_label(c)] + [formats.text(c[col], formats.kind(col))
                                               for col in formats.CONSOLE_COST_TABLE[1:]]
        table.add_row(*map(terminal, cells), style="bold" if i == costs.index[0] else None)
    console.print(table)


@app.command()
def costs(
    config: Annotated[Optional[Path], typer.Option(
        help="Plan config (TOML) with the sources. Default: the bundled example.")] = None,
    plan_dir: Annotated[Path, typer.Option("--plan", help="Output folder of `surgeplan plan` "
                                           "(reads daily_requirements.csv and intervals.csv).")
                        ] = Path("surgeplan-out"),
    out: Annotated[Optional[Path], typer.Option(
        help="Where to write costs.csv, costs_monthly.csv and costs.png. Default: --plan.")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print the scenarios as one JSON "
                                           "document on stdout.")] = False,
):
    """Cost the sourcing scenarios for a plan's staffing requirement.

    All in-house sized for the peak, in-house core plus each partner's overflow, and all
    with each partner: total, monthly and per-ticket cost, understaffed and idle hours,
    and escalations that wait outside Tier 2 hours. Edit the sources in the config (cost
    ratio, lead time, caps, hours) and run it again without re-forecasting.

    Example:

    \b
        surgeplan plan --out out/
        surgeplan costs --config plan.toml --plan out/
    """
    console = make_console(json_mode=json_out)
    with user_errors():
        from surgeplan.config import load_config
        from surgeplan.io import read_plan_dir
        from surgeplan.pipeline import sourcing

        cfg = load_config(config or BUNDLED_CONFIG)
        daily, intervals = read_plan_dir(plan_dir, cfg.business.timezone)
        known = {q.target.queue for q in cfg.all_queues}
        unknown = sorted(set(daily["queue"]) - known)
        if unknown:
            raise InputError(f"queue(s) {', '.join(unknown)} are not in the config "
                             f"{cfg.path}; expected the config the plan was made with",
                             path=plan_dir / "daily_requirements.csv", column="queue")
        result = sourcing(daily, intervals, cfg, daily["date"].min())
    from surgeplan import charts
    from surgeplan.report import csv_writer, figure_writer, write_set

    target = out or plan_dir
    with user_errors():
        write_set(target, {"costs.csv": csv_writer(result.costs),
                           "costs_monthly.csv": csv_writer(result.costs_monthly),
                           "costs.png": figure_writer(charts.costs_chart(
                               result.costs, cfg.business.currency))})
    if json_out:
        import json

        sys.stdout.write(json.dumps({"currency": cfg.business.currency, "scenarios": json.loads(
            result.costs.to_json(orient="records"))}, indent=2) + "\n")
        return
    _print_costs(console, result.costs, cfg.business.currency)
    console.print(f"Wrote costs.csv, costs_monthly.csv and costs.png to {target}/.")


@app.command()
def schedule(
    config: Annotated[Optional[Path], typer.Option(
        help="Plan config (TOML): its [shifts] rules (used even when not enabled) and queues. "
             "Default: the bundled example.")] = None,
    plan_dir: Annotated[Path, typer.Option("--plan", help="Output folder of `surgeplan plan` "
                                           "(reads intervals.csv).")] = Path("surgeplan-out"),
    out: Annotated[Optional[Path], typer.Option(
        help="Where to write shifts.csv, shift_days.csv and roster_weekly.csv. Default: --plan."
    )] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print one JSON document.")] = False,
):
    """Whole shifts for a plan's interval requirement, and the people per week.

    Chooses how many agents start each allowed shift (the [shifts] lengths, starts and
    break rule) so that every open interval has its required agents at the least paid
    hours: an integer programme per queue and day (HiGHS). Reports schedule efficiency
    (required over scheduled agent-hours), the FTE the real roster costs over the fluid
    curve, and the people each week needs from days-off patterns.

    Example:

    \b
        surgeplan plan --out out/
        surgeplan schedule --config plan.toml --plan out/
    """
    console = make_console(json_mode=json_out)
    with user_errors():
        from surgeplan.config import load_config
        from surgeplan.io import read_plan_dir
        from surgeplan.people import schedule_shifts
        from surgeplan.report import csv_writer, write_set

        cfg = load_config(config or BUNDLED_CONFIG)  # its [shifts] rules, enabled or not
        _, intervals = read_plan_dir(plan_dir, cfg.business.timezone)
        with console.status("Scheduling shifts (an integer programme per queue and day)..."):
            roster = schedule_shifts(intervals, cfg)
        files = {"shifts.csv": csv_writer(roster.schedule.shifts),
                 "shift_days.csv": csv_writer(roster.schedule.days.merge(
                     roster.fte, on=["date", "queue"], how="left")),
                 "roster_weekly.csv": csv_writer(roster.weekly.weeks)}
        write_set(out or plan_dir, files)
    summary = {"efficiency": roster.schedule.efficiency, "gap": roster.schedule.gap,
               "extra_fte_days": float(roster.fte["extra_fte"].sum()),
               "shifts": int(roster.schedule.shifts["agents"].sum())}
    if json_out:
        import json

        sys.stdout.write(json.dumps(summary, indent=2) + "\n")
        return
    console.print(f"{summary['shifts']:,} shifts; schedule efficiency {summary['efficiency']:.3f}; "
                  f"{summary['gap']:.3f} above the LP bound; the roster costs "
                  f"{summary['extra_fte_days']:,.1f} FTE-days over the fluid curve. Wrote "
                  f"{', '.join(files)} to {out or plan_dir}/.")


@app.command()
def init(
    path: Annotated[Path, typer.Argument(help="Where to write the config.")] = Path("plan.toml"),
    history: Annotated[Optional[Path], typer.Option(
        help="Your ticket history: one [queues.NAME] table for each queue it has, with its "
             "channel's starting values. Default: chat, email and phone.")] = None,
    tz: Annotated[Optional[str], typer.Option(
        "--tz", help="IANA time zone of the business, e.g. Europe/London.")] = None,
    dayfirst: DayFirstOpt = None,
    force: Annotated[bool, typer.Option(help="Overwrite an existing file.")] = False,
    json_out: Annotated[bool, typer.Option("--json", help="Print {\"written\": PATH} as JSON.")
                        ] = False,
):
    """Write a commented plan.toml with every field, its unit and its default.

    With --history, one [queues.NAME] table per queue found in it (phone, chat or email
    by its name), the sources (in-house, nearshore, offshore) and [data] history pointing
    at the file: it plans as it is. Edit the targets and the sources, then run
    `surgeplan plan --config plan.toml`.

    Example:

    \b
        surgeplan init plan.toml
        surgeplan init plan.toml --history my_zendesk_export.csv --tz Europe/London
    """
    with user_errors():
        from surgeplan.report import write_text
        from surgeplan.schema import default_config_text

        if path.exists() and not force:
            raise InputError("already exists; pass --force to overwrite it", path=path)
        queues, where = None, "tickets.csv"
        if history is not None:
            import os

            from surgeplan.inputs import load_inputs

            inputs = load_inputs(None, history, tz=tz, date_order=date_order_of(dayfirst))
            queues = [q.target.queue for q in inputs.config.queues]
            where = os.path.relpath(history.resolve(), path.resolve().parent)
        write_text(default_config_text(queues, where, tz, date_order_of(dayfirst)), path)
    if json_out:
        import json

        sys.stdout.write(json.dumps({"written": str(path)}) + "\n")
        return
    typer.echo(f"Wrote {path}: every key with its default. Next: edit it, then "
               f"`surgeplan plan --config {path}`.")


@app.command()
def erlang(
    arrivals: Annotated[float, typer.Option(help="Contacts arriving per interval.")],
    aht_s: Annotated[float, typer.Option(help="Average handle time [s].")],
    target_sl: Annotated[float, typer.Option(help="Service level target [fraction], e.g. 0.8.")] = 0.8,
    target_answer_s: Annotated[float, typer.Option(help="Answer-time target [s].")] = 20.0,
    interval_min: Annotated[int, typer.Option(help="Interval length [min].")] = 30,
    patience_s: Annotated[Optional[float], typer.Option(
        help="Mean patience [s]; staffs with Erlang A (abandonment) when given.")] = None,
    max_occupancy: Annotated[Optional[float], typer.Option(help="Occupancy cap [fraction].")] = None,
    max_asa_s: Annotated[Optional[float], typer.Option(help="ASA cap [s].")] = None,
    max_abandon: Annotated[Optional[float], typer.Option(
        help="Abandonment cap [fraction], with --patience-s.")] = None,
    shrinkage: Annotated[float, typer.Option(help="Share of paid time off the phones [fraction].")] = 0.0,
    json_out: Annotated[bool, typer.Option("--json", help="Print one JSON document.")] = False,
):
    """Agents for one interval: service level, ASA, occupancy and FTE, with a table around the answer.

    Example:

    \b
        surgeplan erlang --arrivals 100 --interval-min 30 --aht-s 180 --target-sl 0.8 --target-answer-s 20
    """
    with user_errors(value_errors_are_input=True):
        from surgeplan.calculator import erlang_table

        table = erlang_table(arrivals, aht_s, interval_min, target_sl, target_answer_s,
                             patience_s=patience_s, max_occupancy=max_occupancy,
                             max_asa_s=max_asa_s, max_abandon=max_abandon, shrinkage=shrinkage)
    if json_out:
        import json

        sys.stdout.write(json.dumps(table.as_dict(), indent=2) + "\n")
        return
    _print_erlang(make_console(False), table)


@app.command()
def simulate(
    arrivals: Annotated[float, typer.Option(help="Contacts arriving per interval.")],
    aht_s: Annotated[float, typer.Option(help="Average handle time [s].")],
    agents: Annotated[Optional[int], typer.Option(
        help="Agents to test. Default: the formula's answer for --target-sl.")] = None,
    target_sl: Annotated[float, typer.Option(help="Service level target [fraction].")] = 0.8,
    target_answer_s: Annotated[float, typer.Option(help="Answer-time target [s].")] = 20.0,
    interval_min: Annotated[int, typer.Option(help="Interval length [min].")] = 30,
    patience_s: Annotated[Optional[float], typer.Option(
        help="Mean patience [s]: callers abandon; compared with Erlang A.")] = None,
    handle_times: Annotated[str, typer.Option(
        help="Handle-time distribution: exponential or lognormal.")] = "exponential",
    aht_cv: Annotated[float, typer.Option(
        help="Coefficient of variation of lognormal handle times.")] = 1.0,
    n_arrivals: Annotated[int, typer.Option(help="Contacts to simulate.")] = 200_000,
    seed: Annotated[int, typer.Option(help="Random seed (same seed, same answer).")] = 0,
    json_out: Annotated[bool, typer.Option("--json", help="Print one JSON document.")] = False,
):
    """Check a staffing level against a discrete-event simulation of the queue.

    Shows what Erlang C (or A) predicts beside what a seeded simulation measures,
    with the simulated service level's standard error: the way to see what the
    formula misses when callers abandon or handle times are not exponential.

    Example:

    \b
        surgeplan simulate --arrivals 100 --aht-s 180 --target-answer-s 20 --handle-times lognormal --aht-cv 0.6
    """
    with user_errors(value_errors_are_input=True):
        from surgeplan.calculator import simulate_check

        check = simulate_check(arrivals, aht_s, interval_min, target_answer_s, agents=agents,
                               target_sl=target_sl, patience_s=patience_s,
                               handle_times=handle_times, aht_cv=aht_cv, n_arrivals=n_arrivals,
                               seed=seed)
    if json_out:
        import json

        sys.stdout.write(json.dumps(check.as_dict(), indent=2) + "\n")
        return
    from rich.table import Table

    console = make_console(False)
    console.print(f"[bold]{check.agents} agents[/bold], {check.n_offered:,} simulated contacts, "
                  f"{check.model} beside the simulation ({handle_times} handle times)")
    table = Table(title_justify="left")
    for col in ("measure", "formula", "simulated", "std error"):
        table.add_column(col, justify="right")
    for name, row in check.table.iterrows():
        table.add_row(name, _fmt(row["formula"]), _fmt(row["simulated"]), _fmt(row["std_error"]))
    console.print(table)


def _print_erlang(console, result) -> None:
    from rich.table import Table

    console.print(f"[bold]{result.agents} agents[/bold] ({result.fte:.2f} FTE with shrinkage "
                  f"{result.shrinkage:.2f}) for {result.arrivals:g} contacts per "
                  f"{result.interval_min} min at AHT {result.aht_s:g} s "
                  f"(traffic {result.traffic_erlangs:.2f} Erlangs, "
                  f"{'Erlang A' if result.patience_s else 'Erlang C'})")
    table = Table(title_justify="left")
    for col in result.table.columns:
        table.add_column(col, justify="right")
    for row in result.table.itertuples(index=False):
        mark = "bold" if row.agents == result.agents else None
        table.add_row(*[_fmt(v) for v in row], style=mark)
    console.print(table)


def _fmt(value) -> str:
    if isinstance(value, float):
        if value != value:
            return "-"
        return "inf" if value == float("inf") else f"{value:.4g}"
    return str(value)


app.command()(forecast)
app.command()(evaluate)
app.command()(backtest)


def main() -> None:
    """Console-script entry point: bad input exits 2 with one line, a bug 1 with one line."""
    main_guard(app)

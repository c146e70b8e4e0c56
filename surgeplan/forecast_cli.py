"""``surgeplan forecast`` and ``surgeplan backtest``: the forecast alone, and its accuracy.

Registered on :data:`surgeplan.cli.app` by ``cli.py``. Like the other
commands: parse, call the library, format; pandas, statsmodels and the
charts are imported inside the commands so ``surgeplan --help`` stays fast.
"""
from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from forecast.registry import MODELS, check_model
from calendars.errors import InputError
from surgeplan.console import as_input, make_console, progress, user_errors

DEFAULT_BACKTEST_MODELS = "naive,baseline,ets"
MODEL_LIST = ", ".join(MODELS)

HistoryOpt = Annotated[Path, typer.Option(
    help="Ticket history: daily counts (date, volume[, channel]) or a ticket export "
         "(Zendesk, Gorgias, Freshdesk, Intercom); CSV, .csv.gz, Parquet or Excel. "
         "date,volume alone is one queue.")]
CalendarOpt = Annotated[Optional[Path], typer.Option(
    help="Promo calendar, CSV or YAML (name, type, start, end[, uplift, channels, "
         "pre_days, post_days]). Optional.")]
CountryOpt = Annotated[Optional[list[str]], typer.Option(
    "--country", help="Country code whose public holidays are events; repeatable.")]
HolidayWindowOpt = Annotated[int, typer.Option(
    help="Days before and after each public holiday learned on their own (the eve, the day "
         "after Thanksgiving, the week after Christmas); 0 = off. Compare with backtest: on "
         "NYC 311, 3 cut auto's WAPE from 0.063 to 0.062.")]
TzOpt = Annotated[str, typer.Option("--tz", help="IANA time zone of the business; naive "
                                    "timestamps are read in it.")]
OrdersOpt = Annotated[Optional[Path], typer.Option(
    help="Daily orders (date, orders[, channel]), past and planned: the drivers model "
         "forecasts tickets per order x planned orders.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON document on stdout.")]
JobsOpt = Annotated[int, typer.Option(help="Processes for the queues' forecasts (-1: one per "
                                      "core).")]
SchedulerOpt = Annotated[Optional[str], typer.Option(
    help="Forecast the queues on Dask: 'local' (a local cluster) or tcp://host:8786.")]
DayFirstOpt = Annotated[Optional[bool], typer.Option(
    "--dayfirst/--monthfirst", help="Read dates like 03/04/2026 day first (3 April) or month "
    "first (March 4). Default: the config's [data] date_order, else the order the file's "
    "unambiguous dates show (a file whose every such date is ambiguous is refused).")]


def date_order_of(dayfirst: bool | None) -> str | None:
    """The ``date_order`` a ``--dayfirst/--monthfirst`` flag asks for (None: not given)."""
    return None if dayfirst is None else ("day_first" if dayfirst else "month_first")


def _inputs(history: Path, calendar: Path | None, countries: list[str] | None, tz: str,
            horizon_days: int, orders: Path | None, holiday_window_days: int = 0,
            date_order: str = "auto"):
    """Read and validate the inputs; return (daily, days, orders frame or None)."""
    import pandas as pd

    from calendars.events import MAX_HOLIDAY_WINDOW_DAYS, all_event_days
    from calendars.io import read_promo_calendar
    from forecast.history import daily_volume
    from forecast.io import read_orders, read_ticket_history

    from calendars.bounds import check_timezone
    from calendars.events import check_countries

    as_input(check_timezone, tz, "--tz")
    try:
        check_countries(countries or [])
    except ValueError as exc:
        raise InputError(f"--country: {str(exc).split(': ', 1)[-1]}") from None
    if not 0 <= int(holiday_window_days) <= MAX_HOLIDAY_WINDOW_DAYS:
        raise InputError(f"--holiday-window-days: expected 0 to {MAX_HOLIDAY_WINDOW_DAYS}, "
                         f"got {holiday_window_days}")
    daily = daily_volume(read_ticket_history(history, tz, date_order=date_order))
    promos = read_promo_calendar(calendar, date_order) if calendar else None
    last = daily["date"].max() + pd.Timedelta(days=int(horizon_days))
    days = all_event_days(promos, list(countries or []), daily["date"].min(), last,
                          holiday_window_days)
    return daily, days, (read_orders(orders) if orders else None)


def forecast(
    history: HistoryOpt,
    calendar: CalendarOpt = None,
    country: CountryOpt = None,
    holiday_window_days: HolidayWindowOpt = 0,
    tz: TzOpt = "UTC",
    horizon_days: Annotated[int, typer.Option(help="Days to forecast after the last day of "
                                              "history [days].")] = 120,
    model: Annotated[Optional[str], typer.Option(
        help=f"One of {MODEL_LIST}. Default: drivers with --orders, else auto.")] = None,
    orders: OrdersOpt = None,
    jobs: JobsOpt = 1,
    scheduler: SchedulerOpt = None,
    dayfirst: DayFirstOpt = None,
    out: Annotated[Path, typer.Option(help="Folder for the outputs.")] = Path("surgeplan-out"),
    json_out: JsonOpt = False,
):
    """Forecast daily volume per queue with P10/P50/P90, regimes and events.

    Writes forecast.csv (date, queue, volume_p10, volume_p50, volume_p90, regime,
    events), uplifts.csv (event multipliers, learned or assumed) and forecast.png to
    --out, and prints each queue's forecast in brief.

    Example:

    \b
        surgeplan forecast --history daily.csv --country US --horizon-days 90 --out out/
        surgeplan forecast --history tickets.csv --calendar promos.csv --orders orders.csv --jobs 2
    """
    console = make_console(json_mode=json_out)
    with user_errors():
        name = as_input(check_model, model or ("drivers" if orders else "auto"), "--model")
        if name == "drivers" and orders is None:
            raise InputError("--model drivers needs --orders (a daily orders file)")
        from forecast.backtest import check_horizon_days
        from forecast.events import uplift_table
        from forecast.models import forecast_queues, forecast_summary
        from forecast.parallel import check_parallel
        from surgeplan.report import check_out_dir

        check_out_dir(out)
        as_input(check_horizon_days, horizon_days, "--horizon-days")
        as_input(check_parallel, jobs, scheduler)

        with console.status("Reading inputs...") if not json_out else contextlib.nullcontext():
            daily, days, order_frame = _inputs(history, calendar, country, tz, horizon_days,
                                               orders, holiday_window_days,
                                               date_order_of(dayfirst) or "auto")
        queues = daily["queue"].nunique()
        with progress(console, f"Forecasting ({name})", queues, not json_out) as step:
            result = forecast_queues(daily, days, horizon_days, name, n_jobs=jobs,
                                     scheduler=scheduler, orders=order_frame,
                                     on_queue=lambda queue: step(f"Forecasting ({name}): {queue}"))
        uplifts = uplift_table(daily, days, result["date"].min())
    from surgeplan.charts import forecast_chart
    from surgeplan.report import csv_writer, figure_writer, write_set

    with user_errors():
        written = write_set(out, {"forecast.csv": csv_writer(result),
                                  "uplifts.csv": csv_writer(uplifts),
                                  "forecast.png": figure_writer(forecast_chart(daily, result))})
    summary = forecast_summary(result)
    if json_out:
        import json

        document = {"model": name, "horizon_days": int(horizon_days),
                    "first_day": f"{result['date'].min():%Y-%m-%d}",
                    "last_day": f"{result['date'].max():%Y-%m-%d}",
                    "queues": json.loads(summary.to_json(orient="records", date_format="iso",
                                                         date_unit="s")),
                    "outputs": [str(p) for p in written]}
        sys.stdout.write(json.dumps(document, indent=2) + "\n")
        return
    from rich.table import Table

    from surgeplan.escape import terminal

    table = Table(title=f"Forecast ({name}), {result['date'].min():%Y-%m-%d} to "
                        f"{result['date'].max():%Y-%m-%d}", title_justify="left")
    for col in ("queue", "total P50", "mean P50/day", "peak P50", "peak day", "peak P90",
                "event days"):
        table.add_column(col, justify="left" if col in ("queue", "peak day") else "right")
    for row in summary.itertuples():
        table.add_row(terminal(row.queue), f"{row.total_p50:,.0f}", f"{row.mean_p50:,.1f}",
                      f"{row.peak_p50:,.0f}", f"{row.peak_day:%Y-%m-%d}", f"{row.peak_p90:,.0f}",
                      str(row.event_days))
    console.print(table)
    console.print(f"Outputs in {out}/ (forecast.csv, uplifts.csv, forecast.png).")


def backtest(
    history: HistoryOpt,
    calendar: CalendarOpt = None,
    country: CountryOpt = None,
    holiday_window_days: HolidayWindowOpt = 0,
    tz: TzOpt = "UTC",
    horizon_days: Annotated[int, typer.Option(help="Days scored after each origin [days].")] = 28,
    origins: Annotated[int, typer.Option(help="Rolling origins, each refitting the models.")] = 8,
    models: Annotated[str, typer.Option(
        help=f"Comma-separated models: {MODEL_LIST}.")] = DEFAULT_BACKTEST_MODELS,
    orders: OrdersOpt = None,
    dayfirst: DayFirstOpt = None,
    json_out: JsonOpt = False,
):
    """Rolling-origin backtest: WAPE, MASE, bias and 80 % interval coverage per model.

    Each origin refits every model on the history up to it and scores the next
    --horizon-days days; the calendar is known ahead (no leak). WAPE and bias are
    fractions of the actual volume; MASE is relative to the in-sample weekly naive error.

    Example:

    \b
        surgeplan backtest --history daily.csv --country US --horizon-days 28 --origins 8 --models naive,baseline,ets,auto
    """
    console = make_console(json_mode=json_out)
    with user_errors():
        names = [m.strip() for m in models.split(",") if m.strip()]
        bad = [m for m in names if m not in MODELS]
        if bad or not names:
            raise InputError(f"--models: expected a comma-separated list of {MODEL_LIST}, "
                             f"got {models!r}")
        if "drivers" in names and orders is None:
            raise InputError("--models drivers needs --orders (a daily orders file)")
        from forecast.backtest import check_horizon_days
        from forecast.models import backtest_queues, backtest_steps

        as_input(check_horizon_days, horizon_days, "--horizon-days")
        if int(origins) < 1:
            raise InputError(f"--origins: expected at least 1, got {origins}")
        daily, days, order_frame = _inputs(history, calendar, country, tz, horizon_days, orders,
                                           holiday_window_days, date_order_of(dayfirst) or "auto")
        total = backtest_steps(daily, len(names), horizon_days, origins)
        with progress(console, "Backtesting", total, not json_out) as step:
            scores = backtest_queues(daily, days, names, horizon_days, origins, order_frame,
                                     on_step=step)
    if json_out:
        import json

        document = {"horizon_days": int(horizon_days), "origins": int(origins),
                    "metrics": scores.to_dict("records")}
        sys.stdout.write(json.dumps(document, indent=2) + "\n")
        return
    from rich.table import Table

    from surgeplan.escape import terminal

    table = Table(title=f"Backtest: {origins} origins x {horizon_days} days", title_justify="left")
    for col in ("queue", "model", "days", "WAPE", "MASE", "bias", "80% coverage"):
        table.add_column(col, justify="left" if col in ("queue", "model") else "right")
    for row in scores.itertuples():
        table.add_row(terminal(row.queue), row.model, str(row.n_days), f"{row.wape:.3f}",
                      f"{row.mase:.3f}", f"{row.bias:+.3f}", f"{row.coverage_80:.2f}")
    console.print(table)

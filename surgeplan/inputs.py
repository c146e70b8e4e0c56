"""Everything a plan reads, found and loaded the way every command does it.

The config (or, with a history and no config, the starting values of
``surgeplan init`` for the queues the history has), the history, the
calendar, the ticket export and an edited forecast: readers from the
``*/io.py`` modules, called once here for ``plan``, ``evaluate`` and
``schedule``.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from calendars.bounds import check_timezone
from calendars.errors import InputError
from calendars.io import read_promo_calendar
from forecast.history import daily_volume
from forecast.io import read_ticket_history
from surgeplan.config import PlanConfig, default_config, load_config


@dataclass(frozen=True)
class PlanInputs:
    """A plan's config and data, loaded and checked."""

    config: PlanConfig
    history: pd.DataFrame
    promos: pd.DataFrame | None
    tickets: pd.DataFrame | None
    forecast: pd.DataFrame | None = None


def load_inputs(config: Path | None, history: Path | None = None, calendar: Path | None = None,
                tickets: Path | None = None, forecast: Path | None = None,
                tz: str | None = None, bundled: Path | None = None,
                date_order: str | None = None) -> PlanInputs:
    """Find and read a plan's inputs.

    With ``config``, its ``[data]`` paths unless overridden; with a
    ``history`` and no config, :func:`surgeplan.config.default_config` for
    the queues found in it (``tz``, else UTC); with neither, the ``bundled``
    example's config. ``date_order`` (``--dayfirst``/``--monthfirst``) overrides
    the config's ``[data] date_order`` for every file read.

    Raises
    ------
    InputError
        Any input file or the config is missing or bad.
    """
    if config is None and history is not None:
        tz = "UTC" if tz is None else tz
        try:
            check_timezone(tz, "--tz")
        except ValueError as exc:
            raise InputError(str(exc)) from None
        hist = read_ticket_history(history, tz, date_order=date_order or "auto")
        queues = sorted(daily_volume(hist)["queue"].unique())
        cfg = default_config(Path(history), [str(q) for q in queues], tz, date_order)
    else:
        cfg = load_config(config or bundled)
        if tz and tz != cfg.business.timezone:
            raise InputError(f"--tz {tz} differs from the config's [business] timezone "
                             f"{cfg.business.timezone}; set it in the config", path=cfg.path,
                             key="business.timezone")
        hist = None
    data, zone = cfg.data, cfg.business.timezone
    order = date_order or data.date_order
    if hist is None:
        hist = read_ticket_history(history or data.history, zone, data.column_map,
                                   data.channel_map, order)
    calendar_path = calendar or data.calendar
    tickets_path = tickets or (data.tickets if history is None else None)
    promos = read_promo_calendar(calendar_path, order) if calendar_path else None
    tix = read_ticket_history(tickets_path, zone, data.column_map, data.channel_map, order) \
        if tickets_path else None
    if tix is not None and "created_at" not in tix.columns:
        raise InputError("expected a ticket-level export (one row per ticket with a creation "
                         "time) for the intraday profile", path=tickets_path)
    given = None
    if forecast is not None:
        from surgeplan.io import read_forecast

        given = read_forecast(forecast)
    return PlanInputs(config=cfg, history=hist, promos=promos, tickets=tix, forecast=given)

"""A small synthetic business for fast plans: daily counts, a config and a calendar on disk.

Used by the tests of the pipeline and of the ordinary plans a planner makes
every week (short horizons, closed days, one queue, no partner, no calendar).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

#: Weekday shape of the synthetic demand (Monday first).
WEEKLY = np.array([1.15, 1.05, 1.0, 1.0, 0.95, 0.85, 0.8])

QUEUES = {
    "chat": {"channel": "chat", "aht_s": 600, "concurrency": 2, "target_sl": 0.8,
             "target_answer_s": 60, "open_hours": "08:00-22:00"},
    "email": {"channel": "email", "aht_s": 420, "target_sl": 0.9, "target_answer_s": 86400,
              "open_hours": "mon-fri 08:00-20:00; sat-sun 09:00-17:00"},
    "phone": {"channel": "phone", "aht_s": 360, "target_sl": 0.8, "target_answer_s": 20,
              "open_hours": "mon-fri 09:00-18:00"},
}
SOURCES = {
    "inhouse": {"inhouse": True, "hourly_cost": 30.0, "lead_time_days": 90},
    "nearshore": {"cost_ratio": 0.4, "lead_time_days": 14, "max_fte": 50,
                  "activation_cost": 500.0},
}


def daily_counts(queues=("chat",), n_days: int = 420, start: str = "2025-01-06",
                 level: float = 300.0, seed: int = 0) -> pd.DataFrame:
    """``date, channel, volume``: weekly-seasonal Poisson counts per queue."""
    rng = np.random.default_rng(seed)
    dates = pd.date_range(start, periods=n_days, freq="D")
    frames = [pd.DataFrame({"date": dates, "channel": queue,
                            "volume": rng.poisson(level * (1 + 0.3 * k)
                                                  * WEEKLY[dates.day_of_week])})
              for k, queue in enumerate(queues)]
    return pd.concat(frames, ignore_index=True)


def toml(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value + '"'
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k} = {toml(v)}" for k, v in value.items()) + "}"
    return repr(value)


def config_text(queues: dict, sources: dict, horizon_days: int = 20, calendar: str = "",
                extra: dict | None = None) -> str:
    """A plan.toml: the given queues and sources, the baseline model, and ``extra`` sections."""
    sections = {"business": {"name": "Small shop", "timezone": "Europe/London"},
                "data": {"history": "daily.csv", "calendar": calendar},
                "forecast": {"horizon_days": horizon_days, "model": "baseline"}}
    for name, values in (extra or {}).items():
        sections.setdefault(name, {}).update(values)
    lines = []
    for name, values in sections.items():
        lines.append(f"[{name}]")
        lines += [f"{k} = {toml(v)}" for k, v in values.items()]
    for kind, tables in (("queues", queues), ("sources", sources)):
        for name, values in tables.items():
            lines.append(f"[{kind}.{name}]")
            lines += [f"{k} = {toml(v)}" for k, v in values.items()]
    return "\n".join(lines) + "\n"


def write_case(folder: Path, queues=("chat",), sources: dict | None = None,
               horizon_days: int = 20, calendar: pd.DataFrame | None = None,
               queue_overrides: dict | None = None, extra: dict | None = None,
               n_days: int = 420) -> Path:
    """Write daily.csv, an optional promos.csv and plan.toml into ``folder``; return plan.toml."""
    folder.mkdir(parents=True, exist_ok=True)
    daily_counts(queues, n_days).to_csv(folder / "daily.csv", index=False)
    if calendar is not None:
        calendar.to_csv(folder / "promos.csv", index=False)
    tables = {q: {**QUEUES[q], **(queue_overrides or {}).get(q, {})} for q in queues}
    text = config_text(tables, SOURCES if sources is None else sources, horizon_days,
                       "promos.csv" if calendar is not None else "", extra)
    (folder / "plan.toml").write_text(text, encoding="utf-8")
    return folder / "plan.toml"


def load_case(config_path: Path):
    """(history, promos, config) of a case, read as the CLI reads them."""
    from calendars.io import read_promo_calendar
    from forecast.io import read_ticket_history
    from surgeplan.config import load_config

    config = load_config(config_path)
    history = read_ticket_history(config.data.history, config.business.timezone)
    promos = read_promo_calendar(config.data.calendar) if config.data.calendar else None
    return history, promos, config

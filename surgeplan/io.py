"""Reading a plan's own outputs back (for ``surgeplan costs``), with located errors."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from calendars.errors import InputError
from calendars.io import parse_dates, parse_numbers, read_table, require_columns

DAILY_REQUIRED = ["date", "queue", "volume", "required_fte", "regime"]
INTERVALS_REQUIRED = ["interval_start", "queue", "volume", "agents", "fte"]


def read_plan_dir(folder: str | Path, tz: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read ``daily_requirements.csv`` and ``intervals.csv`` from a ``surgeplan plan`` output folder.

    Returns
    -------
    daily, intervals : DataFrame
        ``date, queue, volume, required_fte, regime`` and
        ``interval_start`` (tz-aware, in ``tz``), ``queue, volume, agents, fte``.

    Raises
    ------
    InputError
        A missing folder or file, a missing column, a bad date or number.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError("expected the output folder of `surgeplan plan` (run it first)",
                         path=folder)
    daily_path, intervals_path = folder / "daily_requirements.csv", folder / "intervals.csv"
    daily = read_table(daily_path)
    require_columns(daily, DAILY_REQUIRED, daily_path)
    daily = daily.assign(date=parse_dates(daily, "date", daily_path),
                         volume=parse_numbers(daily, "volume", daily_path),
                         required_fte=parse_numbers(daily, "required_fte", daily_path))
    intervals = read_table(intervals_path)
    require_columns(intervals, INTERVALS_REQUIRED, intervals_path)
    start = pd.to_datetime(intervals["interval_start"], errors="coerce", utc=True)
    if start.isna().any():
        line = int(start.isna().to_numpy().nonzero()[0][0]) + 2
        raise InputError("expected a timestamp with its offset, like 2026-11-27 09:00:00-05:00",
                         path=intervals_path, line=line, column="interval_start")
    intervals = intervals.assign(interval_start=start.dt.tz_convert(tz),
                                 volume=parse_numbers(intervals, "volume", intervals_path),
                                 agents=parse_numbers(intervals, "agents", intervals_path),
                                 fte=parse_numbers(intervals, "fte", intervals_path))
    return daily[DAILY_REQUIRED], intervals[INTERVALS_REQUIRED]

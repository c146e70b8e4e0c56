"""Reading a plan's own outputs back (for ``surgeplan costs``), with located errors."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from calendars.bounds import MAX_DATE, MIN_DATE, check_timezone
from calendars.errors import InputError
from calendars.io import parse_dates, parse_numbers, read_table, require_columns, to_datetimes

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
    try:
        check_timezone(tz)
    except ValueError as exc:
        raise InputError(str(exc).split(": ", 1)[-1], key="tz") from None
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
    start = to_datetimes(intervals["interval_start"].astype("str"), utc=True)
    bad = start.isna() | (start < pd.Timestamp(MIN_DATE, tz="UTC")) \
        | (start >= pd.Timestamp(MAX_DATE, tz="UTC") + pd.Timedelta(days=1))
    if bad.any():
        line = int(bad.to_numpy().nonzero()[0][0]) + 2
        raise InputError("expected a timestamp with its offset, like 2026-11-27 09:00:00-05:00, "
                         f"from {MIN_DATE} to {MAX_DATE}", path=intervals_path, line=line,
                         column="interval_start")
    intervals = intervals.assign(interval_start=start.dt.tz_convert(tz),
                                 volume=parse_numbers(intervals, "volume", intervals_path),
                                 agents=parse_numbers(intervals, "agents", intervals_path),
                                 fte=parse_numbers(intervals, "fte", intervals_path))
    return daily[DAILY_REQUIRED], intervals[INTERVALS_REQUIRED]


FORECAST_REQUIRED = ["date", "queue", "volume_p50"]


def read_forecast(path: str | Path) -> pd.DataFrame:
    """Read a forecast the planner edited (``forecast.csv`` of ``surgeplan forecast`` or ``plan``).

    Returns
    -------
    DataFrame
        ``date, queue, volume_p10, volume_p50, volume_p90`` [contacts/day]
        and, when the file has them, ``regime`` and ``events``. A missing
        P10 or P90 column is the P50 (a point forecast, no band).

    Raises
    ------
    InputError
        A missing column, a bad date or number, a negative volume, P10 > P50
        or P50 > P90 on a row, a duplicate (date, queue), or a queue whose
        dates are not consecutive days (every queue must cover the same days).
    """
    frame = read_table(path)
    require_columns(frame, FORECAST_REQUIRED, path)
    if len(frame) == 0:
        raise InputError("the file has a header but no rows", path=path)
    out = pd.DataFrame({"date": parse_dates(frame, "date", path),
                        "queue": frame["queue"].astype(str).str.strip()})
    for column in ("volume_p10", "volume_p50", "volume_p90"):
        source = column if column in frame.columns else "volume_p50"
        out[column] = parse_numbers(frame, source, path, minimum=0.0)
    for column in ("regime", "events"):
        if column in frame.columns:
            out[column] = frame[column].fillna("").astype(str)
    order = (out["volume_p10"] > out["volume_p50"] + 1e-9) | \
        (out["volume_p50"] > out["volume_p90"] + 1e-9)
    if order.any():
        pos = int(order.to_numpy().nonzero()[0][0])
        raise InputError("expected volume_p10 <= volume_p50 <= volume_p90", path=path,
                         line=pos + 2, column="volume_p50")
    dup = out.duplicated(["date", "queue"])
    if dup.any():
        pos = int(dup.to_numpy().nonzero()[0][0])
        raise InputError(f"duplicate day {out['date'].iloc[pos]:%Y-%m-%d} for queue "
                         f"{out['queue'].iloc[pos]!r}; expected one row per date and queue",
                         path=path, line=pos + 2, column="date")
    span = pd.date_range(out["date"].min(), out["date"].max(), freq="D")
    for queue, one in out.groupby("queue"):
        if len(one) != len(span):
            raise InputError(f"queue {queue!r} covers {len(one)} of the {len(span)} days from "
                             f"{span[0]:%Y-%m-%d} to {span[-1]:%Y-%m-%d}; expected every queue "
                             "on every day", path=path, column="date")
    return out.sort_values(["queue", "date"], kind="stable").reset_index(drop=True)

"""Reading tables and the promo calendar from disk, with errors that say where.

This is the only module of ``calendars`` that touches files. ``forecast.io``
reuses :func:`read_table` and the column checks so that every input file is
read and validated the same way.
"""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from calendars.errors import InputError
from calendars.events import EVENT_TYPES

PROMO_COLUMNS = ["name", "type", "start", "end", "uplift", "channels", "pre_days", "post_days"]
PROMO_REQUIRED = ["name", "type", "start", "end"]
#: How a numeric date like 03/04/2026 is read: ``auto`` (from the column's own
#: unambiguous values, e.g. 25/12/2026; refused when every one is ambiguous),
#: ``day_first`` or ``month_first``. ISO dates (2026-04-03) are never in doubt.
DATE_ORDERS = ("auto", "day_first", "month_first")
_NUMERIC_DATE = r"^\s*(\d{1,2})[/.](\d{1,2})[/.](\d{4}|\d{2})(?!\d)(.*)$"


def read_table(path: str | Path, **csv_kwargs) -> pd.DataFrame:
    """Read a CSV (optionally gzipped), Parquet or Excel file into a frame.

    The format is chosen by the file's suffix. Column names are stripped of
    surrounding spaces.

    Raises
    ------
    InputError
        The file is missing, unreadable, empty, or of an unknown format.
    """
    path = Path(path)
    if not path.exists():
        raise InputError("file not found", path=path)
    if not path.is_file():
        raise InputError("expected a file, found a directory", path=path)
    suffixes = "".join(path.suffixes[-2:]).lower()
    try:
        if suffixes.endswith((".csv", ".csv.gz", ".txt", ".tsv", ".tsv.gz")):
            sep = "\t" if ".tsv" in suffixes else ","
            frame = pd.read_csv(path, sep=sep, dtype=str, keep_default_na=False,
                                na_values=[""], **csv_kwargs)
        elif suffixes.endswith(".parquet"):
            frame = pd.read_parquet(path)
        elif suffixes.endswith((".xlsx", ".xls")):
            frame = pd.read_excel(path, dtype=str)
        else:
            raise InputError("unknown file type: expected .csv, .csv.gz, .parquet or .xlsx",
                             path=path)
    except InputError:
        raise
    except pd.errors.EmptyDataError:
        raise InputError("the file is empty; expected a header row and data", path=path) from None
    except (OSError, UnicodeDecodeError, ValueError, ImportError, pd.errors.ParserError) as exc:
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InputError(f"could not read the file ({first_line})", path=path) from None
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame


def header_key(name) -> str:
    """A header as compared: no BOM, no surrounding space, lower case, runs of spaces or hyphens as ``_``.

    Examples
    --------
    >>> header_key("\\ufeffPre Days "), header_key("post-days")
    ('pre_days', 'post_days')
    """
    return re.sub(r"[\s\-]+", "_", str(name).replace("\ufeff", "").strip().lower())


def canonical_headers(frame: pd.DataFrame, known, path: str | Path | None) -> pd.DataFrame:
    """``frame`` with each header that matches a ``known`` name (by :func:`header_key`) renamed to it.

    A spreadsheet's ``Name, Type, Start, End`` reads as ``name, type, start,
    end``; other headers are left as they are. Two headers naming the same
    column are refused.
    """
    known = list(known)
    wanted = {header_key(k): k for k in known}
    renames, seen = {}, {}
    for column in frame.columns:
        target = wanted.get(header_key(column))
        if target is None:
            continue
        if target in seen:
            raise InputError(f"columns {seen[target]!r} and {column!r} are both {target!r}; "
                             "expected one", path=path)
        seen[target] = column
        if column != target:
            renames[column] = target
    return frame.rename(columns=renames) if renames else frame


def _numeric_parts(raw: pd.Series) -> pd.DataFrame:
    """The day/month parts, year and rest of each ``03/04/2026``-like value (NaN elsewhere)."""
    return raw.astype("string").str.extract(_NUMERIC_DATE)


def infer_date_order(frame: pd.DataFrame, columns, path: str | Path | None) -> str:
    """``day_first`` or ``month_first``, as the numeric dates in ``columns`` show.

    A value whose first part is over 12 says day first, one whose second part
    is over 12 month first; both in one file is refused, and so is a file
    where every such date is ambiguous (both parts 12 or less and different):
    it is not guessed. With nothing in doubt (no numeric dates, or all like
    03/03) either order reads the same: ``month_first``.
    """
    shown = {"day_first": None, "month_first": None}
    ambiguous = None
    for column in columns:
        parts = _numeric_parts(frame[column])
        first, second = (pd.to_numeric(parts[i]).to_numpy(float) for i in (0, 1))
        for order, hit in (("day_first", first > 12), ("month_first", second > 12)):
            if shown[order] is None and hit.any():
                shown[order] = (column, int(np.flatnonzero(hit)[0]))
        doubt = (first <= 12) & (second <= 12) & (first != second)
        if ambiguous is None and doubt.any():
            ambiguous = (column, int(np.flatnonzero(doubt)[0]))
    (dcol, dpos), (mcol, mpos) = (shown[o] or (None, None) for o in shown)
    if dcol is not None and mcol is not None:
        raise InputError(f"dates in two orders: {frame[dcol].iloc[dpos]!r} ({dcol}, line "
                         f"{_line(frame, dpos)}) is day first, {frame[mcol].iloc[mpos]!r} month "
                         "first; expected one order", path=path, line=_line(frame, mpos),
                         column=mcol)
    if dcol is not None or mcol is not None:
        return "day_first" if dcol is not None else "month_first"
    if ambiguous is not None:
        column, pos = ambiguous
        raise InputError(
            f"ambiguous date {frame[column].iloc[pos]!r}: day first or month first? Expected an "
            "ISO date (2026-04-03), or say which: [data] date_order = \"day_first\" or "
            "\"month_first\" in the config, or --dayfirst / --monthfirst", path=path,
            line=_line(frame, pos), column=column)
    return "month_first"


def numeric_dates_as_iso(raw: pd.Series, order: str, path: str | Path | None,
                         column: str) -> pd.Series:
    """``raw`` with day/month/year dates (``03/04/2026``, ``3.4.26``) rewritten as ISO.

    ``order`` is one of :data:`DATE_ORDERS`; ``auto`` is
    :func:`infer_date_order` of this column alone. Two-digit years are 20yy.

    Examples
    --------
    >>> numeric_dates_as_iso(pd.Series(["25/12/2026", "03/04/2026 10:00"]), "auto", None, "d").tolist()
    ['2026-12-25', '2026-04-03 10:00']
    """
    parts = _numeric_parts(raw)
    has = parts[0].notna().to_numpy(bool)
    if not has.any():
        return raw
    if order == "auto":
        order = infer_date_order(raw.to_frame(column), [column], path)
    day, month = (parts[0], parts[1]) if order == "day_first" else (parts[1], parts[0])
    year = parts[2].where(parts[2].str.len() == 4, "20" + parts[2])
    iso = year + "-" + month.str.zfill(2) + "-" + day.str.zfill(2) + parts[3].fillna("")
    return raw.astype(object).where(~has, iso.astype(object))


def require_columns(frame: pd.DataFrame, required: list[str], path: str | Path | None) -> None:
    """Raise an InputError listing the required and found columns if any is missing."""
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise InputError(
            f"missing column(s) {', '.join(missing)}; required: {', '.join(required)}; "
            f"found: {', '.join(map(str, frame.columns))}", path=path)


def _line(frame, position: int) -> int:
    """The 1-based file line of a row position (header on line 1)."""
    return int(position) + 2


def parse_dates(frame: pd.DataFrame, column: str, path: str | Path | None,
                date_order: str = "auto") -> pd.Series:
    """Parse a date column into midnight Timestamps (naive, local dates).

    ISO-like dates as they are; day/month/year dates by ``date_order``
    (:func:`numeric_dates_as_iso`). Raises an InputError naming the first row
    that is not a date.
    """
    raw = numeric_dates_as_iso(frame[column], date_order, path, column)
    parsed = pd.to_datetime(raw, errors="coerce", format="mixed")
    bad = parsed.isna()
    if bad.any():
        pos = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(f"expected a date like 2026-11-27, got {raw.iloc[pos]!r}",
                         path=path, line=_line(frame, pos), column=column)
    if getattr(parsed.dt, "tz", None) is not None:
        parsed = parsed.dt.tz_localize(None)
    return parsed.dt.normalize().astype("datetime64[ns]")


def parse_numbers(frame: pd.DataFrame, column: str, path: str | Path | None, *,
                  minimum: float | None = 0.0, strict_minimum: bool = False,
                  integer: bool = False, allow_missing: bool = False) -> pd.Series:
    """Parse a numeric column, rejecting text, missing values and values below ``minimum``."""
    raw = frame[column]
    values = pd.to_numeric(raw, errors="coerce").astype(float)
    missing = raw.isna()
    bad = values.isna() & ~(missing & allow_missing)
    if bad.any():
        pos = int(np.flatnonzero(bad.to_numpy())[0])
        shown = "an empty cell" if pd.isna(raw.iloc[pos]) else repr(raw.iloc[pos])
        raise InputError(f"expected a number, got {shown}", path=path,
                         line=_line(frame, pos), column=column)
    if minimum is not None:
        below = (values <= minimum) if strict_minimum else (values < minimum)
        below &= values.notna()
        if below.any():
            pos = int(np.flatnonzero(below.to_numpy())[0])
            rule = f"greater than {minimum:g}" if strict_minimum else f"at least {minimum:g}"
            raise InputError(f"expected a number {rule}, got {raw.iloc[pos]!r}", path=path,
                             line=_line(frame, pos), column=column)
    if integer:
        fractional = values.notna() & (values != np.round(values))
        if fractional.any():
            pos = int(np.flatnonzero(fractional.to_numpy())[0])
            raise InputError(f"expected a whole number, got {raw.iloc[pos]!r}", path=path,
                             line=_line(frame, pos), column=column)
    return values


def read_promo_calendar(path: str | Path, date_order: str = "auto") -> pd.DataFrame:
    """Read and validate a promo calendar (CSV or YAML), one event a row.

    Parameters
    ----------
    path : path-like
        CSV (``.csv``, ``.csv.gz``, ``.xlsx``) with a header row, or YAML
        (``.yaml``/``.yml``) holding a list of events (or ``{events: [...]}``).
        Headers match whatever their case and spacing (``Pre days`` is
        ``pre_days``), and so do event types (``Flash sale``).
    date_order : str
        How ``03/04/2026`` is read: one of :data:`DATE_ORDERS`.

    Returns
    -------
    DataFrame
        ``name`` (str), ``type`` (one of :data:`calendars.events.EVENT_TYPES`),
        ``start``, ``end`` (Timestamp, local dates, inclusive), ``uplift``
        [multiplier, NaN when not given], ``channels`` (tuple of str, empty
        meaning every queue), ``pre_days``, ``post_days`` [days], sorted by start.

    Raises
    ------
    InputError
        A missing column, an unparseable date, an unknown type, an event that
        ends before it starts, an uplift that is not a positive number.
    """
    path = Path(path)
    if path.suffix.lower() in (".yaml", ".yml"):
        frame = _read_yaml_events(path)
    else:
        frame = read_table(path)
    frame = canonical_headers(frame, PROMO_COLUMNS, path)
    require_columns(frame, PROMO_REQUIRED, path)
    frame = frame.reset_index(drop=True)
    names = frame["name"].astype("string").str.strip()
    if names.isna().any() or (names == "").any():
        pos = int(np.flatnonzero((names.isna() | (names == "")).to_numpy())[0])
        raise InputError("expected an event name", path=path, line=_line(frame, pos), column="name")
    types = frame["type"].astype("string").map(header_key, na_action="ignore").astype("string")
    unknown = ~types.isin(EVENT_TYPES)
    if unknown.any():
        pos = int(np.flatnonzero(unknown.to_numpy())[0])
        raise InputError(f"unknown event type {frame['type'].iloc[pos]!r}; expected one of "
                         f"{', '.join(EVENT_TYPES)}", path=path, line=_line(frame, pos),
                         column="type")
    if date_order == "auto":  # one order for the whole file, start and end alike
        date_order = infer_date_order(frame, ["start", "end"], path)
    start = parse_dates(frame, "start", path, date_order)
    end = parse_dates(frame, "end", path, date_order)
    backwards = end < start
    if backwards.any():
        pos = int(np.flatnonzero(backwards.to_numpy())[0])
        raise InputError(f"the event ends ({end.iloc[pos]:%Y-%m-%d}) before it starts "
                         f"({start.iloc[pos]:%Y-%m-%d}); expected end >= start",
                         path=path, line=_line(frame, pos), column="end")
    out = pd.DataFrame({"name": names.astype(str), "type": types.astype(str),
                        "start": start, "end": end})
    if "uplift" in frame:
        out["uplift"] = parse_numbers(frame, "uplift", path, minimum=0.0, strict_minimum=True,
                                      allow_missing=True)
    else:
        out["uplift"] = np.nan
    for col in ("pre_days", "post_days"):
        if col in frame:
            out[col] = parse_numbers(frame, col, path, minimum=0, integer=True,
                                     allow_missing=True).fillna(0).astype(int)
        else:
            out[col] = 0
    if "channels" in frame:
        out["channels"] = [
            tuple(sorted(c.strip().lower() for c in str(v).replace(";", ",").split(",") if c.strip()))
            if not pd.isna(v) else () for v in frame["channels"]]
    else:
        out["channels"] = [()] * len(out)
    return out[PROMO_COLUMNS].sort_values(["start", "name"], kind="stable").reset_index(drop=True)


def _read_yaml_events(path: Path) -> pd.DataFrame:
    import yaml

    if not path.exists():
        raise InputError("file not found", path=path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise InputError(f"could not read the YAML ({str(exc).splitlines()[0]})", path=path) from None
    if isinstance(data, dict) and "events" in data:
        data = data["events"]
    if not isinstance(data, list) or not all(isinstance(e, dict) for e in data):
        raise InputError("expected a list of events, each a mapping with name, type, start, end",
                         path=path)
    frame = pd.DataFrame(data)
    for col in frame.columns:
        # a key some events leave out is NaN in the frame: keep it missing, not "nan"
        frame[col] = frame[col].map(lambda v: None if v is None or (isinstance(v, float) and v != v)
                                    else ",".join(map(str, v)) if isinstance(v, list) else str(v))
    return frame

"""Reading tables and the promo calendar from disk, with errors that say where.

This is the only module of ``calendars`` that touches files. ``forecast.io``
reuses :func:`read_table` and the column checks so that every input file is
read and validated the same way.
"""
from __future__ import annotations

import re
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from calendars.bounds import (MAX_COLUMNS, MAX_DATE, MAX_DECOMPRESSED_BYTES, MAX_EVENT_EDGE_DAYS,
                              MAX_FILE_BYTES, MAX_ROWS, MAX_UPLIFT, MIN_DATE)
from calendars.errors import InputError
from calendars.events import EVENT_TYPES

PROMO_COLUMNS = ["name", "type", "start", "end", "uplift", "channels", "pre_days", "post_days"]
PROMO_REQUIRED = ["name", "type", "start", "end"]
#: How a numeric date like 03/04/2026 is read: ``auto`` (from the column's own
#: unambiguous values, e.g. 25/12/2026; refused when every one is ambiguous),
#: ``day_first`` or ``month_first``. ISO dates (2026-04-03) are never in doubt.
DATE_ORDERS = ("auto", "day_first", "month_first")
_NUMERIC_DATE = r"^\s*(\d{1,2})[/.](\d{1,2})[/.](\d{4}|\d{2})(?!\d)(.*)$"
#: A clock time, and a UTC offset after it at the end of a timestamp (``Z``, ``+01:00``, ``-0500``).
CLOCK_TIME = r"\d:\d{2}(?::\d{2}(?:\.\d*)?)?"
UTC_OFFSET_END = r"\s*(?:Z|UTC|[+-]\d{2}(?::?\d{2})?)$"
OFFSET_SUFFIX = CLOCK_TIME + UTC_OFFSET_END


def read_table(path: str | Path, columns: Callable[[str], bool] | None = None,
               **csv_kwargs) -> pd.DataFrame:
    """Read a CSV (optionally gzipped), Parquet or Excel file into a frame.

    The format is chosen by the file's suffix. Column names are stripped of
    surrounding spaces. Every cell of a CSV or Excel file is read as text.
    ``columns``, given a (stripped) column name, says whether to keep it: a
    ticket export's free-text columns are never read into memory (all are
    read when it keeps none). ``frame.attrs["all_columns"]`` lists every
    column of the file, for error messages.

    The file's size, its decompressed size (gzip, xlsx), its rows and its
    columns are checked against :mod:`calendars.bounds` before the table is
    built, so a small file cannot ask for unbounded memory.

    Raises
    ------
    InputError
        The file is missing, unreadable, corrupt, empty, of an unknown
        format, or past a bound.
    """
    path = Path(path)
    if "\x00" in str(path):
        raise InputError("expected a file path, got one with a NUL character", path=repr(str(path)))
    if not path.exists():
        raise InputError("file not found", path=path)
    if not path.is_file():
        raise InputError("expected a file, found a directory", path=path)
    suffixes = "".join(path.suffixes[-2:]).lower()
    try:
        _check_size(path)
        if suffixes.endswith((".csv", ".csv.gz", ".txt", ".tsv", ".tsv.gz")):
            frame, found = _read_csv(path, "\t" if ".tsv" in suffixes else ",",
                                     suffixes.endswith(".gz"), columns, **csv_kwargs)
        elif suffixes.endswith(".parquet"):
            frame, found = _read_parquet(path, columns)
        elif suffixes.endswith((".xlsx", ".xls")):
            _check_archive(path)
            found = list(pd.read_excel(path, dtype=str, nrows=0).columns)
            frame = pd.read_excel(path, dtype=str, nrows=MAX_ROWS + 1,
                                  usecols=_selector(found, columns))
        else:
            raise InputError("unknown file type: expected .csv, .csv.gz, .parquet or .xlsx",
                             path=path)
    except InputError:
        raise
    except pd.errors.EmptyDataError:
        raise InputError("the file is empty; expected a header row and data", path=path) from None
    except MemoryError:
        raise InputError("the table does not fit in memory; expected a smaller file",
                         path=path) from None
    except _read_errors() as exc:
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InputError(f"could not read the file ({type(exc).__name__}: {first_line[:200]})",
                         path=path) from None
    if len(frame.columns) > MAX_COLUMNS:
        raise InputError(f"the table has {len(frame.columns):,} columns; expected at most "
                         f"{MAX_COLUMNS:,}", path=path)
    if len(frame) > MAX_ROWS:
        raise InputError(f"the table has more than {MAX_ROWS:,} rows; expected at most "
                         f"{MAX_ROWS:,} (aggregate to daily counts)", path=path)
    frame.columns = [str(c).strip() for c in frame.columns]
    frame.attrs["all_columns"] = [str(c).strip() for c in found]
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


def _selector(found: list, columns: Callable[[str], bool] | None):
    """``usecols`` for pandas: a test of a column's name, or None (all) when none or all are kept.

    A test rather than a list: a header naming a column twice still reads.
    """
    if columns is None:
        return None
    keep = [c for c in found if columns(str(c).strip())]
    if not keep or len(keep) == len(found):
        return None
    return lambda name: columns(str(name).strip())


def _read_errors() -> tuple[type[BaseException], ...]:
    """What the parsers raise on a file that is not what its suffix says (never a bug of ours)."""
    import zipfile
    import zlib
    from xml.etree.ElementTree import ParseError

    errors: list[type[BaseException]] = [
        OSError, EOFError, zlib.error, zipfile.BadZipFile, ParseError, UnicodeDecodeError,
        ValueError, ImportError, pd.errors.ParserError, KeyError, IndexError, TypeError,
        OverflowError]
    try:
        import pyarrow

        errors.append(pyarrow.ArrowException)
    except ImportError:
        pass
    return tuple(errors)


def _check_size(path: Path) -> None:
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise InputError(f"the file is {size:,} bytes; expected at most {MAX_FILE_BYTES:,}",
                         path=path)


def _read_csv(path: Path, sep: str, gzipped: bool, columns, **csv_kwargs
              ) -> tuple[pd.DataFrame, list]:
    """A CSV read as text, its decompressed size and header width checked first; its header."""
    import gzip

    opener = gzip.open if gzipped else open
    if gzipped:  # one streaming pass: a truncated or corrupt gzip and a gzip bomb fail here
        total = 0
        with gzip.open(path, "rb") as stream:
            while chunk := stream.read(1 << 20):
                total += len(chunk)
                if total > MAX_DECOMPRESSED_BYTES:
                    raise InputError(f"the file decompresses to more than "
                                     f"{MAX_DECOMPRESSED_BYTES:,} bytes; expected at most that",
                                     path=path)
    with opener(path, "rb") as stream:
        header = stream.readline(1 << 20)
    if header.count(sep.encode()) + 1 > MAX_COLUMNS:
        raise InputError(f"the header has more than {MAX_COLUMNS:,} columns; expected at most "
                         f"{MAX_COLUMNS:,}", path=path, line=1)
    found = list(pd.read_csv(path, sep=sep, dtype=str, nrows=0, **csv_kwargs).columns)
    keep = _selector(found, columns)
    frame = pd.read_csv(path, sep=sep, dtype=str, keep_default_na=False, na_values=[""],
                        nrows=MAX_ROWS + 1, usecols=keep, **csv_kwargs)
    return frame, found


def _read_parquet(path: Path, columns) -> tuple[pd.DataFrame, list]:
    """A Parquet file, its row and column counts checked from the footer before reading."""
    import pyarrow.parquet as pq

    file = pq.ParquetFile(path)
    meta = file.metadata
    if meta.num_rows > MAX_ROWS or meta.num_columns > MAX_COLUMNS:
        raise InputError(f"the table has {meta.num_rows:,} rows and {meta.num_columns:,} "
                         f"columns; expected at most {MAX_ROWS:,} and {MAX_COLUMNS:,}", path=path)
    found = list(file.schema_arrow.names)
    keep = None if _selector(found, columns) is None else [c for c in found if columns(c.strip())]
    return pd.read_parquet(path, columns=keep), found


def _check_archive(path: Path) -> None:
    """An .xlsx (a zip) whose members decompress to at most MAX_DECOMPRESSED_BYTES."""
    import zipfile

    if not zipfile.is_zipfile(path):
        if path.suffix.lower() == ".xlsx":
            raise InputError("not an Excel workbook (an .xlsx is a zip archive); expected a "
                             "workbook saved by Excel, or a CSV", path=path)
        return
    with zipfile.ZipFile(path) as archive:
        total = sum(info.file_size for info in archive.infolist())
    if total > MAX_DECOMPRESSED_BYTES:
        raise InputError(f"the workbook decompresses to {total:,} bytes; expected at most "
                         f"{MAX_DECOMPRESSED_BYTES:,}", path=path)


def require_columns(frame: pd.DataFrame, required: list[str], path: str | Path | None) -> None:
    """Raise an InputError listing the required and found columns if any is missing."""
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise InputError(
            f"missing column(s) {', '.join(missing)}; required: {', '.join(required)}; "
            f"found: {', '.join(map(str, frame.attrs.get('all_columns', frame.columns)))}",
            path=path)


def _line(frame: pd.DataFrame, position: int) -> int:
    """The 1-based file line of a row position (header on line 1; a YAML event's own line)."""
    lines = frame.attrs.get("lines")
    if lines is not None and 0 <= position < len(lines):
        return int(lines[position])
    return int(position) + 2


def to_datetimes(text: pd.Series, utc: bool = False) -> pd.Series:
    """Text cells as Timestamps [us], NaT where a cell is not one: ISO 8601 fast, then any format.

    The ISO pass is vectorised (a 2 M-row export in about a second); only the
    cells it leaves go through pandas' per-cell ``format="mixed"`` parser.
    Microseconds hold every year from 1 to 9999, so a far date is a value
    the caller can check against its bounds, never an overflow.
    """
    unit = "datetime64[us, UTC]" if utc else "datetime64[us]"
    parsed = pd.Series(pd.NaT, index=text.index, dtype=unit)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "could not infer format": each cell on its own
        for fmt in ("ISO8601", "mixed"):
            left = parsed.isna() & text.notna()
            if not left.any():
                break
            try:
                got = pd.to_datetime(text[left], errors="coerce", format=fmt, utc=utc)
            except (ValueError, OverflowError, TypeError):
                continue
            if pd.api.types.is_datetime64_any_dtype(got) and \
                    (getattr(got.dt, "tz", None) is not None) == utc:
                parsed[left] = got.astype(unit)
    return parsed


def parse_dates(frame: pd.DataFrame, column: str, path: str | Path | None,
                date_order: str = "auto") -> pd.Series:
    """Parse a date column into midnight Timestamps (naive, local dates).

    ISO-like dates as they are; day/month/year dates by ``date_order``
    (:func:`numeric_dates_as_iso`). Dates must lie within
    :data:`calendars.bounds.MIN_DATE` and :data:`~calendars.bounds.MAX_DATE`.

    Raises an InputError naming the first row that is not such a date.
    """
    raw = frame[column]
    text = numeric_dates_as_iso(raw, date_order, path, column).astype("str")
    # digits of other scripts (Arabic-Indic, Devanagari...) parse as a wrong year: ASCII only
    foreign = text.str.contains(r"[^\x00-\x7f]", regex=True).fillna(False).to_numpy(bool)
    # a date column holds local dates: a time's UTC offset, if any, is not a different day
    text = text.str.replace(f"({CLOCK_TIME}){UTC_OFFSET_END}", r"\1", regex=True)
    parsed = to_datetimes(text)
    if getattr(parsed.dt, "tz", None) is not None:
        parsed = parsed.dt.tz_localize(None)
    bad = parsed.isna().to_numpy() | foreign
    if not bad.all():
        ok = ~bad
        bad[ok] = ((parsed[ok] < pd.Timestamp(MIN_DATE))
                   | (parsed[ok] >= pd.Timestamp(MAX_DATE) + pd.Timedelta(days=1))
                   ).to_numpy()
    if bad.any():
        pos = int(np.flatnonzero(bad)[0])
        raise InputError(f"expected a date like 2026-11-27 from {MIN_DATE} to {MAX_DATE}, "
                         f"got {raw.iloc[pos]!r}", path=path, line=_line(frame, pos),
                         column=column)
    return parsed.dt.normalize().astype("datetime64[ns]")


def parse_numbers(frame: pd.DataFrame, column: str, path: str | Path | None, *,
                  minimum: float | None = 0.0, strict_minimum: bool = False,
                  maximum: float | None = None,
                  integer: bool = False, allow_missing: bool = False) -> pd.Series:
    """Parse a numeric column, rejecting text, missing values, infinities and values out of range."""
    raw = frame[column]
    values = pd.to_numeric(raw, errors="coerce").astype(float)
    missing = raw.isna()
    bad = (values.isna() | np.isinf(values)) & ~(missing & allow_missing)
    if bad.any():
        pos = int(np.flatnonzero(bad.to_numpy())[0])
        shown = "an empty cell" if pd.isna(raw.iloc[pos]) else repr(raw.iloc[pos])
        kind = "a finite number" if np.isinf(values.iloc[pos]) else "a number"
        raise InputError(f"expected {kind}, got {shown}", path=path,
                         line=_line(frame, pos), column=column)
    if minimum is not None:
        below = (values <= minimum) if strict_minimum else (values < minimum)
        below &= values.notna()
        if below.any():
            pos = int(np.flatnonzero(below.to_numpy())[0])
            rule = f"greater than {minimum:g}" if strict_minimum else f"at least {minimum:g}"
            raise InputError(f"expected a number {rule}, got {raw.iloc[pos]!r}", path=path,
                             line=_line(frame, pos), column=column)
    if maximum is not None:
        above = (values > maximum) & values.notna()
        if above.any():
            pos = int(np.flatnonzero(above.to_numpy())[0])
            raise InputError(f"expected a number at most {maximum:g}, got {raw.iloc[pos]!r}",
                             path=path, line=_line(frame, pos), column=column)
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
        from calendars.yaml_io import read_yaml_events

        frame = read_yaml_events(path)
    else:
        frame = read_table(path)
    frame = canonical_headers(frame, PROMO_COLUMNS, path)
    require_columns(frame, PROMO_REQUIRED, path)
    lines = frame.attrs.get("lines")
    frame = frame.reset_index(drop=True)
    frame.attrs["lines"] = lines
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
                                      maximum=MAX_UPLIFT, allow_missing=True)
    else:
        out["uplift"] = np.nan
    for col in ("pre_days", "post_days"):
        if col in frame:
            out[col] = parse_numbers(frame, col, path, minimum=0, maximum=MAX_EVENT_EDGE_DAYS,
                                     integer=True, allow_missing=True).fillna(0).astype(int)
        else:
            out[col] = 0
    if "channels" in frame:
        out["channels"] = [
            tuple(sorted(c.strip().lower() for c in str(v).replace(";", ",").split(",") if c.strip()))
            if not pd.isna(v) else () for v in frame["channels"]]
    else:
        out["channels"] = [()] * len(out)
    return out[PROMO_COLUMNS].sort_values(["start", "name"], kind="stable").reset_index(drop=True)

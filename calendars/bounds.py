"""The bounds every input is held to at load, defined once.

A tiny input must not be able to ask for unbounded work: one calendar cell
``post_days = 1e9`` once grew a forecast to 24 GB, a 5 MB gzip expanded to
2 GB, a 656-byte YAML alias bomb never finished. Each reader checks its
input against these bounds before the work starts and raises
:class:`~calendars.errors.InputError` naming the file, row and column (or
key) and the bound. The README's "Inputs and bounds" lists them.
"""
from __future__ import annotations

from calendars.errors import InputError

#: The first and last date any input may name (history, calendar, orders, forecast).
MIN_DATE = "1900-01-01"
MAX_DATE = "2200-12-31"
#: The same bounds as Unix epoch seconds (Intercom's ``created_at``) [s].
MIN_EPOCH_S = -2_208_988_800  # 1900-01-01T00:00:00Z
MAX_EPOCH_S = 7_289_654_399  # 2200-12-31T23:59:59Z
#: The longest ramp before or echo after an event (``pre_days``/``post_days``) [days].
MAX_EVENT_EDGE_DAYS = 366
#: The largest event multiplier a calendar may give (``uplift``) [ratio].
MAX_UPLIFT = 100.0
#: The largest input file read as it is on disk [bytes]. Sized with the rows below so
#: the largest accepted table loads in about 2 GB: a 2 M-row ticket export is 190 MB
#: on disk and peaks at 1.0 GB (benchmarks/loaders_memory.py).
MAX_FILE_BYTES = 400_000_000
#: The largest decompressed text of a ``.gz`` file or an ``.xlsx`` archive [bytes].
MAX_DECOMPRESSED_BYTES = 400_000_000
#: The most data rows of one table (aggregate larger histories to daily counts).
MAX_ROWS = 5_000_000
#: The most columns of one table.
MAX_COLUMNS = 1_000
#: The largest YAML calendar [bytes], and its deepest nesting of lists and mappings.
MAX_YAML_BYTES = 10_000_000
MAX_YAML_DEPTH = 32


def check_timezone(tz, name: str = "tz") -> str:
    """``tz`` if it is an IANA time zone name, else ValueError naming ``name``.

    Examples
    --------
    >>> check_timezone("Europe/London")
    'Europe/London'
    """
    import zoneinfo

    ok = isinstance(tz, str) and tz.strip() != "" and "\x00" not in tz
    if ok:
        try:
            zoneinfo.ZoneInfo(tz)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
            ok = False
    if not ok:
        raise ValueError(f"{name}: unknown time zone {tz!r}; expected an IANA name like "
                         "Europe/London or America/New_York")
    return tz


def read_small_text(path, max_bytes: int, what: str, expected: str = "at most that") -> str:
    """A small text file read whole (a config, a YAML calendar): size bounded, a BOM dropped.

    Raises :class:`~calendars.errors.InputError` naming ``path`` for a
    missing file, a folder, more than ``max_bytes`` (``expected`` says what
    was), or bytes that cannot be read as UTF-8.
    """
    if not path.is_file():
        raise InputError(f"file not found; expected {what}" if not path.exists() else
                         f"expected {what}, found a folder", path=path)
    try:
        if path.stat().st_size > max_bytes:
            raise InputError(f"{what} is larger than {max_bytes:,} bytes; expected {expected}",
                             path=path)
        return path.read_text(encoding="utf-8-sig")  # a BOM from a Windows editor is no error
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"could not read {what} ({type(exc).__name__})", path=path) from None

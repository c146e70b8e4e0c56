"""Reading ticket history: ticket-level exports or daily counts, validated.

The only module of ``forecast`` that touches files.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from calendars.bounds import MAX_DATE, MAX_EPOCH_S, MIN_DATE, MIN_EPOCH_S, check_timezone
from calendars.errors import InputError
from calendars.io import (OFFSET_SUFFIX, canonical_headers, numeric_dates_as_iso, parse_dates,
                          parse_numbers, read_table, require_columns, to_datetimes)

#: Creation-timestamp columns of the helpdesks we know, first match wins.
TIMESTAMP_COLUMNS = ("created_at", "Created at", "created_datetime", "Created time",
                     "Created At", "created")
#: Channel columns, first match wins.
CHANNEL_COLUMNS = ("channel", "Channel", "via.channel", "Via", "via", "source.type", "source",
                   "Source")
#: Category columns, first match wins (a tag list takes its first tag).
CATEGORY_COLUMNS = ("category", "Category", "Tags", "tags")
#: Ticket id columns, first match wins (duplicates are refused).
ID_COLUMNS = ("Id", "id", "ID", "Ticket ID")
#: Queue keys a daily-count file may carry besides date and volume.
DAILY_KEYS = ("channel", "queue", "category")

#: Helpdesk channel labels mapped to surgeplan's channels (lower-cased keys).
#: Intercom ``source.type`` (conversation, email, phone_call, push, sms, whatsapp,
#: facebook, instagram, twitter) and Gorgias ``channel`` (email, chat, phone, sms,
#: facebook-messenger, instagram-direct-message, contact_form, help-center, api,
#: facebook, instagram-comment, twitter, yotpo-review) included: messaging is
#: chat, public comments and reviews are answered asynchronously like email.
CHANNEL_MAP = {
    "chat": "chat", "messaging": "chat", "web_widget": "chat", "native_messaging": "chat",
    "livechat": "chat", "conversation": "chat", "sms": "chat", "whatsapp": "chat",
    "facebook-messenger": "chat", "instagram-direct-message": "chat", "push": "chat",
    "mail": "email", "email": "email", "web form": "email", "web": "email", "api": "email",
    "contact_form": "email", "help-center": "email", "facebook": "email",
    "instagram": "email", "instagram-comment": "email", "twitter": "email",
    "yotpo-review": "email",
    "voice": "phone", "phone": "phone", "call": "phone", "phone_call": "phone",
    "phone_switch": "phone", "aircall": "phone",
}
#: Freshdesk's integer ``Source`` codes (Freshdesk API v2, "Tickets" > source:
#: 1 Email, 2 Portal, 3 Phone, 7 Chat, 9 Feedback Widget, 10 Outbound Email;
#: https://developers.freshdesk.com/api/#tickets). Applied only to a column
#: named ``Source``/``source``, so Zendesk's numeric via ids are not misread.
#: Portal and the feedback widget are web forms, answered like email; an
#: outbound email is agent-initiated but its replies land in the email queue.
FRESHDESK_SOURCE = {1: "email", 2: "email", 3: "phone", 7: "chat", 9: "email", 10: "email"}
#: Columns of a daily orders file besides ``date`` and ``orders``.
ORDER_KEYS = ("channel",)


def read_ticket_history(path: str | Path, tz: str, column_map: dict[str, str] | None = None,
                        channel_map: dict[str, str] | None = None,
                        date_order: str = "auto") -> pd.DataFrame:
    """Read a ticket history file in either of its two forms.

    Parameters
    ----------
    path : path-like
        CSV (optionally gzipped), Parquet or Excel.
    tz : str
        The business's IANA time zone; naive timestamps are taken in it.
    column_map : dict, optional
        Renames applied first, ``{"their column": "our column"}``.
    channel_map : dict, optional
        Extra channel labels, ``{"their label": "chat"|"email"|"phone"|...}``.
    date_order : str
        How ``03/04/2026`` is read (:data:`calendars.io.DATE_ORDERS`).

    Returns
    -------
    DataFrame
        Ticket-level form: ``created_at`` (tz-aware, in ``tz``), ``channel``,
        ``category`` (``"unknown"`` where absent). Daily form: ``date``
        (Timestamp, local date), ``volume`` [tickets/day], and whichever of
        ``channel``, ``queue``, ``category`` the file has.

    Raises
    ------
    InputError
        Missing or unreadable file, no recognisable columns, unparseable
        timestamps or dates, negative or non-numeric volume, duplicate days.
    """
    try:
        check_timezone(tz)
    except ValueError as exc:
        raise InputError(str(exc).split(": ", 1)[-1], key="tz") from None
    wanted = {*DAILY_KEYS, "date", "volume", *TIMESTAMP_COLUMNS, *CHANNEL_COLUMNS,
              *CATEGORY_COLUMNS, *ID_COLUMNS, *(column_map or {})}
    frame = read_table(path, columns=wanted.__contains__)  # free text (subjects) stays on disk
    if column_map:
        frame = frame.rename(columns=column_map)
    if len(frame) == 0:
        raise InputError("the file has a header but no rows", path=path)
    daily = canonical_headers(frame, ("date", "volume", *DAILY_KEYS), path)
    if "date" in daily.columns and "volume" in daily.columns:  # Date, Volume from a spreadsheet too
        return _daily_form(daily, path, date_order)
    if "date" in frame.columns or "volume" in frame.columns:
        require_columns(frame, ["date", "volume"], path)
    return _ticket_form(frame, path, tz, {**CHANNEL_MAP, **{k.lower(): v for k, v in
                                                         (channel_map or {}).items()}},
                        date_order)


def _daily_form(frame: pd.DataFrame, path, date_order: str = "auto") -> pd.DataFrame:
    return _dated_values(frame, path, "volume", DAILY_KEYS, missing_key="unknown",
                         date_order=date_order)


def _dated_values(frame: pd.DataFrame, path, value: str, key_columns, missing_key: str,
                  date_order: str = "auto") -> pd.DataFrame:
    """``date``, a non-negative ``value`` column and the key columns present, one row per key.

    Raises an InputError on a bad date or number, or on a duplicate (date, keys) row.
    """
    keys = [k for k in key_columns if k in frame.columns]
    out = pd.DataFrame({"date": parse_dates(frame, "date", path, date_order),
                        value: parse_numbers(frame, value, path, minimum=0.0)})
    for key in keys:
        out[key] = frame[key].fillna(missing_key).astype(str).str.strip().str.lower()
    dup = out.duplicated(["date", *keys], keep="first")
    if dup.any():
        pos = int(np.flatnonzero(dup.to_numpy())[0])
        what = ", ".join([f"{out['date'].iloc[pos]:%Y-%m-%d}"] + [out[k].iloc[pos] for k in keys])
        raise InputError(f"duplicate day ({what}); expected one row per date"
                         + (f" and {', '.join(keys)}" if keys else ""),
                         path=path, line=pos + 2, column="date")
    return out.sort_values(["date", *keys], kind="stable").reset_index(drop=True)


def _first_present(frame: pd.DataFrame, candidates) -> str | None:
    return next((c for c in candidates if c in frame.columns), None)


def _ticket_form(frame: pd.DataFrame, path, tz: str, channel_map: dict[str, str],
                 date_order: str = "auto") -> pd.DataFrame:
    ts_col = _first_present(frame, TIMESTAMP_COLUMNS)
    if ts_col is None:
        raise InputError(
            "no ticket timestamp or daily count columns; expected daily counts (date, volume) "
            f"or a ticket export with one of: {', '.join(TIMESTAMP_COLUMNS)}; "
            f"found: {', '.join(map(str, frame.attrs.get('all_columns', frame.columns)))}",
            path=path)
    created = _parse_timestamps(frame, ts_col, path, tz, date_order)
    out = pd.DataFrame({"created_at": created})
    ch_col = _first_present(frame, CHANNEL_COLUMNS)
    if ch_col is None:
        out["channel"] = "all"
    else:
        out["channel"] = _channels(frame[ch_col], ch_col, channel_map)
    cat_col = _first_present(frame, CATEGORY_COLUMNS)
    if cat_col is None:
        out["category"] = "unknown"
    else:
        out["category"] = (frame[cat_col].fillna("unknown").astype(str).str.strip()
                           .str.split(r"[\s,]+", regex=True).str[0].str.lower()
                           .replace("", "unknown"))
    id_col = _first_present(frame, ID_COLUMNS)
    if id_col is not None:
        dup = frame[id_col].duplicated() & frame[id_col].notna()
        if dup.any():
            pos = int(np.flatnonzero(dup.to_numpy())[0])
            raise InputError(f"duplicate ticket id {frame[id_col].iloc[pos]!r}; expected each "
                             "ticket once", path=path, line=pos + 2, column=id_col)
    return out.sort_values("created_at", kind="stable").reset_index(drop=True)


def _channels(raw: pd.Series, column: str, channel_map: dict[str, str]) -> pd.Series:
    """Channel labels mapped to surgeplan's channels; Freshdesk's codes in a Source column."""
    labels = raw.fillna("unknown").astype(str).str.strip().str.lower()
    if column in ("Source", "source"):
        codes = pd.to_numeric(raw, errors="coerce")
        whole = codes.notna() & (codes == np.round(codes))
        coded = codes[whole].astype(int).map(FRESHDESK_SOURCE)
        labels = labels.mask(whole & coded.reindex(labels.index).notna(),
                             coded.reindex(labels.index))
    return labels.map(lambda v: channel_map.get(v, v))


def read_orders(path: str | Path) -> pd.DataFrame:
    """Read a daily orders file: the business driver of ticket volume, past and planned.

    Parameters
    ----------
    path : path-like
        CSV (optionally gzipped), Parquet or Excel with ``date``, ``orders``
        [orders/day] and optionally ``channel`` (orders that drive one queue).

    Returns
    -------
    DataFrame
        ``date`` (Timestamp, local date), ``orders`` [orders/day] and
        ``channel`` (lower-cased) when the file has it; sorted.

    Raises
    ------
    InputError
        Missing file or columns, a bad date, negative or non-numeric orders,
        or the same day twice (per channel).

    Examples
    --------
    The file covers the history and the forecast horizon (the planned
    orders), e.g.::

        date,orders
        2026-11-26,5200
        2026-11-27,16400
    """
    frame = read_table(path)
    require_columns(frame, ["date", "orders"], path)
    if len(frame) == 0:
        raise InputError("the file has a header but no rows", path=path)
    return _dated_values(frame, path, "orders", ORDER_KEYS, missing_key="all")


def _parse_timestamps(frame: pd.DataFrame, column: str, path, tz: str,
                      date_order: str = "auto") -> pd.Series:
    """Creation times as tz-aware Timestamps in ``tz``, within the date bounds.

    Epoch seconds (Intercom) when every cell is a number; otherwise text,
    either every cell with a UTC offset or none (naive times are local, in
    ``tz``); day/month/year times are read by ``date_order``
    (:func:`calendars.io.numeric_dates_as_iso`). Raises an InputError naming
    the first bad row.
    """
    raw = frame[column]
    numeric = pd.to_numeric(raw, errors="coerce")
    if numeric.notna().all():  # epoch seconds (Intercom)
        bad = ~np.isfinite(numeric.to_numpy(float)) | (numeric < MIN_EPOCH_S).to_numpy() \
            | (numeric > MAX_EPOCH_S).to_numpy()
        if bad.any():
            pos = int(np.flatnonzero(bad)[0])
            raise InputError(f"expected epoch seconds from {MIN_EPOCH_S} ({MIN_DATE}) to "
                             f"{MAX_EPOCH_S} ({MAX_DATE}), got {raw.iloc[pos]!r}",
                             path=path, line=pos + 2, column=column)
        return pd.to_datetime(numeric.astype(float), unit="s", utc=True).dt.tz_convert(tz)
    text = numeric_dates_as_iso(raw, date_order, path, column).astype("str")
    aware = text.str.contains(OFFSET_SUFFIX, regex=True).fillna(False).to_numpy(bool)
    if aware.any() and not aware.all():
        pos = int(np.flatnonzero(aware != aware[0])[0])
        raise InputError("timestamps mix times with a UTC offset and times without; expected "
                         f"all or none to carry one, got {raw.iloc[pos]!r}",
                         path=path, line=pos + 2, column=column)
    foreign = text.str.contains(r"[^\x00-\x7f]", regex=True).fillna(False).to_numpy(bool)
    parsed = to_datetimes(text, utc=bool(aware.any()))
    naive = parsed.dt.tz_localize(None) if parsed.dt.tz is not None else parsed
    bad = naive.isna().to_numpy() | foreign
    if not bad.all():
        ok = ~bad
        bad[ok] = ((naive[ok] < pd.Timestamp(MIN_DATE))
                   | (naive[ok] >= pd.Timestamp(MAX_DATE) + pd.Timedelta(days=1))).to_numpy()
    if bad.any():
        pos = int(np.flatnonzero(bad)[0])
        raise InputError(f"expected a timestamp like 2026-11-27 14:05:00 from {MIN_DATE} to "
                         f"{MAX_DATE}, got {raw.iloc[pos]!r}",
                         path=path, line=pos + 2, column=column)
    if parsed.dt.tz is None:
        localized = parsed.dt.tz_localize(tz, ambiguous="NaT", nonexistent="shift_forward")
        # an ambiguous wall time (the hour repeated when clocks go back) is taken as the first
        parsed = localized.fillna(parsed.dt.tz_localize(tz, ambiguous=True,
                                                        nonexistent="shift_forward"))
    return parsed.dt.tz_convert(tz)

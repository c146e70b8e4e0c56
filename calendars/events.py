"""Events per day: promo windows, public holidays and retail peaks (pure functions)."""
from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

#: The promo calendar's event types, in the order regimes take precedence.
EVENT_TYPES = ("closure", "flash_sale", "product_launch", "holiday_peak", "promotion")

#: Multiplier on a normal day's volume for an event type with no history and no
#: ``uplift`` in the calendar. From DESIGN.md's seed facts: a flash sale ~10x
#: (5,000 vs 500 tickets a day), the holiday season 3-5x (4x mid-point); a
#: launch and a promotion are our own moderate assumptions; a closure takes no
#: contacts.
PRESET_UPLIFT = {"flash_sale": 10.0, "holiday_peak": 4.0, "product_launch": 1.8,
                 "promotion": 1.5, "closure": 0.0}

#: The regime a day gets from the event types on it, first match wins.
REGIMES = ("closure", "flash_sale", "product_launch", "holiday_peak", "promotion", "normal")

EVENT_DAY_COLUMNS = ["date", "name", "type", "phase", "offset_days", "uplift", "channels",
                     "event_start", "event_length_days"]


def event_days(promos: pd.DataFrame) -> pd.DataFrame:
    """Expand each event into one row per day of its pre, event and post windows.

    Parameters
    ----------
    promos : DataFrame
        The promo calendar, as :func:`calendars.io.read_promo_calendar` returns it.

    Returns
    -------
    DataFrame
        ``date``; ``name``, ``type``, ``uplift``, ``channels`` of the event;
        ``event_start`` (the occurrence's first day), ``event_length_days``
        (its number of event days, pre and post windows not counted);
        ``phase`` (``pre``, ``event`` or ``post``); ``offset_days`` [days]:
        negative before the start (-1 is the eve), 0 on the first event day,
        counting up through the event, and 1, 2, ... after the end in ``post``.

    Examples
    --------
    >>> promos = pd.DataFrame({"name": ["Sale"], "type": ["flash_sale"],
    ...     "start": [pd.Timestamp("2026-03-10")], "end": [pd.Timestamp("2026-03-11")],
    ...     "uplift": [np.nan], "channels": [()], "pre_days": [0], "post_days": [2]})
    >>> event_days(promos)[["date", "phase", "offset_days"]].to_string(index=False)
    '      date phase  offset_days\\n2026-03-10 event            0\\n2026-03-11 event            1\\n2026-03-12  post            1\\n2026-03-13  post            2'
    """
    rows = []
    for ev in promos.itertuples(index=False):
        start, end = pd.Timestamp(ev.start), pd.Timestamp(ev.end)
        duration = (end - start).days + 1
        pre = int(getattr(ev, "pre_days", 0) or 0)
        post = int(getattr(ev, "post_days", 0) or 0)
        offsets = [(-k, "pre") for k in range(pre, 0, -1)]
        offsets += [(k, "event") for k in range(duration)]
        offsets += [(k, "post") for k in range(1, post + 1)]
        for offset, phase in offsets:
            if phase == "post":
                date = end + pd.Timedelta(days=offset)
            else:
                date = start + pd.Timedelta(days=offset)
            rows.append((date, ev.name, ev.type, phase, offset, getattr(ev, "uplift", np.nan),
                         tuple(getattr(ev, "channels", ()) or ()), start, duration))
    frame = pd.DataFrame(rows, columns=EVENT_DAY_COLUMNS)
    for col in ("date", "event_start"):
        frame[col] = pd.to_datetime(frame[col]).astype("datetime64[ns]")
    frame[["offset_days", "event_length_days"]] = frame[["offset_days",
                                                         "event_length_days"]].astype(int)
    frame["uplift"] = frame["uplift"].astype(float)
    return frame.sort_values(["date", "name"], kind="stable").reset_index(drop=True)


def check_countries(countries: Iterable) -> tuple[str, ...]:
    """The country codes as a tuple, or ValueError naming the first the ``holidays`` package lacks.

    Examples
    --------
    >>> check_countries(["US", "GB"])
    ('US', 'GB')
    """
    import holidays as holidays_lib

    known = holidays_lib.list_supported_countries()
    for code in countries:
        if not isinstance(code, str) or code not in known:
            raise ValueError(f"countries: unknown country code {code!r}; expected an ISO 3166 "
                             "code the holidays package knows, like \"US\" or \"GB\"")
    return tuple(countries)


def public_holidays(years: Iterable[int], countries: Iterable[str]) -> pd.DataFrame:
    """Public holidays from the ``holidays`` package.

    Returns
    -------
    DataFrame
        ``date`` (Timestamp), ``name``, ``country``; one row per country and day.
    """
    import holidays as holidays_lib

    rows = []
    years = sorted(set(int(y) for y in years))
    for country in countries:
        try:
            calendar = holidays_lib.country_holidays(country, years=years)
        except NotImplementedError:
            raise ValueError(f"countries: unknown country code {country!r}") from None
        for day, name in sorted(calendar.items()):
            rows.append((pd.Timestamp(day), name, country))
    frame = pd.DataFrame(rows, columns=["date", "name", "country"])
    frame["date"] = pd.to_datetime(frame["date"]).astype("datetime64[ns]")
    return frame


def holiday_events(holidays: pd.DataFrame) -> pd.DataFrame:
    """Public holidays as one-day event rows (type ``public_holiday``) for :func:`event_days`'s shape."""
    frame = pd.DataFrame({
        "date": holidays["date"], "name": holidays["name"], "type": "public_holiday",
        "phase": "event", "offset_days": 0, "uplift": np.nan,
        "channels": [()] * len(holidays), "event_start": holidays["date"],
        "event_length_days": 1})
    return frame.drop_duplicates(["date", "name"]).reset_index(drop=True)


#: The widest holiday window :func:`holiday_windows` takes [days]: wider ones reach the next
#: holiday and mostly learn noise.
MAX_HOLIDAY_WINDOW_DAYS = 14


def holiday_windows(days: pd.DataFrame, window_days: int) -> pd.DataFrame:
    """``days`` plus ``pre`` and ``post`` rows for the days around each public holiday.

    Each public holiday (type ``public_holiday``, phase ``event``) gains rows
    of phase ``pre`` (offset -1 is the eve) and ``post`` (1 is the day after)
    on the ``window_days`` days either side, so that the days around it (the
    Friday after Thanksgiving, the week between Christmas and New Year) get
    multipliers of their own, learned per holiday and offset like a promo's
    pre and post days. Window rows carry the holiday's name without
    " (observed)", so that a holiday and its observed day share one window.
    Public holidays themselves and promo days get no window row (their own
    multipliers apply there); a day near two holidays belongs to the nearer
    (the earlier on a tie). ``window_days`` = 0 returns ``days`` unchanged.

    Examples
    --------
    >>> days = holiday_events(pd.DataFrame({"date": [pd.Timestamp("2025-12-25")],
    ...                                     "name": ["Christmas Day"]}))
    >>> holiday_windows(days, 1)[["date", "phase", "offset_days"]].to_string(index=False)
    '      date phase  offset_days\\n2025-12-24   pre           -1\\n2025-12-25 event            0\\n2025-12-26  post            1'
    """
    window_days = int(window_days)
    if not 0 <= window_days <= MAX_HOLIDAY_WINDOW_DAYS:
        raise ValueError(f"holiday_window_days: expected 0 to {MAX_HOLIDAY_WINDOW_DAYS} days, "
                         f"got {window_days}")
    is_holiday = (days["type"] == "public_holiday") & (days["phase"] == "event")
    if window_days == 0 or not is_holiday.any():
        return days
    holidays = days[is_holiday].drop_duplicates("date").sort_values("date")
    holiday_dates = pd.DatetimeIndex(holidays["date"])
    taken = pd.DatetimeIndex(days["date"])
    rows = []
    for offset in [*range(1, window_days + 1), *range(-1, -window_days - 1, -1)]:
        near = holidays.assign(date=holiday_dates + pd.Timedelta(days=offset),
                               offset_days=offset, phase="post" if offset > 0 else "pre")
        rows.append(near[~near["date"].isin(taken)])
    near = pd.concat(rows, ignore_index=True)
    near["name"] = near["name"].str.replace(" (observed)", "", regex=False)
    near = near.assign(distance=near["offset_days"].abs(), after=near["offset_days"] < 0)
    near = near.sort_values(["date", "distance", "after"], kind="stable").drop_duplicates("date")
    out = pd.concat([days, near[days.columns]], ignore_index=True)
    return out.sort_values(["date", "name"], kind="stable").reset_index(drop=True)


def retail_peaks(year: int) -> pd.DataFrame:
    """Retail peak days for a year, in the promo calendar's shape.

    Black Friday (the day after US Thanksgiving, the fourth Thursday of
    November), Cyber Monday (the Monday after), Singles' Day (11 November),
    a Prime-style two-day sale (the second Tuesday and Wednesday of July),
    Christmas Eve and Boxing Day. Types are ``flash_sale``; no uplift is set,
    so learned or preset uplifts apply.
    """
    november = pd.Timestamp(year=year, month=11, day=1)
    thanksgiving = november + pd.Timedelta(days=(3 - november.day_of_week) % 7 + 21)
    july = pd.Timestamp(year=year, month=7, day=1)
    prime = july + pd.Timedelta(days=(1 - july.day_of_week) % 7 + 7)
    rows = [
        ("Black Friday", thanksgiving + pd.Timedelta(days=1), thanksgiving + pd.Timedelta(days=1)),
        ("Cyber Monday", thanksgiving + pd.Timedelta(days=4), thanksgiving + pd.Timedelta(days=4)),
        ("Singles' Day", pd.Timestamp(year=year, month=11, day=11),
         pd.Timestamp(year=year, month=11, day=11)),
        ("Prime-style days", prime, prime + pd.Timedelta(days=1)),
        ("Christmas Eve", pd.Timestamp(year=year, month=12, day=24),
         pd.Timestamp(year=year, month=12, day=24)),
        ("Boxing Day", pd.Timestamp(year=year, month=12, day=26),
         pd.Timestamp(year=year, month=12, day=26)),
    ]
    frame = pd.DataFrame(rows, columns=["name", "start", "end"])
    frame.insert(1, "type", "flash_sale")
    frame["uplift"] = np.nan
    frame["channels"] = [()] * len(frame)
    frame["pre_days"] = 0
    frame["post_days"] = 0
    return frame


def regime_per_day(days: pd.DataFrame, dates: pd.DatetimeIndex) -> pd.Series:
    """The regime of each date: the first of :data:`REGIMES` among its event-phase types.

    Pre and post windows do not change a day's regime; a day with no event is
    ``normal``.
    """
    on = days[days["phase"] == "event"]
    regime = pd.Series("normal", index=pd.DatetimeIndex(dates), name="regime")
    for kind in reversed(REGIMES[:-1]):
        hit = regime.index.isin(on.loc[on["type"] == kind, "date"])
        regime[hit] = kind
    return regime


#: The type of a normal day in an event's post window: its contacts echo the event
#: ("where is my order", returns), so it is planned and judged apart.
ECHO = "echo"


def day_types(days: pd.DataFrame, dates: pd.DatetimeIndex) -> pd.Series:
    """Each date's type: its regime (:func:`regime_per_day`), or :data:`ECHO` for a
    normal day in the post window of an event (a public holiday has none).

    Examples
    --------
    >>> promos = pd.DataFrame({"name": ["Sale"], "type": ["flash_sale"],
    ...     "start": pd.to_datetime(["2026-11-11"]), "end": pd.to_datetime(["2026-11-11"]),
    ...     "uplift": [None], "channels": [()], "pre_days": [0], "post_days": [1]})
    >>> day_types(event_days(promos), pd.date_range("2026-11-10", periods=3)).tolist()
    ['normal', 'flash_sale', 'echo']
    """
    kind = regime_per_day(days, dates).rename("day_type")
    post = days[(days["phase"] == "post") & (days["type"] != "public_holiday")]
    kind[(kind == "normal") & kind.index.isin(post["date"])] = ECHO
    return kind


def event_labels(days: pd.DataFrame, dates: pd.DatetimeIndex) -> pd.Series:
    """The names of the events touching each date (``;``-joined, with ``(pre)``/``(post)``)."""
    label = days["name"].where(days["phase"] == "event", days["name"] + " (" + days["phase"] + ")")
    joined = label.groupby(days["date"]).agg(lambda s: "; ".join(dict.fromkeys(s)))
    return joined.reindex(pd.DatetimeIndex(dates)).fillna("").rename("events")


def event_features(days: pd.DataFrame, dates: pd.DatetimeIndex) -> pd.DataFrame:
    """Per-day 0/1 feature columns, one per event type and phase, for regression models.

    Columns are named ``<type>`` for event days and ``<type>_pre`` /
    ``<type>_post`` for the windows around them; the index is ``dates``.
    """
    dates = pd.DatetimeIndex(dates)
    key = days["type"] + np.where(days["phase"] == "event", "", "_" + days["phase"])
    flags = pd.crosstab(days["date"], key).clip(upper=1)
    return flags.reindex(dates, fill_value=0).astype(float).rename_axis(None, axis=1)


def all_event_days(promos: pd.DataFrame | None, countries, first: pd.Timestamp,
                   last: pd.Timestamp, holiday_window_days: int = 0) -> pd.DataFrame:
    """Promo windows and public holidays between ``first`` and ``last``, in one frame.

    Parameters
    ----------
    promos : DataFrame or None
        :func:`calendars.io.read_promo_calendar` output; None for no calendar.
    countries : iterable of str
        Country codes whose public holidays are events.
    first, last : Timestamp
        The span kept (history and horizon).
    holiday_window_days : int
        With > 0, the days around each holiday are event rows too
        (:func:`holiday_windows`) [days].

    Returns
    -------
    DataFrame
        :data:`EVENT_DAY_COLUMNS`, one row per event and day.
    """
    frames = []
    if promos is not None and len(promos):
        frames.append(event_days(promos))
    if countries:
        frames.append(holiday_events(public_holidays(range(first.year - 1, last.year + 2),
                                                     countries)))
    if not frames:
        return holiday_events(public_holidays([], []))
    days = holiday_windows(pd.concat(frames, ignore_index=True), holiday_window_days)
    return days[(days["date"] >= first) & (days["date"] <= last)].reset_index(drop=True)

"""From tickets or daily counts to the frames the models and the intraday split use."""
from __future__ import annotations

import numpy as np
import pandas as pd

DAILY_COLUMNS = ["date", "queue", "volume"]


def daily_volume(history: pd.DataFrame, queue_key: str = "channel") -> pd.DataFrame:
    """Daily volume per queue, on a complete calendar.

    Parameters
    ----------
    history : DataFrame
        Either form that :func:`forecast.io.read_ticket_history` returns.
    queue_key : str
        The column that names the queue (``channel`` by default). A history
        without it is one queue, ``all``.

    Returns
    -------
    DataFrame
        ``date`` (Timestamp, local date), ``queue``, ``volume`` [tickets/day],
        one row per queue and day from the first to the last day of the
        history. In the daily form a day the file does not list is NaN
        (missing, not zero); in the ticket form a day without tickets is 0.
    """
    if "created_at" in history.columns:
        frame = pd.DataFrame({
            "date": history["created_at"].dt.tz_localize(None).dt.normalize(),
            "queue": history[queue_key] if queue_key in history else "all"})
        counts = frame.groupby(["date", "queue"]).size().rename("volume").reset_index()
        fill = 0.0
    else:
        frame = history.assign(queue=history[queue_key] if queue_key in history else "all")
        counts = frame.groupby(["date", "queue"], as_index=False)["volume"].sum()
        fill = np.nan
    dates = pd.date_range(counts["date"].min(), counts["date"].max(), freq="D")
    grid = pd.MultiIndex.from_product([dates, sorted(counts["queue"].unique())],
                                      names=["date", "queue"])
    out = (counts.set_index(["date", "queue"])["volume"].astype(float)
           .reindex(grid, fill_value=fill).reset_index())
    out["date"] = out["date"].astype("datetime64[ns]")
    return out.sort_values(["queue", "date"], kind="stable").reset_index(drop=True)[DAILY_COLUMNS]


def history_before(history: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """The part of a history (either form) before the local date ``as_of``.

    Examples
    --------
    >>> h = pd.DataFrame({"date": pd.to_datetime(["2026-01-01", "2026-01-02"]), "volume": [1, 2]})
    >>> history_before(h, pd.Timestamp("2026-01-02"))["volume"].tolist()
    [1]
    """
    as_of = pd.Timestamp(as_of).normalize()
    if "created_at" in history.columns:
        day = history["created_at"].dt.tz_localize(None).dt.normalize()
    else:
        day = history["date"]
    return history[(day < as_of).to_numpy()].reset_index(drop=True)


#: Weight of the recent mix in a day type's mix [contacts]: a type seen on few past days
#: (or none) keeps near the recent mix; one seen on thousands of contacts speaks for itself.
MIX_PRIOR_CONTACTS = 500.0
MIX_COLUMNS = ["queue", "category", "share"]


def category_counts(history: pd.DataFrame, queue_key: str = "channel") -> pd.DataFrame:
    """Contacts per local date, queue and category: ``date, queue, category, volume``.

    Empty when the history has no category.
    """
    if "category" not in history.columns:
        return pd.DataFrame(columns=["date", "queue", "category", "volume"])
    if "created_at" in history.columns:
        date = history["created_at"].dt.tz_localize(None).dt.normalize()
        volume = pd.Series(1.0, index=history.index)
    else:
        date, volume = history["date"], history["volume"].astype(float)
    queue = history[queue_key] if queue_key in history else pd.Series("all", index=history.index)
    frame = pd.DataFrame({"date": date.astype("datetime64[ns]"), "queue": queue,
                          "category": history["category"], "volume": volume})
    return frame.groupby(["date", "queue", "category"], as_index=False)["volume"].sum()


def category_mix(history: pd.DataFrame, queue_key: str = "channel", last_days: int = 56,
                 day_type: pd.Series | None = None) -> pd.DataFrame:
    """Share of each category per queue over the last ``last_days`` days, or per day type.

    Parameters
    ----------
    day_type : Series, optional
        Each date's type (:func:`calendars.events.day_types`: ``normal``, a
        regime such as ``flash_sale``, or ``echo``), indexed by date over the
        history and the days to plan. With it the mix is per queue and type:
        the contacts of that type's past days (a normal day's, of the last
        ``last_days`` days only; an event's, of the whole history, events
        being rare) plus :data:`MIX_PRIOR_CONTACTS` contacts of the queue's
        recent mix. A sale day's mix is its own (fewer "where is my order"
        contacts, more payment questions); a type never seen is the recent mix.

    Returns
    -------
    DataFrame
        ``queue``, ``category``, ``share`` [fraction] (``day_type`` second
        with ``day_type``); shares of a queue (and type) sum to 1. Empty
        when the history has no category.
    """
    counts = category_counts(history, queue_key)
    columns = MIX_COLUMNS if day_type is None else ["queue", "day_type", "category", "share"]
    if counts.empty:
        return pd.DataFrame(columns=columns)
    recent = counts["date"] >= counts["date"].max() - pd.Timedelta(days=last_days - 1)
    sums = counts[recent].groupby(["queue", "category"])["volume"].sum()
    share = sums / sums.groupby(level=0).transform("sum")
    mix = share.rename("share").rename_axis(["queue", "category"]).reset_index()
    if day_type is None:
        return mix
    kind = counts["date"].map(day_type).fillna("normal")
    seen = (counts[(kind != "normal") | recent].assign(day_type=kind)
            .groupby(["queue", "day_type", "category"])["volume"].sum().rename("contacts"))
    types = pd.DataFrame({"day_type": sorted(set(day_type.unique()) | {"normal"})})
    grid = mix.merge(types, how="cross").set_index(["queue", "day_type", "category"])
    both = grid.join(seen, how="outer").fillna(0.0)
    total = both["contacts"].groupby(level=["queue", "day_type"]).transform("sum")
    weight = (both["contacts"] + MIX_PRIOR_CONTACTS * both["share"]) / (total + MIX_PRIOR_CONTACTS)
    both["share"] = weight / weight.groupby(level=["queue", "day_type"]).transform("sum")
    return both["share"].reset_index()[columns]


def interval_counts(tickets: pd.DataFrame, interval_min: int,
                    queue_key: str = "channel") -> pd.DataFrame:
    """Tickets per interval, labelled by the interval's local start.

    Returns
    -------
    DataFrame
        ``interval_start`` (tz-aware), ``queue``, ``volume`` [tickets/interval];
        only intervals with at least one ticket.
    """
    start = tickets["created_at"].dt.floor(f"{int(interval_min)}min", ambiguous=True,
                                           nonexistent="shift_forward")
    queue = tickets[queue_key] if queue_key in tickets else "all"
    frame = pd.DataFrame({"interval_start": start, "queue": queue})
    return frame.groupby(["interval_start", "queue"]).size().rename("volume").reset_index()

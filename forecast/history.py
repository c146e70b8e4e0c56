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


def category_mix(history: pd.DataFrame, queue_key: str = "channel",
                 last_days: int = 56) -> pd.DataFrame:
    """Share of each category per queue over the last ``last_days`` days.

    Returns
    -------
    DataFrame
        ``queue``, ``category``, ``share`` [fraction]; shares of a queue sum to 1.
        Empty when the history has no category.
    """
    if "category" not in history.columns:
        return pd.DataFrame(columns=["queue", "category", "share"])
    if "created_at" in history.columns:
        date = history["created_at"].dt.tz_localize(None).dt.normalize()
        volume = pd.Series(1.0, index=history.index)
    else:
        date, volume = history["date"], history["volume"]
    recent = date >= date.max() - pd.Timedelta(days=last_days - 1)
    queue = history[queue_key] if queue_key in history else pd.Series("all", index=history.index)
    sums = volume[recent].groupby([queue[recent], history.loc[recent, "category"]]).sum()
    share = sums / sums.groupby(level=0).transform("sum")
    return share.rename("share").rename_axis(["queue", "category"]).reset_index()


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

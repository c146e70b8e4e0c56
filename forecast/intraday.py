"""Intraday: a weekday x queue profile learned from ticket timestamps, and the split of days into intervals."""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from calendars.hours import OpenHours

PROFILE_COLUMNS = ["queue", "weekday", "slot_min", "share", "source"]
INTERVAL_COLUMNS = ["interval_start", "queue", "volume", "open"]

#: Default arrival shapes per channel when a queue has no ticket timestamps:
#: (peak hours, spread [h], floor share of the peak). Chat and phone follow
#: the working day with a late-morning peak and, for chat, an evening one;
#: email arrives round the clock but mostly in the day.
DEFAULT_SHAPES = {"chat": ((11.0, 20.0), 2.5, 0.05), "phone": ((11.0, 15.0), 2.5, 0.05),
                  "email": ((11.0, 19.0), 4.0, 0.15)}


#: How many tickets the queue's all-week shape counts for in each weekday's profile: a
#: weekday's shape is (its counts + this x the all-week shares) / (its tickets + this).
#: Ten weeks of the example's tickets split in halves, learned on one and scored on the
#: other: arrivals placed in the wrong interval 0.1943 with no pooling, 0.1865 with 1,000
#: (-4.0%), 0.1854 with 3,000, 0.1860 pooled fully; 1,000 keeps a weekday with more
#: tickets than that mostly its own shape, as real weekends need.
PROFILE_PRIOR_TICKETS = 1000.0


def interval_profile(tickets: pd.DataFrame, interval_min: int,
                     exclude_dates=(), queue_key: str = "channel",
                     min_weeks: int = 8,
                     prior_tickets: float = PROFILE_PRIOR_TICKETS) -> pd.DataFrame:
    """The share of a day's tickets that arrive in each interval, per queue and weekday.

    Parameters
    ----------
    tickets : DataFrame
        ``created_at`` (tz-aware local) and ``queue_key``.
    interval_min : int
        Interval length [min]; 15, 30 or 60.
    exclude_dates : iterable of Timestamp
        Days left out (event days, outliers).
    min_weeks : int
        A warning is issued with fewer weeks of tickets than this [weeks].
    prior_tickets : float
        Shrinkage toward the queue's all-week shape
        (:data:`PROFILE_PRIOR_TICKETS`); 0 keeps each weekday's own counts.

    Returns
    -------
    DataFrame
        ``queue``, ``weekday`` (0 = Monday), ``slot_min`` (interval start,
        minutes after local midnight), ``share`` [fraction]; shares of a
        queue and weekday sum to 1; ``source`` = ``learned`` (a
        :func:`default_profile` says ``default``).
    """
    _check_interval(interval_min)
    local = tickets["created_at"].dt.tz_localize(None)
    keep = ~local.dt.normalize().isin(pd.DatetimeIndex(list(exclude_dates)))
    local = local[keep]
    weeks = (local.max() - local.min()).days / 7 if len(local) else 0
    if weeks < min_weeks:
        warnings.warn(f"only {weeks:.1f} weeks of tickets for the intraday profile; "
                      f"{min_weeks} or more give a steadier shape", stacklevel=2)
    frame = pd.DataFrame({
        "queue": tickets.loc[keep, queue_key] if queue_key in tickets else "all",
        "weekday": local.dt.day_of_week,
        "slot_min": (local.dt.hour * 60 + local.dt.minute) // interval_min * interval_min})
    counts = frame.groupby(["queue", "weekday", "slot_min"]).size().rename("count")
    grid = pd.MultiIndex.from_product(
        [sorted(frame["queue"].unique()), range(7), range(0, 1440, interval_min)],
        names=["queue", "weekday", "slot_min"])
    counts = counts.reindex(grid, fill_value=0).astype(float)
    week = counts.groupby(level=["queue", "slot_min"]).transform("sum")
    pooled = week / week.groupby(level=["queue", "weekday"]).transform("sum")
    counts = counts + float(prior_tickets) * pooled.fillna(0.0)  # a weekday leans on the week
    share = counts / counts.groupby(level=["queue", "weekday"]).transform("sum")
    return share.fillna(0.0).rename("share").reset_index().assign(source="learned")[
        PROFILE_COLUMNS]


def default_profile(queues: dict[str, str], interval_min: int) -> pd.DataFrame:
    """A profile from :data:`DEFAULT_SHAPES`, for queues named ``{queue: channel}``."""
    _check_interval(interval_min)
    slots = np.arange(0, 1440, interval_min)
    hours = (slots + interval_min / 2) / 60
    rows = []
    for queue, channel in queues.items():
        peaks, spread, floor = DEFAULT_SHAPES.get(channel, DEFAULT_SHAPES["phone"])
        weight = floor + sum(np.exp(-0.5 * ((hours - p) / spread) ** 2) for p in peaks)
        weight = weight / weight.sum()
        for weekday in range(7):
            rows.append(pd.DataFrame({"queue": queue, "weekday": weekday, "slot_min": slots,
                                      "share": weight, "source": "default"}))
    return pd.concat(rows, ignore_index=True)[PROFILE_COLUMNS]


def queue_profiles(tickets: pd.DataFrame | None, channels: dict[str, str], interval_min: int,
                   exclude_dates=()) -> pd.DataFrame:
    """The intraday profile of every queue: learned from tickets where it has some, else its channel's.

    Parameters
    ----------
    tickets : DataFrame or None
        A ticket-level export (``created_at``, ``channel``); None for none.
    channels : dict
        ``{queue: channel}`` of the queues to profile.
    interval_min : int
        Interval length [min].
    exclude_dates : iterable of Timestamp
        Days left out of the learned profile (:func:`forecast.events.unusual_days`).

    Returns
    -------
    DataFrame
        :data:`PROFILE_COLUMNS` for every queue of ``channels``: the learned
        profile of a queue with tickets, :func:`default_profile` of its
        channel otherwise.
    """
    if tickets is None:
        return default_profile(channels, interval_min)
    learned = interval_profile(tickets, interval_min, exclude_dates=exclude_dates)
    learned = learned[learned["queue"].isin(channels)]
    missing = {q: c for q, c in channels.items() if q not in set(learned["queue"])}
    if not missing:
        return learned.reset_index(drop=True)
    return pd.concat([learned, default_profile(missing, interval_min)], ignore_index=True)


def distribute(daily: pd.DataFrame, profile: pd.DataFrame, interval_min: int, tz: str,
               open_hours: dict[str, OpenHours] | None = None,
               carry_closed: frozenset = frozenset()) -> pd.DataFrame:
    """Split each day's volume into intervals by the profile, inside open hours.

    Parameters
    ----------
    daily : DataFrame
        ``date``, ``queue`` and ``volume`` [tickets/day].
    profile : DataFrame
        :func:`interval_profile` or :func:`default_profile` for the same
        ``interval_min``.
    interval_min : int
        Interval length [min].
    tz : str
        The business's IANA time zone.
    open_hours : dict, optional
        ``{queue: OpenHours}``; a queue not named is open all day. The share
        outside open hours is moved onto the open intervals in proportion (a
        contact that would arrive while closed waits for the opening); a day
        whose profile has no mass in open hours is spread evenly over them.
    carry_closed : set of str
        Queues whose contacts on a day with no open hour are kept: they
        arrive in one closed row at the day's noon (``open`` False) and wait
        for the next opening (async work, such as escalations raised at a
        weekend). Other queues' closed days carry no volume.

    Returns
    -------
    DataFrame
        ``interval_start`` (tz-aware, the interval's local start), ``queue``,
        ``volume`` [contacts/interval], ``open`` [bool]; open intervals, and
        the closed rows of ``carry_closed`` queues. The rows of a day sum to
        that day's volume (a day with no open hour carries none, unless its
        queue is in ``carry_closed``).
    """
    _check_interval(interval_min)
    open_hours = open_hours or {}
    days = daily[["date", "queue", "volume"]].rename(columns={"volume": "day_volume"})
    days = days.assign(weekday=pd.DatetimeIndex(days["date"]).day_of_week)
    merged = days.merge(profile, on=["queue", "weekday"], how="left")
    if merged["share"].isna().any():
        missing = sorted(merged.loc[merged["share"].isna(), "queue"].unique())
        raise ValueError(f"profile: no intraday profile for queue(s) {', '.join(missing)}")
    is_open = np.ones(len(merged), bool)
    for queue, hours in open_hours.items():
        rows = (merged["queue"] == queue).to_numpy()
        is_open[rows] = hours.is_open(merged.loc[rows, "weekday"].to_numpy(),
                                      merged.loc[rows, "slot_min"].to_numpy())
    merged = merged[is_open].copy()
    key = [merged["date"], merged["queue"]]
    mass = merged.groupby(key)["share"].transform("sum")
    count = merged.groupby(key)["share"].transform("size")
    weight = np.where(mass > 0, merged["share"] / mass.where(mass > 0, 1.0), 1.0 / count)
    merged["volume"] = merged["day_volume"].to_numpy() * weight
    local = merged["date"] + pd.to_timedelta(merged["slot_min"], unit="min")
    merged["interval_start"] = pd.DatetimeIndex(local).tz_localize(
        tz, ambiguous=True, nonexistent="shift_forward")
    out = merged.groupby(["interval_start", "queue"], as_index=False, sort=True)["volume"].sum()
    out["open"] = True
    if carry_closed:
        kept = days[days["queue"].isin(carry_closed)]
        served = set(zip(merged["date"], merged["queue"]))
        closed = kept[[(d, q) not in served for d, q in zip(kept["date"], kept["queue"])]
                      & (kept["day_volume"] > 0).to_numpy()]
        if len(closed):
            noon = pd.DatetimeIndex(closed["date"] + pd.Timedelta(hours=12)).tz_localize(
                tz, ambiguous=True, nonexistent="shift_forward")
            out = pd.concat([out, pd.DataFrame({"interval_start": noon,
                                                "queue": closed["queue"].to_numpy(),
                                                "volume": closed["day_volume"].to_numpy(float),
                                                "open": False})], ignore_index=True)
    return out.sort_values(["queue", "interval_start"], kind="stable").reset_index(drop=True)[
        INTERVAL_COLUMNS]


def _check_interval(interval_min: int) -> None:
    if interval_min not in (15, 30, 60):
        raise ValueError(f"interval_min: expected 15, 30 or 60, got {interval_min!r}")

"""Activation windows: overflow days of one partner grouped into the spans it is called for."""
from __future__ import annotations

import numpy as np
import pandas as pd

from staffing.sources import Source

WINDOW_COLUMNS = ["window", "source", "queue", "start", "end", "days", "peak_fte", "fte_days",
                  "notice_by", "reason", "strategy"]
WINDOW_DTYPES = {"source": object, "queue": object, "start": "datetime64[ns]",
                 "end": "datetime64[ns]", "days": "int64", "peak_fte": float, "fte_days": float,
                 "notice_by": "datetime64[ns]", "reason": object, "strategy": object}

#: Strategy in words per event type, after DESIGN.md's seed table.
STRATEGIES = {
    "flash_sale": "AI triage of order-status (WISMO) contacts plus {source} overflow for the sale "
                  "and its shipping tail",
    "holiday_peak": "scaled {source} team for the season's weeks, trained before the ramp",
    "product_launch": "Tier 2/3 specialists on standby; {source} overflow for first-line questions",
    "promotion": "{source} overflow on call for the promotion",
    "closure": "no overflow needed",
}


def window_spans(dates, min_activation_days: int, merge_gap_days: int = 2
                 ) -> list[tuple[pd.Timestamp, pd.Timestamp]]:
    """The (start, end) spans covering ``dates``: runs merged across gaps of at most
    ``merge_gap_days`` idle days, each extended at its end to ``min_activation_days``, and
    merged again where an extension reaches the next run or ends the day before it (one
    continuous activation, one fee), so spans never overlap or touch."""
    dates = sorted(pd.DatetimeIndex(dates).unique())
    if not dates:
        return []
    runs, start, prev = [], dates[0], dates[0]
    for date in dates[1:]:
        if (date - prev).days - 1 > merge_gap_days:
            runs.append((start, prev))
            start = date
        prev = date
    runs.append((start, prev))
    spans: list[tuple[pd.Timestamp, pd.Timestamp]] = []
    for start, end in runs:
        end = max(end, start + pd.Timedelta(days=min_activation_days - 1))
        if spans and start <= spans[-1][1] + pd.Timedelta(days=1):  # overlapping or adjacent
            spans[-1] = (spans[-1][0], max(spans[-1][1], end))
        else:
            spans.append((start, end))
    return spans


def activation_windows(allocation: pd.DataFrame, sources: list[Source],
                       days: pd.DataFrame | None = None, merge_gap_days: int = 2) -> pd.DataFrame:
    """Group overflow days into activation windows per source.

    Parameters
    ----------
    allocation : DataFrame
        ``date``, ``queue``, ``source``, ``fte`` [FTE], as
        :func:`staffing.plan.build_plan` returns it.
    sources : list of Source
    days : DataFrame, optional
        Event days (``date``, ``name``, ``type``, ``phase``) for ``reason``
        and ``strategy``.
    merge_gap_days : int
        Longest idle gap inside one window [days].

    Returns
    -------
    DataFrame
        :data:`WINDOW_COLUMNS`: ``queue`` lists the queues served
        (comma-joined); ``days`` the window's length [days]; ``peak_fte`` the
        largest daily FTE across them [FTE]; ``fte_days`` the sum [FTE-days];
        ``notice_by`` = ``start`` - ``lead_time_days``; ``reason`` the events
        inside the window; ``strategy`` what to do, in words.
    """
    by_name = {s.name: s for s in sources}
    events = None if days is None or days.empty else days[days["type"] != "public_holiday"]
    date = allocation["date"].to_numpy("datetime64[ns]")
    fte = allocation["fte"].to_numpy(float)
    queue = allocation["queue"].to_numpy(object)
    source_of = allocation["source"].to_numpy(object)
    out = []
    for name in sorted(set(source_of)):
        source = by_name[name]
        mine = source_of == name
        d, f, q = date[mine], fte[mine], queue[mine]
        for start, end in window_spans(d, source.min_activation_days, merge_gap_days):
            inside = (d >= start.to_datetime64()) & (d <= end.to_datetime64())
            _, day = np.unique(d[inside], return_inverse=True)
            daily_total = np.bincount(day, weights=f[inside])
            reason, kind = _events_in(events, start, end)
            out.append({
                "source": name, "queue": ",".join(sorted(set(q[inside]))),
                "start": start, "end": end, "days": (end - start).days + 1,
                "peak_fte": round(float(daily_total.max()), 2),
                "fte_days": round(float(daily_total.sum()), 2),
                "notice_by": start - pd.Timedelta(days=source.lead_time_days),
                "reason": reason,
                "strategy": STRATEGIES.get(kind, "{source} overflow above the core team").format(
                    source=name)})
    frame = pd.DataFrame(out, columns=[c for c in WINDOW_COLUMNS if c != "window"]).astype(
        WINDOW_DTYPES)  # typed even when empty, so every reader can use .dt and arithmetic
    frame = frame.sort_values(["start", "source"], kind="stable").reset_index(drop=True)
    frame.insert(0, "window", [f"W{i + 1}" for i in range(len(frame))])
    return frame[WINDOW_COLUMNS]


def _events_in(events: pd.DataFrame | None, start, end) -> tuple[str, str | None]:
    """The promo events inside [start, end] and the type with the most event days."""
    if events is None:
        return "", None
    inside = events[(events["date"] >= start) & (events["date"] <= end)]
    if inside.empty:
        return "demand above core", None
    counts = inside[inside["phase"] == "event"].groupby("type").size()
    kind = counts.idxmax() if len(counts) else inside["type"].iloc[0]
    names = list(dict.fromkeys(inside["name"]))
    return "; ".join(names), kind


CALL_COLUMNS = ["source", "notice_by", "first_start", "windows"]


def partner_calls(windows: pd.DataFrame) -> pd.DataFrame:
    """The calls to make: per partner, the first notice-by date and the windows it opens.

    Returns
    -------
    DataFrame
        :data:`CALL_COLUMNS`, earliest notice first: ``notice_by`` the first
        date by which the partner must be called, ``first_start`` the first
        window's start, ``windows`` its window ids (comma-joined).
    """
    rows = [(source, one["notice_by"].min(), one["start"].min(), ",".join(one["window"]))
            for source, one in windows.sort_values(["start", "window"]).groupby("source",
                                                                                sort=True)]
    frame = pd.DataFrame(rows, columns=CALL_COLUMNS).astype(
        {"notice_by": "datetime64[ns]", "first_start": "datetime64[ns]"})
    return frame.sort_values(["notice_by", "source"], kind="stable").reset_index(drop=True)


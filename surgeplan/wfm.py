"""The interval forecast in the shape WFM tools import: local date and time, no time zone.

NICE IEX, Calabrio, Assembled and Amazon Connect take a forecast (or
requirement) per queue and interval as a flat file of local wall-clock
dates and times with volume and handle time. :func:`wfm_intervals` gives
one row per queue and open interval; the README maps its columns to each
tool's import fields.
"""
from __future__ import annotations

import pandas as pd

WFM_COLUMNS = ["date", "time", "interval_min", "queue", "volume_p50", "volume_p90", "aht_s",
               "agents"]


def wfm_intervals(intervals: pd.DataFrame, p50: pd.DataFrame, p90: pd.DataFrame,
                  aht_s: dict[str, float], interval_min: int) -> pd.DataFrame:
    """The plan's intervals for a WFM import.

    Parameters
    ----------
    intervals : DataFrame
        The plan's interval requirements (``interval_start`` tz-aware,
        ``queue``, ``agents``).
    p50, p90 : DataFrame
        ``interval_start, queue, volume`` [contacts/interval] of the P50 and
        P90 forecasts, split into the same intervals.
    aht_s : dict
        Each queue's average handle time [s].
    interval_min : int
        Interval length [min].

    Returns
    -------
    DataFrame
        :data:`WFM_COLUMNS`: ``date`` (YYYY-MM-DD) and ``time`` (HH:MM),
        the interval's local start with no offset; ``volume_p50``,
        ``volume_p90`` [contacts/interval]; ``aht_s`` [s]; ``agents`` the
        productive agents the plan requires (staffed on its quantile) [agents].
    """
    local = intervals["interval_start"].dt.tz_localize(None)
    key = ["interval_start", "queue"]

    def volume(split: pd.DataFrame) -> pd.Series:
        return intervals[key].merge(split[key + ["volume"]], on=key, how="left")["volume"]
    return pd.DataFrame({
        "date": local.dt.strftime("%Y-%m-%d").to_numpy(),
        "time": local.dt.strftime("%H:%M").to_numpy(),
        "interval_min": int(interval_min),
        "queue": intervals["queue"].to_numpy(),
        "volume_p50": volume(p50).fillna(0.0).to_numpy(float),
        "volume_p90": volume(p90).fillna(0.0).to_numpy(float),
        "aht_s": intervals["queue"].map(aht_s).to_numpy(float),
        "agents": intervals["agents"].to_numpy(float)})[WFM_COLUMNS]

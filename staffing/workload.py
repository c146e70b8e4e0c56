"""Workload before staffing: deflection by category and escalation to Tier 2."""
from __future__ import annotations

import numpy as np
import pandas as pd

DEFLECTION_COLUMNS = ["queue", "deflected_share", "contacts_deflected", "fte_days_saved",
                      "cost_saved"]


def deflection_shares(category_mix: pd.DataFrame, rates: dict[str, float]) -> pd.Series:
    """Share of each queue's contacts deflected: sum over categories of mix x rate.

    Parameters
    ----------
    category_mix : DataFrame
        ``queue, category, share`` [fraction], shares of a queue summing to 1;
        with more key columns (``day_type``: :func:`forecast.history.category_mix`;
        ``date``: a day's actual mix), one mix per value of the keys.
    rates : dict
        ``{category: rate}`` [fraction]: the share of that category's
        contacts that self-service or AI resolves before an agent.

    Returns
    -------
    Series
        Deflected share per queue [fraction] (per every key column, in the
        mix's column order); 0 for a queue with no category data.

    Examples
    --------
    >>> mix = pd.DataFrame({"queue": ["chat", "chat"], "category": ["wismo", "other"],
    ...                     "share": [0.6, 0.4]})
    >>> float(deflection_shares(mix, {"wismo": 0.5})["chat"])  # 0.6 x 0.5
    0.3
    """
    for category, rate in rates.items():
        if not 0 <= rate <= 1:
            raise ValueError(f"rates: {category} rate must be a fraction in [0, 1], got {rate!r}")
    if category_mix.empty:
        return pd.Series(dtype=float, name="deflected_share")
    keys = [category_mix[k] for k in category_mix.columns if k not in ("category", "share")]
    rate = category_mix["category"].map(rates).fillna(0.0)
    return (category_mix["share"] * rate).groupby(keys).sum().rename("deflected_share")


def shares_per_day(shares: pd.Series, day_type: pd.Series) -> pd.Series:
    """Each date's deflected share per queue, from shares per queue and day type.

    Parameters
    ----------
    shares : Series
        :func:`deflection_shares` per ``(queue, day_type)``.
    day_type : Series
        Each date's type, indexed by date.

    Returns
    -------
    Series
        Deflected share [fraction] indexed by ``(date, queue)``; a type with
        no share of its own takes the queue's ``normal`` one.
    """
    queues = shares.index.get_level_values(0).unique()
    dates = pd.DatetimeIndex(day_type.index)
    grid = pd.MultiIndex.from_product([dates, queues], names=["date", "queue"])
    kinds = day_type.reindex(grid.get_level_values("date")).fillna("normal").to_numpy()
    wanted = pd.MultiIndex.from_arrays([grid.get_level_values("queue"), kinds])
    normal = pd.MultiIndex.from_arrays([grid.get_level_values("queue"),
                                        ["normal"] * len(grid)])
    share = shares.reindex(wanted).to_numpy()
    share = np.where(np.isnan(share), shares.reindex(normal).to_numpy(), share)
    return pd.Series(np.nan_to_num(share), index=grid, name="deflected_share")


def deflect(daily: pd.DataFrame, shares: pd.Series, columns=("volume",)) -> pd.DataFrame:
    """Daily volumes with the deflected share removed (a new frame; the input is untouched).

    ``columns`` [contacts/day] are scaled by 1 - the share: the queue's
    (``shares`` indexed by queue) or the day's (indexed by ``(date, queue)``,
    :func:`shares_per_day`); 0 where there is none.
    """
    if "day_type" in shares.index.names:
        raise ValueError("shares: per queue and day type; give each date's share "
                         "(staffing.workload.shares_per_day)")
    if shares.index.nlevels == 2:
        key = pd.MultiIndex.from_arrays([daily["date"], daily["queue"]])
        share = shares.reindex(key).fillna(0.0).to_numpy()
    else:
        share = daily["queue"].map(shares).fillna(0.0).to_numpy()
    out = daily.copy()
    for col in columns:
        out[col] = daily[col].to_numpy() * (1.0 - share)
    return out


def escalation_volume(daily: pd.DataFrame, share: float, queue: str) -> pd.DataFrame:
    """Tier 2 contacts per day: ``share`` of the first-line contacts of every queue.

    Parameters
    ----------
    daily : DataFrame
        ``date``, ``queue``, ``volume`` [contacts/day] of the first-line queues.

    Returns
    -------
    DataFrame
        ``date``, ``queue`` (= ``queue``), ``volume`` [contacts/day].
    """
    if not 0 <= share < 1:
        raise ValueError(f"share: expected a fraction in [0, 1), got {share!r}")
    total = daily.groupby("date", as_index=False)["volume"].sum()
    total["volume"] = total["volume"] * share
    total.insert(1, "queue", queue)
    return total


def deflection_savings(shares: pd.Series, volumes: pd.DataFrame, with_deflection: pd.DataFrame,
                       without: pd.DataFrame, paid_hours_per_fte_day: float,
                       hourly_cost: float) -> pd.DataFrame:
    """What deflection saves per queue, against staffing the same forecast without it.

    Parameters
    ----------
    shares : Series
        :func:`deflection_shares` per queue, or :func:`shares_per_day`.
    volumes : DataFrame
        ``date, queue, volume`` [contacts/day], before deflection.
    with_deflection, without : DataFrame
        ``date, queue, required_fte`` [FTE] staffed with and without deflection.
    hourly_cost : float
        Cost of an FTE-hour saved [currency/h] (the in-house rate: the
        conservative value of work that no longer needs doing).

    Returns
    -------
    DataFrame
        :data:`DEFLECTION_COLUMNS`.
    """
    saved = (without.groupby("queue")["required_fte"].sum()
             - with_deflection.groupby("queue")["required_fte"].sum())
    volume = volumes.groupby("queue")["volume"].sum()
    kept = deflect(volumes, shares).groupby("queue")["volume"].sum()
    queues = sorted(volume.index)
    contacts = (volume - kept).reindex(queues).fillna(0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(volume.reindex(queues) > 0, contacts / volume.reindex(queues), 0.0)
    frame = pd.DataFrame({
        "queue": queues, "deflected_share": share,
        "contacts_deflected": contacts.to_numpy(),
        "fte_days_saved": saved.reindex(queues).fillna(0.0).to_numpy()})
    frame["cost_saved"] = frame["fte_days_saved"] * paid_hours_per_fte_day * hourly_cost
    return frame[DEFLECTION_COLUMNS]

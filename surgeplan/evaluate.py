"""A backtest of the whole plan: plan at a past date, then serve the demand that came.

For each origin in the user's own history, :func:`evaluate_origin` makes the
plan with the history before it (``product``), the same stages fed the
daily volumes that actually came (``oracle``), and all in-house for the peak
(``peak``); then serves the actual demand, interval by interval, with the
staff each plan put on (:mod:`staffing.serve`): Erlang C/A for live queues
(abandons are misses), a first-come-first-served backlog for async queues.

How staff follow a plan: on each day a plan puts ``max(required, core) -
shortfall`` FTE on (core, overtime and every partner's work, in in-house
FTE); they work the plan's own interval curve (the agents its forecast
needs per interval, scaled by that day's staffed share), and partners
within their hours (the plan already kept their share inside them). The
demand that came is each day's actual volume, deflected and escalated as
the plan assumes, split into intervals by the plan's intraday profile.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from calendars.errors import InputError
from calendars.events import day_types
from forecast.history import category_counts, daily_volume
from staffing.plan import SHORTFALL_TOLERANCE_FTE
from staffing.serve import serve_async, serve_live
from staffing.workload import deflection_shares, shares_per_day
from surgeplan.config import PlanConfig
from surgeplan.demand import interval_volumes
from surgeplan.pipeline import run_plan
from surgeplan.result import PlanResult

PLANS = ("product", "oracle", "peak")
#: The causes a missed interval is put down to, in the order they are tried: a rule the plan
#: named for the day's shortfall, then the forecast, then work carried over, then the shape.
CAUSES = ("lead_time", "cap_or_hours", "inhouse_only", "under_forecast", "backlog",
          "intraday_shape")
EVALUATION_COLUMNS = ["origin", "plan", "queue", "day_type", "intervals", "intervals_met",
                      "share_met", "volume", "sl", "abandon_rate", "idle_hours", "cost",
                      "cost_vs_oracle", *(f"miss_{c}" for c in CAUSES)]
#: A plan's shortfall rule (staffing.plan.build_plan) -> the cause of a miss on that day.
RULE_CAUSES = {"lead time": "lead_time", "partner hours": "cap_or_hours",
               "partner cap": "cap_or_hours", "ramp": "cap_or_hours",
               "in-house only": "inhouse_only", "no partner": "inhouse_only"}
PEAK = "all in-house (sized for peak)"


@dataclass(frozen=True)
class OriginResult:
    """One origin's evaluation: the metrics, and every interval served under each plan."""

    origin: pd.Timestamp
    metrics: pd.DataFrame
    served: pd.DataFrame


def spread_origins(history: pd.DataFrame, n: int, horizon_days: int,
                   min_history_days: int = 365) -> list[pd.Timestamp]:
    """``n`` origins spread evenly over the history, each with ``horizon_days`` of actuals after.

    The first leaves ``min_history_days`` before it (a year, so event
    effects can be learned), the last exactly ``horizon_days`` after it.
    """
    daily = daily_volume(history)
    first, last = daily["date"].min(), daily["date"].max()
    earliest = first + pd.Timedelta(days=min_history_days)
    latest = last - pd.Timedelta(days=horizon_days - 1)
    if latest < earliest:
        raise InputError(f"the history ({first:%Y-%m-%d} to {last:%Y-%m-%d}) is too short to "
                         f"evaluate a {horizon_days}-day plan after {min_history_days} days of "
                         "history; give --origin dates or a shorter horizon")
    if n == 1:
        return [latest]
    span = (latest - earliest).days
    return [earliest + pd.Timedelta(days=round(k * span / (n - 1))) for k in range(n)]


def check_origin(history: pd.DataFrame, origin: pd.Timestamp, horizon_days: int) -> None:
    """InputError unless every day of the plan after ``origin`` has an actual count."""
    daily = daily_volume(history)
    last = daily["date"].max()
    end = origin + pd.Timedelta(days=horizon_days - 1)
    if end > last:
        raise InputError(f"--origin {origin:%Y-%m-%d}: a {horizon_days}-day plan runs to "
                         f"{end:%Y-%m-%d}, but the history ends on {last:%Y-%m-%d}; there are no "
                         "actuals to serve after it (choose an earlier origin or a shorter "
                         "horizon)")
    if origin <= daily["date"].min():
        raise InputError(f"--origin {origin:%Y-%m-%d}: no history before it to plan from")


def evaluate_origin(history: pd.DataFrame, promos: pd.DataFrame | None, config: PlanConfig,
                    origin: pd.Timestamp, tickets: pd.DataFrame | None = None) -> OriginResult:
    """Plan at ``origin`` three ways and serve the demand that came with each."""
    horizon = config.forecast.horizon_days
    check_origin(history, origin, horizon)
    product = run_plan(history, promos, config, tickets=tickets, as_of=origin,
                       sensitivity=False)
    actual = _actual(history, origin, horizon)
    oracle_forecast = actual.rename(columns={"volume": "volume_p50"}).assign(
        volume_p10=lambda f: f["volume_p50"], volume_p90=lambda f: f["volume_p50"])
    oracle = run_plan(history, promos, config, tickets=tickets, as_of=origin,
                      forecast=oracle_forecast, sensitivity=False)
    demand = _demand(product, actual, history)
    served, metrics = [], []
    costs = {"product": float(product.summary.recommended["total_cost"]),
             "oracle": float(oracle.summary.recommended["total_cost"]),
             "peak": float(product.costs.set_index("scenario").loc[PEAK, "total_cost"])
             if PEAK in set(product.costs["scenario"]) else np.nan}
    for kind in PLANS:
        staffed = _staffed(oracle if kind == "oracle" else product, peak=kind == "peak")
        one = _serve(demand, staffed, product.config).assign(plan=kind)
        one = _causes(one, product, actual, kind)
        served.append(one)
    served = pd.concat(served, ignore_index=True)
    for (kind, queue, day_type), rows in served.groupby(["plan", "queue", "day_type"]):
        metrics.append(_metrics(rows, origin, kind, queue, day_type, costs))
    for (kind, queue), rows in served.groupby(["plan", "queue"]):
        metrics.append(_metrics(rows, origin, kind, queue, "all", costs))
    for kind, rows in served.groupby("plan"):
        metrics.append(_metrics(rows, origin, kind, "all", "all", costs))
    return OriginResult(origin=origin, metrics=pd.DataFrame(metrics, columns=EVALUATION_COLUMNS),
                        served=served)


def _actual(history: pd.DataFrame, origin: pd.Timestamp, horizon_days: int) -> pd.DataFrame:
    """``date, queue, volume``: what came on each day of the plan."""
    daily = daily_volume(history)
    end = origin + pd.Timedelta(days=horizon_days - 1)
    out = daily[(daily["date"] >= origin) & (daily["date"] <= end)]
    return out.assign(volume=out["volume"].fillna(0.0)).reset_index(drop=True)


def _demand(plan: PlanResult, actual: pd.DataFrame, history: pd.DataFrame) -> pd.DataFrame:
    """The actual contacts per open interval, deflected, escalated and split as the plan assumes.

    Deflection follows each day's actual category mix where the history
    has one (a sale day's own share of "where is my order" contacts), else
    the plan's mix for the day's type.
    """
    config = plan.config
    if not config.deflection_rates:
        return interval_volumes(actual, plan.profile, config, None)
    dates = pd.DatetimeIndex(actual["date"].unique())
    planned = shares_per_day(deflection_shares(plan.category_mix, config.deflection_rates),
                             day_types(plan.days, dates))
    counts = category_counts(history)
    counts = counts[counts["date"].isin(dates) & (counts["volume"] > 0)]
    day_total = counts.groupby(["date", "queue"])["volume"].transform("sum")
    mix = counts.assign(share=counts["volume"] / day_total)[["date", "queue", "category", "share"]]
    came = deflection_shares(mix, config.deflection_rates)  # per (date, queue)
    return interval_volumes(actual, plan.profile, config, came.combine_first(planned))


def _staffed(plan: PlanResult, peak: bool = False) -> pd.DataFrame:
    """``interval_start, queue, agents``: the agents a plan puts on, following its curve."""
    day = plan.plan.set_index(["date", "queue"])
    required = day["required_fte"].astype(float)
    if peak:  # all in-house for the peak: every day at the queue's peak FTE
        peak_fte = required.groupby(level="queue").transform("max")
        on = peak_fte
    else:
        on = np.maximum(required, day["core_fte"].astype(float)) - day["shortfall_fte"]
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = (on / required.where(required > 0)).fillna(1.0)
    local = plan.intervals["interval_start"].dt.tz_localize(None).dt.normalize()
    key = pd.MultiIndex.from_arrays([local.astype("datetime64[ns]"), plan.intervals["queue"]])
    factor = ratio.reindex(key).fillna(1.0).to_numpy(float)
    return plan.intervals[["interval_start", "queue"]].assign(
        agents=plan.intervals["agents"].to_numpy(float) * factor)


def _serve(demand: pd.DataFrame, staffed: pd.DataFrame, config: PlanConfig) -> pd.DataFrame:
    """Each queue's intervals served: ``met``, ``sl``, ``abandon``, ``idle_hours`` and more."""
    interval_min = config.staffing.interval_min
    # outer: contacts that came while a queue was closed (no staff row) wait in the backlog
    rows = staffed.merge(demand, on=["interval_start", "queue"], how="outer")
    rows["volume"] = rows["volume"].fillna(0.0)
    rows["agents"] = rows["agents"].fillna(0.0)
    rows["open"] = rows["open"].astype("boolean").fillna(True).astype(bool)
    out = []
    for q in config.all_queues:
        target = q.target
        mine = rows[rows["queue"] == target.queue].sort_values("interval_start")
        if mine.empty:
            continue
        if target.is_async:
            served = serve_async(mine, target, interval_min)
            abandon = np.zeros(len(served))
            backlog_before = np.concatenate([[0.0], served["backlog"].to_numpy(float)[:-1]])
        else:
            served = serve_live(mine, target, interval_min)
            abandon = served["abandon"].to_numpy(float)
            backlog_before = np.zeros(len(served))
        work_h = served["volume"].to_numpy(float) * target.effective_aht_s / 3600.0
        staffed_h = served["agents"].to_numpy(float) * interval_min / 60.0
        out.append(pd.DataFrame({
            "interval_start": served["interval_start"], "queue": target.queue,
            "volume": served["volume"].to_numpy(float), "agents": served["agents"].to_numpy(float),
            "sl": served["sl"].to_numpy(float), "abandon": abandon,
            "met": served["meets"].to_numpy(bool), "idle_hours": np.maximum(staffed_h - work_h, 0),
            "backlog_before": backlog_before, "is_async": target.is_async}))
    return pd.concat(out, ignore_index=True)


def _causes(served: pd.DataFrame, plan: PlanResult, actual: pd.DataFrame, kind: str
            ) -> pd.DataFrame:
    """Each interval's day type, and the cause of each miss (:data:`CAUSES`, first that fits)."""
    local = served["interval_start"].dt.tz_localize(None).dt.normalize().astype("datetime64[ns]")
    key = pd.MultiIndex.from_arrays([local, served["queue"]])
    days = plan.plan.set_index(["date", "queue"])
    short = days["shortfall_fte"].reindex(key).fillna(0.0).to_numpy() > SHORTFALL_TOLERANCE_FTE
    rule = days["shortfall_reason"].reindex(key).fillna("").map(
        lambda text: RULE_CAUSES.get(str(text).split(":", 1)[0], "")).to_numpy(object)
    planned = plan.forecast.set_index(["date", "queue"])["volume_plan"]
    came = actual.set_index(["date", "queue"])["volume"]
    under = (came.reindex(key).to_numpy() > planned.reindex(key).to_numpy() * 1.02)
    missed = ~served["met"].to_numpy(bool)
    cause = np.full(len(served), "", dtype=object)
    if kind != "peak":  # the peak plan has no shortfall and no forecast of its own
        cause = np.where(missed & short & (rule != ""), rule, cause)
    if kind == "product":
        cause = np.where(missed & (cause == "") & under, "under_forecast", cause)
    cause = np.where(missed & (cause == "") & (served["backlog_before"].to_numpy() > 0.5),
                     "backlog", cause)
    cause = np.where(missed & (cause == ""), "intraday_shape", cause)
    return served.assign(date=local, day_type=_day_types(plan, local),
                         cause=cause)


def _day_types(plan: PlanResult, dates: pd.Series) -> np.ndarray:
    """``normal``, an event type (``flash_sale``, ``holiday_peak``, ...) or ``echo`` (after one)."""
    kinds = day_types(plan.days, pd.DatetimeIndex(dates.unique()))
    return dates.map(kinds).fillna("normal").to_numpy(object)


def _metrics(rows: pd.DataFrame, origin, kind: str, queue: str, day_type: str,
             costs: dict[str, float]) -> tuple:
    volume = rows["volume"].to_numpy(float)
    sl = np.nan_to_num(rows["sl"].to_numpy(float), nan=1.0)
    weighted = float((sl * volume).sum() / volume.sum()) if volume.sum() > 0 else 1.0
    live = ~rows["is_async"].to_numpy(bool)
    abandon = float((rows["abandon"].to_numpy(float) * volume)[live].sum()
                    / volume[live].sum()) if volume[live].sum() > 0 else 0.0
    met = int(rows["met"].sum())
    causes = rows.loc[~rows["met"], "cause"].value_counts()
    cost = costs.get(kind, np.nan)
    return (origin, kind, queue, day_type, len(rows), met, met / len(rows) if len(rows) else 1.0,
            float(volume.sum()), weighted, abandon, float(rows["idle_hours"].sum()), cost,
            cost / costs["oracle"] if costs.get("oracle") else np.nan,
            *(int(causes.get(c, 0)) for c in CAUSES))


def evaluate(history: pd.DataFrame, promos: pd.DataFrame | None, config: PlanConfig,
             origins: list[pd.Timestamp], tickets: pd.DataFrame | None = None,
             n_jobs: int = 1, on_origin=None) -> pd.DataFrame:
    """:func:`evaluate_origin` at every origin: the metrics of all, one frame.

    ``n_jobs`` > 1 evaluates origins in a local process pool (BLAS pinned);
    the result is the same.
    """
    from forecast.parallel import map_queues

    tasks = [(history, promos, config, pd.Timestamp(o), tickets) for o in origins]
    frames = []
    for result in map_queues(evaluate_origin, tasks, n_jobs):
        frames.append(result.metrics)
        if on_origin is not None:
            on_origin(result.origin)
    return pd.concat(frames, ignore_index=True)[EVALUATION_COLUMNS]


def summary_by_day_type(metrics: pd.DataFrame) -> pd.DataFrame:
    """Over all origins: per plan, queue (first-line ``all`` too) and day type, the shares met."""
    rows = metrics[metrics["queue"] != "all"]
    grouped = rows.groupby(["plan", "queue", "day_type"], as_index=False)[
        ["intervals", "intervals_met"]].sum()
    grouped["share_met"] = grouped["intervals_met"] / grouped["intervals"]
    return grouped

"""The facts every presenter shows, computed once: what the plan staffs, assumes and buffers."""
from __future__ import annotations

import pandas as pd

from forecast.events import unlearned_holidays
from forecast.multipliers import ASSUMED_SOURCES
from forecast.models import forecast_summary
from staffing.plan import core_table, risk_summary
from staffing.way_out import OPTION_COLUMNS, way_out
from staffing.windows import partner_calls
from surgeplan.config import PlanConfig
from surgeplan.demand import staffing_quantile
from surgeplan.result import PlanSummary


def staffed_on(config: PlanConfig) -> str:
    """What the plan staffs, in words."""
    q = staffing_quantile(config)
    if q is None:
        return config.forecast.plan_on.upper()
    return (f"the {q:.2f} quantile of each day's forecast (an understaffed hour priced "
            f"{config.plan.miss_cost_ratio:g}x the in-house rate against an idle flexible hour)")


def buffers(forecast: pd.DataFrame) -> pd.DataFrame:
    """``regime, buffer``: the mean volume staffed over the P50 [ratio], by regime."""
    planned = forecast.groupby("regime")[["volume_plan", "volume_p50"]].sum()
    ratio = planned["volume_plan"] / planned["volume_p50"].where(planned["volume_p50"] > 0)
    return ratio.fillna(1.0).rename("buffer").rename_axis("regime").reset_index()


ASSUMPTION_COLUMNS = ["kind", "subject", "detail", "how_to_change"]


def assumptions(uplifts: pd.DataFrame, days: pd.DataFrame, profile: pd.DataFrame,
                as_of: pd.Timestamp, from_defaults: bool = False) -> pd.DataFrame:
    """What the plan assumes rather than learns, each with how to change it.

    Returns
    -------
    DataFrame
        :data:`ASSUMPTION_COLUMNS`: event uplifts taken from the calendar or a
        preset, public holidays ahead with no history (forecast as normal
        days), and queues whose intraday shape is the channel's default.
    """
    rows = []
    assumed = uplifts[uplifts["source"].isin(ASSUMED_SOURCES)]
    for (name, kind, source), one in assumed.groupby(["name", "type", "source"], sort=False):
        label = kind.replace("_", " ")
        why = {"calendar": f"from the calendar; no past {label} in the history",
               "preset": f"a preset; no past {label} in the history and no uplift in the calendar",
               "override": f"from the calendar, overriding the x{_learned_level(uplifts, kind):.2f} "
                           f"learned from past {label}s"}[source]
        rows.append(("event uplift", name, f"{label} x{one['multiplier'].iloc[0]:g} ({why})",
                     "clear its uplift in the calendar to use the learned one"
                     if source == "override" else "set its uplift in the calendar (uplift column)"))
    for h in unlearned_holidays(uplifts, days, as_of).itertuples():
        rows.append(("public holiday", h.name, f"{h.date:%Y-%m-%d} forecast as a normal day (no "
                     "past occurrence in the history)",
                     "add it to the calendar with an uplift, or plan on an edited --forecast"))
    if from_defaults:
        rows.append(("config", "every queue and source", "no --config: each queue takes its "
                     "channel's starting targets, and the sources surgeplan init writes",
                     "surgeplan init --history FILE plan.toml, edit it, then plan --config "
                     "plan.toml"))
    defaulted = sorted(profile.loc[profile["source"] == "default", "queue"].unique())
    for queue in defaulted:
        rows.append(("intraday shape", queue, "the channel's default curve (no ticket "
                     "timestamps for this queue)", "give a ticket export ([data] tickets)"))
    return pd.DataFrame(rows, columns=ASSUMPTION_COLUMNS)


def _learned_level(uplifts: pd.DataFrame, kind: str) -> float:
    """The learned event-day multiplier of an event type, averaged over queues and days [ratio]."""
    learned = uplifts[(uplifts["source"] == "learned") & (uplifts["type"] == kind)
                      & (uplifts["phase"] == "event")]
    return float(learned["multiplier"].mean()) if len(learned) else float("nan")


def summarise(config: PlanConfig, daily: pd.DataFrame, forecast: pd.DataFrame,
              uplifts: pd.DataFrame, days: pd.DataFrame, profile: pd.DataFrame,
              as_of: pd.Timestamp, chosen) -> PlanSummary:
    """The :class:`~surgeplan.result.PlanSummary` of a plan, from its stages' outputs."""
    return PlanSummary(
        core=core_table(daily, chosen.core, config.staffing.work_days_per_week),
        risk=risk_summary(chosen.plan), forecast=forecast_summary(forecast),
        recommended=chosen.costs.iloc[0], calls=partner_calls(chosen.windows),
        assumptions=assumptions(uplifts, days, profile, as_of, config.from_defaults),
        staffed_on=staffed_on(config), buffers=buffers(forecast),
        ways_out=ways_out(chosen.plan, config, as_of))


def ways_out(plan: pd.DataFrame, config: PlanConfig, as_of: pd.Timestamp) -> pd.DataFrame:
    """:func:`staffing.way_out.way_out` of every short queue no partner may serve.

    Empty (typed) when no such queue is short or there is no in-house source to stretch.
    """
    inhouse = next((s for s in config.sources if s.inhouse), None)
    partners = [s for s in config.sources if not s.inhouse]
    rule = plan["shortfall_reason"].fillna("").astype(str).str.contains("in-house only")
    queues = list(plan.loc[rule, "queue"].unique())  # the plan's own rule names them
    frames = [way_out(plan, str(q), inhouse, partners, as_of,
                      config.staffing.paid_hours_per_fte_day,
                      config.core.policy.overtime_premium) for q in queues] if inhouse else []
    frames = [f for f in frames if len(f)]
    return pd.concat(frames, ignore_index=True) if frames else \
        pd.DataFrame(columns=OPTION_COLUMNS)

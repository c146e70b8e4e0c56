"""The plan config's schema: every key with its type, default, unit and help, and ``surgeplan init``'s file.

The one place that names every key. Where a key is a field of a domain
dataclass (:class:`~staffing.requirements.QueueTarget`,
:class:`~staffing.sources.Source`, ...) its default is read from that field,
so the default is stated once. :mod:`surgeplan.config` loads and validates
against it; :func:`default_config_text` writes it out, commented.
"""
from __future__ import annotations

import dataclasses
import math
from typing import Any

from staffing.costs import CostInputs
from staffing.plan import CorePolicy
from staffing.requirements import QueueTarget
from staffing.cohorts import HiringRules
from staffing.sensitivity import SensitivityCases
from staffing.shifts import ShiftRules
from staffing.sources import Source

REQUIRED = object()


def _default(cls, name: str):
    """The default of dataclass ``cls``'s field ``name`` (one fact, read where it is stated)."""
    field = {f.name: f for f in dataclasses.fields(cls)}[name]
    if field.default is not dataclasses.MISSING:
        return field.default
    return field.default_factory()


#: section -> key -> (type, default, help). ``REQUIRED`` marks a key with no default.
SCHEMA: dict[str, dict[str, tuple[type | tuple, Any, str]]] = {
    "business": {
        "name": (str, "My store", "the business's name, shown in outputs"),
        "timezone": (str, "UTC", "IANA time zone of the business; naive timestamps are read in it"),
        "countries": (list, [], "country codes whose public holidays are events, e.g. [\"US\"]"),
        "holiday_window_days": (int, 0, "days before and after each public holiday that are "
                                "learned on their own (the eve, the day after); 0 = off [days]"),
        "currency": (str, "USD", "currency of every cost"),
    },
    "data": {
        "history": (str, REQUIRED, "ticket history: daily counts or a ticket export "
                    "(path relative to this file)"),
        "tickets": (str, "", "optional ticket export for the intraday profile "
                    "(defaults to the history when it is ticket-level)"),
        "calendar": (str, "", "optional promo calendar (CSV or YAML)"),
        "column_map": (dict, {}, "renames of the history's columns, e.g. "
                       "{\"Date of request\" = \"created_at\"}"),
        "channel_map": (dict, {}, "your helpdesk's channel labels mapped to a queue, e.g. "
                        "{\"Web Widget\" = \"chat\"}"),
        "date_order": (str, "auto", "how a date like 03/04/2026 is read: auto (from the file's "
                       "unambiguous dates; refused when all are ambiguous), day_first or "
                       "month_first"),
    },
    "forecast": {
        "horizon_days": (int, 120, "days to plan after the last day of history [days]"),
        "model": (str, "auto", "forecast model: auto (chosen or combined per queue by backtest), "
                  "baseline (weekly baseline x learned event multipliers), ets, sarimax, "
                  "prophet or naive"),
        "plan_on": (str, "cost", "volume to staff for: cost (each day's forecast quantile an "
                    "understaffed hour's price sets against an idle hour's, [plan] "
                    "miss_cost_ratio), p50 or p90"),
    },
    "staffing": {
        "interval_min": (int, 30, "interval length [min]: 15, 30 or 60"),
        "paid_hours_per_fte_day": (float, 8.0, "paid hours of one FTE on a working day [h]"),
        "work_days_per_week": (float, 5.0, "days a week one full-time person works [days]"),
    },
    "core": {
        "policy": (str, _default(CorePolicy, "method"),
                   "core size: percentile (of normal-day required FTE), "
                   "fixed, peak or optimal (least total cost)"),
        "optimal_step_fte": (float, 0.5, "step of the optimal core's levels [FTE]: one "
                             "programme (HiGHS) picks a multiple per queue, the plan prices it"),
        "percentile": (float, _default(CorePolicy, "percentile"),
                       "the percentile for policy = percentile [fraction]"),
        "fixed_fte": (dict, {}, "core FTE per queue for policy = fixed [FTE]"),
        "overtime_fraction": (float, 0.10, "overtime the core may work on a busy day, as a share "
                              "of its size, before overflow is called [fraction]"),
        "overtime_premium": (float, _default(CorePolicy, "overtime_premium"),
                             "overtime pay as a multiple of the in-house rate [ratio]"),
    },
    "plan": {
        "merge_gap_days": (int, _default(CostInputs, "merge_gap_days"),
                           "idle days inside one activation window: overflow days closer than "
                           "this are one call to the partner [days]"),
        "min_window_fte": (float, _default(CostInputs, "min_window_fte"),
                           "a window whose peak stays below this is not worth a call: its work "
                           "goes to core overtime [FTE]"),
        "miss_cost_ratio": (float, 2.0, "the price of an understaffed FTE-hour (lost sales, "
                            "repeat contacts, churn) as a multiple of the in-house hourly cost, "
                            "for plan_on = cost [ratio]"),
    },
    "sensitivity": {
        "partner_cost": (list, list(_default(SensitivityCases, "partner_cost")),
                         "partner hourly cost multipliers to cost every scenario at [ratio]"),
        "aht": (list, list(_default(SensitivityCases, "aht")),
                "AHT multipliers to re-staff every queue at [ratio]"),
        "other_quantile": (bool, _default(SensitivityCases, "other_quantile"),
                           "also cost the plan on the other volume quantile (P90 or P50)"),
    },
    "shifts": {
        "enabled": (bool, False, "schedule whole shifts (an integer programme per queue and day); "
                    "the plan's FTE and costs then come from the shifts' paid hours"),
        "lengths_h": (list, list(_default(ShiftRules, "lengths_h")),
                      "allowed shift lengths, start to end, break included [h]"),
        "start_step_min": (int, 0, "shifts start on the clock every this many minutes; "
                           "0 = every interval [min]"),
        "break_from_length_h": (float, _default(ShiftRules, "break_from_length_h"),
                                "shifts this long or longer have one break [h]"),
        "break_min": (int, _default(ShiftRules, "break_min"),
                      "the break's length; 0 for none [min]"),
        "break_paid": (bool, _default(ShiftRules, "break_paid"), "whether the break is paid"),
        "break_after_h": (float, _default(ShiftRules, "break_after_h"),
                          "the break starts at least this long after the shift starts [h]"),
        "break_before_end_h": (float, _default(ShiftRules, "break_before_end_h"),
                               "the break ends at least this long before the shift ends [h]"),
        "days_off": (str, "any", "a person's two days off in a week: any or consecutive"),
    },
    "hiring": {
        "enabled": (bool, False, "plan the in-house core month by month: cohorts to hire, "
                    "by when, and hire-or-rent for each season"),
        "headcount": (dict, {}, "people on each queue's team today; a queue not named starts "
                      "with the plan's core headcount [people]"),
        "attrition_per_month": (float, _default(HiringRules, "attrition_per_month"),
                                "share of the team leaving each month [fraction]"),
        "lead_time_days": (int, 0, "from the decision to hire to the start date; 0 = the "
                           "in-house source's lead_time_days [days]"),
        "training_weeks": (float, _default(HiringRules, "training_weeks"),
                           "paid training before a new hire takes contacts [weeks]"),
        "productivity_ramp": (list, list(_default(HiringRules, "productivity_ramp")),
                              "a new hire's productivity in the months after training, then 1 "
                              "[fraction]"),
        "target": (str, "normal_percentile", "each month's core target: normal_percentile (of "
                   "normal-day required FTE, at [core] percentile), percentile, mean or core"),
        "horizon_months": (int, 0, "months planned, at most 18; 0 = the plan's [months]"),
        "release_cost_per_person": (float, 0.0, "cost of letting a seasonal hire go "
                                    "[currency/person]"),
        "after_season": (str, "cheaper", "seasonal hires after the season: release, absorb "
                         "(attrition) or cheaper"),
    },
    "queues.*": {
        "channel": (str, REQUIRED, "phone, chat (staffed per interval) or email (async)"),
        "aht_s": (float, REQUIRED, "average handle time [s]"),
        "target_sl": (float, 0.8, "share answered within target_answer_s [fraction]"),
        "target_answer_s": (float, 20.0, "answer (or, for email, response) time target [s]"),
        "concurrency": (float, _default(QueueTarget, "concurrency"),
                        "chats an agent handles at once [contacts]"),
        "max_occupancy": (float, None, "upper bound on occupancy [fraction]"),
        "max_asa_s": (float, None, "upper bound on the average speed of answer [s]"),
        "patience_s": (float, None, "mean patience before abandoning [s]; Erlang A when set"),
        "max_abandon": (float, None, "upper bound on abandonment [fraction], with patience_s"),
        "shrinkage": (float, _default(QueueTarget, "shrinkage"),
                      "share of paid time not on contacts [fraction]"),
        "open_hours": (str, "24/7", "when contacts are served, local time, e.g. "
                       "\"mon-fri 09:00-18:00; sat 10:00-16:00\""),
        "async_mode": (str, _default(QueueTarget, "async_mode"),
                       "async staffing: backlog (work carries over and is cleared by its "
                       "deadlines), spread or just_in_time"),
    },
    "sources.*": {
        "inhouse": (bool, False, "true for your own team (it provides the core)"),
        "hourly_cost": (float, None, "fully loaded cost per paid hour [currency/h]"),
        "cost_ratio": (float, None, "cost as a multiple of the in-house hourly cost [ratio]"),
        "lead_time_days": (int, _default(Source, "lead_time_days"),
                           "days from the call to the first productive day [days]"),
        "min_activation_days": (int, _default(Source, "min_activation_days"),
                                "shortest window the partner accepts [days]"),
        "max_fte": (float, _default(Source, "max_fte"), "most FTE a day the source can provide [FTE]"),
        "queues": (list, [], "queues it may serve; empty for all"),
        "activation_cost": (float, _default(Source, "activation_cost"),
                            "fixed cost per activation window [currency]"),
        "quality_factor": (float, _default(Source, "quality_factor"),
                           "the source's AHT over in-house AHT [ratio]"),
        "ramp": (list, [], "AHT multiplier on the first days of a window, e.g. [1.3, 1.15] [ratio]"),
        "coverage_hours": (str, "24/7", "hours the source works, business time zone, e.g. "
                           "\"mon-fri 20:00-24:00\""),
        "fcr": (float, None, "first-contact resolution: the share of contacts resolved at the "
                "first contact; the rest come back as repeats (a partner's against "
                "in-house's; empty: the same as in-house) [fraction]"),
        "committed_fte": (float, _default(Source, "committed_fte"),
                          "the contract's committed minimum, paid every day used or not [FTE]"),
        "surge_cost_ratio": (float, _default(Source, "surge_cost_ratio"),
                             "hourly cost above the commitment as a multiple of hourly_cost "
                             "[ratio]"),
        "commitment_notice_days": (int, _default(Source, "commitment_notice_days"),
                                   "notice the contract needs to change the commitment [days]"),
    },
    "deflection": {
        "rates": (dict, {}, "share of each category's contacts deflected by self-service or AI "
                  "before staffing, e.g. {wismo = 0.35} [fraction]"),
    },
    "escalation": {
        "share": (float, 0.0, "share of contacts that escalate to Tier 2 [fraction]; 0 for none"),
        "queue": (str, "tier2", "the Tier 2 queue's name"),
        "aht_s": (float, 900.0, "Tier 2 handle time [s]"),
        "target_sl": (float, 0.9, "share of escalations answered within target_answer_s [fraction]"),
        "target_answer_s": (float, 28800.0, "Tier 2 response-time target [s]"),
        "shrinkage": (float, 0.3, "Tier 2 shrinkage [fraction]"),
        "open_hours": (str, "mon-fri 09:00-18:00", "Tier 2 hours, business time zone"),
    },
}
#: The sections with one table each, in the order ``surgeplan init`` writes them.
SECTIONS = tuple(s for s in SCHEMA if "." not in s)

#: Upper bounds of numeric keys (of each number in a list or table key), checked at load
#: with the key named. A tiny config must not ask for unbounded work: a lead time of
#: 1e11 days overflowed the calendar, an AHT of 1e300 s ran the agent search to its
#: limit, an hourly cost of 1e308 made every total infinite. Each bound is far past any
#: real operation. ``inf`` stays allowed where it is the default (``max_fte``: no cap).
MAXIMA: dict[str, float] = {
    "core.optimal_step_fte": 1_000.0, "core.fixed_fte": 1e6, "core.overtime_premium": 100.0,
    "plan.min_window_fte": 1e6,
    "shifts.start_step_min": 1_440, "shifts.break_min": 1_440, "shifts.break_from_length_h": 24.0,
    "shifts.break_after_h": 24.0, "shifts.break_before_end_h": 24.0,
    "hiring.lead_time_days": 730, "hiring.training_weeks": 104.0, "hiring.headcount": 1e6,
    "hiring.release_cost_per_person": 1e9, "hiring.productivity_ramp": 10.0,
    "queues.*.aht_s": 86_400.0, "queues.*.target_answer_s": 604_800.0,
    "queues.*.concurrency": 20.0, "queues.*.max_asa_s": 86_400.0,
    "queues.*.patience_s": 86_400.0,
    "sources.*.hourly_cost": 1e6, "sources.*.cost_ratio": 100.0, "sources.*.lead_time_days": 730,
    "sources.*.min_activation_days": 366, "sources.*.max_fte": 1e6,
    "sources.*.activation_cost": 1e9, "sources.*.quality_factor": 10.0, "sources.*.ramp": 10.0,
    "sources.*.committed_fte": 1e6, "sources.*.surge_cost_ratio": 100.0,
    "sources.*.commitment_notice_days": 730,
    "escalation.aht_s": 86_400.0, "escalation.target_answer_s": 604_800.0,
}
#: Lower bounds of numeric keys, where the domain's own (> 0) admits values no staffing
#: can meet: the fuzz suite found aht_s, patience_s or max_occupancy of 5e-324 and a
#: concurrency of 5e-324 (an AHT per chat of inf) running the agent search to its limit.
MINIMA: dict[str, float] = {
    "queues.*.aht_s": 1.0, "queues.*.concurrency": 1.0, "queues.*.max_occupancy": 0.1,
    "queues.*.patience_s": 1.0, "escalation.aht_s": 1.0,
}
#: The most items of a list key (a ramp of days, country codes, shift lengths).
MAX_LIST_ITEMS = 366
#: The most queues, and the most sources, of one config: a retailer plans hundreds of queues
#: (language x channel x brand; benchmarks/many_queues.py plans 200), not tens of thousands.
MAX_TABLES = 1000


#: A queue's starting values by channel (``surgeplan init``, and a plan with no config):
#: common targets of ecommerce support, to be edited.
CHANNEL_DEFAULTS = {
    "chat": {"channel": "chat", "aht_s": 600, "concurrency": 2, "target_sl": 0.8,
             "target_answer_s": 60, "max_occupancy": 0.85, "open_hours": "08:00-22:00"},
    "email": {"channel": "email", "aht_s": 420, "target_sl": 0.9, "target_answer_s": 86400,
              "open_hours": "mon-fri 08:00-20:00; sat-sun 09:00-17:00"},
    "phone": {"channel": "phone", "aht_s": 360, "target_sl": 0.8, "target_answer_s": 20,
              "max_occupancy": 0.85, "patience_s": 180, "max_abandon": 0.05,
              "open_hours": "mon-fri 09:00-18:00; sat-sun 10:00-16:00"},
}
#: The sources ``surgeplan init`` writes: your team and two partners (seed ratios to in-house).
DEFAULT_SOURCES = {
    "inhouse": {"inhouse": True, "hourly_cost": 36.0, "lead_time_days": 90},
    "nearshore": {"cost_ratio": 0.35, "lead_time_days": 21, "max_fte": 80,
                  "activation_cost": 1500.0, "coverage_hours": "mon-sun 08:00-22:00"},
    "offshore": {"cost_ratio": 0.20, "lead_time_days": 35, "min_activation_days": 3,
                 "max_fte": 80, "queues": ["chat", "email"], "activation_cost": 2500.0,
                 "quality_factor": 1.15, "coverage_hours": "mon-sun 06:00-18:00"},
}
#: Words in a queue's name that say its channel; any other queue is treated as email.
CHANNEL_WORDS = {"chat": ("chat", "messag", "whatsapp", "sms", "widget", "live"),
                 "phone": ("phone", "voice", "call", "tel")}


def channel_of(queue: str) -> str:
    """The channel a queue name suggests: ``chat``, ``phone``, else ``email`` (async, the safe guess).

    Examples
    --------
    >>> channel_of("chat"), channel_of("Voice EN"), channel_of("web form")
    ('chat', 'phone', 'email')
    """
    name = queue.lower()
    return next((channel for channel, words in CHANNEL_WORDS.items()
                 if any(w in name for w in words)), "email")


def _toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, float) and math.isinf(value):
        return "inf"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_toml_key(k)} = {_toml_value(v)}" for k, v in value.items()) + "}"
    return repr(value)


def _toml_key(key: str) -> str:
    return key if key.replace("_", "").replace("-", "").isalnum() and key.isascii() \
        else _toml_value(key)


def default_config_text(queues: list[str] | None = None, history: str = "tickets.csv",
                        timezone: str | None = None, date_order: str | None = None) -> str:
    """A commented plan.toml with every field, its unit and its default (``surgeplan init``).

    Parameters
    ----------
    queues : list of str, optional
        One ``[queues.NAME]`` table each, with its channel's defaults
        (:func:`channel_of`, :data:`CHANNEL_DEFAULTS`); chat, email and phone
        when omitted.
    history : str
        The ``[data] history`` path.
    timezone : str, optional
        The ``[business] timezone``.
    date_order : str, optional
        The ``[data] date_order`` (``--dayfirst``/``--monthfirst`` given to init).

    Keys without a default value (``None``) are shown commented out; the
    queue and source tables are starting values to edit.
    """
    queues = list(CHANNEL_DEFAULTS) if queues is None else list(queues)
    lines = ["# surgeplan plan config. Every key is shown with its default; units in brackets.",
             "# Fractions are in [0, 1]; times in seconds unless the name says otherwise.", ""]

    def block(header: str, schema_key: str, values: dict) -> None:
        lines.append(f"[{header}]")
        for key, (_, default, doc) in SCHEMA[schema_key].items():
            value = values.get(key, default)
            lines.append(f"# {doc}")
            if value is REQUIRED:
                lines.append(f"{key} = \"\"  # required")
            elif value is None:
                lines.append(f"# {key} =")
            else:
                lines.append(f"{key} = {_toml_value(value)}")
        lines.append("")

    given = {"data": {"history": history, **({"date_order": date_order} if date_order else {})},
             "business": {"timezone": timezone} if timezone else {}}
    for section in SECTIONS:
        block(section, section, given.get(section, {}))
    for name in queues:
        block(f"queues.{_toml_key(name)}", "queues.*", CHANNEL_DEFAULTS[channel_of(name)])
    for name, values in DEFAULT_SOURCES.items():
        # a default partner's ``queues`` names channels: it serves the queues of those channels
        partner_queues = [q for q in queues if channel_of(q) in values.get("queues", [])]
        if "queues" in values and not partner_queues:
            continue  # a partner for channels this business does not have
        block(f"sources.{name}", "sources.*", {**values, "queues": partner_queues}
              if "queues" in values else values)
    return "\n".join(lines).rstrip("\n") + "\n"

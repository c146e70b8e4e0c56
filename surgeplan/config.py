"""The plan config (TOML): schema with defaults and units, loading and validation.

The schema below is the one place that names every field, its unit, its
default and its meaning; loading, validation, error suggestions and the
commented default file of ``surgeplan init`` all come from it.
"""
from __future__ import annotations

import difflib
import math
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from calendars.errors import InputError
from calendars.hours import OpenHours
from staffing.plan import CorePolicy, Source
from staffing.requirements import QueueTarget

_REQUIRED = object()

#: section -> key -> (type, default, help). ``_REQUIRED`` marks a key with no default.
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
        "history": (str, _REQUIRED, "ticket history: daily counts or a ticket export "
                    "(path relative to this file)"),
        "tickets": (str, "", "optional ticket export for the intraday profile "
                    "(defaults to the history when it is ticket-level)"),
        "calendar": (str, "", "optional promo calendar (CSV or YAML)"),
    },
    "forecast": {
        "horizon_days": (int, 120, "days to plan after the last day of history [days]"),
        "model": (str, "auto", "forecast model: auto (chosen or combined per queue by backtest), "
                  "baseline (weekly baseline x learned event multipliers), ets, sarimax, "
                  "prophet or naive"),
        "plan_on": (str, "p50", "volume to staff for: p50 or p90"),
    },
    "staffing": {
        "interval_min": (int, 30, "interval length [min]: 15, 30 or 60"),
        "paid_hours_per_fte_day": (float, 8.0, "paid hours of one FTE on a working day [h]"),
        "work_days_per_week": (float, 5.0, "days a week one full-time person works [days]"),
    },
    "core": {
        "policy": (str, "percentile", "core size: percentile (of normal-day required FTE), "
                   "fixed, peak or optimal (least total cost)"),
        "optimal_step_fte": (float, 0.5, "grid step of the optimal core's cost curve [FTE]"),
        "percentile": (float, 0.9, "the percentile for policy = percentile [fraction]"),
        "fixed_fte": (dict, {}, "core FTE per queue for policy = fixed [FTE]"),
        "overtime_fraction": (float, 0.10, "overtime the core may work on a busy day, as a share "
                              "of its size, before overflow is called [fraction]"),
        "overtime_premium": (float, 1.5, "overtime pay as a multiple of the in-house rate [ratio]"),
    },
    "queues.*": {
        "channel": (str, _REQUIRED, "phone, chat (staffed per interval) or email (async)"),
        "aht_s": (float, _REQUIRED, "average handle time [s]"),
        "target_sl": (float, 0.8, "share answered within target_answer_s [fraction]"),
        "target_answer_s": (float, 20.0, "answer (or, for email, response) time target [s]"),
        "concurrency": (float, 1.0, "chats an agent handles at once [contacts]"),
        "max_occupancy": (float, None, "upper bound on occupancy [fraction]"),
        "max_asa_s": (float, None, "upper bound on the average speed of answer [s]"),
        "patience_s": (float, None, "mean patience before abandoning [s]; Erlang A when set"),
        "max_abandon": (float, None, "upper bound on abandonment [fraction], with patience_s"),
        "shrinkage": (float, 0.30, "share of paid time not on contacts [fraction]"),
        "open_hours": (str, "24/7", "when contacts are served, local time, e.g. "
                       "\"mon-fri 09:00-18:00; sat 10:00-16:00\""),
        "async_mode": (str, "spread", "async staffing: spread or just_in_time"),
    },
    "sources.*": {
        "inhouse": (bool, False, "true for your own team (it provides the core)"),
        "hourly_cost": (float, None, "fully loaded cost per paid hour [currency/h]"),
        "cost_ratio": (float, None, "cost as a ratio of the in-house hourly cost [fraction]"),
        "lead_time_days": (int, 0, "days from the call to the first productive day [days]"),
        "min_activation_days": (int, 1, "shortest window the partner accepts [days]"),
        "max_fte": (float, math.inf, "most FTE a day the source can provide [FTE]"),
        "queues": (list, [], "queues it may serve; empty for all"),
        "activation_cost": (float, 0.0, "fixed cost per activation window [currency]"),
        "quality_factor": (float, 1.0, "the source's AHT over in-house AHT [ratio]"),
        "ramp": (list, [], "AHT multiplier on the first days of a window, e.g. [1.3, 1.15] [ratio]"),
        "coverage_hours": (str, "24/7", "hours the source works, business time zone, e.g. "
                           "\"mon-fri 20:00-24:00\""),
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


@dataclass(frozen=True)
class QueueConfig:
    """A queue's targets and open hours."""

    target: QueueTarget
    open_hours: OpenHours


@dataclass(frozen=True)
class EscalationConfig:
    """Tier 2: the share of contacts that escalate and how the in-house Tier 2 queue is staffed."""

    share: float
    queue: QueueConfig


@dataclass(frozen=True)
class PlanConfig:
    """Everything ``surgeplan plan`` needs besides the data.

    Paths are absolute (resolved against the config file's folder).
    """

    name: str
    timezone: str
    countries: tuple[str, ...]
    holiday_window_days: int
    currency: str
    history: Path
    tickets: Path | None
    calendar: Path | None
    horizon_days: int
    model: str
    plan_on: str
    interval_min: int
    paid_hours_per_fte_day: float
    work_days_per_week: float
    core: CorePolicy
    optimal_step_fte: float
    queues: tuple[QueueConfig, ...]
    sources: tuple[Source, ...]
    coverage_hours: dict[str, OpenHours]
    deflection_rates: dict[str, float]
    escalation: EscalationConfig | None
    path: Path


def load_config(path: str | Path) -> PlanConfig:
    """Read and validate a plan config.

    Raises
    ------
    InputError
        Unreadable file, invalid TOML, an unknown key (with the nearest valid
        one suggested), a value of the wrong type or out of range.
    """
    path = Path(path).resolve()
    if not path.exists():
        raise InputError("config file not found", path=path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"could not read the config ({exc})", path=path) from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"invalid TOML ({exc})", path=path) from None
    return _build(raw, path)


def _suggest(word: str, options) -> str:
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.5)
    return f"; did you mean {close[0]!r}?" if close else f"; expected one of {', '.join(options)}"


def _section(raw: dict, name: str, schema_key: str, path: Path, dotted: str) -> dict:
    schema = SCHEMA[schema_key]
    values = {}
    for key, value in raw.items():
        if key not in schema:
            raise InputError(f"unknown key {key!r}{_suggest(key, schema)}", path=path,
                             key=f"{dotted}.{key}")
        values[key] = _coerce(value, schema[key][0], path, f"{dotted}.{key}")
    for key, (_, default, _) in schema.items():
        if key not in values:
            if default is _REQUIRED:
                raise InputError("missing required key", path=path, key=f"{dotted}.{key}")
            values[key] = default
    return values


def _coerce(value, kind, path: Path, key: str):
    if kind is float and isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if kind is int and isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, kind) and not (kind is not bool and isinstance(value, bool)):
        return value
    names = {float: "a number", int: "a whole number", str: "a string", bool: "true or false",
             list: "a list", dict: "a table"}
    raise InputError(f"expected {names[kind]}, got {value!r}", path=path, key=key)


def _build(raw: dict, path: Path) -> PlanConfig:
    top = [s for s in SCHEMA if "." not in s] + ["queues", "sources"]
    for name in raw:
        if name not in top:
            raise InputError(f"unknown section {name!r}{_suggest(name, top)}", path=path, key=name)
        if not isinstance(raw[name], dict):
            raise InputError("expected a table ([section])", path=path, key=name)
    sec = {name: _section(raw.get(name, {}), name, name, path, name)
           for name in ("business", "data", "forecast", "staffing", "core", "deflection",
                        "escalation")}
    folder = path.parent

    def check(ok: bool, key: str, message: str):
        if not ok:
            raise InputError(message, path=path, key=key)

    business = sec["business"]
    try:
        import zoneinfo
        zoneinfo.ZoneInfo(business["timezone"])
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise InputError(f"unknown time zone {business['timezone']!r}; expected an IANA name "
                         "like America/New_York", path=path, key="business.timezone") from None
    fc, st, core = sec["forecast"], sec["staffing"], sec["core"]
    check(fc["horizon_days"] >= 1, "forecast.horizon_days", "expected at least 1 day")
    from calendars.events import MAX_HOLIDAY_WINDOW_DAYS

    check(0 <= business["holiday_window_days"] <= MAX_HOLIDAY_WINDOW_DAYS,
          "business.holiday_window_days", f"expected 0 to {MAX_HOLIDAY_WINDOW_DAYS} days")
    from forecast.models import MODELS

    check(fc["model"] in MODELS, "forecast.model",
          f"unknown model {fc['model']!r}{_suggest(fc['model'], list(MODELS))}")
    check(fc["plan_on"] in ("p50", "p90"), "forecast.plan_on", "expected p50 or p90")
    check(st["interval_min"] in (15, 30, 60), "staffing.interval_min", "expected 15, 30 or 60")
    check(st["paid_hours_per_fte_day"] > 0, "staffing.paid_hours_per_fte_day", "expected > 0")
    check(0 < st["work_days_per_week"] <= 7, "staffing.work_days_per_week", "expected 1 to 7 days")

    queues_raw = raw.get("queues", {})
    check(bool(queues_raw), "queues", "expected at least one [queues.NAME] table")
    queues = []
    for qname, qraw in queues_raw.items():
        check(isinstance(qraw, dict), f"queues.{qname}", "expected a table")
        q = _section(qraw, qname, "queues.*", path, f"queues.{qname}")
        hours_text = q.pop("open_hours")
        try:
            hours = OpenHours.parse(hours_text)
            target = QueueTarget(queue=qname, **q)
        except ValueError as exc:
            field_name = str(exc).split(":")[0]
            raise InputError(str(exc).split(": ", 1)[-1], path=path,
                             key=f"queues.{qname}.{field_name}") from None
        queues.append(QueueConfig(target, hours))

    sources_raw = raw.get("sources", {})
    inhouse_cost = next((float(s.get("hourly_cost")) for s in sources_raw.values()
                         if isinstance(s, dict) and s.get("inhouse") and
                         isinstance(s.get("hourly_cost"), (int, float))), None)
    sources, coverage = [], {}
    for sname, sraw in sources_raw.items():
        check(isinstance(sraw, dict), f"sources.{sname}", "expected a table")
        s = _section(sraw, sname, "sources.*", path, f"sources.{sname}")
        ratio = s.pop("cost_ratio")
        if s["hourly_cost"] is None:
            check(ratio is not None, f"sources.{sname}.hourly_cost",
                  "expected hourly_cost or cost_ratio")
            check(inhouse_cost is not None, f"sources.{sname}.cost_ratio",
                  "cost_ratio needs an in-house source with an hourly_cost")
            check(ratio > 0, f"sources.{sname}.cost_ratio", "expected a ratio > 0")
            s["hourly_cost"] = ratio * inhouse_cost
        unknown_q = [q for q in s["queues"] if q not in queues_raw]
        check(not unknown_q, f"sources.{sname}.queues",
              f"unknown queue(s) {', '.join(map(str, unknown_q))}; expected some of "
              f"{', '.join(queues_raw)}")
        s["queues"] = tuple(s["queues"])
        hours_text = s.pop("coverage_hours")
        try:
            coverage[sname] = OpenHours.parse(hours_text)
        except ValueError as exc:
            raise InputError(str(exc).split(": ", 1)[-1], path=path,
                             key=f"sources.{sname}.coverage_hours") from None
        check(all(isinstance(r, (int, float)) and not isinstance(r, bool) for r in s["ramp"]),
              f"sources.{sname}.ramp", "expected a list of numbers")
        s["ramp"] = tuple(float(r) for r in s["ramp"])
        try:
            sources.append(Source(name=sname, **s))
        except ValueError as exc:
            field_name = str(exc).split(":")[0]
            key = f"sources.{sname}.{field_name}" if field_name in SCHEMA["sources.*"] else \
                f"sources.{sname}"
            raise InputError(str(exc).split(": ", 1)[-1], path=path, key=key) from None
    check(sum(s.inhouse for s in sources) <= 1, "sources", "expected at most one in-house source")

    try:
        policy = CorePolicy(core["policy"], core["percentile"], dict(core["fixed_fte"]),
                            core["overtime_fraction"], core["overtime_premium"])
    except ValueError as exc:
        message = str(exc).split(": ", 1)[-1]
        if str(exc).startswith("method"):
            message += _suggest(core["policy"], ["percentile", "fixed", "peak", "optimal"])
        raise InputError(message, path=path,
                         key=f"core.{str(exc).split(':')[0]}".replace("core.method", "core.policy")
                         ) from None
    check(core["optimal_step_fte"] > 0, "core.optimal_step_fte", "expected > 0")
    if policy.method == "fixed":
        missing = [q for q in queues_raw if q not in policy.fixed_fte]
        check(not missing, "core.fixed_fte", f"no core FTE for queue(s) {', '.join(missing)}")

    rates = sec["deflection"]["rates"]
    for category, rate in rates.items():
        check(isinstance(rate, (int, float)) and not isinstance(rate, bool) and 0 <= rate <= 1,
              f"deflection.rates.{category}", f"expected a fraction in [0, 1], got {rate!r}")
    escalation = None
    esc = sec["escalation"]
    check(0 <= esc["share"] < 1, "escalation.share", "expected a fraction in [0, 1)")
    if esc["share"] > 0:
        check(esc["queue"] not in queues_raw, "escalation.queue",
              f"{esc['queue']!r} is already a first-line queue; expected a new name")
        try:
            tier2 = QueueConfig(QueueTarget(queue=esc["queue"], channel="email",
                                            aht_s=esc["aht_s"], target_sl=esc["target_sl"],
                                            target_answer_s=esc["target_answer_s"],
                                            shrinkage=esc["shrinkage"]),
                                OpenHours.parse(esc["open_hours"]))
        except ValueError as exc:
            raise InputError(str(exc).split(": ", 1)[-1], path=path,
                             key=f"escalation.{str(exc).split(':')[0]}") from None
        escalation = EscalationConfig(esc["share"], tier2)

    data = sec["data"]

    def resolve(value: str) -> Path | None:
        return (folder / value).resolve() if value else None

    return PlanConfig(
        name=business["name"], timezone=business["timezone"],
        countries=tuple(business["countries"]),
        holiday_window_days=business["holiday_window_days"], currency=business["currency"],
        history=resolve(data["history"]), tickets=resolve(data["tickets"]),
        calendar=resolve(data["calendar"]), horizon_days=fc["horizon_days"], model=fc["model"],
        plan_on=fc["plan_on"], interval_min=st["interval_min"],
        paid_hours_per_fte_day=st["paid_hours_per_fte_day"],
        work_days_per_week=st["work_days_per_week"], core=policy,
        optimal_step_fte=core["optimal_step_fte"], queues=tuple(queues), sources=tuple(sources),
        coverage_hours=coverage, deflection_rates={k: float(v) for k, v in rates.items()},
        escalation=escalation, path=path)


#: What ``surgeplan init`` writes besides the defaults: one example of each table.
_EXAMPLE_QUEUES = {
    "chat": {"channel": "chat", "aht_s": 600, "concurrency": 2, "target_sl": 0.8,
             "target_answer_s": 60, "max_occupancy": 0.85, "open_hours": "08:00-22:00"},
    "email": {"channel": "email", "aht_s": 420, "target_sl": 0.9, "target_answer_s": 86400,
              "open_hours": "mon-fri 08:00-20:00; sat-sun 09:00-17:00"},
}
_EXAMPLE_SOURCES = {
    "inhouse": {"inhouse": True, "hourly_cost": 36.0, "lead_time_days": 90},
    "nearshore": {"cost_ratio": 0.35, "lead_time_days": 21, "max_fte": 80,
                  "coverage_hours": "mon-sun 08:00-22:00"},
}


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
        return "{" + ", ".join(f"{k} = {_toml_value(v)}" for k, v in value.items()) + "}"
    return repr(value)


def default_config_text() -> str:
    """A commented plan.toml with every field, its unit and its default (``surgeplan init``).

    Keys without a default value (``None``) are shown commented out; the
    queue and source tables are examples to edit.
    """
    lines = ["# surgeplan plan config. Every key is shown with its default; units in brackets.",
             "# Fractions are in [0, 1]; times in seconds unless the name says otherwise.", ""]

    def block(header: str, schema_key: str, values: dict) -> None:
        lines.append(f"[{header}]")
        for key, (_, default, doc) in SCHEMA[schema_key].items():
            value = values.get(key, default)
            lines.append(f"# {doc}")
            if value is _REQUIRED:
                lines.append(f"{key} = \"\"  # required")
            elif value is None:
                lines.append(f"# {key} =")
            else:
                lines.append(f"{key} = {_toml_value(value)}")
        lines.append("")

    for section in ("business", "data", "forecast", "staffing", "core", "deflection",
                    "escalation"):
        block(section, section, {"history": "tickets.csv"} if section == "data" else {})
    for name, values in _EXAMPLE_QUEUES.items():
        block(f"queues.{name}", "queues.*", values)
    for name, values in _EXAMPLE_SOURCES.items():
        block(f"sources.{name}", "sources.*", values)
    return "\n".join(lines)

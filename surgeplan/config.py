"""The plan config (TOML): loading and validation against :mod:`surgeplan.schema`.

Each section has one builder that returns a small frozen config;
:class:`PlanConfig` composes them, and each stage of the plan receives only
its part. Every value is checked here, at load, so a bad config fails before
any work with the file and the key named.
"""
from __future__ import annotations

import contextlib
import difflib
import math
import tomllib
from dataclasses import dataclass
from pathlib import Path

from calendars.bounds import read_small_text
from calendars.errors import InputError
from calendars.events import MAX_HOLIDAY_WINDOW_DAYS, check_countries
from calendars.io import DATE_ORDERS
from calendars.hours import OpenHours
from staffing.cohorts import HiringRules
from staffing.errors import FieldError
from staffing.plan import CorePolicy
from staffing.requirements import QueueTarget
from staffing.sensitivity import SensitivityCases
from staffing.shifts import ShiftRules
from staffing.sources import Source
from surgeplan.schema import (MAX_LIST_ITEMS, MAX_TABLES, MAXIMA, MINIMA, REQUIRED, SCHEMA,
                             SECTIONS, default_config_text)

#: The largest config file read [bytes]: a plan config is a few kilobytes.
MAX_CONFIG_BYTES = 1_000_000
#: The finest step of the optimal core's levels [FTE].
MIN_OPTIMAL_STEP_FTE = 0.1


@dataclass(frozen=True)
class BusinessConfig:
    """``[business]``: who plans, where, and in which currency."""

    name: str
    timezone: str
    countries: tuple[str, ...]
    holiday_window_days: int
    currency: str


@dataclass(frozen=True)
class DataConfig:
    """``[data]``: the input files (absolute paths) and how to read the history."""

    history: Path | None
    tickets: Path | None
    calendar: Path | None
    column_map: dict[str, str]
    channel_map: dict[str, str]
    date_order: str


@dataclass(frozen=True)
class ForecastConfig:
    """``[forecast]``: how far ahead, with which model, staffed on which quantile."""

    horizon_days: int
    model: str
    plan_on: str



@dataclass(frozen=True)
class StaffingConfig:
    """``[staffing]``: intervals and the working day."""

    interval_min: int
    paid_hours_per_fte_day: float
    work_days_per_week: float


@dataclass(frozen=True)
class CoreConfig:
    """``[core]``: the core policy and, for ``optimal``, its grid step."""

    policy: CorePolicy
    optimal_step_fte: float


@dataclass(frozen=True)
class PlanRules:
    """``[plan]``: the rules that turn overflow days into windows, and the price of a miss."""

    merge_gap_days: int
    min_window_fte: float
    miss_cost_ratio: float


@dataclass(frozen=True)
class ShiftsConfig:
    """``[shifts]``: whether plans schedule shifts, the shift rules and the days off."""

    enabled: bool
    rules: ShiftRules
    days_off: str


@dataclass(frozen=True)
class HiringConfig:
    """``[hiring]``: the rules of the hiring plan (None when it is not made), and its target.

    ``rules.headcount`` names the queues given; the others start with the
    plan's core headcount.
    """

    rules: HiringRules | None
    target: str
    horizon_months: int
    release_cost_per_person: float
    after_season: str


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
    """Everything ``surgeplan plan`` needs besides the data, one small config per section.

    Paths are absolute (resolved against the config file's folder).
    ``from_defaults`` is true for :func:`default_config` (no file: every
    queue and source takes its channel's starting values).
    """

    business: BusinessConfig
    data: DataConfig
    forecast: ForecastConfig
    staffing: StaffingConfig
    core: CoreConfig
    plan: PlanRules
    sensitivity: SensitivityCases
    shifts: ShiftsConfig
    hiring: HiringConfig
    queues: tuple[QueueConfig, ...]
    sources: tuple[Source, ...]
    coverage_hours: dict[str, OpenHours]
    deflection_rates: dict[str, float]
    escalation: EscalationConfig | None
    path: Path
    from_defaults: bool = False

    @property
    def all_queues(self) -> tuple[QueueConfig, ...]:
        """First-line queues, then Tier 2 when escalation is configured."""
        return self.queues + ((self.escalation.queue,) if self.escalation else ())


def load_config(path: str | Path) -> PlanConfig:
    """Read and validate a plan config.

    Raises
    ------
    InputError
        Unreadable file, invalid TOML, an unknown key (with the nearest valid
        one suggested), a value of the wrong type or out of range.
    """
    path = Path(path).resolve()
    text = read_small_text(path, MAX_CONFIG_BYTES, "the config file",
                           "a plan config of a few kilobytes")
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"invalid TOML ({exc})", path=path) from None
    except RecursionError:
        raise InputError("invalid TOML: tables or arrays nested too deep", path=path) from None
    return _build(raw, path)


def default_config(history: Path, queues: list[str], timezone: str = "UTC",
                   date_order: str | None = None) -> PlanConfig:
    """The config a plan with no ``--config`` uses: the starting values of ``surgeplan init``.

    One queue per queue of the history, with its channel's defaults
    (:data:`surgeplan.schema.CHANNEL_DEFAULTS`), the default sources, no
    calendar and no public holidays. It is :func:`default_config_text`
    loaded, so ``surgeplan init --history`` writes exactly this config.
    """
    from dataclasses import replace

    text = default_config_text(queues, Path(history).name, timezone, date_order)
    return replace(_build(tomllib.loads(text), Path(history).resolve().parent / "plan.toml"),
                   from_defaults=True)


def _suggest(word: str, options) -> str:
    close = difflib.get_close_matches(str(word), [str(o) for o in options], n=1, cutoff=0.5)
    return f"; did you mean {close[0]!r}?" if close else f"; expected one of {', '.join(options)}"


class _Reader:
    """Reads sections of one config file, raising InputErrors that name the file and key."""

    def __init__(self, path: Path):
        self.path = path

    def fail(self, key: str, message: str):
        raise InputError(message, path=self.path, key=key)

    def check(self, ok: bool, key: str, message: str) -> None:
        if not ok:
            self.fail(key, message)

    def section(self, raw, schema_key: str, dotted: str) -> dict:
        """The table's values, coerced to the schema's types, defaults filled in."""
        self.check(isinstance(raw, dict), dotted, "expected a table")
        schema = SCHEMA[schema_key]
        values = {}
        for key, value in raw.items():
            if key not in schema:
                self.fail(f"{dotted}.{key}", f"unknown key {key!r}{_suggest(key, schema)}")
            values[key] = self.coerce(value, schema[key][0], f"{dotted}.{key}")
            self.bounded(values[key], f"{schema_key}.{key}", f"{dotted}.{key}",
                         schema[key][1])
        for key, (_, default, _) in schema.items():
            if key not in values:
                if default is REQUIRED:
                    self.fail(f"{dotted}.{key}", "missing required key")
                values[key] = default
        return values

    def bounded(self, value, schema_key: str, key: str, default) -> None:
        """Refuse a value past :data:`~surgeplan.schema.MAXIMA` or a list past its length."""
        if isinstance(value, list):
            self.check(len(value) <= MAX_LIST_ITEMS, key,
                       f"expected at most {MAX_LIST_ITEMS} items, got {len(value)}")
        if isinstance(value, float) and math.isnan(value):
            self.fail(key, "expected a number, got nan")
        limit, floor = MAXIMA.get(schema_key), MINIMA.get(schema_key)
        if limit is None and floor is None:
            return
        items = value.items() if isinstance(value, dict) else enumerate(value) \
            if isinstance(value, list) else [(None, value)]
        for name, item in items:
            where = f"{key}.{name}" if isinstance(value, dict) else key
            if not isinstance(item, (int, float)) or isinstance(item, bool):
                continue
            if limit is not None and item > limit and not (item == math.inf == default):
                self.fail(where, f"expected at most {limit:g}, got {item!r}")
            if floor is not None and 0 < item < floor:  # <= 0: the domain's own message
                self.fail(where, f"expected at least {floor:g}, got {item!r}")

    def coerce(self, value, kind, key: str):
        if kind is float and isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
        if kind is int and isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, kind) and not (kind is not bool and isinstance(value, bool)):
            return value
        names = {float: "a number", int: "a whole number", str: "a string", bool: "true or false",
                 list: "a list", dict: "a table"}
        self.fail(key, f"expected {names[kind]}, got {value!r}")

    def numbers(self, values, key: str, ok=lambda v: True, expected: str = "numbers"):
        """A list or table of finite numbers passing ``ok``, as floats."""
        items = values.items() if isinstance(values, dict) else enumerate(values)
        out = {}
        for name, value in items:
            good = (isinstance(value, (int, float)) and not isinstance(value, bool)
                    and math.isfinite(value) and ok(value))
            where = f"{key}.{name}" if isinstance(values, dict) else key
            self.check(good, where, f"expected {expected}, got {value!r}")
            out[name] = float(value)
        return out if isinstance(values, dict) else tuple(out.values())

    def strings(self, values, key: str) -> dict | tuple:
        items = values.items() if isinstance(values, dict) else enumerate(values)
        for name, value in items:
            self.check(isinstance(value, str) and value.strip() != "" and "\x00" not in value,
                       f"{key}.{name}" if isinstance(values, dict) else key,
                       f"expected non-empty text, got {value!r}")
        return dict(values) if isinstance(values, dict) else tuple(values)

    def hours(self, text: str, key: str) -> OpenHours:
        try:
            return OpenHours.parse(text)
        except ValueError as exc:
            self.fail(key, str(exc).split(": ", 1)[-1])

    @contextlib.contextmanager
    def field_errors(self, key_prefix: str):
        """Turn a domain :class:`~staffing.errors.FieldError` into this file's key."""
        try:
            yield
        except FieldError as exc:
            raise InputError(f"expected {exc.expected}, got {exc.value!r}", path=self.path,
                             key=f"{key_prefix}.{exc.field}") from None


def _build(raw: dict, path: Path) -> PlanConfig:
    reader = _Reader(path)
    top = list(SECTIONS) + ["queues", "sources"]
    for name in raw:
        if name not in top:
            reader.fail(name, f"unknown section {name!r}{_suggest(name, top)}")
        reader.check(isinstance(raw[name], dict), name, "expected a table ([section])")
    queues = _queues(reader, raw.get("queues", {}))
    names = [q.target.queue for q in queues]
    escalation = _escalation(reader, raw.get("escalation", {}), names)
    core = _core(reader, raw.get("core", {}),
                 names + ([escalation.queue.target.queue] if escalation else []))
    sources, coverage = _sources(reader, raw.get("sources", {}), names)
    return PlanConfig(
        business=_business(reader, raw.get("business", {})),
        data=_data(reader, raw.get("data", {})),
        forecast=_forecast(reader, raw.get("forecast", {})),
        staffing=_staffing(reader, raw.get("staffing", {})),
        core=core, plan=_plan_rules(reader, raw.get("plan", {})),
        sensitivity=_sensitivity(reader, raw.get("sensitivity", {})),
        shifts=_shifts(reader, raw.get("shifts", {})),
        hiring=_hiring(reader, raw.get("hiring", {}), sources,
                       names + ([escalation.queue.target.queue] if escalation else [])),
        queues=queues, sources=sources, coverage_hours=coverage,
        deflection_rates=_deflection(reader, raw.get("deflection", {})),
        escalation=escalation, path=path)


def _business(reader: _Reader, raw) -> BusinessConfig:
    b = reader.section(raw, "business", "business")
    import zoneinfo

    try:
        reader.check("\x00" not in b["timezone"], "business.timezone", "expected a time zone")
        zoneinfo.ZoneInfo(b["timezone"])
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        reader.fail("business.timezone", f"unknown time zone {b['timezone']!r}; expected an IANA "
                    "name like America/New_York")
    try:
        countries = check_countries(b["countries"])
    except ValueError as exc:
        reader.fail("business.countries", str(exc).split(": ", 1)[-1])
    reader.check(0 <= b["holiday_window_days"] <= MAX_HOLIDAY_WINDOW_DAYS,
                 "business.holiday_window_days", f"expected 0 to {MAX_HOLIDAY_WINDOW_DAYS} days")
    return BusinessConfig(name=b["name"], timezone=b["timezone"], countries=countries,
                          holiday_window_days=b["holiday_window_days"], currency=b["currency"])


def _data(reader: _Reader, raw) -> DataConfig:
    d = reader.section(raw, "data", "data")
    folder = reader.path.parent

    def resolve(key: str) -> Path | None:
        value = d[key]
        reader.check("\x00" not in value, f"data.{key}", "expected a file path")
        return (folder / value).resolve() if value else None

    reader.check(d["date_order"] in DATE_ORDERS, "data.date_order",
                 f"expected one of {', '.join(DATE_ORDERS)}")
    return DataConfig(history=resolve("history"), tickets=resolve("tickets"),
                      calendar=resolve("calendar"),
                      column_map=reader.strings(d["column_map"], "data.column_map"),
                      channel_map=reader.strings(d["channel_map"], "data.channel_map"),
                      date_order=d["date_order"])


def _forecast(reader: _Reader, raw) -> ForecastConfig:
    from forecast.backtest import check_horizon_days
    from forecast.registry import MODELS

    f = reader.section(raw, "forecast", "forecast")
    try:
        check_horizon_days(f["horizon_days"])
    except ValueError as exc:
        reader.fail("forecast.horizon_days", str(exc).split(": ", 1)[-1])
    reader.check(f["model"] in MODELS, "forecast.model",
                 f"unknown model {f['model']!r}{_suggest(f['model'], list(MODELS))}")
    reader.check(f["plan_on"] in ("cost", "p50", "p90"), "forecast.plan_on",
                 f"expected cost, p50 or p90, got {f['plan_on']!r}")
    return ForecastConfig(horizon_days=f["horizon_days"], model=f["model"], plan_on=f["plan_on"])


def _staffing(reader: _Reader, raw) -> StaffingConfig:
    s = reader.section(raw, "staffing", "staffing")
    reader.check(s["interval_min"] in (15, 30, 60), "staffing.interval_min",
                 "expected 15, 30 or 60")
    reader.check(0 < s["paid_hours_per_fte_day"] <= 24, "staffing.paid_hours_per_fte_day",
                 "expected more than 0 and at most 24 hours")
    reader.check(1 <= s["work_days_per_week"] <= 7, "staffing.work_days_per_week",
                 "expected 1 to 7 days")
    return StaffingConfig(interval_min=s["interval_min"],
                          paid_hours_per_fte_day=s["paid_hours_per_fte_day"],
                          work_days_per_week=s["work_days_per_week"])


def _core(reader: _Reader, raw, queue_names: list[str]) -> CoreConfig:
    c = reader.section(raw, "core", "core")
    fixed = reader.numbers(c["fixed_fte"], "core.fixed_fte", lambda v: v >= 0, "FTE >= 0")
    unknown = [q for q in fixed if q not in queue_names]
    reader.check(not unknown, "core.fixed_fte",
                 f"unknown queue(s) {', '.join(unknown)}; expected some of "
                 f"{', '.join(queue_names)}")
    try:
        policy = CorePolicy(c["policy"], c["percentile"], fixed, c["overtime_fraction"],
                            c["overtime_premium"])
    except FieldError as exc:
        key = "policy" if exc.field == "method" else exc.field
        hint = _suggest(c["policy"], ["percentile", "fixed", "peak", "optimal"]) \
            if exc.field == "method" else ""
        reader.fail(f"core.{key}", f"expected {exc.expected}, got {exc.value!r}{hint}")
    reader.check(MIN_OPTIMAL_STEP_FTE <= c["optimal_step_fte"] < math.inf, "core.optimal_step_fte",
                 f"expected a step of at least {MIN_OPTIMAL_STEP_FTE} FTE (> 0)")
    if policy.method == "fixed":
        missing = [q for q in queue_names if q not in policy.fixed_fte]
        reader.check(not missing, "core.fixed_fte",
                     f"no core FTE for queue(s) {', '.join(missing)}")
    return CoreConfig(policy=policy, optimal_step_fte=c["optimal_step_fte"])


def _plan_rules(reader: _Reader, raw) -> PlanRules:
    p = reader.section(raw, "plan", "plan")
    reader.check(0 <= p["merge_gap_days"] <= 31, "plan.merge_gap_days", "expected 0 to 31 days")
    reader.check(0 <= p["min_window_fte"] < math.inf, "plan.min_window_fte",
                 "expected FTE >= 0")
    reader.check(0 < p["miss_cost_ratio"] <= 1000, "plan.miss_cost_ratio",
                 "expected a ratio above 0 and at most 1000")
    return PlanRules(merge_gap_days=p["merge_gap_days"], min_window_fte=p["min_window_fte"],
                     miss_cost_ratio=p["miss_cost_ratio"])


def _sensitivity(reader: _Reader, raw) -> SensitivityCases:
    s = reader.section(raw, "sensitivity", "sensitivity")
    factors = {key: reader.numbers(s[key], f"sensitivity.{key}", lambda v: 0 < v <= 10,
                                   "multipliers in (0, 10]") for key in ("partner_cost", "aht")}
    return SensitivityCases(partner_cost=factors["partner_cost"], aht=factors["aht"],
                            other_quantile=s["other_quantile"])


def _shifts(reader: _Reader, raw) -> ShiftsConfig:
    s = reader.section(raw, "shifts", "shifts")
    reader.check(s["days_off"] in ("any", "consecutive"), "shifts.days_off",
                 f"expected any or consecutive, got {s['days_off']!r}")
    reader.check(s["start_step_min"] >= 0, "shifts.start_step_min", "expected >= 0 minutes")
    lengths = reader.numbers(s["lengths_h"], "shifts.lengths_h", lambda v: 0 < v <= 24,
                             "lengths in hours, more than 0 and at most 24")
    with reader.field_errors("shifts"):
        rules = ShiftRules(lengths_h=lengths, start_step_min=s["start_step_min"] or None,
                           break_from_length_h=s["break_from_length_h"], break_min=s["break_min"],
                           break_paid=s["break_paid"], break_after_h=s["break_after_h"],
                           break_before_end_h=s["break_before_end_h"])
    return ShiftsConfig(enabled=s["enabled"], rules=rules, days_off=s["days_off"])


def _hiring(reader: _Reader, raw, sources: tuple[Source, ...], queue_names: list[str]
            ) -> HiringConfig:
    h = reader.section(raw, "hiring", "hiring")
    from staffing.hire_or_rent import AFTER_SEASON
    from staffing.hiring import TARGET_METHODS

    reader.check(h["target"] in TARGET_METHODS, "hiring.target",
                 f"unknown target {h['target']!r}{_suggest(h['target'], TARGET_METHODS)}")
    reader.check(h["after_season"] in AFTER_SEASON, "hiring.after_season",
                 f"expected one of {', '.join(AFTER_SEASON)}, got {h['after_season']!r}")
    reader.check(0 <= h["horizon_months"] <= 18, "hiring.horizon_months", "expected 0 to 18")
    reader.check(0 <= h["release_cost_per_person"] < math.inf, "hiring.release_cost_per_person",
                 "expected a cost >= 0")
    reader.check(h["lead_time_days"] >= 0, "hiring.lead_time_days", "expected >= 0 days")
    headcount = reader.numbers(h["headcount"], "hiring.headcount", lambda v: v >= 0,
                               "people >= 0")
    unknown = [q for q in headcount if q not in queue_names]
    reader.check(not unknown, "hiring.headcount", f"unknown queue(s) {', '.join(unknown)}; "
                 f"expected some of {', '.join(queue_names)}")
    inhouse = next((s for s in sources if s.inhouse), None)
    rules = None
    if h["enabled"]:
        reader.check(inhouse is not None, "hiring.enabled",
                     "a hiring plan needs an in-house source ([sources.NAME] inhouse = true)")
        ramp = reader.numbers(h["productivity_ramp"], "hiring.productivity_ramp",
                              expected="a list of fractions")
        with reader.field_errors("hiring"):
            rules = HiringRules(headcount=headcount, hourly_cost=inhouse.hourly_cost,
                                attrition_per_month=h["attrition_per_month"],
                                lead_time_days=h["lead_time_days"] or inhouse.lead_time_days,
                                training_weeks=h["training_weeks"], productivity_ramp=ramp)
    return HiringConfig(rules=rules, target=h["target"], horizon_months=h["horizon_months"],
                        release_cost_per_person=h["release_cost_per_person"],
                        after_season=h["after_season"])


def _queues(reader: _Reader, raw) -> tuple[QueueConfig, ...]:
    reader.check(bool(raw), "queues", "expected at least one [queues.NAME] table")
    reader.check(len(raw) <= MAX_TABLES, "queues", f"expected at most {MAX_TABLES} queues")
    out = []
    for name, table in raw.items():
        key = f"queues.{name}"
        q = reader.section(table, "queues.*", key)
        reader.check(q["channel"] == "email" or q["target_sl"] < 1, f"{key}.target_sl",
                     f"expected a fraction below 1 for a {q['channel']} queue (its service level "
                     f"is below 1 with any finite staff), got {q['target_sl']!r}")
        hours = reader.hours(q.pop("open_hours"), f"{key}.open_hours")
        with reader.field_errors(key):
            out.append(QueueConfig(QueueTarget(queue=name, **q), hours))
    return tuple(out)


def _sources(reader: _Reader, raw, queue_names: list[str]
             ) -> tuple[tuple[Source, ...], dict[str, OpenHours]]:
    reader.check(len(raw) <= MAX_TABLES, "sources", f"expected at most {MAX_TABLES} sources")
    tables = {name: reader.section(table, "sources.*", f"sources.{name}")
              for name, table in raw.items()}
    inhouse = [name for name, s in tables.items() if s["inhouse"]]
    reader.check(len(inhouse) <= 1, "sources", "expected at most one in-house source")
    inhouse_cost = tables[inhouse[0]]["hourly_cost"] if inhouse else None
    for name, s in tables.items():
        reader.check(s["fcr"] is None or 0 < s["fcr"] <= 1, f"sources.{name}.fcr",
                     f"expected a fraction in (0, 1], got {s['fcr']!r}")
    reference_fcr = (tables[inhouse[0]]["fcr"] if inhouse else None) or 1.0
    sources, coverage = [], {}
    for name, s in tables.items():
        key = f"sources.{name}"
        ratio = s.pop("cost_ratio")
        fcr = s.pop("fcr")
        s["repeat_factor"] = reference_fcr / fcr if fcr and not s["inhouse"] else 1.0
        if s["hourly_cost"] is None:
            reader.check(ratio is not None, f"{key}.hourly_cost", "expected hourly_cost or cost_ratio")
            reader.check(inhouse_cost is not None, f"{key}.cost_ratio",
                         "cost_ratio needs an in-house source with an hourly_cost")
            reader.check(0 < ratio < math.inf, f"{key}.cost_ratio", "expected a ratio > 0")
            s["hourly_cost"] = ratio * inhouse_cost
        s["queues"] = reader.strings(s["queues"], f"{key}.queues")
        unknown = [q for q in s["queues"] if q not in queue_names]
        reader.check(not unknown, f"{key}.queues", f"unknown queue(s) {', '.join(unknown)}; "
                     f"expected some of {', '.join(queue_names)}")
        coverage[name] = reader.hours(s.pop("coverage_hours"), f"{key}.coverage_hours")
        s["ramp"] = reader.numbers(s["ramp"], f"{key}.ramp", expected="a list of numbers")
        with reader.field_errors(key):
            sources.append(Source(name=name, **s))
    return tuple(sources), coverage


def _deflection(reader: _Reader, raw) -> dict[str, float]:
    d = reader.section(raw, "deflection", "deflection")
    return reader.numbers(d["rates"], "deflection.rates", lambda v: 0 <= v <= 1,
                          "a fraction in [0, 1]")


def _escalation(reader: _Reader, raw, queue_names: list[str]) -> EscalationConfig | None:
    e = reader.section(raw, "escalation", "escalation")
    reader.check(0 <= e["share"] < 1, "escalation.share", "expected a fraction in [0, 1)")
    if e["share"] == 0:
        return None
    reader.check(e["queue"] not in queue_names, "escalation.queue",
                 f"{e['queue']!r} is already a first-line queue; expected a new name")
    hours = reader.hours(e["open_hours"], "escalation.open_hours")
    with reader.field_errors("escalation"):
        target = QueueTarget(queue=e["queue"], channel="email", aht_s=e["aht_s"],
                             target_sl=e["target_sl"], target_answer_s=e["target_answer_s"],
                             shrinkage=e["shrinkage"])
    return EscalationConfig(e["share"], QueueConfig(target, hours))



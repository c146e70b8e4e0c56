"""surgeplan.config: the default file covers the schema and loads to defaults; bad keys named."""
from __future__ import annotations

import math
import re
import tomllib
from pathlib import Path

import pytest

from calendars.errors import InputError
from calendars.hours import OpenHours
from surgeplan.config import _build, load_config
from surgeplan.schema import (CHANNEL_DEFAULTS, DEFAULT_SOURCES, REQUIRED, SCHEMA,
                              default_config_text)

PATH = Path("/nonexistent/config/plan.toml")  # _build reads no file; paths resolve against it


def blocks(text: str) -> dict[str, str]:
    """The text of each [table] of a TOML document, by header."""
    out, header = {}, None
    for line in text.splitlines():
        match = re.fullmatch(r"\[([^\]]+)\]", line.strip())
        if match:
            header = match.group(1)
            out[header] = ""
        elif header is not None:
            out[header] += line + "\n"
    return out


def build(text: str):
    return _build(tomllib.loads(text), PATH)


def edited(*pairs: tuple[str, str]) -> str:
    """The default text with each (old, new) replaced once, checking old is there."""
    text = default_config_text()
    for old, new in pairs:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def section_edit(section: str, old: str, new: str) -> str:
    """Replace ``old`` by ``new`` inside one [section] of the default text."""
    text = default_config_text()
    start = text.index(f"[{section}]\n")
    end = text.find("\n[", start + 1)
    end = len(text) if end < 0 else end
    body = text[start:end]
    assert old in body, (section, old)
    return text[:start] + body.replace(old, new, 1) + text[end:]


def test_every_schema_key_is_in_the_default_text():
    found = blocks(default_config_text())
    for section, keys in SCHEMA.items():
        if section == "queues.*":
            tables = [f"queues.{name}" for name in CHANNEL_DEFAULTS]
        elif section == "sources.*":
            tables = [f"sources.{name}" for name in DEFAULT_SOURCES]
        else:
            tables = [section]
        for table in tables:
            assert table in found, table
            for key, (_, _, doc) in keys.items():
                # the key (commented out when it has no default) with its help above it
                assert re.search(rf"^(# )?{key} =", found[table], re.M), f"{table}.{key}"
                assert f"# {doc}" in found[table]


def test_default_text_loads_to_the_documented_defaults():
    cfg = build(default_config_text())
    default = {s: {k: v[1] for k, v in keys.items()} for s, keys in SCHEMA.items()}
    business = default["business"]
    b = cfg.business
    assert (b.name, b.timezone, b.countries, b.currency) == (
        business["name"], business["timezone"], tuple(business["countries"]),
        business["currency"])
    assert cfg.data.history == PATH.parent / "tickets.csv"  # the example value of the required key
    assert cfg.data.tickets is None and cfg.data.calendar is None
    assert cfg.data.column_map == default["data"]["column_map"] == {}
    assert cfg.data.channel_map == default["data"]["channel_map"] == {}
    for key in ("horizon_days", "model", "plan_on"):
        assert getattr(cfg.forecast, key) == default["forecast"][key], key
    for key in ("interval_min", "paid_hours_per_fte_day", "work_days_per_week"):
        assert getattr(cfg.staffing, key) == default["staffing"][key], key
    core = default["core"]
    assert cfg.core.policy.method == core["policy"]
    assert cfg.core.optimal_step_fte == core["optimal_step_fte"]
    for key in ("percentile", "fixed_fte", "overtime_fraction", "overtime_premium"):
        assert getattr(cfg.core.policy, key) == core[key], key
    for key in ("merge_gap_days", "min_window_fte"):
        assert getattr(cfg.plan, key) == default["plan"][key], key
    for key in ("partner_cost", "aht", "other_quantile"):
        value = getattr(cfg.sensitivity, key)
        assert (list(value) if isinstance(value, tuple) else value) == \
            default["sensitivity"][key], key
    assert cfg.deflection_rates == default["deflection"]["rates"]
    assert default["escalation"]["share"] == 0.0 and cfg.escalation is None
    # queues and sources: every key the example does not set has its default
    assert [q.target.queue for q in cfg.queues] == list(CHANNEL_DEFAULTS)
    for q in cfg.queues:
        given = CHANNEL_DEFAULTS[q.target.queue]
        for key, value in default["queues.*"].items():
            if key in given or value is REQUIRED:
                continue
            got = q.open_hours if key == "open_hours" else getattr(q.target, key)
            expected = OpenHours.parse(value) if key == "open_hours" else value
            assert got == expected, (q.target.queue, key)
    assert [s.name for s in cfg.sources] == list(DEFAULT_SOURCES)
    for s in cfg.sources:
        given = DEFAULT_SOURCES[s.name]
        for key, value in default["sources.*"].items():
            if key in given or key in ("hourly_cost", "cost_ratio"):
                continue
            if key == "coverage_hours":
                assert cfg.coverage_hours[s.name] == OpenHours.parse(value), s.name
            elif key == "fcr":  # no FCR given: a partner resolves as in-house does
                assert value is None and s.repeat_factor == 1.0, s.name
            else:
                assert getattr(s, key) == (tuple(value) if isinstance(value, list) else value), \
                    (s.name, key)
    nearshore = {s.name: s for s in cfg.sources}["nearshore"]
    assert nearshore.hourly_cost == pytest.approx(0.35 * 36.0)  # cost_ratio x in-house rate
    assert cfg.coverage_hours["nearshore"] == OpenHours.parse("mon-sun 08:00-22:00")


def test_default_text_is_what_load_config_reads(tmp_path):
    path = tmp_path / "plan.toml"
    path.write_text(default_config_text(), encoding="utf-8")
    cfg = load_config(path)
    assert cfg.path == path.resolve() and cfg.data.history == tmp_path.resolve() / "tickets.csv"
    assert math.isinf({s.name: s for s in cfg.sources}["inhouse"].max_fte)  # `inf` in TOML


def test_new_source_keys_load():
    text = section_edit("sources.nearshore", "quality_factor = 1.0", "quality_factor = 1.2")
    text = text.replace("ramp = []", "ramp = [1.5, 1]", 2)  # inhouse and nearshore
    cfg = build(text)
    nearshore = {s.name: s for s in cfg.sources}["nearshore"]
    assert nearshore.quality_factor == 1.2
    assert nearshore.ramp == (1.5, 1.0) and all(isinstance(r, float) for r in nearshore.ramp)
    assert nearshore.cost_per_work_hour == pytest.approx(0.35 * 36.0 * 1.2)


def test_deflection_and_escalation_load():
    cfg = build(edited(("rates = {}", "rates = {wismo = 0.35, returns = 1}"),
                       ("share = 0.0", "share = 0.06"),
                       ("optimal_step_fte = 0.5", "optimal_step_fte = 0.25"),
                       ('policy = "percentile"', 'policy = "optimal"')))
    assert cfg.deflection_rates == {"wismo": 0.35, "returns": 1.0}
    assert isinstance(cfg.deflection_rates["returns"], float)
    assert cfg.core.policy.method == "optimal" and cfg.core.optimal_step_fte == 0.25
    esc = cfg.escalation
    assert esc.share == 0.06
    tier2 = esc.queue.target
    # the [escalation] defaults: email-like async work in-house
    assert (tier2.queue, tier2.channel, tier2.aht_s, tier2.target_sl, tier2.target_answer_s,
            tier2.shrinkage) == ("tier2", "email", 900.0, 0.9, 28800.0, 0.3)
    assert esc.queue.open_hours == OpenHours.parse("mon-fri 09:00-18:00")


def _escalating(*pairs):
    return edited(("share = 0.0", "share = 0.1"), *pairs)


BAD = [
    # (text, key named, words in the message)
    (edited(("holiday_window_days = 0", "holiday_window_days = 30")),
     "business.holiday_window_days", "0 to 14"),
    (section_edit("sources.nearshore", "ramp = []", 'ramp = "fast"'),
     "sources.nearshore.ramp", "a list"),
    (section_edit("sources.nearshore", "ramp = []", 'ramp = ["slow", 1.1]'),
     "sources.nearshore.ramp", "numbers"),
    (section_edit("sources.nearshore", "ramp = []", "ramp = [true]"),
     "sources.nearshore.ramp", "numbers"),
    (section_edit("sources.nearshore", "ramp = []", "ramp = [1.2, 0.9]"),
     "sources.nearshore.ramp", ">= 1"),
    (section_edit("sources.nearshore", "quality_factor = 1.0", "quality_factor = 0"),
     "sources.nearshore.quality_factor", "> 0"),
    (section_edit("sources.nearshore", "quality_factor = 1.0", 'quality_factor = "slow"'),
     "sources.nearshore.quality_factor", "a number"),
    (section_edit("sources.nearshore", "quality_factor = 1.0", "quality = 1.1"),
     "sources.nearshore.quality", "quality_factor"),
    (section_edit("sources.nearshore", 'coverage_hours = "mon-sun 08:00-22:00"',
                  'coverage_hours = "9 to 5"'), "sources.nearshore.coverage_hours", "9 to 5"),
    (section_edit("sources.nearshore", 'coverage_hours = "mon-sun 08:00-22:00"',
                  "coverage_hours = 9"), "sources.nearshore.coverage_hours", "a string"),
    (edited(("rates = {}", "rates = {wismo = 1.5}")), "deflection.rates.wismo", "1.5"),
    (edited(("rates = {}", "rates = {wismo = -0.1}")), "deflection.rates.wismo", "[0, 1]"),
    (edited(("rates = {}", 'rates = {wismo = "most"}')), "deflection.rates.wismo", "most"),
    (edited(("rates = {}", "rates = 0.3")), "deflection.rates", "a table"),
    (edited(("share = 0.0", "share = 1.0")), "escalation.share", "[0, 1)"),
    (edited(("share = 0.0", "share = -0.1")), "escalation.share", "[0, 1)"),
    (_escalating(('queue = "tier2"', 'queue = "chat"')), "escalation.queue", "'chat'"),
    (_escalating(('open_hours = "mon-fri 09:00-18:00"', 'open_hours = "office hours"')),
     "escalation.open_hours", "office hours"),
    (_escalating(("aht_s = 900.0", "aht_s = 0")), "escalation.aht_s", "positive"),
    (edited(('policy = "percentile"', 'policy = "optimum"')), "core.policy", "optimal"),
    (edited(("optimal_step_fte = 0.5", "optimal_step_fte = 0")), "core.optimal_step_fte", "> 0"),
    (edited(("[escalation]\n", "[escalations]\n")), "escalations", "'escalation'"),
    # one check per field, the field carried as data (FieldError.field), never parsed from text
    (section_edit("sources.nearshore", "lead_time_days = 21", "lead_time_days = -1"),
     "sources.nearshore.lead_time_days", ">= 0 days, got -1"),
    (section_edit("sources.nearshore", "min_activation_days = 1", "min_activation_days = 0"),
     "sources.nearshore.min_activation_days", ">= 1 day"),
    (section_edit("queues.chat", "max_occupancy = 0.85", "max_occupancy = 1.5"),
     "queues.chat.max_occupancy", "(0, 1]"),
    (section_edit("queues.chat", "# patience_s =", "patience_s = -5"),
     "queues.chat.patience_s", "> 0 seconds"),
    (section_edit("queues.chat", "# max_abandon =", "max_abandon = 0.05"),
     "queues.chat.max_abandon", "without patience_s"),
    (edited(("countries = []", 'countries = ["XX"]')), "business.countries", "'XX'"),
    (edited(("countries = []", "countries = [1]")), "business.countries", "1"),
    (section_edit("sources.nearshore", "queues = []", "queues = [1, {a = 1}]"),
     "sources.nearshore.queues", "non-empty text"),
    (edited(("fixed_fte = {}", 'fixed_fte = {chat = "a"}')), "core.fixed_fte.chat", "'a'"),
    (edited(("fixed_fte = {}", "fixed_fte = {voice = 3}")), "core.fixed_fte", "voice"),
    (_escalating(('policy = "percentile"', 'policy = "fixed"'),
                 ("fixed_fte = {}", "fixed_fte = {chat = 3, email = 2, phone = 2}")),
     "core.fixed_fte", "tier2"),
    (edited(("horizon_days = 120", "horizon_days = 1000000")), "forecast.horizon_days", "730"),
    (edited(("optimal_step_fte = 0.5", "optimal_step_fte = 1e-9")), "core.optimal_step_fte",
     "at least 0.1"),
    (edited(("aht = [0.9, 1.1]", "aht = [0]")), "sensitivity.aht", "(0, 10]"),
    (edited(("channel_map = {}", "channel_map = {web = 1}")), "data.channel_map.web",
     "non-empty text"),
    (edited(("merge_gap_days = 2", "merge_gap_days = -1")), "plan.merge_gap_days", "0 to 31"),
    (edited(('history = "tickets.csv"', 'history = "a\\u0000b"')), "data.history",
     "a file path"),
]


@pytest.mark.parametrize("text, key, words", BAD, ids=[b[1] + ":" + b[2] for b in BAD])
def test_bad_new_keys_name_the_key(text, key, words):
    with pytest.raises(InputError) as info:
        build(text)
    assert info.value.key == key
    assert words in info.value.message
    assert f"key {key}: " in str(info.value)  # the one line the CLI prints
    assert "\n" not in str(info.value)


def test_escalation_keys_are_not_checked_without_escalation():
    # share 0: no Tier 2 queue, so its name may repeat a first-line queue
    assert build(edited(('queue = "tier2"', 'queue = "chat"'))).escalation is None


def test_bad_config_file_through_load_config(tmp_path):
    path = tmp_path / "plan.toml"
    path.write_text(section_edit("sources.nearshore", "quality_factor = 1.0",
                                 "quality_factor = -1"), encoding="utf-8")
    with pytest.raises(InputError, match="sources.nearshore.quality_factor") as info:
        load_config(path)
    assert info.value.path == str(path.resolve())


def test_bom_prefixed_config_loads(tmp_path):
    path = tmp_path / "plan.toml"
    path.write_bytes(b"\xef\xbb\xbf" + default_config_text().encode("utf-8"))
    assert load_config(path).business.name == SCHEMA["business"]["name"][1]


def test_deeply_nested_toml_is_a_clear_error(tmp_path):
    path = tmp_path / "plan.toml"
    path.write_text("x = " + "[" * 1000 + "]" * 1000 + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="invalid TOML"):
        load_config(path)


def test_new_knobs_reach_the_config():
    cfg = build(edited(("merge_gap_days = 2", "merge_gap_days = 5"),
                       ("min_window_fte = 1.0", "min_window_fte = 2.5"),
                       ("partner_cost = [0.8, 1.2]", "partner_cost = [0.5]"),
                       ("other_quantile = true", "other_quantile = false"),
                       ("channel_map = {}", 'channel_map = {"Web Widget" = "chat"}')))
    assert (cfg.plan.merge_gap_days, cfg.plan.min_window_fte) == (5, 2.5)
    assert cfg.sensitivity.partner_cost == (0.5,) and cfg.sensitivity.other_quantile is False
    assert cfg.data.channel_map == {"Web Widget": "chat"}


def test_fcr_becomes_the_repeat_factor_against_in_house():
    text = section_edit("sources.inhouse", "# fcr =", "fcr = 0.8")
    text = text.replace("# fcr =", "fcr = 0.64", 1)  # the nearshore table, next
    cfg = build(text)
    by_name = {s.name: s for s in cfg.sources}
    # in-house resolves 0.8 first time, the partner 0.64: it handles 0.8 / 0.64 = 1.25
    # contacts per contact resolved in-house
    assert by_name["nearshore"].repeat_factor == pytest.approx(1.25)
    assert by_name["inhouse"].repeat_factor == 1.0
    assert by_name["nearshore"].work_factor == pytest.approx(1.25 * by_name["nearshore"].quality_factor)
    with pytest.raises(InputError, match="sources.nearshore.fcr"):
        build(text.replace("fcr = 0.64", "fcr = 1.5"))


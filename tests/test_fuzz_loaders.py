"""Fuzz: mutated copies of the example's files through every loader and the config.

Each input runs in a forked worker with 2 GiB of address space and a time
limit (tests/fuzz_worker.py). Accepting it or refusing it with an InputError
is fine; any other exception, a hang or running out of memory fails.
``make fuzz`` runs the long profile; ``make test`` the quick derandomized one.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tests.fuzz_mutations import (CELLS, PACKINGS, apply_config_edits, apply_csv_edits,
                                  config_edits, csv_edits, example_config, fuzz_examples,
                                  lines_of, write_table, yaml_calendar)
from tests.fuzz_support import judge

pytestmark = pytest.mark.fuzz

TIMEOUT_S = 30
DAILY = lines_of("daily_counts.csv", keep=300)
TICKETS = lines_of("tickets_recent.csv", keep=300)
CALENDAR = lines_of("promo_calendar.csv")
ORDERS = ["date,orders,channel", *(f"2026-10-{day:02d},{4000 + 37 * day},{channel}"
                                    for day in range(1, 29) for channel in ("chat", "email"))]
FORECAST = ["date,queue,volume_p10,volume_p50,volume_p90", *(
    f"2026-11-{day:02d},{queue},{90 + day},{100 + day},{120 + day}"
    for day in range(1, 29) for queue in ("chat", "email", "phone"))]
PLAN_DAILY = ["date,queue,volume,required_fte,regime", *(
    f"2026-11-{day:02d},{queue},{400 + 9 * day},{12 + day / 4:.2f},{'flash_sale' if day == 27 else 'normal'}"
    for day in range(1, 15) for queue in ("chat", "email"))]
PLAN_INTERVALS = ["interval_start,queue,volume,agents,fte", *(
    f"2026-11-{day:02d} {hour:02d}:00:00-05:00,{queue},{20 + hour},{3 + hour % 4},{(3 + hour % 4) / 0.7:.3f}"
    for day in range(1, 15) for queue in ("chat", "email") for hour in range(9, 13))]
TZS = ["America/New_York", "UTC", "Europe/London", "Mars/Olympus", "", "Etc/GMT+14"]


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz-loaders")


def load(worker, test, target, *args):
    return judge(worker, test, {"kind": "call", "target": target, "args": [str(a) for a in args],
                                "timeout_s": TIMEOUT_S}, f"{target}{args}")


@settings(max_examples=fuzz_examples(40, 4_000))
@given(edits=csv_edits(), packing=st.sampled_from(PACKINGS), tz=st.sampled_from(TZS))
def test_daily_history(fuzz_worker, folder, edits, packing, tz):
    path = write_table(folder / "daily", "history", apply_csv_edits(DAILY, edits), packing)
    load(fuzz_worker, "daily_history", "forecast.io:read_ticket_history", path, tz)


@settings(max_examples=fuzz_examples(40, 4_000))
@given(edits=csv_edits(), packing=st.sampled_from(PACKINGS), tz=st.sampled_from(TZS))
def test_ticket_export(fuzz_worker, folder, edits, packing, tz):
    path = write_table(folder / "tickets", "tickets", apply_csv_edits(TICKETS, edits), packing)
    load(fuzz_worker, "ticket_export", "forecast.io:read_ticket_history", path, tz)


@settings(max_examples=fuzz_examples(40, 4_000))
@given(edits=csv_edits(), packing=st.sampled_from(PACKINGS))
def test_calendar_csv(fuzz_worker, folder, edits, packing):
    path = write_table(folder / "calendar", "promos", apply_csv_edits(CALENDAR, edits), packing)
    load(fuzz_worker, "calendar_csv", "calendars.io:read_promo_calendar", path)


@settings(max_examples=fuzz_examples(30, 3_000))
@given(data=yaml_calendar(), suffix=st.sampled_from([".yaml", ".yml"]))
def test_calendar_yaml(fuzz_worker, folder, data, suffix):
    path = folder / f"promos{suffix}"
    path.write_bytes(data)
    load(fuzz_worker, "calendar_yaml", "calendars.io:read_promo_calendar", path)


@settings(max_examples=fuzz_examples(20, 2_000))
@given(edits=csv_edits(), packing=st.sampled_from(PACKINGS))
def test_orders(fuzz_worker, folder, edits, packing):
    path = write_table(folder / "orders", "orders", apply_csv_edits(ORDERS, edits), packing)
    load(fuzz_worker, "orders", "forecast.io:read_orders", path)


@settings(max_examples=fuzz_examples(20, 2_000))
@given(edits=csv_edits(), packing=st.sampled_from(PACKINGS))
def test_edited_forecast(fuzz_worker, folder, edits, packing):
    path = write_table(folder / "forecast", "forecast", apply_csv_edits(FORECAST, edits), packing)
    load(fuzz_worker, "edited_forecast", "surgeplan.io:read_forecast", path)


@settings(max_examples=fuzz_examples(20, 2_000))
@given(edits=csv_edits(), which=st.sampled_from(["daily_requirements.csv", "intervals.csv"]),
       tz=st.sampled_from(TZS))
@example(edits=[("scale_column", 0, 0.0)], which="daily_requirements.csv",
         tz="Mars/Olympus")  # found: ZoneInfoNotFoundError (exit 1) from an unchecked tz
def test_plan_folder(fuzz_worker, folder, edits, which, tz):
    plan = folder / "plan"
    plan.mkdir(exist_ok=True)
    for name, lines in (("daily_requirements.csv", PLAN_DAILY), ("intervals.csv", PLAN_INTERVALS)):
        (plan / name).write_bytes(apply_csv_edits(lines, edits if name == which else []))
    load(fuzz_worker, "plan_folder", "surgeplan.io:read_plan_dir", plan, tz)


@settings(max_examples=fuzz_examples(40, 4_000))
@given(edits=config_edits(), cut=st.floats(0, 1))
def test_config(fuzz_worker, folder, edits, cut):
    path = folder / "config" / "plan.toml"
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(apply_config_edits(example_config(), *edits, cut=cut))
    load(fuzz_worker, "config", "surgeplan.config:load_config", path)


def test_the_payloads_reach_the_loaders(fuzz_worker, folder):
    """The worker really refuses: a known-bad input is an input error, a good one loads."""
    bad = write_table(folder / "sanity", "h", apply_csv_edits(DAILY, [("cell", 0, 0, "2300-01-01")]),
                      "csv")
    good = write_table(folder / "sanity", "g", apply_csv_edits(DAILY, []), "csv")
    assert load(fuzz_worker, "sanity", "forecast.io:read_ticket_history", bad,
                "UTC")["outcome"] == "input_error"
    assert load(fuzz_worker, "sanity", "forecast.io:read_ticket_history", good,
                "UTC")["outcome"] == "ok"
    assert "2300-01-01" in CELLS
    for name, lines, target in [("orders", ORDERS, "forecast.io:read_orders"),
                                ("forecast", FORECAST, "surgeplan.io:read_forecast"),
                                ("promos", CALENDAR, "calendars.io:read_promo_calendar")]:
        path = write_table(folder / "sanity", name, apply_csv_edits(lines, []), "csv")
        assert load(fuzz_worker, "sanity", target, path)["outcome"] == "ok", name
    plan = folder / "sanity" / "plan"
    plan.mkdir()
    (plan / "daily_requirements.csv").write_bytes(apply_csv_edits(PLAN_DAILY, []))
    (plan / "intervals.csv").write_bytes(apply_csv_edits(PLAN_INTERVALS, []))
    assert load(fuzz_worker, "sanity", "surgeplan.io:read_plan_dir", plan,
                "America/New_York")["outcome"] == "ok"


def test_the_yaml_calendar_loads_unmutated(tmp_path):
    """Without edits the YAML calendar loads, so the fuzzed ones start from valid input."""
    from calendars.io import read_promo_calendar
    from tests.fuzz_mutations import calendar_events, yaml_events

    path = tmp_path / "p.yaml"
    path.write_text(yaml_events(calendar_events()))
    assert len(read_promo_calendar(path)) == len(CALENDAR) - 1


@pytest.mark.parametrize("target, args, outcome", [
    ("tests.fuzz_worker:sleep_for", ["30"], "hang"),
    ("tests.fuzz_worker:allocate", ["3"], "memory"),
    ("calendars.io:read_promo_calendar", ["/nonexistent/promos.csv"], "input_error"),
    ("json:loads", ["{"], "bug"),
])
def test_the_worker_tells_hangs_memory_input_errors_and_bugs_apart(fuzz_worker, target, args,
                                                                   outcome):
    answer = fuzz_worker.run({"kind": "call", "target": target, "args": args, "timeout_s": 2})
    assert answer["outcome"] == outcome
    assert answer["max_rss_bytes"] < 2 * 1024 ** 3

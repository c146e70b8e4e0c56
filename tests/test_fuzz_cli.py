"""Fuzz: the ``surgeplan`` command line on mutated inputs, options and output paths.

Each run is the CLI in a forked worker with 2 GiB of address space and a time
limit (tests/fuzz_worker.py), on a small copy of the example (300 days of
history, 14-day horizon, the naive model) so that a run takes about a second.
Exit code 0 or 2 is fine; exit 1 (a bug), a traceback, a hang or running out
of memory fails.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tests.fuzz_mutations import (CELLS, EXAMPLE, PACKINGS, apply_config_edits, apply_csv_edits,
                                  config_edits, csv_edits, dump_toml, example_config,
                                  fuzz_examples, lines_of, write_table, yaml_calendar)
from tests.fuzz_support import judge

pytestmark = pytest.mark.fuzz

TIMEOUT_S = 120
DAILY = lines_of("daily_counts.csv", keep=900)
TICKETS = lines_of("tickets_recent.csv", keep=2000)
CALENDAR = lines_of("promo_calendar.csv")


def small_config() -> dict:
    """The example config on the small copies: 14 days ahead with the naive model."""
    config = example_config()
    config["data"].update(history="daily.csv", tickets="tickets.csv", calendar="promos.csv")
    config["forecast"].update(horizon_days=14, model="naive")
    return config


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("fuzz-cli")
    (folder / "daily.csv").write_bytes(apply_csv_edits(DAILY, []))
    (folder / "tickets.csv").write_bytes(apply_csv_edits(TICKETS, []))
    shutil.copy(EXAMPLE / "promo_calendar.csv", folder / "promos.csv")
    (folder / "a_file").write_text("x")
    return folder


def cli(worker, test: str, folder: Path, argv: list[str]):
    return judge(worker, test, {"kind": "cli", "argv": argv, "cwd": str(folder),
                                "timeout_s": TIMEOUT_S}, "surgeplan " + " ".join(map(repr, argv)))


@settings(max_examples=fuzz_examples(8, 600))
@given(edits=csv_edits(min_edits=0, max_edits=3), packing=st.sampled_from(["csv"] * 4 + PACKINGS),
       calendar=st.one_of(st.none(), csv_edits(min_edits=0, max_edits=2), yaml_calendar()),
       tz=st.sampled_from(["America/New_York"] * 10 + ["UTC", "Mars/Olympus", ""]),
       country=st.sampled_from([None] * 8 + ["US", "US", "XX", ""]),
       horizon=st.sampled_from(["14"] * 12 + ["1", "0", "730", "731", "-1", "1e9"]),
       model=st.sampled_from(["naive"] * 8 + ["baseline"] * 3 + ["nope"]))
@example(edits=[("same_column", 3, "0")], packing="csv", calendar=None, tz="UTC", country=None,
         horizon="14", model="naive")  # an all-zero history
@example(edits=[("drop_line", 5)] * 1, packing="csv",
         calendar=[("same_column", 7, "366"), ("same_column", 6, "366")], tz="UTC",
         country=None, horizon="14", model="naive")  # a calendar so dense no clean day is left
def test_forecast_command(fuzz_worker, folder, edits, packing, calendar, tz, country, horizon,
                          model):
    history = write_table(folder / "f", "history", apply_csv_edits(DAILY, edits), packing)
    argv = ["forecast", "--history", str(history), "--tz", tz, "--horizon-days", horizon,
            "--model", model, "--out", str(folder / "f" / "out")]
    if isinstance(calendar, bytes):
        (folder / "f" / "promos.yaml").write_bytes(calendar)
        argv += ["--calendar", str(folder / "f" / "promos.yaml")]
    elif calendar is not None:
        argv += ["--calendar", str(write_table(folder / "f", "promos",
                                               apply_csv_edits(CALENDAR, calendar), "csv"))]
    if country is not None:
        argv += ["--country", country]
    cli(fuzz_worker, "forecast_command", folder, argv)


@settings(max_examples=fuzz_examples(5, 300))
@given(edits=config_edits(max_edits=2), cut=st.floats(0, 1),
       out=st.sampled_from(["out"] * 5 + ["a_file", "a_file/under", "", "out/../out"]),
       history_edits=st.one_of(st.none(), st.none(), csv_edits(max_edits=2)))
@example(edits=([("set", ("queues", "chat", "patience_s"), 5e-324)], "none"), cut=0.5, out="out",
         history_edits=None)  # found: the agent search ran to its limit (exit 1)
def test_plan_command(fuzz_worker, folder, edits, cut, out, history_edits):
    plan_dir = folder / "p"
    plan_dir.mkdir(exist_ok=True)
    for name in ("daily.csv", "tickets.csv", "promos.csv", "a_file"):
        shutil.copy(folder / name, plan_dir / name)
    if history_edits is not None:
        (plan_dir / "daily.csv").write_bytes(apply_csv_edits(DAILY, history_edits))
    (plan_dir / "plan.toml").write_bytes(apply_config_edits(small_config(), *edits, cut=cut))
    cli(fuzz_worker, "plan_command", plan_dir,
        ["plan", "--config", "plan.toml", "--out", out or str(plan_dir / "out")])


NUMBERS = st.sampled_from(["0", "1", "-1", "0.5", "1e300", "inf", "nan", "5e-324", "100", "x",
                           "100000", "1e-9", "0.99", "1.5"])


@settings(max_examples=fuzz_examples(15, 1_500))
@given(arrivals=NUMBERS, aht=NUMBERS, sl=NUMBERS, answer=NUMBERS,
       interval=st.sampled_from(["15", "30", "60", "0", "-1", "7", "x"]),
       extra=st.lists(st.tuples(st.sampled_from(["--patience-s", "--max-occupancy",
                                                  "--max-asa-s", "--max-abandon",
                                                  "--shrinkage"]), NUMBERS), max_size=3))
@example(arrivals="1e300", aht="1e300", sl="1e-9", answer="1e300", interval="7",
         extra=[])  # found: an infinite load reached int() (OverflowError, exit 1)
@example(arrivals="1e300", aht="1e300", sl="0.8", answer="20", interval="30",
         extra=[("--patience-s", "100")])  # the Erlang A twin
def test_erlang_command(fuzz_worker, folder, arrivals, aht, sl, answer, interval, extra):
    argv = ["erlang", "--arrivals", arrivals, "--aht-s", aht, "--target-sl", sl,
            "--target-answer-s", answer, "--interval-min", interval]
    for option, value in extra:
        argv += [option, value]
    cli(fuzz_worker, "erlang_command", folder, argv)


def test_the_small_example_plans(fuzz_worker, folder):
    """The unmutated small copy plans (exit 0): the fuzzed runs start from a working plan."""
    plan_dir = folder / "ok"
    plan_dir.mkdir(exist_ok=True)
    for name in ("daily.csv", "tickets.csv", "promos.csv"):
        shutil.copy(folder / name, plan_dir / name)
    (plan_dir / "plan.toml").write_text(dump_toml(small_config()))
    answer = cli(fuzz_worker, "sanity", plan_dir, ["plan", "--config", "plan.toml", "--out", "o"])
    assert answer["outcome"] == "ok", answer
    assert "" in CELLS

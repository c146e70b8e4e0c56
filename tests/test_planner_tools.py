"""The planner's own data in one command, init from a history, --as-of, --version."""
from __future__ import annotations

import json
import shutil
import tomllib

import pandas as pd
from typer.testing import CliRunner

from surgeplan.cli import app
from tests.conftest import EXAMPLE
from tests.small_plan import write_case

runner = CliRunner()


def test_a_zendesk_export_plans_with_one_command_and_no_config(tmp_path):
    export = tmp_path / "my_export.csv"
    shutil.copy(EXAMPLE / "tickets_recent.csv", export)  # Id, Created at, Via, Tags, ...
    result = runner.invoke(app, ["plan", "--history", str(export), "--tz", "America/New_York",
                                 "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.split())
    assert "Assumed (config): every queue and source: no --config" in text
    assert "surgeplan init --history FILE plan.toml" in text
    assert "Holiday season" not in text  # nothing of the bundled store's calendar
    costs = pd.read_csv(tmp_path / "out" / "costs.csv")
    assert costs["scenario"].iloc[0] == "recommended"
    plan = pd.read_csv(tmp_path / "out" / "plan.csv")
    assert sorted(plan["queue"].unique()) == ["chat", "email", "phone"]


def test_init_from_a_history_writes_a_config_that_plans_it_unchanged(tmp_path):
    folder = tmp_path / "case"
    write_case(folder, queues=("chat", "phone"))
    config = tmp_path / "plan.toml"
    result = runner.invoke(app, ["init", str(config), "--history", str(folder / "daily.csv"),
                                 "--tz", "Europe/London"])
    assert result.exit_code == 0, result.output
    raw = tomllib.loads(config.read_text(encoding="utf-8"))
    assert list(raw["queues"]) == ["chat", "phone"]
    assert raw["queues"]["phone"]["channel"] == "phone"
    assert list(raw["sources"]) == ["inhouse", "nearshore", "offshore"]
    assert raw["sources"]["offshore"]["queues"] == ["chat"]  # no live phone offshore
    assert raw["business"]["timezone"] == "Europe/London"
    assert config.read_text(encoding="utf-8").endswith("\n")
    result = runner.invoke(app, ["plan", "--config", str(config), "--out", str(tmp_path / "o"),
                                 "--json"])
    assert result.exit_code == 0, result.output
    assert set(json.loads(result.stdout)["core_fte"]) == {"chat", "phone"}


def test_plain_init_has_every_channel_and_source(tmp_path):
    result = runner.invoke(app, ["init", str(tmp_path / "plan.toml")])
    assert result.exit_code == 0
    raw = tomllib.loads((tmp_path / "plan.toml").read_text(encoding="utf-8"))
    assert list(raw["queues"]) == ["chat", "email", "phone"]
    assert list(raw["sources"]) == ["inhouse", "nearshore", "offshore"]


def test_as_of_plans_from_an_earlier_date(tmp_path):
    config = write_case(tmp_path / "case")
    result = runner.invoke(app, ["plan", "--config", str(config), "--as-of", "2026-01-15",
                                 "--out", str(tmp_path / "o"), "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["as_of"] == "2026-01-15"
    forecast = pd.read_csv(tmp_path / "o" / "forecast.csv")
    assert forecast["date"].min() == "2026-01-15"


def test_as_of_after_the_history_is_refused(tmp_path):
    config = write_case(tmp_path / "case")
    result = runner.invoke(app, ["plan", "--config", str(config), "--as-of", "2027-01-01",
                                 "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "ends on 2026-03-01" in result.stderr  # 420 days from 2025-01-06
    result = runner.invoke(app, ["plan", "--config", str(config), "--as-of", "soon",
                                 "--out", str(tmp_path / "o")])
    assert result.exit_code == 2 and "--as-of" in result.stderr


def test_version():
    from surgeplan import __version__

    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout.strip() == f"surgeplan {__version__}"

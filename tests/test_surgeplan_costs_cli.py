"""`surgeplan costs` and `surgeplan init`, and `plan` with the optimal core, through CliRunner."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from surgeplan.cli import app
from surgeplan.config import load_config
from surgeplan.schema import default_config_text
from tests.conftest import EXAMPLE

runner = CliRunner()
QUEUES = ["chat", "email", "phone", "tier2"]


def copy_example(folder: Path, *pairs: tuple[str, str]) -> Path:
    """The bundled example copied to ``folder`` with each (old, new) line edit made in plan.toml."""
    shutil.copytree(EXAMPLE, folder)
    path = folder / "plan.toml"
    text = path.read_text(encoding="utf-8")
    for old, new in pairs:
        assert old in text, old
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    return path


# four weeks (the Singles' Day sale inside) keep the run short; the optimal core on a
# 1-FTE grid exercises the policy end to end
SHORT_OPTIMAL = [("horizon_days = 120", "horizon_days = 28"),
                 ('policy = "percentile"', 'policy = "optimal"\noptimal_step_fte = 1.0')]


@pytest.fixture(scope="module")
def planned(tmp_path_factory):
    """(config, plan output folder, plan --json document) of one `plan` run."""
    root = tmp_path_factory.mktemp("costs_cli")
    config = copy_example(root / "example", *SHORT_OPTIMAL)
    out = root / "plan-out"
    result = runner.invoke(app, ["plan", "--config", str(config), "--out", str(out), "--json"])
    assert result.exit_code == 0, result.output
    return config, out, json.loads(result.stdout)


@pytest.fixture(scope="module")
def costed(planned, tmp_path_factory):
    """(output folder, --json document) of `costs` on the plan's folder and config."""
    config, out, _ = planned
    target = tmp_path_factory.mktemp("costs_out")
    result = runner.invoke(app, ["costs", "--config", str(config), "--plan", str(out),
                                 "--out", str(target), "--json"])
    assert result.exit_code == 0, result.output
    return target, result.stdout


def test_plan_with_optimal_policy_writes_the_core_curve(planned):
    _, out, document = planned
    curve = pd.read_csv(out / "core_curve.csv")
    assert list(curve.columns) == ["queue", "core_fte", "total_cost", "shortfall_fte_days",
                                   "optimal"]
    assert curve.groupby("queue")["optimal"].sum().to_dict() == {q: 1 for q in QUEUES}
    chosen = curve[curve["optimal"]].set_index("queue")["core_fte"].to_dict()
    assert chosen == pytest.approx(document["core_fte"])
    # levels on the 1-FTE grid: the programme's choice and the neighbours the plan priced
    assert (curve["core_fte"] % 1 == 0).all() and (curve.groupby("queue").size() >= 2).all()
    # the chosen level is the cheapest of those with the least shortfall
    for queue, rows in curve.groupby("queue"):
        least = rows[rows["shortfall_fte_days"] <= rows["shortfall_fte_days"].min() + 1e-6]
        assert rows.loc[rows["optimal"], "total_cost"].iloc[0] == least["total_cost"].min()
    plan = pd.read_csv(out / "plan.csv")
    assert plan.groupby("queue")["core_fte"].first().to_dict() == pytest.approx(chosen)


def test_costs_reproduces_the_plans_costs(planned, costed):
    _, out, _ = planned
    target, _ = costed
    before = pd.read_csv(out / "costs.csv").set_index("scenario")
    after = pd.read_csv(target / "costs.csv").set_index("scenario")
    assert list(after.index) == list(before.index)
    # intervals.csv and daily_requirements.csv are rounded to 4 decimals on the way out
    for col in ("core_fte", "core_cost", "overtime_cost", "overflow_cost", "activation_cost",
                "total_cost", "understaffed_hours"):
        pd.testing.assert_series_equal(after[col], before[col], rtol=1e-5, atol=0.01,
                                       check_exact=False)
    monthly = pd.read_csv(target / "costs_monthly.csv")
    pd.testing.assert_series_equal(monthly.groupby("scenario")["total_cost"].sum(),
                                   after["total_cost"].sort_index(), rtol=1e-6,
                                   check_names=False)
    assert (target / "costs.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # the plan's own outputs are left alone
    assert not (target / "plan.csv").exists()


def test_costs_json_is_one_document(costed):
    target, stdout = costed
    document = json.loads(stdout)
    assert document["currency"] == "USD"
    table = pd.read_csv(target / "costs.csv")
    assert [s["scenario"] for s in document["scenarios"]] == table["scenario"].tolist()
    for row, entry in zip(table.itertuples(index=False), document["scenarios"]):
        assert entry["total_cost"] == pytest.approx(row.total_cost, abs=1e-3)
        assert entry["total_cost"] == pytest.approx(
            entry["core_cost"] + entry["overtime_cost"] + entry["overflow_cost"]
            + entry["activation_cost"])


def test_costs_with_dearer_nearshore(planned, tmp_path):
    config, out, _ = planned
    dearer = copy_example(tmp_path / "example", *SHORT_OPTIMAL,
                          ("cost_ratio = 0.35", "cost_ratio = 0.5"))
    target = tmp_path / "costs"
    result = runner.invoke(app, ["costs", "--config", str(dearer), "--plan", str(out),
                                 "--out", str(target)])
    assert result.exit_code == 0, result.output
    assert "all nearshore" in result.stdout and "Wrote costs.csv" in result.stdout
    base = pd.read_csv(out / "costs.csv").set_index("scenario")
    new = pd.read_csv(target / "costs.csv").set_index("scenario")
    # the standing nearshore team does the same work at 0.50 instead of 0.35 of the
    # in-house rate: its cost x 0.50 / 0.35; the in-house Tier 2 core is unchanged
    everyone = "all nearshore"
    assert new.loc[everyone, "overflow_cost"] == pytest.approx(
        base.loc[everyone, "overflow_cost"] * 0.5 / 0.35, rel=1e-4)
    assert new.loc[everyone, "core_cost"] == pytest.approx(base.loc[everyone, "core_cost"])
    assert new.loc[everyone, "total_cost"] > base.loc[everyone, "total_cost"]
    mixed = "in-house core + nearshore overflow"
    assert new.loc[mixed, "total_cost"] >= base.loc[mixed, "total_cost"]
    for unchanged in ("all offshore", "all in-house (sized for peak)"):
        assert new.loc[unchanged, "total_cost"] == pytest.approx(base.loc[unchanged, "total_cost"],
                                                                 rel=1e-6)


def test_costs_missing_plan_folder(tmp_path):
    missing = tmp_path / "nowhere"
    result = runner.invoke(app, ["costs", "--plan", str(missing)])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and str(missing) in lines[0] and "surgeplan plan" in lines[0]


def test_costs_plan_folder_without_intervals(planned, tmp_path):
    config, out, _ = planned
    partial = tmp_path / "partial"
    partial.mkdir()
    shutil.copy(out / "daily_requirements.csv", partial)
    result = runner.invoke(app, ["costs", "--config", str(config), "--plan", str(partial)])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "intervals.csv" in lines[0]
    assert not (partial / "costs.csv").exists()


def test_costs_plan_folder_without_daily_requirements(planned, tmp_path):
    config, out, _ = planned
    partial = tmp_path / "partial"
    partial.mkdir()
    shutil.copy(out / "intervals.csv", partial)
    result = runner.invoke(app, ["costs", "--config", str(config), "--plan", str(partial)])
    assert result.exit_code == 2
    assert "daily_requirements.csv" in result.stderr and len(result.stderr.splitlines()) == 1


def test_init_writes_a_config_load_config_accepts(tmp_path):
    path = tmp_path / "plan.toml"
    result = runner.invoke(app, ["init", str(path)])
    assert result.exit_code == 0, result.output
    assert path.read_text(encoding="utf-8") == default_config_text()
    cfg = load_config(path)
    assert [q.target.queue for q in cfg.queues] == ["chat", "email", "phone"]
    assert str(path) in result.stdout


def test_init_refuses_to_overwrite_without_force(tmp_path):
    path = tmp_path / "plan.toml"
    path.write_text("# mine\n", encoding="utf-8")
    result = runner.invoke(app, ["init", str(path)])
    assert result.exit_code == 2
    assert "--force" in result.stderr and str(path) in result.stderr
    assert path.read_text(encoding="utf-8") == "# mine\n"
    result = runner.invoke(app, ["init", str(path), "--force"])
    assert result.exit_code == 0, result.output
    assert path.read_text(encoding="utf-8") == default_config_text()

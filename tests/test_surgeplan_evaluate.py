"""surgeplan evaluate: plans at past dates served with the demand that came."""
from __future__ import annotations

import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from surgeplan.cli import app
from surgeplan.evaluate import EVALUATION_COLUMNS, evaluate_origin, spread_origins
from tests.small_plan import load_case, write_case

runner = CliRunner()


@pytest.fixture(scope="module")
def case(tmp_path_factory):
    path = write_case(tmp_path_factory.mktemp("eval"), queues=("chat", "email", "phone"),
                      horizon_days=21)
    return path, *load_case(path)


@pytest.fixture(scope="module")
def one(case):
    _, history, promos, config = case
    return evaluate_origin(history, promos, config, pd.Timestamp("2026-01-05"))


def test_metrics_have_every_plan_queue_and_the_totals(one):
    m = one.metrics
    assert list(m.columns) == EVALUATION_COLUMNS
    assert set(m["plan"]) == {"product", "oracle", "peak"}
    assert {"chat", "email", "phone", "all"} <= set(m["queue"])
    oracle = m[(m["plan"] == "oracle") & (m["queue"] == "all") & (m["day_type"] == "all")].iloc[0]
    assert oracle["cost_vs_oracle"] == pytest.approx(1.0)


def test_the_oracle_served_its_own_forecast_meets_every_interval(one):
    # the oracle's forecast is the demand that came: staffed to it, every interval is met
    served = one.served[one.served["plan"] == "oracle"]
    assert served["met"].all()


def test_the_oracle_never_serves_worse_than_the_product(one):
    m = one.metrics[(one.metrics["day_type"] == "all")].set_index(["plan", "queue"])
    for queue in ("chat", "email", "phone"):
        assert m.loc[("oracle", queue), "share_met"] >= m.loc[("product", queue), "share_met"]


def test_every_miss_has_a_cause(one):
    missed = one.served[~one.served["met"]]
    assert (missed["cause"] != "").all()
    total = one.metrics[(one.metrics["queue"] == "all") & (one.metrics["day_type"] == "all")]
    causes = [c for c in EVALUATION_COLUMNS if c.startswith("miss_")]
    assert (total[causes].sum(axis=1) == total["intervals"] - total["intervals_met"]).all()


def test_origins_are_spread_and_leave_a_horizon_of_actuals(case):
    _, history, _, config = case
    origins = spread_origins(history, 3, 21)
    last = pd.Timestamp("2026-03-01")  # the small history's last day
    assert origins[-1] == last - pd.Timedelta(days=20)
    assert origins[0] == pd.Timestamp("2025-01-06") + pd.Timedelta(days=365)


def test_evaluate_through_the_cli(case, tmp_path):
    path = case[0]
    result = runner.invoke(app, ["evaluate", "--config", str(path), "--origin", "2026-01-05",
                                 "--out", str(tmp_path / "e"), "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["origins"] == ["2026-01-05"]
    assert (tmp_path / "e" / "evaluation.csv").exists()
    assert "how the plan held" in (tmp_path / "e" / "evaluation.html").read_text()


def test_an_origin_with_no_actuals_after_it_is_refused(case, tmp_path):
    result = runner.invoke(app, ["evaluate", "--config", str(case[0]), "--origin", "2026-02-20",
                                 "--out", str(tmp_path / "e")])
    assert result.exit_code == 2
    assert "--origin 2026-02-20" in result.stderr and "no actuals" in result.stderr

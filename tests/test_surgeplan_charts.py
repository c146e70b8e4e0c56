"""surgeplan.charts: each chart is a Figure built from the frames it is given."""
from __future__ import annotations

import pandas as pd
import pytest
from matplotlib.figure import Figure

from surgeplan import charts
from surgeplan.pipeline import run_plan
from tests.small_plan import load_case, write_case


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    return run_plan(*load_case(write_case(tmp_path_factory.mktemp("small"))))


def test_forecast_chart_draws_history_band_and_p50(result):
    fig = charts.forecast_chart(result.history, result.forecast)
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    labels = [line.get_label() for line in ax.get_lines()]
    assert "history" in labels and "forecast P50" in labels
    p50 = next(line for line in ax.get_lines() if line.get_label() == "forecast P50")
    assert p50.get_ydata().tolist() == pytest.approx(
        result.forecast.groupby("date")["volume_p50"].sum().tolist())


def test_plan_chart_draws_the_required_fte(result):
    fig = charts.plan_chart(result.plan, result.allocation, result.windows)
    required = next(line for line in fig.axes[0].get_lines() if line.get_label() == "required FTE")
    assert required.get_ydata().tolist() == pytest.approx(
        result.plan.groupby("date")["required_fte"].sum().tolist())


def test_windows_timeline_has_a_row_per_window_or_says_none():
    empty = pd.DataFrame(columns=["window", "source", "queue", "start", "end", "notice_by"])
    fig = charts.windows_timeline_chart(empty)
    assert any("no activation windows" in t.get_text() for t in fig.axes[0].texts)
    one = pd.DataFrame({"window": ["W1"], "source": ["nearshore"], "queue": ["chat"],
                        "start": [pd.Timestamp("2026-11-20")], "end": [pd.Timestamp("2026-11-22")],
                        "notice_by": [pd.Timestamp("2026-11-06")]})
    fig = charts.windows_timeline_chart(one, as_of=pd.Timestamp("2026-11-01"))
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["W1 nearshore: chat"]


def test_costs_chart_has_a_bar_per_scenario(result):
    fig = charts.costs_chart(result.costs, "GBP")
    names = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert sorted(names) == sorted(result.costs["scenario"])

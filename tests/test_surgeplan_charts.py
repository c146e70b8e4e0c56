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


def _bar_tops(ax) -> pd.Series:
    """Top of the stacked bars per x (matplotlib date number): the sum of the stack."""
    tops: dict[float, float] = {}
    for patch in ax.patches:
        x = round(patch.get_x() + patch.get_width() / 2, 6)
        tops[x] = tops.get(x, 0.0) + patch.get_height()
    return pd.Series(tops).sort_index()


def test_plan_chart_totals_are_the_plan_tables(result):
    import matplotlib.dates as mdates

    fig = charts.plan_chart(result.plan, result.allocation, result.windows)
    tops = _bar_tops(fig.axes[0])
    by_date = result.plan.groupby("date")[["required_fte", "core_fte"]].sum()
    expected = by_date.max(axis=1)  # core + overtime + overflow + shortfall = max(required, core)
    assert tops.to_numpy() == pytest.approx(expected.to_numpy(), abs=1e-6)
    assert tops.index.to_numpy() == pytest.approx(mdates.date2num(expected.index))


def test_plan_chart_layers_add_up_and_show_the_shortfall():
    plan = pd.DataFrame({"date": pd.to_datetime(["2026-01-01", "2026-01-02"]),
                         "queue": "chat", "required_fte": [5.0, 9.0], "core_fte": [4.0, 4.0],
                         "overtime_fte": [0.4, 0.4], "overflow_fte": [0.6, 3.0],
                         "source": ["P", "P"], "shortfall_fte": [0.0, 1.6],
                         "shortfall_reason": ["", "partner cap: P at its 4 FTE"]})
    allocation = pd.DataFrame({"date": plan["date"], "queue": "chat", "source": "P",
                               "fte": [0.66, 3.3], "work_fte": [0.6, 3.0]})
    layers = charts.plan_layers(plan, allocation)
    assert list(layers.columns) == ["core", "overtime", "overflow: P", "shortfall", "required"]
    # a partner is drawn by the work it covers (0.6 and 3.0), not the FTE paid (0.66, 3.3)
    stack = layers.drop(columns="required").sum(axis=1)
    assert stack.tolist() == pytest.approx([5.0, 9.0])
    fig = charts.plan_chart(plan, allocation, pd.DataFrame(
        {"window": ["W1"], "source": ["P"], "notice_by": [pd.Timestamp("2025-12-20")]}))
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert "shortfall" in labels and "overtime" in labels
    assert any(t.get_text() == "W1 notice" for t in fig.axes[0].texts)


def test_costs_chart_adds_up_to_the_table_with_money_ticks(result):
    fig = charts.costs_chart(result.costs, "USD")
    ax = fig.axes[0]
    widths: dict[float, float] = {}
    for patch in ax.patches:
        y = round(patch.get_y() + patch.get_height() / 2, 6)
        widths[y] = widths.get(y, 0.0) + patch.get_width()
    drawn = [widths[y] for y in sorted(widths)][::-1]  # top bar first: the table's first row
    assert drawn == pytest.approx(result.costs["total_cost"].tolist())
    ticks = [ax.xaxis.get_major_formatter()(v, 0) for v in (0, 1_200_000)]
    assert ticks == [r"\$0", r"\$1.2M"]
    notes = [t.get_text() for t in ax.texts]
    assert all("understaffed h" in n for n in notes) and len(notes) == len(result.costs)


def test_user_names_are_text_in_charts_not_mathtext(result):
    costs = result.costs.assign(scenario=["$x$ plan"] + list(result.costs["scenario"][1:]))
    fig = charts.costs_chart(costs, "USD")
    fig.canvas.draw()  # mathtext would fail or swallow the dollars here
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert r"\$x\$ plan" in labels

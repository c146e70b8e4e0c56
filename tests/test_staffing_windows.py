"""staffing.windows: spans of partner days, and windows of a whole planned scenario."""
from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from staffing.costs import CostInputs, Scenario, plan_scenario
from staffing.plan import ALLOCATION_COLUMNS, CorePolicy
from staffing.sources import Source
from staffing.windows import WINDOW_COLUMNS, activation_windows, window_spans

D0 = pd.Timestamp("2026-03-01")


def T(offset: int) -> pd.Timestamp:
    return D0 + pd.Timedelta(days=offset)


def days(*offsets):
    return [T(d) for d in offsets]


def test_window_spans_empty():
    assert window_spans([], 3) == []
    assert window_spans(pd.DatetimeIndex([]), 1) == []


def test_window_spans_consecutive_days_are_one_span():
    assert window_spans(days(0, 1, 2), 1) == [(T(0), T(2))]


def test_window_spans_unsorted_and_repeated_dates():
    # the same date from two queues counts once; order does not matter
    assert window_spans(days(2, 0, 1, 1, 0), 1) == [(T(0), T(2))]


@pytest.mark.parametrize("gap, expected", [
    (2, [(0, 3)]),           # idle days 1 and 2: two idle days merge
    (1, [(0, 0), (3, 3)]),   # more than one idle day splits
    (0, [(0, 0), (3, 3)]),
])
def test_window_spans_merge_gap(gap, expected):
    assert window_spans(days(0, 3), 1, merge_gap_days=gap) == [(T(a), T(b)) for a, b in expected]


def test_window_spans_extended_to_the_minimum_at_the_end():
    # a single day with a 5-day minimum runs days 0..4
    assert window_spans(days(0), 5) == [(T(0), T(4))]
    # a run longer than the minimum keeps its own end
    assert window_spans(days(0, 1, 2, 3), 2) == [(T(0), T(3))]


def test_window_spans_extension_reaching_the_next_run_merges():
    # runs {0} and {4} are 3 idle days apart (> 2) but the 5-day minimum of the
    # first ends on day 4: one span, then the second run's minimum takes it to day 8
    assert window_spans(days(0, 4), 5, merge_gap_days=2) == [(T(0), T(8))]


def test_window_spans_extension_short_of_the_next_run_stays_apart():
    # {0} extended to day 2 (3-day minimum); {6} is its own span to day 8
    assert window_spans(days(0, 6), 3, merge_gap_days=2) == [(T(0), T(2)), (T(6), T(8))]


@given(st.lists(st.integers(0, 90), min_size=0, max_size=40), st.integers(1, 10),
       st.integers(0, 5))
@settings(max_examples=150, deadline=None)
def test_window_spans_properties(offsets, minimum, gap):
    dates = days(*offsets)
    spans = window_spans(dates, minimum, merge_gap_days=gap)
    for start, end in spans:
        assert (end - start).days + 1 >= minimum       # never shorter than the minimum
        assert start in dates                          # a window starts on a used day
    for (_, end), (start, _) in zip(spans, spans[1:]):
        assert (start - end).days > 1                  # no overlap, not even touching, in order
    for d in dates:                                    # every used day in exactly one span
        assert sum(start <= d <= end for start, end in spans) == 1
    # inside a span, used days more than the merge gap apart were bridged by the
    # minimum activation of an earlier used day reaching them or ending the day before
    for start, end in spans:
        inside = sorted({d for d in dates if start <= d <= end})
        for a, b in zip(inside, inside[1:]):
            assert (b - a).days - 1 <= gap or any((b - x).days <= minimum for x in inside if x < b)


def alloc(rows):
    """rows: (day offset, queue, source, fte)."""
    return pd.DataFrame([(T(d), q, s, f, f, "called") for d, q, s, f in rows],
                        columns=ALLOCATION_COLUMNS)


def test_activation_windows_numbered_by_start_then_source():
    p = Source("P", 20, lead_time_days=3)
    q = Source("Q", 30, lead_time_days=10, min_activation_days=2)
    win = activation_windows(alloc([(5, "chat", "P", 2.0), (0, "chat", "Q", 1.0),
                                    (5, "email", "Q", 0.5)]), [p, q])
    assert list(win.columns) == WINDOW_COLUMNS
    assert list(zip(win["window"], win["source"], win["start"])) == [
        ("W1", "Q", T(0)), ("W2", "P", T(5)), ("W3", "Q", T(5))]
    assert win["notice_by"].tolist() == [T(-10), T(2), T(-5)]
    assert win["days"].tolist() == [2, 1, 2]


def test_activation_windows_empty_allocation():
    win = activation_windows(alloc([]), [Source("P", 20)])
    assert list(win.columns) == WINDOW_COLUMNS and win.empty


def test_activation_windows_strategy_from_the_main_event_type():
    event_days = pd.DataFrame({
        "date": days(0, 1, 2, 3), "name": ["Sale", "Sale", "Peak", "Xmas"],
        "type": ["flash_sale", "flash_sale", "holiday_peak", "public_holiday"],
        "phase": ["event", "event", "event", "event"]})
    win = activation_windows(alloc([(0, "chat", "P", 1.0), (3, "chat", "P", 1.0)]),
                             [Source("P", 20)], days=event_days)
    assert win.loc[0, "reason"] == "Sale; Peak"  # public holidays are not a reason
    assert win.loc[0, "strategy"].startswith("AI triage") and "P overflow" in \
        win.loc[0, "strategy"]
    quiet = activation_windows(alloc([(20, "chat", "P", 1.0)]), [Source("P", 20)],
                               days=event_days)
    assert quiet.loc[0, "reason"] == "demand above core"
    assert quiet.loc[0, "strategy"] == "P overflow above the core team"


# --- windows of a planned scenario, with quality, coverage and ramp on -----------------

source_st = st.builds(
    lambda name, lead, minimum, quality, ramp, cap: Source(
        name, 20.0 if name == "P" else 25.0, lead_time_days=lead, min_activation_days=minimum,
        quality_factor=quality, ramp=tuple(sorted(ramp, reverse=True)), max_fte=cap),
    st.sampled_from(["P", "Q"]), st.integers(0, 10), st.integers(1, 7), st.floats(0.8, 1.5),
    st.lists(st.floats(1, 2), max_size=3), st.one_of(st.just(math.inf), st.floats(0.5, 10)))


@given(required=st.lists(st.floats(0, 15), min_size=1, max_size=30),
       sources=st.lists(source_st, min_size=1, max_size=2, unique_by=lambda s: s.name),
       core=st.floats(0, 8), share=st.floats(0, 1), gap=st.integers(0, 4),
       min_window=st.floats(0, 2))
@settings(max_examples=40, deadline=None)
def test_planned_windows_properties(required, sources, core, share, gap, min_window):
    frame = pd.DataFrame({"date": pd.date_range(D0, periods=len(required)), "queue": "chat",
                          "volume": 10.0, "required_fte": required, "regime": "normal"})
    coverage = pd.DataFrame({"date": frame["date"], "queue": "chat", "source": "P",
                             "share": share})
    inputs = CostInputs((Source("Team", 30, inhouse=True), *sources), as_of=D0,
                        coverage=coverage, merge_gap_days=gap, min_window_fte=min_window)
    scenario = Scenario("s", "Team", CorePolicy("fixed", fixed_fte={"chat": core}),
                        tuple(s.name for s in sources))
    _, plan, allocation, windows = plan_scenario(frame, scenario, inputs)
    by_name = {s.name: s for s in sources}
    for w in windows.itertuples(index=False):
        source = by_name[w.source]
        assert w.days == (w.end - w.start).days + 1 >= source.min_activation_days
        assert w.notice_by == w.start - pd.Timedelta(days=source.lead_time_days)
        assert w.start - pd.Timedelta(days=source.lead_time_days) >= D0  # no day before notice
        assert w.peak_fte >= min_window
    for name, group in windows.groupby("source"):
        group = group.sort_values("start")
        assert (group["start"].iloc[1:].to_numpy() > group["end"].iloc[:-1].to_numpy()).all()
        for day in allocation.loc[allocation["source"] == name, "date"]:
            assert ((group["start"] <= day) & (group["end"] >= day)).sum() == 1
    assert windows["window"].tolist() == [f"W{i + 1}" for i in range(len(windows))]

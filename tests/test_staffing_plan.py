"""staffing.plan: core size, overflow by source, activation windows."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from staffing.plan import ALLOCATION_COLUMNS, PLAN_COLUMNS, CorePolicy, build_plan, core_fte
from staffing.sources import Source
from staffing.windows import WINDOW_COLUMNS, activation_windows

T = pd.Timestamp
D0 = T("2026-01-01")


def daily(required, queue="chat", regimes=None, start=D0):
    dates = pd.date_range(start, periods=len(required), freq="D")
    return pd.DataFrame({"date": dates, "queue": queue, "required_fte": np.asarray(required, float),
                         "regime": regimes if regimes is not None else "normal"})


# --- core_fte ---------------------------------------------------------------------------

def test_core_percentile_over_normal_days_only():
    frame = daily([1, 2, 3, 4, 5, 50], regimes=["normal"] * 5 + ["flash_sale"])
    # numpy linear quantile of [1..5]: 1 + p x 4; p = 0.55 -> 3.2, p = 0.5 -> 3.0
    assert core_fte(frame, CorePolicy("percentile", percentile=0.55))["chat"] == pytest.approx(3.2)
    assert core_fte(frame, CorePolicy("percentile", percentile=0.5))["chat"] == 3.0
    assert core_fte(frame, CorePolicy("percentile", percentile=1.0))["chat"] == 5.0


def test_core_percentile_all_days_when_none_normal_and_rounds_up_to_a_tenth():
    frame = daily([1.01, 1.02], regimes=["holiday_peak"] * 2)
    # max 1.02 -> rounded up to 1.1; never rounded down
    assert core_fte(frame, CorePolicy(percentile=1.0))["chat"] == pytest.approx(1.1)


def test_core_peak_and_fixed_per_queue():
    frame = pd.concat([daily([1, 7.25, 3], "chat", regimes=["normal", "flash_sale", "normal"]),
                       daily([2, 2], "email")], ignore_index=True)
    peak = core_fte(frame, CorePolicy("peak"))
    assert peak["chat"] == pytest.approx(7.3) and peak["email"] == 2.0  # 7.25 up to 7.3
    fixed = core_fte(frame, CorePolicy("fixed", fixed_fte={"chat": 4.0, "email": 1.5}))
    assert fixed.to_dict() == {"chat": 4.0, "email": 1.5}
    with pytest.raises(ValueError, match="email"):
        core_fte(frame, CorePolicy("fixed", fixed_fte={"chat": 4.0}))


@pytest.mark.parametrize("kwargs, name", [
    ({"method": "median"}, "method"), ({"percentile": 1.2}, "percentile"),
    ({"overtime_fraction": -0.1}, "overtime_fraction"), ({"overtime_premium": 0.9},
                                                         "overtime_premium")])
def test_core_policy_validation(kwargs, name):
    with pytest.raises(ValueError, match=name):
        CorePolicy(**kwargs)


def test_source_validation():
    with pytest.raises(ValueError, match="hourly_cost"):
        Source("x", -1.0)
    with pytest.raises(ValueError, match="lead_time_days"):
        Source("x", 1.0, lead_time_days=-1)
    with pytest.raises(ValueError, match="max_fte"):
        Source("x", 1.0, max_fte=0)


# --- build_plan ------------------------------------------------------------------------

CHEAP = Source("Cheap", hourly_cost=20, max_fte=4)
DEAR = Source("Dear", hourly_cost=40)
TEAM = Source("Team", hourly_cost=10, inhouse=True)


def by_date(plan):
    return plan.set_index("date")


def test_build_plan_cheapest_first_and_cap_spills_to_next():
    plan, alloc = build_plan(daily([5, 8, 12, 20]), pd.Series({"chat": 6.0}),
                             [DEAR, TEAM, CHEAP], as_of=D0)
    assert list(plan.columns) == PLAN_COLUMNS and list(alloc.columns) == ALLOCATION_COLUMNS
    p = by_date(plan)
    # required - core: 0, 2, 6, 14; Cheap takes up to 4, Dear the rest; Team (in-house) never
    assert p["overflow_fte"].tolist() == [0.0, 2.0, 6.0, 14.0]
    assert p["source"].tolist() == ["", "Cheap", "Cheap+Dear", "Cheap+Dear"]
    assert (p["shortfall_fte"] == 0).all() and (p["overtime_fte"] == 0).all()
    assert (p["core_fte"] == 6.0).all()
    got = {(d, s): f for d, _, s, f, _, _ in alloc.itertuples(index=False)}
    assert got == {(D0 + pd.Timedelta(days=1), "Cheap"): 2.0,
                   (D0 + pd.Timedelta(days=2), "Cheap"): 4.0,
                   (D0 + pd.Timedelta(days=2), "Dear"): 2.0,
                   (D0 + pd.Timedelta(days=3), "Cheap"): 4.0,
                   (D0 + pd.Timedelta(days=3), "Dear"): 10.0}


def test_build_plan_lead_time_turns_early_days_into_shortfall():
    slow = Source("Slow", hourly_cost=5, lead_time_days=3)
    plan, alloc = build_plan(daily([10, 10, 10, 10, 10]), pd.Series({"chat": 4.0}),
                             [slow], as_of=D0)
    p = by_date(plan)
    # days before 01-01 + 3 days = 01-04 cannot be served: 6 FTE short each
    assert p["shortfall_fte"].tolist() == [6.0, 6.0, 6.0, 0.0, 0.0]
    assert p["overflow_fte"].tolist() == [0.0, 0.0, 0.0, 6.0, 6.0]
    assert alloc["date"].min() == T("2026-01-04")


def test_build_plan_lead_time_falls_back_to_a_dearer_quick_source():
    slow_cheap = Source("SlowCheap", hourly_cost=5, lead_time_days=2)
    plan, _ = build_plan(daily([10, 10, 10]), pd.Series({"chat": 4.0}), [slow_cheap, DEAR],
                         as_of=D0)
    assert by_date(plan)["source"].tolist() == ["Dear", "Dear", "SlowCheap"]


def test_build_plan_overtime_before_overflow():
    plan, _ = build_plan(daily([5, 8, 12]), pd.Series({"chat": 6.0}), [CHEAP, DEAR], as_of=D0,
                         overtime_fraction=0.5)
    p = by_date(plan)
    # overtime up to 6 x 0.5 = 3: above 0 / 2 / 6 -> overtime 0 / 2 / 3, overflow 0 / 0 / 3
    assert p["overtime_fte"].tolist() == [0.0, 2.0, 3.0]
    assert p["overflow_fte"].tolist() == [0.0, 0.0, 3.0]
    assert p["source"].tolist() == ["", "", "Cheap"]


def test_build_plan_queue_restriction_and_shared_daily_cap():
    email_only = Source("EmailCo", hourly_cost=10, max_fte=4, queues=("email",))
    frame = pd.concat([daily([9], "chat"), daily([9], "email"), daily([9], "phone")],
                      ignore_index=True)
    plan, alloc = build_plan(frame, pd.Series({"chat": 6.0, "email": 6.0, "phone": 6.0}),
                             [email_only, CHEAP], as_of=D0)
    got = {(q, s): f for _, q, s, f, _, _ in alloc.itertuples(index=False)}
    # chat: 3 from Cheap (EmailCo may not serve it); email: 3 from EmailCo;
    # phone: Cheap has 4 - 3 = 1 left that day, so 1 FTE of phone is short
    assert got == {("chat", "Cheap"): 3.0, ("email", "EmailCo"): 3.0, ("phone", "Cheap"): 1.0}
    p = plan.set_index("queue")
    assert p.loc["phone", "shortfall_fte"] == 2.0
    assert p.loc["chat", "source"] == "Cheap" and p.loc["email", "source"] == "EmailCo"


sources_st = st.lists(
    st.builds(lambda i, cost, lead, cap: Source(f"S{i}", cost, lead_time_days=lead, max_fte=cap),
              st.integers(0, 99), st.floats(0, 100), st.integers(0, 5),
              st.one_of(st.just(math.inf), st.floats(0.5, 20))),
    min_size=0, max_size=4, unique_by=lambda s: s.name)


@given(required=st.lists(st.floats(0, 50), min_size=1, max_size=10),
       core=st.floats(0, 30), extra=st.floats(0, 20), sources=sources_st,
       overtime=st.floats(0, 1))
@settings(max_examples=60, deadline=None)
def test_build_plan_properties(required, core, extra, sources, overtime):
    frame = daily(required)
    plan, alloc = build_plan(frame, pd.Series({"chat": core}), sources, as_of=D0,
                             overtime_fraction=overtime)
    above = plan["required_fte"] > plan["core_fte"]
    total = plan["core_fte"] + plan["overtime_fte"] + plan["overflow_fte"] + plan["shortfall_fte"]
    np.testing.assert_allclose(total[above], plan["required_fte"][above], atol=1e-9)
    assert (plan.loc[~above, ["overtime_fte", "overflow_fte", "shortfall_fte"]] == 0).all().all()
    assert (plan[["overtime_fte", "overflow_fte", "shortfall_fte"]] >= 0).all().all()
    # allocation adds up to the overflow, and no source exceeds its cap on a day
    allocated = alloc.astype({"fte": float}).groupby("date")["fte"].sum()
    np.testing.assert_allclose(allocated.reindex(plan["date"], fill_value=0.0).to_numpy(float),
                               plan["overflow_fte"], atol=1e-9)
    caps = {s.name: s.max_fte for s in sources}
    assert (alloc.groupby(["date", "source"])["fte"].sum()
            <= alloc.groupby(["date", "source"])["source"].first().map(caps) + 1e-9).all()
    # more core never means more overflow (or more shortfall)
    bigger, _ = build_plan(frame, pd.Series({"chat": core + extra}), sources, as_of=D0,
                           overtime_fraction=overtime)
    assert (bigger["overflow_fte"] <= plan["overflow_fte"] + 1e-9).all()
    assert (bigger["shortfall_fte"] <= plan["shortfall_fte"] + 1e-9).all()


# --- activation_windows ----------------------------------------------------------------

def allocation(rows):
    """rows: (day offset from D0, queue, source, fte)."""
    return pd.DataFrame([(D0 + pd.Timedelta(days=d), q, s, f, f, "called") for d, q, s, f in rows],
                        columns=ALLOCATION_COLUMNS)


def test_activation_windows_hand_checked():
    partner = Source("P", 30, lead_time_days=7, min_activation_days=3)
    alloc = allocation([(0, "chat", "P", 1.0), (1, "chat", "P", 2.0), (1, "email", "P", 1.5),
                        (4, "chat", "P", 0.5),   # idle gap 2 days (01-03, 01-04): merged
                        (10, "chat", "P", 4.0)])  # idle gap 5 days: a new window
    win = activation_windows(alloc, [partner], merge_gap_days=2)
    assert list(win.columns) == WINDOW_COLUMNS
    assert win["window"].tolist() == ["W1", "W2"]
    w1, w2 = win.iloc[0], win.iloc[1]
    assert (w1["start"], w1["end"]) == (T("2026-01-01"), T("2026-01-05"))
    assert w1["queue"] == "chat,email"
    assert w1["peak_fte"] == 3.5               # 01-02: 2.0 + 1.5
    assert w1["fte_days"] == 5.0               # 1 + 3.5 + 0.5
    assert w1["notice_by"] == T("2025-12-25")  # 01-01 - 7 days
    # W2 is one day, extended to the 3-day minimum at its end
    assert (w2["start"], w2["end"]) == (T("2026-01-11"), T("2026-01-13"))
    assert (w2["peak_fte"], w2["fte_days"]) == (4.0, 4.0)
    assert w2["notice_by"] == T("2026-01-04")


def test_activation_windows_gap_larger_than_merge_gap_splits():
    alloc = allocation([(0, "chat", "P", 1.0), (3, "chat", "P", 1.0)])  # idle 2 days
    assert len(activation_windows(alloc, [Source("P", 1)], merge_gap_days=1)) == 2
    assert len(activation_windows(alloc, [Source("P", 1)], merge_gap_days=2)) == 1


def test_activation_windows_extension_does_not_overlap_next_run():
    # days 0 and 4 are separate runs (3 idle days > 2) but the 5-day minimum of the
    # first reaches day 4: one window 01-01..01-09, the overlap day paid once
    alloc = allocation([(0, "chat", "P", 1.0), (4, "chat", "P", 2.0)])
    win = activation_windows(alloc, [Source("P", 30, min_activation_days=5)])
    assert len(win) == 1
    assert (win.loc[0, "start"], win.loc[0, "end"]) == (T("2026-01-01"), T("2026-01-09"))
    assert win.loc[0, "fte_days"] == 3.0  # 1 + 2


def test_activation_windows_reason_from_event_days():
    days = pd.DataFrame({"date": [D0, D0 + pd.Timedelta(days=1)], "name": ["Sale", "Sale"],
                         "type": ["flash_sale", "flash_sale"], "phase": ["event", "post"]})
    win = activation_windows(allocation([(0, "chat", "P", 1.0)]), [Source("P", 1)], days=days)
    assert win.loc[0, "reason"] == "Sale"
    assert "P overflow" in win.loc[0, "strategy"]


@given(st.lists(st.tuples(st.integers(0, 60), st.sampled_from(["P", "Q"]),
                          st.floats(0.1, 10)), min_size=1, max_size=30),
       st.integers(1, 10), st.integers(1, 10), st.integers(0, 5), st.integers(0, 14))
@settings(max_examples=60, deadline=None)
def test_activation_windows_properties(rows, min_p, min_q, gap, lead):
    sources = [Source("P", 20, lead_time_days=lead, min_activation_days=min_p),
               Source("Q", 30, lead_time_days=0, min_activation_days=min_q)]
    alloc = allocation([(d, "chat", s, f) for d, s, f in rows])
    win = activation_windows(alloc, sources, merge_gap_days=gap)
    minimum = {"P": min_p, "Q": min_q}
    leads = {"P": lead, "Q": 0}
    for w in win.itertuples(index=False):
        assert (w.end - w.start).days + 1 >= minimum[w.source]
        assert w.notice_by == w.start - pd.Timedelta(days=leads[w.source])
    for name, group in win.groupby("source"):
        group = group.sort_values("start")
        assert (group["start"].iloc[1:].to_numpy() > group["end"].iloc[:-1].to_numpy()).all()
        # every day the source is used lies in exactly one of its windows
        used = alloc.loc[alloc["source"] == name, "date"]
        for day in used:
            assert ((group["start"] <= day) & (group["end"] >= day)).sum() == 1
        # fte_days over the windows is the source's total FTE-days (up to rounding)
        assert group["fte_days"].sum() == pytest.approx(
            alloc.loc[alloc["source"] == name, "fte"].sum(), abs=0.01 * len(group))


def test_ramp_must_be_a_learning_curve():
    # a team gets faster in its first days, not slower: multipliers >= 1 that never rise
    assert Source("P", 20, ramp=(1.4, 1.2, 1.2, 1.0)).ramp == (1.4, 1.2, 1.2, 1.0)
    for bad in [(0.9,), (1.1, 1.3), (1.2, 1.0, 1.1)]:
        with pytest.raises(ValueError, match="ramp"):
            Source("P", 20, ramp=bad)

"""staffing.way_out: the ways to cover an in-house-only queue, hand-computed."""
from __future__ import annotations

import pandas as pd
import pytest

from staffing.sources import Source
from staffing.way_out import OPTION_COLUMNS, way_out

D0 = pd.Timestamp("2026-11-01")
TEAM = Source("team", hourly_cost=40, lead_time_days=10, inhouse=True)


def plan(short, core=2.0, overtime=0.2):
    n = len(short)
    return pd.DataFrame({"date": pd.date_range(D0, periods=n), "queue": "tier2",
                         "core_fte": core, "overtime_fte": overtime,
                         "shortfall_fte": list(short)})


def test_no_shortfall_no_options():
    assert way_out(plan([0.0, 0.01]), "tier2", TEAM, [], D0).empty


def test_overtime_hire_and_partner_hand_computed():
    # 14 days; short 3 FTE on days 11 and 12 (0-based), 1 FTE on day 13
    short = [0.0] * 11 + [3.0, 3.0, 1.0]
    bpo = Source("bpo", hourly_cost=20, lead_time_days=12, activation_cost=500,
                 quality_factor=1.25)
    out = way_out(plan(short), "tier2", TEAM, [bpo], D0)
    assert list(out.columns) == OPTION_COLUMNS
    out = out.set_index("option")
    # overtime: the core (2 FTE) may stretch by 0.5 x 2 = 1 FTE, 0.2 already worked: 0.8 a day
    ot = out.loc["overtime"]
    assert ot["fte_days_covered"] == pytest.approx(0.8 * 3)
    assert ot["cost"] == pytest.approx(0.8 * 3 * 8 * 40 * 1.5)
    assert ot["fte_days_left"] == pytest.approx(7.0 - 2.4)
    # temporary hire: from day 10 (lead time) to day 13, the 0.9 quantile of [3, 3, 1] = 3 FTE
    hire = out.loc["temporary hire"]
    assert hire["start"] == D0 + pd.Timedelta(days=11)  # the first short day, after day 10
    assert hire["decide_by"] == D0 + pd.Timedelta(days=1)
    assert hire["fte"] == pytest.approx(3.0)
    assert hire["cost"] == pytest.approx(3.0 * 3 * 8 * 40)   # 3 FTE paid on 3 days
    assert hire["fte_days_covered"] == pytest.approx(7.0) and hire["fte_days_left"] == 0.0
    # the partner is ready from day 12: days 12 and 13 (3 + 1 FTE-days), one run
    partner = out.loc["partner bpo"]
    assert partner["fte_days_covered"] == pytest.approx(4.0)
    assert partner["cost"] == pytest.approx(4.0 * 1.25 * 8 * 20 + 500)
    assert partner["fte_days_left"] == pytest.approx(3.0)

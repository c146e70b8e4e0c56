"""staffing.workload: deflection shares, deflected volumes, Tier 2 escalations and savings."""
from __future__ import annotations

import pandas as pd
import pytest

from staffing.workload import (DEFLECTION_COLUMNS, deflect, deflection_savings,
                               deflection_shares, escalation_volume, shares_per_day)

D0 = pd.Timestamp("2026-05-04")
MIX = pd.DataFrame({
    "queue": ["chat", "chat", "chat", "email", "email", "phone"],
    "category": ["wismo", "returns", "other", "wismo", "other", "other"],
    "share": [0.5, 0.3, 0.2, 0.25, 0.75, 1.0]})


def volumes():
    return pd.DataFrame({"date": [D0, D0, D0, D0 + pd.Timedelta(days=1),
                                  D0 + pd.Timedelta(days=1), D0 + pd.Timedelta(days=1)],
                         "queue": ["chat", "email", "phone"] * 2,
                         "volume": [100.0, 40.0, 60.0, 200.0, 80.0, 20.0],
                         "volume_p90": [150.0, 50.0, 70.0, 250.0, 90.0, 30.0]})


def test_deflection_shares_hand_computed():
    shares = deflection_shares(MIX, {"wismo": 0.4, "returns": 0.1})
    # chat 0.5 x 0.4 + 0.3 x 0.1 = 0.23; email 0.25 x 0.4 = 0.1; phone has neither: 0
    assert shares.to_dict() == pytest.approx({"chat": 0.23, "email": 0.1, "phone": 0.0})
    assert shares.name == "deflected_share"


def test_deflection_shares_no_rates_and_no_mix():
    assert deflection_shares(MIX, {}).to_dict() == {"chat": 0.0, "email": 0.0, "phone": 0.0}
    assert deflection_shares(MIX.iloc[:0], {"wismo": 0.5}).empty


@pytest.mark.parametrize("rate", [-0.1, 1.5])
def test_deflection_shares_rejects_a_rate_outside_0_1(rate):
    with pytest.raises(ValueError, match="wismo"):
        deflection_shares(MIX, {"wismo": rate})


def test_deflect_removes_the_share_and_leaves_the_input_alone():
    frame = volumes()
    before = frame.copy()
    out = deflect(frame, pd.Series({"chat": 0.25, "email": 0.5}), ["volume", "volume_p90"])
    pd.testing.assert_frame_equal(frame, before)
    assert out is not frame
    # chat x 0.75, email x 0.5, phone (no share) x 1
    assert out["volume"].tolist() == pytest.approx([75.0, 20.0, 60.0, 150.0, 40.0, 20.0])
    assert out["volume_p90"].tolist() == pytest.approx([112.5, 25.0, 70.0, 187.5, 45.0, 30.0])
    # columns not named are untouched
    only = deflect(frame, pd.Series({"chat": 0.25}))  # volume alone by default
    pd.testing.assert_series_equal(only["volume_p90"], frame["volume_p90"])


def test_escalation_volume_is_share_of_each_days_total():
    out = escalation_volume(volumes(), 0.05, "tier2")
    assert list(out.columns) == ["date", "queue", "volume"]
    assert out["queue"].tolist() == ["tier2", "tier2"]
    # day 1: (100 + 40 + 60) x 0.05 = 10; day 2: (200 + 80 + 20) x 0.05 = 15
    assert out["date"].tolist() == [D0, D0 + pd.Timedelta(days=1)]
    assert out["volume"].tolist() == pytest.approx([10.0, 15.0])
    assert escalation_volume(volumes(), 0.0, "t2")["volume"].tolist() == [0, 0]


@pytest.mark.parametrize("share", [-0.01, 1.0, 1.5])
def test_escalation_volume_rejects_a_share_outside_0_1(share):
    with pytest.raises(ValueError, match="share"):
        escalation_volume(volumes(), share, "tier2")


def test_deflection_savings_hand_computed():
    shares = pd.Series({"chat": 0.2}, name="deflected_share")
    forecast = volumes()
    without = pd.DataFrame({"date": forecast["date"], "queue": forecast["queue"],
                            "required_fte": [10.0, 4.0, 6.0, 12.0, 5.0, 3.0]})
    with_deflection = without.assign(required_fte=[8.0, 4.0, 6.0, 9.5, 5.0, 3.0])
    out = deflection_savings(shares, forecast, with_deflection, without,
                             paid_hours_per_fte_day=8.0, hourly_cost=30.0)
    assert list(out.columns) == DEFLECTION_COLUMNS
    got = out.set_index("queue")
    assert list(got.index) == ["chat", "email", "phone"]
    assert got["deflected_share"].tolist() == pytest.approx([0.2, 0.0, 0.0])
    # chat: (100 + 200) x 0.2 = 60 contacts; (10 + 12) - (8 + 9.5) = 4.5 FTE-days;
    # 4.5 x 8 h x 30 = 1080
    assert got.loc["chat", "contacts_deflected"] == pytest.approx(60.0)
    assert got.loc["chat", "fte_days_saved"] == pytest.approx(4.5)
    assert got.loc["chat", "cost_saved"] == pytest.approx(1080.0)
    assert got.loc[["email", "phone"], ["contacts_deflected", "fte_days_saved",
                                        "cost_saved"]].to_numpy().tolist() == [[0, 0, 0]] * 2


def test_shares_per_day_take_each_days_type_and_normal_where_a_type_has_none():
    mix = pd.concat([MIX.assign(day_type="normal"),
                     MIX[MIX["queue"] == "chat"].assign(day_type="flash_sale",
                                                        share=[0.1, 0.6, 0.3])])
    by_type = deflection_shares(mix, {"wismo": 0.4})
    assert by_type[("chat", "flash_sale")] == pytest.approx(0.04)  # 0.1 x 0.4
    kinds = pd.Series(["normal", "flash_sale"], index=[D0, D0 + pd.Timedelta(days=1)])
    daily = shares_per_day(by_type, kinds)
    assert daily[(D0, "chat")] == pytest.approx(0.2)  # 0.5 x 0.4 on a normal day
    assert daily[(D0 + pd.Timedelta(days=1), "chat")] == pytest.approx(0.04)
    assert daily[(D0 + pd.Timedelta(days=1), "email")] == pytest.approx(0.1)  # normal's
    out = deflect(volumes(), daily)
    # chat 100 x 0.8, 200 x 0.96; email 40 x 0.9, 80 x 0.9; phone untouched
    assert out["volume"].tolist() == pytest.approx([80.0, 36.0, 60.0, 192.0, 72.0, 20.0])


def test_deflection_savings_count_each_days_share():
    daily = pd.Series([0.5, 0.25], name="deflected_share", index=pd.MultiIndex.from_tuples(
        [(D0, "chat"), (D0 + pd.Timedelta(days=1), "chat")], names=["date", "queue"]))
    same = pd.DataFrame({"date": volumes()["date"], "queue": volumes()["queue"],
                         "required_fte": 1.0})
    out = deflection_savings(daily, volumes(), same, same, 8.0, 30.0).set_index("queue")
    # 100 x 0.5 + 200 x 0.25 = 100 contacts of 300: a share of 1/3
    assert out.loc["chat", "contacts_deflected"] == pytest.approx(100.0)
    assert out.loc["chat", "deflected_share"] == pytest.approx(1 / 3)


def test_deflect_refuses_shares_per_day_type_it_cannot_place_on_dates():
    by_type = deflection_shares(MIX.assign(day_type="normal"), {"wismo": 0.4})
    with pytest.raises(ValueError, match="shares_per_day"):
        deflect(volumes(), by_type)


def test_deflection_shares_per_every_key_of_the_mix_in_its_order():
    day = MIX[MIX["queue"] == "chat"].assign(date=D0)[["date", "queue", "category", "share"]]
    shares = deflection_shares(day, {"wismo": 0.4, "returns": 0.1})
    assert list(shares.index.names) == ["date", "queue"]  # as deflect reads per-day shares
    assert shares[(D0, "chat")] == pytest.approx(0.5 * 0.4 + 0.3 * 0.1)

"""forecast.history: daily volume on a complete calendar, category mix, interval counts."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forecast.history import category_mix, daily_volume, interval_counts

TZ = "America/New_York"
T = pd.Timestamp


def tickets(stamps, channels=None, categories=None, tz=TZ):
    frame = pd.DataFrame({"created_at": pd.DatetimeIndex(pd.to_datetime(stamps)).tz_localize(tz)})
    frame["channel"] = channels if channels is not None else "chat"
    frame["category"] = categories if categories is not None else "unknown"
    return frame


def test_daily_form_missing_days_are_nan_not_zero():
    daily = pd.DataFrame({"date": pd.to_datetime(["2026-01-01", "2026-01-04", "2026-01-01"]),
                          "volume": [5.0, 7.0, 2.0], "channel": ["chat", "chat", "email"]})
    out = daily_volume(daily)
    assert list(out.columns) == ["date", "queue", "volume"]
    chat = out[out["queue"] == "chat"].set_index("date")["volume"]
    email = out[out["queue"] == "email"].set_index("date")["volume"]
    assert list(chat.index) == list(pd.date_range("2026-01-01", "2026-01-04"))
    assert chat.iloc[0] == 5.0 and chat.iloc[3] == 7.0
    assert chat.iloc[1:3].isna().all()
    assert email.iloc[0] == 2.0 and email.iloc[1:].isna().all()


def test_daily_form_sums_categories_within_queue():
    daily = pd.DataFrame({"date": pd.to_datetime(["2026-01-01"] * 2), "volume": [5.0, 3.0],
                          "channel": ["chat"] * 2, "category": ["a", "b"]})
    out = daily_volume(daily)
    assert out["volume"].tolist() == [8.0]  # 5 + 3


def test_ticket_form_zero_days_are_zero_and_local_dates():
    stamps = ["2026-01-01 09:00", "2026-01-01 23:30", "2026-01-03 00:10"]
    out = daily_volume(tickets(stamps))
    # local dates: 01-01 has 2, 01-02 none (0, not NaN), 01-03 has 1
    assert out["date"].tolist() == list(pd.date_range("2026-01-01", "2026-01-03"))
    assert out["volume"].tolist() == [2.0, 0.0, 1.0]
    assert (out["queue"] == "chat").all()


def test_ticket_form_without_queue_key_is_all():
    frame = tickets(["2026-01-01 09:00"]).drop(columns="channel")
    assert daily_volume(frame)["queue"].tolist() == ["all"]


@given(st.lists(st.tuples(st.integers(0, 20 * 24 * 60 - 1), st.sampled_from(["chat", "email"])),
                min_size=1, max_size=60))
@settings(max_examples=40, deadline=None)
def test_ticket_form_counts_every_ticket_once(rows):
    stamps = [T("2026-03-01") + pd.Timedelta(minutes=m) for m, _ in rows]
    frame = tickets(stamps, channels=[c for _, c in rows])
    out = daily_volume(frame)
    assert out["volume"].sum() == len(rows)
    assert not out["volume"].isna().any()
    per_queue = out.groupby("queue")["volume"].sum()
    for queue in set(c for _, c in rows):
        assert per_queue[queue] == sum(1 for _, c in rows if c == queue)


def test_category_mix_ticket_form_hand_checked():
    frame = tickets(["2026-01-01 09:00"] * 4 + ["2026-01-01 10:00"] * 2,
                    channels=["chat"] * 4 + ["email"] * 2,
                    categories=["refund", "refund", "refund", "wismo", "wismo", "other"])
    mix = category_mix(frame).set_index(["queue", "category"])["share"]
    assert mix[("chat", "refund")] == 0.75 and mix[("chat", "wismo")] == 0.25  # 3/4, 1/4
    assert mix[("email", "wismo")] == 0.5 and mix[("email", "other")] == 0.5


def test_category_mix_uses_only_last_days():
    frame = tickets(["2026-01-01 09:00", "2026-03-01 09:00", "2026-03-02 09:00"],
                    categories=["old", "new", "new"])
    mix = category_mix(frame, last_days=7)
    assert mix["category"].tolist() == ["new"] and mix["share"].tolist() == [1.0]


def test_category_mix_daily_form_weights_by_volume():
    daily = pd.DataFrame({"date": pd.to_datetime(["2026-01-01"] * 2 + ["2026-01-02"]),
                          "volume": [6.0, 2.0, 2.0], "channel": "chat",
                          "category": ["a", "b", "b"]})
    mix = category_mix(daily).set_index("category")["share"]
    assert mix["a"] == 0.6 and mix["b"] == 0.4  # 6/10, (2+2)/10


def test_category_mix_without_category_is_empty():
    assert category_mix(tickets(["2026-01-01 09:00"]).drop(columns="category")).empty


@given(st.lists(st.tuples(st.integers(0, 30 * 24 * 60), st.sampled_from(["chat", "email"]),
                          st.sampled_from(["a", "b", "c"])), min_size=1, max_size=80))
@settings(max_examples=40, deadline=None)
def test_category_mix_shares_sum_to_one_per_queue(rows):
    frame = tickets([T("2026-03-01") + pd.Timedelta(minutes=m) for m, _, _ in rows],
                    channels=[c for _, c, _ in rows], categories=[k for _, _, k in rows])
    mix = category_mix(frame)
    assert ((mix["share"] > 0) & (mix["share"] <= 1)).all()
    np.testing.assert_allclose(mix.groupby("queue")["share"].sum(), 1.0)


def test_category_mix_per_day_type_hand_computed():
    # 100 normal days of 10 contacts, half wismo; one flash sale long ago: 1,000 contacts,
    # 100 of them wismo; echo days are planned but never seen
    normal = pd.date_range("2026-01-01", periods=100)
    sale = pd.Timestamp("2025-06-01")
    daily = pd.DataFrame({
        "date": [*normal.repeat(2), sale, sale], "channel": "chat",
        "category": ["wismo", "other"] * 100 + ["wismo", "other"],
        "volume": [5.0, 5.0] * 100 + [100.0, 900.0]})
    kinds = pd.Series("normal", index=pd.date_range("2025-06-01", "2026-05-01"))
    kinds[sale] = "flash_sale"
    kinds[pd.Timestamp("2026-04-20")] = "echo"
    mix = category_mix(daily, last_days=56, day_type=kinds)
    share = mix.set_index(["queue", "day_type", "category"])["share"]
    # the recent mix is 0.5/0.5 over 560 contacts; a type's mix adds 500 contacts of it
    assert share[("chat", "flash_sale", "wismo")] == pytest.approx((100 + 250) / 1500)
    assert share[("chat", "normal", "wismo")] == pytest.approx(0.5)
    assert share[("chat", "echo", "wismo")] == pytest.approx(0.5)  # never seen: the recent mix
    np.testing.assert_allclose(mix.groupby(["queue", "day_type"])["share"].sum(), 1.0)


def test_category_mix_per_day_type_of_a_history_without_categories_is_empty():
    kinds = pd.Series("normal", index=pd.date_range("2026-01-01", periods=3))
    mix = category_mix(tickets(["2026-01-01 09:00"]).drop(columns="category"), day_type=kinds)
    assert mix.empty and list(mix.columns) == ["queue", "day_type", "category", "share"]


def test_interval_counts_labels_interval_start():
    frame = tickets(["2026-01-05 09:00:00", "2026-01-05 09:29:59", "2026-01-05 09:30:00",
                     "2026-01-05 09:10:00"], channels=["chat", "chat", "chat", "email"])
    out = interval_counts(frame, 30)
    got = {(ts.tz_localize(None), q): v for ts, q, v in out.itertuples(index=False)}
    assert got == {(T("2026-01-05 09:00"), "chat"): 2, (T("2026-01-05 09:30"), "chat"): 1,
                   (T("2026-01-05 09:00"), "email"): 1}
    assert str(out["interval_start"].dt.tz) == TZ


def test_interval_counts_hourly_and_total():
    frame = tickets(["2026-01-05 09:00", "2026-01-05 09:59", "2026-01-05 11:15"])
    out = interval_counts(frame, 60)
    assert out["volume"].tolist() == [2, 1]
    assert [t.hour for t in out["interval_start"]] == [9, 11]

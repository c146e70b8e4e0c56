"""calendars.events: event windows, retail peaks, public holidays, regimes and features."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calendars.events import (EVENT_DAY_COLUMNS, event_days, event_features, holiday_events,
                              public_holidays, regime_per_day, retail_peaks)

T = pd.Timestamp


def promos(*rows):
    """rows: (name, type, start, end, pre_days, post_days[, uplift])."""
    frame = pd.DataFrame([r[:6] for r in rows],
                         columns=["name", "type", "start", "end", "pre_days", "post_days"])
    frame["start"] = pd.to_datetime(frame["start"])
    frame["end"] = pd.to_datetime(frame["end"])
    frame["uplift"] = [r[6] if len(r) > 6 else np.nan for r in rows]
    frame["channels"] = [()] * len(frame)
    return frame


def test_event_days_windows_hand_checked():
    days = event_days(promos(("Sale", "flash_sale", "2026-03-10", "2026-03-11", 2, 2, 6.0)))
    assert list(days.columns) == EVENT_DAY_COLUMNS
    got = list(zip(days["date"], days["phase"], days["offset_days"]))
    # pre: start-2, start-1; event: start (0), end (1); post: end+1 (1), end+2 (2)
    assert got == [(T("2026-03-08"), "pre", -2), (T("2026-03-09"), "pre", -1),
                   (T("2026-03-10"), "event", 0), (T("2026-03-11"), "event", 1),
                   (T("2026-03-12"), "post", 1), (T("2026-03-13"), "post", 2)]
    assert (days["event_start"] == T("2026-03-10")).all()
    assert (days["uplift"] == 6.0).all()
    assert (days["name"] == "Sale").all() and (days["type"] == "flash_sale").all()


def test_event_days_across_month_end_and_several_events_sorted():
    days = event_days(promos(("B", "promotion", "2026-02-27", "2026-03-01", 0, 1),
                             ("A", "closure", "2026-02-28", "2026-02-28", 1, 0)))
    # B: 02-27, 02-28, 03-01 events, 03-02 post 1; A: 02-27 pre -1, 02-28 event 0
    got = list(zip(days["date"], days["name"], days["phase"], days["offset_days"]))
    assert got == [(T("2026-02-27"), "A", "pre", -1), (T("2026-02-27"), "B", "event", 0),
                   (T("2026-02-28"), "A", "event", 0), (T("2026-02-28"), "B", "event", 1),
                   (T("2026-03-01"), "B", "event", 2), (T("2026-03-02"), "B", "post", 1)]


@given(start=st.dates(min_value=pd.Timestamp("2020-01-01").date(),
                      max_value=pd.Timestamp("2030-12-31").date()),
       duration=st.integers(1, 10), pre=st.integers(0, 5), post=st.integers(0, 5))
@settings(max_examples=40, deadline=None)
def test_event_days_row_count_and_span(start, duration, pre, post):
    start = pd.Timestamp(start)
    end = start + pd.Timedelta(days=duration - 1)
    days = event_days(promos(("E", "promotion", start, end, pre, post)))
    assert len(days) == pre + duration + post
    assert days["date"].min() == start - pd.Timedelta(days=pre)
    assert days["date"].max() == end + pd.Timedelta(days=post)
    assert days["date"].is_unique
    assert (days["phase"] == "event").sum() == duration


def test_retail_peaks_2026():
    peaks = retail_peaks(2026).set_index("name")
    # US Thanksgiving 2026 is Thursday 26 November
    assert peaks.loc["Black Friday", "start"] == T("2026-11-27")
    assert peaks.loc["Cyber Monday", "start"] == T("2026-11-30")
    assert peaks.loc["Singles' Day", "start"] == T("2026-11-11")
    assert peaks.loc["Christmas Eve", "start"] == T("2026-12-24")
    assert peaks.loc["Boxing Day", "start"] == T("2026-12-26")
    # July 2026 starts on a Wednesday: Tuesdays are 7 and 14 -> second Tuesday is 14
    assert peaks.loc["Prime-style days", "start"] == T("2026-07-14")
    assert peaks.loc["Prime-style days", "end"] == T("2026-07-15")
    assert (peaks["type"] == "flash_sale").all() and peaks["uplift"].isna().all()
    # the frame is a valid promo calendar for event_days
    assert len(event_days(peaks.reset_index())) == 7


def test_retail_peaks_2024():
    peaks = retail_peaks(2024).set_index("name")
    # Thanksgiving 2024 is Thursday 28 November
    assert peaks.loc["Black Friday", "start"] == T("2024-11-29")
    assert peaks.loc["Cyber Monday", "start"] == T("2024-12-02")


@given(year=st.integers(1990, 2100))
@settings(max_examples=30, deadline=None)
def test_retail_peaks_weekday_properties(year):
    peaks = retail_peaks(year).set_index("name")
    bf = peaks.loc["Black Friday", "start"]
    cm = peaks.loc["Cyber Monday", "start"]
    # Black Friday follows the fourth Thursday of November (22..28)
    assert bf.day_of_week == 4 and bf.month == 11 and 23 <= bf.day <= 29
    assert cm.day_of_week == 0 and (cm - bf).days == 3
    prime = peaks.loc["Prime-style days", "start"]
    assert prime.month == 7 and prime.day_of_week == 1 and 8 <= prime.day <= 14


def test_public_holidays_us_contains_thanksgiving():
    hol = public_holidays([2026], ["US"])
    assert list(hol.columns) == ["date", "name", "country"]
    thanks = hol[hol["date"] == T("2026-11-26")]
    assert len(thanks) == 1 and "Thanksgiving" in thanks["name"].iloc[0]
    assert (hol["country"] == "US").all()
    assert T("2026-12-25") in set(hol["date"])
    assert hol["date"].dt.year.eq(2026).all()


def test_public_holidays_unknown_country():
    with pytest.raises(ValueError, match="countries"):
        public_holidays([2026], ["XX"])


def test_holiday_events_shape():
    hol = pd.DataFrame({"date": [T("2026-12-25")], "name": ["Christmas"], "country": ["US"]})
    rows = holiday_events(hol)
    assert list(rows.columns) == EVENT_DAY_COLUMNS
    assert rows.loc[0, "type"] == "public_holiday" and rows.loc[0, "phase"] == "event"


def test_regime_per_day_precedence():
    days = event_days(promos(
        ("Promo", "promotion", "2026-01-01", "2026-01-05", 0, 0),
        ("Peak", "holiday_peak", "2026-01-02", "2026-01-05", 0, 0),
        ("Launch", "product_launch", "2026-01-03", "2026-01-05", 0, 0),
        ("Sale", "flash_sale", "2026-01-04", "2026-01-05", 0, 3),
        ("Shut", "closure", "2026-01-05", "2026-01-05", 2, 0)))
    dates = pd.date_range("2025-12-31", "2026-01-08")
    regime = regime_per_day(days, dates)
    assert list(regime) == [
        "normal",          # 12-31: nothing (Shut's pre window starts 01-03)
        "promotion",       # 01-01
        "holiday_peak",    # 01-02: beats promotion
        "product_launch",  # 01-03: beats holiday_peak; Shut's pre day does not count
        "flash_sale",      # 01-04: beats product_launch
        "closure",         # 01-05: closure beats everything
        "normal", "normal", "normal",  # 01-06..08: Sale's post window is not a regime
    ]
    assert regime.index.equals(dates)


def test_event_features_columns_and_flags():
    days = event_days(promos(("Sale", "flash_sale", "2026-03-10", "2026-03-10", 1, 1),
                             ("Sale2", "flash_sale", "2026-03-10", "2026-03-10", 0, 0),
                             ("Promo", "promotion", "2026-03-12", "2026-03-12", 0, 0)))
    dates = pd.date_range("2026-03-08", "2026-03-13")
    feats = event_features(days, dates)
    assert set(feats.columns) == {"flash_sale", "flash_sale_pre", "flash_sale_post", "promotion"}
    assert feats.index.equals(dates)
    assert feats["flash_sale"].tolist() == [0, 0, 1, 0, 0, 0]  # two sales on 03-10 still 1
    assert feats["flash_sale_pre"].tolist() == [0, 1, 0, 0, 0, 0]
    assert feats["flash_sale_post"].tolist() == [0, 0, 0, 1, 0, 0]
    assert feats["promotion"].tolist() == [0, 0, 0, 0, 1, 0]
    assert (feats.dtypes == float).all()


def _holidays(*rows):
    return holiday_events(pd.DataFrame({"date": [pd.Timestamp(d) for d, _ in rows],
                                        "name": [n for _, n in rows]}))


def test_holiday_windows_give_each_neighbour_day_to_the_nearer_holiday():
    from calendars.events import holiday_windows

    days = _holidays(("2025-12-25", "Christmas Day"), ("2026-01-01", "New Year's Day"))
    out = holiday_windows(days, 3).set_index("date")
    assert out.loc[pd.Timestamp("2025-12-28"), ["name", "phase", "offset_days"]].tolist() == [
        "Christmas Day", "post", 3]
    assert out.loc[pd.Timestamp("2025-12-29"), ["name", "offset_days"]].tolist() == [
        "New Year's Day", -3]
    assert out.index.is_unique and len(out) == 2 + 12
    assert holiday_windows(days, 0) is days
    for bad in (-1, 15):
        with pytest.raises(ValueError, match="holiday_window_days: expected 0 to 14"):
            holiday_windows(days, bad)


def test_holiday_windows_skip_promo_days_and_merge_observed_holidays():
    from calendars.events import holiday_windows

    promo = event_days(pd.DataFrame({
        "name": ["Sale"], "type": ["flash_sale"], "start": [pd.Timestamp("2026-07-06")],
        "end": [pd.Timestamp("2026-07-06")], "uplift": [np.nan], "channels": [()],
        "pre_days": [0], "post_days": [0]}))
    days = pd.concat([promo, _holidays(("2026-07-03", "Independence Day (observed)"))],
                     ignore_index=True)
    out = holiday_windows(days, 3)
    window = out[(out["type"] == "public_holiday") & (out["phase"] != "event")]
    assert set(window["name"]) == {"Independence Day"}
    assert pd.Timestamp("2026-07-06") not in set(window["date"])  # the sale's own day
    assert len(window) == 5

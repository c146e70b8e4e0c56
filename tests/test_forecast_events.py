"""forecast.events: learned event multipliers and how they combine per day."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from calendars.events import PRESET_UPLIFT, event_days, holiday_events
from forecast.events import (ASSUMED_LOG_SD, UPLIFT_COLUMNS, assumed_uplifts, attach_multipliers,
                             clean_days, event_log_sd, event_multiplier, learn_uplifts)

T = pd.Timestamp
WEEKLY = np.array([1.2, 1.1, 1.0, 1.0, 0.9, 0.6, 0.5])  # Monday first
SALE_DATES = [T("2025-03-12"), T("2025-06-18"), T("2025-10-08")]
TAIL = {0: 10.0, 1: 3.0, 2: 1.5}  # event day, post day 1, post day 2


def promos(*rows):
    """rows: (name, type, start, end, pre_days, post_days, uplift)."""
    frame = pd.DataFrame(rows, columns=["name", "type", "start", "end", "pre_days", "post_days",
                                        "uplift"])
    frame["start"] = pd.to_datetime(frame["start"])
    frame["end"] = pd.to_datetime(frame["end"])
    frame["uplift"] = frame["uplift"].astype(float)
    frame["channels"] = [()] * len(frame)
    return frame


@pytest.fixture(scope="module")
def synthetic():
    """A year of daily volume: weekly pattern, 5% noise, 10x flash sales with a post tail."""
    rng = np.random.default_rng(20260101)
    dates = pd.date_range("2025-01-06", periods=364, freq="D")  # starts on a Monday
    volume = 500 * WEEKLY[dates.day_of_week] * np.exp(rng.normal(0, 0.05, len(dates)))
    for day in SALE_DATES:
        for offset, factor in TAIL.items():
            volume[dates.get_loc(day + pd.Timedelta(days=offset))] *= factor
    daily = pd.DataFrame({"date": dates, "volume": np.round(volume)})
    days = event_days(promos(*[(f"Sale {i}", "flash_sale", d, d, 0, 2, np.nan)
                               for i, d in enumerate(SALE_DATES)]))
    return daily, days


def test_learn_uplifts_recovers_flash_sale_multiplier(synthetic):
    daily, days = synthetic
    clean = clean_days(daily, days)
    # event windows are not clean: 3 sales x (1 event + 2 post) days
    assert (~clean).sum() == 9
    uplifts = learn_uplifts(daily, days, clean)
    assert list(uplifts.columns) == UPLIFT_COLUMNS
    rows = uplifts.set_index(["type", "phase", "offset_days"])
    event = rows.loc[("flash_sale", "event", 0)]
    assert event["multiplier"] == pytest.approx(10.0, rel=0.15)
    assert event["n_occurrences"] == 3
    assert event["source"] == "learned"
    assert rows.loc[("flash_sale", "post", 1), "multiplier"] == pytest.approx(3.0, rel=0.15)
    assert rows.loc[("flash_sale", "post", 2), "multiplier"] == pytest.approx(1.5, rel=0.15)
    assert (rows["n_occurrences"] == 3).all()


def test_clean_days_drops_an_outage_as_outlier(synthetic):
    daily, days = synthetic
    daily = daily.copy()
    outage = T("2025-08-06")
    daily.loc[daily["date"] == outage, "volume"] = 20.0  # a broken-widget day
    clean = clean_days(daily, days)
    assert not clean[outage]
    assert clean[T("2025-08-13")]  # a normal day a week later stays clean


def test_learn_uplifts_ignores_overlapping_occurrences(synthetic):
    daily, days = synthetic
    # a promotion on the first sale day makes that day ambiguous for both types
    extra = event_days(promos(("Promo", "promotion", SALE_DATES[0], SALE_DATES[0], 0, 0,
                               np.nan)))
    both = pd.concat([days, extra], ignore_index=True)
    uplifts = learn_uplifts(daily, both, clean_days(daily, both))
    rows = uplifts.set_index(["type", "phase", "offset_days"])
    assert rows.loc[("flash_sale", "event", 0), "n_occurrences"] == 2
    assert "promotion" not in set(uplifts["type"])


def learned(*rows):
    """rows: (type, name, phase, offset_days, multiplier), pooled over event lengths."""
    frame = pd.DataFrame([(*r[:4], 0, r[4], np.nan, 1, "learned") for r in rows],
                         columns=UPLIFT_COLUMNS)
    return frame.astype({"offset_days": int, "multiplier": float})


def test_a_learned_spread_is_a_new_occurrences_around_the_mean_of_n(synthetic):
    # three past sales: a fourth lands around their mean with s * sqrt(1 + 1/3), the
    # prediction interval's spread, not the s of the three among themselves
    daily, days = synthetic
    uplifts = learn_uplifts(daily, days, clean_days(daily, days))
    s = uplifts.set_index(["type", "phase", "offset_days"]).loc[
        ("flash_sale", "event", 0), "log_sd"]
    sale = T("2026-01-14")
    ahead = pd.concat([days, event_days(promos(("Next", "flash_sale", sale, sale, 0, 0,
                                                np.nan),
                                               ("Launch", "product_launch", sale + pd.Timedelta(
                                                   days=7), sale + pd.Timedelta(days=7), 0, 0,
                                                np.nan)))], ignore_index=True)
    quiet, on_sale, launch = event_log_sd(
        daily, ahead, pd.DatetimeIndex([sale - pd.Timedelta(days=1), sale,
                                        sale + pd.Timedelta(days=7)]), uplifts)
    assert s > 0 and on_sale == pytest.approx(s * np.sqrt(1 + 1 / 3))
    assert quiet == 0.0
    assert launch == ASSUMED_LOG_SD  # an assumed multiplier's spread is not scaled


def test_unseen_type_uses_calendar_uplift_then_preset():
    days = event_days(promos(("Promo", "promotion", "2026-05-01", "2026-05-01", 0, 0, 2.5),
                             ("Launch", "product_launch", "2026-05-03", "2026-05-03", 0, 0,
                              np.nan)))
    uplifts = learned(("flash_sale", "", "event", 0, 9.0))
    rows = attach_multipliers(days, uplifts).set_index("name")
    assert rows.loc["Promo", "multiplier"] == 2.5 and rows.loc["Promo", "source"] == "calendar"
    assert rows.loc["Launch", "multiplier"] == PRESET_UPLIFT["product_launch"]
    assert rows.loc["Launch", "source"] == "preset"
    assumed = assumed_uplifts(days, uplifts).set_index("name")
    assert assumed.loc["Promo", "source"] == "calendar"
    assert assumed.loc["Launch", "source"] == "preset"


def test_a_calendar_uplift_overrides_the_learned_level_on_event_days_only():
    # the planner's number wins on the sale's days; its post day keeps the learned 1.5,
    # and the learned spread stays with the overridden day
    days = event_days(promos(("Sale", "flash_sale", "2026-05-01", "2026-05-01", 0, 1, 4.0)))
    uplifts = learned(("flash_sale", "", "event", 0, 9.0), ("flash_sale", "", "post", 1, 1.5))
    uplifts.loc[0, "log_sd"] = 0.1
    rows = attach_multipliers(days, uplifts).set_index("phase")
    assert rows.loc["event", "multiplier"] == 4.0 and rows.loc["event", "source"] == "override"
    assert rows.loc["event", "log_sd"] == 0.1
    assert rows.loc["post", "multiplier"] == 1.5 and rows.loc["post", "source"] == "learned"
    assert event_multiplier(days, uplifts).tolist() == [4.0, 1.5]
    listed = assumed_uplifts(days, uplifts)
    assert listed[["name", "source", "multiplier"]].values.tolist() == [["Sale", "override", 4.0]]
    # without a calendar uplift the learned level applies
    plain = event_days(promos(("Sale", "flash_sale", "2026-05-01", "2026-05-01", 0, 0, np.nan)))
    assert attach_multipliers(plain, uplifts)["source"].tolist() == ["learned"]
    assert event_multiplier(plain, uplifts).tolist() == [9.0]


def test_with_no_history_every_event_day_is_assumed():
    days = event_days(promos(("Sale", "flash_sale", "2026-05-01", "2026-05-01", 0, 0, np.nan)))
    empty = pd.DataFrame(columns=UPLIFT_COLUMNS)
    assert event_multiplier(days, empty).tolist() == [PRESET_UPLIFT["flash_sale"]]


def test_event_multiplier_combination_rules():
    days = event_days(promos(
        # 05-01 flash sale (learned 9) and a promotion (calendar 2): strongest wins -> 9
        ("Sale", "flash_sale", "2026-05-01", "2026-05-02", 1, 2, np.nan),
        ("Promo", "promotion", "2026-05-01", "2026-05-01", 0, 0, 2.0),
        # 05-04: promotion 2.0 on the sale's post day 2 (learned 1.5) -> 2 x 1.5 = 3
        ("Promo2", "promotion", "2026-05-04", "2026-05-04", 0, 0, 2.0),
        # 05-10: closure with a flash sale -> 0
        ("Shut", "closure", "2026-05-10", "2026-05-10", 0, 0, np.nan),
        ("Sale2", "flash_sale", "2026-05-10", "2026-05-10", 0, 0, np.nan)))
    uplifts = learned(("flash_sale", "", "event", 0, 9.0), ("flash_sale", "", "post", 1, 3.0),
                      ("flash_sale", "", "post", 2, 1.5))
    mult = event_multiplier(days, uplifts)
    assert mult[T("2026-04-30")] == 1.0   # pre day not learned -> 1
    assert mult[T("2026-05-01")] == 9.0   # max(9, 2)
    assert mult[T("2026-05-02")] == pytest.approx(9.0)  # offset 1 not learned: type's mean event day, 9
    assert mult[T("2026-05-03")] == 3.0   # post 1 alone
    assert mult[T("2026-05-04")] == pytest.approx(3.0)  # 2.0 x 1.5
    assert mult[T("2026-05-10")] == 0.0   # closure
    assert T("2026-05-05") not in mult.index  # no event: absent


def test_event_multiplier_post_windows_multiply_each_other():
    days = event_days(promos(("A", "flash_sale", "2026-05-01", "2026-05-01", 0, 1, np.nan),
                             ("B", "flash_sale", "2026-05-01", "2026-05-01", 0, 1, np.nan)))
    uplifts = learned(("flash_sale", "", "event", 0, 9.0), ("flash_sale", "", "post", 1, 3.0))
    mult = event_multiplier(days, uplifts)
    assert mult[T("2026-05-01")] == 9.0  # two events, strongest (equal) wins, not 81
    assert mult[T("2026-05-02")] == 9.0  # two post days multiply: 3 x 3


def test_learned_holiday_multiplies_the_event_day():
    hol = holiday_events(pd.DataFrame({"date": [T("2026-05-25")], "name": ["Memorial Day"],
                                       "country": ["US"]}))
    days = pd.concat([event_days(promos(("Sale", "flash_sale", "2026-05-25", "2026-05-25", 0, 0,
                                         np.nan))), hol], ignore_index=True)
    uplifts = learned(("flash_sale", "", "event", 0, 9.0),
                      ("public_holiday", "Memorial Day", "event", 0, 0.5))
    assert event_multiplier(days, uplifts)[T("2026-05-25")] == 4.5  # 9 x 0.5


def _flat_history(start: str, n_days: int, seed: int, event_noise: dict | None = None):
    """Volume 1000 on every day, times a multiplier per event date, with optional log noise."""
    rng = np.random.default_rng(seed)
    dates = pd.date_range(start, periods=n_days, freq="D")
    volume = pd.Series(1000.0 * np.exp(rng.normal(0, 0.01, n_days)), index=dates)
    for day, factor in (event_noise or {}).items():
        volume[day] *= factor
    return pd.DataFrame({"date": dates, "volume": volume.to_numpy()})


def test_a_two_day_sale_keeps_its_own_day_profile():
    # one-day sales at 10x, two-day sales at 12x then 8x: pooled, day one would be ~11x
    one_day = ["2024-02-07", "2024-05-08", "2024-08-07"]
    two_day = ["2024-03-13", "2024-06-12", "2024-09-11"]
    factors = {T(d): 10.0 for d in one_day}
    factors |= {T(d): 12.0 for d in two_day} | {T(d) + pd.Timedelta(days=1): 8.0 for d in two_day}
    daily = _flat_history("2024-01-01", 300, 1, factors)
    rows = [(f"One {d}", "flash_sale", d, d, 0, 0, np.nan) for d in one_day]
    rows += [(f"Two {d}", "flash_sale", d, T(d) + pd.Timedelta(days=1), 0, 0, np.nan)
             for d in two_day]
    days = event_days(promos(*rows))
    uplifts = learn_uplifts(daily, days, clean_days(daily, days))
    pooled = uplifts[(uplifts["event_length_days"] == 0) & (uplifts["offset_days"] == 0)]
    assert pooled["n_occurrences"].iloc[0] == 6
    future = event_days(promos(("Next one", "flash_sale", "2025-02-05", "2025-02-05", 0, 0, np.nan),
                               ("Next two", "flash_sale", "2025-03-12", "2025-03-13", 0, 0, np.nan)))
    mult = event_multiplier(future, uplifts)
    assert mult[T("2025-02-05")] == pytest.approx(10.0, rel=0.03)
    assert mult[T("2025-03-12")] == pytest.approx(12.0, rel=0.03)
    assert mult[T("2025-03-13")] == pytest.approx(8.0, rel=0.03)


def test_a_length_seen_once_falls_back_to_the_pooled_profile():
    factors = {T("2024-02-07"): 10.0, T("2024-05-08"): 10.0, T("2024-03-13"): 12.0,
               T("2024-03-14"): 8.0}
    daily = _flat_history("2024-01-01", 200, 2, factors)
    days = event_days(promos(("A", "flash_sale", "2024-02-07", "2024-02-07", 0, 0, np.nan),
                             ("B", "flash_sale", "2024-05-08", "2024-05-08", 0, 0, np.nan),
                             ("C", "flash_sale", "2024-03-13", "2024-03-14", 0, 0, np.nan)))
    uplifts = learn_uplifts(daily, days, clean_days(daily, days))
    # one-day sales were seen twice: their own row; the two-day sale once: none
    assert set(uplifts["event_length_days"]) == {0, 1}
    future = event_days(promos(("D", "flash_sale", "2025-03-12", "2025-03-13", 0, 0, np.nan)))
    pooled = uplifts[uplifts["event_length_days"] == 0].set_index("offset_days")["multiplier"]
    assert event_multiplier(future, uplifts).tolist() == pytest.approx(
        [pooled[0], pooled[1]])


def _season_history(noise_sd: float, seed: int):
    """Two 29-day seasons whose log multiplier ramps linearly from log 1.5 to log 4."""
    rng = np.random.default_rng(seed)
    ramp = np.exp(np.linspace(np.log(1.5), np.log(4.0), 29))
    factors = {}
    for start in ("2024-11-10", "2025-11-09"):
        for k, m in enumerate(ramp):
            factors[T(start) + pd.Timedelta(days=k)] = m * np.exp(rng.normal(0, noise_sd))
    daily = _flat_history("2024-06-01", 640, seed, factors)
    days = event_days(promos(("S1", "holiday_peak", "2024-11-10", "2024-12-08", 0, 0, np.nan),
                             ("S2", "holiday_peak", "2025-11-09", "2025-12-07", 0, 0, np.nan)))
    learned = learn_uplifts(daily, days, clean_days(daily, days))
    curve = learned[learned["phase"] == "event"].set_index("offset_days")["multiplier"]
    return np.log(curve.sort_index().to_numpy()), np.log(ramp)


def test_a_long_season_curve_is_smoothed_without_bias_on_a_ramp():
    learned, truth = _season_history(noise_sd=0.0, seed=3)
    assert np.abs(learned - truth).max() < 0.02  # edges included: a local line, not a mean


def test_smoothing_a_long_season_cuts_the_noise_of_few_occurrences():
    # each day's own mean over 2 seasons has a log error of 0.10 / sqrt(2) = 0.071
    errors = [learned - truth for learned, truth in
              (_season_history(noise_sd=0.10, seed=s) for s in range(4))]
    rms = float(np.sqrt(np.mean(np.concatenate(errors) ** 2)))
    assert rms < 0.6 * 0.10 / np.sqrt(2)


def test_the_example_flash_sale_profiles_are_learned_within_15_percent_of_the_truth():
    import json

    from calendars.events import public_holidays
    from calendars.io import read_promo_calendar
    from forecast.events import days_for_queue
    from tests.conftest import EXAMPLE

    counts = pd.read_csv(EXAMPLE / "daily_counts.csv", parse_dates=["date"])
    counts["date"] = counts["date"].astype("datetime64[ns]")
    daily = counts.groupby(["date", "channel"], as_index=False)["volume"].sum()
    days = pd.concat([event_days(read_promo_calendar(EXAMPLE / "promo_calendar.csv")),
                      holiday_events(public_holidays(range(2023, 2028), ["US"]))],
                     ignore_index=True)
    truth = json.loads((EXAMPLE / "truth.json").read_text())["event_types"]["flash_sale"]
    for channel, one in daily.groupby("channel"):
        one = one[["date", "volume"]].reset_index(drop=True)
        mine = days_for_queue(days, channel)
        learned = learn_uplifts(one, mine, clean_days(one, mine))
        for length, profile in truth["day_profile_by_length"].items():
            rows = learned[(learned["type"] == "flash_sale") & (learned["phase"] == "event")
                           & (learned["event_length_days"] == int(length))]
            got = rows.sort_values("offset_days")["multiplier"].to_numpy()
            assert got == pytest.approx(profile, rel=0.15), (channel, length)


def test_weekday_adjusted_baseline_interpolates_a_trend_across_an_event():
    from forecast.events import weekday_adjusted_baseline

    dates = pd.date_range("2024-01-01", periods=400, freq="D")
    truth = 500.0 * WEEKLY[dates.day_of_week] * (1.0 + 0.0005 * np.arange(400))
    volume = truth.copy()
    season = (dates >= "2024-11-15") & (dates <= "2024-12-31")
    volume[season] *= 4.0  # a season the baseline must see through
    daily = pd.DataFrame({"date": dates, "volume": volume})
    clean = pd.Series(~season, index=dates)
    base = weekday_adjusted_baseline(daily, clean)
    assert np.all(np.isfinite(base))
    inside = season & (dates <= "2024-12-20")  # clean days on both sides
    assert np.abs(base[inside] / truth[inside] - 1.0).max() < 0.02
    mid = np.flatnonzero(~season)[100:300]
    assert np.abs(base[mid] / truth[mid] - 1.0).max() < 0.01


def test_a_holiday_neighbour_gets_its_own_multiplier_only_when_it_clears_the_noise():
    from calendars.events import holiday_windows

    rng = np.random.default_rng(7)
    dates = pd.date_range("2023-01-02", periods=3 * 364, freq="D")
    volume = pd.Series(1000.0 * np.exp(rng.normal(0, 0.08, len(dates))), index=dates)
    christmas = [T(f"{y}-12-25") for y in (2023, 2024)]
    for day in christmas:
        volume[day] *= 0.5
        volume[day + pd.Timedelta(days=1)] *= 0.6  # a real echo the day after
    daily = pd.DataFrame({"date": dates, "volume": volume.to_numpy()})
    days = holiday_windows(holiday_events(pd.DataFrame(
        {"date": christmas, "name": "Christmas Day"})), 2)
    learned = learn_uplifts(daily, days, clean_days(daily, days))
    window = learned[learned["phase"] != "event"].set_index("offset_days")["multiplier"]
    assert window[1] == pytest.approx(0.6, rel=0.12)
    # the other neighbours are noise (8% a day, two occurrences): exactly 1
    assert (window.drop(index=1) == 1.0).all()
    future = holiday_windows(holiday_events(pd.DataFrame(
        {"date": [T("2025-12-25")], "name": "Christmas Day"})), 2)
    mult = event_multiplier(future, learned)
    assert mult[T("2025-12-26")] == pytest.approx(window[1])
    assert mult[T("2025-12-24")] == 1.0


def test_weekday_adjusted_baseline_reaches_across_a_long_unclean_stretch():
    from forecast.events import weekday_adjusted_baseline

    dates = pd.date_range("2025-01-06", periods=400, freq="D")
    daily = pd.DataFrame({"date": dates, "volume": 100.0 * WEEKLY[dates.day_of_week]})
    clean = pd.Series(np.arange(400) >= 300, index=dates)  # 300 days without a clean day
    base = weekday_adjusted_baseline(daily, clean)
    assert base == pytest.approx(daily["volume"].to_numpy())  # no warning, no NaN
    assert np.isnan(weekday_adjusted_baseline(daily, clean & False)).all()

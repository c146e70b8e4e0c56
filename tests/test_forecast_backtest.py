"""Rolling-origin backtests, metrics, conformal intervals and the auto model choice."""
import numpy as np
import pandas as pd
import pytest

from calendars.events import event_days
from forecast.auto import AUTO_BACKTEST_DAYS, AUTO_ORIGINS, auto, rank_models
from forecast.backtest import BACKTEST_COLUMNS, metrics, point_model, rolling_origin
from forecast.baseline import seasonal_naive, seasonal_naive_point
from forecast.intervals import apply_quantiles, interval_quantiles
from forecast.registry import MODELS, load_model
from tests.sales_history import (ORIGIN, SALES, START, WEEKLY, check_forecast, sales_history,
                                 truth)


def synthetic(n_days=300, seed=7):
    """A seeded daily series past ORIGIN and its event days (a promo calendar built by hand)."""
    return sales_history(seed, START + pd.Timedelta(days=n_days - 1))


def test_rolling_origin_shape_and_order():
    daily, days = synthetic()
    bt = rolling_origin(daily, days, seasonal_naive, horizon_days=14, origins=3)
    assert list(bt.columns) == BACKTEST_COLUMNS
    assert len(bt) == 3 * 14
    assert bt["origin"].is_monotonic_increasing and bt["origin"].nunique() == 3
    assert bt["origin"].iloc[-1] == daily["date"].iloc[-15]
    assert set(bt["horizon_day"]) == set(range(1, 15))
    assert (bt["date"] - bt["origin"]).dt.days.eq(bt["horizon_day"]).all()
    assert np.allclose(bt["actual"].iloc[-14:], daily["volume"].iloc[-14:])


def test_rolling_origin_sees_no_data_after_its_origin():
    daily, days = synthetic()
    seen = []

    def spy(train, known, horizon_days):
        seen.append((train["date"].max(), len(train), known["date"].max()))
        return point_model(seasonal_naive_point)(train, known, horizon_days)

    bt = rolling_origin(daily, days, spy, horizon_days=28, origins=4, step_days=7)
    origins = sorted(bt["origin"].unique())
    assert [s[0] for s in seen] == origins
    assert all(n == (last - START).days + 1 for last, n, _ in seen)
    # The calendar is known up to the end of each scored window only.
    assert all(known_end <= last + pd.Timedelta(days=28) for last, _, known_end in seen
               if pd.notna(known_end))


def test_rolling_origin_does_not_mutate_inputs():
    daily, days = synthetic()
    before, days_before = daily.copy(), days.copy()
    rolling_origin(daily, days, seasonal_naive, horizon_days=7, origins=2)
    pd.testing.assert_frame_equal(daily, before)
    pd.testing.assert_frame_equal(days, days_before)


@pytest.mark.parametrize("kwargs, name", [({"horizon_days": 0}, "horizon_days"),
                                          ({"origins": 0}, "origins"),
                                          ({"step_days": 0}, "step_days"),
                                          ({"horizon_days": 280}, "daily")])
def test_rolling_origin_rejects_bad_arguments(kwargs, name):
    daily, days = synthetic()
    with pytest.raises(ValueError, match=name):
        rolling_origin(daily, days, seasonal_naive, **kwargs)


def test_rolling_origin_names_missing_columns():
    daily, days = synthetic()
    with pytest.raises(ValueError, match="daily: missing column.*volume"):
        rolling_origin(daily.rename(columns={"volume": "n"}), days, seasonal_naive)


def test_metrics_known_values_and_perfect_forecast():
    bt = pd.DataFrame({"actual": [10.0, 20.0, np.nan], "volume_p10": [8.0, 15.0, 1.0],
                       "volume_p50": [9.0, 22.0, 1.0], "volume_p90": [12.0, 25.0, 1.0],
                       "naive_mae": [2.0, 2.0, 2.0], "regime": ["normal", "flash_sale", "normal"]})
    row = metrics(bt).iloc[0]
    assert row["n_days"] == 2
    assert row["wape"] == pytest.approx(0.1)
    assert row["mase"] == pytest.approx(0.75)
    assert row["bias"] == pytest.approx(1.0 / 30.0)
    assert row["coverage_80"] == 1.0
    by = metrics(bt, by=["regime"]).set_index("regime")
    assert by.loc["flash_sale", "wape"] == pytest.approx(0.1)
    perfect = bt.assign(volume_p50=bt["actual"])
    assert metrics(perfect)["wape"].iloc[0] == 0.0
    with pytest.raises(ValueError, match="backtest: missing column"):
        metrics(bt.drop(columns="naive_mae"))


def test_naive_backtest_mase_is_about_one_on_a_flat_weekly_series():
    rng = np.random.default_rng(3)
    dates = pd.date_range("2024-01-01", periods=200, freq="D").astype("datetime64[ns]")
    daily = pd.DataFrame({"date": dates, "volume": 100 * WEEKLY[dates.day_of_week]
                          * np.exp(rng.normal(0, 0.1, 200))})
    bt = rolling_origin(daily, event_days(pd.DataFrame(columns=["name", "type", "start", "end"])),
                        point_model(seasonal_naive_point), horizon_days=7, origins=10)
    assert metrics(bt)["mase"].iloc[0] == pytest.approx(1.0, abs=0.25)


def test_conformal_quantiles_cover_about_80_percent():
    rng = np.random.default_rng(11)
    n = 400
    bt = pd.DataFrame({"horizon_day": np.tile(np.arange(1, 29), n // 28 + 1)[:n],
                       "volume_p50": 100.0, "actual": 100.0 * np.exp(rng.normal(0, 0.1, n))})
    q = interval_quantiles(bt, bucket_days=14)
    assert list(q["first_day"]) == [1, 15]
    p10, p90 = apply_quantiles(bt["volume_p50"], bt["horizon_day"], q)
    inside = ((bt["actual"] >= p10) & (bt["actual"] <= p90)).mean()
    assert 0.78 <= inside <= 0.86
    wide_low, wide_high = apply_quantiles([100.0], [112], q)
    assert wide_high[0] > p90.max() and wide_low[0] < p10.min()
    # past the measured 28 days the log half-width grows as (h / 28) ** 0.1, the rule
    # measured on the benchmark's tuning origins, not the random walk's square root
    _, at_28 = apply_quantiles([100.0], [28], q)
    assert np.log(wide_high[0] / 100.0) == pytest.approx(np.log(at_28[0] / 100.0) * 4 ** 0.1)


def _regime_backtest(seed: int, n_normal: int = 560, n_flash: int = 60) -> pd.DataFrame:
    """Residuals with log sd 0.05 on normal days and 0.30 on flash-sale days."""
    rng = np.random.default_rng(seed)
    regime = np.array(["normal"] * n_normal + ["flash_sale"] * n_flash, dtype=object)
    sd = np.where(regime == "normal", 0.05, 0.30)
    n = len(regime)
    return pd.DataFrame({"horizon_day": rng.integers(1, 29, n), "regime": regime,
                         "volume_p50": 100.0, "actual": 100.0 * np.exp(rng.normal(0, sd))})


def test_quantiles_by_regime_cover_event_days_too():
    fit, check = _regime_backtest(1), _regime_backtest(2, n_flash=2000)
    q = interval_quantiles(fit)
    assert set(q["regime"]) == {"normal", "flash_sale"}
    p10, p90 = apply_quantiles(check["volume_p50"], check["horizon_day"], q,
                               check["regime"].to_numpy())
    inside = (check["actual"] >= p10) & (check["actual"] <= p90)
    by_regime = inside.groupby(check["regime"]).mean()
    assert 0.74 <= by_regime["normal"] <= 0.88
    assert 0.72 <= by_regime["flash_sale"] <= 0.90
    # by horizon only, the flash-sale days would borrow the normal days' narrow band
    p10, p90 = apply_quantiles(check["volume_p50"], check["horizon_day"], q)
    flash = check["regime"] == "flash_sale"
    assert ((check["actual"] >= p10) & (check["actual"] <= p90))[flash].mean() < 0.4


def test_a_regime_with_few_residuals_takes_the_wider_of_the_normal_band_and_the_event_spread():
    q = interval_quantiles(_regime_backtest(3, n_flash=12))
    assert list(q["regime"].unique()) == ["normal"]
    regime = np.array(["normal", "flash_sale", "flash_sale"], dtype=object)
    p10, p90 = apply_quantiles([100.0] * 3, [5, 5, 5], q, regime, np.array([0.0, 0.0, 0.25]))
    normal = q.set_index("first_day").loc[1]
    assert p90[0] == pytest.approx(100.0 * np.exp(normal["log_high"]))
    assert p90[1] == pytest.approx(p90[0])  # no spread: the normal band
    z = 1.2815515655446004
    assert np.log(p90[2] / 100.0) == pytest.approx(max(normal["log_high"], z * 0.25))
    assert np.log(100.0 / p10[2]) == pytest.approx(max(-normal["log_low"], z * 0.25))
    assert z * 0.25 > normal["log_high"]  # the spread is the wider here: it sets the band


def _dated(backtest: pd.DataFrame, run_days: int) -> pd.DataFrame:
    """``backtest`` laid out as one origin's consecutive dates, its flash-sale rows in runs
    of ``run_days`` consecutive days with normal days between them."""
    flash = backtest[backtest["regime"] == "flash_sale"]
    normal = backtest[backtest["regime"] == "normal"]
    order, used = [], 0
    for start in range(0, len(flash), run_days):
        order += [flash.iloc[start:start + run_days]]
        order += [normal.iloc[used:used + 3]]
        used += 3
    order += [normal.iloc[used:]]
    out = pd.concat(order, ignore_index=True)
    return out.assign(origin=pd.Timestamp("2025-01-01"),
                      date=pd.date_range("2025-01-02", periods=len(out), freq="D"))


def test_a_regime_seen_in_one_run_takes_the_event_spread_not_quantiles_of_its_own():
    # 60 flash-sale residuals: from 12 separate sales a regime of their own, from one
    # 60-day stretch (a season: one draw of its level) not
    backtest = _regime_backtest(4)
    assert "flash_sale" in set(interval_quantiles(_dated(backtest, 5))["regime"])
    assert set(interval_quantiles(_dated(backtest, 60))["regime"]) == {"normal"}
    assert set(interval_quantiles(_dated(backtest, 15))["regime"]) == {"normal"}  # 4 runs


def _constant(daily, days, horizon_days):
    return np.full(horizon_days, float(daily["volume"].mean()))


def _oracle(daily, days, horizon_days):
    """The true mean without the sales: auto's candidates are event-free bases."""
    last = pd.Timestamp(daily["date"].max())
    dates = pd.date_range(last + pd.Timedelta(days=1), periods=horizon_days, freq="D")
    return truth(dates) / np.where(dates.isin(SALES), 10.0, 1.0)


def test_auto_picks_the_clearly_better_model():
    daily, days = synthetic()
    candidates = (("constant", _constant), ("oracle", _oracle))
    ranking, backtest = rank_models(daily, days, candidates)
    assert ranking["model"].iloc[0] == "oracle" and ranking["chosen"].iloc[0]
    assert set(ranking["model"]) == {"constant", "oracle", "weighted(constant, oracle)"}
    assert len(backtest) == AUTO_ORIGINS * AUTO_BACKTEST_DAYS
    out = auto(daily, days, 21, candidates)
    assert np.allclose(out["volume_p50"], _oracle(daily, days, 21))
    assert (out["volume_p10"] < out["volume_p50"]).all()
    assert (out["volume_p90"] > out["volume_p50"]).all()


def test_auto_default_contract_and_spike():
    daily, days = synthetic()
    history = daily[daily["date"] <= ORIGIN]
    before = history.copy()
    out = auto(history, days, 14)
    pd.testing.assert_frame_equal(history, before)
    check_forecast(out, 14)
    p50 = out.set_index("date")["volume_p50"]
    assert p50[SALES[1]] > 5 * p50[SALES[1] - pd.Timedelta(days=7)]
    # the sale's multiplier is uncertain, so its band is wider than a normal day's
    width = np.log(out["volume_p90"] / out["volume_p10"]).to_numpy()
    dates = out["date"]
    assert width[(dates == SALES[1]).to_numpy()][0] > 1.2 * width[
        (dates == SALES[1] - pd.Timedelta(days=7)).to_numpy()][0]


def test_models_registered_and_loadable():
    assert {"naive", "baseline", "ets", "sarimax", "prophet", "auto", "drivers"} <= set(MODELS)
    assert all(callable(load_model(name)) for name in MODELS)
    with pytest.raises(ValueError, match="unknown model 'arima'"):
        load_model("arima")


def test_seasonal_naive_takes_each_weekdays_last_value_in_a_history_with_gaps():
    # the last seven rows hold two Mondays (a gap of a week and a half): it crashed on reindex
    dates = pd.to_datetime(["2026-01-05", "2026-01-06", "2026-01-07", "2026-01-08",
                            "2026-01-19", "2026-01-20", "2026-01-21"])
    daily = pd.DataFrame({"date": dates, "volume": [1.0, 2.0, 3.0, 4.0, 10.0, 20.0, 30.0]})
    empty = pd.DataFrame(columns=["date"])
    point = seasonal_naive_point(daily, empty, 7)  # Thu 22 Jan to Wed 28 Jan
    assert point[0] == 4.0  # Thursday: 8 Jan, the last Thursday seen
    assert np.isnan(point[1:4]).all()  # Friday to Sunday: never seen
    assert point[4:].tolist() == [10.0, 20.0, 30.0]  # the latest Monday, Tuesday, Wednesday

"""surgeplan.pipeline: run_plan as a list of stages, each getting its part of the config."""
from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest

from calendars.errors import InputError
from staffing.plan import at_risk, core_table
from staffing.sensitivity import SENSITIVITY_COLUMNS
from surgeplan.demand import planned_volume
from surgeplan.pipeline import (STAGES, check_queues, intraday_profile, run_plan,
                                sourcing, staff)
from tests.small_plan import load_case, write_case


@pytest.fixture(scope="module")
def case(tmp_path_factory):
    path = write_case(tmp_path_factory.mktemp("small"), queues=("chat", "email"),
                      extra={"sensitivity": {"partner_cost": [0.5], "aht": [1.2],
                                             "other_quantile": True}})
    history, promos, config = load_case(path)
    seen = []
    result = run_plan(history, promos, config, on_stage=seen.append)
    return result, seen


def test_stages_run_in_order(case):
    _, seen = case
    assert seen == list(STAGES)


def test_every_frame_covers_the_horizon_and_every_queue(case):
    result, _ = case
    horizon = pd.date_range(result.as_of, periods=result.config.forecast.horizon_days)
    for frame in (result.forecast, result.daily, result.plan):
        assert sorted(frame["date"].unique()) == list(horizon)
        assert sorted(frame["queue"].unique()) == ["chat", "email"]
    assert len(result.plan) == len(horizon) * 2


def test_summary_is_computed_from_the_stages_it_summarises(case):
    result, _ = case
    expected = core_table(result.daily, result.core, result.config.staffing.work_days_per_week)
    pd.testing.assert_frame_equal(result.summary.core, expected)
    assert result.summary.risk.fte_days == pytest.approx(at_risk(result.plan)["shortfall_fte"].sum())
    assert list(result.summary.forecast["queue"]) == ["chat", "email"]


def test_sensitivity_runs_the_configured_cases(case):
    result, _ = case
    sens = result.sensitivity
    assert list(sens.columns) == SENSITIVITY_COLUMNS
    # the default plan_on is cost (a quantile above P50): the other quantile costed is P50
    assert list(dict.fromkeys(sens["case"])) == ["base", "partner cost x0.5", "AHT +20%",
                                                 "plan on P50"]
    base = sens[sens["case"] == "base"].set_index("scenario")["total_cost"]
    pd.testing.assert_series_equal(base, result.costs.set_index("scenario")["total_cost"])
    # more handle time and more volume cost more in every scenario; cheaper partners never more
    assert (sens.loc[sens["case"] == "AHT +20%", "change"] > 0).all()
    assert (sens.loc[sens["case"] == "plan on P50", "change"] <= 1e-6).all()  # less volume
    assert (sens.loc[sens["case"] == "partner cost x0.5", "change"] <= 1e-6).all()


def test_the_plan_staffs_the_configured_quantile(case):
    result, _ = case
    regime = result.forecast.drop_duplicates("date").set_index("date")["regime"]
    config_p90 = replace(result.config, forecast=replace(result.config.forecast, plan_on="p90"))
    volumes = planned_volume(result.forecast, config_p90)
    assert volumes["volume"].tolist() == result.forecast["volume_p90"].tolist()
    profile = intraday_profile(None, result.history, result.days, result.config)
    _, p90 = staff(volumes, regime, profile, config_p90, None)
    assert p90["required_fte"].sum() > result.daily["required_fte"].sum()


def test_window_rules_come_from_the_plan_section(case):
    result, _ = case
    never = replace(result.config, plan=replace(result.config.plan, min_window_fte=1e9))
    chosen = sourcing(result.daily, result.intervals, never, result.as_of)
    assert chosen.inputs.min_window_fte == 1e9 and chosen.windows.empty


def test_check_queues_names_the_queues_on_each_side(case):
    result, _ = case
    history = pd.DataFrame({"date": result.history["date"], "queue": "voice", "volume": 1.0})
    with pytest.raises(InputError, match="voice") as info:
        check_queues(history, result.config)
    assert info.value.key == "queues"


def test_assumptions_list_holidays_never_seen_and_default_shapes():
    from surgeplan.summary import ASSUMPTION_COLUMNS, assumptions

    days = pd.DataFrame({"date": pd.to_datetime(["2025-12-25", "2026-12-25", "2026-12-26"]),
                         "name": ["Christmas Day", "Christmas Day", "Boxing Day"],
                         "type": "public_holiday", "phase": "event"})
    uplifts = pd.DataFrame({"queue": ["chat"], "type": ["public_holiday"],
                            "name": ["Christmas Day"], "multiplier": [0.3],
                            "source": ["learned"]})
    profile = pd.DataFrame({"queue": ["chat", "email"], "source": ["learned", "default"]})
    out = assumptions(uplifts, days, profile, pd.Timestamp("2026-12-01"))
    assert list(out.columns) == ASSUMPTION_COLUMNS
    # Christmas was seen last year: learned. Boxing Day never: a normal day, and said so.
    assert out[["kind", "subject"]].values.tolist() == [["public holiday", "Boxing Day"],
                                                        ["intraday shape", "email"]]
    assert "2026-12-26 forecast as a normal day" in out["detail"].iloc[0]


def test_plan_on_cost_staffs_the_newsvendor_quantile_of_each_day(case):
    from surgeplan.demand import staffing_quantile
    from surgeplan.summary import staffed_on

    result, _ = case
    config = result.config  # plan_on = "cost", the default
    # an hour short costs miss_cost_ratio 2.0 x the in-house 30/h = 60; an idle hour the
    # nearshore's 0.4 x 30 = 12: staff the 60 / (60 + 12) quantile
    assert staffing_quantile(config) == pytest.approx(60 / 72)
    assert "0.83 quantile" in staffed_on(config)
    dearer = replace(config, plan=replace(config.plan, miss_cost_ratio=3.0))
    assert staffing_quantile(dearer) == pytest.approx(90 / 102)
    volume = planned_volume(result.forecast, config)["volume"].to_numpy()
    assert (volume >= result.forecast["volume_p50"].to_numpy() - 1e-9).all()
    assert (volume <= result.forecast["volume_p90"].to_numpy() + 1e-9).all()
    assert volume.tolist() == pytest.approx(result.forecast["volume_plan"].tolist())
    p50 = replace(config, forecast=replace(config.forecast, plan_on="p50"))
    assert staffing_quantile(p50) is None  # p50 staffs the column itself

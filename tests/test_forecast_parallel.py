"""Many queues: a process pool and a Dask cluster return exactly the serial forecast."""
from __future__ import annotations

import importlib.util

import numpy as np
import pandas as pd
import pytest

from calendars.events import holiday_events, public_holidays
from forecast.models import forecast_queues
from forecast.parallel import check_parallel


def _queues(n_queues: int = 4, n_days: int = 300) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(7)
    dates = pd.date_range("2025-01-06", periods=n_days, freq="D")
    weekly = np.where(dates.day_of_week < 5, 1.2, 0.6)
    frames = [pd.DataFrame({"date": dates, "queue": f"q{q}",
                            "volume": rng.poisson(80.0 * (q + 1) * weekly).astype(float)})
              for q in range(n_queues)]
    days = holiday_events(public_holidays(range(2025, 2027), ["US"]))
    return pd.concat(frames, ignore_index=True), days


def test_process_pool_equals_serial():
    daily, days = _queues()
    serial = forecast_queues(daily, days, 30, "baseline")
    seen = []
    pooled = forecast_queues(daily, days, 30, "baseline", n_jobs=2, on_queue=seen.append)
    pd.testing.assert_frame_equal(pooled, serial)
    assert seen == ["q0", "q1", "q2", "q3"]
    assert list(serial["queue"].unique()) == ["q0", "q1", "q2", "q3"]


@pytest.mark.skipif(importlib.util.find_spec("distributed") is None,
                    reason="dask[distributed] is not installed")
def test_local_dask_cluster_equals_serial():
    daily, days = _queues(n_queues=3, n_days=200)
    serial = forecast_queues(daily, days, 14, "naive")
    on_dask = forecast_queues(daily, days, 14, "naive", scheduler="local")
    pd.testing.assert_frame_equal(on_dask, serial)


@pytest.mark.parametrize("n_jobs, scheduler, message", [
    (0, None, "n_jobs"), (1, "http://host:8786", "scheduler"), (2, "dask", "scheduler")])
def test_bad_parallel_options_are_named(n_jobs, scheduler, message):
    with pytest.raises(ValueError, match=message):
        check_parallel(n_jobs, scheduler)
    daily, days = _queues(n_queues=1, n_days=120)
    with pytest.raises(ValueError, match=message):
        forecast_queues(daily, days, 7, "naive", n_jobs=n_jobs, scheduler=scheduler)


def test_process_pool_equals_serial_for_a_fitted_model():
    # ETS runs a numerical optimizer: both paths pin BLAS to one thread, so they agree.
    daily, days = _queues(n_queues=2, n_days=200)
    serial = forecast_queues(daily, days, 14, "ets")
    pd.testing.assert_frame_equal(forecast_queues(daily, days, 14, "ets", n_jobs=2), serial)

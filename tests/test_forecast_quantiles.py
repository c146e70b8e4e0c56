"""forecast.quantiles: any quantile of a day from its band; the newsvendor quantile."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forecast.quantiles import Z90, cost_quantile, volume_quantile


@settings(max_examples=100, deadline=None)
@given(p50=st.floats(1.0, 1e5), low=st.floats(0.05, 1.0), high=st.floats(0.05, 1.5),
       q=st.floats(0.01, 0.99))
def test_quantiles_pass_through_the_band_and_rise_with_q(p50, low, high, q):
    p10, p90 = p50 * np.exp(-low), p50 * np.exp(high)
    assert volume_quantile([p10], [p50], [p90], 0.1)[0] == pytest.approx(p10, rel=1e-9)
    assert volume_quantile([p10], [p50], [p90], 0.9)[0] == pytest.approx(p90, rel=1e-9)
    assert volume_quantile([p10], [p50], [p90], 0.5)[0] == pytest.approx(p50, rel=1e-12)
    a, b = volume_quantile([p10] * 2, [p50] * 2, [p90] * 2, q), \
        volume_quantile([p10] * 2, [p50] * 2, [p90] * 2, min(q + 0.005, 0.995))
    assert (b >= a).all()


def test_a_wider_band_gets_a_larger_buffer():
    narrow = volume_quantile([90.0], [100.0], [110.0], 0.8)[0]
    wide = volume_quantile([60.0], [100.0], [200.0], 0.8)[0]
    # the 0.8 quantile is z = 0.8416 log-sds above the median; the sd is log(p90/p50) / 1.2816
    assert narrow == pytest.approx(100 * np.exp(0.8416212 * np.log(1.1) / Z90), rel=1e-6)
    assert wide == pytest.approx(100 * np.exp(0.8416212 * np.log(2.0) / Z90), rel=1e-6)
    assert wide / 100 - 1 > 5 * (narrow / 100 - 1)


def test_a_zero_or_flat_day_stays_put():
    assert volume_quantile([0.0, 50.0], [0.0, 50.0], [0.0, 50.0], 0.9).tolist() == [0.0, 50.0]


def test_cost_quantile_is_the_newsvendor_ratio():
    assert cost_quantile(72.0, 18.0) == pytest.approx(0.8)
    assert cost_quantile(1.0, 1.0) == 0.5
    with pytest.raises(ValueError, match="expected > 0"):
        cost_quantile(0.0, 1.0)
    with pytest.raises(ValueError, match="probability"):
        volume_quantile([1.0], [1.0], [1.0], 1.0)

"""Any quantile of a day's forecast, from its P10, P50 and P90.

A day's volume is taken as log-normal around its P50, with the log spread
read from its own band: below the median from P10, above it from P90 (the
band need not be symmetric). The plan staffs the quantile a cost trade-off
chooses (:func:`cost_quantile`), so a day with a wider band (an event whose
multiplier rests on few past occurrences) gets a larger buffer.
"""
from __future__ import annotations

from statistics import NormalDist

import numpy as np

#: The standard normal's 90th percentile: P10 and P90 sit this many log-sds from the median.
Z90 = NormalDist().inv_cdf(0.9)


def volume_quantile(p10, p50, p90, q: float) -> np.ndarray:
    """The ``q`` quantile of each day's volume [contacts/day].

    Examples
    --------
    >>> volume_quantile([80.0], [100.0], [125.0], 0.9).round(6).tolist()
    [125.0]
    >>> volume_quantile([80.0], [100.0], [125.0], 0.5).round(6).tolist()
    [100.0]
    """
    if not 0.0 < q < 1.0:
        raise ValueError(f"q: expected a probability in (0, 1), got {q!r}")
    p10, p50, p90 = (np.asarray(x, float) for x in (p10, p50, p90))
    z = NormalDist().inv_cdf(q)
    with np.errstate(divide="ignore", invalid="ignore"):
        side = np.where(z >= 0, np.log(p90 / p50), np.log(p50 / p10)) / Z90
    side = np.where(np.isfinite(side) & (side > 0), side, 0.0)
    return np.where(p50 > 0, p50 * np.exp(z * side), p50)


def cost_quantile(miss_cost_per_hour: float, idle_cost_per_hour: float) -> float:
    """The quantile to staff when an hour short costs ``miss`` and an idle hour ``idle``.

    The newsvendor's critical ratio miss / (miss + idle): staffing one more
    hour is worth it while the chance it is needed exceeds that ratio.

    Examples
    --------
    >>> round(cost_quantile(72.0, 18.0), 2)
    0.8
    """
    if not miss_cost_per_hour > 0 or not idle_cost_per_hour > 0:
        raise ValueError(f"miss and idle costs: expected > 0, got {miss_cost_per_hour!r} and "
                         f"{idle_cost_per_hour!r}")
    return miss_cost_per_hour / (miss_cost_per_hour + idle_cost_per_hour)

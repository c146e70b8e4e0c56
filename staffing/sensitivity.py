"""Sensitivity: each cost scenario again when partner rates, AHT or the volume quantile move."""
from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from staffing.costs import CostInputs, Scenario, scenario_costs

SENSITIVITY_COLUMNS = ["case", "scenario", "total_cost", "change", "understaffed_hours"]


@dataclass(frozen=True)
class SensitivityCases:
    """Which cases to cost besides the base plan.

    Parameters
    ----------
    partner_cost : tuple of float
        Multipliers of every partner's hourly cost [ratio].
    aht : tuple of float
        Multipliers of every queue's AHT [ratio]; the requirement is staffed again.
    other_quantile : bool
        Also cost the plan staffed on the other volume quantile (P90 when the
        plan is on P50, and back).
    """

    partner_cost: tuple[float, ...] = (0.8, 1.2)
    aht: tuple[float, ...] = (0.9, 1.1)
    other_quantile: bool = True


def partner_cost_case(factor: float) -> str:
    """The case's name: ``partner cost x0.8``."""
    return f"partner cost x{factor:g}"


def aht_case(factor: float) -> str:
    """The case's name: ``AHT -10%``."""
    return f"AHT {factor - 1:+.0%}"


def quantile_case(quantile: str) -> str:
    """The case's name: ``plan on P90``."""
    return f"plan on {quantile.upper()}"


def with_partner_cost(inputs: CostInputs, factor: float) -> CostInputs:
    """``inputs`` with every partner's hourly cost times ``factor`` (in-house unchanged)."""
    return replace(inputs, sources=tuple(
        s if s.inhouse else replace(s, hourly_cost=s.hourly_cost * factor) for s in inputs.sources))


def sensitivity_costs(base: pd.DataFrame, cases: list[tuple[str, pd.DataFrame, CostInputs]],
                      scenarios: list[Scenario]) -> pd.DataFrame:
    """Every scenario's total under each case, and its change from the base.

    Parameters
    ----------
    base : DataFrame
        :func:`staffing.costs.scenario_costs` of the plan as made.
    cases : list of (name, daily, inputs)
        Each case's daily requirement (``date, queue, volume, required_fte,
        regime``) and cost inputs.
    scenarios : list of Scenario

    Returns
    -------
    DataFrame
        :data:`SENSITIVITY_COLUMNS`: the ``base`` case first, then each case
        in order; ``change`` = the case's total - the base's [currency].
    """
    base_total = base.set_index("scenario")["total_cost"]
    frames = []
    for case, daily, inputs in [("base", None, None), *cases]:
        costs = base if daily is None else scenario_costs(daily, scenarios, inputs)[0]
        frames.append(pd.DataFrame({
            "case": case, "scenario": costs["scenario"], "total_cost": costs["total_cost"],
            "change": costs["total_cost"].to_numpy()
            - base_total.reindex(costs["scenario"]).to_numpy(),
            "understaffed_hours": costs["understaffed_hours"]}))
    return pd.concat(frames, ignore_index=True)[SENSITIVITY_COLUMNS]

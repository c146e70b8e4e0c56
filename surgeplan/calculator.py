"""The one-interval staffing calculator behind ``surgeplan erlang``."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from staffing import erlang
from staffing.erlang_a import abandon_probability, wait_probability_a


@dataclass(frozen=True)
class ErlangAnswer:
    """The least agents meeting the targets, and the outcomes around it.

    ``table`` has one row per agent count near the answer: ``agents``,
    ``sl`` [fraction], ``asa_s`` [s], ``occupancy`` [fraction],
    ``p_wait`` [fraction], ``p_abandon`` [fraction, Erlang A only] and
    ``fte`` = agents / (1 - shrinkage).
    """

    arrivals: float
    aht_s: float
    interval_min: int
    target_sl: float
    target_answer_s: float
    patience_s: float | None
    shrinkage: float
    traffic_erlangs: float
    agents: int
    fte: float
    table: pd.DataFrame

    def as_dict(self) -> dict:
        """JSON-ready: the inputs, the answer, and the table as records."""
        answer = self.table[self.table["agents"] == self.agents].iloc[0]
        rows = self.table.replace([np.inf], None).astype(object).where(self.table.notna(), None)
        return {
            "inputs": {"arrivals_per_interval": self.arrivals, "aht_s": self.aht_s,
                       "interval_min": self.interval_min, "target_sl": self.target_sl,
                       "target_answer_s": self.target_answer_s, "patience_s": self.patience_s,
                       "shrinkage": self.shrinkage},
            "traffic_erlangs": self.traffic_erlangs,
            "agents": self.agents, "fte": self.fte,
            "sl": float(answer["sl"]), "asa_s": _finite(answer["asa_s"]),
            "occupancy": float(answer["occupancy"]), "p_wait": float(answer["p_wait"]),
            "table": rows.to_dict(orient="records"),
        }


def _finite(value):
    value = float(value)
    return value if np.isfinite(value) else None


def erlang_table(arrivals: float, aht_s: float, interval_min: int, target_sl: float,
                 target_answer_s: float, patience_s: float | None = None,
                 max_occupancy: float | None = None, max_asa_s: float | None = None,
                 max_abandon: float | None = None, shrinkage: float = 0.0,
                 around: int = 3) -> ErlangAnswer:
    """Staff one interval and tabulate the outcomes for ``around`` agents either side.

    Parameters
    ----------
    arrivals : float
        Contacts per interval [contacts/interval].
    aht_s : float
        Average handle time [s].
    interval_min : int
        Interval length [min].
    target_sl, target_answer_s, patience_s, max_occupancy, max_asa_s, max_abandon
        As :func:`staffing.erlang.required_agents`.
    shrinkage : float
        Share of paid time not on contacts [fraction].
    """
    if not 0 <= shrinkage < 1:
        raise ValueError(f"shrinkage: expected a fraction in [0, 1), got {shrinkage!r}")
    if not interval_min > 0:
        raise ValueError(f"interval_min: expected > 0 minutes, got {interval_min!r}")
    interval_s = interval_min * 60.0  # [min] -> [s]
    agents = int(erlang.required_agents(arrivals, aht_s, interval_s, target_sl, target_answer_s,
                                        max_occupancy=max_occupancy, max_asa_s=max_asa_s,
                                        patience_s=patience_s, max_abandon=max_abandon))
    traffic = float(erlang.traffic_erlangs(arrivals, aht_s, interval_s))
    counts = np.arange(max(agents - around, 1), agents + around + 1)
    table = pd.DataFrame({
        "agents": counts,
        "sl": erlang.service_level(counts, arrivals, aht_s, interval_s, target_answer_s,
                                   patience_s=patience_s),
        "asa_s": erlang.asa_s(counts, arrivals, aht_s, interval_s, patience_s=patience_s),
        "occupancy": erlang.occupancy(counts, arrivals, aht_s, interval_s, patience_s=patience_s),
    })
    if patience_s is None:
        table["p_wait"] = erlang.erlang_c(counts, traffic)
    else:
        table["p_wait"] = wait_probability_a(counts, arrivals, aht_s, interval_s, patience_s)
        table["p_abandon"] = abandon_probability(counts, arrivals, aht_s, interval_s, patience_s)
    table["fte"] = table["agents"] / (1.0 - shrinkage)
    return ErlangAnswer(arrivals=float(arrivals), aht_s=float(aht_s), interval_min=int(interval_min),
                        target_sl=float(target_sl), target_answer_s=float(target_answer_s),
                        patience_s=patience_s, shrinkage=float(shrinkage), traffic_erlangs=traffic,
                        agents=agents, fte=agents / (1.0 - shrinkage), table=table)


@dataclass(frozen=True)
class SimulationCheck:
    """The formula's prediction beside a simulation of the same interval.

    ``table`` has rows ``sl``, ``asa_s``, ``abandon_rate``, ``occupancy`` and
    columns ``formula``, ``simulated``, ``std_error`` (of the simulated SL).
    """

    agents: int
    model: str
    n_offered: int
    table: pd.DataFrame

    def as_dict(self) -> dict:
        """JSON-ready."""
        rows = self.table.astype(object).where(self.table.notna(), None)
        return {"agents": self.agents, "model": self.model, "n_offered": self.n_offered,
                "measures": rows.to_dict(orient="index")}


def simulate_check(arrivals: float, aht_s: float, interval_min: int, target_answer_s: float,
                   agents: int | None = None, target_sl: float = 0.8,
                   patience_s: float | None = None, handle_times: str = "exponential",
                   aht_cv: float = 1.0, n_arrivals: int = 200_000, seed: int = 0
                   ) -> SimulationCheck:
    """Simulate a staffing level and set the Erlang C (or A) prediction beside it.

    With ``agents`` None, the formula's required agents for ``target_sl`` are used.
    Poisson arrivals at the interval's rate in steady state; ``handle_times``
    ``lognormal`` with ``aht_cv`` shows what the exponential assumption misses.
    """
    from staffing.simulate import simulate_queue

    interval_s = interval_min * 60.0  # [min] -> [s]
    if agents is None:
        agents = int(erlang.required_agents(arrivals, aht_s, interval_s, target_sl,
                                            target_answer_s, patience_s=patience_s))
    if agents < 1:
        raise ValueError(f"agents: expected at least 1, got {agents!r}")
    sim = simulate_queue(agents, aht_s, target_answer_s, arrivals_per_s=arrivals / interval_s,
                         n_arrivals=int(n_arrivals), handle_time_distribution=handle_times,
                         aht_cv=aht_cv, patience_s=patience_s, seed=seed)
    formula = {
        "sl": float(erlang.service_level(agents, arrivals, aht_s, interval_s, target_answer_s,
                                         patience_s=patience_s)),
        "asa_s": float(erlang.asa_s(agents, arrivals, aht_s, interval_s, patience_s=patience_s)),
        "abandon_rate": float(abandon_probability(agents, arrivals, aht_s, interval_s, patience_s))
        if patience_s else 0.0,
        "occupancy": float(erlang.occupancy(agents, arrivals, aht_s, interval_s,
                                            patience_s=patience_s)),
    }
    simulated = {"sl": sim.sl, "asa_s": sim.asa_s, "abandon_rate": sim.abandon_rate,
                 "occupancy": sim.occupancy}
    table = pd.DataFrame({"formula": formula, "simulated": simulated})
    table["std_error"] = [sim.sl_std_error, np.nan, np.nan, np.nan]
    return SimulationCheck(agents=agents, model="Erlang A" if patience_s else "Erlang C",
                           n_offered=sim.n_offered, table=table)

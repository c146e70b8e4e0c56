"""Sources of staff: the in-house team and outsourcing partners, with their terms."""
from __future__ import annotations

import math
from dataclasses import dataclass

from staffing.errors import FieldError


@dataclass(frozen=True)
class Source:
    """A way to staff: the in-house team or an outsourcing partner.

    Parameters
    ----------
    name : str
    hourly_cost : float
        Fully loaded cost of one paid hour [currency/h].
    lead_time_days : int
        Days between the call to the partner (or the hiring decision) and the
        first productive day [days].
    min_activation_days : int
        Shortest window the partner accepts [days].
    max_fte : float
        Most FTE the source can provide on a day [FTE].
    queues : tuple of str
        Queues it may serve; empty for all.
    inhouse : bool
        True for the employer's own team (it provides the core).
    activation_cost : float
        Fixed cost of each activation window [currency].
    quality_factor : float
        The partner's AHT over in-house AHT [ratio]; 1.1 means a partner FTE
        clears 1/1.1 of an in-house FTE's work.
    ramp : tuple of float
        AHT multiplier [ratio] on the first days of each window (day 1, 2,
        ...), for a team still learning: each >= 1 and none above the one
        before; 1 after the last one given.
    """

    name: str
    hourly_cost: float
    lead_time_days: int = 0
    min_activation_days: int = 1
    max_fte: float = math.inf
    queues: tuple[str, ...] = ()
    inhouse: bool = False
    activation_cost: float = 0.0
    quality_factor: float = 1.0
    ramp: tuple[float, ...] = ()

    def __post_init__(self):
        checks = [("hourly_cost", self.hourly_cost >= 0, ">= 0"),
                  ("lead_time_days", self.lead_time_days >= 0, ">= 0 days"),
                  ("min_activation_days", self.min_activation_days >= 1, ">= 1 day"),
                  ("max_fte", self.max_fte > 0, "> 0"),
                  ("quality_factor", self.quality_factor > 0, "> 0"),
                  ("ramp", all(r >= 1 for r in self.ramp)
                   and all(a >= b for a, b in zip(self.ramp, self.ramp[1:])),
                   "AHT multipliers >= 1 that do not rise from one day to the next "
                   "(a learning curve)"),
                  ("activation_cost", self.activation_cost >= 0, ">= 0")]
        for field_name, ok, expected in checks:
            if not ok:
                raise FieldError(field_name, expected, getattr(self, field_name), self.name)

    @property
    def cost_per_work_hour(self) -> float:
        """What an hour of in-house-equivalent work costs from this source [currency/h]."""
        return self.hourly_cost * self.quality_factor

    def serves(self, queue: str) -> bool:
        """True if the source may take work from ``queue``."""
        return not self.queues or queue in self.queues

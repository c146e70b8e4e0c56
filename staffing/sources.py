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
    committed_fte : float
        The contract's committed minimum [FTE]: paid every day of the plan at
        ``hourly_cost`` whether used or not, and so used first, with no lead
        time, activation or ramp (the team is in place).
    surge_cost_ratio : float
        The hourly cost of FTE above the commitment, as a multiple of
        ``hourly_cost`` [ratio] (a partner's surge rate).
    commitment_notice_days : int
        Notice the contract needs to change the commitment [days] (shown
        with the plan; the commitment is constant over a plan).
    repeat_factor : float
        Contacts handled per contact resolved, relative to in-house: the
        in-house first-contact resolution over the source's [ratio]. An
        unresolved contact comes back, so a source resolving less first time
        handles more contacts for the same demand.
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
    committed_fte: float = 0.0
    surge_cost_ratio: float = 1.0
    commitment_notice_days: int = 0
    repeat_factor: float = 1.0

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
                  ("activation_cost", self.activation_cost >= 0, ">= 0"),
                  ("committed_fte", 0 <= self.committed_fte <= self.max_fte,
                   "FTE from 0 to max_fte"),
                  ("surge_cost_ratio", 0 < self.surge_cost_ratio < math.inf, "a ratio > 0"),
                  ("commitment_notice_days", self.commitment_notice_days >= 0, ">= 0 days"),
                  ("repeat_factor", 0 < self.repeat_factor <= 10, "a ratio in (0, 10]")]
        for field_name, ok, expected in checks:
            if not ok:
                raise FieldError(field_name, expected, getattr(self, field_name), self.name)

    @property
    def work_factor(self) -> float:
        """Paid FTE per in-house FTE of work: slower handling times more handlings [ratio]."""
        return self.quality_factor * self.repeat_factor

    @property
    def cost_per_work_hour(self) -> float:
        """What an hour of in-house-equivalent work costs from this source [currency/h]."""
        return self.hourly_cost * self.work_factor

    @property
    def surge_cost_per_work_hour(self) -> float:
        """What an hour of work above the commitment costs [currency/h]."""
        return self.cost_per_work_hour * self.surge_cost_ratio

    def serves(self, queue: str) -> bool:
        """True if the source may take work from ``queue``."""
        return not self.queues or queue in self.queues

"""Queueing math and staffing plans: Erlang B/C/A, async work, requirements, core/overflow, costs.

The queueing API takes scalars or broadcasting numpy arrays::

    import staffing
    staffing.required_agents(100, aht_s=180, interval_s=1800, target_sl=0.8, target_answer_s=20)

Modules: :mod:`staffing.erlang` (Erlang B/C and the agent search),
:mod:`staffing.erlang_a` (abandonment), :mod:`staffing.async_work` (email and chat
concurrency), :mod:`staffing.simulate` (a discrete-event check),
:mod:`staffing.requirements` (agents per interval, FTE per day), :mod:`staffing.plan`
(core, overflow, activation windows), :mod:`staffing.costs` (scenarios and the optimal
core), :mod:`staffing.optimal` (the optimal core's levels as one mixed-integer programme
over every queue, HiGHS; the grid of plans in :func:`staffing.costs.optimal_core` is its
oracle), :mod:`staffing.shifts` and :mod:`staffing.schedules` (whole shifts over the interval
requirement, HiGHS), :mod:`staffing.rosters` (people per week from days-off patterns).
Imports nothing from ``calendars``, ``forecast`` or ``surgeplan``.
"""
from staffing.erlang import (asa_s, erlang_b, erlang_c, occupancy, required_agents,
                             service_level, traffic_erlangs)

__all__ = ["asa_s", "erlang_b", "erlang_c", "occupancy", "required_agents", "service_level",
           "traffic_erlangs"]

"""Promo calendars and public holidays: schema, loading, validation, retail peaks, event days.

Modules: :mod:`calendars.io` (reading, the only file access), :mod:`calendars.events`
(event days, holidays, retail peaks, regimes), :mod:`calendars.hours` (open hours),
:mod:`calendars.errors` (the :class:`InputError` every reader raises).
Imports nothing from ``forecast``, ``staffing`` or ``surgeplan``.
"""
from calendars.errors import InputError

__all__ = ["InputError"]

"""Ticket history, daily volume models, event effects and intraday profiles.

Modules: :mod:`forecast.io` (reading history), :mod:`forecast.history` (daily and
interval counts, category mix), :mod:`forecast.events` (learned event multipliers),
:mod:`forecast.models` (``MODELS`` and :func:`forecast.models.forecast_queues`),
:mod:`forecast.intraday` (profiles and the split into intervals).
Imports only ``calendars`` among the project's packages.
"""

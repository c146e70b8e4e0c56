"""The forecast models by name, resolved only when one is used.

Naming a model (``surgeplan forecast --help``, a config's ``model``) imports
nothing; :func:`load_model` imports the one asked for. Every model is
``model(daily, days, horizon_days) -> DataFrame`` with ``date``,
``volume_p10``, ``volume_p50``, ``volume_p90`` [tickets/day]
(:mod:`forecast.models`).
"""
from __future__ import annotations

import importlib
from collections.abc import Callable

#: name -> (module, function, what it is in a few words). ``auto`` first: the default.
MODELS: dict[str, tuple[str, str, str]] = {
    "auto": ("forecast.auto", "auto",
             "baseline and ets backtested per queue and combined (the default)"),
    "naive": ("forecast.baseline", "seasonal_naive", "each weekday repeats last week's"),
    "baseline": ("forecast.baseline", "baseline_events",
                 "weekly baseline with last year's shape x learned event multipliers"),
    "ets": ("forecast.statistical", "ets",
            "damped Holt-Winters on the event-cleaned series x event multipliers"),
    "sarimax": ("forecast.statistical", "sarimax", "SARIMAX with event regressors"),
    "prophet": ("forecast.prophet_model", "prophet", "Prophet with the events as holidays"),
    "drivers": ("forecast.drivers", "drivers",
                "tickets per order x planned orders (needs an orders file)"),
}


def check_model(name: str, option: str = "model") -> str:
    """``name`` if it is a model, else ValueError naming ``option`` and the models.

    Examples
    --------
    >>> check_model("auto")
    'auto'
    """
    if name not in MODELS:
        raise ValueError(f"{option}: unknown model {name!r}; expected one of {', '.join(MODELS)}")
    return name


def load_model(name: str) -> Callable:
    """The model function registered as ``name``."""
    module, function, _ = MODELS[check_model(name)]
    return getattr(importlib.import_module(module), function)

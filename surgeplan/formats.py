"""How an output column is shown: its label and its kind, one table every presenter reads.

The domain names the columns (``staffing.costs.COST_COLUMNS`` ...); this
module says, once, what people call each and how its numbers are written.
The console and the HTML report write :func:`text`; the workbook maps the
kind to an Excel number format. A new column needs one entry here.
"""
from __future__ import annotations

import math

#: column -> (label, kind). Kinds: fte (one decimal), money (whole), money2 (cents),
#: hours and count (whole, thousands separated), fraction (a percent), text.
COLUMNS: dict[str, tuple[str, str]] = {
    "scenario": ("scenario", "text"),
    "core_fte": ("core FTE", "fte"),
    "core_cost": ("core", "money"),
    "overtime_cost": ("overtime", "money"),
    "overflow_cost": ("overflow", "money"),
    "activation_cost": ("activation", "money"),
    "total_cost": ("total", "money"),
    "monthly_cost": ("per month", "money"),
    "cost_per_ticket": ("per ticket", "money2"),
    "understaffed_hours": ("understaffed h", "hours"),
    "idle_hours": ("idle h", "hours"),
    "escalations_waiting": ("escalations waiting", "count"),
}


def label(column: str) -> str:
    """The column's label for people (the column name itself when it has none)."""
    return COLUMNS.get(column, (column, "text"))[0]


def kind(column: str) -> str:
    """The column's kind (``text`` when it has none)."""
    return COLUMNS.get(column, (column, "text"))[1]


def text(value, kind_: str) -> str:
    """``value`` written for people by its kind; ``-`` for a missing number.

    Examples
    --------
    >>> text(1234567.8, "money"), text(0.8512, "fraction"), text(12.34, "fte")
    ('1,234,568', '85.1%', '12.3')
    """
    if kind_ == "text":
        return "" if value is None else str(value)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    return {"fte": f"{value:,.1f}", "money": f"{value:,.0f}", "money2": f"{value:,.2f}",
            "hours": f"{value:,.0f}", "count": f"{value:,.0f}",
            "fraction": f"{value:.1%}"}[kind_]

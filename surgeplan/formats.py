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
    "commitment_cost": ("commitment", "money"),
    "overflow_cost": ("overflow", "money"),
    "activation_cost": ("activation", "money"),
    "total_cost": ("total", "money"),
    "monthly_cost": ("per month", "money"),
    "cost_per_ticket": ("per ticket", "money2"),
    "understaffed_hours": ("understaffed h", "hours"),
    "idle_hours": ("idle h", "hours"),
    "escalations_waiting": ("escalations waiting", "count"),
}


#: The cost table of the report and the workbook, in order.
COST_TABLE = ["scenario", "core_fte", "core_cost", "overtime_cost", "commitment_cost",
              "overflow_cost", "activation_cost", "total_cost", "monthly_cost", "cost_per_ticket",
              "understaffed_hours", "idle_hours", "escalations_waiting"]
#: The console's compact cost table (the rest is in costs.csv and the report).
CONSOLE_COST_TABLE = ["scenario", "core_fte", "total_cost", "monthly_cost", "cost_per_ticket",
                      "understaffed_hours"]


def scenario_label(row) -> str:
    """A cost row's scenario with the queues it leaves unserved: ``all offshore (phone unserved)``."""
    unserved = str(row.get("unserved_queues", "") or "")
    if not unserved or unserved == "nan":
        return str(row["scenario"])
    return f"{row['scenario']} ({unserved.replace(',', ', ')} unserved)"


def decision(summary, currency: str, horizon_days: int) -> str:
    """The plan's decision in one sentence: who to keep, whom to call by when, what it costs.

    ``summary`` is a :class:`surgeplan.result.PlanSummary`. Plain text: each
    presenter escapes it for its sink.
    """
    core = summary.core
    people = int(core["headcount"].sum())
    keep = (f"keep {people} people in-house ("
            + ", ".join(f"{q} {n}" for q, n in zip(core["queue"], core["headcount"])) + ")"
            if people else "no in-house core")
    calls = [f"{c.source} by {c.notice_by:%Y-%m-%d} ({c.windows.replace(',', ', ')})"
             for c in summary.calls.itertuples()]
    call = ("call " + (" and ".join(calls) if len(calls) < 3 else
                       ", ".join(calls[:-1]) + " and " + calls[-1])) if calls \
        else "no partner to call"
    r = summary.recommended
    return (f"Decision: {keep}; {call}; expected cost {currency} {r['total_cost']:,.0f} over "
            f"{horizon_days} days ({r['cost_per_ticket']:,.2f} per contact), "
            f"{r['understaffed_hours']:,.0f} understaffed hours.")


def risk_sentence(risk, top: int = 3) -> str:
    """What no source can cover and why, in one sentence (empty when nothing is at risk).

    ``risk`` is a :class:`staffing.plan.Risk`. Plain text: each presenter
    escapes it for its sink.
    """
    if risk.worst is None:
        return ""
    causes = "; ".join(f"{c.queue}: {c.detail} ({c.fte_days:,.1f} FTE-days on {c.days} days)"
                       for c in risk.causes.head(top).itertuples())
    more = f"; {len(risk.causes) - top} more in plan.csv" if len(risk.causes) > top else ""
    w = risk.worst
    return (f"Risk: {risk.fte_days:,.1f} FTE-days on {risk.n_days} days no source can cover. "
            f"Why: {causes}{more}. Worst day: {w['queue']} on {w['date']:%Y-%m-%d}, "
            f"{w['shortfall_fte']:.1f} FTE short, expected service level "
            f"{w['expected_sl']:.2f}.")


def way_out_sentences(options, currency: str = "") -> list[str]:
    """One sentence per short in-house-only queue: its ways out, each costed (plain text).

    ``options`` is :attr:`surgeplan.result.PlanSummary.ways_out`.
    """
    out = []
    for queue, rows in options.groupby("queue", sort=False):
        short = float(rows["fte_days_covered"].iloc[0] + rows["fte_days_left"].iloc[0])
        moves = []
        for o in rows.itertuples():
            covers = f"covers {o.fte_days_covered:,.1f} for {currency} {o.cost:,.0f}"
            if o.fte_days_covered <= 0 and o.option != "overtime":
                moves.append(f"{o.option} is too late (lead time: the earliest start is "
                             f"{o.start:%Y-%m-%d}, after the last short day)"
                             if o.start > o.end else f"{o.option} covers nothing")
            elif o.option == "overtime":
                moves.append(f"overtime on the short days (up to {o.fte:.1f} FTE) {covers}")
            elif o.option == "temporary hire":
                moves.append(f"a temporary hire of {o.fte:.1f} FTE from {o.start:%Y-%m-%d} "
                             f"(decide by {o.decide_by:%Y-%m-%d}) {covers}")
            else:
                moves.append(f"{o.option}, if its contract took {queue} (call by "
                             f"{o.decide_by:%Y-%m-%d}), {covers}")
        out.append(f"Ways out for {queue} ({short:,.1f} FTE-days short, no partner may serve "
                   f"it): " + "; ".join(moves) + ". See way_out.csv.")
    return out


#: Currency symbols for short money labels; other currencies show their code.
CURRENCY_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "INR": "₹"}


def money_short(value: float, currency: str = "") -> str:
    """``$1.2M``, ``€950k``, ``CHF 12``: money for a chart's ticks and labels.

    Examples
    --------
    >>> money_short(1_234_567, "USD"), money_short(950_000, "EUR"), money_short(12, "CHF")
    ('$1.2M', '€950k', 'CHF 12')
    """
    symbol = CURRENCY_SYMBOLS.get(currency, f"{currency} " if currency else "")
    size = abs(value)
    if size >= 1e9:
        text = f"{value / 1e9:.1f}B"
    elif size >= 1e6:
        text = f"{value / 1e6:.1f}M"
    elif size >= 1e4:
        text = f"{value / 1e3:.0f}k"
    elif size >= 1e3:
        text = f"{value / 1e3:.1f}k"
    else:
        text = f"{value:.0f}"
    return f"{symbol}{text}"


def scenario_notes(costs, sources) -> list[str]:
    """What each scenario costs and risks against the recommended plan, one sentence each.

    ``costs`` is the cost table (the recommended plan first); ``sources`` the
    config's :class:`staffing.sources.Source` list. Plain text.
    """
    if not len(costs):
        return []
    base = costs.iloc[0]
    by_name = {s.name: s for s in sources}
    notes = []
    for _, row in costs.iloc[1:].iterrows():
        parts = [f"{row['total_cost'] / base['total_cost']:.2f}x the recommended cost"
                 if base["total_cost"] else f"{row['total_cost']:,.0f}",
                 f"{row['understaffed_hours']:,.0f} understaffed hours "
                 f"(recommended: {base['understaffed_hours']:,.0f})"]
        if row.get("unserved_queues"):
            parts.append(f"{str(row['unserved_queues']).replace(',', ', ')} left unserved")
        if row["escalations_waiting"] > 0:
            parts.append(f"{row['escalations_waiting']:,.0f} escalations wait for Tier 2 "
                         "outside its hours")
        for name in filter(None, str(row["overflow_sources"]).split("+")):
            source = by_name.get(name)
            if source is not None and source.work_factor != 1.0:
                parts.append(f"{name} needs {source.work_factor:.2f} FTE per in-house FTE of "
                             f"work (AHT x{source.quality_factor:g}, repeats "
                             f"x{source.repeat_factor:.2f} from first-contact resolution)")
            if source is not None and source.surge_cost_ratio != 1.0:
                parts.append(f"{name}'s flexible hours cost x{source.surge_cost_ratio:g} its "
                             f"committed rate")
        notes.append(f"{scenario_label(row)}: " + "; ".join(parts) + ".")
    return notes


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
    ('1,234,568', '0.85', '12.3')
    """
    if kind_ == "text":
        return "" if value is None else str(value)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    return {"fte": f"{value:,.1f}", "money": f"{value:,.0f}", "money2": f"{value:,.2f}",
            "hours": f"{value:,.0f}", "count": f"{value:,.0f}",
            "fraction": f"{value:.2f}"}[kind_]

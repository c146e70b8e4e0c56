"""The plan as one self-contained HTML page: headline, charts, tables and assumptions.

:func:`render_html` is pure: it returns the page as a string and writes no
file (``surgeplan.report`` writes it). Charts come from
:mod:`surgeplan.charts` and are embedded as base64 PNG data URIs; the CSS is
inline; there is no JavaScript and no external URL, and a Content Security
Policy forbids loading anything but the embedded images. Every piece of text
that comes from the inputs (business, queue, source, event and scenario
names) goes through :func:`html.escape`.
"""
from __future__ import annotations

import base64
import html
import math

import pandas as pd

from forecast.multipliers import ASSUMED_SOURCES
from staffing.costs import RECOMMENDED
from surgeplan import formats
from surgeplan.result import PlanResult

WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


CSS = """
:root { --ink: #1d3557; --muted: #5c677d; --line: #d9dee7; --band: #f4f6fa; --late: #c1121f; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial,
       sans-serif; color: #222; background: #fff; }
.wrap { max-width: 1180px; margin: 0 auto; padding: 0 24px 48px; }
header { border-bottom: 3px solid var(--ink); padding: 28px 0 14px; margin-bottom: 8px; }
header h1 { margin: 0; font-size: 28px; color: var(--ink); }
header p { margin: 4px 0 0; color: var(--muted); }
h2 { color: var(--ink); font-size: 21px; margin: 34px 0 8px; border-bottom: 1px solid var(--line);
     padding-bottom: 4px; }
h3 { font-size: 16px; margin: 22px 0 6px; }
p.note { color: var(--muted); font-size: 13px; margin: 4px 0 10px; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(165px, 1fr)); gap: 12px;
         margin: 14px 0; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; background: var(--band); }
.card .label { font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
.card .value { font-size: 22px; font-weight: 650; color: var(--ink); white-space: nowrap; }
.card .sub { font-size: 13px; color: var(--muted); }
.table-wrap { overflow-x: auto; margin: 8px 0 14px; }
table { border-collapse: collapse; width: 100%; font-size: 13.5px; }
th, td { padding: 5px 9px; border-bottom: 1px solid var(--line); text-align: left;
         vertical-align: top; }
th { background: var(--band); font-weight: 600; white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.date { white-space: nowrap; }
tr.best td { font-weight: 650; }
.late { color: var(--late); font-weight: 650; }
p.decision { font-size: 16px; font-weight: 600; color: var(--ink); margin: 6px 0 12px; }
.risk { border-left: 4px solid var(--late); padding: 8px 12px; background: #fff1f1; margin: 12px 0; }
figure { margin: 10px 0 18px; }
figure img { display: block; width: 100%; height: auto; border: 1px solid var(--line); }
figure.narrow img { max-width: 820px; }
figcaption { font-size: 13px; color: var(--muted); margin-top: 4px; }
footer { margin-top: 36px; color: var(--muted); font-size: 12px; }
@media (max-width: 700px) { .wrap { padding: 0 12px 32px; } header h1 { font-size: 22px; } }
@media print {
  @page { size: A4 landscape; margin: 12mm; }
  * { background: none !important; box-shadow: none !important; }
  body { font-size: 10.5pt; }
  .wrap { max-width: none; padding: 0; }
  section.page { break-before: page; }
  h2, h3 { break-after: avoid; }
  figure, tr, .card { break-inside: avoid; }
  thead { display: table-header-group; }
  figure img { max-width: 100%; max-height: 165mm; width: auto; }
  .table-wrap { overflow: visible; }
}
"""


class Html(str):
    """Markup built here and already escaped: :func:`cell` passes it through unchanged."""


def esc(value) -> str:
    """``value`` as text that is safe inside HTML elements and quoted attributes."""
    return value if isinstance(value, Html) else html.escape(str(value), quote=True)


def render_html(result: PlanResult, images: dict[str, bytes] | None = None) -> str:
    """The whole report as one self-contained HTML document.

    Parameters
    ----------
    result : PlanResult
        :func:`surgeplan.pipeline.run_plan` output.
    images : dict, optional
        :func:`surgeplan.charts.render_charts`: the charts as PNG, embedded
        (base64); without them the page has the tables only.

    Returns
    -------
    str
        The HTML document (UTF-8 text; no external resources, no scripts).
    """
    cfg = result.config
    title = f"{cfg.business.name}: staffing plan from {result.as_of:%Y-%m-%d}"
    charts = images or {}
    body = [_header(result), _headline(result), _forecast_section(result, charts),
            _plan_section(result, charts), _windows_section(result, charts),
            _rollup_section(result), _people_section(result), _costs_section(result, charts),
            _assumptions_section(result),
            f"<footer>Made by surgeplan on the data up to {_day(result.as_of - pd.Timedelta(days=1))}. "
            "Tables as CSV and Excel (plan.xlsx) beside this file.</footer>"]
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
            "img-src data:; style-src 'unsafe-inline'\">\n"
            f"<title>{esc(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
            "<div class=\"wrap\">\n" + "\n".join(body) + "\n</div>\n</body>\n</html>\n")


# -- sections -----------------------------------------------------------------------------

def _header(result: PlanResult) -> str:
    cfg = result.config
    end = result.forecast["date"].max()
    return (f"<header><h1>{esc(cfg.business.name)}</h1>"
            f"<p>Support staffing plan &middot; planning date <strong>{_day(result.as_of)}</strong>"
            f" &middot; horizon {_day(result.as_of)} to {_day(end)} ({cfg.forecast.horizon_days} days)"
            f" &middot; staffed on {esc(result.summary.staffed_on)} &middot; "
            f"{cfg.staffing.interval_min}-minute intervals, {esc(cfg.business.timezone)} &middot; "
            f"costs in {esc(cfg.business.currency)}</p></header>")


def _headline(result: PlanResult) -> str:
    cfg = result.config
    cards = []
    for row in result.summary.core.itertuples():
        cards.append(_card(f"core {row.queue}", f"{row.core_fte:.1f} FTE",
                           f"{row.headcount} people on the payroll"))
    windows = result.windows
    cards.append(_card("activation windows", f"{len(windows)}",
                       ", ".join(f"{n} {s}" for s, n in windows["source"].value_counts()
                                 .sort_index().items()) or "the core covers every day"))
    if len(windows):
        first = windows.sort_values(["notice_by", "window"]).iloc[0]
        cards.append(_card("first notice by", _day(first["notice_by"]),
                           Html(f"{esc(first['window'])} {esc(first['source'])}: "
                                f"{_notice_status(first['notice_by'], result.as_of)}")))
    rec = result.summary.recommended
    cards.append(_card("recommended plan", _money(rec["total_cost"], cfg.business.currency),
                       f"{rec['cost_per_ticket']:,.2f} per contact; "
                       f"{rec['understaffed_hours']:,.0f} understaffed h"))
    sentence = formats.risk_sentence(result.summary.risk, top=6)
    risk = f"<div class=\"risk\">{esc(sentence)}</div>" if sentence else ""
    risk += "".join(f"<p class=\"note\">{esc(way)}</p>" for way in
                    formats.way_out_sentences(result.summary.ways_out,
                                              result.config.business.currency))
    decision = formats.decision(result.summary, cfg.business.currency,
                                cfg.forecast.horizon_days)
    return ("<section id=\"headline\"><h2>Headline</h2><div class=\"cards\">" + "".join(cards)
            + f"</div><p class=\"decision\">{esc(decision)}</p>" + risk + "</section>")


def _forecast_section(result: PlanResult, charts: dict[str, bytes]) -> str:
    parts = ["<section id=\"forecast\" class=\"page\"><h2>Forecast</h2>"]
    if "forecast" in charts:
        parts.append(_figure(charts["forecast"], "Recent history, the P50 forecast and its "
                             "P10-P90 band; event days shaded by type."))
    rows = [[f.queue, _num(f.total_p50, 0), _num(f.normal_median_p50, 0), _day(f.peak_day),
             _num(f.peak_p50, 0), _num(f.peak_p90, 0)]
            for f in result.summary.forecast.itertuples()]
    parts.append(table_html(["queue", "contacts over the horizon (P50)", "normal-day median",
                         "peak day", "peak P50", "peak P90"], rows, numeric={1, 2, 4, 5},
                        dates={3}))
    ahead = result.days[(result.days["date"] >= result.as_of) & (result.days["phase"] == "event")]
    if len(ahead):
        events = (ahead.groupby(["name", "type"], as_index=False, sort=False)["date"]
                  .agg(["min", "max"]).sort_values(["min", "name"]))
        parts.append("<h3>Events in the horizon</h3>")
        parts.append(table_html(["event", "type", "first day", "last day"],
                            [[e["name"], e["type"].replace("_", " "), _day(e["min"]), _day(e["max"])]
                             for _, e in events.iterrows()], dates={2, 3}))
    return "".join(parts) + "</section>"


def _plan_section(result: PlanResult, charts: dict[str, bytes]) -> str:
    parts = ["<section id=\"plan\" class=\"page\"><h2>Requirement, core and overflow</h2>"]
    if "plan" in charts:
        parts.append(_figure(charts["plan"], "What covers the required FTE each day: the core, "
                             "its overtime, each partner's work (in in-house FTE) and, in red, "
                             "what nobody covers; dotted lines are notice-by dates."))
    rows = []
    for queue, one in result.plan.groupby("queue", sort=True):
        rows.append([queue, _num(result.core.get(queue, math.nan), 1),
                     _num(one["required_fte"].max(), 1), _num(one["overflow_fte"].sum(), 1),
                     _num(one["shortfall_fte"].sum() if "shortfall_fte" in one else 0.0, 1)])
    parts.append(table_html(["queue", "core FTE", "peak required FTE", "overflow FTE-days",
                         "uncovered FTE-days"], rows, numeric={1, 2, 3, 4}))
    return "".join(parts) + "</section>"


def _windows_section(result: PlanResult, charts: dict[str, bytes]) -> str:
    parts = ["<section id=\"windows\" class=\"page\"><h2>Activation windows</h2>",
             "<p class=\"note\">Call each partner by its notice-by date (start minus lead time); "
             "a date before the planning date is marked late.</p>"]
    if "windows" in charts:
        parts.append(_figure(charts["windows"], "Each window as a bar from its first to its last day; the diamond is "
                             "its notice-by date, the dotted line the lead time."))
    rows = []
    for w in result.windows.sort_values(["start", "window"]).itertuples():
        rows.append([w.window, w.source, w.queue.replace(",", ", "), _day(w.start), _day(w.end),
                     str(w.days), _num(w.peak_fte, 1),
                     Html(f"{_day(w.notice_by)} {_notice_status(w.notice_by, result.as_of)}"),
                     w.reason, getattr(w, "strategy", "")])
    if rows:
        parts.append(table_html(["window", "source", "queues", "start", "end", "days", "peak FTE",
                             "notice by", "events covered", "strategy"], rows,
                            numeric={5, 6}, dates={3, 4, 7}))
    else:
        parts.append("<p>No overflow is needed: the core covers every day of the horizon.</p>")
    return "".join(parts) + "</section>"


def _costs_section(result: PlanResult, charts: dict[str, bytes]) -> str:
    cfg = result.config
    costs = result.costs
    shown = formats.COST_TABLE[1:]
    parts = ["<section id=\"costs\" class=\"page\"><h2>Cost scenarios</h2>",
             f"<p class=\"note\">Over the {cfg.forecast.horizon_days}-day horizon, in "
             f"{esc(cfg.business.currency)}; "
             "the recommended plan (core, overtime and every partner as planned) first, in bold; a "
             "scenario that leaves at least half of a queue's work uncovered says so. Understaffed hours are FTE-hours of requirement the "
             "scenario leaves uncovered.</p>"]
    rows, classes = [], []
    for index, c in costs.iterrows():
        rows.append([formats.scenario_label(c)]
                    + [formats.text(c[col], formats.kind(col)) for col in shown])
        classes.append("best" if c["scenario"] == RECOMMENDED else "")
    parts.append(table_html(["scenario"] + [formats.label(col) for col in shown], rows,
                        numeric=set(range(1, len(shown) + 1)), row_classes=classes))
    notes = formats.scenario_notes(costs, cfg.sources)
    if notes:
        parts.append("<h3>What each choice costs and risks</h3><ul class=\"notes\">"
                     + "".join(f"<li>{esc(n)}</li>" for n in notes) + "</ul>")
    if "costs" in charts:
        parts.append(_figure(charts["costs"], "Total cost per scenario, split into its parts "
                             "(they add up to the total).", narrow=True))
    parts.append(_sensitivity_table(result))
    return "".join(parts) + "</section>"


def _people_section(result: PlanResult) -> str:
    """Shifts and hiring, when the config asks for them."""
    if result.roster is None and result.hiring is None:
        return ""
    parts = ["<section id=\"people\" class=\"page\"><h2>People: shifts and hiring</h2>"]
    if result.roster is not None:
        schedule, fte = result.roster.schedule, result.roster.fte
        rows = []
        for queue, one in schedule.days.groupby("queue", sort=True):
            mine = fte[fte["queue"] == queue]
            rows.append([queue, _num(one["required_agent_hours"].sum(), 0),
                         _num(one["scheduled_agent_hours"].sum(), 0),
                         formats.text(one["required_agent_hours"].sum()
                                      / max(one["scheduled_agent_hours"].sum(), 1e-9), "fraction"),
                         _num(mine["required_fte"].mean(), 1), _num(mine["scheduled_fte"].mean(), 1)])
        parts.append("<h3>Shifts</h3><p class=\"note\">Whole shifts cover every interval (an "
                     "integer programme per queue and day); efficiency = required over scheduled "
                     "agent-hours. The plan's FTE and costs use the shifts' paid hours; the fluid "
                     "curve is the lower bound.</p>")
        parts.append(table_html(["queue", "required agent-h", "scheduled agent-h", "efficiency",
                                 "fluid FTE / day", "scheduled FTE / day"], rows,
                                numeric={1, 2, 3, 4, 5}))
        weeks = result.roster.weekly.weeks
        rows = [[_day(w.week_start), w.queue, str(int(w.headcount)), str(int(w.headcount_7_5))]
                for w in weeks.itertuples()]
        parts.append("<h3>People per week</h3><p class=\"note\">From days-off patterns (each "
                     "person works 5 days), against FTE x 7 / 5.</p>")
        parts.append(table_html(["week of", "queue", "people", "FTE x 7/5"], rows,
                                numeric={2, 3}))
    if result.hiring is not None:
        hires = result.hiring.plan.cohorts
        rows = [[h.queue, str(int(h.people)), _day(h.decide_by), _day(h.start),
                 _day(h.productive_from), _num(h.cost, 0)] for h in hires.itertuples()]
        parts.append("<h3>Hiring plan</h3><p class=\"note\">Cohorts that keep each month's "
                     "productive core at its target, given attrition, the lead time to hire, "
                     "training and the new hires' ramp (hiring.csv, hiring_monthly.csv).</p>")
        parts.append(table_html(["queue", "people", "decide by", "start", "productive from",
                                 "cost"], rows, numeric={1, 5}, dates={2, 3, 4})
                     if rows else "<p>No hire needed over the horizon.</p>")
        seasons = result.hiring.seasons
        if len(seasons):
            rows = [[str(r["season"]), r["partner"], r["queue"], _num(r["hire_people"], 0),
                     _day(r["hire_decide_by"]), _num(r["hire_cost"], 0), _num(r["rent_cost"], 0),
                     r["choice"]] for _, r in seasons.iterrows()]
            parts.append("<h3>Hire for the season, or rent it</h3><p class=\"note\">For each "
                         "season and partner: a seasonal cohort (trained in time, then released "
                         "or absorbed by attrition) against renting the same FTE-days.</p>")
            parts.append(table_html(["season", "partner", "queue", "hire people", "decide by",
                                     "hire cost", "rent cost", "choice"], rows,
                                    numeric={3, 5, 6}, dates={4}))
    return "".join(parts) + "</section>"


def _sensitivity_table(result: PlanResult) -> str:
    """Each scenario's total under each sensitivity case, and the change from the plan as made."""
    sens = result.sensitivity
    if sens.empty:
        return ""
    cases = [c for c in dict.fromkeys(sens["case"]) if c != "base"]
    totals = sens.pivot_table(index="scenario", columns="case", values="total_cost",
                              sort=False)
    rows = []
    for _, c in result.costs.iterrows():
        row = [formats.scenario_label(c), _num(c["total_cost"], 0)]
        for case in cases:
            value = totals.loc[c["scenario"], case]
            change = value - c["total_cost"]
            row.append(f"{value:,.0f} ({change:+,.0f})")
        rows.append(row)
    return ("<h3>Sensitivity</h3><p class=\"note\">Each scenario's total when partner rates, "
            "handle times or the volume quantile planned on move (in brackets: the change from "
            "the plan as made). The cases are set in the config's [sensitivity] section.</p>"
            + table_html(["scenario", "as planned", *cases], rows,
                     numeric=set(range(1, len(cases) + 2))))


def _rollup_section(result: PlanResult) -> str:
    """The plan by week over all queues: what planners present."""
    weekly = result.weekly[result.weekly["queue"] == "all"]
    partners = [c for c in weekly.columns if c.startswith("overflow_fte: ")]
    rows = [[_day(w["period"]), str(int(w["days"])), _num(w["required_fte"], 1),
             _num(w["core_fte"], 1), _num(w["overtime_fte"], 1),
             *(_num(w[p], 1) for p in partners), _num(w["shortfall_fte"], 1),
             _num(w["shortfall_hours"], 0)] for _, w in weekly.iterrows()]
    heads = ["week of", "days", "required FTE", "core FTE", "overtime FTE",
             *(f"{p.split(': ', 1)[1]} FTE (paid)" for p in partners), "shortfall FTE",
             "understaffed h"]
    return ("<section id=\"weekly\" class=\"page\"><h2>Week by week</h2><p class=\"note\">"
            "Mean FTE per day of each week, all queues (weekly.csv and monthly.csv have each "
            "queue).</p>" + table_html(heads, rows, numeric=set(range(1, len(heads)))) + "</section>")


def _assumptions_section(result: PlanResult) -> str:
    cfg = result.config
    policy = cfg.core.policy
    parts = ["<section id=\"assumptions\" class=\"page\"><h2>Assumptions</h2>",
             f"<p class=\"note\">Forecast model {esc(cfg.forecast.model)}; "
             f"{cfg.staffing.paid_hours_per_fte_day:g} paid hours per FTE-day; "
             f"{cfg.staffing.work_days_per_week:g} working days a week per person; core "
             f"policy {esc(policy.method)}"
             + (f" (the {policy.percentile:.2f} quantile of normal-day requirement)"
                if policy.method == "percentile" else "")
             + f", overtime up to {policy.overtime_fraction:.2f} of the core at "
               f"{policy.overtime_premium:g}x; "
             f"public holidays of {esc(', '.join(cfg.business.countries) or 'no country')}.</p>",
             "<h3>What the plan assumes rather than learns</h3>",
             table_html(["kind", "subject", "assumption", "to change it"],
                    result.summary.assumptions.to_numpy().tolist())
             if len(result.summary.assumptions) else
             "<p>Nothing: every event, holiday and intraday shape rests on your history.</p>",
             "<h3>Queues and targets</h3>"]
    rows = []
    for q in cfg.queues:
        t = q.target
        rows.append([t.queue, t.channel, f"{t.aht_s:g} s", f"{t.concurrency:g}",
                     f"{t.target_sl:.2f} within {_duration(t.target_answer_s)}",
                     _frac(t.max_occupancy), _duration(t.patience_s) if t.patience_s else "-",
                     _frac(t.shrinkage), _open_hours(q.open_hours.spans)])
    parts.append(table_html(["queue", "channel", "AHT", "concurrency", "target service level",
                         "max occupancy", "patience", "shrinkage", "open hours"], rows,
                        numeric={2, 3, 5, 6, 7}))
    parts.append("<h3>Sources</h3>")
    currency = cfg.business.currency
    rows = [[s.name, "in-house" if s.inhouse else "partner", f"{s.hourly_cost:,.2f}",
             f"x{s.surge_cost_ratio:g}", _num(s.committed_fte, 1) if s.committed_fte else "-",
             f"{s.lead_time_days} d", f"{s.min_activation_days} d",
             "no cap" if math.isinf(s.max_fte) else f"{s.max_fte:g} FTE",
             f"{s.activation_cost:,.0f}", _open_hours(cfg.coverage_hours[s.name].spans),
             f"x{s.quality_factor:g}", f"x{s.repeat_factor:.2f}",
             " / ".join(f"{r:g}" for r in s.ramp) or "-", ", ".join(s.queues) or "all"]
            for s in cfg.sources]
    parts.append(table_html(["source", "kind", f"hourly cost ({currency})", "flexible hours",
                         "committed", "lead time", "min activation", "cap",
                         f"activation cost ({currency})", "hours", "AHT", "repeats (FCR)",
                         "ramp (AHT, first days)", "queues"],
                        rows, numeric={2, 3, 4, 5, 6, 7, 8, 10, 11}))
    parts.append("<p class=\"note\">Hourly cost is the committed rate; hours above a "
                 "commitment (all of them without one) cost the flexible-hours multiple. A "
                 "partner needs AHT x repeats FTE per in-house FTE of work: repeats are the "
                 "contacts it handles per contact resolved, against in-house (in-house "
                 "first-contact resolution over its own).</p>")
    up = result.uplifts
    assumed = up[up["source"].isin(ASSUMED_SOURCES)]
    parts.append("<h3>Assumed event uplifts</h3><p class=\"note\">Multipliers taken from the "
                 "calendar or a preset because history has no event of that kind, and calendar "
                 "uplifts that override a learned one (from: override).</p>")
    parts.append(table_html(["queue", "event", "type", "multiplier", "from"],
                        [[u.queue, u.name, u.type.replace("_", " "), _num(u.multiplier, 2), u.source]
                         for u in assumed.itertuples()], numeric={3})
                 if len(assumed) else "<p>None: every event type in the horizon was learned.</p>")
    parts.append("<h3>Learned event uplifts</h3><p class=\"note\">Multipliers on the weekly "
                 "baseline learned from past events, per type and queue: the range over the "
                 "event's days, the largest after the event, and how many past events they rest on.</p>")
    parts.append(_learned_table(up[up["source"] == "learned"]))
    return "".join(parts) + "</section>"


def _learned_table(learned: pd.DataFrame) -> str:
    if not len(learned):
        return "<p>No event uplifts learned from the history.</p>"
    rows = []
    for (kind, queue), one in learned.groupby(["type", "queue"], sort=True):
        one = one[one.get("event_length_days", 0) == 0]  # the profile pooled over lengths
        event = one[one["phase"] == "event"]["multiplier"]
        after = one[one["phase"] == "post"]["multiplier"]
        rows.append([kind.replace("_", " "), queue, str(len(event)),
                     f"{event.min():.2f} - {event.max():.2f}" if len(event) else "-",
                     _num(event.median(), 2) if len(event) else "-",
                     _num(after.max(), 2) if len(after) else "-",
                     str(int(one["n_occurrences"].max()))])
    return table_html(["type", "queue", "event days", "event-day multiplier", "median",
                   "largest after", "past events (n_occurrences)"], rows, numeric={2, 3, 4, 5, 6})


# -- building blocks -----------------------------------------------------------------------

def table_html(headers, rows, numeric=frozenset(), dates=frozenset(), row_classes=None) -> str:
    """An HTML table in a scrolling wrapper; every cell escaped unless it is :class:`Html`."""
    def kind(i):
        return " class=\"num\"" if i in numeric else " class=\"date\"" if i in dates else ""
    head = "".join(f"<th{kind(i) if i in numeric else ''}>{esc(h)}</th>"
                   for i, h in enumerate(headers))
    body = []
    for n, row in enumerate(rows):
        css = row_classes[n] if row_classes and row_classes[n] else ""
        cells = "".join(f"<td{kind(i)}>{esc(v)}</td>" for i, v in enumerate(row))
        body.append(f"<tr class=\"{css}\">{cells}</tr>" if css else f"<tr>{cells}</tr>")
    return (f"<div class=\"table-wrap\"><table><thead><tr>{head}</tr></thead><tbody>"
            + "".join(body) + "</tbody></table></div>")


def _figure(png: bytes, caption: str, narrow: bool = False) -> str:
    """A PNG as an ``<img>`` with a base64 data URI."""
    data = base64.b64encode(png).decode("ascii")
    css = ' class="narrow"' if narrow else ""
    return (f"<figure{css}><img alt=\"{esc(caption)}\" src=\"data:image/png;base64,{data}\">"
            f"<figcaption>{esc(caption)}</figcaption></figure>")


def _card(label: str, value: str, sub) -> str:
    return (f"<div class=\"card\"><div class=\"label\">{esc(label)}</div>"
            f"<div class=\"value\">{esc(value)}</div><div class=\"sub\">{esc(sub)}</div></div>")


def _notice_status(notice_by: pd.Timestamp, as_of: pd.Timestamp) -> Html:
    days = (notice_by - as_of).days
    if days < 0:
        return Html(f"<span class=\"late\">late by {-days} d</span>")
    return Html("<span class=\"late\">today</span>" if days == 0 else f"(in {days} d)")


def _day(value) -> str:
    return "-" if pd.isna(value) else f"{pd.Timestamp(value):%Y-%m-%d}"


def _num(value, digits: int) -> str:
    return "-" if value is None or pd.isna(value) else f"{value:,.{digits}f}"


def _frac(value) -> str:
    """A fraction as the product writes every fraction: ``0.85`` (never a percent)."""
    return "-" if value is None or pd.isna(value) else formats.text(value, "fraction")


def _money(value, currency: str) -> str:
    return f"{currency} {value:,.0f}"


def _duration(seconds: float) -> str:
    """``60 s``, ``10 min``, ``24 h``: a duration [s] in the unit people say it in."""
    if seconds < 120:
        return f"{seconds:g} s"
    if seconds < 7200:
        return f"{seconds / 60:g} min"  # s -> min
    return f"{seconds / 3600:g} h"  # s -> h


def _open_hours(spans) -> str:
    """``24/7``, ``every day 08:00-22:00`` or ``Mon-Fri 09:00-18:00; Sat-Sun 10:00-16:00``."""
    if all(span == (0, 1440) for span in spans):
        return "24/7"
    if len(set(spans)) == 1:
        return f"every day {_span(spans[0])}"
    groups, first = [], 0
    for day in range(1, 8):
        if day == 7 or spans[day] != spans[first]:
            if spans[first][1] > spans[first][0]:
                days = WEEKDAY_NAMES[first] + ("" if day - 1 == first else f"-{WEEKDAY_NAMES[day - 1]}")
                groups.append(f"{days} {_span(spans[first])}")
            first = day
    return "; ".join(groups) or "closed"


def _span(span) -> str:
    start, end = span
    return f"{start // 60:02d}:{start % 60:02d}-{end // 60:02d}:{end % 60:02d}"

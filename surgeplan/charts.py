"""Charts as free functions: each takes frames (and ``ax=None``) and returns a Figure.

The only module that imports matplotlib; the CLI, the report and notebooks
call these. Figures are built with :class:`matplotlib.figure.Figure`, not
pyplot, so no backend is chosen or forced here: a CLI run needs no display,
nothing accumulates in pyplot's figure registry, and a notebook shows the
returned Figure with its own inline backend.
"""
from __future__ import annotations

import matplotlib.dates as mdates
import pandas as pd
from matplotlib.figure import Figure

from staffing.costs import COST_PARTS
from surgeplan.escape import chart as chart_text

SOURCE_COLOURS = ["#2a9d8f", "#e9c46a", "#f4a261", "#e76f51", "#8ab17d"]
REGIME_COLOURS = {"flash_sale": "#e76f51", "holiday_peak": "#f4a261",
                  "product_launch": "#8ab17d", "promotion": "#e9c46a", "closure": "#999999"}


def _axes(ax, figsize=(11, 4.2)):
    if ax is None:
        fig = Figure(figsize=figsize, layout="constrained")
        ax = fig.add_subplot()
    return ax.figure, ax


def _shade_regimes(ax, frame: pd.DataFrame) -> None:
    days = frame.drop_duplicates("date").set_index("date")["regime"]
    labelled = set()
    for regime, colour in REGIME_COLOURS.items():
        for date in days.index[days == regime]:
            ax.axvspan(date - pd.Timedelta(hours=12), date + pd.Timedelta(hours=12), color=colour,
                       alpha=0.18, lw=0, label=None if regime in labelled else regime.replace("_", " "))
            labelled.add(regime)


def forecast_chart(history: pd.DataFrame, forecast: pd.DataFrame, history_days: int = 120,
                   ax=None, title: str | None = None):
    """Total daily volume: recent history, forecast P50 and its P10-P90 band, events shaded."""
    fig, ax = _axes(ax)
    past = history[history["date"] > history["date"].max() - pd.Timedelta(days=history_days)]
    past = past.groupby("date")["volume"].sum()
    ahead = forecast.groupby("date")[["volume_p10", "volume_p50", "volume_p90"]].sum()
    _shade_regimes(ax, forecast)
    ax.plot(past.index, past.to_numpy(), color="#264653", lw=1.2, label="history")
    ax.fill_between(ahead.index, ahead["volume_p10"], ahead["volume_p90"], color="#2a9d8f",
                    alpha=0.3, lw=0, label="P10-P90")
    ax.plot(ahead.index, ahead["volume_p50"], color="#2a9d8f", lw=1.6, label="forecast P50")
    ax.set_ylabel("contacts per day")
    ax.set_title(chart_text(title or "Daily volume, all queues"))
    ax.legend(loc="upper left", ncol=4, fontsize=8, frameon=False)
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%b %d\n%Y"))
    ax.set_ylim(bottom=0)
    return fig


#: Resolution of every chart, in files and in the report [dots per inch].
CHART_DPI = 120


def render_charts(result) -> dict[str, bytes]:
    """Every chart of a plan as PNG bytes, drawn once for the files and the report.

    ``result`` is a :class:`surgeplan.result.PlanResult`.

    Returns
    -------
    dict
        ``forecast``, ``plan``, ``windows``, ``costs``: PNG images.
    """
    import io

    business = result.config.business
    figures = {
        "forecast": forecast_chart(result.history, result.forecast,
                                   title=f"{business.name}: daily volume, all queues"),
        "plan": plan_chart(result.plan, result.allocation, result.windows),
        "windows": windows_timeline_chart(result.windows, result.as_of),
        "costs": costs_chart(result.costs, business.currency),
    }
    out = {}
    for name, fig in figures.items():
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=CHART_DPI)
        out[name] = buffer.getvalue()
    return out


#: The layers of the plan chart, bottom up: what covers the requirement, in in-house FTE.
PLAN_LAYERS = ("core", "overtime", "overflow", "shortfall")


def plan_layers(plan: pd.DataFrame, allocation: pd.DataFrame) -> pd.DataFrame:
    """The plan chart's data: per date, core, overtime, each partner's work and the shortfall.

    Everything in in-house-equivalent FTE (the work covered: a partner FTE
    that is slower counts for less), so the stack's top is
    ``max(required, core)`` (:func:`staffing.plan.build_plan`'s identity).

    Returns
    -------
    DataFrame
        Indexed by date: ``core``, ``overtime``, ``overflow: NAME`` per
        partner, ``shortfall`` [FTE], and ``required`` [FTE] (not a layer).
    """
    by_date = plan.groupby("date")[["core_fte", "overtime_fte", "shortfall_fte",
                                    "required_fte"]].sum()
    work = allocation.pivot_table(index="date", columns="source", values="work_fte",
                                  aggfunc="sum").reindex(by_date.index).fillna(0.0)
    frame = pd.DataFrame({"core": by_date["core_fte"], "overtime": by_date["overtime_fte"]})
    for name in sorted(work.columns):
        frame[f"overflow: {name}"] = work[name]
    frame["shortfall"] = by_date["shortfall_fte"]
    frame["required"] = by_date["required_fte"]
    return frame


def plan_chart(plan: pd.DataFrame, allocation: pd.DataFrame, windows: pd.DataFrame | None = None,
               ax=None, title: str | None = None):
    """Required FTE against what covers it, day by day: core, overtime, partners, shortfall.

    One stacked bar a day of :func:`plan_layers` (in-house-equivalent FTE,
    so the bars reach the requirement exactly where it is covered); the
    shortfall is the red part; each window's notice-by date is a dotted line
    labelled with the window's id.
    """
    fig, ax = _axes(ax)
    layers = plan_layers(plan, allocation)
    dates = layers.index
    bottom = pd.Series(0.0, index=dates)
    colours = {"core": "#264653", "overtime": "#8ab17d", "shortfall": "#e63946"}
    partners = [c for c in layers.columns if c.startswith("overflow: ")]
    for i, name in enumerate(partners):
        colours[name] = SOURCE_COLOURS[(i + 1) % len(SOURCE_COLOURS)]
    for name in ["core", "overtime", *partners, "shortfall"]:
        values = layers[name]
        if name in ("overtime", "shortfall") and not (values > 0).any():
            continue
        ax.bar(dates, values, bottom=bottom, width=1.0, align="center", color=colours[name],
               alpha=0.9 if name != "shortfall" else 0.75, lw=0,
               label=chart_text(name if name != "core" else "core (in-house)"))
        bottom += values
    ax.step(dates, layers["required"].to_numpy(), where="mid", color="#1d3557", lw=1.2,
            label="required FTE")
    if windows is not None and len(windows):
        top = float(max(bottom.max(), layers["required"].max()))
        for row in windows.itertuples():
            ax.axvline(row.notice_by, color="#e63946", lw=0.8, ls=":")
            ax.annotate(chart_text(f"{row.window} notice"), (row.notice_by, top), fontsize=7,
                        rotation=90, va="top", ha="right", color="#e63946")
        ax.plot([], [], color="#e63946", lw=0.8, ls=":", label="notice-by dates (window id)")
    ax.set_ylabel("FTE per day (in-house equivalent)")
    ax.set_title(chart_text(title or "Staffing plan: what covers the requirement each day"))
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), fontsize=8, frameon=False, ncol=4)
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%b %d\n%Y"))
    ax.set_ylim(bottom=0)
    return fig


def costs_chart(costs: pd.DataFrame, currency: str = "", ax=None):
    """Each scenario's total cost split into its parts (they add up to ``total_cost``).

    Bars are labelled with the total and the understaffed hours; the
    recommended scenario (the first row) is at the top, and a scenario that
    leaves a queue unserved says so in its label.
    """
    from surgeplan.formats import label, money_short, scenario_label

    fig, ax = _axes(ax, figsize=(10, 0.62 * len(costs) + 1.8))
    rows = costs.iloc[::-1]
    names = [chart_text(scenario_label(r)) for _, r in rows.iterrows()]
    positions = list(range(len(rows)))
    left = pd.Series(0.0, index=rows.index)
    colours = ("#264653", "#8ab17d", "#577590", "#2a9d8f", "#e9c46a", "#f4a261")
    for part, colour in zip(COST_PARTS, colours):
        values = rows[part].astype(float)
        if not (values > 0).any():
            continue
        ax.barh(positions, values, left=left, color=colour, label=label(part))
        left += values
    span = float(left.max()) if len(left) and left.max() > 0 else 1.0
    for y, (_, r) in zip(positions, rows.iterrows()):
        ax.annotate(chart_text(f"{money_short(r['total_cost'], currency)}; "
                               f"{r['understaffed_hours']:,.0f} understaffed h"),
                    (float(left.loc[r.name]), y), xytext=(4, 0), textcoords="offset points",
                    va="center", fontsize=8)
    ax.set_yticks(positions, names, fontsize=8)
    if len(rows):
        ax.get_yticklabels()[-1].set_fontweight("bold")  # the first row: the plan recommended
    ax.set_xlim(0, span * 1.45)
    ax.xaxis.set_major_formatter(lambda v, _: chart_text(money_short(v, currency)))
    ax.set_xlabel(chart_text(f"cost over the horizon ({currency})" if currency
                             else "cost over the horizon"))
    if ax.get_legend_handles_labels()[0]:  # nothing to name when every cost is zero
        ax.legend(fontsize=8, frameon=False, loc="lower right")
    return fig


def windows_timeline_chart(windows: pd.DataFrame, as_of: pd.Timestamp | None = None, ax=None,
                           title: str | None = None):
    """Activation windows as bars on a timeline, each with its notice-by marker.

    One row per window (``W1 nearshore: chat,email``), a bar from ``start`` to
    the end of ``end``, coloured by source; a diamond at ``notice_by`` joined to
    the bar by a dotted line (the lead time); ``as_of``, when given, as a
    vertical line, so a notice-by date already passed stands out.

    Parameters
    ----------
    windows : DataFrame
        ``window``, ``source``, ``queue``, ``start``, ``end``, ``notice_by``.
    as_of : Timestamp, optional
        The planning date.
    """
    rows = windows.sort_values(["start", "window"]).reset_index(drop=True)
    fig, ax = _axes(ax, figsize=(11, 0.42 * max(len(rows), 1) + 1.9))
    sources = sorted(windows["source"].unique())  # the order plan_chart stacks them in
    colours = {s: SOURCE_COLOURS[(i + 1) % len(SOURCE_COLOURS)] for i, s in enumerate(sources)}
    labels = [chart_text(f"{r.window} {r.source}: {r.queue}") for r in rows.itertuples()]
    seen = set()
    for y, r in enumerate(rows.itertuples()):
        width = (r.end + pd.Timedelta(days=1)) - r.start  # to the end of the last day
        ax.barh(y, width, left=r.start, height=0.55, color=colours[r.source],
                label=None if r.source in seen else chart_text(f"window: {r.source}"))
        seen.add(r.source)
        ax.plot([r.notice_by, r.start], [y, y], color="#6c757d", lw=0.9, ls=":")
        late = as_of is not None and r.notice_by < as_of
        ax.plot(r.notice_by, y, marker="D", ms=6, color="#e63946" if late else "#1d3557", lw=0)
        ax.annotate(f"{r.notice_by:%b %d}", (r.notice_by, y), xytext=(0, 7),
                    textcoords="offset points", ha="center", fontsize=7, color="#1d3557")
    ax.plot([], [], marker="D", ms=6, color="#1d3557", lw=0, label="notice by")
    ax.plot([], [], color="#6c757d", lw=0.9, ls=":", label="lead time")
    if as_of is not None:
        ax.axvline(as_of, color="#e63946", lw=1.0)
        ax.plot([], [], color="#e63946", lw=1.0, label="planning date (red marker: late)")
    ax.set_yticks(range(len(rows)), labels, fontsize=8)
    ax.set_ylim(len(rows) - 0.4, -0.8)
    ax.set_title(chart_text(title or "Overflow activation windows and when to give notice"))
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), fontsize=8, frameon=False, ncol=5)
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%b %d\n%Y"))
    ax.grid(axis="x", color="#dddddd", lw=0.6)
    ax.set_axisbelow(True)
    if not len(rows):
        ax.text(0.5, 0.5, "no activation windows: the core covers every day", ha="center",
                va="center", transform=ax.transAxes)
    return fig

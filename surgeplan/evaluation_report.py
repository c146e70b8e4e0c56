"""The evaluation as one self-contained HTML page (``surgeplan evaluate``)."""
from __future__ import annotations

import pandas as pd

from surgeplan.evaluate import CAUSES, summary_by_day_type
from surgeplan.html_report import CSS, esc, table_html


def evaluation_html(metrics: pd.DataFrame, config) -> str:
    """The page: shares met by plan, queue and day type; costs against the oracle; causes."""
    summary = summary_by_day_type(metrics)
    kinds = sorted(summary["day_type"].unique(), key=lambda k: (k != "normal", k))
    rows = []
    for (plan, queue), one in summary.groupby(["plan", "queue"], sort=False):
        share = one.set_index("day_type")["share_met"]
        rows.append([plan, queue, *[f"{share[k]:.2f}" if k in share else "-" for k in kinds]])
    met = table_html(["plan", "queue", *[k.replace("_", " ") for k in kinds]], rows,
                     numeric=set(range(2, 2 + len(kinds))))
    totals = metrics[(metrics["queue"] == "all") & (metrics["day_type"] == "all")]
    cost_rows = [[f"{r.origin:%Y-%m-%d}", r.plan, f"{r.share_met:.3f}", f"{r.sl:.3f}",
                  f"{r.cost:,.0f}", f"{r.cost_vs_oracle:.2f}", f"{r.idle_hours:,.0f}"]
                 for r in totals.itertuples()]
    costs = table_html(["origin", "plan", "intervals met", "service level", "cost",
                        "cost / oracle", "idle h"], cost_rows, numeric={2, 3, 4, 5, 6})
    misses = metrics[(metrics["queue"] != "all") & (metrics["day_type"] == "all")]
    cause_rows = [[r["plan"], r["queue"], *[str(int(r[f"miss_{c}"])) for c in CAUSES]]
                  for _, r in misses.groupby(["plan", "queue"], as_index=False)[
                      [f"miss_{c}" for c in CAUSES]].sum().iterrows()]
    causes = table_html(["plan", "queue", *[c.replace("_", " ") for c in CAUSES]], cause_rows,
                        numeric=set(range(2, 2 + len(CAUSES))))
    name = esc(config.business.name)
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
            "style-src 'unsafe-inline'\">\n"
            f"<title>{name}: plan evaluation</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
            f"<div class=\"wrap\"><header><h1>{name}: how the plan held</h1><p>Each plan made at "
            "a past date, served with the demand that actually came, interval by interval. "
            "product: the plan as surgeplan makes it; oracle: the same stages fed the actual "
            "daily volumes; peak: all in-house sized for the peak.</p></header>"
            "<h2>Share of open intervals meeting the target</h2>" + met
            + "<h2>Per origin: service and cost</h2>" + costs
            + "<h2>Why intervals were missed</h2><p class=\"note\">Each missed interval is put "
            "down to the first cause that fits: a rule the plan named for the day's shortfall "
            "(lead time, a partner's cap or hours, a queue no partner may serve), an "
            "under-forecast day (actual above the volume planned by more than 2%), work "
            "carried over from earlier intervals (async), else the intraday shape.</p>"
            + causes + "</div>\n</body>\n</html>\n")

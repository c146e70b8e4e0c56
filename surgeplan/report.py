"""Writing outputs: CSVs, charts and the JSON summary, each atomically.

The only module that writes files. Every file is written to a temporary
name in the output folder and renamed into place, so a reader never sees
half a file and a failed run leaves the previous outputs intact.
"""
from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from forecast.models import FORECAST_COLUMNS
from staffing.requirements import REQUIREMENT_COLUMNS
from surgeplan.html_report import render_html
from surgeplan.result import PlanResult
from surgeplan.workbook import build_workbook


def atomic_write(path: Path, write: Callable[[Path], None]) -> Path:
    """Call ``write(tmp)`` on a temporary path beside ``path``, then rename it into place."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def write_csv(frame: pd.DataFrame, path: Path) -> Path:
    """Write a frame as CSV (dates as ISO dates, floats rounded for people) atomically."""
    frame = frame.copy()
    for col in frame.columns:
        if pd.api.types.is_datetime64_any_dtype(frame[col]) and getattr(frame[col].dt, "tz", None) is None \
                and (frame[col].dt.normalize() == frame[col]).all():
            frame[col] = frame[col].dt.strftime("%Y-%m-%d")
        elif pd.api.types.is_float_dtype(frame[col]):
            frame[col] = frame[col].round(4)
    return atomic_write(path, lambda tmp: frame.to_csv(tmp, index=False))


def write_figure(fig, path: Path) -> Path:
    """Write a matplotlib Figure as PNG atomically."""
    return atomic_write(path, lambda tmp: fig.savefig(tmp, dpi=110, format="png"))


def write_text(text: str, path: Path) -> Path:
    """Write a text file (UTF-8) atomically."""
    return atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def write_json(document, path: Path) -> Path:
    """Write a JSON document atomically."""
    return atomic_write(path, lambda tmp: tmp.write_text(json.dumps(document, indent=2),
                                                         encoding="utf-8"))


def write_report(result: PlanResult, out_dir: str | Path, charts: bool = True) -> list[Path]:
    """Write every output of a plan into ``out_dir``.

    Returns
    -------
    list of Path
        ``forecast.csv``, ``intervals.csv``, ``plan.csv``, ``windows.csv``,
        ``costs.csv``, ``uplifts.csv``, ``daily_requirements.csv``,
        ``costs_monthly.csv``, ``sensitivity.csv``, ``deflection.csv``
        (``core_curve.csv`` with the optimal core policy); with ``charts``,
        ``forecast.png``, ``plan.png`` and ``costs.png``; and always
        ``report.html`` (self-contained) and ``plan.xlsx``.
    """
    out = Path(out_dir)
    written = [
        write_csv(result.forecast[FORECAST_COLUMNS], out / "forecast.csv"),
        write_csv(result.intervals[REQUIREMENT_COLUMNS], out / "intervals.csv"),
        write_csv(result.plan, out / "plan.csv"),
        write_csv(result.windows, out / "windows.csv"),
        write_csv(result.costs, out / "costs.csv"),
        write_csv(result.uplifts, out / "uplifts.csv"),
        write_csv(result.daily, out / "daily_requirements.csv"),
        write_csv(result.costs_monthly, out / "costs_monthly.csv"),
        write_csv(result.sensitivity, out / "sensitivity.csv"),
        write_csv(result.deflection, out / "deflection.csv"),
    ]
    if len(result.core_curve):
        written.append(write_csv(result.core_curve, out / "core_curve.csv"))
    if charts:
        from surgeplan import charts as ch

        written += [
            write_figure(ch.forecast_chart(result.history, result.forecast,
                                           title=f"{result.config.business.name}: daily volume, "
                                                 "all queues"),
                         out / "forecast.png"),
            write_figure(ch.plan_chart(result.plan, result.allocation, result.windows),
                         out / "plan.png"),
            write_figure(ch.costs_chart(result.costs, result.config.business.currency),
                         out / "costs.png"),
        ]
    # Every time: report.html (self-contained; charts embedded with ``charts``) and plan.xlsx.
    page = render_html(result, charts=charts)
    book = build_workbook(result)
    written += [
        atomic_write(out / "report.html", lambda tmp: tmp.write_text(page, encoding="utf-8")),
        atomic_write(out / "plan.xlsx", lambda tmp: book.save(tmp)),
    ]
    return written


def summary_document(result: PlanResult) -> dict:
    """The plan's headline facts as plain JSON-ready data."""
    def records(frame: pd.DataFrame) -> list[dict]:
        return json.loads(frame.to_json(orient="records", date_format="iso", date_unit="s"))

    windows = result.windows.assign(start=result.windows["start"].dt.strftime("%Y-%m-%d"),
                                    end=result.windows["end"].dt.strftime("%Y-%m-%d"),
                                    notice_by=result.windows["notice_by"].dt.strftime("%Y-%m-%d"))
    core = result.summary.core
    return {
        "business": result.config.business.name,
        "as_of": f"{result.as_of:%Y-%m-%d}",
        "horizon_end": f"{result.forecast['date'].max():%Y-%m-%d}",
        "currency": result.config.business.currency,
        "core_fte": dict(zip(core["queue"], core["core_fte"].astype(float).tolist())),
        "core_headcount": dict(zip(core["queue"], core["headcount"].astype(int).tolist())),
        "windows": records(windows),
        "costs": records(result.costs),
        "shortfall_fte_days": float(result.plan["shortfall_fte"].sum()),
    }

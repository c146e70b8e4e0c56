"""Writing outputs: the output set of a command, whole or not at all.

The only module that writes files. A command's files are written into a
staging folder beside ``--out``; only when every one is written are they
moved into ``--out`` together (the files they replace, and the ones of a
previous run this run does not write, moved aside first and put back if
the move fails). A failed run leaves the previous outputs untouched and
never a mix of two runs; files that are not ours in ``--out`` are left
alone. Files are readable by the group (``0644``), as a team share needs.
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from calendars.errors import InputError
from forecast.models import FORECAST_COLUMNS
from staffing.requirements import REQUIREMENT_COLUMNS
from surgeplan.escape import csv_cell
from surgeplan.html_report import render_html
from surgeplan.result import PlanResult, people_tables
from surgeplan.workbook import write_workbook

Writer = Callable[[Path], None]
#: Every file ``surgeplan plan`` may write: a new run replaces all of them as one set.
PLAN_OUTPUTS = ("forecast.csv", "intervals.csv", "wfm_intervals.csv", "plan.csv", "windows.csv",
                "costs.csv", "uplifts.csv", "daily_requirements.csv", "costs_monthly.csv",
                "sensitivity.csv", "deflection.csv", "weekly.csv", "monthly.csv", "core_curve.csv",
                "shifts.csv", "shift_days.csv", "roster_weekly.csv", "hiring.csv",
                "hiring_monthly.csv", "hire_or_rent.csv", "way_out.csv", "forecast.png", "plan.png",
                "costs.png", "report.html", "plan.xlsx")
FILE_MODE = 0o644


def check_out_dir(out_dir: str | Path) -> Path:
    """``out_dir`` if outputs can be written there, else InputError (before any work is done)."""
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise InputError("expected a folder for the outputs, found a file", path=out)
    parent = next((p for p in [out, *out.parents] if p.exists()), Path("."))
    if not parent.is_dir():
        raise InputError("expected a folder for the outputs; a part of this path is a file",
                         path=out)
    if not os.access(parent, os.W_OK | os.X_OK):
        raise InputError("cannot write here (no permission); choose another --out", path=parent)
    return out


def csv_writer(frame: pd.DataFrame) -> Writer:
    """Write ``frame`` as CSV: dates as ISO dates, floats rounded for people, text CSV-safe."""
    frame = frame.copy()
    for col in frame.columns:
        values = frame[col]
        if pd.api.types.is_datetime64_any_dtype(values) and getattr(values.dt, "tz", None) is None \
                and (values.dt.normalize() == values).all():
            frame[col] = values.dt.strftime("%Y-%m-%d")
        elif pd.api.types.is_float_dtype(values):
            frame[col] = values.round(4)
        elif values.dtype == object or pd.api.types.is_string_dtype(values):
            frame[col] = values.map(csv_cell)
    return lambda path: frame.to_csv(path, index=False)


def figure_writer(fig) -> Writer:
    """Write a matplotlib Figure as PNG."""
    from surgeplan.charts import CHART_DPI

    return lambda path: fig.savefig(path, dpi=CHART_DPI, format="png")


def bytes_writer(data: bytes) -> Writer:
    """Write bytes (an image already drawn)."""
    return lambda path: path.write_bytes(data)


def text_writer(text: str) -> Writer:
    """Write UTF-8 text."""
    return lambda path: path.write_text(text, encoding="utf-8")


def write_set(out_dir: str | Path, files: dict[str, Writer],
              replaces: tuple[str, ...] = ()) -> list[Path]:
    """Write ``files`` (name -> writer) into ``out_dir`` as one set.

    Every writer runs in a staging folder beside ``out_dir``; then the files
    move in together. ``replaces`` names files of an earlier run of the
    same command that go too when this run does not write them.

    Returns
    -------
    list of Path
        The files written, in ``out_dir``.

    Raises
    ------
    InputError
        The folder cannot be written (no permission, a file in the way, a
        full disk): nothing in ``out_dir`` has changed.
    """
    out = check_out_dir(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    except OSError as exc:
        raise InputError(f"cannot write the outputs ({exc.strerror or exc})", path=out) from None
    try:
        for name, write in files.items():
            write(staging / name)
            os.chmod(staging / name, FILE_MODE)
        _publish(staging, out, list(files), [n for n in replaces if n not in files])
    except OSError as exc:
        raise InputError(f"cannot write the outputs ({exc.strerror or exc}); the previous "
                         "outputs are untouched", path=out) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return [out / name for name in files]


def _publish(staging: Path, out: Path, names: list[str], stale: list[str]) -> None:
    """Move ``names`` from ``staging`` into ``out``; the files they replace aside, back on failure."""
    backup = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
    moved_aside, moved_in = [], []
    try:
        for name in names + stale:
            if (out / name).exists():
                os.replace(out / name, backup / name)
                moved_aside.append(name)
        for name in names:
            os.replace(staging / name, out / name)
            moved_in.append(name)
    except OSError:
        for name in moved_in:
            (out / name).unlink(missing_ok=True)
        for name in moved_aside:
            os.replace(backup / name, out / name)
        raise
    finally:
        shutil.rmtree(backup, ignore_errors=True)


def write_csv(frame: pd.DataFrame, path: Path) -> Path:
    """Write one CSV file (a set of one)."""
    return write_set(Path(path).parent, {Path(path).name: csv_writer(frame)})[0]


def write_text(text: str, path: Path) -> Path:
    """Write one UTF-8 text file (a set of one)."""
    return write_set(Path(path).parent, {Path(path).name: text_writer(text)})[0]


def plan_files(result: PlanResult, charts: bool = True) -> dict[str, Writer]:
    """Every output of a plan, name -> writer.

    ``forecast.csv``, ``intervals.csv``, ``plan.csv``, ``windows.csv``,
    ``costs.csv``, ``uplifts.csv``, ``daily_requirements.csv``,
    ``costs_monthly.csv``, ``sensitivity.csv``, ``deflection.csv``
    (``core_curve.csv`` with the optimal core policy); with ``charts``,
    ``forecast.png``, ``plan.png`` and ``costs.png``; and always
    ``report.html`` (self-contained) and ``plan.xlsx``.
    """
    files = {
        "forecast.csv": csv_writer(result.forecast[[*FORECAST_COLUMNS, "volume_plan"]]),
        "intervals.csv": csv_writer(result.intervals[REQUIREMENT_COLUMNS]),
        "plan.csv": csv_writer(result.plan),
        "windows.csv": csv_writer(result.windows),
        "costs.csv": csv_writer(result.costs),
        "uplifts.csv": csv_writer(result.uplifts),
        "daily_requirements.csv": csv_writer(result.daily),
        "costs_monthly.csv": csv_writer(result.costs_monthly),
        "sensitivity.csv": csv_writer(result.sensitivity),
        "deflection.csv": csv_writer(result.deflection),
        "wfm_intervals.csv": csv_writer(result.wfm),
        "weekly.csv": csv_writer(result.weekly),
        "monthly.csv": csv_writer(result.monthly),
        "way_out.csv": csv_writer(result.summary.ways_out),
    }
    if len(result.core_curve):
        files["core_curve.csv"] = csv_writer(result.core_curve)
    for name, frame in people_tables(result).items():
        files[f"{name}.csv"] = csv_writer(frame)
    images = None
    if charts:
        from surgeplan.charts import render_charts

        images = render_charts(result)  # drawn once: the files and the report's figures
        for name in ("forecast", "plan", "costs"):
            files[f"{name}.png"] = bytes_writer(images[name])
    # Every time: report.html (self-contained; charts embedded with ``charts``) and plan.xlsx.
    files["report.html"] = text_writer(render_html(result, images))
    files["plan.xlsx"] = lambda path: write_workbook(result, path)
    return files


def write_report(result: PlanResult, out_dir: str | Path, charts: bool = True) -> list[Path]:
    """Write every output of a plan into ``out_dir``, as one set (:func:`write_set`).

    Returns
    -------
    list of Path
        The files of :func:`plan_files`.
    """
    return write_set(out_dir, plan_files(result, charts), replaces=PLAN_OUTPUTS)


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
        "ways_out": records(result.summary.ways_out),
    }

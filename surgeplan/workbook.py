"""The plan as one Excel workbook: a Summary sheet, then one sheet per output table.

:func:`build_workbook` is pure: it returns an :class:`openpyxl.Workbook` and
writes no file (``surgeplan.report`` saves it). Dates are real Excel dates
(interval starts in the business's local time, without a zone, since Excel
has none); numbers carry formats (FTE ``0.0``, money ``#,##0``, fractions
``0.0%``); and text from the inputs is never evaluated: a string that
Excel would read as a formula (``=``, ``+``, ``-``, ``@``, tab or carriage
return first) is stored as text with a quote prefix.
"""
from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from forecast.models import FORECAST_COLUMNS
from staffing.requirements import REQUIREMENT_COLUMNS
from surgeplan import formats
from surgeplan.result import PlanResult

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DCE3EE")
TITLE_FONT = Font(bold=True, size=14)
#: First characters that make Excel (or LibreOffice) read a string as a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

#: Optional PlanResult frames written after the core tables when present.
EXTRA_TABLES = ("costs_monthly", "sensitivity", "deflection", "core_curve")

DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
FTE_FORMAT = "0.0"
MONEY_FORMAT = "#,##0"
FRACTION_FORMAT = "0.0%"

#: Number format by column name; columns not named here get one from their suffix.
COLUMN_FORMATS = {
    "agents": "0", "sl": FRACTION_FORMAT, "expected_sl": FRACTION_FORMAT, "occupancy": FRACTION_FORMAT, "share": FRACTION_FORMAT,
    "asa_s": "0.0", "multiplier": "0.00", "log_sd": "0.000", "n_occurrences": "0",
    "offset_days": "0", "cost_per_ticket": "#,##0.00", "hourly_cost": "#,##0.00",
    "agent_hours": "#,##0.0", "fte_days": FTE_FORMAT, "headcount": "0", "days": "0", "understaffed_hours": MONEY_FORMAT, "idle_hours": MONEY_FORMAT,
}


def build_workbook(result: PlanResult) -> Workbook:
    """Every output of a plan as an Excel workbook.

    Parameters
    ----------
    result : PlanResult
        :func:`surgeplan.pipeline.run_plan` output.

    Returns
    -------
    openpyxl.Workbook
        Sheets ``Summary``, ``forecast``, ``intervals``, ``plan``, ``windows``,
        ``costs``, ``uplifts`` and ``daily_requirements`` (the CSV names); each
        table sheet has a bold, filled header row, frozen panes below it and
        an auto-filter.
    """
    book = Workbook()
    _summary(book.active, result)
    tables = {
        "forecast": result.forecast[FORECAST_COLUMNS],
        "intervals": result.intervals[REQUIREMENT_COLUMNS],
        "plan": result.plan,
        "windows": result.windows,
        "costs": result.costs,
        "uplifts": result.uplifts,
        "daily_requirements": result.daily,
    }
    for name in EXTRA_TABLES:  # later stages' frames, when the pipeline has them
        frame = getattr(result, name, None)
        if isinstance(frame, pd.DataFrame) and len(frame.columns):
            tables[name] = frame
    for name, frame in tables.items():
        sheet = book.create_sheet(name)
        write_table(sheet, frame)
    return book


def write_table(sheet, frame: pd.DataFrame, first_row: int = 1) -> None:
    """Write ``frame`` with its header at ``first_row``; freeze and filter when it starts at 1."""
    columns = list(frame.columns)
    _header(sheet, first_row, columns)
    widths = [len(str(c)) for c in columns]
    for j, name in enumerate(columns, start=1):
        values, number_format = _column(frame[name])
        for i, value in enumerate(values, start=first_row + 1):
            cell = _put(sheet, i, j, value)
            if number_format and value is not None:
                cell.number_format = number_format
        widths[j - 1] = max(widths[j - 1], _width(values[:500], number_format))
    for j, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(j)].width = min(width + 2, 60)
    if first_row == 1:
        sheet.freeze_panes = "A2"
        if columns:
            sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(len(frame) + 1, 2)}"


def _summary(sheet, result: PlanResult) -> None:
    cfg = result.config
    business = cfg.business
    sheet.title = "Summary"
    sheet["A1"] = f"Staffing plan: {business.name}"
    sheet["A1"].font = TITLE_FONT
    facts = [("business", business.name, None),
             ("planning date (as of)", result.as_of.date(), DATE_FORMAT),
             ("horizon start", result.forecast["date"].min().date(), DATE_FORMAT),
             ("horizon end", result.forecast["date"].max().date(), DATE_FORMAT),
             ("horizon days", cfg.forecast.horizon_days, "0"),
             ("staffed on", cfg.forecast.plan_on.upper(), None),
             ("currency", business.currency, None),
             ("uncovered FTE-days", float(result.plan["shortfall_fte"].sum())
              if "shortfall_fte" in result.plan else 0.0, FTE_FORMAT)]
    for i, (label, value, number_format) in enumerate(facts, start=3):
        sheet.cell(i, 1, label).font = HEADER_FONT
        cell = _put(sheet, i, 2, value)
        cell.alignment = Alignment(horizontal="left")
        if number_format:
            cell.number_format = number_format
    row = 3 + len(facts) + 1

    core = result.summary.core[["queue", "core_fte", "headcount"]].astype({"headcount": float})
    windows = result.windows[["window", "source", "queue", "start", "end", "days", "peak_fte",
                              "notice_by", "reason"]]
    costs = result.costs[formats.COST_TABLE].assign(
        scenario=[formats.scenario_label(c) for _, c in result.costs.iterrows()])
    for title, frame in (("Core team (in-house)", core),
                         ("Overflow activation windows (notice by = start - lead time)", windows),
                         (f"Cost scenarios over the horizon ({business.currency})",
                          costs)):
        sheet.cell(row, 1, title).font = Font(bold=True, size=12)
        write_table(sheet, frame, first_row=row + 1)
        row += len(frame) + 3
    sheet.column_dimensions["A"].width = max(sheet.column_dimensions["A"].width or 0, 24)
    sheet.column_dimensions["B"].width = max(sheet.column_dimensions["B"].width or 0, 16)


def _header(sheet, row: int, columns) -> None:
    for j, name in enumerate(columns, start=1):
        cell = sheet.cell(row, j, str(name))
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL


def _put(sheet, row: int, column: int, value):
    """Set a cell; a string Excel would evaluate is stored as plain text."""
    cell = sheet.cell(row, column)
    cell.value = value
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        cell.data_type = "s"  # text, never a formula
        cell.quotePrefix = True  # and Excel keeps it text when the cell is edited
    return cell


def _column(series: pd.Series) -> tuple[list, str | None]:
    """Excel-ready values of one column and its number format."""
    name = str(series.name)
    if isinstance(series.dtype, pd.DatetimeTZDtype):
        # Excel has no time zones: the local wall-clock time, zone dropped.
        local = series.dt.tz_localize(None)
        return [None if pd.isna(v) else v.to_pydatetime() for v in local], DATETIME_FORMAT
    if pd.api.types.is_datetime64_any_dtype(series):
        dates_only = bool((series.dropna().dt.normalize() == series.dropna()).all())
        if dates_only:
            return [None if pd.isna(v) else v.date() for v in series], DATE_FORMAT
        return [None if pd.isna(v) else v.to_pydatetime() for v in series], DATETIME_FORMAT
    if pd.api.types.is_bool_dtype(series):
        return [None if pd.isna(v) else bool(v) for v in series], None
    if pd.api.types.is_numeric_dtype(series):
        values = [None if pd.isna(v) or (isinstance(v, float) and math.isinf(v))
                  else (int(v) if isinstance(v, (int, np.integer)) else float(v)) for v in series]
        return values, _number_format(name, series)
    return [_text(v) for v in series], None


def _text(value):
    if value is None or (not isinstance(value, (list, tuple)) and pd.isna(value)):
        return None
    if isinstance(value, (pd.Timestamp, dt.date)):
        return value
    text = ", ".join(map(str, value)) if isinstance(value, (list, tuple)) else str(value)
    return text or None


def _number_format(name: str, series: pd.Series) -> str:
    if name in COLUMN_FORMATS:
        return COLUMN_FORMATS[name]
    if name.endswith("fte") or "_fte" in name:
        return FTE_FORMAT
    if name.endswith("_cost"):
        return MONEY_FORMAT
    if name.startswith("volume"):
        return "#,##0.0"
    if pd.api.types.is_integer_dtype(series):
        return "0"
    return "0.00"


def _width(values, number_format: str | None) -> int:
    """Characters a column needs for these values, shown with this format."""
    best = 0
    for v in values:
        if v is None:
            continue
        if isinstance(v, dt.datetime):
            n = 16
        elif isinstance(v, dt.date):
            n = 10
        elif isinstance(v, (int, float)):
            n = len(f"{v:,.2f}") if number_format != FRACTION_FORMAT else 6
        else:
            n = len(v)
        best = max(best, n)
    return best

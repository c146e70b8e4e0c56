"""The plan as one Excel workbook: a Summary sheet, then one sheet per output table.

:func:`build_workbook` is pure: it returns an :class:`openpyxl.Workbook` and
writes no file (``surgeplan.report`` saves it). The workbook is built in
openpyxl's write-only mode, row by row, which streams to disk when saved (a
plan's 20,000 interval rows no longer hold a cell object each). Headers are
words (``required FTE``, ``per ticket``), not column names. Dates are real
Excel dates (interval starts in the business's local time, without a zone,
since Excel has none; months as the month's first day shown ``mmm yyyy``);
numbers carry formats (FTE ``0.0``, money ``#,##0``, fractions ``0.00``);
and text from the inputs is never evaluated: a string that Excel would read
as a formula (``=``, ``+``, ``-``, ``@``, tab or carriage return first) is
stored as text with a quote prefix, and characters XML cannot hold are
dropped.
"""
from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from forecast.models import FORECAST_COLUMNS
from staffing.requirements import REQUIREMENT_COLUMNS
from surgeplan import formats
from surgeplan.escape import FORMULA_TRIGGERS, spreadsheet
from surgeplan.result import PlanResult, people_tables

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DCE3EE")
TITLE_FONT = Font(bold=True, size=14)
SECTION_FONT = Font(bold=True, size=12)

DATE_FORMAT = "yyyy-mm-dd"
MONTH_FORMAT = "mmm yyyy"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
FTE_FORMAT = "0.0"
MONEY_FORMAT = "#,##0"
FRACTION_FORMAT = "0.00"  # fractions as fractions, everywhere (0.85, not 85%)
#: Excel number format of each kind of surgeplan.formats.
KIND_FORMATS = {"fte": FTE_FORMAT, "money": MONEY_FORMAT, "money2": "#,##0.00",
                "hours": "#,##0", "count": "#,##0", "fraction": FRACTION_FORMAT}

#: Number format by column name; other columns get one from their kind or suffix.
COLUMN_FORMATS = {
    "agents": "0.0", "sl": FRACTION_FORMAT, "expected_sl": FRACTION_FORMAT,
    "occupancy": FRACTION_FORMAT, "share": FRACTION_FORMAT, "deflected_share": FRACTION_FORMAT,
    "asa_s": "0.0", "multiplier": "0.00", "log_sd": "0.000", "n_occurrences": "0",
    "offset_days": "0", "event_length_days": "0", "hourly_cost": "#,##0.00",
    "agent_hours": "#,##0.0", "fte_days": FTE_FORMAT, "headcount": "0", "days": "0",
    "change": MONEY_FORMAT, "cost_saved": MONEY_FORMAT, "contacts_deflected": "#,##0",
    "interval_min": "0", "aht_s": "0", "shortfall_hours": "#,##0",
}
#: The sheets after the Summary, in order: sheet name -> PlanResult field.
TABLES = {"forecast": "forecast", "intervals": "intervals", "plan": "plan", "windows": "windows",
          "costs": "costs", "uplifts": "uplifts", "daily_requirements": "daily",
          "weekly": "weekly", "monthly": "monthly", "costs_monthly": "costs_monthly",
          "sensitivity": "sensitivity", "deflection": "deflection", "core_curve": "core_curve"}


def header(column: str) -> str:
    """A column's header in the workbook: its label, or its name in words.

    Examples
    --------
    >>> header("cost_per_ticket"), header("required_fte"), header("volume_p50")
    ('per ticket', 'required FTE', 'volume P50')
    """
    if column in formats.COLUMNS:
        return formats.label(column)
    words = column.replace("_fte", " FTE").replace("_", " ")
    for quantile in ("p10", "p50", "p90"):
        words = words.replace(quantile, quantile.upper())
    return words


def build_workbook(result: PlanResult) -> Workbook:
    """Every output of a plan as an Excel workbook.

    Parameters
    ----------
    result : PlanResult
        :func:`surgeplan.pipeline.run_plan` output.

    Returns
    -------
    openpyxl.Workbook
        A write-only workbook: sheet ``Summary`` (the plan's facts, the core,
        the windows and the cost scenarios), then one sheet per table of
        :data:`TABLES` (the CSV names) that has columns; each has a bold,
        filled header row, frozen panes below it and an auto-filter.
    """
    book = Workbook(write_only=True)
    _summary(book.create_sheet("Summary"), result)
    tables = {name: getattr(result, field) for name, field in TABLES.items()}
    tables["forecast"] = result.forecast[FORECAST_COLUMNS]
    tables["intervals"] = result.intervals[REQUIREMENT_COLUMNS]
    for name, frame in {**tables, **people_tables(result)}.items():
        if len(frame.columns):
            _table_sheet(book.create_sheet(name), frame)
    return book


def _table_sheet(sheet, frame: pd.DataFrame) -> None:
    """One table filling a sheet: widths, frozen header, auto-filter, then the rows."""
    columns, rows, widths = _prepared(sheet, frame)
    for j, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(j)].width = min(width + 2, 60)
    sheet.freeze_panes = "A2"
    if columns:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(len(frame) + 1, 2)}"
    sheet.append(_header_row(sheet, columns))
    for row in rows:
        sheet.append(row)


def _prepared(sheet, frame: pd.DataFrame) -> tuple[list[str], list[list], list[int]]:
    """The headers, the rows of cells and the column widths of ``frame``."""
    columns = [header(str(c)) for c in frame.columns]
    prepared = [_column(frame[c]) for c in frame.columns]
    widths = [max(len(h), _width(values[:500], fmt))
              for h, (values, fmt) in zip(columns, prepared)]
    cells = [[_cell(sheet, v, fmt) for v in values] for values, fmt in prepared]
    return columns, [list(row) for row in zip(*cells)] if cells else [], widths


def _header_row(sheet, columns: list[str]) -> list:
    out = []
    for name in columns:
        cell = WriteOnlyCell(sheet, value=spreadsheet(name))
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        out.append(cell)
    return out


def _cell(sheet, value, number_format: str | None):
    """A value as the cell to append: plain when it needs no format, else a styled cell."""
    if isinstance(value, str):
        value = spreadsheet(value)
        if value.startswith(FORMULA_TRIGGERS):
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"  # text, never a formula
            cell.quotePrefix = True  # and Excel keeps it text when the cell is edited
            return cell
        return value
    if value is None or number_format is None:
        return value
    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = number_format
    return cell


def _summary(sheet, result: PlanResult) -> None:
    cfg = result.config
    business = cfg.business
    sheet.column_dimensions["A"].width = 34
    for letter in "BCDEFGHIJKLM":
        sheet.column_dimensions[letter].width = 16
    title = WriteOnlyCell(sheet, value=spreadsheet(f"Staffing plan: {business.name}"))
    title.font = TITLE_FONT
    sheet.append([title])
    sheet.append([])
    rec = result.summary.recommended
    facts = [("business", business.name, None),
             ("planning date (as of)", result.as_of.date(), DATE_FORMAT),
             ("horizon start", result.forecast["date"].min().date(), DATE_FORMAT),
             ("horizon end", result.forecast["date"].max().date(), DATE_FORMAT),
             ("horizon days", cfg.forecast.horizon_days, "0"),
             ("staffed on", result.summary.staffed_on, None),
             ("currency", business.currency, None),
             ("recommended plan's cost", float(rec["total_cost"]), MONEY_FORMAT),
             ("per contact", float(rec["cost_per_ticket"]), "#,##0.00"),
             ("understaffed hours", float(rec["understaffed_hours"]), "#,##0"),
             ("uncovered FTE-days", float(result.plan["shortfall_fte"].sum()), FTE_FORMAT)]
    for label, value, number_format in facts:
        name = WriteOnlyCell(sheet, value=label)
        name.font = HEADER_FONT
        sheet.append([name, _cell(sheet, value, number_format)])
    sheet.append([spreadsheet(formats.decision(result.summary, business.currency,
                                               cfg.forecast.horizon_days))])
    sheet.append([])
    core = result.summary.core[["queue", "core_fte", "headcount"]]
    windows = result.windows[["window", "source", "queue", "start", "end", "days", "peak_fte",
                              "notice_by", "reason"]]
    costs = result.costs[formats.COST_TABLE].assign(
        scenario=[formats.scenario_label(c) for _, c in result.costs.iterrows()])
    for title, frame in (("Core team (in-house)", core),
                         ("Overflow activation windows (notice by = start - lead time)", windows),
                         (f"Cost scenarios over the horizon ({business.currency})", costs)):
        heading = WriteOnlyCell(sheet, value=spreadsheet(title))
        heading.font = SECTION_FONT
        sheet.append([heading])
        columns, rows, _ = _prepared(sheet, frame)
        sheet.append(_header_row(sheet, columns))
        for row in rows:
            sheet.append(row)
        sheet.append([])


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
            return [None if pd.isna(v) else v.to_pydatetime() for v in series], DATE_FORMAT
        return [None if pd.isna(v) else v.to_pydatetime() for v in series], DATETIME_FORMAT
    if name == "month":  # YYYY-MM: the month's first day, shown as a month
        months = pd.to_datetime(series, format="%Y-%m", errors="coerce")
        if months.notna().all():
            return [v.to_pydatetime() for v in months], MONTH_FORMAT
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
    if formats.kind(name) in KIND_FORMATS:
        return KIND_FORMATS[formats.kind(name)]
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
            n = 16 if number_format == DATETIME_FORMAT else 10
        elif isinstance(v, dt.date):
            n = 10
        elif isinstance(v, (int, float)):
            n = len(f"{v:,.2f}") if number_format != FRACTION_FORMAT else 6
        else:
            n = len(v)
        best = max(best, n)
    return best

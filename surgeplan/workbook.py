"""The plan as one Excel workbook: a Summary sheet, then one sheet per output table.

:func:`write_workbook` writes it with XlsxWriter in its constant-memory
mode, row by row (a plan's 20,000 interval rows never hold a cell object
each; XlsxWriter writes a cell about three times as fast as openpyxl's
write-only mode, the bulk of a plan's writing time). Headers are words
(``required FTE``, ``per ticket``), not column names. Dates are real Excel
dates (interval starts in the business's local time, without a zone, since
Excel has none; months as the month's first day shown ``mmm yyyy``);
numbers carry formats (FTE ``0.0``, money ``#,##0``, fractions ``0.00``);
and text from the inputs is never evaluated: a string that Excel would read
as a formula (``=``, ``+``, ``-``, ``@``, tab or carriage return first) is
stored as text with a quote prefix, and characters XML cannot hold are
dropped. The file is the same for the same plan: its creation time is the
planning date, not the clock. A table longer than a sheet holds
(:data:`MAX_SHEET_ROWS`) gets no sheet; the Summary says so and names its
CSV file.
"""
from __future__ import annotations

import datetime as dt
import io
import math
from pathlib import Path

import numpy as np
import pandas as pd

from forecast.models import FORECAST_COLUMNS
from staffing.requirements import REQUIREMENT_COLUMNS
from surgeplan import formats
from surgeplan.escape import FORMULA_TRIGGERS, spreadsheet
from surgeplan.result import PlanResult, people_tables

HEADER_STYLE = {"bold": True, "pattern": 1, "bg_color": "#DCE3EE"}
LABEL_STYLE = {"bold": True}
TITLE_STYLE = {"bold": True, "font_size": 14}
SECTION_STYLE = {"bold": True, "font_size": 12}
TEXT_STYLE = {"quote_prefix": True}  # formula-like text: text, and kept text when edited

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
#: Data rows a sheet holds below its header (Excel's 1,048,576 rows, less one).
MAX_SHEET_ROWS = 1_048_575


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


def workbook_tables(result: PlanResult) -> dict[str, pd.DataFrame]:
    """The tables of the workbook after its Summary, sheet name -> frame (those with columns)."""
    tables = {name: getattr(result, field) for name, field in TABLES.items()}
    tables["forecast"] = result.forecast[FORECAST_COLUMNS]
    tables["intervals"] = result.intervals[REQUIREMENT_COLUMNS]
    return {name: frame for name, frame in {**tables, **people_tables(result)}.items()
            if len(frame.columns)}


def write_workbook(result: PlanResult, path: str | Path,
                   max_rows: int = MAX_SHEET_ROWS) -> None:
    """Write every output of a plan as an Excel workbook at ``path``.

    Sheet ``Summary`` (the plan's facts, the core, the windows and the cost
    scenarios) comes first, then one sheet per table of
    :func:`workbook_tables`; each has a bold, filled header row, frozen
    panes below it and an auto-filter.

    Parameters
    ----------
    result : PlanResult
        :func:`surgeplan.pipeline.run_plan` output.
    path : str or Path
        The ``.xlsx`` file to write.
    max_rows : int
        A table with more rows gets no sheet (the Summary names its CSV).

    Raises
    ------
    OSError
        The file cannot be written (the caller names the folder).
    """
    import xlsxwriter

    # zipped into memory, then written at once: a file that cannot be written is a plain
    # OSError, and no temporary file of XlsxWriter's is left open by a failed close
    zipped = io.BytesIO()
    book = xlsxwriter.Workbook(zipped, {"constant_memory": True, "remove_timezone": True})
    book.set_properties({"created": result.as_of.to_pydatetime().replace(tzinfo=None)})
    styles = _Styles(book)
    tables = workbook_tables(result)
    too_long = {name: len(frame) for name, frame in tables.items() if len(frame) > max_rows}
    _summary(book.add_worksheet("Summary"), styles, result, too_long)
    for name, frame in tables.items():
        if name not in too_long:
            _table_sheet(book.add_worksheet(name), styles, frame)
    book.close()
    Path(path).write_bytes(zipped.getvalue())


class _Styles:
    """The workbook's cell formats, made once each: (style, number format) -> Format."""

    def __init__(self, book):
        self._book, self._made = book, {}

    def __call__(self, style: dict | None = None, number_format: str | None = None):
        key = (tuple(sorted((style or {}).items())), number_format)
        if key not in self._made:
            spec = dict(style or {})
            if number_format:
                spec["num_format"] = number_format
            self._made[key] = self._book.add_format(spec) if spec else None
        return self._made[key]


def _table_sheet(sheet, styles: _Styles, frame: pd.DataFrame) -> None:
    """One table filling a sheet: widths and formats per column, frozen header, auto-filter."""
    columns, prepared, widths = _prepared(frame)
    for j, ((_, number_format), width) in enumerate(zip(prepared, widths)):
        sheet.set_column(j, j, min(width + 2, 60), styles(None, number_format))
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(len(frame), 1), max(len(columns) - 1, 0))
    _header_row(sheet, styles, 0, columns)
    # The column's format applies to its cells (set_column): only formula-like text needs one.
    _rows(sheet, styles, 1, [values for values, _ in prepared], [None] * len(prepared))


def _prepared(frame: pd.DataFrame) -> tuple[list[str], list[tuple[list, str | None]], list[int]]:
    """The headers, the cell values and number format of each column, and the column widths."""
    columns = [header(str(c)) for c in frame.columns]
    prepared = [_column(frame[c]) for c in frame.columns]
    widths = [max(len(h), _width(values[:500], fmt))
              for h, (values, fmt) in zip(columns, prepared)]
    return columns, prepared, widths


def _header_row(sheet, styles: _Styles, row: int, columns: list[str]) -> None:
    bold = styles(HEADER_STYLE)
    for j, name in enumerate(columns):
        sheet.write_string(row, j, spreadsheet(name), bold)


def _rows(sheet, styles: _Styles, first_row: int, columns: list[list],
          number_formats: list[str | None]) -> int:
    """Write the cells of ``columns`` (lists of values) from ``first_row``; the next free row."""
    cell_formats = [styles(None, f) for f in number_formats]
    text = styles(TEXT_STYLE)
    for row, values in enumerate(zip(*columns), start=first_row):
        for j, value in enumerate(values):
            _write(sheet, row, j, value, cell_formats[j], text)
    return first_row + (len(columns[0]) if columns else 0)


def _write(sheet, row: int, col: int, value, cell_format, text_format) -> None:
    """One value as its cell: text never a formula, numbers and dates typed."""
    if value is None:
        return
    if isinstance(value, str):
        value = spreadsheet(value)
        formula_like = value.startswith(FORMULA_TRIGGERS)
        sheet.write_string(row, col, value, text_format if formula_like else cell_format)
    elif isinstance(value, bool):
        sheet.write_boolean(row, col, value, cell_format)
    elif isinstance(value, (int, float)):
        sheet.write_number(row, col, value, cell_format)
    else:  # datetime or date
        sheet.write_datetime(row, col, value, cell_format)


def _summary(sheet, styles: _Styles, result: PlanResult, too_long: dict[str, int]) -> None:
    cfg = result.config
    business = cfg.business
    sheet.set_column(0, 0, 34)
    sheet.set_column(1, 12, 16)
    sheet.write_string(0, 0, spreadsheet(f"Staffing plan: {business.name}"), styles(TITLE_STYLE))
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
    row = 2
    label, text = styles(LABEL_STYLE), styles(TEXT_STYLE)
    for name, value, number_format in facts:
        sheet.write_string(row, 0, name, label)
        _write(sheet, row, 1, value, styles(None, number_format), text)
        row += 1
    sheet.write_string(row, 0, spreadsheet(formats.decision(result.summary, business.currency,
                                                            cfg.forecast.horizon_days)))
    row += 1
    for name, n_rows in too_long.items():
        sheet.write_string(row, 0, f"{name}: {n_rows:,} rows, more than a sheet holds; "
                                   f"see {name}.csv")
        row += 1
    row += 1
    core = result.summary.core[["queue", "core_fte", "headcount"]]
    windows = result.windows[["window", "source", "queue", "start", "end", "days", "peak_fte",
                              "notice_by", "reason"]]
    costs = result.costs[formats.COST_TABLE].assign(
        scenario=[formats.scenario_label(c) for _, c in result.costs.iterrows()])
    for title, frame in (("Core team (in-house)", core),
                         ("Overflow activation windows (notice by = start - lead time)", windows),
                         (f"Cost scenarios over the horizon ({business.currency})", costs)):
        sheet.write_string(row, 0, spreadsheet(title), styles(SECTION_STYLE))
        columns, prepared, _ = _prepared(frame)
        _header_row(sheet, styles, row + 1, columns)
        row = _rows(sheet, styles, row + 2, [values for values, _ in prepared],
                    [fmt for _, fmt in prepared]) + 1
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

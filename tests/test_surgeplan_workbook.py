"""plan.xlsx: sheets, headers, frozen panes, real dates, and no formula injection.

The example is the bundled one with two events renamed to spreadsheet
formulas: the January flash sale ``=HYPERLINK("http://x","y")`` and the
Valentine's promo (an assumed, calendar uplift) ``+1+1``. The workbook is
saved and read back with openpyxl, as a user's Excel would open it.
"""
from __future__ import annotations

import csv
import datetime as dt
import shutil

import openpyxl
import pytest

from calendars.io import read_promo_calendar
from forecast.io import read_ticket_history
from surgeplan.config import load_config
from surgeplan.pipeline import run_plan
from forecast.models import FORECAST_COLUMNS
from staffing.requirements import REQUIREMENT_COLUMNS as INTERVAL_COLUMNS
from surgeplan.workbook import header, write_workbook
from tests.conftest import EXAMPLE

HYPERLINK = '=HYPERLINK("http://x","y")'
PLUS = "+1+1"
RENAMES = {"January clearance flash sale": HYPERLINK, "Valentine's gift-card promo": PLUS}
TABLE_SHEETS = ["forecast", "intervals", "plan", "windows", "costs", "uplifts",
                "daily_requirements"]


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    folder = tmp_path_factory.mktemp("xlsx") / "example"
    shutil.copytree(EXAMPLE, folder)
    calendar = folder / "promo_calendar.csv"
    with calendar.open(newline="", encoding="utf-8") as f:
        rows = [[RENAMES.get(cell, cell) for cell in row] for row in csv.reader(f)]
    with calendar.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    cfg = load_config(folder / "plan.toml")
    history = read_ticket_history(cfg.data.history, cfg.business.timezone)
    tickets = read_ticket_history(cfg.data.tickets, cfg.business.timezone)
    return run_plan(history, read_promo_calendar(cfg.data.calendar), cfg, tickets=tickets)


@pytest.fixture(scope="module")
def book(result, tmp_path_factory) -> openpyxl.Workbook:
    path = tmp_path_factory.mktemp("saved") / "plan.xlsx"
    write_workbook(result, path)
    return openpyxl.load_workbook(path)


def test_summary_first_then_one_sheet_per_table(book):
    assert book.sheetnames[0] == "Summary"
    assert book.sheetnames[1:len(TABLE_SHEETS) + 1] == TABLE_SHEETS


def test_headers_are_the_frame_columns_in_words_bold_filled_and_frozen(book, result):
    expected = {"forecast": FORECAST_COLUMNS, "intervals": INTERVAL_COLUMNS,
                "plan": list(result.plan.columns), "windows": list(result.windows.columns),
                "costs": list(result.costs.columns), "uplifts": list(result.uplifts.columns),
                "daily_requirements": list(result.daily.columns)}
    for name, columns in expected.items():
        sheet = book[name]
        got = [c.value for c in sheet[1]]
        assert got == [header(c) for c in columns], name
        assert all(c.font.bold and c.fill.fill_type == "solid" for c in sheet[1]), name
        assert sheet.freeze_panes == "A2", name
        assert sheet.max_row == len(getattr(result, {"daily_requirements": "daily"}.get(name, name))) + 1
        assert all(sheet.column_dimensions[c.column_letter].width >= len(str(c.value))
                   for c in sheet[1]), name


def test_dates_are_real_excel_dates_in_local_time(book, result):
    forecast = book["forecast"]
    assert isinstance(forecast["A2"].value, dt.datetime)
    assert forecast["A2"].value == result.forecast["date"].iloc[0].to_pydatetime()
    assert forecast["A2"].number_format == "yyyy-mm-dd"
    first = book["intervals"]["A2"]
    assert isinstance(first.value, dt.datetime) and first.is_date
    local = result.intervals["interval_start"].iloc[0]
    assert first.value == local.tz_localize(None).to_pydatetime()  # wall clock, zone dropped
    windows = book["windows"]
    column = [c.value for c in windows[1]].index("notice by") + 1
    notice = [windows.cell(i, column).value for i in range(2, windows.max_row + 1)]
    assert notice and all(isinstance(v, dt.datetime) for v in notice)


def test_number_formats(book):
    plan = book["plan"]
    names = [c.value for c in plan[1]]
    assert plan.cell(2, names.index("required FTE") + 1).number_format == "0.0"
    costs = book["costs"]
    names = [c.value for c in costs[1]]
    assert costs.cell(2, names.index("total") + 1).number_format == "#,##0"
    intervals = book["intervals"]
    assert intervals.cell(2, INTERVAL_COLUMNS.index("sl") + 1).number_format == "0.00"


def test_summary_has_business_core_windows_and_scenarios(book, result):
    values = [c.value for row in book["Summary"].iter_rows() for c in row if c.value is not None]
    assert "Harbor & Pine" in values
    assert result.as_of.to_pydatetime() in values
    assert set(result.core.index) <= set(values)
    assert set(result.windows["window"]) <= set(values)
    assert {w.to_pydatetime() for w in result.windows["notice_by"]} <= set(values)
    labels = [s if not u else f"{s} ({u.replace(',', ', ')} unserved)"
              for s, u in zip(result.costs["scenario"], result.costs["unserved_queues"])]
    assert set(labels) <= set(values)
    assert set(result.costs["total_cost"].round(6)) <= {round(v, 6) for v in values
                                                        if isinstance(v, float | int)}


@pytest.mark.parametrize("text", [HYPERLINK, PLUS])
def test_formula_like_user_text_stays_text(book, text):
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row if c.value == text]
    assert cells, f"{text!r} is in no cell"
    assert all(c.data_type == "s" and c.quotePrefix for c in cells)
    sheets = {c.parent.title for c in cells}
    assert "uplifts" in sheets if text == PLUS else "windows" in sheets


def test_no_cell_is_a_formula(book):
    assert not [c.coordinate for sheet in book for row in sheet.iter_rows() for c in row
                if c.data_type == "f"]


def test_headers_are_words_not_column_names():
    assert header("cost_per_ticket") == "per ticket"
    assert header("shortfall_fte") == "shortfall FTE"
    assert header("volume_p90") == "volume P90"


def test_months_are_dates_and_money_has_a_money_format(book, result):
    monthly = book["costs_monthly"]
    got = [c.value for c in monthly[1]]
    month = monthly.cell(2, got.index("month") + 1)
    assert isinstance(month.value, dt.datetime) and month.value.day == 1
    assert month.number_format == "mmm yyyy"
    sens = book["sensitivity"]
    names = [c.value for c in sens[1]]
    assert sens.cell(2, names.index("change") + 1).number_format == "#,##0"
    deflection = book["deflection"]
    names = [c.value for c in deflection[1]]
    assert deflection.cell(2, names.index("cost saved") + 1).number_format == "#,##0"


def test_weekly_and_monthly_rollups_have_sheets(book, result):
    weekly = book["weekly"]
    assert weekly.max_row == len(result.weekly) + 1
    first = [c.value for c in weekly[1]]
    assert first[:4] == ["period", "queue", "days", "required FTE"]



def test_the_same_plan_gives_the_same_file(result, tmp_path):
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    write_workbook(result, first)
    write_workbook(result, second)
    assert first.read_bytes() == second.read_bytes()  # no clock inside: created = planning date


def test_a_table_longer_than_a_sheet_is_named_on_the_summary_not_cut(result, tmp_path):
    path = tmp_path / "plan.xlsx"
    write_workbook(result, path, max_rows=len(result.plan))  # intervals and forecast are longer
    book = openpyxl.load_workbook(path)
    assert "intervals" not in book.sheetnames and "plan" in book.sheetnames
    assert book["plan"].max_row == len(result.plan) + 1
    notes = [c.value for row in book["Summary"].iter_rows() for c in row
             if isinstance(c.value, str) and "more than a sheet holds" in c.value]
    assert any(n.startswith(f"intervals: {len(result.intervals):,} rows") and "intervals.csv" in n
               for n in notes)


def test_a_file_that_cannot_be_written_is_an_os_error(result, tmp_path):
    with pytest.raises(OSError):  # write_set turns it into exit 2 naming the folder
        write_workbook(result, tmp_path / "no such folder" / "plan.xlsx")

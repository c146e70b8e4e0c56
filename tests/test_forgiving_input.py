"""Input as planners save it: spreadsheet headers, event types in words, day-first dates.

Headers and event types match whatever their case, spacing or BOM; a date like
03/04/2026 is read in the order the file's own unambiguous dates show, or the
order the planner states, and is refused rather than guessed when nothing says.
"""
from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from typer.testing import CliRunner

from calendars.errors import InputError
from calendars.io import numeric_dates_as_iso, read_promo_calendar
from forecast.io import read_ticket_history
from surgeplan.cli import app

runner = CliRunner()


def write(path, text: str, encoding: str = "utf-8"):
    path.write_text(text, encoding=encoding)
    return path


def test_an_excel_calendar_with_a_bom_and_words_for_headers_and_types(tmp_path):
    path = write(tmp_path / "promos.csv",
                 "Name,Type,Start,End,Uplift,Pre Days,post-days\n"
                 "Spring sale,Flash sale,2026-03-10,2026-03-11,4,1,2\n"
                 "Launch,PRODUCT-LAUNCH,2026-02-01,2026-02-01,,,\n", encoding="utf-8-sig")
    promos = read_promo_calendar(path).set_index("name")
    assert promos.loc["Spring sale", "type"] == "flash_sale"
    assert promos.loc["Launch", "type"] == "product_launch"
    assert (promos.loc["Spring sale", "pre_days"], promos.loc["Spring sale", "post_days"]) == (1, 2)
    assert promos.loc["Spring sale", "uplift"] == 4.0


def test_two_headers_for_one_column_are_refused_by_name(tmp_path):
    path = write(tmp_path / "promos.csv", "name,Name,type,start,end\na,b,flash_sale,2026-01-01,"
                 "2026-01-01\n")
    with pytest.raises(InputError, match="columns 'name' and 'Name' are both 'name'"):
        read_promo_calendar(path)


def test_an_ambiguous_date_is_refused_with_the_way_to_say_which(tmp_path):
    path = write(tmp_path / "promos.csv", "name,type,start,end\nSale,flash_sale,03/04/2026,"
                 "03/04/2026\n")
    with pytest.raises(InputError) as caught:
        read_promo_calendar(path)
    message = str(caught.value)
    assert "promos.csv, line 2, column start" in message and "'03/04/2026'" in message
    assert 'date_order = "day_first"' in message and "--dayfirst" in message
    assert read_promo_calendar(path, "day_first")["start"].iloc[0] == pd.Timestamp("2026-04-03")
    assert read_promo_calendar(path, "month_first")["start"].iloc[0] == pd.Timestamp("2026-03-04")


def test_the_files_own_unambiguous_dates_set_the_order(tmp_path):
    path = write(tmp_path / "promos.csv", "name,type,start,end\n"
                 "Sale,flash_sale,03/04/2026,25/04/2026\nEve,promotion,24/12/26,24/12/26\n")
    promos = read_promo_calendar(path).set_index("name")
    assert promos.loc["Sale", "start"] == pd.Timestamp("2026-04-03")
    assert promos.loc["Sale", "end"] == pd.Timestamp("2026-04-25")
    assert promos.loc["Eve", "start"] == pd.Timestamp("2026-12-24")
    both = write(tmp_path / "both.csv", "name,type,start,end\nA,promotion,25/04/2026,04/25/2026\n")
    with pytest.raises(InputError, match=r"dates in two orders: '25/04/2026' \(start, line 2\)"):
        read_promo_calendar(both)  # start says day first, end month first: one file, one order
    mixed = pd.Series(["25/04/2026", "04/25/2026"])
    with pytest.raises(InputError, match="dates in two orders"):
        numeric_dates_as_iso(mixed, "auto", None, "date")


def test_a_day_first_daily_history_from_a_spreadsheet(tmp_path):
    dates = pd.date_range("2026-03-01", periods=40, freq="D")
    rows = "".join(f"{d:%d/%m/%Y},{100 + i}\n" for i, d in enumerate(dates))
    path = write(tmp_path / "daily.csv", "\ufeffDate,Volume\n" + rows)
    daily = read_ticket_history(path, "UTC")
    assert daily["date"].tolist() == list(dates)
    assert daily["volume"].tolist() == [100.0 + i for i in range(40)]


def test_ticket_timestamps_month_first_when_told(tmp_path):
    path = write(tmp_path / "tickets.csv", "id,created_at,channel\n1,03/04/2026 10:15,chat\n"
                 "2,03/05/2026 11:00,email\n")
    with pytest.raises(InputError, match="ambiguous date"):
        read_ticket_history(path, "Europe/London")
    tickets = read_ticket_history(path, "Europe/London", date_order="month_first")
    assert tickets["created_at"].dt.strftime("%Y-%m-%d %H:%M").tolist() == \
        ["2026-03-04 10:15", "2026-03-05 11:00"]


@given(st.lists(st.dates(min_value=pd.Timestamp("2000-01-01").date(),
                         max_value=pd.Timestamp("2099-12-31").date()), min_size=1, max_size=20),
       st.sampled_from(["day_first", "month_first"]), st.sampled_from(["/", "."]))
@example([pd.Timestamp("2026-04-03").date()], "day_first", "/")
def test_numeric_dates_round_trip_in_the_stated_order(dates, order, sep):
    pattern = f"%d{sep}%m{sep}%Y" if order == "day_first" else f"%m{sep}%d{sep}%Y"
    raw = pd.Series([d.strftime(pattern) for d in dates])
    iso = numeric_dates_as_iso(raw, order, None, "date")
    assert pd.to_datetime(iso).dt.date.tolist() == dates
    # auto reads it the same way whenever one date shows the order, and refuses otherwise
    shows = any(d.day > 12 and d.day != d.month for d in dates)
    same_both_ways = all(d.day == d.month for d in dates)
    if shows or same_both_ways:
        assert numeric_dates_as_iso(raw, "auto", None, "date").tolist() == iso.tolist()
    else:
        with pytest.raises(InputError, match="ambiguous date"):
            numeric_dates_as_iso(raw, "auto", None, "date")


def test_the_cli_asks_which_order_and_takes_the_answer(tmp_path):
    dates = pd.date_range("2026-01-01", periods=60, freq="D")
    rows = "".join(f"{d:%m/%d/%Y},{100 + (i % 7) * 10}\n" for i, d in enumerate(dates)
                   if d.day <= 12)  # only ambiguous days
    path = write(tmp_path / "daily.csv", "date,volume\n" + rows)
    refused = runner.invoke(app, ["forecast", "--history", str(path), "--model", "naive",
                                  "--horizon-days", "7", "--out", str(tmp_path / "o")])
    assert refused.exit_code == 2 and "--dayfirst" in refused.stderr
    told = runner.invoke(app, ["forecast", "--history", str(path), "--model", "naive",
                               "--horizon-days", "7", "--monthfirst", "--out", str(tmp_path / "o")])
    assert told.exit_code == 0, told.output
    forecast = pd.read_csv(tmp_path / "o" / "forecast.csv", parse_dates=["date"])
    assert forecast["date"].min() == pd.Timestamp("2026-03-02")  # the day after 03/01/2026


def test_init_records_the_order_it_was_told(tmp_path):
    dates = pd.date_range("2026-01-01", periods=12, freq="D")
    path = write(tmp_path / "daily.csv", "date,channel,volume\n" + "".join(
        f"{d:%d/%m/%Y},chat,{100 + i}\n" for i, d in enumerate(dates)))
    result = runner.invoke(app, ["init", str(tmp_path / "plan.toml"), "--history", str(path),
                                 "--dayfirst"])
    assert result.exit_code == 0, result.output
    assert 'date_order = "day_first"' in (tmp_path / "plan.toml").read_text(encoding="utf-8")

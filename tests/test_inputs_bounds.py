"""Every loader refuses a corrupt or out-of-bounds input with an InputError that says where.

One reproducer per root cause of issue 17 (each was a traceback or a hang
before): the file, row and column or key are named, and the bound.
"""
from __future__ import annotations

import gzip
import zipfile

import pytest

from calendars import bounds
from calendars.errors import InputError
from calendars.io import read_promo_calendar, read_table
from forecast.io import read_ticket_history
from surgeplan.io import read_forecast

TZ = "America/New_York"
DAILY = "date,volume\n2024-01-01,5\n2024-01-02,4\n"


def write(tmp_path, text, name="h.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def error_of(call, *args):
    with pytest.raises(InputError) as info:
        call(*args)
    return info.value


def test_truncated_gzip_is_named(tmp_path):
    path = tmp_path / "h.csv.gz"
    path.write_bytes(gzip.compress((DAILY * 200).encode())[:40])
    err = error_of(read_ticket_history, path, TZ)
    assert err.path == str(path) and "could not read" in err.message


def test_corrupt_gzip_is_named(tmp_path):
    path = tmp_path / "h.csv.gz"
    data = bytearray(gzip.compress((DAILY * 200).encode()))
    data[20:30] = b"\xff" * 10
    path.write_bytes(bytes(data))
    assert error_of(read_ticket_history, path, TZ).path == str(path)


def test_gzip_bomb_is_refused_before_parsing(tmp_path, monkeypatch):
    monkeypatch.setattr("calendars.io.MAX_DECOMPRESSED_BYTES", 10_000)
    path = tmp_path / "h.csv.gz"
    path.write_bytes(gzip.compress(b"date,volume\n" + b"2024-01-01,5\n" * 5_000))
    err = error_of(read_table, path)
    assert "decompresses to more than 10,000 bytes" in err.message


@pytest.mark.parametrize("content", [b"junk\n", b"PK\x03\x04 not really a zip"])
def test_junk_xlsx_is_named(tmp_path, content):
    path = tmp_path / "h.xlsx"
    path.write_bytes(content)
    err = error_of(read_ticket_history, path, TZ)
    assert err.path == str(path)


def test_xlsx_bomb_is_refused_from_its_directory(tmp_path, monkeypatch):
    monkeypatch.setattr("calendars.io.MAX_DECOMPRESSED_BYTES", 1_000)
    path = tmp_path / "h.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", "0" * 100_000)
    assert "decompresses to 100,000 bytes" in error_of(read_table, path).message


def test_too_many_columns_is_refused_from_the_header(tmp_path):
    path = write(tmp_path, ",".join(f"c{i}" for i in range(bounds.MAX_COLUMNS + 5)) + "\n")
    err = error_of(read_table, path)
    assert err.line == 1 and "columns" in err.message


@pytest.mark.parametrize("cell", ["2262-04-12", "2300-01-01", "1899-12-31", "\u0663-01-01",
                                  "2024-02-30", "\u0662\u0660\u0662\u0664-01-01"])
def test_daily_dates_outside_the_bounds_are_located(tmp_path, cell):
    path = write(tmp_path, f"date,volume\n2024-01-01,5\n{cell},4\n")
    err = error_of(read_ticket_history, path, TZ)
    assert (err.line, err.column) == (3, "date")
    assert "1900-01-01 to 2200-12-31" in err.message


def test_a_date_column_with_mixed_offsets_keeps_local_dates(tmp_path):
    path = write(tmp_path, "date,volume\n2024-01-01T23:00:00-05:00,5\n2024-01-02T01:00:00+09:00,4\n")
    out = read_ticket_history(path, TZ)
    assert [d.strftime("%Y-%m-%d") for d in out["date"]] == ["2024-01-01", "2024-01-02"]


@pytest.mark.parametrize("epoch", ["1e12", "-1e11", "1e300", "inf"])
def test_intercom_epochs_out_of_range_are_located(tmp_path, epoch):
    path = write(tmp_path, f"created_at,source.type\n1700000000,email\n{epoch},chat\n")
    err = error_of(read_ticket_history, path, TZ)
    assert (err.line, err.column) == (3, "created_at")


def test_timestamps_mixing_offsets_and_naive_times_are_refused(tmp_path):
    path = write(tmp_path, "created_at\n2024-01-01T10:00:00+01:00\n2024-01-02 10:00:00\n")
    err = error_of(read_ticket_history, path, TZ)
    assert (err.line, err.column) == (3, "created_at") and "UTC offset" in err.message


def test_timestamps_with_different_offsets_are_read_through_utc(tmp_path):
    path = write(tmp_path, "created_at\n2024-01-01T10:00:00+01:00\n2024-01-02T10:00:00-05:00\n")
    out = read_ticket_history(path, "UTC")
    assert [t.hour for t in out["created_at"]] == [9, 15]


def test_ticket_timestamp_beyond_2200_is_located(tmp_path):
    path = write(tmp_path, "created_at\n2024-01-01 10:00\n2262-04-12 00:00\n")
    assert error_of(read_ticket_history, path, TZ).line == 3


@pytest.mark.parametrize("tz", ["Mars/Olympus", "", "/etc/passwd", "a\x00b"])
def test_unknown_time_zone_is_refused_even_for_daily_counts(tmp_path, tz):
    err = error_of(read_ticket_history, write(tmp_path, DAILY), tz)
    assert err.key == "tz" and "IANA" in err.message


CAL_HEADER = "name,type,start,end,uplift,channels,pre_days,post_days\n"


@pytest.mark.parametrize("row, column", [
    ("A,flash_sale,2024-01-01,2024-01-02,,,,inf", "post_days"),
    ("A,flash_sale,2024-01-01,2024-01-02,,,,9223372036854775808", "post_days"),
    ("A,flash_sale,2024-01-01,2024-01-02,,,1e9,", "pre_days"),
    ("A,flash_sale,2024-01-01,2024-01-02,,,367,", "pre_days"),
    ("A,flash_sale,2024-01-01,2024-01-02,101,,,", "uplift"),
    ("A,flash_sale,2024-01-01,2024-01-02,inf,,,", "uplift"),
    ("A,flash_sale,2024-01-01,2300-01-01,,,,", "end"),
])
def test_calendar_bounds_are_enforced_at_load(tmp_path, row, column):
    err = error_of(read_promo_calendar, write(tmp_path, CAL_HEADER + row + "\n", "p.csv"))
    assert (err.line, err.column) == (2, column)


def test_calendar_bounds_themselves_are_accepted(tmp_path):
    row = "A,flash_sale,1900-01-01,2200-12-31,100,,366,366"
    out = read_promo_calendar(write(tmp_path, CAL_HEADER + row + "\n", "p.csv"))
    assert out.loc[0, "post_days"] == 366 and out.loc[0, "uplift"] == 100


def test_yaml_date_that_does_not_exist_is_located_on_its_line(tmp_path):
    text = ("events:\n  - name: ok\n    type: flash_sale\n    start: 2024-02-01\n"
            "    end: 2024-02-02\n  - name: bad\n    type: flash_sale\n"
            "    start: 2024-02-30\n    end: 2024-03-01\n")
    err = error_of(read_promo_calendar, write(tmp_path, text, "p.yaml"))
    assert (err.line, err.column) == (6, "start")


@pytest.mark.parametrize("text", [
    "a: &a [x, x]\nb: &b [*a, *a]\n",
    "- &e {name: a, type: flash_sale, start: 2024-01-01, end: 2024-01-02}\n- *e\n",
])
def test_yaml_anchors_and_aliases_are_refused(tmp_path, text):
    err = error_of(read_promo_calendar, write(tmp_path, text, "p.yaml"))
    assert err.line == 1 and ("anchors" in err.message or "aliases" in err.message)


def test_deep_yaml_is_refused(tmp_path):
    err = error_of(read_promo_calendar, write(tmp_path, "[" * 5000 + "]" * 5000, "p.yaml"))
    assert "nested" in err.message


def test_yaml_nested_cells_are_refused(tmp_path):
    text = "- {name: a, type: flash_sale, start: 2024-01-01, end: 2024-01-02, channels: [[x]]}\n"
    err = error_of(read_promo_calendar, write(tmp_path, text, "p.yaml"))
    assert (err.line, err.column) == (1, "channels")


def test_forecast_file_dates_are_bounded(tmp_path):
    path = write(tmp_path, "date,queue,volume_p50\n2300-01-01,chat,4\n", "f.csv")
    assert error_of(read_forecast, path).column == "date"


# --- the config -------------------------------------------------------------------------------

@pytest.mark.parametrize("old, new, key", [
    ("aht_s = 600", "aht_s = 1e300", "queues.chat.aht_s"),
    ("lead_time_days = 35", "lead_time_days = 100000000000", "sources.offshore.lead_time_days"),
    ("hourly_cost = 36.0", "hourly_cost = 1e308", "sources.inhouse.hourly_cost"),
    ("ramp = [1.4, 1.2, 1.1]", "ramp = [1.4, 1e9]", "sources.offshore.ramp"),
    ("ramp = [1.4, 1.2, 1.1]", "ramp = [" + ", ".join(["1.1"] * 400) + "]",
     "sources.offshore.ramp"),
    ("horizon_days = 120", "horizon_days = 1000000", "forecast.horizon_days"),
    ("[core]", "[core]\noptimal_step_fte = 1e-9", "core.optimal_step_fte"),
    ("countries = [\"US\"]", "countries = [1]", "business.countries"),
    ("countries = [\"US\"]", "countries = [\"XX\"]", "business.countries"),
    ("max_occupancy = 0.85", "max_occupancy = 1.5", "queues.chat.max_occupancy"),
    ("patience_s = 180", "patience_s = 1e9", "queues.phone.patience_s"),
    ("max_abandon = 0.05", "max_abandon = 2", "queues.phone.max_abandon"),
    ("queues = [\"chat\", \"email\"]", "queues = [1, {a = 1}]", "sources.offshore.queues"),
    ("overtime_premium = 1.5", "overtime_premium = 1.5\nfixed_fte = {chat = \"a\"}",
     "core.fixed_fte.chat"),
    ("policy = \"percentile\"", "policy = \"fixed\"\nfixed_fte = {chat = 1}", "core.fixed_fte"),
    ("share = 0.06", "share = nan", "escalation.share"),
    ("history = \"daily_counts.csv\"", "history = \"daily\\u0000.csv\"", "data.history"),
    # found by the fuzz suite: each ran the agent search to its limit (exit 1)
    ("patience_s = 180", "patience_s = 5e-324", "queues.phone.patience_s"),
    ("aht_s = 360", "aht_s = 5e-324", "queues.phone.aht_s"),
    ("concurrency = 2", "concurrency = 5e-324", "queues.chat.concurrency"),
    ("max_occupancy = 0.85", "max_occupancy = 5e-324", "queues.chat.max_occupancy"),
    ("target_sl = 0.8", "target_sl = 1", "queues.chat.target_sl"),
])
def test_config_is_validated_completely_at_load(example_copy, old, new, key):
    from surgeplan.config import load_config

    text = example_copy.read_text()
    assert old in text
    example_copy.write_text(text.replace(old, new, 1))
    err = error_of(load_config, example_copy)
    assert (err.path, err.key) == (str(example_copy.resolve()), key)


def test_bom_prefixed_config_and_max_fte_inf_are_accepted(example_copy):
    from surgeplan.config import load_config

    text = example_copy.read_text().replace("max_fte = 120", "max_fte = inf")
    example_copy.write_bytes(b"\xef\xbb\xbf" + text.encode())
    config = load_config(example_copy)
    assert any(s.max_fte == float("inf") for s in config.sources)


def test_config_nested_past_the_parser_is_an_input_error(example_copy):
    from surgeplan.config import load_config

    example_copy.write_text("x = " + "[" * 100_000 + "]" * 100_000 + "\n")
    assert "nested too deep" in error_of(load_config, example_copy).message

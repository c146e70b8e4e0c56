"""calendars.io: the promo calendar reader (CSV and YAML) and read_table."""
from __future__ import annotations

import gzip

import numpy as np
import pandas as pd
import pytest

from calendars.errors import InputError
from calendars.io import PROMO_COLUMNS, read_promo_calendar, read_table

HEADER = "name,type,start,end,uplift,channels,pre_days,post_days"
GOOD_ROWS = [
    "Spring Sale,flash_sale,2026-03-10,2026-03-11,4.5,chat;email,1,2",
    "Launch,product_launch,2026-02-01,2026-02-01,,,,",
]


def write_csv(tmp_path, lines, name="promos.csv"):
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_valid_csv_loads_documented_columns_and_types(tmp_path):
    path = write_csv(tmp_path, [HEADER, *GOOD_ROWS])
    promos = read_promo_calendar(path)
    assert list(promos.columns) == PROMO_COLUMNS
    # sorted by start: the February launch comes first
    assert list(promos["name"]) == ["Launch", "Spring Sale"]
    sale = promos.iloc[1]
    assert sale["type"] == "flash_sale"
    assert sale["start"] == pd.Timestamp("2026-03-10")
    assert sale["end"] == pd.Timestamp("2026-03-11")
    assert sale["uplift"] == 4.5
    assert sale["channels"] == ("chat", "email")
    assert (sale["pre_days"], sale["post_days"]) == (1, 2)
    launch = promos.iloc[0]
    assert np.isnan(launch["uplift"])
    assert launch["channels"] == ()
    assert (launch["pre_days"], launch["post_days"]) == (0, 0)
    assert pd.api.types.is_datetime64_ns_dtype(promos["start"])
    assert pd.api.types.is_datetime64_ns_dtype(promos["end"])
    assert pd.api.types.is_integer_dtype(promos["pre_days"])
    assert pd.api.types.is_float_dtype(promos["uplift"])


def test_type_is_case_insensitive_and_optional_columns_default(tmp_path):
    path = write_csv(tmp_path, ["name,type,start,end", "Xmas, Holiday_Peak ,2026-12-01,2026-12-24"])
    promos = read_promo_calendar(path)
    assert promos.loc[0, "type"] == "holiday_peak"
    assert np.isnan(promos.loc[0, "uplift"])
    assert promos.loc[0, "channels"] == ()
    assert promos.loc[0, "pre_days"] == 0 and promos.loc[0, "post_days"] == 0


def test_valid_yaml_loads_like_csv(tmp_path):
    path = tmp_path / "promos.yaml"
    path.write_text(
        "events:\n"
        "  - name: Spring Sale\n    type: flash_sale\n    start: 2026-03-10\n"
        "    end: 2026-03-11\n    uplift: 4.5\n    channels: [email, chat]\n"
        "    pre_days: 1\n    post_days: 2\n"
        "  - name: Launch\n    type: product_launch\n    start: 2026-02-01\n"
        "    end: 2026-02-01\n", encoding="utf-8")
    promos = read_promo_calendar(path)
    assert list(promos.columns) == PROMO_COLUMNS
    assert list(promos["name"]) == ["Launch", "Spring Sale"]
    sale = promos.iloc[1]
    assert sale["uplift"] == 4.5 and sale["channels"] == ("chat", "email")
    assert (sale["pre_days"], sale["post_days"]) == (1, 2)
    # keys the launch leaves out are missing, not the text "nan"
    assert np.isnan(promos.iloc[0]["uplift"])
    assert promos.iloc[0]["channels"] == ()


def test_yaml_plain_list_is_accepted(tmp_path):
    path = tmp_path / "promos.yml"
    path.write_text("- {name: A, type: promotion, start: 2026-05-01, end: 2026-05-03}\n",
                    encoding="utf-8")
    promos = read_promo_calendar(path)
    assert promos.loc[0, "end"] == pd.Timestamp("2026-05-03")


def test_yaml_bad_type_names_file_and_column(tmp_path):
    path = tmp_path / "promos.yaml"
    path.write_text("- {name: A, type: garage_sale, start: 2026-05-01, end: 2026-05-03}\n",
                    encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_promo_calendar(path)
    assert info.value.path == str(path) and info.value.column == "type"
    assert "garage_sale" in str(info.value) and "flash_sale" in str(info.value)


def test_yaml_not_a_list_is_an_input_error(tmp_path):
    path = tmp_path / "promos.yaml"
    path.write_text("just a string\n", encoding="utf-8")
    with pytest.raises(InputError, match="list of events"):
        read_promo_calendar(path)


def assert_located(info, path, line, column, *phrases):
    err = info.value
    assert err.path == str(path)
    assert err.line == line
    assert err.column == column
    text = str(err)
    assert str(path) in text and f"line {line}" in text and f"column {column}" in text
    for phrase in phrases:
        assert phrase in text


def test_missing_column_lists_required_and_found(tmp_path):
    path = write_csv(tmp_path, ["name,type,start", "A,promotion,2026-01-01"])
    with pytest.raises(InputError) as info:
        read_promo_calendar(path)
    text = str(info.value)
    assert str(path) in text
    assert "missing column(s) end" in text
    assert "required: name, type, start, end" in text
    assert "found: name, type, start" in text


@pytest.mark.parametrize("row, line, column, phrases", [
    # the bad row is the third data row -> line 4 (header is line 1)
    ("C,flash_sale,2026-13-45,2026-03-11,,,,", 4, "start", ["expected a date", "2026-13-45"]),
    ("C,flash_sale,2026-03-01,tomorrow,,,,", 4, "end", ["expected a date", "tomorrow"]),
    ("C,garage_sale,2026-03-01,2026-03-02,,,,", 4, "type", ["unknown event type", "garage_sale",
                                                            "flash_sale"]),
    ("C,flash_sale,2026-03-05,2026-03-01,,,,", 4, "end", ["ends (2026-03-01) before it starts "
                                                          "(2026-03-05)", "end >= start"]),
    ("C,flash_sale,2026-03-01,2026-03-02,0,,,", 4, "uplift", ["greater than 0", "'0'"]),
    ("C,flash_sale,2026-03-01,2026-03-02,-2,,,", 4, "uplift", ["greater than 0", "'-2'"]),
    ("C,flash_sale,2026-03-01,2026-03-02,lots,,,", 4, "uplift", ["expected a number", "'lots'"]),
    ("C,flash_sale,2026-03-01,2026-03-02,,,-1,", 4, "pre_days", ["at least 0", "'-1'"]),
    ("C,flash_sale,2026-03-01,2026-03-02,,,,1.5", 4, "post_days", ["whole number", "'1.5'"]),
    (",flash_sale,2026-03-01,2026-03-02,,,,", 4, "name", ["expected an event name"]),
])
def test_bad_row_names_file_line_column_and_expectation(tmp_path, row, line, column, phrases):
    path = write_csv(tmp_path, [HEADER, *GOOD_ROWS, row])
    with pytest.raises(InputError) as info:
        read_promo_calendar(path)
    assert_located(info, path, line, column, *phrases)


def test_read_table_missing_file(tmp_path):
    path = tmp_path / "nope.csv"
    with pytest.raises(InputError, match="file not found") as info:
        read_table(path)
    assert info.value.path == str(path)


def test_read_table_empty_file(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text("", encoding="utf-8")
    with pytest.raises(InputError, match="empty") as info:
        read_table(path)
    assert info.value.path == str(path)


def test_read_table_unknown_suffix(tmp_path):
    path = tmp_path / "data.json"
    path.write_text("{}", encoding="utf-8")
    with pytest.raises(InputError, match="unknown file type") as info:
        read_table(path)
    assert str(path) in str(info.value)


def test_read_table_directory(tmp_path):
    with pytest.raises(InputError, match="directory"):
        read_table(tmp_path)


def test_read_table_strips_header_spaces_and_keeps_text(tmp_path):
    path = write_csv(tmp_path, [" date , volume ", "2026-01-01,007"], name="t.csv")
    frame = read_table(path)
    assert list(frame.columns) == ["date", "volume"]
    assert frame.loc[0, "volume"] == "007"  # read as text; parsing is the caller's job


def test_gzip_csv_round_trip(tmp_path):
    text = HEADER + "\n" + "\n".join(GOOD_ROWS) + "\n"
    path = tmp_path / "promos.csv.gz"
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        fh.write(text)
    plain = read_promo_calendar(write_csv(tmp_path, [HEADER, *GOOD_ROWS]))
    pd.testing.assert_frame_equal(read_promo_calendar(path), plain)


def test_xlsx_round_trip(tmp_path):
    frame = pd.DataFrame({"date": ["2026-01-01", "2026-01-02"], "volume": ["5", "7"]})
    path = tmp_path / "t.xlsx"
    frame.to_excel(path, index=False)
    pd.testing.assert_frame_equal(read_table(path), frame)


def test_parquet_round_trip(tmp_path):
    frame = pd.DataFrame({"date": ["2026-01-01", "2026-01-02"], "volume": [5, 7]})
    path = tmp_path / "t.parquet"
    try:
        frame.to_parquet(path)
    except ImportError:
        pytest.skip("no parquet engine installed")
    pd.testing.assert_frame_equal(read_table(path), frame)

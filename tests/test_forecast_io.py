"""forecast.io.read_ticket_history: daily counts and helpdesk ticket exports."""
from __future__ import annotations

import pandas as pd
import pytest

from calendars.errors import InputError
from forecast.io import read_ticket_history

TZ = "Europe/Berlin"


def write(tmp_path, text, name="tickets.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_daily_form_minimal(tmp_path):
    path = write(tmp_path, "date,volume\n2026-01-02,7\n2026-01-01,5\n")
    out = read_ticket_history(path, TZ)
    assert list(out.columns) == ["date", "volume"]
    assert list(out["date"]) == [pd.Timestamp("2026-01-01"), pd.Timestamp("2026-01-02")]
    assert list(out["volume"]) == [5.0, 7.0]
    assert out["date"].dt.tz is None


def test_daily_form_with_channel_and_category(tmp_path):
    path = write(tmp_path, "date,volume,channel,category\n"
                           "2026-01-01,5, Chat ,Refund\n2026-01-01,3,email,refund\n"
                           "2026-01-01,2,chat,shipping\n")
    out = read_ticket_history(path, TZ)
    assert list(out.columns) == ["date", "volume", "channel", "category"]
    assert set(zip(out["channel"], out["category"], out["volume"])) == {
        ("chat", "refund", 5.0), ("email", "refund", 3.0), ("chat", "shipping", 2.0)}


def test_zendesk_ticket_export(tmp_path):
    path = write(tmp_path,
                 "Id,Created at,Via,Tags\n"
                 "1,2026-03-02 09:15:00,Chat,wismo shipping\n"
                 "2,2026-03-02 10:00:00,Mail,refund\n"
                 "3,2026-03-02 11:00:00,Web form,\n"
                 "4,2026-03-02 12:00:00,Voice,\"returns,damaged\"\n")
    out = read_ticket_history(path, TZ)
    assert list(out.columns) == ["created_at", "channel", "category"]
    assert list(out["channel"]) == ["chat", "email", "email", "phone"]
    assert list(out["category"]) == ["wismo", "refund", "unknown", "returns"]
    # naive timestamps are wall-clock times in the given zone
    assert str(out["created_at"].dt.tz) == TZ
    assert out["created_at"].iloc[0] == pd.Timestamp("2026-03-02 09:15", tz=TZ)


def test_gorgias_export_aware_timestamps_are_converted(tmp_path):
    path = write(tmp_path,
                 "id,created_datetime,channel\n"
                 "10,2026-06-01T10:00:00+00:00,email\n"
                 "11,2026-06-01T23:30:00+00:00,chat\n")
    out = read_ticket_history(path, TZ)
    # Berlin is UTC+2 in June: 10:00Z -> 12:00, 23:30Z -> 01:30 next day
    assert list(out["created_at"]) == [pd.Timestamp("2026-06-01 12:00", tz=TZ),
                                       pd.Timestamp("2026-06-02 01:30", tz=TZ)]
    assert list(out["channel"]) == ["email", "chat"]
    assert (out["category"] == "unknown").all()


def test_mixed_offsets_are_normalised(tmp_path):
    path = write(tmp_path, "created_at\n2026-06-01T10:00:00+00:00\n2026-06-01T10:00:00-04:00\n")
    out = read_ticket_history(path, "UTC")
    # 10:00-04:00 is 14:00 UTC
    assert list(out["created_at"]) == [pd.Timestamp("2026-06-01 10:00", tz="UTC"),
                                       pd.Timestamp("2026-06-01 14:00", tz="UTC")]


def test_local_offsets_across_dst_change(tmp_path):
    # an export in local time carries +01:00 in winter and +02:00 in summer
    path = write(tmp_path, "created_datetime\n2026-03-28T09:00:00+01:00\n"
                           "2026-03-30T09:00:00+02:00\n")
    out = read_ticket_history(path, TZ)
    assert list(out["created_at"]) == [pd.Timestamp("2026-03-28 09:00", tz=TZ),
                                       pd.Timestamp("2026-03-30 09:00", tz=TZ)]


def test_intercom_epoch_seconds(tmp_path):
    # 1767225600 = 2026-01-01T00:00:00Z (56 years x 365 + 14 leap days = 20454 days x 86400)
    path = write(tmp_path, "created_at,source.type\n1767225600,conversation\n1767229200,email\n")
    out = read_ticket_history(path, "America/New_York")
    assert out["created_at"].iloc[0] == pd.Timestamp("2025-12-31 19:00", tz="America/New_York")
    assert out["created_at"].iloc[1] == pd.Timestamp("2025-12-31 20:00", tz="America/New_York")
    assert list(out["channel"]) == ["chat", "email"]


def test_column_map_and_channel_map(tmp_path):
    path = write(tmp_path, "When,Medium\n2026-01-01 08:00,whatsapp\n")
    out = read_ticket_history(path, TZ, column_map={"When": "created_at", "Medium": "channel"},
                              channel_map={"WhatsApp": "chat"})
    assert out.loc[0, "channel"] == "chat"


def test_ticket_form_without_channel_is_one_queue(tmp_path):
    path = write(tmp_path, "created_at\n2026-01-01 08:00\n")
    assert read_ticket_history(path, TZ).loc[0, "channel"] == "all"


def test_dst_gap_and_fold_naive_timestamps(tmp_path):
    # 2026-03-08 02:30 does not exist in New York; 2026-11-01 01:30 happens twice
    path = write(tmp_path, "created_at\n2026-03-08 02:30\n2026-11-01 01:30\n")
    out = read_ticket_history(path, "America/New_York")
    assert out["created_at"].notna().all()
    assert out["created_at"].iloc[0] == pd.Timestamp("2026-03-08 03:00", tz="America/New_York")
    assert out["created_at"].iloc[1].tz_localize(None) == pd.Timestamp("2026-11-01 01:30")


def located(info, path, line, column, *phrases):
    err = info.value
    assert (err.path, err.line, err.column) == (str(path), line, column)
    text = str(err)
    assert str(path) in text and f"line {line}" in text and f"column {column}" in text
    for phrase in phrases:
        assert phrase in text


@pytest.mark.parametrize("body, line, column, phrases", [
    # header is line 1, so the n-th data row is line n + 1
    ("date,volume\n2026-01-01,5\n2026-01-02,-3\n", 3, "volume", ["at least 0", "'-3'"]),
    ("date,volume\n2026-01-01,lots\n", 2, "volume", ["expected a number", "'lots'"]),
    ("date,volume\n2026-01-01,5\n2026-01-02,\n", 3, "volume", ["expected a number",
                                                               "empty cell"]),
    ("date,volume\n2026-01-01,5\n2026-02-30,4\n", 3, "date", ["expected a date", "2026-02-30"]),
    ("date,volume,channel\n2026-01-01,5,chat\n2026-01-01,4,email\n2026-01-01,2,Chat\n", 4,
     "date", ["duplicate day", "2026-01-01", "chat"]),
    ("date,volume\n2026-01-01,5\n2026-01-02,4\n2026-01-01,3\n", 4, "date", ["duplicate day"]),
    ("Id,Created at\n1,2026-01-01 08:00\n2,2026-01-01 09:00\n1,2026-01-01 10:00\n", 4, "Id",
     ["duplicate ticket id", "'1'"]),
    ("created_at,channel\n2026-01-01 08:00,chat\nyesterday,chat\n", 3, "created_at",
     ["expected a timestamp", "yesterday"]),
])
def test_bad_rows_are_located(tmp_path, body, line, column, phrases):
    path = write(tmp_path, body)
    with pytest.raises(InputError) as info:
        read_ticket_history(path, TZ)
    located(info, path, line, column, *phrases)


def test_same_date_different_channel_is_not_a_duplicate(tmp_path):
    path = write(tmp_path, "date,volume,channel\n2026-01-01,5,chat\n2026-01-01,4,email\n")
    assert len(read_ticket_history(path, TZ)) == 2


def test_no_recognisable_columns(tmp_path):
    path = write(tmp_path, "foo,bar\n1,2\n")
    with pytest.raises(InputError) as info:
        read_ticket_history(path, TZ)
    text = str(info.value)
    assert str(path) in text and "created_at" in text and "date, volume" in text
    assert "found: foo, bar" in text


def test_date_without_volume_lists_required(tmp_path):
    path = write(tmp_path, "date,count\n2026-01-01,4\n")
    with pytest.raises(InputError, match="missing column.*volume.*found: date, count"):
        read_ticket_history(path, TZ)


def test_header_only(tmp_path):
    path = write(tmp_path, "date,volume\n")
    with pytest.raises(InputError, match="no rows") as info:
        read_ticket_history(path, TZ)
    assert info.value.path == str(path)


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="file not found"):
        read_ticket_history(tmp_path / "none.csv", TZ)

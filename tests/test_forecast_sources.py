"""History loading: Freshdesk, Intercom and Gorgias exports to queues; file formats; outage days."""
from __future__ import annotations

import gzip

import numpy as np
import pandas as pd
import pytest

from calendars.errors import InputError
from calendars.events import holiday_events, public_holidays
from forecast.events import clean_days
from forecast.history import daily_volume
from forecast.io import read_orders, read_ticket_history
from forecast.baseline import baseline_events_point


def test_freshdesk_integer_source_codes_map_to_queues(tmp_path):
    # Freshdesk API v2: 1 Email, 2 Portal, 3 Phone, 7 Chat, 9 Feedback Widget, 10 Outbound Email.
    path = tmp_path / "freshdesk.csv"
    path.write_text("Ticket ID,Created time,Source\n"
                    "1,2026-03-02 09:00:00,1\n2,2026-03-02 09:05:00,2\n3,2026-03-02 10:00:00,3\n"
                    "4,2026-03-02 11:00:00,7\n5,2026-03-03 12:00:00,9\n6,2026-03-03 13:00:00,10\n")
    tickets = read_ticket_history(path, "Europe/Berlin")
    assert tickets["channel"].tolist() == ["email", "email", "phone", "chat", "email", "email"]
    assert str(tickets["created_at"].dt.tz) == "Europe/Berlin"
    daily = daily_volume(tickets)
    counts = daily.set_index(["queue", "date"])["volume"]
    assert counts[("email", pd.Timestamp("2026-03-02"))] == 2
    assert counts[("email", pd.Timestamp("2026-03-03"))] == 2
    assert counts[("phone", pd.Timestamp("2026-03-03"))] == 0


def test_intercom_source_type_and_epoch_seconds(tmp_path):
    path = tmp_path / "intercom.csv"
    # 1772442000 = 2026-03-02 09:00:00 UTC = 04:00 in New York (EST).
    path.write_text("id,created_at,source.type\n"
                    "a,1772442000,conversation\nb,1772445600,email\nc,1772449200,phone_call\n"
                    "d,1772452800,whatsapp\n")
    tickets = read_ticket_history(path, "America/New_York")
    assert tickets["channel"].tolist() == ["chat", "email", "phone", "chat"]
    assert tickets["created_at"].iloc[0] == pd.Timestamp("2026-03-02 04:00", tz="America/New_York")


def test_gorgias_channels(tmp_path):
    path = tmp_path / "gorgias.csv"
    path.write_text("id,created_datetime,channel\n"
                    "1,2026-03-02T09:00:00+00:00,email\n2,2026-03-02T10:00:00+00:00,chat\n"
                    "3,2026-03-02T11:00:00+00:00,facebook-messenger\n"
                    "4,2026-03-02T12:00:00+00:00,instagram-comment\n"
                    "5,2026-03-02T13:00:00+00:00,phone\n")
    tickets = read_ticket_history(path, "UTC")
    assert tickets["channel"].tolist() == ["email", "chat", "chat", "email", "phone"]


def _daily_frame() -> pd.DataFrame:
    dates = pd.date_range("2026-01-05", periods=21, freq="D")
    return pd.DataFrame({"date": dates.strftime("%Y-%m-%d"),
                         "volume": np.arange(21) + 100, "channel": "chat"})


@pytest.mark.parametrize("suffix", ["csv", "csv.gz", "parquet", "xlsx"])
def test_daily_counts_in_every_file_format(tmp_path, suffix):
    frame = _daily_frame()
    path = tmp_path / f"daily.{suffix}"
    if suffix == "csv":
        frame.to_csv(path, index=False)
    elif suffix == "csv.gz":
        with gzip.open(path, "wt") as handle:
            frame.to_csv(handle, index=False)
    elif suffix == "parquet":
        frame.to_parquet(path, index=False)
    else:
        frame.to_excel(path, index=False)
    history = read_ticket_history(path, "UTC")
    assert history["volume"].tolist() == list(range(100, 121))
    assert history["date"].iloc[0] == pd.Timestamp("2026-01-05")
    assert set(history["channel"]) == {"chat"}


def _history_with_outages() -> tuple[pd.DataFrame, list[pd.Timestamp]]:
    rng = np.random.default_rng(3)
    dates = pd.date_range("2025-01-06", periods=364, freq="D")
    volume = rng.poisson(np.where(dates.day_of_week < 5, 500.0, 250.0)).astype(float)
    outages = [pd.Timestamp("2025-12-10"), pd.Timestamp("2025-12-17")]  # Wednesdays
    volume[dates.get_indexer(outages)] = [0.0, 4.0]  # a dead day and a near-dead one
    return pd.DataFrame({"date": dates, "volume": volume}), outages


def test_outage_days_are_flagged_and_left_out_of_the_fit():
    daily, outages = _history_with_outages()
    days = holiday_events(public_holidays([2025, 2026], ["US"]))
    clean = clean_days(daily, days)
    assert not clean[outages].any()
    assert clean.mean() > 0.9  # ordinary days stay in
    repaired = daily.assign(volume=daily["volume"].where(~daily["date"].isin(outages), 500.0))
    with_outage = baseline_events_point(daily, days, 28)
    without = baseline_events_point(repaired, days, 28)
    np.testing.assert_allclose(with_outage, without, rtol=0.01)


def test_read_orders(tmp_path):
    path = tmp_path / "orders.csv"
    path.write_text("date,orders,channel\n2026-03-02,1000,Chat\n2026-03-02,400,email\n"
                    "2026-03-01,900,chat\n")
    orders = read_orders(path)
    assert orders.columns.tolist() == ["date", "orders", "channel"]
    assert orders["date"].iloc[0] == pd.Timestamp("2026-03-01")
    assert orders["orders"].tolist() == [900.0, 1000.0, 400.0]


@pytest.mark.parametrize("text, where", [
    ("date,orders\n2026-03-01,100\n2026-03-01,120\n", "line 3, column date"),
    ("date,orders\n2026-03-01,-5\n", "line 2, column orders"),
    ("date,orders\n2026-13-01,5\n", "line 2, column date"),
    ("day,orders\n2026-03-01,5\n", "missing column(s) date"),
])
def test_read_orders_errors_say_where(tmp_path, text, where):
    path = tmp_path / "orders.csv"
    path.write_text(text)
    with pytest.raises(InputError, match=where.replace("(", r"\(").replace(")", r"\)")):
        read_orders(path)

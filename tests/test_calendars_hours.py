"""calendars.hours: OpenHours parsing and membership."""
from __future__ import annotations

import numpy as np
import pytest

from calendars.hours import OpenHours


def test_parse_24_7():
    hours = OpenHours.parse("24/7")
    assert hours.spans == ((0, 1440),) * 7
    assert hours.hours_per_week() == 168.0  # 7 x 24


def test_parse_every_day_range():
    hours = OpenHours.parse("08:00-22:00")
    assert hours.spans == ((480, 1320),) * 7  # 8*60, 22*60
    assert hours.hours_per_week() == 98.0  # 7 x 14


def test_parse_weekday_groups():
    hours = OpenHours.parse("mon-fri 09:00-18:00; sat 10:00-16:00")
    assert hours.spans[:5] == ((540, 1080),) * 5
    assert hours.spans[5] == (600, 960)
    assert hours.spans[6] == (0, 0)  # Sunday not named: closed
    assert hours.hours_per_week() == 5 * 9 + 6  # 51


def test_parse_is_case_and_space_tolerant_and_wraps_day_ranges():
    hours = OpenHours.parse("  FRI-MON 07:30-24:00 ")
    # fri, sat, sun, mon open 450..1440; tue-thu closed
    assert [hours.spans[d] for d in (4, 5, 6, 0)] == [(450, 1440)] * 4
    assert [hours.spans[d] for d in (1, 2, 3)] == [(0, 0)] * 3


def test_parse_day_list():
    hours = OpenHours.parse("mon,wed 09:00-10:00")
    assert hours.spans[0] == hours.spans[2] == (540, 600)
    assert hours.spans[1] == (0, 0)


def test_is_open_start_inclusive_end_exclusive():
    hours = OpenHours.parse("mon-fri 09:00-18:00")
    got = hours.is_open(np.array([0, 0, 0, 0, 5]), np.array([539, 540, 1079, 1080, 600]))
    assert got.tolist() == [False, True, True, False, False]


@pytest.mark.parametrize("text", [
    "", "nonsense", "09:00", "mon-fri 9-18", "xyz 09:00-18:00", "mon-foo 09:00-18:00",
    "18:00-09:00", "09:00-09:00", "25:00-26:00", "09:61-10:00", "00:00-24:30",
])
def test_bad_strings_raise_value_error_naming_open_hours(text):
    with pytest.raises(ValueError, match="open_hours"):
        OpenHours.parse(text)


def test_constructor_validates_spans():
    with pytest.raises(ValueError, match="spans"):
        OpenHours(((0, 1440),) * 6)
    with pytest.raises(ValueError, match="spans"):
        OpenHours(((600, 500),) + ((0, 0),) * 6)

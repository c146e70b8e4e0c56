"""Open hours: when a queue takes contacts, in the business's local time."""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_SPAN = re.compile(r"^(?:(?P<days>[a-z]{3}(?:-[a-z]{3})?(?:,[a-z]{3}(?:-[a-z]{3})?)*)\s+)?"
                   r"(?P<start>\d{1,2}:\d{2})-(?P<end>\d{1,2}:\d{2})$")


@dataclass(frozen=True)
class OpenHours:
    """Open hours per weekday, as (start_min, end_min) minutes after local midnight.

    ``spans[0]`` is Monday. A closed day is ``(0, 0)``; ``end_min`` may be 1440.

    Examples
    --------
    >>> OpenHours.parse("mon-fri 09:00-18:00; sat 10:00-16:00").spans[5]
    (600, 960)
    >>> bool(OpenHours.parse("24/7").is_open(6, 3 * 60))
    True
    """

    spans: tuple[tuple[int, int], ...]

    def __post_init__(self):
        if len(self.spans) != 7:
            raise ValueError(f"spans: expected 7 weekdays, got {len(self.spans)}")
        for day, (start, end) in zip(WEEKDAYS, self.spans):
            if not 0 <= start <= end <= 1440:
                raise ValueError(f"spans: {day} {start}-{end} is not within 0..1440 minutes "
                                 "with start <= end")

    @classmethod
    def parse(cls, text: str) -> "OpenHours":
        """Parse ``"24/7"``, ``"08:00-22:00"`` (every day) or ``"mon-fri 09:00-18:00; sat 10:00-14:00"``.

        Days not named are closed. Raises ValueError naming the part it cannot read.
        """
        text = text.strip().lower()
        if text in ("24/7", "always"):
            return cls(((0, 1440),) * 7)
        parts = [p.strip() for p in text.split(";") if p.strip()]
        if not parts:
            raise ValueError(f"open_hours: got {text!r}, which names no open time; expected "
                             "like 'mon-fri 09:00-18:00; sat 10:00-16:00' or '24/7'")
        spans = [(0, 0)] * 7
        for part in parts:
            match = _SPAN.match(part)
            if not match:
                raise ValueError(f"open_hours: cannot read {part!r}; expected like "
                                 "'mon-fri 09:00-18:00; sat 10:00-16:00' or '24/7'")
            start, end = (_minutes(match[k], part) for k in ("start", "end"))
            if end <= start:
                raise ValueError(f"open_hours: {part!r} closes before it opens")
            for day in _days(match["days"], part):
                spans[day] = (start, end)
        return cls(tuple(spans))

    def is_open(self, weekday, minute_of_day):
        """True where ``minute_of_day`` [min] falls inside the open span of ``weekday`` (0 = Monday)."""
        weekday = np.asarray(weekday)
        starts = np.array([s for s, _ in self.spans])[weekday]
        ends = np.array([e for _, e in self.spans])[weekday]
        return (np.asarray(minute_of_day) >= starts) & (np.asarray(minute_of_day) < ends)

    def hours_per_week(self) -> float:
        """Open hours in a week [h]."""
        return sum(end - start for start, end in self.spans) / 60.0


def _minutes(hhmm: str, part: str) -> int:
    hours, minutes = map(int, hhmm.split(":"))
    if hours > 24 or minutes > 59 or hours * 60 + minutes > 1440:
        raise ValueError(f"open_hours: {hhmm!r} in {part!r} is not a time of day")
    return hours * 60 + minutes


def _days(spec: str | None, part: str) -> list[int]:
    if spec is None:
        return list(range(7))
    out = []
    for piece in spec.split(","):
        first, _, last = piece.partition("-")
        if first not in WEEKDAYS or (last and last not in WEEKDAYS):
            raise ValueError(f"open_hours: unknown day in {part!r}; expected mon..sun")
        a, b = WEEKDAYS.index(first), WEEKDAYS.index(last or first)
        out += list(range(a, b + 1)) if a <= b else list(range(a, 7)) + list(range(0, b + 1))
    return out

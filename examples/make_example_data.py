"""Generate the bundled "Harbor & Pine" example data set for surgeplan.

Harbor & Pine is a fictional mid-size US online store (home goods and
apparel, America/New_York).  This script simulates three years of daily
support-ticket volume for its three queues (chat, email, phone), the last ten
weeks of it as a Zendesk-style ticket export, the promo calendar that drove
the surges, the noise-free expected volume (the "oracle") and the true
parameters of the simulation, so forecasts and learned effects can be scored
against known answers.

Usage::

    python examples/make_example_data.py [--out examples/data]

The output is fully determined by SEED: two runs write byte-identical files.
Only numpy, pandas and the ``holidays`` package are used.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from pathlib import Path

import holidays
import numpy as np
import pandas as pd

SEED = 20261018

# --------------------------------------------------------------------------
# Calendar of the example
# --------------------------------------------------------------------------
HISTORY_START = pd.Timestamp("2023-10-16")
HISTORY_END = pd.Timestamp("2026-10-18")
HORIZON_START = pd.Timestamp("2026-10-19")
HORIZON_END = pd.Timestamp("2027-02-15")
TICKETS_START = pd.Timestamp("2026-08-10")  # last 10 weeks of history
TIME_ZONE = "America/New_York"
COUNTRY = "US"

CHANNELS = ("chat", "email", "phone")
CATEGORIES = ("wismo", "returns_refunds", "product_question", "payment_billing", "other")

# --------------------------------------------------------------------------
# True parameters
# --------------------------------------------------------------------------
# Expected tickets per day at HISTORY_END for a day whose weekly, yearly,
# holiday and event factors are all 1 (the "trend level").  Sums to 500.
LEVEL_AT_END = {"chat": 225.0, "email": 175.0, "phone": 100.0}
GROWTH_PER_YEAR = 0.20  # exponential: level(t) = level_end * 1.2 ** ((t - end) / 365.25 days)

# Day-of-week factors (Mon..Sun), each averaging exactly 1 over the week.
# Phone drops harder at the weekend than chat.
WEEKLY = {
    "chat": (1.14, 1.08, 1.05, 1.03, 1.00, 0.90, 0.80),
    "email": (1.20, 1.13, 1.09, 1.06, 1.00, 0.82, 0.70),
    "phone": (1.26, 1.18, 1.12, 1.09, 1.02, 0.74, 0.59),
}

# Yearly factor: 1 + A * cos(2*pi*(doy - peak_doy) / 365.25); trough half a
# year after the peak, i.e. a dip around the start of July.
YEARLY_AMPLITUDE = 0.08
YEARLY_PEAK_DOY = 365  # late December / early January

CATEGORY_SHARES = {
    "wismo": 0.60,
    "returns_refunds": 0.15,
    "product_question": 0.12,
    "payment_billing": 0.08,
    "other": 0.05,
}

# Public holidays (US federal, holidays package, actual date, observed=False).
HOLIDAY_FACTOR_MAJOR = 0.55
HOLIDAY_FACTOR_OTHER = 0.80
MAJOR_HOLIDAYS = ("New Year's Day", "Thanksgiving Day", "Christmas Day")

# Overdispersion: count ~ Poisson(mean * g), g ~ Gamma(mean 1, CV NOISE_CV),
# drawn independently for every date x channel x category cell.
NOISE_CV = 0.06

# Flash sale: multiplier on total volume for each event day (relative to the
# no-event expectation of that day); mean over the event days is 10.
FLASH_DAY_PROFILE = {1: (10.0,), 2: (11.0, 9.0)}
FLASH_UPLIFT = 10.0
# WISMO tail after the last sale day: extra WISMO tickets as a fraction of the
# no-event total of that day, 1.2 on post day 1, decaying x0.65 per day.
WISMO_TAIL_DAY1 = 1.20
WISMO_TAIL_DECAY = 0.65
WISMO_TAIL_DAYS = 7

# Holiday peak: multiplier anchored on Black Friday (day after Thanksgiving).
HOLIDAY_RAMP_START = 1.5  # on the first day (Nov 15), linear up to ...
HOLIDAY_PLATEAU = 4.0  # ... Black Friday, held until Dec 18
HOLIDAY_BF_CM = 4.5  # Black Friday and Cyber Monday themselves
HOLIDAY_PLATEAU_END_DAY = 18  # December 18
HOLIDAY_EASE_TO = 2.5  # linear down to 2.5 by Dec 24, held to Dec 31
HOLIDAY_EASE_END_DAY = 24
# Returns bump in the first week of January: extra returns_refunds tickets
# as a fraction of the no-event total, post days 1..7.
HOLIDAY_RETURNS_TAIL = (0.60, 0.50, 0.42, 0.35, 0.28, 0.22, 0.16)

# Product launch: 3 days, mean multiplier 1.8, then a short product tail.
LAUNCH_DAY_PROFILE = (2.0, 1.8, 1.6)
LAUNCH_UPLIFT = 1.8
LAUNCH_TAIL = (0.30, 0.15, 0.08)  # extra product_question, post days 1..3

# How the *extra* volume of an event (multiplier - 1) splits across
# categories; the no-event part keeps CATEGORY_SHARES.
EVENT_MIX = {
    "flash_sale": {"wismo": 0.50, "returns_refunds": 0.05, "product_question": 0.20,
                   "payment_billing": 0.20, "other": 0.05},
    "holiday_peak": {"wismo": 0.65, "returns_refunds": 0.12, "product_question": 0.12,
                     "payment_billing": 0.07, "other": 0.04},
    "product_launch": {"wismo": 0.10, "returns_refunds": 0.00, "product_question": 0.70,
                       "payment_billing": 0.10, "other": 0.10},
    "promotion": {"wismo": 0.30, "returns_refunds": 0.00, "product_question": 0.25,
                  "payment_billing": 0.40, "other": 0.05},
}


@dataclass(frozen=True)
class Event:
    name: str
    type: str
    start: str
    end: str
    pre_days: int
    post_days: int
    uplift: float | None = None  # only for the type never seen in history
    channels: str = ""  # empty: all channels


EVENTS = (
    # ---- history ---------------------------------------------------------
    Event("Holiday season 2023", "holiday_peak", "2023-11-15", "2023-12-31", 0, 7),
    Event("Spring flash sale 2024", "flash_sale", "2024-03-14", "2024-03-14", 0, 7),
    Event("Midsummer flash sale 2024", "flash_sale", "2024-07-16", "2024-07-17", 0, 7),
    Event("Singles' Day flash sale 2024", "flash_sale", "2024-11-11", "2024-11-12", 0, 7),
    Event("Holiday season 2024", "holiday_peak", "2024-11-15", "2024-12-31", 0, 7),
    Event("Spring flash sale 2025", "flash_sale", "2025-03-13", "2025-03-13", 0, 7),
    Event("Midsummer flash sale 2025", "flash_sale", "2025-07-15", "2025-07-16", 0, 7),
    Event("Autumn home collection launch", "product_launch", "2025-09-10", "2025-09-12", 0, 3),
    Event("Singles' Day flash sale 2025", "flash_sale", "2025-11-11", "2025-11-12", 0, 7),
    Event("Holiday season 2025", "holiday_peak", "2025-11-15", "2025-12-31", 0, 7),
    Event("Spring flash sale 2026", "flash_sale", "2026-03-12", "2026-03-12", 0, 7),
    Event("Midsummer flash sale 2026", "flash_sale", "2026-07-14", "2026-07-15", 0, 7),
    # ---- upcoming horizon -----------------------------------------------
    Event("Singles' Day flash sale", "flash_sale", "2026-11-11", "2026-11-12", 0, 7),
    Event("Holiday season 2026", "holiday_peak", "2026-11-15", "2026-12-31", 0, 7),
    Event("January clearance flash sale", "flash_sale", "2027-01-20", "2027-01-20", 0, 7),
    Event("Spring collection launch", "product_launch", "2027-02-03", "2027-02-05", 0, 3),
    Event("Valentine's gift-card promo", "promotion", "2027-02-08", "2027-02-14", 0, 0, uplift=1.6),
)


# --------------------------------------------------------------------------
# Noise-free model
# --------------------------------------------------------------------------
def holiday_factors(dates: pd.DatetimeIndex) -> tuple[np.ndarray, dict[str, str]]:
    years = range(dates.min().year, dates.max().year + 1)
    cal = holidays.country_holidays(COUNTRY, years=years, observed=False)
    factor = np.ones(len(dates))
    names: dict[str, str] = {}
    for i, d in enumerate(dates):
        name = cal.get(d.date())
        if name is None:
            continue
        names[d.strftime("%Y-%m-%d")] = name
        factor[i] = HOLIDAY_FACTOR_MAJOR if name in MAJOR_HOLIDAYS else HOLIDAY_FACTOR_OTHER
    return factor, names


def holiday_peak_profile(start: pd.Timestamp, end: pd.Timestamp) -> list[float]:
    """Multiplier for each day from start to end of one holiday season."""
    year = start.year
    nov1 = pd.Timestamp(year=year, month=11, day=1)
    thanksgiving = nov1 + pd.Timedelta(days=(3 - nov1.day_of_week) % 7 + 21)
    black_friday = thanksgiving + pd.Timedelta(days=1)
    cyber_monday = black_friday + pd.Timedelta(days=3)
    plateau_end = pd.Timestamp(year=year, month=12, day=HOLIDAY_PLATEAU_END_DAY)
    ease_end = pd.Timestamp(year=year, month=12, day=HOLIDAY_EASE_END_DAY)
    out = []
    for d in pd.date_range(start, end, freq="D"):
        if d < black_friday:
            frac = (d - start).days / (black_friday - start).days
            m = HOLIDAY_RAMP_START + frac * (HOLIDAY_PLATEAU - HOLIDAY_RAMP_START)
        elif d <= plateau_end:
            m = HOLIDAY_BF_CM if d in (black_friday, cyber_monday) else HOLIDAY_PLATEAU
        elif d <= ease_end:
            frac = (d - plateau_end).days / (ease_end - plateau_end).days
            m = HOLIDAY_PLATEAU + frac * (HOLIDAY_EASE_TO - HOLIDAY_PLATEAU)
        else:
            m = HOLIDAY_EASE_TO
        out.append(round(m, 6))
    return out


def event_day_profile(ev: Event) -> tuple[list[float], list[float], str]:
    """(multipliers on event days, extra fractions on post days, tail category)."""
    start, end = pd.Timestamp(ev.start), pd.Timestamp(ev.end)
    n_days = (end - start).days + 1
    if ev.type == "flash_sale":
        days = list(FLASH_DAY_PROFILE[n_days])
        tail = [WISMO_TAIL_DAY1 * WISMO_TAIL_DECAY**k for k in range(ev.post_days)]
        return days, [round(x, 6) for x in tail], "wismo"
    if ev.type == "holiday_peak":
        return holiday_peak_profile(start, end), list(HOLIDAY_RETURNS_TAIL[: ev.post_days]), "returns_refunds"
    if ev.type == "product_launch":
        return list(LAUNCH_DAY_PROFILE[:n_days]), list(LAUNCH_TAIL[: ev.post_days]), "product_question"
    if ev.type == "promotion":
        return [float(ev.uplift)] * n_days, [], "other"
    raise ValueError(f"unknown event type {ev.type}")


def build_mean(dates: pd.DatetimeIndex) -> tuple[np.ndarray, np.ndarray, dict[str, str]]:
    """Expected volume, shape (n_dates, n_channels, n_categories), and the
    no-event expectation per date x channel (trend x weekly x yearly x holiday)."""
    n = len(dates)
    years_from_end = (dates - HISTORY_END).days.to_numpy() / 365.25
    trend = (1.0 + GROWTH_PER_YEAR) ** years_from_end
    doy = dates.day_of_year.to_numpy()
    yearly = 1.0 + YEARLY_AMPLITUDE * np.cos(2 * np.pi * (doy - YEARLY_PEAK_DOY) / 365.25)
    hol, hol_names = holiday_factors(dates)
    dow = dates.day_of_week.to_numpy()

    base = np.empty((n, len(CHANNELS)))
    for j, ch in enumerate(CHANNELS):
        base[:, j] = LEVEL_AT_END[ch] * trend * np.asarray(WEEKLY[ch])[dow] * yearly * hol

    # extra[t, k]: extra volume in category k as a fraction of the no-event total
    extra = np.zeros((n, len(CATEGORIES)))
    index = {d: i for i, d in enumerate(dates)}
    for ev in EVENTS:
        days, tail, tail_cat = event_day_profile(ev)
        mix = np.array([EVENT_MIX[ev.type][c] for c in CATEGORIES])
        start = pd.Timestamp(ev.start)
        for k, m in enumerate(days):
            i = index.get(start + pd.Timedelta(days=k))
            if i is not None:
                extra[i] += (m - 1.0) * mix
        end = pd.Timestamp(ev.end)
        for k, x in enumerate(tail):
            i = index.get(end + pd.Timedelta(days=k + 1))
            if i is not None:
                extra[i, CATEGORIES.index(tail_cat)] += x

    shares = np.array([CATEGORY_SHARES[c] for c in CATEGORIES])
    mean = base[:, :, None] * (shares[None, None, :] + extra[:, None, :])
    return mean, base, hol_names


# --------------------------------------------------------------------------
# Ticket-level export
# --------------------------------------------------------------------------
# Relative arrival weight per local hour 0..23 on a weekday.
HOURLY_WEEKDAY = {
    "chat": [3, 2, 1, 1, 1, 1, 3, 8, 30, 55, 72, 80, 74, 66, 60, 57, 56, 60, 68, 78, 82, 72, 48, 16],
    "email": [12, 8, 6, 5, 5, 7, 12, 22, 40, 54, 60, 61, 58, 56, 54, 52, 50, 46, 42, 40, 38, 33, 26, 18],
    "phone": [0, 0, 0, 0, 0, 0, 0, 0, 4, 45, 85, 96, 88, 74, 70, 64, 55, 44, 10, 0, 0, 0, 0, 0],
}
# Weekends: later mornings for chat/email, a shorter phone day (10-16).
HOURLY_WEEKEND = {
    "chat": [5, 3, 2, 1, 1, 1, 2, 4, 14, 32, 52, 66, 72, 70, 64, 60, 58, 60, 66, 74, 78, 70, 50, 22],
    "email": [14, 10, 7, 5, 5, 6, 8, 12, 22, 34, 44, 50, 52, 52, 50, 48, 46, 44, 42, 40, 38, 34, 28, 20],
    "phone": [0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 70, 90, 85, 72, 62, 50, 8, 0, 0, 0, 0, 0, 0, 0],
}

GROUPS = {
    "wismo": "Orders & Delivery",
    "returns_refunds": "Returns & Refunds",
    "product_question": "Product Specialists",
    "payment_billing": "Billing",
    "other": "General Support",
}

SUBJECTS = {
    "wismo": [
        "Where is my order {o}?",
        "Order {o} still not shipped",
        "Tracking hasn't updated for {o}",
        "When will my {p} arrive?",
        "Package marked delivered but not received ({o})",
        "Delivery date for order {o}",
        "Order status {o}",
    ],
    "returns_refunds": [
        "Return request for order {o}",
        "Refund not received yet ({o})",
        "How do I return the {p}?",
        "Wrong size {p}, need an exchange",
        "Damaged {p} on arrival",
        "Return label for {o}",
    ],
    "product_question": [
        "Question about the {p}",
        "Is the {p} machine washable?",
        "Dimensions of the {p}?",
        "Will the {p} be back in stock?",
        "Sizing help for the {p}",
        "What material is the {p} made of?",
    ],
    "payment_billing": [
        "Charged twice for order {o}",
        "Promo code not applied",
        "Payment declined at checkout",
        "Gift card balance question",
        "Invoice needed for order {o}",
        "Price adjustment request for {o}",
    ],
    "other": [
        "Update my account email",
        "Unsubscribe from newsletters",
        "Feedback on my recent order",
        "Question about your store hours",
        "Can I change my delivery address?",
        "Wholesale enquiry",
    ],
}
PRODUCTS = [
    "linen duvet cover", "oak serving board", "merino throw", "stoneware mug set",
    "quilted jacket", "wool beanie", "cotton bath towels", "pine candle",
    "flannel shirt", "ceramic table lamp", "rain boots", "jute rug",
    "waffle robe", "cast-iron skillet", "knit sweater", "canvas tote",
]
VIA = {"chat": ["Chat"], "phone": ["Voice"], "email": ["Mail", "Web form"]}
VIA_P = {"chat": [1.0], "phone": [1.0], "email": [0.75, 0.25]}
PRIORITIES = ["low", "normal", "high", "urgent"]
PRIORITY_P = {
    "wismo": [0.05, 0.80, 0.13, 0.02],
    "returns_refunds": [0.05, 0.78, 0.15, 0.02],
    "product_question": [0.20, 0.75, 0.05, 0.00],
    "payment_billing": [0.02, 0.68, 0.25, 0.05],
    "other": [0.25, 0.72, 0.03, 0.00],
}
EXPORT_TIME = pd.Timestamp("2026-10-19 06:00:00")
STATUS_RECENT = (["new", "open", "pending", "hold", "solved"], [0.04, 0.14, 0.10, 0.04, 0.68])
STATUS_OLD = (["open", "pending", "hold", "closed"], [0.005, 0.01, 0.005, 0.98])
FIRST_ID = 481_207


def hourly_probs(channel: str, dow: int) -> np.ndarray:
    w = np.asarray(HOURLY_WEEKEND[channel] if dow >= 5 else HOURLY_WEEKDAY[channel], dtype=float)
    if dow == 0 and channel == "email":
        w[7:12] *= 1.25  # Monday morning: the weekend's emails get written
    if dow == 4 and channel == "chat":
        w[17:23] *= 0.9  # Friday evening: people are out
    return w / w.sum()


def make_tickets(rng: np.random.Generator, counts: pd.DataFrame) -> pd.DataFrame:
    rows = []
    recent = counts[counts["date"] >= TICKETS_START.strftime("%Y-%m-%d")]
    for (date, channel, category), n in zip(
        zip(recent["date"], recent["channel"], recent["category"]), recent["volume"]
    ):
        if n == 0:
            continue
        day = pd.Timestamp(date)
        hours = rng.choice(24, size=n, p=hourly_probs(channel, day.day_of_week))
        secs = rng.integers(0, 3600, size=n)
        created = day.value // 10**9 + hours * 3600 + secs
        via = rng.choice(VIA[channel], size=n, p=VIA_P[channel])
        prio = rng.choice(PRIORITIES, size=n, p=PRIORITY_P[category])
        templ = rng.integers(0, len(SUBJECTS[category]), size=n)
        prod = rng.integers(0, len(PRODUCTS), size=n)
        order = rng.integers(100_000, 400_000, size=n)
        vip = rng.random(n) < 0.04
        for i in range(n):
            subject = SUBJECTS[category][templ[i]].format(o=f"#HP{order[i]}", p=PRODUCTS[prod[i]])
            tags = category + (" vip" if vip[i] else "")
            rows.append((int(created[i]), via[i], GROUPS[category], tags, prio[i], subject))
    df = pd.DataFrame(rows, columns=["ts", "Via", "Group", "Tags", "Priority", "Subject"])
    df = df.sort_values(["ts", "Group", "Via", "Subject"], kind="mergesort").reset_index(drop=True)
    created = pd.to_datetime(df["ts"], unit="s")
    n = len(df)
    # Ids grow with creation time, with occasional gaps (deleted / spam tickets).
    df.insert(0, "Id", FIRST_ID + np.cumsum(1 + (rng.random(n) < 0.03).astype(int) * rng.integers(1, 4, n)))
    df.insert(1, "Created at", created.dt.strftime("%Y-%m-%d %H:%M:%S"))
    age_days = (EXPORT_TIME - created).dt.total_seconds().to_numpy() / 86400
    status_recent = rng.choice(STATUS_RECENT[0], size=n, p=STATUS_RECENT[1])
    status_old = rng.choice(STATUS_OLD[0], size=n, p=STATUS_OLD[1])
    df["Status"] = np.where(age_days < 4, status_recent, status_old)
    return df[["Id", "Created at", "Via", "Group", "Tags", "Status", "Priority", "Subject"]]


# --------------------------------------------------------------------------
# Truth
# --------------------------------------------------------------------------
def truth_document(hist_holidays: dict[str, str], horizon_holidays: dict[str, str]) -> dict:
    def profile(ev: Event) -> dict:
        days, tail, tail_cat = event_day_profile(ev)
        return {
            "name": ev.name,
            "type": ev.type,
            "start": ev.start,
            "end": ev.end,
            "day_multipliers": [round(x, 4) for x in days],
            "mean_multiplier": round(float(np.mean(days)), 4),
            "post_day_extra": [round(x, 4) for x in tail],
            "post_day_extra_category": tail_cat if tail else None,
            "in_history": pd.Timestamp(ev.end) <= HISTORY_END,
        }

    all_holidays = {**hist_holidays, **horizon_holidays}
    return {
        "description": "True parameters of the Harbor & Pine example generator (examples/make_example_data.py).",
        "seed": SEED,
        "time_zone": TIME_ZONE,
        "country": COUNTRY,
        "history": {"start": HISTORY_START.strftime("%Y-%m-%d"), "end": HISTORY_END.strftime("%Y-%m-%d")},
        "horizon": {"start": HORIZON_START.strftime("%Y-%m-%d"), "end": HORIZON_END.strftime("%Y-%m-%d")},
        "model": (
            "mean[date, channel, category] = level[channel] * trend(date) * weekly[channel][dow] * "
            "yearly(doy) * holiday(date) * (share[category] + extra[date, category]); "
            "extra sums over events: (day_multiplier - 1) * event_category_mix on event days, "
            "post_day_extra on post days (all in the tail category). "
            "volume ~ Poisson(mean * g), g ~ Gamma(shape=1/cv^2, scale=cv^2) per cell."
        ),
        "base_level_at_end": {
            "definition": "expected tickets/day on history end date with weekly, yearly, holiday and event factors = 1",
            "per_channel": LEVEL_AT_END,
            "total": sum(LEVEL_AT_END.values()),
            "channel_shares": {c: LEVEL_AT_END[c] / sum(LEVEL_AT_END.values()) for c in CHANNELS},
        },
        "growth": {
            "per_year": GROWTH_PER_YEAR,
            "form": "trend(date) = (1 + per_year) ** ((date - history_end).days / 365.25)",
        },
        "weekly_factors": {
            "order": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
            **{c: list(WEEKLY[c]) for c in CHANNELS},
            "total_at_end_shares": [
                round(sum(LEVEL_AT_END[c] * WEEKLY[c][d] for c in CHANNELS) / sum(LEVEL_AT_END.values()), 4)
                for d in range(7)
            ],
        },
        "yearly": {
            "amplitude": YEARLY_AMPLITUDE,
            "peak_day_of_year": YEARLY_PEAK_DOY,
            "form": "yearly(doy) = 1 + amplitude * cos(2*pi*(doy - peak_day_of_year) / 365.25)",
            "note": "trough (0.92) around day 182 (early July), peak (1.08) at year end",
        },
        "category_shares": CATEGORY_SHARES,
        "public_holidays": {
            "source": "holidays.country_holidays('US', observed=False) (federal, actual dates)",
            "factor_major": HOLIDAY_FACTOR_MAJOR,
            "major": list(MAJOR_HOLIDAYS),
            "factor_other": HOLIDAY_FACTOR_OTHER,
            "dates": {
                d: {"name": n, "factor": HOLIDAY_FACTOR_MAJOR if n in MAJOR_HOLIDAYS else HOLIDAY_FACTOR_OTHER}
                for d, n in sorted(all_holidays.items())
            },
            "applies_to": "the whole day's volume, multiplicatively, events included",
        },
        "event_types": {
            "uplift_definition": (
                "mean over the event's own days (start..end) of total expected volume divided by the "
                "no-event expected volume of the same date (trend x weekly x yearly x public holiday); "
                "post-day tails are reported separately as extra volume / no-event volume"
            ),
            "flash_sale": {
                "uplift": FLASH_UPLIFT,
                "peak_multiplier": max(max(p) for p in FLASH_DAY_PROFILE.values()),
                "day_profile_by_length": {str(k): list(v) for k, v in FLASH_DAY_PROFILE.items()},
                "post_days": WISMO_TAIL_DAYS,
                "post_day_extra_wismo": [round(WISMO_TAIL_DAY1 * WISMO_TAIL_DECAY**k, 4) for k in range(WISMO_TAIL_DAYS)],
                "post_day_total_multiplier": [round(1 + WISMO_TAIL_DAY1 * WISMO_TAIL_DECAY**k, 4) for k in range(WISMO_TAIL_DAYS)],
                "tail_day1": WISMO_TAIL_DAY1,
                "tail_decay_per_day": WISMO_TAIL_DECAY,
                "category_mix_of_extra": EVENT_MIX["flash_sale"],
            },
            "holiday_peak": {
                "uplift": "per season, see events[].mean_multiplier (about 3.3 over Nov 15 - Dec 31)",
                "peak_multiplier": HOLIDAY_BF_CM,
                "plateau_multiplier": HOLIDAY_PLATEAU,
                "shape": (
                    f"{HOLIDAY_RAMP_START} on Nov 15 rising linearly to {HOLIDAY_PLATEAU} on Black Friday; "
                    f"plateau {HOLIDAY_PLATEAU} (Black Friday and Cyber Monday {HOLIDAY_BF_CM}) to Dec "
                    f"{HOLIDAY_PLATEAU_END_DAY}; linear down to {HOLIDAY_EASE_TO} by Dec {HOLIDAY_EASE_END_DAY}; "
                    f"{HOLIDAY_EASE_TO} to Dec 31"
                ),
                "post_days": len(HOLIDAY_RETURNS_TAIL),
                "post_day_extra_returns_refunds": list(HOLIDAY_RETURNS_TAIL),
                "category_mix_of_extra": EVENT_MIX["holiday_peak"],
            },
            "product_launch": {
                "uplift": LAUNCH_UPLIFT,
                "peak_multiplier": max(LAUNCH_DAY_PROFILE),
                "day_profile": list(LAUNCH_DAY_PROFILE),
                "post_days": len(LAUNCH_TAIL),
                "post_day_extra_product_question": list(LAUNCH_TAIL),
                "category_mix_of_extra": EVENT_MIX["product_launch"],
            },
            "promotion": {
                "uplift": 1.6,
                "note": "never seen in history; the calendar's uplift column is the truth used in true_mean.csv",
                "category_mix_of_extra": EVENT_MIX["promotion"],
            },
            "overlaps": "extras of overlapping events add up (e.g. a Singles' Day WISMO tail running into the holiday ramp)",
        },
        "events": [profile(ev) for ev in EVENTS],
        "noise": {
            "cv": NOISE_CV,
            "form": "volume ~ Poisson(mean * g), g ~ Gamma(shape=1/cv^2, scale=cv^2), independent per date x channel x category",
        },
        "tickets_recent": {
            "start": TICKETS_START.strftime("%Y-%m-%d"),
            "end": HISTORY_END.strftime("%Y-%m-%d"),
            "hourly_weekday": HOURLY_WEEKDAY,
            "hourly_weekend": HOURLY_WEEKEND,
        },
    }


# --------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(Path(__file__).resolve().parent / "data"),
                        help="output directory (default: examples/data next to this script)")
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(SEED)

    hist_dates = pd.date_range(HISTORY_START, HISTORY_END, freq="D")
    hor_dates = pd.date_range(HORIZON_START, HORIZON_END, freq="D")
    all_dates = hist_dates.append(hor_dates)
    mean, _, hol_names = build_mean(all_dates)
    n_hist = len(hist_dates)

    # ---- daily_counts.csv ----------------------------------------------
    lam = mean[:n_hist]
    shape = 1.0 / NOISE_CV**2
    g = rng.gamma(shape, 1.0 / shape, size=lam.shape)
    volume = rng.poisson(lam * g)
    counts = pd.DataFrame({
        "date": np.repeat(hist_dates.strftime("%Y-%m-%d"), len(CHANNELS) * len(CATEGORIES)),
        "channel": np.tile(np.repeat(CHANNELS, len(CATEGORIES)), n_hist),
        "category": np.tile(CATEGORIES, n_hist * len(CHANNELS)),
        "volume": volume.reshape(-1).astype(np.int64),
    }).sort_values(["date", "channel", "category"], kind="mergesort").reset_index(drop=True)
    counts.to_csv(out / "daily_counts.csv", index=False, lineterminator="\n")

    # ---- true_mean.csv ---------------------------------------------------
    tm = pd.DataFrame({
        "date": np.repeat(all_dates.strftime("%Y-%m-%d"), len(CHANNELS)),
        "channel": np.tile(CHANNELS, len(all_dates)),
        "mean_volume": mean.sum(axis=2).reshape(-1).round(3),
    })
    tm.to_csv(out / "true_mean.csv", index=False, float_format="%.3f", lineterminator="\n")

    # ---- promo_calendar.csv ----------------------------------------------
    cal = pd.DataFrame([{
        "name": ev.name, "type": ev.type, "start": ev.start, "end": ev.end,
        "uplift": "" if ev.uplift is None else f"{ev.uplift:g}",
        "channels": ev.channels, "pre_days": ev.pre_days, "post_days": ev.post_days,
    } for ev in EVENTS])
    cal.to_csv(out / "promo_calendar.csv", index=False, lineterminator="\n")

    # ---- tickets_recent.csv ----------------------------------------------
    tickets = make_tickets(rng, counts)
    tickets.to_csv(out / "tickets_recent.csv", index=False, lineterminator="\n")

    # ---- truth.json ------------------------------------------------------
    hist_keys = set(hist_dates.strftime("%Y-%m-%d"))
    truth = truth_document(
        {d: n for d, n in hol_names.items() if d in hist_keys},
        {d: n for d, n in hol_names.items() if d not in hist_keys},
    )
    (out / "truth.json").write_text(json.dumps(truth, indent=2) + "\n", encoding="utf-8")

    print(f"wrote {len(counts)} daily rows, {len(tickets)} tickets, {len(cal)} events, "
          f"{len(tm)} true-mean rows to {out}")


if __name__ == "__main__":
    main()

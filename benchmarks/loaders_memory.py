"""Peak memory and time of loading a 2 M-row ticket export (issue 17's goal: <= 1.2 GB).

Writes a Zendesk-shaped export (Id, Created at, Via, Group, Tags, Status,
Priority, Subject) of ``--rows`` tickets to a temporary folder, then loads it
with :func:`forecast.io.read_ticket_history` in a fresh interpreter and
reports that process's peak RSS, the RSS of the same interpreter after its
imports alone (the baseline), the load time and the ratios.

    .venv/bin/python benchmarks/loaders_memory.py               # 2,000,000 rows
    .venv/bin/python benchmarks/loaders_memory.py --rows 200000 --gzip
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL_BYTES = 1.2e9

# VmHWM (this process's peak RSS since exec), not ru_maxrss: ru_maxrss carries over the
# parent's peak across fork + exec, and the parent has just built the export.
LOAD = """
import json, sys, time
def hwm():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
import pandas, pyarrow, forecast.io
base = hwm()
start = time.perf_counter()
if sys.argv[1] != "-":
    frame = forecast.io.read_ticket_history(sys.argv[1], "America/New_York")
    rows = len(frame)
else:
    rows = 0
seconds = time.perf_counter() - start
peak = hwm()
print(json.dumps({"rows": rows, "seconds": seconds, "peak_bytes": peak, "base_bytes": base}))
"""


def write_export(path: Path, rows: int, gzipped: bool) -> None:
    """A synthetic ticket export: one ticket a row, times spread over a year, seeded."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(17)
    start = pd.Timestamp("2025-01-01").value // 10 ** 9
    seconds = np.sort(rng.integers(0, 365 * 86400, rows)) + start
    frame = pd.DataFrame({
        "Id": np.arange(1_000_000, 1_000_000 + rows),
        "Created at": pd.to_datetime(seconds, unit="s").strftime("%Y-%m-%d %H:%M:%S"),
        "Via": rng.choice(["Chat", "Mail", "Voice", "Web form"], rows),
        "Group": rng.choice(["General Support", "Orders & Delivery", "Returns"], rows),
        "Tags": rng.choice(["wismo", "returns refund", "payment_billing", "other"], rows),
        "Status": "closed", "Priority": "normal",
        "Subject": rng.choice(["Where is my order?", "Refund for order",
                               "Feedback on my recent order", "Change my address"], rows),
    })
    frame.to_csv(path, index=False, compression="gzip" if gzipped else None)


def measure(path: str) -> dict:
    out = subprocess.run([sys.executable, "-c", LOAD, path], cwd=ROOT, capture_output=True,
                         text=True, check=True)
    return json.loads(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2_000_000)
    parser.add_argument("--gzip", action="store_true", help="write and read a .csv.gz")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / ("tickets.csv.gz" if args.gzip else "tickets.csv")
        began = time.perf_counter()
        write_export(path, args.rows, args.gzip)
        print(f"wrote {args.rows:,} tickets, {path.stat().st_size / 1e6:,.0f} MB on disk, "
              f"in {time.perf_counter() - began:.1f} s")
        baseline = measure("-")
        got = measure(str(path))
    peak, base = got["peak_bytes"], baseline["peak_bytes"]
    print(f"{'rows loaded':<28}{got['rows']:>14,}")
    print(f"{'load time [s]':<28}{got['seconds']:>14.1f}")
    print(f"{'rows per second':<28}{got['rows'] / got['seconds']:>14,.0f}")
    print(f"{'peak RSS [MB]':<28}{peak / 1e6:>14,.0f}")
    print(f"{'imports alone [MB]':<28}{base / 1e6:>14,.0f}")
    print(f"{'peak / imports':<28}{peak / base:>14.2f}")
    print(f"{'loading [bytes/row]':<28}{(peak - base) / max(got['rows'], 1):>14,.0f}")
    print(f"{'peak / goal (1.2 GB)':<28}{peak / GOAL_BYTES:>14.2f}")
    print("goal met" if peak <= GOAL_BYTES else "GOAL MISSED: peak RSS above 1.2 GB")


if __name__ == "__main__":
    main()

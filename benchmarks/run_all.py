"""Run every benchmark in this folder, one after the other, each printing its own table.

    .venv/bin/python benchmarks/run_all.py            # all
    .venv/bin/python benchmarks/run_all.py staffing   # those whose name contains "staffing"
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
#: Scripts here that are tools, not benchmarks: they need arguments (two output folders).
NOT_BENCHMARKS = {"run_all.py", "same_outputs.py"}


def main(argv: list[str]) -> int:
    scripts = sorted(p for p in HERE.glob("*.py") if p.name not in NOT_BENCHMARKS)
    if argv:
        scripts = [p for p in scripts if any(word in p.stem for word in argv)]
    status = 0
    for script in scripts:
        print(f"\n=== {script.name} ===", flush=True)
        status |= subprocess.run([sys.executable, str(script)], cwd=HERE.parent).returncode
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

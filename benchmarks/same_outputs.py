"""Are two output folders of `surgeplan plan` the same? Byte for byte, but for the workbook's clock.

A refactor must leave every output as it was. CSV, PNG and HTML files are
compared byte for byte; ``plan.xlsx`` member by member, leaving out
``docProps/core.xml`` (openpyxl stamps the time of writing there).

    python benchmarks/same_outputs.py before/ after/

Prints one line per file and exits 1 when any differs or is missing.
"""
from __future__ import annotations

import sys
import zipfile
from pathlib import Path

CLOCK_MEMBERS = {"docProps/core.xml"}


def same_file(a: Path, b: Path) -> bool:
    if a.suffix == ".xlsx":
        with zipfile.ZipFile(a) as za, zipfile.ZipFile(b) as zb:
            names = set(za.namelist()) - CLOCK_MEMBERS
            return names == set(zb.namelist()) - CLOCK_MEMBERS and all(
                za.read(n) == zb.read(n) for n in names)
    return a.read_bytes() == b.read_bytes()


def main(argv: list[str]) -> int:
    before, after = Path(argv[0]), Path(argv[1])
    names = sorted({p.name for p in before.iterdir()} | {p.name for p in after.iterdir()})
    bad = 0
    for name in names:
        a, b = before / name, after / name
        if not (a.exists() and b.exists()):
            print(f"MISSING {name} ({'after' if a.exists() else 'before'})")
            bad += 1
        elif same_file(a, b):
            print(f"same    {name}")
        else:
            print(f"DIFFERS {name}")
            bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

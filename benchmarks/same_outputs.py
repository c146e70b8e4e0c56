"""Are two output folders of `surgeplan plan` the same? Byte for byte, the workbook cell by cell.

A refactor must leave every output as it was. CSV, PNG and HTML files are
compared byte for byte; ``plan.xlsx`` by what a reader sees: the sheets,
and in each cell its value, number format, boldness and quote prefix
(the XML a writer produces for them may differ).

    python benchmarks/same_outputs.py before/ after/

Prints one line per file and exits 1 when any differs or is missing.
"""
from __future__ import annotations

import sys
from pathlib import Path


def workbook_cells(path: Path) -> dict[str, list[tuple]]:
    """Each sheet's non-empty cells as (coordinate, value, number format, bold, quote prefix)."""
    import openpyxl

    book = openpyxl.load_workbook(path)
    return {sheet.title: [(c.coordinate, c.value, c.number_format, bool(c.font.bold),
                           bool(c.quotePrefix))
                          for row in sheet.iter_rows() for c in row if c.value is not None]
            for sheet in book}


def same_file(a: Path, b: Path) -> bool:
    if a.suffix == ".xlsx":
        return workbook_cells(a) == workbook_cells(b)
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

"""The one error type for bad input files, shared by every reader."""
from __future__ import annotations

from pathlib import Path


class InputError(ValueError):
    """A problem in a user's input file or config, located as precisely as known.

    Parameters
    ----------
    message : str
        What was expected, in a sentence.
    path : path-like, optional
        The file the problem is in.
    line : int, optional
        The 1-based line of the file (the header is line 1 of a CSV).
    column : str, optional
        The column of a table.
    key : str, optional
        The dotted key of a config file, e.g. ``queues.chat.aht_s``.

    Examples
    --------
    >>> str(InputError("expected a date", path="promos.csv", line=3, column="start"))
    'promos.csv, line 3, column start: expected a date'
    """

    def __init__(self, message: str, path: str | Path | None = None,
                 line: int | None = None, column: str | None = None, key: str | None = None):
        self.message = message
        self.path = None if path is None else str(path)
        self.line = line
        self.column = column
        self.key = key
        super().__init__(str(self))

    def __str__(self) -> str:
        where = []
        if self.path is not None:
            where.append(self.path)
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.column is not None:
            where.append(f"column {self.column}")
        if self.key is not None:
            where.append(f"key {self.key}")
        return (", ".join(where) + ": " if where else "") + self.message

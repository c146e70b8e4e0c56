"""A sparse mixed-integer programme built block by block, and run starts over days (HiGHS).

The builder behind :mod:`staffing.optimal`: columns and rows are appended as
numpy index arrays and solved with :func:`scipy.optimize.milp` (imported
when solving, so importing this module stays cheap).
"""
from __future__ import annotations

import math

import numpy as np


class SparseProgramme:
    """Columns and rows of a sparse mixed-integer programme, appended block by block."""

    def __init__(self):
        self.cost, self.lb, self.ub, self.integer = [], [], [], []
        self.rows, self.cols, self.vals, self.row_lb, self.row_ub = [], [], [], [], []
        self.n_rows = 0

    def add(self, n: int, cost=0.0, ub=math.inf, integer=False) -> np.ndarray:
        """``n`` new columns ``0 <= column <= ub`` with ``cost``; returns their indices."""
        start = sum(len(c) for c in self.cost)
        self.cost.append(np.broadcast_to(np.asarray(cost, float), (n,)).copy())
        self.lb.append(np.zeros(n))
        self.ub.append(np.broadcast_to(np.asarray(ub, float), (n,)).copy())
        self.integer.append(np.full(n, int(integer)))
        return np.arange(start, start + n)

    def rows_of(self, terms, lo, hi) -> None:
        """Add ``len(lo)`` rows: ``lo <= sum of coefficient x column <= hi``.

        ``terms`` is a list of ``(columns, coefficients)``: ``columns`` of one
        entry per row (1-d) or several (2-d, one row each); ``coefficients``
        broadcast to it (a zero coefficient leaves the entry out).
        """
        lo = np.atleast_1d(np.asarray(lo, float))
        hi = np.broadcast_to(np.asarray(hi, float), lo.shape)
        row = self.n_rows + np.arange(len(lo))
        for cols, coefs in terms:
            cols = np.asarray(cols)
            cols = cols[:, None] if cols.ndim == 1 else cols
            coefs = np.asarray(coefs, float)
            coefs = coefs[:, None] if coefs.ndim == 1 else coefs
            coefs = np.broadcast_to(coefs, cols.shape)
            keep = coefs != 0
            self.rows.append(np.broadcast_to(row[:, None], cols.shape)[keep])
            self.cols.append(cols[keep])
            self.vals.append(coefs[keep])
        self.row_lb.append(lo)
        self.row_ub.append(hi)
        self.n_rows += len(lo)

    def solve(self, time_limit_s: float, mip_rel_gap: float):
        """:func:`scipy.optimize.milp` (HiGHS) on the programme: minimise the cost."""
        from scipy.optimize import Bounds, LinearConstraint, milp
        from scipy.sparse import coo_array

        cost = np.concatenate(self.cost)
        matrix = coo_array((np.concatenate(self.vals),
                            (np.concatenate(self.rows), np.concatenate(self.cols))),
                           shape=(self.n_rows, len(cost))).tocsr()
        constraints = LinearConstraint(matrix, np.concatenate(self.row_lb),
                                       np.concatenate(self.row_ub)) if self.n_rows else ()
        return milp(cost, constraints=constraints, integrality=np.concatenate(self.integer),
                    bounds=Bounds(np.concatenate(self.lb), np.concatenate(self.ub)),
                    options={"time_limit": time_limit_s, "mip_rel_gap": mip_rel_gap,
                             "disp": False})


def lag(cols: np.ndarray, j: int) -> tuple[np.ndarray, np.ndarray]:
    """``cols`` ``j`` days earlier, and 1 where that day is in the plan (0 before it)."""
    index = np.arange(len(cols)) - j
    return cols[np.maximum(index, 0)], (index >= 0).astype(float)


def run_starts(model: SparseProgramme, on: np.ndarray, merge_gap_days: int) -> np.ndarray:
    """Columns equal to 1 where a run of the binaries ``on`` starts: on, and off in the
    ``merge_gap_days + 1`` days before (exactly, by bounds from both sides)."""
    n_days = len(on)
    starts = model.add(n_days, ub=1.0)
    model.rows_of([(starts, 1.0), (on, -1.0)], np.full(n_days, -np.inf), np.zeros(n_days))
    gap = [lag(on, j) for j in range(1, merge_gap_days + 2)]
    for cols, inside in gap:
        model.rows_of([(starts, 1.0), (cols, inside)], np.full(n_days, -np.inf),
                      np.ones(n_days))
    model.rows_of([(starts, 1.0), (on, -1.0), *gap], np.zeros(n_days), np.full(n_days, np.inf))
    return starts

"""statsforecast 2.1.1 peers, run in their own venv (statsforecast needs pandas < 3).

Called by ``benchmarks/forecast_accuracy.py`` as a subprocess of the peer
venv's python; never imported by the project. Exchanges CSV files only::

    python statsforecast_peer.py series.csv cutoffs.csv out.csv

``series.csv``: ``unique_id, ds, y`` (``ds`` an integer step index: the
caller maps calendar days, or open days of a weekday-only series, to steps).
``cutoffs.csv``: ``unique_id, cutoff, h, season_length, yearly_steps`` (the
last training step, the steps to forecast, the weekly season in steps, and
the steps in a year for MSTL's second season, 0 for none). ``out.csv``:
``unique_id, cutoff, step, model, p50, lo80, hi80, seconds``.

Models: AutoETS, AutoTheta, AutoARIMA with the weekly season, and MSTL with
the weekly and (with two years of history) the yearly season, its trend by
AutoETS (statsforecast's default). Each is fitted on the whole history up to
the cutoff, with 80 % prediction intervals of its own.
"""
from __future__ import annotations

import sys
import time
import warnings

import numpy as np
import pandas as pd


def main(series_path: str, cutoffs_path: str, out_path: str) -> None:
    from statsforecast import StatsForecast
    from statsforecast.models import MSTL, AutoARIMA, AutoETS, AutoTheta

    series = pd.read_csv(series_path)
    cutoffs = pd.read_csv(cutoffs_path)
    rows = []
    for job in cutoffs.itertuples(index=False):
        one = series[(series["unique_id"] == job.unique_id) & (series["ds"] <= job.cutoff)]
        one = one.dropna(subset=["y"])
        seasons = [int(job.season_length)]
        if job.yearly_steps and len(one) >= 2 * job.yearly_steps:
            seasons.append(int(job.yearly_steps))
        models = [AutoETS(season_length=int(job.season_length)),
                  AutoTheta(season_length=int(job.season_length)),
                  AutoARIMA(season_length=int(job.season_length)),
                  MSTL(season_length=seasons)]
        for model in models:
            start = time.perf_counter()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                try:
                    sf = StatsForecast(models=[model], freq=1, n_jobs=1)
                    fc = sf.forecast(df=one[["unique_id", "ds", "y"]], h=int(job.h), level=[80])
                except Exception as error:  # a peer failing is recorded, not fatal
                    print(f"{job.unique_id} {job.cutoff} {model}: {error}", file=sys.stderr)
                    continue
            seconds = time.perf_counter() - start
            name = str(model)
            cols = {c: c for c in fc.columns}
            p50 = fc[name].to_numpy(float)
            lo = fc.get(f"{name}-lo-80", pd.Series(np.nan, index=fc.index)).to_numpy(float)
            hi = fc.get(f"{name}-hi-80", pd.Series(np.nan, index=fc.index)).to_numpy(float)
            del cols
            rows.append(pd.DataFrame({"unique_id": job.unique_id, "cutoff": job.cutoff,
                                      "step": fc["ds"].to_numpy(int), "model": name,
                                      "p50": p50, "lo80": lo, "hi80": hi, "seconds": seconds}))
    out = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(
        columns=["unique_id", "cutoff", "step", "model", "p50", "lo80", "hi80", "seconds"])
    out.to_csv(out_path, index=False)


if __name__ == "__main__":
    main(*sys.argv[1:4])

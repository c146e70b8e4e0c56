"""Speed and accuracy of staffing.erlang.required_agents, against pyworkforce 0.5.1.

Run:  .venv/bin/python benchmarks/staffing.py

pyworkforce is NOT a project dependency. Its package __init__ imports ortools,
so install it with its dependencies in a separate virtual environment:

    python3 -m venv /tmp/pwf-venv
    /tmp/pwf-venv/bin/python -m pip install pyworkforce==0.5.1

This script uses pyworkforce from the running interpreter if it imports, else
from the interpreter named by $PYWORKFORCE_PYTHON (default
/tmp/pwf-venv/bin/python) in a subprocess; if neither works, the pyworkforce
column is skipped and these instructions are printed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import mpmath as mp
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from staffing.erlang import required_agents, service_level  # noqa: E402

N_INTERVALS = 1_000_000
N_PEER_CASES = 300
INTERVAL_S = 1800.0
SEED = 20240601
PEER_TIMEOUT_S = 60.0

_PEER_SCRIPT = r"""
import json, sys, time
from pyworkforce.queuing import ErlangC
cases = json.load(sys.stdin)
out = []
start = time.perf_counter()
for lam, aht_min, t_min, sl in cases:
    res = ErlangC(transactions=lam, aht=aht_min, asa=t_min, interval=30).required_positions(service_level=sl, max_occupancy=1.0)
    out.append(res["raw_positions"])
print(json.dumps({"seconds": time.perf_counter() - start, "agents": out}))
"""


def _peer_python():
    try:
        import pyworkforce.queuing  # noqa: F401

        return sys.executable
    except ImportError:
        candidate = os.environ.get("PYWORKFORCE_PYTHON", "/tmp/pwf-venv/bin/python")
        return candidate if Path(candidate).exists() else None


def _run_peer(python, cases, timeout_s):
    """(seconds, agents) from pyworkforce, or None on timeout or failure."""
    try:
        proc = subprocess.run(
            [python, "-c", _PEER_SCRIPT], input=json.dumps(cases), capture_output=True, text=True, timeout=timeout_s
        )
    except subprocess.TimeoutExpired:
        return None
    if proc.returncode != 0:
        print(proc.stderr.strip().splitlines()[-1] if proc.stderr else "pyworkforce failed")
        return None
    res = json.loads(proc.stdout)
    return res["seconds"], res["agents"]


def _mp_required(traffic, aht_s, target_sl, t_s):
    """Least s with SL >= target by the exact Erlang B recurrence at 40 digits."""
    mp.mp.dps = 40
    a = mp.mpf(traffic)
    inv_b = mp.mpf(1)
    k = 0
    while True:
        k += 1
        inv_b = 1 + inv_b * k / a
        if k > traffic:
            b = 1 / inv_b
            c = k * b / (k - a * (1 - b))
            if 1 - c * mp.exp(-(k - a) * t_s / aht_s) >= target_sl:
                return k


def main():
    rng = np.random.default_rng(SEED)
    lam = rng.uniform(0, 5000, N_INTERVALS)
    aht = rng.uniform(60, 1200, N_INTERVALS)
    sl = rng.choice([0.7, 0.8, 0.9, 0.95], N_INTERVALS)
    t = rng.choice([10.0, 20.0, 30.0, 60.0], N_INTERVALS)
    occ = rng.choice([0.85, 0.9, 1.0], N_INTERVALS)
    asa = rng.choice([15.0, 30.0, np.inf], N_INTERVALS)

    required_agents(lam[:1000], aht[:1000], INTERVAL_S, sl[:1000], t[:1000])  # warm-up
    start = time.perf_counter()
    agents = required_agents(lam, aht, INTERVAL_S, sl, t, max_occupancy=occ, max_asa_s=asa)
    seconds_1e6 = time.perf_counter() - start

    rows = [("1e6 intervals, mixed SL/ASA/occupancy targets", f"{seconds_1e6:.3f} s", f"{seconds_1e6 / N_INTERVALS * 1e6:.2f} us/solve")]

    # pyworkforce on a sample (no occupancy or ASA cap: it supports only SL + occupancy)
    idx = rng.choice(N_INTERVALS, N_PEER_CASES, replace=False)
    lam_s = np.maximum(lam[idx], 1.0)  # pyworkforce rejects zero arrivals
    cases = [[float(lam_s[i]), float(aht[j] / 60), float(t[j] / 60), float(sl[j])] for i, j in enumerate(idx)]
    start = time.perf_counter()
    ours = required_agents(lam_s, aht[idx], INTERVAL_S, sl[idx], t[idx])
    ours_s = time.perf_counter() - start
    python = _peer_python()
    ratio_text = "pyworkforce not available"
    if python is None:
        print("pyworkforce 0.5.1 not found: python3 -m venv /tmp/pwf-venv && /tmp/pwf-venv/bin/python -m pip install pyworkforce==0.5.1")
    else:
        peer = _run_peer(python, cases, timeout_s=600)
        if peer is not None:
            peer_s, peer_agents = peer
            per_peer = peer_s / N_PEER_CASES
            per_ours = seconds_1e6 / N_INTERVALS
            agree = int(np.sum(np.asarray(peer_agents) == ours))
            ratio_text = f"{per_peer / per_ours:,.0f}x"
            rows.append((f"pyworkforce ErlangC, {N_PEER_CASES} cases", f"{peer_s:.3f} s", f"{per_peer * 1e6:,.0f} us/solve"))
            rows.append((f"surgeplan on the same {N_PEER_CASES} cases", f"{ours_s:.4f} s", f"agree on {agree}/{N_PEER_CASES}"))
    rows.append(("per-solve speed-up vs pyworkforce (1e6 batch)", ratio_text, ""))

    width = max(len(r[0]) for r in rows)
    print(f"{'benchmark':<{width}}  {'time':>12}  note")
    for name, value, note in rows:
        print(f"{name:<{width}}  {value:>12}  {note}")

    # correctness far out, against the exact recurrence at 40 digits
    print()
    print(f"{'traffic [Erlang], AHT, target':>36}  {'mpmath':>8}  {'surgeplan':>9}  {'time':>8}  {'pyworkforce':>12}  {'time':>8}")
    for traffic, aht_t, sl_t, t_t in ((12_000.0, 180.0, 0.8, 20.0), (100_000.0, 180.0, 0.8, 20.0), (100_000.0, 1200.0, 0.95, 5.0)):
        lam_t = traffic * INTERVAL_S / aht_t
        ref = _mp_required(traffic, aht_t, sl_t, t_t)
        start = time.perf_counter()
        got = int(required_agents(lam_t, aht_t, INTERVAL_S, sl_t, t_t))
        ours_t = time.perf_counter() - start
        peer_text, peer_time = "n/a", ""
        if python is not None:
            peer = _run_peer(python, [[lam_t, aht_t / 60, t_t / 60, sl_t]], timeout_s=PEER_TIMEOUT_S)
            if peer is None:
                peer_text, peer_time = "stalled", f">{PEER_TIMEOUT_S:.0f} s"
            else:
                peer_text, peer_time = str(peer[1][0]), f"{peer[0]:.2f} s"
        label = f"{traffic:,.0f} E, {aht_t:.0f} s, {sl_t:.0%} in {t_t:.0f} s"
        print(f"{label:>36}  {ref:>8}  {got:>9}  {ours_t * 1e3:>6.2f}ms  {peer_text:>12}  {peer_time:>8}")
        sl_got = float(service_level(got, lam_t, aht_t, INTERVAL_S, t_t))
        print(f"{'':>36}  SL at {got} agents = {sl_got:.6f}")
    print()
    print(f"goals: 1e6 solves < 2 s -> {'met' if seconds_1e6 < 2 else 'MISSED'}; >= 250x per solve -> "
          f"{ratio_text}")
    return agents


if __name__ == "__main__":
    main()

"""Shared fixtures: the bundled example, copied so tests can break it on purpose."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

#: Hypothesis profiles. "ci" (the default, and what `make test` runs): derandomized, so a
#: run draws the same examples every time and a property cannot turn red at random; new
#: edges are found by "long" (`make fuzz`, HYPOTHESIS_PROFILE=long), which keeps exploring
#: and remembers failures in .hypothesis/. Pin what it finds with @example.
settings.register_profile("ci", derandomize=True, database=None, deadline=None,
                          print_blob=True)
settings.register_profile("long", max_examples=2_000, deadline=None, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "data"
#: Real data lives beside the clone (../shared), as in CI.
SHARED_DATA = ROOT.parent / "shared" / "data"


@pytest.fixture
def example_copy(tmp_path: Path) -> Path:
    """A writable copy of the bundled example's data and plan.toml; returns the plan.toml path."""
    folder = tmp_path / "example"
    shutil.copytree(EXAMPLE, folder)
    return folder / "plan.toml"


@pytest.fixture(scope="session")
def fuzz_worker():
    """One fuzz worker for the session (tests/fuzz_worker.py); its tally printed at the end."""
    from tests.fuzz_support import TALLY, save_stats
    from tests.fuzz_worker import Worker

    worker = Worker()
    yield worker
    worker.close()
    summary = TALLY.summary()
    save_stats()
    print(f"\nfuzz: {summary['inputs']} inputs, outcomes {summary['outcomes']}, "
          f"peak child RSS {summary['max_rss_bytes'] / 2 ** 20:.0f} MiB, "
          f"slowest {summary['slowest_s']:.1f} s")

"""Shared fixtures: the bundled example, copied so tests can break it on purpose."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

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

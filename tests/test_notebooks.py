"""The analyst notebooks run headless on the bundled example and are committed clean.

Each notebook is executed with nbclient in a ``python3`` kernel from this
interpreter's environment, in the notebooks folder (their paths to
``../examples/data`` are relative to it). The copy on disk is never written.
"""
from __future__ import annotations

import subprocess
import sys
import warnings
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
PATHS = sorted(NOTEBOOKS.glob("*.ipynb"))
KERNEL = "python3"
CELL_TIMEOUT_S = 300


def read(path: Path):
    return nbformat.read(path, as_version=4)


@pytest.fixture(scope="module")
def kernel_name() -> str:
    """The ``python3`` kernel, installed into this environment if Jupyter finds none."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        KernelSpecManager().get_kernel_spec(KERNEL)
    except NoSuchKernel:
        subprocess.run([sys.executable, "-m", "ipykernel", "install", "--sys-prefix",
                        "--name", KERNEL], check=True, capture_output=True)
    return KERNEL


def test_the_three_walkthroughs_exist():
    assert [p.name for p in PATHS] == ["01_history_and_events.ipynb",
                                       "02_forecast_and_backtest.ipynb",
                                       "03_staffing_whatifs_and_costs.ipynb"]


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_notebook_is_committed_without_outputs(path):
    for number, cell in enumerate(read(path).cells):
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{path.name}: cell {number} has outputs; clear them"
            assert cell.execution_count is None, f"{path.name}: cell {number} has a count"


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_notebook_opens_with_what_it_shows_and_ends_with_what_to_take_away(path):
    cells = read(path).cells
    assert cells[0].cell_type == "markdown" and cells[0].source.startswith("# ")
    assert cells[-1].cell_type == "markdown"
    assert "what to take away" in cells[-1].source.lower()


@pytest.mark.slow
@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_notebook_runs_without_error(path, kernel_name):
    notebook = read(path)
    client = nbclient.NotebookClient(notebook, timeout=CELL_TIMEOUT_S, kernel_name=kernel_name,
                                     resources={"metadata": {"path": str(NOTEBOOKS)}})
    # In this process: pyproject ignores jupyter_client's and zmq's deprecations;
    # nbclient's and jupyter_core's (event loops, platform dirs) come and go with versions.
    with warnings.catch_warnings():
        for module in ("nbclient", "jupyter_core"):
            warnings.filterwarnings("ignore", category=DeprecationWarning, module=module)
        client.execute()  # raises CellExecutionError naming the cell and the traceback
    errors = [o for cell in notebook.cells if cell.cell_type == "code"
              for o in cell.outputs if o.output_type == "error"]
    assert not errors, errors
    # In the kernel: a warning (pandas, statsmodels, ours) shows up as a stderr stream.
    stderr = [o.text for cell in notebook.cells if cell.cell_type == "code"
              for o in cell.outputs if o.output_type == "stream" and o.name == "stderr"]
    assert not stderr, stderr
    for number, cell in enumerate(read(path).cells):
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{path.name}: cell {number} was written with outputs"

"""Running the teaching notebooks in a fresh kernel on this interpreter (shared by the notebook tests).

The kernel is this test process's interpreter: a ``python3`` kernelspec whose
argv is ``sys.executable`` is written to a temporary directory placed first on
``JUPYTER_PATH`` (ahead of any user-wide ``python3`` kernel).
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")
pytest.importorskip("matplotlib")  # the notebooks plot (the `train` extra)

NOTEBOOKS_DIR = Path(__file__).resolve().parent.parent / "notebooks"
NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("*.ipynb"))

CellHook = Callable[[nbclient.NotebookClient, int, "nbformat.NotebookNode"], None]


def load_script(name: str):
    """The module ``notebooks/<name>.py`` (a script, not a package), loaded once."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, NOTEBOOKS_DIR / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def load_make_exercises():
    """The module ``notebooks/make_exercises.py``."""
    return load_script("make_exercises")


@pytest.fixture(scope="module")
def python3_kernel(tmp_path_factory):
    """A ``python3`` kernel that runs ``sys.executable``, found first on ``JUPYTER_PATH``."""
    root = tmp_path_factory.mktemp("jupyter")
    spec_dir = root / "kernels" / "python3"
    spec_dir.mkdir(parents=True)
    spec = {
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": f"Python 3 ({sys.prefix})",
        "language": "python",
    }
    (spec_dir / "kernel.json").write_text(json.dumps(spec))
    paths = [str(root), *filter(None, [os.environ.get("JUPYTER_PATH")])]
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("JUPYTER_PATH", os.pathsep.join(paths))
        patch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
        yield


def client_for(nb, folder: Path = NOTEBOOKS_DIR) -> nbclient.NotebookClient:
    """A client that runs ``nb`` (in memory) with ``folder`` as the working directory."""
    return nbclient.NotebookClient(
        nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(folder)}}
    )


def run_code(client: nbclient.NotebookClient, source: str, index: int):
    """Run ``source`` in the client's kernel as an extra cell (not added to the notebook)."""
    cell = nbformat.v4.new_code_cell(source)
    client.execute_cell(cell, index)
    return cell


def run_cells(nb, name: str, folder: Path = NOTEBOOKS_DIR, after_cell: CellHook | None = None):
    """Run every cell of ``nb`` in order in one fresh kernel.

    A cell that raises fails the test naming the notebook, the cell's index and
    the error. ``after_cell(client, index, cell)`` runs after each cell.
    """
    client = client_for(nb, folder)
    with client.setup_kernel():
        for index, cell in enumerate(nb.cells):
            try:
                client.execute_cell(cell, index)
            except nbclient.exceptions.CellExecutionError as error:
                pytest.fail(f"{name} cell {index} raised {error.ename}: {error.evalue}\n{cell.source}")
            if after_cell is not None:
                after_cell(client, index, cell)
    return nb


def first_error(nb) -> tuple[int, dict] | None:
    """The index and error output of the first cell of ``nb`` with an error output."""
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            if output.output_type == "error":
                return index, output
    return None

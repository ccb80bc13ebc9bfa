"""The teaching notebooks run from top to bottom in this Python, and are committed clean.

The notebooks' ``assert`` cells are the oracles (gradients derived by hand, the
four equations of backpropagation): a wrong engine fails the notebook, as
``test_an_engine_with_wrong_gradients_fails_each_notebook_at_an_assert`` shows
by doubling every gradient before the notebook runs.

The kernel is this test process's interpreter: a ``python3`` kernelspec whose
argv is ``sys.executable`` is written to a temporary directory placed first on
``JUPYTER_PATH`` (ahead of any user-wide ``python3`` kernel), and a cell
appended to each run checks ``sys.executable`` and ``sys.prefix`` from inside.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")
pytest.importorskip("matplotlib")  # the training section of 02 draws (the `train` extra)

NOTEBOOKS_DIR = Path(__file__).resolve().parent.parent / "notebooks"
NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("*.ipynb"))

WHERE_AM_I = "import sys\nprint(sys.executable)\nprint(sys.prefix)"

# Every first-order backward() seeded with twice its seed: every gradient doubled.
BREAK_THE_ENGINE = """\
import autograd.value

_correct_backward = autograd.value._backward_floats
autograd.value._backward_floats = lambda order, seed: _correct_backward(order, 2 * seed)
"""


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
        yield


def execute(nb, first_cell: str | None = None, last_cell: str | None = None):
    """Run ``nb`` (in memory; the file is not touched) in the notebooks' directory."""
    if first_cell is not None:
        nb.cells.insert(0, nbformat.v4.new_code_cell(first_cell))
    if last_cell is not None:
        nb.cells.append(nbformat.v4.new_code_cell(last_cell))
    client = nbclient.NotebookClient(
        nb,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOKS_DIR)}},
    )
    client.execute()
    return nb


def test_the_two_teaching_notebooks_are_there():
    assert [p.name for p in NOTEBOOKS] == ["01_chain_rule.ipynb", "02_backprop_equations.ipynb"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_committed_without_outputs_or_execution_counts(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{path.name} cell {index} has outputs"
            assert cell.execution_count is None, f"{path.name} cell {index} has an execution count"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs_from_top_to_bottom_in_this_python(path, python3_kernel):
    nb = execute(nbformat.read(path, as_version=4), last_cell=WHERE_AM_I)
    errors = [o for cell in nb.cells for o in cell.get("outputs", []) if o.output_type == "error"]
    assert errors == []
    text = "".join(o.text for o in nb.cells[-1].outputs if o.output_type == "stream")
    executable, prefix = text.split("\n")[:2]
    assert os.path.samefile(executable, sys.executable)
    assert prefix == sys.prefix


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_an_engine_with_wrong_gradients_fails_each_notebook_at_an_assert(path, python3_kernel):
    nb = nbformat.read(path, as_version=4)
    with pytest.raises(nbclient.exceptions.CellExecutionError) as failure:
        execute(nb, first_cell=BREAK_THE_ENGINE)
    assert failure.value.ename == "AssertionError"

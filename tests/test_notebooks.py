"""The teaching notebooks run from top to bottom in this Python, and are committed clean.

The notebooks' ``assert`` cells are the oracles (gradients derived by hand,
finite differences, the four equations of backpropagation): a wrong engine
fails the notebook, as
``test_an_engine_with_wrong_gradients_fails_each_notebook_at_an_assert`` shows
by doubling every gradient before the notebook runs. The exercises are tested
in ``test_exercises.py``; the kernel set-up is in ``notebook_kernel.py``.
"""

from __future__ import annotations

import os
import re
import sys

import pytest

from tests.notebook_kernel import (
    NOTEBOOKS,
    NOTEBOOKS_DIR,
    client_for,
    nbclient,
    nbformat,
    python3_kernel,  # noqa: F401  (a fixture)
    run_cells,
)

pytestmark = pytest.mark.slow  # every notebook run in a kernel: not in make test-fast

WHERE_AM_I = "import sys\nprint(sys.executable)\nprint(sys.prefix)"

# Every first-order backward() seeded with twice its seed: every gradient doubled.
BREAK_THE_ENGINE = """\
import autograd.value

_correct_backward = autograd.value.backward_floats
autograd.value.backward_floats = lambda order, seed: _correct_backward(order, 2 * seed)
"""


def table_of_contents() -> list[str]:
    """The notebooks named in the table of ``notebooks/README.md``, in order."""
    text = (NOTEBOOKS_DIR / "README.md").read_text(encoding="utf-8")
    return re.findall(r"^\| \d \| \[(\d\d_\w+\.ipynb)\]", text, flags=re.MULTILINE)


def test_the_course_is_numbered_from_00_without_gaps_as_its_table_of_contents_says():
    listed = table_of_contents()
    assert [name[:2] for name in listed] == [f"{n:02d}" for n in range(len(listed))]
    assert [p.name for p in NOTEBOOKS] == listed


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_committed_without_outputs_or_execution_counts(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata.kernelspec.name == "python3"
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{path.name} cell {index} has outputs"
            assert cell.execution_count is None, f"{path.name} cell {index} has an execution count"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_opens_with_its_number_and_title_and_ends_with_exercises(path):
    nb = nbformat.read(path, as_version=4)
    number = int(path.name[:2])
    assert nb.cells[0].cell_type == "markdown"
    assert nb.cells[0].source.startswith(f"# {number}. "), nb.cells[0].source.split("\n")[0]
    headings = [
        line for c in nb.cells if c.cell_type == "markdown" for line in c.source.split("\n") if line.startswith("#")
    ]
    assert "## Exercises" in headings
    after = headings[headings.index("## Exercises") + 1 :]
    assert all(h.startswith(f"### Exercise {number}.") for h in after if h.startswith("#")), after


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
@pytest.mark.usefixtures("python3_kernel")
def test_notebook_runs_from_top_to_bottom_in_this_python(path):
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(WHERE_AM_I))
    run_cells(nb, path.name)
    text = "".join(o.text for o in nb.cells[-1].outputs if o.output_type == "stream")
    executable, prefix = text.split("\n")[:2]
    assert os.path.samefile(executable, sys.executable)
    assert prefix == sys.prefix


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
@pytest.mark.usefixtures("python3_kernel")
def test_an_engine_with_wrong_gradients_fails_each_notebook_at_an_assert(path):
    nb = nbformat.read(path, as_version=4)
    nb.cells.insert(0, nbformat.v4.new_code_cell(BREAK_THE_ENGINE))
    with pytest.raises(nbclient.exceptions.CellExecutionError) as failure:
        client_for(nb).execute()
    assert failure.value.ename == "AssertionError"

"""Student copies never keep a solution (issue 17, item 9): ``notebooks/make_exercises.py`` against odd notebooks.

Markers as nbgrader writes them (``### BEGIN SOLUTION``, ``# BEGIN SOLUTION
(part 1)``, ``#BEGIN SOLUTION``) are markers; text that only looks like one
(lowercase, ``SOLUTIONS``, code before it) is refused naming the notebook, cell
and line; an END without a BEGIN is refused in any cell; a solution in a
markdown cell becomes ``YOUR ANSWER HERE``; a form feed inside a string is not
a line break; ``--out`` naming the notebooks' own folder is refused; a file
that is not a valid notebook is one line, not a traceback.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")

SPEC = importlib.util.spec_from_file_location(
    "make_exercises", Path(__file__).resolve().parent.parent / "notebooks" / "make_exercises.py"
)
make_exercises = importlib.util.module_from_spec(SPEC)
sys.modules[SPEC.name] = make_exercises  # dataclasses look their module up there
SPEC.loader.exec_module(make_exercises)

CHECK = 'assert x == 2, f"x = {x}, expected 2"'
SECRET = "x = 2  # the secret"


def notebook(*cells) -> nbformat.NotebookNode:
    """A notebook of ``(cell_type, source)`` pairs."""
    nb = nbformat.v4.new_notebook()
    make = {"code": nbformat.v4.new_code_cell, "markdown": nbformat.v4.new_markdown_cell}
    nb.cells = [make[kind](source) for kind, source in cells]
    return nb


def exercise(begin: str, end: str = "# END SOLUTION") -> nbformat.NotebookNode:
    """A one-exercise notebook whose solution is marked by ``begin`` and ``end``."""
    return notebook(("code", f"# ANSWER: x\n{begin}\n{SECRET}\n{end}"), ("code", CHECK))


@pytest.mark.parametrize(
    "begin",
    ["# BEGIN SOLUTION", "#BEGIN SOLUTION", "### BEGIN SOLUTION", "# BEGIN SOLUTION (part 1)", "  #  BEGIN SOLUTION"],
)
def test_markers_written_as_nbgrader_accepts_them_remove_the_solution(begin):
    copy = make_exercises.student_copy(exercise(begin, "### END SOLUTION (part 1)"), "x.ipynb")
    source = copy.cells[0].source
    assert "secret" not in source
    assert source.splitlines()[1:] == [
        begin[: len(begin) - len(begin.lstrip())] + "# YOUR CODE HERE",
        begin[: len(begin) - len(begin.lstrip())] + 'raise NotImplementedError("exercise")',
    ]


@pytest.mark.parametrize(
    ("begin", "end"),
    [
        ("# begin solution", "# end solution"),
        ("# Begin Solution", "# END SOLUTION"),
        ("# BEGIN SOLUTIONS", "# END SOLUTION"),
        ("# BEGIN_SOLUTION", "# END SOLUTION"),
        ("# BEGIN SOLUTION", "x = x  # END SOLUTION"),
    ],
)
def test_a_marker_look_alike_is_refused_naming_notebook_cell_and_line(begin, end):
    with pytest.raises(ValueError, match=r"x.ipynb cell 0, line [24]: .* looks like a solution marker"):
        make_exercises.student_copy(exercise(begin, end), "x.ipynb")


def test_an_end_without_a_begin_is_refused_in_a_cell_without_any_begin():
    nb = notebook(("code", "x = 2\n# END SOLUTION"), ("code", CHECK))
    with pytest.raises(ValueError, match=r"x\.ipynb cell 0, line 2: '# END SOLUTION' without a '# BEGIN SOLUTION'"):
        make_exercises.student_copy(nb, "x.ipynb")


def test_a_solution_in_a_markdown_cell_becomes_your_answer_here():
    nb = notebook(
        ("markdown", "Why does it work?\n\n### BEGIN SOLUTION\nBecause of the secret.\n### END SOLUTION\nEnd."),
        ("markdown", "<!-- BEGIN SOLUTION -->\nthe secret again\n<!-- END SOLUTION -->"),
    )
    copy = make_exercises.student_copy(nb, "x.ipynb")
    assert copy.cells[0].source == "Why does it work?\n\nYOUR ANSWER HERE\nEnd."
    assert copy.cells[1].source == "YOUR ANSWER HERE"


def test_a_form_feed_inside_a_string_is_kept_and_not_a_line_break():
    source = 'page = "one\\x0ctwo"\nsep = "\\x1c"\n# ANSWER: x\n'
    nb = notebook(("code", 'text = "a\x0cb\x1cc"\n' + "# ANSWER: x"), ("code", "x = 1"))
    assert make_exercises.strip_solutions(nb.cells[0].source) == 'text = "a\x0cb\x1cc"\n# ANSWER: x'
    assert make_exercises.strip_solutions(source) == source.rstrip("\n")
    body = "# ANSWER: x\n# BEGIN SOLUTION\nx = 2\n# END SOLUTION\ny = 'p\x0cq'"
    assert make_exercises.strip_solutions(body).endswith("y = 'p\x0cq'")


def test_out_equal_to_the_notebooks_folder_is_refused_and_the_original_kept(tmp_path, capsys):
    source = tmp_path / "09_example.ipynb"
    source.write_text(nbformat.writes(exercise("# BEGIN SOLUTION")))
    before = source.read_bytes()
    assert make_exercises.main(["--out", str(tmp_path), str(source)]) == 1
    err = capsys.readouterr().err
    assert "is the folder of" in err and "would overwrite the notebook" in err
    assert source.read_bytes() == before
    assert make_exercises.main(["--out", str(tmp_path / "." / ".." / tmp_path.name), str(source)]) == 1
    assert source.read_bytes() == before


@pytest.mark.parametrize(
    "text",
    [
        '{"cells": "not a list", "metadata": {}, "nbformat": 4, "nbformat_minor": 5}',
        '{"cells": [{"cell_type": "code"}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}',
        '{"nbformat": 4}',
        "[1, 2]",
        "not json at all",
        '{"cells": [], "metadata": {}, "nbformat": 99, "nbformat_minor": 0}',
    ],
)
def test_a_file_that_is_not_a_valid_notebook_is_one_line_not_a_traceback(tmp_path, capsys, text):
    path = tmp_path / "bad.ipynb"
    path.write_text(text)
    assert make_exercises.main(["--out", str(tmp_path / "copies"), str(path)]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert str(path) in err
    assert not (tmp_path / "copies").exists()


def test_a_notebook_that_is_a_directory_is_refused(tmp_path, capsys):
    (tmp_path / "dir.ipynb").mkdir()
    assert make_exercises.main(["--clean", str(tmp_path / "dir.ipynb")]) == 1
    assert "is a directory, not a regular file" in capsys.readouterr().err

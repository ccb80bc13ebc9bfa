"""The notebooks' exercises: student copies stop at the first one, and no check is vacuous.

The convention (``notebooks/README.md``): a solution cell begins with
``# ANSWER: names``, holds its solution between ``# BEGIN SOLUTION`` and
``# END SOLUTION``, and is followed by a check cell of ``assert`` statements.

- A student copy (``notebooks/make_exercises.py``) replaces every solution by
  ``raise NotImplementedError("exercise")``; run from the top, it must stop
  with that error at its first exercise.
- A wrong answer must fail its check: after each solution cell runs, every
  answer name is replaced by its wrong variant (:data:`WRONG_ANSWER`, defined
  in the README), the check cell must raise ``AssertionError``, then the right
  answers are put back and the check must pass.
"""

from __future__ import annotations

import ast

import pytest

from tests.notebook_kernel import (
    NOTEBOOKS,
    first_error,
    load_make_exercises,
    nbclient,
    nbformat,
    python3_kernel,  # noqa: F401  (a fixture)
    run_cells,
    run_code,
)

pytestmark = pytest.mark.slow  # every notebook run in a kernel: not in make test-fast

make_exercises = load_make_exercises()

# The wrong variant of an answer, defined in the kernel before the notebook runs.
WRONG_ANSWER = '''\
def _wrong_answer_for_the_test(x):
    import functools, numbers, sys
    from autograd import Value
    np = sys.modules.get("numpy")
    if isinstance(x, bool) or (np is not None and isinstance(x, np.bool_)):
        return not x
    if isinstance(x, numbers.Integral):
        return x + 1 + abs(x) // 10
    if isinstance(x, numbers.Real):
        return x + 1 + abs(x) / 10
    if np is not None and isinstance(x, np.ndarray):
        return ~x if x.dtype == bool else x + 1 + np.abs(x) / 10
    if isinstance(x, Value):
        return x * 1.1 + 1
    if isinstance(x, (list, tuple)):
        return type(x)(_wrong_answer_for_the_test(v) for v in x)
    if isinstance(x, dict):
        return {k: _wrong_answer_for_the_test(v) for k, v in x.items()}
    if isinstance(getattr(x, "data", None), numbers.Real):
        import copy
        wrong = copy.copy(x)
        wrong.data = _wrong_answer_for_the_test(x.data)
        return wrong
    if callable(x) and not isinstance(x, type):
        @functools.wraps(x)
        def wrong(*args, **kwargs):
            return _wrong_answer_for_the_test(x(*args, **kwargs))
        return wrong
    raise TypeError(f"no wrong variant of a {type(x).__name__}: an answer must be a number, "
                    "an array, a Value, a list, tuple or dict of them, or a function returning one")
'''


def swap_answers(names: tuple[str, ...]) -> str:
    """Kernel code: keep the right answers aside and put their wrong variants in their place."""
    return (
        f"_right_answers_for_the_test = {{n: globals()[n] for n in {list(names)!r}}}\n"
        "for _n, _v in _right_answers_for_the_test.items():\n"
        "    globals()[_n] = _wrong_answer_for_the_test(_v)\n"
    )


RESTORE_ANSWERS = "globals().update(_right_answers_for_the_test)\n"


def notebook_exercises(path):
    nb = nbformat.read(path, as_version=4)
    return nb, make_exercises.exercises(nb, path.name)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_ends_with_two_or_three_well_formed_exercises(path):
    nb, found = notebook_exercises(path)
    assert 2 <= len(found) <= 3, f"{path.name} has {len(found)} exercises"
    number = int(path.name[:2])
    for k, exercise in enumerate(found, start=1):
        statement = nb.cells[exercise.solution - 1]
        assert statement.cell_type == "markdown", f"{path.name} cell {exercise.solution - 1}"
        assert statement.source.startswith(f"### Exercise {number}.{k}: "), statement.source
        assert nb.cells[exercise.check] is nb.cells[exercise.solution + 1], "the check is the next cell"
    assert found[-1].check == len(nb.cells) - 1, "the last cell is the last exercise's check"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_assert_of_a_check_cell_says_what_is_wrong(path):
    nb, found = notebook_exercises(path)
    for exercise in found:
        tree = ast.parse(nb.cells[exercise.check].source)
        asserts = [node for node in ast.walk(tree) if isinstance(node, ast.Assert)]
        assert asserts, f"{path.name} cell {exercise.check} checks nothing"
        silent = [node.lineno for node in asserts if node.msg is None]
        assert silent == [], f"{path.name} cell {exercise.check}: asserts without a message on lines {silent}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
@pytest.mark.usefixtures("python3_kernel")
def test_student_copy_runs_until_its_first_exercise_and_stops_there(path, tmp_path):
    _, found = notebook_exercises(path)
    (copy_path,) = make_exercises.write_student_copies([path], tmp_path)
    copy = nbformat.read(copy_path, as_version=4)
    assert "BEGIN SOLUTION" not in nbformat.writes(copy)
    with pytest.raises(nbclient.exceptions.CellExecutionError) as failure:
        nbclient.NotebookClient(
            copy, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
        ).execute()
    assert (failure.value.ename, failure.value.evalue) == ("NotImplementedError", "exercise")
    index, _ = first_error(copy)
    assert index in (found[0].solution, found[0].check), (
        f"{path.name}: the copy stopped at cell {index}, not at exercise 1 "
        f"(cells {found[0].solution} and {found[0].check})"
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
@pytest.mark.usefixtures("python3_kernel")
def test_a_wrong_answer_fails_every_check(path):
    nb, found = notebook_exercises(path)
    by_solution = {exercise.solution: exercise for exercise in found}
    passed_when_wrong = []

    def after_cell(client, index, cell):
        if index == 0:
            run_code(client, WRONG_ANSWER, index)
        exercise = by_solution.get(index)
        if exercise is None:
            return
        run_code(client, swap_answers(exercise.answers), index)
        check = nb.cells[exercise.check]
        try:
            run_code(client, check.source, exercise.check)
        except nbclient.exceptions.CellExecutionError as error:
            assert error.ename == "AssertionError", (
                f"{path.name} cell {exercise.check}: a wrong {exercise.answers} raised {error.ename}: {error.evalue}"
            )
        else:
            passed_when_wrong.append((exercise.check, exercise.answers))
        run_code(client, RESTORE_ANSWERS, index)

    run_cells(nb, path.name, after_cell=after_cell)
    assert passed_when_wrong == [], f"{path.name}: checks that pass a wrong answer: {passed_when_wrong}"


def test_a_solution_in_a_function_body_becomes_the_placeholder_at_its_indentation():
    source = "# ANSWER: f\ndef f(x):\n    # BEGIN SOLUTION\n    y = 2 * x\n    return y\n    # END SOLUTION\n"
    assert make_exercises.strip_solutions(source) == (
        '# ANSWER: f\ndef f(x):\n    # YOUR CODE HERE\n    raise NotImplementedError("exercise")'
    )
    assert make_exercises.answer_names(source) == ("f",)
    assert make_exercises.answer_names("# ANSWER: slope,  intercept\n") == ("slope", "intercept")


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("# ANSWER: x\n# BEGIN SOLUTION\nx = 1\n", "without an '# END SOLUTION'"),
        ("# ANSWER: x\nx = 1\n# END SOLUTION\n", "line 3: '# END SOLUTION' without"),
        ("# BEGIN SOLUTION\n# BEGIN SOLUTION\n# END SOLUTION\n", "line 2: '# BEGIN SOLUTION' inside"),
    ],
)
def test_unbalanced_solution_markers_are_refused_naming_the_line(source, message):
    with pytest.raises(ValueError, match=message):
        make_exercises.strip_solutions(source, "x.ipynb cell 3")


def test_a_solution_cell_without_its_answer_line_or_check_is_refused():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("# BEGIN SOLUTION\nx = 1\n# END SOLUTION")]
    with pytest.raises(ValueError, match=r"x.ipynb cell 0: a solution cell must begin with '# ANSWER"):
        make_exercises.exercises(nb, "x.ipynb")
    nb.cells[0].source = "# ANSWER: x\n" + nb.cells[0].source
    with pytest.raises(ValueError, match="must be followed by a check cell"):
        make_exercises.exercises(nb, "x.ipynb")


def test_make_exercises_writes_clean_student_copies_and_cleans_in_place(tmp_path, capsys):
    nb = nbformat.v4.new_notebook()
    solution = nbformat.v4.new_code_cell("# ANSWER: x\n# BEGIN SOLUTION\nx = 2\n# END SOLUTION")
    solution.outputs = [nbformat.v4.new_output("stream", text="2\n")]
    solution.execution_count = 3
    nb.cells = [solution, nbformat.v4.new_code_cell('assert x == 2, f"x = {x}, expected 2"')]
    source = tmp_path / "09_example.ipynb"
    source.write_text(nbformat.writes(nb))

    assert make_exercises.main(["--out", str(tmp_path / "copies"), str(source)]) == 0
    copy = nbformat.read(tmp_path / "copies" / "09_example.ipynb", as_version=4)
    assert copy.cells[0].source == '# ANSWER: x\n# YOUR CODE HERE\nraise NotImplementedError("exercise")'
    assert (copy.cells[0].outputs, copy.cells[0].execution_count) == ([], None)
    assert copy.cells[1].source == nb.cells[1].source
    assert nbformat.read(source, as_version=4).cells[0].outputs != []  # the original is untouched

    assert make_exercises.main(["--clean", str(source)]) == 0
    cleaned = nbformat.read(source, as_version=4)
    assert (cleaned.cells[0].outputs, cleaned.cells[0].execution_count) == ([], None)
    assert cleaned.cells[0].source == solution.source
    assert "wrote 1 student copy" in capsys.readouterr().out

"""The notebooks' exercises: checks that name the slip and never the answer, student copies, nbgrader.

The convention (``notebooks/README.md``): a solution cell begins with
``# ANSWER: names``, holds its solution between ``# BEGIN SOLUTION`` and
``# END SOLUTION``, and is followed by the check cell ``check("N.k", globals())``,
whose check is registered in ``chainrule.course.nbNN``.

- **The audit.** Each notebook runs in a kernel; after each exercise's
  solution cell, ``audit("N.k", globals())`` runs there: the right answers
  must pass; a constant in place of each answer must fail; each slip the check
  names must fail with its phrase in the message; no message may show a number
  of the right answers or of the check's references. The test lists every
  exercise whose audit is not clean.
- **The registry.** Every check cell's key has a registered check, and every
  registered check an exercise in a notebook.
- **Student copies** (``notebooks/make_exercises.py``) replace every solution by
  ``raise NotImplementedError("exercise")``; run from the top, a copy stops with
  that error at its first exercise.
- **nbgrader.** Every solution cell and check cell carries nbgrader's cell
  metadata (schema version 3), in the notebooks and in the student copies.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import re

import pytest

from chainrule.course import EXERCISES
from chainrule.course.exercises import find
from tests.notebook_kernel import (
    NOTEBOOKS,
    first_error,
    load_make_exercises,
    load_script,
    nbclient,
    nbformat,
    python3_kernel,  # noqa: F401  (a fixture)
    run_cells,
    run_code,
)

pytestmark = pytest.mark.slow  # every notebook run in a kernel: not in make test-fast

make_exercises = load_make_exercises()
score_card = load_script("score_card")

REPORT = "audit report: "


def audit_code(key: str) -> str:
    """Kernel code: audit exercise ``key`` on the notebook's variables and print the report as one JSON line."""
    return (
        "import json as _json_for_the_test\n"
        "from chainrule.course import audit as _audit_for_the_test\n"
        f"_report_for_the_test = _audit_for_the_test({key!r}, globals())\n"
        f"print({REPORT!r} + _json_for_the_test.dumps({{'ok': _report_for_the_test.ok, "
        "'trials': _report_for_the_test.trials, 'text': str(_report_for_the_test)}))\n"
        "del _json_for_the_test, _audit_for_the_test, _report_for_the_test\n"
    )


def printed_report(cell) -> dict:
    """The audit report a cell run with :func:`audit_code` printed."""
    text = "".join(output.get("text", "") for output in cell.outputs if output.output_type == "stream")
    (line,) = [line for line in text.splitlines() if line.startswith(REPORT)]
    return json.loads(line[len(REPORT):])


def notebook_exercises(path):
    nb = nbformat.read(path, as_version=4)
    return nb, make_exercises.exercises(nb, path.name)


def notebook_number(path) -> int:
    return int(path.name[:2])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_ends_with_two_or_three_well_formed_exercises(path):
    nb, found = notebook_exercises(path)
    assert 2 <= len(found) <= 3, f"{path.name} has {len(found)} exercises"
    number = notebook_number(path)
    for k, exercise in enumerate(found, start=1):
        statement = nb.cells[exercise.solution - 1]
        assert statement.cell_type == "markdown", f"{path.name} cell {exercise.solution - 1}"
        assert statement.source.startswith(f"### Exercise {number}.{k}: "), statement.source
        assert nb.cells[exercise.check] is nb.cells[exercise.solution + 1], "the check is the next cell"
    assert found[-1].check == len(nb.cells) - 1, "the last cell is the last exercise's check"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_check_cell_is_the_one_line_check_of_its_own_exercise(path):
    nb, found = notebook_exercises(path)
    number = notebook_number(path)
    for k, exercise in enumerate(found, start=1):
        assert nb.cells[exercise.check].source == f'check("{number}.{k}", globals())', (
            f"{path.name} cell {exercise.check}: a check cell is one line, check(\"{number}.{k}\", globals()); "
            f"it is {nb.cells[exercise.check].source[:120]!r}"
        )
        assert exercise.key == f"{number}.{k}"
    imports = "\n".join(cell.source for cell in nb.cells if cell.cell_type == "code")
    assert "from chainrule.course import check" in imports, f"{path.name} does not import check"


def test_every_exercise_has_a_registered_check_naming_its_slips_and_every_check_an_exercise():
    in_notebooks, without_module = set(), []
    for path in NOTEBOOKS:
        _, found = notebook_exercises(path)
        in_notebooks |= {exercise.key for exercise in found if exercise.key is not None}
        module = f"chainrule.course.nb{notebook_number(path):02d}"
        if importlib.util.find_spec(module) is None:
            without_module.append(f"{path.name} (no {module})")
        else:
            importlib.import_module(module)
    assert without_module == [], "notebooks whose checks are not in chainrule.course"
    registered = set(EXERCISES)
    assert sorted(in_notebooks - registered) == [], "exercises without a registered check"
    assert sorted(registered - in_notebooks) == [], "registered checks without an exercise in a notebook"
    silent = sorted(key for key, exercise in EXERCISES.items() if not exercise.slips)
    assert silent == [], f"exercises whose check names no slip: {silent}"
    for key, exercise in EXERCISES.items():
        path = next(p for p in NOTEBOOKS if notebook_number(p) == int(key.split(".")[0]))
        _, found = notebook_exercises(path)
        (cells,) = [e for e in found if e.key == key]
        assert exercise.answers == cells.answers, (
            f"exercise {key}: the check reads {exercise.answers}, the solution cell's # ANSWER: line names "
            f"{cells.answers}"
        )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
@pytest.mark.usefixtures("python3_kernel")
def test_every_check_catches_constants_and_names_its_slips_without_showing_the_answer(path):
    nb, found = notebook_exercises(path)
    unconverted = [exercise.check for exercise in found if exercise.key is None]
    assert unconverted == [], f"{path.name}: check cells that are not check(\"N.k\", globals()): {unconverted}"
    by_solution = {exercise.solution: exercise for exercise in found}
    reports = {}

    def after_cell(client, index, cell):
        exercise = by_solution.get(index)
        if exercise is not None:
            reports[exercise.key] = printed_report(run_code(client, audit_code(exercise.key), index))

    run_cells(nb, path.name, after_cell=after_cell)  # the check cells run too, and pass
    assert sorted(reports) == sorted(exercise.key for exercise in found)
    for key, report in reports.items():
        assert report["trials"] >= 1 + len(find(key).slips), report  # a constant, and each slip
    failing = [report["text"] for report in reports.values() if not report["ok"]]
    assert failing == [], f"{path.name}: audits that are not clean:\n" + "\n".join(failing)


NBGRADER_KEYS = {"schema_version", "grade", "locked", "solution", "task", "grade_id", "points"}
"""The keys of nbgrader's cell metadata (schema 3) that a source notebook's cell may carry."""


def nbgrader_problems(nb, name: str, found) -> list[str]:
    """What is wrong with the nbgrader metadata of ``nb``'s exercise cells (nbgrader's schema 3 and rules)."""
    problems, ids = [], []
    for ordinal, exercise in enumerate(found, start=1):
        for index, grade in ((exercise.solution, False), (exercise.check, True)):
            meta = nb.cells[index].metadata.get("nbgrader")
            if meta is None:
                problems.append(f"{name} cell {index} has no nbgrader metadata")
                continue
            if set(meta) - NBGRADER_KEYS or not {"schema_version", "grade", "locked", "solution"} <= set(meta):
                problems.append(f"{name} cell {index}: nbgrader keys {sorted(meta)}")
            expected = {"schema_version": 3, "grade": grade, "locked": grade, "solution": not grade, "task": False}
            if any(meta.get(key) != value for key, value in expected.items()):
                problems.append(f"{name} cell {index}: {meta} is not {expected}")
            if grade and meta.get("points") != 1:
                problems.append(f"{name} cell {index}: a graded check is worth 1 point, not {meta.get('points')}")
            ident = str(meta.get("grade_id", ""))
            want = f"ex-{exercise.key.replace('.', '-')}" if exercise.key else f"ex-{ordinal}"
            if ident != want + ("-check" if grade else "") or not re.fullmatch(r"[a-zA-Z0-9_\-]+", ident):
                problems.append(f"{name} cell {index}: grade_id {ident!r}")
            ids.append(ident)
    if len(set(ids)) != len(ids):
        problems.append(f"{name}: grade ids repeat: {ids}")
    return problems


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_exercise_cell_carries_nbgrader_metadata_in_the_notebook_and_its_student_copy(path, tmp_path):
    nb, found = notebook_exercises(path)
    assert nbgrader_problems(nb, path.name, found) == []
    (copy_path,) = make_exercises.write_student_copies([path], tmp_path)
    copy = nbformat.read(copy_path, as_version=4)
    assert nbgrader_problems(copy, copy_path.name, make_exercises.exercises(copy, copy_path.name)) == []
    others = [i for i, cell in enumerate(nb.cells) if "nbgrader" in cell.metadata
              and i not in {e.solution for e in found} | {e.check for e in found}]
    assert others == [], f"{path.name}: cells outside the exercises with nbgrader metadata"


def test_nbgrader_mode_writes_the_metadata_in_place_and_student_copies_carry_it(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("### Exercise 9.1: x"),
        nbformat.v4.new_code_cell("# ANSWER: x\n# BEGIN SOLUTION\nx = 2\n# END SOLUTION"),
        nbformat.v4.new_code_cell('check("9.1", globals())'),
        nbformat.v4.new_code_cell("# ANSWER: y\n# BEGIN SOLUTION\ny = 3\n# END SOLUTION"),
        nbformat.v4.new_code_cell('assert y == 3, "y"'),
    ]
    source = tmp_path / "09_example.ipynb"
    source.write_text(nbformat.writes(nb))
    assert make_exercises.main(["--nbgrader", str(source)]) == 0
    written = nbformat.read(source, as_version=4)
    found = make_exercises.exercises(written, source.name)
    assert [(e.key, e.answers) for e in found] == [("9.1", ("x",)), (None, ("y",))]
    assert nbgrader_problems(written, source.name, found) == []
    assert written.cells[1].metadata["nbgrader"] == {
        "grade": False, "grade_id": "ex-9-1", "locked": False, "schema_version": 3, "solution": True, "task": False}
    assert written.cells[2].metadata["nbgrader"] == {
        "grade": True, "grade_id": "ex-9-1-check", "locked": True, "points": 1, "schema_version": 3,
        "solution": False, "task": False}
    assert written.cells[4].metadata["nbgrader"]["grade_id"] == "ex-2-check"  # no key: the ordinal
    assert written.cells[1].source == nb.cells[1].source  # the solutions stay
    assert make_exercises.main(["--nbgrader", str(source)]) == 0
    assert source.read_text() == nbformat.writes(written) + "\n"  # written once, then unchanged

    written.cells[1].metadata["nbgrader"] = {"grade_id": "stale"}
    stale = tmp_path / "stale" / "09_example.ipynb"
    stale.parent.mkdir()
    stale.write_text(nbformat.writes(written))
    (copy_path,) = make_exercises.write_student_copies([stale], tmp_path / "copies")
    copy = nbformat.read(copy_path, as_version=4)
    assert copy.cells[1].metadata["nbgrader"]["grade_id"] == "ex-9-1"  # made afresh, not copied
    assert nbgrader_problems(copy, copy_path.name, make_exercises.exercises(copy, copy_path.name)) == []
    assert "BEGIN SOLUTION" not in copy.cells[1].source


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
    nb.cells.append(nbformat.v4.new_code_cell("  \n"))
    with pytest.raises(ValueError, match="must be followed by a check cell"):
        make_exercises.exercises(nb, "x.ipynb")


def test_make_exercises_writes_clean_student_copies_and_cleans_in_place(tmp_path, capsys):
    nb = nbformat.v4.new_notebook()
    solution = nbformat.v4.new_code_cell("# ANSWER: x\n# BEGIN SOLUTION\nx = 2\n# END SOLUTION")
    solution.outputs = [nbformat.v4.new_output("stream", text="2\n")]
    solution.execution_count = 3
    nb.cells = [solution, nbformat.v4.new_code_cell('check("9.1", globals())')]
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


SCORED = [path for path in NOTEBOOKS if path.name[:2] in ("00", "01")]
"""The notebooks the score card is tested on (two quick ones; every notebook runs in the tests above)."""


@pytest.mark.usefixtures("python3_kernel")
def test_score_card_passes_every_exercise_of_the_notebooks_with_their_solutions(capsys):
    assert score_card.main([str(path) for path in SCORED]) == 0
    printed = capsys.readouterr().out
    for path in SCORED:
        _, found = notebook_exercises(path)
        assert f"{path.name}  {len(found)}/{len(found)}" in printed
        for exercise in found:
            assert re.search(rf"^  {re.escape(exercise.key)}\s+pass$", printed, flags=re.MULTILINE), printed
    total = sum(len(notebook_exercises(path)[1]) for path in SCORED)
    assert printed.rstrip().endswith(f"total {total}/{total}")


@pytest.mark.usefixtures("python3_kernel")
def test_score_card_fails_every_exercise_of_a_student_copy(tmp_path):
    copies = make_exercises.write_student_copies(SCORED, tmp_path)
    for copy in copies:
        results = score_card.score(copy)
        assert len(results) == len(notebook_exercises(NOTEBOOKS[0].parent / copy.name)[1])
        assert [(r.passed, r.reason) for r in results] == [(False, "NotImplementedError: exercise")] * len(results)


@pytest.mark.usefixtures("python3_kernel")
def test_score_card_passes_exactly_the_one_exercise_solved_in_a_student_copy(tmp_path, capsys):
    path = SCORED[-1]
    nb, found = notebook_exercises(path)
    (copy_path,) = make_exercises.write_student_copies([path], tmp_path)
    copy = nbformat.read(copy_path, as_version=4)
    solved = found[1]
    copy.cells[solved.solution].source = nb.cells[solved.solution].source  # the student's own answer
    nbformat.write(copy, copy_path)
    results = score_card.score(copy_path)
    assert [r.name for r in results if r.passed] == [solved.key]
    assert score_card.main([str(tmp_path)]) == 0
    assert f"total 1/{len(found)}" in capsys.readouterr().out


def test_score_card_refuses_a_folder_without_notebooks_in_one_line(tmp_path, capsys):
    assert score_card.main([str(tmp_path)]) == 1
    assert capsys.readouterr().err == f"error: {tmp_path} holds no .ipynb notebook\n"

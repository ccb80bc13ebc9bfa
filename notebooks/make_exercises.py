r"""Student copies of the teaching notebooks, and the exercise convention they rely on.

An exercise is a **solution cell** followed by a **check cell** (see
``notebooks/README.md``). The solution cell's first line names the answer,
``# ANSWER: name1, name2``; the solution sits between ``# BEGIN SOLUTION`` and
``# END SOLUTION`` lines. A student copy replaces each such block, markers
included, by

    # YOUR CODE HERE
    raise NotImplementedError("exercise")

at the indentation of the ``# BEGIN SOLUTION`` line, and drops every output.
A markdown cell may hold a solution block too (a written answer); it becomes
``YOUR ANSWER HERE``.

The markers follow nbgrader's rule: a line whose comment begins with
``BEGIN SOLUTION`` or ``END SOLUTION`` in capitals, after any number of
comment characters (``#``, ``###``, ``<!--`` in markdown) and with anything
after it (``### BEGIN SOLUTION (part 1)``). A line that only looks like a
marker (``# begin solution``, ``# BEGIN SOLUTIONS``, ``x = 1  # END
SOLUTION``) is refused, naming the notebook, the cell and the line: a copy
never keeps a solution because a marker was misspelt. Lines are split at
``\n`` only (a form feed in a string is not a line break).

The check cell is the next code cell; in the course it is one line,
``check("N.k", globals())`` (``chainrule.course``), whose key ``N.k`` names
the exercise.

**nbgrader.** The exercise cells carry nbgrader's cell metadata (schema
version 3), so that a teacher can use nbgrader on the notebooks as they are:
the solution cell is an autograded answer (``"solution": true``,
``"grade": false``, grade id ``ex-N-k``), the check cell a locked autograder
test worth one point (``"grade": true``, ``"locked": true``, ``"points": 1``,
grade id ``ex-N-k-check``). ``--nbgrader`` writes that metadata into the
notebooks in place; every student copy carries it too. nbgrader itself is not
needed for any of this.

Usage::

    python notebooks/make_exercises.py --out build/exercises notebooks/*.ipynb
    python notebooks/make_exercises.py --clean notebooks/*.ipynb
    python notebooks/make_exercises.py --nbgrader notebooks/*.ipynb

The first writes one student copy per notebook into ``--out``; the second
strips outputs and execution counts from the notebooks in place (they are
stored clean); the third writes the nbgrader metadata in place. Every file
goes through ``autograd.files.write_atomic``.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import nbformat

from autograd.files import read_limited, write_atomic

BEGIN = "# BEGIN SOLUTION"
END = "# END SOLUTION"
PLACEHOLDER = ("# YOUR CODE HERE", 'raise NotImplementedError("exercise")')
MARKDOWN_PLACEHOLDER = ("YOUR ANSWER HERE",)
MARKER = re.compile(r"\s*(?:#+|<!--)\s*(?P<kind>BEGIN|END) SOLUTION\b.*")
"""A marker line (nbgrader's rule, see the module docstring)."""
LOOKALIKE = re.compile(r"(?:begin|end)[\s_-]*solution", re.IGNORECASE)
"""Text that looks like a marker; refused on any line that is not one."""
MAX_NOTEBOOK_BYTES = 50 * 2**20
"""The largest notebook read (50 MiB)."""
ANSWER = re.compile(r"#\s*ANSWER:\s*(?P<names>[A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*)\s*$")
CHECK = re.compile(r"""\s*check\(\s*(?P<quote>["'])(?P<key>\d+\.\d+)(?P=quote)\s*,\s*globals\(\)\s*\)\s*""")
"""A check cell of the course: ``check("N.k", globals())`` and nothing else."""
NBGRADER_SCHEMA_VERSION = 3
"""The version of nbgrader's cell metadata schema written (nbgrader reads it and upgrades it)."""


@dataclass(frozen=True)
class Exercise:
    """One exercise of a notebook: where its cells are and what it answers.

    Attributes:
        solution: Index (in ``nb.cells``) of the solution cell.
        check: Index of the check cell, the next code cell.
        answers: The names on the solution cell's ``# ANSWER:`` line.
        key: ``"N.k"`` when the check cell is ``check("N.k", globals())``, else None.
    """

    solution: int
    check: int
    answers: tuple[str, ...]
    key: str | None = None


def _lines(source: str) -> list[str]:
    """The lines of a cell, split at ``\\n`` only (as ``str.splitlines`` does for a final newline)."""
    lines = source.split("\n")
    return lines[:-1] if len(lines) > 1 and lines[-1] == "" else lines


def _marker(line: str, where: str, number: int) -> str | None:
    """``"BEGIN"`` or ``"END"`` for a marker line, None for any other; a look-alike is refused."""
    match = MARKER.fullmatch(line)
    if match:
        return match["kind"]
    if LOOKALIKE.search(line):
        raise ValueError(
            f"{where}, line {number}: {line.strip()[:80]!r} looks like a solution marker but is not one; "
            f"write {BEGIN!r} or {END!r} on a line of its own (capitals)"
        )
    return None


def has_solution(source: str, where: str = "cell") -> bool:
    """Whether a cell's source holds a ``BEGIN SOLUTION`` marker line (a look-alike is refused)."""
    return any(_marker(line, where, n) == "BEGIN" for n, line in enumerate(_lines(source), start=1))


def strip_solutions(source: str, where: str = "cell", placeholder: tuple[str, ...] = PLACEHOLDER) -> str:
    """``source`` with every solution block replaced by ``placeholder``.

    Raises:
        ValueError: A ``BEGIN`` without its ``END``, an ``END`` without a
            ``BEGIN``, nested blocks, or a line that looks like a marker but
            is not one; the message names ``where`` and the line.
    """
    out: list[str] = []
    inside = False
    for number, line in enumerate(_lines(source), start=1):
        marker = _marker(line, where, number)
        if marker == "BEGIN":
            if inside:
                raise ValueError(f"{where}, line {number}: {BEGIN!r} inside another solution block")
            inside = True
            indent = line[: len(line) - len(line.lstrip())]
            out.extend(indent + text for text in placeholder)
        elif marker == "END":
            if not inside:
                raise ValueError(f"{where}, line {number}: {END!r} without a {BEGIN!r} before it")
            inside = False
        elif not inside:
            out.append(line)
    if inside:
        raise ValueError(f"{where}: {BEGIN!r} without an {END!r} after it")
    return "\n".join(out)


def answer_names(source: str, where: str = "cell") -> tuple[str, ...]:
    """The names on the first line of a solution cell, ``# ANSWER: a, b``.

    Raises:
        ValueError: The first line is not an ``# ANSWER:`` line.
    """
    first = source.lstrip("\n").split("\n", 1)[0]
    match = ANSWER.fullmatch(first.strip())
    if match is None:
        raise ValueError(
            f"{where}: a solution cell must begin with '# ANSWER: name, ...' naming what the "
            f"check reads; it begins with {first!r}"
        )
    return tuple(name.strip() for name in match["names"].split(","))


def is_answer_line(line: str) -> bool:
    """Whether ``line`` is a solution cell's first line, ``# ANSWER: a, b``."""
    return ANSWER.fullmatch(line.strip()) is not None


def exercises(nb: nbformat.NotebookNode, name: str = "notebook", copy: bool = False) -> list[Exercise]:
    """The exercises of ``nb``, in order.

    A solution cell is a code cell holding a solution block; with ``copy``
    (a student's copy, whose blocks are gone), a code cell whose first line is
    an ``# ANSWER:`` line.

    Raises:
        ValueError: A solution cell without its ``# ANSWER:`` line, or not
            followed by a check cell (a code cell that is not empty and holds
            no solution).
    """
    found = []
    for index, cell in enumerate(nb.cells):
        where = f"{name} cell {index}"
        if cell.cell_type != "code":
            continue
        if copy:
            if not is_answer_line(cell.source.lstrip("\n").split("\n", 1)[0]):
                continue
        elif not has_solution(cell.source, where):
            continue
        answers = answer_names(cell.source, where)
        check = next((i for i in range(index + 1, len(nb.cells)) if nb.cells[i].cell_type == "code"), None)
        if check is None or not nb.cells[check].source.strip() or has_solution(nb.cells[check].source, where):
            raise ValueError(
                f"{where}: a solution cell must be followed by a check cell "
                """(a code cell, in the course check("N.k", globals()))"""
            )
        match = CHECK.fullmatch(nb.cells[check].source)
        found.append(Exercise(index, check, answers, match["key"] if match else None))
    return found


def grade_id(exercise: Exercise, ordinal: int) -> str:
    """nbgrader's id of an exercise's solution cell: ``ex-N-k`` from its key, else ``ex-<ordinal>``."""
    return f"ex-{exercise.key.replace('.', '-')}" if exercise.key else f"ex-{ordinal}"


def nbgrader_metadata(exercise: Exercise, ordinal: int) -> tuple[dict, dict]:
    """The nbgrader metadata of the solution cell and of the check cell of ``exercise``."""
    ident = grade_id(exercise, ordinal)
    common = {"schema_version": NBGRADER_SCHEMA_VERSION, "task": False}
    solution = {"grade": False, "grade_id": ident, "locked": False, "solution": True, **common}
    check = {"grade": True, "grade_id": f"{ident}-check", "locked": True, "points": 1, "solution": False, **common}
    return dict(sorted(solution.items())), dict(sorted(check.items()))


def with_nbgrader(nb: nbformat.NotebookNode, name: str = "notebook") -> nbformat.NotebookNode:
    """``nb`` with nbgrader's metadata on every exercise's solution and check cell (changed in place and returned)."""
    for ordinal, exercise in enumerate(exercises(nb, name), start=1):
        solution, check = nbgrader_metadata(exercise, ordinal)
        nb.cells[exercise.solution].metadata["nbgrader"] = solution
        nb.cells[exercise.check].metadata["nbgrader"] = check
    return nb


def clean(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """``nb`` without outputs or execution counts (changed in place and returned)."""
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        cell.metadata.pop("execution", None)
    return nb


def student_copy(nb: nbformat.NotebookNode, name: str = "notebook") -> nbformat.NotebookNode:
    """A clean copy of ``nb`` with every solution (in code and markdown cells) replaced by the placeholder.

    The exercise cells carry nbgrader's metadata (:func:`with_nbgrader`).
    """
    copy = with_nbgrader(clean(nbformat.from_dict(nb)), name)  # every solution cell well formed
    for index, cell in enumerate(copy.cells):
        where = f"{name} cell {index}"
        if cell.cell_type == "code":
            cell.source = strip_solutions(cell.source, where)
        elif cell.cell_type == "markdown":
            cell.source = strip_solutions(cell.source, where, MARKDOWN_PLACEHOLDER)
    return copy


def read_notebook(path: Path) -> nbformat.NotebookNode:
    """The notebook in ``path``, validated (:func:`autograd.files.read_limited`, at most 50 MiB).

    Raises:
        ValueError: Not a regular file, too large, not JSON, or not a valid notebook (one line).
    """
    try:
        text = read_limited(path, MAX_NOTEBOOK_BYTES, "notebook").decode("utf-8")
        nb = nbformat.reads(text, as_version=4)
        nbformat.validate(nb)
    except OSError as error:
        raise ValueError(f"cannot read {path}: {error.strerror or error}") from None
    except nbformat.ValidationError as error:
        raise ValueError(f"{path} is not a valid notebook: {str(error.message)[:200]}") from None
    except ValueError as error:  # not UTF-8, not JSON, an unsupported nbformat version
        raise ValueError(f"{path} is not a notebook: {str(error)[:200]}") from None
    except (KeyError, TypeError, AttributeError) as error:  # nbformat's upgrade of a malformed file
        raise ValueError(f"{path} is not a valid notebook: {type(error).__name__} {str(error)[:200]}") from None
    return nb


def write_student_copies(paths: Sequence[Path], out: Path) -> list[Path]:
    """Write one student copy per notebook of ``paths`` into ``out``; the paths written.

    Every copy is made before the first is written, so a refused notebook writes nothing.

    Raises:
        ValueError: ``out`` is the folder of one of the notebooks (the copy would
            overwrite it), or a notebook is refused (see :func:`student_copy`).
    """
    for path in paths:
        if out.exists() and path.parent.resolve() == out.resolve():
            raise ValueError(
                f"--out {out} is the folder of {path}: the student copy would overwrite the notebook; "
                "choose another folder"
            )
    copies = [(path.name, student_copy(read_notebook(path), path.name)) for path in paths]
    out.mkdir(parents=True, exist_ok=True)
    return [write_atomic(out / name, nbformat.writes(copy) + "\n") for name, copy in copies]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("notebooks", nargs="+", type=Path, help="the .ipynb files")
    job = parser.add_mutually_exclusive_group(required=True)
    job.add_argument("--out", type=Path, help="folder for the student copies")
    job.add_argument("--clean", action="store_true", help="strip outputs in place")
    job.add_argument("--nbgrader", action="store_true", help="write nbgrader's metadata on the exercise cells in place")
    args = parser.parse_args(argv)
    try:
        if args.clean or args.nbgrader:
            edit = (lambda nb, name: clean(nb)) if args.clean else with_nbgrader
            edited = [(path, edit(read_notebook(path), path.name)) for path in args.notebooks]
            for path, nb in edited:
                write_atomic(path, nbformat.writes(nb) + "\n")
            print(f"{'cleaned' if args.clean else 'wrote nbgrader metadata into'} {len(edited)} notebook(s)")
        else:
            written = write_student_copies(args.notebooks, args.out)
            print(f"wrote {len(written)} student cop{'y' if len(written) == 1 else 'ies'} to {args.out}")
    except (ValueError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

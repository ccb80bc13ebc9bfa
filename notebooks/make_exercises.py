r"""Student copies of the teaching notebooks, and the exercise convention they rely on.

An exercise is a **solution cell** followed by a **check cell** (see
``notebooks/README.md``). The solution cell's first line names the answer,
``# ANSWER: name1, name2``; the solution sits between ``# BEGIN SOLUTION`` and
``# END SOLUTION`` lines. A student copy replaces each such block, markers
included, by

    # YOUR CODE HERE
    raise NotImplementedError("exercise")

at the indentation of the ``# BEGIN SOLUTION`` line, and drops every output.

Usage::

    python notebooks/make_exercises.py --out build/exercises notebooks/*.ipynb
    python notebooks/make_exercises.py --clean notebooks/*.ipynb

The first writes one student copy per notebook into ``--out``; the second
strips outputs and execution counts from the notebooks in place (they are
stored clean). Every file goes through ``autograd.files.write_atomic``.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import nbformat

from autograd.files import write_atomic

BEGIN = "# BEGIN SOLUTION"
END = "# END SOLUTION"
PLACEHOLDER = ("# YOUR CODE HERE", 'raise NotImplementedError("exercise")')
ANSWER = re.compile(r"#\s*ANSWER:\s*(?P<names>[A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*)\s*$")


@dataclass(frozen=True)
class Exercise:
    """One exercise of a notebook: where its cells are and what it answers.

    Attributes:
        solution: Index (in ``nb.cells``) of the solution cell.
        check: Index of the check cell, the next code cell.
        answers: The names on the solution cell's ``# ANSWER:`` line.
    """

    solution: int
    check: int
    answers: tuple[str, ...]


def has_solution(source: str) -> bool:
    """Whether a cell's source holds a ``# BEGIN SOLUTION`` line."""
    return any(line.strip() == BEGIN for line in source.splitlines())


def strip_solutions(source: str, where: str = "cell") -> str:
    """``source`` with every solution block replaced by the placeholder.

    Raises:
        ValueError: A ``BEGIN`` without its ``END``, an ``END`` without a
            ``BEGIN``, or nested blocks; the message names ``where``.
    """
    out: list[str] = []
    inside = False
    for number, line in enumerate(source.splitlines(), start=1):
        marker = line.strip()
        if marker == BEGIN:
            if inside:
                raise ValueError(f"{where}, line {number}: {BEGIN!r} inside another solution block")
            inside = True
            indent = line[: len(line) - len(line.lstrip())]
            out.extend(indent + text for text in PLACEHOLDER)
        elif marker == END:
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


def exercises(nb: nbformat.NotebookNode, name: str = "notebook") -> list[Exercise]:
    """The exercises of ``nb``, in order.

    Raises:
        ValueError: A solution cell without its ``# ANSWER:`` line, or not
            followed by a code cell with an ``assert`` (the check).
    """
    found = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or not has_solution(cell.source):
            continue
        where = f"{name} cell {index}"
        answers = answer_names(cell.source, where)
        check = next((i for i in range(index + 1, len(nb.cells)) if nb.cells[i].cell_type == "code"), None)
        if check is None or "assert" not in nb.cells[check].source or has_solution(nb.cells[check].source):
            raise ValueError(f"{where}: a solution cell must be followed by a check cell (a code cell with assert)")
        found.append(Exercise(index, check, answers))
    return found


def clean(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """``nb`` without outputs or execution counts (changed in place and returned)."""
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        cell.metadata.pop("execution", None)
    return nb


def student_copy(nb: nbformat.NotebookNode, name: str = "notebook") -> nbformat.NotebookNode:
    """A clean copy of ``nb`` with every solution replaced by the placeholder."""
    copy = clean(nbformat.from_dict(nb))
    exercises(copy, name)  # every solution cell well formed
    for index, cell in enumerate(copy.cells):
        if cell.cell_type == "code" and has_solution(cell.source):
            cell.source = strip_solutions(cell.source, f"{name} cell {index}")
    return copy


def write_student_copies(paths: Sequence[Path], out: Path) -> list[Path]:
    """Write one student copy per notebook of ``paths`` into ``out``; the paths written."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for path in paths:
        copy = student_copy(nbformat.read(path, as_version=4), path.name)
        written.append(write_atomic(out / path.name, nbformat.writes(copy) + "\n"))
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("notebooks", nargs="+", type=Path, help="the .ipynb files")
    job = parser.add_mutually_exclusive_group(required=True)
    job.add_argument("--out", type=Path, help="folder for the student copies")
    job.add_argument("--clean", action="store_true", help="strip outputs in place")
    args = parser.parse_args(argv)
    try:
        if args.clean:
            for path in args.notebooks:
                nb = clean(nbformat.read(path, as_version=4))
                write_atomic(path, nbformat.writes(nb) + "\n")
            print(f"cleaned {len(args.notebooks)} notebook(s)")
        else:
            written = write_student_copies(args.notebooks, args.out)
            print(f"wrote {len(written)} student cop{'y' if len(written) == 1 else 'ies'} to {args.out}")
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""A student's score card: which exercises of their notebooks pass.

Runs each notebook from top to bottom in a fresh kernel with errors allowed
(a failed cell does not stop the ones after it), then reads, for each
exercise (a solution cell, which begins with ``# ANSWER:``, and its check
cell, see ``make_exercises.py``),
whether its solution cell or its check cell raised. An exercise passes when
neither did. Prints one block per notebook and a total::

    00_derivatives.ipynb  2/3
      0.1  pass
      0.2  fail  NotImplementedError: exercise
      0.3  pass
    total 2/3

The reason shown is the error's first line: the check's own message (which
names the slip and never the expected value), or the error the student's code
raised.

Usage::

    python notebooks/score_card.py build/exercises            # every notebook in a folder
    python notebooks/score_card.py build/exercises/00_*.ipynb  # or given notebooks

Each notebook runs with its own folder as the working directory, in the
``python3`` kernel (``--kernel`` for another). The exit status is 0 when the
card was made (whatever the score), 1 when a notebook cannot be read or run.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import nbclient
import nbformat
from jupyter_client.kernelspec import NoSuchKernel


def _make_exercises():
    """The sibling script ``make_exercises.py`` (the exercise convention), loaded by its path."""
    name = "make_exercises"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, Path(__file__).resolve().parent / "make_exercises.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


make_exercises = _make_exercises()


@dataclass(frozen=True)
class Result:
    """One exercise on the card: its name (``"0.1"``), whether it passes, and why not."""

    name: str
    passed: bool
    reason: str = ""


def _error(cell: nbformat.NotebookNode) -> str | None:
    """The first line of the error a cell raised, or None."""
    for output in cell.get("outputs", []):
        if output.output_type == "error":
            message = str(output.get("evalue", "")).strip().splitlines()
            return f"{output.get('ename', 'Error')}: {message[0] if message else ''}".rstrip(": ")
    return None


def score(path: Path, kernel: str = "python3", timeout: int = 600) -> list[Result]:
    """Run the notebook ``path`` (errors allowed) and say which of its exercises pass.

    Raises:
        ValueError: ``path`` is not a notebook, or its exercises are not well formed.
    """
    nb = make_exercises.read_notebook(path)
    found = make_exercises.exercises(nb, path.name, copy=True)
    client = nbclient.NotebookClient(
        nb, timeout=timeout, kernel_name=kernel, allow_errors=True,
        resources={"metadata": {"path": str(path.resolve().parent)}},
    )
    client.execute()
    results = []
    for ordinal, exercise in enumerate(found, start=1):
        name = exercise.key or f"{path.stem}#{ordinal}"
        error = _error(nb.cells[exercise.solution]) or _error(nb.cells[exercise.check])
        results.append(Result(name, error is None, error or ""))
    return results


def card(name: str, results: Sequence[Result]) -> str:
    """One notebook's block of the card."""
    passed = sum(result.passed for result in results)
    lines = [f"{name}  {passed}/{len(results)}"]
    for result in results:
        lines.append(f"  {result.name:<4} {'pass' if result.passed else 'fail'}"
                     + (f"  {result.reason[:160]}" if result.reason else ""))
    return "\n".join(lines)


def notebooks(arguments: Sequence[Path]) -> list[Path]:
    """The notebooks named, a folder standing for the ``*.ipynb`` in it (sorted)."""
    paths: list[Path] = []
    for argument in arguments:
        if argument.is_dir():
            found = sorted(argument.glob("*.ipynb"))
            if not found:
                raise ValueError(f"{argument} holds no .ipynb notebook")
            paths.extend(found)
        else:
            paths.append(argument)
    return paths


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("notebooks", nargs="+", type=Path, help="the student's notebooks, or their folder")
    parser.add_argument("--kernel", default="python3", help="the Jupyter kernel to run them in (python3)")
    parser.add_argument("--timeout", type=int, default=600, help="seconds one cell may take (600)")
    args = parser.parse_args(argv)
    total = passed = 0
    try:
        for path in notebooks(args.notebooks):
            results = score(path, args.kernel, args.timeout)
            print(card(path.name, results), flush=True)
            total += len(results)
            passed += sum(result.passed for result in results)
    except (ValueError, OSError, NoSuchKernel, nbclient.exceptions.CellTimeoutError, RuntimeError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"total {passed}/{total}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

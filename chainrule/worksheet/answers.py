r"""The answers file of a worksheet: every number, in one JSON schema (version 1).

``{"format": "chainrule-worksheet", "version": 1, "sizes": [n_0, ..., n_L],
"activation": [one name per layer 1..L], "cost": ..., "lr": ..., "X": n_0×m,
"Y": n_L×m, "W": [n_l×n_{l-1} per layer], "b": [n_l per layer], "Z": [n_l×m
per layer], "A": [n_l×m per layer], "C": number, "delta": [n_l×m per layer],
"dW": [...], "db": [...], "W_next": [...], "b_next": [...]}``

One example per column, lists of lists, layers in order l = 1..L; δ^l =
∂C/∂Z^l of the cost averaged over the m examples (the 1/m inside). The file
holds full precision (floats as Python writes them); the sheet shows them
rounded. A student's filled file uses the same keys, any subset of them.

An answers file is its own problem: :func:`load_answers` rebuilds the
problem (biases held fixed exactly when every ``b_next`` equals ``b`` while
some ``db`` is not 0; the decimals read off the given numbers) and the
solution, and re-solves it to make sure the file is consistent.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from typing import Any

import numpy as np

from chainrule.worksheet.given import problem_from_given, read_json
from chainrule.worksheet.problem import Problem
from chainrule.worksheet.solution import QUANTITIES, Solution, solve

FORMAT = "chainrule-worksheet"
VERSION = 1
GIVEN = ("X", "Y", "W", "b")
"""The given numbers, in the schema's order."""
SETTINGS = ("sizes", "activation", "cost", "lr")
"""The problem's settings."""
KEYS = ("format", "version", *SETTINGS, *GIVEN, *QUANTITIES)
"""Every key of the schema, in its order."""


def answers_dict(problem: Problem, solution: Solution) -> dict[str, Any]:
    """Every number of the worksheet in the schema of the module docstring (plain lists and floats)."""

    def layers(arrays: list[np.ndarray]) -> list[Any]:
        return [array.tolist() for array in arrays]

    return {
        "format": FORMAT,
        "version": VERSION,
        "sizes": problem.sizes,
        "activation": list(problem.activations),
        "cost": problem.cost,
        "lr": problem.lr,
        "X": problem.X.tolist(),
        "Y": problem.Y.tolist(),
        "W": layers(problem.W),
        "b": layers(problem.b),
        "Z": layers(solution.Z),
        "A": layers(solution.A),
        "C": solution.C,
        "delta": layers(solution.delta),
        "dW": layers(solution.dW),
        "db": layers(solution.db),
        "W_next": layers(solution.W_next),
        "b_next": layers(solution.b_next),
    }


def answers_json(problem: Problem, solution: Solution) -> str:
    """:func:`answers_dict` as JSON text, one key per line."""
    data = answers_dict(problem, solution)
    lines = [f"  {json.dumps(key)}: {json.dumps(value)}" for key, value in data.items()]
    return "{\n" + ",\n".join(lines) + "\n}\n"


def check_format(data: object, what: str) -> Mapping[str, Any]:
    """``data`` if it is a JSON object whose ``format``/``version`` (when present) are this schema's."""
    if not isinstance(data, Mapping):
        raise ValueError(f"{what} must hold a JSON object, got {type(data).__name__}")
    if data.get("format", FORMAT) != FORMAT or data.get("version", VERSION) != VERSION:
        raise ValueError(
            f"{what} is format {data.get('format')!r} version {data.get('version')!r}; "
            f"expected {FORMAT!r} version {VERSION}"
        )
    unknown = [key for key in data if key not in KEYS]
    if unknown:
        raise ValueError(
            f"{what} has an unknown key {unknown[0]!r}; the keys are: {', '.join(KEYS)}"
        )
    return data


def answers_problem(
    data: Mapping[str, Any], what: str = "answers file"
) -> tuple[Problem, Solution]:
    """The problem and solution of an answers file's contents, re-solved and compared with it.

    Raises:
        ValueError: Not this schema, a missing key, or numbers that are not the solution of the
            problem they come with (the message names the first quantity that differs).
    """
    check_format(data, what)
    missing = [key for key in KEYS if key not in data]
    if missing:
        raise ValueError(
            f"{what} has no {missing[0]!r}: an answers file holds every key of the schema"
        )
    db = [np.asarray(v, dtype=float) for v in data["db"]]
    fixed = all(
        np.array_equal(np.asarray(n, float), np.asarray(b, float))
        for n, b in zip(data["b_next"], data["b"])
    )
    fixed = fixed and any(np.any(d != 0) for d in db)
    given = {key: data[key] for key in (*GIVEN, "activation", "cost", "lr", "sizes")}
    problem = problem_from_given({**given, "fixed_biases": fixed})
    solution = solve(problem)
    stored = answers_dict(problem, solution)
    for key in QUANTITIES:
        if not np.allclose(_flat(stored[key]), _flat(data[key]), rtol=1e-9, atol=1e-12):
            raise ValueError(f"{what}: {key} is not the solution of the problem the file gives")
    return problem, solution


def _flat(value: Any) -> np.ndarray:
    if isinstance(value, list) and value and isinstance(value[0], list):
        return np.concatenate([np.asarray(v, dtype=float).ravel() for v in value])
    return np.asarray(value, dtype=float).ravel()


def load_answers(path: str | os.PathLike[str]) -> tuple[Problem, Solution]:
    """The problem and solution of the answers file ``path`` (see :func:`answers_problem`)."""
    return answers_problem(read_json(path, "answers file"), f"answers file {path}")

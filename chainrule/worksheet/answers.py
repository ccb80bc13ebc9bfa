r"""The answers file of a worksheet: every setting that made the sheet and every number, in one JSON schema (version 2).

``{"format": "chainrule-worksheet", "version": 2, "sheet": ID, "sizes": [n_0, ..., n_L],
"activation": [one name per layer 1..L], "cost": ..., "classes": K or null, "lr": ...,
"fixed_biases": bool, "decimals": d, "seed": s or null, "X": n_0×m, "Y": n_L×m,
"W": [n_l×n_{l-1} per layer], "b": [n_l per layer], "Z": [n_l×m per layer],
"A": [n_l×m per layer], "C": number, "delta": [n_l×m per layer], "dW": [...],
"db": [...], "W_next": [...], "b_next": [...]}``

One example per column, lists of lists, layers in order l = 1..L (the
file's lists count from 0: ``W[0]`` is W^1, ``W[0][1][0]`` is w^1_21); δ^l =
∂C/∂Z^l of the cost averaged over the m examples (the 1/m inside). The file
holds full precision (floats as Python writes them); the sheet shows them
rounded. ``seed`` is the seed the numbers were drawn with (null for a given
file's numbers: the numbers themselves are in the file either way); ``sheet``
is :func:`sheet_id`, a fingerprint of the settings and given numbers, so a
filled file made for another sheet is recognised.

The settings and the given numbers alone reproduce the sheet: :func:`answers_problem`
rebuilds the problem from them, re-solves it, and makes sure the stored
numbers are its solution. A student's filled file (and the template of
:func:`template_dict`) uses the same keys: the settings and given numbers
(so the checker can recompute the solution without the answers), and any
subset of the computed numbers, ``null`` where left out.

Version 1 files (no ``fixed_biases``, ``decimals``, ``seed``, ``sheet``) are
still read: the biases count as fixed when every ``b_next`` equals ``b``
while some ``db`` is not 0, and the decimals are read off the given numbers.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from typing import Any

import numpy as np

from chainrule.worksheet.given import problem_from_given, read_json, short_message
from chainrule.worksheet.problem import Problem
from chainrule.worksheet.solution import QUANTITIES, Solution, solve

FORMAT = "chainrule-worksheet"
VERSION = 2
VERSIONS = (1, 2)
"""The versions read (version 1 lacks the settings after ``lr``)."""
GIVEN = ("X", "Y", "W", "b")
"""The given numbers, in the schema's order."""
SETTINGS = ("sizes", "activation", "cost", "classes", "lr", "fixed_biases", "decimals", "seed")
"""Every setting that made the sheet."""
KEYS = ("format", "version", "sheet", *SETTINGS, *GIVEN, *QUANTITIES)
"""Every key of the schema, in its order."""


def problem_settings(problem: Problem, seed: int | None = None) -> dict[str, Any]:
    """The settings of ``problem`` as the schema writes them (``seed``: what the numbers were drawn with)."""
    return {
        "sizes": problem.sizes,
        "activation": list(problem.activations),
        "cost": problem.cost,
        "classes": getattr(problem, "classes", None),
        "lr": problem.lr,
        "fixed_biases": problem.fixed_biases,
        "decimals": problem.decimals,
        "seed": seed,
    }


def given_numbers(problem: Problem) -> dict[str, Any]:
    """X, Y, W, b as plain lists."""
    return {
        "X": problem.X.tolist(),
        "Y": problem.Y.tolist(),
        "W": [W.tolist() for W in problem.W],
        "b": [b.tolist() for b in problem.b],
    }


def sheet_id(problem: Problem) -> str:
    """A fingerprint of the sheet: the first 12 hex digits of the SHA-256 of its settings and
    given numbers (the seed left out: the same numbers are the same sheet)."""
    settings = {k: v for k, v in problem_settings(problem).items() if k != "seed"}
    text = json.dumps({**settings, **given_numbers(problem)}, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def answers_dict(problem: Problem, solution: Solution, seed: int | None = None) -> dict[str, Any]:
    """Every setting and number of the worksheet in the schema of the module docstring (plain lists and floats)."""

    def layers(arrays: list[np.ndarray]) -> list[Any]:
        return [array.tolist() for array in arrays]

    return {
        "format": FORMAT,
        "version": VERSION,
        "sheet": sheet_id(problem),
        **problem_settings(problem, seed),
        **given_numbers(problem),
        "Z": layers(solution.Z),
        "A": layers(solution.A),
        "C": solution.C,
        "delta": layers(solution.delta),
        "dW": layers(solution.dW),
        "db": layers(solution.db),
        "W_next": layers(solution.W_next),
        "b_next": layers(solution.b_next),
    }


def template_dict(problem: Problem, seed: int | None = None) -> dict[str, Any]:
    """The answers file's shape for a student to fill: the settings and given numbers as they
    are (the sheet prints them), every computed number ``null``."""
    blank = answers_dict(problem, solve(problem), seed)

    def nulls(value: Any) -> Any:
        return [nulls(v) for v in value] if isinstance(value, list) else None

    return {key: nulls(value) if key in QUANTITIES else value for key, value in blank.items()}


def json_text(data: Mapping[str, Any]) -> str:
    """``data`` as JSON text, one key per line."""
    lines = [f"  {json.dumps(key)}: {json.dumps(value, allow_nan=False)}" for key, value in data.items()]
    return "{\n" + ",\n".join(lines) + "\n}\n"


def answers_json(problem: Problem, solution: Solution, seed: int | None = None) -> str:
    """:func:`answers_dict` as JSON text, one key per line."""
    return json_text(answers_dict(problem, solution, seed))


def check_format(data: object, what: str) -> Mapping[str, Any]:
    """``data`` if it is a JSON object whose ``format``/``version`` (when present) are this schema's."""
    if not isinstance(data, Mapping):
        raise ValueError(f"{what} must hold a JSON object, got {type(data).__name__}")
    if data.get("format", FORMAT) != FORMAT or data.get("version", VERSION) not in VERSIONS:
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


def has_problem(data: Mapping[str, Any]) -> bool:
    """True when ``data`` holds the given numbers and the settings a sheet is made from."""
    return all(key in data for key in (*GIVEN, "activation", "cost", "lr"))


def problem_of(data: Mapping[str, Any], what: str) -> Problem:
    """The problem the settings and given numbers of ``data`` describe (version 1: fixed biases inferred)."""
    if not has_problem(data):
        missing = next(k for k in (*GIVEN, "activation", "cost", "lr") if k not in data)
        raise ValueError(f"{what} has no {missing!r}, so it does not say which sheet it is for")
    keys = (*GIVEN, "activation", "cost", "lr", "sizes", "fixed_biases", "decimals")
    given = {key: data[key] for key in keys if data.get(key) is not None}
    if data.get("classes") is not None:
        given["classes"] = data["classes"]
    if "fixed_biases" not in data and all(key in data for key in ("db", "b_next")):
        fixed = all(
            np.array_equal(np.asarray(n, float), np.asarray(b, float))
            for n, b in zip(data["b_next"], data["b"])
        )
        given["fixed_biases"] = fixed and any(np.any(np.asarray(d, float) != 0) for d in data["db"])
    try:
        return problem_from_given(given)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{what}: {error}") from None


def answers_problem(
    data: Mapping[str, Any], what: str = "answers file"
) -> tuple[Problem, Solution]:
    """The problem and solution of an answers file's contents, re-solved and compared with it.

    Raises:
        ValueError: Not this schema, a missing key, or numbers that are not the solution of the
            problem they come with (the message names the first quantity that differs).
    """
    check_format(data, what)
    required = [key for key in KEYS if key not in SETTINGS[3:] and key != "sheet"]
    missing = [key for key in required if key not in data]
    if missing:
        raise ValueError(
            f"{what} has no {missing[0]!r}: an answers file holds every key of the schema"
        )
    problem = problem_of(data, what)
    solution = solve(problem)
    stored = answers_dict(problem, solution)
    for key in QUANTITIES:
        if not np.allclose(_flat(stored[key]), _flat(data[key]), rtol=1e-9, atol=1e-12):
            raise ValueError(f"{what}: {key} is not the solution of the problem the file gives")
    if data.get("sheet") not in (None, stored["sheet"]):
        raise ValueError(f"{what}: its sheet id {data['sheet']!r} is not the one of its own numbers")
    return problem, solution


def _flat(value: Any) -> np.ndarray:
    if isinstance(value, list) and value and isinstance(value[0], list):
        return np.concatenate([np.asarray(v, dtype=float).ravel() for v in value])
    return np.asarray(value, dtype=float).ravel()


def load_answers(path: str | os.PathLike[str]) -> tuple[Problem, Solution]:
    """The problem and solution of the answers file ``path`` (see :func:`answers_problem`)."""
    data = read_json(path, "answers file")
    try:
        return answers_problem(data, f"answers file {path}")
    except (TypeError, ValueError) as error:
        raise ValueError(short_message(str(error))) from None

r"""A textbook's problem read from a given file: the weights, inputs and targets of a worked example.

The file is JSON with the keys of the answers file (so an answers file is a
given file too; its computed quantities are ignored):

* ``W``: ``[W^1, ..., W^L]``, W^l a list of n_l rows of n_{l-1} numbers
  (row j = receiving neuron, column k = sending neuron: w^l_jk);
* ``b``: ``[b^1, ..., b^L]``, b^l a list of n_l numbers, or ONE number shared
  by every neuron of layer l (``[0.35, 0.60]``);
* ``X``: n_0 rows of m numbers (one example per column), or a flat list of n_0
  numbers for one example; ``Y`` likewise with n_L rows;
* optional: ``activation`` (one name, or one per layer l = 1..L), ``cost``,
  ``lr``, ``fixed_biases`` (true: the step of gradient descent leaves the biases
  as given), ``decimals`` (of the given numbers; read off them when absent),
  ``sizes`` (checked against the shapes).

Settings passed to :func:`problem_from_given` (the command line's options)
take precedence over the file's.
"""

from __future__ import annotations

import json
import math
import numbers
import os
from collections.abc import Mapping
from typing import Any

import numpy as np

from autograd.files import NotARegularFile, read_limited
from chainrule.worksheet.problem import MAX_GIVEN_BYTES, Problem, given_decimals
from nn.matrices import layer_arrays, matrix

GIVEN_KEYS = ("W", "b", "X", "Y", "activation", "cost", "lr", "fixed_biases", "decimals", "sizes")
"""The keys a given file may set."""
ANSWER_KEYS = (
    "format", "version", "sheet", "seed", "classes", "Z", "A", "C", "delta", "dW", "db", "W_next", "b_next"
)
"""The keys of an answers file that a given file ignores."""

DEFAULTS: dict[str, Any] = {
    "activation": "sigmoid",
    "cost": "quadratic",
    "lr": 0.5,
    "fixed_biases": False,
}
"""Settings a given file may leave out."""


class _NumberRefused(ValueError):
    """A number in a worksheet file that no float can hold."""


def _excerpt(text: str, limit: int = 24) -> str:
    """``text`` cut to ``limit`` characters, with its length when cut (a file's content may be huge)."""
    return text if len(text) <= limit else f"{text[:limit]}... ({len(text):,} characters)"


def _json_int(text: str) -> int:
    """An integer of a worksheet file, refused when no float holds it (it is used as one)."""
    try:
        if len(text) <= 400:
            float(int(text))
            return int(text)
    except OverflowError:
        pass
    raise _NumberRefused(f"the number {_excerpt(text)} is too large for a float")


def _json_float(text: str) -> float:
    """A float of a worksheet file, refused when it overflows (``1e400``)."""
    value = float(text)
    if not math.isfinite(value):
        raise _NumberRefused(f"the number {_excerpt(text)} is too large for a float")
    return value


def _json_constant(text: str) -> float:
    """``NaN``, ``Infinity``, ``-Infinity``: Python reads them, JSON has no such numbers."""
    raise _NumberRefused(f"{text} is not a number of JSON (leave a number out with null)")


def read_json(path: str | os.PathLike[str], what: str) -> Any:
    """The JSON in ``path``, or a ValueError naming the file.

    Read by :func:`autograd.files.read_limited` (a regular file of at most
    :data:`MAX_GIVEN_BYTES`); every number must fit a float (no ``NaN``,
    ``Infinity``, ``1e400`` or 400-digit integer).
    """
    try:
        data = read_limited(path, MAX_GIVEN_BYTES, what)
    except NotARegularFile as error:
        raise ValueError(str(error)) from None
    except OSError as error:
        raise ValueError(f"cannot read {what} {path}: {error.strerror or error}") from None
    try:
        return json.loads(
            data.decode("utf-8"),
            parse_int=_json_int,
            parse_float=_json_float,
            parse_constant=_json_constant,
        )
    except _NumberRefused as error:
        raise ValueError(f"{what} {path}: {error}") from None
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
        raise ValueError(f"{what} {path} is not JSON: {error}") from None


def _columns(value: object, what: str) -> np.ndarray:
    """A matrix with one example per column; a flat list of numbers is one example."""
    if isinstance(value, list) and value and all(isinstance(x, numbers.Real) for x in value):
        value = [[x] for x in value]
    return np.array(matrix(value, what))


def _biases(value: object, weights: list) -> list:
    """``b`` with a single number per layer expanded to one per neuron of that layer."""
    if not isinstance(value, list):
        raise TypeError(
            f"b must be a list with one entry per layer, got {type(value).__name__}: {value!r:.60}"
        )
    return [
        [b] * len(W)
        if isinstance(b, numbers.Real) and not isinstance(b, bool) and isinstance(W, list)
        else b
        for b, W in zip(value, weights)
    ] + value[len(weights) :]


def problem_from_given(data: Mapping[str, Any], **settings: Any) -> Problem:
    """The :class:`Problem` of a given file's contents (see the module docstring).

    Args:
        data: The parsed JSON object.
        settings: ``activation``, ``cost``, ``lr``, ``fixed_biases``, ``decimals``
            overriding the file's (a None value is ignored).

    Raises:
        TypeError: Entries of the wrong type.
        ValueError: A missing or unknown key, shapes that do not fit, a bad setting.
    """
    if not isinstance(data, Mapping):
        raise TypeError(f"a given file holds a JSON object, got {type(data).__name__}")
    unknown = [key for key in data if key not in GIVEN_KEYS and key not in ANSWER_KEYS]
    if unknown:
        raise ValueError(
            f"unknown key {unknown[0]!r} in the given file; expected: {', '.join(GIVEN_KEYS)}"
        )
    missing = [key for key in ("W", "b", "X", "Y") if key not in data]
    if missing:
        raise ValueError(f"the given file has no {missing[0]!r}; it needs W, b, X and Y")
    Ws, bs = layer_arrays(data["W"], _biases(data["b"], data["W"]))
    W = [np.array(w) for w in Ws]
    b = [np.array(v) for v in bs or []]
    X, Y = _columns(data["X"], "X"), _columns(data["Y"], "Y")
    chosen = {key: data.get(key, default) for key, default in DEFAULTS.items()}
    chosen.update({key: value for key, value in settings.items() if value is not None})
    if isinstance(chosen["activation"], str) and "," in chosen["activation"]:
        chosen["activation"] = [name.strip() for name in chosen["activation"].split(",")]
    if not isinstance(chosen["fixed_biases"], bool):
        raise TypeError(f"fixed_biases must be true or false, got {chosen['fixed_biases']!r}")
    decimals = chosen.get("decimals", data.get("decimals")) or given_decimals([*W, *b, X, Y])
    if "sizes" in data and list(data["sizes"]) != [W[0].shape[1], *(w.shape[0] for w in W)]:
        raise ValueError(
            f"sizes {data['sizes']} do not fit the shapes of W ({[w.shape for w in W]})"
        )
    problem = Problem(
        W,
        b,
        X,
        Y,
        chosen["activation"],
        chosen["cost"],
        chosen["lr"],
        chosen["fixed_biases"],
        decimals,
    )
    check_finite(problem)
    return problem


def check_finite(problem: Problem) -> None:
    """A ValueError naming the first quantity of the solution that is not a finite number.

    Numbers each a float may still overflow when combined (w = 1e308 twice
    gives z = inf, and then σ(inf), inf - inf = nan): such a problem is no
    hand calculation, and is refused before a sheet shows ``inf`` or an
    answers file ``Infinity``. NumPy's warnings are silenced while it is solved.
    """
    from chainrule.worksheet.solution import QUANTITIES, solve

    with np.errstate(all="ignore"):
        solution = solve(problem)
    for name in QUANTITIES:
        value = getattr(solution, name)
        for l, array in enumerate(value if isinstance(value, list) else [value], start=1):
            flat = np.asarray(array, dtype=float).ravel()
            if not np.all(np.isfinite(flat)):
                layer = f"^{l}" if isinstance(value, list) else ""
                raise ValueError(
                    f"{name}{layer} would hold {flat[~np.isfinite(flat)][0]}: the given numbers overflow "
                    "a float when combined; give the numbers of a hand calculation"
                )


def short_message(text: str, limit: int = 300) -> str:
    """``text`` cut to ``limit`` characters: a message may quote a file's content, megabytes of it."""
    return text if len(text) <= limit else f"{text[:limit]}... (cut; {len(text):,} characters)"


def load_given(path: str | os.PathLike[str], **settings: Any) -> Problem:
    """The :class:`Problem` of the given file ``path`` (see :func:`problem_from_given`).

    Raises:
        ValueError: The file is unreadable, too large, not JSON, or not a problem (the message names it).
    """
    data = read_json(path, "given file")
    try:
        return problem_from_given(data, **settings)
    except (TypeError, ValueError) as error:
        raise ValueError(short_message(f"given file {path}: {error}")) from None

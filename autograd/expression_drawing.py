r"""Draw the graph of an arithmetic expression: the library side of ``chainrule draw``.

:func:`draw_expression` parses the expression (:mod:`autograd.expression`,
never ``eval``), builds its graph from the named variables, runs
``backward()`` from it and writes the picture and/or the step-through. It does
all the checking, so it serves Python callers and the command line alike::

    drawn = draw_expression("x*y + tanh(x)", {"x": 2.0, "y": -3.0}, output="graph.svg")
    drawn.variables["x"].grad      # d out / dx = y + 1 - tanh(x)^2

Variable names are read as Python reads identifiers: normalised to NFKC
(``unicodedata.normalize``), so the fullwidth ``ｘ`` is ``x``; two values for
one name are an error. Work is bounded: see the limits of
:func:`autograd.render.draw_dot` (``max_nodes``, ``timeout``) and of
:func:`autograd.steps.save_steps` (``max_frames``, ``max_bytes``).
"""

from __future__ import annotations

import numbers
import os
import unicodedata
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, NamedTuple

from autograd.draw_options import DrawOptions, resolve_options
from autograd.expression import check_variable_name, evaluate_expression
from autograd.render import check_output_path, draw_dot, write_graph
from autograd.steps import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_FRAMES,
    SavedSteps,
    backward_steps,
    save_steps,
)
from autograd.value import Value

EXPRESSION_DEFAULTS = DrawOptions(edge_labels=True)
"""Options of an expression's drawing: edges labelled with local derivatives."""


class DrawnExpression(NamedTuple):
    """What :func:`draw_expression` computed and wrote.

    Attributes:
        root: The expression's value (labelled ``out`` unless it had a label),
            after ``backward()``.
        variables: Normalised name -> the leaf ``Value`` (its ``grad`` is
            d out / d name).
        picture: The picture written, or None.
        steps: The step-through written (frames and page), or None.
    """

    root: Value
    variables: dict[str, Value]
    picture: Path | None
    steps: SavedSteps | None


def normalized_variables(
    variables: Mapping[str, float] | Iterable[tuple[str, float]],
) -> dict[str, float]:
    """Names normalised as Python reads identifiers (NFKC), each given once, values as floats.

    Args:
        variables: Name -> number, or ``(name, number)`` pairs (as ``--var`` gives them).

    Raises:
        ValueError: Two entries name the same variable once normalised, a name
            is not an identifier or names a function, or a value is not a
            finite-or-infinite real number that fits a float.
    """
    pairs = list(variables.items() if isinstance(variables, Mapping) else variables)
    spelled: dict[str, list[str]] = {}
    values: dict[str, float] = {}
    for name, number in pairs:
        if not isinstance(name, str):
            raise TypeError(f"variable names must be str, got {type(name).__name__}: {name!r}")
        plain = unicodedata.normalize("NFKC", name)
        check_variable_name(plain)
        spelled.setdefault(plain, []).append(name)
        if isinstance(number, bool) or not isinstance(number, numbers.Real):
            raise TypeError(f"variable {plain!r} must be a real number, got {number!r}")
        try:
            values[plain] = float(number)
        except OverflowError:
            raise ValueError(f"variable {plain!r}: {number!r} is too large for a float") from None
    repeated = {p: names for p, names in spelled.items() if len(names) > 1}
    if repeated:
        described = "; ".join(
            f"{p!r} (as {', '.join(repr(n) for n in names)})" for p, names in repeated.items()
        )
        raise ValueError(
            f"variable given more than once: {described}; names are compared as Python reads "
            "them (Unicode NFKC: the fullwidth 'ｘ' is 'x')"
        )
    return values


def _check_steps_folder(steps: str | os.PathLike[str] | None) -> None:
    if steps is not None and not os.fspath(steps):
        raise ValueError(
            "the steps folder must not be empty (got ''); give a folder such as 'steps' "
            "('.' for the current folder)"
        )


def draw_expression(
    expression: str,
    variables: Mapping[str, float] | Iterable[tuple[str, float]],
    *,
    output: str | os.PathLike[str] | None = None,
    steps: str | os.PathLike[str] | None = None,
    title: str | None = None,
    options: DrawOptions | None = None,
    max_frames: int | None = DEFAULT_MAX_FRAMES,
    max_bytes: int | None = DEFAULT_MAX_BYTES,
    progress: bool = False,
    **settings: Any,
) -> DrawnExpression:
    r"""Evaluate ``expression``, run backward from it, and write its picture and/or steps.

    Everything that can be checked cheaply (names, the output's extension and
    folder, the steps folder, the size limits) is checked before any file is
    written.

    Args:
        expression: E.g. ``"x*y + tanh(x)"`` (see :mod:`autograd.expression`).
        variables: Name -> number, or ``(name, number)`` pairs.
        output: The picture to write: ``.svg``, ``.png``, ``.pdf`` or ``.dot``.
        steps: A folder for the step-through (see :func:`~autograd.steps.save_steps`:
            the frames of an earlier step-through there are replaced).
        title: Heading of the step-through page (default: ``Backward through EXPR``).
        options: How to draw (edge labels on by default); fields may also be
            given as keywords (``rankdir="TB"``, ``timeout=10``, ``max_nodes=...``).
        max_frames: Most frames of the step-through, one per value (None: no limit).
        max_bytes: Most bytes the step-through writes (None: no limit).
        progress: Show a progress bar (tqdm) while drawing many frames.

    Returns:
        The :class:`DrawnExpression`: the values and the paths written.

    Raises:
        ValueError: Nothing to write, a bad name, expression or path, or a limit
            exceeded (the message names the option that lifts it).
        FileNotFoundError: The output's folder does not exist.
        autograd.render.DrawingTimeout: ``dot`` ran longer than ``timeout``.
    """
    if output is None and steps is None:
        raise ValueError("nothing to write: give an output picture (-o FILE) and/or a steps folder (--steps DIR)")
    if output is not None:
        check_output_path(output)
    _check_steps_folder(steps)
    chosen = resolve_options(options, EXPRESSION_DEFAULTS, settings)
    leaves = {name: Value(x, label=name) for name, x in normalized_variables(variables).items()}
    root = evaluate_expression(expression, leaves)
    if not root.label:
        root.label = "out"
    saved = None
    if steps is not None:
        backward_steps(root, options=chosen, max_frames=max_frames)  # refuse before writing
    root.backward()
    picture = None
    if output is not None:
        picture = write_graph(draw_dot(root, options=chosen), output, timeout=chosen.timeout)
    if steps is not None:
        saved = save_steps(
            root,
            steps,
            title=title or f"Backward through {expression}",
            options=chosen,
            max_bytes=max_bytes,
            progress=progress,
            max_frames=max_frames,
        )
    return DrawnExpression(root, leaves, picture, saved)


__all__ = ["EXPRESSION_DEFAULTS", "DrawnExpression", "draw_expression", "normalized_variables"]

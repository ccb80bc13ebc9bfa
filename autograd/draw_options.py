r"""The options of a drawing, defined once: :class:`DrawOptions`.

Every function that draws (:func:`autograd.render.draw_dot`,
:func:`autograd.steps.backward_steps`, :func:`autograd.steps.save_steps`,
:func:`autograd.expression_drawing.draw_expression`) takes ``options=`` (a
:class:`DrawOptions`) and/or the same settings as keywords
(``draw_dot(L, edge_labels=True)``); :func:`resolve_options` merges the two.
Options are checked when the dataclass is made, so a bad value fails where it
was given, with a message naming the option.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass, fields, replace
from typing import Any

DEFAULT_MAX_NODES = 2000
"""Above this many drawn nodes a drawing is refused (``dot`` gets very slow)."""

DEFAULT_MAX_EDGE_SPAN = 4
"""Edges from a shared value longer than this many levels are drawn from a reference copy."""

DEFAULT_TIMEOUT = 60.0
"""Seconds Graphviz's ``dot`` may take for one drawing (or one whole step-through)."""

RANKDIRS = ("LR", "TB")
"""Accepted layout directions: left to right, top to bottom."""


def _check_limit(value: object, what: str) -> None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
        raise ValueError(f"{what} must be a positive int or None, got {value!r}")


def _check_number_format(number_format: object) -> None:
    if not isinstance(number_format, str):
        raise TypeError(
            f"number_format must be a format spec str such as '.4f', "
            f"got {type(number_format).__name__}"
        )
    try:
        format(1.5, number_format)
    except ValueError as error:
        raise ValueError(
            f"number_format {number_format!r} is not a float format spec "
            f"(expected e.g. '.4f', '.3g', '.2e'): {error}"
        ) from None


MAX_TIMEOUT = 1_000_000.0
"""The longest ``timeout`` in seconds (11.6 days; the operating system waits at most 2**31 ms): None has no limit."""


def _check_timeout(timeout: object) -> None:
    if timeout is None:
        return
    if (
        isinstance(timeout, bool)
        or not isinstance(timeout, numbers.Real)
        or timeout <= 0
        or not timeout <= MAX_TIMEOUT  # NaN and inf fail it; an int of any size compares exactly
    ):
        raise ValueError(
            f"timeout must be a number of seconds in (0, {MAX_TIMEOUT:,.0f}] or None, got {timeout!r}"
        )


@dataclass(frozen=True)
class DrawOptions:
    r"""How a computation graph is drawn.

    Attributes:
        format: Output format of ``.render()`` / ``.pipe()`` (``"svg"``, ``"png"``, ...).
        rankdir: ``"LR"`` (left to right) or ``"TB"`` (top to bottom).
        show_grad: Show each value's ``grad`` field.
        number_format: Format spec of every number (``".4f"``, ``".3g"``).
        edge_labels: Label the edge from operand ``u`` into the operation that
            made ``v`` with the local derivative ∂v/∂u, so that a leaf's
            gradient is the sum over paths to the output of the products of
            the labels along each path.
        color_by_role: Fill values by role (input, parameter, constant,
            intermediate, output) and add a legend.
        clusters: Draw the given groups of nodes as (nested) clusters.
        collapse: Draw each group that has a summary as one box showing the
            summary (for a neuron: ``z``, ``a = f(z)`` and their gradients).
        max_nodes: Refuse to draw more nodes than this (values, operations,
            boxes, references); ``None`` for no limit.
        max_edge_span: A value used by several operations whose uses lie more
            than this many levels apart is drawn once, and its distant uses
            are fed from a dashed reference copy placed beside them (see
            :mod:`autograd.scene`; without it ``dot`` slows down as the square
            of the fan-out). ``None`` draws every edge from the value itself.
        timeout: Seconds ``dot`` may run for one picture, or for all frames of
            a step-through together; ``None`` for no limit.
    """

    format: str = "svg"
    rankdir: str = "LR"
    show_grad: bool = True
    number_format: str = ".4f"
    edge_labels: bool = False
    color_by_role: bool = False
    clusters: bool = True
    collapse: bool = False
    max_nodes: int | None = DEFAULT_MAX_NODES
    max_edge_span: int | None = DEFAULT_MAX_EDGE_SPAN
    timeout: float | None = DEFAULT_TIMEOUT

    def __post_init__(self) -> None:
        if self.rankdir not in RANKDIRS:
            raise ValueError(f"rankdir must be 'LR' or 'TB', got {self.rankdir!r}")
        if not isinstance(self.format, str) or not self.format:
            raise ValueError(f"format must be a non-empty str such as 'svg', got {self.format!r}")
        _check_number_format(self.number_format)
        _check_limit(self.max_nodes, "max_nodes")
        _check_limit(self.max_edge_span, "max_edge_span")
        _check_timeout(self.timeout)


OPTION_NAMES = frozenset(f.name for f in fields(DrawOptions))
"""The names of the fields of :class:`DrawOptions`, accepted as keywords."""


def resolve_options(options: DrawOptions | None, base: DrawOptions, settings: dict[str, Any]) -> DrawOptions:
    """``options`` (or ``base`` when None) with the keyword ``settings`` applied.

    Args:
        options: Options given by the caller, or None.
        base: The defaults of the calling function.
        settings: Field name -> value, given as keywords.

    Raises:
        TypeError: ``options`` is not a DrawOptions, or a keyword is not an option.
    """
    if options is not None and not isinstance(options, DrawOptions):
        raise TypeError(f"options must be a DrawOptions, got {type(options).__name__}")
    unknown = sorted(set(settings) - OPTION_NAMES)
    if unknown:
        raise TypeError(
            f"unknown drawing option(s): {', '.join(unknown)}; "
            f"expected some of: {', '.join(sorted(OPTION_NAMES))}"
        )
    chosen = base if options is None else options
    return replace(chosen, **settings) if settings else chosen


__all__ = [
    "DEFAULT_MAX_EDGE_SPAN",
    "DEFAULT_MAX_NODES",
    "DEFAULT_TIMEOUT",
    "OPTION_NAMES",
    "RANKDIRS",
    "DrawOptions",
    "resolve_options",
]

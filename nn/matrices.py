r"""Weights and biases given by hand: nested lists (or arrays) checked against the layers' shapes.

The curriculum's layout, which :meth:`nn.layers.MLP.from_weights` reads and
:meth:`nn.layers.MLP.weights` / :meth:`nn.layers.MLP.biases` write:

* ``weights[l-1]`` is the matrix W^l of layer l, shape n_l × n_{l-1}: row j is
  the receiving neuron j of layer l, column k the sending neuron k of layer
  l-1, so ``weights[l-1][j-1][k-1]`` is w^l_jk (the notes count from 1);
* ``biases[l-1]`` is the vector b^l, n_l numbers (a column of shape n_l × 1,
  as the vectorized equations hold it, is read as the same vector).

Anything with a ``tolist()`` method (a NumPy array, a torch tensor) is read
through it, so this module imports no array library. Every entry must be a
finite real number; it is kept as the same float, so a round trip is exact.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from typing import Any, TypeGuard

Matrix = list[list[float]]


def _plain(value: object) -> object:
    """``value.tolist()`` for an array or tensor, else ``value`` itself."""
    tolist = getattr(value, "tolist", None)
    return tolist() if callable(tolist) else value


def _is_sequence(value: object) -> TypeGuard[Sequence[Any]]:
    return isinstance(value, Sequence) and not isinstance(value, (str, bytes))


def _number(x: object, what: str) -> float:
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        raise TypeError(f"{what} must be a real number, got {type(x).__name__}: {x!r:.60}")
    try:
        value = float(x)
    except OverflowError:  # an int beyond the largest float, 10**400
        raise ValueError(f"{what} must be finite, got an int of {len(str(abs(math.trunc(x)))):,} digits, too large for a float") from None
    if not math.isfinite(value):
        raise ValueError(f"{what} must be finite, got {value!r}")
    return value


def matrix(value: object, what: str) -> Matrix:
    """A matrix given as a list of rows (or a 2-D array), as lists of floats.

    Raises:
        TypeError: Not a list of rows of real numbers (the message names ``what``).
        ValueError: No rows, an empty row, rows of different lengths, or an entry that is not finite.
    """
    value = _plain(value)
    if not _is_sequence(value):
        raise TypeError(
            f"{what} must be a matrix (a list of rows of numbers), got {type(value).__name__}: {value!r:.60}"
        )
    rows = list(value)
    if not rows:
        raise ValueError(f"{what} has no rows")
    for j, row in enumerate(rows):
        if not _is_sequence(row):
            raise TypeError(
                f"{what} must be a matrix (a list of rows of numbers); its row {j} is "
                f"{type(row).__name__}: {row!r:.60}"
            )
    if not rows[0]:
        raise ValueError(f"{what}: row 0 is empty; a matrix has at least one column")
    for j, row in enumerate(rows):
        if len(row) != len(rows[0]):
            raise ValueError(
                f"{what} must have rows of one length: row 0 has {len(rows[0])} entries, row {j} has {len(row)}"
            )
    return [[_number(x, f"{what}[{j}][{k}]") for k, x in enumerate(row)] for j, row in enumerate(rows)]


def vector(value: object, what: str) -> list[float]:
    """A vector given as a list of numbers, or as a column (a list of one-number rows), as floats.

    Raises:
        TypeError: Not a list of real numbers.
        ValueError: An entry that is not finite, or a matrix with more than one column.
    """
    value = _plain(value)
    if not _is_sequence(value):
        raise TypeError(
            f"{what} must be a vector (a list of numbers), got {type(value).__name__}: {value!r:.60}"
        )
    entries = list(value)
    if entries and all(_is_sequence(x) for x in entries):
        if any(len(x) != 1 for x in entries):
            raise ValueError(f"{what} must be a vector or a column (n × 1), got rows of {len(entries[0])} entries")
        entries = [x[0] for x in entries]
    return [_number(x, f"{what}[{j}]") for j, x in enumerate(entries)]


def _times(rows: int, columns: int) -> str:
    return f"{rows}×{columns}"


def layer_arrays(weights: object, biases: object) -> tuple[list[Matrix], list[list[float]] | None]:
    r"""The matrices W^l and vectors b^l of a network, checked against one another.

    n_0 is the number of columns of W^1; n_l is the length of b^l (or, without
    biases, the number of rows of W^l); W^l must then be n_l × n_{l-1}.

    Args:
        weights: ``[W^1, ..., W^L]``, each a list of rows or a 2-D array.
        biases: ``[b^1, ..., b^L]``, each a vector (or a column), or None for a
            network without biases.

    Returns:
        ``(Ws, bs)`` as plain lists of floats (``bs`` None without biases).

    Raises:
        TypeError: Not lists of matrices and vectors of real numbers.
        ValueError: A count or shape that does not fit, e.g. ``weights[1] (W^2)
            must be 2×3 (n_2 × n_1), got 3×2``.
    """
    weights, biases = _plain(weights), _plain(biases)
    if not _is_sequence(weights) or not weights:
        raise TypeError(f"weights must be a non-empty list of matrices W^1, ..., W^L, got {weights!r:.60}")
    Ws = [matrix(W, f"weights[{i}] (W^{i + 1})") for i, W in enumerate(weights)]
    if biases is None:
        bs = None
        sizes = [len(W) for W in Ws]
    else:
        if not _is_sequence(biases):
            raise TypeError(f"biases must be a list of vectors b^1, ..., b^L (or None), got {biases!r:.60}")
        bs = [vector(b, f"biases[{i}] (b^{i + 1})") for i, b in enumerate(biases)]
        if len(bs) != len(Ws):
            raise ValueError(
                f"weights has {len(Ws)} matrices and biases {len(bs)} vectors: give one of each per layer"
            )
        sizes = [len(b) for b in bs]
        empty = [i for i, n in enumerate(sizes) if n == 0]
        if empty:
            raise ValueError(f"biases[{empty[0]}] (b^{empty[0] + 1}) is empty; every layer has at least one neuron")
    if len(Ws[0]) != sizes[0]:
        raise ValueError(
            f"weights[0] (W^1) must have n_1 = {sizes[0]} rows, one per entry of b^1 (W^l is "
            f"n_l × n_(l-1)), got {_times(len(Ws[0]), len(Ws[0][0]))}"
        )
    dims = [len(Ws[0][0]), *sizes]
    for i, W in enumerate(Ws):
        if (len(W), len(W[0])) != (dims[i + 1], dims[i]):
            raise ValueError(
                f"weights[{i}] (W^{i + 1}) must be {_times(dims[i + 1], dims[i])} (n_{i + 1} × n_{i}), "
                f"got {_times(len(W), len(W[0]))}"
            )
    return Ws, bs

r"""A batch for the equations: ONE EXAMPLE PER COLUMN, checked before anything is computed.

``X`` is (n_0, m) and ``Y`` is (n_L, m): column i is example i. Data sets and
``nn.fit`` store one example per row; transpose at the boundary,
``X = np.array(rows).T``. For a cost with one-hot targets (cross_entropy: one
output per class), ``Y`` is (K, m) one-hot columns or a vector of the m
class indices.
"""

from __future__ import annotations

import math

import numpy as np

from nn.checks import positive_int
from nn.costs import lookup_cost
from nn.layers import MLP

Array = np.ndarray


def check_model(model: object, caller: str, *, finite: bool = True) -> MLP:
    """``model`` if it is an ``nn.MLP`` (with finite parameters, unless ``finite`` is False).

    Raises:
        TypeError: Not an ``nn.MLP`` (the message names ``caller`` and what it got).
        ValueError: A parameter is NaN or infinite (named by its dotted name).
    """
    if not isinstance(model, MLP):
        raise TypeError(f"{caller} expects an nn.MLP as its model, got {type(model).__name__}: {model!r:.80}")
    if not finite:
        return model
    for name, p in model.named_parameters():
        if not math.isfinite(p.data):
            raise ValueError(f"{caller}: the model's parameter {name} is {p.data!r}; parameters must be finite")
    return model


def _finite_array(values: object, what: str, shape_hint: str) -> Array:
    try:
        array = np.asarray(values, dtype=float)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{what} must be an array of numbers of shape {shape_hint}: {error}") from None
    bad = np.argwhere(~np.isfinite(array))
    if len(bad):
        index = tuple(int(i) for i in bad[0])
        raise ValueError(
            f"{what}{list(index)} is {float(array[index])!r}; the batch must hold finite numbers "
            f"({len(bad)} entr{'y is' if len(bad) == 1 else 'ies are'} not)"
        )
    return array


def check_batch(
    model: MLP, X: object, Y: object, caller: str = "compare", cost: str | None = None
) -> tuple[Array, Array]:
    r"""``(X, Y)`` as float arrays of shapes (n_0, m) and (n_L, m), every entry finite.

    A 1-D ``Y`` of m targets is read as one output (shape (1, m)), or, for a
    ``cost`` with one-hot targets (cross_entropy), as the m class indices
    (:meth:`nn.costs.CostArrays.target_columns`).

    Raises:
        TypeError: ``model`` is not an ``nn.MLP``.
        ValueError: A shape that does not fit the model (rows instead of columns
            is pointed out), or an entry that is NaN or infinite (named with its position).
    """
    check_model(model, caller)
    inputs = _finite_array(X, "X", "(n_0, m)")
    targets = _finite_array(Y, "Y", "(n_L, m)")
    n_L = model.sizes[-1]
    if cost is None:
        targets = targets.reshape(1, -1) if targets.ndim == 1 else targets
    else:
        targets = lookup_cost(cost, arrays=True).on_arrays().target_columns(targets, n_L, np)
    if inputs.ndim != 2 or inputs.shape[0] != model.nin:
        transposed = inputs.ndim == 2 and inputs.shape[1] == model.nin
        raise ValueError(
            f"X must have shape (n_0, m) = ({model.nin}, m), one example per COLUMN; got "
            f"{inputs.shape}" + (" (one example per row? pass X.T)" if transposed else "")
        )
    if targets.shape != (n_L, inputs.shape[1]):
        raise ValueError(f"Y must have shape (n_L, m) = ({n_L}, {inputs.shape[1]}), got {targets.shape}")
    return inputs, targets


def random_batch(model: MLP, m: int, cost: str, seed: int = 0) -> tuple[Array, Array]:
    """A seeded batch for ``model``: X ~ N(0, 1) of shape (n_0, m); Y as the cost's record draws
    targets (:meth:`nn.costs.CostArrays.draw_targets`): labels 0 or 1 for bce (both in each row
    when m >= 2), one-hot columns for cross_entropy (every class when m >= n_L), else U(0, 1).

    Raises:
        ValueError: An unknown cost, or one without an array form.
    """
    check_model(model, "random_batch", finite=False)
    positive_int(m, "batch size m")
    arrays = lookup_cost(cost, arrays=True).on_arrays()
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((model.nin, m))
    Y = arrays.draw_targets(rng, (model.sizes[-1], m), 0.0, 1.0, np)
    return X, Y

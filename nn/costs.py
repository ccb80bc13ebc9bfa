r"""The costs: the one registry, :data:`COSTS`, one :class:`Cost` record per cost.

A record holds everything chainrule knows about a cost, so that a cost is
defined once and training, the equations, ``chainrule check`` and the
worksheets all read the same record:

* on ``Value`` objects (training, the engine): ``function``, a loss of
  :mod:`nn.losses` (the mean over the batch), the output activation it expects
  (``output_activation``), its label convention (``labels``, ``encode``) and
  whether a traced tape can replay it (``replayable``);
* on arrays (:mod:`nn.analytic`, ``chainrule check``, the worksheets), when it
  has that side: ``arrays``, a :class:`CostArrays`. Costs without it
  (``arrays=None``) are for training only; :func:`array_costs` lists the others.

The array side is written per example, with ONE EXAMPLE PER COLUMN (``A`` and
``Y`` of shape (n_L, m)): a cost is the mean of the examples' losses,

    C = (1/m) Σ_i ℓ_i,                       ∇_A C = (1/m) ∂ℓ_i/∂a_i (column i),

========== ============================== ===================== =====================
name       ℓ_i                            batch convention      ∂ℓ_i/∂a_i
========== ============================== ===================== =====================
quadratic  ½ ||y_i − a_i||²               1/(2m) Σ_i ||…||²     a_i − y_i
mse        (1/n_L) Σ_j (y_ji − a_ji)²     1/(m n_L) Σ_i Σ_j     2 (a_i − y_i) / n_L
bce        −Σ_j [y ln a + (1−y) ln(1−a)]  −1/m Σ_i Σ_j          (a − y) / (a (1 − a))
cross_     −Σ_j y_j ln a_j = −ln a_{y_i}  −1/m Σ_i               −y / a
entropy    (y_i one-hot, a_i a softmax)
========== ============================== ===================== =====================

A cost may pair with its output activation: then BP1 is not ∇_a C ⊙ f′(z^L)
but the simplified δ^L of the pair (``paired_delta``): for bce on a sigmoid
output, σ′ cancels and ∂ℓ_i/∂z_i = a_i − y_i. The pair is given as a whole
(ℓ_i as a function of z_i), so an output activation that is not elementwise
(a softmax, whose Jacobian is not diagonal) fits the same record: its cost
gives the pair's δ^L and BP1 never needs f′.

Softmax with cross-entropy is such a pair. The softmax is the record
:data:`nn.softmax.SOFTMAX` (a function of the whole layer, not in
``ACTIVATIONS``); the cost's ``output_activation`` stays ``"linear"``, because
on Values the loss (:func:`nn.losses.softmax_cross_entropy`) takes the logits
z^L of a linear output layer, as training does, while on arrays the output
layer is the softmax (``CostArrays.output``): A^L = softmax(Z^L), C = −(1/m)
Σ_i ln a^L_{y_i,i}, and BP1 of the pair is δ^L = (A^L − Y)/m, Y one-hot (the
averaged convention; A^L − Y per example). The targets are one-hot columns
(``one_hot``; a vector of m class indices is read as them:
:meth:`CostArrays.target_columns`), and the loss on Values takes each
column's class index (:meth:`CostArrays.targets_on_values`). Any other cost
on a softmax output goes through the softmax's Jacobian in BP1
(:func:`nn.analytic.output_error`).

Array functions take the array module ``xp`` (NumPy) as an argument, and the
sheet's typesetting functions a typesetter ``t`` (the worksheet's, see
:mod:`chainrule.worksheet.typeset`): this module imports neither, so the
NumPy-free core (``nn.train``) can import it.

How to use it::

    from nn.costs import COSTS, lookup_cost
    COSTS["hinge"](outputs, targets)           # the loss on Values: a record is callable
    lookup_cost("bce").arrays.value(A, Y, np)  # C of a batch of arrays

To add a cost: write its loss on Values (in :mod:`nn.losses`, or anywhere),
and add one :class:`Cost` record to ``_RECORDS`` below (with a
:class:`CostArrays` for the equations and worksheets), or call
:func:`register_cost` with it from your own code.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from autograd import Value
from nn.cost_arrays import CostArrays
from nn.losses import (
    Loss,
    bce_logits_target_numbers,
    bce_target_numbers,
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    cross_entropy_target_numbers,
    hinge_loss,
    hinge_target_numbers,
    mean_squared_error,
    mse_target_numbers,
    quadratic_cost,
    quadratic_target_numbers,
    softmax_cross_entropy,
)


@dataclass(frozen=True)
class Cost:
    r"""One cost of :data:`COSTS`: its loss on Values, the output layer and labels it needs, its arrays.

    Calling the record calls its loss: ``COSTS["hinge"](outputs, targets)``.

    Attributes:
        name: The short name (the key in :data:`COSTS`).
        function: The loss on Values, ``(outputs, targets) -> Value``; with
            ``arrays``, it takes one list of n_L outputs and one of n_L targets
            per example and equals ``arrays.value`` on the same numbers.
        output_activation: f of the output layer the cost expects (``"linear"``
            for scores and logits, ``"sigmoid"`` for probabilities).
        labels: The convention of the targets, for help texts (``"-1/+1"``).
        encode: A class index (0/1, or 0..K-1) to the cost's target.
        per_class: True: one output per class (any K >= 2); False: one output, two classes.
        summary: One line for help texts.
        replayable: True when the graph's shape does not depend on the
            targets' values and Value targets stay in the graph, so that
            ``fit`` can trace one batch and replay it (:func:`autograd.trace`).
            Every built-in cost is.
        example_mean: True when the cost of a batch is the mean of its
            examples' costs, C = (1/m) Σ_i loss([output_i], [target_i]): then
            ``fit`` can trace ONE example and replay it over the whole batch
            at once (``replay="batch"``, :class:`autograd.batch.BatchTape`).
        arrays: The cost on arrays (:class:`CostArrays`), or None (training only).
        target_numbers: For a replayable cost, ``(y, n) -> [numbers]``: one
            example's target, for an output of n numbers, as the numbers a
            traced tape takes, checked by the same code as the loss function
            (so that a replayed batch refuses what the function refuses, with
            the same message).
    """

    name: str
    function: Loss
    output_activation: str
    labels: str
    encode: Callable[[int], int]
    per_class: bool
    summary: str
    replayable: bool = False
    arrays: CostArrays | None = None
    target_numbers: Callable[[object, int], list[float]] | None = None
    example_mean: bool = False

    def __call__(self, outputs: Sequence, targets: Sequence) -> Value:
        return self.function(outputs, targets)

    def output_size(self, classes: int) -> int:
        """n_L, the outputs of a model trained with this cost on ``classes`` classes.

        Raises:
            ValueError: A one-output cost given more than two classes.
        """
        if self.per_class:
            return classes
        if classes != 2:
            raise ValueError(
                f"loss {self.name!r} is for two classes, the data have {classes}: use the loss 'cross_entropy'"
            )
        return 1

    def on_arrays(self) -> CostArrays:
        """The array side, :attr:`arrays`.

        Raises:
            ValueError: The cost has none (the message names those that have one).
        """
        if self.arrays is None:
            raise ValueError(
                f"cost {self.name!r} has no array form (it is for training); "
                f"the equations know: {', '.join(array_costs())}"
            )
        return self.arrays

    @property
    def array_output(self) -> str:
        """The output layer on arrays: ``arrays.output`` (softmax for cross_entropy), else :attr:`output_activation`."""
        return self.arrays.output or self.output_activation if self.arrays is not None else self.output_activation

    def pairs_with(self, output_activation: str) -> bool:
        """True when BP1 is the pair's simplified δ^L (the cost has one for this output activation)."""
        return (
            self.arrays is not None
            and self.arrays.paired_delta is not None
            and output_activation == self.array_output
        )

    def check_output(self, output_activation: str) -> None:
        """A ValueError when the cost cannot take this output activation on arrays
        (bce needs a sigmoid, cross_entropy a softmax)."""
        if self.arrays is not None and self.arrays.pair_required and output_activation != self.array_output:
            raise ValueError(
                f"cost {self.name!r} needs a {self.array_output} output layer "
                f"({self.labels} targets, {self.summary}), got {output_activation!r}"
            )


# -- the array side of the built-in costs (xp: NumPy; t: the worksheet's typesetter) --------


def _difference(t: Any, a: tuple, y: tuple) -> tuple:
    return (t.Op("("), *a, t.Op("−"), *y, t.Op(")"))


def _over_m(t: Any, row: tuple, m: int) -> tuple:
    """``row / m`` as a fraction (``row`` in parentheses loses them), or ``row`` when m = 1."""
    return row if m == 1 else (t.Frac(row[1:-1], (t.Num(m, 0),)),)


def _square_term(t: Any, a: tuple, y: tuple) -> tuple:
    return (*_difference(t, a, y), t.Op("²"))


def _one_over(t: Any, n: int) -> tuple:
    return (t.Frac((t.Num(1, 0),), (t.Num(n, 0),)),)


def _bce_term(t: Any, a: tuple, y: tuple) -> tuple:
    one = t.Num(1, 0)
    return (*y, t.Op("·"), t.Call("ln", a), t.Op("+"), t.Op("("), one, t.Op("−"), *y, t.Op(")"),
            t.Op("·"), t.Call("ln", (one, t.Op("−"), *a)))


def _bce_example_loss(A: Any, Y: Any, xp: Any) -> Any:
    return -xp.sum(Y * xp.log(A) + (1 - Y) * xp.log(1 - A), axis=0)


QUADRATIC = CostArrays(
    "1/(2m)",
    lambda A, Y, xp: 0.5 * xp.sum((A - Y) ** 2, axis=0),
    lambda A, Y, xp: A - Y,
    "the quadratic cost C = 1/(2m) Σ_i ||y_i − a^ℓ_i||², averaged over the m examples",
    lambda t, m, n_L: _one_over(t, 2 * m),
    _square_term,
    lambda t, a, y, m, n_L: _over_m(t, _difference(t, a, y), m),
)
MSE = CostArrays(
    "1/(m n_L)",
    lambda A, Y, xp: xp.mean((A - Y) ** 2, axis=0),
    lambda A, Y, xp: 2.0 * (A - Y) / A.shape[0],
    "the mean squared error C = 1/(m n_L) Σ_i Σ_j (y_j,i − a^L_j,i)², the mean over all outputs",
    lambda t, m, n_L: _one_over(t, m * n_L),
    _square_term,
    lambda t, a, y, m, n_L: (
        t.Frac((t.Num(2, 0), t.Op("·"), *_difference(t, a, y)), (t.Num(m * n_L, 0),)),
    ),
)
BCE = CostArrays(
    "1/m",
    _bce_example_loss,
    lambda A, Y, xp: (A - Y) / (A * (1.0 - A)),
    "the binary cross-entropy C = −1/m Σ_i [y_i ln a^ℓ_i + (1 − y_i) ln(1 − a^ℓ_i)]",
    lambda t, m, n_L: (t.Op("−"), *_one_over(t, m)),
    _bce_term,
    lambda t, a, y, m, n_L: _over_m(t, _difference(t, a, y), m),  # δ^L: σ′ cancels
    terms_per_row=2,
    paired_delta=lambda A, Y, xp: A - Y,
    paired_words="the σ′ of f′ cancels against the cross-entropy: δ^L = (a^L − y)/m",
    pair_required=True,
    label_values=(0.0, 1.0),
    target_range=(0.0, 1.0),
)


def _cross_entropy_example_loss(A: Any, Y: Any, xp: Any) -> Any:
    """−Σ_j y_j ln a_j of each column, with y one-hot: −ln a_{y_i}, the log of the class's probability."""
    return -xp.log(xp.sum(Y * A, axis=0))


def _cross_entropy_term(t: Any, a: tuple, y: tuple) -> tuple:
    return (*y, t.Op("·"), t.Call("ln", a))


CROSS_ENTROPY = CostArrays(
    "1/m",
    _cross_entropy_example_loss,
    lambda A, Y, xp: -Y / A,
    "the cross-entropy C = −1/m Σ_i Σ_j y_j,i ln a^L_j,i = −1/m Σ_i ln a^L_(y_i),i of the softmax "
    "a^L = softmax(z^L) (y one-hot: the mean of −ln of each example's class probability)",
    lambda t, m, n_L: (t.Op("−"), *_one_over(t, m)),
    _cross_entropy_term,
    lambda t, a, y, m, n_L: _over_m(t, _difference(t, a, y), m),  # δ^L: the Jacobian cancels
    paired_delta=lambda A, Y, xp: A - Y,
    paired_words="the softmax's Jacobian a_j (δ_jk − a_k) meets the cross-entropy's −y/a and "
    "leaves δ^L = (a^L − y)/m",
    pair_required=True,
    label_values=(0.0, 1.0),
    target_range=(0.0, 1.0),
    output="softmax",
    one_hot=True,
)


def _signed(c: int) -> int:
    """Class 0/1 as the label -1/+1 of a margin loss."""
    return 2 * c - 1


def _unchanged(c: int) -> int:
    """Class 0/1 (or 0..K-1) as itself."""
    return c


# fmt: off
_RECORDS = (
    Cost("quadratic", quadratic_cost, "sigmoid", "0/1", _unchanged, False,
         "quadratic cost 1/(2m)", replayable=True, arrays=QUADRATIC,
         target_numbers=quadratic_target_numbers, example_mean=True),
    Cost("mse", mean_squared_error, "sigmoid", "0/1", _unchanged, False,
         "mean squared error 1/(m n_L)", replayable=True, arrays=MSE,
         target_numbers=mse_target_numbers, example_mean=True),
    Cost("bce", binary_cross_entropy, "sigmoid", "0/1", _unchanged, False,
         "binary cross-entropy on probabilities", replayable=True, arrays=BCE,
         target_numbers=bce_target_numbers, example_mean=True),
    Cost("bce_logits", binary_cross_entropy_with_logits, "linear", "0/1", _unchanged, False,
         "stable binary cross-entropy from a logit", replayable=True,
         target_numbers=bce_logits_target_numbers, example_mean=True),
    Cost("hinge", hinge_loss, "linear", "-1/+1", _signed, False, "max-margin", replayable=True,
         target_numbers=hinge_target_numbers, example_mean=True),
    Cost("cross_entropy", softmax_cross_entropy, "linear", "0..K-1", _unchanged, True,
         "softmax cross-entropy", replayable=True, arrays=CROSS_ENTROPY,
         target_numbers=cross_entropy_target_numbers, example_mean=True),
)
# fmt: on

COSTS: dict[str, Cost] = {record.name: record for record in _RECORDS}
"""The registry: short name -> :class:`Cost` (the ``train`` command's ``--loss``, ``fit(loss=...)``,
and, for those with arrays, ``cost=`` of :mod:`nn.analytic`, ``chainrule check`` and worksheets)."""


def _key(name: str) -> str:
    return name.lower().replace("-", "_")


def lookup_cost(name: object, *, arrays: bool = False) -> Cost:
    """The record of a registered cost by name (case-insensitive, ``-`` read as ``_``).

    Args:
        name: The cost's name.
        arrays: Require the array side (the equations, ``check``, worksheets).

    Raises:
        ValueError: An unknown name, or one without arrays when ``arrays`` (the message lists the choices).
    """
    key = _key(name) if isinstance(name, str) else name
    choices = array_costs() if arrays else tuple(COSTS)
    if key not in choices:
        raise ValueError(f"unknown cost {name!r}; expected one of: {', '.join(choices)}")
    return COSTS[str(key)]


def array_costs() -> tuple[str, ...]:
    """The names of the costs with an array side, in registry order."""
    return tuple(name for name, record in COSTS.items() if record.arrays is not None)


def resolve_loss(loss: str | Loss) -> tuple[str, Loss]:
    """The ``(name, function)`` of a loss given by short name or as a callable.

    Raises:
        ValueError: An unknown name.
        TypeError: Neither a string nor a callable.
    """
    if isinstance(loss, str):
        key = _key(loss)
        if key not in COSTS:
            raise ValueError(f"unknown loss {loss!r}; expected one of: {', '.join(COSTS)}")
        return key, COSTS[key].function
    if callable(loss):
        return getattr(loss, "__name__", type(loss).__name__), loss
    raise TypeError(f"loss must be a name or a callable, got {type(loss).__name__}: {loss!r}")


def register_cost(cost: Cost) -> Cost:
    """Add ``cost`` to :data:`COSTS`; every consumer reads it from there. Returns it.

    Raises:
        TypeError: Not a :class:`Cost`.
        ValueError: Its name is not a lowercase identifier, or is taken.
    """
    if not isinstance(cost, Cost):
        raise TypeError(f"register_cost takes a Cost record, got {type(cost).__name__}")
    if not cost.name.isidentifier() or cost.name != _key(cost.name):
        raise ValueError(f"a cost's name must be a lowercase identifier, got {cost.name!r}")
    if cost.name in COSTS:
        raise ValueError(f"a cost named {cost.name!r} is already registered")
    COSTS[cost.name] = cost
    return cost


def unregister_cost(name: str) -> None:
    """Remove a cost added with :func:`register_cost`; the built-in ones stay.

    Raises:
        ValueError: A built-in or unknown name.
    """
    if name in _BUILT_IN or name not in COSTS:
        raise ValueError(f"{name!r} is not a cost added with register_cost")
    del COSTS[name]


_BUILT_IN = frozenset(COSTS)

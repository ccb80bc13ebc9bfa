r"""A cost on arrays: :class:`CostArrays`, the array side of a record of :data:`nn.costs.COSTS`.

One example per column (``A`` and ``Y`` of shape (n_L, m)): a cost is the
mean of the examples' losses, C = (1/m) Σ_i ℓ_i, and its record gives L_i,
∂ℓ_i/∂a_i, the pair's δ^L when it pairs with its output layer, how the
worksheet writes it, and how its targets are drawn and read (labels, one-hot
columns). See :mod:`nn.costs` for the built-in ones. Array functions take the
array module ``xp`` (NumPy) as an argument and typesetting functions the
worksheet's typesetter ``t``: this module imports neither.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

BatchFunction = Callable[[Any, Any, Any], Any]
"""``g(A, Y, xp)``: a function of the batch's outputs ``A`` and targets ``Y`` (n_L, m), written with ``xp``."""

Typeset = Callable[..., tuple]
"""A typesetting function: ``(t, ...) -> Row``, where ``t`` is the worksheet's typesetter."""


@dataclass(frozen=True)
class CostArrays:
    r"""A cost on a batch of arrays (one example per column) and as the worksheet writes it.

    Attributes:
        batch: The batch convention, as help texts write it: ``"1/(2m)"``, ``"1/(m n_L)"``, ``"1/m"``.
        example_loss: ``example_loss(A, Y, xp)``, the m losses L_i, shape (m,).
        example_gradient: ``example_gradient(A, Y, xp)``, ∂ℓ_i/∂a_i, shape (n_L, m)
            (the per-example convention's dA; ∇_A C is it divided by m).
        words: The cost in words and symbols, for the sheet.
        typeset_coefficient: ``(t, m, n_L) -> Row``, the factor in front of Σ (``1/(2m)``, ``−1/m``).
        typeset_term: ``(t, a, y) -> Row``, one term of the sum, of one output and example.
        typeset_output_gradient: ``(t, a, y, m, n_L) -> Row``: ∂C/∂a^L_j, the row
            BP1 multiplies by f′; when the cost pairs with the output activation,
            δ^L_j itself (no f′ follows).
        terms_per_row: Terms of the sum on one line of the sheet.
        paired_delta: ``paired_delta(A, Y, xp)``, ∂ℓ_i/∂z_i when the output
            activation is the record's ``output_activation`` (the simplified
            δ^L, times m); None when the cost takes any output activation with BP1.
        paired_words: What happens in the pair, for the sheet ("the σ′ of f′ cancels ...").
        pair_required: True when no other output activation is allowed
            (bce reads probabilities: a sigmoid output).
        label_values: The targets are labels, drawn from these values (0 and 1);
            None: real targets in the output activation's range.
        target_range: The interval every target must lie in, or None.
        output: The output layer on arrays when it is not ``output_activation``
            (the loss on Values then takes that layer's z^L): ``"softmax"`` for
            cross_entropy. None: the output layer is ``output_activation``.
        one_hot: The targets are one-hot columns, one class per example
            (:meth:`target_columns` reads a vector of class indices as them).
    """

    batch: str
    example_loss: BatchFunction
    example_gradient: BatchFunction
    words: str
    typeset_coefficient: Typeset
    typeset_term: Typeset
    typeset_output_gradient: Typeset
    terms_per_row: int = 3
    paired_delta: BatchFunction | None = None
    paired_words: str = ""
    pair_required: bool = False
    label_values: tuple[float, ...] | None = None
    target_range: tuple[float, float] | None = None
    output: str | None = None
    one_hot: bool = False

    def value(self, A: Any, Y: Any, xp: Any) -> float:
        """C = (1/m) Σ_i ℓ_i of the batch."""
        return float(xp.mean(self.example_loss(A, Y, xp)))

    def gradient(self, A: Any, Y: Any, xp: Any) -> Any:
        """∇_A C = ∂ℓ_i/∂a_i / m, shape (n_L, m)."""
        return self.example_gradient(A, Y, xp) / A.shape[1]

    def draw_targets(self, rng: Any, shape: tuple[int, int], low: float, high: float, xp: Any) -> Any:
        """Random targets of ``shape`` (n_L, m): labels, or U(low, high).

        One-hot columns (:attr:`one_hot`) hold every one of the n_L classes
        when m >= n_L; labels from :attr:`label_values` (0 and 1) hold every
        value in each row when m >= 2. Both: each class (value) is dealt once
        per round of n_L (of the values), in a random order, the rounds
        shuffled together, so no class is left out that the batch has room for.
        """
        n_L, m = shape
        if self.one_hot:
            return xp.eye(n_L)[:, _dealt(rng, n_L, m)]
        if self.label_values is not None:
            values = xp.asarray(self.label_values, dtype=float)
            return xp.stack([values[_dealt(rng, len(values), m)] for _ in range(n_L)])
        return rng.uniform(low, high, shape)

    def target_columns(self, Y: Any, n_L: int, xp: Any) -> Any:
        """``Y`` as the (n_L, m) array of targets the equations take.

        For one-hot targets a vector of m class indices 0..n_L-1 becomes
        one-hot columns, and a (n_L, m) array must hold one-hot columns; other
        costs read a vector of m numbers as one output (1, m).

        Raises:
            ValueError: A class index out of 0..n_L-1 or not whole, or a column
                that is not one-hot (each named).
        """
        Y = xp.asarray(Y, dtype=float)
        if not self.one_hot:
            return Y.reshape(1, -1) if Y.ndim == 1 else Y
        if Y.ndim == 1:
            bad = [i for i, y in enumerate(Y.tolist()) if not (y == int(y) and 0 <= y < n_L)]
            if bad:
                raise ValueError(
                    f"Y[{bad[0]}] is {float(Y[bad[0]])!r}: class labels must be indices 0..{n_L - 1} "
                    f"(one per example), or Y one-hot columns of shape (n_L, m) = ({n_L}, m)"
                )
            return xp.eye(n_L)[:, Y.astype(int)]
        if Y.ndim == 2 and Y.shape[0] == n_L:
            one_hot = xp.all((Y == 0) | (Y == 1), axis=0) & (xp.sum(Y, axis=0) == 1)
            if not xp.all(one_hot):
                i = int(xp.argmin(one_hot))
                raise ValueError(
                    f"column {i} of Y is {Y[:, i].tolist()}: each column must be one-hot (a single 1, "
                    "the example's class), or give Y as a vector of m class indices"
                )
        return Y

    def targets_on_values(self, Y: Any) -> list:
        """One target per example (column of ``Y``) as the loss on Values takes it:
        the class index for one-hot targets, else the column's numbers."""
        if self.one_hot:
            return [int(i) for i in Y.argmax(axis=0)]
        return [[float(y) for y in Y[:, i]] for i in range(Y.shape[1])]


def _dealt(rng: Any, k: int, m: int) -> Any:
    """m draws from 0..k-1: rounds of a random permutation of all k, cut to m, shuffled.
    Every value appears when m >= k; each equally often on average."""
    rounds = -(-m // k)
    return rng.permutation([v for _ in range(rounds) for v in rng.permutation(k)][:m])

r"""The problem of a worksheet: a small network, its given numbers, and the checks that keep it hand-sized.

A :class:`Problem` holds what a student is given, in the curriculum's layout
(one example per COLUMN; ``W[l-1][j, k]`` is w^l_jk, from neuron k of layer
l-1 to neuron j of layer l):

* ``W[l-1]`` = W^l (n_l × n_{l-1}) and ``b[l-1]`` = b^l (n_l numbers), l = 1..L;
* ``X`` (n_0 × m), the inputs, and ``Y`` (n_L × m), the targets;
* the activation f_l of every layer l = 1..L (the output layer included), the
  cost (``quadratic`` 1/(2m) Σ ||y - a^L||², ``mse``, ``bce``, ``cross_entropy``
  on a softmax output layer of one output per class, Y one-hot) and the learning
  rate η of one step of gradient descent, W ← W - η ∂C/∂W, b ← b - η ∂C/∂b;
* ``fixed_biases``: the biases are given but not updated (b_next = b), as in
  the widely used hand-worked 2-2-2 example, whose update step changes only
  the weights;
* ``decimals``: how many decimals the given numbers have; the sheet shows
  every computed number rounded to ``decimals + 2`` decimals
  (:attr:`Problem.shown_decimals`), and the checker accepts a student's number
  within that rounding.

A worksheet is for hand calculation, so it is small: at most
:data:`MAX_LAYERS` layers l = 1..L of at most :data:`MAX_NEURONS` neurons (the
input too) and :data:`MAX_EXAMPLES` examples. A problem is drawn at random
with :func:`random_problem`, or read from a given file with
:func:`problem_from_given` (the keys of the answers file: ``W``, ``b``, ``X``,
``Y``, ``activation``, ``cost``, ``lr``, plus ``fixed_biases`` and ``decimals``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np

from nn.activations import lookup
from nn.analytic import Network, forward
from nn.analytic.equations import check_cost
from nn.checks import positive_int, positive_number
from nn.costs import CostArrays, array_costs, lookup_cost
from nn.softmax import array_activation

Array = np.ndarray

MAX_LAYERS = 4
"""Layers l = 1..L of a worksheet's network (the input layer 0 not counted)."""
MAX_NEURONS = 6
"""Neurons in any layer, the input layer included."""
MAX_EXAMPLES = 4
"""Examples m (columns of X)."""
MAX_DECIMALS = 6
"""Decimals of the given numbers (computed numbers are shown with two more)."""
MAX_GIVEN_BYTES = 1_000_000
"""A given file larger than this is not read."""

HAND_SIZED = (
    f"a worksheet is for hand calculation: at most {MAX_LAYERS} layers of at most {MAX_NEURONS} "
    f"neurons (the input too) and {MAX_EXAMPLES} examples; `chainrule check` compares larger networks"
)


@dataclass
class Problem:
    r"""What the student is given (see the module docstring for the layout).

    Attributes:
        W: ``W[l-1]`` = W^l, shape (n_l, n_{l-1}).
        b: ``b[l-1]`` = b^l, shape (n_l,).
        X: The inputs, shape (n_0, m), one example per column.
        Y: The targets, shape (n_L, m).
        activations: f_l of each layer l = 1..L, registered names.
        cost: A cost of :data:`nn.costs.COSTS` with an array form (``"quadratic"``, ``"mse"``, ``"bce"``).
        lr: The learning rate η > 0.
        fixed_biases: True when the step of gradient descent leaves the biases as given.
        decimals: Decimals of the given numbers (1..:data:`MAX_DECIMALS`).
    """

    W: list[Array]
    b: list[Array]
    X: Array
    Y: Array
    activations: list[str]
    cost: str
    lr: float
    fixed_biases: bool = False
    decimals: int = 2

    def __post_init__(self) -> None:
        check_problem(self)

    @property
    def sizes(self) -> list[int]:
        """``[n_0, n_1, ..., n_L]``."""
        return [self.W[0].shape[1], *(W.shape[0] for W in self.W)]

    @property
    def m(self) -> int:
        """The number of examples (columns of X)."""
        return int(self.X.shape[1])

    @property
    def L(self) -> int:
        """The number of layers l = 1..L."""
        return len(self.W)

    @property
    def shown_decimals(self) -> int:
        """Decimals of every computed number on the sheet: ``decimals + 2``."""
        return self.decimals + 2

    def network(self) -> Network:
        """The network as the matrices of :mod:`nn.analytic` (b^l as columns (n_l, 1))."""
        return Network(list(self.W), [b.reshape(-1, 1) for b in self.b], list(self.activations))


def cost_arrays(cost: str) -> CostArrays:
    """The array side of the record of ``cost`` (a ValueError for an unknown cost)."""
    return check_cost(cost).on_arrays()


def check_sizes(sizes: Sequence[int], m: int) -> None:
    """A ValueError unless ``sizes`` = [n_0, ..., n_L] and ``m`` are within the worksheet's limits."""
    if len(sizes) < 2:
        raise ValueError(
            f"sizes must list n_0, n_1, ..., n_L (at least two numbers), got {list(sizes)}"
        )
    for n in sizes:
        positive_int(n, "a layer size")
    positive_int(m, "the number of examples m")
    if len(sizes) - 1 > MAX_LAYERS or max(sizes) > MAX_NEURONS or m > MAX_EXAMPLES:
        raise ValueError(
            f"sizes {','.join(map(str, sizes))} with m = {m} examples is too large: {HAND_SIZED}"
        )


def activation_names(activation: str | Sequence[str], L: int, cost: str) -> list[str]:
    """One activation name per layer l = 1..L, from one name or a list of L names.

    One name is every layer's, except under a cost whose output layer is a
    function of the whole layer (cross_entropy: softmax), which is the output's.

    Raises:
        ValueError: An unknown name, a list of the wrong length, or an output
            activation the cost does not take (bce needs a sigmoid,
            cross_entropy a softmax; a softmax only with cross_entropy).
    """
    record = check_cost(cost)
    names = [activation] if isinstance(activation, str) else list(activation)
    output = record.array_output
    if len(names) == 1:
        layerwise = not array_activation(output).elementwise
        names = [*names * (L - 1), output] if layerwise else names * L
    if len(names) != L:
        raise ValueError(
            f"activation has {len(names)} names for {L} layers: give one name for every layer, "
            f"or one per layer l = 1..{L} (the output layer included)"
        )
    names = [lookup(str(name)).name for name in names[:-1]] + [array_activation(str(names[-1])).name]
    if not array_activation(names[-1]).elementwise and not record.pairs_with(names[-1]):
        raise ValueError(
            f"a {names[-1]} output layer is written out on a worksheet only with the cost "
            f"{', '.join(c for c in array_costs() if lookup_cost(c).array_output == names[-1])}, "
            f"not {record.name} (`chainrule check --output-activation {names[-1]}` checks it with any cost)"
        )
    try:
        record.check_output(names[-1])
    except ValueError as error:
        raise ValueError(
            f"{error}; e.g. --activation {','.join([*names[:-1], record.array_output])}"
        ) from None
    return names


def check_problem(problem: Problem) -> None:
    """A ValueError naming what does not fit: shapes, limits, names, targets, settings."""
    p = problem
    if not p.W or len(p.W) != len(p.b):
        raise ValueError(
            f"a problem needs one W^l and one b^l per layer, got {len(p.W)} and {len(p.b)}"
        )
    check_sizes(p.sizes, p.m if p.X.ndim == 2 else 1)
    for l, (W, b) in enumerate(zip(p.W, p.b), start=1):
        expected = (p.sizes[l], p.sizes[l - 1])
        if W.shape != expected or b.shape != (p.sizes[l],):
            raise ValueError(
                f"W^{l} must be {expected[0]}×{expected[1]} and b^{l} {expected[0]} numbers"
            )
    if p.X.shape != (p.sizes[0], p.m):
        raise ValueError(
            f"X must be n_0×m = {p.sizes[0]}×m, one example per column, got {p.X.shape}"
        )
    if cost_arrays(p.cost).one_hot:  # class indices, or columns checked to be one-hot
        p.Y = cost_arrays(p.cost).target_columns(p.Y, p.sizes[-1], np)
    if p.Y.shape != (p.sizes[-1], p.m):
        raise ValueError(
            f"Y must be n_L×m = {p.sizes[-1]}×{p.m}, one example per column, got {p.Y.shape}"
        )
    for name, array in (("X", p.X), ("Y", p.Y), *((f"W^{l}", W) for l, W in enumerate(p.W, 1))):
        if not np.all(np.isfinite(array)):
            raise ValueError(f"{name} holds a number that is not finite: {array.tolist()}")
    p.activations = activation_names(p.activations, p.L, p.cost)
    p.cost = check_cost(p.cost).name
    bounds = cost_arrays(p.cost).target_range
    if bounds is not None and not np.all((bounds[0] <= p.Y) & (bounds[1] >= p.Y)):
        raise ValueError(
            f"cost {p.cost!r} needs targets in [{bounds[0]:g}, {bounds[1]:g}], got Y = {p.Y.tolist()}"
        )
    p.lr = positive_number(p.lr, "the learning rate lr")
    p.decimals = check_decimals(p.decimals)


def check_decimals(decimals: object) -> int:
    """``decimals`` if it is an int from 1 to :data:`MAX_DECIMALS`, else a ValueError."""
    decimals = positive_int(decimals, "decimals")
    if decimals > MAX_DECIMALS:
        raise ValueError(f"decimals must be at most {MAX_DECIMALS} (hand calculation), got {decimals}")
    return decimals


def _draw(
    rng: np.random.Generator, low: float, high: float, shape: tuple[int, ...], decimals: int
) -> Array:
    return np.round(rng.uniform(low, high, shape), decimals)


def target_interval(output: str) -> tuple[float, float]:
    """Where a worksheet draws targets an output activation can reach: its record's
    ``output_range`` cut to [-1, 1], 5% of the width inside each bound the range has
    there (sigmoid: (0.05, 0.95), tanh: (-0.9, 0.9), linear: (-1, 1))."""
    low, high = array_activation(output).output_range
    cut_low, cut_high = max(low, -1.0), min(high, 1.0)
    margin = 0.05 * (cut_high - cut_low)
    return (cut_low + margin if low >= -1.0 else cut_low, cut_high - margin if high <= 1.0 else cut_high)


def _targets(
    rng: np.random.Generator, output: str, cost: str, shape: tuple[int, int], decimals: int
) -> Array:
    """Targets as the cost's record draws them (labels 0/1 for bce), else in :func:`target_interval`."""
    low, high = target_interval(output)
    return np.round(cost_arrays(cost).draw_targets(rng, shape, low, high, np), decimals)


def _near_kink(problem: Problem) -> bool:
    """True when a pre-activation of a ReLU-like layer rounds to 0 on the sheet (f' would be ambiguous)."""
    fp = forward(problem.network(), problem.X)
    near = 10.0**-problem.shown_decimals
    return any(
        array_activation(name).kink and np.any(np.abs(Z) < near)
        for name, Z in zip(problem.activations, fp.Z)
    )


def random_problem(
    sizes: Sequence[int],
    activation: str | Sequence[str] = "sigmoid",
    cost: str = "quadratic",
    lr: float = 0.5,
    examples: int = 1,
    seed: int = 0,
    decimals: int = 2,
    fixed_biases: bool = False,
) -> Problem:
    r"""A seeded problem with numbers of few decimals, practical by hand.

    Weights are drawn from U(-1, 1), biases from U(-0.5, 0.5), inputs from
    U(-1, 1), each rounded to ``decimals``; targets are drawn as the cost's
    record says (labels 0 or 1 for ``bce``, both in each row when m >= 2;
    one-hot columns for ``cross_entropy``, every class when m >= n_L), else numbers the output activation
    can reach (:func:`target_interval`). Draws whose
    ReLU-like pre-activations round to 0 are drawn again (f' jumps there).

    Args:
        sizes: ``[n_0, n_1, ..., n_L]``.
        activation: One name for every layer, or one per layer l = 1..L.
        cost: A cost of :data:`nn.costs.COSTS` with an array form.
        lr: The learning rate η.
        examples: m, the number of examples.
        seed: The seed of every number drawn.
        decimals: Decimals of the drawn numbers.
        fixed_biases: Leave the biases out of the step of gradient descent.

    Raises:
        ValueError: Sizes beyond the limits, an unknown name, a bad setting.
    """
    check_sizes(sizes, examples)
    names = activation_names(activation, len(sizes) - 1, cost)
    check_decimals(decimals)  # before numbers are rounded to them
    rng = np.random.default_rng(seed)
    problem = _drawn_problem(rng, sizes, names, cost, lr, examples, decimals, fixed_biases)
    for _ in range(99):
        if not _near_kink(problem):
            break
        problem = _drawn_problem(rng, sizes, names, cost, lr, examples, decimals, fixed_biases)
    return problem


def _drawn_problem(
    rng: np.random.Generator,
    sizes: Sequence[int],
    names: list[str],
    cost: str,
    lr: float,
    m: int,
    decimals: int,
    fixed_biases: bool,
) -> Problem:
    """One draw of the numbers of :func:`random_problem`."""
    W = [_draw(rng, -1.0, 1.0, (n, n_before), decimals) for n_before, n in pairwise(sizes)]
    b = [_draw(rng, -0.5, 0.5, (n,), decimals) for n in sizes[1:]]
    X = _draw(rng, -1.0, 1.0, (sizes[0], m), decimals)
    Y = _targets(rng, names[-1], cost, (sizes[-1], m), decimals)
    return Problem(W, b, X, Y, names, cost, lr, fixed_biases, decimals)


def given_decimals(arrays: Sequence[Array]) -> int:
    """The decimals the given numbers are written with: the most any of them needs (1..:data:`MAX_DECIMALS`)."""
    most = 1
    for array in arrays:
        for x in np.asarray(array, dtype=float).ravel():
            d = next(
                (d for d in range(MAX_DECIMALS + 1) if math.isclose(round(x, d), x, abs_tol=1e-12)),
                None,
            )
            most = max(most, MAX_DECIMALS if d is None else d)
    return most

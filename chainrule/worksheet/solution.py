r"""The solution of a worksheet: every number from the four equations, checked against the engine's graph.

:func:`solve` runs the vectorized equations of :mod:`nn.analytic` (one example
per column, δ^l = ∂C/∂Z^l of the cost averaged over the m examples):

    forward   Z^l = W^l A^{l-1} + b^l,  A^l = f_l(Z^l),  A^0 = X
    BP1       δ^L = ∇_A C ⊙ f_L'(Z^L)
    BP2       δ^l = ((W^{l+1})^T δ^{l+1}) ⊙ f_l'(Z^l)
    BP3       ∂C/∂b^l = Σ_i δ^l_{:,i}
    BP4       ∂C/∂W^l = δ^l (A^{l-1})^T
    step      W^l ← W^l - η ∂C/∂W^l,  b^l ← b^l - η ∂C/∂b^l (b^l kept when the biases are fixed)

:func:`engine_check` builds the same network as an ``nn.MLP``
(:meth:`nn.layers.MLP.from_weights`), runs every example through the scalar
engine, builds the cost with its record's loss on Values (:mod:`nn.losses`), calls ``backward()`` and takes
one step of ``nn.optim.SGD``; every z, a, C, δ (the gradient of each neuron's
stored z), ∂C/∂W, ∂C/∂b and updated parameter must agree with the equations'.
With a softmax output (cross-entropy) the MLP's output layer is linear, its
outputs the logits, and the cost's loss on Values takes them, as training
does; a^L is softmax on Values of the logits
(:func:`nn.analytic.engine.batch_cost`).
A disagreement raises :class:`EngineDisagreement`: no sheet is written from
numbers only one method produced. :func:`worked_solution` does both.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from autograd import Value
from chainrule.worksheet.problem import Problem
from nn.analytic import backpropagate, cost_value
from nn.analytic.engine import batch_cost
from nn.costs import lookup_cost
from nn.layers import MLP
from nn.optim import SGD
from nn.softmax import array_activation

Array = np.ndarray

RTOL = 1e-9
"""Relative tolerance between the engine and the equations (both float64)."""
ATOL = 1e-12
"""Absolute tolerance between the engine and the equations."""


class EngineDisagreement(ValueError):
    """The engine's graph and the four equations gave different numbers: a bug, never a sheet."""


@dataclass
class Solution:
    r"""Every number of the solution, in the answers file's layout (lists index layers l = 1..L).

    Attributes:
        Z: ``Z[l-1]`` = Z^l (n_l, m).
        A: ``A[l-1]`` = A^l (n_l, m) (A^0 = X is the problem's).
        C: The cost of the batch.
        delta: ``delta[l-1]`` = δ^l = ∂C/∂Z^l (n_l, m), the 1/m of the averaged cost inside.
        dW: ``dW[l-1]`` = ∂C/∂W^l (n_l, n_{l-1}) (BP4).
        db: ``db[l-1]`` = ∂C/∂b^l (n_l,) (BP3).
        W_next: W^l - η ∂C/∂W^l.
        b_next: b^l - η ∂C/∂b^l, or b^l when the biases are fixed.
    """

    Z: list[Array]
    A: list[Array]
    C: float
    delta: list[Array]
    dW: list[Array]
    db: list[Array]
    W_next: list[Array]
    b_next: list[Array]


def solve(problem: Problem) -> Solution:
    """Every number of the solution from the equations of :mod:`nn.analytic` (see the module docstring)."""
    fp, grads = backpropagate(problem.network(), problem.X, problem.Y, problem.cost)
    db = [g.db.ravel() for g in grads]
    return Solution(
        Z=list(fp.Z),
        A=list(fp.A[1:]),
        C=cost_value(problem.cost, fp.A[-1], problem.Y),
        delta=[g.delta for g in grads],
        dW=[g.dW for g in grads],
        db=db,
        W_next=[W - problem.lr * g.dW for W, g in zip(problem.W, grads)],
        b_next=[
            b.copy() if problem.fixed_biases else b - problem.lr * d for b, d in zip(problem.b, db)
        ],
    )


def model_of(problem: Problem) -> MLP:
    """The problem's network as an ``nn.MLP`` with its given weights and biases
    (a linear output layer, the logits, under a softmax output)."""
    output = problem.activations[-1]
    return MLP.from_weights(
        [W.tolist() for W in problem.W],
        [b.tolist() for b in problem.b],
        activation=list(problem.activations[:-1]),
        output_activation=output if array_activation(output).elementwise else "linear",
    )


def engine_numbers(problem: Problem) -> Solution:
    """Run the problem through the scalar engine: forward per example, the cost, backward, one SGD step."""
    model = model_of(problem)
    outputs: list[list[Value]] = []
    zs: list[list[list[Value]]] = []  # zs[i][l-1][j]: z^l_j of example i, a Value of the graph
    acts: list[list[list[Value]]] = []
    for i in range(problem.m):
        outputs.append(model.forward([float(x) for x in problem.X[:, i]]))
        # the forward pass has just set every neuron's z and a: the filters only narrow their types
        zs.append([[n.z for n in layer.neurons if n.z is not None] for layer in model.layers])
        acts.append([[n.a for n in layer.neurons if n.a is not None] for layer in model.layers])
    model.zero_grad()
    C, a_L, _ = batch_cost(outputs, problem.Y, lookup_cost(problem.cost), problem.activations[-1])
    for i in range(problem.m):
        acts[i][-1] = a_L[i]  # the softmax's a^L (the neurons' own a is z^L)
    C.backward()

    def per_layer(values: list[list[list[Value]]], part: str) -> list[Array]:
        return [
            np.array([[getattr(values[i][l][j], part) for i in range(problem.m)] for j in range(n)])
            for l, n in enumerate(problem.sizes[1:])
        ]

    dW = [np.array([[w.grad for w in row] for row in layer.W]) for layer in model.layers]
    # every neuron of model_of has a bias (the problem gives them): the filters only narrow b's type
    db = [np.array([n.b.grad for n in layer.neurons if n.b is not None]) for layer in model.layers]
    weights = [w for layer in model.layers for n in layer.neurons for w in n.w]
    biases = [n.b for layer in model.layers for n in layer.neurons if n.b is not None]
    SGD(weights if problem.fixed_biases else weights + biases, lr=problem.lr).step()
    W_next = [np.array(W) for W in model.weights()]
    b_next = [np.array(b) for b in model.biases() or []]
    return Solution(
        per_layer(zs, "data"),
        per_layer(acts, "data"),
        C.data,
        per_layer(zs, "grad"),
        dW,
        db,
        W_next,
        b_next,
    )


QUANTITIES = ("Z", "A", "C", "delta", "dW", "db", "W_next", "b_next")
"""The numbers of a solution, in the order they are computed."""


def engine_check(
    problem: Problem, solution: Solution, rtol: float = RTOL, atol: float = ATOL
) -> Solution:
    """Compare every number of ``solution`` with the engine's; return the engine's numbers.

    Raises:
        EngineDisagreement: A number differs (the message names it, layer and
            position, with both values).
    """
    engine = engine_numbers(problem)
    for key in QUANTITIES:
        ours, theirs = getattr(solution, key), getattr(engine, key)
        if key == "C":
            ours, theirs = [np.array(ours)], [np.array(theirs)]
        for l, (a, b) in enumerate(zip(ours, theirs), start=1):
            if a.shape != b.shape or not np.allclose(a, b, rtol=rtol, atol=atol):
                where: Any = (
                    np.argwhere(~np.isclose(a, b, rtol=rtol, atol=atol))
                    if a.shape == b.shape
                    else []
                )
                at = f" at {tuple(int(i) for i in where[0])}" if len(where) else ""
                raise EngineDisagreement(
                    f"the engine's graph and the equations disagree on {key} of layer {l}{at}: "
                    f"equations {a.tolist()}, engine {b.tolist()}; no worksheet is written"
                )
    if not math.isfinite(solution.C):
        raise EngineDisagreement(f"the cost is {solution.C}: the problem has no finite solution")
    return engine


def worked_solution(problem: Problem) -> Solution:
    """:func:`solve`, then :func:`engine_check`: the solution only if the engine agrees with it."""
    solution = solve(problem)
    engine_check(problem, solution)
    return solution

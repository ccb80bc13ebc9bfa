"""The words of a worksheet, shared by the HTML and the Markdown sheet: title, task, instructions, given numbers."""

from __future__ import annotations

import numpy as np

from chainrule.worksheet.markup import SIGNIFICANT, Sym
from chainrule.worksheet.problem import Problem, cost_arrays


def heading(problem: Problem) -> str:
    """``Backpropagation by hand: a 2-2-2 network``."""
    return f"Backpropagation by hand: a {'-'.join(map(str, problem.sizes))} network"


def task_text(problem: Problem) -> str:
    """The network's settings in one paragraph."""
    names = problem.activations
    if len(set(names)) == 1:
        activations = f"{names[0]} in every layer"
    else:
        activations = ", ".join(f"{name} in layer {l}" for l, name in enumerate(names, start=1))
    m = problem.m
    examples = "1 example" if m == 1 else f"{m} examples, one per column of X and Y"
    return (
        f"Activation: {activations}. Cost: {cost_arrays(problem.cost).words}. Learning rate η = {problem.lr:g}. "
        f"{examples[0].upper()}{examples[1:]}. Weights w^l_jk go from neuron k of layer l−1 to neuron j of layer l "
        "(row j, column k of W^l); δ^l = ∂C/∂z^l is the error of layer l."
    )


CHECK = (
    "To check your numbers, write them into the blank answers file your teacher gave you "
    "(made with `--template`: the keys `Z`, `A`, `C`, `delta`, `dW`, `db`, `W_next`, `b_next`, "
    "lists per layer, one example per column, null where you have no number yet) and run "
    "`chainrule worksheet --check yours.json`. It names your first wrong number, the equation it "
    "comes from and the kind of slip it looks like, but not the right number. δ may be per example "
    "(then ∂C/∂w and ∂C/∂b carry the 1/m): the check finds which."
)
"""How a student checks a sheet: with the template only, never the answers file."""


def instructions(problem: Problem, ask: str = "numbers") -> str:
    """What to compute, how to round, and how to check the answers."""
    if ask == "formulas":
        return (
            "Write each quantity asked for below as a formula in the symbols of the sheet "
            "(w^l_jk, z^l_j, a^l_j, δ^l_j, y_j, f and f′ of each layer, m), as the chain rule gives it: "
            "a product of partial derivatives, then each factor worked out. No numbers are needed."
        )
    update = "weights" if problem.fixed_biases else "weights and biases"
    fixed = (
        " The biases are given but held fixed: the step of gradient descent changes only the weights."
        if problem.fixed_biases
        else ""
    )
    return (
        "Compute the forward pass (every z and a), the cost C, the errors δ of the output layer (BP1) "
        "and of every hidden layer (BP2), the gradients ∂C/∂b (BP3) and ∂C/∂w (BP4), and the "
        f"{update} after one step of gradient descent.{fixed} Round each result to "
        f"{problem.shown_decimals} decimals ({SIGNIFICANT} significant digits when smaller) and carry the "
        f"rounded numbers on. {CHECK}"
    )


def given_rows(problem: Problem) -> list[tuple[Sym, np.ndarray, int]]:
    """The given numbers as (symbol, matrix, decimals): W^l, b^l (a column), X, Y."""
    rows: list[tuple[Sym, np.ndarray, int]] = []
    for l, (W, b) in enumerate(zip(problem.W, problem.b), start=1):
        rows.append((Sym("W", str(l)), W, problem.decimals))
        rows.append((Sym("b", str(l)), b.reshape(-1, 1), problem.decimals))
    rows.append((Sym("X"), problem.X, problem.decimals))
    labels = cost_arrays(problem.cost).label_values is not None  # labels 0 and 1: no decimals
    rows.append((Sym("Y"), problem.Y, 0 if labels else problem.decimals))
    return rows

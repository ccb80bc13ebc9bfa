r"""The solution step by step, in the curriculum's notation, with the numbers substituted.

:func:`worked_steps` turns a problem and its solution into sections of
:class:`Step` objects, in the order a student computes them:

1. the forward pass, layer by layer: z^l_j = Σ_k w^l_jk a^{l-1}_k + b^l_j,
   then a^l_j = f_l(z^l_j) (a^0 = x); a softmax output layer takes all of the
   layer's z: a^L_j = exp(z^L_j) / Σ_k exp(z^L_k);
2. the cost C;
3. BP1, the error of the output layer: δ^L_j = ∂C/∂a^L_j · f_L′(z^L_j)
   (for a cost paired with its output activation, the pair's δ^L: for bce on a
   sigmoid output σ′ cancels, and for cross-entropy on a softmax output the
   Jacobian does, δ^L_j = (a^L_j - y_j)/m);
4. BP2 for l = L-1, ..., 1: δ^l_j = (Σ_k w^{l+1}_kj δ^{l+1}_k) · f_l′(z^l_j);
5. for l = L, ..., 1: BP3, ∂C/∂b^l_j = Σ_i δ^l_{j,i}, and BP4,
   ∂C/∂w^l_jk = Σ_i a^{l-1}_{k,i} δ^l_{j,i};
6. one step of gradient descent: w ← w - η ∂C/∂w, b ← b - η ∂C/∂b.

With m > 1 examples every per-example symbol carries the example as a second
index: z^l_{j,i} is row j, column i of Z^l. Each f′ is its own line (a step
with no key in the answers file), so that δ is one multiplication away.

Given numbers are shown with the problem's decimals, computed ones rounded to
``problem.shown_decimals``; each result is computed at full precision.
"""

from __future__ import annotations

from chainrule.worksheet.backward_steps import (
    descent_steps,
    gradient_steps,
    hidden_error_steps,
    output_error_steps,
)
from chainrule.worksheet.derivatives import section_formulas
from chainrule.worksheet.forward_steps import cost_step, forward_steps
from chainrule.worksheet.notation import Notation, Section
from chainrule.worksheet.problem import Problem
from chainrule.worksheet.solution import Solution
from nn.softmax import array_activation


def worked_steps(problem: Problem, solution: Solution) -> list[Section]:
    """The sections of the solution, in the order a student computes them (see the module docstring)."""
    n = Notation(problem, solution)
    L, m = problem.L, problem.m
    per_example = "" if m == 1 else f" The second index of each symbol is the example i = 1..{m}."
    sections = []
    for l in range(1, L + 1):
        name = problem.activations[l - 1]
        then = (
            f"then applies f = {name}."
            if array_activation(name).elementwise
            else f"then the {name} of the whole layer's z turns them into the probabilities of the "
            f"{problem.sizes[l]} classes: each a^{l}_j is exp(z^{l}_j) over the sum of every exp(z^{l}_k)."
        )
        sections.append(
            Section(
                f"Forward pass, layer {l}",
                f"Each neuron j of layer {l} sums its weighted inputs and its bias, {then}" + per_example,
                section_formulas(name, l, derivative=False),
                tuple(forward_steps(n, l)),
            )
        )
    words = n.arrays.words
    cost_text = f"{words[0].upper()}{words[1:]}."
    sections.append(Section("Cost", cost_text, (), (cost_step(n),)))
    return sections + _backward_sections(n)


def _backward_sections(n: Notation) -> list[Section]:
    """BP1, BP2 for each hidden layer, BP3 and BP4 for each layer, and the step of gradient descent."""
    problem, L, m = n.p, n.p.L, n.p.m
    sections = []
    bp1 = "δ^L = ∂C/∂z^L, the error of the output layer: ∂C/∂a^L times f′(z^L)."
    if n.paired:
        bp1 += f" With a {problem.activations[-1]} output {n.arrays.paired_words}."
    sections.append(
        Section(
            f"Output error δ^{L} (BP1)",
            bp1 + _one_over_m(m),
            section_formulas(problem.activations[-1], L, derivative=True) if not n.paired else (),
            tuple(output_error_steps(n)),
        )
    )
    for l in range(L - 1, 0, -1):
        sections.append(
            Section(
                f"Error of layer {l} (BP2)",
                f"δ^{l} carries δ^{l + 1} back through the weights of layer {l + 1} (column j of W^{l + 1}) and f′ of layer {l}.",
                section_formulas(problem.activations[l - 1], l, derivative=True),
                tuple(hidden_error_steps(n, l)),
            )
        )
    for l in range(L, 0, -1):
        sections.append(
            Section(
                f"Gradients of layer {l} (BP3, BP4)",
                "∂C/∂b is δ, ∂C/∂w is δ times the activation the weight multiplies"
                + ("." if m == 1 else ", summed over the examples (the 1/m is inside δ)."),
                (),
                tuple(gradient_steps(n, l)),
            )
        )
    fixed = (
        " The biases are held fixed, as in the given problem: b stays as given."
        if problem.fixed_biases
        else ""
    )
    sections.append(
        Section(
            "One step of gradient descent",
            f"Every weight{'' if problem.fixed_biases else ' and bias'} moves against its gradient, η = {problem.lr:g}."
            + fixed,
            (),
            tuple(step for l in range(1, L + 1) for step in descent_steps(n, l)),
        )
    )
    return sections


def _one_over_m(m: int) -> str:
    if m == 1:
        return " With m = 1 example the 1/m of the averaged cost is 1."
    return f" The 1/m = 1/{m} of the averaged cost is inside δ."

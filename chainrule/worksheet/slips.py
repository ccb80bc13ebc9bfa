r"""What kind of slip a wrong number looks like, told without telling the right number.

:func:`diagnose` is given the first wrong number of a student's file, the
slot it belongs to and the environment it was recomputed from (the student's
own earlier numbers), and tries, in order:

1. a factor on the whole quantity of that layer (every number the student
   gave there is the same multiple of the right one): m, 1/m, 2, 1/2 or -1
   on δ, ∂C/∂W, ∂C/∂b, each with its usual cause, as
   :func:`nn.analytic.conventions.explain_factor` names them (the
   per-example convention among them); a factor 2 on the cost;
2. a wrong law that reproduces the number from the same earlier numbers:
   a sign (y − a for a − y, a step along the gradient), a transposed index
   (w^l_kj where w^l_jk was due, a_j δ_k for a_k δ_j), σ where σ′ was due
   (f(z) in BP1 or BP2), σ′ multiplied in where a pair cancels it, z where a
   was due, the bias or η left out;
3. else, when the number is computed from earlier numbers the file leaves
   out, a value carried from one of them (the checker used the key's there);
   else an arithmetic slip in this step.

The text names the slip and the symbols involved, never a number of the key.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np

from chainrule.worksheet.laws import Env, Slot, delta_scale, inputs, recompute
from chainrule.worksheet.problem import Problem
from nn.activations import ACTIVATIONS, Activation
from nn.analytic import ForwardPass, cost_gradient, output_error
from nn.analytic.conventions import explain_factor
from nn.costs import lookup_cost

SYMBOLS = {"Z": "z", "A": "a", "C": "C", "delta": "δ", "dW": "∂C/∂w", "db": "∂C/∂b"}
NAMES = {"delta": "dZ", "dW": "dW", "db": "db"}
"""The quantities :func:`~nn.analytic.conventions.explain_factor` knows, by its names (dZ2 is δ^2)."""

Candidate = tuple[str, Callable[[], np.ndarray]]


def _f(problem: Problem, l: int) -> tuple[str, Activation]:
    record = ACTIVATIONS[problem.activations[l - 1]]
    return record.symbol, record


def _candidates(problem: Problem, slot: Slot, env: Env, convention: str) -> list[Candidate]:
    """(what the slip is, the numbers it gives) for the slips of ``slot``'s law."""
    name, l = slot
    p, L = problem, problem.L
    value = lambda: recompute(p, slot, env, convention)
    sign: Candidate = ("a sign slip: the number has the wrong sign", lambda: -value())
    out: list[Candidate] = []
    if name == "Z":
        W, A, b = p.W[l - 1], env[("A", l - 1)], p.b[l - 1].reshape(-1, 1)
        if W.shape[0] == W.shape[1]:
            out.append(
                (f"a transposed index: w^{l}_kj taken where w^{l}_jk was due (row and column of W^{l} swapped)",
                 lambda: W.T @ A + b)
            )
        out.append((f"the bias b^{l} left out of z^{l}", lambda: W @ A))
    elif name == "A":
        out.append((f"the activation not applied: a^{l} written as z^{l}", lambda: env[("Z", l)]))
    elif name == "C":
        out.append(("a factor 2: the cost with 1/m where the sheet's has 1/(2m)", lambda: 2 * value()))
    elif name == "delta" and l == L:
        symbol, record = _f(p, l)
        scale = delta_scale(convention, p.m)
        A_L, Z_L = env[("A", L)], env[("Z", L)]
        if lookup_cost(p.cost).pairs_with(p.activations[-1]):
            fp = ForwardPass([env[("Z", k)] for k in range(1, L + 1)], [env[("A", k)] for k in range(L + 1)])
            out.append(
                (f"{symbol}′(z^L) multiplied in where the pair cancels it (δ^L = (a^L − y)/m)",
                 lambda: output_error(p.network(), fp, p.Y, p.cost) * scale * record.df_array(Z_L, np))
            )
        else:
            gradient = lambda: cost_gradient(p.cost, A_L, p.Y) * scale
            out.append(
                (f"{symbol} where {symbol}′ was due: BP1 multiplies ∂C/∂a^L by {symbol}′(z^L), not {symbol}(z^L)",
                 lambda: gradient() * record.f_array(Z_L, np))
            )
            out.append(("a sign slip: y − a where a − y was due", lambda: -value()))
    elif name == "delta":
        symbol, record = _f(p, l)
        W, d, Z = p.W[l], env[("delta", l + 1)], env[("Z", l)]
        out.append(
            (f"{symbol} where {symbol}′ was due: BP2 multiplies by {symbol}′(z^{l}), not {symbol}(z^{l})",
             lambda: (W.T @ d) * record.f_array(Z, np))
        )
        if W.shape[0] == W.shape[1]:
            out.append(
                (f"a transposed index: w^{l + 1}_jk taken where w^{l + 1}_kj was due (BP2 runs down column j of W^{l + 1})",
                 lambda: (W @ d) * record.df_array(Z, np))
            )
    elif name == "dW":
        s = 1.0 / delta_scale(convention, p.m)
        d, A = env[("delta", l)], env[("A", l - 1)]
        out.append(
            (f"a transposed index: a^{l - 1}_j δ^{l}_k taken where a^{l - 1}_k δ^{l}_j was due (w^{l}_jk is row j, column k)",
             lambda: _transposed(s * A @ d.T, d.shape[0], A.shape[0]))
        )
        if l > 1:
            out.append((f"z^{l - 1} where a^{l - 1} was due in BP4", lambda: s * d @ env[("Z", l - 1)].T))
    elif name in ("W_next", "b_next") and not (name == "b_next" and p.fixed_biases):
        given, step = (p.W[l - 1], env[("dW", l)]) if name == "W_next" else (p.b[l - 1], env[("db", l)])
        out.append(("a sign slip: a step along the gradient, + η where − η was due", lambda: given + p.lr * step))
        out.append(("the learning rate η left out of the step", lambda: given - step))
    if not any(text.startswith("a sign slip") for text, _ in out):
        out.append(sign)
    return out


def _transposed(AdT: np.ndarray, rows: int, cols: int) -> np.ndarray:
    """(A δᵀ)[j, k] = Σ_i a_{j,i} δ_{k,i} at each (j, k) of a (rows, cols) gradient where it exists, else NaN."""
    out = np.full((rows, cols), np.nan)
    for j in range(min(rows, AdT.shape[0])):
        for k in range(min(cols, AdT.shape[1])):
            out[j, k] = AdT[j, k]
    return out


def _factor(
    problem: Problem, slot: Slot, mine: np.ndarray, value: np.ndarray, tol: np.ndarray,
    convention: str, delta_agreed: bool,
) -> str:
    """The cause of a factor between every given number of the slot and its value, or ``""``."""
    name, l = slot
    given = ~np.isnan(mine)
    if name not in NAMES or given.sum() < 1:
        return ""
    atol = float(np.max(tol[given])) * max(problem.m, 2)
    text = explain_factor(
        f"{NAMES[name]}{l}", mine[given], value[given], problem.m, convention,
        dz_agreed=delta_agreed, rtol=0.0, atol=atol,
    )
    if not text:
        return ""
    symbol = f"δ^{l}" if name == "delta" else f"{SYMBOLS[name]}^{l}"
    return f"a factor on the whole of {symbol} (written {NAMES[name]}{l} below): {text}"


def diagnose(
    problem: Problem,
    slot: Slot,
    position: tuple[int, ...],
    mine: np.ndarray,
    value: np.ndarray,
    tol: np.ndarray,
    env: Env,
    convention: str,
    given: Mapping[str, Sequence[np.ndarray]],
    delta_agreed: bool,
) -> str:
    """What the first wrong number (``mine[position]``, its slot's recomputed ``value``) looks like.

    Args:
        given: The student's arrays by quantity (to tell which earlier numbers the file leaves out).
        delta_agreed: Whether some δ of the file was right before this number.
    """
    factor = _factor(problem, slot, mine, value, tol, convention, delta_agreed)
    if factor:
        return factor
    number = mine[position]
    for text, compute in _candidates(problem, slot, env, convention):
        try:
            alternative = np.asarray(compute(), dtype=float)
        except (ValueError, TypeError, NotImplementedError, AttributeError):
            continue  # a slip that this activation or cost cannot make
        if alternative.shape == value.shape and abs(alternative[position] - number) <= tol[position]:
            return text
    missing = [source for source in inputs(problem, slot) if _left_out(given, source, position)]
    if missing:
        names = ", ".join(f"{SYMBOLS.get(n, n)}^{k}" for n, k in missing)
        return (
            f"a value carried from a wrong earlier number, possibly: it is computed from {names}, "
            "which your file leaves out (the check used the right ones there); write them in to find the slip"
        )
    return "an arithmetic slip in this step: your earlier numbers it is computed from are right"


def _left_out(given: Mapping[str, Sequence[np.ndarray]], source: Slot, position: tuple[int, ...]) -> bool:
    name, l = source
    arrays = given.get(name)
    if arrays is None:
        return True
    array = arrays[0 if name == "C" else l - 1]
    return bool(np.all(np.isnan(array)))

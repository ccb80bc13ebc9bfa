r"""Each activation as the sheet writes it: its symbol, f(z), f′(z), and f′ worked out with numbers.

=========== ========== ======================== =========================================
name        symbol     f(z)                     f′(z), written with a = f(z) where it helps
=========== ========== ======================== =========================================
sigmoid     σ          1 / (1 + e^{−z})         a (1 − a)
tanh        tanh       tanh z                   1 − a²
relu        ReLU       max(0, z)                1 if z > 0 else 0
leaky_relu  LeakyReLU  z if z > 0 else 0.01 z   1 if z > 0 else 0.01
swish       swish      z σ(z)                   σ(z) + z σ(z) (1 − σ(z))
linear      f          z                        1
=========== ========== ======================== =========================================

The values themselves come from the activation registry
(:data:`nn.activations.ACTIVATIONS`, ``f_array`` and ``df_array``).
"""

from __future__ import annotations

import numpy as np

from chainrule.worksheet.markup import (
    SIGNIFICANT,
    Call,
    Equation,
    Frac,
    Num,
    Op,
    Row,
    Sym,
    Text,
    factor,
)
from nn.activations import ACTIVATIONS

SYMBOLS = {
    "sigmoid": "σ",
    "tanh": "tanh",
    "relu": "ReLU",
    "leaky_relu": "LeakyReLU",
    "swish": "swish",
    "linear": "f",
}
"""The symbol of each activation on the sheet."""

ONE, ZERO = Num(1, 0), Num(0, 0)


def activation_symbol(name: str) -> str:
    """The symbol of ``name`` on the sheet (``σ`` for sigmoid)."""
    return SYMBOLS[name]


def _slope() -> Num:
    slope = ACTIVATIONS["leaky_relu"].slope or 0.0
    return Num(slope, 2)


def _square(x: Row) -> Row:
    """x²: a number (already in parentheses when negative) as it is, a symbol in parentheses."""
    bare = isinstance(x[0], Num) or x[0] == Op("(")
    return (*x, Op("²")) if bare else (Op("("), *x, Op(")"), Op("²"))


def _one_minus(x: Row) -> Row:
    return (Op("("), ONE, Op("−"), *x, Op(")"))


def _pieces(name: str, z: Row, a: Row, s: Row) -> Row:
    """f′ written with z, a = f(z) and s = σ(z)."""
    if name == "sigmoid":
        return (*a, Op("·"), *_one_minus(a))
    if name == "tanh":
        return (ONE, Op("−"), *_square(a))
    if name == "swish":
        return (*s, Op("+"), *z, Op("·"), *s, Op("·"), *_one_minus(s))
    if name in ("relu", "leaky_relu"):
        low = ZERO if name == "relu" else _slope()
        return (ONE, Text("if"), *z, Op(">"), ZERO, Text("else"), low)
    return (ONE,)


def derivative_rows(
    name: str, z_sym: Sym, a_sym: Sym, z: float, a: float, decimals: int
) -> tuple[tuple[tuple[str, Row], ...], tuple[tuple[str, Row], ...], float]:
    """The rows of f′(z^l_j): in symbols, with numbers, and its value (from the registry's ``df_array``).

    Args:
        name: The activation.
        z_sym, a_sym: The symbols z^l_j and a^l_j.
        z, a: Their values.
        decimals: Decimals of computed numbers.
    """
    value = float(ACTIVATIONS[name].df_array(np.array(z), np))
    sigma = float(ACTIVATIONS["sigmoid"].f_array(np.array(z), np))
    symbolic = (("=", _pieces(name, (z_sym,), (a_sym,), (Call("σ", (z_sym,)),))),)
    if name == "linear":
        return symbolic, (), value
    if name in ("relu", "leaky_relu"):
        reason = (Text("here"), *factor(z, decimals, SIGNIFICANT), Op(">" if z > 0 else "≤"), ZERO)
        return symbolic, (("", reason),), value
    numeric = _pieces(
        name,
        factor(z, decimals, SIGNIFICANT),
        factor(a, decimals, SIGNIFICANT),
        (Num(sigma, decimals, SIGNIFICANT),),
    )
    return symbolic, (("=", numeric),), value


def _definition(name: str) -> Row:
    z = Sym("z")
    definitions: dict[str, Row] = {
        "sigmoid": (Frac((ONE,), (ONE, Op("+"), Sym("e", "−z"))),),
        "tanh": (
            Frac(
                (Sym("e", "z"), Op("−"), Sym("e", "−z")), (Sym("e", "z"), Op("+"), Sym("e", "−z"))
            ),
        ),
        "relu": (Call("max", (ZERO, Op(","), z)),),
        "leaky_relu": (z, Text("if"), z, Op(">"), ZERO, Text("else"), _slope(), z),
        "swish": (z, Op("·"), Call("σ", (z,))),
        "linear": (z,),
    }
    return definitions[name]


def section_formulas(name: str, l: int, *, derivative: bool) -> tuple[Equation, ...]:
    """f of layer l (for the forward pass) or f′ (for BP1, BP2) in general, as the sheet's reminder."""
    symbol = activation_symbol(name)
    z = Sym("z")
    if not derivative:
        return (Equation((Call(symbol, (z,)),), (("=", _definition(name)),)),)
    a = Call(symbol, (z,))
    return (
        Equation(
            (Call(symbol + "′", (z,)),), (("=", _pieces(name, (z,), (a,), (Call("σ", (z,)),))),)
        ),
    )

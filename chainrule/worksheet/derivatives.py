r"""Each activation as the sheet writes it: its symbol, f(z), f′(z), and f′ worked out with numbers.

Everything comes from the activation's record (:data:`nn.activations.ACTIVATIONS`):
its ``symbol`` (σ for sigmoid), its definition ``typeset_f``, its derivative
``typeset_df`` (written with z and a = f(z): a (1 − a) for σ, 1 − a² for
tanh), and the values ``f_array`` and ``df_array``. An activation with a kink
at 0 (ReLU) shows which side of 0 its z is on instead of numbers; the identity
shows none. Softmax, a function of the whole layer, is written as
exp(z_j) / Σ_k exp(z_k); a sheet has it only paired with cross-entropy, so its
Jacobian is never worked out with numbers.
"""

from __future__ import annotations

import numpy as np

from chainrule.worksheet.markup import SIGNIFICANT, Call, Equation, Frac, Op, Row, Sym, Text, factor
from chainrule.worksheet.typeset import SYMBOLS, Typesetter
from nn.softmax import array_activation


def activation_symbol(name: str) -> str:
    """The symbol of ``name`` on the sheet (``σ`` for sigmoid), from its record."""
    return array_activation(name).symbol


def derivative_rows(
    name: str, z_sym: Sym, a_sym: Sym, z: float, a: float, decimals: int
) -> tuple[tuple[tuple[str, Row], ...], tuple[tuple[str, Row], ...], float]:
    """The rows of f′(z^l_j): in symbols, with numbers, and its value (from the record's ``df_array``).

    Args:
        name: The activation.
        z_sym, a_sym: The symbols z^l_j and a^l_j.
        z, a: Their values.
        decimals: Decimals of computed numbers.
    """
    record = array_activation(name)
    value = float(record.df_array(np.array(z), np))
    symbolic = (("=", record.typeset_df(SYMBOLS, (z_sym,), (a_sym,))),)
    if record.is_identity:
        return symbolic, (), value
    if record.kink:
        reason = (Text("here"), *factor(z, decimals, SIGNIFICANT), Op(">" if z > 0 else "≤"), *factor(0, 0))
        return symbolic, (("", reason),), value
    numbers = Typesetter(z, decimals, SIGNIFICANT)
    numeric = record.typeset_df(
        numbers, factor(z, decimals, SIGNIFICANT), factor(a, decimals, SIGNIFICANT)
    )
    return symbolic, (("=", numeric),), value


def section_formulas(name: str, l: int, *, derivative: bool) -> tuple[Equation, ...]:
    """f of layer l (for the forward pass) or f′ (for BP1, BP2) in general, as the sheet's reminder."""
    record = array_activation(name)
    z: Row = (Sym("z"),)
    if not record.elementwise:  # softmax: a_j of the whole layer's z
        j = (Sym("z", "", "j"),)
        if not derivative:
            return (Equation((Sym("a", "", "j"),), (("=", record.typeset_f(SYMBOLS, j)),)),)
        jacobian = (Op("∂"), Sym("a", "", "j")), (Op("∂"), Sym("z", "", "k"))
        return (Equation((Frac(*jacobian),), (("=", record.typeset_df(SYMBOLS, j, (Sym("a", "", "j"),))),)),)
    if not derivative:
        return (Equation((Call(record.symbol, z),), (("=", record.typeset_f(SYMBOLS, z)),)),)
    a: Row = (Call(record.symbol, z),)
    return (Equation((Call(record.symbol + "′", z),), (("=", record.typeset_df(SYMBOLS, z, a)),)),)

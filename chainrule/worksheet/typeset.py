r"""The typesetter the records of activations and costs write the sheet's formulas with.

The records (:mod:`nn.activations`, :mod:`nn.costs`) live in ``nn``, which
imports nothing of ``chainrule``; their typesetting functions take a
:class:`Typesetter` ``t`` as an argument instead (as their array functions
take NumPy as ``xp``) and build rows of the sheet's markup with it:
``t.Num``, ``t.Op``, ``t.Sym``, ``t.Call``, ``t.Frac``, ``t.Text``,
``t.square(x)``, ``t.one_minus(x)``, and ``t.apply(name, z)``: activation
``name`` applied to z, written as its symbol, σ(z), or, when the sheet
substitutes numbers, as its value at the step's z.
"""

from __future__ import annotations

import numpy as np

from chainrule.worksheet.markup import Call, Frac, Num, Op, Row, Sym, Text
from nn.softmax import array_activation


class Typesetter:
    """Builds rows of markup for the records; with ``z_value``, ``apply`` gives numbers.

    Args:
        z_value: The number z stands for, when the row substitutes numbers (else None).
        decimals: Decimals of the numbers ``apply`` gives.
        significant: Significant digits shown at least.
    """

    Num = Num
    Op = Op
    Sym = Sym
    Call = Call
    Frac = Frac
    Text = Text

    def __init__(self, z_value: float | None = None, decimals: int = 4, significant: int = 0) -> None:
        self.z_value, self.decimals, self.significant = z_value, decimals, significant

    def square(self, x: Row) -> Row:
        """x²: a number (already in parentheses when negative) as it is, anything else in parentheses."""
        bare = isinstance(x[0], Num) or x[0] == Op("(")
        return (*x, Op("²")) if bare else (Op("("), *x, Op(")"), Op("²"))

    def one_minus(self, x: Row) -> Row:
        """(1 − x)."""
        return (Op("("), Num(1, 0), Op("−"), *x, Op(")"))

    def apply(self, name: str, z: Row) -> Row:
        """Activation ``name`` of z: ``symbol(z)``, or its value at :attr:`z_value`."""
        record = array_activation(name)
        if self.z_value is None:
            return (Call(record.symbol, z),)
        value = float(record.f_array(np.array(self.z_value), np))
        return (Num(value, self.decimals, self.significant),)


SYMBOLS = Typesetter()
"""The typesetter of rows written in symbols only."""

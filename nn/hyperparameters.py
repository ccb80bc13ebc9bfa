r"""A hyperparameter: one number a model of learning takes, with the interval it must lie in.

An optimizer's learning rate α, momentum μ, decay rates β1 and β2 and ε are
each one :class:`Hyperparameter`. Its :meth:`~Hyperparameter.check` is the
only check of its interval: the optimizer's constructor, the settings of a
training run and the command line's argument types all call it.

>>> momentum = Hyperparameter("momentum", "μ", "momentum", default=0.0, high=1.0)
>>> momentum.requirement, momentum.check(0.9)
('in [0, 1)', 0.9)
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass


@dataclass(frozen=True)
class Hyperparameter:
    r"""A named number, its symbol, what it means, its default and its interval.

    The interval runs from ``low`` to ``high`` (``math.inf``: no upper end);
    ``low_open`` and ``high_open`` leave that end out. The default is
    [0, ∞); ``low_open=True`` makes it (0, ∞), ``high=1.0`` makes it [0, 1).

    Attributes:
        name: Its keyword in the constructor and its option (``--beta1``), a Python identifier.
        symbol: Its symbol in the equations (``"β1"``).
        help: What it is, in a few words (``"decay rate of the mean of g"``).
        default: The value when none is given, or None when it must be given.
        low: The lower end of the interval.
        high: The upper end of the interval (``math.inf``: none).
        low_open: ``low`` itself is refused.
        high_open: ``high`` itself is refused.
    """

    name: str
    symbol: str
    help: str
    default: float | None = None
    low: float = 0.0
    high: float = math.inf
    low_open: bool = False
    high_open: bool = True

    def __post_init__(self) -> None:
        if not self.name.isidentifier():
            raise ValueError(f"a hyperparameter's name must be a Python identifier, got {self.name!r}")
        if not self.low < self.high or math.isinf(self.low):
            raise ValueError(f"hyperparameter {self.name}: need a finite low < high, got {self.low!r}, {self.high!r}")
        if self.default is not None:
            self.check(self.default, f"the default of {self.name}")

    @property
    def fallback(self) -> float:
        """The default, typed ``float`` for a signature: ``momentum: float = MOMENTUM.fallback``.

        Raises:
            TypeError: The hyperparameter has no default (it must be given).
        """
        if self.default is None:
            raise TypeError(f"hyperparameter {self.name} has no default: it must be given")
        return self.default

    @property
    def interval(self) -> tuple[float, float, bool, bool]:
        """``(low, high, low_open, high_open)``: two hyperparameters with the same name must share it."""
        return (self.low, self.high, self.low_open, self.high_open)

    @property
    def requirement(self) -> str:
        """What a value must be: ``"> 0"``, ``">= 0"``, ``"in [0, 1)"``."""
        if math.isinf(self.high):
            return f"{'>' if self.low_open else '>='} {self.low:g}"
        return f"in {'(' if self.low_open else '['}{self.low:g}, {self.high:g}{')' if self.high_open else ']'}"

    @property
    def expected(self) -> str:
        """What was expected, for a message: ``"a positive number"``, ``"a number in [0, 1)"``."""
        if self.requirement == "> 0":
            return "a positive number"
        return f"a finite number {self.requirement}" if math.isinf(self.high) else f"a number {self.requirement}"

    def check(self, value: object, what: str | None = None) -> float:
        """``value`` as a float if it is a finite real number in the interval.

        Args:
            value: The value given.
            what: The name for the message (default: :attr:`name`).

        Raises:
            ValueError: Not a finite real number (``bool`` refused), or outside
                the interval; the message names ``what``, the value and the interval.
        """
        what = self.name if what is None else what
        if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
            raise ValueError(f"{what} must be a finite number, got {value!r}")
        x = float(value)
        above = x > self.low if self.low_open else x >= self.low
        below = x < self.high if self.high_open else x <= self.high
        if not (above and below):
            raise ValueError(f"{what} must be {self.requirement}, got {value!r}")
        return x

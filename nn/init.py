r"""Weight initialisation: the range of a model's random weights, and where they come from.

Weights are drawn from a uniform distribution U(-r, r); biases start at 0.

=========== =================================== ==============================
init        r                                   meant for
=========== =================================== ==============================
uniform     1                                   micrograd's default
xavier      √(6 / (fan_in + fan_out))           tanh, sigmoid (Glorot & Bengio)
he          √(6 / fan_in)                       ReLU and its relatives (He et al.)
=========== =================================== ==============================

Where the random numbers come from (``seed=`` of a model, a layer, a neuron):

* an int: a ``random.Random(seed)`` of the model's own; the same seed gives the
  same weights, and Python's global random state is never touched;
* a ``random.Random``: that generator (a model shares one with its layers);
* None (the default): Python's global ``random``, as micrograd, and as PyTorch,
  whose models follow ``torch.manual_seed``. The weights are drawn in
  micrograd's order, one ``uniform(-r, r)`` per weight, neuron by neuron, layer
  by layer, so ``random.seed(1337)`` then ``MLP(2, [16, 16, 1])`` gives
  micrograd's demo its very weights.
"""

from __future__ import annotations

import math
import random
from types import ModuleType

Seed = int | random.Random | None

INITS = ("uniform", "xavier", "he")
"""The names of the weight initialisations."""


def generator(seed: Seed) -> random.Random | ModuleType:
    """Where weights are drawn from: the global ``random`` for None, else :func:`shared`."""
    own = shared(seed)
    return random if own is None else own  # the global one: random.seed(1337) fixes the weights


def shared(seed: Seed) -> random.Random | None:
    """What a model passes on to its layers and neurons: None (the global ``random``) or one ``random.Random``.

    Raises:
        TypeError: ``seed`` is not an int, a ``random.Random`` or None.
    """
    if seed is None:
        return None
    if isinstance(seed, random.Random):
        return seed
    if isinstance(seed, int) and not isinstance(seed, bool):
        return random.Random(seed)
    raise TypeError(f"seed must be an int, a random.Random or None, got {type(seed).__name__}: {seed!r}")


def init_bound(init: str, fan_in: int, fan_out: int) -> float:
    r"""The half-width r of the uniform distribution U(-r, r) of the weights.

    Args:
        init: ``"uniform"`` (r = 1), ``"xavier"`` (r = √(6 / (fan_in + fan_out)))
            or ``"he"`` (r = √(6 / fan_in)).
        fan_in: Number of inputs of a neuron.
        fan_out: Number of neurons of the layer.

    Raises:
        ValueError: An unknown name.
    """
    if init == "uniform":
        return 1.0
    if init == "xavier":
        return math.sqrt(6.0 / (fan_in + fan_out))
    if init == "he":
        return math.sqrt(6.0 / fan_in)
    raise ValueError(f"unknown init {init!r}; expected one of: {', '.join(INITS)}")


__all__ = ["INITS", "Seed", "generator", "init_bound", "shared"]

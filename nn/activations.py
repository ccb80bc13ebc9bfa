r"""Activation functions f(z) of a neuron: the one registry, :data:`ACTIVATIONS`.

========== =============================== =========================================
name       f(z)                            f'(z)
========== =============================== =========================================
linear     z                               1
relu       max(0, z)                       1 if z > 0 else 0 (0 at z = 0, as PyTorch)
leaky_relu z if z > 0 else α z             1 if z > 0 else α   (α = 0.01, the engine's)
tanh       tanh z                          1 - tanh^2 z
sigmoid    σ(z) = 1 / (1 + e^{-z})         σ(z) (1 - σ(z))
swish      z σ(z)  (also called SiLU)      σ(z) + z σ(z)(1 - σ(z))
========== =============================== =========================================

Each row is an :class:`Activation` record holding everything the rest of
chainrule needs to know about it, so that an activation is defined once:

* ``f``: the function on ``Value`` objects (the engine knows its derivative);
* ``f_array(z, xp)`` and ``df_array(z, xp)``: f and f' on arrays, for the
  vectorized equations of :mod:`nn.analytic`. ``xp`` is the array module the
  caller passes in (NumPy), so this module imports no array library;
* ``torch_module``: the ``torch.nn`` class (``"ReLU"``; None for linear);
* ``graph_symbol``: the symbol of its node in a drawn graph, taken from the
  engine's table of operations (``"ReLU"``, ``"LeakyReLU"``, ``"tanh"``; None
  for linear, which adds no node: a linear neuron's ``a`` is its ``z``);
* ``slope``: the default slope α of the leaky ReLU
  (:data:`autograd.ops.LEAKY_RELU_SLOPE`), None for the others;
* ``kink``: whether f' jumps at z = 0 (relu, leaky_relu), where f has no
  derivative and a central finite difference across 0 estimates none;
* ``output_range``: the interval f maps onto, (low, high) (a worksheet draws
  targets an output layer can reach from it);
* ``symbol``, ``typeset_f(t, z)`` and ``typeset_df(t, z, a)``: how the
  worksheets write f (``σ``), its definition and f′ (with z and a = f(z)).
  ``t`` is the worksheet's typesetter (:mod:`chainrule.worksheet.typeset`),
  passed in as ``xp`` is, so this module imports none: it offers the nodes
  ``t.Num(value, decimals)``, ``t.Op``, ``t.Sym``, ``t.Call``, ``t.Frac``,
  ``t.Text``, the rows ``t.square(x)`` and ``t.one_minus(x)``, and
  ``t.apply(name, z)``, another activation of z (σ(z) in swish's f′: its
  symbol, or its value when the sheet substitutes numbers).

Softmax is not in :data:`ACTIVATIONS`: it is not a function of one neuron's z
but of the whole layer's, a^L_j = e^{z^L_j} / Σ_k e^{z^L_k}, so a neuron cannot
apply it and its derivative is a Jacobian, not a number per neuron,

    ∂a_j/∂z_k = a_j (δ_jk − a_k).

It is the one record of :data:`nn.softmax.LAYERWISE` (``elementwise=False``,
in :mod:`nn.softmax`): f on arrays
is column by column (one example per column), ``jacobian_array`` gives each
column's Jacobian, ``f_layer`` is softmax on a layer's list of Values (the
engine's graph), and ``df_array`` and ``f`` refuse to be called. It is only
ever the OUTPUT layer of the equations (:mod:`nn.analytic`) and of the
worksheets, over a model whose last layer is linear (its z^L are the logits,
which is how ``nn`` trains with softmax: the ``cross_entropy`` loss takes the
logits). The cost ``cross_entropy`` pairs with it on arrays
(:data:`nn.costs.COSTS`: BP1 is δ^L = (a^L − y)/m, the Jacobian contracted
with −y/a); any other cost on a softmax output goes through the Jacobian,
δ^L_i = J_iᵀ ∇_a C per example i. The MLP, its serialization, the PyTorch
bridge and the command line's ``--activation`` know the elementwise records
only; :func:`nn.softmax.array_activation` finds either kind by name for the equations.

How to use it::

    from nn.activations import ACTIVATIONS, lookup, registered
    ACTIVATIONS["tanh"].f(z)             # a Value
    ACTIVATIONS["tanh"](z)               # the same: a record is callable
    lookup("silu").name                  # "swish": names and aliases, case-insensitive
    registered(neuron.f)                 # the record of a neuron's f, or None for a callable
    {a.graph_symbol: a for a in ACTIVATIONS.values() if a.graph_symbol}   # node symbol -> record

A model may use a different activation in each hidden layer:
``MLP(64, [5, 3, 1], activation=["swish", "leaky_relu"], output_activation="sigmoid")``
gives layer 1 f = swish and layer 2 g = leaky ReLU (:func:`per_hidden_layer`
checks such a list; :func:`parse_activations` reads the command line's
``swish,leaky_relu``).

A model may also be given any callable from ``Value`` to ``Value``
(``lambda z: z.leaky_relu(0.2)``); such a model cannot be saved to JSON,
converted to PyTorch or checked against the equations, which need a name.

To add an activation: add one record to ``_RECORDS`` here (f on Values may
be any composition of the engine's operations) and its formula to
``FORMULAS`` in ``tests/test_nn_module.py`` (a test fails without it). Code
outside the package can :func:`register` a record instead (and
:func:`unregister` it); either way training, :mod:`nn.analytic`, ``chainrule
check``, the PyTorch bridge and the worksheets read it from :data:`ACTIVATIONS`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, cast

from autograd import Value
from autograd.ops import LEAKY_RELU_SLOPE, OPS

ValueFunction = Callable[[Value], Value]
"""A function of one ``Value`` returning a ``Value``: f applied in the engine."""

ActivationLike = str | ValueFunction
"""What a model accepts as an activation: a registered name or a callable."""

ActivationsLike = ActivationLike | Sequence[ActivationLike]
"""What ``MLP(activation=...)`` accepts: one activation, or a list of them (one per hidden layer)."""

ArrayFunction = Callable[[Any, Any], Any]
"""``g(z, xp)``: an array function of the array ``z``, written with the array module ``xp``."""

Typeset = Callable[..., tuple]
"""``(t, *rows) -> Row``: a formula for the sheet, built with the typesetter ``t``."""


@dataclass(frozen=True)
class Activation:
    r"""One activation function f and everything chainrule needs to know about it.

    Attributes:
        name: The canonical name (``"leaky_relu"``), key in :data:`ACTIVATIONS`.
        f: f on ``Value`` objects; the engine differentiates it.
        f_array: ``f_array(z, xp)``, f elementwise on an array ``z`` (``xp``: NumPy).
        df_array: ``df_array(z, xp)``, f'(z) elementwise, for BP1 and BP2.
        torch_module: The name of the ``torch.nn`` module computing f (None for linear).
        graph_symbol: The symbol of f's node in a drawn graph, as the engine
            shows it (``Value.op``); None for linear, which adds no node.
        symbol: f's symbol on a worksheet (``"σ"``, ``"tanh"``).
        typeset_f: ``typeset_f(t, z)``, the row of f(z)'s definition.
        typeset_df: ``typeset_df(t, z, a)``, the row of f′(z), written with z and a = f(z).
        output_range: (low, high), the values f takes (±inf when unbounded).
        slope: The default slope α of a leaky ReLU (None for the others).
        kink: True when f' jumps at z = 0 (f is not differentiable there).
        elementwise: False for a function of the whole layer (softmax): it has
            no f′ per neuron but a Jacobian, and is only an output layer.
        jacobian_array: For a layer-wise f, ``jacobian_array(z, xp)`` of z
            (n, m): shape (m, n, n), entry [i, j, k] = ∂a_j/∂z_k of example i.
        f_layer: For a layer-wise f, f on a layer's list of z Values
            (returns the list of a Values).

    A record is callable: ``activation(z)`` is ``activation.f(z)``.
    """

    name: str
    f: ValueFunction
    f_array: ArrayFunction
    df_array: ArrayFunction
    torch_module: str | None
    graph_symbol: str | None
    symbol: str
    typeset_f: Typeset
    typeset_df: Typeset
    output_range: tuple[float, float]
    slope: float | None = None
    kink: bool = False
    elementwise: bool = True
    jacobian_array: ArrayFunction | None = None
    f_layer: Callable[[Sequence[Value]], list[Value]] | None = None

    def __call__(self, z: Value) -> Value:
        """f(z) on a ``Value``."""
        return self.f(z)

    @property
    def is_identity(self) -> bool:
        """True for f(z) = z, which adds no node (a = z; f′ = 1)."""
        return self.graph_symbol is None


# -- f on Values ------------------------------------------------------------------------


def linear(z: Value) -> Value:
    r"""The identity f(z) = z, f'(z) = 1: returns ``z`` itself (no new node)."""
    return z


def relu(z: Value) -> Value:
    r"""ReLU f(z) = max(0, z)."""
    return z.relu()


def leaky_relu(z: Value) -> Value:
    r"""Leaky ReLU f(z) = z if z > 0 else α z, with the engine's default α (0.01)."""
    return z.leaky_relu(LEAKY_RELU_SLOPE)


def tanh(z: Value) -> Value:
    r"""f(z) = tanh z."""
    return z.tanh()


def sigmoid(z: Value) -> Value:
    r"""The logistic function f(z) = σ(z) = 1 / (1 + e^{-z})."""
    return z.sigmoid()


def swish(z: Value) -> Value:
    r"""Swish / SiLU f(z) = z σ(z)."""
    return z.swish()


# -- f and f' on arrays (xp: the array module, NumPy) --------------------------------------


def _sigmoid_array(z: Any, xp: Any) -> Any:
    r"""σ(z) elementwise, without overflow for any z."""
    # NOTE: numerical stability: only ever exponentiate non-positive numbers.
    e = xp.exp(-xp.abs(z))
    return xp.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _sigmoid_derivative_array(z: Any, xp: Any) -> Any:
    s = _sigmoid_array(z, xp)
    return s * (1.0 - s)


def _swish_derivative_array(z: Any, xp: Any) -> Any:
    s = _sigmoid_array(z, xp)
    return s + z * s * (1.0 - s)


# -- f and f' as a worksheet writes them (t: the worksheet's typesetter) ---------------------


def _step(t: Any, z: tuple, low: Any) -> tuple:
    """``1 if z > 0 else low``: the derivative of a ReLU-type f."""
    return (t.Num(1, 0), t.Text("if"), *z, t.Op(">"), t.Num(0, 0), t.Text("else"), low)


def _slope(t: Any) -> Any:
    return t.Num(LEAKY_RELU_SLOPE, 2)


def _exp(t: Any, sign: str) -> Any:
    return t.Sym("e", sign + "z")


INF = float("inf")
_SWISH_MIN = -0.2784645427610738
"""min_z z σ(z), at z ≈ -1.2785 (where σ(z) (1 + z (1 - σ(z))) = 0)."""

# fmt: off
_RECORDS = (
    Activation("linear", linear,
               lambda z, xp: z, lambda z, xp: xp.ones_like(z),
               None, None, "f",
               lambda t, z: z, lambda t, z, a: (t.Num(1, 0),), (-INF, INF)),
    Activation("relu", relu,
               lambda z, xp: xp.maximum(z, 0.0), lambda z, xp: xp.where(z > 0, 1.0, 0.0),  # f'(0) = 0
               "ReLU", OPS["relu"].symbol, "ReLU",
               lambda t, z: (t.Call("max", (t.Num(0, 0), t.Op(","), *z)),),
               lambda t, z, a: _step(t, z, t.Num(0, 0)), (0.0, INF), kink=True),
    Activation("leaky_relu", leaky_relu,
               lambda z, xp: xp.where(z > 0, z, LEAKY_RELU_SLOPE * z),
               lambda z, xp: xp.where(z > 0, 1.0, LEAKY_RELU_SLOPE),
               "LeakyReLU", OPS["leaky_relu"].bind(LEAKY_RELU_SLOPE).symbol, "LeakyReLU",
               lambda t, z: (*z, t.Text("if"), *z, t.Op(">"), t.Num(0, 0), t.Text("else"), _slope(t), *z),
               lambda t, z, a: _step(t, z, _slope(t)), (-INF, INF), LEAKY_RELU_SLOPE, kink=True),
    Activation("tanh", tanh,
               lambda z, xp: xp.tanh(z), lambda z, xp: 1.0 - xp.tanh(z) ** 2,
               "Tanh", OPS["tanh"].symbol, "tanh",
               lambda t, z: (t.Frac((_exp(t, ""), t.Op("−"), _exp(t, "−")), (_exp(t, ""), t.Op("+"), _exp(t, "−"))),),
               lambda t, z, a: (t.Num(1, 0), t.Op("−"), *t.square(a)), (-1.0, 1.0)),
    Activation("sigmoid", sigmoid,
               _sigmoid_array, _sigmoid_derivative_array,
               "Sigmoid", OPS["sigmoid"].symbol, "σ",
               lambda t, z: (t.Frac((t.Num(1, 0),), (t.Num(1, 0), t.Op("+"), _exp(t, "−"))),),
               lambda t, z, a: (*a, t.Op("·"), *t.one_minus(a)), (0.0, 1.0)),
    Activation("swish", swish,
               lambda z, xp: z * _sigmoid_array(z, xp), _swish_derivative_array,
               "SiLU", OPS["swish"].symbol, "swish",
               lambda t, z: (*z, t.Op("·"), *t.apply("sigmoid", z)),
               lambda t, z, a: (*t.apply("sigmoid", z), t.Op("+"), *z, t.Op("·"), *t.apply("sigmoid", z),
                                t.Op("·"), *t.one_minus(t.apply("sigmoid", z))),
               (_SWISH_MIN, INF)),
)
# fmt: on

ACTIVATIONS: dict[str, Activation] = {record.name: record for record in _RECORDS}
"""The registry: canonical name -> :class:`Activation` (see the module docstring)."""

ALIASES: dict[str, str] = {"silu": "swish", "identity": "linear"}
"""Other accepted names -> canonical name."""

_BUILT_IN = frozenset(ACTIVATIONS)


def register(activation: Activation) -> Activation:
    """Add ``activation`` to :data:`ACTIVATIONS`, where every part of chainrule finds it. Returns it.

    Raises:
        TypeError: Not an :class:`Activation`.
        ValueError: Its name is not a lowercase identifier, or is taken (by a record or an alias).
    """
    if not isinstance(activation, Activation):
        raise TypeError(f"register takes an Activation record, got {type(activation).__name__}")
    name = activation.name
    if not name.isidentifier() or name != name.lower():
        raise ValueError(f"an activation's name must be a lowercase identifier, got {name!r}")
    if name in ACTIVATIONS or name in ALIASES:
        raise ValueError(f"an activation named {name!r} is already registered")
    ACTIVATIONS[name] = activation
    return activation


def unregister(name: str) -> None:
    """Remove an activation added with :func:`register`; the built-in ones stay.

    Raises:
        ValueError: A built-in or unknown name.
    """
    if name in _BUILT_IN or name not in ACTIVATIONS:
        raise ValueError(f"{name!r} is not an activation added with register")
    del ACTIVATIONS[name]


def lookup(name: str) -> Activation:
    """The record of a registered activation, by name or alias, case-insensitive.

    Raises:
        ValueError: An unknown name (the message lists the known ones).
    """
    key = name.lower()
    key = ALIASES.get(key, key)
    if key not in ACTIVATIONS:
        raise ValueError(f"unknown activation {name!r}; expected one of: {', '.join(ACTIVATIONS)}")
    return ACTIVATIONS[key]


def registered(activation: object) -> Activation | None:
    """The record whose function on Values is ``activation`` (or which is it); None otherwise."""
    for record in ACTIVATIONS.values():
        if activation is record.f or activation is record:
            return record
    return None


def resolve(activation: ActivationLike) -> tuple[str, ValueFunction]:
    """The ``(name, function on Values)`` of an activation given by name or as a callable.

    Args:
        activation: A name from :data:`ACTIVATIONS` (or an alias: ``"silu"``,
            ``"identity"``), a record, or a callable from ``Value`` to ``Value``.

    Returns:
        The canonical name (for a user's callable: its ``__name__``) and the function.

    Raises:
        ValueError: An unknown name.
        TypeError: Neither a string nor a callable.
    """
    if isinstance(activation, str):
        record = lookup(activation)
        return record.name, record.f
    known = registered(activation)
    if known is not None:
        return known.name, known.f
    if callable(activation):
        return getattr(activation, "__name__", type(activation).__name__), activation
    raise TypeError(
        "activation must be a name (str) or a callable Value -> Value, "
        f"got {type(activation).__name__}: {activation!r}"
    )


def is_named(activation: object) -> bool:
    """True when ``activation`` is the function of a record of :data:`ACTIVATIONS`."""
    return registered(activation) is not None


def per_hidden_layer(activation: ActivationsLike, hidden: int) -> list[ActivationLike]:
    """One activation per hidden layer, from one activation or a list of them.

    Args:
        activation: One name or callable, used in every hidden layer, or a
            list (or tuple) of exactly ``hidden`` of them: entry l-1 is f of layer l.
        hidden: The number of hidden layers, L - 1.

    Returns:
        A list of ``hidden`` activations (names or callables, not yet resolved).

    Raises:
        ValueError: A list whose length is not ``hidden`` (the message says how many are needed).
    """
    if isinstance(activation, (list, tuple)):
        if len(activation) != hidden:
            one_each = "" if hidden == 1 else f", or {hidden}"
            raise ValueError(
                f"activation has {len(activation)} name{'s' if len(activation) != 1 else ''} for "
                f"{hidden} hidden layer{'s' if hidden != 1 else ''}: give one name{one_each}"
            )
        return list(activation)
    return [cast(ActivationLike, activation)] * hidden


def parse_activations(text: str) -> str | list[str]:
    """The activation(s) written on a command line: ``"tanh"`` or ``"swish,leaky_relu"``.

    Returns:
        The canonical name for one name, the list of canonical names (one per
        hidden layer, in order) for a comma-separated list; what ``MLP``'s
        ``activation`` accepts.

    Raises:
        ValueError: An empty entry or an unknown name (naming the known ones).
    """
    parts = [part.strip() for part in text.split(",")]
    if not all(parts):
        raise ValueError(f"activation list {text!r} has an empty entry; write names separated by commas")
    names = [lookup(part).name for part in parts]
    return names[0] if len(names) == 1 else names

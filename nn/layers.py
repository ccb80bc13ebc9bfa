r"""Neurons, layers and multilayer perceptrons, in the curriculum's notation.

One neuron ``j`` of layer ``l`` computes, for the activations ``a^{l-1}`` of
the layer before (``a^0 = x``, the input),

    z^l_j = Σ_k w^l_{jk} a^{l-1}_k + b^l_j,        a^l_j = f_l(z^l_j),

so ``neuron.w[k]`` is ``w^l_{jk}``, the weight from neuron ``k`` of the layer
before to this neuron ``j``; ``layer.W[j][k]`` is the same Value (row =
receiving neuron, column = sending neuron: ``layer.W`` is the matrix ``W^l``).

Every call keeps the latest pre-activation ``z`` and activation ``a`` of each
neuron (``neuron.z``, ``neuron.a``; ``layer.z``, ``layer.a``; ``mlp.zs``,
``mlp.activations``), labelled with their dotted names
(``layers.0.neurons.3.z``). After ``backward()`` the gradient of a neuron's
``z`` is its error δ^l_j = ∂C/∂z^l_j, the quantity of the four equations of
backpropagation.

Initialisation (``init=``, ``seed=``): see :mod:`nn.init`. With no ``seed``,
the weights come from Python's global ``random`` in micrograd's order, so
``random.seed(1337)`` then ``MLP(2, [16, 16, 1])`` gives micrograd's demo its
very weights.

micrograd's ``nonlin=`` is accepted by :class:`Neuron` and :class:`Layer`
(``True``: ReLU, ``False``: linear) in place of ``activation=``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from itertools import pairwise
from typing import cast

from autograd import Value, weighted_sum
from nn.activations import ActivationLike, ActivationsLike, per_hidden_layer, resolve
from nn.checks import positive_int
from nn.init import INITS, Seed, generator, init_bound, shared
from nn.matrices import Matrix, layer_arrays
from nn.module import Module, as_inputs

__all__ = ["INITS", "MLP", "Layer", "Neuron", "Seed", "init_bound", "parameter_count", "parameter_names"]


def _activation(activation: ActivationLike | None, nonlin: bool | None, what: str) -> ActivationLike:
    """The activation from ``activation=`` or micrograd's ``nonlin=`` (True: ReLU, False: linear)."""
    if nonlin is None:
        if isinstance(activation, bool):
            raise TypeError(
                f"{what} activation must be a name or a callable, got {activation!r}; "
                f"for micrograd's boolean write nonlin={activation!r}"
            )
        return "relu" if activation is None else activation
    if not isinstance(nonlin, bool):
        raise TypeError(f"{what} nonlin must be True (ReLU) or False (linear), got {type(nonlin).__name__}: {nonlin!r}")
    if activation is not None:
        raise ValueError(
            f"{what}: give activation= or micrograd's nonlin=, not both "
            f"(got activation={activation!r}, nonlin={nonlin!r})"
        )
    return "relu" if nonlin else "linear"


class Neuron(Module):
    r"""One neuron: z = Σ_k w_k x_k + b, a = f(z).

    Args:
        nin: Number of inputs.
        activation: f, by name (``"relu"``, ``"tanh"``, ... see
            :mod:`nn.activations`) or a callable ``Value -> Value``; ReLU
            when neither it nor ``nonlin`` is given.
        bias: Whether the neuron has a bias ``b`` (else z = Σ_k w_k x_k).
        init: Weight initialisation, ``"uniform"``, ``"xavier"`` or ``"he"``.
        seed: An int, a ``random.Random`` (shared by a whole model) or None
            (Python's global ``random``, as micrograd).
        fan_out: Neurons in this neuron's layer (only ``"xavier"`` uses it).
        nonlin: micrograd's keyword, instead of ``activation``: True for
            ReLU, False for a linear neuron.

    Attributes:
        w: The weights, a list of ``nin`` Values (``w.k``).
        b: The bias Value, or None without a bias.
        z: The pre-activation Value of the latest call (None before the first).
        a: The activation Value of the latest call; for a linear neuron it is
            the same node as ``z`` (labelled ``z``).
        activation: The name of f.
        f: The activation function itself (``Value -> Value``).
    """

    def __init__(
        self,
        nin: int,
        activation: ActivationLike | None = None,
        bias: bool = True,
        *,
        init: str = "uniform",
        seed: Seed = None,
        fan_out: int = 1,
        nonlin: bool | None = None,
    ) -> None:
        self.nin = positive_int(nin, "Neuron nin")
        self.activation, self.f = resolve(_activation(activation, nonlin, "Neuron"))
        r = init_bound(init, nin, positive_int(fan_out, "Neuron fan_out"))
        uniform = generator(seed).uniform
        self.w: list[Value] = [Value(uniform(-r, r)) for _ in range(nin)]
        self.b: Value | None = Value(0.0) if bias else None
        self.z: Value | None = None
        self.a: Value | None = None
        self.assign_names()

    def own_parameters(self) -> list[tuple[str, Value]]:
        named = [(f"w.{k}", w) for k, w in enumerate(self.w)]
        if self.b is not None:
            named.append(("b", self.b))
        return named

    def _names_assigned(self) -> None:
        self._z_label = self.name + "z"
        self._a_label = self.name + "a"

    def forward(self, x: Sequence[Value]) -> Value:
        r"""a = f(Σ_k w_k x_k + b) for inputs already checked (a list of ``nin`` Values).

        z is one ``Σ`` node (:func:`autograd.weighted_sum`) with operands
        (w_0, ..., w_{n-1}, x_0, ..., x_{n-1}, b): the value and gradients of
        the left fold w_0 x_0 + w_1 x_1 + ... + b written with ``*`` and ``+``,
        in one node instead of 2n.
        """
        z = weighted_sum(self.w, x, self.b)
        a = self.f(z)
        a.label = self._a_label
        z.label = self._z_label
        self.z, self.a = z, a
        return a

    def __call__(self, x: Sequence[float | Value]) -> Value:
        """The neuron's activation for the input ``x`` (``nin`` numbers or Values)."""
        return self.forward(as_inputs(x, self.nin, self))

    def extra_repr(self) -> str:
        return f"{self.nin}, activation={self.activation!r}" + ("" if self.b is not None else ", bias=False")


class Layer(Module):
    r"""``nout`` neurons reading the same inputs: z^l = W^l a^{l-1} + b^l, a^l = f(z^l).

    Args:
        nin: Inputs of each neuron (n_{l-1}).
        nout: Neurons in the layer (n_l).
        activation: f, by name or callable (see :class:`Neuron`).
        bias: Whether the neurons have biases.
        init: ``"uniform"``, ``"xavier"`` or ``"he"``.
        seed: An int, a ``random.Random`` or None (Python's global ``random``).
        nonlin: micrograd's keyword, instead of ``activation``: True for
            ReLU, False for linear neurons.

    Calling a layer returns a list of ``nout`` activations, except that a
    layer of ONE neuron returns that neuron's activation as a single
    ``Value`` (micrograd's behaviour, so ``loss = model(x)`` works for a
    one-output model).

    Attributes:
        neurons: The neurons (``neurons.j``).
    """

    def __init__(
        self,
        nin: int,
        nout: int,
        activation: ActivationLike | None = None,
        bias: bool = True,
        *,
        init: str = "uniform",
        seed: Seed = None,
        nonlin: bool | None = None,
    ) -> None:
        self.nin = positive_int(nin, "Layer nin")
        self.nout = positive_int(nout, "Layer nout")
        activation = _activation(activation, nonlin, "Layer")
        rng = shared(seed)
        self.neurons = [
            Neuron(nin, activation, bias, init=init, seed=rng, fan_out=nout) for _ in range(nout)
        ]
        self.activation = self.neurons[0].activation
        self.assign_names()

    def named_children(self) -> list[tuple[str, Module]]:
        return [(f"neurons.{j}", n) for j, n in enumerate(self.neurons)]

    @property
    def W(self) -> list[list[Value]]:
        """The weight matrix W^l as Values: ``W[j][k]`` = w_jk, from input k to neuron j."""
        return [n.w for n in self.neurons]

    @property
    def b(self) -> list[Value | None]:
        """The biases b^l_j, one per neuron (None where a neuron has no bias)."""
        return [n.b for n in self.neurons]

    @property
    def z(self) -> list[Value | None]:
        """The pre-activations z^l_j of the latest call, one per neuron."""
        return [n.z for n in self.neurons]

    @property
    def a(self) -> list[Value | None]:
        """The activations a^l_j of the latest call, one per neuron."""
        return [n.a for n in self.neurons]

    def forward(self, x: Sequence[Value]) -> list[Value]:
        """The list of the ``nout`` activations for inputs already checked (``nin`` Values)."""
        return [n.forward(x) for n in self.neurons]

    def __call__(self, x: Sequence[float | Value]) -> Value | list[Value]:
        """The activations for the input ``x``; a single Value when ``nout == 1``."""
        out = self.forward(as_inputs(x, self.nin, self))
        return out[0] if self.nout == 1 else out

    def extra_repr(self) -> str:
        bias = "" if self.neurons[0].b is not None else ", bias=False"
        return f"{self.nin}, {self.nout}, activation={self.activation!r}{bias}"

    def __repr__(self) -> str:
        # One line: a tree of every neuron would bury the architecture.
        return f"Layer({self.extra_repr()})"


class MLP(Module):
    r"""A multilayer perceptron: layers l = 1..L, each feeding the next.

    ``MLP(3, [4, 4, 1])`` has inputs x (n_0 = 3), two hidden layers of 4
    neurons and one output: 4·(3+1) + 4·(4+1) + 1·(4+1) = 41 parameters.
    Defaults are micrograd's: ReLU in the hidden layers, a linear output.
    Each hidden layer may have its own activation:
    ``MLP(64, [5, 3, 1], activation=["swish", "leaky_relu"], output_activation="sigmoid")``
    is the curriculum's 0-vs-1 digits network (f = swish in layer 1, g = leaky
    ReLU in layer 2). Given weights are loaded with :meth:`from_weights`.

    Args:
        nin: Size of the input (n_0).
        sizes: Neurons per layer, ``[n_1, ..., n_L]``.
        activation: f of the hidden layers (name or callable), or a list of
            them, one per hidden layer (L - 1 of them).
        output_activation: f of the last layer (``"linear"``: the output is z^L).
        bias: Whether the neurons have biases.
        init: ``"uniform"`` (micrograd's U(-1, 1)), ``"xavier"`` or ``"he"``.
        seed: An int (same seed, same weights), a ``random.Random`` or None
            (Python's global ``random``: ``random.seed(1337)`` first gives
            micrograd's weights).

    Calling the model on ``nin`` numbers or Values returns the list of the
    ``n_L`` outputs, or a single ``Value`` when ``n_L == 1`` (micrograd's
    behaviour).

    Attributes:
        layers: The layers (``layers.0`` is layer l = 1).
        activation: What ``activation=`` rebuilds this model with: the name of
            f when every hidden layer has the same one (or when the model has
            no hidden layer and one name was given), else the list of names.
        hidden_activations: Always the list of names, one per hidden layer
            (``hidden_activations[l-1]`` is f of layer l; empty for one layer).
        output_activation: The name of f of the last layer.
        activations: ``[a^0, a^1, ..., a^L]`` of the latest call, each a list
            of Values (``a^0`` is the input as Values).
        zs: ``[z^1, ..., z^L]`` of the latest call, each a list of Values.
    """

    def __init__(
        self,
        nin: int,
        sizes: Sequence[int],
        activation: ActivationsLike = "relu",
        output_activation: ActivationLike = "linear",
        bias: bool = True,
        *,
        init: str = "uniform",
        seed: Seed = None,
    ) -> None:
        """See the class docstring.

        Raises:
            ValueError: A bad size, an unknown activation name, or a list of
                activations whose length is not the number of hidden layers.
        """
        self.nin = positive_int(nin, "MLP nin")
        if isinstance(sizes, (str, bytes)) or not isinstance(sizes, Sequence) or not sizes:
            raise ValueError(f"MLP sizes must be a non-empty list of layer sizes, got {sizes!r}")
        self.sizes = [positive_int(n, "MLP layer size") for n in sizes]
        fs = [*per_hidden_layer(activation, len(self.sizes) - 1), output_activation]
        rng = shared(seed)
        dims = [self.nin, *self.sizes]
        self.layers = [
            Layer(dims[i], dims[i + 1], f, bias, init=init, seed=rng) for i, f in enumerate(fs)
        ]
        self.hidden_activations = [layer.activation for layer in self.layers[:-1]]
        self.activation: str | list[str]
        if isinstance(activation, (list, tuple)):
            mixed = len(set(self.hidden_activations)) != 1
            self.activation = list(self.hidden_activations) if mixed else self.hidden_activations[0]
        else:
            self.activation = resolve(cast(ActivationLike, activation))[0]
        self.output_activation = self.layers[-1].activation
        self.bias = bias
        self.inputs: list[Value] = []
        self.assign_names()

    @classmethod
    def from_weights(
        cls,
        weights: object,
        biases: object,
        activation: ActivationsLike = "relu",
        output_activation: ActivationLike = "linear",
    ) -> MLP:
        r"""The MLP with given weights and biases, in the curriculum's layout.

        ``weights[l-1]`` is the matrix W^l (n_l × n_{l-1}: row j = receiving
        neuron j of layer l, column k = sending neuron k of layer l-1), so
        ``weights[l-1][j][k]`` is w^l_jk; ``biases[l-1]`` is the vector b^l
        (n_l numbers, or a column n_l × 1). Nested lists or NumPy arrays.
        The sizes are read off the shapes: n_0 = the columns of W^1.
        :meth:`weights` and :meth:`biases` give them back, float for float.

        Example (a 2-2-2 network with sigmoid neurons)::

            MLP.from_weights([[[.15, .20], [.25, .30]], [[.40, .45], [.50, .55]]],
                             [[.35, .35], [.60, .60]], "sigmoid", "sigmoid")

        Args:
            weights: ``[W^1, ..., W^L]``.
            biases: ``[b^1, ..., b^L]``, or None for a model without biases.
            activation: f of the hidden layers: one name, or one per hidden layer.
            output_activation: f of the last layer.

        Raises:
            TypeError: Entries that are not real numbers, or not lists of them.
            ValueError: Shapes that do not fit one another (naming the layer and
                the expected shape), an entry that is not finite, or a wrong
                number of activations.
        """
        Ws, bs = layer_arrays(weights, biases)
        model = cls(len(Ws[0][0]), [len(W) for W in Ws], activation, output_activation, bs is not None, seed=0)
        for l, (layer, W) in enumerate(zip(model.layers, Ws)):
            for j, neuron in enumerate(layer.neurons):
                for w, value in zip(neuron.w, W[j]):
                    w.data = value
                if bs is not None and neuron.b is not None:
                    neuron.b.data = bs[l][j]
        return model

    def weights(self) -> list[Matrix]:
        r"""The matrices W^l as lists of floats: ``weights()[l-1][j][k]`` is w^l_jk (see :meth:`from_weights`)."""
        return [[[w.data for w in row] for row in layer.W] for layer in self.layers]

    def biases(self) -> list[list[float]] | None:
        r"""The vectors b^l as lists of floats (``biases()[l-1][j]`` is b^l_j); None for a model without biases."""
        if not self.bias:
            return None
        return [[0.0 if b is None else b.data for b in layer.b] for layer in self.layers]

    def named_children(self) -> list[tuple[str, Module]]:
        return [(f"layers.{i}", layer) for i, layer in enumerate(self.layers)]

    @property
    def activations(self) -> list[list[Value | None]]:
        """``[a^0, a^1, ..., a^L]`` of the latest call (``a^0``: the input Values)."""
        return [list(self.inputs), *(layer.a for layer in self.layers)]

    @property
    def zs(self) -> list[list[Value | None]]:
        """``[z^1, ..., z^L]`` of the latest call."""
        return [layer.z for layer in self.layers]

    def forward(self, x: Sequence[float | Value]) -> list[Value]:
        """The list of the ``n_L`` outputs for the input ``x`` (always a list)."""
        a = as_inputs(x, self.nin, self)
        self.inputs = a
        for layer in self.layers:
            a = layer.forward(a)
        return a

    def __call__(self, x: Sequence[float | Value]) -> Value | list[Value]:
        """The outputs for the input ``x``; a single Value when the last layer has one neuron."""
        out = self.forward(x)
        return out[0] if len(out) == 1 else out

    def extra_repr(self) -> str:
        return f"{self.nin}, {self.sizes}"


def parameter_count(nin: int, sizes: Sequence[int], bias: bool = True) -> int:
    r"""How many parameters ``MLP(nin, sizes, bias=bias)`` has, without building it.

    Σ_l n_l (n_{l-1} + 1) with biases, Σ_l n_l n_{l-1} without (n_0 = ``nin``).
    """
    dims = [positive_int(nin, "MLP nin"), *(positive_int(n, "MLP layer size") for n in sizes)]
    return sum(n_l * (n_prev + int(bias)) for n_prev, n_l in pairwise(dims))


def parameter_names(nin: int, sizes: Sequence[int], bias: bool = True) -> Iterator[str]:
    """The dotted names of ``MLP(nin, sizes, bias=bias)``'s parameters, generated without building it.

    They come in the order of :meth:`Module.named_parameters`
    (``layers.0.neurons.0.w.0``, ..., ``layers.0.neurons.0.b``, ``layers.0.neurons.1.w.0``, ...),
    one at a time, so a caller may stop early.
    """
    n_prev = positive_int(nin, "MLP nin")
    for l, n_l in enumerate(sizes):
        for j in range(positive_int(n_l, "MLP layer size")):
            prefix = f"layers.{l}.neurons.{j}."
            yield from (f"{prefix}w.{k}" for k in range(n_prev))
            if bias:
                yield prefix + "b"
        n_prev = n_l

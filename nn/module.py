"""``Module``: the base of every model: named parameters, gradients, state.

A module owns parameters (``Value`` leaves) and child modules. Their dotted
names follow the attribute path, as in PyTorch: in an ``MLP`` the weight from
input ``k`` to neuron ``j`` of the first layer is ``layers.0.neurons.j.w.k``
and that neuron's bias is ``layers.0.neurons.j.b``. :meth:`Module.assign_names`
writes each name into the parameter's ``label`` (what a rendered graph shows)
and gives each module its ``name`` prefix.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping, Sequence

from autograd import Value


class Module:
    """Base class of neurons, layers and models.

    Subclasses override :meth:`named_children` and :meth:`own_parameters`;
    everything else (:meth:`named_parameters`, :meth:`parameters`,
    :meth:`zero_grad`, :meth:`state_dict`, :meth:`load_state_dict`, the
    tree-shaped ``repr``) is derived from those two.

    Attributes:
        name: Dotted prefix of this module inside its model (``"layers.0."``;
            ``""`` for the outermost module), set by :meth:`assign_names`.
    """

    name: str = ""

    def named_children(self) -> list[tuple[str, Module]]:
        """The direct sub-modules, each with its attribute name (``("layers.0", layer)``)."""
        return []

    def own_parameters(self) -> list[tuple[str, Value]]:
        """The parameters held directly by this module (not by its children), named."""
        return []

    def named_parameters(self) -> list[tuple[str, Value]]:
        """Every parameter with its dotted name, in a fixed order (depth first).

        Returns:
            ``[("layers.0.neurons.0.w.0", Value), ...]``.
        """
        named: list[tuple[str, Value]] = []
        stack: list[tuple[str, Module]] = [("", self)]
        while stack:
            prefix, module = stack.pop()
            named.extend((prefix + name, p) for name, p in module.own_parameters())
            stack.extend((prefix + name + ".", child) for name, child in reversed(module.named_children()))
        return named

    def parameters(self) -> list[Value]:
        """Every parameter, in the order of :meth:`named_parameters`."""
        return [p for _, p in self.named_parameters()]

    def zero_grad(self) -> None:
        """Set every parameter's ``grad`` to 0.0 (call it before each ``backward``)."""
        for p in self.parameters():
            p.grad = 0.0

    def assign_names(self, prefix: str = "") -> None:
        """Label every parameter with its dotted name and give every module its prefix.

        The built-in modules call it from their constructors; a custom module
        that holds others calls it at the end of its own ``__init__``.

        Args:
            prefix: Dotted prefix of this module (``""`` for the outermost one).
        """
        stack: list[tuple[str, Module]] = [(prefix, self)]
        while stack:
            current, module = stack.pop()
            module.name = current
            module._names_assigned()
            for name, p in module.own_parameters():
                p.label = current + name
            stack.extend((current + name + ".", child) for name, child in module.named_children())

    def _names_assigned(self) -> None:
        """Hook run by :meth:`assign_names` after ``name`` changed (to cache derived labels)."""

    def state_dict(self) -> dict[str, float]:
        """The parameters' values by dotted name (a plain, JSON-ready dict of floats)."""
        return {name: p.data for name, p in self.named_parameters()}

    def load_state_dict(self, state: Mapping[str, float]) -> None:
        """Set the parameters from a :meth:`state_dict` of a model of the same shape.

        Everything is checked before anything is written: on any error the
        model is left unchanged.

        Args:
            state: Dotted name -> number, exactly the names of :meth:`named_parameters`.

        Raises:
            TypeError: ``state`` is not a mapping, or a value is not a real number.
            ValueError: Names are missing or unexpected (the sizes differ), or a
                value is not finite.
        """
        if not isinstance(state, Mapping):
            raise TypeError(f"load_state_dict expects a mapping name -> number, got {type(state).__name__}")
        named = self.named_parameters()
        expected = [name for name, _ in named]
        missing = [name for name in expected if name not in state]
        known = set(expected)
        unexpected = [name for name in state if name not in known]
        if missing or unexpected:
            parts = [f"the model has {len(expected)} parameters, the state has {len(state)}"]
            if missing:
                parts.append(f"missing: {_some(missing)}")
            if unexpected:
                parts.append(f"unexpected: {_some(unexpected)}")
            raise ValueError("load_state_dict: the state does not fit this model: " + "; ".join(parts))
        values: list[float] = []
        for name in expected:
            x = state[name]
            if isinstance(x, bool) or not isinstance(x, numbers.Real):
                raise TypeError(f"load_state_dict: {name} must be a real number, got {type(x).__name__}: {x!r}")
            if not math.isfinite(x):
                raise ValueError(f"load_state_dict: {name} must be finite, got {x!r}")
            values.append(float(x))
        for (_, p), x in zip(named, values):
            p.data = x

    def extra_repr(self) -> str:
        """The text inside this module's parentheses in its ``repr``."""
        return ""

    def __repr__(self) -> str:
        children = self.named_children()
        head = f"{type(self).__name__}({self.extra_repr()}"
        if not children:
            return head + ")"
        lines = [head]
        for name, child in children:
            body = repr(child).replace("\n", "\n  ")
            lines.append(f"  ({name}): {body}")
        return "\n".join(lines) + "\n)"


def _some(names: Sequence[str], limit: int = 5) -> str:
    shown = ", ".join(names[:limit])
    return shown + (f", ... ({len(names) - limit} more)" if len(names) > limit else "")


def as_inputs(x: object, nin: int, module: Module) -> list[Value]:
    """Check a model's input and make it a list of ``Value``s.

    Args:
        x: A list, tuple or 1-D array of ``nin`` numbers or Values (numbers become leaves
            labelled ``x.0``, ``x.1``, ...).
        nin: The expected length.
        module: The module called, named in messages (``MLP(2, [16, 16, 1])``).

    Raises:
        TypeError: ``x`` is not a sequence, or an entry is not a real number or Value.
        ValueError: ``x`` does not have ``nin`` entries.
    """
    return [
        xk if isinstance(xk, Value) else Value(xk, label=f"x.{k}")
        for k, xk in enumerate(checked_inputs(x, nin, module))
    ]


def checked_inputs(x: object, nin: int, module: Module) -> list[float | Value]:
    """The entries of a model's input after :func:`as_inputs`'s checks: numbers as floats, Values as they are."""
    if isinstance(x, (str, bytes)) or not (hasattr(x, "__len__") and hasattr(x, "__iter__")):
        raise TypeError(
            f"{_short(module)} expects a list of {nin} numbers or Values, "
            f"got {type(x).__name__}: {x!r}"
        )
    if len(x) != nin:
        raise ValueError(
            f"{_short(module)} expects an input of size {nin}, got {len(x)} values"
        )
    inputs = []
    for k, xk in enumerate(x):
        if type(xk) is float or isinstance(xk, Value):  # a float first: the common case, fast
            inputs.append(xk)
        elif isinstance(xk, bool) or not isinstance(xk, numbers.Real):
            raise TypeError(
                f"{_short(module)}: input {k} must be a real number or a Value, "
                f"got {type(xk).__name__}: {xk!r}"
            )
        else:
            inputs.append(float(xk))
    return inputs


def _short(module: Module) -> str:
    return f"{type(module).__name__}({module.extra_repr()})"

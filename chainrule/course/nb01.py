r"""The checks of notebook 1's exercises: backpropagation by hand, a new operation, paths through a graph.

The references come from :class:`autograd.Value` (1.1, 1.3) and from the
notebook's ``TinyValue`` class driven by a backward pass of the check's own
(1.2), never from the notebook's cells.

* 1.1 :math:`L = (a + b)(b + c)` at (1, 2, 3): a gradient of b that follows one
  path only, and the two factors of a product swapped, are named.
* 1.2 ``tiny_exp(x)`` is run forward and backward at fixed and fresh points:
  its value, the gradient through a product (out.grad must be multiplied in),
  and through two uses (``+=``, not ``=``).
* 1.3 :math:`e = ab`, :math:`d = e + a`, :math:`L = d \cdot d`: the number of
  paths from a to L and the sum over them; each path left out is named.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from autograd import Value
from chainrule.course.diagnose import ExerciseFailed, require
from chainrule.course.exercises import Namespace, exercise


def _leaf_gradients(build: Callable[..., Value], *inputs: float) -> list[float]:
    leaves = [Value(x) for x in inputs]
    build(*leaves).backward()
    return [float(leaf.grad) for leaf in leaves]  # floats: backward() without create_graph


ONE_PATH = "b is used twice: its gradient adds the two paths, through (a + b) and through (b + c)"
PRODUCT_SWAPPED = "a product passes each factor the other factor: ∂L/∂a is (b + c), ∂L/∂c is (a + b)"

BY_HAND_SLIPS: dict[str, Callable[[float, float, float], dict[str, float]]] = {
    f"{ONE_PATH} (only the one through (b + c) is here)": lambda a, b, c: {"dL_db": a + b},
    f"{ONE_PATH} (only the one through (a + b) is here)": lambda a, b, c: {"dL_db": b + c},
    PRODUCT_SWAPPED: lambda a, b, c: {"dL_da": a + b, "dL_dc": b + c},
}


@exercise("1.1", answers=("dL_da", "dL_db", "dL_dc"), slips={
    phrase: (lambda ns, slip=slip: slip(1.0, 2.0, 3.0)) for phrase, slip in BY_HAND_SLIPS.items()
})
def _backpropagation_by_hand(ns: Namespace) -> None:
    gradients = _leaf_gradients(lambda a, b, c: (a + b) * (b + c), 1.0, 2.0, 3.0)
    right = dict(zip(("dL_da", "dL_db", "dL_dc"), gradients))
    for name in right:
        variable = name[-1]
        slips = {phrase: {**right, **slip(1.0, 2.0, 3.0)}[name] for phrase, slip in BY_HAND_SLIPS.items()}
        require(name, ns[name], right[name], equation=f"∂L/∂{variable} for L = (a + b)(b + c)", slips=slips)


def _backward(root: Any) -> None:
    """The notebook's backward pass, written again here: reverse topological order by a stack, grads reset."""
    order, seen, stack = [], set(), [(root, False)]
    while stack:
        node, parents_done = stack.pop()
        if parents_done:
            order.append(node)
        elif id(node) not in seen:
            seen.add(id(node))
            stack.append((node, True))
            stack.extend((parent, False) for parent in getattr(node, "parents", ()))
    for node in order:
        node.grad = 0.0
    root.grad = 1.0
    for node in reversed(order):
        node.backward_step()


def _tiny_exp_made_like(tiny: type[Any], local: Callable[[Any, Any], float], add: bool = True) -> Callable[[Any], Any]:
    """A ``tiny_exp`` whose backward step passes ``local(x, out)`` (times nothing else) to x, added or set."""

    def tiny_exp(x: Any) -> Any:
        out = tiny(math.exp(x.data), (x,), "exp")

        def backward_step() -> None:
            x.grad = (x.grad if add else 0.0) + local(x, out)

        out.backward_step = backward_step
        return out

    return tiny_exp


def _tiny_exp_slips(tiny: type[Any]) -> dict[str, Callable[[Any], Any]]:
    return {
        "backward_step sets x.grad (=) where it must add to it (+=): a value used twice gets both shares":
            _tiny_exp_made_like(tiny, lambda x, out: out.data * out.grad, add=False),
        "out.grad is not multiplied in: the chain rule passes the local derivative times out.grad":
            _tiny_exp_made_like(tiny, lambda x, out: out.data),
        "the local derivative of e^x is e^x, not 1 (that is a sum's)":
            _tiny_exp_made_like(tiny, lambda x, out: out.grad),
        "the local derivative of e^x is e^x, not x":
            _tiny_exp_made_like(tiny, lambda x, out: x.data * out.grad),
    }


def _observe(tiny_exp: Callable[[Any], Any], tiny: type[Any], points: list[float]) -> dict[str, list[float]]:
    """tiny_exp's value, and the gradients backward gives through a product and through two uses."""
    seen: dict[str, list[float]] = {"value": [], "product": [], "twice": []}
    for x in points:
        leaf = tiny(x)
        out = tiny_exp(leaf)
        if not isinstance(out, tiny):
            raise ExerciseFailed(
                f"tiny_exp(x) returns a {type(out).__name__}, not a TinyValue: make the result with TinyValue(...)"
            )
        if not any(parent is leaf for parent in getattr(out, "parents", ())):
            raise ExerciseFailed("tiny_exp(x) is not made from x: give it the parents (x,), so that "
                                 "backpropagation reaches x")
        seen["value"].append(out.data)
        leaf = tiny(x)
        _backward(tiny_exp(leaf) * tiny(3.0))
        seen["product"].append(leaf.grad)
        leaf = tiny(x)
        _backward(tiny_exp(leaf) + tiny_exp(leaf))
        seen["twice"].append(leaf.grad)
    return seen


@exercise("1.2", answers=("tiny_exp",), slips={
    phrase: (lambda ns, phrase=phrase: {"tiny_exp": _tiny_exp_slips(ns["TinyValue"])[phrase]})
    for phrase in _tiny_exp_slips(object)
})
def _new_operation(ns: Namespace) -> None:
    tiny = ns["TinyValue"]
    points = [0.5, -1.0, *np.random.default_rng().uniform(-2.0, 2.0, 2).tolist()]
    got = _observe(ns["tiny_exp"], tiny, points)
    reference = _observe(_tiny_exp_made_like(tiny, lambda x, out: out.data * out.grad), tiny, points)
    slipped = {phrase: _observe(slip, tiny, points) for phrase, slip in _tiny_exp_slips(tiny).items()}
    what = {
        "value": ("tiny_exp(x).data", "e^x"),
        "product": ("x.grad after backward(tiny_exp(x) * 3)", "the chain rule, d(3 e^x)/dx = 3 e^x"),
        "twice": ("x.grad after backward(tiny_exp(x) + tiny_exp(x))", "the sum over both uses, 2 e^x"),
    }
    for part, (name, equation) in what.items():
        require(name, got[part], reference[part], equation=equation,
                slips={phrase: seen[part] for phrase, seen in slipped.items()})


def _paths(output: Value, leaf: Value) -> int:
    """The number of paths from ``leaf`` to ``output``: one per edge sequence (a stack, no recursion)."""
    count, stack = 0, [output]
    while stack:
        node = stack.pop()
        count += node is leaf
        stack.extend(node.parents)
    return count


def _path_slips(a: float, b: float) -> dict[str, dict[str, float]]:
    """With d = a b + a, ∂L/∂a = 2d (b + 1): each edge of d * d gives d, a path via e gives b, a -> d gives 1."""
    d = a * b + a
    return {
        "d * d has two edges into L, one per operand: each path through d counts twice":
            {"paths_from_a": 2, "dL_da_by_paths": d * (b + 1)},
        "a reaches d directly too (d = e + a): the path a -> d -> L is missing":
            {"paths_from_a": 2, "dL_da_by_paths": 2 * d * b},
        "a reaches d through e = a b too: the path a -> e -> d -> L is missing":
            {"paths_from_a": 2, "dL_da_by_paths": 2 * d},
    }


@exercise("1.3", answers=("paths_from_a", "dL_da_by_paths"), slips={
    phrase: (lambda ns, phrase=phrase: _path_slips(2.0, 3.0)[phrase]) for phrase in _path_slips(2.0, 3.0)
})
def _paths_through_a_graph(ns: Namespace) -> None:
    a, b = Value(2.0), Value(3.0)
    d = a * b + a
    L = d * d
    L.backward()
    require("dL_da_by_paths", ns["dL_da_by_paths"], a.grad,
            equation="the sum over the paths from a to L of the products of the labels",
            slips={phrase: slip["dL_da_by_paths"] for phrase, slip in _path_slips(2.0, 3.0).items()})
    require("paths_from_a", ns["paths_from_a"], _paths(L, a),
            equation="counting every path from a to L (each edge of d * d is a path of its own)")

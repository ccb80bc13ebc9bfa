r"""Replay mode: record a computation once as a flat tape, then run it on new numbers.

``tape = trace(f, *example_inputs)`` calls ``f`` once on ``Value`` leaves made
from the example inputs and records the graph it builds as a list of
instructions over numbered slots (the inputs, the constants, then one slot per
operation, in topological order). Afterwards

    tape(*inputs)                  = f(*inputs), a float
    tape.value_and_grad(*inputs)   = (f(*inputs), (∂f/∂input_0, ..., ∂f/∂input_n))

run the same operations on plain floats, without a ``Value`` per operation:
the forward rules and local derivatives are the rows of the table of
operations, applied in the same order as graph mode, so the results are
bit-for-bit those of building the graph afresh and calling ``backward()``.

What a trace freezes (decisions, checked by the tests):
    * Everything ``f`` reads that is not an input is a constant of the tape:
      to train a model by replay, pass its parameters as inputs.
    * The shape of the computation is the one of the example: Python ``if``
      and ``for`` that depend on the numbers run once, while tracing. A
      comparison of Values while tracing (``if x > 0:``) is therefore an error
      (:class:`TraceError`); write it with an operation of the table (``relu``,
      ``abs``) instead. Reading ``.data`` cannot be detected: do not branch on it.
    * Operations inside ``no_grad()`` are constants.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import reduce
from operator import add, itemgetter, mul
from typing import Any

from autograd import ops
from autograd.grad_mode import TraceError, enable_grad, tracing
from autograd.graph import topological_order
from autograd.value import Value, as_float

_ADD, _MUL, _WEIGHTED_SUM, _SUM, _UNARY, _ROW = range(6)


def _gather(slots: Sequence[int]) -> Callable[[list[float]], tuple[float, ...]]:
    """A C-level gather of ``vals[s] for s in slots``, always as a tuple."""
    if len(slots) == 1:
        (only,) = slots
        return lambda vals: (vals[only],)
    return itemgetter(*slots)


class Tape:
    """A recorded computation: see the module docstring. Made by :func:`trace`.

    Attributes:
        n_inputs: How many numbers a call takes.
        n_operations: How many operations are replayed per call.
    """

    def __init__(
        self, template: list[float], n_inputs: int, program: list[tuple], output: int, watched: list[int]
    ) -> None:
        self._template = template
        self._program = program
        self._output = output
        self._watched = watched
        self.n_inputs = n_inputs
        self.n_operations = len(program)

    def __repr__(self) -> str:
        return f"Tape({self.n_inputs} inputs, {self.n_operations} operations)"

    def _values(self, inputs: Sequence[object]) -> list[float]:
        if len(inputs) != self.n_inputs:
            raise TypeError(f"this tape takes {self.n_inputs} inputs (as traced), got {len(inputs)}")
        vals = self._template.copy()
        vals[: self.n_inputs] = [as_float(x, f"tape input {i}") for i, x in enumerate(inputs)]
        # Each instruction is (kind, out, x, y, z); see _instruction for what x, y, z hold.
        for kind, out, x, y, z in self._program:
            if kind is _ADD:
                vals[out] = vals[x] + vals[y]
            elif kind is _MUL:
                vals[out] = vals[x] * vals[y]
            elif kind is _WEIGHTED_SUM:
                # bias first, as micrograd's sum(..., b); 0.0 without one, as Python's sum
                vals[out] = reduce(add, map(mul, x[0](vals), x[1](vals)), 0.0 if z < 0 else vals[z])
            elif kind is _UNARY:
                vals[out] = y(vals[x])
            elif kind is _SUM:
                vals[out] = reduce(add, x(vals), 0.0)
            else:
                vals[out] = z.forward(*[vals[s] for s in x], *z.params)
        return vals

    def __call__(self, *inputs: float) -> float:
        """f at the given numbers (as many as the example inputs)."""
        return self._values(inputs)[self._output]

    def value_and_grad(
        self, *inputs: float, seed: float = 1.0, watched: list[float] | None = None
    ) -> tuple[float, tuple[float, ...]]:
        """(f, (∂f/∂input_0, ...)) at the given numbers: one forward and one backward pass over the tape.

        Args:
            inputs: As many numbers as the example inputs.
            seed: ∂(result)/∂f, the gradient backward starts from.
            watched: A list to fill with the values of the watched Values, when
                ``f`` returned ``(value, [watched Values])`` while traced.
        """
        vals = self._values(inputs)
        if watched is not None:
            watched[:] = [vals[s] for s in self._watched]
        grads = [0.0] * len(vals)
        grads[self._output] = as_float(seed, "tape seed")
        # The same order of operations as Value.backward, so the same floats.
        for kind, out, x, y, z in reversed(self._program):
            g = grads[out]
            if kind is _ADD:
                grads[x] += g
                grads[y] += g
            elif kind is _MUL:
                grads[x] += vals[y] * g
                grads[y] += vals[x] * g
            elif kind is _WEIGHTED_SUM:
                for w, a in y:
                    grads[w] += vals[a] * g
                    grads[a] += vals[w] * g
                if z >= 0:
                    grads[z] += g
            elif kind is _UNARY:
                grads[x] += z.partials(vals[out], vals[x])[0] * g
            elif kind is _SUM:
                for s in y:
                    grads[s] += g
            else:
                local = z.partials(vals[out], *[vals[s] for s in x], *z.params)
                for i, s in enumerate(x):
                    grads[s] += local[i] * g
        return vals[self._output], tuple(grads[: self.n_inputs])


def trace(f: Callable[..., Any], *example_inputs: float | Value) -> Tape:
    """Record ``f`` at ``example_inputs`` as a :class:`Tape` (see the module docstring).

    Args:
        f: A function of as many Values as ``example_inputs``, returning one
            Value, or ``(Value, [Values to watch])``: a tape reports the watched
            values of each run (see :meth:`Tape.value_and_grad`).
        example_inputs: Numbers at which ``f`` is traced (its shape is fixed by
            them), or leaf Values, which ``f`` then receives themselves: pass a
            model's parameters so that the model's own forward pass reads them
            (``trace(lambda *ps: loss(model), *model.parameters())``).

    Raises:
        TraceError: ``f`` compared Values while being traced, or returned no Value.
        ValueError: An example input is a Value that is not a leaf.
    """
    leaves = [_leaf(x, i) for i, x in enumerate(example_inputs)]
    with enable_grad(), tracing():
        out = f(*leaves)
    watch: list = []
    if isinstance(out, tuple) and len(out) == 2:
        out, watch = out[0], list(out[1])
    if not isinstance(out, Value) or not all(isinstance(v, Value) for v in watch):
        raise TraceError(f"the traced function must return a Value (or a Value and a list of Values), got {out!r}")
    slot: dict[Value, int] = {}
    for i, leaf in enumerate(leaves):
        slot.setdefault(leaf, i)
    template = [leaf.data for leaf in leaves]
    order = topological_order(out)
    for node in order:  # constants: leaves that are not inputs
        if node.is_leaf and node not in slot:
            slot[node] = len(template)
            template.append(node.data)
    program = []
    for node in order:
        if node.is_leaf:
            continue
        slot[node] = len(template)
        template.append(0.0)
        program.append(_instruction(node, [slot[p] for p in node.parents], slot[node]))
    missing = [i for i, v in enumerate(watch) if v not in slot]
    if missing:
        raise TraceError(f"watched values {missing} are not in the graph of the traced result")
    return Tape(template, len(leaves), program, slot[out], [slot[v] for v in watch])


def _leaf(x: object, i: int) -> Value:
    if isinstance(x, Value):
        if not x.is_leaf:
            raise ValueError(f"example input {i} is a Value computed by {x.op!r}: inputs must be leaves")
        return x
    return Value(as_float(x, f"example input {i}"))


def _instruction(node: Value, operands: list[int], out: int) -> tuple:
    """(kind, out, x, y, z): the slots an operation reads and writes, arranged for the replay loops.

    ``+`` and ``*``: x, y are the operand slots. The neuron's Σ: x is the pair
    of gathers (weights, inputs), y the (w_k, a_k) slot pairs, z the bias slot
    or -1. ``sum``: x gathers the terms, y lists their slots. A one-operand
    row without a constant: x is the operand slot, y its forward rule, z the
    row. Any other row: x lists the operand slots, z is the row itself.
    """
    rule = node.rule
    if rule is None:
        raise TraceError("a leaf has no instruction")  # the caller passes operations only
    if not isinstance(rule, ops.Op):
        raise TraceError(
            f"the operation {node.op!r} is defined by a closure (_backward): a tape replays "
            "the table's rules only. Add it with autograd.ops.register(...) to trace it."
        )
    if rule is ops.ADD:
        return (_ADD, out, operands[0], operands[1], None)
    if rule is ops.MUL:
        return (_MUL, out, operands[0], operands[1], None)
    if rule is ops.WEIGHTED_SUM:
        n = len(operands) // 2
        w, a = operands[:n], operands[n : 2 * n]
        bias = operands[-1] if len(operands) % 2 else -1
        return (_WEIGHTED_SUM, out, (_gather(w), _gather(a)), tuple(zip(w, a)), bias)
    if rule is ops.SUM:
        return (_SUM, out, _gather(operands), tuple(operands), None)
    if len(operands) == 1 and not rule.params:
        return (_UNARY, out, operands[0], rule.forward, rule)
    return (_ROW, out, tuple(operands), None, rule)

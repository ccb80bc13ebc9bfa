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
      ``abs``) instead.
      Reading a Value's number as a Python number while tracing (``float(v)``,
      ``math.exp(v)``, ``int(v)``, ``round(v)``) is a :class:`TraceError` too:
      the number would be frozen. Reading ``.data`` cannot be detected: do not
      branch on it, nor compute with it.
    * Operations inside ``no_grad()`` are constants.
    * ``f`` must compute the same thing each time it is called at the same
      inputs: a function that draws random numbers (a dropout) would have its
      first draw frozen into the tape. ``trace`` therefore calls ``f`` twice
      (as ``torch.jit.trace``'s ``check_trace`` does) and raises a
      :class:`TraceError` when the two recordings differ (``check=False``
      skips this second call).
    * Each example input is its own input of the tape, even the same Value
      given twice (as ``jax.jit`` treats each argument): ``f`` then receives
      a fresh leaf with the same number at the later positions.
    * ``f`` may return several Values (a tuple or list): the tape then returns
      a tuple of floats, and ``value_and_grad`` takes one seed per output and
      returns Σ_k seed_k ∂output_k/∂input_i (a vector-Jacobian product).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from math import isfinite
from typing import Any

from autograd import ops
from autograd.grad_mode import TraceError, enable_grad, tracing
from autograd.graph import topological_order
from autograd.value import Value, as_float

# The kinds before _UNARY have local derivatives that are operands' numbers or 1 (ReLU's 0 or 1):
# finite wherever the numbers are, which value_and_grad's skip of zero gradients relies on.
_WEIGHTED_SUM, _RELU, _MUL, _ADD, _SUM, _UNARY, _ROW = range(7)


class Tape:
    """A recorded computation: see the module docstring. Made by :func:`trace`.

    Attributes:
        n_inputs: How many numbers a call takes.
        n_operations: How many operations are replayed per call.
        n_outputs: How many Values the traced function returned (None: one
            Value, and a call returns a float; else a call returns a tuple).
    """

    def __init__(
        self,
        template: list[float],
        n_inputs: int,
        program: list[tuple],
        outputs: list[int] | None,
        watched: list[int],
    ) -> None:
        self._template = template
        self._program = program
        self._outputs = outputs
        self._output = -1 if outputs is None else outputs[0]
        self._watched = watched
        self.n_inputs = n_inputs
        self.n_operations = len(program)
        self.n_outputs = None if outputs is None else len(outputs)

    def __repr__(self) -> str:
        return f"Tape({self.n_inputs} inputs, {self.n_operations} operations)"

    def _values(self, inputs: Sequence[object]) -> list[float]:
        if len(inputs) != self.n_inputs:
            raise TypeError(f"this tape takes {self.n_inputs} inputs (as traced), got {len(inputs)}")
        vals = self._template.copy()
        vals[: self.n_inputs] = [x if type(x) is float else as_float(x, f"tape input {i}") for i, x in enumerate(inputs)]
        # Each instruction is (kind, out, x, y, z); see _instruction for what x, y, z hold.
        for kind, out, x, y, z in self._program:
            if kind is _WEIGHTED_SUM:
                # bias first, as micrograd's sum(..., b); 0.0 without one, as Python's sum
                # NOTE: speed: this loop is 2x faster than reduce(add, map(mul, *gathers), bias)
                total = 0.0 if z < 0 else vals[z]
                for w, a in y:
                    total += vals[w] * vals[a]
                vals[out] = total
            elif kind is _RELU:  # the row's forward, unrolled: 0.0 if x < 0 else x (NaN and -0.0 pass)
                v = vals[x]
                vals[out] = 0.0 if v < 0 else v
            elif kind is _MUL:
                vals[out] = vals[x] * vals[y]
            elif kind is _ADD:
                vals[out] = vals[x] + vals[y]
            elif kind is _UNARY:
                vals[out] = y(vals[x])
            elif kind is _SUM:
                total = 0.0  # from 0.0, as the row
                for s in y:
                    total += vals[s]
                vals[out] = total
            else:
                vals[out] = z.forward(*[vals[s] for s in x], *z.params)
        return vals

    def __call__(self, *inputs: float) -> Any:
        """f at the given numbers (as many as the example inputs): a float, or a tuple for several outputs."""
        vals = self._values(inputs)
        if self._outputs is None:
            return vals[self._output]
        return tuple(vals[s] for s in self._outputs)

    def value_and_grad(
        self, *inputs: float, seed: float | Sequence[float] = 1.0, watched: list[float] | None = None
    ) -> tuple[Any, tuple[float, ...]]:
        """(f, (∂f/∂input_0, ...)) at the given numbers: one forward and one backward pass over the tape.

        For a tape of several outputs, the first item is the tuple of their
        values and the gradient is Σ_k seed_k ∂output_k/∂input_i.

        Args:
            inputs: As many numbers as the example inputs.
            seed: ∂(result)/∂f, the gradient backward starts from: one number,
                or one per output for a tape of several outputs.
            watched: A list to fill with the values of the watched Values, when
                ``f`` returned ``(value, [watched Values])`` while traced.
        """
        seeds = self._seeds(seed)
        vals = self._values(inputs)
        if watched is not None:
            watched[:] = [vals[s] for s in self._watched]
        grads = [0.0] * len(vals)
        for s, g in seeds.items():
            grads[s] = g
        # A zero gradient g adds d * g = ±0.0 to each operand's gradient, for d finite: no change,
        # since no gradient is ever -0.0 (they start at +0.0, a sum is -0.0 only of two -0.0, and
        # no seed is 0). So, when every number is finite (their sum is), an operation of a kind
        # before _UNARY whose gradient is 0 is skipped, as the floor skips a zero δ: same floats.
        skip = isfinite(sum(vals)) and 0.0 not in seeds.values()
        # The same order of operations as Value.backward, so the same floats.
        for kind, out, x, y, z in reversed(self._program):
            g = grads[out]
            if kind < _UNARY and not g and skip:
                continue
            if kind is _WEIGHTED_SUM:
                for w, a in y:
                    grads[w] += vals[a] * g
                    grads[a] += vals[w] * g
                if z >= 0:
                    grads[z] += g
            elif kind is _RELU:  # the row's local derivative, unrolled: 0 if x <= 0 else 1 (NaN passes)
                grads[x] += (0.0 if vals[x] <= 0 else 1.0) * g
            elif kind is _MUL:
                grads[x] += vals[y] * g
                grads[y] += vals[x] * g
            elif kind is _ADD:
                grads[x] += g
                grads[y] += g
            elif kind is _UNARY:
                grads[x] += z.partials(vals[out], vals[x])[0] * g
            elif kind is _SUM:
                for s in y:
                    grads[s] += g
            else:
                local = z.partials(vals[out], *[vals[s] for s in x], *z.params)
                for i, s in enumerate(x):
                    grads[s] += local[i] * g
        value = vals[self._output] if self._outputs is None else tuple(vals[s] for s in self._outputs)
        return value, tuple(grads[: self.n_inputs])

    def operations(self) -> list[tuple[ops.Op, int, tuple[int, ...]]]:
        """The program as ``(row, output slot, operand slots)``, in order: what
        :class:`autograd.batch.BatchTape` compiles. Slots 0..n_inputs-1 are the
        inputs; :meth:`constants` gives every slot's number at the traced call."""
        steps: list[tuple[ops.Op, int, tuple[int, ...]]] = []
        for kind, out, x, y, z in self._program:
            if kind is _ADD or kind is _MUL:
                steps.append((ops.ADD if kind is _ADD else ops.MUL, out, (x, y)))
            elif kind is _WEIGHTED_SUM:
                steps.append((ops.WEIGHTED_SUM, out, (*(w for w, _ in y), *(a for _, a in y), *((z,) if z >= 0 else ()))))
            elif kind is _SUM:
                steps.append((ops.SUM, out, y))
            elif kind is _RELU or kind is _UNARY:
                steps.append((ops.RELU if kind is _RELU else z, out, (x,)))
            else:
                steps.append((z, out, x))
        return steps

    def constants(self) -> list[float]:
        """Every slot's number before a run: the traced inputs, the constants, 0.0 for each operation."""
        return self._template.copy()

    def output_slots(self) -> tuple[list[int], list[int]]:
        """(the output slots, the watched slots)."""
        return [self._output] if self._outputs is None else list(self._outputs), list(self._watched)

    def _seeds(self, seed: object) -> dict[int, float]:
        """The starting gradient of each output slot (summed where two outputs are one node)."""
        if self._outputs is None:
            return {self._output: as_float(seed, "tape seed")}
        if isinstance(seed, (str, bytes)) or not isinstance(seed, Sequence) or len(seed) != len(self._outputs):
            raise TypeError(
                f"this tape has {len(self._outputs)} outputs: seed must be a list of "
                f"{len(self._outputs)} numbers (∂result/∂output_k), got {seed!r}"
            )
        seeds: dict[int, float] = {}
        for k, (s, g) in enumerate(zip(self._outputs, seed)):
            g = as_float(g, f"tape seed {k}")
            seeds[s] = seeds[s] + g if s in seeds else g
        return seeds


def trace(f: Callable[..., Any], *example_inputs: float | Value, check: bool = True) -> Tape:
    """Record ``f`` at ``example_inputs`` as a :class:`Tape` (see the module docstring).

    Args:
        f: A function of as many Values as ``example_inputs``, returning one
            Value, a tuple or list of Values (a tape of several outputs), or
            ``(Value, [Values to watch])``: a tape reports the watched values
            of each run (see :meth:`Tape.value_and_grad`).
        example_inputs: Numbers at which ``f`` is traced (its shape is fixed by
            them), or leaf Values, which ``f`` then receives themselves: pass a
            model's parameters so that the model's own forward pass reads them
            (``trace(lambda *ps: loss(model), *model.parameters())``).
        check: Call ``f`` a second time at the same inputs and refuse a
            function whose two recordings differ (one that draws random numbers).

    Raises:
        TraceError: ``f`` compared Values or converted one to a Python number
            while being traced, returned no Value, or recorded different
            computations in two calls.
        ValueError: An example input is a Value that is not a leaf.
    """
    leaves = [_leaf(x, i) for i, x in enumerate(example_inputs)]
    if len(set(leaves)) < len(leaves):  # a Value given twice: each position is its own input
        seen: set[Value] = set()
        for i, leaf in enumerate(leaves):
            if leaf in seen:
                leaves[i] = Value(leaf.data)
            seen.add(leaf)
    tape, recording = _record(f, leaves)
    if check and _record(f, leaves)[1] != recording:
        raise TraceError(
            "the traced function recorded different computations in two calls at the same inputs "
            "(it draws random numbers, or reads state that changes): a tape would freeze the first "
            "call's. Make it deterministic, or do not trace it (fit: replay=False)."
        )
    return tape


def _record(f: Callable[..., Any], leaves: list[Value]) -> tuple[Tape, tuple]:
    """The tape of one call of ``f`` on ``leaves``, and what it recorded, to compare with another call."""
    with enable_grad(), tracing():
        out = f(*leaves)
    outputs, watch, several = _outputs(out)
    slot: dict[Value, int] = {leaf: i for i, leaf in enumerate(leaves)}
    template = [leaf.data for leaf in leaves]
    order = topological_order(_Roots(outputs))[:-1]
    for node in order:  # constants: leaves that are not inputs
        if node.is_leaf and node not in slot:
            slot[node] = len(template)
            template.append(node.data)
    program, operations = [], []
    for node in order:
        if node.is_leaf:
            continue
        slot[node] = len(template)
        template.append(0.0)
        operands = [slot[p] for p in node.parents]
        program.append(_instruction(node, operands, slot[node]))
        operations.append((node.rule, *operands))
    missing = [i for i, v in enumerate(watch) if v not in slot]
    if missing:
        raise TraceError(f"watched values {missing} are not in the graph of the traced result")
    out_slots = [slot[v] for v in outputs]
    watched = [slot[v] for v in watch]
    tape = Tape(template, len(leaves), program, out_slots if several else None, watched)
    constants = tuple(x if x == x else "nan" for x in template)  # nan == nan for the comparison
    return tape, (constants, operations, out_slots, watched)


class _Roots:
    """A stand-in node whose operands are the outputs, to order the graph of several outputs at once."""

    __slots__ = ("_prev",)

    def __init__(self, outputs: list[Value]) -> None:
        self._prev = tuple(outputs)


def _outputs(out: object) -> tuple[list[Value], list[Value], bool]:
    """(outputs, watched, several) from what the traced function returned."""
    if isinstance(out, Value):
        return [out], [], False
    if isinstance(out, tuple) and len(out) == 2 and isinstance(out[0], Value) and isinstance(out[1], (list, tuple)):
        watch = list(out[1])
        if all(isinstance(v, Value) for v in watch):
            return [out[0]], watch, False
    elif isinstance(out, (tuple, list)) and out and all(isinstance(v, Value) for v in out):
        return list(out), [], True
    raise TraceError(
        "the traced function must return a Value, a tuple or list of Values, or a Value "
        f"and a list of Values to watch, got {out!r}"
    )


def _leaf(x: object, i: int) -> Value:
    if isinstance(x, Value):
        if not x.is_leaf:
            raise ValueError(f"example input {i} is a Value computed by {x.op!r}: inputs must be leaves")
        return x
    return Value(as_float(x, f"example input {i}"))


def _instruction(node: Value, operands: list[int], out: int) -> tuple:
    """(kind, out, x, y, z): the slots an operation reads and writes, arranged for the replay loops.

    ``+`` and ``*``: x, y are the operand slots. The neuron's Σ: y holds the
    (w_k, a_k) slot pairs, z the bias slot or -1. ``sum``: y lists the slots
    of the terms. ReLU, whose rules the loops unroll: x is the operand slot.
    Another one-operand row without a constant: x is the operand slot, y its
    forward rule, z the row. Any other row: x lists the operand slots, z is
    the row itself.
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
        return (_WEIGHTED_SUM, out, None, tuple(zip(w, a)), bias)
    if rule is ops.SUM:
        return (_SUM, out, None, tuple(operands), None)
    if rule is ops.RELU:
        return (_RELU, out, operands[0], None, None)
    if len(operands) == 1 and not rule.params:
        return (_UNARY, out, operands[0], rule.forward, rule)
    return (_ROW, out, tuple(operands), None, rule)

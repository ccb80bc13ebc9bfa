r"""Batch replay: a traced tape of ONE example run over m examples at once, with NumPy.

``BatchTape(tape, batched=...)`` takes a :class:`autograd.Tape` of one
example's computation (say one example's loss, with the parameters, the
example's inputs and its target as the tape's inputs) and the positions of the
inputs that change from example to example (``batched``). A run then takes,
at each batched position, m numbers (one per example), and at every other
position one number shared by all examples (a parameter):

    batch(*inputs)                  = (f(example_1), ..., f(example_m)), an array of m values
    batch.value_and_grad(*inputs)   = (those values, the gradient of Σ_i seed_i f(example_i))

where the gradient with respect to a shared input is summed over the batch (the
gradient of a mean loss, with ``seed=1/m``) and the gradient with respect to a
batched input is one number per example. It is the scalar program vectorized
over the batch axis: every slot of the tape holds either one number (it does
not depend on the example: a parameter, a constant, the L2 penalty) or an
array of m numbers, and each instruction runs as one array operation, with the
rows of the table of operations (their ``forward_arrays`` and ``partials``:
the calculus stays in :mod:`autograd.ops`).

Compilation. The tape's operations are grouped by depth (one plus the deepest
operand's; operations of the same depth never read each other) and, within a
depth, by row and by which operands are shared; each group runs as one array
operation over a (k, m) array. The neuron's ``Σ`` nodes of one layer (shared
weights, the same batched inputs) become one group: z = W a + b over the whole
batch is one matrix product, and backward is ∂W = δ aᵀ, ∂a = Wᵀ δ, ∂b = Σ_i δ_i
(the equations BP2-BP4 of a layer, derived from the tape, not written by hand).
Slots take their rows group by group, so what one group writes and the next
reads (a layer's z, its activations, its weights) are consecutive rows, read
and accumulated through views rather than copied in and out by index.

Results agree with graph mode on each example to rounding (sums may be
associated differently: a matrix product, a NumPy sum; the tests ask for
1e-12 relative). Domain errors raise as in graph mode (the row's own message,
from its float rule) with the index of the first example that caused them:
``log: operand must be > 0, got -1.0 (example 7 of the batch)``.

This module is the only one of :mod:`autograd` that imports NumPy (as only the
drawing modules import graphviz): ``from autograd.batch import BatchTape``.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from autograd import ops
from autograd.replay import Tape, TraceError
from autograd.value import as_float


class _At:
    """Where a group's operands or results sit in S or B: a view when their rows are evenly spaced.

    Positions are given group by group (:meth:`BatchTape._compile`), so a
    layer's z, its activations and its weights each take consecutive rows and
    are read and written through slices (views, no copy); anything else is an
    index array (a copy in, a scatter out). ``shape`` reshapes a block of
    shared numbers into a matrix (a layer's W, row by row).
    """

    __slots__ = ("key", "shape", "unique")

    def __init__(self, rows: Any) -> None:
        rows = np.asarray(rows, dtype=np.intp)
        flat, self.shape = rows.ravel(), (rows.shape if rows.ndim > 1 else None)
        steps = np.diff(flat)
        step = int(steps[0]) if steps.size else 1
        if flat.size and step > 0 and (steps == step).all() and (self.shape is None or step == 1):
            self.key: Any = slice(int(flat[0]), int(flat[-1]) + 1, step)
            self.unique = True
        else:
            self.key, self.unique = rows, len(np.unique(flat)) == flat.size

    def take(self, store: np.ndarray) -> np.ndarray:
        block = store[self.key]
        return block.reshape(self.shape) if self.shape is not None and isinstance(self.key, slice) else block

    def put(self, store: np.ndarray, value: Any) -> None:
        store[self.key] = value

    def add(self, store: np.ndarray, contribution: Any) -> None:
        """``store[rows] += contribution``, adding every contribution where a row repeats."""
        if isinstance(self.key, slice):
            block = self.take(store)
            block += contribution  # a view: in place
        elif self.unique:
            store[self.key] += contribution
        else:
            np.add.at(store, self.key, contribution)


class _Rows:
    """Operations of one fixed-arity row at one depth with the same shared/batched operands: one array op."""

    def __init__(self, rule: ops.Op, outs: _At, operands: list[tuple[_At, bool]], batched: bool):
        if rule.forward_arrays is None:
            raise TraceError(f"operation {rule.name!r} has no rule on arrays (forward_arrays): it cannot be batch-replayed")
        self.rule, self.outs, self.operands, self.batched = rule, outs, operands, batched
        self.forward_arrays = rule.forward_arrays

    def forward(self, S: np.ndarray, B: np.ndarray) -> tuple:
        args = [at.take(B) if b else (at.take(S)[:, None] if self.batched else at.take(S)) for at, b in self.operands]
        out = self.forward_arrays(*args, *self.rule.params)
        self.outs.put(B if self.batched else S, out)
        return args, out

    def backward(self, saved: tuple, GS: np.ndarray, GB: np.ndarray) -> None:
        args, out = saved
        G = self.outs.take(GB if self.batched else GS)
        local = self.rule.partials(out, *args, *self.rule.params)
        for (at, is_batched), d in zip(self.operands, local):
            contribution = d * G
            if is_batched:
                at.add(GB, contribution)
            else:
                at.add(GS, contribution.sum(axis=1) if self.batched else contribution)


class _Layer:
    """``Σ`` nodes with shared weights reading the same batched inputs: Z = W A (+ b), one matrix product."""

    batched = True

    def __init__(self, outs: _At, W: _At, a: _At, b: _At | None) -> None:
        self.outs, self.W, self.a, self.b = outs, W, a, b

    def forward(self, S: np.ndarray, B: np.ndarray) -> tuple:
        W, A = self.W.take(S), self.a.take(B)
        Z = W @ A
        if self.b is not None:
            Z += self.b.take(S)[:, None]
        self.outs.put(B, Z)
        return W, A

    def backward(self, saved: tuple, GS: np.ndarray, GB: np.ndarray) -> None:
        W, A = saved
        delta = self.outs.take(GB)
        self.W.add(GS, delta @ A.T)  # ∂W = δ aᵀ, summed over the batch
        self.a.add(GB, W.T @ delta)  # ∂a = Wᵀ δ, per example
        if self.b is not None:
            self.b.add(GS, delta.sum(axis=1))  # ∂b = Σ_i δ_i


class _Node:
    """One ``sum`` or ``Σ`` node that is not part of a layer: its operands stacked as one array X."""

    def __init__(self, rule: ops.Op, out: int, operands: list[tuple[int, bool]], batched: bool) -> None:
        self.rule, self.out, self.batched, self.n = rule, out, batched, len(operands)
        flags = np.array([b for _, b in operands], dtype=bool)
        rows = np.array([i for i, _ in operands], dtype=np.intp)
        self.b_pos, self.s_pos = np.flatnonzero(flags), np.flatnonzero(~flags)
        self.b_idx, self.s_idx = _At(rows[flags]), _At(rows[~flags])

    def forward(self, S: np.ndarray, B: np.ndarray) -> tuple:
        if self.batched:
            X = np.empty((self.n, B.shape[1]))
            X[self.b_pos] = self.b_idx.take(B)
            X[self.s_pos] = self.s_idx.take(S)[:, None]
        else:
            X = self.s_idx.take(S)
        if self.rule is ops.SUM:
            out = X.sum(axis=0)
        else:
            k = self.n // 2
            out = (X[:k] * X[k : 2 * k]).sum(axis=0) + (X[-1] if self.n % 2 else 0.0)
        (B if self.batched else S)[self.out] = out
        return (X,)

    def backward(self, saved: tuple, GS: np.ndarray, GB: np.ndarray) -> None:
        (X,) = saved
        g = (GB if self.batched else GS)[self.out]
        if self.rule is ops.SUM:
            dX = np.broadcast_to(g, X.shape)
        else:  # ∂z/∂w_k = a_k, ∂z/∂a_k = w_k, ∂z/∂b = 1
            k = self.n // 2
            dX = np.empty_like(X)
            dX[:k], dX[k : 2 * k] = X[k : 2 * k] * g, X[:k] * g
            if self.n % 2:
                dX[-1] = g
        if self.b_pos.size:
            self.b_idx.add(GB, dX[self.b_pos])
        if self.s_pos.size:
            shared = dX[self.s_pos]
            self.s_idx.add(GS, shared.sum(axis=1) if self.batched else shared)


class BatchTape:
    """A :class:`autograd.Tape` of one example, replayed over a batch (see the module docstring).

    Args:
        tape: A tape of one example (:func:`autograd.trace`).
        batched: The positions of the tape's inputs that hold one number per
            example (the example's inputs and target); the others are shared.

    Attributes:
        n_inputs: The tape's inputs.
        batched: The batched positions, in increasing order.
        n_groups: Array operations per forward pass (the tape's operations, grouped).
    """

    def __init__(self, tape: Tape, batched: Iterable[int]) -> None:
        if not isinstance(tape, Tape):
            raise TypeError(f"BatchTape takes a Tape (autograd.trace), got {type(tape).__name__}")
        positions = sorted(set(batched))
        bad = [i for i in positions if isinstance(i, bool) or not isinstance(i, int) or not 0 <= i < tape.n_inputs]
        if bad:
            raise ValueError(f"batched positions must be ints in 0..{tape.n_inputs - 1} (the tape's inputs), got {bad}")
        self.n_inputs = tape.n_inputs
        self.batched = tuple(positions)
        self.n_outputs = tape.n_outputs
        self._shared_inputs = [i for i in range(tape.n_inputs) if i not in set(positions)]
        self._held = threading.local()
        self._compile(tape)

    def __repr__(self) -> str:
        return f"BatchTape({self.n_inputs} inputs, {len(self.batched)} batched, {self.n_groups} array operations)"

    def _compile(self, tape: Tape) -> None:
        template, steps = tape.constants(), tape.operations()
        varies = [False] * len(template)
        for i in self.batched:
            varies[i] = True
        depth = [0] * len(template)
        for _, out, operands in steps:
            varies[out] = any(varies[s] for s in operands)
            depth[out] = 1 + max(depth[s] for s in operands)
        groups = self._grouped(steps, varies, depth)
        # each slot's row in S (shared numbers) or B (batched arrays): the batched inputs first, in
        # order, then group by group (a group's operands, then its results), so that what one group
        # writes and the next reads takes consecutive rows: a view, not a copy (see _At)
        position: dict[int, int] = {i: k for k, i in enumerate(self.batched)}
        taken = [0, len(self.batched)]  # rows of S, rows of B

        def place(slots: Iterable[int]) -> None:
            for s in slots:
                if s not in position:
                    position[s] = taken[varies[s]]
                    taken[varies[s]] += 1

        for _, kind, members in groups:
            for member in members:
                place(member[1][: len(member[1]) // 2] if kind == "layer" else member[1])
            if kind == "layer":
                place(s for member in members for s in member[1][len(member[1]) // 2 :])
            place(member[0] for member in members)
        place(range(len(template)))
        self._S0 = np.zeros(taken[0])
        for s, p in position.items():
            if not varies[s]:
                self._S0[p] = template[s]
        self._shared_at = np.array([position[i] for i in self._shared_inputs], dtype=np.intp)
        self._n_batched = taken[1]
        outputs, watched = tape.output_slots()  # a slot may be given from the end (-1: the last)
        self._outputs = [(position[s % len(template)], varies[s]) for s in outputs]
        self._watched = [(position[s % len(template)], varies[s]) for s in watched]
        self._groups = [self._compiled(kind, members, varies, position) for _, kind, members in groups]
        self.n_groups = len(self._groups)

    @staticmethod
    def _grouped(steps: list, varies: list[bool], depth: list[int]) -> list[tuple[int, str, list]]:
        """The operations as (depth, kind, members) array operations, in an order that respects every dependency."""
        groups: dict[tuple, list] = {}
        for rule, out, operands in steps:
            if rule is ops.WEIGHTED_SUM and len(operands) > 1:
                n = len(operands) // 2
                w, a, b = operands[:n], operands[n : 2 * n], operands[2 * n :]
                if varies[out] and not any(varies[s] for s in (*w, *b)) and all(varies[s] for s in a):
                    groups.setdefault((depth[out], "layer", a, len(b)), []).append((out, operands, rule))
                    continue
            if rule is ops.SUM or rule is ops.WEIGHTED_SUM:
                groups[(depth[out], "node", out)] = [(out, operands, rule)]
            else:
                key = (depth[out], "rows", rule.name, rule.params, tuple(varies[s] for s in operands))
                groups.setdefault(key, []).append((out, operands, rule))
        return [(key[0], key[1], groups[key]) for key in sorted(groups, key=lambda k: k[0])]

    @staticmethod
    def _compiled(kind: str, members: list, varies: list[bool], position: dict[int, int]) -> Any:
        outs = _At([position[m[0]] for m in members])
        if kind == "layer":
            operands = members[0][1]
            n = len(operands) // 2
            W = _At([[position[s] for s in m[1][:n]] for m in members])
            b = _At([position[m[1][-1]] for m in members]) if len(operands) % 2 else None
            return _Layer(outs, W, _At([position[s] for s in operands[n : 2 * n]]), b)
        if kind == "node":
            out, operands, rule = members[0]
            return _Node(rule, position[out], [(position[s], varies[s]) for s in operands], varies[out])
        pattern = [varies[s] for s in members[0][1]]
        columns = [_At([position[m[1][j]] for m in members]) for j in range(len(pattern))]
        return _Rows(members[0][2], outs, list(zip(columns, pattern)), any(pattern))

    # -- running ----------------------------------------------------------------------------

    def __call__(self, *inputs: Any) -> Any:
        """Each example's f: an array of m values (a tuple of them for a tape of several outputs)."""
        shared, rows = self._split(inputs)
        S, B, _ = self._forward(shared, rows)
        values = [self._per_example(S, B, slot, m=rows.shape[1]) for slot in self._outputs]
        return values[0] if self.n_outputs is None else tuple(values)

    def value_and_grad(
        self, *inputs: Any, seed: Any = 1.0, watched: list | None = None
    ) -> tuple[Any, tuple[Any, ...]]:
        """(each example's f, the gradient of Σ_i seed_i f_i with respect to each input).

        Args:
            inputs: At each batched position, m numbers (a sequence or array);
                elsewhere one number.
            seed: ∂(result)/∂f_i: one number for every example, or m of them
                (``1/m`` for the gradient of the mean); for several outputs,
                one such seed per output.
            watched: A list to fill with each watched Value's m values (see
                :func:`autograd.trace`).

        Returns:
            The values (an array of m, or a tuple of them), and one gradient
            per input: a float, summed over the batch, for a shared input; an
            array of m for a batched one.
        """
        shared, rows = self._split(inputs)
        values, g_shared, g_rows = self._run(shared, rows, seed, watched)
        grads: list[Any] = [0.0] * self.n_inputs
        for k, i in enumerate(self._shared_inputs):
            grads[i] = float(g_shared[k])
        for k, i in enumerate(self.batched):
            grads[i] = g_rows[k]
        return values, tuple(grads)

    def value_and_grad_rows(
        self, shared: Sequence[float], rows: Any, seed: Any = 1.0, watched: list | None = None
    ) -> tuple[Any, np.ndarray, np.ndarray]:
        """:meth:`value_and_grad` with the inputs as data arrive: the shared numbers, then one row per example.

        Args:
            shared: The shared inputs, in the order of their positions.
            rows: An (m, len(batched)) array-like: example i's batched inputs, in order.
            seed, watched: As for :meth:`value_and_grad`.

        Returns:
            (values, the shared inputs' gradients (summed over the batch), an
            (m, len(batched)) array of the batched inputs' gradients).
        """
        shared_numbers = np.asarray(shared)
        if shared_numbers.dtype.kind not in "fiu" or shared_numbers.ndim != 1:  # bool, objects: as_float says which
            shared_numbers = np.array([as_float(x, f"shared input {k}") for k, x in enumerate(shared)], dtype=float)
        shared_numbers = shared_numbers.astype(float, copy=False)
        if len(shared_numbers) != len(self._shared_inputs):
            raise TypeError(f"this batch tape takes {len(self._shared_inputs)} shared inputs, got {len(shared_numbers)}")
        data = _real_array(rows, "rows")
        if data.ndim != 2 or data.shape[1] != len(self.batched) or not data.shape[0]:
            raise ValueError(
                f"rows must be an (m, {len(self.batched)}) array: one row of the batched inputs per example, "
                f"m >= 1, got shape {data.shape}"
            )
        values, g_shared, g_rows = self._run(shared_numbers, np.ascontiguousarray(data.T), seed, watched)
        return values, g_shared, g_rows.T

    def _split(self, inputs: Sequence[Any]) -> tuple[np.ndarray, np.ndarray]:
        if len(inputs) != self.n_inputs:
            raise TypeError(f"this tape takes {self.n_inputs} inputs (as traced), got {len(inputs)}")
        shared = np.array([as_float(inputs[i], f"tape input {i}") for i in self._shared_inputs], dtype=float)
        columns = [_real_array(inputs[i], f"tape input {i} (batched)") for i in self.batched]
        lengths = {c.shape for c in columns}
        if len(lengths) > 1 or any(c.ndim != 1 or not c.size for c in columns):
            raise ValueError(f"each batched input must be a 1-D sequence of the same m >= 1 numbers, got shapes {sorted(lengths)}")
        return shared, np.array(columns, dtype=float).reshape(len(columns), -1)

    def _arrays(self, m: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """S, B and their gradients GS, GB for m examples: kept between calls, one set per thread.

        At 100,000 examples B is tens of megabytes; a fresh array each call is memory the
        system must map and zero again, page by page (it doubled the time of a step).
        """
        held = getattr(self._held, "arrays", None)
        if held is None or held[1].shape[1] != m:
            n = len(self._S0)
            held = (np.empty(n), np.empty((self._n_batched, m)), np.empty(n), np.empty((self._n_batched, m)))
            self._held.arrays = held
        return held

    def _forward(self, shared: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, list]:
        m = rows.shape[1] if len(self.batched) else 1
        S, B, _, _ = self._arrays(m)
        S[:] = self._S0
        S[self._shared_at] = shared
        B[: len(self.batched)] = rows
        saved = []
        with np.errstate(all="ignore"):  # IEEE results (inf, nan) as the float rules; domain errors raise
            for group in self._groups:
                try:
                    saved.append(group.forward(S, B))
                except (ValueError, ZeroDivisionError) as error:
                    where = getattr(error, "where", None)
                    if where is None or not group.batched:
                        raise
                    raise type(error)(f"{error} (example {where[-1]} of the batch)") from None
        return S, B, saved

    def _run(self, shared: np.ndarray, rows: np.ndarray, seed: Any, watched: list | None) -> tuple:
        S, B, saved = self._forward(shared, rows)
        m = B.shape[1]
        _, _, GS, GB = self._arrays(m)
        GS.fill(0.0)
        GB.fill(0.0)
        seeds = [seed] if self.n_outputs is None else _several(seed, self.n_outputs)
        for k, ((p, is_batched), s) in enumerate(zip(self._outputs, seeds)):
            s = _real_array(s, f"seed {k}").astype(float)
            if s.ndim and s.shape != (m,):
                raise ValueError(f"a seed is one number or one per example ({m}), got shape {s.shape}")
            if is_batched:
                GB[p] += s
            else:
                GS[p] += s.sum() if s.ndim else s * m
        with np.errstate(all="ignore"):
            for group, state in zip(reversed(self._groups), reversed(saved)):
                group.backward(state, GS, GB)
        if watched is not None:
            watched[:] = [self._per_example(S, B, slot, m) for slot in self._watched]
        values = [self._per_example(S, B, slot, m) for slot in self._outputs]
        return (values[0] if self.n_outputs is None else tuple(values)), GS[self._shared_at], GB[: len(self.batched)].copy()

    @staticmethod
    def _per_example(S: np.ndarray, B: np.ndarray, slot: tuple[int, bool], m: int) -> np.ndarray:
        p, is_batched = slot
        return B[p].copy() if is_batched else np.full(m, S[p])


def _several(seed: Any, n: int) -> list:
    if isinstance(seed, (str, bytes)) or not isinstance(seed, Sequence) or len(seed) != n:
        raise TypeError(f"this tape has {n} outputs: seed must be a list of {n} seeds, got {seed!r}")
    return list(seed)


def _real_array(x: Any, what: str) -> np.ndarray:
    """``x`` as a NumPy array of real numbers, or a TypeError naming ``what``."""
    array = np.asarray(x)
    if array.dtype.kind not in "fiu":
        raise TypeError(f"{what} must hold real numbers (not bool, str or objects), got dtype {array.dtype}")
    return array

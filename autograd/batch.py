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

Results agree with graph mode on each example to rounding (sums may be
associated differently: a matrix product, a NumPy sum; the tests ask for
1e-12 relative). Domain errors raise as in graph mode (the row's own message,
from its float rule) with the index of the first example that caused them:
``log: operand must be > 0, got -1.0 (example 7 of the batch)``.

This module is the only one of :mod:`autograd` that imports NumPy (as only the
drawing modules import graphviz): ``from autograd.batch import BatchTape``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from autograd import ops
from autograd.replay import Tape, TraceError
from autograd.value import as_float


def _unique(index: np.ndarray) -> bool:
    return len(np.unique(index)) == index.size


def _accumulate(store: np.ndarray, index: np.ndarray, unique: bool, contribution: Any) -> None:
    """``store[index] += contribution``, adding every contribution where ``index`` repeats a slot."""
    if unique:
        store[index] += contribution
    else:
        np.add.at(store, index, contribution)


class _Rows:
    """Operations of one fixed-arity row at one depth with the same shared/batched operands: one array op."""

    def __init__(self, rule: ops.Op, outs: np.ndarray, operands: list[tuple[np.ndarray, bool]], batched: bool):
        if rule.forward_arrays is None:
            raise TraceError(f"operation {rule.name!r} has no rule on arrays (forward_arrays): it cannot be batch-replayed")
        self.rule, self.outs, self.batched = rule, outs, batched
        self.operands = [(index, is_batched, _unique(index)) for index, is_batched in operands]

    def forward(self, S: np.ndarray, B: np.ndarray) -> tuple:
        args = [B[i] if b else (S[i][:, None] if self.batched else S[i]) for i, b, _ in self.operands]
        out = self.rule.forward_arrays(*args, *self.rule.params)
        (B if self.batched else S)[self.outs] = out
        return args, out

    def backward(self, saved: tuple, GS: np.ndarray, GB: np.ndarray) -> None:
        args, out = saved
        G = (GB if self.batched else GS)[self.outs]
        local = self.rule.partials(out, *args, *self.rule.params)
        for (index, is_batched, unique), d in zip(self.operands, local):
            contribution = d * G
            if is_batched:
                _accumulate(GB, index, unique, contribution)
            else:
                _accumulate(GS, index, unique, contribution.sum(axis=1) if self.batched else contribution)


class _Layer:
    """``Σ`` nodes with shared weights reading the same batched inputs: Z = W A (+ b), one matrix product."""

    batched = True

    def __init__(self, outs: np.ndarray, W: np.ndarray, a: np.ndarray, b: np.ndarray | None) -> None:
        self.outs, self.W, self.a, self.b = outs, W, a, b
        self.unique = (_unique(W), _unique(a), b is None or _unique(b))

    def forward(self, S: np.ndarray, B: np.ndarray) -> tuple:
        W, A = S[self.W], B[self.a]
        Z = W @ A
        if self.b is not None:
            Z += S[self.b][:, None]
        B[self.outs] = Z
        return W, A

    def backward(self, saved: tuple, GS: np.ndarray, GB: np.ndarray) -> None:
        W, A = saved
        delta = GB[self.outs]
        _accumulate(GS, self.W, self.unique[0], delta @ A.T)  # ∂W = δ aᵀ, summed over the batch
        _accumulate(GB, self.a, self.unique[1], W.T @ delta)  # ∂a = Wᵀ δ, per example
        if self.b is not None:
            _accumulate(GS, self.b, self.unique[2], delta.sum(axis=1))  # ∂b = Σ_i δ_i


class _Node:
    """One ``sum`` or ``Σ`` node that is not part of a layer: its operands stacked as one array X."""

    def __init__(self, rule: ops.Op, out: int, operands: list[tuple[int, bool]], batched: bool) -> None:
        self.rule, self.out, self.batched, self.n = rule, out, batched, len(operands)
        flags = np.array([b for _, b in operands], dtype=bool)
        rows = np.array([i for i, _ in operands], dtype=np.intp)
        self.b_pos, self.s_pos = np.flatnonzero(flags), np.flatnonzero(~flags)
        self.b_idx, self.s_idx = rows[flags], rows[~flags]
        self.unique = (_unique(self.b_idx), _unique(self.s_idx))

    def forward(self, S: np.ndarray, B: np.ndarray) -> tuple:
        if self.batched:
            X = np.empty((self.n, B.shape[1]))
            X[self.b_pos] = B[self.b_idx]
            X[self.s_pos] = S[self.s_idx][:, None]
        else:
            X = S[self.s_idx]
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
        if self.b_idx.size:
            _accumulate(GB, self.b_idx, self.unique[0], dX[self.b_pos])
        if self.s_idx.size:
            shared = dX[self.s_pos]
            _accumulate(GS, self.s_idx, self.unique[1], shared.sum(axis=1) if self.batched else shared)


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
        # each slot's row in S (shared numbers) or B (batched arrays); batched inputs first, in order
        position, n_shared, n_batched = [0] * len(template), 0, len(self.batched)
        for k, i in enumerate(self.batched):
            position[i] = k
        for s in range(len(template)):
            if varies[s] and s not in self.batched:
                position[s], n_batched = n_batched, n_batched + 1
            elif not varies[s]:
                position[s], n_shared = n_shared, n_shared + 1
        self._S0 = np.array([template[s] for s in range(len(template)) if not varies[s]], dtype=float)
        self._shared_at = np.array([position[i] for i in self._shared_inputs], dtype=np.intp)
        self._n_batched = n_batched
        outputs, watched = tape.output_slots()
        self._outputs = [(position[s], varies[s]) for s in outputs]
        self._watched = [(position[s], varies[s]) for s in watched]
        self._groups = self._grouped(steps, varies, depth, position)
        self.n_groups = len(self._groups)

    def _grouped(self, steps: list, varies: list[bool], depth: list[int], position: list[int]) -> list:
        """The operations as array operations, in an order that respects every dependency (by depth)."""
        groups: dict[tuple, list] = {}
        for rule, out, operands in steps:
            if rule is ops.WEIGHTED_SUM and len(operands) > 1:
                n = len(operands) // 2
                w, a, b = operands[:n], operands[n : 2 * n], operands[2 * n :]
                if varies[out] and not any(varies[s] for s in (*w, *b)) and all(varies[s] for s in a):
                    groups.setdefault((depth[out], "layer", a, len(b)), []).append((out, operands))
                    continue
            if rule is ops.SUM or rule is ops.WEIGHTED_SUM:
                groups[(depth[out], "node", out)] = [(out, operands, rule)]
            else:
                key = (depth[out], "rows", rule.name, rule.params, tuple(varies[s] for s in operands))
                groups.setdefault(key, []).append((out, operands, rule))
        compiled = []
        for key in sorted(groups, key=lambda k: k[0]):
            members = groups[key]
            outs = np.array([position[m[0]] for m in members], dtype=np.intp)
            if key[1] == "layer":
                n = len(key[2])
                W = np.array([[position[s] for s in m[1][:n]] for m in members], dtype=np.intp)
                b = np.array([position[m[1][-1]] for m in members], dtype=np.intp) if key[3] else None
                compiled.append(_Layer(outs, W, np.array([position[s] for s in key[2]], dtype=np.intp), b))
            elif key[1] == "node":
                out, operands, rule = members[0]
                compiled.append(_Node(rule, position[out], [(position[s], varies[s]) for s in operands], varies[out]))
            else:
                pattern = key[4]
                columns = [np.array([position[m[1][j]] for m in members], dtype=np.intp) for j in range(len(pattern))]
                compiled.append(_Rows(members[0][2], outs, list(zip(columns, pattern)), any(pattern)))
        return compiled

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

    def _forward(self, shared: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, list]:
        S = self._S0.copy()
        S[self._shared_at] = shared
        m = rows.shape[1] if len(self.batched) else 1
        B = np.empty((self._n_batched, m))
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
        GS, GB = np.zeros_like(S), np.zeros_like(B)
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
        return (values[0] if self.n_outputs is None else tuple(values)), GS[self._shared_at], GB[: len(self.batched)]

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

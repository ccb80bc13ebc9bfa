r"""Loss functions C over a batch of m examples, each named for its convention.

Every loss takes ``outputs`` (one per example: a ``Value`` for a one-output
model, a list of Values for a vector output) and ``targets`` of the same
length, and returns a ``Value``: the MEAN over the m examples, so that
backward gives ∂C/∂(output) with the 1/m inside. One example alone is a batch
of m = 1: ``binary_cross_entropy(Value(0.7), 1.0)`` is its loss, as is
``softmax_cross_entropy(logits, 2)``. (A list of Values with a list of numbers
is always read as m one-output examples; the loss of ONE example with a vector
output is ``quadratic_cost([outputs], [targets])``.) Targets may also be
Values: every loss keeps them in the graph (so that a traced tape takes them
as inputs: ``fit``'s replay modes), and no loss's graph depends on the target
values: the cross-entropies always build both terms, and the softmax
cross-entropy takes its class as a one-hot vector. Their gradients, per example
i (each also stated in the function's docstring):

=================================== =============================================== ==========================
function                            C                                               ∂C/∂(output of example i)
=================================== =============================================== ==========================
quadratic_cost                      1/(2m) Σ_i ||y_i - a_i||^2                      (a_i - y_i) / m
mean_squared_error                  1/(m n) Σ_i Σ_j (y_ij - ŷ_ij)^2                 2 (ŷ_ij - y_ij) / (m n)
binary_cross_entropy                -1/m Σ_i [y_i log p_i + (1 - y_i) log(1 - p_i)] (p_i - y_i) / (p_i (1 - p_i)) / m
binary_cross_entropy_with_logits    the same with p_i = σ(z_i), from the logit z_i  (σ(z_i) - y_i) / m
hinge_loss                          1/m Σ_i max(0, 1 - y_i s_i), y_i = ±1           -y_i / m where y_i s_i < 1, else 0
softmax_cross_entropy               1/m Σ_i [log Σ_c e^{z_ic} - z_{i,y_i}]          (softmax(z_i)_c - [c = y_i]) / m
=================================== =============================================== ==========================

The quadratic cost has the 1/2 of the backpropagation derivations; the mean
squared error is the libraries' (PyTorch's ``MSELoss``), twice as large with
twice the gradient for one output. :func:`l2_penalty` is a regulariser to add
to any of them.

The registry of costs by name, with each one's output activation, label
convention and array form, is :data:`nn.costs.COSTS`.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Iterable, Sequence

import autograd
from autograd import Value

Output = Value | Sequence[Value]
Loss = Callable[..., Value]


def _sum(terms: Iterable[Value]) -> Value:
    """Σ terms as one ``sum`` node (:func:`autograd.sum`: the left fold's value, no constant 0 node)."""
    return autograd.sum(terms)


def _constant(number: float, label: str) -> Value:
    """A constant leaf labelled with the formula it stands for, so a drawing names it (``-y``, ``1/(2m)``)."""
    return Value(float(number), label=label)


def _minus_target(y: float | Value, i: int, m: int, j: int, n: int) -> float | Value:
    """-y of example i (of m), output j (of n), counted from 1: a labelled constant, or -y for a Value target."""
    if isinstance(y, Value):
        return -y
    index = ",".join(str(k) for k, size in ((i, m), (j, n)) if size > 1)
    return _constant(-y, "-y" + (f"_{index}" if index else ""))


def _check_batch(name: str, outputs: Sequence, targets: Sequence) -> tuple[Sequence, Sequence, int]:
    """``(outputs, targets, m)``; one output (a Value) or one target (a number) is a batch of m = 1."""
    if isinstance(outputs, Value) or isinstance(targets, (numbers.Real, Value)):
        outputs, targets = [outputs], [targets]
    if len(outputs) != len(targets):
        raise ValueError(
            f"{name}: {len(outputs)} outputs but {len(targets)} targets (one target per output expected)"
        )
    if not outputs:
        raise ValueError(f"{name}: the batch is empty")
    return outputs, targets, len(outputs)


def _as_vector(output: Output) -> Sequence[Value]:
    return [output] if isinstance(output, Value) else output


def _number(name: str, y: object) -> float:
    if isinstance(y, Value):
        return y.data
    if isinstance(y, bool) or not isinstance(y, numbers.Real):
        raise TypeError(f"{name}: a target must be a real number, got {type(y).__name__}: {y!r}")
    return float(y)


def _target(name: str, y: object) -> float | Value:
    """A target as a number, or the Value itself: a Value target stays in the graph
    (so that :func:`autograd.trace` can make it an input of a tape)."""
    return y if isinstance(y, Value) else _number(name, y)


def _target_vector(name: str, y: object, n: int) -> list[float | Value]:
    # y is any object: list(y) raising TypeError for one that is not iterable is the check
    values = [y] if isinstance(y, (numbers.Real, Value)) else list(y)  # type: ignore[call-overload]
    if len(values) != n:
        raise ValueError(f"{name}: an output of size {n} needs a target of size {n}, got {len(values)}")
    return [_target(name, v) for v in values]


def quadratic_cost(outputs: Sequence[Output], targets: Sequence) -> Value:
    r"""The quadratic cost of the backpropagation derivations, with its 1/2.

    C = 1/(2m) Σ_i ||y_i - a_i||^2, summed over each output vector's entries and
    averaged over the m examples; ∂C/∂a_i = (a_i - y_i) / m.

    Args:
        outputs: One output per example (a Value, or a list of Values).
        targets: One target per example (a number, or a list of numbers).
    """
    outputs, targets, m = _check_batch("quadratic_cost", outputs, targets)
    terms: list[Value] = []
    for i, (a, y) in enumerate(zip(outputs, targets), start=1):
        a_vec = _as_vector(a)
        for j, y_j in enumerate(_target_vector("quadratic_cost", y, len(a_vec)), start=1):
            terms.append((a_vec[j - 1] + _minus_target(y_j, i, m, j, len(a_vec))) ** 2)
    return _sum(terms) * _constant(0.5 / m, "1/(2m)")


def mean_squared_error(outputs: Sequence[Output], targets: Sequence) -> Value:
    r"""Mean squared error as the libraries define it (PyTorch ``MSELoss``), without 1/2.

    C = 1/(m n) Σ_i Σ_j (y_ij - ŷ_ij)^2, the mean over all m·n entries (n
    outputs per example); ∂C/∂ŷ_ij = 2 (ŷ_ij - y_ij) / (m n). For one output,
    twice :func:`quadratic_cost`.

    Args:
        outputs: One output per example (a Value, or a list of n Values).
        targets: One target per example (a number, or a list of n numbers).
    """
    outputs, targets, m = _check_batch("mean_squared_error", outputs, targets)
    terms: list[Value] = []
    for i, (y_hat, y) in enumerate(zip(outputs, targets), start=1):
        vec = _as_vector(y_hat)
        for j, y_j in enumerate(_target_vector("mean_squared_error", y, len(vec)), start=1):
            terms.append((vec[j - 1] + _minus_target(y_j, i, m, j, len(vec))) ** 2)
    return _sum(terms) * _constant(1.0 / len(terms), "1/(mn)")


def _scalar(name: str, output: Output) -> Value:
    if isinstance(output, Value):
        return output
    raise TypeError(
        f"{name} needs one output Value per example (a one-output model), got {type(output).__name__}"
    )


def _unit_target(name: str, y: object) -> float | Value:
    """A cross-entropy target: a number in [0, 1] (a Value target, checked by its number, stays a Value)."""
    number = _number(name, y)
    if not 0.0 <= number <= 1.0:
        raise ValueError(f"{name}: targets must be in [0, 1], got {number!r}")
    return y if isinstance(y, Value) else number


def binary_cross_entropy(outputs: Sequence[Output], targets: Sequence) -> Value:
    r"""Binary cross-entropy on probabilities p = σ(z^L) (a sigmoid output layer).

    C = -1/m Σ_i [y_i log p_i + (1 - y_i) log(1 - p_i)], with y_i in [0, 1];
    ∂C/∂p_i = (p_i - y_i) / (p_i (1 - p_i)) / m, which with the sigmoid's
    derivative p (1 - p) collapses to ∂C/∂z_i = (p_i - y_i) / m. An example
    with a vector of n outputs (n independent labels) has the sum of their
    n terms as its loss, as :func:`quadratic_cost` sums its squares:
    C = -1/m Σ_i Σ_j [y_ij log p_ij + (1 - y_ij) log(1 - p_ij)].

    Both terms are always built, whatever y (so that the graph's shape does
    not depend on the targets, and a traced tape replays any target): for
    y = 1 the second term is 0 · log(1 - p), exactly 0. No epsilon is added
    inside the logarithms and nothing is clamped (PyTorch's ``BCELoss``
    clamps each log at -100): a probability of exactly 0 or 1 is an error,
    whatever its weight, as before. Train from logits with
    :func:`binary_cross_entropy_with_logits` instead: it is stable for any z.

    Args:
        outputs: One probability Value per example, each in (0, 1), or one list of them.
        targets: One label per example, in [0, 1] (usually 0 or 1), or one list of them.

    Raises:
        ValueError: A probability outside (0, 1) or a target outside [0, 1].
    """
    name = "binary_cross_entropy"
    outputs, targets, m = _check_batch(name, outputs, targets)
    terms: list[Value] = []
    for output, target in zip(outputs, targets):
        p_vec = _as_vector(output)
        y_vec = [target] if isinstance(target, (numbers.Real, Value)) else list(target)
        if len(y_vec) != len(p_vec):
                raise ValueError(
                f"{name}: an output of size {len(p_vec)} needs a target of size {len(p_vec)}, got {len(y_vec)}"
            )
        for p, y in zip(p_vec, y_vec):
            p = _scalar(name, p)
            y = _unit_target(name, y)
            if not 0.0 < p.data < 1.0:
                raise ValueError(
                    f"{name}: probabilities must be strictly between 0 and 1, got {p.data!r} "
                    "(a saturated sigmoid): use binary_cross_entropy_with_logits on z instead"
                )
            terms.append(y * p.log() + (1.0 - y) * (1.0 - p).log())
    return _sum(terms) * _constant(-1.0 / m, "-1/m")


def binary_cross_entropy_with_logits(outputs: Sequence[Value], targets: Sequence[float]) -> Value:
    r"""Binary cross-entropy from the logit z (the output BEFORE a sigmoid), stable for any z.

    C = 1/m Σ_i [softplus(z_i) - y_i z_i], which equals
    -1/m Σ_i [y_i log σ(z_i) + (1 - y_i) log(1 - σ(z_i))] (since
    log σ(z) = z - softplus(z) and log(1 - σ(z)) = -softplus(z));
    ∂C/∂z_i = (σ(z_i) - y_i) / m.

    # NOTE: numerical stability: softplus(z) = max(z, 0) + log(1 + e^{-|z|})
    never overflows, where log(σ(z)) would take the log of 0 for z << 0.

    Args:
        outputs: One logit Value per example (a linear output layer).
        targets: One label per example, in [0, 1].
    """
    name = "binary_cross_entropy_with_logits"
    outputs, targets, m = _check_batch(name, outputs, targets)
    terms: list[Value] = []
    for z, y in zip(outputs, targets):
        z = _scalar(name, z)
        label = _unit_target(name, y)
        terms.append(z.softplus() - z * label)  # also for y = 0: the same graph for every target
    return _sum(terms) * _constant(1.0 / m, "1/m")


def hinge_loss(outputs: Sequence[Value], targets: Sequence[float]) -> Value:
    r"""The max-margin (hinge) loss of a support vector machine, labels ±1.

    C = 1/m Σ_i max(0, 1 - y_i s_i) for scores s_i and labels y_i in {-1, +1};
    ∂C/∂s_i = -y_i / m where the margin y_i s_i < 1, else 0.

    Args:
        outputs: One score Value per example (a linear output layer).
        targets: One label per example, -1 or +1 (convert 0/1 labels with 2y - 1).

    Raises:
        ValueError: A label other than -1 or +1.
    """
    name = "hinge_loss"
    outputs, targets, m = _check_batch(name, outputs, targets)
    terms: list[Value] = []
    for s, y in zip(outputs, targets):
        s = _scalar(name, s)
        terms.append((s * -_hinge_label(y) + 1.0).relu())  # 1 - y s
    return _sum(terms) * _constant(1.0 / m, "1/m")


def _hinge_label(y: object) -> float | Value:
    """A hinge label, checked to be -1 or +1 (a Value label stays a Value)."""
    target = _target("hinge_loss", y)
    label = target.data if isinstance(target, Value) else target
    if label not in (-1.0, 1.0):
        raise ValueError(f"hinge_loss: labels must be -1 or +1, got {label!r} (convert 0/1 labels with 2*y - 1)")
    return target


def softmax_cross_entropy(outputs: Sequence[Sequence[Value]], targets: Sequence) -> Value:
    r"""Cross-entropy of a softmax over the logits z_i, for K >= 2 classes.

    C = 1/m Σ_i -log softmax(z_i)_{y_i} = 1/m Σ_i [log Σ_c e^{z_ic} - Σ_c t_ic z_ic],
    t_i the one-hot vector of the class y_i; ∂C/∂z_ic = (softmax(z_i)_c - t_ic) / m.

    The class enters as the numbers t_i (so that the graph does not depend on
    which class it is, and a traced tape replays any target), and the
    log-sum-exp is built without a shift by the largest logit (which would be
    a number read from the data, frozen into a tape): it is folded pairwise,

        lse(a, b) = log(e^a + e^b) = a + softplus(b - a),

    over the K logits as a balanced tree (depth log₂ K).
    # NOTE: numerical stability: softplus is stable for any argument
    (max(x, 0) + log1p(e^{-|x|})), so no exponential overflows whatever the
    logits, as with the shift; the gradient of each fold is (1 - σ(b - a), σ(b - a)),
    whose products along the tree are the softmax.

    Args:
        outputs: One list of K logit Values per example (a linear output layer).
        targets: One target per example: a class index, an int in 0..K-1, or
            its one-hot vector (K numbers or Values, one 1 and K - 1 zeros).
    """
    name = "softmax_cross_entropy"
    outputs, targets, m = _check_batch(name, outputs, targets)
    terms: list[Value] = []
    for z, y in zip(outputs, targets):
        if isinstance(z, Value) or len(z) < 2:
            raise TypeError(f"{name} needs a list of at least 2 logits per example (one per class), got {z!r}")
        terms.append(log_sum_exp(z) - autograd.weighted_sum(_one_hot(name, y, len(z)), z))
    return _sum(terms) * _constant(1.0 / m, "1/m")


def log_sum_exp(z: Sequence[Value]) -> Value:
    r"""log Σ_c e^{z_c}, folded pairwise as a + softplus(b - a) (see :func:`softmax_cross_entropy`)."""
    level = list(z)
    while len(level) > 1:
        folded = [a + (b - a).softplus() for a, b in zip(level[::2], level[1::2])]
        level = folded + level[len(folded) * 2 :]
    return level[0]


def _one_hot(name: str, y: object, k: int) -> list[float | Value]:
    """A class index as its one-hot vector of k numbers; a one-hot vector checked (its Values kept)."""
    if isinstance(y, numbers.Integral) and not isinstance(y, bool):
        if not 0 <= int(y) < k:
            raise ValueError(f"{name}: a target must be a class index in 0..{k - 1}, got {y!r}")
        return [1.0 if c == y else 0.0 for c in range(k)]
    if isinstance(y, (str, bytes, bool, numbers.Real, Value)) or not isinstance(y, Sequence):
        raise ValueError(f"{name}: a target must be a class index in 0..{k - 1} or its one-hot vector, got {y!r}")
    t = [_target(name, v) for v in y]
    numbers_ = _numbers(t)
    if len(t) != k or sorted(numbers_) != [0.0] * (k - 1) + [1.0]:
        raise ValueError(f"{name}: a one-hot target needs {k} numbers, one 1 and {k - 1} zeros, got {numbers_!r}")
    return t


def l2_penalty(parameters: Iterable[Value], strength: float) -> Value:
    r"""The L2 (weight-decay) penalty λ Σ_p p^2; its gradient is 2 λ p.

    Add it to a loss: ``loss + l2_penalty(model.parameters(), 1e-4)``.

    Args:
        parameters: The parameters to penalise (often all of ``model.parameters()``).
        strength: λ >= 0.
    """
    if isinstance(strength, bool) or not isinstance(strength, numbers.Real) or not strength >= 0:
        raise ValueError(f"l2_penalty strength must be a number >= 0, got {strength!r}")
    params: list[Value] = list(parameters)
    if not params:
        raise ValueError("l2_penalty: no parameters given")
    return _sum(p * p for p in params) * float(strength)


def _numbers(targets: Iterable[float | Value]) -> list[float]:
    return [t.data if isinstance(t, Value) else t for t in targets]


def quadratic_target_numbers(y: object, n: int) -> list[float]:
    """One example's target of :func:`quadratic_cost`, checked by its own code, as numbers for a tape."""
    return _numbers(_target_vector("quadratic_cost", y, n))


def mse_target_numbers(y: object, n: int) -> list[float]:
    """One example's target of :func:`mean_squared_error`, checked by its own code, as numbers for a tape."""
    return _numbers(_target_vector("mean_squared_error", y, n))


def bce_target_numbers(y: object, n: int) -> list[float]:
    """One example's target of :func:`binary_cross_entropy` (n numbers in [0, 1]), checked by its own code."""
    # y is any object: list(y) raising TypeError for one that is not iterable is the check
    values = [y] if isinstance(y, (numbers.Real, Value)) else list(y)  # type: ignore[call-overload]
    if len(values) != n:
        raise ValueError(
            f"binary_cross_entropy: an output of size {n} needs a target of size {n}, got {len(values)}"
        )
    return _numbers([_unit_target("binary_cross_entropy", v) for v in values])


def bce_logits_target_numbers(y: object, n: int) -> list[float]:
    """One example's target of :func:`binary_cross_entropy_with_logits` (a number in [0, 1])."""
    return _numbers([_unit_target("binary_cross_entropy_with_logits", y)])


def cross_entropy_target_numbers(y: object, n: int) -> list[float]:
    """One example's class of :func:`softmax_cross_entropy` as its one-hot vector of n numbers."""
    return _numbers(_one_hot("softmax_cross_entropy", y, n))


def hinge_target_numbers(y: object, n: int) -> list[float]:
    """One example's label of :func:`hinge_loss` (-1 or +1), checked by its own code, as numbers for a tape."""
    return _numbers([_hinge_label(y)])

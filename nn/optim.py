r"""Optimizers shaped like ``torch.optim``: ``step()`` after ``backward()``, ``zero_grad()`` before.

Both update the parameters' ``data`` in place from their ``grad`` (plain
floats: no graph is recorded). With g = ∂C/∂θ + λθ (λ: ``weight_decay``):

* :class:`SGD`: v ← μ v + g (v = g at the first step), θ ← θ - α v
  (μ = ``momentum``; μ = 0 is plain gradient descent θ ← θ - α g).
* :class:`Adam`: m ← β1 m + (1 - β1) g, v ← β2 v + (1 - β2) g²,
  θ ← θ - α (m / (1 - β1^t)) / (√(v / (1 - β2^t)) + ε).

The learning rate α of step t (t = 0, 1, ...) is ``lr * schedule(t)`` when a
``schedule`` is given (as PyTorch's ``LambdaLR``), else ``lr``;
:func:`linear_decay` is one such schedule.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable

from autograd import Value
from nn.checks import positive_number

Schedule = Callable[[int], float]


def linear_decay(total_steps: int, end_factor: float = 0.1) -> Schedule:
    r"""A schedule from 1 down to ``end_factor`` in a straight line over ``total_steps`` steps.

    factor(t) = 1 - (1 - end_factor) · min(t, total_steps) / total_steps.

    Args:
        total_steps: Steps over which the factor falls (it stays at
            ``end_factor`` afterwards).
        end_factor: The final factor, in [0, 1].
    """
    if isinstance(total_steps, bool) or not isinstance(total_steps, int) or total_steps < 1:
        raise ValueError(f"linear_decay total_steps must be a positive int, got {total_steps!r}")
    if not 0.0 <= positive_number(end_factor, "linear_decay end_factor", allow_zero=True) <= 1.0:
        raise ValueError(f"linear_decay end_factor must be in [0, 1], got {end_factor!r}")

    def factor(step: int) -> float:
        return 1.0 - (1.0 - end_factor) * min(step, total_steps) / total_steps

    return factor


class Optimizer(ABC):
    """Base class: the parameters, the learning rate and its schedule, ``zero_grad``.

    Args:
        params: The parameters to update (``model.parameters()``).
        lr: The base learning rate α > 0.
        weight_decay: λ >= 0, added to each gradient as λθ (PyTorch's L2 decay).
        schedule: Optional function of the step number t (0, 1, ...) giving a
            factor of ``lr``.

    Attributes:
        params: The parameters, in order.
        steps: Number of steps taken.
    """

    def __init__(
        self,
        params: Iterable[Value],
        lr: float,
        weight_decay: float = 0.0,
        schedule: Schedule | None = None,
    ) -> None:
        self.params = list(params)
        if not self.params:
            raise ValueError(f"{type(self).__name__} got an empty parameter list")
        for p in self.params:
            if not isinstance(p, Value):
                raise TypeError(f"{type(self).__name__} parameters must be Values, got {type(p).__name__}")
        self.lr = positive_number(lr, "lr")
        self.weight_decay = positive_number(weight_decay, "weight_decay", allow_zero=True)
        if schedule is not None and not callable(schedule):
            raise TypeError(f"schedule must be a function of the step number, got {schedule!r}")
        self.schedule = schedule
        self.steps = 0

    @property
    def current_lr(self) -> float:
        """The learning rate the next :meth:`step` uses: ``lr * schedule(steps)``."""
        return self.lr if self.schedule is None else self.lr * float(self.schedule(self.steps))

    def zero_grad(self) -> None:
        """Set every parameter's ``grad`` to 0.0."""
        for p in self.params:
            p.grad = 0.0

    def _gradients(self) -> list[float]:
        """g = ∂C/∂θ + λθ for every parameter, as floats."""
        wd = self.weight_decay
        return [float(p.grad) + wd * p.data for p in self.params]

    @abstractmethod
    def step(self) -> None:
        """Update every parameter once from its current ``grad``."""


class SGD(Optimizer):
    r"""Stochastic gradient descent with optional momentum, like ``torch.optim.SGD``.

    v ← μ v + g (v = g at the first step), θ ← θ - α v, with g = ∂C/∂θ + λθ.

    Args:
        params: The parameters.
        lr: α > 0.
        momentum: μ in [0, 1).
        weight_decay: λ >= 0.
        schedule: Optional factor of ``lr`` per step.
    """

    def __init__(
        self,
        params: Iterable[Value],
        lr: float,
        momentum: float = 0.0,
        weight_decay: float = 0.0,
        schedule: Schedule | None = None,
    ) -> None:
        super().__init__(params, lr, weight_decay, schedule)
        self.momentum = positive_number(momentum, "momentum", allow_zero=True)
        if self.momentum >= 1.0:
            raise ValueError(f"momentum must be in [0, 1), got {momentum!r}")
        self.velocity: list[float] = []

    def step(self) -> None:
        r"""θ ← θ - α v with v ← μ v + g."""
        lr, mu = self.current_lr, self.momentum
        grads = self._gradients()
        if mu:
            if self.velocity:
                self.velocity = [mu * v + g for v, g in zip(self.velocity, grads)]
            else:
                self.velocity = grads
            grads = self.velocity
        for p, g in zip(self.params, grads):
            p.data -= lr * g
        self.steps += 1


class Adam(Optimizer):
    r"""Adam (Kingma & Ba), like ``torch.optim.Adam``.

    m ← β1 m + (1 - β1) g, v ← β2 v + (1 - β2) g²,
    θ ← θ - α (m / (1 - β1^t)) / (√(v / (1 - β2^t)) + ε), with t = 1, 2, ...

    Args:
        params: The parameters.
        lr: α > 0.
        betas: (β1, β2), each in [0, 1).
        eps: ε > 0.
        weight_decay: λ >= 0 (added to the gradient, as ``torch.optim.Adam``).
        schedule: Optional factor of ``lr`` per step.
    """

    def __init__(
        self,
        params: Iterable[Value],
        lr: float = 0.001,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        schedule: Schedule | None = None,
    ) -> None:
        super().__init__(params, lr, weight_decay, schedule)
        if len(betas) != 2:
            raise ValueError(f"betas must be a pair (beta1, beta2), got {betas!r}")
        for beta in betas:
            if not 0.0 <= positive_number(beta, "beta", allow_zero=True) < 1.0:
                raise ValueError(f"betas must be in [0, 1), got {betas!r}")
        self.betas = (float(betas[0]), float(betas[1]))
        self.eps = positive_number(eps, "eps")
        n = len(self.params)
        self.m = [0.0] * n
        self.v = [0.0] * n

    def step(self) -> None:
        r"""One Adam update with bias-corrected moments."""
        lr = self.current_lr
        beta1, beta2 = self.betas
        t = self.steps + 1
        correction1 = 1.0 - beta1**t
        correction2 = 1.0 - beta2**t
        for i, (p, g) in enumerate(zip(self.params, self._gradients())):
            m = self.m[i] = beta1 * self.m[i] + (1.0 - beta1) * g
            v = self.v[i] = beta2 * self.v[i] + (1.0 - beta2) * g * g
            p.data -= lr * (m / correction1) / (math.sqrt(v / correction2) + self.eps)
        self.steps = t

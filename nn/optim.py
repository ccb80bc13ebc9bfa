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

Each hyperparameter is one :class:`nn.hyperparameters.Hyperparameter`
(:data:`LR`, :data:`MOMENTUM`, :data:`BETA1`, :data:`BETA2`, :data:`EPS`,
:data:`WEIGHT_DECAY`), whose check is the only check of its range. Each
optimizer is one :class:`OptimizerRecord` of :data:`OPTIMIZERS`: its class,
its hyperparameters and its constructor. ``chainrule train`` takes its
``--optimizer`` choices, its hyperparameter options and their checks from
there. To add an optimizer, write its class and add its record to
``_RECORDS``::

    from nn.optim import OPTIMIZERS
    record = OPTIMIZERS["adam"]
    record.build(model.parameters(), {"lr": 0.01, "beta1": 0.8})   # Adam(..., betas=(0.8, 0.999))
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace

from autograd import Value
from nn.checks import positive_number
from nn.hyperparameters import Hyperparameter

Schedule = Callable[[int], float]

LR = Hyperparameter("lr", "α", "the learning rate", low_open=True)
"""α > 0, every optimizer's; no default (:class:`SGD` needs one)."""
WEIGHT_DECAY = Hyperparameter("weight_decay", "λ", "L2 weight decay, λθ added to each gradient", default=0.0)
"""λ >= 0, every optimizer's (PyTorch's ``weight_decay``)."""
MOMENTUM = Hyperparameter("momentum", "μ", "momentum, 0 for plain gradient descent", default=0.0, high=1.0)
"""SGD's μ in [0, 1), default 0 as ``torch.optim.SGD``."""
ADAM_LR = replace(LR, default=0.001)
"""Adam's α, default 0.001 as ``torch.optim.Adam``."""
BETA1 = Hyperparameter("beta1", "β1", "decay rate of the running mean of g", default=0.9, high=1.0)
"""Adam's β1 in [0, 1)."""
BETA2 = Hyperparameter("beta2", "β2", "decay rate of the running mean of g^2", default=0.999, high=1.0)
"""Adam's β2 in [0, 1)."""
EPS = Hyperparameter("eps", "ε", "added to sqrt(v) in the denominator of a step", default=1e-8, low_open=True)
"""Adam's ε > 0."""


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
        self.lr = LR.check(lr)
        self.weight_decay = WEIGHT_DECAY.check(weight_decay)
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
        momentum: float = MOMENTUM.fallback,
        weight_decay: float = 0.0,
        schedule: Schedule | None = None,
    ) -> None:
        super().__init__(params, lr, weight_decay, schedule)
        self.momentum = MOMENTUM.check(momentum)
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
        lr: float = ADAM_LR.fallback,
        betas: tuple[float, float] = (BETA1.fallback, BETA2.fallback),
        eps: float = EPS.fallback,
        weight_decay: float = 0.0,
        schedule: Schedule | None = None,
    ) -> None:
        super().__init__(params, lr, weight_decay, schedule)
        if len(betas) != 2:
            raise ValueError(f"betas must be a pair (beta1, beta2), got {betas!r}")
        self.betas = (BETA1.check(betas[0], "betas[0] (beta1)"), BETA2.check(betas[1], "betas[1] (beta2)"))
        self.eps = EPS.check(eps)
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


@dataclass(frozen=True)
class OptimizerRecord:
    r"""One optimizer: its name, class, hyperparameters and constructor.

    Attributes:
        name: Its name (``chainrule train --optimizer NAME``).
        cls: The :class:`Optimizer` subclass.
        summary: A few words for help texts.
        hyperparameters: The numbers its constructor takes besides the
            parameters, ``lr`` among them; :data:`WEIGHT_DECAY` and the
            ``schedule``, every optimizer's, are not listed.
        make: Builds it as ``make(params, schedule=..., **values)``, one value per
            hyperparameter; None for ``cls`` itself (a record whose keywords are
            not the constructor's gives a function, as Adam's ``beta1``, ``beta2``
            for ``betas``).
    """

    name: str
    cls: type[Optimizer]
    summary: str
    hyperparameters: tuple[Hyperparameter, ...]
    make: Callable[..., Optimizer] | None = None

    def __post_init__(self) -> None:
        names = [h.name for h in self.hyperparameters]
        if len(set(names)) != len(names) or "lr" not in names:
            raise ValueError(f"optimizer {self.name}: hyperparameter names must be distinct and include lr, got {names}")

    @property
    def names(self) -> list[str]:
        """The names of its hyperparameters, in order."""
        return [h.name for h in self.hyperparameters]

    def values(self, given: Mapping[str, object]) -> dict[str, float]:
        """Every hyperparameter's value: the ``given`` one, checked, else its default.

        Raises:
            ValueError: A name it does not take, a value outside its interval,
                or a hyperparameter without a default that is not given.
        """
        unknown = [name for name in given if name not in self.names]
        if unknown:
            raise ValueError(
                f"optimizer {self.name} takes no hyperparameter {unknown[0]!r}; it takes: {', '.join(self.names)}"
            )
        values = {}
        for h in self.hyperparameters:
            if h.name in given:
                values[h.name] = h.check(given[h.name])
            elif h.default is None:
                raise ValueError(f"optimizer {self.name} needs {h.name} ({h.symbol}), which has no default")
            else:
                values[h.name] = h.default
        return values

    def build(
        self, params: Iterable[Value], given: Mapping[str, object], schedule: Schedule | None = None
    ) -> Optimizer:
        """The optimizer over ``params`` with the ``given`` hyperparameters (:meth:`values`)."""
        make = self.cls if self.make is None else self.make
        return make(params, schedule=schedule, **self.values(given))


def _adam(
    params: Iterable[Value], *, lr: float, beta1: float, beta2: float, eps: float, schedule: Schedule | None = None
) -> Adam:
    """Adam from one keyword per hyperparameter (``betas=(beta1, beta2)``)."""
    return Adam(params, lr=lr, betas=(beta1, beta2), eps=eps, schedule=schedule)


_RECORDS = (
    OptimizerRecord("sgd", SGD, "stochastic gradient descent with momentum", (LR, MOMENTUM)),
    OptimizerRecord("adam", Adam, "Adam, bias-corrected moments", (ADAM_LR, BETA1, BETA2, EPS), make=_adam),
)

OPTIMIZERS: dict[str, OptimizerRecord] = {record.name: record for record in _RECORDS}
"""The optimizers by name: ``sgd`` (:class:`SGD`) and ``adam`` (:class:`Adam`)."""


def hyperparameters_by_name() -> dict[str, Hyperparameter]:
    """Every hyperparameter of :data:`OPTIMIZERS`, once per name, in order of first appearance.

    Raises:
        ValueError: Two optimizers give the same name different intervals (one
            option of the command line could not check both).
    """
    found: dict[str, Hyperparameter] = {}
    for record in OPTIMIZERS.values():
        for h in record.hyperparameters:
            first = found.setdefault(h.name, h)
            if first.interval != h.interval:
                raise ValueError(
                    f"hyperparameter {h.name} is {first.requirement} in one optimizer and "
                    f"{h.requirement} in {record.name}: give one of them another name"
                )
    return found

"""autograd: chainrule's scalar reverse-mode automatic differentiation engine.

``Value`` records every operation on it; ``backward()`` applies the chain rule
through the recorded graph. Pure Python: only :mod:`autograd.render` imports
``graphviz`` (import it as ``from autograd.render import draw_dot``).
"""

from autograd import copying  # noqa: F401  (registers how pickle and copy.deepcopy take a Value)
from autograd.functional import grad, gradcheck, hessian, jacobian, value_and_grad
from autograd.graph import topological_order
from autograd.reductions import sum, weighted_sum
from autograd.replay import Tape, TraceError, trace
from autograd.value import Value, is_grad_enabled, no_grad

__all__ = [
    "Tape",
    "TraceError",
    "Value",
    "grad",
    "gradcheck",
    "hessian",
    "is_grad_enabled",
    "jacobian",
    "no_grad",
    "sum",
    "topological_order",
    "trace",
    "value_and_grad",
    "weighted_sum",
]

r"""The four equations of backpropagation, vectorized, side by side with the scalar engine.

This package is the one place in ``nn`` that uses NumPy. Its modules follow
the curriculum's sections:

* :mod:`nn.analytic.equations`: forward propagation and BP1 to BP4 on
  matrices, one example per column,

      BP1  δ^L = ∇_a C ⊙ f'(z^L)
      BP2  δ^l = ((W^{l+1})^T δ^{l+1}) ⊙ f'(z^l)
      BP3  ∂C/∂b^l_j = δ^l_j
      BP4  ∂C/∂w^l_jk = a^{l-1}_k δ^l_j

* :mod:`nn.analytic.batch`: a batch (X of shape (n_0, m), Y of shape
  (n_L, m)), checked, or drawn at random;
* :mod:`nn.analytic.engine`: the same gradients from the scalar engine
  (``backward()`` through a ``Value`` graph);
* :mod:`nn.analytic.comparison`: :func:`compare`, the engine beside the
  equations and central finite differences, with a printed report;
* :mod:`nn.analytic.derivation`: :func:`check_derivation`, a gradient
  formula derived by hand checked against the engine, entry by entry;
* :mod:`nn.analytic.conventions`: the two conventions for dZ over a batch,
  averaged (dZ = ∂C/∂Z, 1/m inside) and per example (dZ = ∂ℓ/∂Z, the 1/m in
  dW and db), which :func:`check_derivation` tells apart.

Every name below can be imported from ``nn.analytic`` directly. The costs
(``cost=``) are the records of :data:`nn.costs.COSTS` with an array form
(:func:`nn.costs.array_costs`), the activations those of
:data:`nn.activations.ACTIVATIONS`, and a softmax output layer
(:data:`nn.softmax.SOFTMAX`) over a model's linear output, for
``cost="cross_entropy"`` (one output per class) or as
``output_activation="softmax"`` with any other cost (:func:`network_for`).
"""

from nn.activations import ACTIVATIONS
from nn.analytic.batch import check_batch, random_batch
from nn.analytic.comparison import Comparison, Row, compare, finite_difference_gradients
from nn.analytic.conventions import CONVENTIONS
from nn.analytic.derivation import Derivation, DerivationCheck, check_derivation
from nn.analytic.engine import EngineGradients, engine_gradients
from nn.analytic.equations import (
    ForwardPass,
    LayerGradients,
    Network,
    backpropagate,
    cost_gradient,
    cost_value,
    forward,
    network_for,
    output_error,
    per_example_weight_gradients,
)

__all__ = [
    "ACTIVATIONS",
    "CONVENTIONS",
    "Comparison",
    "Derivation",
    "DerivationCheck",
    "EngineGradients",
    "ForwardPass",
    "LayerGradients",
    "Network",
    "Row",
    "backpropagate",
    "check_batch",
    "check_derivation",
    "compare",
    "cost_gradient",
    "cost_value",
    "engine_gradients",
    "finite_difference_gradients",
    "forward",
    "network_for",
    "output_error",
    "per_example_weight_gradients",
    "random_batch",
]

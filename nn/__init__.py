"""nn: neural networks built from ``autograd.Value``, so backpropagation falls out of the graph.

The core (modules, layers, losses, optimizers, data sets, training) is pure
Python. Optional extras are imported where they are used: ``nn.plots`` needs
matplotlib (``pip install 'chainrule[train]'``), ``nn.datasets.digits``
scikit-learn (``[data]``), ``nn.torch_bridge`` PyTorch (``[torch]``).
"""

from nn.layers import MLP, Layer, Neuron
from nn.module import Module

__all__ = ["MLP", "Layer", "Module", "Neuron"]

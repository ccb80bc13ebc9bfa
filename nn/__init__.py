"""nn: neural networks built from ``autograd.Value``, so backpropagation falls out of the graph."""

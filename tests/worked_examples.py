"""The worked examples several test files share: the lecture's graphs and the textbook's network.

Each graph is returned after ``backward()`` (the lecture's L = (a*b + c)*f is
the one ``chainrule demo`` prints, :func:`chainrule.lecture.lecture_graph`);
its numbers are derived by hand in the tests that use them.
"""

from __future__ import annotations

from pathlib import Path

from autograd import Value

TEXTBOOK = Path(__file__).parent / "data" / "worksheet_textbook_given.json"
"""The widely used hand-worked 2-2-2 example (w1 = 0.15, ..., targets 0.01 and 0.99), as a given file."""


def tanh_neuron() -> dict[str, Value]:
    """The lecture's neuron o = tanh(x1*w1 + x2*w2 + b), after backward."""
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2 = Value(-3.0, label="w1"), Value(1.0, label="w2")
    b = Value(6.8813735870195432, label="b")
    x1w1 = x1 * w1
    x1w1.label = "x1*w1"
    x2w2 = x2 * w2
    x2w2.label = "x2*w2"
    s = x1w1 + x2w2
    s.label = "x1*w1 + x2*w2"
    n = s + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    o.backward()
    return dict(x1=x1, x2=x2, w1=w1, w2=w2, b=b, x1w1=x1w1, x2w2=x2w2, s=s, n=n, o=o)

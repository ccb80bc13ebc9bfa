r"""The lecture's worked example of the chain rule, printed by ``chainrule demo``.

L = (a·b + c)·f with a = 2, b = -3, c = 10, f = -2 (micrograd's lecture): the
forward pass gives e = a·b = -6, d = e + c = 4, L = d·f = -8; backward gives
each dL/dnode by the chain rule, node by node from L, for instance
dL/da = dL/dd · dd/de · de/da = f · 1 · b = 6.
"""

from __future__ import annotations

from autograd import Value


def lecture_graph() -> dict[str, Value]:
    """The worked example's nodes by name (a, b, c, f, e, d, L), after ``L.backward()``."""
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    c, f = Value(10.0, label="c"), Value(-2.0, label="f")
    e = a * b
    e.label = "e"
    d = e + c
    d.label = "d"
    L = d * f
    L.label = "L"
    L.backward()
    return dict(a=a, b=b, c=c, f=f, e=e, d=d, L=L)


def chain_rule_example() -> str:
    r"""The worked example L = (a·b + c)·f, forward and backward, as text.

    Every gradient is the engine's (``L.backward()``); the last line checks two
    of them against the chain rule by hand: dL/da = f·b and dL/db = f·a.
    """
    g = lecture_graph()
    a, b, f, e, d, L = g["a"], g["b"], g["f"], g["e"], g["d"], g["L"]
    lines = [
        "Worked example: L = (a*b + c) * f",
        f"forward:  e = a*b = {e.data:g}, d = e + c = {d.data:g}, L = d*f = {L.data:g}",
        "backward (chain rule, node by node):",
        *(f"  dL/d{node.label} = {node.grad:g}" for node in (L, d, f, e, g["c"], a, b)),
        f"check: dL/da = f * b = {f.data * b.data:g}, dL/db = f * a = {f.data * a.data:g}",
    ]
    return "\n".join(lines)

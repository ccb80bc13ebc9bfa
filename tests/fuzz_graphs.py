"""Fuzz the engine against PyTorch float64: random graphs from every row, inputs from the extremes.

Each graph (:func:`tests.strategies.random_graph`) is evaluated by chainrule
and by PyTorch in float64; the value, the gradient and the Hessian must agree
(``tests/float64_oracle.py``). A graph whose forward pass meets a domain
error (``log(0)``, ``x / 0``, ...) is refused by chainrule, as the README says:
it is counted, not compared. A disagreement is then sorted:

* **ill-conditioned**: PyTorch's own number moves past the tolerance (or
  between finite and not) when an input moves by one unit in the last place:
  float64 cannot decide there (``tan(1e145)``, ``a/a + b`` with a gradient
  of 1e112 cancelling), so neither answer is wrong;
* **explained** by one of the README's documented differences, found on the
  graph itself: ``0 × inf`` (a zero local derivative of relu or pow meets an
  infinite or NaN gradient: NaN here, PyTorch's masks give 0), a subnormal
  operand (chainrule multiplies the gradient by the local derivative 1/x,
  whose derivative -1/x^2 overflows for |x| < 1.5e-154, where PyTorch
  divides the gradient by x and stays finite), PyTorch's
  ``where`` at a power with base or exponent 0 (NaN in its second derivatives),
  ``inf - inf`` (an infinite gradient through a derivative's graph: chainrule
  sums the terms of σ(1 - σ) one by one, NaN, where PyTorch's fused
  ``sigmoid_backward`` gives ±inf);
  rounding is judged per order: entries agree within 1e-7 relative, or
  1e-7 of the largest entry of the same order (a Hessian entry of 1e-16 beside
  entries of 1 is rounding, whatever its relative error);
* **unexplained**: a mismatch, printed; the run fails. Run by ``make fuzz`` (100,000 graphs); a seeded
sample runs in the test suite (``tests/test_random_graphs.py``).

    python tests/fuzz_graphs.py --graphs 100000 --seed 0
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from autograd import Value, topological_order
from tests.float64_oracle import Orders, agree, disagreements, engine_orders, torch_orders
from tests.strategies import random_graph, torch_call


@dataclass
class FuzzReport:
    """What a fuzzing run found."""

    graphs: int = 0
    compared: int = 0
    refused: int = 0
    ill_conditioned: int = 0
    explained: dict[str, int] = field(default_factory=dict)
    mismatches: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        explained = ", ".join(f"{n} {why}" for why, n in sorted(self.explained.items())) or "none"
        return (
            f"{self.graphs} graphs: {self.compared} compared with PyTorch float64 at value, gradient "
            f"and Hessian, {self.refused} refused at a domain error; {self.ill_conditioned} "
            f"ill-conditioned, explained: {explained}; {len(self.mismatches)} mismatches"
        )


TOLERANCE = {"rel": 1e-7, "abs_": 1e-200}
TINY = 1.4916681462400413e-154
"""Below it 1/x^2 overflows."""


def _entries(orders: Orders) -> dict[str, float]:
    named = {"value": orders.value}
    named.update({f"d/dx{i}": g for i, g in enumerate(orders.gradient)})
    named.update({f"d2/dx{i}dx{j}": h for i, row in enumerate(orders.hessian) for j, h in enumerate(row)})
    return named


def _magnitudes(program, point: list[float]) -> list[float]:
    """Σ over paths of Π |local derivative|, per input: the size of the terms its gradient sums."""
    xs = [Value(x) for x in point]
    out = program(xs)
    order = topological_order(out)
    size = {out: 1.0}
    for node in reversed(order):
        g = size.pop(node, 0.0)
        if node.is_leaf:
            size[node] = g
            continue
        for parent, d in zip(node.parents, node.partials()):
            size[parent] = size.get(parent, 0.0) + abs(d) * g
    return [size.get(x, 0.0) for x in xs]


def _rounding(entry: str, ours: Orders, theirs: Orders, program, point: list[float]) -> bool:
    """Whether a disagreement is rounding: a gradient within 1e-7 of the terms it sums, a Hessian
    entry within 1e-7 of the largest finite entry."""
    name = entry.split(":")[0]
    if name == "value":
        return False
    a, b = _entries(ours)[name], _entries(theirs)[name]
    if name.startswith("d/") and math.isfinite(a) and math.isfinite(b):
        return abs(a - b) <= 1e-7 * _magnitudes(program, point)[int(name[4:])]
    order = [*ours.gradient, *theirs.gradient] if name.startswith("d/") else [
        h for H in (ours.hessian, theirs.hessian) for row in H for h in row
    ]
    scale = max((abs(h) for h in order if math.isfinite(h)), default=0.0)
    return math.isfinite(a) and math.isfinite(b) and abs(a - b) <= 1e-7 * scale


def _ill_conditioned(torch, f, point: list[float], entries: set[str]) -> bool:
    """Whether PyTorch's own entries move past the tolerance when one input moves by one ulp."""
    at = _entries(torch_orders(torch, f, point))
    for i, x in enumerate(point):
        if not math.isfinite(x):
            continue
        for direction in (math.inf, -math.inf):
            moved = list(point)
            moved[i] = math.nextafter(x, direction)
            near = _entries(torch_orders(torch, f, moved))
            if any(not agree(at[e], near[e], **TOLERANCE) for e in entries):
                return True
    return False


def _explanation(program, point: list[float], found: list[str]) -> str | None:
    """The README's documented difference this graph meets, found on its nodes, or None."""
    xs = [Value(x) for x in point]
    out = program(xs)
    out.backward()
    second_order = any(e.startswith("d2") for e in found)
    nan_against_inf = all(e.startswith("d2") and ": nan vs PyTorch " in e and e.endswith("inf") for e in found)
    for node in topological_order(out):
        rule = node.rule
        if rule is None:
            continue
        operands = [p.data for p in node.parents]
        masks = rule.name in ("relu", "pow", "pow_const")
        if masks and not math.isfinite(node.grad) and 0.0 in node.partials():
            return "0 × inf"
        if rule.name in ("div", "log", "pow", "pow_const", "sqrt") and any(
            0 < abs(v) < TINY for v in (*operands, node.data)
        ):
            return "tiny operand"
        if second_order and rule.name == "pow" and (operands[0] == 0 or operands[1] == 0):
            return "where at a power of base or exponent 0"
        if nan_against_inf and rule.name == "sigmoid" and math.isinf(node.grad):
            return "inf - inf"
    return None


def fuzz(graphs: int, seed: int = 0, stop_after: int = 50) -> FuzzReport:
    """Compare ``graphs`` random graphs with PyTorch; stop after ``stop_after`` mismatches."""
    import torch

    rng = random.Random(seed)
    call = torch_call(torch)
    report = FuzzReport()
    for index in range(graphs):
        point, program = random_graph(rng)
        report.graphs += 1
        try:
            ours = engine_orders(lambda *xs, p=program: p(list(xs)), point)
        except (ValueError, ZeroDivisionError):
            report.refused += 1
            continue
        on_torch = lambda *ts, p=program: p.on(call, ts)
        theirs = torch_orders(torch, on_torch, point)
        report.compared += 1
        found = [d for d in disagreements(ours, theirs, **TOLERANCE)
                 if not _rounding(d, ours, theirs, program, point)]
        if not found:
            continue
        entries = {d.split(":")[0] for d in found}
        if _ill_conditioned(torch, on_torch, point, entries):
            report.ill_conditioned += 1
            continue
        why = _explanation(program, point, found)
        if why is not None:
            report.explained[why] = report.explained.get(why, 0) + 1
            continue
        report.mismatches.append(f"graph {index}: {program!r} at {point}: {'; '.join(found[:4])}")
        if len(report.mismatches) >= stop_after:
            break
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--graphs", type=int, default=100_000, help="number of random graphs")
    parser.add_argument("--seed", type=int, default=0, help="seed of the random graphs")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    report = fuzz(args.graphs, args.seed)
    for line in report.mismatches:
        print(line)
    print(f"{report} in {time.perf_counter() - start:.0f} s")
    return 1 if report.mismatches else 0


if __name__ == "__main__":
    sys.exit(main())

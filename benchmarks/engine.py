"""chainrule's engine beside micrograd 0.1.0, in one run: time and memory per node.

The workload is the issue's: a 200,000-term sum of products
``s = a_0 b_0 + a_1 b_1 + ... `` built as a left fold (as Python's ``sum`` does),
so the graph is a chain 200,000 additions deep with 800,000 - 1 nodes.

For each engine it measures, best of ``--repeat`` runs:
    build     microseconds per node to build the graph (the leaves excluded),
    backward  microseconds per node for ``backward()`` (topological sort included),
    memory    bytes per node held by the graph (tracemalloc, leaves included),
    and the same times with the cyclic garbage collector switched off, to
    show how much of each engine's time that collector takes.

micrograd's backward is a recursive topological sort: at this depth it needs
``sys.setrecursionlimit`` raised, which this script does for micrograd only.

Run: ``make bench`` or ``.venv/bin/python benchmarks/engine.py [--terms N] [--repeat R]``.
"""

from __future__ import annotations

import argparse
import gc
import random
import sys
import time
import tracemalloc
from collections.abc import Callable
from typing import Any


def build(
    value_cls: Callable[[float], Any], terms: int, seed: int = 0
) -> tuple[list, list, Any, float]:
    rng = random.Random(seed)
    a = [value_cls(rng.uniform(-1, 1)) for _ in range(terms)]
    b = [value_cls(rng.uniform(-1, 1)) for _ in range(terms)]
    start = time.perf_counter()
    total = a[0] * b[0]
    for i in range(1, terms):
        total = total + a[i] * b[i]
    return a, b, total, time.perf_counter() - start


def measure(
    name: str, value_cls: Callable[[float], Any], terms: int, repeat: int, gc_on: bool
) -> dict:
    nodes = 4 * terms - 1
    inner = 3 * terms - 1  # nodes made by operations (the leaves are made before timing)
    best_build = best_backward = float("inf")
    for _ in range(repeat):
        gc.collect()
        if not gc_on:
            gc.disable()
        try:
            a, b, total, t_build = build(value_cls, terms)
            start = time.perf_counter()
            total.backward()
            t_backward = time.perf_counter() - start
        finally:
            gc.enable()
        expected = sum(x.data * y.data for x, y in zip(a, b))
        if abs(total.data - expected) > 1e-6 or a[1].grad != b[1].data:
            raise RuntimeError(f"{name}: wrong result; the benchmark is invalid")
        best_build = min(best_build, t_build)
        best_backward = min(best_backward, t_backward)
        del a, b, total
    return {
        "build_us": best_build / inner * 1e6,
        "backward_us": best_backward / nodes * 1e6,
    }


def memory_per_node(value_cls: Callable[[float], Any], terms: int) -> float:
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    a, b, total, _ = build(value_cls, terms)
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    del a, b, total
    return (after - before) / (4 * terms - 1)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--terms", type=int, default=200_000, help="number of products summed")
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs per measurement; the best is kept"
    )
    args = parser.parse_args()

    from autograd import Value

    engines: list[tuple[str, Callable[[float], Any]]] = [("chainrule", Value)]
    try:
        from micrograd.engine import Value as MicrogradValue

        engines.append(("micrograd 0.1.0", MicrogradValue))
    except ImportError:
        print(
            "micrograd is not installed (pip install 'chainrule[test]'): measuring chainrule alone"
        )

    sys.setrecursionlimit(
        max(sys.getrecursionlimit(), 10 * args.terms)
    )  # for micrograd's recursion
    print(
        f"{args.terms:,}-term sum of products, {4 * args.terms - 1:,} nodes; best of {args.repeat}; "
        f"Python {sys.version.split()[0]}"
    )
    rows = {}
    for name, cls in engines:
        on = measure(name, cls, args.terms, args.repeat, gc_on=True)
        off = measure(name, cls, args.terms, args.repeat, gc_on=False)
        rows[name] = {
            **on,
            "build_nogc_us": off["build_us"],
            "backward_nogc_us": off["backward_us"],
            "bytes": memory_per_node(cls, args.terms),
        }

    header = (
        f"{'engine':<17}{'build us/node':>15}{'backward us/node':>18}{'bytes/node':>12}"
        f"{'build, gc off':>15}{'backward, gc off':>18}"
    )
    print(header)
    for name, r in rows.items():
        print(
            f"{name:<17}{r['build_us']:>15.3f}{r['backward_us']:>18.3f}{r['bytes']:>12.0f}"
            f"{r['build_nogc_us']:>15.3f}{r['backward_nogc_us']:>18.3f}"
        )
    if len(rows) == 2:
        ours, theirs = rows["chainrule"], rows["micrograd 0.1.0"]
        print("micrograd / chainrule ratios (higher means chainrule is better):")
        print(
            f"  build {theirs['build_us'] / ours['build_us']:.2f}x, "
            f"backward {theirs['backward_us'] / ours['backward_us']:.2f}x, "
            f"build+backward {(theirs['build_us'] * 3 + theirs['backward_us'] * 4) / (ours['build_us'] * 3 + ours['backward_us'] * 4):.2f}x, "
            f"memory {theirs['bytes'] / ours['bytes']:.2f}x"
        )


if __name__ == "__main__":
    main()

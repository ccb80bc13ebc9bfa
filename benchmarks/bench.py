r"""``make bench``: chainrule beside micrograd, the hand-written floor, NumPy and PyTorch, in one run.

Everything runs in this one process, (b)-(d) first. Each engine's step is timed in rounds
(one step of every engine per round, in turn, each round starting one engine
later), after a warm-up round, and the median is reported, so a busy moment of the machine falls on all engines alike.

(a) micrograd's demo step (see ``demo_task.py``) at 100 examples:
    micrograd with the garbage collector at its default, with and without the
    collection that frees the step's garbage (micrograd's graphs are reference
    cycles); micrograd with the collector off; chainrule in graph mode (its
    graphs are freed by reference counting, so no collection is owed);
    chainrule's replay of a traced tape; chainrule's batch replay (one
    example's tape run over the batch with NumPy); the hand-written floor
    (``floor.py``); NumPy (nn.analytic's vectorized forward pass, then BP1-BP4 written by hand);
    PyTorch in float64 when installed.
(b) a 200,000-term sum of products, microseconds per node (``engine.py``);
(c) bytes per node of that graph (tracemalloc);
(d) a chain of 1,000,000 nodes (x -> x * 1.000001, backward included);
(e) how time grows: the demo step at 100, 1,000, 10,000 and 100,000 examples
    (width 16; graph mode and replay, whose graph of the whole batch would not
    fit in memory, stop at 10,000) and at widths 16, 64 and 256 (100 examples), for graph mode,
    replay, batch replay, the floor, the hand-written NumPy step (the ceiling of
    batch replay) and PyTorch; a table and ``benchmarks/scaling.png`` (log-log).

Writes ``benchmarks/results.md`` and prints the same tables.
Run: ``make bench`` or ``.venv/bin/python benchmarks/bench.py [--quick]``.
"""

from __future__ import annotations

import argparse
import copy
import datetime
import gc
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import demo_task as task  # noqa: E402
import engine  # noqa: E402
import floor  # noqa: E402

Step = Callable[[], object]


def rounds(steps: dict[str, Step], n_rounds: int, gc_state: dict[str, bool]) -> dict[str, float]:
    """Median seconds per step of each engine over ``n_rounds`` rounds, after one warm-up round."""
    times: dict[str, list[float]] = {name: [] for name in steps}
    names = list(steps)
    for r in range(n_rounds + 1):
        # NOTE: each round starts one engine later, so that no engine always
        # follows the same one (micrograd's freed garbage slows the next engine).
        for name in names[r % len(names):] + names[: r % len(names)]:
            step = steps[name]
            gc.collect()
            if not gc_state[name]:
                gc.disable()
            try:
                start = time.perf_counter()
                step()
                elapsed = time.perf_counter() - start
            finally:
                gc.enable()
            if r:
                times[name].append(elapsed)
    return {name: statistics.median(t) for name, t in times.items()}


def demo_steps(n: int, width: int, with_peers: bool) -> tuple[dict[str, Step], dict[str, bool]]:
    """The steps of every engine on the demo task with ``n`` examples and hidden ``width``."""
    X, y = task.moons(n)
    weights = task.initial_weights([2, width, width, 1])
    graph_model = task.chainrule_model(weights)
    floor_layers = copy.deepcopy(weights)
    batch_model = task.chainrule_model(weights)
    batch = task.chainrule_batch_tape(batch_model)
    import numpy as np

    batch_weights = np.array([p.data for p in batch_model.parameters()])  # arrays, as the NumPy step's W and b
    rows = np.array([[*x, t] for x, t in zip(X, y)])
    steps: dict[str, Step] = {}
    if n <= 10_000:  # beyond, a graph of the whole batch (tens of millions of nodes) outgrows the memory
        replay_model = task.chainrule_model(weights)
        tape = task.chainrule_tape(replay_model, X, y)
        replay_weights = [p.data for p in replay_model.parameters()]
        steps["chainrule graph"] = lambda: task.chainrule_step(graph_model, X, y)
        steps["chainrule replay"] = lambda: task.chainrule_replay_step(tape, replay_weights, X, y)
    steps |= {
        "chainrule batch replay": lambda: task.chainrule_batch_step(batch, batch_weights, rows),
        "floor (hand-written Python)": lambda: floor.floor_step(floor_layers, X, y, task.ALPHA, task.LR),
        "NumPy (hand-written BP1-BP4)": numpy_step(n, width),
    }
    t_step = torch_step(n, width)
    if t_step is not None:
        steps["PyTorch float64"] = t_step
    gc_state = dict.fromkeys(steps, True)
    if with_peers:
        try:
            mg_default, mg_collect, mg_off = (task.micrograd_model(weights) for _ in range(3))
        except ImportError:
            print("micrograd is not installed (pip install 'chainrule[test]'): left out")
        else:
            steps["micrograd, collector default"] = lambda: task.micrograd_step(mg_default, X, y)
            steps["micrograd, default + its collection"] = lambda: (
                task.micrograd_step(mg_collect, X, y),
                gc.collect(),
            )
            steps["micrograd, collector off"] = lambda: task.micrograd_step(mg_off, X, y)
            gc_state.update({"micrograd, collector default": True, "micrograd, default + its collection": True})
            gc_state["micrograd, collector off"] = False
        gc_state["chainrule graph, collector off"] = False
        steps["chainrule graph, collector off"] = lambda: task.chainrule_step(graph_model, X, y)
    return steps, gc_state


def numpy_step(n: int, width: int = 16) -> Step:
    """The demo step with nn.analytic's vectorized forward pass and BP1-BP4 in NumPy, written by hand."""
    import numpy as np

    from nn.analytic.equations import Network, forward

    X, y = task.moons(n)
    net = Network.from_mlp(task.chainrule_model(task.initial_weights([2, width, width, 1])))
    A0 = np.array(X, dtype=float).T
    Y = np.array(y, dtype=float)[None, :]
    m = A0.shape[1]

    def step() -> float:
        fp = forward(net, A0)
        margin = 1.0 - Y * fp.A[-1]
        delta = np.where(margin > 0, -Y / m, 0.0)  # BP1 for the hinge loss
        for l in range(len(net.Ws) - 1, -1, -1):
            dW, db = delta @ fp.A[l].T, delta.sum(axis=1, keepdims=True)  # BP4, BP3
            if l:
                delta = (net.Ws[l].T @ delta) * (fp.Z[l - 1] > 0)  # BP2, relu'
            net.Ws[l] -= task.LR * (dW + 2 * task.ALPHA * net.Ws[l])
            net.bs[l] -= task.LR * (db + 2 * task.ALPHA * net.bs[l])
        reg = sum(float((W**2).sum() + (b**2).sum()) for W, b in zip(net.Ws, net.bs))
        return float(np.maximum(margin, 0).mean()) + task.ALPHA * reg

    return step


def torch_step(n: int, width: int = 16) -> Step | None:
    try:
        import torch
    except ImportError:
        return None
    X, y = task.moons(n)
    model = torch.nn.Sequential(
        torch.nn.Linear(2, width), torch.nn.ReLU(), torch.nn.Linear(width, width), torch.nn.ReLU(),
        torch.nn.Linear(width, 1)
    ).double()
    tX = torch.tensor(X, dtype=torch.float64)
    ty = torch.tensor(y, dtype=torch.float64)[:, None]
    optimizer = torch.optim.SGD(model.parameters(), lr=task.LR)

    def step() -> float:
        loss = torch.relu(1 - ty * model(tX)).mean() + task.ALPHA * sum((p * p).sum() for p in model.parameters())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        return loss.item()

    return step


def table(rows: list[list[str]], header: list[str]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def section_a(n_rounds: int) -> tuple[str, dict[str, float]]:
    steps, gc_state = demo_steps(100, 16, with_peers=True)
    med = rounds(steps, n_rounds, gc_state)
    graph = med["chainrule graph"]
    rows = [[name, f"{t * 1e3:.2f}", f"{t / graph:.2f}"] for name, t in sorted(med.items(), key=lambda kv: kv[1])]
    text = table(rows, ["engine (demo step, 100 examples)", "ms per step (median)", "time / chainrule graph"])
    return text, med


def section_bcd(quick: bool) -> str:
    from autograd import Value

    terms = 20_000 if quick else 200_000

    def measured(name: str, cls: Any) -> tuple[dict, dict, float]:
        on = engine.measure(name, cls, terms, 3, gc_on=True)
        off = engine.measure(name, cls, terms, 3, gc_on=False)
        return on, off, engine.memory_per_node(cls, terms)

    def row(name: str, on: dict, off: dict, size: float) -> list[str]:
        return [name, f"{on['build_us']:.3f}", f"{on['backward_us']:.3f}", f"{off['build_us']:.3f}",
                f"{off['backward_us']:.3f}", f"{size:.0f}"]

    ours = measured("chainrule", Value)
    rows = [row("chainrule", *ours)]
    ratio = ""
    try:
        from micrograd.engine import Value as MicrogradValue
    except ImportError:
        MicrogradValue = None
    if MicrogradValue is not None:
        sys.setrecursionlimit(max(sys.getrecursionlimit(), 10 * terms))
        theirs = measured("micrograd", MicrogradValue)
        rows.append(row("micrograd 0.1.0", *theirs))
        per_node = lambda r: 3 * r["build_us"] + 4 * r["backward_us"]
        ratio = (
            f"\nmicrograd / chainrule, build + backward: {per_node(theirs[0]) / per_node(ours[0]):.2f}x with the "
            f"collector at its default, {per_node(theirs[1]) / per_node(ours[1]):.2f}x with it off for both; "
            f"memory {theirs[2] / ours[2]:.2f}x\n"
        )
    text = table(rows, [f"(b, c) {terms:,}-term sum of products", "build µs/node", "backward µs/node",
                        "build, collector off", "backward, collector off", "bytes/node"])
    depth = 100_000 if quick else 1_000_000
    x = Value(1.0)
    start = time.perf_counter()
    y = x
    for _ in range(depth):
        y = y * 1.000001
    y.backward()
    seconds = time.perf_counter() - start
    chain = (
        f"\n(d) a chain of {depth:,} operations ({2 * depth + 1:,} nodes): built and backpropagated in "
        f"{seconds:.2f} s at the default recursion limit; dy/dx = {x.grad:.6f} "
        f"(exact: {1.000001 ** (depth - 1) * 1.000001:.6f}). micrograd's recursive sort cannot.\n"
    )
    del x, y
    return text + ratio + chain


def section_e(n_rounds: int, quick: bool) -> tuple[str, dict]:
    sizes = [(100, 16), (1_000, 16), (10_000, 16), (100_000, 16), (100, 64), (100, 256)]
    if quick:
        sizes = [(100, 16), (300, 16), (100, 32)]
    results = {}
    for n, width in sizes:
        steps, gc_state = demo_steps(n, width, with_peers=False)
        # the largest sizes take fewer rounds (the floor takes seconds a step), never fewer than 3
        results[(n, width)] = rounds(steps, max(3, n_rounds // (4 if n * width * width > 10**6 else 1)), gc_state)
        print(f"  (e) {n} examples, width {width}: done", flush=True)
    names = list(next(iter(results.values())))
    ms = lambda med, name: f"{med[name] * 1e3:.2f}" if name in med else "—"
    rows = [[f"{n:,}", str(w), *(ms(med, name) for name in names),
             f"{med['chainrule replay'] / med['floor (hand-written Python)']:.2f}" if "chainrule replay" in med else "—",
             f"{med['chainrule batch replay'] / med['NumPy (hand-written BP1-BP4)']:.2f}"]
            for (n, w), med in results.items()]
    text = table(rows, ["examples", "width", *(f"{name} ms" for name in names), "replay / floor",
                        "batch replay / NumPy"])
    return text, results


def plot(results: dict, path: Path) -> None:
    import io

    from matplotlib.figure import Figure

    from autograd.files import write_atomic

    fig = Figure(figsize=(10, 4))
    for ax, (vary, fixed) in zip(fig.subplots(1, 2), [("examples", 16), ("width", 100)]):
        points = sorted((n if vary == "examples" else w, med) for (n, w), med in results.items()
                        if (w if vary == "examples" else n) == fixed)
        if len(points) < 2:
            continue
        for name in points[0][1]:
            line = [(p[0], p[1][name] * 1e3) for p in points if name in p[1]]
            ax.loglog([x for x, _ in line], [t for _, t in line], marker="o", label=name)
        ax.set_xticks([p[0] for p in points], [f"{p[0]:,}" for p in points])
        ax.minorticks_off()
        ax.set_xlabel(f"{vary} ({'width 16' if vary == 'examples' else '100 examples'})")
        ax.set_ylabel("ms per step (median)")
        ax.grid(True, which="both", alpha=0.3)
        ax.legend()
    fig.suptitle("The demo step as the work grows: every mode of chainrule, the floor, NumPy and PyTorch")
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    write_atomic(path, buffer.getvalue())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=7, help="timed rounds per measurement (median kept)")
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke test")
    args = parser.parse_args()

    machine = (
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores; "
        f"Python {sys.version.split()[0]}; {datetime.date.today().isoformat()}"
    )
    print(f"chainrule benchmarks: {machine}", flush=True)
    # (b, c, d) first, before NumPy, PyTorch and micrograd's garbage enlarge the heap
    # that the collector scans while the 800,000-node graphs are built.
    bcd = section_bcd(args.quick)
    print(bcd, flush=True)
    a_text, med = section_a(args.rounds)
    print(a_text, flush=True)
    graph, off = med["chainrule graph"], med.get("chainrule graph, collector off")
    ratios = []
    if "micrograd, collector default" in med:
        ratios = [
            f"- micrograd / chainrule graph, collector at its default: "
            f"{med['micrograd, collector default'] / graph:.1f}x; counting the collection that frees "
            f"micrograd's garbage: {med['micrograd, default + its collection'] / graph:.1f}x",
            f"- micrograd / chainrule graph, both with the collector off: {med['micrograd, collector off'] / off:.1f}x",
        ]
    ratios.append(
        f"- chainrule replay / floor: {med['chainrule replay'] / med['floor (hand-written Python)']:.2f}x; "
        f"graph / floor: {graph / med['floor (hand-written Python)']:.2f}x"
    )
    ratios.append(
        f"- chainrule batch replay / hand-written NumPy step: "
        f"{med['chainrule batch replay'] / med['NumPy (hand-written BP1-BP4)']:.2f}x; "
        f"scalar replay / batch replay: {med['chainrule replay'] / med['chainrule batch replay']:.1f}x"
    )
    print("\n".join(ratios), flush=True)
    e_text, results = section_e(args.rounds, args.quick)
    print(e_text, flush=True)
    plot(results, HERE / "scaling.png")
    report = "\n\n".join([
        "# chainrule benchmarks (latest run of `make bench`)",
        f"Machine: {machine}. Medians of {args.rounds} rounds after a warm-up; engines alternate within each round.",
        "## (a) micrograd's demo step\n\n" + a_text + "\n\n" + "\n".join(ratios),
        "## (b, c, d) the engine alone\n\n" + bcd,
        "## (e) how time grows\n\n" + e_text + "\n\n![scaling](scaling.png)",
    ]) + "\n"
    from autograd.files import write_atomic

    write_atomic(HERE / "results.md", report)
    print(f"wrote {HERE / 'results.md'} and {HERE / 'scaling.png'}")


if __name__ == "__main__":
    main()

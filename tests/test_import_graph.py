"""Imports run one way: no module of ``autograd`` imports one that imports it back, even inside a function."""

from __future__ import annotations

import ast
import copy
import pickle
from pathlib import Path

import autograd
from autograd import Value

PACKAGE = Path(autograd.__file__).resolve().parent


def imported_modules(path: Path) -> set[str]:
    """Every ``autograd.*`` module ``path`` imports, at module level or inside functions."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    modules = {p.stem for p in PACKAGE.glob("*.py") if p.stem != "__init__"}
    return {name.split(".")[1] for name in names if name.startswith("autograd.") and name.split(".")[1] in modules}


def test_autograd_modules_import_each_other_without_a_cycle():
    graph = {p.stem: imported_modules(p) - {p.stem} for p in PACKAGE.glob("*.py") if p.stem != "__init__"}
    done: set[str] = set()
    for start in graph:  # depth-first with an explicit stack; a grey node met again is a cycle
        stack, grey = [(start, iter(sorted(graph[start])))], {start}
        while stack:
            name, children = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                grey.discard(name)
                done.add(name)
            elif child in grey:
                cycle = [n for n, _ in stack] + [child]
                raise AssertionError(f"import cycle: {' -> '.join(cycle[cycle.index(child):])}")
            elif child not in done:
                grey.add(child)
                stack.append((child, iter(sorted(graph[child]))))
    assert "value" in graph["copying"] and "copying" not in graph["value"]
    assert "replay" not in graph["value"] and "value" in graph["replay"]


def test_pickle_deepcopy_and_trace_errors_work_with_the_cycle_broken():
    x = Value(2.0, label="x")
    y = (x * x + 1.0).tanh()
    for copied in (pickle.loads(pickle.dumps(y)), copy.deepcopy(y)):
        assert copied is not y and copied.data == y.data and copied.op == "tanh"
        copied.backward()
        assert copied.parents[0].parents[0].parents[0].grad == 2 * 2.0 * (1 - y.data**2)
    assert autograd.TraceError is autograd.replay.TraceError
    try:
        autograd.trace(lambda v: v if v > 0 else -v, 1.0)
    except autograd.TraceError as error:
        assert "comparison of Values while tracing" in str(error)
    else:
        raise AssertionError("a comparison while tracing must raise TraceError")

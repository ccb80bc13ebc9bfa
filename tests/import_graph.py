"""The imports of the project's modules, read from their source with :mod:`ast`.

Every ``import`` statement counts, wherever it is: at module level, inside a
function, inside ``try``. Only the bodies of ``if TYPE_CHECKING:`` are left
out, since they never run. Read by ``tests/test_imports.py``, which holds the
rules and a test of this reader on a made-up module.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("autograd", "nn", "chainrule")
"""The three top-level packages of the project: the engine, the library, the application."""


@dataclass(frozen=True)
class Import:
    """One imported module: ``target`` is a project module's dotted name or a top-level package."""

    importer: str
    target: str
    line: int


def project_modules(root: Path = ROOT, packages: tuple[str, ...] = PACKAGES) -> dict[str, Path]:
    """Dotted module name -> its file, for every ``.py`` under the given packages."""
    modules: dict[str, Path] = {}
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            parts = list(path.relative_to(root).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            modules[".".join(parts)] = path
    return modules


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _statements(tree: ast.Module):
    """Every node of ``tree`` except what lies under ``if TYPE_CHECKING:`` (iteratively)."""
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, ast.If) and _is_type_checking(node):
            stack.extend(node.orelse)
            continue
        stack.extend(ast.iter_child_nodes(node))


def _resolve(name: str) -> str:
    """A project module's own name, or the top-level package of anything else."""
    return name if name.split(".")[0] in PACKAGES else name.split(".")[0]


def imports_in(source: str, importer: str, modules: dict[str, Path]) -> list[Import]:
    """The imports of the module ``importer`` whose text is ``source``.

    ``from P import n`` imports ``P.n`` when that is a module of the project,
    otherwise ``P`` itself; relative imports are resolved against ``importer``
    (a package's ``__init__`` is its own package).
    """
    is_package = importer in modules and modules[importer].name == "__init__.py"
    found: list[Import] = []
    for node in _statements(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [Import(importer, _resolve(a.name), node.lineno) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = importer.split(".")
                anchor = anchor if is_package else anchor[:-1]
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                target = sub if sub in modules else base
                found.append(Import(importer, _resolve(target), node.lineno))
    return found


def all_imports(modules: dict[str, Path] | None = None) -> list[Import]:
    """The imports of every module of the project."""
    modules = project_modules() if modules is None else modules
    return [
        found
        for name, path in modules.items()
        for found in imports_in(path.read_text(encoding="utf-8"), name, modules)
    ]


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one node (or a self-loop), sorted.

    Tarjan's algorithm with an explicit stack, so any depth of graph is fine.
    """
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    counter = 0
    for start in sorted(edges):
        if start in index:
            continue
        work = [(start, iter(sorted(edges.get(start, ()))))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, successors = work[-1]
            advanced = False
            for nxt in successors:
                if nxt not in index:
                    index[nxt] = low[nxt] = counter
                    counter += 1
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(sorted(edges.get(nxt, ())))))
                    advanced = True
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1 or node in edges.get(node, ()):
                    found.append(sorted(component))
    return sorted(found)

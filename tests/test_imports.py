"""The imports of every module, read from the source, hold to the README's "Layout" section.

The rules: imports run one way, ``chainrule`` -> ``nn`` -> ``autograd``; no
import cycles between modules, imports inside functions included; every
path in the README's layout table exists; each third-party package is
imported by exactly the modules the README's second table lists (graphviz
only by the drawing modules, NumPy only by the array modules), and a package
missing from that table is an error. The reader of imports is
``tests/import_graph.py``; its first test here proves it sees what it must.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from tests.import_graph import ROOT, Import, all_imports, cycles, imports_in, project_modules

README = (ROOT / "README.md").read_text(encoding="utf-8")
MODULES = project_modules()
IMPORTS = all_imports(MODULES)


def _layout_tables() -> tuple[list[list[str]], list[list[str]]]:
    """The rows (cells) of the two tables of the README's Layout section: paths, then packages."""
    section = README.split("\n## Layout\n", 1)[1].split("\n## ", 1)[0]
    tables: list[list[list[str]]] = [[]]
    for line in section.splitlines():
        if line.startswith("|"):
            if not line.startswith("|---"):
                tables[-1].append([cell.strip() for cell in line.strip("|").split(" | ")])
        elif tables[-1]:
            tables.append([])
    paths, packages = [t for t in tables if t][:2]
    assert paths[0][0] == "path" and packages[0][:2] == ["package", "imported only by"]
    return paths[1:], packages[1:]


PATH_ROWS, PACKAGE_ROWS = _layout_tables()
THIRD_PARTY = {
    row[0].split("`")[1]: re.findall(r"`([\w.]+)`", row[1]) for row in PACKAGE_ROWS
}
"""Package -> the modules and packages of the project the README says import it."""


def _layer(module: str) -> str:
    return module.split(".")[0]


def _covers(listed: str, module: str) -> bool:
    return module == listed or module.startswith(listed + ".")


def test_the_reader_sees_imports_in_functions_in_try_and_relative_and_skips_type_checking():
    source = (
        "import os, graphviz.backend\n"
        "from typing import TYPE_CHECKING\n"
        "from nn import layers, ACTIVATIONS\n"
        "from . import equations\n"
        "from .batch import Batch\n"
        "if TYPE_CHECKING:\n"
        "    import torch\n"
        "def f():\n"
        "    try:\n"
        "        import numpy as np\n"
        "    except ImportError:\n"
        "        from chainrule.worksheet import sheet\n"
    )
    found = imports_in(source, "nn.analytic.comparison", MODULES)
    assert sorted((i.target, i.line) for i in found) == [
        ("chainrule.worksheet.sheet", 12),
        ("graphviz", 1),
        ("nn", 3),
        ("nn.analytic.batch", 5),
        ("nn.analytic.equations", 4),
        ("nn.layers", 3),
        ("numpy", 10),
        ("os", 1),
        ("typing", 2),
    ]


def test_the_cycle_finder_finds_each_cycle_once_and_nothing_in_a_tree():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"d"}, "e": {"a"}}) == [["a", "b", "c"], ["d"]]
    assert cycles({"a": {"b", "c"}, "b": {"c"}, "c": set()}) == []
    deep = 5 * sys.getrecursionlimit()  # a recursive search would fail here
    chain = {str(i): {str(i + 1)} for i in range(deep)}
    chain[str(deep)] = {"0"}
    assert len(cycles(chain)[0]) == deep + 1


def test_the_engine_imports_neither_nn_nor_chainrule():
    wrong = [i for i in IMPORTS if _layer(i.importer) == "autograd" and _layer(i.target) in ("nn", "chainrule")]
    assert wrong == []


def test_the_library_nn_does_not_import_the_application_chainrule():
    wrong = [i for i in IMPORTS if _layer(i.importer) == "nn" and _layer(i.target) == "chainrule"]
    assert wrong == []


def test_no_module_imports_itself_back_through_others_function_level_imports_included():
    edges: dict[str, set[str]] = {name: set() for name in MODULES}
    for i in IMPORTS:
        if i.target in MODULES and i.target != i.importer:
            edges[i.importer].add(i.target)
    in_cycles = [
        f"{a} -> {b}" for component in cycles(edges) for a in component for b in sorted(edges[a]) if b in component
    ]
    assert in_cycles == []


def _layout_paths(row: list[str]) -> list[Path]:
    """The paths named in a row of the layout table: the first from the top, the rest beside it."""
    first, *rest = re.findall(r"`([^`]+)`", row[0])
    beside = (ROOT / first) if first.endswith("/") and not rest else (ROOT / first).parent
    return [ROOT / first, *(beside / name for name in rest)]


LAYOUT_PATHS = [path for row in PATH_ROWS for path in _layout_paths(row)]


def test_every_path_of_the_readme_layout_table_exists():
    assert [str(p.relative_to(ROOT)) for p in LAYOUT_PATHS if not p.exists()] == []


def test_every_module_is_named_by_the_layout_table_or_lies_in_a_folder_it_names_below_the_top():
    def named(path: Path) -> bool:
        return any(
            path == listed or (listed.is_dir() and listed.parent != ROOT and listed in path.parents)
            for listed in LAYOUT_PATHS
        )

    assert [name for name, path in MODULES.items() if path.name != "__init__.py" and not named(path)] == []


@pytest.mark.parametrize("package", sorted(THIRD_PARTY))
def test_each_third_party_package_is_imported_exactly_by_the_modules_the_readme_lists(package):
    listed = THIRD_PARTY[package]
    importers = sorted({i.importer for i in IMPORTS if i.target == package})
    assert [m for m in importers if not any(_covers(name, m) for name in listed)] == [], (
        f"modules importing {package} that README.md's Layout does not list"
    )
    assert [name for name in listed if not any(_covers(name, m) for m in importers)] == [], (
        f"README.md's Layout lists these as importing {package}, but they do not"
    )


def test_every_third_party_package_imported_is_in_the_readme_table():
    ours = {"autograd", "nn", "chainrule"}
    outside = sorted(
        {i.target for i in IMPORTS if _layer(i.target) not in ours and i.target not in sys.stdlib_module_names}
    )
    assert outside == sorted(THIRD_PARTY)


def test_graphviz_is_the_only_third_party_package_the_engine_imports_at_module_level_but_numpy_for_batch_replay():
    # autograd.steps imports tqdm inside a function, for an optional progress bar;
    # autograd.batch (batch replay) is the engine's one array module
    engine = [
        i for i in IMPORTS
        if _layer(i.importer) == "autograd" and _layer(i.target) != "autograd"
        and i.target not in sys.stdlib_module_names
    ]
    assert {i.target for i in engine} <= {"graphviz", "tqdm", "numpy"}
    assert all(_imported_in_a_function(i) for i in engine if i.target == "tqdm")
    assert {i.importer for i in engine if i.target == "numpy"} == {"autograd.batch"}


def _imported_in_a_function(found: Import) -> bool:
    """Whether the import on ``found.line`` is indented (inside a function or a class)."""
    line = MODULES[found.importer].read_text(encoding="utf-8").splitlines()[found.line - 1]
    return line.startswith(" ")

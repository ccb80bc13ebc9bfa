"""Without its extras, chainrule still runs what needs none and names the extra for the rest.

Each test runs Python in a subprocess whose finder of installed packages is
blind to the extras' packages (NumPy, matplotlib, tqdm, scikit-learn,
PyTorch), as if they were not installed, and records every attempt to find
them. The source
tree's modules are used; ``tests/test_wheel.py`` does the same for real, with
the wheel installed without extras.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.import_graph import ROOT, project_modules

EXTRAS = ("numpy", "matplotlib", "tqdm", "sklearn", "torch")

_WITHOUT = """
import json, sys
from importlib.machinery import PathFinder
blocked, record, *argv = sys.argv[1:]
blocked, tried = set(blocked.split(",")), []

class NotInstalled(PathFinder):
    # the finder of installed packages, blind to the blocked ones
    @classmethod
    def find_spec(cls, name, path=None, target=None):
        if name.partition(".")[0] in blocked:
            tried.append(name)
            return None
        return super().find_spec(name, path, target)

sys.meta_path = [NotInstalled if finder is PathFinder else finder for finder in sys.meta_path]
try:
    if argv[0] == "--import":
        import importlib
        for module in argv[1:]:
            importlib.import_module(module)
        status = 0
    else:
        from chainrule.cli import main
        status = main(argv)
finally:
    with open(record, "w") as file:
        json.dump(tried, file)
sys.exit(status)
"""


def run_without(blocked: tuple[str, ...], argv: list[str], cwd: Path):
    """Run ``chainrule argv`` (or ``--import`` modules) with ``blocked`` not importable.

    Returns (exit status, standard output, standard error, the blocked names it tried).
    """
    record = cwd / "tried.json"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run(
        [sys.executable, "-c", _WITHOUT, ",".join(blocked), str(record), *argv],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=300,
    )
    return done.returncode, done.stdout, done.stderr, json.loads(record.read_text())


def test_the_blocker_really_makes_numpy_unimportable(tmp_path):
    status, _, err, tried = run_without(("numpy",), ["--import", "numpy"], tmp_path)
    assert status == 1 and "ModuleNotFoundError: No module named 'numpy'" in err
    assert tried == ["numpy"]


def test_help_needs_none_of_the_extras_and_lists_every_command(tmp_path):
    status, out, err, tried = run_without(EXTRAS, ["--help"], tmp_path)
    assert (status, err, tried) == (0, "", [])
    for command in ("demo", "train", "draw", "check", "worksheet"):
        assert f"\n    {command}" in out


def test_demo_needs_none_of_the_extras(tmp_path):
    status, out, err, tried = run_without(EXTRAS, ["demo"], tmp_path)
    assert (status, err, tried) == (0, "", [])
    assert "dL/da = 6" in out and "dL/db = -4" in out  # L = (a*b + c)*f, a=2, b=-3, c=10, f=-2


def test_draw_needs_none_of_the_extras_and_writes_the_svg(tmp_path):
    status, out, err, tried = run_without(
        EXTRAS, ["draw", "x*y", "--var", "x=1", "--var", "y=2", "-o", "g.svg"], tmp_path
    )
    assert (status, err, tried) == (0, "", [])
    assert "dout/dx = 2" in out and "dout/dy = 1" in out
    assert (tmp_path / "g.svg").read_text().lstrip().startswith(("<?xml", "<svg"))


@pytest.mark.parametrize(
    ("argv", "extra"),
    [
        (["train", "--epochs", "1", "--out", "run"], "train"),
        (["check"], "train"),
        (["worksheet", "-o", "sheet.html"], "train"),
    ],
)
def test_a_command_needing_an_extra_names_it_in_one_line_and_exits_2(tmp_path, argv, extra):
    status, _, err, _ = run_without(EXTRAS, argv, tmp_path)
    assert status == 2
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"chainrule {argv[0]}: error: ")
    assert lines[0].endswith(f"pip install 'chainrule[{extra}]'")
    assert not (tmp_path / "run").exists() and not (tmp_path / "sheet.html").exists()


def test_the_digits_data_without_scikit_learn_names_the_data_extra(tmp_path):
    status, _, err, tried = run_without(("sklearn",), ["train", "--data", "digits", "--out", "run"], tmp_path)
    assert status == 2 and tried and set(t.partition(".")[0] for t in tried) == {"sklearn"}
    assert err.splitlines() == [
        "chainrule train: error: the digits data set needs scikit-learn: pip install 'chainrule[data]'"
    ]


def test_every_module_but_the_array_packages_imports_without_numpy(tmp_path):
    modules = [
        name for name in project_modules()
        if not name.startswith(("nn.analytic", "chainrule.worksheet", "chainrule.course", "autograd.batch"))
            and name != "chainrule.__main__"
    ]
    status, _, err, tried = run_without(("numpy",), ["--import", *modules], tmp_path)
    assert (status, err, tried) == (0, "", [])

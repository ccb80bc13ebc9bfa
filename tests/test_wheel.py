"""The wheel, installed as a user installs it, works: every module ships and every command runs.

The wheel is built (``pip wheel --no-deps``) from a copy of the project's
sources and installed into a fresh virtual environment (no system site
packages) in a temporary folder; every command runs from another temporary
folder, with no ``PYTHONPATH``, so nothing of the source tree can be
imported by accident (each test checks that). The environment is made once
for this module and grows in three steps, in the order of the tests: the
wheel alone (its one dependency, graphviz), then with the ``train`` extra,
then with ``data`` too. Slow (about a minute, most of it pip): ``make
test-fast`` leaves it out.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.import_graph import ROOT, project_modules

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("wheel")]

SOURCES = ("pyproject.toml", "README.md", "LICENSE", "autograd", "nn", "chainrule")
"""What a clean clone holds that the wheel is built from."""


@dataclass
class Installed:
    """A virtual environment with the wheel installed, and a folder to run commands in."""

    venv: Path
    wheel: Path
    workdir: Path

    def run(self, *argv: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        """Run a program of the environment's ``bin`` (``chainrule``, ``python``) in ``workdir``."""
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
        env["PATH"] = f"{self.venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
        env["MPLCONFIGDIR"] = str(self.workdir / ".matplotlib")
        return subprocess.run(
            [str(self.venv / "bin" / argv[0]), *argv[1:]],
            cwd=self.workdir, env=env, capture_output=True, text=True, timeout=timeout,
        )

    def python(self, code: str) -> subprocess.CompletedProcess[str]:
        return self.run("python", "-c", code)

    def pip_install(self, requirement: str) -> None:
        done = self.run("python", "-m", "pip", "install", "-q", "--disable-pip-version-check", requirement,
                        timeout=900)
        assert done.returncode == 0, done.stderr


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel, built from a copy of the sources (so no build folder is left in the tree)."""
    source = tmp_path_factory.mktemp("clone")
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info"))
        else:
            shutil.copy2(ROOT / name, source / name)
    out = tmp_path_factory.mktemp("dist")
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "--disable-pip-version-check",
         "-w", str(out), str(source)],
        capture_output=True, text=True, timeout=600,
    )
    assert done.returncode == 0, done.stderr
    (built,) = out.glob("chainrule-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Installed:
    """A fresh virtual environment with the wheel alone (and graphviz) installed."""
    venv = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True, timeout=300)
    workdir = tmp_path_factory.mktemp("work")
    env = Installed(venv, wheel, workdir)
    env.pip_install(str(wheel))
    return env


@pytest.fixture(scope="module")
def with_train(installed) -> Installed:
    """The same environment, with the ``train`` extra (NumPy, matplotlib, tqdm) added."""
    installed.pip_install(f"{installed.wheel}[train]")
    return installed


@pytest.fixture(scope="module")
def with_everything(with_train) -> Installed:
    """The same environment, with the ``data`` extra (scikit-learn) added too."""
    with_train.pip_install(f"{with_train.wheel}[data]")
    return with_train


def _source_files() -> set[str]:
    files = {str(p.relative_to(ROOT)) for p in project_modules().values()}
    return files | {str(p.relative_to(ROOT)) for p in (ROOT / "autograd" / "templates").glob("*.html")}


def test_the_wheel_holds_every_module_and_template_of_the_sources_and_the_command(wheel):
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        entry_points = next(archive.read(n).decode() for n in names if n.endswith("entry_points.txt"))
    shipped = {n for n in names if ".dist-info/" not in n}
    assert shipped == _source_files()
    assert "chainrule = chainrule.cli:main" in entry_points
    assert {"chainrule/worksheet/sheet.py", "nn/analytic/equations.py", "autograd/templates/steps.html",
            "chainrule/commands/worksheet.py"} <= shipped


def test_the_installed_packages_come_from_the_environment_not_the_source_tree(installed):
    done = installed.python("import autograd, nn, chainrule; print(autograd.__file__, nn.__file__, chainrule.__file__)")
    assert done.returncode == 0, done.stderr
    for path in done.stdout.split():
        assert Path(path).is_relative_to(installed.venv)


def test_the_base_install_has_graphviz_but_not_numpy(installed):
    assert installed.python("import graphviz").returncode == 0
    done = installed.python("import numpy")
    assert done.returncode == 1 and "No module named 'numpy'" in done.stderr


def test_help_demo_and_draw_run_on_the_base_install(installed):
    done = installed.run("chainrule", "--help")
    assert (done.returncode, done.stderr) == (0, "")
    assert all(f"\n    {c}" in done.stdout for c in ("demo", "train", "draw", "check", "worksheet"))

    done = installed.run("chainrule", "demo")
    assert (done.returncode, done.stderr) == (0, "")
    assert "dL/da = 6" in done.stdout and "dL/db = -4" in done.stdout

    done = installed.run("chainrule", "draw", "x*y", "--var", "x=1", "--var", "y=2", "-o", "g.svg")
    assert (done.returncode, done.stderr) == (0, "")
    assert "dout/dx = 2" in done.stdout and "dout/dy = 1" in done.stdout
    assert "<svg" in (installed.workdir / "g.svg").read_text()


@pytest.mark.parametrize(
    "argv",
    [["train", "--epochs", "1", "--out", "run"], ["check"], ["worksheet", "-o", "sheet.html"]],
    ids=["train", "check", "worksheet"],
)
def test_the_base_install_names_the_train_extra_in_one_line_and_exits_2(installed, argv):
    done = installed.run("chainrule", *argv)
    assert done.returncode == 2
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith(f"chainrule {argv[0]}: error: ")
    assert lines[0].endswith("pip install 'chainrule[train]'")


def test_digits_without_the_data_extra_names_it_in_one_line_and_exits_2(with_train):
    assert with_train.python("import sklearn").returncode == 1
    done = with_train.run("chainrule", "train", "--data", "digits", "--out", "digits")
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        "chainrule train: error: the digits data set needs scikit-learn: pip install 'chainrule[data]'"
    ]


def test_every_public_module_of_the_installed_packages_imports(with_everything):
    code = """
import importlib, pkgutil
import autograd, nn, chainrule
names = []
for package in (autograd, nn, chainrule):
    names.append(package.__name__)
    for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        if not any(part.startswith("_") for part in info.name.split(".")):
            names.append(info.name)
for name in names:
    importlib.import_module(name)
print("\\n".join(names))
"""
    done = with_everything.python(code)
    assert done.returncode == 0, done.stderr
    public = {n for n in project_modules() if not any(p.startswith("_") for p in n.split("."))}
    assert set(done.stdout.split()) == public


def test_a_short_training_run_writes_the_model_history_and_pictures(with_everything):
    done = with_everything.run(
        "chainrule", "train", "--data", "moons", "--samples", "60", "--hidden", "4", "--epochs", "2",
        "--seed", "0", "--out", "run",
    )
    assert done.returncode == 0, done.stderr
    files = sorted(p.name for p in (with_everything.workdir / "run").iterdir())
    assert files == ["decision_boundary.png", "history.csv", "loss.png", "model.json"]
    history = (with_everything.workdir / "run" / "history.csv").read_text().splitlines()
    assert len(history) == 1 + 2  # a header and one row per epoch


def test_check_finds_the_engine_and_the_equations_agree(with_everything):
    done = with_everything.run("chainrule", "check")
    assert done.returncode == 0, done.stderr
    assert "all three agree" in done.stdout


def test_a_worksheet_is_written_and_its_answers_check_against_themselves(with_everything):
    done = with_everything.run("chainrule", "worksheet", "--seed", "3", "-o", "sheet.html", "--answers", "answers.json")
    assert done.returncode == 0, done.stderr
    assert "<math" in (with_everything.workdir / "sheet.html").read_text()
    done = with_everything.run("chainrule", "worksheet", "--check", "answers.json", "--against", "answers.json")
    assert done.returncode == 0, done.stdout + done.stderr

"""The code keeps its style (ruff) and its types (mypy), as ``make lint`` checks them, in ``make test``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _run(*argv: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", *argv], cwd=ROOT, capture_output=True, text=True, timeout=600)


@pytest.mark.slow
def test_ruff_finds_nothing_in_the_code_tests_benchmarks_and_notebooks():
    result = _run("ruff", "check", "autograd", "nn", "chainrule", "tests", "benchmarks", "notebooks")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
def test_mypy_finds_no_type_error_in_the_three_packages():
    result = _run("mypy", "autograd", "nn", "chainrule")
    assert result.returncode == 0, result.stdout + result.stderr

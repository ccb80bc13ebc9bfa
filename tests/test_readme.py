"""The README stays true: every Python block and every command in it runs as written, with the output shown.

Conventions of README.md, which this test enforces:

* A ```python block is executed, in order, in one namespace shared by all the
  blocks (a later block may use an earlier block's names), in a temporary
  folder. When the next block is a ```text block, it is the output: the
  Python block's standard output must equal it.
* A ```console block holds commands, each on a line starting with ``$ ``,
  each followed by its output (standard output and standard error together);
  each runs with ``bash`` in the same temporary folder, with this Python's
  ``bin`` folder first on ``PATH`` (so ``chainrule`` is the project's), and
  must print exactly the lines shown. ``...`` alone on a line stands for any
  number of lines (a progress bar, a timing).
* A ```sh block holds the set-up commands (``make demo``, ``make test``, ...):
  they are what runs this test, so they are checked to be Makefile targets,
  not run.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
FENCE = re.compile(r"^```(\w*)\n(.*?)^```$", re.S | re.M)
BLOCKS = [(m.group(1), m.group(2)) for m in FENCE.finditer(README)]


def _python_blocks() -> list[tuple[str, str | None]]:
    """(code, expected output or None) for each ```python block."""
    found = []
    for i, (kind, body) in enumerate(BLOCKS):
        if kind == "python":
            following = BLOCKS[i + 1] if i + 1 < len(BLOCKS) else ("", "")
            found.append((body, following[1] if following[0] == "text" else None))
    return found


def _console_commands() -> list[tuple[str, list[str]]]:
    """(command, expected output lines) for each ``$ `` line of the ```console blocks."""
    commands: list[tuple[str, list[str]]] = []
    for kind, body in BLOCKS:
        if kind != "console":
            continue
        for line in body.splitlines():
            if line.startswith("$ "):
                commands.append((line[2:], []))
            elif commands:
                commands[-1][1].append(line)
    return commands


def _matches(actual: list[str], expected: list[str]) -> bool:
    """Lines equal, where an expected ``...`` line matches any run of lines (none included) and
    an expected line ending in `` ...`` matches a line that starts with the rest."""
    if not expected:
        return not actual
    if expected[0] == "...":
        return any(_matches(actual[i:], expected[1:]) for i in range(len(actual) + 1))
    want, have = expected[0].rstrip(), actual[0].rstrip() if actual else None
    same = have == want or (have is not None and want.endswith(" ...") and have.startswith(want[:-3]))
    return same and _matches(actual[1:], expected[1:])


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    path = tmp_path_factory.mktemp("readme")
    previous = os.getcwd()
    os.chdir(path)
    yield path
    os.chdir(previous)


def test_the_readme_has_python_blocks_commands_and_the_two_setup_commands():
    assert len(_python_blocks()) >= 5 and len(_console_commands()) >= 3
    setup = [line for kind, body in BLOCKS if kind == "sh" for line in body.splitlines() if line.strip()]
    assert [line.split("#")[0].strip() for line in setup][:2] == ["make demo", "make test"]
    targets = set(re.findall(r"^([a-z-]+):", (ROOT / "Makefile").read_text(), re.M))
    for line in setup:
        command = line.split("#")[0].split()
        assert command[0] == "make" and command[1] in targets, line


@pytest.mark.slow  # about 10 s
def test_every_python_block_runs_and_prints_what_the_readme_shows(workdir):
    namespace: dict = {"__name__": "__readme__"}
    for i, (code, expected) in enumerate(_python_blocks()):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(code, f"README.md python block {i + 1}", "exec"), namespace)
        if expected is not None:
            assert _matches(out.getvalue().splitlines(), expected.splitlines()), (
                f"python block {i + 1} printed:\n{out.getvalue()}\nthe README shows:\n{expected}"
            )


@pytest.mark.slow  # a training run among them
@pytest.mark.parametrize("command, expected", _console_commands(), ids=[c for c, _ in _console_commands()])
def test_every_command_runs_and_prints_what_the_readme_shows(command, expected, workdir):
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}", COLUMNS="100")
    result = subprocess.run(
        ["bash", "-c", command], cwd=workdir, env=env, capture_output=True, text=True, timeout=300
    )
    printed = (result.stdout + result.stderr).splitlines()
    assert _matches(printed, expected), f"$ {command}\nprinted:\n" + "\n".join(printed)

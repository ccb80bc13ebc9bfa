"""Every command-line error is one line and exit status 2, from any number, at any moment (issue 17, items 5, 7).

A number too large for a float (a 400-digit integer, ``1e400``) in an option or
in a worksheet file, an absurd ``--decimals`` or ``--timeout``, a filled file
that gives no number at all, and Ctrl-C while the command's modules are still
being imported: each is one line on standard error and a status the README
names (2 for a usage error, 130 for Ctrl-C), never a traceback. For
``worksheet --check`` status 1 means "a wrong number", so no error may use it.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from chainrule.cli import main

HUGE = "9" * 400
"""An integer no float can hold."""


def status(argv: list[str]) -> int:
    """``main(argv)``'s exit status, also when argparse exits by itself."""
    try:
        return main(argv)
    except SystemExit as exit_:
        return int(exit_.code)


def one_line_error(capsys) -> str:
    """The single line written to standard error (checked to be one line, no traceback)."""
    err = capsys.readouterr().err.strip()
    assert "Traceback" not in err
    assert len(err.splitlines()) == 1, err
    return err


@pytest.fixture
def answers(tmp_path, capsys) -> Path:
    """The answers file of the default worksheet."""
    path = tmp_path / "answers.json"
    assert main(["worksheet", "--answers", str(path)]) == 0
    capsys.readouterr()
    return path


def with_number(answers: Path, key: str, text: str, folder: Path) -> Path:
    """A copy of the answers file with ``key``'s value replaced by the JSON number ``text``."""
    data = json.loads(answers.read_text())
    data[key] = "@@"
    path = folder / f"{key}.json"
    path.write_text(json.dumps(data).replace('"@@"', text))
    return path


# -- item 7: numbers of any size -------------------------------------------------------------


@pytest.mark.parametrize("number", [HUGE, "1e400", "NaN", "-Infinity"])
def test_a_number_no_float_holds_in_a_given_file_is_one_line_exit_2(tmp_path, capsys, answers, number):
    given = with_number(answers, "lr", number, tmp_path)
    assert main(["worksheet", "--given", str(given), "--answers", str(tmp_path / "b.json")]) == 2
    err = one_line_error(capsys)
    assert str(given) in err and ("too large for a float" in err or "is not a number of JSON" in err)
    assert len(err) < 300  # the 400 digits are not echoed
    assert not (tmp_path / "b.json").exists()


@pytest.mark.parametrize("number", [HUGE, "1e400", "NaN"])
def test_a_number_no_float_holds_in_a_filled_file_is_exit_2_not_the_wrong_number_status(
    tmp_path, capsys, answers, number
):
    filled = with_number(answers, "C", number, tmp_path)
    assert main(["worksheet", "--check", str(filled), "--against", str(answers)]) == 2
    assert f"filled file {filled}" in one_line_error(capsys)


def test_a_400_digit_integer_in_the_answers_file_is_one_line_exit_2(tmp_path, capsys, answers):
    broken = with_number(answers, "C", HUGE, tmp_path)
    assert main(["worksheet", "--check", str(answers), "--against", str(broken)]) == 2
    assert "the number 999999999999999999999999... (400 characters) is too large" in one_line_error(capsys)


def test_a_400_digit_worksheet_seed_is_one_line_exit_2(tmp_path, capsys):
    assert status(["worksheet", "--seed", HUGE, "--answers", str(tmp_path / "a.json")]) == 2
    err = capsys.readouterr().err
    assert "argument --seed: expected an int >= 0, got '9999" in err and "(400 characters)" in err
    assert "Traceback" not in err and not (tmp_path / "a.json").exists()


def test_decimals_beyond_any_hand_calculation_is_one_line_exit_2(tmp_path, capsys):
    assert main(["worksheet", "--decimals", "99999999999", "--answers", str(tmp_path / "a.json")]) == 2
    assert "decimals must be at most 6 (hand calculation), got 99999999999" in one_line_error(capsys)


@pytest.mark.parametrize("timeout", ["3e6", "1e400", HUGE, "nan", "0"])
def test_a_draw_timeout_beyond_what_the_system_can_wait_is_a_usage_error(tmp_path, capsys, timeout):
    argv = ["draw", "x*x", "--var", "x=2", "--timeout", timeout, "-o", str(tmp_path / "g.svg")]
    assert status(argv) == 2
    err = capsys.readouterr().err
    assert "argument --timeout: expected seconds in (0, 1,000,000]" in err and "Traceback" not in err


def test_draw_from_python_refuses_a_timeout_beyond_a_million_seconds():
    from autograd.draw_options import DrawOptions

    with pytest.raises(ValueError, match=r"timeout must be a number of seconds in \(0, 1,000,000\]"):
        DrawOptions(timeout=3e6)
    assert DrawOptions(timeout=1e6).timeout == 1e6


def test_from_weights_with_an_integer_beyond_any_float_is_a_clear_value_error():
    from nn.layers import MLP

    with pytest.raises(ValueError, match="W\\^1\\)\\[0\\]\\[0\\] must be finite, got an int of 401 digits"):
        MLP.from_weights([[[10**400]]], [[0]])


def test_a_positive_number_check_refuses_an_integer_beyond_any_float():
    from nn.checks import positive_number

    with pytest.raises(ValueError, match="lr must be a finite number, got a number of 401 digits"):
        positive_number(10**400, "lr")


# -- item 5: nothing to check ----------------------------------------------------------------


@pytest.mark.parametrize(
    "filled",
    [
        {},
        {"format": "chainrule-worksheet", "version": 1},
        {"C": None, "W": [[[None, None], [None, None]], [[None, None], [None, None]]]},
    ],
    ids=["empty object", "only the header", "only nulls"],
)
def test_a_filled_file_giving_no_number_is_nothing_to_check_exit_2(tmp_path, capsys, answers, filled):
    path = tmp_path / "filled.json"
    path.write_text(json.dumps(filled))
    assert main(["worksheet", "--check", str(path), "--against", str(answers)]) == 2
    err = one_line_error(capsys)
    assert "nothing to check: the file gives none of the computed numbers" in err
    assert "all 0 numbers" not in err


def test_one_number_given_is_checked(tmp_path, capsys, answers):
    path = tmp_path / "filled.json"
    path.write_text(json.dumps({"C": json.loads(answers.read_text())["C"]}))
    assert main(["worksheet", "--check", str(path), "--against", str(answers)]) == 0
    assert capsys.readouterr().out.startswith("all 1 numbers given are right.")


# -- item 7: Ctrl-C while the modules are imported --------------------------------------------


SLOW_IMPORT = textwrap.dedent(
    """
    import sys, time

    class SlowImport:
        # Hold the import of chainrule.commands for a minute, saying so on standard output.
        def find_spec(self, name, path=None, target=None):
            if name == "chainrule.commands":
                print("importing", flush=True)
                time.sleep(60)
            return None

    sys.meta_path.insert(0, SlowImport())
    """
)


def _console_script() -> list[str]:
    script = Path(sys.executable).with_name("chainrule")
    if not script.exists():
        pytest.fail(f"the console script {script} is not installed: pip install -e .")
    return [str(script)]


@pytest.mark.parametrize("entry", ["python -m chainrule", "console script"])
def test_ctrl_c_while_the_command_is_imported_is_one_line_exit_130(tmp_path, entry):
    (tmp_path / "sitecustomize.py").write_text(SLOW_IMPORT)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(tmp_path), env.get("PYTHONPATH")]))
    command = [sys.executable, "-m", "chainrule"] if entry == "python -m chainrule" else _console_script()
    process = subprocess.Popen(
        [*command, "demo"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )
    try:
        assert process.stdout.readline() == "importing\n"
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=60)
    finally:
        process.kill()
    assert "Traceback" not in err
    assert err.strip() == "chainrule: interrupted"
    assert process.returncode == 130

"""The registry of the course's exercises, the check a notebook calls, and the audit of a check.

Each notebook ``NN`` has a module ``chainrule.course.nbNN`` whose checks are
registered with :func:`exercise`::

    @exercise("5.1", answers=("delta2",), slips={
        "σ(z) where σ'(z)": lambda ns: {"delta2": ns["delta2_with_sigma"]},
    })
    def _(ns):
        require("delta2", ns["delta2"], reference(ns), equation="BP2", m=5, slips=...)

The notebook's check cell is ``check("5.1", globals())``. ``slips`` maps a
phrase that the failure message must contain to a function making the answers
with that slip from the notebook's variables: :func:`audit` tries each of
them, and constants in place of every answer, and reports any that the check
lets through, names wrongly, or answers with a number of the reference in its
message (the tests run it for every exercise of every notebook).
"""

from __future__ import annotations

import importlib
import math
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

from chainrule.course.diagnose import ExerciseFailed, recording_references

Namespace = Mapping[str, Any]
"""A notebook's variables (``globals()`` of its kernel)."""


class SlipMaker(Protocol):
    """From the notebook's variables, the answers as a given slip makes them.

    A Protocol rather than ``Callable[[Namespace], dict[str, Any]]``: the
    notebooks' slips are lambdas binding their loop variable as a default
    argument (``lambda ns, slip=slip: ...``); mypy cannot infer such a lambda
    against a ``Callable`` of one parameter ("Cannot infer type of lambda"),
    but checks it against this positional-only ``__call__``.
    """

    def __call__(self, ns: Namespace, /) -> dict[str, Any]: ...


@dataclass(frozen=True)
class Exercise:
    """One exercise: its key ``"N.k"``, the names it reads, its check and the slips it names."""

    key: str
    answers: tuple[str, ...]
    run: Callable[[Namespace], None]
    slips: Mapping[str, SlipMaker] = field(default_factory=dict)


EXERCISES: dict[str, Exercise] = {}
"""Every registered exercise by key (a notebook's module registers its own when imported)."""


def exercise(
    key: str, answers: tuple[str, ...], slips: Mapping[str, SlipMaker] | None = None
) -> Callable[[Callable[[Namespace], None]], Callable[[Namespace], None]]:
    """Register the decorated function as the check of exercise ``key`` (see the module docstring)."""

    def register(run: Callable[[Namespace], None]) -> Callable[[Namespace], None]:
        if key in EXERCISES:
            raise ValueError(f"exercise {key} is registered twice")
        EXERCISES[key] = Exercise(key, tuple(answers), run, dict(slips or {}))
        return run

    return register


def find(key: str) -> Exercise:
    """The exercise ``key`` (``"5.1"``), importing its notebook's module of checks."""
    notebook, _, number = key.partition(".")
    if not (notebook.isdigit() and number.isdigit()):
        raise ValueError(f"an exercise key is 'N.k' (notebook N, exercise k), got {key!r}")
    if key not in EXERCISES:
        importlib.import_module(f"chainrule.course.nb{int(notebook):02d}")
    if key not in EXERCISES:
        raise ValueError(f"there is no exercise {key}")
    return EXERCISES[key]


def check(key: str, namespace: Namespace) -> None:
    """The check cell of exercise ``key``: print that it is right, or raise :class:`ExerciseFailed`.

    Args:
        key: ``"N.k"``.
        namespace: The notebook's variables: pass ``globals()``.
    """
    found = find(key)
    missing = [name for name in found.answers if name not in namespace]
    if missing:
        raise ExerciseFailed(
            f"exercise {key}: {', '.join(missing)} is not defined: run the solution cell above first"
        )
    try:
        found.run(namespace)
    except ExerciseFailed as error:
        # raised afresh from here: the traceback shows the check cell and this line, not the check's code
        raise ExerciseFailed(f"exercise {key}: {error}") from None
    print(f"Exercise {key}: right.")


@dataclass
class Audit:
    """What :func:`audit` found: trials the check let through or named wrongly, and leaked numbers."""

    key: str
    trials: int = 0
    uncaught: list[str] = field(default_factory=list)
    leaks: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.uncaught and not self.leaks

    def __str__(self) -> str:
        if self.ok:
            return f"exercise {self.key}: {self.trials} wrong answers caught, none told the answer"
        return f"exercise {self.key}: " + "; ".join(self.uncaught + self.leaks)


def _constants(value: Any) -> Iterator[tuple[str, Any]]:
    """Hard-coded stand-ins for an answer: zeros, ones and halves of its shape (for a function, its results)."""
    if callable(value) and not isinstance(value, np.ndarray):
        for c in (0.0, 1.0):
            yield f"a function returning {c}", (lambda *args, _c=c, **kwargs: _c)
        return
    data = getattr(value, "data", value)
    shape = np.shape(data)
    for c in (0.0, 1.0, 0.5):
        yield f"the constant {c}", (float(c) if shape == () else np.full(shape, c))


def _printed_forms(value: Any) -> set[str]:
    """How the numbers of ``value`` would look printed (to find them in a message)."""
    try:
        data = np.asarray(getattr(value, "data", value), dtype=float).ravel()
    except (TypeError, ValueError):
        return set()
    forms: set[str] = set()
    for x in data[:200]:
        if not math.isfinite(x) or float(x).is_integer():
            continue  # integers (0, 1, sizes) are everywhere in a message
        for y in (x, -x):
            for spec in (".3f", ".4f", ".6f", ".3g", ".4g", ".6g", ".2e", ".3e", "r"):
                text = repr(float(y)) if spec == "r" else format(y, spec)
                if len(text.lstrip("-")) >= 4 and text.strip("-0.") != "":
                    forms.add(text)
    return forms


def audit(key: str, namespace: Namespace) -> Audit:
    """Try exercise ``key`` with constants and with each named slip, from the right answers in ``namespace``.

    The right answers must pass; every constant and every slip must fail, a
    slip with a message containing its phrase; no message may contain a
    printed number of the right answers or of the references the check
    computes (for a function answer, its values at the check's points). A
    trial that raises anything but :class:`ExerciseFailed` is reported too:
    the check must say what is wrong, not crash.
    """
    found = find(key)
    report = Audit(key)
    right = {name: namespace[name] for name in found.answers}
    forms = set().union(*(_printed_forms(v) for v in right.values()))
    try:
        with recording_references() as references:
            found.run(namespace)
    except ExerciseFailed as error:
        report.uncaught.append(f"the right answers fail: {error}")
        return report
    forms = forms.union(*(_printed_forms(v) for v in references))
    trials: list[tuple[str, dict[str, Any], str | None]] = []
    for name, value in right.items():
        for label, constant in _constants(value):
            trials.append((f"{name} = {label}", {name: constant}, None))
    for slip, make in found.slips.items():
        trials.append((f"the slip {slip!r}", make(namespace), slip))
    for label, answers, phrase in trials:
        report.trials += 1
        try:
            with recording_references() as references:
                found.run({**namespace, **answers})
        except ExerciseFailed as error:
            message = str(error)
            if phrase is not None and phrase not in message:
                report.uncaught.append(f"{label} is told {message!r}")
            shown = forms.union(*(_printed_forms(v) for v in references))  # fresh points: this run's references
            leaked = sorted(form for form in shown if form in message)
            if leaked:
                report.leaks.append(f"{label}: the message shows {leaked[0]}")
        except Exception as error:  # any crash of the check is a finding
            report.uncaught.append(f"{label} crashes the check: {type(error).__name__}: {error}")
        else:
            report.uncaught.append(f"{label} passes")
    return report

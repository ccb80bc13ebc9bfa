"""The course's exercises: their checks, which name a slip and never the expected number.

A notebook's check cell is one line, ``check("5.1", globals())``: it reads the
exercise's answers from the notebook's variables, recomputes the reference out
of the notebook's sight (in ``chainrule.course.nbNN``), and either prints that
the exercise is right or raises :class:`ExerciseFailed` (an ``AssertionError``,
so nbgrader and the tests see a failed check) whose message says what kind of
slip the answer looks like: a sign, a factor m, 1/m, 2 or 1/2 with its usual
cause, a transposed index, the wrong function (σ where σ' was due), a number
that is the same everywhere (hard-coded), or only where the first wrong entry
is. It never prints the expected value nor the student's own numbers.

* :mod:`chainrule.course.diagnose`: :func:`require`, comparing one answer with
  its reference and naming the slip;
* :mod:`chainrule.course.exercises`: the registry (:func:`exercise`,
  :func:`check`) and :func:`audit`, which tries each exercise with constants
  and with each slip its check names (the tests run it in every notebook).
"""

from chainrule.course.diagnose import ExerciseFailed, require
from chainrule.course.exercises import EXERCISES, Exercise, audit, check, exercise

__all__ = ["EXERCISES", "Exercise", "ExerciseFailed", "audit", "check", "exercise", "require"]

"""Argument types of the ``chainrule`` command line, each a check of :mod:`nn.checks`.

An argparse type turns the text of an option into its value, or raises
``argparse.ArgumentTypeError``: argparse then prints the usage and
``argument --OPTION: expected ..., got 'TEXT'`` and exits with status 2.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from chainrule.train_settings import parse_sizes
from nn.activations import parse_activations
from nn.checks import positive_int, positive_number
from nn.hyperparameters import Hyperparameter


def argument_type(
    check: Callable[..., Any], convert: type, expected: str, **options: Any
) -> Callable[[str], Any]:
    """An argparse type: ``convert(text)``, accepted by ``check`` (an :mod:`nn.checks` function).

    Args:
        check: Called as ``check(value, what, **options)``; raises ValueError to refuse.
        convert: ``int`` or ``float``.
        expected: What was expected, for the message (``"a positive int"``).
        options: Passed on to ``check``.
    """

    def parse(text: str) -> Any:
        try:
            value = convert(text)
            check(value, "value", **options)
        except (ValueError, OverflowError):  # OverflowError: an int beyond any float
            raise argparse.ArgumentTypeError(f"expected {expected}, got {excerpt(text)}") from None
        return value

    return parse


def excerpt(text: str, limit: int = 40) -> str:
    """``repr(text)``, cut to ``limit`` characters with the length when longer (an option may be huge)."""
    shown = repr(text)
    return shown if len(shown) <= limit else f"{shown[: limit - 4]}...' ({len(text):,} characters)"


def bounded_number(value: float, what: str, high: float) -> None:
    """A ValueError unless ``value`` is a finite number in (0, ``high``]."""
    if not positive_number(value, what) <= high:
        raise ValueError(f"{what} must be at most {high:g}, got {value!r}")


def _below_one(value: float, what: str) -> None:
    """A ValueError unless ``value`` is in (0, 1)."""
    if not positive_number(value, what) < 1:
        raise ValueError(f"{what} must be below 1, got {value!r}")


positive_int_argument = argument_type(positive_int, int, "a positive int")
non_negative_float_argument = argument_type(positive_number, float, "a finite number >= 0", allow_zero=True)
non_negative_int_argument = argument_type(positive_number, int, "an int >= 0", allow_zero=True)
fraction_argument = argument_type(_below_one, float, "a number in (0, 1)")


def hyperparameter_argument(hyperparameter: Hyperparameter) -> Callable[[str], float]:
    """An argparse type for an optimizer's hyperparameter: a float that its own check accepts
    (:meth:`nn.hyperparameters.Hyperparameter.check`, the only check of its interval)."""
    return argument_type(hyperparameter.check, float, hyperparameter.expected)


def activations_argument(text: str) -> str | list[str]:
    """``"tanh"`` -> ``"tanh"``, ``"swish,leaky_relu"`` -> one name per hidden layer
    (:func:`nn.activations.parse_activations`)."""
    try:
        return parse_activations(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def hidden_sizes_argument(text: str) -> tuple[int, ...]:
    """``"16,16"`` -> ``(16, 16)``, ``"none"`` -> ``()`` (:func:`chainrule.train_settings.parse_sizes`)."""
    try:
        return parse_sizes(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None

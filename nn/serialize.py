"""Save and load an ``MLP`` as JSON: its architecture and every weight by dotted name.

The file is a JSON object::

    {"format": "chainrule-mlp", "version": 1,
     "nin": 2, "sizes": [16, 16, 1], "activation": "relu",
     "output_activation": "linear", "bias": true,
     "parameters": {"layers.0.neurons.0.w.0": 0.123, ...}}

Floats are written with ``repr`` precision, so a round trip is exact. Saving
writes a temporary file in the same directory and renames it over the target
(``os.replace``, atomic): an interrupted save never leaves a half-written
model. Loading checks everything before building the model: a corrupted or
mismatched file is a clear ``ValueError``.
"""

from __future__ import annotations

import json
import os
from typing import Any, Union

from autograd.files import write_atomic
from nn.activations import ACTIVATIONS, is_named
from nn.layers import MLP

FORMAT = "chainrule-mlp"
VERSION = 1
PathLike = Union[str, "os.PathLike[str]"]


def to_dict(model: MLP) -> dict[str, Any]:
    """The JSON-ready description of ``model`` (architecture and parameters).

    Raises:
        TypeError: ``model`` is not an ``MLP``.
        ValueError: An activation is a callable without a name in
            :data:`nn.activations.ACTIVATIONS`, or a parameter is not finite.
    """
    if not isinstance(model, MLP):
        raise TypeError(f"only an MLP can be saved, got {type(model).__name__}")
    for layer in model.layers:
        if not is_named(layer.neurons[0].f):
            raise ValueError(
                f"cannot save an activation given as a function ({layer.activation!r}); "
                f"use one of the named activations: {', '.join(ACTIVATIONS)}"
            )
    state = model.state_dict()
    for name, x in state.items():
        if x != x or x in (float("inf"), float("-inf")):
            raise ValueError(f"cannot save a model whose parameter {name} is {x!r} (training diverged?)")
    return {
        "format": FORMAT,
        "version": VERSION,
        "nin": model.nin,
        "sizes": list(model.sizes),
        "activation": model.activation,
        "output_activation": model.output_activation,
        "bias": model.bias,
        "parameters": state,
    }


def from_dict(description: Any, source: str = "model description") -> MLP:
    """Build the ``MLP`` described by :func:`to_dict`'s dict.

    Args:
        description: The dict.
        source: What to name in error messages (a file name).

    Raises:
        ValueError: Not such a description, or its parameters do not fit its architecture.
    """
    if not isinstance(description, dict) or description.get("format") != FORMAT:
        raise ValueError(f"{source} is not a chainrule model (expected a JSON object with format {FORMAT!r})")
    if description.get("version") != VERSION:
        raise ValueError(f"{source}: unsupported version {description.get('version')!r} (expected {VERSION})")
    missing = [key for key in ("nin", "sizes", "activation", "output_activation", "bias", "parameters") if key not in description]
    if missing:
        raise ValueError(f"{source}: missing field(s) {', '.join(missing)}")
    if not isinstance(description["bias"], bool):
        raise ValueError(f"{source}: bias must be true or false, got {description['bias']!r}")
    try:
        model = MLP(
            description["nin"],
            description["sizes"],
            description["activation"],
            description["output_activation"],
            description["bias"],
            seed=0,
        )
        model.load_state_dict(description["parameters"])
    except (TypeError, ValueError) as error:
        raise ValueError(f"{source}: {error}") from error
    return model


def save(model: MLP, path: PathLike) -> None:
    """Write ``model`` to ``path`` as JSON, atomically (temporary file, then rename).

    Args:
        model: The model.
        path: The target file; its directory must exist. An existing file is
            replaced only once the new one is completely written.

    Raises:
        TypeError, ValueError: See :func:`to_dict` (nothing is written).
        OSError: The directory is missing or not writable (nothing is written).
    """
    text = json.dumps(to_dict(model), indent=1, allow_nan=False) + "\n"
    write_atomic(path, text)


def load(path: PathLike) -> MLP:
    """Read a model written by :func:`save`.

    Raises:
        FileNotFoundError: No such file.
        ValueError: The file is not valid JSON, not a chainrule model, or its
            parameters do not fit its architecture (the message names the file).
    """
    source = str(path)
    with open(path, encoding="utf-8") as f:
        text = f.read()
    try:
        description = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(f"{source} is not valid JSON (corrupted?): {error}") from error
    return from_dict(description, source)

"""Save and load an ``MLP`` as JSON: its architecture and every weight by dotted name.

The file is a JSON object::

    {"format": "chainrule-mlp", "version": 1,
     "nin": 2, "sizes": [16, 16, 1], "activation": "relu",
     "output_activation": "linear", "bias": true,
     "parameters": {"layers.0.neurons.0.w.0": 0.123, ...}}

``activation`` is one name for every hidden layer, or a list of names, one
per hidden layer (``["swish", "leaky_relu"]``: layer 1, then layer 2), as
:attr:`nn.layers.MLP.activation` holds it; files with one name (every file
written before lists existed) load as before.

Floats are written with ``repr`` precision, so a round trip is exact. Saving
goes through the project's atomic writer (:func:`autograd.files.write_atomic`:
a temporary file renamed over the target), so an interrupted save never leaves
a half-written model.

Loading treats the file as untrusted: everything is checked before anything
is built, and every problem is a ``ValueError`` naming the file and what is
wrong in it (not JSON, not UTF-8, nested too deeply, a number that is not a
finite float, a missing field, sizes that do not fit the parameters present).
Two limits bound the work a file can cause; both are keywords that lift them:

* ``max_bytes`` (:data:`MAX_FILE_BYTES`, 64 MiB): the file is not read beyond it;
* ``max_parameters`` (:data:`MAX_PARAMETERS`, 1,000,000): the most parameters the
  declared architecture may have. A model of that size, in a file of about
  35 MB, takes the scalar engine about 6 s of CPU and 0.6 GB of memory to
  load as one layer of 1,000 neurons, and 13 s and 1.1 GB in the costliest
  shape, 500,000 layers of one neuron (every neuron and layer is a Python
  object; measured on the 2-core development machine, where they took 8 s
  and 22 s before the garbage collector was paused during the build).

The declared sizes are checked against the parameters actually present before
the model is built, so a small file declaring a huge model is refused at once.
"""

from __future__ import annotations

import gc
import json
import math
import numbers
import os
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import islice
from typing import Any, Union

from autograd.files import NotARegularFile, read_limited, write_atomic
from nn.activations import ACTIVATIONS, is_named, lookup
from nn.checks import positive_int
from nn.layers import MLP, parameter_count, parameter_names

FORMAT = "chainrule-mlp"
VERSION = 1
PathLike = Union[str, "os.PathLike[str]"]

MAX_FILE_BYTES = 64 * 2**20
"""The largest model file :func:`load` reads by default (64 MiB; ``max_bytes=`` lifts it)."""

MAX_PARAMETERS = 1_000_000
"""The most parameters a loaded model may declare by default (``max_parameters=`` lifts it)."""

FIELDS = ("nin", "sizes", "activation", "output_activation", "bias", "parameters")
"""The fields of a model description besides ``format`` and ``version``."""


def to_dict(model: MLP) -> dict[str, Any]:
    """The JSON-ready description of ``model`` (architecture and parameters).

    Raises:
        TypeError: ``model`` is not an ``MLP``.
        ValueError: An activation is a callable without a record in
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
        if not math.isfinite(x):
            raise ValueError(f"cannot save a model whose parameter {name} is {x!r} (training diverged?)")
    return {
        "format": FORMAT,
        "version": VERSION,
        "nin": model.nin,
        "sizes": list(model.sizes),
        "activation": model.activation if isinstance(model.activation, str) else list(model.activation),
        "output_activation": model.output_activation,
        "bias": model.bias,
        "parameters": state,
    }


def _short(value: object, limit: int = 60) -> str:
    """``repr(value)``, cut to ``limit`` characters (a file's content may be huge)."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _check_header(description: object, source: str) -> dict[str, Any]:
    """The description as a dict with the right format, version, every field and a boolean bias."""
    if not isinstance(description, dict) or description.get("format") != FORMAT:
        raise ValueError(f"{source} is not a chainrule model (expected a JSON object with format {FORMAT!r})")
    version = description.get("version")
    if type(version) is not int or version != VERSION:  # true == 1 and 1.0 == 1 in Python, not here
        raise ValueError(f"{source}: unsupported version {_short(description.get('version'))} (expected {VERSION})")
    missing = [key for key in FIELDS if key not in description]
    if missing:
        raise ValueError(f"{source}: missing field(s) {', '.join(missing)}")
    if not isinstance(description["bias"], bool):
        raise ValueError(f"{source}: bias must be true or false, got {_short(description['bias'])}")
    return description


def _check_activations(description: dict[str, Any], hidden: int) -> None:
    """Both activations are names of the registry, or ``activation`` a list of ``hidden`` of them."""
    names = description["activation"]
    if isinstance(names, list):
        if len(names) != hidden:
            raise ValueError(
                f"activation lists {len(names):,} names for {hidden} hidden layer(s): "
                "give one name, or one per hidden layer"
            )
    else:
        names = [names]
    for name in names:
        if not isinstance(name, str):
            raise ValueError(f"activation must be a name or a list of names, got {_short(name)}")
        lookup(name)  # ValueError: an unknown activation, naming the known ones
    output = description["output_activation"]
    if not isinstance(output, str):
        raise ValueError(f"output_activation must be a name, got {_short(output)}")
    lookup(output)


def _check_sizes(description: dict[str, Any]) -> tuple[int, list[int]]:
    """``nin`` and ``sizes`` as positive ints (ValueError otherwise)."""
    nin = positive_int(description["nin"], "nin")
    sizes = description["sizes"]
    if not isinstance(sizes, list) or not sizes:
        raise ValueError(f"sizes must be a non-empty list of layer sizes, got {_short(sizes)}")
    return nin, [positive_int(n, "each layer size") for n in sizes]


def _check_parameters(parameters: object) -> dict[str, float]:
    """The parameters as names -> finite floats (ValueError naming the first bad one)."""
    if not isinstance(parameters, dict):
        raise ValueError(f"parameters must be an object of names and numbers, got {type(parameters).__name__}")
    checked = {}
    for name, x in parameters.items():
        if isinstance(x, bool) or not isinstance(x, numbers.Real):
            raise ValueError(f"parameter {name} must be a number, got {_short(x)}")
        try:
            value = float(x)
        except OverflowError:
            raise ValueError(f"parameter {name} is a number too large for a float: {_short(x)}") from None
        if not math.isfinite(value):
            raise ValueError(f"parameter {name} must be a finite number, got {_short(x)}")
        checked[name] = value
    return checked


def _check_fit(nin: int, sizes: list[int], bias: bool, parameters: dict[str, float], max_parameters: int) -> None:
    """The declared architecture within the limit, and every one of its parameters present.

    At most ``len(parameters) + 6`` names are generated: the model is not built.
    """
    count = parameter_count(nin, sizes, bias)
    if count > max_parameters:
        declared = f"{count:,}" if count < 10**15 else f"about 10^{len(str(count)) - 1}"
        raise ValueError(
            f"nin = {_short(nin)} and sizes = {_short(sizes)} declare {declared} parameters, more than "
            f"the limit of {max_parameters:,} (the max_parameters keyword lifts it)"
        )
    missing = list(islice((name for name in parameter_names(nin, sizes, bias) if name not in parameters), 6))
    if missing:
        shown = ", ".join(missing[:5]) + (", ..." if len(missing) > 5 else "")
        raise ValueError(
            f"the parameters do not fit nin = {nin}, sizes = {_short(sizes)}: the model has "
            f"{count:,} parameters, the file has {len(parameters):,}; missing: {shown}"
        )


@contextmanager
def _no_collection() -> Iterator[None]:
    """Python's cyclic garbage collector paused while a model is built.

    Building makes millions of objects that all stay alive; the collector,
    run every few hundred allocations, would walk them again and again (a
    500,000-layer model: 22 s of CPU with it, 13 s without). It is restored after,
    also on an error.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def from_dict(description: Any, source: str = "model description", *, max_parameters: int = MAX_PARAMETERS) -> MLP:
    """Build the ``MLP`` described by :func:`to_dict`'s dict, after checking all of it.

    Args:
        description: The dict.
        source: What to name in error messages (a file name).
        max_parameters: The most parameters the described model may have
            (:data:`MAX_PARAMETERS` by default).

    Raises:
        ValueError: Not such a description, sizes beyond the limit, or parameters
            that are not finite numbers or do not fit the architecture; the
            message starts with ``source``.
    """
    limit = positive_int(max_parameters, "max_parameters")
    description = _check_header(description, source)
    try:
        nin, sizes = _check_sizes(description)
        _check_activations(description, len(sizes) - 1)
        parameters = _check_parameters(description["parameters"])
        _check_fit(nin, sizes, description["bias"], parameters, limit)
        with _no_collection():
            model = MLP(
                nin,
                sizes,
                description["activation"],
                description["output_activation"],
                description["bias"],
                seed=0,
            )
            model.load_state_dict(parameters)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{source}: {error}") from error
    return model


def model_json(model: MLP) -> str:
    """The text :func:`save` writes: :func:`to_dict` as JSON, one field per line.

    Raises:
        TypeError, ValueError: See :func:`to_dict`.
    """
    return json.dumps(to_dict(model), indent=1, allow_nan=False) + "\n"


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
    write_atomic(path, model_json(model))


def _read_text(path: PathLike, source: str, max_bytes: int) -> str:
    """The file's text (:func:`autograd.files.read_limited`), refused beyond ``max_bytes`` or when it is not UTF-8."""
    try:
        data = read_limited(path, max_bytes, "model file")
    except NotARegularFile:
        raise
    except ValueError:
        raise ValueError(
            f"{source} is larger than the limit of {max_bytes:,} bytes for a model file; if it is one, "
            "load(path, max_bytes=...) lifts the limit"
        ) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ValueError(
            f"{source} is not a chainrule model: not UTF-8 text (byte {error.start} is {data[error.start]:#04x})"
        ) from None


def _parse_json(text: str, source: str) -> Any:
    """The JSON value of ``text``; a ValueError naming ``source`` for anything that is not JSON."""
    try:
        return json.loads(text)
    except RecursionError:
        raise ValueError(f"{source} is not a chainrule model: its JSON is nested too deeply to read") from None
    except ValueError as error:  # JSONDecodeError, or an integer of more than 4300 digits
        raise ValueError(f"{source} is not valid JSON (corrupted?): {error}") from None


def load(path: PathLike, *, max_bytes: int = MAX_FILE_BYTES, max_parameters: int = MAX_PARAMETERS) -> MLP:
    """Read a model written by :func:`save`, checking everything before building it.

    Args:
        path: The model file.
        max_bytes: The largest file read (:data:`MAX_FILE_BYTES`, 64 MiB, by default).
        max_parameters: The most parameters the file may declare
            (:data:`MAX_PARAMETERS`, 1,000,000, by default).

    Raises:
        FileNotFoundError: No such file.
        autograd.files.NotARegularFile: A directory, a device, a FIFO (an
            ``OSError`` and a ``ValueError``; refused before a byte is read).
        ValueError: The file is too large, not UTF-8, not valid JSON, not a
            chainrule model, or its parameters are not finite numbers or do not
            fit its architecture. The message names the file.
    """
    source = str(path)
    limit = positive_int(max_bytes, "max_bytes")
    description = _parse_json(_read_text(path, source, limit), source)
    return from_dict(description, source, max_parameters=max_parameters)

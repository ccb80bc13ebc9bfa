r"""Step-through backward: the graph after each node's gradient becomes final.

``backward()`` visits the nodes in reverse topological order. When it reaches a
node ``v``, every node that uses ``v`` has already passed its share back, so

    dL/dv = Σ over consumers c of v:  (∂c/∂v) · dL/dc

is complete: ``v.grad`` is final. :func:`backward_steps` yields one picture per
visited node, in that order, with the node just finished highlighted and the
gradients not yet final shown as ``?``. :func:`save_steps` writes the pictures
as numbered SVG files and as one self-contained HTML page (a slider and
previous / next buttons; every SVG inlined, nothing fetched from the network;
the page is the template ``autograd/templates/steps.html``, package data).

Bounded work: a step-through draws the whole graph once per node, so its cost
grows as the square of the graph. It is refused above ``max_frames`` frames
(200), above ``max_bytes`` bytes written in all (50 MB, estimated from the
first frame, then counted), and stopped when ``dot`` has run ``timeout``
seconds in all (60); each message names the option that lifts the limit.
"""

from __future__ import annotations

import html
import os
import re
import time
from collections.abc import Iterable, Iterator
from importlib import resources
from pathlib import Path
from string import Template
from typing import Any, NamedTuple

import graphviz

from autograd.draw_options import DrawOptions, resolve_options
from autograd.files import write_atomic
from autograd.groups import NodeGroup
from autograd.render import DrawingTimeout, render_bytes
from autograd.scene import Scene
from autograd.value import Value

DEFAULT_MAX_FRAMES = 200
"""Most frames (values of the graph) a step-through draws unless told otherwise."""

DEFAULT_MAX_BYTES = 50_000_000
"""Most bytes a step-through writes (frames and page) unless told otherwise."""

PROGRESS_FROM = 20
"""From this many frames on, :func:`save_steps` shows a progress bar (with tqdm)."""

FRAME_NAME = re.compile(r"step_\d+\.svg")
"""The names of the frame files (``step_001.svg``); only these are ever removed."""

STEP_DEFAULTS = DrawOptions(edge_labels=True)
"""The options of a step-through: edge labels on (each gradient is a sum of
edge label times downstream gradient)."""


def _caption(step: int, total: int, node: Value, node_id: str, root: Value, fmt: str) -> str:
    """``step k of N: dL/d(e) = -2.0000 is final``, naming nodes by label or id."""
    out = root.label or "L"
    name = node.label or node_id
    grad = format(float(node.grad.data if isinstance(node.grad, Value) else node.grad), fmt)
    if step == 1:
        return f"step 1 of {total}: start at the output {out}: d{out}/d{out} = {grad}"
    return f"step {step} of {total}: d{out}/d({name}) = {grad} is final"


def _check_limit(value: object, what: str) -> None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
        raise ValueError(f"{what} must be a positive int or None, got {value!r}")


def backward_steps(
    root: Value,
    *,
    options: DrawOptions | None = None,
    groups: Iterable[NodeGroup] = (),
    parameters: Iterable[Value] | None = None,
    max_frames: int | None = DEFAULT_MAX_FRAMES,
    **settings: Any,
) -> Steps:
    r"""Run one backward pass from ``root`` and yield the graph after each node.

    The gradients of ``root``'s graph are set to zero and ``root.backward()``
    is run (so the frames show one pass, whatever was accumulated before).
    Frame ``k`` (1-based) shows the graph after the ``k``-th node in the order
    backward visits them (``reversed(topological_order(root))``): that node
    is highlighted (and carries the SVG class ``current``); it and the nodes
    visited before it show their final gradients; the others show ``grad ?``.
    There is one frame per value node; the last one is the finished graph.
    Everything is checked before this returns (not at the first frame).

    Args:
        root: The output.
        options: How to draw (:class:`~autograd.draw_options.DrawOptions`;
            here ``edge_labels`` is on by default); its fields may also be
            given as keywords (``rankdir="TB"``, ``collapse=True``, ...).
        groups: Groups of nodes (clusters; boxes with ``collapse``).
        parameters: Leaves coloured as parameters with ``color_by_role``.
        max_frames: Refuse graphs of more values than this (None: no limit).

    Returns:
        The :class:`Steps`: iterating gives one ``graphviz.Digraph`` per
        node, its caption in the graph label; ``len()`` is the number of frames.

    Raises:
        ValueError: More frames than ``max_frames``, or a drawing error (see
            :func:`~autograd.render.draw_dot`).
    """
    _check_limit(max_frames, "max_frames")
    chosen = resolve_options(options, STEP_DEFAULTS, settings)
    scene = Scene(root, chosen, groups=groups, parameters=parameters)
    if max_frames is not None and len(scene.order) > max_frames:
        raise ValueError(
            f"the step-through of this graph has {len(scene.order)} frames (one per value), "
            f"above max_frames={max_frames}; each frame is a drawing of the whole graph. "
            f"Step through a smaller graph, or lift the limit: max_frames={len(scene.order)} "
            f"(None: no limit) in Python, --max-frames {len(scene.order)} for chainrule draw."
        )
    return Steps(scene)


class Steps:
    """The frames of a step-through, drawn one at a time as they are iterated.

    Attributes:
        scene: The prepared drawing (its ``options`` include the ``timeout``).
    """

    def __init__(self, scene: Scene) -> None:
        self.scene = scene

    def __len__(self) -> int:
        return len(self.scene.order)

    def __iter__(self) -> Iterator[graphviz.Digraph]:
        return _frames(self.scene)


def _frames(scene: Scene) -> Iterator[graphviz.Digraph]:
    root = scene.root
    root.zero_grad()
    root.backward()
    visiting = scene.order[::-1]
    pending = set(visiting)
    fmt = scene.options.number_format
    for step, node in enumerate(visiting, start=1):
        pending.discard(node)
        caption = _caption(step, len(visiting), node, f"n{scene.index[node]}", root, fmt)
        yield scene.draw(highlight={node}, pending=pending, current=node, caption=caption)


class SavedSteps(NamedTuple):
    """Files written by :func:`save_steps`.

    Attributes:
        svgs: The frames, ``step_001.svg``, ``step_002.svg``, ... in order.
        html: The page showing them with a slider.
    """

    svgs: list[Path]
    html: Path


_XML_PROLOGUE = re.compile(r"<\?xml[^>]*\?>\s*|<!DOCTYPE[^>]*>\s*")
_NAMESPACES = re.compile(r'\s+xmlns(:\w+)?="[^"]*"')
_IDS = re.compile(r'\bid="')


def _inline_svg(svg: str, frame: int) -> str:
    """An SVG document made fit to inline in HTML5.

    The XML prologue and DOCTYPE (which name the W3C's URLs) and the namespace
    attributes (implied for ``<svg>`` inside HTML) are dropped, and element ids
    get a per-frame prefix so they stay unique across frames.
    """
    svg = _XML_PROLOGUE.sub("", svg)
    svg = _NAMESPACES.sub("", svg)
    return _IDS.sub(f'id="f{frame}-', svg)


def steps_html(svgs: list[str], title: str) -> str:
    """One self-contained HTML page showing SVG frames with a slider.

    Args:
        svgs: SVG documents (as produced by ``dot -Tsvg``), one per frame.
        title: Page title and heading.

    Returns:
        The HTML text: styles and script inline, no external reference.
    """
    if not svgs:
        raise ValueError("steps_html: no frames to show")
    frames = "\n".join(
        f'<figure class="frame" data-step="{i}"{"" if i == 0 else " hidden"}>'
        f"{_inline_svg(svg, i)}</figure>"
        for i, svg in enumerate(svgs)
    )
    page = resources.files("autograd").joinpath("templates/steps.html").read_text("utf-8")
    return Template(page).substitute(
        title=html.escape(title), frames=frames, last=len(svgs) - 1, total=len(svgs)
    )


def _progress(total: int, enabled: bool) -> Any:
    """A tqdm progress bar on stderr when enabled, long enough and tqdm installed; else None."""
    if not enabled or total < PROGRESS_FROM:
        return None
    try:
        from tqdm import tqdm
    except ImportError:  # tqdm is the optional extra 'train'
        return None
    return tqdm(total=total, desc="drawing steps", unit="frame", leave=False)


def _too_big(planned: int, frames: int, limit: int, measured: bool) -> ValueError:
    how = "writes" if measured else "would write about"
    return ValueError(
        f"the step-through {how} {planned / 1e6:.1f} MB ({frames} frames, each saved as a "
        f"file and inlined in the page), above max_bytes={limit}. Step through a smaller "
        f"graph, or lift the limit: max_bytes= (None: no limit) in Python, --max-bytes N "
        "for chainrule draw."
    )


def render_frames(steps: Steps, *, max_bytes: int | None, progress: bool = False) -> list[str]:
    """Lay out every frame as SVG text, within a total time and byte budget.

    Args:
        steps: The frames (from :func:`backward_steps`); its options'
            ``timeout`` is the time ``dot`` may run for all frames together.
        max_bytes: Most bytes the frames may take twice (as files and in the
            page); checked on the first frame's size times ``count``, then on
            the frames drawn (None: no limit).
        progress: Show a tqdm progress bar (from :data:`PROGRESS_FROM` frames).

    Raises:
        ValueError: Above ``max_bytes``.
        DrawingTimeout: Above ``timeout``.
    """
    timeout, count = steps.scene.options.timeout, len(steps)
    deadline = None if timeout is None else time.monotonic() + timeout
    bar = _progress(count, progress)
    svgs: list[str] = []
    written = 0
    try:
        for graph in steps:
            left = None if deadline is None else max(deadline - time.monotonic(), 0.001)
            try:
                svg = render_bytes(graph, "svg", timeout=left).decode("utf-8")
            except DrawingTimeout:
                raise DrawingTimeout(
                    f"the step-through took longer than timeout={timeout:g} s in all "
                    f"({len(svgs)} of {count} frames drawn) and was stopped; nothing was "
                    "written. Step through a smaller graph, or allow more time: timeout= "
                    "(None: no limit) in Python, --timeout SECONDS for chainrule draw."
                ) from None
            written += 2 * len(svg)
            if max_bytes is not None and not svgs and 2 * len(svg) * count > max_bytes:
                raise _too_big(2 * len(svg) * count, count, max_bytes, measured=False)
            if max_bytes is not None and written > max_bytes:
                raise _too_big(written, count, max_bytes, measured=True)
            svgs.append(svg)
            if bar is not None:
                bar.update(1)
    finally:
        if bar is not None:
            bar.close()
    return svgs


def save_steps(
    root: Value,
    directory: str | os.PathLike[str],
    *,
    title: str = "Backward, one node at a time",
    max_bytes: int | None = DEFAULT_MAX_BYTES,
    progress: bool = False,
    **step_options: Any,
) -> SavedSteps:
    """Write the frames of :func:`backward_steps` as SVG files and one HTML page.

    Files: ``step_001.svg`` ... ``step_NNN.svg`` and ``steps.html`` in
    ``directory`` (created if missing), each written atomically
    (:func:`autograd.files.write_atomic`). Frames of an earlier, longer
    step-through in the same folder (files named ``step_<digits>.svg`` that
    this run did not write) are removed afterwards; no other file is touched.
    Everything is laid out before anything is written, so a refused or
    stopped step-through leaves the folder as it was.

    Args:
        root: The output.
        directory: Where to write; not empty (``""`` is refused, give ``"."``).
        title: Heading of the HTML page.
        max_bytes: Most bytes to write in all (None: no limit); see
            :func:`render_frames`.
        progress: Show a tqdm progress bar on stderr for long step-throughs.
        **step_options: Passed to :func:`backward_steps` (``options=``,
            ``groups=``, ``max_frames=``, drawing options as keywords); the
            drawing option ``timeout`` bounds all frames together.

    Returns:
        The paths written.

    Raises:
        ValueError: An empty directory name, or a limit exceeded (the
            message names the option that lifts it).
        DrawingTimeout: ``dot`` ran longer than ``timeout`` in all.
    """
    if not os.fspath(directory):
        raise ValueError(
            "save_steps: the directory must not be empty (got ''); give a folder such as "
            "'steps' ('.' for the current folder)"
        )
    _check_limit(max_bytes, "max_bytes")
    steps = backward_steps(root, **step_options)
    svgs = render_frames(steps, max_bytes=max_bytes, progress=progress)
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    width = max(3, len(str(len(svgs))))
    paths = [
        write_atomic(folder / f"step_{i:0{width}d}.svg", svg) for i, svg in enumerate(svgs, start=1)
    ]
    page = write_atomic(folder / "steps.html", steps_html(svgs, title))
    keep = {p.name for p in paths}
    for old in folder.iterdir():
        if FRAME_NAME.fullmatch(old.name) and old.name not in keep and old.is_file():
            old.unlink()
    return SavedSteps(paths, page)


__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_FRAMES",
    "FRAME_NAME",
    "PROGRESS_FROM",
    "STEP_DEFAULTS",
    "SavedSteps",
    "Steps",
    "backward_steps",
    "render_frames",
    "save_steps",
    "steps_html",
]

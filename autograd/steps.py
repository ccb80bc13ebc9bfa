r"""Step-through backward: the graph after each node's gradient becomes final.

``backward()`` visits the nodes in reverse topological order. When it reaches a
node ``v``, every node that uses ``v`` has already passed its share back, so

    dL/dv = Σ over consumers c of v:  (∂c/∂v) · dL/dc

is complete: ``v.grad`` is final. :func:`backward_steps` yields one picture per
visited node, in that order, with the node just finished highlighted and the
gradients not yet final shown as ``?``. :func:`save_steps` writes the pictures
as numbered SVG files and as one self-contained HTML page (a slider and
previous / next buttons; every SVG inlined, nothing fetched from the network).
"""

from __future__ import annotations

import html
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

import graphviz

from autograd.graph import topological_order
from autograd.files import write_atomic
from autograd.render import DEFAULT_MAX_NODES, _Scene
from autograd.value import Value


def _caption(step: int, total: int, node: Value, node_id: str, root: Value, fmt: str) -> str:
    """``step k of N: dL/d(e) = -2.0000 is final``, naming nodes by label or id."""
    out = root.label or "L"
    name = node.label or node_id
    grad = format(float(node.grad), fmt)
    if step == 1:
        return f"step 1 of {total}: start at the output {out}: d{out}/d{out} = {grad}"
    return f"step {step} of {total}: d{out}/d({name}) = {grad} is final"


def backward_steps(
    root: Value,
    *,
    rankdir: str = "LR",
    number_format: str = ".4f",
    edge_labels: bool = True,
    color_by_role: bool = False,
    collapse: bool = False,
    max_nodes: int | None = DEFAULT_MAX_NODES,
) -> Iterator[graphviz.Digraph]:
    r"""Run one backward pass from ``root`` and yield the graph after each node.

    The gradients of ``root``'s graph are set to zero and ``root.backward()``
    is run (so the frames show one pass, whatever was accumulated before).
    Frame ``k`` (1-based) shows the graph after the ``k``-th node in the order
    backward visits them (``reversed(topological_order(root))``): that node
    is highlighted (and carries the SVG class ``current``); it and the nodes
    visited before it show their final gradients; the others show ``grad ?``.
    There is one frame per value node; the last one is the finished graph.

    Args:
        root: The output.
        rankdir: ``'LR'`` or ``'TB'``.
        number_format: Format spec for the numbers.
        edge_labels: Label edges with local derivatives (on by default here:
            each gradient is the sum of edge label times downstream gradient).
        color_by_role: Fill values by role (see :func:`~autograd.render.draw_dot`).
        collapse: One box per neuron for ``nn`` graphs.
        max_nodes: Size guard for each frame (see ``draw_dot``).

    Yields:
        One ``graphviz.Digraph`` per node, its caption in the graph label.
    """
    scene = _Scene(
        root,
        format="svg",
        rankdir=rankdir,
        show_grad=True,
        number_format=number_format,
        edge_labels=edge_labels,
        color_by_role=color_by_role,
        parameters=None,
        clusters=True,
        collapse=collapse,
        neurons=None,
        max_nodes=max_nodes,
    )
    root.zero_grad()
    root.backward()
    visiting = list(reversed(topological_order(root)))
    pending = set(visiting)
    for step, node in enumerate(visiting, start=1):
        pending.discard(node)
        yield scene.draw(
            highlight={node},
            pending=pending,
            current=node,
            caption=_caption(
                step, len(visiting), node, scene.node_id(node), root, number_format
            ),
        )


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
    last = len(svgs) - 1
    return _PAGE.format(
        title=html.escape(title), frames=frames, last=last, total=len(svgs)
    )


def save_steps(
    root: Value,
    directory: str | os.PathLike[str],
    *,
    title: str = "Backward, one node at a time",
    **options: Any,
) -> SavedSteps:
    """Write the frames of :func:`backward_steps` as SVG files and one HTML page.

    Files: ``step_001.svg`` ... ``step_NNN.svg`` and ``steps.html`` in
    ``directory`` (created if missing), each written under a temporary name and
    renamed.

    Args:
        root: The output.
        directory: Where to write.
        title: Heading of the HTML page.
        **options: Passed to :func:`backward_steps`.

    Returns:
        The paths written.
    """
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    frames = [graph.pipe(format="svg").decode("utf-8") for graph in backward_steps(root, **options)]
    width = max(3, len(str(len(frames))))
    paths = []
    for i, svg in enumerate(frames, start=1):
        path = folder / f"step_{i:0{width}d}.svg"
        write_atomic(path, svg.encode("utf-8"))
        paths.append(path)
    page = folder / "steps.html"
    write_atomic(page, steps_html(frames, title).encode("utf-8"))
    return SavedSteps(paths, page)


_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
  :root {{ --ink: #1d2733; --muted: #5b6b7d; --accent: #d62728; --panel: #ffffff; --bg: #eef2f7; }}
  * {{ box-sizing: border-box; }}
  body {{ margin: 0; background: var(--bg); color: var(--ink);
         font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; }}
  header {{ padding: 18px 28px 6px; }}
  h1 {{ margin: 0; font-size: 20px; font-weight: 600; }}
  header p {{ margin: 4px 0 0; color: var(--muted); }}
  .controls {{ position: sticky; top: 0; z-index: 1; display: flex; align-items: center; gap: 12px;
              padding: 12px 28px; background: rgba(238, 242, 247, 0.95);
              border-bottom: 1px solid #d6dde6; }}
  button {{ font: inherit; padding: 6px 14px; border-radius: 8px; border: 1px solid #b8c4d2;
           background: var(--panel); color: var(--ink); cursor: pointer; }}
  button:hover:not(:disabled) {{ border-color: var(--accent); }}
  button:disabled {{ opacity: 0.45; cursor: default; }}
  input[type=range] {{ flex: 1; accent-color: var(--accent); }}
  #counter {{ min-width: 8em; text-align: right; font-variant-numeric: tabular-nums; color: var(--muted); }}
  main {{ padding: 18px 28px 28px; }}
  figure.frame {{ margin: 0; padding: 16px; background: var(--panel); border-radius: 12px;
                 box-shadow: 0 1px 3px rgba(20, 30, 45, 0.12); overflow: auto; }}
  figure.frame svg {{ display: block; max-width: 100%; height: auto; margin: 0 auto; }}
  main.full-size figure.frame svg {{ max-width: none; }}
  #fit[aria-pressed=false] {{ color: var(--muted); }}
  .hint {{ color: var(--muted); font-size: 13px; margin-top: 10px; }}
  kbd {{ border: 1px solid #b8c4d2; border-radius: 4px; padding: 0 4px; background: var(--panel); }}
</style>
</head>
<body>
<header>
  <h1>{title}</h1>
  <p>Each step is one node of backward's walk, in reverse topological order. The highlighted
  node's gradient has just become final; <b>grad ?</b> marks gradients still being summed.</p>
</header>
<div class="controls">
  <button id="prev" type="button" aria-label="previous step">&#9664; previous</button>
  <input id="slider" type="range" min="0" max="{last}" value="0" step="1" aria-label="step">
  <button id="next" type="button" aria-label="next step">next &#9654;</button>
  <span id="counter">step 1 of {total}</span>
  <button id="fit" type="button" aria-pressed="true" title="fit the graph to the window, or show it at full size">fit width</button>
</div>
<main>
{frames}
<p class="hint">Keys: <kbd>&larr;</kbd> <kbd>&rarr;</kbd> step, <kbd>Home</kbd> <kbd>End</kbd> first and last.</p>
</main>
<script>
(function () {{
  var frames = document.querySelectorAll("figure.frame");
  var slider = document.getElementById("slider");
  var prev = document.getElementById("prev");
  var next = document.getElementById("next");
  var counter = document.getElementById("counter");
  function show(i) {{
    i = Math.max(0, Math.min(frames.length - 1, i));
    for (var k = 0; k < frames.length; k++) {{ frames[k].hidden = (k !== i); }}
    slider.value = String(i);
    counter.textContent = "step " + (i + 1) + " of " + frames.length;
    prev.disabled = (i === 0);
    next.disabled = (i === frames.length - 1);
  }}
  function current() {{ return parseInt(slider.value, 10); }}
  prev.addEventListener("click", function () {{ show(current() - 1); }});
  next.addEventListener("click", function () {{ show(current() + 1); }});
  slider.addEventListener("input", function () {{ show(current()); }});
  var fit = document.getElementById("fit");
  fit.addEventListener("click", function () {{
    var fitted = fit.getAttribute("aria-pressed") !== "true";
    fit.setAttribute("aria-pressed", String(fitted));
    fit.textContent = fitted ? "fit width" : "full size";
    document.querySelector("main").classList.toggle("full-size", !fitted);
  }});
  slider.addEventListener("change", function () {{ show(current()); }});
  document.addEventListener("keydown", function (event) {{
    if (event.target === slider) {{ return; }}
    if (event.key === "ArrowRight") {{ show(current() + 1); }}
    else if (event.key === "ArrowLeft") {{ show(current() - 1); }}
    else if (event.key === "Home") {{ show(0); }}
    else if (event.key === "End") {{ show(frames.length - 1); }}
  }});
  show(0);
}})();
</script>
</body>
</html>
"""


__all__ = ["SavedSteps", "backward_steps", "save_steps", "steps_html"]

"""Pictures of a training run (matplotlib, from the ``train`` extra).

:func:`plot_history` draws the loss and accuracy curves of a
:class:`nn.train.History`; :func:`plot_decision_boundary` draws the regions a
model with two inputs assigns to each class, with the data on top.

Both build a ``matplotlib.figure.Figure`` directly, without pyplot, so they
never change the process's backend (a notebook keeps its inline plots) and
work with no display. Each returns the figure (in Jupyter, the last expression
of a cell shows it) and, given a ``path``, also saves it as a PNG, written
atomically (rendered in memory by :func:`png_bytes`, then
``autograd.files.write_atomic``).
"""

from __future__ import annotations

import io
import os
from collections.abc import Sequence
from typing import Any

from autograd import Value, no_grad
from autograd.files import write_atomic
from nn.layers import MLP
from nn.train import History, default_threshold

# Class colours (points) and their light tints (regions), colour-blind safe.
_COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"]


def _figure(**options: Any) -> Any:
    """A new ``matplotlib.figure.Figure`` (no pyplot, no backend change)."""
    try:
        from matplotlib.figure import Figure
    except ImportError as error:
        raise ImportError("plotting needs matplotlib: pip install 'chainrule[train]'") from error
    return Figure(layout="constrained", **options)


def png_bytes(figure: Any) -> bytes:
    """The PNG file of a ``matplotlib.figure.Figure`` (110 dots per inch), as bytes.

    The pictures are rendered in memory, so that a file is only ever written
    whole by :func:`autograd.files.write_atomic`.
    """
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110)
    return buffer.getvalue()


def plot_history(
    history: History, path: str | os.PathLike[str] | None = None, title: str = "training"
) -> Any:
    """The loss (left) and accuracy (right) per epoch, training and validation.

    Args:
        history: What :func:`nn.train.fit` returned.
        path: A PNG file to write, or None.
        title: The figure's title.

    Returns:
        The ``matplotlib.figure.Figure``.
    """
    epochs = list(range(1, len(history.loss) + 1))
    fig = _figure(figsize=(10, 4))
    ax_loss, ax_acc = fig.subplots(1, 2)
    ax_loss.plot(epochs, history.loss, color=_COLORS[0], label="train")
    ax_acc.plot(epochs, [100 * a for a in history.accuracy], color=_COLORS[0], label="train")
    if history.val_loss:
        ax_loss.plot(epochs, history.val_loss, color=_COLORS[1], label="test")
        ax_acc.plot(epochs, [100 * a for a in history.val_accuracy], color=_COLORS[1], label="test")
    ax_loss.set(xlabel="epoch", ylabel="loss", title="loss")
    ax_acc.set(xlabel="epoch", ylabel="accuracy (%)", title="accuracy")
    ax_acc.set_ylim(top=100.5)
    for ax in (ax_loss, ax_acc):
        ax.grid(True, alpha=0.3)
        ax.legend()
    fig.suptitle(title)
    if path is not None:
        write_atomic(path, png_bytes(fig))
    return fig


def plot_decision_boundary(
    model: MLP,
    X: Sequence[Sequence[float]],
    y: Sequence[int],
    path: str | os.PathLike[str] | None = None,
    *,
    threshold: float | None = None,
    title: str = "decision boundary",
    resolution: int = 60,
) -> Any:
    """The model's class regions over the plane, with the examples on top.

    The model is evaluated (without a graph) on a ``resolution`` x
    ``resolution`` grid covering the data with a margin. For one output, the
    regions are where the output is above / below ``threshold`` and a black
    line marks the boundary; for several outputs, the region of each class is
    where its output is the largest.

    Args:
        model: A model of two inputs.
        X: Examples, each a list of two floats.
        y: Their classes: 0/1 (or ±1) for one output, 0..K-1 for several.
        path: A PNG file to write, or None.
        threshold: For one output; default :func:`nn.train.default_threshold`.
        title: The figure's title.
        resolution: Grid points per axis.

    Returns:
        The ``matplotlib.figure.Figure``.

    Raises:
        ValueError: The examples do not have two coordinates.
    """
    if any(len(x) != 2 for x in X):
        raise ValueError("plot_decision_boundary needs examples with exactly 2 coordinates")
    t = default_threshold(model) if threshold is None else threshold
    xs = [x[0] for x in X]
    ys = [x[1] for x in X]
    pad_x = 0.1 * (max(xs) - min(xs)) + 0.1
    pad_y = 0.1 * (max(ys) - min(ys)) + 0.1
    x_lo, x_hi = min(xs) - pad_x, max(xs) + pad_x
    y_lo, y_hi = min(ys) - pad_y, max(ys) + pad_y
    gx = [x_lo + (x_hi - x_lo) * i / (resolution - 1) for i in range(resolution)]
    gy = [y_lo + (y_hi - y_lo) * i / (resolution - 1) for i in range(resolution)]
    with no_grad():
        outputs = [[model([u, v]) for u in gx] for v in gy]
    first = outputs[0][0]
    n_regions = 2 if isinstance(first, Value) else len(first)
    single_output = isinstance(first, Value)
    # margins[r][i][j]: how far grid point (i, j) is inside region r (> 0 inside):
    # the score minus the threshold (and its negative) for one output, the
    # class's output minus the largest other output for several. Contouring
    # these continuous fields at 0 draws smooth boundaries between grid points.
    margins = [
        [[_margin(out, r, t) for out in row] for row in outputs]
        for r in range(n_regions)
    ]

    def region(label: int) -> int:  # the region (and colour) of a class label
        return (1 if label > t else 0) if single_output else label

    classes = sorted({int(label) for label in y})
    fig = _figure(figsize=(6, 5.4))
    ax = fig.subplots()
    for r, field in enumerate(margins):
        top = max(max(row) for row in field)
        if top > 0:
            tint = _tint(_COLORS[r % len(_COLORS)])
            ax.contourf(gx, gy, field, levels=[0.0, top], colors=[tint])
            ax.contour(gx, gy, field, levels=[0.0], colors="black", linewidths=1.2)
    for c in classes:
        members = [x for x, label in zip(X, y) if int(label) == c]
        ax.scatter(
            [x[0] for x in members],
            [x[1] for x in members],
            s=22,
            color=_COLORS[region(c) % len(_COLORS)],
            edgecolors="black",
            linewidths=0.5,
            label=f"class {c}",
        )
    ax.set(xlim=(x_lo, x_hi), ylim=(y_lo, y_hi), xlabel="$x_1$", ylabel="$x_2$", title=title)
    ax.legend(loc="upper right", framealpha=0.9)
    if path is not None:
        write_atomic(path, png_bytes(fig))
    return fig


def _margin(out: Value | list[Value], region: int, threshold: float) -> float:
    """How far an output lies inside ``region`` (positive inside, negative outside)."""
    if isinstance(out, Value):
        return out.data - threshold if region == 1 else threshold - out.data
    others = [o.data for c, o in enumerate(out) if c != region]
    return out[region].data - max(others)


def _tint(color: str, amount: float = 0.7) -> tuple[float, float, float]:
    """``color`` mixed with white (amount 0: unchanged, 1: white)."""
    r, g, b = (int(color[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return (r + (1 - r) * amount, g + (1 - g) * amount, b + (1 - b) * amount)

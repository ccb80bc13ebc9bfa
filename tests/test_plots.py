"""chainrule.plots: figures returned, PNGs written on request, the process's backend left alone."""

from __future__ import annotations

import pytest

matplotlib = pytest.importorskip("matplotlib")

from chainrule.plots import plot_decision_boundary, plot_history  # noqa: E402
from nn.datasets import moons  # noqa: E402
from nn.layers import MLP  # noqa: E402
from nn.train import History  # noqa: E402


def test_plots_return_figures_and_never_switch_the_backend(tmp_path):
    before = matplotlib.get_backend()
    matplotlib.use("svg")  # stands for a notebook's inline backend: any choice must survive
    try:
        X, y = moons(n=40, noise=0.1, seed=0)
        boundary = plot_decision_boundary(MLP(2, [4, 1], seed=0), X, y, resolution=12)
        curves = plot_history(History(loss=[0.5, 0.25], accuracy=[0.5, 0.75]))
        assert matplotlib.get_backend() == "svg"
    finally:
        matplotlib.use(before)
    assert [len(fig.axes) for fig in (boundary, curves)] == [1, 2]
    assert list(tmp_path.iterdir()) == []  # no path: nothing written


def test_plots_write_png_files_when_given_a_path(tmp_path):
    X, y = moons(n=40, noise=0.1, seed=0)
    plot_decision_boundary(MLP(2, [4, 1], seed=0), X, y, tmp_path / "b.png", resolution=12)
    plot_history(History(loss=[0.5, 0.25], accuracy=[0.5, 0.75]), tmp_path / "h.png")
    for name in ("b.png", "h.png"):
        assert (tmp_path / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_png_bytes_renders_in_memory_and_paths_are_written_atomically(tmp_path, monkeypatch):
    import os

    from chainrule.plots import png_bytes

    figure = plot_history(History(loss=[0.5, 0.25], accuracy=[0.5, 0.75]))
    data = png_bytes(figure)
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and list(tmp_path.iterdir()) == []
    renamed = []
    real_replace = os.replace
    monkeypatch.setattr(os, "replace", lambda a, b: (renamed.append(os.path.basename(b)), real_replace(a, b)))
    plot_history(History(loss=[0.5, 0.25], accuracy=[0.5, 0.75]), tmp_path / "h.png")
    assert renamed == ["h.png"] and (tmp_path / "h.png").read_bytes()[:8] == data[:8]

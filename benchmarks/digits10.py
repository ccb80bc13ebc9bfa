"""The README's digits10 timings: 20 epochs of ``fit`` on 1,198 of the ten digits' images, each way.

A 64-32-10 ReLU network with a linear output and the softmax cross-entropy,
Adam (lr 0.01), mini-batches of 32, trained by batch replay, scalar replay and
graphs from the same initial weights; prints the CPU time of each ``fit`` and
its final loss (the same to rounding).

Run: ``.venv/bin/python benchmarks/digits10.py [batch] [scalar] [graph]``.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from nn import MLP
from nn.datasets import digits10
from nn.optim import Adam
from nn.train import fit

MODES = {"batch": "batch", "scalar": "scalar", "graph": False}


def main(modes: list[str]) -> None:
    X, y = digits10()
    X, y = X[:1198], y[:1198]
    for mode in modes or list(MODES):
        model = MLP(64, [32, 10], activation="relu", output_activation="linear", seed=0)
        start = time.process_time()
        history = fit(model, X, y, loss="cross_entropy", optimizer=Adam(model.parameters(), lr=0.01), epochs=20,
                      batch_size=32, seed=0, progress=False, replay=MODES[mode])
        print(f"{mode:>6}: {time.process_time() - start:6.2f} s of CPU, final loss {history.loss[-1]:.6f}")


if __name__ == "__main__":
    main(sys.argv[1:])

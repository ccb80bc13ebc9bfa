"""micrograd's ``demo.ipynb`` run twice: by micrograd 0.1.0, and by chainrule through a micrograd alias.

The alias is a three-file package ``micrograd`` (``engine.py``: ``from autograd import
Value``; ``nn.py``: ``from nn import MLP, Layer, Module, Neuron``) put first on the path,
so the demo's own code runs unchanged on chainrule. The demo: ``random.seed(1337)``,
``np.random.seed(1337)``, scikit-learn's ``make_moons(n_samples=100, noise=0.1,
random_state=1)``, ``MLP(2, [16, 16, 1])``, 100 full-batch SGD steps of the max-margin
loss with L2 regularisation (α = 1e-4) at learning rate 1.0 - 0.9 k / 100.

Prints how many of the 100 accuracies agree, whether the first loss agrees digit for
digit, how many losses agree bit for bit, and the largest relative difference of the
later losses. micrograd's own last digits vary from run to run (its topological sort
follows the iteration order of sets of nodes), so later losses can only agree to
rounding. Needs micrograd, NumPy and scikit-learn.

Run: ``.venv/bin/python benchmarks/micrograd_demo.py``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

DEMO = '''
import json, random
import numpy as np
from micrograd.engine import Value
from micrograd.nn import Neuron, Layer, MLP

np.random.seed(1337)
random.seed(1337)
from sklearn.datasets import make_moons
X, y = make_moons(n_samples=100, noise=0.1, random_state=1)
y = y * 2 - 1
model = MLP(2, [16, 16, 1])

def loss():
    inputs = [list(map(Value, xrow)) for xrow in X]
    scores = list(map(model, inputs))
    losses = [(1 + -yi * scorei).relu() for yi, scorei in zip(y, scores)]
    data_loss = sum(losses) * (1.0 / len(losses))
    alpha = 1e-4
    reg_loss = alpha * sum((p * p for p in model.parameters()))
    total_loss = data_loss + reg_loss
    accuracy = [(yi > 0) == (scorei.data > 0) for yi, scorei in zip(y, scores)]
    return total_loss, sum(accuracy) / len(accuracy)

history = []
for k in range(100):
    total_loss, acc = loss()
    model.zero_grad()
    total_loss.backward()
    learning_rate = 1.0 - 0.9 * k / 100
    for p in model.parameters():
        p.data -= learning_rate * p.grad
    history.append((float(total_loss.data), float(acc)))
print(json.dumps(history))
'''

ALIAS = {
    "__init__.py": '"""micrograd, played by chainrule."""\n',
    "engine.py": "from autograd import Value  # noqa: F401\n",
    "nn.py": "from nn import MLP, Layer, Module, Neuron  # noqa: F401\n",
}


def run(alias: Path | None) -> list[tuple[float, float]]:
    """The demo's (loss, accuracy) per step, with micrograd itself or with the alias first on the path."""
    paths = [str(alias)] if alias is not None else []
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([*paths, str(ROOT)]))
    out = subprocess.run([sys.executable, "-c", DEMO], env=env, check=True, capture_output=True, text=True)
    return [tuple(row) for row in json.loads(out.stdout)]


def compare(ours: list, theirs: list) -> dict[str, object]:
    """The counts the issue asks for."""
    later = [abs(a - b) / abs(b) for (a, _), (b, _) in zip(ours[1:], theirs[1:])]
    return {
        "steps": len(theirs),
        "accuracies equal": sum(a == b for (_, a), (_, b) in zip(ours, theirs)),
        "first loss equal": ours[0][0] == theirs[0][0],
        "first loss": (repr(ours[0][0]), repr(theirs[0][0])),
        "losses equal bit for bit": sum(a == b for (a, _), (b, _) in zip(ours, theirs)),
        "max relative difference of later losses": max(later),
        "last loss": (repr(ours[-1][0]), repr(theirs[-1][0])),
    }


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        alias = Path(tmp)
        (alias / "micrograd").mkdir()
        for name, text in ALIAS.items():
            (alias / "micrograd" / name).write_text(text)
        ours = run(alias)
    theirs = run(None)
    for key, value in compare(ours, theirs).items():
        print(f"{key}: {value}")


if __name__ == "__main__":
    main()

r"""Small data sets for classification, as plain Python lists.

Every generator is seeded (its own ``random.Random``; the global random state
is never touched) and returns ``(X, y)``: ``X`` a list of m examples, each a
list of n floats (one example per ROW, as data files store them; the
curriculum's matrices put one example per column), and ``y`` a list of m int
class labels 0..K-1. Convert labels for a loss at the boundary: the hinge
loss wants ±1 (``[2 * t - 1 for t in y]``).

=========== ==== ==== ==================================================
generator   n    K    shape
=========== ==== ==== ==================================================
moons       2    2    two interleaving half circles (as scikit-learn's)
circles     2    2    a small circle inside a large one
xor         2    2    the four quadrants, label 1 where x1·x2 < 0
spiral      2    K    K interleaved spiral arms (CS231n)
blobs       2    K    K Gaussian clusters on a circle of radius 3
digits      64   2    8x8 images of handwritten 0s and 1s (scikit-learn)
digits10    64   10   all 1,797 8x8 images, the ten digits (scikit-learn)
=========== ==== ==== ==================================================
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

Dataset = tuple[list[list[float]], list[int]]
T = TypeVar("T")
L = TypeVar("L")


def _count(n: object, what: str, minimum: int = 1) -> int:
    if isinstance(n, bool) or not isinstance(n, int) or n < minimum:
        raise ValueError(f"{what} must be an int >= {minimum}, got {n!r}")
    return n


def _noise(noise: object, what: str = "noise") -> float:
    if isinstance(noise, bool) or not isinstance(noise, (int, float)) or not 0 <= noise < math.inf:
        raise ValueError(f"{what} must be a finite number >= 0, got {noise!r}")
    return float(noise)


def _shuffled(X: list[list[float]], y: list[int], rng: random.Random) -> Dataset:
    order = list(range(len(X)))
    rng.shuffle(order)
    return [X[i] for i in order], [y[i] for i in order]


def moons(n: int = 200, noise: float = 0.1, seed: int = 0) -> Dataset:
    r"""Two interleaving half circles (scikit-learn's ``make_moons``).

    Class 0: (cos t, sin t); class 1: (1 - cos t, 1/2 - sin t), t evenly
    spaced in [0, π]; then Gaussian noise of standard deviation ``noise`` is
    added to each coordinate and the examples are shuffled.

    Args:
        n: Number of examples (class 0 gets the extra one when n is odd).
        noise: Standard deviation of the noise.
        seed: Seed of the generator.
    """
    n = _count(n, "moons n", 2)
    noise = _noise(noise)
    rng = random.Random(seed)
    n_outer = (n + 1) // 2
    n_inner = n - n_outer
    X: list[list[float]] = []
    y: list[int] = []
    for i in range(n_outer):
        t = math.pi * i / (n_outer - 1) if n_outer > 1 else 0.0
        X.append([math.cos(t), math.sin(t)])
        y.append(0)
    for i in range(n_inner):
        t = math.pi * i / (n_inner - 1) if n_inner > 1 else 0.0
        X.append([1.0 - math.cos(t), 0.5 - math.sin(t)])
        y.append(1)
    X = [[x1 + rng.gauss(0.0, noise), x2 + rng.gauss(0.0, noise)] for x1, x2 in X]
    return _shuffled(X, y, rng)


def circles(n: int = 200, noise: float = 0.05, factor: float = 0.5, seed: int = 0) -> Dataset:
    r"""A circle of radius ``factor`` (class 1) inside a circle of radius 1 (class 0).

    Points at evenly spaced angles, plus Gaussian noise of standard deviation
    ``noise``; shuffled.

    Args:
        n: Number of examples.
        noise: Standard deviation of the noise.
        factor: Radius of the inner circle, in (0, 1).
        seed: Seed of the generator.
    """
    n = _count(n, "circles n", 2)
    noise = _noise(noise)
    if not 0.0 < factor < 1.0:
        raise ValueError(f"circles factor must be in (0, 1), got {factor!r}")
    rng = random.Random(seed)
    n_outer = (n + 1) // 2
    X: list[list[float]] = []
    y: list[int] = []
    for count, radius, label in ((n_outer, 1.0, 0), (n - n_outer, factor, 1)):
        for i in range(count):
            t = 2.0 * math.pi * i / count
            X.append([radius * math.cos(t) + rng.gauss(0.0, noise), radius * math.sin(t) + rng.gauss(0.0, noise)])
            y.append(label)
    return _shuffled(X, y, rng)


def xor(n: int = 200, noise: float = 0.0, seed: int = 0) -> Dataset:
    r"""Points uniform in [-1, 1]^2, label 1 where x1·x2 < 0 (the quadrants of XOR).

    Points within 0.05 of an axis are redrawn, so the classes are separated
    by a margin; then Gaussian noise of standard deviation ``noise`` is added.

    Args:
        n: Number of examples.
        noise: Standard deviation of the noise (0: separable).
        seed: Seed of the generator.
    """
    n = _count(n, "xor n")
    noise = _noise(noise)
    rng = random.Random(seed)
    X: list[list[float]] = []
    y: list[int] = []
    while len(X) < n:
        x1, x2 = rng.uniform(-1.0, 1.0), rng.uniform(-1.0, 1.0)
        if abs(x1) < 0.05 or abs(x2) < 0.05:
            continue
        y.append(1 if x1 * x2 < 0 else 0)
        X.append([x1 + rng.gauss(0.0, noise), x2 + rng.gauss(0.0, noise)])
    return X, y


def spiral(n: int = 300, classes: int = 3, noise: float = 0.2, seed: int = 0) -> Dataset:
    r"""``classes`` interleaved spiral arms (the CS231n data set).

    Arm c: radius r from 0 to 1, angle θ = 4r + 2πc/K + noise·N(0, 1),
    point (r sin θ, r cos θ); label c. Shuffled.

    Args:
        n: Number of examples (split as evenly as possible between the arms).
        classes: K >= 2.
        noise: Standard deviation of the angle noise.
        seed: Seed of the generator.
    """
    n = _count(n, "spiral n", 2)
    k = _count(classes, "spiral classes", 2)
    noise = _noise(noise)
    rng = random.Random(seed)
    X: list[list[float]] = []
    y: list[int] = []
    for c in range(k):
        count = n // k + (1 if c < n % k else 0)
        for i in range(count):
            r = i / (count - 1) if count > 1 else 0.0
            theta = 4.0 * r + 2.0 * math.pi * c / k + rng.gauss(0.0, noise)
            X.append([r * math.sin(theta), r * math.cos(theta)])
            y.append(c)
    return _shuffled(X, y, rng)


def blobs(n: int = 200, centers: int = 3, std: float = 0.8, seed: int = 0) -> Dataset:
    r"""``centers`` Gaussian clusters, centre c at 3·(cos 2πc/K, sin 2πc/K); label c.

    Args:
        n: Number of examples (split as evenly as possible between the clusters).
        centers: K >= 2.
        std: Standard deviation of each cluster.
        seed: Seed of the generator.
    """
    n = _count(n, "blobs n", 2)
    k = _count(centers, "blobs centers", 2)
    std = _noise(std, "blobs std")
    rng = random.Random(seed)
    X: list[list[float]] = []
    y: list[int] = []
    for c in range(k):
        cx, cy = 3.0 * math.cos(2.0 * math.pi * c / k), 3.0 * math.sin(2.0 * math.pi * c / k)
        for _ in range(n // k + (1 if c < n % k else 0)):
            X.append([cx + rng.gauss(0.0, std), cy + rng.gauss(0.0, std)])
            y.append(c)
    return _shuffled(X, y, rng)


def digits(classes: int = 2) -> Dataset:
    r"""The handwritten digits 0..classes-1 of the 8x8 digits data set shipped inside scikit-learn.

    By default the 360 images of 0s and 1s (the curriculum's worked example);
    ``classes=10``: all 1,797 images, the ten digits (:func:`digits10`). Each
    image is a list of 64 pixel intensities scaled from 0..16 to [0, 1], row
    by row; its label is its digit. Read from the file bundled with
    scikit-learn; nothing is downloaded.

    Args:
        classes: K, from 2 to 10: the digits 0..K-1 are kept.

    Raises:
        ImportError: scikit-learn is missing (the ``data`` extra).
        ValueError: ``classes`` is not an int from 2 to 10.
    """
    classes = _count(classes, "digits classes", 2)
    if classes > 10:
        raise ValueError(f"digits classes must be an int from 2 to 10 (there are ten digits), got {classes!r}")
    try:
        from sklearn.datasets import load_digits
    except ImportError as error:
        raise ImportError(
            "the digits data set needs scikit-learn: pip install 'chainrule[data]'"
        ) from error
    bunch = load_digits()
    X: list[list[float]] = []
    y: list[int] = []
    for image, label in zip(bunch.data.tolist(), bunch.target.tolist()):
        if label < classes:
            X.append([pixel / 16.0 for pixel in image])
            y.append(int(label))
    return X, y


def digits10() -> Dataset:
    """All 1,797 8x8 images of the ten handwritten digits, labels 0..9 (``digits(classes=10)``)."""
    return digits(classes=10)


@dataclass(frozen=True)
class DataSet:
    r"""One data set of :data:`DATASETS`: its generator and the facts a recipe needs.

    Calling the record calls its generator: ``DATASETS["moons"](n=90, seed=1)``.

    Attributes:
        name: The key in :data:`DATASETS`.
        generate: The generator function (it returns ``(X, y)``).
        summary: One line for help texts.
        inputs: n, the coordinates of each example.
        classes: K, the number of class labels 0..K-1 (the generator's default).
        noise: The name of the generator's noise argument (``"noise"``,
            ``"std"``), or None when the data are fixed (digits).
        sized: Whether the generator takes the number of examples ``n``
            (False: the data set has a fixed size).
    """

    name: str
    generate: Callable[..., Dataset]
    summary: str
    inputs: int
    classes: int
    noise: str | None = "noise"
    sized: bool = True

    def __call__(self, *args: object, **kwargs: object) -> Dataset:
        return self.generate(*args, **kwargs)

    def make(self, samples: int, noise: float | None = None, seed: int = 0) -> Dataset:
        """``(X, y)`` with ``samples`` examples (ignored when not :attr:`sized`) and ``noise``.

        Args:
            samples: Number of examples to generate.
            noise: The noise (standard deviation), or None for the generator's default;
                ignored by a data set without noise.
            seed: Seed of the generator.
        """
        if not self.sized:
            return self.generate()
        options = {} if noise is None or self.noise is None else {self.noise: noise}
        return self.generate(samples, seed=seed, **options)


DATASETS: dict[str, DataSet] = {
    record.name: record
    for record in (
        DataSet("moons", moons, "two interleaving half circles", 2, 2),
        DataSet("circles", circles, "a small circle inside a large one", 2, 2),
        DataSet("xor", xor, "the four quadrants, class 1 where x1*x2 < 0", 2, 2),
        DataSet("spiral", spiral, "3 interleaved spiral arms", 2, 3),
        DataSet("blobs", blobs, "3 Gaussian clusters on a circle", 2, 3, noise="std"),
        DataSet("digits", digits, "8x8 images of handwritten 0s and 1s (360; needs the data extra)",
                64, 2, noise=None, sized=False),
        DataSet("digits10", digits10, "8x8 images of the ten handwritten digits (1,797; needs the data extra)",
                64, 10, noise=None, sized=False),
    )
}
"""The data sets by name, each a :class:`DataSet` (callable like its generator)."""


def train_test_split(
    X: Sequence[T], y: Sequence[L], test_fraction: float = 0.25, seed: int = 0
) -> tuple[list[T], list[T], list[L], list[L]]:
    """Shuffle the examples and split them in two (scikit-learn's order of results).

    Args:
        X: The examples.
        y: Their labels (same length).
        test_fraction: Share of the examples held out for testing, in (0, 1);
            the test set gets ``round(test_fraction * m)`` examples (at least
            one, and at least one is left for training).
        seed: Seed of the shuffle.

    Returns:
        ``X_train, X_test, y_train, y_test``.
    """
    if len(X) != len(y):
        raise ValueError(f"train_test_split: {len(X)} examples but {len(y)} labels")
    if len(X) < 2:
        raise ValueError(f"train_test_split needs at least 2 examples, got {len(X)}")
    if isinstance(test_fraction, bool) or not isinstance(test_fraction, (int, float)) or not 0 < test_fraction < 1:
        raise ValueError(f"test_fraction must be a number in (0, 1), got {test_fraction!r}")
    n_test = min(max(1, round(test_fraction * len(X))), len(X) - 1)
    order = list(range(len(X)))
    random.Random(seed).shuffle(order)
    test, train = order[:n_test], order[n_test:]
    return [X[i] for i in train], [X[i] for i in test], [y[i] for i in train], [y[i] for i in test]

"""The data sets: shapes, labels, geometry, seeds, and the train/test split."""

import math
import random

import pytest

from nn.datasets import DATASETS, blobs, circles, digits, moons, spiral, train_test_split, xor


@pytest.mark.parametrize("name", ["moons", "circles", "xor", "spiral", "blobs"])
def test_generators_return_lists_of_2d_points_and_int_labels(name):
    X, y = DATASETS[name](n=90, seed=1)
    assert isinstance(X, list) and isinstance(y, list)
    assert len(X) == len(y) == 90
    assert all(isinstance(x, list) and len(x) == 2 and all(isinstance(v, float) for v in x) for x in X)
    assert all(type(label) is int for label in y)


@pytest.mark.parametrize("name", ["moons", "circles", "xor", "spiral", "blobs"])
def test_same_seed_same_data_other_seed_other_data_global_random_untouched(name):
    random.seed(5)
    state = random.getstate()
    assert DATASETS[name](n=40, seed=3) == DATASETS[name](n=40, seed=3)
    assert DATASETS[name](n=40, seed=3)[0] != DATASETS[name](n=40, seed=4)[0]
    assert random.getstate() == state


def test_moons_without_noise_lie_on_their_half_circles():
    X, y = moons(n=101, noise=0.0)
    assert y.count(0) == 51 and y.count(1) == 50
    for (x1, x2), label in zip(X, y):
        if label == 0:
            assert math.hypot(x1, x2) == pytest.approx(1.0) and x2 >= -1e-12
        else:
            assert math.hypot(x1 - 1.0, x2 - 0.5) == pytest.approx(1.0) and x2 <= 0.5 + 1e-12


def test_circles_without_noise_have_their_radii():
    X, y = circles(n=50, noise=0.0, factor=0.3)
    for (x1, x2), label in zip(X, y):
        assert math.hypot(x1, x2) == pytest.approx(0.3 if label == 1 else 1.0)


def test_xor_labels_are_the_sign_of_the_product():
    X, y = xor(n=200, noise=0.0, seed=2)
    assert all(label == (1 if x1 * x2 < 0 else 0) for (x1, x2), label in zip(X, y))
    assert 60 < sum(y) < 140


def test_spiral_and_blobs_have_k_balanced_classes():
    _, y = spiral(n=301, classes=4)
    assert sorted(set(y)) == [0, 1, 2, 3] and [y.count(c) for c in range(4)] == [76, 75, 75, 75]
    X, y = blobs(n=300, centers=3, std=0.1)
    for c in range(3):
        members = [x for x, label in zip(X, y) if label == c]
        mx = sum(x[0] for x in members) / len(members)
        my = sum(x[1] for x in members) / len(members)
        assert (mx, my) == pytest.approx((3 * math.cos(2 * math.pi * c / 3), 3 * math.sin(2 * math.pi * c / 3)), abs=0.05)


@pytest.mark.parametrize("call", [lambda: moons(n=1), lambda: moons(noise=-0.1), lambda: spiral(classes=1),
                                  lambda: circles(factor=1.5), lambda: blobs(std=math.inf)])
def test_bad_arguments_are_value_errors(call):
    with pytest.raises(ValueError):
        call()


def test_digits_are_the_zeros_and_ones_of_scikit_learn():
    sklearn_datasets = pytest.importorskip("sklearn.datasets")
    X, y = digits()
    bunch = sklearn_datasets.load_digits()
    expected = [(row, t) for row, t in zip(bunch.data.tolist(), bunch.target.tolist()) if t in (0, 1)]
    assert len(X) == len(expected) == 360
    assert y == [t for _, t in expected]
    assert X[7] == [p / 16 for p in expected[7][0]]
    assert all(len(x) == 64 and min(x) >= 0.0 and max(x) <= 1.0 for x in X)


def test_digits_without_scikit_learn_names_the_extra(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def fake_import(name, *args, **kwargs):
        if name.startswith("sklearn"):
            raise ImportError("No module named 'sklearn'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", fake_import)
    with pytest.raises(ImportError, match=r"chainrule\[data\]"):
        digits()


def test_train_test_split_partitions_the_examples():
    X = [[float(i)] for i in range(20)]
    y = list(range(20))
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_fraction=0.25, seed=1)
    assert len(X_test) == 5 and len(X_train) == 15
    assert sorted(y_train + y_test) == y
    assert all(x == [float(label)] for x, label in zip(X_train + X_test, y_train + y_test))
    assert train_test_split(X, y, 0.25, seed=1) == (X_train, X_test, y_train, y_test)
    assert train_test_split(X, y, 0.25, seed=2)[3] != y_test


@pytest.mark.parametrize("args", [([[1.0]], [0, 1], 0.5), ([[1.0]], [0], 0.5), ([[1.0], [2.0]], [0, 1], 1.0)])
def test_train_test_split_errors(args):
    with pytest.raises(ValueError):
        train_test_split(*args)


def test_each_record_states_its_facts_and_makes_its_data():
    for record in DATASETS.values():
        X, y = record.make(30, seed=2)
        assert all(len(x) == record.inputs for x in X)
        assert set(y) == set(range(record.classes))
        if record.sized:
            assert len(X) == 30 and (X, y) == record.generate(30, seed=2)


def test_make_passes_the_noise_to_the_generators_own_argument():
    assert DATASETS["moons"].make(40, noise=0.3, seed=1) == moons(40, noise=0.3, seed=1)
    assert DATASETS["blobs"].make(40, noise=0.3, seed=1) == blobs(40, std=0.3, seed=1)
    assert DATASETS["moons"].make(40, seed=1) == moons(40, seed=1)  # None: the generator's default

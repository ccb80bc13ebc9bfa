"""fit, predict, accuracy and evaluate: a real training run on moons, determinism, bookkeeping."""

import gc

import pytest

from autograd import Value
from nn.datasets import moons, train_test_split
from nn.layers import MLP
from nn.losses import hinge_loss
from nn.optim import SGD, Adam
from nn.train import History, accuracy, default_threshold, evaluate, fit, predict


def signed(labels):
    return [2 * c - 1 for c in labels]


@pytest.fixture(scope="module")
def moons_split():
    X, y = moons(n=120, noise=0.1, seed=0)
    return train_test_split(X, y, test_fraction=0.25, seed=0)


def test_fit_trains_a_small_mlp_on_moons_to_high_accuracy(moons_split):
    X_train, X_test, y_train, y_test = moons_split
    model = MLP(2, [8, 8, 1], seed=0)
    history = fit(model, X_train, signed(y_train), loss="hinge",
                  optimizer=SGD(model.parameters(), lr=0.05, momentum=0.9),
                  epochs=30, batch_size=16, seed=0, validation=(X_test, signed(y_test)), progress=False)
    assert len(history.loss) == len(history.accuracy) == len(history.val_accuracy) == 30
    assert history.loss[-1] < 0.25 * history.loss[0]
    assert accuracy(model, X_train, y_train) >= 0.97
    assert accuracy(model, X_test, y_test) >= 0.93
    assert history.val_accuracy[-1] == accuracy(model, X_test, signed(y_test))


@pytest.mark.slow
def test_fit_with_adam_and_bce_logits_learns(moons_split):
    X_train, _, y_train, _ = moons_split
    model = MLP(2, [8, 8, 1], seed=1)
    history = fit(model, X_train, y_train, loss="bce_logits", optimizer=Adam(model.parameters(), lr=0.03),
                  epochs=30, batch_size=15, progress=False)
    assert history.loss[-1] < 0.05 * history.loss[0]
    assert accuracy(model, X_train, y_train) == 1.0


def test_fit_is_deterministic_for_a_seed(moons_split):
    X_train, _, y_train, _ = moons_split

    def run(seed):
        model = MLP(2, [4, 1], seed=0)
        h = fit(model, X_train, signed(y_train), loss=hinge_loss, optimizer=SGD(model.parameters(), lr=0.1),
                epochs=2, batch_size=10, seed=seed, progress=False)
        return h.loss, model.state_dict()

    assert run(3) == run(3)
    assert run(3) != run(4)


def test_one_full_batch_epoch_is_one_gradient_step_by_hand():
    X, y = [[1.0, 2.0], [-1.0, 0.5], [0.5, -1.5]], [1.0, -1.0, 1.0]
    model = MLP(2, [3, 1], seed=2)
    reference = MLP(2, [3, 1], seed=2)
    fit(model, X, y, loss="mse", optimizer=SGD(model.parameters(), lr=0.1), epochs=1, batch_size=3,
        progress=False)
    outputs = [reference(x) for x in X]
    cost = sum(((o - t) ** 2 for o, t in zip(outputs, y)), Value(0.0)) * (1 / 3)
    cost.backward()
    expected = {name: p.data - 0.1 * p.grad for name, p in reference.named_parameters()}
    assert model.state_dict() == pytest.approx(expected, rel=1e-12)


def test_l2_adds_two_lambda_theta_to_each_gradient():
    X, y = [[1.0, 2.0]], [1.0]
    plain, decayed = MLP(2, [1], seed=5), MLP(2, [1], seed=5)
    before = plain.state_dict()
    for model, l2 in ((plain, 0.0), (decayed, 0.5)):
        fit(model, X, y, loss="quadratic", optimizer=SGD(model.parameters(), lr=0.1), epochs=1, l2=l2,
            progress=False)
    for name, theta in before.items():
        assert decayed.state_dict()[name] == pytest.approx(plain.state_dict()[name] - 0.1 * 2 * 0.5 * theta)


def test_history_records_mean_loss_and_running_accuracy():
    X, y = [[1.0], [2.0], [3.0]], [1, 1, -1]
    model = MLP(1, [1], output_activation="linear", seed=0)
    model.load_state_dict({"layers.0.neurons.0.w.0": 0.0, "layers.0.neurons.0.b": 0.0})
    history = fit(model, X, y, loss="hinge", optimizer=SGD(model.parameters(), lr=1e-9), epochs=1,
                  batch_size=2, progress=False)
    # Outputs are 0 (almost): every hinge term is 1; nothing is above the threshold 0.
    assert history.loss == pytest.approx([1.0])
    assert history.accuracy == [pytest.approx(1 / 3)]
    assert history.lr == [1e-9]


def test_fit_restores_the_garbage_collector():
    model = MLP(1, [1], seed=0)
    assert gc.isenabled()
    fit(model, [[1.0]], [1.0], loss="mse", optimizer=SGD(model.parameters(), lr=0.1), epochs=1, progress=False)
    assert gc.isenabled()


def test_fit_without_a_terminal_prints_no_progress_bar(capsys):
    model = MLP(1, [1], seed=0)
    fit(model, [[1.0]], [1.0], loss="mse", optimizer=SGD(model.parameters(), lr=0.1), epochs=2)
    assert capsys.readouterr() == ("", "")


def test_fit_progress_bar_when_asked(capsys):
    model = MLP(1, [1], seed=0)
    fit(model, [[1.0]], [1.0], loss="mse", optimizer=SGD(model.parameters(), lr=0.1), epochs=2, progress=True)
    assert "2/2" in capsys.readouterr().err


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"epochs": 0}, ValueError, "epochs"),
        ({"batch_size": 1.5}, ValueError, "batch_size"),
        ({"loss": "svm"}, ValueError, "unknown loss"),
        ({"optimizer": "sgd"}, TypeError, "optimizer"),
        ({"l2": -1.0}, ValueError, "l2"),
    ],
)
def test_fit_argument_errors(kwargs, error, match):
    model = MLP(1, [1], seed=0)
    args = {"loss": "mse", "optimizer": SGD(model.parameters(), lr=0.1)} | kwargs
    with pytest.raises(error, match=match):
        fit(model, [[1.0]], [1.0], **args)
    with pytest.raises(ValueError, match="2 examples but 1 labels"):
        fit(model, [[1.0], [2.0]], [1.0], loss="mse", optimizer=SGD(model.parameters(), lr=0.1))


def test_predict_and_accuracy_by_hand():
    model = MLP(1, [1], output_activation="linear", seed=0)
    model.load_state_dict({"layers.0.neurons.0.w.0": 1.0, "layers.0.neurons.0.b": -0.5})
    X = [[0.0], [1.0], [2.0], [0.2]]  # outputs -0.5, 0.5, 1.5, -0.3
    assert predict(model, X) == [0, 1, 1, 0]
    assert predict(model, X, threshold=1.0) == [0, 0, 1, 0]
    assert accuracy(model, X, [0, 1, 0, 0]) == 0.75
    assert accuracy(model, X, [-1, 1, 1, 1]) == 0.75  # ±1 labels work alike
    result = evaluate(model, X, [-1, 1, 1, 1], loss="hinge")
    assert result.loss == pytest.approx((0.5 + 0.5 + 0.0 + 1.3) / 4)
    assert result.accuracy == 0.75


def test_sigmoid_output_threshold_is_one_half_and_multi_output_is_argmax():
    assert default_threshold(MLP(1, [1], output_activation="sigmoid")) == 0.5
    assert default_threshold(MLP(1, [1])) == 0.0
    model = MLP(2, [3], activation="linear", output_activation="linear", seed=0)
    X = [[1.0, 0.0], [0.0, 1.0], [-1.0, -1.0]]
    expected = []
    for x in X:
        scores = [o.data for o in model(x)]
        expected.append(scores.index(max(scores)))
    assert predict(model, X) == expected
    assert accuracy(model, X, expected) == 1.0


def test_history_rows_and_csv(tmp_path):
    history = History(loss=[0.5, 0.25], accuracy=[0.5, 1.0], lr=[0.1, 0.1], val_loss=[0.6, 0.3],
                      val_accuracy=[0.4, 0.9])
    path = tmp_path / "h.csv"
    history.to_csv(str(path))
    assert path.read_text().splitlines() == [
        "epoch,loss,accuracy,lr,val_loss,val_accuracy",
        "1,0.5,0.5,0.1,0.6,0.4",
        "2,0.25,1.0,0.1,0.3,0.9",
    ]


def test_ctrl_c_in_fit_is_a_keyboard_interrupt_that_keeps_the_completed_epochs(moons_split):
    from nn.train import TrainingInterrupted

    X_train, X_test, y_train, y_test = moons_split
    model = MLP(2, [4, 1], seed=0)

    class StopInThirdEpoch(SGD):  # Ctrl-C arrives during the first step of epoch 3
        calls = 0

        def step(self):
            self.calls += 1
            if self.calls == 2 * 9 + 1:  # 90 examples in batches of 10: 9 steps per epoch
                raise KeyboardInterrupt
            super().step()

    with pytest.raises(KeyboardInterrupt) as info:
        fit(model, X_train, signed(y_train), loss="hinge", optimizer=StopInThirdEpoch(model.parameters(), lr=0.1),
            epochs=5, batch_size=10, validation=(X_test, signed(y_test)), progress=False)
    assert isinstance(info.value, TrainingInterrupted)
    history = info.value.history
    assert len(history.loss) == len(history.accuracy) == len(history.lr) == len(history.val_loss) == 2
    assert info.value.epochs == 5 and str(info.value) == "training interrupted in epoch 3 of 5"
    assert gc.isenabled()


def test_history_csv_is_written_by_renaming_a_temporary_file(tmp_path, monkeypatch):
    import os

    renamed = []
    real_replace = os.replace
    monkeypatch.setattr(os, "replace", lambda a, b: (renamed.append(os.path.basename(b)), real_replace(a, b)))
    History(loss=[0.5], accuracy=[1.0], lr=[0.1]).to_csv(tmp_path / "h.csv")
    assert renamed == ["h.csv"] and [p.name for p in tmp_path.iterdir()] == ["h.csv"]

"""Saving and loading models as JSON: exact round trips, atomic writes, clear errors."""

import json
import math
import os

import pytest

from nn.layers import MLP
from nn.serialize import from_dict, load, save, to_dict


def test_round_trip_is_exact(tmp_path):
    model = MLP(3, [5, 4, 2], activation="tanh", output_activation="sigmoid", init="xavier", seed=7)
    path = tmp_path / "model.json"
    save(model, path)
    loaded = load(path)
    assert loaded.state_dict() == model.state_dict()
    assert (loaded.nin, loaded.sizes, loaded.activation, loaded.output_activation, loaded.bias) == (
        3, [5, 4, 2], "tanh", "sigmoid", True)
    x = [0.1, -0.4, 2.0]
    assert [v.data for v in loaded(x)] == [v.data for v in model(x)]
    assert [p.label for p in loaded.parameters()] == [n for n, _ in model.named_parameters()]


def test_round_trip_without_bias(tmp_path):
    model = MLP(2, [3, 1], bias=False, seed=1)
    save(model, tmp_path / "m.json")
    assert load(tmp_path / "m.json").state_dict() == model.state_dict()


def test_file_is_readable_json_with_architecture(tmp_path):
    save(MLP(2, [3, 1], seed=0), tmp_path / "m.json")
    data = json.loads((tmp_path / "m.json").read_text())
    assert data["format"] == "chainrule-mlp" and data["sizes"] == [3, 1] and data["nin"] == 2
    assert len(data["parameters"]) == 13
    assert os.listdir(tmp_path) == ["m.json"]  # no temporary file left


def test_corrupted_file_is_a_clear_error(tmp_path):
    path = tmp_path / "m.json"
    save(MLP(2, [3, 1], seed=0), path)
    path.write_text(path.read_text()[:100])
    with pytest.raises(ValueError, match="not valid JSON"):
        load(path)


@pytest.mark.parametrize(
    "edit, match",
    [
        (lambda d: d.update(format="other"), "not a chainrule model"),
        (lambda d: d.update(version=99), "unsupported version"),
        (lambda d: d.pop("sizes"), "missing field"),
        (lambda d: d.update(sizes=[4, 1]), "missing: layers.0.neurons.3"),
        (lambda d: d["parameters"].pop("layers.1.neurons.0.b"), "missing: layers.1.neurons.0.b"),
        (lambda d: d["parameters"].update({"layers.0.neurons.0.b": "zero"}), "layers.0.neurons.0.b"),
        (lambda d: d.update(activation="magic"), "unknown activation"),
        (lambda d: d.update(bias="yes"), "bias"),
    ],
)
def test_mismatched_description_is_a_value_error_naming_the_file(tmp_path, edit, match):
    data = to_dict(MLP(2, [3, 1], seed=0))
    edit(data)
    path = tmp_path / "m.json"
    path.write_text(json.dumps(data))
    with pytest.raises(ValueError, match=match) as info:
        load(path)
    assert "m.json" in str(info.value)


def test_a_failed_save_leaves_the_old_file_untouched(tmp_path):
    path = tmp_path / "m.json"
    good = MLP(2, [3, 1], seed=0)
    save(good, path)
    before = path.read_bytes()
    broken = MLP(2, [3, 1], seed=1)
    broken.parameters()[0].data = math.nan
    with pytest.raises(ValueError, match="is nan"):
        save(broken, path)
    with pytest.raises(ValueError, match="function"):
        save(MLP(2, [1], output_activation=lambda z: z), path)
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["m.json"]


def test_an_interrupted_write_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    path = tmp_path / "m.json"
    save(MLP(2, [3, 1], seed=0), path)
    before = path.read_bytes()

    def fail(*args):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError, match="disk full"):
        save(MLP(2, [3, 1], seed=1), path)
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["m.json"]


def test_save_into_a_missing_directory_is_an_os_error(tmp_path):
    with pytest.raises(OSError):
        save(MLP(1, [1]), tmp_path / "missing" / "m.json")


def test_only_an_mlp_can_be_saved():
    with pytest.raises(TypeError, match="only an MLP"):
        to_dict(object())
    with pytest.raises(ValueError, match="not a chainrule model"):
        from_dict([1, 2])

"""Model files written by an attacker or by accident: every one is a ValueError that names the file.

``nn.serialize.load`` promises that a file which is not a model it can build
gives a ValueError naming the file and what is wrong, within bounded work:
nothing is built before the declared sizes are checked against the
parameters present and against ``max_parameters``, and nothing is read beyond
``max_bytes``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import nn.serialize
from nn.layers import MLP
from nn.serialize import MAX_PARAMETERS, from_dict, load, save, to_dict

VALID = json.dumps(to_dict(MLP(2, [3, 1], seed=0)))
"""A valid model file's text: MLP(2, [3, 1]), 13 parameters."""


def model_text(**changes: object) -> str:
    """:data:`VALID` with some fields changed."""
    description = json.loads(VALID)
    description.update(changes)
    return json.dumps(description)


def load_error(path, **keywords) -> str:
    """The message of the ValueError that loading ``path`` raises, checked to name the file."""
    with pytest.raises(ValueError) as info:
        load(path, **keywords)
    message = str(info.value)
    assert str(path) in message
    return message


@pytest.fixture
def no_model_built(monkeypatch):
    """Fail the test if ``nn.serialize`` builds an MLP."""
    built = []

    def refuse(*args, **kwargs):
        built.append(args)
        raise AssertionError("an MLP was built before the file was checked")

    monkeypatch.setattr(nn.serialize, "MLP", refuse)
    yield
    assert built == []


def test_a_168_byte_file_declaring_twenty_billion_parameters_is_refused_before_building(tmp_path, no_model_built):
    text = json.dumps({"format": "chainrule-mlp", "version": 1, "nin": 100000, "sizes": [100000, 100000],
                       "activation": "relu", "output_activation": "linear", "bias": True, "parameters": {}})
    path = tmp_path / "huge.json"
    path.write_text(text)
    assert len(text) == 168
    message = load_error(path)
    assert "20,000,200,000 parameters" in message and f"{MAX_PARAMETERS:,}" in message
    assert "max_parameters" in message


def test_sizes_within_the_limit_but_without_their_parameters_are_refused_before_building(tmp_path, no_model_built):
    path = tmp_path / "hollow.json"
    path.write_text(model_text(nin=999, sizes=[1000]))  # 1,000,000 parameters declared, 13 present
    message = load_error(path)
    assert "the model has 1,000,000 parameters, the file has 13" in message
    assert "missing: layers.0.neurons.0.w.2, layers.0.neurons.0.w.3" in message


def test_max_parameters_is_a_limit_that_the_keyword_moves(tmp_path):
    path = tmp_path / "m.json"
    save(MLP(2, [3, 1], seed=0), path)
    assert "more than the limit of 12" in load_error(path, max_parameters=12)
    assert load(path, max_parameters=13).state_dict() == MLP(2, [3, 1], seed=0).state_dict()
    with pytest.raises(ValueError, match="limit of 12"):
        from_dict(json.loads(path.read_text()), max_parameters=12)


def test_a_file_larger_than_max_bytes_is_refused_and_the_keyword_lifts_it(tmp_path):
    path = tmp_path / "m.json"
    save(MLP(2, [3, 1], seed=0), path)
    size = path.stat().st_size
    assert "max_bytes" in load_error(path, max_bytes=size - 1)
    assert load(path, max_bytes=size).nin == 2


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs a device without an end")
def test_an_endless_device_is_refused_by_its_type_before_a_byte_is_read():
    assert "'/dev/zero' is a character device, not a regular file" in load_error("/dev/zero", max_bytes=1000)


@pytest.mark.skipif(not os.path.exists("/proc/self/maps"), reason="needs a /proc file, whose stat size is 0")
def test_a_file_whose_stat_size_is_zero_is_read_no_further_than_max_bytes():
    assert os.stat("/proc/self/maps").st_size == 0 and len(Path("/proc/self/maps").read_bytes()) > 1000
    assert "larger than the limit of 1,000 bytes" in load_error("/proc/self/maps", max_bytes=1000)


def test_json_nested_100000_deep_is_a_value_error_not_a_recursion_error(tmp_path):
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    assert "nested too deeply" in load_error(path)


def test_bytes_that_are_not_utf8_are_a_value_error_naming_the_byte(tmp_path):
    path = tmp_path / "latin1.json"
    path.write_bytes(VALID.replace('"relu"', '"caf\u00e9"').encode("latin-1"))
    message = load_error(path)
    assert "not UTF-8" in message and "0xe9" in message


def test_a_401_digit_number_is_a_value_error_not_an_overflow_error(tmp_path):
    path = tmp_path / "big.json"
    text = model_text()
    name = "layers.0.neurons.1.w.0"
    start = text.index(f'"{name}": ') + len(name) + 4
    end = text.index(",", start)
    path.write_text(text[:start] + "1" + "0" * 400 + text[end:])
    message = load_error(path)
    assert f"parameter {name} is a number too large for a float" in message


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1e400"])
def test_a_parameter_that_is_not_a_finite_float_is_named(tmp_path, literal):
    path = tmp_path / "m.json"
    text = model_text()
    name = "layers.1.neurons.0.b"
    start = text.index(f'"{name}": ') + len(name) + 4
    end = text.index("}", start)
    path.write_text(text[:start] + literal + text[end:])
    assert f"parameter {name} must be a finite number" in load_error(path)


def test_an_integer_of_5000_digits_is_invalid_json_not_a_crash(tmp_path):
    path = tmp_path / "m.json"
    path.write_text(model_text().replace('"nin": 2', '"nin": ' + "7" * 5000))
    assert "not valid JSON" in load_error(path)


@pytest.mark.parametrize(
    "text, match",
    [
        ("", "not valid JSON"),
        ("[]", "not a chainrule model"),
        ("null", "not a chainrule model"),
        (model_text(version=[[["x"]]] * 100), "unsupported version"),
        (model_text(nin="2"), "nin must be a positive int"),
        (model_text(nin=True), "nin must be a positive int"),
        (model_text(nin=0), "nin must be a positive int"),
        (model_text(sizes="31"), "sizes must be a non-empty list"),
        (model_text(sizes=[]), "sizes must be a non-empty list"),
        (model_text(sizes=[3, [1]]), "layer size must be a positive int"),
        (model_text(sizes=[3, 1.5]), "layer size must be a positive int"),
        (model_text(parameters=[1, 2]), "parameters must be an object"),
        (model_text(activation=5), "activation must be a name"),
        (model_text(output_activation={"name": "relu"}), "output_activation must be a name"),
        (model_text(activation="magic"), "unknown activation 'magic'"),
        (model_text(bias="yes"), "bias must be true or false"),
    ],
)
def test_malformed_fields_are_value_errors_naming_the_file(tmp_path, text, match):
    path = tmp_path / "m.json"
    path.write_text(text)
    with pytest.raises(ValueError, match=match):
        load(path)
    load_error(path)


def test_a_boolean_or_a_string_parameter_is_named(tmp_path):
    path = tmp_path / "m.json"
    description = json.loads(model_text())
    description["parameters"]["layers.0.neurons.2.w.1"] = True
    path.write_text(json.dumps(description))
    assert "parameter layers.0.neurons.2.w.1 must be a number, got True" in load_error(path)


def test_an_unexpected_parameter_is_named_after_the_others_fit(tmp_path):
    path = tmp_path / "m.json"
    description = json.loads(model_text())
    description["parameters"]["layers.7.neurons.0.b"] = 1.0
    path.write_text(json.dumps(description))
    assert "unexpected: layers.7.neurons.0.b" in load_error(path)


def test_a_long_field_is_cut_short_in_the_message(tmp_path):
    path = tmp_path / "m.json"
    path.write_text(model_text(bias="x" * 100_000))
    assert len(load_error(path)) < 200 + len(str(path))


def test_a_401_digit_size_is_refused_in_a_message_of_readable_length(tmp_path):
    text = json.dumps(to_dict(MLP(2, [1], seed=0))).replace('"nin": 2', '"nin": 1' + "0" * 400)
    path = tmp_path / "huge_nin.json"
    path.write_text(text)
    with pytest.raises(ValueError, match=r"huge_nin.json: nin = 1000.*\.\.\. and sizes = \[1\] declare about 10\^400") as error:
        load(path)
    assert len(str(error.value)) < 300

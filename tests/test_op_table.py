"""Every row of the table of operations against its oracles, and what is derived from the table.

The rows are ``autograd.ops.OPS``; the oracles are ``tests/op_table.py``:
values against the float function, gradients against central finite
differences and PyTorch float64 (first and second order), for every row and
every constant bound to it.
"""

from __future__ import annotations

import itertools
import math
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import Value, gradcheck
from autograd.expression import FUNCTIONS, SLOPED, evaluate_expression
from autograd.ops import OPS, Op
from autograd.value import apply
from tests.float64_oracle import disagreements, engine_orders, torch_orders
from tests.op_table import OP_CASES

# One test instance per (row, constant): rows without a constant run once.
INSTANCES = [
    (name, constant) for name, case in OP_CASES.items() for constant in (case.constants or (None,))
]
IDS = [name if constant is None else f"{name}({constant:g})" for name, constant in INSTANCES]


def _op(name: str, constant: float | None) -> Op:
    op = OPS[name]
    return op if constant is None else op.bind(constant)


def _extra(constant: float | None) -> tuple[float, ...]:
    return () if constant is None else (constant,)


def test_every_operation_of_the_table_has_a_test_row():
    assert set(OPS) - set(OP_CASES) == set(), "add a Case to tests/op_table.py for each new row"
    assert set(OP_CASES) - set(OPS) == set(), "a Case names an operation the table does not have"


def test_every_row_that_takes_a_constant_is_tested_with_one():
    for name, op in OPS.items():
        assert bool(OP_CASES[name].constants) == (op.param is not None), name


@pytest.mark.parametrize("name, constant", INSTANCES, ids=IDS)
@settings(max_examples=30, deadline=None)
@given(data=st.data())
def test_row_value_matches_float_math_and_gradient_matches_finite_differences(name, constant, data):
    case, op = OP_CASES[name], _op(name, constant)
    xs = [data.draw(domain) for domain in case.domains]
    out = apply(op, *[Value(x) for x in xs])
    assert out.data == pytest.approx(case.f(*xs, *_extra(constant)), rel=1e-12, abs=1e-12)
    result = gradcheck(lambda *vs: apply(op, *vs), xs)
    assert result.ok, str(result)


@pytest.mark.parametrize("name, constant", INSTANCES, ids=IDS)
@settings(max_examples=20, deadline=None)
@given(data=st.data())
def test_row_value_and_first_and_second_derivatives_match_pytorch_float64(name, constant, data):
    torch = pytest.importorskip("torch")
    case, op = OP_CASES[name], _op(name, constant)
    xs = [data.draw(domain) for domain in case.domains]
    vs = [Value(x) for x in xs]
    out = apply(op, *vs)
    out.backward(create_graph=True)
    ts = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in xs]
    t_out = case.torch_f(torch, *ts, *_extra(constant))
    t_grads = torch.autograd.grad(t_out, ts, create_graph=True)
    assert out.data == pytest.approx(t_out.item(), rel=1e-12, abs=1e-14)
    for v, tg in zip(vs, t_grads):
        g = v.grad
        assert float(g.data if isinstance(g, Value) else g) == pytest.approx(tg.item(), rel=1e-10, abs=1e-14)
    # second order: d/dx_0 of (d out / d x_0)
    g0, tg0 = vs[0].grad, t_grads[0]
    for v in vs:
        v.grad = 0.0
    second_t = torch.autograd.grad(tg0, ts[0], allow_unused=True)[0] if tg0.requires_grad else None
    expected = 0.0 if second_t is None else second_t.item()
    if isinstance(g0, Value):
        g0.backward()
        second = float(vs[0].grad)
    else:
        second = 0.0
    assert second == pytest.approx(expected, rel=1e-9, abs=1e-12)


EDGE_INSTANCES = [
    (name, constant)
    for name, case in OP_CASES.items()
    for constant in (tuple(dict.fromkeys((*case.constants, *case.edge_constants))) or (None,))
]
EDGE_IDS = [name if constant is None else f"{name}({constant:g})" for name, constant in EDGE_INSTANCES]


def _edge_points(name: str) -> list[tuple[float, ...]]:
    """Every combination of the operands' extremes; a seeded sample of 300 for rows of many operands."""
    sets = OP_CASES[name].edge_sets()
    if len(sets) <= 2:
        return list(itertools.product(*sets))
    rng = random.Random(17)
    return [tuple(rng.choice(values) for values in sets) for _ in range(300)]


@pytest.mark.parametrize("name, constant", EDGE_INSTANCES, ids=EDGE_IDS)
def test_row_at_every_extreme_of_its_operands_matches_pytorch_float64_or_refuses_its_domain(name, constant):
    torch = pytest.importorskip("torch")
    case, op = OP_CASES[name], _op(name, constant)

    def f(*vs):
        return apply(op, *vs)

    def torch_f(*ts):
        return case.torch_f(torch, *ts, *_extra(constant))

    wrong = []
    for xs in _edge_points(name):
        try:
            f(*[Value(x) for x in xs])
        except (ValueError, ZeroDivisionError):
            # outside the domain: the engine stops where PyTorch gives inf or NaN
            t_value = torch_f(*[torch.tensor(x, dtype=torch.float64) for x in xs]).item()
            if math.isfinite(t_value):
                wrong.append(f"{xs}: refused, PyTorch gives {t_value!r}")
            continue
        found = disagreements(engine_orders(f, xs), torch_orders(torch, torch_f, xs), abs_=1e-300)
        wrong.extend(f"{xs}: {d}" for d in found if case.known((*xs, *_extra(constant)), d.split(":")[0]) is None)
    assert not wrong, f"{len(wrong)} disagreements, first ones: " + "; ".join(wrong[:12])


@pytest.mark.parametrize("name", [n for n, op in OPS.items() if op.arity == 1 and op.method])
def test_one_operand_rows_are_value_methods_documented_by_their_row(name):
    op = OPS[name]
    for method_name in (name, *op.aliases):
        method = getattr(Value, method_name)
        assert method.__doc__ == op.doc
        x = Value(0.7)
        assert method(x).data == apply(op if op.param is None else op.bind(op.param.default), x).data


@pytest.mark.parametrize("name", [n for n, op in OPS.items() if op.arity == 1 and op.method])
def test_one_operand_rows_are_expression_functions_with_the_tested_values(name):
    op, case = OPS[name], OP_CASES[name]
    assert all(alias in FUNCTIONS or alias in SLOPED for alias in (name, *op.aliases))
    x0 = 0.7
    expected = case.f(x0, *((op.param.default,) if op.param else ()))
    for function in (name, *op.aliases):
        out = evaluate_expression(f"{function}(x)", {"x": Value(x0)})
        assert out.data == pytest.approx(expected, rel=1e-12)
        assert out.op == op.symbol


@pytest.mark.parametrize("symbol, row", [("+", OPS["add"]), ("*", OPS["mul"])])
def test_fast_paths_of_add_and_mul_agree_with_their_rows(symbol, row):
    rng = random.Random(8)
    for _ in range(2000):
        x, y = rng.uniform(-1e3, 1e3), rng.choice([rng.uniform(-1e3, 1e3), 0.0, -0.0, math.inf])
        a, b = Value(x), Value(y)
        out = a + b if symbol == "+" else a * b
        assert out.op == row.symbol and out.parents == (a, b)
        expected = row.forward(x, y)
        assert out.data == expected or (math.isnan(out.data) and math.isnan(expected))
        assert out.partials() == tuple(float(d) for d in row.partials(expected, x, y))
        out.backward()
        assert (a.grad, b.grad) == out.partials()

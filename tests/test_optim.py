"""SGD and Adam: steps against hand computation and against torch.optim in float64."""

import math

import pytest

from autograd import Value
from nn.optim import SGD, Adam, linear_decay


def params_with_grads(data, grads):
    ps = [Value(d) for d in data]
    for p, g in zip(ps, grads):
        p.grad = g
    return ps


def test_sgd_step_is_theta_minus_lr_times_grad():
    ps = params_with_grads([1.0, -2.0], [0.5, -4.0])
    SGD(ps, lr=0.1).step()
    assert [p.data for p in ps] == pytest.approx([1.0 - 0.05, -2.0 + 0.4], rel=1e-15)


def test_sgd_momentum_accumulates_velocity_by_hand():
    ps = params_with_grads([1.0], [2.0])
    opt = SGD(ps, lr=0.1, momentum=0.9)
    opt.step()  # v = 2, θ = 1 - 0.2 = 0.8
    assert ps[0].data == pytest.approx(0.8)
    ps[0].grad = 1.0
    opt.step()  # v = 0.9*2 + 1 = 2.8, θ = 0.8 - 0.28 = 0.52
    assert ps[0].data == pytest.approx(0.52)


def test_sgd_weight_decay_adds_lambda_theta():
    ps = params_with_grads([2.0], [1.0])
    SGD(ps, lr=0.5, weight_decay=0.1).step()  # g = 1 + 0.2 = 1.2, θ = 2 - 0.6
    assert ps[0].data == pytest.approx(1.4)


def test_adam_first_steps_by_hand():
    g1, g2, lr, b1, b2, eps = 0.5, -1.5, 0.01, 0.9, 0.999, 1e-8
    ps = params_with_grads([1.0], [g1])
    opt = Adam(ps, lr=lr)
    opt.step()
    # m_hat = g, v_hat = g^2: the first step is lr * g / (|g| + eps), about lr.
    theta = 1.0 - lr * g1 / (abs(g1) + eps)
    assert ps[0].data == pytest.approx(theta, rel=1e-14)
    ps[0].grad = g2
    opt.step()
    m = b1 * (1 - b1) * g1 + (1 - b1) * g2
    v = b2 * (1 - b2) * g1**2 + (1 - b2) * g2**2
    theta -= lr * (m / (1 - b1**2)) / (math.sqrt(v / (1 - b2**2)) + eps)
    assert ps[0].data == pytest.approx(theta, rel=1e-14)


def test_zero_grad_and_schedule():
    ps = params_with_grads([1.0, 1.0], [3.0, 3.0])
    opt = SGD(ps, lr=1.0, schedule=linear_decay(4, end_factor=0.2))
    assert opt.current_lr == 1.0
    lrs = []
    for _ in range(6):
        lrs.append(opt.current_lr)
        opt.step()
    assert lrs == pytest.approx([1.0, 0.8, 0.6, 0.4, 0.2, 0.2])
    opt.zero_grad()
    assert [p.grad for p in ps] == [0.0, 0.0]


@pytest.mark.parametrize(
    "make, error",
    [
        (lambda ps: SGD(ps, lr=0.0), "lr must be > 0"),
        (lambda ps: SGD(ps, lr=0.1, momentum=1.0), "momentum"),
        (lambda ps: SGD([], lr=0.1), "empty"),
        (lambda ps: Adam(ps, betas=(0.9, 1.0)), "betas"),
        (lambda ps: Adam(ps, eps=0.0), "eps"),
        (lambda ps: SGD(ps, lr=math.nan), "finite"),
    ],
)
def test_bad_hyperparameters_are_value_errors(make, error):
    with pytest.raises(ValueError, match=error):
        make([Value(1.0)])


def test_parameters_must_be_values():
    with pytest.raises(TypeError, match="Values"):
        SGD([1.0], lr=0.1)


GRADIENT_SEQUENCE = [[0.5, -1.0, 2.0], [0.1, 0.3, -0.7], [-2.0, 0.05, 1.1], [0.4, 0.4, -0.4], [1.5, -0.2, 0.0]]


@pytest.mark.parametrize(
    "ours, theirs",
    [
        (lambda ps: SGD(ps, lr=0.1), lambda t, ts: t.optim.SGD(ts, lr=0.1)),
        (lambda ps: SGD(ps, lr=0.1, momentum=0.9, weight_decay=0.01),
         lambda t, ts: t.optim.SGD(ts, lr=0.1, momentum=0.9, weight_decay=0.01)),
        (lambda ps: Adam(ps, lr=0.05), lambda t, ts: t.optim.Adam(ts, lr=0.05)),
        (lambda ps: Adam(ps, lr=0.02, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1),
         lambda t, ts: t.optim.Adam(ts, lr=0.02, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1)),
    ],
    ids=["sgd", "sgd-momentum-decay", "adam", "adam-options"],
)
def test_steps_match_torch_optim_in_float64(ours, theirs):
    torch = pytest.importorskip("torch")
    start = [1.0, -0.5, 0.25]
    ps = [Value(x) for x in start]
    ts = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in start]
    opt, topt = ours(ps), theirs(torch, ts)
    for grads in GRADIENT_SEQUENCE:
        for p, t, g in zip(ps, ts, grads):
            p.grad = g
            t.grad = torch.tensor(g, dtype=torch.float64)
        opt.step()
        topt.step()
        assert [p.data for p in ps] == pytest.approx([t.item() for t in ts], rel=1e-12, abs=1e-15)


def test_schedule_matches_torch_lambda_lr():
    torch = pytest.importorskip("torch")
    schedule = linear_decay(3, end_factor=0.1)
    ps = [Value(1.0)]
    t = torch.tensor(1.0, dtype=torch.float64, requires_grad=True)
    opt = SGD(ps, lr=0.5, schedule=schedule)
    topt = torch.optim.SGD([t], lr=0.5)
    scheduler = torch.optim.lr_scheduler.LambdaLR(topt, schedule)
    for g in [1.0, -2.0, 0.5, 3.0, 1.0]:
        ps[0].grad = g
        t.grad = torch.tensor(g, dtype=torch.float64)
        opt.step()
        topt.step()
        scheduler.step()
        assert ps[0].data == pytest.approx(t.item(), rel=1e-12)

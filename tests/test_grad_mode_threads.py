"""Gradient recording is per thread and per asyncio task, as in PyTorch."""

from __future__ import annotations

import asyncio
import random
import threading

from autograd import Value, is_grad_enabled, no_grad


def test_no_grad_in_one_thread_does_not_stop_recording_in_another():
    inside, release = threading.Event(), threading.Event()
    seen: list[bool] = []

    def evaluator() -> None:
        with no_grad():
            seen.append(is_grad_enabled())
            inside.set()
            release.wait(10)

    thread = threading.Thread(target=evaluator)
    thread.start()
    inside.wait(10)
    x, y = Value(2.0), Value(3.0)
    z = x * y
    release.set()
    thread.join()
    assert seen == [False]
    assert z.parents == (x, y) and is_grad_enabled()


def test_threads_racing_in_and_out_of_no_grad_leave_every_thread_recording():
    barrier = threading.Barrier(8)
    after: list[bool] = []
    lock = threading.Lock()

    def worker(seed: int) -> None:
        rng = random.Random(seed)
        barrier.wait()
        for _ in range(2000):
            with no_grad():
                assert not is_grad_enabled()
                if rng.random() < 0.5:
                    with no_grad():
                        pass
            assert is_grad_enabled()
        with lock:
            after.append(is_grad_enabled() and not Value(1.0).__mul__(2.0).is_leaf)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert after == [True] * 8
    assert is_grad_enabled()


def _train(steps: int, evaluate_in_background: bool) -> list[float]:
    """A hand-written SGD loop on y = 3x - 1; optionally a thread evaluates under no_grad meanwhile."""
    w, b = Value(0.5), Value(0.0)
    data = [(x / 10, 3 * x / 10 - 1) for x in range(-10, 11)]
    stop = threading.Event()

    def evaluator() -> None:
        while not stop.is_set():
            with no_grad():
                sum((w * x + b - y) ** 2 for x, y in data)

    thread = threading.Thread(target=evaluator)
    if evaluate_in_background:
        thread.start()
    losses = []
    try:
        for _ in range(steps):
            loss = sum(((w * x + b - y) ** 2 for x, y in data), Value(0.0)) / len(data)
            w.grad = b.grad = 0.0
            loss.backward()
            with no_grad():
                w.data -= 0.1 * w.grad
                b.data -= 0.1 * b.grad
            losses.append(loss.data)
    finally:
        stop.set()
        if evaluate_in_background:
            thread.join()
    return losses


def test_evaluating_in_another_thread_leaves_training_identical():
    alone = _train(60, evaluate_in_background=False)
    beside = _train(60, evaluate_in_background=True)
    assert beside == alone
    assert alone[-1] < 1e-3 * alone[0]


def test_no_grad_in_one_asyncio_task_does_not_stop_recording_in_another():
    async def evaluate(started: asyncio.Event, release: asyncio.Event) -> bool:
        with no_grad():
            started.set()
            await release.wait()
            return is_grad_enabled()

    async def main() -> tuple[bool, bool]:
        started, release = asyncio.Event(), asyncio.Event()
        task = asyncio.create_task(evaluate(started, release))
        await started.wait()
        recorded = not (Value(2.0) * 3.0).is_leaf
        release.set()
        return recorded, await task

    recorded, inside = asyncio.run(main())
    assert recorded and not inside

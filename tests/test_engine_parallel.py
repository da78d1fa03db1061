"""Data-parallel steps: the same gradients as one worker, deterministic, BN stats averaged."""

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_info

from digitapp.engine import Dense, ReLU, Sequential, SoftmaxCrossEntropy, TrainConfig, train
from digitapp.engine.conv import Conv2D
from digitapp.engine.layers import Flatten
from digitapp.engine.norm import BatchNorm
from digitapp.engine.parallel import DataParallelStep, ParallelPredictor
from digitapp.engine.pooling import MaxPool2D


def cnn(seed=0, batchnorm=False):
    layers = [Conv2D(4, 3)] + ([BatchNorm()] if batchnorm else []) + [
        ReLU(), MaxPool2D(2), Flatten(), Dense(16), ReLU(), Dense(10)]
    return Sequential(layers, (8, 8, 1), seed=seed, dtype=np.float64)


def test_split_batch_gives_the_single_worker_gradient():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((13, 8, 8, 1))  # odd size: slices of 6 and 7
    y = rng.integers(0, 10, 13)
    one, two = cnn(), cnn()
    loss_fn = SoftmaxCrossEntropy()
    loss1, grad = loss_fn.loss_and_grad(one.forward(x, training=True), y)
    one.backward(grad)
    step = DataParallelStep(two, workers=3)
    loss2, correct = step(x, y)
    step.close()
    np.testing.assert_allclose(two.params.grads, one.params.grads, rtol=1e-10, atol=1e-12)
    assert loss2 == np.float64(loss2) and abs(loss2 - loss1) < 1e-10
    assert correct == int(np.sum(one.forward(x).argmax(1) == y))


def test_batchnorm_running_statistics_are_averaged_over_the_slices():
    rng = np.random.default_rng(1)
    model = cnn(batchnorm=True)
    x = rng.standard_normal((8, 8, 8, 1)) * 3 + 2
    step = DataParallelStep(model, workers=2)
    step(x, rng.integers(0, 10, 8))
    step.close()
    halves = []
    for part in (x[:4], x[4:]):
        ref = cnn(batchnorm=True)
        ref.forward(part, training=True)
        halves.append(ref.layers[1].buffers["running_mean"].copy())
    np.testing.assert_allclose(model.layers[1].buffers["running_mean"], np.mean(halves, axis=0))


def test_parallel_training_is_deterministic_and_learns():
    rng = np.random.default_rng(2)
    x = rng.standard_normal((200, 8, 8, 1)).astype(np.float32)
    y = (x[:, :4].sum(axis=(1, 2, 3)) > 0).astype(np.int64)  # a learnable rule
    runs = []
    for _ in range(2):
        model = Sequential.from_config(cnn(batchnorm=True).config(), seed=5)
        events = list(train(model, x, y, x[:50], y[:50],
                            TrainConfig(epochs=15, batch_size=32, lr=3e-3, workers=2, seed=5)))
        runs.append(model.get_flat())
    assert np.array_equal(runs[0], runs[1])
    assert events[-1].best_val_accuracy > 0.8


def test_parallel_predictor_agrees_with_the_model():
    model = cnn(seed=4, batchnorm=True)
    rng = np.random.default_rng(4)
    # Running statistics that are not the initial ones: the replicas must use them too.
    model.forward(rng.standard_normal((32, 8, 8, 1)) * 3 + 1, training=True)
    x = rng.standard_normal((7, 8, 8, 1))
    with ParallelPredictor(model, 2) as predictor:
        np.testing.assert_allclose(predictor.predict_proba(x), model.predict_proba(x),
                                   rtol=1e-12)
        hidden = 6  # the ReLU after the 16-unit dense layer
        np.testing.assert_allclose(predictor.activations(x, hidden),
                                   model.activations(x, hidden), rtol=1e-12)
        assert predictor.predict_proba(x[:1]).shape == (1, 10)  # fewer images than threads


FORCED_TWO = "DIGITAPP_TEST_BLAS_TWO"  # set in the process started with two BLAS threads


def blas_threads() -> int:
    """Return the BLAS thread count in force now (the largest, if NumPy loaded several)."""
    return max(lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas")


def test_replicas_hold_one_blas_thread_while_they_run_and_restore_it_after():
    before = blas_threads()
    if before < 2 and not os.environ.get(FORCED_TWO):
        # BLAS runs one thread here: nothing to tell apart, so the same test runs in a
        # process whose BLAS starts with two (never skipped: it guards the replica rule).
        env = {**os.environ, FORCED_TWO: "1", "OPENBLAS_NUM_THREADS": "2",
               "OMP_NUM_THREADS": "2", "MKL_NUM_THREADS": "2"}
        test = f"{__file__}::test_replicas_hold_one_blas_thread_while_they_run_and_restore_it_after"
        done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                               test], env=env, capture_output=True, text=True, timeout=120,
                              cwd=Path(__file__).parent.parent)
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
        assert "1 passed" in done.stdout, done.stdout[-3000:]
        return
    assert before >= 2, before  # the forced process really starts with two
    rng = np.random.default_rng(6)
    x = rng.standard_normal((64, 8, 8, 1)).astype(np.float32)
    y = rng.integers(0, 10, 64)
    model = Sequential.from_config(cnn().config(), seed=6)
    # The caller does nothing about BLAS: the trainer's replica runner holds the limit.
    seen = [blas_threads() for event in train(model, x, y, x[:8], y[:8],
                                              TrainConfig(epochs=2, batch_size=16, workers=2))]
    assert seen and set(seen) == {1}
    assert blas_threads() == before
    with ParallelPredictor(model, 2) as predictor:
        predictor.predict_proba(x)
        assert blas_threads() == 1
    assert blas_threads() == before
    # One replica runs no threads of its own: BLAS keeps the library's count.
    with ParallelPredictor(model, 1) as predictor:
        predictor.predict_proba(x)
        assert blas_threads() == before

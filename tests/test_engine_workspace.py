"""Scratch memory reused between training batches must never leak one batch into the next."""

import numpy as np

from digitapp.engine import Control, Sequential, TrainConfig, train
from digitapp.engine.conv import Conv2D
from digitapp.engine.workspace import Workspace


def built(layer, shape, seed=0):
    layer.build(shape, np.random.default_rng(seed), np.float32)
    return layer


def forward_backward(layer, x, grad):
    y = layer.forward(x.copy(), training=True)
    dx = layer.backward(grad.copy())
    return y, dx, layer.grads["W"].copy(), layer.grads["b"].copy()


def test_workspace_gives_the_same_memory_for_the_same_shape_only():
    ws = Workspace()
    a = ws.empty("cols", (4, 3), np.float32)
    assert ws.empty("cols", (4, 3), np.float32) is a
    assert ws.empty("cols", (2, 3), np.float32) is not a
    assert ws.empty("cols", (4, 3), np.float64) is not a
    assert ws.zeros("pad", (2, 2), np.float32).sum() == 0
    ws.clear()
    assert ws.nbytes() == 0


def test_a_reused_conv_workspace_gives_the_results_of_a_fresh_layer():
    rng = np.random.default_rng(0)
    for channels, kernel in ((1, 5), (3, 3)):
        shape = (9, 8, channels)
        x1, x2 = (rng.standard_normal((4,) + shape).astype(np.float32) for _ in range(2))
        grad = rng.standard_normal((4, 9, 8, 6)).astype(np.float32)
        used = built(Conv2D(6, kernel), shape)
        forward_backward(used, x1 * 100, grad * 100)  # leaves large values in its scratch
        fresh = built(Conv2D(6, kernel), shape)
        for a, b in zip(forward_backward(used, x2, grad), forward_backward(fresh, x2, grad),
                        strict=True):
            np.testing.assert_array_equal(a, b)
        assert used.workspace.nbytes() > 0


def test_training_drops_the_scratch_memory_when_it_ends():
    model = Sequential.from_config({"input_shape": [8, 8, 1], "layers": [
        {"type": "conv2d", "filters": 4, "kernel": 3, "padding": "same"},
        {"type": "relu"}, {"type": "flatten"}, {"type": "dense", "units": 3}]})
    rng = np.random.default_rng(1)
    x = rng.standard_normal((40, 8, 8, 1)).astype(np.float32)
    y = rng.integers(0, 3, 40)
    events = list(train(model, x, y, x[:0], y[:0], TrainConfig(epochs=1, batch_size=16),
                        Control()))
    assert type(events[-1]).__name__ == "Finished"
    assert model.layers[0].workspace.nbytes() == 0

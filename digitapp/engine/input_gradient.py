"""The gradient of a model's logits with respect to its inputs, at inference.

Saliency asks how each pixel moves a class's logit in the model as it predicts: dropout
off, BatchNorm with its running statistics. The layers' own backward passes compute it;
this module only runs them forward so that each keeps what its backward needs, without
changing the model:

1. A layer that is a per-feature affine map at inference (Layer.inference_affine:
   BatchNorm with running statistics, Dropout as the identity) runs its inference forward,
   and the gradient goes back as grad * scale. Its own backward would differentiate the
   batch statistics (BatchNorm) or a random mask (Dropout), and its training forward would
   move the running statistics.
2. Every other layer runs forward(training=True), which computes the inference output and
   keeps what backward needs (inputs, masks, patches), then backward(need_input_grad=True).
3. Backward writes the parameters' gradients into the model's flat gradient buffer as a
   side effect; the buffer is put back as it was, so a training run sees nothing.

Not thread-safe on one model: the layers' caches are the model's. Run it on the thread that
predicts with this model, or on a copy.
"""

from __future__ import annotations

import numpy as np

from .model import Sequential, execution_order


def input_gradient(model: Sequential, x: np.ndarray,
                   grad_logits: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return (logits (N, K), dx (N, *input_shape)) for inputs x (N, *input_shape), where
    dx = sum over k of grad_logits[:, k] * d logits[:, k] / dx (grad_logits (N, K): one-hot
    rows give the gradient of one class's logit; the temperature is not applied).

    The logits are the model's inference logits (model.forward(x, training=False)).
    """
    x = np.array(x, dtype=model.dtype, copy=True)  # layers may work in place (ReLU)
    order = execution_order(model.layers)
    saved_grads = model.params.grads.copy()  # (P,): backward overwrites it
    scales: dict[int, np.ndarray] = {}  # layer index -> its inference scale (step 1)
    try:
        for index in order:
            layer = model.layers[index]
            affine = layer.inference_affine()
            if affine is None:
                x = layer.forward(x, training=True)
            else:
                scales[index] = affine[0]
                x = layer.forward(x, training=False)
        logits = x.copy()  # the caller's grad may not be ours to overwrite, nor x
        grad = np.array(grad_logits, dtype=model.dtype, copy=True)
        if grad.shape != logits.shape:
            raise ValueError(f"grad_logits has shape {grad.shape}, the logits {logits.shape}")
        for index in reversed(order):
            if index in scales:
                grad = grad * scales[index]  # (N, ..., C) * (C,): d(x*scale+shift)/dx
            else:
                grad = model.layers[index].backward(grad, need_input_grad=True)
    finally:
        model.params.grads[...] = saved_grads
    return logits, grad

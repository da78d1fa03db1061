"""Softmax, cross-entropy with its fused gradient, and the L2 penalty."""

from __future__ import annotations

import numpy as np


def softmax(logits: np.ndarray) -> np.ndarray:
    """Return row-wise probabilities for logits (N, K); stable for any finite logits.

    Subtracting each row's max leaves the result unchanged and keeps exp() <= 1.
    """
    z = logits - logits.max(axis=1, keepdims=True)
    np.exp(z, out=z)
    z /= z.sum(axis=1, keepdims=True)
    return z


def log_softmax(logits: np.ndarray) -> np.ndarray:
    """Return log(softmax(logits)) for (N, K) without forming tiny probabilities first."""
    z = logits - logits.max(axis=1, keepdims=True)
    z -= np.log(np.exp(z).sum(axis=1, keepdims=True))
    return z


class SoftmaxCrossEntropy:
    """Mean cross-entropy of softmax(logits) against integer labels, with the fused gradient.

    Notes
    -----
    L = -1/N sum_i log p_i[y_i] with p = softmax(z). Its gradient with respect to the logits
    is (p - onehot(y)) / N: computing it from the probabilities avoids differentiating
    through exp and log separately, which is both cheaper and numerically stable.
    """

    def loss_and_grad(self, logits: np.ndarray, labels: np.ndarray) -> tuple[float, np.ndarray]:
        """Return (mean loss, dL/dlogits (N, K)) for logits (N, K) and labels (N,)."""
        n = logits.shape[0]
        rows = np.arange(n)
        log_p = log_softmax(logits)
        loss = -float(log_p[rows, labels].mean())
        grad = np.exp(log_p, out=log_p)  # probabilities, reusing the buffer
        grad[rows, labels] -= 1.0
        grad *= 1.0 / n
        return loss, grad

    def loss(self, logits: np.ndarray, labels: np.ndarray) -> float:
        log_p = log_softmax(logits)
        return -float(log_p[np.arange(logits.shape[0]), labels].mean())


def l2_penalty(weights: list[np.ndarray], lam: float, batch_size: int) -> float:
    """Return the seed's L2 term lam / (2 m) * sum ||W||^2 over the weight matrices.

    Its gradient with respect to each W is lam / m * W (added by the trainer).
    """
    if lam == 0.0:
        return 0.0
    total = sum(float(np.vdot(w, w)) for w in weights)
    return lam / (2.0 * batch_size) * total

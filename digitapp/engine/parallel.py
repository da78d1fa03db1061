"""Data parallelism on one machine: a batch split across model replicas in threads.

NumPy releases the GIL inside its array loops and BLAS calls, so two Python threads each
running forward/backward on half a batch keep two cores busy through *every* operation
(im2col copies, BatchNorm, pooling, ReLU), not only the matrix products that a
multi-threaded BLAS would parallelise. Each replica then uses one BLAS thread, or the
replicas fight over OpenBLAS's pool (15-20x slower on 2 cores): the replica runner holds
that limit itself (engine/blas.py) from its creation until `close`, so no caller can
forget it.

Replicas share the master model's parameter arrays (read-only during the step) and write
their own gradient buffers; the master sums them, weighted by slice size. BatchNorm layers
see per-slice statistics ("ghost batches"), and their running averages are averaged.
"""

from __future__ import annotations

import weakref
from concurrent.futures import ThreadPoolExecutor
from itertools import pairwise

import numpy as np

from .blas import BLAS
from .losses import SoftmaxCrossEntropy
from .model import Sequential


def replica_of(model: Sequential, index: int) -> Sequential:
    """Return a model whose layers use `model`'s parameter arrays, with its own gradients,
    buffers and activations (and dropout masks seeded differently)."""
    replica = Sequential.from_config(model.config(), seed=model.seed + 7919 * index,
                                     dtype=model.dtype)
    master = model.params
    for slot in master.slots:
        replica.layers[slot.layer].params[slot.key] = master.view(master.values, slot)
    replica.params.buffers[...] = master.buffers
    replica.temperature = model.temperature  # same probabilities as the model itself
    return replica


class _ReplicaThreads:
    """`workers` replicas of a model (the first is the model itself) and the threads that
    run them: work on contiguous slices of a batch, the first slice in the caller's thread.

    With more than one replica, the process's BLAS runs one thread from here until `close`
    (or until this object is collected, if nobody closes it).
    """

    def __init__(self, model: Sequential, workers: int) -> None:
        if workers < 1:
            raise ValueError("workers must be >= 1")
        self.model = model
        self.replicas = [model] + [replica_of(model, i) for i in range(1, workers)]
        self._pool = ThreadPoolExecutor(workers - 1) if workers > 1 else None
        self._blas_hold = (weakref.finalize(self, BLAS.release, BLAS.request(1))
                           if workers > 1 else None)  # calling it releases, once

    def _bounds(self, n: int) -> list[int]:
        """Return the slice boundaries of n items over min(workers, n) replicas."""
        k = max(min(len(self.replicas), n), 1)
        return [n * i // k for i in range(k + 1)]

    def _each(self, work, jobs: list[tuple]) -> list:
        """Return [work(replica i, *jobs[i])], run at once on the replicas' threads."""
        futures = [self._pool.submit(work, self.replicas[i], *job)
                   for i, job in enumerate(jobs) if i > 0]
        return [work(self.replicas[0], *jobs[0])] + [f.result() for f in futures]

    def close(self) -> None:
        """Stop the threads and drop the replicas' scratch memory (the model stays usable)."""
        for replica in self.replicas:
            replica.release_workspaces()
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None
        if self._blas_hold is not None:
            self._blas_hold()  # the threads are gone: BLAS may use more threads again

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class DataParallelStep(_ReplicaThreads):
    """Forward + loss + backward of a batch on `workers` replicas; gradients land in model."""

    def __init__(self, model: Sequential, workers: int) -> None:
        super().__init__(model, workers)
        self.loss_fn = SoftmaxCrossEntropy()

    def __call__(self, x: np.ndarray, y: np.ndarray) -> tuple[float, int]:
        """Fill model.params.grads for batch (x, y); return (mean loss, correct count)."""
        n = len(x)
        bounds = self._bounds(n)
        jobs = [(x[lo:hi], y[lo:hi], (hi - lo) / n) for lo, hi in pairwise(bounds)]
        results = self._each(self._work, jobs)
        used = self.replicas[: len(jobs)]
        master = self.model.params
        for replica in used[1:]:
            master.grads += replica.params.grads
        if len(used) > 1 and master.buffers.size:
            # Running statistics: the average over the slices, then every replica agrees.
            master.buffers[...] = np.mean([r.params.buffers for r in used], axis=0)
            for replica in self.replicas[1:]:
                replica.params.buffers[...] = master.buffers
        return sum(loss for loss, _ in results), sum(correct for _, correct in results)

    def _work(self, replica: Sequential, x, y, weight: float) -> tuple[float, int]:
        logits = replica.forward(x, training=True)
        correct = int(np.count_nonzero(logits.argmax(axis=1) == y))
        loss, grad = self.loss_fn.loss_and_grad(logits, y)
        grad *= weight  # each slice's mean loss counts by its share of the batch
        replica.backward(grad)
        return loss * weight, correct


class ParallelPredictor(_ReplicaThreads):
    """Inference split across `workers` threads, each on a replica sharing the weights.

    For long evaluations (a CNN on the 10,000 test images: 2.1 s on one core): each call
    cuts its images into `workers` contiguous slices and runs them at once, each with one
    BLAS thread, as for training.
    """

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        """Return class probabilities (N, K) for inputs (N, *input_shape)."""
        return self._split(x, lambda replica, part: replica.predict_proba(part))

    def activations(self, x: np.ndarray, upto: int) -> np.ndarray:
        """Return the output of layer `upto` (inference mode) for inputs (N, ...)."""
        return self._split(x, lambda replica, part: replica.activations(part, upto))

    def _split(self, x, work):
        bounds = self._bounds(len(x))
        parts = [(x[lo:hi],) for lo, hi in pairwise(bounds)]
        return np.concatenate(self._each(work, parts))

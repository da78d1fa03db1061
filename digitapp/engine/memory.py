"""How much memory training a model takes, worked out from its architecture alone.

`training_memory(config, batch_size, ...)` walks the layers' plans (output shapes and
stored values, see Layer.plan) and counts, in bytes, what a training run keeps alive:

- parameters: weights and buffers, their gradients, the optimizer's state (Adam: 2 more
  copies, SGD: 1), the trainer's snapshots (best epoch, last good epoch, the new one) and,
  for each extra worker, a replica's own parameter and gradient arrays;
- activations of one batch: every layer's output and cache kept from forward to backward
  (im2col patches and padded images for convolutions, masks for dropout and pooling),
  plus the largest transient of one layer's backward pass; each layer type states its
  own in `Layer.activation_values`.

Nothing is allocated, so a network asking for 100 GB is refused in microseconds. The
figures follow the layers' code in this package; the test suite checks the estimate
against what NumPy actually allocates (within a factor of 2).
"""

from __future__ import annotations

from dataclasses import dataclass

from .layers import count_values, layer_from_config

ITEM = 4  # bytes per float32 value


@dataclass(frozen=True)
class TrainingMemory:
    parameters: int  # bytes: weights, gradients, optimizer state, snapshots, replicas
    activations: int  # bytes: one batch's forward caches and backward peak

    @property
    def total(self) -> int:
        return self.parameters + self.activations


def training_memory(config: dict, batch_size: int, optimizer: str = "adam", workers: int = 1,
                    weight_decay: bool = False) -> TrainingMemory:
    """Return the bytes a run training the architecture `config` needs (float32).

    config: {"input_shape": [...], "layers": [...]} as Sequential.from_config takes it.
    Raise ValueError if the layers do not fit together.
    """
    shape = tuple(int(d) for d in config["input_shape"])
    stored = 0  # parameters and buffers, values
    largest = 0  # the largest layer's stored values (build makes it twice, in float64)
    kept = 0  # values per example alive from forward to backward
    peak = 0  # values per example of the largest transient of one layer
    for layer_config in config["layers"]:
        layer = layer_from_config(layer_config)
        out, values, _ = layer.plan(shape)
        stored += values
        largest = max(largest, values)
        layer_kept, transient = layer.activation_values(shape, out)
        kept += layer_kept
        # Backward of this layer: the incoming gradient (out), the outgoing one (in) and
        # the layer's own temporaries.
        peak = max(peak, count_values(shape) + count_values(out) + transient)
        shape = out
    # The batch itself (the slice of the training set, and augmentation's copy) and the
    # loss's softmax and gradient.
    inputs = 2 * count_values(config["input_shape"]) + 2 * count_values(shape)
    activations = ITEM * batch_size * (kept + peak + inputs)

    state = {"adam": 2, "sgd": 1}.get(optimizer, 2)
    decay = 2 if weight_decay else 0  # decay mask and one temporary product per step
    # values + gradients, optimizer state, 3 snapshots (get_flat copies), decay arrays
    steady = stored * (2 + state + 3 + decay)
    # Building: each layer's arrays and gradients, then their flat copies; the largest
    # layer's initial weights are drawn in float64 first.
    building = 4 * stored + 3 * largest
    replicas = (workers - 1) * 2 * stored  # each extra worker: its own values and grads
    return TrainingMemory(ITEM * (max(steady, building) + replicas), activations)


"""One flat buffer for all of a model's parameters (and one for their gradients).

Optimizers then update every parameter with a handful of whole-buffer NumPy operations
instead of a loop of small ones per array: the Adam step over the 407,050 parameters of a
784-512-10 MLP becomes ~10 passes over one contiguous float32 array.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class ParamSlot:
    """Where one named parameter lives in the flat buffer."""

    name: str  # e.g. "layers.0.W"
    layer: int
    key: str  # the layer's own name for it: "W" or "b"
    start: int
    shape: tuple[int, ...]
    decays: bool = False  # weight decay and L2 apply (the layer said so: Layer.add_parameter)

    @property
    def size(self) -> int:
        return int(np.prod(self.shape, dtype=np.int64))


class FlatParameters:
    """All parameters of a list of layers as views into `values`; gradients into `grads`.

    After construction, each layer's `params[key]` and `grads[key]` are views into the two
    flat arrays, so writing a layer's gradient in place fills the optimizer's input.
    """

    def __init__(self, layers, dtype) -> None:
        self.slots, self.values = _flatten(layers, "params", dtype)
        self.grads = np.zeros_like(self.values)
        for slot in self.slots:
            layers[slot.layer].grads[slot.key] = self.view(self.grads, slot)
        # Non-trained state (BatchNorm running statistics) gets a flat array of its own.
        self.buffer_slots, self.buffers = _flatten(layers, "buffers", dtype)
        # 1 where weight decay applies (weights), 0 elsewhere (biases); built lazily.
        self._decay_mask: np.ndarray | None = None

    @staticmethod
    def view(flat: np.ndarray, slot: ParamSlot) -> np.ndarray:
        return flat[slot.start : slot.start + slot.size].reshape(slot.shape)

    @property
    def size(self) -> int:
        return int(self.values.size)

    def named(self) -> dict[str, np.ndarray]:
        """Return {name: view} for every parameter (views: writing them writes the model)."""
        return {slot.name: self.view(self.values, slot) for slot in self.slots}

    def named_buffers(self) -> dict[str, np.ndarray]:
        """Return {name: view} for every buffer (saved with the model, not trained)."""
        return {slot.name: self.view(self.buffers, slot) for slot in self.buffer_slots}

    def decayed_slots(self) -> list[ParamSlot]:
        """Return the slots of the parameters weight decay and L2 apply to (the weights)."""
        return [slot for slot in self.slots if slot.decays]

    def decay_mask(self) -> np.ndarray:
        """Return a flat 0/1 array marking the parameters weight decay applies to."""
        if self._decay_mask is None:
            mask = np.zeros_like(self.values)
            for slot in self.decayed_slots():
                mask[slot.start : slot.start + slot.size] = 1
            self._decay_mask = mask
        return self._decay_mask


def _flatten(layers, attribute: str, dtype) -> tuple[tuple[ParamSlot, ...], np.ndarray]:
    """Copy every layer's `attribute` dict ("params" or "buffers") into one flat array.

    Return (slots, flat) and rebind each layer's arrays to views into `flat`.
    """
    slots = []
    start = 0
    for index, layer in enumerate(layers):
        for key, array in getattr(layer, attribute).items():
            decays = attribute == "params" and key in layer.decayed
            slots.append(ParamSlot(f"layers.{index}.{key}", index, key, start, array.shape,
                                   decays))
            start += array.size
    flat = np.empty(start, dtype=dtype)
    for slot in slots:
        arrays = getattr(layers[slot.layer], attribute)
        view = FlatParameters.view(flat, slot)
        view[...] = arrays[slot.key]
        arrays[slot.key] = view
    return tuple(slots), flat

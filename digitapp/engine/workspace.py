"""Scratch arrays a layer reuses from one training batch to the next.

A CNN layer's temporaries are large (the patches of a 3x3 convolution over 64 images of
14x14x64 are 29 MB) and have the same shape every batch. Allocating them anew each time
costs page faults (the memory is handed back to the system and faulted in again) and a
zero-fill; keeping them costs their memory while a model trains. Only temporaries belong
here: never an array that is returned to another layer, which might keep it.
"""

from __future__ import annotations

import numpy as np


class Workspace:
    """Named scratch arrays; asking again with the same name and shape gives the same memory."""

    def __init__(self) -> None:
        self._arrays: dict[tuple, np.ndarray] = {}

    def empty(self, name: str, shape: tuple[int, ...], dtype) -> np.ndarray:
        """Return an array of `shape` with whatever it held last time (or garbage)."""
        return self._get(name, tuple(shape), np.dtype(dtype), zeroed=False)

    def zeros(self, name: str, shape: tuple[int, ...], dtype) -> np.ndarray:
        """Return an array of `shape` that was zero when made; callers that write only its
        interior (a padded image) can rely on the border staying zero."""
        return self._get(name, tuple(shape), np.dtype(dtype), zeroed=True)

    def _get(self, name, shape, dtype, zeroed):
        # Keyed by shape too: a training epoch alternates full batches and one smaller last
        # batch, and both stay cached rather than being reallocated every epoch.
        key = (name, shape, dtype.str)
        array = self._arrays.get(key)
        if array is None:
            array = np.zeros(shape, dtype) if zeroed else np.empty(shape, dtype)
            self._arrays[key] = array
        return array

    def clear(self) -> None:
        """Forget every array (their memory goes back when nothing else refers to it)."""
        self._arrays.clear()

    def nbytes(self) -> int:
        return sum(a.nbytes for a in self._arrays.values())

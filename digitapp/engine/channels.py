"""Per-channel vectors applied along per-image rows of NHWC activations.

An activation (N, H, W, C) viewed as rows (N, H*W*C) makes elementwise work one long loop
per image; a per-channel vector (C,) then has to be repeated for each of the H*W
positions. The (N*H*W, C) view would broadcast it directly, but NumPy then loops over C
values at a time (32 or 64 here), which measured up to twice as slow.
"""

from __future__ import annotations

import numpy as np


def tiled(values: np.ndarray, positions: int) -> np.ndarray:
    """Return per-channel values (C,) repeated for `positions` positions: (positions*C,)."""
    return np.tile(values, positions) if positions > 1 else values


def per_channel(sums: np.ndarray, channels: int) -> np.ndarray:
    """Fold per-position sums (positions*C,) into per-channel sums (C,)."""
    return sums.reshape(-1, channels).sum(axis=0) if sums.size > channels else sums

"""Small image filters for preprocessing, in plain NumPy (no SciPy dependency).

All take and return 2-D arrays (H, W) and run in time proportional to H * W whatever the
window size, which keeps preprocessing of a live canvas within a few milliseconds.
"""

from __future__ import annotations

import numpy as np


def reduce_mean(image: np.ndarray, factor: int) -> np.ndarray:
    """Return (ceil(H / f), ceil(W / f)): the mean of each f x f block of image (H, W).

    Edges are padded by repeating the last row/column so the last partial block is not
    darkened. factor <= 1 returns the image itself.
    """
    if factor <= 1:
        return image
    h, w = image.shape
    hh, ww = -(-h // factor), -(-w // factor)
    padded = image
    if (hh * factor, ww * factor) != (h, w):
        padded = np.pad(image, ((0, hh * factor - h), (0, ww * factor - w)), mode="edge")
    # Rows first: the f rows of a block are whole image rows, summed in long loops; then
    # the columns as f strided additions (a reduction over a short last axis of f values
    # was 5x slower for a 2000x2000 photo).
    rows = padded.reshape(hh, factor, ww * factor).sum(axis=1, dtype=np.float32)
    out = rows[:, 0::factor].copy()
    for b in range(1, factor):
        out += rows[:, b::factor]
    out *= np.float32(1.0 / (factor * factor))
    return out


def box_mean3(image: np.ndarray) -> np.ndarray:
    """Return float32 (H, W): the mean over each pixel's 3x3 neighbourhood (zeros outside)."""
    p = np.pad(image.astype(np.float32, copy=False), 1)
    rows = p[:, :-2] + p[:, 1:-1]
    rows += p[:, 2:]  # (H + 2, W): sums over three columns
    out = rows[:-2] + rows[1:-1]
    out += rows[2:]
    out *= np.float32(1.0 / 9.0)
    return out


def box_any(mask: np.ndarray, radius: int) -> np.ndarray:
    """Return bool (H, W): True where any pixel within `radius` (a square window) is True.

    A binary dilation by a (2r + 1) x (2r + 1) square, separable into rows and columns.
    Each pass ORs the mask with shifted copies of itself and doubles the reach covered so
    far (1, 3, 7, ... pixels), so a radius r takes about log2(r) cheap boolean passes.
    """
    out = mask.astype(bool)  # a copy
    for axis in (0, 1):
        view = out if axis == 0 else out.T
        reach = 0
        while reach < radius:
            step = min(reach + 1, radius - reach)
            # NumPy buffers overlapping operands, so each line reads the array as it was.
            view[step:] |= view[:-step]
            view[:-step] |= view[step:]
            reach += step
    return out

"""Six ways to spoil a digit, each by a growing amount: the axes of the robustness curves.

A Family is a named perturbation with a unit (the axis label), a fixed list of levels in
the order a curve is drawn, and the level that changes nothing ("none"). Its function takes
images (N, 28, 28) float32 in [0, 1], white ink on black as MNIST, a level and a random
generator, and returns new images of the same shape and type, in [0, 1]. Given the same
generator state, the same images come out.

The affine families and stroke thickness reuse training's augmentation
(digitapp/data/augment.py): the same bilinear warp and 3x3 grey filters, so a curve
measures exactly the distortions a model may have been trained on, pushed further.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ..data.augment import affine_matrices, affine_warp, grey_dilate3, grey_erode3

SIDE = 28
Perturb = Callable[[np.ndarray, float, np.random.Generator], np.ndarray]


@dataclass(frozen=True)
class Family:
    """A perturbation and the levels a robustness curve measures it at."""

    name: str  # "noise", "blur", ...
    unit: str  # what a level is, for the curve's x axis
    levels: tuple[float, ...]  # in the order drawn, left to right; includes `none`
    none: float  # the level that leaves images unchanged
    apply: Perturb

    def perturb(self, images: np.ndarray, level: float,
                rng: np.random.Generator) -> np.ndarray:
        """Return images (N, 28, 28) float32 perturbed by `level` (a copy at `none`)."""
        images = np.asarray(images, dtype=np.float32)
        if images.ndim != 3 or images.shape[1:] != (SIDE, SIDE):
            raise ValueError(f"expected images of shape (N, 28, 28), got {images.shape}")
        if level == self.none:
            return images.copy()
        return self.apply(images, float(level), rng)


def add_noise(images: np.ndarray, sd: float, rng: np.random.Generator) -> np.ndarray:
    """Return images plus Gaussian noise of standard deviation `sd` per pixel, clipped."""
    noisy = rng.standard_normal(images.shape, dtype=np.float32)
    noisy *= np.float32(sd)
    noisy += images
    return np.clip(noisy, 0.0, 1.0, out=noisy)


def gaussian_blur(images: np.ndarray, sigma: float,
                  rng: np.random.Generator | None = None) -> np.ndarray:
    """Return images blurred by a Gaussian of `sigma` pixels (black beyond the border).

    Separable: a 1-D kernel of radius ceil(3 sigma) along rows, then along columns, each a
    sum of 2r + 1 shifted, weighted copies (r <= 8 here; no FFT needed at 28x28).
    """
    radius = max(1, math.ceil(3 * sigma))
    taps = np.arange(-radius, radius + 1, dtype=np.float64)
    kernel = np.exp(-taps**2 / (2 * sigma**2))
    kernel = (kernel / kernel.sum()).astype(np.float32)
    padded = np.pad(images, ((0, 0), (radius, radius), (radius, radius)))
    rows = np.zeros((len(images), SIDE + 2 * radius, SIDE), dtype=np.float32)
    for i, w in enumerate(kernel):  # along x: (N, 28 + 2r, 28)
        rows += w * padded[:, :, i:i + SIDE]
    out = np.zeros_like(images, dtype=np.float32)
    for i, w in enumerate(kernel):  # along y: (N, 28, 28)
        out += w * rows[:, i:i + SIDE, :]
    return np.clip(out, 0.0, 1.0, out=out)


def _warp(images: np.ndarray, angle, scale, dx, dy) -> np.ndarray:
    """Return images (N, 28, 28) turned, zoomed about the centre and moved, (N,) each."""
    n = len(images)
    theta = affine_matrices(angle, scale, dx, dy)
    return affine_warp(images.reshape(n, SIDE * SIDE), theta).reshape(n, SIDE, SIDE)


def rotate(images: np.ndarray, degrees: float, rng: np.random.Generator) -> np.ndarray:
    """Return images turned by `degrees`, clockwise or counter-clockwise at random."""
    n = len(images)
    sign = np.where(rng.random(n) < 0.5, -1.0, 1.0)
    return _warp(images, sign * degrees, np.ones(n), np.zeros(n), np.zeros(n))


def shift(images: np.ndarray, pixels: float, rng: np.random.Generator) -> np.ndarray:
    """Return images moved by `pixels` in a random direction (uniform over the circle)."""
    n = len(images)
    direction = rng.random(n) * (2 * math.pi)
    return _warp(images, np.zeros(n), np.ones(n),
                 pixels * np.cos(direction), pixels * np.sin(direction))


def rescale(images: np.ndarray, factor: float, rng: np.random.Generator) -> np.ndarray:
    """Return images zoomed by `factor` about the centre (< 1 smaller, > 1 larger)."""
    n = len(images)
    return _warp(images, np.zeros(n), np.full(n, factor), np.zeros(n), np.zeros(n))


def thicken(images: np.ndarray, steps: float, rng: np.random.Generator) -> np.ndarray:
    """Return images with strokes grown (steps > 0, 3x3 dilations) or thinned (steps < 0,
    3x3 cross erosions), |steps| times."""
    out = images
    grow = steps > 0
    for _ in range(abs(int(round(steps)))):
        out = grey_dilate3(out) if grow else grey_erode3(out)
    return out


# The levels: from untouched to clearly hard for a person too (a 60-degree turn makes 6
# and 9 or 2 and 7 ambiguous; an 8-px shift puts part of a 20-px digit off the field).
FAMILIES: tuple[Family, ...] = (
    Family("noise", "Gaussian noise, standard deviation (pixel values 0-1)",
           (0.0, 0.1, 0.2, 0.3, 0.4, 0.5), 0.0, add_noise),
    Family("blur", "Gaussian blur, sigma (pixels)",
           (0.0, 0.5, 1.0, 1.5, 2.0, 2.5), 0.0, gaussian_blur),
    Family("rotation", "rotation either way (degrees)",
           (0.0, 10.0, 20.0, 30.0, 40.0, 50.0, 60.0), 0.0, rotate),
    Family("shift", "shift in a random direction (pixels)",
           (0.0, 1.0, 2.0, 3.0, 4.0, 6.0, 8.0), 0.0, shift),
    Family("thickness", "stroke thickness, 3x3 steps (- thinner, + thicker)",
           (-2.0, -1.0, 0.0, 1.0, 2.0, 3.0), 0.0, thicken),
    Family("scale", "scale about the centre (factor, 1 = unchanged)",
           (0.4, 0.6, 0.8, 1.0, 1.2, 1.4, 1.6), 1.0, rescale),
)


def family(name: str) -> Family:
    """Return the family called `name`; ValueError naming the choices otherwise."""
    for f in FAMILIES:
        if f.name == name:
            return f
    raise ValueError(f"no perturbation {name!r}; choose from "
                     + ", ".join(f.name for f in FAMILIES))

"""A straight line leaning further over than anyone's 1 is not a digit.

At 28x28 a lone straight stroke is a 1 whatever its angle, so the not-a-digit check (a
network that sees only the 28x28 image) lets through a backslash or a diagonal line drawn
at 45 degrees: it has seen slanted 1s. Written 1s lean within a narrow range, and mostly
forwards ('/'). This names what lies outside it, from the ink's second moments:

    elongation = sqrt(minor / major eigenvalue) of the ink's covariance: 0 for a thin
                 straight line, ~0.16 for MNIST's median 1, 1 for a round blob;
    lean       = the major axis's angle from vertical, degrees, positive for '/'.

A drawing is a leaning line when its elongation is under ELONGATION_MAX and it leans more
than FORWARD_DEGREES forwards or BACKWARD_DEGREES backwards (horizontal lines included).
The limits were read off training digits only (tools/leaning_line_limits.py prints the
table): MNIST's 60,000 training digits and the not-a-digit check's own training stroke
digits. Beyond 48 degrees forwards lie 4 MNIST training digits (0.007%, all 1s) and 0.04%
of the stroke digits; beyond 35 degrees backwards 2 MNIST digits (0.003%) and 0.26% of the
stroke digits, whose generator leans 1s backwards far more often than MNIST's writers do
(30 degrees would have taken 0.36% of them). The idea came from the held-out non-digits
that v6 of the check let through (README, "Not a digit"); no limit was tuned on them.
"""

from __future__ import annotations

import numpy as np

ELONGATION_MAX = 0.2
FORWARD_DEGREES = 48.0
BACKWARD_DEGREES = 35.0

_ROWS, _COLUMNS = (grid.ravel() for grid in np.mgrid[0:28, 0:28].astype(np.float64))
# Per pixel (784, 5): x, y, x*x, y*y, x*y, so one product gives every image's moments.
_MOMENTS = np.stack([_COLUMNS, _ROWS, _COLUMNS**2, _ROWS**2, _COLUMNS * _ROWS], axis=1)


def ink_axes(images28: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return (elongation, lean in degrees), each (N,), for images (N, 28, 28) or (N, 784)
    with ink > 0. An image without ink gets elongation 1 (a blob: never a line) and lean 0."""
    ink = np.asarray(images28, np.float64).reshape(-1, 28 * 28).clip(0, None)
    total = ink.sum(axis=1)
    has_ink = total > 0
    x, y, xx, yy, xy = (ink @ _MOMENTS / np.where(has_ink, total, 1.0)[:, None]).T
    cxx, cyy, cxy = xx - x * x, yy - y * y, xy - x * y  # the ink's covariance
    half_trace = (cxx + cyy) / 2
    spread = np.sqrt(np.maximum(half_trace**2 - (cxx * cyy - cxy**2), 0.0))
    major, minor = half_trace + spread, np.maximum(half_trace - spread, 0.0)
    line_like = has_ink & (major > 0)
    elongation = np.ones_like(total)
    elongation[line_like] = np.sqrt(minor[line_like] / major[line_like])
    # Rows grow downwards, so a '/' has cxy < 0; its axis is -atan2(2 cxy, cyy - cxx) / 2
    # from vertical.
    lean = np.where(has_ink, -0.5 * np.degrees(np.arctan2(2 * cxy, cyy - cxx)), 0.0)
    return elongation, lean


def leaning_lines(images28: np.ndarray) -> np.ndarray:
    """Return (N,) bool: True for a straight line leaning beyond what a written 1 does."""
    elongation, lean = ink_axes(images28)
    return (elongation < ELONGATION_MAX) & ((lean > FORWARD_DEGREES) | (lean < -BACKWARD_DEGREES))

"""The views the not-a-digit check reads of each image: the image itself, and copies of it a
little turned, zoomed and slanted.

A digit stays a digit when it is turned by 10 degrees or drawn 10% larger, and the check's
network (trained with exactly such augmentation) keeps saying so. A shape it has never seen,
on the edge between "a 7" and "not a digit", tips one way in one copy and the other way in
another. Averaging the network's log-odds of "not a digit" over the views therefore moves
digits and such shapes apart: on the check's held-back training digits and the looked-at
held-out drawings, seven views declined 2-3.5 points more non-digits than one view at the
same share of digits declined (README, "Not a digit").

A view is (degrees, scale, shear): turned by `degrees` (counter-clockwise on screen),
zoomed by `scale` about the centre, slanted by `shear` (x' = x + shear * y). The views a
check uses are stored with it ("views" in its model.json): its threshold was chosen for
them (tools/assemble_not_a_digit.py).
"""

from __future__ import annotations

import functools
import math

import numpy as np

from ..data.augment import affine_matrices, affine_warp, with_slant

View = tuple[float, float, float]  # (degrees, scale, shear)
IDENTITY: View = (0.0, 1.0, 0.0)
# The views tools/assemble_not_a_digit.py gives a check unless told otherwise.
TURNED_ZOOMED_SLANTED: tuple[View, ...] = (
    IDENTITY, (10.0, 1.0, 0.0), (-10.0, 1.0, 0.0), (0.0, 1.1, 0.0), (0.0, 0.9, 0.0),
    (0.0, 1.0, 0.2), (0.0, 1.0, -0.2))

MAX_VIEWS = 16
# What a stored view may ask for: small changes only (a digit must stay the same digit).
MAX_DEGREES, SCALES, MAX_SHEAR = 30.0, (0.7, 1.3), 0.5


def parse_views(value) -> tuple[View, ...]:
    """Return the views a check's manifest records; raise ValueError (one line) if they are
    not 1..MAX_VIEWS triples of finite numbers within the limits above."""
    if not isinstance(value, list) or not 1 <= len(value) <= MAX_VIEWS:
        raise ValueError(f"views must be a list of 1 to {MAX_VIEWS} views")
    views = []
    for view in value:
        if not isinstance(view, list) or len(view) != 3 or not all(
                isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)
                for v in view):
            raise ValueError("a view must be three numbers: degrees, scale, shear")
        degrees, scale, shear = (float(v) for v in view)
        if abs(degrees) > MAX_DEGREES or not SCALES[0] <= scale <= SCALES[1] \
                or abs(shear) > MAX_SHEAR:
            raise ValueError(f"a view is out of range: {degrees:g} degrees, scale {scale:g}, "
                             f"shear {shear:g}")
        views.append((degrees, scale, shear))
    return tuple(views)


def viewed(images28: np.ndarray, views: tuple[View, ...]) -> np.ndarray:
    """Return float32 (len(views) * N, 28, 28): every view of images (N, 28, 28) or
    (N, 784), view after view (rows v * N .. v * N + N - 1 are view v). The identity view
    is the images themselves, not resampled. The other views are warped in one call,
    through maps made once per set of views: for a single drawing, six warps and their maps
    made each time took 0.5 ms, this 0.16 ms."""
    flat = np.asarray(images28, np.float32).reshape(-1, 28 * 28)
    n = len(flat)
    out = np.empty((len(views), n, 28 * 28), np.float32)
    warped = [v for v, view in enumerate(views) if view != IDENTITY]
    for v, view in enumerate(views):
        if view == IDENTITY:
            out[v] = flat
    if warped:
        theta = np.repeat(_inverse_maps(tuple(views[v] for v in warped)), n, axis=0)
        out[warped] = affine_warp(np.tile(flat, (len(warped), 1)), theta).reshape(
            len(warped), n, 28 * 28)
    return out.reshape(len(views) * n, 28, 28)


@functools.lru_cache(maxsize=8)
def _inverse_maps(views: tuple[View, ...]) -> np.ndarray:
    """(V, 2, 3) float32: the inverse maps affine_warp reads the views through (read-only:
    the cache hands out the same array)."""
    degrees, scales, shears = np.array(views, np.float64).T  # (3, V)
    theta = affine_matrices(degrees, scales, np.zeros(len(views)), np.zeros(len(views)))
    theta = with_slant(theta, shears, np.ones(len(views)))
    theta.setflags(write=False)
    return theta

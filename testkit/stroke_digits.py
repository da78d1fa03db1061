"""Digits drawn as pen strokes: hand-made templates for 0-9 and random variations of them.

They stand in for people drawing on the canvas, for tests and for measuring accuracy on
drawn digits (MNIST is scanned ink; a canvas is strokes). A drawing is a list of strokes,
each a polyline float32 (N, 2) of (x, y) points in the order the pen visits them, y down.

Templates live in "glyph units": the digit is 1 tall (y from 0 to 1) and about 0.6 wide.
`vary` bends a template with a random affine map and a smooth random warp; `place` scales
the result to a height and puts it at a position, in whatever units the caller draws in.
"""

from __future__ import annotations

import numpy as np

Drawing = list[np.ndarray]  # strokes, each (N, 2) float32 (x, y)


def arc(cx: float, cy: float, rx: float, ry: float, start: float, end: float) -> np.ndarray:
    """Return points (N, 2) on an ellipse from angle `start` to `end` (degrees).

    0 degrees points right and 90 down (y grows downwards), so increasing angles turn
    clockwise on screen; `end < start` runs the other way.
    """
    n = max(8, int(abs(end - start) / 6))  # a point every 6 degrees
    t = np.radians(np.linspace(start, end, n))
    return np.stack([cx + rx * np.cos(t), cy + ry * np.sin(t)], axis=1)


def bezier(p0, p1, p2, p3, n: int = 24) -> np.ndarray:
    """Return points (n, 2) on the cubic Bezier curve with control points p0..p3."""
    t = np.linspace(0.0, 1.0, n)[:, None]
    p0, p1, p2, p3 = (np.asarray(p, dtype=float) for p in (p0, p1, p2, p3))
    return (1 - t) ** 3 * p0 + 3 * (1 - t) ** 2 * t * p1 + 3 * (1 - t) * t**2 * p2 + t**3 * p3


def line(*points) -> np.ndarray:
    """Return the polyline (N, 2) through `points`, with a point every 0.05 units."""
    out = [np.asarray(points[0], dtype=float)[None]]
    for a, b in zip(points[:-1], points[1:], strict=True):
        a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
        n = max(2, int(np.ceil(np.linalg.norm(b - a) / 0.05)) + 1)
        out.append(a + np.linspace(0, 1, n)[1:, None] * (b - a))
    return np.concatenate(out)


def stroke(*pieces: np.ndarray) -> np.ndarray:
    """Return one stroke (N, 2) float32: the pieces joined in order, as one pen movement."""
    return np.concatenate(pieces).astype(np.float32)


def _eight(top_share: float) -> np.ndarray:
    # A figure of eight drawn in one movement from the top; top_share is the height of the
    # upper loop as a share of the whole (people draw it smaller than the lower one).
    t = np.linspace(0.0, 2 * np.pi, 90)
    y = (1 - np.cos(t)) / 2
    y = np.where(y < 0.5, y * 2 * top_share, top_share + (y - 0.5) * 2 * (1 - top_share))
    x = 0.3 - 0.27 * np.sin(2 * t)
    return np.stack([x, y], axis=1)


# TEMPLATES[d]: the ways digit d is commonly drawn, each a list of strokes in glyph units.
TEMPLATES: dict[int, list[Drawing]] = {
    0: [
        [stroke(arc(0.3, 0.5, 0.28, 0.5, -90, -450))],
        [stroke(arc(0.3, 0.5, 0.22, 0.5, -80, -445))],
    ],
    1: [
        [stroke(line((0.3, 0.0), (0.3, 1.0)))],
        [stroke(line((0.12, 0.22), (0.34, 0.0), (0.34, 1.0)))],
        [stroke(line((0.36, 0.0), (0.24, 1.0)))],
    ],
    2: [
        [
            stroke(
                arc(0.3, 0.27, 0.27, 0.26, 200, 370),
                bezier((0.566, 0.315), (0.55, 0.55), (0.2, 0.8), (0.02, 1.0)),
                line((0.02, 1.0), (0.6, 0.98)),
            )
        ],
        [stroke(arc(0.3, 0.25, 0.25, 0.25, 190, 360), line((0.55, 0.25), (0.05, 1.0), (0.6, 1.0)))],
    ],
    3: [
        [stroke(arc(0.28, 0.25, 0.27, 0.24, 200, 450), arc(0.28, 0.74, 0.3, 0.26, -90, 160))],
        [stroke(line((0.05, 0.0), (0.55, 0.0), (0.25, 0.4)), arc(0.28, 0.7, 0.3, 0.3, -95, 155))],
    ],
    4: [
        [
            stroke(line((0.15, 0.0), (0.03, 0.62), (0.6, 0.62))),
            stroke(line((0.46, 0.1), (0.46, 1.0))),
        ],
        [stroke(line((0.46, 1.0), (0.46, 0.0), (0.0, 0.66), (0.6, 0.66)))],
    ],
    5: [
        [stroke(line((0.56, 0.0), (0.13, 0.0), (0.1, 0.46)), arc(0.3, 0.7, 0.28, 0.28, -135, 150))],
        [
            stroke(line((0.13, 0.0), (0.1, 0.46)), arc(0.3, 0.7, 0.28, 0.28, -135, 150)),
            stroke(line((0.13, 0.0), (0.58, 0.0))),
        ],
    ],
    6: [
        [
            stroke(
                bezier((0.5, 0.0), (0.2, 0.15), (0.02, 0.45), (0.06, 0.74)),
                arc(0.32, 0.74, 0.26, 0.25, 180, -150),
            )
        ],
        [stroke(line((0.45, 0.0), (0.08, 0.7)), arc(0.32, 0.75, 0.25, 0.25, 170, -170))],
    ],
    7: [
        [stroke(line((0.0, 0.0), (0.6, 0.0), (0.2, 1.0)))],
        [stroke(line((0.0, 0.0), (0.6, 0.0), (0.25, 1.0))), stroke(line((0.15, 0.5), (0.52, 0.5)))],
        [
            stroke(
                line((0.0, 0.05), (0.6, 0.0)),
                bezier((0.6, 0.0), (0.4, 0.3), (0.3, 0.6), (0.3, 1.0)),
            )
        ],
    ],
    8: [
        [stroke(_eight(0.45))],
        [stroke(_eight(0.4)[::-1])],
    ],
    9: [
        [stroke(arc(0.3, 0.27, 0.26, 0.25, 0, -360), line((0.56, 0.27), (0.52, 1.0)))],
        [
            stroke(
                arc(0.3, 0.25, 0.25, 0.24, 10, -350),
                bezier((0.546, 0.29), (0.55, 0.6), (0.45, 0.9), (0.25, 1.0)),
            )
        ],
    ],
}


def bounds(drawing: Drawing) -> tuple[np.ndarray, np.ndarray]:
    """Return ((x0, y0), (x1, y1)): the bounding box of every point of a drawing."""
    points = np.concatenate(drawing)
    return points.min(axis=0), points.max(axis=0)


def bend(drawing: Drawing, rng: np.random.Generator, strength: float = 1.0) -> Drawing:
    """Return a randomly bent copy of a drawing (float64 points, not rescaled).

    1. An affine map: rotation (sd 7 degrees), slant (shear, sd 0.15), width (+-15%).
    2. A smooth warp: two random long waves displace every point by up to ~0.04,
       which bends lines and changes the roundness of loops like an unsteady hand.
    `strength` scales every random amplitude (0: the template as it is). Shared with
    testkit.nondigit_drawings, which rescales by the longer side instead of the height.
    """
    angle = np.radians(np.clip(rng.normal(0, 7), -20, 20)) * strength
    shear = np.clip(rng.normal(0, 0.15), -0.4, 0.4) * strength
    width = 1 + rng.uniform(-0.15, 0.15) * strength
    c, s = np.cos(angle), np.sin(angle)
    # Points are row vectors: p @ A.T applies A. Order: width, then slant, then turn.
    matrix = np.array([[c, -s], [s, c]]) @ np.array([[1, shear], [0, 1]]) @ np.diag([width, 1])

    waves = []
    for _ in range(2):
        direction = rng.normal(size=2)
        direction /= np.linalg.norm(direction)
        waves.append(
            (
                rng.uniform(1.0, 3.0) * direction,
                rng.uniform(0, 2 * np.pi),
                rng.normal(0, 0.025, size=2) * strength,
            )
        )

    out = []
    for points in drawing:
        p = points.astype(float) @ matrix.T
        for wave_vector, phase, amplitude in waves:
            p = p + np.sin(p @ wave_vector * np.pi + phase)[:, None] * amplitude
        out.append(p)
    return out


def vary(drawing: Drawing, rng: np.random.Generator, strength: float = 1.0) -> Drawing:
    """Return a randomly bent copy of a drawing, still about 1 tall, with its top at y = 0.

    `bend` (affine map and smooth warp), then a rescale so the height is 1 again (the
    caller chooses the size). `strength` scales every random amplitude (0: as it is).
    """
    out = bend(drawing, rng, strength)
    low, high = bounds(out)
    height = max(high[1] - low[1], 1e-6)
    return [((p - low) / height).astype(np.float32) for p in out]


def place(drawing: Drawing, height: float, top_left) -> Drawing:
    """Return the drawing scaled to `height` with its bounding box's corner at `top_left`."""
    low, high = bounds(drawing)
    scale = height / max(high[1] - low[1], 1e-6)
    corner = np.asarray(top_left, dtype=np.float32)
    return [((p - low) * scale + corner).astype(np.float32) for p in drawing]


def random_drawing(digit: int, rng: np.random.Generator, strength: float = 1.0) -> Drawing:
    """Return a random variation of a random template of `digit`, 1 tall, top at y = 0."""
    templates = TEMPLATES[digit]
    return vary(templates[rng.integers(len(templates))], rng, strength)

"""Procedural non-digits for training the not-a-digit check: strokes of random kinds.

testkit.nondigit_drawings has two or three hand-made variants of each symbol; a check
trained on those alone learned the variants (a held-out house or cloud passed as a digit).
These are drawn from wide random families instead, so the check learns "not one of the ten
digit shapes" rather than a list of shapes. Some samples will look like a digit by chance
(a single smooth curve can be a 1, 7 or 0): the kinds below are chosen to make that rare
(several strokes, sharp turns, closed polygons, repeats) and the threshold is set on
digits, so such label noise costs a little separation, not digit declines.

A drawing is a list of float32 (N, 2) polylines in [0, 1]^2 (x, y; y down), as
testkit.stroke_digits draws them.
"""

from __future__ import annotations

import numpy as np

Drawing = list[np.ndarray]


def _bezier(points: np.ndarray, n: int = 40) -> np.ndarray:
    """A smooth curve through control points (k, 2): de Casteljau at n parameter values."""
    t = np.linspace(0, 1, n)[:, None, None]
    p = np.broadcast_to(points, (n,) + points.shape).copy()
    while p.shape[1] > 1:
        p = (1 - t) * p[:, :-1] + t * p[:, 1:]
    return p[:, 0].astype(np.float32)


def _polyline(points: np.ndarray, per_segment: int = 8) -> np.ndarray:
    out = [np.linspace(a, b, per_segment, endpoint=False)
           for a, b in zip(points[:-1], points[1:], strict=True)]
    return np.concatenate(out + [points[-1:]]).astype(np.float32)


def _rotate(drawing: Drawing, angle: float) -> Drawing:
    c, s = np.cos(angle), np.sin(angle)
    m = np.array([[c, -s], [s, c]], np.float32)
    return [(p - 0.5) @ m.T + 0.5 for p in drawing]


def curve_chain(rng) -> Drawing:
    """2-3 strokes, each a smooth curve through 4-7 random points (tangles, squiggles)."""
    strokes = int(rng.integers(2, 4))
    return [_bezier(rng.random((int(rng.integers(4, 8)), 2))) for _ in range(strokes)]


def polygon(rng) -> Drawing:
    """A closed or open polygon of 3-8 corners around a centre (houses, stars, crystals)."""
    k = int(rng.integers(3, 9))
    angles = np.sort(rng.uniform(0, 2 * np.pi, k))
    radius = rng.uniform(0.25, 0.5, k)
    points = np.stack([0.5 + radius * np.cos(angles), 0.5 + radius * np.sin(angles)], 1)
    if rng.random() < 0.8:
        points = np.concatenate([points, points[:1]])
    strokes = [_polyline(points)]
    if rng.random() < 0.5:  # a mark inside: a door, a line, a dot
        strokes.append(_polyline(0.5 + rng.uniform(-0.2, 0.2, (2, 2))))
    return strokes


def zigzag(rng) -> Drawing:
    """A zigzag or wave of 3-9 turns, at any angle."""
    turns = int(rng.integers(3, 10))
    x = np.linspace(0, 1, turns + 1)
    y = 0.5 + rng.uniform(0.1, 0.4) * np.where(np.arange(turns + 1) % 2, 1, -1)
    points = np.stack([x, y], 1)
    line = _bezier(points, 80) if rng.random() < 0.3 else _polyline(points)
    return _rotate([line], rng.uniform(0, np.pi))


def coil(rng) -> Drawing:
    """A run of 3-7 loops (a telephone cord, a spring) or a spiral."""
    t = np.linspace(0, 2 * np.pi * rng.uniform(3, 7), 300)
    if rng.random() < 0.5:
        r = rng.uniform(0.15, 0.3)
        x = 0.1 + 0.8 * t / t[-1] + r * np.cos(t) * 0.6
        y = 0.5 + r * np.sin(t)
    else:
        r = 0.05 + 0.4 * t / t[-1]
        x, y = 0.5 + r * np.cos(t), 0.5 + r * np.sin(t)
    return _rotate([np.stack([x, y], 1).astype(np.float32)], rng.uniform(0, 2 * np.pi))


def random_walk(rng) -> Drawing:
    """A jittery walk of 15-60 steps: a scribble."""
    steps = rng.normal(0, 1, (int(rng.integers(15, 60)), 2))
    path = np.cumsum(steps, 0)
    path = (path - path.min(0)) / max(float(np.ptp(path, 0).max()), 1e-6)
    return [_polyline(path, 3)]


def lines(rng) -> Drawing:
    """2-6 straight lines: crossed (#, *, x), parallel (hatching) or at random."""
    k = int(rng.integers(2, 7))
    kind = rng.integers(3)
    if kind == 0:  # through a common centre: an asterisk
        angles = rng.uniform(0, np.pi, k)
        d = np.stack([np.cos(angles), np.sin(angles)], 1) * rng.uniform(0.3, 0.5)
        return [_polyline(np.stack([0.5 - v, 0.5 + v])) for v in d]
    if kind == 1:  # parallel: hatching
        angle = rng.uniform(0, np.pi)
        offsets = np.linspace(-0.4, 0.4, k)
        base = [_polyline(np.array([[0.1, 0.5 + o], [0.9, 0.5 + o]])) for o in offsets]
        return _rotate(base, angle)
    return [_polyline(rng.random((2, 2))) for _ in range(k)]


def dots(rng) -> Drawing:
    """2-7 dots (a pen touching down) scattered, or in a row."""
    k = int(rng.integers(2, 8))
    centres = rng.random((k, 2)) if rng.random() < 0.6 else np.stack(
        [np.linspace(0.1, 0.9, k), np.full(k, 0.5) + rng.normal(0, 0.03, k)], 1)
    return [np.repeat(c[None], 2, 0).astype(np.float32) + np.float32(1e-3) * np.array(
        [[0, 0], [1, 1]], np.float32) for c in centres]


def shape_with_marks(rng) -> Drawing:
    """A circle, square or triangle with marks inside or around it (faces, suns, targets)."""
    t = np.linspace(0, 2 * np.pi, 60)
    r = rng.uniform(0.3, 0.45)
    outline = np.stack([0.5 + r * np.cos(t), 0.5 + r * rng.uniform(0.7, 1.1) * np.sin(t)], 1)
    strokes = [outline.astype(np.float32)]
    inside = rng.random() < 0.5
    for _ in range(int(rng.integers(2, 6))):
        if inside:
            p = 0.5 + rng.uniform(-r * 0.6, r * 0.6, (2, 2))
        else:  # rays
            a = rng.uniform(0, 2 * np.pi)
            p = 0.5 + np.array([[np.cos(a), np.sin(a)]]) * np.array([[r * 1.1], [r * 1.6]])
        strokes.append(_polyline(p))
    return strokes


KINDS = (curve_chain, polygon, zigzag, coil, random_walk, lines, dots, shape_with_marks)


def random_drawing(rng) -> tuple[str, Drawing]:
    """One drawing of a random kind; returns (kind name, strokes)."""
    make = KINDS[int(rng.integers(len(KINDS)))]
    return make.__name__, make(rng)

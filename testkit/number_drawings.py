"""Numbers of 2-6 digits written in one go, as pen strokes: for the tests and benchmarks of
reading numbers (digitapp/app/number.py).

Each digit is a stroke digit (testkit.stroke_digits: several templates per digit, the 4s,
5s and 7s among them drawn in two strokes), bent by the hand, then placed after the one
before it with a gap, a size and a baseline of the hand's:

    hand     bend strength  extra slant  size spread  baseline wander
    neat     0.5            0            +-5%         +-3% of the height
    messy    1.0            0            +-15%        +-10%
    slanted  0.7            0.25-0.45    +-10%        +-6%
    wavy     0.7            0            +-20%        +-18% (a baseline that wanders)

Gaps, between the bounding boxes of neighbours' strokes, as a share of the digit height,
with the pen PEN = 0.09 wide: wide 0.4-0.8, normal 0.18-0.4, narrow 0.11-0.18 (the inks
0.02-0.09 apart: nearly touching), touching -0.1 to 0.06 (the inks touch or cross).
`touching` is True for the touching gaps only.

Coordinates are in units of the digit height (about 1); `render` draws a sample on a
white sheet with a margin, `sheet_strokes` gives the strokes in shares of a sheet.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw

from testkit.stroke_digits import Drawing, bend, bounds, line, random_drawing, stroke

HANDS = {
    # name: (bend strength, slant range, size spread, baseline wander)
    "neat": (0.5, (0.0, 0.0), 0.05, 0.03),
    "messy": (1.0, (0.0, 0.0), 0.15, 0.10),
    "slanted": (0.7, (0.25, 0.45), 0.10, 0.06),
    "wavy": (0.7, (0.0, 0.0), 0.20, 0.18),
}
GAPS = {"wide": (0.4, 0.8), "normal": (0.18, 0.4), "narrow": (0.11, 0.18),
        "touching": (-0.1, 0.06)}
PEN = 0.09  # pen width, in digit heights (the canvas's default brush on a one-digit sheet)


@dataclass(frozen=True)
class NumberSample:
    text: str  # the number, e.g. "2026"
    hand: str
    gap: str
    digits: tuple[Drawing, ...]  # each digit's strokes, float32 (N, 2), in digit heights
    touching: bool  # whether some neighbours' inks may touch

    def strokes(self) -> Drawing:
        return [s for d in self.digits for s in d]

    def boxes(self) -> list[tuple[float, float, float, float]]:
        """Each digit's (x0, y0, x1, y1) in digit heights, left to right."""
        out = []
        for d in self.digits:
            low, high = bounds(d)
            out.append((float(low[0]), float(low[1]), float(high[0]), float(high[1])))
        return out


def make_number(rng: np.random.Generator, length: int | None = None,
                hand: str | None = None, gap: str | None = None) -> NumberSample:
    """A random number of `length` digits (2-6) in `hand` with `gap` (random if None)."""
    length = int(rng.integers(2, 7)) if length is None else length
    hand = str(rng.choice(list(HANDS))) if hand is None else hand
    gap = str(rng.choice(list(GAPS))) if gap is None else gap
    strength, slant_range, size_spread, wander = HANDS[hand]
    slant = rng.uniform(*slant_range)
    text = "".join(str(int(d)) for d in rng.integers(0, 10, size=length))
    digits, right = [], 0.0
    for n, ch in enumerate(text):
        drawing = random_drawing(int(ch), rng, strength)
        if slant:
            shear = np.array([[1.0, -slant], [0.0, 1.0]])  # tops lean right (y is down)
            drawing = [p @ shear.T for p in drawing]
        drawing = bend(drawing, rng, 0.0)  # float64 copies
        low, high = bounds(drawing)
        height = 1.0 + rng.uniform(-size_spread, size_spread)
        scale = height / max(high[1] - low[1], 1e-6)
        baseline = rng.uniform(-wander, wander)
        space = 0.0 if n == 0 else rng.uniform(*GAPS[gap])
        offset = np.array([right + space, baseline + (1.0 - height)]) - low * scale
        placed = [(p * scale + offset).astype(np.float32) for p in drawing]
        digits.append(placed)
        right = float(bounds(placed)[1][0])
    return NumberSample(text, hand, gap, tuple(digits), gap == "touching")


def sheet_strokes(sample: NumberSample, margin: float = 0.3) -> tuple[Drawing, float]:
    """Return (strokes in shares of the sheet's HEIGHT with a margin, the sheet's width as
    a multiple of its height)."""
    low, high = bounds(sample.strokes())
    height = float(high[1] - low[1]) + 2 * margin
    width = float(high[0] - low[0]) + 2 * margin
    corner = low - margin
    return [((s - corner) / height).astype(np.float32) for s in sample.strokes()], width / height


def across_sheet(strokes: Drawing, aspect: float, height: float,
                 top: float | None = None) -> Drawing:
    """Return strokes in paper units (shares of the sheet's height): the number `height`
    tall (smaller if it would be wider than 90% of the sheet), centred across a sheet
    `aspect` times as wide as tall, its top at `top` (default: centred up and down)."""
    low, high = bounds(strokes)
    width, tall = float(high[0] - low[0]), float(high[1] - low[1])
    scale = min(height / max(tall, 1e-6), 0.9 * aspect / max(width, 1e-6))
    left = (aspect - width * scale) / 2
    top = (1 - tall * scale) / 2 if top is None else top
    return [((s - low) * scale + [left, top]).astype(np.float32) for s in strokes]


def render(sample: NumberSample, height_px: int = 120, pen: float = PEN,
           margin: float = 0.3) -> np.ndarray:
    """Return float32 (H, W) in [0, 1]: the number, dark ink on white, `height_px` tall
    (digits about height_px / (1 + 2 * margin) tall), drawn with round pen ends."""
    strokes, aspect = sheet_strokes(sample, margin)
    w = max(1, int(round(height_px * aspect)))
    scale = 4  # drawn 4x larger and averaged down: smooth edges
    image = Image.new("L", (w * scale, height_px * scale), 255)
    draw = ImageDraw.Draw(image)
    unit = height_px * scale
    width = max(1, int(round(pen / (1 + 2 * margin) * unit)))
    for s in strokes:
        points = [(float(x) * unit, float(y) * unit) for x, y in s]
        if len(points) > 1:
            draw.line(points, fill=0, width=width, joint="curve")
        for x, y in (points[0], points[-1]):
            r = width / 2
            draw.ellipse((x - r, y - r, x + r, y + r), fill=0)
    small = image.resize((w, height_px), Image.Resampling.BOX)
    return np.asarray(small, np.float32) / 255


# Plain digits for tests (1 tall, top at 0), among them the ones of several strokes that
# must stay one digit: a 4 in two crossing strokes, a 5 whose top bar was lifted off the
# stem, a 7 whose crossbar is drawn apart from it.
PLAIN = {
    0: [stroke(line((0.3, 0.0), (0.0, 0.3), (0.0, 0.7), (0.3, 1.0), (0.6, 0.7), (0.6, 0.3),
                    (0.3, 0.0)))],
    2: [stroke(line((0.02, 0.2), (0.3, 0.0), (0.55, 0.2), (0.05, 1.0), (0.6, 1.0)))],
    4: [stroke(line((0.15, 0.0), (0.03, 0.62), (0.6, 0.62))),
        stroke(line((0.46, 0.1), (0.46, 1.0)))],
    5: [stroke(line((0.12, 0.1), (0.1, 0.46), (0.3, 0.42), (0.5, 0.5), (0.58, 0.7),
                    (0.5, 0.92), (0.3, 1.0), (0.05, 0.9))),
        stroke(line((0.22, 0.0), (0.62, 0.0)))],
    6: [stroke(line((0.5, 0.0), (0.1, 0.5), (0.05, 0.8), (0.3, 1.0), (0.55, 0.8), (0.5, 0.55),
                    (0.25, 0.5), (0.08, 0.65)))],
    7: [stroke(line((0.0, 0.0), (0.6, 0.0), (0.2, 1.0))),
        stroke(line((0.05, 0.5), (0.28, 0.5)))],
}


def written(text: str, gap: float = 0.3) -> NumberSample:
    """The number `text` in PLAIN digits, left to right, `gap` apart (digit heights)."""
    placed, right = [], 0.0
    for ch in text:
        strokes = PLAIN[int(ch)]
        low = min(float(s[:, 0].min()) for s in strokes)
        shift = np.array([right + (gap if placed else 0.0) - low, 0.0], np.float32)
        moved = [(s + shift).astype(np.float32) for s in strokes]
        placed.append(moved)
        right = max(float(s[:, 0].max()) for s in moved)
    return NumberSample(text, "plain", "set", tuple(placed), False)

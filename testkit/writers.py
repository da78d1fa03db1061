"""Simulated writers: people with a consistent hand of their own that the shipped models misread.

For issue 14's benchmark (benchmarks/bench_personalize.py): each writer draws every digit
in one style of their own (a glyph per digit, a slant, a width, a pen), with the natural
variation of a hand from one drawing to the next (testkit.stroke_digits.vary at reduced
strength). Drawings are rendered as pen strokes on a 256x256 sheet and go through the app's
one preprocessing path (digitapp.data.preprocess.to_mnist28), as a canvas drawing does.

Glyphs are in stroke_digits' glyph units: y from 0 (top) to 1 (bottom), about 0.6 wide.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from PIL import Image, ImageDraw

from digitapp.data.preprocess import to_mnist28
from testkit.stroke_digits import TEMPLATES, Drawing, arc, bezier, line, stroke, vary

SHEET = 256  # pixels: the canvas's working size (preprocess.WORK_SIDE)
HEIGHT = 170  # a digit's height on the sheet, pixels (before the writer's own width)
VARIATION = 0.5  # stroke_digits.vary strength: one hand, not many


def _standard(digit: int, index: int = 0) -> Drawing:
    return TEMPLATES[digit][index]


# -- the hands' own glyphs ------------------------------------------------------------------
# European: a 1 with a long flag (read as 7), a 7 with a crossbar and a serif, an
# open-topped 4, a 9 with a straight stem.
EUROPEAN = {
    0: [stroke(arc(0.3, 0.5, 0.28, 0.5, -90, -450)), stroke(line((0.55, 0.05), (0.05, 0.95)))],
    1: [stroke(line((0.02, 0.42), (0.45, 0.0), (0.45, 1.0)))],
    7: [stroke(line((0.0, 0.16), (0.03, 0.0), (0.6, 0.0), (0.2, 1.0))),
        stroke(line((0.1, 0.52), (0.52, 0.46)))],
    4: [stroke(line((0.35, 0.0), (0.0, 0.8), (0.6, 0.8))), stroke(line((0.45, 0.55), (0.45, 1.0)))],
    9: [stroke(arc(0.3, 0.24, 0.24, 0.23, 0, -360), line((0.54, 0.24), (0.54, 1.0)))],
}

# Blocky: digits of straight lines and square corners.
BLOCKY = {
    0: [stroke(line((0.0, 0.0), (0.6, 0.0), (0.6, 1.0), (0.0, 1.0), (0.0, 0.0)))],
    2: [stroke(line((0.0, 0.0), (0.6, 0.0), (0.6, 0.5), (0.0, 0.5), (0.0, 1.0), (0.6, 1.0)))],
    3: [stroke(line((0.0, 0.0), (0.6, 0.0), (0.6, 1.0), (0.0, 1.0))),
        stroke(line((0.1, 0.5), (0.6, 0.5)))],
    5: [stroke(line((0.6, 0.0), (0.0, 0.0), (0.0, 0.5), (0.6, 0.5), (0.6, 1.0), (0.0, 1.0)))],
    6: [stroke(line((0.6, 0.0), (0.0, 0.0), (0.0, 1.0), (0.6, 1.0), (0.6, 0.5), (0.0, 0.5)))],
    8: [stroke(line((0.0, 0.0), (0.6, 0.0), (0.6, 1.0), (0.0, 1.0), (0.0, 0.0))),
        stroke(line((0.0, 0.5), (0.6, 0.5)))],
    9: [stroke(line((0.6, 0.5), (0.0, 0.5), (0.0, 0.0), (0.6, 0.0), (0.6, 1.0), (0.0, 1.0)))],
    4: [stroke(line((0.05, 0.0), (0.05, 0.45), (0.55, 0.5))),
        stroke(line((0.55, 0.0), (0.55, 1.0)))],
}

# Loopy: a 2 with a loop at its foot, 3 with a flat top, a 6 and a 9 with tiny loops on long
# strokes, an 8 of two circles, a 0 whose end runs past its start.
LOOPY = {
    0: [stroke(arc(0.3, 0.55, 0.28, 0.45, -60, -450), line((0.44, 0.16), (0.56, 0.0)))],
    2: [stroke(arc(0.3, 0.25, 0.27, 0.25, 190, 370),
               bezier((0.57, 0.25), (0.5, 0.6), (0.2, 0.8), (0.1, 0.88)),
               arc(0.18, 0.86, 0.1, 0.1, 140, -200), line((0.26, 0.95), (0.6, 0.95)))],
    3: [stroke(line((0.0, 0.0), (0.58, 0.0), (0.2, 0.42)), arc(0.28, 0.72, 0.3, 0.28, -100, 160))],
    6: [stroke(bezier((0.6, 0.0), (0.1, 0.2), (0.0, 0.6), (0.18, 0.95)),
               arc(0.25, 0.88, 0.1, 0.1, 160, -180))],
    8: [stroke(arc(0.3, 0.2, 0.14, 0.2, 90, 450)), stroke(arc(0.3, 0.7, 0.3, 0.3, -90, 270))],
    9: [stroke(arc(0.35, 0.14, 0.15, 0.14, 0, -360),
               bezier((0.5, 0.14), (0.5, 0.5), (0.4, 0.8), (0.1, 1.0)))],
}

# Open: loops left open: a U-shaped 0, a 6 and a 9 whose loops do not close, an 8 whose top
# loop is a V, a closed triangular 4.
OPEN = {
    0: [stroke(arc(0.3, 0.5, 0.28, 0.5, -60, 240))],
    4: [stroke(line((0.46, 1.0), (0.46, 0.0), (0.0, 0.66), (0.6, 0.66)))],
    6: [stroke(bezier((0.5, 0.0), (0.2, 0.15), (0.02, 0.45), (0.06, 0.74)),
               arc(0.32, 0.74, 0.26, 0.25, 180, -100))],
    8: [stroke(line((0.08, 0.0), (0.3, 0.45), (0.52, 0.0))),
        stroke(arc(0.3, 0.72, 0.27, 0.27, -90, 270))],
    9: [stroke(arc(0.3, 0.27, 0.26, 0.25, 60, -250), line((0.56, 0.27), (0.56, 1.0)))],
}


@dataclass(frozen=True)
class Writer:
    """A hand: its glyphs (a digit missing from `glyphs` is drawn from stroke_digits'
    first template), a slant (x += slant * (y - 0.5)), a width factor and a pen width as a
    share of the digit's height."""

    name: str
    description: str
    glyphs: dict[int, Drawing] = field(default_factory=dict)
    slant: float = 0.0
    width: float = 1.0
    pen: float = 0.08

    def glyph(self, digit: int) -> Drawing:
        return self.glyphs.get(digit) or _standard(digit)

    def strokes(self, digit: int, rng: np.random.Generator) -> Drawing:
        """Return one drawing of `digit` by this hand: strokes (N, 2), 1 tall, top at 0."""
        drawing = vary(self.glyph(digit), rng, VARIATION)
        return [np.stack([(p[:, 0] + self.slant * (0.5 - p[:, 1])) * self.width, p[:, 1]],
                         axis=1).astype(np.float32) for p in drawing]


WRITERS = {
    "european": Writer("european", "slashed 0, flagged 1, crossed 7, open 4, straight-stem 9; "
                       "narrow, leaning right", EUROPEAN, slant=0.9, width=0.4, pen=0.07),
    "slanted": Writer("slanted", "the common shapes, very narrow and leaning far left",
                      slant=-0.6, width=0.35, pen=0.06),
    "blocky": Writer("blocky", "square digits of straight lines, narrow, leaning left", BLOCKY,
                     slant=-0.8, width=0.45, pen=0.09),
    "loopy": Writer("loopy", "looped 2, flat-topped 3, small-loop 6 and 9, 8 of two circles; "
                    "thick pen, leaning right", LOOPY, slant=0.7, width=0.5, pen=0.12),
    "open": Writer("open", "open 0, 6, 8 and 9, closed 4; thick pen, narrow, leaning left",
                   OPEN, slant=-0.6, width=0.35, pen=0.1),
}


def render(strokes: Drawing, pen: float) -> np.ndarray:
    """Return the 28x28 float32 image the network sees of strokes (1 tall) drawn with a pen
    `pen` times the height wide: a 256x256 sheet, dark ink, then to_mnist28."""
    points = np.concatenate(strokes)
    low, high = points.min(0), points.max(0)
    scale = HEIGHT / max(high[1] - low[1], 1e-6)
    scale = min(scale, (SHEET - 60) / max(high[0] - low[0], 1e-6))
    offset = (SHEET - (high - low) * scale) / 2
    width = max(2, int(round(pen * HEIGHT)))
    sheet = Image.new("L", (SHEET, SHEET), 255)
    draw = ImageDraw.Draw(sheet)
    for s in strokes:
        xy = [tuple(q) for q in ((s - low) * scale + offset).tolist()]
        draw.line(xy, fill=0, width=width, joint="curve")
        for x, y in (xy[0], xy[-1]):  # round pen ends
            draw.ellipse((x - width / 2, y - width / 2, x + width / 2, y + width / 2), fill=0)
    return to_mnist28(np.asarray(sheet, np.float32) / 255)


def writer_images(writer: Writer, per_digit: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Return (images float32 (10 * per_digit, 28, 28), labels int64): `per_digit` drawings
    of each digit by `writer`, digit by digit in turn (0, 1, ..., 9, 0, 1, ...)."""
    images, labels = [], []
    for i in range(per_digit * 10):
        digit = i % 10
        rng = np.random.default_rng([seed, i])
        pen = writer.pen * float(rng.uniform(0.85, 1.15))
        images.append(render(writer.strokes(digit, rng), pen))
        labels.append(digit)
    return np.stack(images), np.array(labels, np.int64)

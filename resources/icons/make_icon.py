"""Draw the digitapp icon: a hand-drawn "7" on a rounded square.

Writes digitapp-<size>.png for each size in SIZES, and digitapp.svg with the same geometry,
into the folder of this script. Run it again after changing the drawing:

    .venv/bin/python resources/icons/make_icon.py
"""

from __future__ import annotations

import math
from pathlib import Path

from PIL import Image, ImageDraw

SIZES = (16, 32, 48, 64, 128, 256)
SUPERSAMPLE = 1024  # draw once, large, then downscale: smooth edges at every size

# Geometry in unit coordinates (0..1 across the icon).
CORNER_RADIUS = 0.22
TOP_COLOUR = (52, 84, 160)  # gradient of the square, top to bottom
BOTTOM_COLOUR = (24, 36, 78)
INK_COLOUR = (250, 248, 240)
STROKE_WIDTH = 0.12
# The "7": a slightly rising top bar, then a stroke that bows as it falls, like a pen would.
BAR_START = (0.27, 0.31)
BAR_END = (0.73, 0.27)
STEM_CONTROL = (0.60, 0.47)  # quadratic Bezier control point of the falling stroke
STEM_END = (0.45, 0.79)


def _bezier(p0, p1, p2, steps: int = 48) -> list[tuple[float, float]]:
    """Return points along the quadratic Bezier curve p0 -> p2 pulled towards p1."""
    points = []
    for i in range(steps + 1):
        t = i / steps
        x = (1 - t) ** 2 * p0[0] + 2 * (1 - t) * t * p1[0] + t**2 * p2[0]
        y = (1 - t) ** 2 * p0[1] + 2 * (1 - t) * t * p1[1] + t**2 * p2[1]
        points.append((x, y))
    return points


def draw_icon(size: int) -> Image.Image:
    """Return the icon as an RGBA image of size x size pixels."""
    n = SUPERSAMPLE

    # 1. Vertical gradient, cut to a rounded square by a mask.
    gradient = Image.new("RGBA", (1, n))
    for y in range(n):
        t = y / (n - 1)
        pairs = zip(TOP_COLOUR, BOTTOM_COLOUR, strict=True)
        colour = tuple(round(a + (b - a) * t) for a, b in pairs)
        gradient.putpixel((0, y), (*colour, 255))
    square = gradient.resize((n, n))
    mask = Image.new("L", (n, n), 0)
    ImageDraw.Draw(mask).rounded_rectangle(
        (0, 0, n - 1, n - 1), radius=round(CORNER_RADIUS * n), fill=255
    )
    icon = Image.new("RGBA", (n, n), (0, 0, 0, 0))
    icon.paste(square, (0, 0), mask)

    # 2. The "7", inked like a round pen: a disc stamped every pixel along the stroke.
    #    (Pillow's wide polylines leave notches where short segments meet on a curve.)
    stroke = [BAR_START, *_bezier(BAR_END, STEM_CONTROL, STEM_END)]
    r = STROKE_WIDTH * n / 2
    draw = ImageDraw.Draw(icon)
    for (x0, y0), (x1, y1) in zip(stroke[:-1], stroke[1:], strict=True):
        steps = max(1, round(math.dist((x0, y0), (x1, y1)) * n))
        for i in range(steps + 1):
            x = (x0 + (x1 - x0) * i / steps) * n
            y = (y0 + (y1 - y0) * i / steps) * n
            draw.ellipse((x - r, y - r, x + r, y + r), fill=INK_COLOUR)

    return icon.resize((size, size), Image.Resampling.LANCZOS)


def icon_svg() -> str:
    """Return the same icon as an SVG document (100 x 100 user units)."""

    def hex_colour(rgb: tuple[int, int, int]) -> str:
        return "#{:02x}{:02x}{:02x}".format(*rgb)

    def pt(p: tuple[float, float]) -> str:
        return f"{p[0] * 100:g},{p[1] * 100:g}"

    radius = CORNER_RADIUS * 100
    size = 'width="256" height="256" viewBox="0 0 100 100"'
    return f"""<svg xmlns="http://www.w3.org/2000/svg" {size}>
  <defs>
    <linearGradient id="bg" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="{hex_colour(TOP_COLOUR)}"/>
      <stop offset="1" stop-color="{hex_colour(BOTTOM_COLOUR)}"/>
    </linearGradient>
  </defs>
  <rect width="100" height="100" rx="{radius:g}" fill="url(#bg)"/>
  <path d="M{pt(BAR_START)} L{pt(BAR_END)} Q{pt(STEM_CONTROL)} {pt(STEM_END)}"
        fill="none" stroke="{hex_colour(INK_COLOUR)}" stroke-width="{STROKE_WIDTH * 100:g}"
        stroke-linecap="round" stroke-linejoin="round"/>
</svg>
"""


def main() -> None:
    out = Path(__file__).resolve().parent
    for size in SIZES:
        draw_icon(size).save(out / f"digitapp-{size}.png", optimize=True)
    (out / "digitapp.svg").write_text(icon_svg(), encoding="utf-8")
    print(f"wrote {len(SIZES)} PNGs and digitapp.svg to {out}")


if __name__ == "__main__":
    main()

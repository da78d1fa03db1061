"""Non-digits from font glyphs, redrawn as pen strokes: letters, symbols, arrows, shapes.

Every glyph that the DejaVu fonts have in a few whole Unicode blocks (Latin letters,
Greek, Cyrillic, punctuation, arrows, maths, geometric shapes, miscellaneous symbols,
dingbats), except those that look like a digit (DIGIT_LIKE), is rendered at 64x64, thinned
to its centre line (Zhang-Suen) and drawn again with a round pen of random width. Thinning
matters: the check must learn shapes, not "printed type" (typed digits, a source the check
is never trained on, must still pass as digits), so these come out looking like pen strokes.

    glyph_images(count, seed) -> float32 (count, 28, 28), through to_mnist28
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from digitapp.data.augment import affine_matrices
from digitapp.data.preprocess import NoDigit, to_mnist28

SIDE = 64
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONTS = ("DejaVuSans.ttf", "DejaVuSerif.ttf", "DejaVuSansMono.ttf", "DejaVuSans-Oblique.ttf")
BLOCKS = [(0x21, 0x7E), (0xA1, 0xFF), (0x100, 0x17F), (0x391, 0x3C9), (0x410, 0x44F),
          (0x2190, 0x21FF), (0x2200, 0x22FF), (0x25A0, 0x25FF), (0x2600, 0x26FF),
          (0x2700, 0x27BF)]
# Glyphs a person would read as a digit (or that are nothing but a stroke or a dot).
DIGIT_LIKE = set("0123456789OoIl|!/\\()[]{}SsZzBbGgqQDd.,:;'`\"-_~"
                 "ΟοΙΖΒΣσςδθϑΘЗзОоІіБбЧч") | {"\u00b7", "\u00ad", "\u00b4", "\u00a8",
                                              "\u00af", "\u00b8", "\u00b9", "\u00b2", "\u00b3",
                                              "\u00b0", "\u00ba", "\u00aa"} \
    | set("ØøΘθϴ∅") | {chr(c) for c in range(0x2295, 0x22A2)} \
    | {chr(c) for c in (0x25CB, 0x25CC, 0x25CD, 0x25CE, 0x25CF, 0x25C9, 0x25EF, 0x2205)}
# (the last lines: circles with a dot, a slash or a cross inside, which is how many people
# and some fonts, DejaVu Sans Mono among them, write a zero)


def _mask(font: ImageFont.FreeTypeFont, char: str) -> np.ndarray:
    image = Image.new("L", (SIDE, SIDE), 0)
    ImageDraw.Draw(image).text((SIDE / 2, SIDE / 2), char, font=font, fill=255, anchor="mm")
    return np.asarray(image) > 127


@cache
def glyph_masks() -> np.ndarray:
    """bool (G, 64, 64): every usable glyph of every font (missing glyphs, tiny ones and
    the digit-like ones left out)."""
    out = []
    for name in FONTS:
        path = FONT_DIR / name
        if not path.is_file():
            continue
        font = ImageFont.truetype(str(path), 44)
        missing = _mask(font, "\U000F0000")  # a private-use code point: the font's "no glyph"
        for low, high in BLOCKS:
            for code in range(low, high + 1):
                char = chr(code)
                if char in DIGIT_LIKE or not char.isprintable() or char.isspace():
                    continue
                m = _mask(font, char)
                rows, cols = np.nonzero(m)
                if len(rows) < 30 or np.array_equal(m, missing):
                    continue
                if max(np.ptp(rows), np.ptp(cols)) < 12:  # a speck of a glyph
                    continue
                out.append(m)
    if not out:
        raise RuntimeError(f"no DejaVu fonts found in {FONT_DIR}")
    return np.stack(out)


def thin(masks: np.ndarray) -> np.ndarray:
    """Zhang-Suen thinning of bool images (N, H, W) to one-pixel centre lines."""
    img = np.pad(masks, ((0, 0), (1, 1), (1, 1))).astype(np.uint8)
    while True:
        changed = False
        for step in (0, 1):
            p = img
            n = [p[:, :-2, 1:-1], p[:, :-2, 2:], p[:, 1:-1, 2:], p[:, 2:, 2:],  # P2..P9,
                 p[:, 2:, 1:-1], p[:, 2:, :-2], p[:, 1:-1, :-2], p[:, :-2, :-2]]  # clockwise
            b = sum(n)
            a = sum((n[i] == 0) & (n[(i + 1) % 8] == 1) for i in range(8))
            if step == 0:
                c1, c2 = n[0] * n[2] * n[4], n[2] * n[4] * n[6]
            else:
                c1, c2 = n[0] * n[2] * n[6], n[0] * n[4] * n[6]
            remove = (p[:, 1:-1, 1:-1] == 1) & (b >= 2) & (b <= 6) & (a == 1) & (c1 == 0) \
                & (c2 == 0)
            if remove.any():
                img[:, 1:-1, 1:-1][remove] = 0
                changed = True
        if not changed:
            return img[:, 1:-1, 1:-1].astype(bool)


def _pen(lines: np.ndarray, radius: int) -> np.ndarray:
    """Thin lines (N, H, W) bool drawn with a round pen of `radius` pixels (float image)."""
    out = np.zeros(lines.shape, np.float32)
    h, w = lines.shape[1:]
    for dy in range(-radius, radius + 1):
        for dx in range(-radius, radius + 1):
            if dx * dx + dy * dy > radius * radius + radius:
                continue
            shifted = np.zeros_like(lines)
            shifted[:, max(dy, 0):h + min(dy, 0), max(dx, 0):w + min(dx, 0)] = \
                lines[:, max(-dy, 0):h + min(-dy, 0), max(-dx, 0):w + min(-dx, 0)]
            out = np.maximum(out, shifted)
    return out


def glyph_images(count: int, seed: int) -> np.ndarray:
    """float32 (<= count, 28, 28): random glyphs, turned and zoomed a little, thinned,
    redrawn with a pen 1-4 px in radius at 64x64, reduced by to_mnist28."""
    rng = np.random.default_rng(seed)
    masks = glyph_masks()
    pick = masks[rng.integers(len(masks), size=count)]
    out = []
    for start in range(0, count, 1000):
        chunk = pick[start:start + 1000].astype(np.float32)
        b = len(chunk)
        # Turned and zoomed a little, as a hand would, before thinning (a warp after it
        # would break the one-pixel lines).
        theta = affine_matrices(rng.uniform(-12, 12, b), rng.uniform(0.85, 1.05, b),
                                np.zeros(b), np.zeros(b))
        lines = thin(_warp64(chunk, theta) > 0.5)
        radius = rng.integers(1, 5, b)
        for r in np.unique(radius):
            for image in _pen(lines[radius == r], int(r)):
                try:
                    out.append(to_mnist28(image))
                except NoDigit:
                    continue
    return np.stack(out).astype(np.float32)


def _warp64(images: np.ndarray, theta: np.ndarray) -> np.ndarray:
    """Images (N, 64, 64) under the turn-and-zoom part of affine_matrices's maps (N, 2, 3),
    about the centre, nearest-neighbour (the matrices' last column is for 28x28 fields)."""
    n = len(images)
    ys, xs = np.mgrid[0:SIDE, 0:SIDE].astype(np.float32)
    c = (SIDE - 1) / 2
    grid = np.stack([xs.ravel() - c, ys.ravel() - c])  # (2, 4096)
    src = theta[:, :, :2] @ grid + c  # (n, 2, 4096): where each output pixel reads from
    sx = np.clip(np.rint(src[:, 0]), 0, SIDE - 1).astype(np.int64)
    sy = np.clip(np.rint(src[:, 1]), 0, SIDE - 1).astype(np.int64)
    flat = images.reshape(n, -1)
    return np.take_along_axis(flat, sy * SIDE + sx, axis=1).reshape(n, SIDE, SIDE)

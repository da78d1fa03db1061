"""Digits from sources the "not a digit" decliner is never trained or tuned on (issue 13).

Issue 13 allows the app to decline at most 1% of digits from an unfamiliar source. These
are four such sources, each a function (count, seed) -> list of (gray, label, description):
gray is float32 (H, W) in [0, 1] (0 black), one digit anywhere on a sheet of 40..400 px
sides, dark ink on light paper or light on dark (alternately, so any two samples hold both).

    typed         digits rendered with TrueType fonts (system DejaVu family and the bundled
                  resources/fonts), any weight, slightly rotated
    second_hand   a handwriting generator of its own: pen paths (Pen) for 2-3 shapes per
                  digit, a random affine map, a smooth wobble, drawn 4x larger and reduced
    lowres_scans  MNIST TEST digits reduced to 8..14 px, blown up 6..30x (nearest or
                  bilinear), on paper with a tone gradient, some JPEG-compressed (the check
                  trains on MNIST TRAIN digits made the same way: not an unseen construction)
    lowres_second_hand  second_hand digits written 8..14 px small, blown up 3..30x (nearest
                  or bilinear): the unseen low-resolution source

Independence: nothing here comes from testkit.stroke_digits (the decliner's training
drawings) or from MNIST's training split. Sample i depends only on (seed, source, i), so
the first k of a longer list are the list of k.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

# (gray (H, W) float32 in [0, 1], label, description). The description reads
# "source, kind, details..."; kind is the font, the pen shape, or the scan's size+resampling.
Sample = tuple[np.ndarray, int, str]

SHEET_SIDES = (40, 400)  # a sheet's side in pixels
FONT_DIRS = (Path("/usr/share/fonts"), Path(__file__).resolve().parents[1] / "resources" / "fonts")
SCAN_SIDES = (8, 14)  # lowres_scans: the digit's longer side (with margin) in the scan, px
SUPERSAMPLE = 4  # second_hand draws this much larger, then reduces (anti-aliasing)


# ---- sheets: size, placement, polarity -------------------------------------------------

def _sheet(rng: np.random.Generator) -> tuple[int, int]:
    """Return (width, height): sides in SHEET_SIDES, at most 2:1."""
    w = int(rng.integers(*SHEET_SIDES, endpoint=True))
    h = int(np.clip(w * np.exp(rng.uniform(-0.69, 0.69)), *SHEET_SIDES))
    return w, h


def _tones(rng: np.random.Generator, light_on_dark: bool) -> tuple[float, float]:
    """Return (paper, ink) tones; contrast at least 0.45."""
    paper, ink = rng.uniform(0.75, 1.0), rng.uniform(0.0, 0.3)
    return (1 - paper, 1 - ink) if light_on_dark else (paper, ink)


def _on_sheet(patch: np.ndarray, rng: np.random.Generator, light_on_dark: bool,
              size: tuple[int, int]) -> tuple[np.ndarray, str]:
    """Return the ink patch (h, w) in [0, 1] (1 = ink) pasted anywhere on a sheet, toned."""
    w, h = size
    ink = np.zeros((h, w), np.float32)
    ph, pw = patch.shape
    top = int(rng.integers(2, max(3, h - ph - 1)))
    left = int(rng.integers(2, max(3, w - pw - 1)))
    ink[top:top + ph, left:left + pw] = patch[: h - top, : w - left]
    paper, tone = _tones(rng, light_on_dark)
    gray = paper + (tone - paper) * ink + rng.normal(0, rng.uniform(0, 0.02), ink.shape)
    polarity = "light-on-dark" if light_on_dark else "dark-on-light"
    return np.clip(gray, 0, 1).astype(np.float32), f"{polarity} {w}x{h}"


def _digit_height(rng: np.random.Generator, size: tuple[int, int]) -> int:
    return max(12, int(min(size) * rng.uniform(0.35, 0.85)))


def _fit(patch: Image.Image, height: int, size: tuple[int, int]) -> np.ndarray:
    """Return the patch resized to `height` (aspect kept, narrower than the sheet), in [0, 1]."""
    scale = min(height / patch.height, (size[0] - 6) / patch.width)
    shape = (max(1, round(patch.width * scale)), max(1, round(patch.height * scale)))
    return np.asarray(patch.resize(shape, Image.LANCZOS), np.float32).clip(0, 255) / 255


# ---- a. typed ----------------------------------------------------------------------------

def font_files() -> list[Path]:
    """Return the TrueType/OpenType fonts that load and draw digits; raise if there is none."""
    found = []
    for folder in FONT_DIRS:
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if path.suffix.lower() not in (".ttf", ".otf") or path in found:
                continue
            try:
                font = ImageFont.truetype(str(path), 40)
                if font.getbbox("8")[3] > 0:
                    found.append(path)
            except OSError:
                continue  # unreadable or not a font: skipped
    if not found:
        raise RuntimeError(f"no font found under {', '.join(map(str, FONT_DIRS))}: "
                           "typed digits need at least one .ttf/.otf file")
    return found


def typed(count: int, seed: int) -> list[Sample]:
    """Return `count` digits typed in random fonts, sizes, weights and slight rotations."""
    fonts = font_files()
    samples = []
    for i in range(count):
        rng = np.random.default_rng([seed, 1, i])
        label, path = i % 10, fonts[int(rng.integers(len(fonts)))]
        bold = int(rng.choice([0, 0, 0, 2, 4]))  # extra outline at 128 px: heavier strokes
        glyph = Image.new("L", (256, 256))
        ImageDraw.Draw(glyph).text((128, 128), str(label), fill=255, anchor="mm",
                                   font=ImageFont.truetype(str(path), 128),
                                   stroke_width=bold, stroke_fill=255)
        angle = float(rng.uniform(-8, 8))
        glyph = glyph.rotate(angle, Image.BICUBIC, expand=True)
        glyph = glyph.crop(glyph.getbbox())
        size = _sheet(rng)
        patch = _fit(glyph, _digit_height(rng, size), size)
        gray, where = _on_sheet(patch, rng, i % 2 == 1, size)
        samples.append((gray, label, f"typed, {path.stem}, {label}, +{bold} outline, "
                                     f"rot {angle:+.1f}, {where}"))
    return samples


# ---- b. second_hand: pen paths -----------------------------------------------------------

class Pen:
    """A pen that leaves polylines: move, line, curve (quadratic) and elliptic arcs.

    Coordinates: y down, a digit about 1 tall and 0.6 wide. Angles in degrees, 0 = right,
    90 = down; an arc from a to b with b > a turns clockwise on screen.
    """

    STEP = 0.01  # distance between points

    def __init__(self) -> None:
        self.strokes: list[list[tuple[float, float]]] = []
        self.lifted = True  # the next arc starts a new stroke

    def move(self, x: float, y: float) -> Pen:
        self.strokes.append([(x, y)])
        self.lifted = False
        return self

    def lift(self) -> Pen:
        self.lifted = True
        return self

    def _to(self, points: np.ndarray) -> Pen:
        self.strokes[-1].extend(map(tuple, points))
        return self

    def line(self, x: float, y: float) -> Pen:
        x0, y0 = self.strokes[-1][-1]
        n = max(2, int(np.hypot(x - x0, y - y0) / self.STEP))
        t = np.linspace(0, 1, n)[1:, None]
        return self._to((1 - t) * [x0, y0] + t * [x, y])

    def curve(self, cx: float, cy: float, x: float, y: float) -> Pen:
        p0 = np.array(self.strokes[-1][-1])
        t = np.linspace(0, 1, 40)[1:, None]
        return self._to((1 - t) ** 2 * p0 + 2 * t * (1 - t) * [cx, cy] + t ** 2 * [x, y])

    def arc(self, cx: float, cy: float, rx: float, ry: float, a: float, b: float) -> Pen:
        """Continue along the ellipse from angle a to b (a new stroke after a lift)."""
        n = max(3, int(np.radians(abs(b - a)) * max(rx, ry) / self.STEP))
        t = np.radians(np.linspace(a, b, n))
        points = np.stack([cx + rx * np.cos(t), cy + ry * np.sin(t)], 1)
        if self.lifted:
            self.move(*points[0])
        return self._to(points[1:])


def _eight_in_one(p: Pen, squeeze: float) -> Pen:
    """A figure eight in one stroke (a lemniscate of Gerono stood up; top loop squeezed)."""
    t = np.linspace(0, 2 * np.pi, 200)
    y = (0.5 - 0.5 * np.cos(t)) ** squeeze
    p.move(0.3, 0.0)
    return p._to(np.stack([0.3 + 0.56 * np.sin(t) * np.cos(t), y], 1)[1:])


# Each: name -> (label, how to draw it with a fresh Pen). Shapes a person writes, several
# a MNIST writer rarely does (flagged 1, crossed 7, looped 2, open 6).
SHAPES = {
    "oval 0": (0, lambda p: p.arc(0.3, 0.5, 0.28, 0.48, -90, -470)),
    "narrow 0": (0, lambda p: p.arc(0.25, 0.5, 0.2, 0.5, -120, 250)),
    "stick 1": (1, lambda p: p.move(0.3, 0).line(0.28, 1)),
    "flag and base 1": (1, lambda p: p.move(0.1, 0.22).line(0.32, 0).line(0.32, 1)
                        .move(0.1, 1).line(0.54, 1)),
    "flag 1": (1, lambda p: p.move(0.14, 0.18).line(0.34, 0).line(0.34, 1)),
    "swan 2": (2, lambda p: p.arc(0.3, 0.28, 0.27, 0.26, 200, 380).line(0.02, 1).line(0.6, 1)),
    "looped 2": (2, lambda p: p.arc(0.3, 0.28, 0.27, 0.26, 190, 385).line(0.1, 0.97)
                 .arc(0.1, 0.89, 0.08, 0.08, 90, -270).line(0.62, 0.97)),
    "z 2": (2, lambda p: p.move(0.04, 0.12).curve(0.32, -0.1, 0.56, 0.14).line(0.04, 1)
            .line(0.6, 1)),
    "round 3": (3, lambda p: p.arc(0.28, 0.26, 0.25, 0.24, 200, 450)
                .arc(0.28, 0.74, 0.3, 0.26, -90, 160)),
    "flat-top 3": (3, lambda p: p.move(0.05, 0).line(0.55, 0).line(0.22, 0.38)
                   .arc(0.3, 0.68, 0.3, 0.3, -105, 150)),
    "open 4": (4, lambda p: p.move(0.1, 0).line(0.03, 0.62).line(0.64, 0.62)
               .move(0.46, 0.05).line(0.46, 1)),
    "closed 4": (4, lambda p: p.move(0.46, 0).line(0.0, 0.66).line(0.64, 0.66)
                 .move(0.46, 0).line(0.46, 1)),
    "bar-first 5": (5, lambda p: p.move(0.56, 0).line(0.1, 0).line(0.08, 0.45)
                    .arc(0.3, 0.68, 0.28, 0.3, -140, 150)),
    "bar-last 5": (5, lambda p: p.move(0.12, 0.02).line(0.04, 0.56)
                   .arc(0.3, 0.7, 0.3, 0.27, -150, 140).move(0.12, 0.02).line(0.6, 0.0)),
    "closed 6": (6, lambda p: p.move(0.55, 0.03).curve(0.05, 0.1, 0.05, 0.72)
                 .arc(0.3, 0.72, 0.25, 0.26, 180, -180)),
    "open 6": (6, lambda p: p.move(0.55, 0.03).curve(0.04, 0.1, 0.05, 0.72)
               .arc(0.3, 0.72, 0.25, 0.26, 180, -100)),
    "plain 7": (7, lambda p: p.move(0.02, 0.02).line(0.6, 0).line(0.2, 1)),
    "crossed 7": (7, lambda p: p.move(0.02, 0.02).line(0.6, 0).line(0.2, 1)
                  .move(0.18, 0.5).line(0.6, 0.5)),
    "curved 7": (7, lambda p: p.move(0.0, 0.05).line(0.6, 0.02).curve(0.3, 0.4, 0.3, 1.0)),
    "two-loop 8": (8, lambda p: p.arc(0.3, 0.25, 0.22, 0.24, -90, 270).lift()
                   .arc(0.3, 0.72, 0.28, 0.27, -90, 270)),
    "one-stroke 8": (8, lambda p: _eight_in_one(p, 1.25)),
    "straight 9": (9, lambda p: p.arc(0.3, 0.25, 0.25, 0.23, 0, -360).line(0.53, 1)),
    "hooked 9": (9, lambda p: p.arc(0.3, 0.25, 0.25, 0.23, 0, -360).curve(0.6, 1.0, 0.22, 0.96)),
}
_BY_LABEL = [[name for name, (d, _) in SHAPES.items() if d == label] for label in range(10)]


def _handwrite(strokes: list[list], rng: np.random.Generator) -> list[np.ndarray]:
    """Return the strokes bent as one hand would: proportions, affine map, per-stroke shift,
    smooth wobble."""
    tall = rng.uniform(0.75, 1.3)  # y -> y ** tall: top half bigger (< 1) or smaller (> 1)
    angle = np.radians(rng.normal(0, 7))
    slant, widen = rng.uniform(-0.4, 0.2), np.exp(rng.uniform(-0.3, 0.25))
    c, s = np.cos(angle), np.sin(angle)
    affine = np.array([[c, -s], [s, c]]) @ np.array([[widen, -slant], [0, 1]])  # (2, 2)
    out = []
    for stroke in strokes:
        p = np.asarray(stroke, np.float64)  # (N, 2)
        p[:, 1] = np.sign(p[:, 1]) * np.abs(p[:, 1]) ** tall
        run = np.r_[0, np.cumsum(np.hypot(*np.diff(p, axis=0).T))]  # arc length along it
        for axis in (0, 1):  # a slow sinusoidal drift of the pen
            p[:, axis] += rng.uniform(0.005, 0.025) * np.sin(
                2 * np.pi * run / rng.uniform(0.6, 2.0) + rng.uniform(0, 2 * np.pi))
        out.append(p @ affine.T + rng.normal(0, 0.015, 2))
    return out


def _ink(strokes: list[np.ndarray], height: int, width_share: float,
         size: tuple[int, int]) -> np.ndarray:
    """Return the strokes drawn SUPERSAMPLE times larger with round joints, reduced: (h, w)."""
    points = np.concatenate(strokes)
    low, high = points.min(0), points.max(0)
    pen = max(width_share * height, 1.6)  # pen width in final pixels
    room = size[0] - 8 - 2 * pen  # the patch, margins included, must fit the sheet's width
    scale = SUPERSAMPLE * min(height / (high[1] - low[1]), room / (high[0] - low[0]))
    pen = margin = pen * SUPERSAMPLE  # in big pixels
    w, h = np.ceil((high - low) * scale + 2 * margin).astype(int)
    big = Image.new("L", (int(w), int(h)))
    draw = ImageDraw.Draw(big)
    for stroke in strokes:
        xy = (stroke - low) * scale + margin  # (N, 2) in big pixels
        draw.line([tuple(q) for q in xy], fill=255, width=int(round(pen)))
        for x, y in xy[:: max(1, len(xy) // 60)].tolist() + xy[-1:].tolist():
            draw.ellipse((x - pen / 2, y - pen / 2, x + pen / 2, y + pen / 2), fill=255)
    small = big.resize((max(1, w // SUPERSAMPLE), max(1, h // SUPERSAMPLE)), Image.BOX)
    return np.asarray(small, np.float32) / 255


def second_hand(count: int, seed: int) -> list[Sample]:
    """Return `count` handwritten-looking digits from this module's own pen-path shapes."""
    samples = []
    for i in range(count):
        rng = np.random.default_rng([seed, 2, i])
        label = i % 10
        name = _BY_LABEL[label][int(rng.integers(len(_BY_LABEL[label])))]
        pen = Pen()
        SHAPES[name][1](pen)
        strokes = _handwrite(pen.strokes, rng)
        size = _sheet(rng)
        width = float(rng.uniform(0.05, 0.15))  # pen width as a share of the digit's height
        # The patch is the digit plus a pen's width all round: both must fit the sheet.
        height = min(_digit_height(rng, size), int((size[1] - 8) / (1 + 2 * width)))
        patch = _ink(strokes, height, width, size)
        gray, where = _on_sheet(patch, rng, i % 2 == 1, size)
        samples.append((gray, label, f"second_hand, {name}, pen {width:.2f}, {where}"))
    return samples


# ---- c. lowres_scans ---------------------------------------------------------------------

def lowres_scans(count: int, seed: int) -> list[Sample]:
    """Return `count` MNIST test digits as low-resolution scans blown up: blocky or blurred.

    The digit (cropped to its ink with a small margin) is reduced to 8..14 px on its longer
    side, then enlarged 6..30x with nearest (blocky) or bilinear (blurred) resampling.

    Three in four dark on light (paper, a tone gradient across it), one in four light on
    dark (a screenshot of MNIST itself); every second one JPEG-compressed.
    """
    from digitapp.data.mnist import load_mnist

    test = load_mnist("test")
    order = np.random.default_rng([seed, 3]).permutation(len(test.labels))
    samples = []
    for i in range(count):
        rng = np.random.default_rng([seed, 3, i])
        index = int(order[i % len(order)])
        label = int(test.labels[index])
        # The digit with a margin of about a fifth of it, reduced to `side` px: the scan's
        # resolution. The whole 28x28 field at 7 px leaves a 5-px digit nobody can read;
        # at 7 px a cropped digit is still often a guess (contact sheets), hence 8.
        digit = Image.fromarray(np.asarray(test.images[index], np.uint8))
        left, top, right, bottom = digit.getbbox()
        margin = int(rng.integers(2, 5))
        crop = digit.crop((left - margin, top - margin, right + margin, bottom + margin))
        side = int(rng.integers(SCAN_SIDES[0], SCAN_SIDES[1], endpoint=True))
        shape = tuple(max(3, round(side * n / max(crop.size))) for n in crop.size)
        small = crop.resize(shape, Image.BOX)  # (side, <= side)
        factor = int(rng.integers(max(6, -(-SHEET_SIDES[0] // side)),
                                  min(30, SHEET_SIDES[1] // side), endpoint=True))
        nearest = bool(rng.integers(2))
        big = small.resize((shape[0] * factor, shape[1] * factor),
                           Image.NEAREST if nearest else Image.BILINEAR)
        ink = np.asarray(big, np.float32) / 255  # (S, S), 1 = ink
        light_on_dark = i % 4 == 1
        paper, tone = _tones(rng, light_on_dark)
        gradient = ", flat paper"
        if not light_on_dark and rng.random() < 0.6:  # lighting falls across the page
            direction = rng.normal(size=2)
            direction /= np.linalg.norm(direction)
            yy, xx = np.mgrid[0:1:ink.shape[0] * 1j, 0:1:ink.shape[1] * 1j]
            ramp = (xx - 0.5) * direction[0] + (yy - 0.5) * direction[1]
            paper = paper - rng.uniform(0.1, 0.3) * (ramp - ramp.min())
            gradient = ", gradient"
        gray = np.clip(paper + (tone - paper) * ink, 0, 1)
        jpeg = ", no jpeg"
        if i % 2 == 0:
            quality = int(rng.integers(25, 85))
            buffer = io.BytesIO()
            Image.fromarray(np.round(gray * 255).astype(np.uint8)).save(
                buffer, "JPEG", quality=quality)
            gray = np.asarray(Image.open(buffer), np.float32) / 255
            jpeg = f", jpeg {quality}"
        polarity = "light-on-dark" if light_on_dark else "dark-on-light"
        resampling = "nearest" if nearest else "bilinear"
        samples.append((gray.astype(np.float32), label,
                        f"lowres_scans, {side}px {resampling}, mnist-test #{index}, "
                        f"x{factor}{gradient}{jpeg}, {polarity}"))
    return samples


# ---- d. lowres_second_hand -------------------------------------------------------------

def lowres_second_hand(count: int, seed: int) -> list[Sample]:
    """Return `count` second_hand digits written small (8..14 px tall, pen included) and
    blown up 3..30x, blocky (nearest) or blurred (bilinear), on sheets like second_hand's.

    The not-a-digit check trains on MNIST train digits made blocky the way lowres_scans
    makes MNIST test ones (tools/not_a_digit_data.py), so lowres_scans is no longer a
    source it never saw the construction of; this one keeps both unseen: the digit shapes
    (this module's pen paths) and the rendering (drawn small with a pen, not reduced from a
    28x28 scan).
    """
    samples = []
    for i in range(count):
        rng = np.random.default_rng([seed, 4, i])
        label = i % 10
        name = _BY_LABEL[label][int(rng.integers(len(_BY_LABEL[label])))]
        pen = Pen()
        SHAPES[name][1](pen)
        strokes = _handwrite(pen.strokes, rng)
        side = int(rng.integers(SCAN_SIDES[0], SCAN_SIDES[1], endpoint=True))
        width = float(rng.uniform(0.08, 0.18))  # pen width as a share of the digit's height
        height = max(4, round(side / (1 + 2 * width)))  # the digit; the pen adds the rest
        small = _ink(strokes, height, width, (4 * side + 8, 4 * side + 8))  # (h, w) ~ side
        ph, pw = small.shape
        factor = int(rng.integers(max(3, -(-SHEET_SIDES[0] // max(ph, pw))),
                                  max(4, min(30, (SHEET_SIDES[1] - 8) // max(ph, pw))),
                                  endpoint=True))
        nearest = bool(rng.integers(2))
        big = Image.fromarray(np.round(small * 255).astype(np.uint8)).resize(
            (pw * factor, ph * factor), Image.NEAREST if nearest else Image.BILINEAR)
        patch = np.asarray(big, np.float32) / 255
        size = (int(rng.integers(patch.shape[1] + 8, max(patch.shape[1] + 9, 400), endpoint=True)),
                int(rng.integers(patch.shape[0] + 8, max(patch.shape[0] + 9, 400), endpoint=True)))
        gray, where = _on_sheet(patch, rng, i % 2 == 1, size)
        resampling = "nearest" if nearest else "bilinear"
        samples.append((gray, label, f"lowres_second_hand, {name}, {side}px {resampling}, "
                                     f"x{factor}, pen {width:.2f}, {where}"))
    return samples


SOURCES = {"typed": typed, "second_hand": second_hand, "lowres_scans": lowres_scans,
           "lowres_second_hand": lowres_second_hand}

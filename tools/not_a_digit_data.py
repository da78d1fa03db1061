"""Training data of the not-a-digit check (weights/checks/not-a-digit), drawn as the app sees it.

Every drawing is rendered the way the Draw tab renders a person's strokes (the canvas's own
ink code, digitapp.gui.draw.ink.render_steps, on the network's 256x256 sheet) and reduced by
the app's one preprocessing path (digitapp.data.preprocess.to_mnist28), so the check learns
from exactly the 28x28 images it will judge.

Classes (labels): 0 = a digit, 1 = not a digit.
  digits      MNIST train (the caller leaves the validation split out), stroke digits
              (testkit.stroke_digits, neat and messy hands) from a seed range of their own,
              never the benchmarks' (bench_drawn_digits seeds its generator with 0..),
              (--messy-strokes, since v10) more of them all in the messy hand, and
              (--lowres) MNIST train digits as blocky or blurred low-res scans blown up.
  non-digits  testkit.nondigit_drawings: the TRAIN split (which includes
              testkit.nondigit_more_templates) and, since v8, the held_out and
              held_out_fresh splits, whose figures had been reported and misses looked at
              (LOOKED_AT_SPLITS, from sample 100,000 on); held_out_third to
              held_out_eighth are never seen here; digit-like templates left out (an O
              is a fine 0), bent as a neat and as a messy hand; procedural drawings of
              random kinds (tools/random_strokes.py); font glyphs (letters, symbols,
              arrows, shapes) thinned and redrawn as pen strokes (tools/glyph_strokes.py);
              MNIST train digits turned or mirrored where that makes them no digit; and
              pairs of MNIST train digits side by side (two digits are not one digit).

    python tools/not_a_digit_data.py --out /tmp/not_a_digit.npz --glyphs 0  # the shipped data (v10)
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtGui import QGuiApplication, QImage  # noqa: E402

from digitapp.data.preprocess import WORK_SIDE, NoDigit, to_mnist28  # noqa: E402
from digitapp.gui.draw.canvas import DEFAULT_BRUSH  # noqa: E402
from digitapp.gui.draw.ink import Stroke, render_steps  # noqa: E402
from testkit.nondigit_drawings import FAMILIES, generate  # noqa: E402
from testkit.stroke_digits import bend, bounds, random_drawing  # noqa: E402
from tools.glyph_strokes import glyph_images  # noqa: E402
from tools.random_strokes import random_drawing as random_drawing_of_kind  # noqa: E402

DIGIT, NOT_DIGIT = 0, 1
MARGIN = 0.05  # free border of the sheet
VALIDATION, VALIDATION_SEED = 5000, 0  # MNIST train's validation split (as the Train tab)
STROKE_DIGIT_SEED = 7_000_000
PROCEDURAL_SEED = 8_000_000  # stroke digits here: rng([7_000_000, i]); benchmarks use 0..


def render(strokes: list[np.ndarray], brush: float) -> np.ndarray | None:
    """The 28x28 image (float32) of strokes given in shares of the sheet; None if no digit."""
    image = QImage(WORK_SIDE, WORK_SIDE, QImage.Format.Format_Grayscale8)
    steps = [Stroke(brush, [(float(x), float(y)) for x, y in s]) for s in strokes if len(s)]
    render_steps(image, steps)
    gray = np.frombuffer(image.constBits(), np.uint8).reshape(
        WORK_SIDE, image.bytesPerLine())[:, :WORK_SIDE].astype(np.float32) / 255
    try:
        return to_mnist28(gray)
    except NoDigit:
        return None


def placed(drawing: list[np.ndarray], size: float, brush: float, rng) -> list[np.ndarray]:
    """The drawing (corner at 0, any extent) scaled to `size` (longer side, share of the
    sheet) and put anywhere it fits whole, pen included."""
    low, high = bounds(drawing)
    extent = np.maximum(high - low, 1e-6)
    room = 1 - 2 * (MARGIN + brush / 2)
    scale = min(size, room) / float(extent.max())
    span = extent * scale
    lo = MARGIN + brush / 2
    corner = np.array([rng.uniform(lo, max(lo, 1 - lo - s)) for s in span], np.float32)
    return [(p - low) * np.float32(scale) + corner for p in drawing]


def a_brush(rng, i: int) -> float:
    """Half the default brush, half thin to thick pens (as a person might set the slider)."""
    return DEFAULT_BRUSH if i % 2 == 0 else float(rng.uniform(0.02, 0.12))


def nondigit_images(per_family: int, split: str = "train", start: int = 0) -> np.ndarray:
    """Templates of a split (samples start.. of it): half bent as a neat hand, half twice as
    hard."""
    out = []
    half = per_family // 2
    for family in FAMILIES:
        samples = generate(family, half, split, start=start) + generate(
            family, per_family - half, split, start=start + half, strength=2.0)
        for i, sample in enumerate(samples):
            if sample.template.digit_like:
                continue
            rng = np.random.default_rng([sample.seed, 11])
            brush = sample.brush if sample.brush is not None else a_brush(rng, i)
            image = render(placed(sample.drawing, sample.size, brush, rng), brush)
            if image is not None:
                out.append(image)
    return np.stack(out)


# Held-out splits whose figures were reported and whose misses were looked at (README, "Not
# a digit"): from v8 on they are training drawings; held_out_third (development) to
# held_out_eighth are not. Drawn here from sample LOOKED_AT_START of each split on, so that
# not even the benchmarks' own drawings of them (samples 0..) are trained on.
LOOKED_AT_SPLITS = ("held_out", "held_out_fresh")
LOOKED_AT_START = 100_000


MESSY_START = 100_000  # --messy-strokes: samples of the stroke-digit seed range from here on


def stroke_digit_images(count: int, start: int = 0,
                        messy_only: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Stroke digits (N, 28, 28) and labels (N,): samples start.. of the seed range, two neat
    for one messy (messy_only: all messy)."""
    images, labels = [], []
    for i in range(start, start + count):
        rng = np.random.default_rng([STROKE_DIGIT_SEED, i])
        digit = i % 10
        strength = 2.0 if messy_only or i % 3 == 0 else 1.0  # two neat for one messy
        drawing = random_drawing(digit, rng, strength)
        brush = a_brush(rng, i // 10)
        image = render(placed(drawing, float(rng.uniform(0.3, 0.85)), brush, rng), brush)
        if image is not None:
            images.append(image)
            labels.append(digit)
    return np.stack(images), np.asarray(labels)


def procedural_images(count: int) -> np.ndarray:
    """tools/random_strokes.py drawings, bent like a hand, any brush, any size."""
    out = []
    for i in range(count):
        rng = np.random.default_rng([PROCEDURAL_SEED, i])
        _, drawing = random_drawing_of_kind(rng)
        drawing = bend(drawing, rng, float(rng.uniform(0.5, 2.0)))
        brush = a_brush(rng, i)
        image = render(placed(drawing, float(rng.uniform(0.25, 0.85)), brush, rng), brush)
        if image is not None:
            out.append(image)
    return np.stack(out)


# Turned or mirrored, these digits are no digit. Left out (they stay or become a digit, or
# looked like one on a contact sheet): 0, 1, 8 every way; 6 and 9 (6 upside down is a 9, a
# quarter turn looked like a 6 or a 9 too often); 2 and 5 upside down (a Z, an S: 2 and 5).
TURNED = {1: (2, 3, 4, 5, 7), 2: (3, 4, 7), 3: (2, 3, 4, 5, 7)}  # by quarter turns
MIRRORED = (3, 4, 7)


def turned_digits(mnist: np.ndarray, labels: np.ndarray, count: int, seed: int) -> np.ndarray:
    """MNIST train digits turned by a quarter, a half or three quarters, or mirrored, where
    that makes them no digit; re-fitted by to_mnist28."""
    rng = np.random.default_rng(seed)
    out = []
    while len(out) < count:
        i = int(rng.integers(len(mnist)))
        digit, image = int(labels[i]), mnist[i]
        if rng.random() < 0.25:
            if digit not in MIRRORED:
                continue
            image = image[:, ::-1]
        else:
            quarter = int(rng.integers(1, 4))
            if digit not in TURNED[quarter]:
                continue
            image = np.rot90(image, quarter)
        try:
            out.append(to_mnist28(1 - image))
        except NoDigit:
            continue
    return np.stack(out)


def digit_pairs(mnist: np.ndarray, count: int, seed: int) -> np.ndarray:
    """Two MNIST digits side by side, apart or touching, re-fitted by to_mnist28 (a number
    is not one digit). Overlaid pairs are left out: too many look like one messy digit."""
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(count):
        a, b = mnist[rng.integers(len(mnist), size=2)]
        gap = int(rng.integers(-6, 4))  # negative: overlapping columns
        field = np.zeros((28, 56 + gap), np.float32)
        field[:, :28] = a
        field[:, 28 + gap:] = np.maximum(field[:, 28 + gap:], b)
        try:
            out.append(to_mnist28(1 - field))  # to_mnist28 takes dark ink on light paper too
        except NoDigit:
            continue
    return np.stack(out)


LOWRES_SIDES = (7, 14)  # lowres digits: the digit's longer side (with margin) in the scan, px


def lowres_digits(mnist: np.ndarray, labels: np.ndarray, count: int,
                  seed: int) -> tuple[np.ndarray, np.ndarray]:
    """MNIST train digits as low-resolution scans blown up, through the app's preprocessing.

    Each digit (28x28, 1 = ink), cropped to its ink with a 1-4 px margin, is reduced to
    7..14 px on its longer side (box filter: a scanner's pixels) and enlarged 3..20x with
    nearest (blocky) or bilinear (blurred) resampling, then re-fitted by to_mnist28, dark
    on light or light on dark. Labelled as the digit: the check must learn that blocky
    staircase edges are still a digit (the shipped v3 declined 4.4% of such scans).
    Returns (images (N, 28, 28) float32, labels (N,)).
    """
    from PIL import Image

    rng = np.random.default_rng(seed)
    images, out_labels = [], []
    while len(images) < count:
        i = int(rng.integers(len(mnist)))
        digit = Image.fromarray(np.round(mnist[i] * 255).astype(np.uint8))
        left, top, right, bottom = digit.getbbox()
        margin = int(rng.integers(1, 5))
        crop = digit.crop((left - margin, top - margin, right + margin, bottom + margin))
        side = int(rng.integers(LOWRES_SIDES[0], LOWRES_SIDES[1], endpoint=True))
        shape = tuple(max(3, round(side * n / max(crop.size))) for n in crop.size)
        small = crop.resize(shape, Image.BOX)
        factor = int(rng.integers(3, 21))
        resampling = Image.NEAREST if rng.random() < 0.6 else Image.BILINEAR
        ink = np.asarray(small.resize((shape[0] * factor, shape[1] * factor), resampling),
                         np.float32) / 255
        gray = ink if rng.random() < 0.3 else 1 - ink  # light on dark, or dark on light
        try:
            images.append(to_mnist28(gray))
        except NoDigit:
            continue
        out_labels.append(int(labels[i]))
    return np.stack(images), np.asarray(out_labels)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    # The defaults made the shipped check's data (v6, with --glyphs 0).
    parser.add_argument("--per-family", type=int, default=8000)
    parser.add_argument("--looked-at", type=int, default=3000,
                        help="drawings per family of each looked-at split (v6 had none: 0)")
    parser.add_argument("--stroke-digits", type=int, default=25000)
    parser.add_argument("--messy-strokes", type=int, default=15000,
                        help="more stroke digits, all in the messy hand (samples from "
                             "MESSY_START on; v10; v8 had none: 0)")
    parser.add_argument("--pairs", type=int, default=6000)
    parser.add_argument("--procedural", type=int, default=40000)
    parser.add_argument("--turned", type=int, default=12000)
    parser.add_argument("--glyphs", type=int, default=30000)
    parser.add_argument("--lowres", type=int, default=12000,
                        help="MNIST train digits as blocky low-res scans (v3 had none: 0)")
    parser.add_argument("--add-glyphs-to", type=Path,
                        help="only make the glyphs and add them to this earlier output")
    args = parser.parse_args()
    if args.add_glyphs_to is not None:  # the other sets are made already: add the glyphs
        with np.load(args.add_glyphs_to, allow_pickle=False) as earlier:
            arrays = dict(earlier)
        arrays["glyphs"] = glyph_images(args.glyphs, seed=9)
        print(f"glyphs: {len(arrays['glyphs'])}", flush=True)
        np.savez(args.out, **arrays)
        return 0
    app = QGuiApplication.instance() or QGuiApplication([])  # noqa: F841 (painting needs it)
    from digitapp.data.mnist import load_mnist

    t0 = time.perf_counter()
    nondigits = np.concatenate([nondigit_images(args.per_family)] + [
        nondigit_images(args.looked_at, split, LOOKED_AT_START)
        for split in LOOKED_AT_SPLITS if args.looked_at > 0])
    print(f"non-digit drawings: {len(nondigits)} in {time.perf_counter() - t0:.0f} s", flush=True)
    t0 = time.perf_counter()
    strokes, stroke_labels = stroke_digit_images(args.stroke_digits)
    print(f"stroke digits: {len(strokes)} in {time.perf_counter() - t0:.0f} s", flush=True)
    from digitapp.data.splits import split_train_val

    # The pairs come from MNIST's training part only: the validation split tunes the check.
    train, _ = split_train_val(load_mnist("train"), VALIDATION, VALIDATION_SEED)
    mnist = train.images.reshape(-1, 28, 28).astype(np.float32) / 255
    pairs = digit_pairs(mnist, args.pairs, seed=5)
    print(f"digit pairs: {len(pairs)}", flush=True)
    turned = turned_digits(mnist, train.labels, args.turned, seed=6)
    print(f"turned digits: {len(turned)}", flush=True)
    t0 = time.perf_counter()
    procedural = procedural_images(args.procedural)
    print(f"procedural: {len(procedural)} in {time.perf_counter() - t0:.0f} s", flush=True)
    arrays = dict(nondigits=nondigits.astype(np.float32), strokes=strokes,
                  stroke_labels=stroke_labels, pairs=pairs, turned=turned, procedural=procedural)
    if args.messy_strokes > 0:
        arrays["messy_strokes"], arrays["messy_stroke_labels"] = stroke_digit_images(
            args.messy_strokes, MESSY_START, messy_only=True)
        print(f"messy stroke digits: {len(arrays['messy_strokes'])}", flush=True)
    if args.lowres > 0:
        arrays["lowres"], arrays["lowres_labels"] = lowres_digits(
            mnist, train.labels, args.lowres, seed=10)
        print(f"low-res digits: {len(arrays['lowres'])}", flush=True)
    if args.glyphs > 0:
        arrays["glyphs"] = glyph_images(args.glyphs, seed=9)
        print(f"glyphs: {len(arrays['glyphs'])}", flush=True)
    np.savez(args.out, **arrays)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

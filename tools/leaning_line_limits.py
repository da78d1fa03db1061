"""Where a written 1 stops leaning: the table behind digitapp/app/leaning_line.py's limits.

For the training digits only (MNIST train, all 60,000; and stroke digits from the not-a-digit
check's own seed range, tools/not_a_digit_data.py), counts the images that are a line
(elongation under ELONGATION_MAX) leaning further than each angle, forwards ('/') and
backwards ('\\'), with their labels. The limits in leaning_line.py are read off this table
(its docstring says how). No test or held-out image is read.

    .venv/bin/python tools/leaning_line_limits.py [--stroke-digits 5000]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from digitapp.app.leaning_line import (  # noqa: E402
    BACKWARD_DEGREES,
    ELONGATION_MAX,
    FORWARD_DEGREES,
    ink_axes,
)
from digitapp.data.mnist import load_mnist  # noqa: E402

FORWARD = (40, 42, 45, 48, 50, 55)
BACKWARD = (15, 20, 25, 30, 35)


def table(name: str, images: np.ndarray, labels: np.ndarray) -> None:
    elongation, lean = ink_axes(images)
    line = elongation < ELONGATION_MAX
    print(f"{name}: {len(images):,} images, {line.sum():,} lines (elongation < {ELONGATION_MAX})")
    for sign, angles, word in ((1, FORWARD, "forwards '/'"), (-1, BACKWARD, "backwards '\\'")):
        for angle in angles:
            beyond = line & (sign * lean > angle)
            counts = np.bincount(labels[beyond], minlength=10)
            print(f"  {word} beyond {angle:2d} deg: {beyond.sum():5,} "
                  f"({100 * beyond.mean():.3f}%)  by label {counts.tolist()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--stroke-digits", type=int, default=5000,
                        help="stroke digits drawn through the canvas path (0: none)")
    args = parser.parse_args()
    train = load_mnist("train")
    table("MNIST train", train.images, train.labels)
    if args.stroke_digits:
        from PySide6.QtGui import QGuiApplication

        from tools.not_a_digit_data import stroke_digit_images
        _app = QGuiApplication.instance() or QGuiApplication([])
        images, labels = stroke_digit_images(args.stroke_digits)
        table("stroke digits (the check's training seeds)", images, labels)
    print(f"shipped limits: elongation < {ELONGATION_MAX}, forwards > {FORWARD_DEGREES} deg, "
          f"backwards > {BACKWARD_DEGREES} deg")


if __name__ == "__main__":
    main()

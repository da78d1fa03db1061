"""Make docs/screenshots/handwriting.png: the real main window's My handwriting tab.

Offscreen, in throw-away user folders: digits are drawn on the real Draw tab's canvas with
mouse events (testkit's stroke templates, varied as a person's hand varies), each kept with
its label and the model's answer as a correction would keep it; the My handwriting tab is
grabbed (handwriting-before.png), then "Teach digitapp my handwriting" runs and the tab is
grabbed again when it has ended (--out). With --no-teach, --out is the first grab.

    .venv/bin/python docs/screenshots/make_handwriting.py [--out PATH] [--size 960x640]
        [--per-digit 6] [--strength 1.6] [--no-teach] [--dark]
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from digitapp.paths import use_throwaway_user_folders  # noqa: E402

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
use_throwaway_user_folders("digitapp-shot-")

import numpy as np  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402
from waiting import open_main_window, wait_until  # noqa: E402

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))  # testkit/ (the drawing helpers, not installed)
LIMIT = 300  # seconds to wait for the teaching


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=str(HERE / "handwriting.png"))
    parser.add_argument("--size", default="960x640", help="window size, logical pixels")
    parser.add_argument("--per-digit", type=int, default=6, help="drawings kept per digit")
    parser.add_argument("--strength", type=float, default=1.6,
                        help="how far drawings stray from the templates (1: testkit's usual)")
    parser.add_argument("--no-teach", action="store_true", help="grab before teaching only")
    parser.add_argument("--dark", action="store_true", help="a dark desktop's palette")
    return parser.parse_args()


def keep_drawings(window, per_digit: int, strength: float) -> int:
    """Draw `per_digit` drawings of each digit on the Draw tab; keep each with its label.
    Return how many the model misread."""
    from digitapp.store.handwriting import Drawing
    from testkit.mouse_drawing import draw_and_read, on_sheet
    from testkit.stroke_digits import random_drawing

    tab, rng, misread = window.draw_tab, np.random.default_rng(7), 0
    name = window.active_model.snapshot.name
    for digit in np.repeat(np.arange(10), per_digit):
        strokes = random_drawing(int(digit), rng, strength)
        prediction, _ = draw_and_read(tab, on_sheet(tab.ui.canvas, strokes, 0.7), 0.06)
        if prediction is None:
            continue
        misread += prediction.digit != digit
        window.handwriting_tab.collection.add(Drawing(
            int(digit), prediction.image28, predicted=prediction.digit,
            confidence=float(prediction.confidence), model=name, source="canvas"))
    tab.ui.canvas.clear()
    return misread


def grab(app: QApplication, window, path: str) -> None:
    for _ in range(10):  # let every repaint land
        app.processEvents()
    if not window.grab().save(path):
        raise SystemExit(f"could not write {path}")


def main() -> int:
    args = parse_args()

    app, window = open_main_window(args.size, args.dark)
    app.processEvents()
    misread = keep_drawings(window, args.per_digit, args.strength)
    tab = window.handwriting_tab
    window.tabs.setCurrentWidget(tab)
    strip = tab.view.rows[7]
    for row in (1, 3):  # two drawings selected: what Remove and the context menu act on
        strip.view.selectionModel().select(strip.model.index(row),
                                           strip.view.selectionModel().SelectionFlag.Select)
    before = args.out if args.no_teach else str(
        Path(args.out).with_name(Path(args.out).stem + "-before.png"))
    grab(app, window, before)
    print(f"{before}: {tab.summary_label.text()}, {misread} misread when drawn")
    if not args.no_teach:
        tab.teach.start_teaching()
        wait_until(app, lambda: not tab.teach.running(), LIMIT, "the teaching")
        grab(app, window, args.out)
        print(f"{args.out}: {tab.teach.result_label.text()}")
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

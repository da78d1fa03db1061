"""Make docs/screenshots/inside-mlp.png and inside-cnn.png: the Inside window of the real app.

Offscreen, in throw-away user folders: a digit is drawn on the Draw tab's canvas with real
mouse events, the Inside window is opened (View > See inside the network), a unit of the
first layer is clicked and its top test images are ranked, and the window is grabbed.

    .venv/bin/python docs/screenshots/make_inside.py [--models mlp-512 cnn] [--digit 4]
        [--unit 0] [--size 920x720] [--out-dir docs/screenshots] [--dark]
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
from waiting import open_main_window, wait_until  # noqa: E402

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
LIMIT = 120  # seconds to wait for the ranking


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--models", nargs="+", default=["mlp-512", "cnn"])
    parser.add_argument("--digit", type=int, default=4)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--unit", type=int, default=None,
                        help="the first layer's unit clicked (default: the most active)")
    parser.add_argument("--size", default="920x720", help="window size, logical pixels")
    parser.add_argument("--out-dir", default=str(HERE))
    parser.add_argument("--dark", action="store_true", help="a dark desktop's palette")
    return parser.parse_args()


def main() -> int:
    args = parse_args()
    sys.path.insert(0, str(ROOT))  # testkit/, the drawing helpers, is not installed
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from digitapp.paths import weights_path
    from testkit.mouse_drawing import draw, on_sheet
    from testkit.stroke_digits import random_drawing

    app, window = open_main_window("960x640", args.dark)
    tab = window.draw_tab
    inside = window.show_inside()
    inside.resize(*(int(v) for v in args.size.split("x")))
    for name in args.models:
        tab.use_model(weights_path(name))
        tab.ui.canvas.clear()
        drawing = random_drawing(args.digit, np.random.default_rng(args.seed), 0.6)
        draw(tab.ui.canvas, on_sheet(tab.ui.canvas, drawing, 0.62, (0.5, 0.52)))
        tab.predict_now()
        inside.update_now()
        first = inside.strip.entries[0].picture
        unit = args.unit
        if unit is None:  # the first layer's most active unit: a lively picture
            unit = int(np.argmax(first.values))
        QTest.mouseClick(first, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                         inside.strip.unit_point(0, unit))
        wait_until(app, lambda: inside.explorer.tiles.image is not None, LIMIT, "the Inside window")
        for _ in range(10):  # let every repaint land
            app.processEvents()
        inside.scroll.verticalScrollBar().setValue(0)
        app.processEvents()
        out = Path(args.out_dir) / f"inside-{'mlp' if name.startswith('mlp') else name}.png"
        if not inside.grab().save(str(out)):
            print(f"could not write {out}", file=sys.stderr)
            return 1
        print(f"wrote {out} ({name}, unit {unit} of the first layer)")
    window.shutdown_inside()
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

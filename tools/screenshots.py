"""Make the README's screenshots of the tabs from the real app (offscreen, QWidget.grab).

A digit is drawn on the canvas with real mouse events, the live prediction runs, and the
window is grabbed as it would be on screen.

    .venv/bin/python tools/screenshots.py                       # docs/screenshots/draw.png
    .venv/bin/python tools/screenshots.py --theme dark --out /tmp/draw-dark.png
    .venv/bin/python tools/screenshots.py --scale 2 --out /tmp/draw@2x.png
    .venv/bin/python tools/screenshots.py --digit 9 --strength 2 --seed 3   # a harder one
    .venv/bin/python tools/screenshots.py --tab mistakes        # docs/screenshots/mistakes.png
    .venv/bin/python tools/screenshots.py --tab insights        # docs/screenshots/insights.png
    .venv/bin/python tools/screenshots.py --tab number --text 2026   # docs/screenshots/number.png
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tab", choices=("draw", "number", "mistakes", "insights"),
                        default="draw")
    parser.add_argument("--text", default="2026", help="the number written (--tab number)")
    parser.add_argument("--out", help="PNG to write (default: docs/screenshots/TAB.png)")
    parser.add_argument("--theme", choices=("light", "dark"), default="light")
    parser.add_argument("--scale", type=float, default=1.0, help="QT_SCALE_FACTOR (HiDPI)")
    parser.add_argument("--digit", type=int, default=4)
    parser.add_argument("--strength", type=float, default=0.6, help="how bent the drawing is")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--size", default="960x640",
                        help="window size in logical pixels (the app's default size)")
    args = parser.parse_args()
    args.out = args.out or str(ROOT / "docs" / "screenshots" / f"{args.tab}.png")
    return args


def dark_palette():
    """Return a dark QPalette like those of dark desktop themes."""
    from PySide6.QtGui import QColor, QPalette

    role = QPalette.ColorRole
    colours = {
        role.Window: "#2b2b2b", role.WindowText: "#e6e6e6", role.Base: "#1e1e1e",
        role.AlternateBase: "#2b2b2b", role.Text: "#e6e6e6", role.Button: "#353535",
        role.ButtonText: "#e6e6e6", role.Highlight: "#3d8ee6", role.HighlightedText: "#ffffff",
        role.Mid: "#5a5a5a", role.Dark: "#1a1a1a", role.Light: "#505050",
        role.PlaceholderText: "#8a8a8a", role.ToolTipBase: "#353535", role.ToolTipText: "#e6e6e6",
    }
    palette = QPalette()
    for which, colour in colours.items():
        palette.setColor(which, QColor(colour))
    palette.setColor(QPalette.ColorGroup.Disabled, role.WindowText, QColor("#7a7a7a"))
    palette.setColor(QPalette.ColorGroup.Disabled, role.Text, QColor("#7a7a7a"))
    palette.setColor(QPalette.ColorGroup.Disabled, role.ButtonText, QColor("#7a7a7a"))
    return palette


def write_number(window, app, text: str, seed: int) -> str:
    """Write `text` in the Draw tab's number mode with mouse events; wait for the answer.
    (A box's tooltip is a window of its own, which a grab of the main window leaves out.)"""
    import time

    import numpy as np
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication

    from testkit.mouse_drawing import draw, from_shares
    from testkit.number_drawings import across_sheet, written
    from testkit.stroke_digits import bend

    tab = window.draw_tab
    tab.set_number_mode(True)
    rng = np.random.default_rng(seed)
    sample = written(text, gap=0.35)
    strokes = [s for d in sample.digits for s in bend(d, rng, 0.4)]
    draw(tab.ui.canvas, from_shares(tab.ui.canvas,
                                    across_sheet(strokes, tab.ui.canvas.aspect, 0.55, 0.22)))
    tab.predict_now()
    wanted, deadline = tab._ticket, time.perf_counter() + 20
    while (tab.last_number is None or tab.last_number.ticket < wanted) and \
            time.perf_counter() < deadline:
        app.processEvents()
        time.sleep(0.005)
    # The pointer leaves the canvas, taking the brush outline with it.
    QApplication.sendEvent(tab.ui.canvas, QEvent(QEvent.Type.Leave))
    return (f"wrote {text}, the network says {tab.ui.digit_label.text()} "
            f"({tab.ui.verdict_label.text()})")


def main() -> int:
    args = parse_args()
    # Qt reads these when the application starts: set them before importing it.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["QT_SCALE_FACTOR"] = f"{args.scale:g}"
    # Never touch the user's settings or data: a throw-away home for this run.
    from digitapp.paths import use_throwaway_user_folders

    use_throwaway_user_folders("digitapp-shots-")
    sys.path.insert(0, str(ROOT))  # testkit/, the drawing helpers, is not installed

    import numpy as np
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication

    from digitapp.gui.app import build_main_window, configure_application
    from testkit.mouse_drawing import draw, on_sheet
    from testkit.stroke_digits import random_drawing

    app = QApplication.instance() or QApplication(sys.argv[:1])
    configure_application(app)
    if args.theme == "dark":
        # What a desktop in dark mode hands a Qt app: the offscreen platform has no theme
        # of its own, so the palette is set here the way a platform theme would set it.
        app.setStyle("Fusion")
        app.setPalette(dark_palette())
    window = build_main_window()
    width, height = (int(v) for v in args.size.split("x"))
    window.resize(width, height)
    window.show()
    app.processEvents()

    if args.tab == "draw":
        tab = window.draw_tab
        drawing = random_drawing(args.digit, np.random.default_rng(args.seed), args.strength)
        draw(tab.ui.canvas, on_sheet(tab.ui.canvas, drawing, 0.62, (0.5, 0.52)))
        tab.predict_now()
        # The pointer leaves the canvas, taking the brush outline with it.
        QApplication.sendEvent(tab.ui.canvas, QEvent(QEvent.Type.Leave))
        said = (f"drew a {args.digit}, the network says {tab.ui.digit_label.text()} "
                f"({tab.ui.verdict_label.text()})")
    elif args.tab == "number":
        said = write_number(window, app, args.text, args.seed)
    else:
        sys.path.insert(0, str(ROOT / "tools"))
        import audit_shots

        show = audit_shots.show_mistakes if args.tab == "mistakes" else audit_shots.show_insights
        said = show(window, app)
    for _ in range(5):  # let every repaint land
        app.processEvents()

    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    if not window.grab().save(str(out)):
        print(f"could not write {out}", file=sys.stderr)
        return 1
    print(f"{out}: {args.theme}, scale {args.scale:g}, {said}")
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

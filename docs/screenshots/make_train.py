"""Make docs/screenshots/train.png: the real main window's Train tab in the middle of a run.

Offscreen, in throw-away user folders: two quick runs fill the Runs table, then the "Best
MLP" preset trains on full MNIST and the window is grabbed once --epochs epochs are done;
the run is then stopped cleanly.

    .venv/bin/python docs/screenshots/make_train.py [--out PATH] [--epochs 6] [--dark]
"""

from __future__ import annotations

import argparse
import math
import os
import sys
from pathlib import Path

from digitapp.paths import use_throwaway_user_folders  # noqa: E402

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
use_throwaway_user_folders("digitapp-shot-")

from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402
from PySide6.QtGui import QColor, QPalette  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

HERE = Path(__file__).resolve().parent
SIZE = (1280, 800)


def wait_until(app: QApplication, done, timeout_s: float = 900) -> None:
    """Run the event loop until done() is true (checked every 100 ms)."""
    loop = QEventLoop()
    timer = QTimer()
    timer.timeout.connect(lambda: done() and loop.quit())
    timer.start(100)
    QTimer.singleShot(int(timeout_s * 1000), loop.quit)
    loop.exec()
    timer.stop()
    if not done():
        raise SystemExit("timed out")


def dark_palette() -> QPalette:
    palette = QPalette()
    for role, colour in ((QPalette.ColorRole.Window, "#2b2b2b"),
                         (QPalette.ColorRole.WindowText, "#e6e6e6"),
                         (QPalette.ColorRole.Base, "#1e1e1e"),
                         (QPalette.ColorRole.AlternateBase, "#2a2a2a"),
                         (QPalette.ColorRole.Text, "#e6e6e6"),
                         (QPalette.ColorRole.Button, "#3a3a3a"),
                         (QPalette.ColorRole.ButtonText, "#e6e6e6"),
                         (QPalette.ColorRole.Highlight, "#2f65ca"),
                         (QPalette.ColorRole.HighlightedText, "#ffffff")):
        palette.setColor(role, QColor(colour))
    return palette


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE / "train.png")
    parser.add_argument("--epochs", type=int, default=6, help="epochs done at the grab")
    parser.add_argument("--dark", action="store_true", help="a dark palette (to check it)")
    args = parser.parse_args()

    from digitapp.gui.app import build_main_window, configure_application

    app = QApplication.instance() or QApplication(sys.argv[:1])
    configure_application(app)
    if args.dark:
        app.setStyle("Fusion")
        app.setPalette(dark_palette())
    window = build_main_window()
    window.resize(*SIZE)
    window.show()
    tab = window.train_tab
    window.tabs.setCurrentWidget(tab)

    # 1. Two short runs for the Runs table.
    for lr in ("0.001", "0.003"):
        tab.form.preset.setCurrentText("Quick look (under a minute)")
        tab.form.fields["epochs"].setText("3")
        tab.form.fields["lr"].setText(lr)
        tab.start()
        wait_until(app, lambda: not tab.is_running())

    # 2. The real thing, grabbed mid-run.
    tab.form.preset.setCurrentText("Best MLP")
    job = tab.form.job()
    tab.start()
    per_epoch = math.ceil(55_000 / job.config.batch_size)
    # A third into the next epoch, so that the batch curve runs ahead of the epoch points
    # (epoch --epochs has been validated and plotted before the next one's batches come).
    wait_until(app, lambda: tab.plots.batch_count() >= (args.epochs + 0.35) * per_epoch)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    if not window.grab().save(str(args.out)):
        raise SystemExit(f"could not write {args.out}")
    print(f"wrote {args.out}")
    tab.stop()
    wait_until(app, lambda: not tab.is_running())
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Make docs/screenshots/train.png: the real main window's Train tab in the middle of a run.

Offscreen, in throw-away user folders: two quick runs fill the Runs table, then the "Best
MLP" preset trains on full MNIST and the window is grabbed once --epochs epochs are done;
the run is then stopped cleanly.

    .venv/bin/python docs/screenshots/make_train.py [--out PATH] [--epochs 6] [--size 960x640]
        [--dark]
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

from waiting import open_main_window, wait_until  # noqa: E402

HERE = Path(__file__).resolve().parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE / "train.png")
    parser.add_argument("--epochs", type=int, default=6, help="epochs done at the grab")
    parser.add_argument("--dark", action="store_true", help="a dark palette (to check it)")
    parser.add_argument("--size", default="960x640", help="window size, logical pixels")
    args = parser.parse_args()


    app, window = open_main_window(args.size, args.dark)
    tab = window.train_tab
    window.tabs.setCurrentWidget(tab)

    # 1. Two short runs for the Runs table.
    for lr in ("0.001", "0.003"):
        tab.form.preset.setCurrentText("Quick look (under a minute)")
        tab.form.fields["epochs"].setText("3")
        tab.form.fields["lr"].setText(lr)
        tab.start()
        wait_until(app, lambda: not tab.is_running(), 900, "the run to end")

    # 2. The real thing, grabbed mid-run.
    tab.form.preset.setCurrentText("Best MLP")
    job = tab.form.job()
    tab.start()
    per_epoch = math.ceil(55_000 / job.config.batch_size)
    # A third into the next epoch, so that the batch curve runs ahead of the epoch points
    # (epoch --epochs has been validated and plotted before the next one's batches come).
    wait_until(app, lambda: tab.plots.batch_count() >= (args.epochs + 0.35) * per_epoch, 900,
               "the epochs to show")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    if not window.grab().save(str(args.out)):
        raise SystemExit(f"could not write {args.out}")
    print(f"wrote {args.out}")
    tab.stop()
    wait_until(app, lambda: not tab.is_running(), 900, "the run to end")
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Make docs/screenshots/trust.png: the real main window's Trust tab, robustness measured.

Offscreen, in throw-away user folders: the Trust tab is opened on the shipped model, its
audit and figures arrive, robustness is measured (for the model compared with too) and the
window is grabbed.

    .venv/bin/python docs/screenshots/make_trust.py [--out PATH] [--size 960x640]
        [--compare mlp-512 | --compare none] [--no-robustness] [--dark]
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from digitapp.paths import use_throwaway_user_folders  # noqa: E402

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
use_throwaway_user_folders("digitapp-shot-")

from waiting import open_main_window, wait_until  # noqa: E402

HERE = Path(__file__).resolve().parent
LIMIT = 300  # seconds to wait for any one job


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=str(HERE / "trust.png"))
    parser.add_argument("--size", default="960x640", help="window size, logical pixels")
    parser.add_argument("--compare", default="mlp-512",
                        help="the model whose curves are drawn beside (none: no other)")
    parser.add_argument("--no-robustness", action="store_true",
                        help="grab before robustness is measured")
    parser.add_argument("--dark", action="store_true", help="a dark desktop's palette")
    return parser.parse_args()


def main() -> int:
    args = parse_args()

    app, window = open_main_window(args.size, args.dark)
    tab = window.audit_tabs.trust
    window.tabs.setCurrentWidget(tab)
    wait_until(app, lambda: tab.figures is not None, LIMIT, "the Trust tab")
    if args.compare != "none":
        found = tab.robustness.compare_combo.findText(args.compare)
        if found < 0:
            raise SystemExit(f"no model {args.compare!r} to compare with")
        tab.robustness.compare_combo.setCurrentIndex(found)
    if not args.no_robustness:
        tab.robustness.measure_robustness()
        wait_until(app, lambda: not tab.trust.robustness_running(), LIMIT, "the Trust tab")
    for _ in range(10):  # let every repaint land
        app.processEvents()
    if not window.grab().save(args.out):
        print(f"could not write {args.out}", file=sys.stderr)
        return 1
    print(f"{args.out}: {tab.summary.text()}")
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark: teaching from the My handwriting tab: how long, and whether the window stays
responsive (issue 14: 50-500 drawings in <= 60 s, timer stall p99 <= 50 ms).

Fills a throw-away handwriting collection with drawings of the simulated writers
(testkit/writers.py, every writer in turn, `--drawings` of them), presses Teach in the real
window (offscreen, default size) and waits for the personal model, while a 10 ms precise
timer in the GUI thread records how late each tick comes (bench_gui_training's
StallMeter). Also the same timer with nothing to do (the machine's floor).

    .venv/bin/python benchmarks/bench_teach.py [--drawings 50,500] [--model DIR] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np
from bench_gui_training import StallMeter, idle_stall
from draw_window import open_draw_tab
from PySide6.QtCore import QEventLoop, QTimer

from digitapp.store.drawing_rows import Drawing

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from testkit.writers import WRITERS, writer_images  # noqa: E402

SEED = 31_000  # drawings of this benchmark: seeds [SEED + n, i]


def fill(collection, count: int) -> None:
    """Replace the collection with `count` drawings, every writer and digit in turn."""
    collection.clear()
    names = sorted(WRITERS)
    per_writer = -(-count // len(names))
    drawings = []
    for n, name in enumerate(names):
        images, labels = writer_images(WRITERS[name], -(-per_writer // 10), SEED + n)
        drawings += [Drawing(int(label), image, source="import")
                     for image, label in zip(images, labels, strict=True)]
    collection.store.add_many(drawings[:count])
    collection.announce_change()


def teach_once(app, window, count: int) -> dict:
    tab = window.handwriting_tab
    window.tabs.setCurrentWidget(tab)
    fill(window.handwriting_tab.collection, count)
    app.processEvents()
    panel = tab.teach
    results = []
    panel.taught.connect(results.append)
    meter = StallMeter()
    loop = QEventLoop()
    meter.start()
    started = time.perf_counter()
    load_before = os.getloadavg()[0]
    assert panel.start_teaching(), "teaching did not start"
    done = QTimer()  # the teaching ended (taught, failed or cancelled): stop waiting
    done.timeout.connect(lambda: None if panel.running() else loop.quit())
    done.start(50)
    loop.exec()
    done.stop()
    meter.stop()
    wall = time.perf_counter() - started
    panel.taught.disconnect(results.append)
    if not results:
        raise SystemExit(f"teaching {count} drawings did not finish: "
                         f"{panel.status.text() if hasattr(panel.status, 'text') else ''}")
    result = results[0]
    late = np.array(meter.lateness) * 1000
    panel.back_to_base()  # the next round teaches from the shipped model again
    return {"drawings": count, "taught": result.drawings, "held_back": result.held_back,
            "seconds": round(wall, 1), "teach_seconds": round(result.seconds, 1),
            "yours_before": result.yours_before, "yours_after": result.yours_after,
            "mnist_before": result.mnist_before, "mnist_after": result.mnist_after,
            "stall_p50_ms": round(float(np.percentile(late, 50)), 1),
            "stall_p99_ms": round(float(np.percentile(late, 99)), 1),
            "stall_max_ms": round(float(late.max()), 1),
            "load": [round(load_before, 2), round(os.getloadavg()[0], 2)]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--drawings", default="50,500", help="collection sizes, in turn")
    parser.add_argument("--model", help="the base (default: the shipped default)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    app, window, _ = open_draw_tab(args.model)
    rows = [{"idle": idle_stall()}]
    for count in (int(c) for c in args.drawings.split(",")):
        rows.append(teach_once(app, window, count))
        if not args.json:
            r = rows[-1]
            print(f"{r['drawings']} drawings: {r['seconds']} s in the window "
                  f"(teaching {r['teach_seconds']} s); stall p50 {r['stall_p50_ms']} ms, "
                  f"p99 {r['stall_p99_ms']} ms, max {r['stall_max_ms']} ms; yours "
                  f"{r['yours_before']} -> {r['yours_after']}; MNIST {r['mnist_before']:.2%}"
                  f" -> {r['mnist_after']:.2%}; load {r['load']}", flush=True)
    window.close()
    if args.json:
        print(json.dumps(rows))
    else:
        print(f"idle GUI stall p99 {rows[0]['idle']['p99_ms']:.1f} ms, "
              f"max {rows[0]['idle']['max_ms']:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark: the Mistakes and Insights tabs' work on this machine, against the issue's goals.

1. Evaluation: the shipped model on the whole test set (10,000 images) plus the confusion
   matrix and per-class scores, as the tabs compute it (digitapp.app.audit.audit_model,
   one BLAS thread as in the GUI's background task). Loading MNIST is timed apart.
   Goal: < 1 s (issue 5). Issue 17 (blocked) asks for <= 0.5 s: printed beside it, not in
   the exit status.
2. t-SNE: the default map, t-SNE of the hidden layer for 2,000 test images (activations
   and the perplexity search included), one BLAS thread as in the GUI. Its trustworthiness
   is printed beside PCA's for the same points. Goal: < 30 s.
3. Grid: the Mistakes grid (real main window, offscreen, 1200x760) shows 3,000 items (an
   untrained model's mistakes, cut to 3,000), then scrolls through all of them a page at a
   time, then shows 10,000 ("right answers too"). Each operation is timed as the GUI thread
   runs it (model reset + paint, one scroll step + paint), and a 10 ms QTimer records how
   late its ticks come meanwhile (a stall shows as a late tick); the same timer idle first
   gives the floor that the machine's load sets. Goal: no step > 100 ms.

Other people's jobs share these two cores: every figure comes with the 1-minute load
average, and --rounds repeats the measures (the median and the worst are printed).
Exit status: 0 when every goal is met, 3 when it ran but missed one (a crash gives 1).

    .venv/bin/python benchmarks/bench_insights.py [--rounds 3] [--tsne-points 2000] \
        [--json results.json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

from digitapp.paths import use_throwaway_user_folders  # noqa: E402

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
_HOME = str(use_throwaway_user_folders("digitapp-bench-"))
# The repository root: testkit/ (trustworthiness, not installed) lives there.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from digitapp.analysis.pca import pca  # noqa: E402
from digitapp.app.audit import audit_model  # noqa: E402
from digitapp.app.maps import MapRequest, compute_map, layer_features  # noqa: E402
from digitapp.app.models import open_model  # noqa: E402
from digitapp.data.mnist import load_mnist  # noqa: E402
from digitapp.engine.blas import BLAS  # noqa: E402
from testkit.embedding_quality import trustworthiness  # noqa: E402

TICK_MS = 10
GOALS_MISSED = 3  # exit status: the benchmark ran, and a goal was missed


def load() -> float:
    return round(os.getloadavg()[0], 2)


def bench_evaluation(rounds: int, images: int) -> dict:
    start = time.perf_counter()
    test = load_mnist("test")
    load_seconds = time.perf_counter() - start
    model, _ = open_model()
    times, loads = [], []
    with BLAS.limited(1):
        warm = min(images, 1000)
        audit_model(model, test.images[:warm], test.labels[:warm])  # warm up
        for _ in range(rounds):
            loads.append(load())
            start = time.perf_counter()
            audit = audit_model(model, test.images[:images], test.labels[:images])
            times.append(time.perf_counter() - start)
            print(f"evaluation + confusion of {images:,} images: {times[-1]:.3f} s "
                  f"(load {loads[-1]})", flush=True)
    return {"seconds_median": statistics.median(times), "seconds_max": max(times),
            "load": loads, "mnist_load_seconds": load_seconds, "mistakes": audit.mistakes,
            "accuracy": audit.accuracy}, (model, audit)


def bench_tsne(model, audit, rounds: int, points: int) -> dict:
    times, loads = [], []
    request = MapRequest("hidden", "tsne", points)
    with BLAS.limited(1):
        for _ in range(rounds):
            loads.append(load())
            layer_map = compute_map(model, audit, request)
            times.append(layer_map.seconds)
            print(f"t-SNE {points:,} points: {times[-1]:.1f} s (load {loads[-1]})", flush=True)
        x = layer_features(model, audit.images[layer_map.indices], "hidden")
        t_tsne = trustworthiness(x, layer_map.xy, 10)
        t_pca = trustworthiness(x, pca(x, 2).embedding, 10)
    print(f"trustworthiness (k=10): t-SNE {t_tsne:.3f}, PCA {t_pca:.3f}")
    return {"seconds_median": statistics.median(times), "seconds_max": max(times),
            "load": loads, "trustworthiness_tsne": t_tsne, "trustworthiness_pca": t_pca}


def bench_grid(rounds: int) -> dict:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from digitapp.app.architectures import build
    from digitapp.engine import save_model
    from digitapp.gui.app import build_main_window, configure_application

    app = QApplication.instance() or QApplication(sys.argv[:1])
    configure_application(app)
    window = build_main_window()
    window.resize(1200, 760)
    window.show()
    weak = os.path.join(_HOME, "weak")
    save_model(build("mlp", [16], 0.0, seed=1), weak, {"name": "untrained"})
    window.active_model.use_path(weak)
    tab = window.audit_tabs.mistakes
    window.tabs.setCurrentWidget(tab)
    while tab.audit is None:
        app.processEvents()
        time.sleep(0.01)
    rows_3000 = tab.model.rows[:3000].copy()
    bar = tab.view.verticalScrollBar()

    lateness: list[float] = []
    expected = [0.0]

    def tick() -> None:
        now = time.perf_counter()
        lateness.append(max(0.0, now - expected[0]))
        expected[0] = now + TICK_MS / 1000

    timer = QTimer()
    timer.setInterval(TICK_MS)
    timer.timeout.connect(tick)

    def settle(seconds: float) -> None:
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            app.processEvents()
            time.sleep(0.001)

    # The floor: the same timer with nothing else to do (other people's jobs make it late).
    expected[0] = time.perf_counter() + TICK_MS / 1000
    timer.start()
    settle(2.0)
    timer.stop()
    idle = list(lateness)
    lateness.clear()
    print(f"idle: worst tick lateness {1000 * max(idle):.1f} ms, p99 "
          f"{1000 * float(np.percentile(idle, 99)):.1f} ms (load {load()})", flush=True)

    steps: dict[str, list[float]] = {"show 3,000": [], "scroll step": [], "show 10,000": []}
    loads = []
    for _ in range(rounds):
        loads.append(load())
        tab.model.set_rows(np.zeros(0, np.int64))
        settle(0.1)
        expected[0] = time.perf_counter() + TICK_MS / 1000
        timer.start()
        settle(0.05)
        start = time.perf_counter()
        tab.model.set_rows(rows_3000)
        tab.view.viewport().repaint()
        steps["show 3,000"].append(time.perf_counter() - start)
        settle(0.05)
        while bar.value() < bar.maximum():
            start = time.perf_counter()
            bar.setValue(bar.value() + bar.pageStep())
            tab.view.viewport().repaint()
            steps["scroll step"].append(time.perf_counter() - start)
            settle(0.02)  # the event loop runs between steps, as between wheel events
        start = time.perf_counter()
        tab.correct_check.setChecked(True)  # every test image: 10,000 rows
        tab.view.viewport().repaint()
        steps["show 10,000"].append(time.perf_counter() - start)
        settle(0.05)
        tab.correct_check.setChecked(False)
        timer.stop()
        worst = {k: f"{1000 * max(v):.1f}" for k, v in steps.items()}
        print(f"grid: worst ms {worst}, worst tick lateness "
              f"{1000 * max(lateness):.1f} ms (load {loads[-1]})", flush=True)
    window.close()
    result = {f"{k} ms max": 1000 * max(v) for k, v in steps.items()}
    result.update({f"{k} ms median": 1000 * statistics.median(v) for k, v in steps.items()})
    result.update({"scroll steps": len(steps["scroll step"]) // rounds,
                   "tick lateness ms max": 1000 * max(lateness),
                   "tick lateness ms p99": 1000 * float(np.percentile(lateness, 99)),
                   "idle tick lateness ms max": 1000 * max(idle),
                   "idle tick lateness ms p99": 1000 * float(np.percentile(idle, 99)),
                   "load": loads})
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--images", type=int, default=10_000,
                        help="test images evaluated (the goal is for all 10,000)")
    parser.add_argument("--tsne-rounds", type=int, default=2)
    parser.add_argument("--tsne-points", type=int, default=2000,
                        help="points in the t-SNE map (the goal is for 2,000)")
    parser.add_argument("--json", help="also write the figures to this JSON file")
    args = parser.parse_args()
    print(f"load average at start: {os.getloadavg()}")
    evaluation, (model, audit) = bench_evaluation(args.rounds, args.images)
    tsne_figures = bench_tsne(model, audit, args.tsne_rounds, args.tsne_points)
    grid = bench_grid(args.rounds)
    figures = {"evaluation": evaluation, f"tsne_{args.tsne_points}": tsne_figures,
               "grid_3000": grid, "cores": os.cpu_count()}
    goals = [(f"evaluation + confusion of {args.images:,} images < 1 s",
              evaluation["seconds_max"] < 1.0),
             (f"t-SNE {args.tsne_points:,} points < 30 s", tsne_figures["seconds_max"] < 30.0),
             ("grid: no GUI-thread step > 100 ms",
              max(grid["show 3,000 ms max"], grid["scroll step ms max"]) < 100.0)]
    for goal, met in goals:
        print(f"{'met' if met else 'MISSED'}: {goal}")
    faster = evaluation["seconds_max"] <= 0.5  # issue 17's goal, blocked: not in the status
    print(f"{'met' if faster else 'not met'} (issue 17, blocked): evaluation + confusion "
          f"of {args.images:,} images <= 0.5 s")
    if args.json:
        with open(args.json, "w") as file:
            json.dump(figures, file, indent=1)
    return 0 if all(met for _, met in goals) else GOALS_MISSED


if __name__ == "__main__":
    sys.exit(main())

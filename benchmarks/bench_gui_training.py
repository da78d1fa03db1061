"""Benchmark: training in the GUI process must neither freeze the window nor slow training.

1. Stall: while a full-MNIST MLP run trains in the real main window (Train tab, offscreen),
   a 10 ms QTimer records how late each tick comes, from Start until the run has ended
   (data loading, training, validation, test evaluation and saving all included).
   Goal: p99 lateness <= 50 ms, max <= 200 ms.
   The same timer with nothing to do first ("idle") shows the floor that the machine's
   load sets: on two shared cores other people's jobs alone make ticks late.
2. Throughput: the same job run by the CLI (`digitapp train`, a subprocess; with its
   default BLAS threads and with --threads 1) and by the GUI. Images per second of
   training time: training images x epochs / the sum of the epochs' seconds (validation
   included, test evaluation excluded), as both write it into model.json.
   Goal: the GUI within 10% of the CLI.

The job is the "Best MLP" preset (784-512-10, augmentation) cut to --epochs epochs, or with
--recipe cnn the "Best CNN" preset (the shipped CNN's recipe: two data-parallel threads
whose replica runner holds one BLAS thread each, in the CLI and the GUI alike, so --blas
does not apply), or with --recipe fast99 the "99% fast (2 epochs)" preset (the small CNN,
likewise on two data-parallel threads). Rounds alternate CLI and GUI runs (one per --blas
value) so that all see the same machine load; the 1-minute load average is printed with
every run. --blas auto measures the product's rule (the training worker takes the cores
other processes leave free, measured over the loading phase and again every epoch:
digitapp/app/other_work.py); a number N measures the worker asking for N threads instead
(the Train tab's `blas_rule`, a fixed count for that run: the product has no switch).

    .venv/bin/python benchmarks/bench_gui_training.py [--rounds 3] [--epochs 3] \
        [--blas auto,1,2] [--busy 1] [--recipe mlp|cnn|fast99]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from digitapp.paths import use_throwaway_user_folders  # noqa: E402

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The GUI's settings, models and runs database go to a throw-away home, not the user's.
use_throwaway_user_folders("digitapp-bench-")

import numpy as np  # noqa: E402
from PySide6.QtCore import QEventLoop, Qt, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

TICK_MS = 10


def load() -> float:
    return os.getloadavg()[0]


# --recipe -> (the Train tab's preset, the same recipe as `digitapp train` options)
RECIPES = {
    "mlp": ("Best MLP", ["--hidden", "512", "--dropout", "0.1", "--optimizer", "adam",
                         "--lr", "1e-3", "--schedule", "cosine", "--l2", "0.01", "--augment",
                         "--seed", "0"]),
    "cnn": ("Best CNN (30 epochs)",
            ["--arch", "cnn3", "--dropout", "0.3", "--optimizer", "adam", "--lr", "2e-3",
             "--schedule", "cosine", "--augment", "--seed", "0"]),
    "fast99": ("99% fast (2 epochs)",
               ["--arch", "cnn-small", "--dropout", "0", "--optimizer", "adam", "--lr", "1e-2",
                "--schedule", "cosine", "--val-size", "2000", "--seed", "0"]),
}


def cli_run(recipe: str, epochs: int, folder: Path, threads: int | None,
            train_size: int | None = None) -> dict:
    """Train with `digitapp train` in a subprocess; return the figures from model.json."""
    out = folder / f"cli-{time.time_ns()}"
    command = [sys.executable, "-m", "digitapp", "train", "--out", str(out),
               "--epochs", str(epochs), "--quiet", *RECIPES[recipe][1]]
    if train_size is not None:
        command += ["--train-size", str(train_size)]
    if threads is not None:
        command += ["--threads", str(threads)]
    subprocess.run(command, check=True, capture_output=True, text=True)
    training = json.loads((out / "model.json").read_text())["training"]
    seconds = sum(e["seconds"] for e in training["history"])
    return {"images_per_second": training["train_size"] * epochs / seconds,
            "epoch_seconds": seconds / epochs}


class StallMeter:
    """A 10 ms precise timer in the GUI thread; `lateness` holds how late each tick was."""

    def __init__(self) -> None:
        self.lateness: list[float] = []
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self._tick)
        self._last = None

    def start(self) -> None:
        self._last = time.perf_counter()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.lateness.append(max(0.0, now - self._last - TICK_MS / 1000))
        self._last = now


def gui_run(app: QApplication, window, recipe: str, epochs: int, blas: str,
            train_size: int | None = None) -> dict:
    """Train in the window's Train tab with `blas` BLAS threads ("auto": the product's
    rule); return stall and speed."""
    from digitapp.app.presets import PRESETS
    from digitapp.gui.train.worker import blas_threads_for_training

    tab = window.train_tab
    tab.blas_rule = (blas_threads_for_training if blas == "auto"
                     else lambda others_busy: int(blas))
    window.tabs.setCurrentWidget(tab)
    preset = RECIPES[recipe][0]
    tab.form.preset.setCurrentText(preset)
    tab.form.fields["epochs"].setText(str(epochs))
    if train_size is not None:
        tab.form.fields["train_size"].setText(str(train_size))
    assert tab.form.job() is not None, tab.form.problem_list()
    assert PRESETS[preset]().arch == tab.form.job().arch
    meter = StallMeter()
    meter.start()
    tab.start()
    loop = QEventLoop()  # the application's real waiting loop, not a busy processEvents
    tab.run.finished.connect(loop.quit)
    loop.exec()
    meter.stop()
    run = tab.last_record
    assert run.status == "completed", (run.status, run.message)
    seconds = sum(e["seconds"] for e in run.history)
    late = np.array(meter.lateness) * 1000
    return {"images_per_second": _train_images(run) * epochs / seconds,
            "epoch_seconds": seconds / epochs, "ticks": len(late),
            "p50_ms": float(np.percentile(late, 50)), "p99_ms": float(np.percentile(late, 99)),
            "max_ms": float(late.max()),
            "run_seconds": run.seconds, "test_accuracy": run.test_accuracy}


def idle_stall(seconds: float = 3.0) -> dict:
    """Return the timer's lateness with nothing to do: the floor the machine's load sets."""
    meter = StallMeter()
    meter.start()
    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()
    meter.stop()
    late = np.array(meter.lateness) * 1000
    return {"p99_ms": float(np.percentile(late, 99)), "max_ms": float(late.max())}


def _train_images(run) -> int:
    """Return how many images the run trained on (55,000 with the default split)."""
    from digitapp.engine import read_manifest

    return read_manifest(run.model_path)["training"]["train_size"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--blas", default="auto,1,2",
                        help="GUI BLAS thread counts to measure (auto: the product's rule)")
    parser.add_argument("--busy", type=int, default=0,
                        help="keep this many cores busy with spinning processes meanwhile "
                        "(the issue's case: another job holds a core)")
    parser.add_argument("--recipe", choices=sorted(RECIPES), default="mlp")
    parser.add_argument("--gui-only", action="store_true",
                        help="no CLI runs: time the GUI alone (e.g. the whole 30-epoch CNN)")
    parser.add_argument("--train-size", type=int, default=None,
                        help="training images per run (default: the recipe's all); "
                        "a few hundred make a quick check that the benchmark runs")
    parser.add_argument("--json", action="store_true", help="also print a JSON summary")
    args = parser.parse_args()
    if args.recipe == "cnn":
        args.blas = "auto"  # the CNN's replica runner holds one BLAS thread each
    spinners = [subprocess.Popen([sys.executable, "-c", "while True: pass"])
                for _ in range(args.busy)]
    try:
        return measure(args)
    finally:
        for spinner in spinners:
            spinner.kill()
            spinner.wait()


def measure(args: argparse.Namespace) -> int:
    blas_counts = args.blas.split(",")

    from digitapp.gui.app import build_main_window, configure_application

    app = QApplication.instance() or QApplication(sys.argv[:1])
    configure_application(app)
    window = build_main_window()
    window.resize(1280, 800)
    window.show()
    app.processEvents()
    folder = Path(tempfile.mkdtemp(prefix="digitapp-bench-cli-"))
    # Default BLAS threads, then one (the CNN recipe always uses one per worker).
    cli_variants = {"cli": None, "cli_threads1": 1} if args.recipe == "mlp" else {"cli": None}
    if args.gui_only:
        cli_variants = {}
    results: dict[str, list[dict]] = {name: [] for name in cli_variants}
    results.update({f"gui_blas{b}": [] for b in blas_counts})
    print(f"{os.cpu_count()} cores, {args.busy} kept busy; {args.epochs} epochs of the "
          f"{RECIPES[args.recipe][0]} recipe per run")
    for round_ in range(args.rounds):
        idle = idle_stall()
        print(f"round {round_ + 1}  idle GUI     stall p99 {idle['p99_ms']:.1f} ms  "
              f"max {idle['max_ms']:.1f} ms  load {load():.2f}", flush=True)
        for name, threads in cli_variants.items():
            before = load()
            r = cli_run(args.recipe, args.epochs, folder, threads, args.train_size)
            results[name].append(r)
            print(f"round {round_ + 1}  {name:12s} {r['images_per_second']:8,.0f} img/s  "
                  f"{r['epoch_seconds']:.2f} s/epoch  load {before:.2f}", flush=True)
        for blas in blas_counts:
            before = load()
            r = gui_run(app, window, args.recipe, args.epochs, blas, args.train_size)
            results[f"gui_blas{blas}"].append(r)
            print(f"round {round_ + 1}  gui blas={blas:4s} {r['images_per_second']:8,.0f} img/s  "
                  f"{r['epoch_seconds']:.2f} s/epoch  stall p50 {r['p50_ms']:.1f} ms  "
                  f"p99 {r['p99_ms']:.1f} ms  max {r['max_ms']:.1f} ms  "
                  f"({r['ticks']} ticks)  load {before:.2f}; "
                  f"whole run {r['run_seconds']:.0f} s, test accuracy "
                  f"{100 * r['test_accuracy']:.2f}%", flush=True)

    summary = {"recipe": args.recipe, "cores": os.cpu_count(), "busy": args.busy,
               "epochs": args.epochs, "rounds": args.rounds}
    cli = None
    if "cli" in results:
        cli = statistics.median(r["images_per_second"] for r in results["cli"])
        summary["cli_images_per_second"] = round(cli)
        summary["cli_epoch_seconds"] = round(statistics.median(
            r["epoch_seconds"] for r in results["cli"]), 2)
        print(f"\nmedian CLI: {cli:,.0f} images/s (default BLAS threads), "
              f"{summary['cli_epoch_seconds']:.1f} s per epoch")
    if "cli_threads1" in results:
        cli1 = statistics.median(r["images_per_second"] for r in results["cli_threads1"])
        summary["cli_threads1_images_per_second"] = round(cli1)
        print(f"median CLI with --threads 1: {cli1:,.0f} images/s")
    summary["load_at_end"] = round(load(), 2)
    for blas in blas_counts:
        runs = results[f"gui_blas{blas}"]
        gui = statistics.median(r["images_per_second"] for r in runs)
        p99 = max(r["p99_ms"] for r in runs)
        worst = max(r["max_ms"] for r in runs)
        ratio = gui / cli if cli else float("nan")
        ok = p99 <= 50 and worst <= 200 and (cli is None or ratio >= 0.9)
        epoch = statistics.median(r["epoch_seconds"] for r in runs)
        versus = f" = {100 * ratio:.0f}% of the CLI" if cli else ""
        print(f"GUI blas={blas}: median {gui:,.0f} images/s ({epoch:.1f} s per epoch){versus}; "
              f"stall p99 (worst run) {p99:.1f} ms, max {worst:.1f} ms  "
              f"-> {'meets' if ok else 'misses'} the goals")
        summary[f"gui_blas{blas}"] = {"images_per_second": round(gui),
                                      "epoch_seconds": round(epoch, 2),
                                      "ratio_to_cli": round(ratio, 3) if cli else None,
                                      "stall_p99_ms": round(p99, 1),
                                      "stall_max_ms": round(worst, 1)}
    if args.json:
        print(json.dumps(summary))
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark: does "90% sure" mean right 90% of the time? Calibration before and after a
temperature, on the MNIST test set and on digits drawn through the real canvas path.

For each model folder (default: every shipped model):
  MNIST test    the 10,000 test images
  drawn, neat   stroke digits (testkit.stroke_digits) drawn on the Draw tab's canvas with
  drawn, messy  mouse events, as bench_drawn_digits.py does (its run_setting: both brushes,
                default and random), read back as the 28x28 image the network sees
                (canvas -> gray() -> to_mnist28); the drawings are made once and given to
                every model. A drawing the tab finds no digit in is left out (counted).
Figures: accuracy, negative log-likelihood, expected calibration error (15 equal-width bins
of top-1 confidence), maximum calibration error, and the reliability table (per bin: count,
mean confidence, accuracy), "before" for the raw softmax (T = 1) and "after" for
softmax(logits / T) with the temperature the app uses: the one stored in the model folder
(app/calibration.py: fitted on the validation split, plain and distorted, when the model
was saved or by `digitapp calibrate`). A folder without one gets a T fitted here on its
plain validation split (val_size and seed from its model.json, as app.training splits it),
said so in the output.

    .venv/bin/python benchmarks/bench_calibration.py [--model FOLDER] [--drawn 100] [--json]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
from bench_drawn_digits import run_setting
from draw_window import open_draw_tab

from digitapp.analysis.calibration import BINS, calibration_report, fit_temperature
from digitapp.app.calibration import logits as logits_of
from digitapp.app.calibration import stored_temperature
from digitapp.app.models import open_model, shipped_models
from digitapp.app.recalibrate import validation_split_of
from digitapp.app.training import TrainingJob, load_job_data
from digitapp.engine import TrainConfig
from digitapp.gui.draw.canvas import DEFAULT_BRUSH

HANDS = {"neat": 1.0, "messy": 2.0}  # strength of the bends, as in bench_drawn_digits
BRUSHES = {  # as in bench_drawn_digits: the brush by default, and thin to thick pens
    "default brush": lambda rng: DEFAULT_BRUSH,
    "random brush": lambda rng: rng.uniform(0.03, 0.10),
}


def drawn_digits(per_digit: int, seed: int) -> dict[str, tuple[np.ndarray, np.ndarray, int]]:
    """Draw the digits on a real Draw tab; return {hand: (images28, labels, unanswered)}."""
    app, window, tab = open_draw_tab()
    drawn = {}
    for h, (hand, strength) in enumerate(HANDS.items()):
        records = []
        for b, brush in enumerate(BRUSHES.values()):
            # bench_drawn_digits's seeds for its settings: the same drawings as its run
            rng = np.random.default_rng([seed, h * len(BRUSHES) + b])
            records += run_setting(tab, rng, per_digit, strength, brush)
        seen = [r for r in records if r["image28"] is not None]
        drawn[hand] = (np.stack([r["image28"] for r in seen]).astype(np.float32),
                       np.array([r["digit"] for r in seen]), len(records) - len(seen))
    window.close()
    app.processEvents()
    return drawn


def validation_split(manifest: dict, cache: dict):
    """Return (validation, test) Datasets of a model: its held-out split, as it trained."""
    val_size, seed = validation_split_of(manifest)  # as `digitapp calibrate` splits it
    if (val_size, seed) not in cache:
        _, val, test = load_job_data(TrainingJob(val_size=val_size,
                                                 config=TrainConfig(seed=seed)))
        cache[(val_size, seed)] = (val, test)
    return cache[(val_size, seed)]


def worst_bin_count(report: dict) -> int:
    """The number of examples in the bin that sets the MCE (often a handful)."""
    table = report["reliability"]
    gaps = [(abs(a - c), n) for n, c, a in zip(table["count"], table["mean_confidence"],
                                               table["accuracy"], strict=True) if n]
    return max(gaps)[1]


def figures_line(name: str, before: dict, after: dict, extra: str = "") -> str:
    return (f"  {name:<13} {before['count']:>6}  {before['accuracy']:7.2%}  "
            f"NLL {before['nll']:.4f} -> {after['nll']:.4f}  "
            f"ECE {before['ece']:6.2%} -> {after['ece']:6.2%}  "
            f"MCE {before['mce']:6.2%} (n={worst_bin_count(before)}) -> "
            f"{after['mce']:6.2%} (n={worst_bin_count(after)})  "
            f"mean conf {before['mean_confidence']:.2%} -> {after['mean_confidence']:.2%}"
            + extra)


def reliability_lines(name: str, report: dict) -> list[str]:
    """The non-empty bins of a reliability table, one compact line."""
    table = report["reliability"]
    cells = [f"({lo:.2f},{hi:.2f}] n={n} conf {c:.3f} acc {a:.3f}"
             for lo, hi, n, c, a in zip(table["lower"], table["upper"], table["count"],
                                        table["mean_confidence"], table["accuracy"],
                                        strict=True) if n]
    return [f"    reliability {name}:"] + [f"      {cell}" for cell in cells]


def measure(folder: Path, drawn: dict, cache: dict) -> dict:
    model, manifest = open_model(folder)
    val, test = validation_split(manifest, cache)
    start = time.perf_counter()
    val_logits = logits_of(model, val.inputs())
    stored = stored_temperature(manifest)
    temperature = stored if stored is not None else fit_temperature(val_logits, val.labels)
    source = ("stored in the folder: the app's" if stored is not None
              else "none stored: fitted here on")
    sets = {"MNIST test": (logits_of(model, test.inputs()), test.labels, 0)}
    for hand, (images, labels, unanswered) in drawn.items():
        sets[f"drawn, {hand}"] = (logits_of(model, images), labels, unanswered)
    print(f"\nmodel {folder}: T = {temperature:.4f} ({source}); on its {len(val):,} validation "
          f"images NLL {calibration_report(val_logits, val.labels)['nll']:.4f} -> "
          f"{calibration_report(val_logits, val.labels, temperature)['nll']:.4f}")
    print(f"  {'set':<13} {'images':>6}  {'accuracy':>7}  (before -> after T)")
    result = {"model": str(folder), "temperature": temperature, "stored": stored is not None,
              "validation": {"count": len(val), "before": calibration_report(
                  val_logits, val.labels), "after": calibration_report(
                  val_logits, val.labels, temperature)}, "sets": {}}
    details = []
    for name, (logits, labels, unanswered) in sets.items():
        before = calibration_report(logits, labels, bins=BINS)
        after = calibration_report(logits, labels, temperature, bins=BINS)
        extra = f"  ({unanswered} drawings without an answer left out)" if unanswered else ""
        print(figures_line(name, before, after, extra))
        details += reliability_lines(f"{name}, before", before)
        details += reliability_lines(f"{name}, after T", after)
        result["sets"][name] = {"unanswered": unanswered, "before": before, "after": after}
    print("\n".join(details))
    print(f"  ({time.perf_counter() - start:.1f} s)")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", action="append", type=Path,
                        help="a model folder (repeatable; default: every shipped model)")
    parser.add_argument("--drawn", type=int, default=100,
                        help="drawings per digit per brush per hand (0: no drawn digits)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the drawings")
    parser.add_argument("--json", action="store_true", help="also print a JSON summary")
    args = parser.parse_args()
    folders = args.model or shipped_models()

    start = time.perf_counter()
    drawn = drawn_digits(args.drawn, args.seed) if args.drawn > 0 else {}
    if drawn:
        print(f"drawn digits: {args.drawn} per digit per brush per hand "
              f"({time.perf_counter() - start:.0f} s to draw)")
    cache: dict = {}
    results = [measure(folder, drawn, cache) for folder in folders]
    if args.json:
        print(json.dumps({"bins": BINS, "drawn_per_digit": args.drawn, "seed": args.seed,
                          "models": results}))


if __name__ == "__main__":
    main()

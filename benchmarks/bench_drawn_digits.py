"""Benchmark: accuracy on digits drawn as strokes, through the real canvas path.

MNIST is scanned ink; the Draw tab gets pen strokes. This draws synthetic stroke digits
(testkit.stroke_digits: hand-made templates bent by random affine maps and smooth
warps) on the Draw tab's canvas with QTest mouse events, at random sizes and positions,
and reads the prediction the tab shows: canvas -> gray() -> to_mnist28 -> model.

Four settings: two hands, two brushes.
  neat hand     bends of strength 1 (rotation sd 7 deg, slant sd 0.15, width +-15%, warps)
  messy hand    bends of strength 2 (all of the above doubled: rotation sd 14 deg, ...)
  default brush the brush a person gets without touching the slider (8% of the canvas)
  random brush  brush widths drawn from 3% to 10% of the canvas (thin to thick pens)

    .venv/bin/python benchmarks/bench_drawn_digits.py [--per-digit 200] [--model FOLDER] \
        [--results FOLDER]

Prints accuracy per setting, per digit, by size, and the commonest confusions; writes
drawn_digits.json and a gallery of mistakes (what the network saw) to --results
(default: benchmarks/results).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
from draw_window import open_draw_tab
from PIL import Image

from digitapp.gui.draw.canvas import DEFAULT_BRUSH

# The repository root: testkit/ (the drawing helpers, not installed) lives there.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from testkit.mouse_drawing import draw_and_read, on_sheet  # noqa: E402
from testkit.stroke_digits import random_drawing  # noqa: E402

RESULTS = Path(__file__).parent / "results"  # the default --results
HEIGHTS = (0.3, 0.85)  # digit height as a share of the canvas side, uniform
SIZE_BUCKETS = ((0.3, 0.45), (0.45, 0.6), (0.6, 0.75), (0.75, 0.85))


def sample_placement(rng: np.random.Generator) -> tuple[float, tuple[float, float]]:
    """Return (height, centre) in shares of the sheet: anywhere the digit fits whole."""
    height = rng.uniform(*HEIGHTS)
    half_w, half_h = 0.35 * height, 0.5 * height + 0.05  # about 0.6 wide, plus the pen
    centre = (rng.uniform(half_w + 0.05, 0.95 - half_w), rng.uniform(half_h, 1 - half_h))
    return height, centre


def run_setting(tab, rng, per_digit: int, strength: float, brush) -> list[dict]:
    """Draw per_digit random drawings of every digit; return one record per drawing."""
    records = []
    for digit in np.repeat(np.arange(10), per_digit):
        width = brush(rng)
        height, centre = sample_placement(rng)
        drawing = random_drawing(int(digit), rng, strength)
        p, _ = draw_and_read(tab, on_sheet(tab.ui.canvas, drawing, height, centre), width)
        records.append({
            "digit": int(digit), "predicted": None if p is None else p.digit,
            "confidence": None if p is None else round(p.confidence, 4),
            "height": round(height, 3), "brush": round(width, 4),
            "image28": None if p is None else p.image28,
        })
    return records


def accuracy(records) -> float:
    return float(np.mean([r["predicted"] == r["digit"] for r in records]))


def report(name: str, records: list[dict]) -> dict:
    print(f"\n{name}: {accuracy(records):.2%} of {len(records)} drawings")
    per_digit = {d: accuracy([r for r in records if r["digit"] == d]) for d in range(10)}
    print("  per digit: " + "  ".join(f"{d}:{a:.0%}" for d, a in per_digit.items()))
    by_size = {}
    for low, high in SIZE_BUCKETS:
        bucket = [r for r in records if low <= r["height"] < high]
        by_size[f"{low:.2f}-{high:.2f}"] = accuracy(bucket) if bucket else None
    print("  by height (share of canvas): "
          + "  ".join(f"{k}:{v:.0%}" for k, v in by_size.items() if v is not None))
    confusions = Counter((r["digit"], r["predicted"]) for r in records
                         if r["predicted"] != r["digit"])
    print("  commonest mistakes (drawn -> answered): "
          + ", ".join(f"{d}->{p if p is not None else 'none'} x{n}"
                      for (d, p), n in confusions.most_common(8)))
    return {"accuracy": accuracy(records), "count": len(records), "per_digit": per_digit,
            "by_height": by_size,
            "mistakes": {f"{d}->{p}": n for (d, p), n in confusions.most_common()}}


def save_gallery(records: list[dict], path: Path, limit: int = 60) -> None:
    """Save what the network saw for the first mistakes, 28x28 tiles, 10 per row."""
    wrong = [r for r in records if r["predicted"] != r["digit"] and r["image28"] is not None]
    if not wrong:
        return
    tiles = [np.pad(r["image28"], 1, constant_values=0.3) for r in wrong[:limit]]
    tiles += [np.zeros_like(tiles[0])] * (-len(tiles) % 10)
    rows = [np.hstack(tiles[i:i + 10]) for i in range(0, len(tiles), 10)]
    Image.fromarray((np.vstack(rows) * 255).astype(np.uint8)).resize(
        (rows[0].shape[1] * 3, len(rows) * rows[0].shape[0] * 3), Image.NEAREST).save(path)
    print("  mistakes (drawn -> answered, in order): "
          + " ".join(f"{r['digit']}->{r['predicted']}" for r in wrong[:limit]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--per-digit", type=int, default=200, help="drawings per digit")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--model", help="a model folder (default: the shipped default)")
    parser.add_argument("--results", type=Path, default=RESULTS,
                        help="folder for the JSON summary and the galleries of mistakes")
    args = parser.parse_args()

    app, window, tab = open_draw_tab(args.model)
    snapshot = tab.active_model.snapshot
    side = tab.ui.canvas.screen_image().width()
    print(f"model {snapshot.path} (MNIST test accuracy {snapshot.test_accuracy:.2%}); "
          f"sheet {side}x{side} px; {args.per_digit} drawings per digit per setting")

    default_brush = lambda rng: DEFAULT_BRUSH  # noqa: E731
    random_brush = lambda rng: rng.uniform(0.03, 0.10)  # noqa: E731
    settings = {  # name: (strength of the bends, brush width)
        "neat hand, default brush": (1.0, default_brush),
        "neat hand, random brush": (1.0, random_brush),
        "messy hand, default brush": (2.0, default_brush),
        "messy hand, random brush": (2.0, random_brush),
    }
    summary = {"model": str(snapshot.path), "mnist_test_accuracy": snapshot.test_accuracy,
               "canvas_px": side, "seed": args.seed, "settings": {}}
    args.results.mkdir(parents=True, exist_ok=True)
    for index, (name, (strength, brush)) in enumerate(settings.items()):
        start = time.perf_counter()
        rng = np.random.default_rng([args.seed, index])
        records = run_setting(tab, rng, args.per_digit, strength, brush)
        summary["settings"][name] = report(name, records)
        slug = name.replace(", ", "_").replace(" ", "-")
        save_gallery(records, args.results / f"drawn_mistakes_{slug}.png")
        print(f"  ({time.perf_counter() - start:.0f} s)")
    (args.results / "drawn_digits.json").write_text(json.dumps(summary, indent=1))
    window.close()


if __name__ == "__main__":
    main()

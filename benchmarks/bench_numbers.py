"""Benchmark: reading numbers of 2-6 digits, as the Draw tab's ink and as image files.

Numbers come from testkit/number_drawings.py (stroke digits of several templates, two-stroke
4s, 5s and 7s among them, in four hands: neat, messy, slanted, wavy baseline; gaps wide,
normal, narrow = nearly touching, and touching). Seeds [2026, i] are this benchmark's own:
the segmentation was developed on other seeds and never tuned on these.

  canvas  the strokes inked by the Draw tab's own code (gui/draw/ink.render_steps) on the
          number sheet (NUMBER_ASPECT wide, NUMBER_ROWS tall), the number placed and sized
          as a person would write it, then read_number, as the Draw tab does
  mouse   (--mouse N) the first N numbers also written with real mouse events in the Draw
          tab's number mode, read by its number reader thread as a person would see
  image   the number drawn as a PNG file, 60-300 px tall, dark on light or light on dark,
          read as `digitapp predict --number` does (load_grayscale_scaled + read_number);
          --cli N also runs N of them through the real command

Per gap kind (touching reported apart: the goal of 95% is for digits that do not touch):
whole-number accuracy; per-digit accuracy (a digit is right when the piece matched to it,
in order, reads it); and what the wrong numbers lost to: segmentation (not one piece per
digit, each inside its digit's columns) or classification (pieces right, a digit misread
or declined). Also the time to read a number on the canvas sheet (one BLAS thread, as
the Draw tab), by number of digits, and the load average.

    .venv/bin/python benchmarks/bench_numbers.py [--per-gap 200] [--model DIR] [--json]
        [--cli 20] [--mouse 100]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from draw_window import open_draw_tab  # noqa: E402  (offscreen, a throw-away home)
from PIL import Image  # noqa: E402
from PySide6.QtGui import QImage  # noqa: E402

from digitapp.app.models import open_model  # noqa: E402
from digitapp.app.number import LIVE_ROWS as NUMBER_ROWS  # noqa: E402
from digitapp.app.number import read_number  # noqa: E402
from digitapp.data.preprocess import NoDigit, load_grayscale_scaled  # noqa: E402
from digitapp.engine.blas import BLAS  # noqa: E402
from digitapp.gui.draw.ink import Stroke, render_steps  # noqa: E402
from testkit.mouse_drawing import draw, from_shares  # noqa: E402
from testkit.number_drawings import GAPS, PEN, make_number, render  # noqa: E402

NUMBER_ASPECT = 3.0  # the number sheet: three times as wide as tall
SEED = 2026  # this benchmark's seeds: [SEED, i]


def placement(sample, rng) -> tuple[list[np.ndarray], float, list[tuple[float, float]]]:
    """Place the number on the number sheet as a person would write it: (its strokes in
    paper units, the brush, each digit's column range in the network image's pixels)."""
    boxes = sample.boxes()
    x0 = min(b[0] for b in boxes)
    y0 = min(b[1] for b in boxes)
    width = max(b[2] for b in boxes) - x0
    height = max(b[3] for b in boxes) - y0
    # Digits 40-70% of the sheet's height, smaller when the number would not fit across.
    scale = min(rng.uniform(0.4, 0.7) / 1.0, 0.9 * NUMBER_ASPECT / width, 0.9 / height)
    left = rng.uniform(0.05, max(0.05, NUMBER_ASPECT - 0.05 - width * scale))
    top = rng.uniform(0.05, max(0.05, 0.95 - height * scale))
    brush = PEN * scale  # the generator's pen, so its gaps mean what they say

    strokes = [((s - [x0, y0]) * scale + [left, top]).astype(np.float32)
               for s in sample.strokes()]
    unit = NUMBER_ROWS  # network image pixels per paper unit
    columns = [(((b[0] - x0) * scale + left) * unit, ((b[2] - x0) * scale + left) * unit)
               for b in boxes]
    return strokes, brush, columns


def canvas_image(sample, rng) -> tuple[np.ndarray, list[tuple[float, float]]]:
    """Ink the number on the number sheet; return (gray (H, W) in [0, 1], each digit's
    column range in the image's pixels)."""
    strokes, brush, columns = placement(sample, rng)
    steps = [Stroke(brush, [(float(x), float(y)) for x, y in s]) for s in strokes]
    w = int(NUMBER_ROWS * NUMBER_ASPECT)
    image = QImage(w, NUMBER_ROWS, QImage.Format.Format_Grayscale8)
    render_steps(image, steps)
    gray = np.frombuffer(image.constBits(), np.uint8).reshape(
        NUMBER_ROWS, image.bytesPerLine())[:, :w].astype(np.float32) / 255
    return gray, columns


def mouse_reading(app, tab, sample, rng):
    """Write the number with mouse events in the Draw tab's number mode; return (what the
    tab read, each digit's column range in the network image's pixels)."""
    strokes, brush, columns = placement(sample, rng)
    canvas = tab.ui.canvas
    canvas.clear()
    canvas.set_brush_width(brush)
    draw(canvas, from_shares(canvas, strokes))
    answers = []
    tab.number_shown.connect(answers.append)
    tab.predict_now()
    wanted, deadline = tab._ticket, time.perf_counter() + 30
    while not any(a.ticket >= wanted for a in answers) and time.perf_counter() < deadline:
        app.processEvents()
        time.sleep(0.001)
    tab.number_shown.disconnect(answers.append)
    return tab.last_number.reading if tab.last_number else None, columns


def file_image(sample, rng, folder: Path, index: int) -> tuple[Path, list[tuple[float, float]]]:
    """Write the number as a PNG; return (its path, each digit's column range in pixels)."""
    height = int(rng.integers(60, 301))
    gray = render(sample, height)
    if rng.random() < 0.5:
        gray = 1 - gray
    path = folder / f"number-{index}.png"
    Image.fromarray(np.rint(gray * 255).astype(np.uint8)).save(path)
    boxes = sample.boxes()
    margin = 0.3
    low_x = min(b[0] for b in boxes) - margin
    low_y = min(b[1] for b in boxes) - margin
    top = max(b[3] for b in boxes) + margin
    unit = height / (top - low_y)
    return path, [((b[0] - low_x) * unit, (b[2] - low_x) * unit) for b in boxes]


def judge(text: str, reading, columns) -> dict:
    """Whole right, per-digit right count, and whether segmentation was right."""
    pieces = [] if reading is None else list(reading.digits)
    segmented = len(pieces) == len(text) and all(
        lo - 2 <= (d.box[0] + d.box[2]) / 2 <= hi + 2
        for d, (lo, hi) in zip(pieces, columns, strict=True))
    right_digits = 0
    if segmented:
        right_digits = sum(d.prediction.digit == int(c) for d, c in zip(pieces, text,
                                                                        strict=True))
    else:  # match each true digit to the first unused piece whose centre is inside it
        used = set()
        for c, (lo, hi) in zip(text, columns, strict=True):
            for k, d in enumerate(pieces):
                if k not in used and lo - 2 <= (d.box[0] + d.box[2]) / 2 <= hi + 2:
                    used.add(k)
                    right_digits += d.prediction.digit == int(c)
                    break
    number = None if reading is None else reading.number
    return {"right": number == text, "segmented": segmented, "digits": len(text),
            "right_digits": int(right_digits)}


def summarise(records: list[dict]) -> dict:
    n = len(records)
    wrong = [r for r in records if not r["right"]]
    return {
        "numbers": n,
        "whole_number_accuracy": sum(r["right"] for r in records) / n,
        "per_digit_accuracy": sum(r["right_digits"] for r in records) /
        sum(r["digits"] for r in records),
        "lost_to_segmentation": sum(not r["segmented"] for r in wrong) / n,
        "lost_to_classification": sum(r["segmented"] for r in wrong) / n,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--per-gap", type=int, default=200, help="numbers per gap kind")
    parser.add_argument("--model", default=None, help="a model folder (default: the default)")
    parser.add_argument("--cli", type=int, default=10, help="image numbers also read by the "
                        "real `digitapp predict --number` (checked to agree)")
    parser.add_argument("--mouse", type=int, default=20, help="numbers also written with "
                        "mouse events in the Draw tab's number mode")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    app, window, tab = open_draw_tab(args.model)
    tab.set_number_mode(True)
    model, _ = open_model(args.model)
    records = {"canvas": [], "mouse": [], "image": []}
    timings: dict[int, list[float]] = {}
    cli_checked, cli_agree = 0, 0
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp, BLAS.limited(1):
        folder = Path(tmp)
        index = 0
        for gap in GAPS:
            for i in range(args.per_gap):
                rng = np.random.default_rng([SEED, index])
                sample = make_number(rng, gap=gap)
                gray, columns = canvas_image(sample, rng)
                t0 = time.perf_counter()
                try:
                    reading = read_number(model, gray)
                except NoDigit:
                    reading = None
                timings.setdefault(len(sample.text), []).append(time.perf_counter() - t0)
                records["canvas"].append({"gap": gap, "hand": sample.hand,
                                          **judge(sample.text, reading, columns)})
                if len(records["mouse"]) < args.mouse and i < args.mouse / len(GAPS):
                    reading, columns = mouse_reading(app, tab, sample,
                                                     np.random.default_rng([SEED, index, 1]))
                    records["mouse"].append({"gap": gap, "hand": sample.hand,
                                             **judge(sample.text, reading, columns)})
                path, columns = file_image(sample, rng, folder, index)
                gray, factor = load_grayscale_scaled(path)
                try:
                    reading = read_number(model, gray)
                except NoDigit:
                    reading = None
                records["image"].append({"gap": gap, "hand": sample.hand,
                                         **judge(sample.text, reading, columns)})
                if cli_checked < args.cli and i % max(1, args.per_gap // 3) == 0:
                    cli_checked += 1
                    cli_agree += _cli_agrees(path, args.model, reading)
                index += 1
    report = {"model": args.model or "default", "seconds": round(time.perf_counter() -
                                                                 started, 1),
              "load_average": os.getloadavg(), "cli_checked": cli_checked,
              "cli_agree": cli_agree}
    tab.shutdown()
    window.close()
    for path_name, rows in records.items():
        if not rows:
            continue
        report[path_name] = {gap: summarise([r for r in rows if r["gap"] == gap])
                             for gap in GAPS if any(r["gap"] == gap for r in rows)}
        apart = [r for r in rows if r["gap"] != "touching"]
        report[path_name]["not touching"] = summarise(apart)
        report[path_name]["by hand (not touching)"] = {
            hand: summarise([r for r in apart if r["hand"] == hand])
            for hand in sorted({r["hand"] for r in apart})}
    report["read_ms_by_digits"] = {
        str(k): {"median": round(1000 * float(np.median(v)), 2),
                 "p95": round(1000 * float(np.percentile(v, 95)), 2), "n": len(v)}
        for k, v in sorted(timings.items())}
    if args.json:
        print(json.dumps(report))
        return
    for path_name in (name for name in records if name in report):
        print(f"\n{path_name}: whole-number / per-digit accuracy; wrong numbers lost to "
              "segmentation / classification")
        for key in (k for k in (*GAPS, "not touching") if k in report[path_name]):
            s = report[path_name][key]
            print(f"  {key:>12}: {s['whole_number_accuracy']:6.1%} / "
                  f"{s['per_digit_accuracy']:6.1%}   lost {s['lost_to_segmentation']:5.1%}"
                  f" / {s['lost_to_classification']:5.1%}   ({s['numbers']} numbers)")
        for hand, s in report[path_name]["by hand (not touching)"].items():
            print(f"  {hand:>12}: {s['whole_number_accuracy']:6.1%} whole (not touching)")
    print("\nread_number on the canvas sheet (ms, one BLAS thread):")
    for k, t in report["read_ms_by_digits"].items():
        print(f"  {k} digits: median {t['median']}, p95 {t['p95']} (n={t['n']})")
    print(f"\nthe real CLI agreed on {cli_agree} of {cli_checked}; "
          f"load average {report['load_average'][0]:.2f}; {report['seconds']} s")


def _cli_agrees(path: Path, model: str | None, reading) -> bool:
    command = [sys.executable, "-m", "digitapp", "predict", "--number", "--json", str(path)]
    if model:
        command += ["--model", model]
    out = subprocess.run(command, capture_output=True, text=True, timeout=120)
    try:
        line = json.loads(out.stdout.splitlines()[0])
    except (IndexError, ValueError):
        return False
    expected = None if reading is None else reading.number
    return line.get("number") == expected


if __name__ == "__main__":
    main()

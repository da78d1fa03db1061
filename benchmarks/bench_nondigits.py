"""Benchmark: what the app says when the drawing is NOT a digit (issue 13).

Non-digit drawings from testkit.nondigit_drawings (letters, symbols, doodles, scribbles,
dots and lines; the held_out_fourth split by default: template variants and seeds never
trained or tuned on, written before v8 of the check and measured once for its report;
--split held_out_third: the variants written before v7 and the leaning-line rule, reported
once with v6 and since then the development set of v8 (its views were chosen on it);
--split held_out / held_out_fresh: reported with v3-v6, and training drawings of v8 (other
seeds than the ones drawn here); --split held_out_fifth: written after v8's report, for the
next change to the check, untouched until then; --split held_out_sixth: written after the
fifth set's report, for the change after that, measured once for v10's report;
--split held_out_seventh: written after v10's report, measured once with v10 in the
sixth session; --split held_out_eighth: written after the seventh set had been measured,
measured once with v10 in the seventh session) are drawn on the Draw
tab's canvas with real mouse events, as bench_drawn_digits.py draws digits
(testkit.mouse_drawing.draw_and_read), and read back as the tab shows them: no digit (blank,
speck), not a digit (declined by the not-a-digit check, app/not_a_digit.py), or a digit,
with the 28x28 image the network saw.
Each canvas is also written as a PNG and classified as `digitapp predict` does
(app.classify.classify_file), and a few of them through the real CLI in a subprocess.

For each model (default: every shipped model), per family:
  declined   the share the app declines (no digit, or not a digit)
  named      the share where it names a digit
  sure       the share named with confidence >= 90%
Then the detectors compared, each as a score of "not a digit", against MNIST test digits
and drawn digits (bench_drawn_digits's generator: neat and messy hands, random brush;
seeds of their own): the maximum softmax probability (MSP, 1 - max probability) and the
energy score (-logsumexp of the logits), both thresholded to decline 0.3% of MNIST test
(issue 13's constraint), and the shipped check at its own threshold (chosen on held-back
TRAIN-split drawings and MNIST validation, tools/train_not_a_digit.py).

    .venv/bin/python benchmarks/bench_nondigits.py [--per-family 100] \
        [--split held_out_fourth|held_out_fifth|held_out_third|...] [--model FOLDER]... \
        [--drawn 20] [--mnist 10000] [--png-dir DIR] [--json]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from bench_drawn_digits import run_setting
from draw_window import open_draw_tab
from PIL import Image

from digitapp.analysis.separation import auroc, decline_threshold
from digitapp.app.calibration import logits
from digitapp.app.classify import classify_file
from digitapp.app.models import as_model_inputs, open_model, predict_checked, shipped_models
from digitapp.app.not_a_digit import NOT_A_DIGIT, shipped_check
from digitapp.data.mnist import load_mnist
from digitapp.data.preprocess import NoDigit
from digitapp.gui.draw.canvas import DEFAULT_BRUSH

# The repository root: testkit/ (the drawing helpers, not installed) lives there.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from testkit.mouse_drawing import draw_and_read, from_shares  # noqa: E402
from testkit.nondigit_drawings import FAMILIES, SPLITS, Sample, generate  # noqa: E402
from testkit.stroke_digits import bounds  # noqa: E402

SURE = 0.90  # "sure": the confidence a person reads as a firm answer
MNIST_DECLINE = 0.003  # the constraint: decline at most 0.3% of MNIST test
CLI_SAMPLE = 8  # PNG files also classified by the real CLI, per model
MARGIN = 0.05  # free border of the sheet


def placement(sample: Sample, brush: float, rng) -> list[np.ndarray]:
    """The sample's strokes in shares of the sheet: its size, anywhere it fits whole."""
    extent = bounds(sample.drawing)[1]
    room = 1 - 2 * (MARGIN + brush / 2)
    scale = min(sample.size, room / max(float(extent.max()), 1e-6))
    span = extent * scale
    low = MARGIN + brush / 2
    corner = [rng.uniform(low, max(low, 1 - low - s)) for s in span]
    return [p * np.float32(scale) + np.asarray(corner, np.float32) for p in sample.drawing]


def draw_nondigits(tab, per_family: int, split: str, png_dir: Path) -> list[dict]:
    """Draw every family's samples on the tab; return one record per drawing."""
    records = []
    for family in FAMILIES:
        for i, sample in enumerate(generate(family, per_family, split)):
            rng = np.random.default_rng([sample.seed, 1])  # placement and brush: same seed
            if sample.brush is not None:
                brush = sample.brush
            else:  # half the default brush, half thin to thick pens (as bench_drawn_digits)
                brush = DEFAULT_BRUSH if i % 2 == 0 else float(rng.uniform(0.03, 0.10))
            strokes = from_shares(tab.ui.canvas, placement(sample, brush, rng))
            prediction, reason = draw_and_read(tab, strokes, brush)
            t = sample.template
            png = png_dir / f"{family}_{i:04d}_v{t.variant}.png"
            Image.fromarray(np.round(tab.ui.canvas.gray() * 255).astype(np.uint8)).save(png)
            records.append({
                "family": family, "symbol": t.symbol, "variant": t.variant,
                "digit_like": t.digit_like, "seed": sample.seed, "brush": round(brush, 4),
                "png": png, "blank": prediction is None,
                "declined": prediction is None or prediction.digit is None,
                "reason": reason if prediction is None or prediction.digit is None else "",
                "image28": None if prediction is None else prediction.image28,
            })
    return records


def drawn_digit_images(tab, per_digit: int, seed: int) -> np.ndarray:
    """28x28 images of drawn digits (neat and messy hands, random brush); declined left out."""
    images = []
    for h, strength in enumerate((1.0, 2.0)):
        rng = np.random.default_rng([seed, 100 + h])  # not bench_drawn_digits's own seeds
        records = run_setting(tab, rng, per_digit, strength, lambda r: r.uniform(0.03, 0.10))
        images += [r["image28"] for r in records if r["image28"] is not None]
    return np.stack(images).astype(np.float32)


def max_probability(model, images: np.ndarray) -> np.ndarray:
    probabilities = np.concatenate([
        predict_checked(model, as_model_inputs(model, images[i:i + 1000]))
        for i in range(0, len(images), 1000)])
    return probabilities


def shares(rows: list[dict]) -> dict:
    n = len(rows)
    declined = sum(r["declined"] for r in rows)
    sure = sum((not r["declined"]) and r["confidence"] >= SURE for r in rows)
    return {"count": n, "declined": declined / n, "named": 1 - declined / n, "sure": sure / n}


def groups(records: list[dict]) -> dict[str, list[dict]]:
    out = {family: [r for r in records if r["family"] == family] for family in FAMILIES}
    out["all"] = records
    out["all but digit-like"] = [r for r in records if not r["digit_like"]]
    out["digit-like only"] = [r for r in records if r["digit_like"]]
    return {k: v for k, v in out.items() if v}


def png_predictions(model_folder: Path, model, records: list[dict]) -> dict:
    """classify_file on every PNG; the real CLI on a few; agreement with the canvas."""
    agree = 0
    for r in records:
        try:
            p = classify_file(model, r["png"])
            png_answer = None if p.digit is None else (p.digit, round(p.confidence, 6))
        except NoDigit:
            png_answer = None
        canvas_answer = None if r["declined"] else (r["digit"], round(r["confidence"], 6))
        r["png_answer"] = png_answer
        agree += (png_answer is None) == (canvas_answer is None) and (
            png_answer is None or (png_answer[0] == canvas_answer[0]
                                   and abs(png_answer[1] - canvas_answer[1]) < 1e-4))
    named = [r for r in records if r["png_answer"] is not None]
    png = {"count": len(records), "agree_with_canvas": agree,
           "declined": 1 - len(named) / len(records),
           "sure": sum(r["png_answer"][1] >= SURE for r in named) / len(records)}
    sample = [r for r in records][:: max(1, len(records) // CLI_SAMPLE)][:CLI_SAMPLE]
    run = subprocess.run(
        [sys.executable, "-m", "digitapp", "predict", "--json", "--model", str(model_folder),
         *[str(r["png"]) for r in sample]], capture_output=True, text=True, timeout=300)
    lines = [json.loads(line) for line in run.stdout.splitlines() if line.startswith("{")]
    cli_agree = sum(
        (line.get("digit") is not None and r["png_answer"] is not None
         and line["digit"] == r["png_answer"][0])
        or (line.get("digit") is None and r["png_answer"] is None)
        for line, r in zip(lines, sample, strict=False))
    png["cli"] = {"files": len(sample), "lines": len(lines), "agree_with_classify_file": cli_agree,
                  "named": sum(line.get("digit") is not None for line in lines),
                  "not_a_digit": sum(line.get("reason") == NOT_A_DIGIT for line in lines),
                  "exit_status": run.returncode}
    return png


def measure(folder: Path, records: list[dict], mnist: np.ndarray, drawn: np.ndarray) -> dict:
    model, manifest = open_model(folder)
    seen = [r for r in records if not r["blank"]]  # the network saw them (declined or not)
    probabilities = max_probability(model, np.stack([r["image28"] for r in seen]))
    for r, p in zip(seen, probabilities, strict=True):
        r["digit"], r["confidence"] = int(p.argmax()), float(p.max())
    for r in records:
        if r["declined"]:
            r["digit"], r["confidence"] = None, 0.0
    per_group = {name: shares(rows) for name, rows in groups(records).items()}

    # MSP as an out-of-distribution score: higher = more likely not a digit.
    score_nd = 1 - probabilities.max(axis=1)
    score_mnist = 1 - max_probability(model, mnist).max(axis=1)
    score_drawn = 1 - max_probability(model, drawn).max(axis=1)
    threshold = decline_threshold(score_mnist, MNIST_DECLINE)
    for r, s in zip(seen, score_nd, strict=True):
        r["msp_declines"] = bool(s > threshold)
    for r in records:
        r.setdefault("msp_declines", True)  # already declined as blank or speck
    at_threshold = {name: float(np.mean([r["msp_declines"] for r in rows]))
                    for name, rows in groups(records).items()}
    plain = [r for r in seen if not r["digit_like"]]
    msp = {
        "auroc_vs_mnist_test": auroc(score_nd, score_mnist),
        "auroc_vs_drawn_digits": auroc(score_nd, score_drawn),
        "auroc_vs_mnist_test_but_digit_like": auroc(
            1 - np.array([r["confidence"] for r in plain]), score_mnist) if plain else None,
        "threshold_max_probability": 1 - threshold,
        "mnist_declined": float(np.mean(score_mnist > threshold)),
        "drawn_digits_declined": float(np.mean(score_drawn > threshold)),
        "nondigits_declined": at_threshold,
    }
    png = png_predictions(folder, model, records)
    return {"model": str(folder), "mnist_test_accuracy": (manifest.get("metrics") or {}).get(
        "test_accuracy"), "today": per_group, "msp": msp,
        "energy": energy_baseline(model, seen, mnist, drawn), "png_predict": png}


def energy_baseline(model, seen: list[dict], mnist: np.ndarray, drawn: np.ndarray) -> dict:
    """The energy score (-logsumexp of the logits; higher = less like the training data) as
    a detector of non-digits, an alternative to the check: AUROC against MNIST test and
    drawn digits, and the non-digits declined at the threshold declining 0.3% of MNIST."""
    def energy(images):
        z = logits(model, images).astype(np.float64)
        top = z.max(axis=1)
        return -(top + np.log(np.exp(z - top[:, None]).sum(axis=1)))

    plain = [r for r in seen if not r["digit_like"]]
    e_nd = energy(np.stack([r["image28"] for r in plain]))
    e_mnist, e_drawn = energy(mnist), energy(drawn)
    threshold = decline_threshold(e_mnist, MNIST_DECLINE)
    return {"auroc_vs_mnist_test": auroc(e_nd, e_mnist),
            "auroc_vs_drawn_digits": auroc(e_nd, e_drawn),
            "nondigits_but_digit_like_declined": float(np.mean(e_nd > threshold)),
            "drawn_digits_declined": float(np.mean(e_drawn > threshold))}


def check_figures(seen: list[dict], mnist: np.ndarray, drawn: np.ndarray) -> dict:
    """The shipped not-a-digit check (model-independent): AUROC of its score against MNIST
    test and drawn digits, and its declines at its own threshold."""
    check, note = shipped_check()
    if check is None:
        return {"missing": note}
    plain = [r for r in seen if not r["digit_like"]]
    s_nd = check.scores(np.stack([r["image28"] for r in plain]))
    s_mnist, s_drawn = check.scores(mnist), check.scores(drawn)
    return {"threshold": check.threshold,
            "auroc_vs_mnist_test": auroc(s_nd, s_mnist),
            "auroc_vs_drawn_digits": auroc(s_nd, s_drawn),
            "nondigits_but_digit_like_declined": float(np.mean(s_nd > check.threshold)),
            "mnist_declined": float(np.mean(s_mnist > check.threshold)),
            "drawn_digits_declined": float(np.mean(s_drawn > check.threshold))}


def print_model(result: dict) -> None:
    print(f"\nmodel {result['model']}")
    print(f"  {'group':<20} {'n':>5} {'declined':>9} {'named':>7} {'sure>=90%':>9} "
          f"{'MSP@0.3%':>9}")
    for name, row in result["today"].items():
        print(f"  {name:<20} {row['count']:>5} {row['declined']:>9.1%} {row['named']:>7.1%} "
              f"{row['sure']:>9.1%} {result['msp']['nondigits_declined'][name]:>9.1%}")
    m = result["msp"]
    print(f"  MSP baseline: AUROC vs MNIST test {m['auroc_vs_mnist_test']:.4f}, vs drawn digits "
          f"{m['auroc_vs_drawn_digits']:.4f}"
          + (f", vs MNIST test without digit-like {m['auroc_vs_mnist_test_but_digit_like']:.4f}"
             if m["auroc_vs_mnist_test_but_digit_like"] is not None else ""))
    print(f"  MSP threshold declining <= {MNIST_DECLINE:.1%} of MNIST test: max probability < "
          f"{m['threshold_max_probability']:.6f} -> declines {m['mnist_declined']:.2%} of MNIST "
          f"test, {m['drawn_digits_declined']:.2%} of drawn digits, "
          f"{m['nondigits_declined']['all']:.1%} of non-digits")
    e = result["energy"]
    print(f"  energy baseline: AUROC vs MNIST test {e['auroc_vs_mnist_test']:.4f}, vs drawn "
          f"digits {e['auroc_vs_drawn_digits']:.4f}; at 0.3% of MNIST declined it declines "
          f"{e['nondigits_but_digit_like_declined']:.1%} of non-digits (digit-like left out), "
          f"{e['drawn_digits_declined']:.2%} of drawn digits")
    png, cli = result["png_predict"], result["png_predict"]["cli"]
    print(f"  PNG through predict (classify_file): {png['count']} files, declined "
          f"{png['declined']:.1%}, sure {png['sure']:.1%}, same answer as the canvas "
          f"{png['agree_with_canvas']}/{png['count']}; CLI predict --json on {cli['files']}: "
          f"{cli['lines']} lines, {cli['named']} named a digit, {cli['not_a_digit']} not a digit, "
          f"{cli['agree_with_classify_file']} agree, exit {cli['exit_status']}")


def print_check(c: dict) -> None:
    if "missing" in c:
        print(f"\nnot-a-digit check: {c['missing']}")
        return
    print(f"\nnot-a-digit check (every model; threshold {c['threshold']:.4f}): AUROC vs MNIST "
          f"test {c['auroc_vs_mnist_test']:.4f}, vs drawn digits {c['auroc_vs_drawn_digits']:.4f};"
          f" declines {c['nondigits_but_digit_like_declined']:.1%} of non-digits (digit-like "
          f"left out), {c['mnist_declined']:.2%} of MNIST test, {c['drawn_digits_declined']:.2%}"
          " of drawn digits")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--per-family", type=int, default=100, help="drawings per family")
    parser.add_argument("--split", choices=SPLITS, default="held_out_fourth")
    parser.add_argument("--model", action="append", type=Path,
                        help="a model folder (repeatable; default: every shipped model)")
    parser.add_argument("--drawn", type=int, default=20,
                        help="drawn digits per digit per hand (neat, messy) for the AUROC")
    parser.add_argument("--mnist", type=int, default=10000, help="MNIST test images used")
    parser.add_argument("--seed", type=int, default=0, help="seed of the drawn digits")
    parser.add_argument("--png-dir", type=Path,
                        help="folder for the PNG files (default: a temporary folder)")
    parser.add_argument("--json", action="store_true", help="also print a JSON summary")
    args = parser.parse_args()
    if args.drawn < 1 or args.mnist < 1 or args.per_family < 1:
        parser.error("--per-family, --drawn and --mnist must be at least 1 (the AUROCs need "
                     "digits and non-digits)")
    folders = args.model or shipped_models()

    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="digitapp-nondigits-") as temporary:
        png_dir = args.png_dir or Path(temporary)
        png_dir.mkdir(parents=True, exist_ok=True)
        app, window, tab = open_draw_tab()
        records = draw_nondigits(tab, args.per_family, args.split, png_dir)
        drawn = drawn_digit_images(tab, args.drawn, args.seed)
        window.close()
        app.processEvents()
        print(f"non-digits: {args.per_family} per family, split {args.split}, "
              f"{len(records)} drawings; drawn digits: {len(drawn)} "
              f"({time.perf_counter() - start:.0f} s to draw)")
        mnist = load_mnist("test").inputs()[: args.mnist]
        results = [measure(folder, records, mnist, drawn) for folder in folders]
        for result in results:
            print_model(result)
        check = check_figures([r for r in records if not r["blank"]], mnist, drawn)
        print_check(check)
    print(f"  ({time.perf_counter() - start:.0f} s)")
    if args.json:
        print(json.dumps({"split": args.split, "per_family": args.per_family,
                          "drawn_digits": len(drawn), "mnist_test": len(mnist),
                          "sure": SURE, "mnist_decline": MNIST_DECLINE, "check": check,
                          "models": results}))


if __name__ == "__main__":
    main()

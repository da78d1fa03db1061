"""Learn my handwriting, measured: simulated writers taught with 1, 3, 5 and 10 drawings a digit.

For each writer of testkit/writers.py (a consistent hand the shipped models misread) and
each count, `teach_steps` (the app's own use-case, as the Teach button and `digitapp
personalize` run it) teaches a copy of the model with `count` drawings per digit (it holds
back a quarter of each digit's drawings from 4 on, as it always does), and the personal
model is tested on other drawings of the same writer (200 by default, never taught).
Reported: the shipped model's accuracy on those, the personal model's, MNIST test before
and after, the teaching time and the machine's load average while it ran (the 2 cores are
shared: a time measured beside other work is longer than on an idle machine).

    .venv/bin/python benchmarks/bench_personalize.py                 # CNN, every writer
    .venv/bin/python benchmarks/bench_personalize.py --model weights/mlp-512 --json
    .venv/bin/python benchmarks/bench_personalize.py --writers open --counts 5
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from digitapp.app.models import as_model_inputs, open_model  # noqa: E402
from digitapp.app.personalize import TeachSettings, teach_steps  # noqa: E402
from testkit.writers import WRITERS, writer_images  # noqa: E402

TEACH_SEED, TEST_SEED = 100, 200  # drawings to teach and to test come from different seeds


def accuracy_of(folder: Path, images: np.ndarray, labels: np.ndarray) -> float:
    model, _ = open_model(folder)
    predicted = model.predict(as_model_inputs(model, images.reshape(len(images), -1)))
    return float(np.mean(predicted == labels))


def teach(base: Path, out: Path, images, labels, seed: int, settings: TeachSettings):
    """Run teach_steps to its end; return its TeachResult."""
    steps = teach_steps(base, out, images, labels, seed=seed, settings=settings)
    while True:
        try:
            next(steps)
        except StopIteration as end:
            return end.value


def bench_writer(name: str, base: Path, counts: list[int], test_per_digit: int, seed: int,
                 settings: TeachSettings, work: Path) -> dict:
    writer = WRITERS[name]
    test_x, test_y = writer_images(writer, test_per_digit, TEST_SEED + seed)
    pool_x, pool_y = writer_images(writer, max(counts), TEACH_SEED + seed)
    row = {"writer": name, "style": writer.description, "test_drawings": len(test_y),
           "shipped": accuracy_of(base, test_x, test_y), "runs": []}
    for count in counts:
        # writer_images draws digits in turn: the first 10 * count are `count` of each digit.
        x, y = pool_x[:10 * count], pool_y[:10 * count]
        load_before = os.getloadavg()[0]
        result = teach(base, work / f"{name}-{count}", x, y, seed, settings)
        row["runs"].append({
            "per_digit": count, "taught": result.drawings, "held_back": result.held_back,
            "personal": accuracy_of(result.folder, test_x, test_y),
            "yours_before": result.yours_before, "yours_after": result.yours_after,
            "mnist_before": result.mnist_before, "mnist_after": result.mnist_after,
            "seconds": round(result.seconds, 1),
            "load": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        })
        print(f"  {name} x{count}: {row['runs'][-1]}", file=sys.stderr)
    return row


def table(model: str, rows: list[dict]) -> str:
    counts = [r["per_digit"] for r in rows[0]["runs"]]
    head = ("| writer | shipped | " + " | ".join(f"{c}/digit" for c in counts) +
            " | MNIST test after | seconds (load) |")
    lines = [f"Model: {model}", "", head, "|" + " --- |" * (len(counts) + 4)]
    for r in rows:
        runs = r["runs"]
        lines.append(
            f"| {r['writer']} | {r['shipped']:.1%} | "
            + " | ".join(f"{x['personal']:.1%}" for x in runs)
            + " | " + ", ".join(f"{x['mnist_after']:.2%}" for x in runs)
            + " | " + ", ".join(f"{x['seconds']:.0f} ({x['load'][1]:.1f})" for x in runs) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--model", default=str(ROOT / "weights" / "cnn"))
    p.add_argument("--writers", default=",".join(WRITERS), help="comma-separated names")
    p.add_argument("--counts", default="1,3,5,10", help="drawings per digit to teach with")
    p.add_argument("--test-per-digit", type=int, default=20)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--passes", type=int, default=TeachSettings.passes)
    p.add_argument("--batches-per-pass", type=int, default=TeachSettings.batches_per_pass)
    p.add_argument("--lr", type=float, default=TeachSettings.lr)
    p.add_argument("--yours-per-batch", type=int, default=TeachSettings.yours_per_batch)
    p.add_argument("--replay-per-batch", type=int, default=TeachSettings.replay_per_batch)
    p.add_argument("--mnist-test-images", type=int, default=None,
                   help="measure MNIST on a stratified subset (default: all 10,000)")
    p.add_argument("--json", action="store_true")
    args = p.parse_args(argv)
    names = [n for n in args.writers.split(",") if n]
    unknown = [n for n in names if n not in WRITERS]
    if unknown:
        p.error(f"unknown writer(s) {', '.join(unknown)}; known: {', '.join(WRITERS)}")
    counts = [int(c) for c in args.counts.split(",") if c]
    settings = TeachSettings(passes=args.passes, batches_per_pass=args.batches_per_pass,
                             lr=args.lr, yours_per_batch=args.yours_per_batch,
                             replay_per_batch=args.replay_per_batch,
                             mnist_test_images=args.mnist_test_images)
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bench-personalize-") as work:
        rows = [bench_writer(n, Path(args.model), counts, args.test_per_digit, args.seed,
                             settings, Path(work)) for n in names]
    report = {"model": args.model, "settings": {k: v for k, v in vars(settings).items()},
              "cpu_count": os.cpu_count(), "seconds": round(time.perf_counter() - t0, 1),
              "writers": rows}
    print(json.dumps(report, indent=1) if args.json else table(args.model, rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark: wall time of training until the MNIST test accuracy first reaches 99.0%.

The same recipe in our engine and in PyTorch (CPU): the same network (our JSON
architecture, translated layer by layer by compare.torch_model), Adam, the same per-batch
learning rates (a cosine over the whole run, as our trainer's schedule), the same batch
size and the same order of images (our trainer's permutations, reproduced), 2 threads, no
augmentation. The test set (10,000 images) is evaluated every `--eval-every` batches and
at the end; the clock stops while it is, and evaluation time is reported on its own.
Each side of each round runs in a fresh process, interleaved (ours, PyTorch, ours, ...).

    .venv/bin/pip install torch==2.13.0     # a local CPU build on these machines
    .venv/bin/python benchmarks/bench_time_to_99.py [--rounds 3] [--arch cnn-small]
        [--epochs 2] [--lr 2e-3] [--batch-size 128] [--eval-every 94]

Without PyTorch only our side runs. Run it on an otherwise idle machine.
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import subprocess
import sys
import time

# isort: off
import digitapp  # noqa: F401  (before NumPy: digitapp picks OpenBLAS's kernels, blas_kernels.py)
# isort: on
import numpy as np
from compare import torch_inputs, torch_model

from digitapp.app.architectures import ARCHITECTURES, architecture_config
from digitapp.data.mnist import load_mnist
from digitapp.engine import Control, Sequential, TrainConfig, train
from digitapp.engine.blas import BLAS
from digitapp.engine.schedules import make_schedule
from digitapp.engine.trainer import BatchDone

TARGET = 0.99


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--arch", choices=ARCHITECTURES, default="cnn-small")
    parser.add_argument("--dropout", type=float, default=0.0)
    parser.add_argument("--epochs", type=int, default=2, help="length of the cosine schedule")
    parser.add_argument("--lr", type=float, default=2e-3)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--eval-every", type=int, default=94,
                        help="batches between test evaluations (94: five per epoch)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--train-size", type=int, default=60_000,
                        help="training images used (fewer: a quick check of the benchmark)")
    parser.add_argument("--json", action="store_true", help="also print a JSON summary line")
    parser.add_argument("--side", choices=("ours", "pytorch"), help=argparse.SUPPRESS)
    parser.add_argument("--seed", type=int, default=0, help=argparse.SUPPRESS)
    return parser.parse_args()


class Stopwatch:
    """Training time and evaluation time, kept apart."""

    def __init__(self) -> None:
        self.training = self.evaluation = 0.0
        self.curve: list[tuple[float, float, float]] = []  # (epochs done, train s, accuracy)
        self.reached: float | None = None
        self._since = time.perf_counter()

    def checkpoint(self, epochs_done: float, accuracy_of) -> None:
        """Stop the training clock, measure the test accuracy, restart the clock."""
        self.training += time.perf_counter() - self._since
        start = time.perf_counter()
        accuracy = float(accuracy_of())
        self.evaluation += time.perf_counter() - start
        self.curve.append((round(epochs_done, 3), round(self.training, 3), round(accuracy, 4)))
        if self.reached is None and accuracy >= TARGET:
            self.reached = self.training
        self._since = time.perf_counter()

    def report(self) -> dict:
        return {"seconds_to_99": self.reached, "training_s": round(self.training, 3),
                "evaluation_s": round(self.evaluation, 3), "curve": self.curve,
                "final_accuracy": self.curve[-1][2]}


def ours(args, config: dict, x, y, xt, yt) -> dict:
    """Train in our engine (the real trainer, 2 data-parallel workers as the app does)."""
    model = Sequential.from_config(config, seed=args.seed)
    train_config = TrainConfig(epochs=args.epochs, batch_size=args.batch_size, lr=args.lr,
                               schedule="cosine", seed=args.seed, workers=args.threads,
                               keep_best=False)
    watch = Stopwatch()
    with BLAS.limited(1):  # one BLAS thread per worker
        for event in train(model, x, y, x[:0], y[:0], train_config, Control()):
            if isinstance(event, BatchDone):
                done = event.epoch * event.batches_per_epoch + event.batch + 1
                if done % args.eval_every == 0 or done == args.epochs * event.batches_per_epoch:
                    watch.checkpoint(done / event.batches_per_epoch,
                                     lambda: (model.predict(xt) == yt).mean())
    return watch.report()


def pytorch(args, config: dict, x, y, xt, yt) -> dict:
    """Train the same network in PyTorch with our trainer's image order and learning rates."""
    import torch

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    model = torch_model(torch, config)
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
    loss_fn = torch.nn.CrossEntropyLoss()
    xs, ys = torch_inputs(torch, config, x), torch.from_numpy(y.astype(np.int64))
    xts, yts = torch_inputs(torch, config, xt), torch.from_numpy(yt.astype(np.int64))
    schedule = make_schedule("cosine", args.lr, args.epochs)
    n, size = len(x), args.batch_size
    batches = math.ceil(n / size)
    rng = np.random.default_rng(args.seed)  # as our trainer draws its permutations

    def accuracy() -> float:
        model.eval()
        with torch.inference_mode():
            right = sum(int((model(xts[i : i + 1000]).argmax(1) == yts[i : i + 1000]).sum())
                        for i in range(0, len(xts), 1000))
        model.train()
        return right / len(xts)

    model.train()
    watch = Stopwatch()
    for epoch in range(args.epochs):
        order = torch.from_numpy(rng.permutation(n))
        for b in range(batches):
            for group in optimizer.param_groups:
                group["lr"] = schedule(epoch + b / batches)
            idx = order[b * size : (b + 1) * size]
            out = model(xs[idx])
            loss = loss_fn(out, ys[idx])
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            _ = loss.item(), int((out.argmax(1) == ys[idx]).sum())  # what our trainer reports
            done = epoch * batches + b + 1
            if done % args.eval_every == 0 or done == args.epochs * batches:
                watch.checkpoint(done / batches, accuracy)
    return watch.report()


def one_side(args) -> dict:
    config = architecture_config(args.arch, [], args.dropout)
    train_set, test_set = load_mnist("train"), load_mnist("test")
    shape = (-1, *config["input_shape"])
    x, y = train_set.inputs().reshape(shape), train_set.labels.astype(np.int64)
    x, y = x[: args.train_size], y[: args.train_size]
    xt, yt = test_set.inputs().reshape(shape), test_set.labels.astype(np.int64)
    if args.side == "ours":
        return ours(args, config, x, y, xt, yt)
    with BLAS.limited(args.threads):  # the PyTorch side's own OpenBLAS use, if any
        return pytorch(args, config, x, y, xt, yt)


def in_child(side: str, args) -> dict:
    command = [sys.executable, sys.argv[0], "--side", side, "--seed", str(args.seed),
               "--arch", args.arch, "--dropout", str(args.dropout), "--epochs",
               str(args.epochs), "--lr", str(args.lr), "--batch-size", str(args.batch_size),
               "--eval-every", str(args.eval_every), "--threads", str(args.threads),
               "--train-size", str(args.train_size)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"the {side} run failed:\n{done.stderr.strip()}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def shown(seconds: float | None) -> str:
    return "not reached" if seconds is None else f"{seconds:.1f} s"


def main() -> None:
    args = parse_args()
    if args.side:
        print(json.dumps(one_side(args)))
        return
    try:
        import torch  # noqa: F401
        sides = ("ours", "pytorch")
    except ImportError:
        sides = ("ours",)
        print("PyTorch is not installed (pip install torch==2.13.0): our engine alone")
    results: dict[str, list[dict]] = {side: [] for side in sides}
    for r in range(args.rounds):
        args.seed = r
        line = [f"round {r + 1}:"]
        for side in sides:
            result = in_child(side, args)
            results[side].append(result)
            line.append(f"{side} {shown(result['seconds_to_99'])} to 99% (final "
                        f"{result['final_accuracy']:.2%}, training {result['training_s']:.1f} s, "
                        f"evaluations {result['evaluation_s']:.1f} s)")
        print(line[0], "  ".join(line[1:]), flush=True)
    summary = {"arch": args.arch, "epochs": args.epochs, "lr": args.lr,
               "batch_size": args.batch_size, "eval_every": args.eval_every,
               "threads": args.threads}
    for side, runs in results.items():
        reached = [run["seconds_to_99"] for run in runs if run["seconds_to_99"] is not None]
        summary[side] = {"reached_99": f"{len(reached)}/{len(runs)}",
                         "median_s_to_99": round(statistics.median(reached), 2) if reached
                         else None,
                         "median_final_accuracy": statistics.median(
                             run["final_accuracy"] for run in runs),
                         "curves": [run["curve"] for run in runs]}
        print(f"{side}: reached 99% in {summary[side]['reached_99']} rounds, median "
              f"{shown(summary[side]['median_s_to_99'])}; median final accuracy "
              f"{summary[side]['median_final_accuracy']:.2%}")
    if args.json:
        print(json.dumps(summary))


if __name__ == "__main__":
    main()

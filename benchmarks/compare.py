"""Shared by the engine-vs-PyTorch benchmarks: one architecture config, run in both.

Our model comes from the config (digitapp's JSON architecture); the PyTorch model is the
same layers translated one by one. Training "epochs" are a fixed number of batches, timed
end to end (shuffle, batch gather, forward, loss, backward, Adam step, loss/accuracy
bookkeeping). Rounds alternate ours / PyTorch (A B A B) so both see the same machine load.
Each side of each round runs in a fresh process (warmed up with 10 batches first), so
neither side inherits the other's allocator or thread-pool state. Without PyTorch installed
only our side runs (its times and latency, no ratio).
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

from digitapp.data.mnist import load_mnist
from digitapp.engine import Control, Sequential, TrainConfig, train
from digitapp.engine.blas import BLAS


def parse_args(description: str, batches: int) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--batches", type=int, default=batches, help="batches per 'epoch'")
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=None,
                        help="our data-parallel threads (default: 1 for the MLP, --threads "
                        "for the CNN); with workers > 1 each uses one BLAS thread")
    parser.add_argument("--warmup", type=int, default=10,
                        help="untimed batches before the timed ones, in each process")
    parser.add_argument("--latency-repeats", type=int, default=1000,
                        help="single-image predictions timed for the latency")
    parser.add_argument("--json", action="store_true", help="also print a JSON summary line")
    parser.add_argument("--side", choices=("ours", "pytorch"), help=argparse.SUPPRESS)
    parser.add_argument("--seed", type=int, default=0, help=argparse.SUPPRESS)
    return parser.parse_args()


def ours_epoch(config: dict, x, y, batches: int, batch_size: int, seed: int,
               workers: int = 1) -> float:
    """Return seconds for `batches` steps of our engine's real trainer."""
    model = Sequential.from_config(config, seed=seed)
    n = min(batches * batch_size, len(x))
    x = x[:n].reshape((n,) + model.input_shape)
    train_config = TrainConfig(epochs=1, batch_size=batch_size, lr=1e-3, seed=seed,
                               workers=workers, keep_best=False)
    start = time.perf_counter()
    for _ in train(model, x, y[:n], x[:0], y[:0], train_config, Control()):
        pass
    return time.perf_counter() - start


def torch_model(torch, config: dict):
    """Return the PyTorch nn.Sequential with the same layers as our config (NCHW images)."""
    nn = torch.nn
    shape = list(config["input_shape"])  # ours: (784,) or (H, W, C)
    channels = shape[-1] if len(shape) == 3 else None
    features = shape[0] if len(shape) == 1 else None
    modules = []
    for layer in config["layers"]:
        kind = layer["type"]
        if kind == "conv2d":
            modules.append(nn.Conv2d(channels, layer["filters"], layer["kernel"],
                                     padding=layer["padding"]))
            channels = layer["filters"]
            if layer["padding"] == "valid":
                shape = [shape[0] - layer["kernel"] + 1, shape[1] - layer["kernel"] + 1]
        elif kind == "batchnorm":
            modules.append(nn.BatchNorm2d(channels, momentum=1 - layer["momentum"])
                           if features is None else
                           nn.BatchNorm1d(features, momentum=1 - layer["momentum"]))
        elif kind == "relu":
            modules.append(nn.ReLU())
        elif kind == "maxpool2d":
            modules.append(nn.MaxPool2d(layer["size"]))
            shape = [shape[0] // layer["size"], shape[1] // layer["size"]]
        elif kind == "flatten":
            modules.append(nn.Flatten())
            features = shape[0] * shape[1] * channels
        elif kind == "dense":
            modules.append(nn.Linear(features, layer["units"]))
            features = layer["units"]
        elif kind == "dropout":
            modules.append(nn.Dropout(layer["rate"]))
        else:
            raise ValueError(f"no PyTorch translation for {kind}")
    return nn.Sequential(*modules)


def torch_inputs(torch, config: dict, x: np.ndarray):
    """Return x (N, 784) as a tensor shaped for the PyTorch model (N, 784) or (N, C, H, W)."""
    shape = config["input_shape"]
    if len(shape) == 3:
        h, w, c = shape
        return torch.from_numpy(np.ascontiguousarray(x.reshape(-1, h, w, c).transpose(0, 3, 1, 2)))
    return torch.from_numpy(x)


def torch_epoch(torch, config: dict, x, y, batches: int, batch_size: int, seed: int) -> float:
    """Return seconds for the same steps in PyTorch: same model, loop and bookkeeping."""
    torch.manual_seed(seed)
    model = torch_model(torch, config)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = torch.nn.CrossEntropyLoss()
    n = min(batches * batch_size, len(x))
    xt, yt = torch_inputs(torch, config, x[:n]), torch.from_numpy(y[:n].astype(np.int64))
    model.train()
    start = time.perf_counter()
    order = torch.randperm(n)
    for b in range(math.ceil(n / batch_size)):
        idx = order[b * batch_size : (b + 1) * batch_size]
        xb, yb = xt[idx], yt[idx]
        out = model(xb)
        loss = loss_fn(out, yb)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        _ = loss.item(), int((out.argmax(1) == yb).sum())  # what our trainer reports
    return time.perf_counter() - start


def latency_ours(config: dict, image: np.ndarray, repeats: int) -> float:
    model = Sequential.from_config(config)
    one = image.reshape((1,) + model.input_shape)
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        model.predict_proba(one)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def latency_torch(torch, config: dict, image: np.ndarray, repeats: int) -> float:
    model = torch_model(torch, config).eval()
    one = torch_inputs(torch, config, image[None])
    times = []
    with torch.inference_mode():
        for _ in range(repeats):
            t = time.perf_counter()
            torch.softmax(model(one), dim=1).numpy()
            times.append(time.perf_counter() - t)
    return statistics.median(times)


def one_side(config: dict, args: argparse.Namespace, workers: int) -> float:
    """In a child process: warm up, then return the seconds of one timed epoch of one side."""
    train_set = load_mnist("train")
    x, y = train_set.inputs(), train_set.labels.astype(np.int64)
    if args.side == "ours":
        # Our threads: `workers` data-parallel threads x BLAS threads = args.threads in all.
        with BLAS.limited(max(args.threads // workers, 1)):
            ours_epoch(config, x, y, args.warmup, args.batch_size, args.seed, workers)
            return ours_epoch(config, x, y, args.batches, args.batch_size, args.seed, workers)
    import torch

    torch.set_num_threads(args.threads)
    with BLAS.limited(args.threads):  # the PyTorch side's own OpenBLAS use, if any
        torch_epoch(torch, config, x, y, args.warmup, args.batch_size, args.seed)
        return torch_epoch(torch, config, x, y, args.batches, args.batch_size, args.seed)


def timed_in_child(side: str, seed: int, args: argparse.Namespace) -> float:
    """Run this benchmark script again as a child for one side; return its epoch seconds."""
    command = [sys.executable, sys.argv[0], "--side", side, "--seed", str(seed),
               "--batches", str(args.batches), "--batch-size", str(args.batch_size),
               "--threads", str(args.threads), "--warmup", str(args.warmup)]
    if args.workers:
        command += ["--workers", str(args.workers)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"the {side} run failed:\n{done.stderr.strip()}")
    return float(done.stdout.strip().splitlines()[-1])


def run(config: dict, args: argparse.Namespace, workers: int) -> dict | None:
    """Run the interleaved comparison and the latency test; print and return the summary."""
    workers = args.workers or workers
    if args.side:  # a child: one timed epoch of one side, printed for the parent
        print(one_side(config, args, workers))
        return None
    try:
        import torch
    except ImportError:
        torch = None
        print("PyTorch is not installed (pip install torch==2.13.0): timing our engine alone",
              flush=True)
    if torch is not None:
        torch.set_num_threads(args.threads)
    x0 = load_mnist("test").inputs()[0]

    blas_threads = max(args.threads // workers, 1)
    ours, theirs = [], []
    for r in range(args.rounds):
        ours.append(timed_in_child("ours", r + 1, args))
        if torch is None:
            print(f"round {r + 1}: ours {ours[-1]:.3f} s", flush=True)
            continue
        theirs.append(timed_in_child("pytorch", r + 1, args))
        print(f"round {r + 1}: ours {ours[-1]:.3f} s  pytorch {theirs[-1]:.3f} s  "
              f"ratio {ours[-1] / theirs[-1]:.3f}", flush=True)
    with BLAS.limited(args.threads):
        lat_ours = latency_ours(config, x0, args.latency_repeats)
        lat_torch = None if torch is None else latency_torch(torch, config, x0,
                                                             args.latency_repeats)

    summary = {
        "batches_per_epoch": args.batches,
        "batch_size": args.batch_size,
        "threads": args.threads,
        "our_workers": workers,
        "our_blas_threads": blas_threads,
        "ours_median_s": round(statistics.median(ours), 3),
        "latency_ours_ms": round(lat_ours * 1e3, 4),
        "numpy_version": np.__version__,
    }
    if torch is None:
        print(f"median epoch: ours {summary['ours_median_s']:.3f} s (no PyTorch to compare)")
        print(f"single-image inference: ours {summary['latency_ours_ms']:.3f} ms")
    else:
        ratios = [a / b for a, b in zip(ours, theirs, strict=True)]
        summary.update({
            "pytorch_median_s": round(statistics.median(theirs), 3),
            "median_ratio": round(statistics.median(ratios), 3),
            "latency_pytorch_ms": round(lat_torch * 1e3, 4),
            "torch_version": torch.__version__,
        })
        print(f"median epoch: ours {summary['ours_median_s']:.3f} s, pytorch "
              f"{summary['pytorch_median_s']:.3f} s, median ratio ours/pytorch "
              f"{summary['median_ratio']:.3f}")
        print(f"single-image inference: ours {summary['latency_ours_ms']:.3f} ms, pytorch "
              f"{summary['latency_pytorch_ms']:.3f} ms")
    if args.json:
        print(json.dumps(summary))
    return summary

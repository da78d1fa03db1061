"""Benchmark: our NumPy engine against PyTorch (CPU) on the same MLP, interleaved A B A B.

The model is the seed's 784-512-10 MLP (ReLU, dropout 0.1), Adam lr 1e-3, batch 128,
float32, 2 threads for both. Each "epoch" is a fixed number of batches (default: one pass
over the 60,000 MNIST training images = 469 batches), timed end to end including the
shuffle and batch gather. Rounds alternate ours/PyTorch so both see the same machine load;
the script prints every round and the median ratio ours/PyTorch. It also measures
single-image inference latency (median of many calls).

    .venv/bin/pip install torch==2.13.0     # a local CPU build on these machines
    .venv/bin/python benchmarks/bench_mlp.py [--rounds 5] [--batches 469] [--threads 2]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

import numpy as np
from threadpoolctl import threadpool_limits

from digitapp.data.mnist import load_mnist
from digitapp.engine import Control, Dense, Dropout, ReLU, Sequential, TrainConfig, train


def ours_epoch(x, y, batches, batch_size, seed) -> float:
    """Return seconds for `batches` training steps of our engine's real trainer."""
    model = Sequential([Dense(512), ReLU(), Dropout(0.1), Dense(10)], (784,), seed=seed)
    n = min(batches * batch_size, len(x))  # the last batch may be short, as in training
    config = TrainConfig(epochs=1, batch_size=batch_size, lr=1e-3, seed=seed, keep_best=False)
    empty_x, empty_y = x[:0], y[:0]
    start = time.perf_counter()
    for _ in train(model, x[:n], y[:n], empty_x, empty_y, config, Control()):
        pass
    return time.perf_counter() - start


def torch_epoch(torch, x, y, batches, batch_size, seed) -> float:
    """Return seconds for the same steps in PyTorch: same model, loop and bookkeeping."""
    nn = torch.nn
    torch.manual_seed(seed)
    model = nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Dropout(0.1), nn.Linear(512, 10))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    n = min(batches * batch_size, len(x))  # the last batch may be short, as in training
    xt, yt = torch.from_numpy(x[:n]), torch.from_numpy(y[:n].astype(np.int64))
    model.train()
    start = time.perf_counter()
    order = torch.randperm(n)
    for b in range(-(-n // batch_size)):
        idx = order[b * batch_size : (b + 1) * batch_size]
        xb, yb = xt[idx], yt[idx]
        out = model(xb)
        loss = loss_fn(out, yb)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        # What our trainer reports per batch: the loss and the running accuracy.
        _ = loss.item(), int((out.argmax(1) == yb).sum())
    return time.perf_counter() - start


def latency_ours(x, repeats) -> float:
    model = Sequential([Dense(512), ReLU(), Dropout(0.1), Dense(10)], (784,))
    one = x[:1]
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        model.predict_proba(one)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def latency_torch(torch, x, repeats) -> float:
    nn = torch.nn
    model = nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Dropout(0.1), nn.Linear(512, 10))
    model.eval()
    one = torch.from_numpy(x[:1])
    times = []
    with torch.inference_mode():
        for _ in range(repeats):
            t = time.perf_counter()
            torch.softmax(model(one), dim=1).numpy()
            times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--batches", type=int, default=469)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--json", action="store_true", help="print one JSON summary line")
    args = parser.parse_args()

    try:
        import torch
    except ImportError:
        raise SystemExit("PyTorch is needed: pip install torch==2.13.0") from None
    torch.set_num_threads(args.threads)

    train_set = load_mnist("train")
    x = train_set.inputs()
    y = train_set.labels.astype(np.int64)

    ours, theirs = [], []
    with threadpool_limits(limits=args.threads):
        ours_epoch(x, y, 20, args.batch_size, 0)  # warm-up both: allocators, BLAS threads
        torch_epoch(torch, x, y, 20, args.batch_size, 0)
        for r in range(args.rounds):
            ours.append(ours_epoch(x, y, args.batches, args.batch_size, r))
            theirs.append(torch_epoch(torch, x, y, args.batches, args.batch_size, r))
            print(f"round {r + 1}: ours {ours[-1]:.3f} s  pytorch {theirs[-1]:.3f} s  "
                  f"ratio {ours[-1] / theirs[-1]:.3f}", flush=True)
        lat_ours = latency_ours(x, 2000)
        lat_torch = latency_torch(torch, x, 2000)

    ratios = [a / b for a, b in zip(ours, theirs, strict=True)]
    summary = {
        "batches_per_epoch": args.batches,
        "threads": args.threads,
        "ours_median_s": statistics.median(ours),
        "pytorch_median_s": statistics.median(theirs),
        "median_ratio": statistics.median(ratios),
        "latency_ours_ms": lat_ours * 1e3,
        "latency_pytorch_ms": lat_torch * 1e3,
        "torch_version": torch.__version__,
        "numpy_version": np.__version__,
    }
    print(f"median epoch: ours {summary['ours_median_s']:.3f} s, "
          f"pytorch {summary['pytorch_median_s']:.3f} s, "
          f"median ratio ours/pytorch {summary['median_ratio']:.3f}")
    print(f"single-image inference: ours {summary['latency_ours_ms']:.3f} ms, "
          f"pytorch {summary['latency_pytorch_ms']:.3f} ms")
    if args.json:
        print(json.dumps(summary))


if __name__ == "__main__":
    main()

"""Train the not-a-digit check shipped in weights/checks/not-a-digit, and choose its threshold.

A small CNN with two outputs (0: a digit, 1: not a digit) that reads the same 28x28 image
as the digit model. It is separate from the digit models, so it serves every one of them:
the shipped MLP and CNN and any model a user trains (README, "Not a digit").

Data: tools/not_a_digit_data.py (run it first). Held back to choose the threshold, never
trained on: MNIST train's validation split (5,000, as the Train tab) and a sixth of every
set of drawings and of the low-res digits if the file has them (all from TRAIN splits and
seeds of their own: the benchmarks' held_out_third and held_out_fourth drawings are never
seen here; since v8, held_out and held_out_fresh are training drawings).

Threshold (choose_threshold): the lowest score that declines at most DIGIT_DECLINE of the
MNIST validation digits and STROKE_DECLINE of the held-back stroke digits: digits first,
non-digits get what is left. Several members trained with different seeds make one check
whose score averages theirs (tools/assemble_not_a_digit.py).

    python tools/not_a_digit_data.py --out /tmp/not_a_digit.npz
    python tools/train_not_a_digit.py --data /tmp/not_a_digit.npz --out weights/checks/not-a-digit
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from digitapp.data.augment import AugmentConfig, Augmenter  # noqa: E402
from digitapp.data.mnist import load_mnist  # noqa: E402
from digitapp.data.splits import split_train_val  # noqa: E402
from digitapp.engine import Sequential  # noqa: E402
from digitapp.engine.model_save import save_model  # noqa: E402
from digitapp.engine.trainer import EpochDone, Failed, Finished, TrainConfig, train  # noqa: E402

VALIDATION, VALIDATION_SEED = 5000, 0
NEGATIVES = ("nondigits", "procedural", "glyphs", "turned", "pairs")  # not_a_digit_data.py
NOT_A_DIGIT = 10  # the check's last class; 0-9 are the digits
# More digits a data file may hold (arrays of images and labels, the held-back set's name),
# trained on and held back like the stroke digits, reported but not in the threshold's rule:
# MNIST train digits as blocky low-res scans (v6), stroke digits all in the messy hand (v10).
EXTRA_DIGIT_SETS = (("lowres", "lowres_labels", "lowres digits"),
                    ("messy_strokes", "messy_stroke_labels", "messy stroke digits"))
DIGIT_DECLINE = 0.002  # at most this share of MNIST validation declined ...
STROKE_DECLINE = 0.004  # ... and of the held-back stroke digits (2 neat for 1 messy)


def check_config(width: int = 32, dense: int = 128) -> dict:
    """28x28x1 -> conv3x3xW -> pool -> conv3x3x2W -> pool -> dense -> 11 outputs: the ten
    digits and "not a digit". Learning which digit, not only whether, makes it learn the
    digits' shapes (a check trained on two outputs learned the training doodles instead)."""
    def block(filters: int) -> list[dict]:
        return [{"type": "conv2d", "filters": filters, "kernel": 3, "padding": "same"},
                {"type": "batchnorm", "momentum": 0.9, "eps": 1e-5},
                {"type": "relu"}, {"type": "maxpool2d", "size": 2}]

    return {"input_shape": [28, 28, 1], "layers": block(width) + block(2 * width) + [
        {"type": "flatten"}, {"type": "dense", "units": dense},
        {"type": "batchnorm", "momentum": 0.9, "eps": 1e-5}, {"type": "relu"},
        {"type": "dropout", "rate": 0.3}, {"type": "dense", "units": NOT_A_DIGIT + 1}]}


def parts(data: np.lib.npyio.NpzFile):
    """(train x, train y, held-back sets {name: (x, y)}); x (N, 28, 28, 1) float32.

    Every set of drawings is shuffled (fixed seed: they come kind after kind) and split:
    its last sixth is held back, to choose the threshold and to report.
    """
    train, val = split_train_val(load_mnist("train"), VALIDATION, VALIDATION_SEED)
    mnist_train = train.images.astype(np.float32) / 255
    mnist_val = val.images.astype(np.float32) / 255

    def split(name: str) -> tuple[np.ndarray, np.ndarray]:
        x = data[name][np.random.default_rng(1).permutation(len(data[name]))]
        cut = len(x) * 5 // 6
        return x[:cut], x[cut:]

    strokes, strokes_back = split("strokes")
    stroke_labels, stroke_labels_back = split("stroke_labels")  # the same permutation
    digit_sets = {}  # more digits the data file may have: name -> ((x, y), (x back, y back))
    for images, labels, name in EXTRA_DIGIT_SETS:
        if images in data.files:
            (x, x_back), (y, y_back) = split(images), split(labels)  # the same permutation
            digit_sets[name] = ((x, y), (x_back, y_back))
    # The sets the data file has (the shipped check was made without glyphs: --glyphs 0).
    negative_sets = {name: split(name) for name in NEGATIVES if name in data.files}
    # The hand-made templates twice: they are the most varied real shapes there are.
    negatives = np.concatenate([part for name, (part, _) in negative_sets.items()
                                for _ in range(2 if name == "nondigits" else 1)])
    x = np.concatenate([mnist_train, strokes, *[part[0] for part, _ in digit_sets.values()],
                        negatives])
    y = np.concatenate([train.labels, stroke_labels,
                        *[part[1] for part, _ in digit_sets.values()],
                        np.full(len(negatives), NOT_A_DIGIT)]).astype(np.int64)
    held = {"mnist validation": (mnist_val, val.labels), "stroke digits": (strokes_back,
                                                                          stroke_labels_back)}
    held |= {name: back for name, (_, back) in digit_sets.items()}  # reported, not in the rule
    held |= {name: (back, np.full(len(back), NOT_A_DIGIT)) for name, (_, back)
             in negative_sets.items()}
    held = {k: (v.reshape(-1, 28, 28, 1), np.asarray(c, np.int64)) for k, (v, c) in held.items()}
    return x.reshape(-1, 28, 28, 1), y, held


def scores(model: Sequential, x: np.ndarray) -> np.ndarray:
    return model.predict_proba(x)[:, NOT_A_DIGIT]


def choose_threshold(held_scores: dict[str, np.ndarray]) -> tuple[float, dict]:
    """Return (threshold, {held-back set: share declined}) for scores of the held-back sets.

    The threshold is the lowest that declines at most DIGIT_DECLINE of the MNIST validation
    digits and at most STROKE_DECLINE of the held-back stroke digits (issue 13: at most
    0.3% of MNIST test; drawn digits within 0.5 (neat) and 1 (messy) points). Also printed:
    what the non-digit sets would lose or gain at other MNIST validation shares.
    """
    threshold = max(float(np.quantile(held_scores["mnist validation"], 1 - DIGIT_DECLINE)),
                    float(np.quantile(held_scores["stroke digits"], 1 - STROKE_DECLINE)))
    shares = {k: float((v > threshold).mean()) for k, v in held_scores.items()}
    print(f"threshold {threshold:.6f}; declined: " + ", ".join(
        f"{k} {100 * v:.2f}%" for k, v in shares.items()), flush=True)
    for q in (0.001, 0.002, 0.003):
        t = float(np.quantile(held_scores["mnist validation"], 1 - q))
        print(f"  at {q:.1%} of MNIST validation: " + ", ".join(
            f"{k} {100 * float((v > t).mean()):.2f}%" for k, v in held_scores.items()))
    return threshold, shares


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--width", type=int, default=32)
    parser.add_argument("--dense", type=int, default=128)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    with np.load(args.data, allow_pickle=False) as data:
        x, y, held = parts(data)
    print(f"training on {len(x):,} images ({int((y == NOT_A_DIGIT).sum()):,} non-digits)",
          flush=True)
    model = Sequential.from_config(check_config(args.width, args.dense), seed=args.seed)
    config = TrainConfig(epochs=args.epochs, batch_size=128, lr=2e-3, schedule="cosine",
                         seed=args.seed, workers=2, keep_best=False)
    augment = Augmenter(AugmentConfig(max_shift=2, max_rotation=15, scale_range=(0.85, 1.1),
                                      thickness_prob=0.4, max_shear=0.3, max_aspect=0.2),
                        seed=args.seed)

    def transform(batch: np.ndarray) -> np.ndarray:
        return augment(batch.reshape(len(batch), -1)).reshape(batch.shape)

    vx = np.concatenate([v[0] for v in held.values()])
    vy = np.concatenate([v[1] for v in held.values()])
    t0 = time.perf_counter()
    for event in train(model, x, y, vx, vy, config, transform=transform):
        if isinstance(event, EpochDone):
            print(f"epoch {event.epoch}: {event}", flush=True)
        elif isinstance(event, Failed):
            print(f"failed: {event}")
            return 1
        elif isinstance(event, Finished):
            break
    train_s = time.perf_counter() - t0
    threshold, shares = choose_threshold({k: scores(model, v[0]) for k, v in held.items()})
    metadata = {
        "role": "not-a-digit check",
        "classes": [str(d) for d in range(10)] + ["not a digit"],
        "threshold": threshold,
        "held_back_declined": shares,
        "training": {"script": "tools/train_not_a_digit.py", "epochs": args.epochs,
                     "width": args.width, "dense": args.dense, "seed": args.seed,
                     "images": len(x),
                     "seconds": round(train_s, 1)},
    }
    save_model(model, args.out, metadata)
    print(f"saved {args.out} ({train_s:.0f} s of training)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

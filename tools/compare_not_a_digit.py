"""Compare not-a-digit checks on held-back parts of their TRAINING sources only.

The choice between two versions of the check (README, "Not a digit") is made here, never on
the benchmarks' held-out drawings or on MNIST test (since v8 the held_out and held_out_fresh
splits are training drawings; held_out_third is the development set; the later held-out
splits are each measured once, for one report). Each check is used at its own stored
threshold. Sets (all from training sources, none trained on by either check):
  mnist validation     MNIST train's validation split (5,000), as tools/train_not_a_digit.py
  stroke digits        the held-back sixth of the data file's stroke digits
  lowres validation    MNIST validation digits made blocky or blurred (not_a_digit_data's
                       lowres_digits; the low-res digits a check trains on come from MNIST
                       train without the validation split)
  templates, old / more  TRAIN-split templates of testkit.nondigit_drawings drawn with seeds
                       [500,000, ...): no data file uses them (it uses 0..per_family); "old"
                       are the templates written in nondigit_drawings itself, "more" those of
                       nondigit_more_templates; neat and messy hands, digit-like ones left out
  procedural, turned, pairs  the held-back sixth of those sets in the data file (made the
                       same way for v3 and v6: the same images)

    python tools/compare_not_a_digit.py --data /tmp/nad.npz --check weights/checks/not-a-digit \\
        --check /tmp/new-check [--templates 3000]
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import numpy as np

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtGui import QGuiApplication  # noqa: E402

from digitapp.app.not_a_digit import open_check  # noqa: E402
from testkit import nondigit_drawings as own  # noqa: E402
from testkit.nondigit_drawings import FAMILIES, generate  # noqa: E402
from tools.not_a_digit_data import a_brush, lowres_digits, placed, render  # noqa: E402
from tools.train_not_a_digit import parts  # noqa: E402

CHOICE_SEEDS = 500_000  # train-split seeds no data file uses (they use 0..per_family)


# (family, symbol) -> how many variants nondigit_drawings itself writes (v3 trained on these)
OWN_VARIANTS = {(family, symbol): len(variants) for family, table in (
    ("letters", own.LETTERS), ("symbols", own.SYMBOLS), ("doodles", own.DOODLES),
    ("scribbles", own.SCRIBBLES), ("dots_lines", own.DOTS_LINES)) for symbol, variants in
    table.items()}


def is_own(template) -> bool:
    """Whether a template is one written in nondigit_drawings itself, not a more template."""
    return template.variant < OWN_VARIANTS.get((template.family, template.symbol), 0)


def template_sets(per_family: int) -> dict[str, np.ndarray]:
    """28x28 images of train-split templates at held-back seeds: {"templates, old": ...}."""
    out = {"templates, old": [], "templates, more": []}
    half = per_family // 2
    for family in FAMILIES:
        samples = generate(family, half, "train", start=CHOICE_SEEDS) + generate(
            family, per_family - half, "train", start=CHOICE_SEEDS + half, strength=2.0)
        for i, sample in enumerate(samples):
            if sample.template.digit_like:
                continue
            rng = np.random.default_rng([sample.seed, 11])
            brush = sample.brush if sample.brush is not None else a_brush(rng, i)
            image = render(placed(sample.drawing, sample.size, brush, rng), brush)
            if image is not None:
                out["templates, old" if is_own(sample.template) else "templates, more"].append(
                    image)
    return {k: np.stack(v) for k, v in out.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="not_a_digit_data.py output")
    parser.add_argument("--check", type=Path, action="append", required=True)
    parser.add_argument("--templates", type=int, default=3000, help="drawings per family")
    args = parser.parse_args()
    app = QGuiApplication.instance() or QGuiApplication([])  # noqa: F841 (painting needs it)
    with np.load(args.data, allow_pickle=False) as data:
        _, _, held = parts(data)
    # The data file's own held-back drawings are left out: another check may have trained on
    # the same seeds drawn from other templates. The template sets below replace them.
    sets = {k: v[0].reshape(-1, 28, 28) for k, v in held.items()
            if k not in ("lowres digits", "nondigits")}
    mnist_val, val_labels = held["mnist validation"]
    sets["lowres validation"] = lowres_digits(mnist_val.reshape(-1, 28, 28), val_labels, 5000,
                                              seed=12)[0]
    sets |= template_sets(args.templates)
    digits = ("mnist validation", "stroke digits", "lowres validation")
    print(f"{'set':<20} {'n':>6} " + " ".join(f"{c.name[:14]:>14}" for c in args.check))
    checks = [open_check(c) for c in args.check]
    for name, images in sets.items():
        shares = [float(c.declines(images.reshape(-1, 28, 28)).mean()) for c in checks]
        kind = "digits declined" if name in digits else "declined"
        print(f"{name:<20} {len(images):>6} " + " ".join(f"{100 * s:>13.2f}%" for s in shares)
              + f"  ({kind})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

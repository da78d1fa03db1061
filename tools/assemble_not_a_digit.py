"""Put trained not-a-digit members (tools/train_not_a_digit.py) together into the shipped check.

The check's score averages its members' log-odds of "not a digit" over the views it reads of
each image (app/not_a_digit.py, app/check_views.py: by default the image and six copies a
little turned, zoomed and slanted; --views one: the image alone, as checks before v8); its
threshold is chosen on that averaged score, on the same held-back sets and by the same rule
as one member's (train_not_a_digit.choose_threshold). Each member is written as a model
folder OUT/1, OUT/2, ... whose model.json records the check's threshold, member count and
views.

    python tools/assemble_not_a_digit.py --data /tmp/not_a_digit.npz \\
        --member /tmp/check-seed0 [--member /tmp/check-seed1] --out weights/checks/not-a-digit
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from digitapp.app.check_views import IDENTITY, TURNED_ZOOMED_SLANTED  # noqa: E402
from digitapp.app.not_a_digit import NotADigitCheck  # noqa: E402
from digitapp.engine import load_model  # noqa: E402
from digitapp.engine.model_save import RESERVED_KEYS, save_model  # noqa: E402
from tools.train_not_a_digit import choose_threshold, parts  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--member", type=Path, action="append", required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--views", choices=("turned", "one"), default="turned",
                        help="turned: the image and six turned, zoomed, slanted copies (v8); "
                             "one: the image alone")
    args = parser.parse_args()
    views = TURNED_ZOOMED_SLANTED if args.views == "turned" else (IDENTITY,)
    loaded = [load_model(folder) for folder in args.member]
    with np.load(args.data, allow_pickle=False) as data:
        _, _, held = parts(data)
    check = NotADigitCheck(tuple(model for model, _ in loaded), threshold=0.5, views=views)
    threshold, shares = choose_threshold({k: check.scores(v[0]) for k, v in held.items()})
    if args.out.exists():  # only a check this tool made: numbered model folders, nothing else
        children = list(args.out.iterdir())
        if not all(c.name.isdigit() and (c / "model.json").is_file() for c in children):
            raise SystemExit(f"{args.out} exists and is not a not-a-digit check: not replaced")
        shutil.rmtree(args.out)
    for i, (model, manifest) in enumerate(loaded, start=1):
        metadata = {k: v for k, v in manifest.items() if k not in RESERVED_KEYS}
        metadata |= {"threshold": threshold, "members": len(loaded), "member": i,
                     # its own threshold from training (kept when re-assembling a check)
                     "member_threshold": manifest.get("member_threshold",
                                                      manifest.get("threshold")),
                     "held_back_declined": shares, "views": [list(v) for v in views]}
        save_model(model, args.out / str(i), metadata)
    print(f"saved {len(loaded)} member(s) in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

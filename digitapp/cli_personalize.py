"""`digitapp personalize [--base MODEL] --out DIR [--json] [--seed N]`: learn my handwriting.

Teaches a copy of the base model (default: the shipped default) the drawings of the user's
handwriting collection (store/handwriting.py; `digitapp handwriting add`, the Draw tab),
as the My handwriting tab's Teach button does (app/personalize.py), and prints the
accuracy before and after on the drawings set aside and on MNIST test. A progress bar goes
to stderr on a terminal (not with --json), as evaluate's. Ctrl+C saves nothing (exit 130).
"""

from __future__ import annotations

import json
import sys

EXIT_OK = 0


def add_personalize_parser(sub) -> None:
    p = sub.add_parser("personalize", help="teach a copy of a model your handwriting (the "
                       "drawings of `digitapp handwriting`) and measure it before and after")
    p.add_argument("--base", metavar="MODEL", help="the model folder to start from (default: "
                   "the shipped default; a personal model starts from its own base)")
    p.add_argument("--out", required=True, metavar="DIR", help="a new folder for the personal "
                   "model (or an empty one, or a model folder to replace)")
    p.add_argument("--seed", type=_seed, default=0, help="which drawings are set aside to "
                   "measure, and the teaching's random draws (default 0)")
    p.add_argument("--json", action="store_true", help="print one JSON object")


def _seed(text: str) -> int:
    import argparse

    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 0 <= value < 2**32:
        raise argparse.ArgumentTypeError(f"the seed must be from 0 to {2**32 - 1}")
    return value


def as_fractions(steps):
    """Yield (share done, text) for teach_steps' (done, total, text) steps; return their
    result (the shape analysis.control's steps have)."""
    while True:
        try:
            step = next(steps)
        except StopIteration as end:
            return end.value
        yield step.done / max(step.total, 1), step.text


def run_personalize(args) -> int:
    from .app.models import default_model_path, find_model
    from .app.personalize import personal_base, teach_steps
    from .cli_progress import drain_with_bar
    from .paths import printable
    from .store.handwriting import HandwritingStore

    base = find_model(args.base) if args.base is not None else default_model_path()
    store = HandwritingStore.default()
    if store.problem is not None:
        raise ValueError(store.problem)
    if store.notice is not None:
        print(f"digitapp: note: {store.notice}", file=sys.stderr)
    _, images, labels = store.training_arrays()
    steps = teach_steps(base, args.out, images, labels, seed=args.seed)
    # The same bar as evaluate's: on a terminal only, not with --json, erased when done.
    result = drain_with_bar(as_fractions(steps), show=not args.json)
    if args.json:
        print(json.dumps({
            "folder": str(result.folder), "base": str(result.base),
            "taught_from_base_of": str(base) if personal_base(base) != base else None,
            "drawings": result.drawings, "held_back": result.held_back,
            "yours_before": result.yours_before, "yours_after": result.yours_after,
            "mnist_before": result.mnist_before, "mnist_after": result.mnist_after,
            "seconds": round(result.seconds, 1), "notes": list(result.notes)}))
        return EXIT_OK
    for note in result.notes:
        print(f"note: {note}")
    print(f"taught {result.drawings} drawings ({result.held_back} set aside to measure) "
          f"from {printable(result.base)} in {result.seconds:.0f} s")
    print(result.summary())
    print(f"saved: {printable(result.folder)}")
    return EXIT_OK

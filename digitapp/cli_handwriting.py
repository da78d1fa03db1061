"""`digitapp handwriting ...`: the user's handwriting collection from the command line.

    digitapp handwriting add --label D FILE...   keep images of the digit D
    digitapp handwriting list [--json]           counts per digit and every drawing
    digitapp handwriting remove ID...            remove drawings by id
    digitapp handwriting export DIR              PNG files + drawings.csv into a new folder
    digitapp handwriting import DIR              add the drawings of an exported folder

The same collection as the Draw tab's corrections and the My handwriting tab
(store/handwriting.py, in the user's data folder); `digitapp personalize` teaches from it.
"""

from __future__ import annotations

import argparse
import io
import json
import sys

from .cli_usage import say

EXIT_OK, EXIT_ERROR = 0, 1  # as digitapp.cli (which imports this module, not the reverse)

MAX_PICTURE_SIDE = 1024  # an added file's picture is kept at most this big (longer side)


def add_handwriting_parser(sub) -> None:
    hw = sub.add_parser("handwriting", help="your handwriting collection: add, list, remove, "
                        "export, import (what `digitapp personalize` learns from)")
    actions = hw.add_subparsers(dest="handwriting_command", metavar="ACTION", required=True)
    add = actions.add_parser("add", help="keep image files as drawings of one digit")
    add.add_argument("--label", required=True, type=_digit, metavar="D",
                     help="the digit the images show, 0-9")
    add.add_argument("files", nargs="+", metavar="FILE", help="PNG, JPEG, BMP... files")
    add.add_argument("--json", action="store_true", help="one JSON object per file")
    listing = actions.add_parser("list", help="counts per digit and every drawing")
    listing.add_argument("--json", action="store_true", help="print one JSON object")
    remove = actions.add_parser("remove", help="remove drawings by id (see list)")
    remove.add_argument("ids", nargs="+", type=_drawing_id, metavar="ID")
    export = actions.add_parser("export", help="write the collection to a new or empty "
                                "folder (PNG files and drawings.csv)")
    export.add_argument("folder", metavar="DIR")
    imp = actions.add_parser("import", help="add the drawings of a folder made by export")
    imp.add_argument("folder", metavar="DIR")


def _digit(text: str) -> int:
    if text.strip() not in tuple("0123456789"):
        raise argparse.ArgumentTypeError(f"{text!r} is not a digit 0-9")
    return int(text)


def _drawing_id(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a drawing id") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a drawing id")
    return value


def run_handwriting(args) -> int:
    from .store.handwriting import HandwritingStore

    store = HandwritingStore.default()
    if store.problem is not None:
        raise ValueError(store.problem)
    if store.notice is not None:
        print(f"digitapp: note: {store.notice}", file=sys.stderr)
    action = args.handwriting_command
    if action == "add":
        return _add(store, args)
    if action == "list":
        return _list(store, args)
    if action == "remove":
        return _remove(store, args)
    if action == "export":
        return _export(store, args)
    return _import(store, args)


def _add(store, args) -> int:
    from .app.classify import classify_image28
    from .app.models import default_model_path, open_model
    from .data.preprocess import ImageError, NoDigit, load_grayscale, to_mnist28
    from .paths import printable
    from .store.drawing_rows import Drawing

    model, _ = open_model(None)  # its answer is kept with each drawing, as the Draw tab does
    model_name = default_model_path().name
    failures = 0
    for path in args.files:
        shown = printable(path)
        try:
            gray = load_grayscale(path)
            image28 = to_mnist28(gray)
        except (ImageError, NoDigit) as exc:
            failures += 1
            message = "no digit found" if isinstance(exc, NoDigit) else printable(str(exc))
            say(f"{shown}: {message}" if isinstance(exc, NoDigit) else message)
            continue
        answer = classify_image28(model, image28)
        drawing = Drawing(args.label, image28, picture=_png(gray), source="file",
                          predicted=answer.digit,
                          confidence=None if answer.digit is None else answer.confidence,
                          model=model_name)
        ident = store.add(drawing)
        read = "not a digit" if answer.digit is None else \
            f"{answer.digit} ({answer.confidence:.0%})"
        if args.json:
            print(json.dumps({"file": shown, "id": ident, "label": args.label,
                              "predicted": answer.digit}), flush=True)
        else:
            print(f"{shown}: kept as #{ident}, a {args.label} (the model reads {read})",
                  flush=True)
    return EXIT_ERROR if failures else EXIT_OK


def _png(gray) -> bytes:
    """PNG bytes of a float (H, W) picture in [0, 1], at most MAX_PICTURE_SIDE a side."""
    import numpy as np
    from PIL import Image

    image = Image.fromarray(np.rint(np.clip(gray, 0, 1) * 255).astype(np.uint8), "L")
    if max(image.size) > MAX_PICTURE_SIDE:
        image.thumbnail((MAX_PICTURE_SIDE, MAX_PICTURE_SIDE), Image.Resampling.BOX)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def _list(store, args) -> int:
    listing = store.listing()
    counts = listing.counts()
    if args.json:
        print(json.dumps({
            "count": len(listing.drawings),
            "per_digit": [int(c) for c in counts],
            "unreadable": listing.unreadable,
            "drawings": [{"id": d.id, "label": d.label, "added": d.added, "source": d.source,
                          "predicted": d.predicted, "confidence": d.confidence,
                          "model": d.model} for d in listing.drawings],
        }))
        return EXIT_OK
    total = len(listing.drawings)
    print(f"{total:,} drawing{'' if total == 1 else 's'} in {store.path}")
    print("  " + "  ".join(f"{digit}: {count}" for digit, count in enumerate(counts)))
    for d in listing.drawings:
        read = ("" if d.model == "" and d.predicted is None else "  read as not a digit"
                if d.predicted is None else f"  read as {d.predicted}"
                + (f" ({d.confidence:.0%})" if d.confidence is not None else ""))
        print(f"#{d.id:<6} {d.label}  {d.added}  {d.source:<6}{read}")
    if listing.note():
        print(f"digitapp: note: {listing.note()}", file=sys.stderr)
    return EXIT_OK


def _remove(store, args) -> int:
    removed = store.remove(args.ids)
    gone = {d.id for d in removed}
    missing = [i for i in dict.fromkeys(args.ids) if i not in gone]
    count = len(gone)
    print(f"removed {count} drawing{'' if count == 1 else 's'}")
    if missing:
        raise ValueError("no drawing with id " + ", ".join(f"#{i}" for i in missing))
    return EXIT_OK


def _export(store, args) -> int:
    from .app.handwriting_folder import export_collection
    from .paths import printable

    count = export_collection(store, args.folder)
    print(f"exported {count:,} drawing{'' if count == 1 else 's'} to {printable(args.folder)}")
    return EXIT_OK


def _import(store, args) -> int:
    from .app.handwriting_folder import import_collection

    report = import_collection(store, args.folder)
    for line in report.skipped:
        print(f"digitapp: skipped {line}", file=sys.stderr)
    if report.skipped_count > len(report.skipped):
        print(f"digitapp: ... and {report.skipped_count - len(report.skipped):,} more rows "
              "skipped", file=sys.stderr)
    print(report.text())
    return EXIT_ERROR if report.skipped_count and not report.added else EXIT_OK

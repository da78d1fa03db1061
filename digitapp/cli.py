"""The command line: `digitapp` opens the GUI; subcommands do the same work headless.

    digitapp train --out DIR [options]      train a model (progress bar), save it as a folder
    digitapp evaluate MODEL [--json]        accuracy, per-class table, confusion matrix
    digitapp evaluate MODEL --robustness    ... and accuracy as noise, blur, rotation... grow
    digitapp predict IMAGE... [--json]      digit and confidence per image file, or "not a digit"
    digitapp predict --number IMAGE...      each image read as a number, digit by digit
    digitapp calibrate MODEL                store a fitted temperature in an older model folder
    digitapp handwriting add|list|remove|export|import   your handwriting collection
    digitapp data info|verify               the dataset's contents; checksums of MNIST
    digitapp --self-test                    check the installation end to end (exit 0: ok)

Every expected failure (a missing file, a corrupt model, an image with no digit) ends with
one line on stderr and a non-zero exit code, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
import warnings
from pathlib import Path

from .cli_progress import drain_with_bar
from .cli_usage import say, usage_line

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2


class CliError(Exception):
    """An expected failure: printed as one line, exit code 1."""


class OneLineParser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one line (not the whole usage), exit 2:
    `digitapp: --threads: ... (see digitapp train --help)` (style: digitapp/cli_usage.py).
    Subcommand parsers are made of the same class (add_subparsers' default)."""

    def error(self, message: str):
        self.exit(EXIT_USAGE, usage_line(message, self.prog))

    def parse_known_args(self, args=None, namespace=None):
        # A command's parser names the words it does not know itself, so that the line
        # points at that command's --help (argparse leaves them to the top parser). Safe:
        # a command takes every word after it, so none of them is the top parser's.
        namespace, extras = super().parse_known_args(args, namespace)
        if extras:
            self.error(f"unrecognized arguments: {' '.join(extras)}")
        return namespace, extras


def build_parser() -> argparse.ArgumentParser:
    from . import __version__

    parser = OneLineParser(
        prog="digitapp",
        description="Handwritten digits with a neural network written in NumPy. "
        "Without a command, opens the desktop app.",
    )
    parser.add_argument("--version", action="version", version=f"digitapp {__version__}")
    parser.add_argument("--self-test", action="store_true",
                        help="check this installation: open the window offscreen, classify a "
                        "bundled digit, train a few batches, save and load a model; exit 0 "
                        "only if all of that worked")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    from .cli_train import add_train_parser

    add_train_parser(sub)
    from .cli_handwriting import add_handwriting_parser

    add_handwriting_parser(sub)
    from .cli_personalize import add_personalize_parser

    add_personalize_parser(sub)

    ev = sub.add_parser("evaluate", help="evaluate a model on the test set")
    ev.add_argument("model", help="a model folder, or the name of a shipped model (cnn, "
                    "mlp-512) or of one of yours")
    ev.add_argument("--data", metavar="DIR", help="folder with the four IDX files "
                    "(default: the bundled MNIST)")
    ev.add_argument("--images", metavar="IDX", help="an IDX file of 28x28 test images "
                    "(with --labels) instead of MNIST's test set")
    ev.add_argument("--labels", metavar="IDX", help="the IDX file of labels for --images")
    ev.add_argument("--json", action="store_true", help="print one JSON object")
    ev.add_argument("--robustness", action="store_true", help="also measure the accuracy "
                    "as noise, blur, rotation, shift, stroke thickness and scale grow")
    ev.add_argument("--robustness-images", type=_image_count, default=2000, metavar="N",
                    help="how many test images (a stratified, seeded subset) the "
                    "robustness curves use (default 2000)")

    cal = sub.add_parser("calibrate", help="fit a model folder's confidence (temperature) "
                         "on its validation split and store it in the folder")
    cal.add_argument("model", help="a model folder saved by an older digitapp")
    cal.add_argument("--data", metavar="DIR", help="folder with the four IDX files "
                     "(default: the bundled MNIST)")

    pr = sub.add_parser("predict", help="classify image files of digits")
    pr.add_argument("images", nargs="+", metavar="IMAGE", help="PNG, JPEG, BMP... files")
    pr.add_argument("--model", metavar="MODEL", help="a model folder or name (default: the "
                    "shipped cnn)")
    pr.add_argument("--json", action="store_true", help="one JSON object per line")
    pr.add_argument("--number", action="store_true", help="read each image as a number of "
                    "one or more digits (left to right), with each digit's box")

    data = sub.add_parser("data", help="inspect or verify a dataset")
    data_sub = data.add_subparsers(dest="data_command", metavar="ACTION", required=True)
    info = data_sub.add_parser("info", help="counts, classes and pixel statistics")
    info.add_argument("--data", metavar="DIR", help="folder with the four IDX files")
    info.add_argument("--json", action="store_true")
    verify = data_sub.add_parser("verify", help="check MNIST's files against known checksums")
    verify.add_argument("--data", metavar="DIR", help="folder with the four IDX files")

    sub.add_parser("gui", help="open the desktop app (the default)")
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.self_test:
        if args.command is not None:
            parser.error("--self-test takes no command")
        from .gui.self_test import run_self_test

        return run_self_test()
    if args.command in (None, "gui"):
        from .gui.app import run_gui

        return run_gui([sys.argv[0]])
    try:
        return _dispatch(args, argv)
    except KeyboardInterrupt:
        say("interrupted")
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # expected failures end as one line, never a traceback
        message = _one_line(exc)
        if message is None:
            raise
        say(message)
        return EXIT_ERROR


def _one_line(exc: Exception) -> str | None:
    """Return the one-line message for an expected error type, None for a bug."""
    from .data.errors import DatasetError
    from .data.preprocess import ImageError, NoDigit
    from .engine import ModelError
    from .store.database import StoreError

    if isinstance(exc, (CliError, ModelError, DatasetError, ImageError, NoDigit, StoreError)):
        return str(exc)
    if isinstance(exc, OSError):
        name = f"{exc.filename}: " if exc.filename else ""
        return f"{name}{exc.strerror or exc}"
    if isinstance(exc, ValueError):  # invalid option values, checked by the engine
        return str(exc)
    return None


def _dispatch(args, argv) -> int:
    if args.command == "train":
        from .cli_train import run_train

        # A diverging run overflows float32 (RuntimeWarning, with source lines) before the
        # trainer sees the NaN and says so in one line. Filters are process-wide: they also
        # cover the data-parallel replicas' threads (np.errstate would not).
        warnings.filterwarnings("ignore", category=RuntimeWarning, module=r"digitapp\.engine\.")
        return run_train(args, "digitapp " + shlex.join(argv))
    if args.command == "evaluate":
        return _evaluate(args)
    if args.command == "predict":
        return _predict(args)
    if args.command == "calibrate":
        return _calibrate(args)
    if args.command == "data":
        return _data(args)
    if args.command == "handwriting":
        from .cli_handwriting import run_handwriting

        return run_handwriting(args)
    if args.command == "personalize":
        from .cli_personalize import run_personalize

        return run_personalize(args)
    raise CliError(f"unknown command {args.command!r}")


def _evaluate(args) -> int:
    from .app.evaluation import evaluation_steps
    from .app.models import find_model, open_model
    from .app.not_a_digit import shipped_check
    from .data.mnist import load_idx_dataset, load_mnist

    model, _ = open_model(find_model(args.model))
    if bool(args.images) != bool(args.labels):
        raise CliError("--images and --labels go together")
    if args.images:
        dataset = load_idx_dataset(args.images, args.labels)
    else:
        dataset = load_mnist("test", args.data)
    # A bar on a terminal (the CNN: 3 s here at rest, 10 s on a busy machine); none with
    # --json or when piped.
    result = drain_with_bar(evaluation_steps(model, dataset), show=not args.json)
    result["model"] = str(args.model)
    check, _ = shipped_check()
    curves = _robustness(model, dataset, args.robustness_images,
                         check.declines if check is not None else None, show=not args.json) \
        if args.robustness else None
    if curves is not None:
        result["robustness_images"] = curves.count
        result["robustness"] = curves.as_json()
    if args.json:
        print(json.dumps(result))
        return EXIT_OK
    print(f"model     {args.model}  ({model.summary()})")
    print(f"accuracy  {result['accuracy']:.4f}  ({result['correct']:,} of {result['count']:,})")
    print(f"loss      {result['loss']:.4f}")
    print(f"ECE       {result['ece']:.2%}  (calibration error: mean |confidence - accuracy|)")
    declines = result["not_a_digit"]
    if "declined" in declines:
        print(f"declined  {declines['declined']:.2%} as not a digit; accuracy counting them "
              f"as wrong {declines['accuracy_with_declines']:.4f}\n")
    else:
        print(f"declined  - ({declines['missing']})\n")
    print("digit  precision  recall     f1  support")
    for row in result["per_class"]:
        print(f"{row['digit']:>5}  {row['precision']:>9.4f}  {row['recall']:>6.4f}  "
              f"{row['f1']:>5.4f}  {row['support']:>7}")
    print("\nconfusion matrix (rows: true digit, columns: predicted)")
    print("     " + "".join(f"{d:>6}" for d in range(10)))
    for digit, row in enumerate(result["confusion_matrix"]):
        print(f"{digit:>5}" + "".join(f"{c:>6}" for c in row))
    if curves is not None:
        _print_robustness(curves)
    return EXIT_OK


def _robustness(model, dataset, count: int, decline=None, show: bool = True):
    """Return the model's robustness curves on a stratified subset of `count` images
    (seed 0). `decline`: images (n, 28, 28) float32 -> bool (n,), True for "not a digit";
    with it, each curve also gives the share declined and the accuracy counting a declined
    image as wrong (see digitapp.app.robustness). `show`: a progress bar on a terminal."""
    from .app.robustness import model_robustness_steps
    from .data.splits import subset

    if count < len(dataset):
        dataset = subset(dataset, count, seed=0)
    steps = model_robustness_steps(model, dataset.images, dataset.labels, seed=0,
                                   decline=decline)
    return drain_with_bar(steps, show)


def _image_count(text: str) -> int:
    """argparse type of --robustness-images: an int >= 1."""
    try:
        count = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if count < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {count}")
    return count


def _print_robustness(curves) -> None:
    print(f"\nrobustness: accuracy on {curves.count:,} test images as each change grows")
    for name, curve in curves.curves.items():
        if curve.declined is None:
            print(f"\n{name}: {curve.unit}\n    level  accuracy")
            for level, accuracy in zip(curve.levels, curve.accuracy, strict=True):
                print(f"{level:>9g}  {accuracy:>8.4f}")
            continue
        print(f"\n{name}: {curve.unit}\n    level  accuracy  declined  with declines")
        for row in zip(curve.levels, curve.accuracy, curve.declined,
                       curve.accuracy_with_declines, strict=True):
            print(f"{row[0]:>9g}  {row[1]:>8.4f}  {row[2]:>8.4f}  {row[3]:>13.4f}")


def _calibrate(args) -> int:
    from .app.recalibrate import calibrate_folder

    try:
        entry = calibrate_folder(args.model, args.data)
    except ValueError as exc:
        raise CliError(f"{args.model}: cannot calibrate: {exc}") from None
    print(f"{args.model}: temperature {entry['temperature']:.3f} (fitted on "
          f"{entry['images']:,} validation images, plain and distorted); "
          f"test accuracy {entry['test_accuracy']:.2%}, unchanged")
    return EXIT_OK


def _predict(args) -> int:
    from .app.classify import classify_file
    from .app.models import find_model, open_model
    from .app.verdict import verdict
    from .data.preprocess import ImageError, NoDigit
    from .paths import printable  # names that are not UTF-8 shown with U+FFFD

    model, _ = open_model(None if args.model is None else find_model(args.model))
    if args.number:
        return _predict_numbers(model, args)
    failures = 0
    for path in args.images:
        shown = printable(path)
        try:
            p = classify_file(model, path)
        except (ImageError, NoDigit) as exc:
            failures += 1
            message = "no digit found" if isinstance(exc, NoDigit) else printable(str(exc))
            if args.json:
                print(json.dumps({"file": shown, "error": message}), flush=True)
            say(f"{shown}: {message}" if isinstance(exc, NoDigit) else message)
            continue
        # A non-digit is an answer, not a failure: "digit": null with its reason.
        if args.json:
            line = {"file": shown, "digit": p.digit}
            if p.digit is None:
                line["reason"] = p.reason
            line["confidence"] = round(p.confidence, 6)
            line["probabilities"] = [round(float(v), 6) for v in p.probabilities]
            if p.not_digit_score is not None:
                line["not_a_digit_score"] = round(p.not_digit_score, 6)
            print(json.dumps(line), flush=True)
        elif p.digit is None:
            print(f"{shown}: not a digit", flush=True)
        else:
            said = verdict(p.probabilities)  # "not sure: 2 or 4?" as the Draw tab says it
            doubt = "" if said.sure else f", {said.text}"
            print(f"{shown}: {p.digit}  ({p.confidence:.1%}{doubt})", flush=True)
    return EXIT_ERROR if failures else EXIT_OK


def _predict_numbers(model, args) -> int:
    """`predict --number`: one line per image, the number and each digit with its box."""
    from .app.number import read_number
    from .data.preprocess import ImageError, NoDigit, load_grayscale_scaled
    from .paths import printable

    failures = 0
    for path in args.images:
        shown = printable(path)
        try:
            gray, factor = load_grayscale_scaled(path)
            reading = read_number(model, gray)
        except (ImageError, NoDigit) as exc:
            failures += 1
            message = "no digit found" if isinstance(exc, NoDigit) else printable(str(exc))
            if args.json:
                print(json.dumps({"file": shown, "number": None, "digits": [],
                                  "error": message}), flush=True)
            say(f"{shown}: {message}" if isinstance(exc, NoDigit) else message)
            continue
        digits = []
        for d in reading.digits:
            entry = {"digit": d.prediction.digit,
                     "confidence": round(d.prediction.confidence, 6),
                     "box": [v * factor for v in d.box]}  # in the file's pixels
            if d.prediction.digit is None:
                entry["reason"] = d.prediction.reason
            digits.append(entry)
        if args.json:
            print(json.dumps({"file": shown, "number": reading.number, "digits": digits}),
                  flush=True)
            continue
        parts = ["?" if d["digit"] is None else str(d["digit"]) for d in digits]
        confidence = ", ".join(f"{p} {d['confidence']:.0%}"
                               for p, d in zip(parts, digits, strict=True))
        shown_number = reading.number if reading.number is not None else \
            "".join(parts) + "  (? = not a digit)"
        print(f"{shown}: {shown_number}  ({confidence})", flush=True)
    return EXIT_ERROR if failures else EXIT_OK


def _data(args) -> int:
    from .data.mnist import dataset_info, load_mnist, verify_mnist
    from .paths import resource_path

    if args.data_command == "verify":
        reports = verify_mnist(args.data)
        for r in reports:
            print(f"{'ok  ' if r.ok else 'FAIL'}  {r.name}: {r.detail}")
        bad = [r for r in reports if not r.ok]
        if bad:
            raise CliError(f"{len(bad)} of {len(reports)} files failed verification")
        print(f"all {len(reports)} files verified in {args.data or resource_path('mnist')}")
        return EXIT_OK
    infos = {split: dataset_info(load_mnist(split, args.data)) for split in ("train", "test")}
    if args.json:
        print(json.dumps(infos, default=_jsonable))
        return EXIT_OK
    print(f"dataset folder: {Path(args.data) if args.data else resource_path('mnist')}")
    for split, info in infos.items():
        print(f"\n{split}:")
        for key, value in info.items():
            print(f"  {key}: {_for_people(_jsonable(value))}")
    return EXIT_OK


def _for_people(value):
    """A value as a person reads it: floats to 4 significant digits (--json keeps all)."""
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, list) and any(isinstance(v, float) for v in value):
        return "[" + ", ".join(str(_for_people(v)) for v in value) + "]"
    return value


def _jsonable(value):
    import numpy as np

    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, tuple):
        return list(value)
    return value


if __name__ == "__main__":
    sys.exit(main())

"""`digitapp train`: every hyperparameter as an option, a progress bar, a model folder."""

from __future__ import annotations

import argparse
import contextlib
import re
import signal
import sys
import threading
from pathlib import Path


def _hidden_sizes(text: str) -> list[int]:
    """argparse type of --hidden: sizes separated by ',' or '-' (512, 256,128, 512-256).

    A '-' only ever stands between two numbers: "-5" is refused, not read as 5.
    """
    parts = [part.strip() for part in re.split(r"[,-]", text)]
    if not all(part.isascii() and part.isdigit() and len(part) <= 6 for part in parts):
        message = f"expected sizes like 512 or 256,128, not {text!r}"
        raise argparse.ArgumentTypeError(message)
    sizes = [int(part) for part in parts]
    if any(s < 1 or s > 65536 for s in sizes):
        raise argparse.ArgumentTypeError("hidden sizes must be between 1 and 65536")
    return sizes


def _threads(text: str) -> int:
    """argparse type of --threads: a whole number of BLAS threads from 1 to MAX_THREADS."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= MAX_THREADS:
        raise argparse.ArgumentTypeError(
            f"expected a whole number of threads from 1 to {MAX_THREADS}, not {text!r}")
    return value


MAX_THREADS = 256
class DefaultsWhereMeaningful(argparse.HelpFormatter):
    """Help that adds "(default: X)" only where X means something: not for a required
    option, a flag (its default is just "off"), a missing value or a help that says it."""

    def _get_help_string(self, action: argparse.Action) -> str:
        text = action.help or ""
        quiet = (action.required or action.default in (None, argparse.SUPPRESS)
                 or isinstance(action.default, bool) or "default" in text)
        return text if quiet else f"{text} (default: %(default)s)"


EXIT_INTERRUPTED = 130  # 128 + SIGINT, as a shell reports a process Ctrl+C ended
# Seconds `train` waits for a runs history locked by another digitapp before giving up on
# recording the run (the GUI's writes take milliseconds; a longer lock is a stuck program).
RECORD_WAIT = 3.0

# AugmentConfig's field -> the option that sets it, for its error messages.
AUGMENT_OPTIONS = {"max_shift": "--aug-shift", "max_rotation": "--aug-rotation",
                   "scale_range": "--aug-scale", "thickness_prob": "--aug-thickness",
                   "max_shear": "--aug-shear", "max_aspect": "--aug-aspect"}


def add_train_parser(sub) -> None:
    from .app.architectures import ARCHITECTURES
    from .engine.optimizers import OPTIMIZERS
    from .engine.schedules import SCHEDULES

    p = sub.add_parser("train", help="train a model and save it as a folder",
                       formatter_class=DefaultsWhereMeaningful)
    p.add_argument("--out", required=True, metavar="DIR", help="model folder to write")
    arch = p.add_argument_group("architecture")
    arch.add_argument("--arch", choices=ARCHITECTURES, default="mlp",
                      help="mlp: 784-HIDDEN-10; cnn: two conv blocks; cnn3: three; "
                      "cnn-small: two narrow blocks, the fastest to 99%%")
    arch.add_argument("--hidden", type=_hidden_sizes, default=[512], metavar="SIZES",
                      help="hidden layer sizes, e.g. 512 or 256,128")
    arch.add_argument("--dropout", type=float, default=0.1, help="dropout after each hidden layer")
    opt = p.add_argument_group("optimisation")
    opt.add_argument("--epochs", type=int, default=15, help="passes over the training set")
    opt.add_argument("--batch-size", type=int, default=128,
                     help="images per optimisation step")
    opt.add_argument("--optimizer", choices=sorted(OPTIMIZERS), default="adam",
                     help="how the weights are updated")
    opt.add_argument("--lr", type=float, default=1e-3, help="learning rate")
    opt.add_argument("--momentum", type=float, default=0.9, help="SGD momentum")
    opt.add_argument("--beta1", type=float, default=0.9, help="Adam beta1")
    opt.add_argument("--beta2", type=float, default=0.999, help="Adam beta2")
    opt.add_argument("--schedule", choices=SCHEDULES, default="constant",
                     help="learning rate over the epochs: constant, step (x factor every "
                     "N epochs) or cosine (down to 0)")
    opt.add_argument("--step-every", type=int, default=5, help="step schedule: epochs per step")
    opt.add_argument("--step-factor", type=float, default=0.8, help="step schedule: factor")
    opt.add_argument("--l2", type=float, default=0.0,
                     help="L2 penalty lambda (loss += lambda/(2m) sum W^2)")
    opt.add_argument("--weight-decay", type=float, default=0.0, help="decoupled weight decay")
    opt.add_argument("--no-keep-best", dest="keep_best", action="store_false",
                     help="keep the last epoch's weights, not the best validation epoch's")
    data = p.add_argument_group("data")
    data.add_argument("--augment", action="store_true",
                      help="random shift, rotation, scale and stroke thickness")
    data.add_argument("--aug-shift", type=float, default=2.0, help="augment: max shift (px)")
    data.add_argument("--aug-rotation", type=float, default=12.0,
                      help="augment: max rotation (degrees)")
    data.add_argument("--aug-scale", type=float, default=0.1,
                      help="augment: max zoom change (0.1 = 0.9x to 1.1x)")
    data.add_argument("--aug-thickness", type=float, default=0.3,
                      help="augment: probability of a thicker or thinner stroke")
    data.add_argument("--aug-shear", type=float, default=0.0,
                      help="augment: max slant (0.3: x moves by up to 0.3 x height)")
    data.add_argument("--aug-aspect", type=float, default=0.0,
                      help="augment: max width change (0.15 = 0.85x to 1.15x)")
    data.add_argument("--train-size", type=int, default=None,
                      help="train on a stratified subset of this many images")
    data.add_argument("--val-size", type=int, default=5000,
                      help="images held out of the training set for validation")
    data.add_argument("--data", metavar="DIR", help="folder with the four IDX files "
                      "(default: the bundled MNIST)")
    p.add_argument("--seed", type=int, default=0,
                   help="seed of the weights, the shuffling and the augmentation")
    p.add_argument("--workers", type=int, default=None,
                   help="split each batch across this many threads, each with one BLAS "
                   "thread (default: 2 for the CNNs, 1 for the MLP)")
    p.add_argument("--threads", type=_threads, default=None,
                   help="BLAS threads (default: the library's choice, usually all cores; "
                   "with --workers > 1 each worker uses one, whatever this says)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--no-history", action="store_true",
                   help="do not record the run in the runs history (the Train tab's table)")


def run_train(args, command: str) -> int:
    from tqdm import tqdm

    from .app.run_history import Crashed, record_training
    from .app.training import ModelSaved, TrainingJob
    from .engine import BatchDone, Control, EpochDone, Failed, Finished, TrainConfig
    from .paths import printable

    if args.workers is None:
        from .app.architectures import default_workers

        args.workers = default_workers(args.arch)
    config = TrainConfig(
        epochs=args.epochs, batch_size=args.batch_size, optimizer=args.optimizer, lr=args.lr,
        momentum=args.momentum, beta1=args.beta1, beta2=args.beta2, schedule=args.schedule,
        step_every=args.step_every, step_factor=args.step_factor, l2=args.l2,
        weight_decay=args.weight_decay, seed=args.seed, keep_best=args.keep_best,
        workers=args.workers,
    )
    augment = _augment_config(args)
    job = TrainingJob(hidden=args.hidden, dropout=args.dropout, arch=args.arch, config=config,
                      augment=augment, train_size=args.train_size,
                      val_size=args.val_size, data_dir=args.data, command=command)
    job.validate()
    # Before any data is loaded or any epoch is run: a bad --out (a file, a folder that is
    # not a model, ".", a path under a file, an unwritable place) fails now, in one line.
    from .engine.model_target import check_model_target

    check_model_target(args.out)
    out = Path(args.out)
    blas_request = _blas_request(args.threads)
    bar = None
    control = Control()
    status = 1
    failed = False  # a diverged run still saves its best epoch, but the command failed
    crashed = None
    history = None if args.no_history else _record
    try:
        with _ctrl_c_stops(control):
            for event in record_training(job, out, control, history):
                if isinstance(event, Crashed):
                    crashed = event.error
                elif isinstance(event, BatchDone):
                    if bar is None and not args.quiet:
                        bar = tqdm(total=event.batches_per_epoch, unit="batch", leave=False,
                                   desc=f"epoch {event.epoch + 1}/{config.epochs}",
                                   file=sys.stderr)
                    if bar is not None:
                        bar.update(1)
                        if event.batch % 20 == 0:
                            bar.set_postfix(loss=f"{event.loss:.4f}", lr=f"{event.lr:.2g}")
                elif isinstance(event, EpochDone):
                    if bar is not None:
                        bar.close()
                        bar = None
                    if not args.quiet:
                        print(f"epoch {event.epoch + 1:>3}/{event.epochs}  "
                              f"loss {event.train_loss:.4f}  acc {event.train_accuracy:.4f}  "
                              f"val loss {event.val_loss:.4f}  "
                              f"val acc {event.val_accuracy:.4f}  "
                              f"lr {event.lr:.2g}  {event.seconds:.1f}s", file=sys.stderr)
                elif isinstance(event, Failed):
                    # run_training saves only a diverged run with a finished epoch: say so.
                    nothing = ("" if event.reason == "diverged" and event.epochs_run else
                               " No epoch had finished, so no model was saved."
                               if event.reason == "diverged" else " No model was saved.")
                    print(f"digitapp: training {event.reason}: {event.message}{nothing}",
                          file=sys.stderr)
                    failed = True
                elif isinstance(event, Finished) and not args.quiet:
                    print(f"{event.status} after {event.epochs_run} "
                          f"epoch{'' if event.epochs_run == 1 else 's'} in "
                          f"{event.seconds:.0f}s (best validation accuracy "
                          f"{event.best_val_accuracy:.4f}, epoch {event.best_epoch + 1})",
                          file=sys.stderr)
                elif isinstance(event, ModelSaved):
                    print(f"test accuracy {event.test['accuracy']:.4f}; "
                          f"model saved to {printable(event.path)}")
                    status = 1 if failed else 0
    finally:
        if bar is not None:
            bar.close()
        if blas_request is not None:
            from .engine.blas import BLAS

            BLAS.release(blas_request)
    if crashed is not None:
        raise crashed  # recorded in the history; said as any command's error is
    if control.stopped:  # by Ctrl+C, with the best epoch saved if one had finished
        print("digitapp: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    return status


@contextlib.contextmanager
def _ctrl_c_stops(control):
    """Within the block, a first Ctrl+C stops the run after its current batch (the best
    epoch so far is saved and recorded); a second one interrupts at once, as usual.

    Signal handlers belong to the main thread: elsewhere Ctrl+C is left as it is.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum, frame) -> None:
        signal.signal(signal.SIGINT, previous)  # the next Ctrl+C interrupts
        print("\ndigitapp: stopping after this batch; the best epoch so far is saved "
              "(Ctrl+C again to quit at once)", file=sys.stderr)
        control.stop()

    previous = signal.signal(signal.SIGINT, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _augment_config(args):
    """Return the AugmentConfig of the --aug-* options (None without --augment).

    The strengths are checked even without --augment: a bad value is refused, not ignored.
    """
    from .data.augment import AugmentConfig

    try:
        augment = AugmentConfig(
            max_shift=args.aug_shift, max_rotation=args.aug_rotation,
            scale_range=(1.0 - args.aug_scale, 1.0 + args.aug_scale),
            thickness_prob=args.aug_thickness, max_shear=args.aug_shear,
            max_aspect=args.aug_aspect)
    except ValueError as exc:  # name the option the user typed, not the field
        field = str(exc).split(" ", 1)[0]
        raise ValueError(f"{AUGMENT_OPTIONS.get(field, '--aug-*')}: {exc}") from None
    return augment if args.augment else None


def _record(run) -> None:
    """Add the run (a RunRecord) to the runs history the Train tab shows; a failure is
    only a warning, printed here."""
    from .paths import printable
    from .store.runs import RunStore, StoreBusy, StoreError

    saved = "the model is saved" if run.model_path else "no model was saved"
    store = None
    try:  # a lock held longer than RECORD_WAIT is another digitapp busy with the history
        store = RunStore.default(read_timeout=RECORD_WAIT, write_timeout=RECORD_WAIT)
        store.add(run)
    except StoreBusy:
        print("digitapp: note: the run was not recorded in the runs history: another "
              f"digitapp kept it locked for more than {RECORD_WAIT:g} s ({saved})",
              file=sys.stderr)
    except StoreError as exc:
        print(f"digitapp: note: the run was not recorded in the runs history "
              f"({printable(str(exc))})", file=sys.stderr)
    except Exception as exc:  # noqa: BLE001 - the run is over: the history is secondary
        print(f"digitapp: note: the run was not recorded in the runs history "
              f"({printable(f'{type(exc).__name__}: {exc}')})", file=sys.stderr)
    if store is not None and store.notice:  # a damaged history was moved aside: where to
        print(f"digitapp: note: {store.notice}", file=sys.stderr)


def _blas_request(threads: int | None) -> int | None:
    """Ask the process's BLAS owner for --threads threads; return the request (None: no
    --threads, the library's count; data-parallel workers hold one each themselves)."""
    if threads is None:
        return None
    from .engine.blas import BLAS

    return BLAS.request(threads)

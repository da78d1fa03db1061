"""The training loop as a stream of events, driven alike by the CLI, the GUI and the tests.

    for event in train(model, data, config, control):
        ...  # BatchDone, EpochDone, then exactly one Finished or Failed

The loop checks `control` between batches: `stop()` ends the run after the current batch
(Finished with status "stopped"), `pause()` blocks it until `resume()` or `stop()`.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field

import numpy as np

from .freed_memory import keep_freed_memory
from .losses import l2_penalty
from .metrics import evaluate
from .model import Sequential
from .optimizers import OPTIMIZERS
from .parallel import DataParallelStep
from .schedules import make_schedule

# Sane ranges of TrainConfig's whole numbers (the GUI's fields stay inside them).
MAX_EPOCHS = 10_000
MAX_BATCH_SIZE = 1_000_000  # below this, the memory estimate of the caller decides
MAX_SEED = 2**32 - 1
MAX_WORKERS = 64
# The shipped recipes use L2 0.01 and no weight decay; AdamW's usual decay is 0.01-0.1.
# Beyond 10 either one only pulls every weight to 0 (a step shrinks w by lr * 10 * w), and
# 1e300 overflowed float32 into NaN that the user was told was the learning rate's fault.
MAX_L2 = 10.0
MAX_WEIGHT_DECAY = 10.0


def whole_number(name: str, value, low: int, high: int) -> None:
    """Raise ValueError unless `value` is an int (not a bool) in [low, high]."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) \
            or not low <= value <= high:
        raise ValueError(f"{name} must be a whole number from {low:,} to {high:,}, "
                         f"not {value!r}")


def real_number(name: str, value, low: float, high: float, low_open: bool = False,
                high_open: bool = False) -> None:
    """Raise ValueError unless `value` is a finite number in the interval low..high.

    Written as `low <= value <= high` (which NaN fails), plus an explicit finiteness test
    for infinity when `high` is unbounded.
    """
    ok = isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(
        value, bool) and math.isfinite(value)
    if ok:
        ok = (value > low if low_open else value >= low) and (
            value < high if high_open else value <= high)
    if not ok:
        left, right = "(" if low_open else "[", ")" if high_open else "]"
        where = (f"a finite number {'>' if low_open else '>='} {low:g}" if math.isinf(high)
                 else f"a number in {left}{low:g}, {high:g}{right}")
        raise ValueError(f"{name} must be {where}, not {value!r}")


@dataclass
class TrainConfig:
    """Every hyperparameter of a run (the model's architecture is separate)."""

    epochs: int = 15
    batch_size: int = 128
    optimizer: str = "adam"  # "adam" or "sgd"
    lr: float = 1e-3
    momentum: float = 0.9  # SGD only
    beta1: float = 0.9  # Adam only
    beta2: float = 0.999
    schedule: str = "constant"  # "constant", "step" or "cosine"
    step_every: int = 5
    step_factor: float = 0.8
    l2: float = 0.0  # the seed's lambda: loss += l2 / (2 m) * sum W^2
    weight_decay: float = 0.0  # decoupled: W -= lr * weight_decay * W
    seed: int = 0
    workers: int = 1  # >1: split each batch across threads (see parallel.py)
    keep_best: bool = True  # end with the weights of the best validation epoch
    # A batch loss above this multiple of the first epoch's mean (or non-finite) is divergence.
    divergence_factor: float = 50.0

    def validate(self) -> None:
        """Raise ValueError with a plain one-line reason for the first invalid value.

        Every number must be finite (NaN passes a `< 0` test, so ranges are checked as
        `low <= x <= high`, which NaN fails) and whole numbers must be ints in a sane range.
        """
        whole_number("epochs", self.epochs, 1, MAX_EPOCHS)
        whole_number("batch size", self.batch_size, 1, MAX_BATCH_SIZE)
        if self.optimizer not in OPTIMIZERS:
            raise ValueError(f"optimizer must be one of {', '.join(OPTIMIZERS)}, "
                             f"not {self.optimizer!r}")
        real_number("learning rate", self.lr, 0.0, math.inf, low_open=True)
        real_number("momentum", self.momentum, 0.0, 1.0, high_open=True)
        real_number("beta1", self.beta1, 0.0, 1.0, high_open=True)
        real_number("beta2", self.beta2, 0.0, 1.0, high_open=True)
        whole_number("step every (epochs)", self.step_every, 1, MAX_EPOCHS)
        real_number("step factor", self.step_factor, 0.0, 1.0, low_open=True)
        real_number("L2 penalty", self.l2, 0.0, MAX_L2)
        real_number("weight decay", self.weight_decay, 0.0, MAX_WEIGHT_DECAY)
        whole_number("seed", self.seed, 0, MAX_SEED)
        whole_number("workers", self.workers, 1, MAX_WORKERS)
        if not isinstance(self.keep_best, bool):
            raise ValueError(f"keep_best must be True or False, not {self.keep_best!r}")
        real_number("divergence factor", self.divergence_factor, 1.0, math.inf, low_open=True)
        make_schedule(self.schedule, self.lr, self.epochs, self.step_every, self.step_factor)

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class BatchDone:
    epoch: int  # 0-based
    batch: int  # 0-based within the epoch
    batches_per_epoch: int
    loss: float
    lr: float
    samples_per_second: float


@dataclass(frozen=True)
class EpochDone:
    epoch: int  # 0-based
    epochs: int
    train_loss: float
    train_accuracy: float
    val_loss: float
    val_accuracy: float
    lr: float
    seconds: float


@dataclass(frozen=True)
class Finished:
    status: str  # "completed" or "stopped"
    epochs_run: int
    best_epoch: int  # -1 if no epoch finished
    best_val_accuracy: float
    seconds: float
    history: list = field(default_factory=list)  # the EpochDone events


@dataclass(frozen=True)
class Failed:
    reason: str  # "diverged" or "error"
    message: str  # a plain explanation with a suggestion
    epochs_run: int
    seconds: float
    history: list = field(default_factory=list)


class Control:
    """Stop and pause tokens shared between the training loop and whoever drives it."""

    def __init__(self) -> None:
        self._stop = threading.Event()
        self._running = threading.Event()
        self._running.set()

    def stop(self) -> None:
        self._stop.set()
        self._running.set()  # wake a paused loop so it can see the stop

    def pause(self) -> None:
        self._running.clear()

    def resume(self) -> None:
        self._running.set()

    @property
    def stopped(self) -> bool:
        return self._stop.is_set()

    @property
    def paused(self) -> bool:
        return not self._running.is_set()

    def wait_if_paused(self) -> None:
        while not self._running.wait(timeout=0.1):
            pass


def train(
    model: Sequential,
    x_train: np.ndarray,
    y_train: np.ndarray,
    x_val: np.ndarray,
    y_val: np.ndarray,
    config: TrainConfig,
    control: Control | None = None,
    transform: Callable[[np.ndarray], np.ndarray] | None = None,
) -> Iterator[BatchDone | EpochDone | Finished | Failed]:
    """Train `model` in place, yielding events; the last event is Finished or Failed.

    x_train (N, *input_shape) float32, y_train (N,) ints; likewise the validation set, which
    may be empty. `transform` (e.g. data augmentation) maps an input batch to a new one.
    """
    config.validate()
    control = control or Control()
    keep_freed_memory()  # each batch reuses the last one's memory (freed_memory.py)
    start_time = time.perf_counter()
    history: list[EpochDone] = []
    step = DataParallelStep(model, config.workers)
    try:
        yield from _loop(model, x_train, y_train, x_val, y_val, config, control, transform,
                         history, start_time, step)
    except _Diverged as exc:
        yield Failed("diverged", str(exc), len(history), time.perf_counter() - start_time,
                     list(history))
    except (ValueError, FloatingPointError, MemoryError) as exc:
        yield Failed("error", f"training failed: {exc}", len(history),
                     time.perf_counter() - start_time, list(history))
    finally:
        step.close()


class _Diverged(Exception):
    pass


def _loop(model, x_train, y_train, x_val, y_val, config, control, transform, history, t0,
          step):
    n = len(x_train)
    if n == 0:
        raise ValueError("the training set is empty")
    schedule = make_schedule(config.schedule, config.lr, config.epochs, config.step_every,
                             config.step_factor)
    optimizer = _make_optimizer(model, config)
    rng = np.random.default_rng(config.seed)
    batches = math.ceil(n / config.batch_size)
    weights = model.weights() if config.l2 else []
    best = (-1, -math.inf, model.get_flat())  # (epoch, val accuracy, weights)
    last_good = model.get_flat()
    reference_loss = None  # first epoch's mean loss: the yardstick for divergence

    for epoch in range(config.epochs):
        order = rng.permutation(n)
        epoch_start = time.perf_counter()
        loss_sum, correct, seen = 0.0, 0, 0
        for b in range(batches):
            control.wait_if_paused()
            if control.stopped:
                break
            batch_start = time.perf_counter()
            idx = order[b * config.batch_size : (b + 1) * config.batch_size]
            xb, yb = x_train[idx], y_train[idx]
            if transform is not None:
                xb = transform(xb)
            lr = schedule(epoch + b / batches)

            # 1. forward, loss and backward (split across workers), 2. L2, 3. update.
            loss, batch_correct = step(xb, yb)
            correct += batch_correct
            if config.l2:
                loss += l2_penalty(weights, config.l2, len(idx))
                scale = config.l2 / len(idx)
                for w, g in zip(weights, _weight_grads(model), strict=True):
                    g += scale * w
            if reference_loss is None:
                reference_loss = max(loss, 1e-3)  # until the first epoch's mean replaces it
            if not math.isfinite(loss) or loss > config.divergence_factor * reference_loss:
                model.set_flat(last_good if best[0] < 0 else best[2])
                raise _Diverged(
                    f"the loss became {'not a number' if not math.isfinite(loss) else 'huge'} "
                    f"({loss:.3g}) at epoch {epoch + 1}, batch {b + 1}: the learning rate "
                    f"({lr:g}) is probably too high. Try a lower one (e.g. {lr / 10:g})."
                    + _kept(best[0]))
            optimizer.step(lr)
            loss_sum += loss * len(idx)
            seen += len(idx)
            now = time.perf_counter()
            yield BatchDone(epoch, b, batches, loss, lr, len(idx) / max(now - batch_start, 1e-9))

        if seen == 0:  # stopped before the epoch's first batch
            break
        if not np.all(np.isfinite(model.params.values)):
            model.set_flat(last_good if best[0] < 0 else best[2])
            raise _Diverged("the weights became not-a-number: lower the learning rate."
                            + _kept(best[0]))
        last_good = model.get_flat()
        train_loss = loss_sum / seen
        if epoch == 0:
            reference_loss = max(train_loss, 1e-3)
        if len(x_val):
            val = evaluate(model, x_val, y_val)
            val_loss, val_acc = val["loss"], val["accuracy"]
        else:
            val_loss, val_acc = float("nan"), float("nan")
        event = EpochDone(epoch, config.epochs, train_loss, correct / seen, val_loss, val_acc,
                          schedule(epoch), time.perf_counter() - epoch_start)
        history.append(event)
        score = val_acc if len(x_val) else -train_loss
        if score > best[1]:
            best = (epoch, score, last_good)
        yield event
        if control.stopped:
            break

    if config.keep_best and best[0] >= 0:
        model.set_flat(best[2])
    status = "stopped" if control.stopped else "completed"
    best_acc = history[best[0]].val_accuracy if best[0] >= 0 else float("nan")
    yield Finished(status, len(history), best[0], best_acc, time.perf_counter() - t0,
                   list(history))


def _kept(best_epoch: int) -> str:
    """Say which weights a diverged run ends with. Without a finished epoch there are none
    worth keeping: the caller says so (it is the one that saves, or not)."""
    if best_epoch < 0:
        return ""
    return f" The weights of epoch {best_epoch + 1}, the best before the blow-up, were kept."


def _make_optimizer(model, config):
    if config.optimizer == "adam":
        return OPTIMIZERS["adam"](model.params, config.beta1, config.beta2,
                                  weight_decay=config.weight_decay)
    return OPTIMIZERS["sgd"](model.params, config.momentum, weight_decay=config.weight_decay)


def _weight_grads(model):
    p = model.params
    return [p.view(p.grads, s) for s in p.decayed_slots()]

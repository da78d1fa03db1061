"""The use-case "train a model from a job description": data, training, test, save.

The CLI and the GUI's worker both iterate `run_training(job, control)`; it yields the
engine's events and, after a run that finished, one `ModelSaved` with the test metrics.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from .. import __version__
from ..data.augment import AugmentConfig, Augmenter
from ..data.mnist import Dataset, load_mnist, split_train_val, subset
from ..engine import Control, Failed, Finished, Sequential, TrainConfig, save_model, train
from ..engine.layers import layer_from_config
from ..engine.model import check_size
from ..engine.trainer import real_number, whole_number
from .architectures import ARCHITECTURES, CONVOLUTIONAL, architecture_config
from .architectures import build as build_architecture
from .calibration import KEY as CALIBRATION_KEY
from .calibration import fit as fit_calibration
from .evaluation import evaluate_dataset, summary
from .memory_budget import MNIST_TRAIN_IMAGES, check_training_memory
from .models import PREPROCESSING, as_model_inputs

MAX_HIDDEN_LAYERS = 16
MAX_HIDDEN_UNITS = 65_536  # per layer (Dense's own limit); memory decides below it
MIN_TRAIN_IMAGES = 10  # fewer is not training, and usually a mistaken --val-size
MAX_IMAGES = 10_000_000


def check_split(available: int, train_size: int | None, val_size: int) -> None:
    """Raise ValueError unless holding out `val_size` of `available` training images leaves
    at least MIN_TRAIN_IMAGES, and at least `train_size` if one is asked for."""
    left = available - val_size
    if left < MIN_TRAIN_IMAGES:
        raise ValueError(f"a validation set of {val_size:,} images leaves {max(left, 0):,} of "
                         f"the {available:,} training images; at least {MIN_TRAIN_IMAGES} are "
                         "needed for training: lower the validation size")
    if train_size is not None and train_size > left:
        raise ValueError(f"the training-set size ({train_size:,}) is more than the {left:,} "
                         f"images left after holding out {val_size:,} of {available:,} for "
                         "validation")


@dataclass
class TrainingJob:
    """Everything that defines a run: architecture, hyperparameters, data."""

    hidden: list[int] = field(default_factory=lambda: [512])  # MLP only
    dropout: float = 0.1
    arch: str = "mlp"  # "mlp" (784-hidden...-10) or a CNN of architectures.CONVOLUTIONAL
    config: TrainConfig = field(default_factory=TrainConfig)
    augment: AugmentConfig | None = None  # None: train on the images as they are
    train_size: int | None = None  # use a stratified subset of the training set
    val_size: int = 5000  # held out of the training set; the test set is never trained on
    data_dir: str | None = None  # a folder with the four IDX files (default: bundled MNIST)
    command: str = ""  # the command line that started the run, recorded in model.json

    def validate(self) -> None:
        """Raise ValueError (one plain line) for anything that would fail or mislead later.

        Checked before any data is loaded or array allocated: every value's type and range
        (NaN and infinities refused), the split of the bundled MNIST, and whether the
        network, a batch of its activations and the data fit in memory.
        """
        if self.arch not in ARCHITECTURES:
            raise ValueError(f"architecture must be one of {', '.join(ARCHITECTURES)}")
        if not isinstance(self.hidden, list) or not 1 <= len(self.hidden) <= MAX_HIDDEN_LAYERS:
            raise ValueError(f"give 1 to {MAX_HIDDEN_LAYERS} hidden layer sizes")
        for size in self.hidden:
            whole_number("hidden layer size", size, 1, MAX_HIDDEN_UNITS)
        real_number("dropout", self.dropout, 0.0, 1.0, high_open=True)
        if self.train_size is not None:
            whole_number("training-set size", self.train_size, MIN_TRAIN_IMAGES, MAX_IMAGES)
        whole_number("validation size", self.val_size, 0, MAX_IMAGES)
        self.config.validate()
        if self.augment is not None:
            self.augment.validate()
        if self.data_dir is None:  # the bundled MNIST: its size is known before loading
            check_split(MNIST_TRAIN_IMAGES, self.train_size, self.val_size)
        check_training_memory(self)
        # A model larger than the loader accepts could be trained but never opened again.
        architecture = architecture_config(self.arch, self.hidden, self.dropout)
        check_size([layer_from_config(c) for c in architecture["layers"]],
                   tuple(architecture["input_shape"]))

    def build_model(self) -> Sequential:
        return build_architecture(self.arch, self.hidden, self.dropout, self.config.seed)


@dataclass(frozen=True)
class ModelSaved:
    path: Path
    test: dict  # evaluation summary on the test set (accuracy, loss, per class, confusion)


def load_job_data(job: TrainingJob):
    """Return (train, validation, test) Datasets for a job."""
    full = load_mnist("train", job.data_dir)
    check_split(len(full), job.train_size, job.val_size)  # another data set's own size
    test = load_mnist("test", job.data_dir)
    if job.val_size:
        train_set, val_set = split_train_val(full, job.val_size, job.config.seed)
    else:
        train_set, val_set = full, Dataset(full.images[:0], full.labels[:0])
    if job.train_size is not None and job.train_size < len(train_set):
        train_set = subset(train_set, job.train_size, job.config.seed)
    return train_set, val_set, test


def run_training(
    job: TrainingJob, output: str | Path, control: Control | None = None, data=None
) -> Iterator:
    """Train per `job`, yielding engine events; on success save to `output` (ModelSaved).

    `data` may pass (train, validation, test) Datasets already loaded.
    """
    job.validate()
    control = control or Control()
    train_set, val_set, test_set = data if data is not None else load_job_data(job)
    model = job.build_model()
    x_train = as_model_inputs(model, train_set.inputs())
    x_val = as_model_inputs(model, val_set.inputs())
    transform = None
    if job.augment is not None:
        augmenter = Augmenter(job.augment, seed=job.config.seed)

        def transform(batch: np.ndarray) -> np.ndarray:
            flat = augmenter(batch.reshape(len(batch), -1))
            return flat.reshape(batch.shape)

    started = dt.datetime.now(dt.timezone.utc)
    t0 = time.perf_counter()
    ended = None
    for event in train(model, x_train, train_set.labels.astype(np.int64), x_val,
                       val_set.labels.astype(np.int64), job.config, control, transform):
        yield event
        if isinstance(event, (Finished, Failed)):
            ended = event
    # Nothing is lost: a stopped run keeps its best epoch, a diverged one the weights of its
    # best epoch before the blow-up (the trainer restored them). An error or a run without
    # one finished epoch has nothing worth keeping.
    if ended is None or ended.epochs_run == 0:
        return
    if isinstance(ended, Failed) and ended.reason != "diverged":
        return
    status, best_epoch, best_val = _outcome(ended)
    calibration = _calibrate(model, val_set, job.config.seed)
    test = summary(evaluate_dataset(model, test_set))  # with the calibrated probabilities
    metadata = {
        "created": started.isoformat(timespec="seconds"),
        "digitapp_version": __version__,
        "summary": model.summary(),
        "preprocessing": PREPROCESSING,
        "training": {
            "command": job.command,
            "arch": job.arch,
            "hidden": job.hidden if job.arch == "mlp" else None,
            "dropout": job.dropout,
            "augment": asdict(job.augment) if job.augment is not None else None,
            "train_size": len(train_set),
            "val_size": len(val_set),
            "data": job.data_dir or "bundled MNIST",
            "config": job.config.to_dict(),
            "status": status,
            "epochs_run": ended.epochs_run,
            "best_epoch": best_epoch,
            "seconds": round(time.perf_counter() - t0, 1),
            "history": [
                {k: v for k, v in asdict(e).items() if k != "epochs"} for e in ended.history
            ],
        },
        "metrics": {
            "test_accuracy": test["accuracy"],
            "test_loss": test["loss"],
            "val_accuracy": best_val,
        },
    }
    if calibration is not None:
        metadata[CALIBRATION_KEY] = calibration
    path = save_model(model, output, metadata)
    yield ModelSaved(Path(path), test)


def _calibrate(model, val_set: Dataset, seed: int) -> dict | None:
    """Fit the model's temperature on its validation split and apply it; None (the model
    stays uncalibrated, T = 1) without a validation split or with unusable outputs."""
    if len(val_set) == 0:
        return None
    try:
        entry = fit_calibration(model, val_set.inputs(), val_set.labels, seed)
    except ValueError:
        return None
    model.temperature = entry["temperature"]
    return entry


def _outcome(ended: Finished | Failed) -> tuple[str, int, float]:
    """Return (status, best epoch, its validation accuracy) of a run that kept weights."""
    if isinstance(ended, Finished):
        return ended.status, ended.best_epoch, ended.best_val_accuracy
    # Diverged: the trainer restored the best epoch by validation accuracy (or by training
    # loss without a validation set), as keep_best does at the end of a run.
    history = ended.history
    if all(np.isnan(e.val_accuracy) for e in history):
        best = min(range(len(history)), key=lambda i: history[i].train_loss)
    else:
        best = max(range(len(history)), key=lambda i: history[i].val_accuracy)
    return "diverged", best, history[best].val_accuracy


def new_model_folder(root: Path, job: TrainingJob, when: dt.datetime | None = None) -> Path:
    """Return a folder in `root` free for a new model, e.g. mlp-512-20250101-093000."""
    when = when or dt.datetime.now()
    kind = job.arch if job.arch in CONVOLUTIONAL else "mlp-" + "-".join(map(str, job.hidden))
    base = f"{kind}-{when:%Y%m%d-%H%M%S}"
    folder = Path(root) / base
    n = 1
    while folder.exists():
        n += 1
        folder = Path(root) / f"{base}-{n}"
    return folder

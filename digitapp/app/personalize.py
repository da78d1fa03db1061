"""The use-case "learn my handwriting": fine-tune a copy of a model on the user's drawings.

    steps = teach_steps(base, out, images, labels, control=control, seed=0)
    for step in steps: ...            # TeachStep: stage, done/total, one line of text
    result = <the generator's return> # TeachResult: before/after figures, the saved folder

The GUI's GeneratorWorker and `digitapp personalize` iterate the same generator. The steps:
1. check everything cheap first (the drawings, the target folder, the base model);
2. set part of the user's drawings aside to measure (app/held_back.py);
3. measure the base on them and on MNIST test (the latter cached per base folder);
4. fine-tune a copy of the base: each batch mixes augmented copies of the user's drawings
   (oversampled: a handful of drawings are seen many times, each time distorted anew) with
   as many MNIST training images (replay, so that it does not forget MNIST), Adam with a
   small learning rate on a cosine to zero;
5. measure again, save as an ordinary model folder with a "personal" entry in model.json.

Re-teaching a personal model starts from the model it was taught from (`personal_base`),
so mistakes do not compound. The base folder is never written to. The calibration
temperature is the base's, kept as it is: the only data to refit it on would be the
user's few drawings (too few) or MNIST's validation split (which fine-tuning hardly moves).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Generator
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from .. import __version__
from ..analysis.control import Cancelled, raise_if_stopped
from ..data.augment import AugmentConfig, Augmenter
from ..data.dataset import to_inputs
from ..data.errors import DatasetError
from ..data.mnist import load_mnist
from ..engine import Adam, Control, Conv2D, ModelError, Sequential, save_model
from ..engine.model_manifest import read_manifest
from ..engine.model_save import RESERVED_KEYS
from ..engine.model_target import check_model_target
from ..engine.parallel import DataParallelStep
from ..engine.schedules import Cosine
from ..paths import printable, user_models_dir
from .held_back import split_held_back
from .model_refs import model_ref, path_from_ref
from .models import as_model_inputs, open_model
from .teach_measure import CHUNK, accuracy, mnist_test, mnist_test_accuracy_steps

__all__ = ["Cancelled", "TeachError", "TeachResult", "TeachSettings", "TeachStep",
           "check_teach", "missing_digits_note", "new_personal_folder", "personal_base",
           "teach_steps"]

KEY = "personal"  # model.json's entry of a personal model
EMPTY = ("your handwriting collection is empty: add drawings with "
         "`digitapp handwriting add --label D FILE...` or in the Draw tab")
MAX_DRAWINGS = 200_000  # the store's listing limit
STEP_EVERY = 0.2  # seconds: teaching yields at most this often (the GUI throttles too)
# The user's drawings are distorted a little more than MNIST's training recipe: a handful of
# drawings must stand for every way the user draws that digit. Slant and width included.
YOURS_AUGMENT = AugmentConfig(max_shift=2.0, max_rotation=10.0, scale_range=(0.9, 1.1),
                              thickness_prob=0.3, max_shear=0.15, max_aspect=0.1)
REPLAY_AUGMENT = AugmentConfig()  # the Train tab's default recipe


class TeachError(ValueError):
    """Teaching cannot start (or failed); str() is one line for the user."""


@dataclass(frozen=True)
class TeachSettings:
    """How much teaching: the defaults fit a 2-core machine's minute (README, measured)."""

    passes: int = 6  # the cosine schedule's "epochs"; progress says "pass 3 of 6"
    batches_per_pass: int = 60
    # A quarter of each batch is the user's (augmented copies), three quarters MNIST train:
    # measured on the simulated writers (bench_personalize.py), 32/32 at lr 3e-4 left the
    # CNN at 99.32-99.52% on MNIST test, 24/72 at 1e-4 at 99.43-99.51%, both ~100% on them.
    yours_per_batch: int = 24
    replay_per_batch: int = 72
    lr: float = 1e-4  # Adam's learning rate at the start (the shipped CNN trained at 2e-3)
    mnist_test_images: int | None = None  # None: all 10,000 (a stratified subset for tests)
    data_dir: str | None = None  # MNIST's folder (None: the bundled copy)


@dataclass(frozen=True)
class TeachStep:
    stage: str  # "preparing" | "measuring before" | "teaching" | "measuring after" | "saving"
    done: int  # units of work done in the whole job (monotonic) ...
    total: int  # ... out of this many, for a progress bar
    text: str  # one line for a status label, e.g. "teaching: pass 3 of 6"


@dataclass(frozen=True)
class TeachResult:
    folder: Path  # the saved personal model (an ordinary model folder)
    base: Path  # the model it was taught from
    drawings: int  # used to teach
    held_back: int  # set aside to measure
    yours_before: float | None  # accuracy on the held-back drawings, None if none were held
    yours_after: float | None
    mnist_before: float  # MNIST test accuracy, 0..1
    mnist_after: float
    seconds: float
    notes: tuple[str, ...]

    def summary(self) -> str:
        """Return e.g. "your drawings: 81% -> 98%; MNIST test: 99.68% -> 99.60%"."""
        if self.yours_before is None or self.yours_after is None:
            yours = "your drawings: none set aside to measure (a digit needs 4 drawings)"
        else:
            yours = (f"your drawings: {self.yours_before:.0%} -> {self.yours_after:.0%} "
                     f"({self.held_back} set aside)")
        return f"{yours}; MNIST test: {self.mnist_before:.2%} -> {self.mnist_after:.2%}"


def personal_base(folder: str | Path) -> Path:
    """Return the model a personal model was taught from (`folder` itself if it is not a
    personal model, or cannot be read: opening it then says why).

    Raises TeachError if the base it records is no longer there.
    """
    folder = Path(folder)
    try:
        manifest = read_manifest(folder)
    except (ModelError, OSError):
        return folder
    entry = manifest.get(KEY)
    if not isinstance(entry, dict):
        return folder
    base = path_from_ref(entry.get("base"))
    if base is None:
        return folder
    if not (base / "model.json").is_file():
        raise TeachError(f"{printable(folder)} was taught from {printable(base)}, which is no "
                         "longer there: teach from another model")
    return base


def new_personal_folder(when: dt.datetime | None = None) -> Path:
    """Return a new, free folder in the user's models folder, e.g. personal-20261202-031500."""
    when = when or dt.datetime.now()
    root = user_models_dir()
    name = f"personal-{when:%Y%m%d-%H%M%S}"
    folder, n = root / name, 1
    while folder.exists():
        n += 1
        folder = root / f"{name}-{n}"
    return folder


def teach_steps(base: str | Path, out: str | Path, images: np.ndarray, labels: np.ndarray, *,
                control: Control | None = None, seed: int = 0,
                settings: TeachSettings | None = None
                ) -> Generator[TeachStep, None, TeachResult]:
    """Teach a copy of `base` the drawings (images float32 (N, 28, 28) in [0, 1], labels
    ints (N,)), save it to `out`; yield TeachSteps, return a TeachResult.

    Raises TeachError before any work for bad input (no drawings, a bad `out`, a bad base);
    raises Cancelled when `control.stopped` (checked at least every ~0.2 s), `out` untouched.
    """
    settings = settings or TeachSettings()
    images, labels, out, base_folder, model, manifest = _checked(base, out, images, labels)
    return (yield from _teach(model, manifest, base_folder, out, images, labels, control,
                              seed, settings))


def check_teach(base: str | Path, out: str | Path, images: np.ndarray,
                labels: np.ndarray) -> None:
    """Raise TeachError if teach_steps would refuse these (the checks it makes first, in
    a fraction of a second: for a dialog that wants to say so before starting a worker)."""
    _checked(base, out, images, labels)


def _checked(base, out, images, labels):
    """Return (images, labels, out, base folder, model, manifest), all checked."""
    images, labels = _checked_drawings(images, labels)
    try:
        out = check_model_target(out)
    except ModelError as exc:
        raise TeachError(str(exc)) from None
    base_folder = personal_base(base)
    try:
        model, manifest = open_model(base_folder)
    except ModelError as exc:
        raise TeachError(str(exc)) from None
    return images, labels, Path(out), base_folder, model, manifest


def _checked_drawings(images, labels) -> tuple[np.ndarray, np.ndarray]:
    """Return (images float32 (N, 28, 28), labels int64 (N,)); TeachError if they are not."""
    images, labels = np.asarray(images), np.asarray(labels)
    if images.ndim != 3 or images.shape[1:] != (28, 28):
        raise TeachError(f"the drawings must be 28x28 images, not an array of shape "
                         f"{images.shape}")
    if len(images) == 0:
        raise TeachError(EMPTY)
    if len(images) > MAX_DRAWINGS:
        raise TeachError(f"{len(images):,} drawings are more than the {MAX_DRAWINGS:,} a "
                         "personal model learns from")
    if labels.shape != (len(images),) or not np.issubdtype(labels.dtype, np.integer):
        raise TeachError(f"there must be one whole-number label per drawing ({len(images)}), "
                         f"not an array of shape {labels.shape} ({labels.dtype})")
    if labels.min() < 0 or labels.max() > 9:
        raise TeachError("every label must be a digit from 0 to 9")
    if not np.issubdtype(images.dtype, np.floating):
        raise TeachError(f"the drawings must be floating-point pixels in [0, 1], not "
                         f"{images.dtype}")
    images = images.astype(np.float32)
    if not np.isfinite(images).all() or images.min() < 0 or images.max() > 1:
        raise TeachError("the drawings' pixels must be numbers from 0 to 1")
    return images, labels.astype(np.int64)


def missing_digits_note(labels: np.ndarray) -> str | None:
    """Return e.g. "no drawings of 3 and 8: those digits are learned from MNIST only"."""
    missing = [str(d) for d in range(10) if not np.any(labels == d)]
    if not missing:
        return None
    names = missing[0] if len(missing) == 1 else ", ".join(missing[:-1]) + " and " + missing[-1]
    those = "that digit is" if len(missing) == 1 else "those digits are"
    return f"no drawings of {names}: {those} learned from MNIST only"


class _Progress:
    """Counts units of work (a batch, a chunk measured) and makes TeachSteps of them."""

    def __init__(self, total: int) -> None:
        self.total, self.done = total, 0

    def step(self, stage: str, text: str, units: int = 0) -> TeachStep:
        self.done = min(self.done + units, self.total)
        return TeachStep(stage, self.done, self.total, f"{stage}: {text}" if text else stage)


def _teach(model: Sequential, manifest: dict, base_folder: Path, out: Path,
           images: np.ndarray, labels: np.ndarray, control: Control | None, seed: int,
           settings: TeachSettings) -> Generator[TeachStep, None, TeachResult]:
    t0 = time.perf_counter()
    started = dt.datetime.now(dt.timezone.utc)
    workers = 2 if any(isinstance(layer, Conv2D) for layer in model.layers) else 1
    teach_idx, held_idx = split_held_back(labels, seed)
    notes = [n for n in (missing_digits_note(labels),) if n]
    if not len(held_idx):
        notes.append("no drawings set aside to measure: a digit needs 4 drawings for one")
    test_chunks = -(-min(settings.mnist_test_images or 10_000, 10_000) // CHUNK)
    batches = settings.passes * settings.batches_per_pass
    progress = _Progress(1 + 2 * (test_chunks + 1) + batches + 1)

    # 1. MNIST, for replay and for measuring.
    yield progress.step("preparing", "reading MNIST")
    try:
        replay = load_mnist("train", settings.data_dir)
        test = mnist_test(settings.mnist_test_images, settings.data_dir)
    except (DatasetError, OSError) as exc:
        raise TeachError(f"MNIST cannot be read: {exc}") from None
    raise_if_stopped(control)
    yield progress.step("preparing", "", 1)

    # 2. Before: the held-back drawings, then MNIST test (cached per base folder).
    held_x, held_y = images[held_idx], labels[held_idx]
    yours_before = accuracy(model, workers, held_x, held_y, control)
    yield progress.step("measuring before", "your drawings", 1)
    mnist_before = yield from mnist_test_accuracy_steps(
        model, workers, test, control,
        lambda chunk: progress.step("measuring before", f"MNIST test {chunk}", 1),
        base_folder, settings.data_dir)
    progress.done = 1 + test_chunks + 1  # a cached figure skipped its chunks

    # 3. Teach.
    yield from _fine_tune(model, workers, images[teach_idx], labels[teach_idx], replay,
                          control, seed, settings, progress)

    # 4. After.
    yours_after = accuracy(model, workers, held_x, held_y, control)
    yield progress.step("measuring after", "your drawings", 1)
    mnist_after = yield from mnist_test_accuracy_steps(
        model, workers, test, control,
        lambda chunk: progress.step("measuring after", f"MNIST test {chunk}", 1))
    raise_if_stopped(control)

    # 5. Save (atomic: a failure leaves `out` as it was).
    yield progress.step("saving", str(out))
    seconds = time.perf_counter() - t0
    personal = {
        "base": model_ref(base_folder),
        "drawings": len(teach_idx),
        "held_back": len(held_idx),
        "per_digit": np.bincount(labels, minlength=10).tolist(),
        "yours_before": yours_before, "yours_after": yours_after,
        "mnist_before": mnist_before, "mnist_after": mnist_after,
        "mnist_test_images": len(test),
        "seed": seed,
        "settings": {k: v for k, v in asdict(settings).items() if k != "data_dir"},
        "seconds": round(seconds, 1),
        "calibration": "the base model's temperature, kept",
        "notes": notes,
    }
    metadata = {k: v for k, v in manifest.items() if k not in RESERVED_KEYS}
    metadata.update(created=started.isoformat(timespec="seconds"), digitapp_version=__version__,
                    summary=model.summary(), metrics={"test_accuracy": mnist_after})
    metadata[KEY] = personal
    try:
        save_model(model, out, metadata)
    except ModelError as exc:
        raise TeachError(str(exc)) from None
    yield progress.step("saving", "done", 1)
    return TeachResult(out, base_folder, len(teach_idx), len(held_idx), yours_before,
                       yours_after, mnist_before, mnist_after, time.perf_counter() - t0,
                       tuple(notes))


def _fine_tune(model: Sequential, workers: int, x: np.ndarray, y: np.ndarray, replay,
               control: Control | None, seed: int, settings: TeachSettings,
               progress: _Progress) -> Generator[TeachStep, None, None]:
    """Train `model` in place on the drawings x (n, 28, 28) float32, y (n,) mixed with MNIST
    training images (replay: a Dataset), yielding a TeachStep at most every STEP_EVERY s."""
    rng = np.random.default_rng(seed)
    yours_aug = Augmenter(YOURS_AUGMENT, seed=seed)
    replay_aug = Augmenter(REPLAY_AUGMENT, seed=seed + 1)
    flat = x.reshape(len(x), -1)
    per_batch = settings.yours_per_batch
    batches = settings.passes * settings.batches_per_pass
    # Oversampling: the drawings in shuffled rounds, each round all of them once.
    rounds = -(-batches * per_batch // len(x))
    stream = np.concatenate([rng.permutation(len(x)) for _ in range(rounds)])
    schedule = Cosine(settings.lr, settings.passes)
    optimizer = Adam(model.params)
    step = DataParallelStep(model, workers)  # holds one BLAS thread per replica itself
    last = -np.inf
    try:
        for b in range(batches):
            raise_if_stopped(control)
            mine = stream[b * per_batch:(b + 1) * per_batch]
            theirs = rng.integers(0, len(replay), settings.replay_per_batch)
            xb = np.concatenate([yours_aug(flat[mine]),
                                 replay_aug(to_inputs(replay.images[theirs]))])
            yb = np.concatenate([y[mine], replay.labels[theirs].astype(np.int64)])
            loss, _ = step(as_model_inputs(model, xb), yb)
            if not np.isfinite(loss):
                raise TeachError("teaching failed: the loss became not a number")
            optimizer.step(schedule(b / settings.batches_per_pass))
            progress.done += 1
            now = time.perf_counter()
            if now - last >= STEP_EVERY or b == batches - 1:
                last = now
                pass_no = b // settings.batches_per_pass + 1
                yield progress.step("teaching", f"pass {pass_no} of {settings.passes}")
    finally:
        step.close()
    if not np.all(np.isfinite(model.params.values)):
        raise TeachError("teaching failed: the weights became not a number")

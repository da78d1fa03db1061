"""Named training recipes: what the Train tab's preset menu fills the form with."""

from __future__ import annotations

from collections.abc import Callable

from ..data.augment import AugmentConfig
from ..engine import TrainConfig
from .architectures import default_workers
from .training import TrainingJob


def seed_recipe() -> TrainingJob:
    """Return the seed project's recipe: 784-512-10, Adam, x0.8 every 5 epochs, 40 epochs."""
    return TrainingJob(
        hidden=[512], dropout=0.1,
        config=TrainConfig(epochs=40, batch_size=128, optimizer="adam", lr=1e-3,
                           schedule="step", step_every=5, step_factor=0.8, l2=0.01),
    )


def quick_look() -> TrainingJob:
    """Return a run that shows a learning curve in seconds: a 10,000-image subset."""
    return TrainingJob(
        hidden=[256], dropout=0.1, train_size=10_000, val_size=2000,
        config=TrainConfig(epochs=8, batch_size=64, optimizer="adam", lr=1e-3,
                           schedule="cosine", l2=0.01),
    )


def best_mlp() -> TrainingJob:
    """Return the recipe of the shipped weights/mlp-512 (99.1% test accuracy); a test
    checks that the two agree."""
    return TrainingJob(
        hidden=[512], dropout=0.1, augment=AugmentConfig(),
        config=TrainConfig(epochs=60, batch_size=128, optimizer="adam", lr=1e-3,
                           schedule="cosine", l2=0.01),
    )


def quick_cnn() -> TrainingJob:
    """Return a CNN run that reaches ~98% in under a minute: 10,000 images, 3 epochs
    (98.28% on the test set in 12 s on 2 cores)."""
    return TrainingJob(
        arch="cnn", dropout=0.3, train_size=10_000, val_size=2000,
        config=TrainConfig(epochs=3, batch_size=128, optimizer="adam", lr=2e-3,
                           schedule="cosine", workers=default_workers("cnn")),
    )


def fast_99() -> TrainingJob:
    """Return the fastest recipe to 99% test accuracy found (benchmarks/bench_time_to_99.py):
    the small CNN, 2 epochs, Adam on a cosine, no augmentation; 2,000 images held out."""
    return TrainingJob(
        arch="cnn-small", dropout=0.0, val_size=2000,
        config=TrainConfig(epochs=2, batch_size=128, optimizer="adam", lr=1e-2,
                           schedule="cosine", workers=default_workers("cnn-small")),
    )


def best_cnn() -> TrainingJob:
    """Return the recipe of the shipped weights/cnn (99.68% test accuracy); a test checks
    that the two agree."""
    return TrainingJob(
        arch="cnn3", dropout=0.3, augment=AugmentConfig(),
        config=TrainConfig(epochs=30, batch_size=128, optimizer="adam", lr=2e-3,
                           schedule="cosine", workers=default_workers("cnn3")),
    )


# Menu label -> a function returning a fresh job (jobs are mutable: never share one).
# Labels stay short (the Train form is a narrow column); PRESET_NOTES says the rest.
PRESETS: dict[str, Callable[[], TrainingJob]] = {
    "Quick look (under a minute)": quick_look,
    "Seed recipe (40 epochs)": seed_recipe,
    "Best MLP": best_mlp,
    "Quick CNN (under a minute)": quick_cnn,
    "99% fast (2 epochs)": fast_99,
    "Best CNN (30 epochs)": best_cnn,
}

# What a first-time user starts with: a curve in seconds (8 s, 95% test accuracy, measured
# with `digitapp train` on 2 cores), not the 40-epoch seed recipe.
DEFAULT_PRESET = "Quick look (under a minute)"

# Menu label -> one or two plain sentences (the menu item's tooltip).
PRESET_NOTES: dict[str, str] = {
    "Quick look (under a minute)": "A 784-256-10 network on 10,000 images for 8 epochs: "
    "a learning curve in seconds, about 95% accuracy.",
    "Seed recipe (40 epochs)": "The seed project's recipe: 784-512-10, Adam, the learning "
    "rate times 0.8 every 5 epochs, all 55,000 training images; a couple of minutes.",
    "Best MLP": "The recipe of the shipped MLP (99.1% test accuracy): 784-512-10 with "
    "augmented images, 60 epochs; several minutes.",
    "Quick CNN (under a minute)": "A two-block convolutional network on 10,000 images for "
    "3 epochs: about 98% accuracy in under a minute.",
    "99% fast (2 epochs)": "A small convolutional network (16 and 32 filters) for 2 epochs "
    "on 58,000 images: past 99% test accuracy (99.2%) in about 15 s on 2 cores.",
    "Best CNN (30 epochs)": "The recipe of the shipped CNN (99.68% test accuracy): three "
    "convolution blocks, augmented images, 30 epochs; about 15 minutes on 2 cores.",
}


def preset_name(job: TrainingJob) -> str | None:
    """Return the name of the preset `job` equals (ignoring its command), or None."""
    for name, make in PRESETS.items():
        preset = make()
        preset.command = job.command
        preset.data_dir = job.data_dir
        if preset == job:
            return name
    return None

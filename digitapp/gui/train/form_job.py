"""A TrainingJob to the Train form's values and back, with no widget in sight.

The form's values are what it shows: a text per field (keys of form_fields.FIELDS), an
internal value per menu ("network": "mlp", "optimizer": "adam", "schedule": "cosine") and
whether augmentation is ticked. The same shape is what form_memory keeps across restarts.
"""

from __future__ import annotations

from typing import Any

from digitapp.app.architectures import default_workers
from digitapp.app.training import TrainingJob
from digitapp.data.augment import AugmentConfig
from digitapp.engine import TrainConfig


def form_values(job: TrainingJob) -> dict:
    """Return the texts, menus and augmentation tick that show `job` in the form."""
    config = job.config
    augment = job.augment or AugmentConfig()  # the strengths offered when ticked later
    texts = {
        "hidden": ", ".join(str(h) for h in job.hidden), "dropout": f"{job.dropout:g}",
        "epochs": str(config.epochs), "batch_size": str(config.batch_size),
        "lr": f"{config.lr:g}", "momentum": f"{config.momentum:g}", "l2": f"{config.l2:g}",
        "weight_decay": f"{config.weight_decay:g}", "seed": str(config.seed),
        "step_every": str(config.step_every), "step_factor": f"{config.step_factor:g}",
        "aug_shift": f"{augment.max_shift:g}", "aug_rotation": f"{augment.max_rotation:g}",
        "aug_scale": f"{augment.scale_range[1] - 1:g}",
        "aug_thickness": f"{augment.thickness_prob:g}",
        "train_size": "" if job.train_size is None else str(job.train_size),
        "val_size": str(job.val_size),
    }
    menus = {"network": job.arch, "optimizer": config.optimizer, "schedule": config.schedule}
    return {"texts": texts, "menus": menus, "augment": job.augment is not None}


def form_job(values: dict[str, Any], menus: dict[str, str], augment_on: bool,
             kept_augment: AugmentConfig) -> TrainingJob:
    """Return the job of parsed field values (keys of FIELDS; those that do not apply now,
    e.g. momentum with Adam, absent) and the menus' internal values.

    kept_augment: the augmentation of the job last shown (a preset's); its slant and width
    have no fields and are kept, and equal strengths give back that very object.
    """
    v, arch = values, menus["network"]
    defaults = TrainConfig()  # what the fields that do not apply stand for
    config = TrainConfig(
        epochs=v["epochs"], batch_size=v["batch_size"], optimizer=menus["optimizer"],
        lr=v["lr"], momentum=v.get("momentum", defaults.momentum),
        schedule=menus["schedule"],
        step_every=v.get("step_every", defaults.step_every),
        step_factor=v.get("step_factor", defaults.step_factor),
        l2=v["l2"], weight_decay=v["weight_decay"], seed=v["seed"],
        workers=default_workers(arch))
    augment = None
    if augment_on:
        augment = AugmentConfig(
            max_shift=v["aug_shift"], max_rotation=v["aug_rotation"],
            scale_range=(1.0 - v["aug_scale"], 1.0 + v["aug_scale"]),
            thickness_prob=v["aug_thickness"], max_shear=kept_augment.max_shear,
            max_aspect=kept_augment.max_aspect)
        if _same_strengths(augment, kept_augment):
            augment = kept_augment  # exactly the preset's (no float round trip through text)
    # The CNN's layers are fixed (digitapp.app.architectures.cnn_config): no hidden
    # sizes; keep the MLP default so that the job stays valid and comparable.
    hidden = v["hidden"] if arch == "mlp" else [512]
    return TrainingJob(hidden=hidden, dropout=v["dropout"], arch=arch, config=config,
                       augment=augment, train_size=v["train_size"], val_size=v["val_size"],
                       command="digitapp (Train tab)")


def _same_strengths(a: AugmentConfig, b: AugmentConfig) -> bool:
    """Return True if two augmentations agree to the digits the form shows."""
    def shown(c: AugmentConfig):
        return [f"{v:g}" for v in (c.max_shift, c.max_rotation, c.scale_range[0],
                                   c.scale_range[1], c.thickness_prob)]
    return shown(a) == shown(b) and (a.max_shear, a.max_aspect) == (b.max_shear, b.max_aspect)

"""`digitapp calibrate MODEL`: give a model folder saved before calibration its temperature.

The temperature is fitted as app.training fits it when it saves (app.calibration.fit) on the
model's own validation split: the val_size and seed its model.json records (the Train tab's
split of MNIST train), 5,000 images and seed 0 when it records none. The folder is saved
again through the engine's safe save (the weights are unchanged; model.json gains the
calibration entry and its test loss is updated).
"""

from __future__ import annotations

from pathlib import Path

from ..engine import TrainConfig, save_model
from ..engine.model_save import RESERVED_KEYS
from .calibration import KEY, fit
from .evaluation import evaluate_dataset, summary
from .models import open_model
from .training import TrainingJob, load_job_data

DEFAULT_VAL_SIZE = 5000


def validation_split_of(manifest: dict) -> tuple[int, int]:
    """Return (val_size, seed): how the model folder's run split MNIST train, as its
    model.json records it (DEFAULT_VAL_SIZE and 0 where it records none or nonsense)."""
    training = manifest.get("training") if isinstance(manifest.get("training"), dict) else {}
    val_size = training.get("val_size", DEFAULT_VAL_SIZE)
    config = training.get("config") if isinstance(training.get("config"), dict) else {}
    seed = config.get("seed", 0)
    if not isinstance(val_size, int) or isinstance(val_size, bool) or val_size <= 0:
        val_size = DEFAULT_VAL_SIZE  # trained on all of MNIST train: no split of its own
    if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
        seed = 0
    return val_size, seed


def calibrate_folder(folder: str | Path, data_dir: str | None = None) -> dict:
    """Fit, store and return the calibration entry of a model folder (plus "test_accuracy"
    and "val_size"). Raises ModelError for an unusable folder, ValueError for bad outputs."""
    model, manifest = open_model(folder)
    val_size, seed = validation_split_of(manifest)
    _, val, test = load_job_data(TrainingJob(val_size=val_size, data_dir=data_dir,
                                             config=TrainConfig(seed=seed)))
    entry = fit(model, val.inputs(), val.labels, seed)
    model.temperature = entry["temperature"]
    result = summary(evaluate_dataset(model, test))
    metadata = {k: v for k, v in manifest.items() if k not in RESERVED_KEYS}
    metadata[KEY] = entry
    metrics = dict(metadata.get("metrics") or {})
    metrics["test_loss"] = result["loss"]
    metadata["metrics"] = metrics
    save_model(model, folder, metadata)
    return {**entry, "val_size": val_size, "test_accuracy": result["accuracy"]}

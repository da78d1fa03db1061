"""Names people read for models and runs: "CNN, 2 epochs, 98.9%" rather than a folder's
timestamp ("cnn-20261201-203411"), or the name the user gave the run.

Made from a run's record (the Runs table) or a model folder's model.json (the Draw tab's
picker); model.json is read as hostile (engine.read_manifest) and any value of the wrong
type is left out, never an error.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

from ..engine import ModelError, read_manifest
from ..engine.model import describe_architecture

# The end of a folder name the Train tab made up (training.new_model_folder): a timestamp,
# and a count when two runs started in the same second. Such a name says nothing to people.
_TIMESTAMP_END = re.compile(r"-\d{8}-\d{6}(-\d+)?$")


def is_made_up_folder(name: str) -> bool:
    """Return whether a model folder's name is one the Train tab made up (a timestamp)."""
    return bool(_TIMESTAMP_END.search(name))


@dataclass(frozen=True)
class ModelTitle:
    text: str  # what a list shows: "my net, 98.9%"
    detail: str  # what a tooltip adds: the architecture in full, the folder


def short_network(architecture: str) -> str:
    """Return 'CNN' for a convolutional network, 'MLP 784-32-10' for a perceptron, '' if
    unknown (architecture as engine.describe_architecture writes it)."""
    if architecture.startswith("CNN"):
        return "CNN"
    return f"MLP {architecture}" if architecture else ""


def made_up_name(architecture: str, epochs: int | None) -> str:
    """Return a run's name when the user gave none: 'CNN, 2 epochs'."""
    parts = [short_network(architecture) or "Network"]
    if epochs is not None:
        parts.append(f"{epochs} epoch{'' if epochs == 1 else 's'}")
    return ", ".join(parts)


def run_title(name: str | None, architecture: str, epochs: int | None,
              test_accuracy: float | None) -> str:
    """Return 'my net, 98.9%' or, with no name, 'CNN, 2 epochs, 98.9%'."""
    title = name or made_up_name(architecture, epochs)
    if _is_fraction(test_accuracy):
        title += f", {100 * test_accuracy:.1f}%"
    return title


def folder_title(folder: Path, name: str | None = None, by_folder: bool = False) -> ModelTitle:
    """Return the title of the model folder `folder` from its model.json: the user's `name`
    for it, else (`by_folder`: a shipped model or a folder opened from disk) the folder's
    name and network ('cnn: CNN'), else a made-up name; then its test accuracy. A folder
    whose model.json cannot be read is named by the folder's name."""
    try:
        manifest = read_manifest(folder)
    except ModelError:
        return ModelTitle(name or folder.name, str(folder))
    try:
        architecture = describe_architecture(manifest["architecture"])
    except (KeyError, TypeError, ValueError, AttributeError):
        architecture = ""
    training = manifest.get("training")
    epochs = training.get("epochs_run") if isinstance(training, dict) else None
    epochs = epochs if isinstance(epochs, int) and not isinstance(epochs, bool) else None
    metrics = manifest.get("metrics")
    accuracy = metrics.get("test_accuracy") if isinstance(metrics, dict) else None
    if by_folder and not name:
        name = f"{folder.name}: {short_network(architecture) or 'network'}"
    text = run_title(name, architecture, epochs, accuracy if _is_fraction(accuracy) else None)
    tested = (f"{100 * accuracy:.2f}% on the MNIST test set" if _is_fraction(accuracy)
              else "test accuracy not recorded")
    return ModelTitle(text, f"{architecture or 'unknown network'} · {tested}\n{folder}")


def _is_fraction(value) -> bool:
    return (isinstance(value, float) and not isinstance(value, bool) and math.isfinite(value)
            and 0.0 <= value <= 1.0)

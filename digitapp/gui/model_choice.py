"""The model the user chose last time, remembered between runs (QSettings), and how the
model picker names each model (the user's name for its run, else a made-up one).

The composition root (gui/app.py) restores it once the tabs are listening, and remembers
every later change of the active model, whoever makes it: the Draw tab's picker, the Train
tab's "Use this model", a deleted model replaced by the shipped one.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QSettings

from digitapp.app.model_refs import model_ref, path_from_ref
from digitapp.app.model_titles import ModelTitle, folder_title, is_made_up_folder
from digitapp.engine import ModelError
from digitapp.gui.active_model import ActiveModel, ModelSnapshot
from digitapp.store.runs import RunStore, StoreError

# The key the Draw tab used when it remembered the model itself: kept, so a choice made
# with an earlier version survives the update.
MODEL_KEY = "draw/model"


def remember_model(snapshot: ModelSnapshot) -> None:
    """Store `snapshot`'s folder as the model to use next time."""
    QSettings().setValue(MODEL_KEY, model_ref(snapshot.path))


def restore_model(active_model: ActiveModel) -> str:
    """Use the model chosen last time, else the shipped default; return what to tell the user.

    Return "" when the remembered model (or, with none remembered, the shipped one) loaded;
    else one sentence: the remembered one failed and which one is used instead, or that
    none could be loaded (the active model then stays empty).
    """
    saved = path_from_ref(QSettings().value(MODEL_KEY))
    failed: ModelError | None = None
    for path in ([saved] if saved is not None else []) + [None]:  # None: the shipped default
        try:
            snapshot = active_model.use_path(path)
        except ModelError as exc:
            failed = exc
            continue
        if failed is None:
            return ""
        return (f"The model used last time could not be loaded ({failed}); "
                f"using {snapshot.name}.")
    return f"No model could be loaded: {failed}"


def names_by_folder(store: RunStore | None) -> dict[str, str]:
    """Return {normalised model folder: the user's name} from the runs history; {} when
    there is none or it cannot be read now (the picker then shows made-up names)."""
    if store is None:
        return {}
    try:
        names = store.names_by_model()
    except StoreError:
        return {}
    return {os.path.normpath(path): name for path, name in names.items()}


def picker_entry(path: Path, kind: str, names: dict[str, str]) -> ModelTitle:
    """Return what the model picker shows for the folder `path` ('shipped', 'yours', or
    the folder it was opened from): 'my net, 98.9% (yours)', and the tooltip."""
    # A folder named by a person (shipped, opened, `train --out my-net`) keeps its name.
    by_folder = kind != "yours" or not is_made_up_folder(path.name)
    title = folder_title(path, names.get(os.path.normpath(path)), by_folder=by_folder)
    return ModelTitle(f"{title.text} ({kind})", title.detail)

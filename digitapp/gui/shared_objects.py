"""What more than one tab uses, built once by the composition root (gui/app.py)."""

from __future__ import annotations

from dataclasses import dataclass

from digitapp.gui.active_model import ActiveModel
from digitapp.gui.audit.session import AuditSession
from digitapp.gui.handwriting_collection import HandwritingCollection
from digitapp.store.runs import RunStore


@dataclass(frozen=True)
class SharedObjects:
    """Handed by the root to the main window, which hands each tab the ones it uses."""

    active_model: ActiveModel  # the model Draw, Mistakes and Insights classify with
    runs: RunStore  # the runs history (Train tab)
    audit: AuditSession  # the active model's evaluation on the test set (Mistakes, Insights)
    handwriting: HandwritingCollection  # the user's labelled drawings (Draw, My handwriting)

"""The composition root (digitapp/gui/app.py): one set of shared objects, built in one place.

Also the Draw tab's answer when classifying fails in a way nobody planned for (out of
memory under a cap, a bug): a message on screen, never an exception out of the event loop.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

import digitapp.gui
from digitapp.app.model_refs import model_ref
from digitapp.app.models import DEFAULT_MODEL, shipped_models
from digitapp.gui.app import build_shared_objects
from digitapp.gui.draw import tab as draw_tab_module
from digitapp.gui.model_choice import MODEL_KEY, restore_model
from digitapp.store.runs import RunStore
from testkit.mouse_drawing import draw, on_sheet
from testkit.shown_predictions import answer_after
from testkit.stroke_digits import TEMPLATES

GUI = Path(digitapp.gui.__file__).parent
# What only the root may do: build a shared object or hook the application's end.
ROOT_ONLY = re.compile(r"RunStore\.default\(|ActiveModel\(|AuditSession\(|aboutToQuit")


def test_only_the_root_builds_shared_objects_or_hooks_quitting():
    offenders = [f"{path.relative_to(GUI)}: {line.strip()}"
                 for path in sorted(GUI.rglob("*.py")) if path.name != "app.py"
                 for line in path.read_text(encoding="utf-8").splitlines()
                 if ROOT_ONLY.search(line) and not line.lstrip().startswith(("#", "class "))]
    assert offenders == []


def test_the_tabs_share_the_roots_objects(fresh_main_window):
    window = fresh_main_window(960, 640)
    active = window.active_model
    assert window.draw_tab.active_model is active
    assert window.train_tab.active_model is active
    assert window.audit_tabs.session.active_model is active
    assert isinstance(window.train_tab.store, RunStore)
    assert active.snapshot is not None and active.snapshot.name == DEFAULT_MODEL


def test_the_root_remembers_a_model_chosen_anywhere(qtbot, fresh_main_window):
    window = fresh_main_window(960, 640)
    other = next(p for p in shipped_models() if p.name != DEFAULT_MODEL)
    window.active_model.use_path(other)  # as the Train tab's "Use this model" does
    assert QSettings().value(MODEL_KEY) == model_ref(other)


def test_restore_says_nothing_when_the_remembered_model_loads(qapp):
    other = next(p for p in shipped_models() if p.name != DEFAULT_MODEL)
    QSettings().setValue(MODEL_KEY, model_ref(other))
    try:
        shared = build_shared_objects()
        assert restore_model(shared.active_model) == ""
        assert shared.active_model.snapshot.name == other.name
    finally:
        QSettings().remove(MODEL_KEY)


def test_restore_falls_back_to_the_shipped_model_and_says_why(qapp, tmp_path):
    gone = tmp_path / "gone"
    QSettings().setValue(MODEL_KEY, model_ref(gone))
    try:
        shared = build_shared_objects()
        notice = restore_model(shared.active_model)
        assert shared.active_model.snapshot.name == DEFAULT_MODEL
        assert "could not be loaded" in notice and "gone" in notice
        assert notice.endswith(f"using {DEFAULT_MODEL}.")
    finally:
        QSettings().remove(MODEL_KEY)


@pytest.mark.parametrize("error, shown", [
    (MemoryError(), "not enough memory"),
    (RuntimeError("a bug"), "RuntimeError: a bug"),
])
def test_a_failure_while_classifying_is_shown_not_raised(qtbot, fresh_main_window,
                                                         monkeypatch, error, shown):
    tab = fresh_main_window(960, 640).draw_tab

    def fail(model, gray):
        raise error

    monkeypatch.setattr(draw_tab_module, "classify_image", fail)
    prediction = answer_after(qtbot, tab, lambda: draw(
        tab.ui.canvas, on_sheet(tab.ui.canvas, TEMPLATES[3][0], 0.6)))
    assert prediction is None
    assert shown in tab.ui.verdict_label.text()
    assert tab.ui.digit_label.text() == "–"

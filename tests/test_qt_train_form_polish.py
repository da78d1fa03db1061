"""The Train form as a newcomer meets it (issue 18): a quick default, every field explained,
refusals said beside the field and beside Start, values remembered across restarts, and
nothing cut off or scrolled sideways in a 960x640 window.
"""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QLabel,
    QScrollArea,
    QToolButton,
    QWidget,
)

from digitapp.app.presets import DEFAULT_PRESET, PRESETS, quick_look
from digitapp.gui.train.form import FIELDS, TrainForm
from digitapp.gui.train.form_memory import FORM_KEY
from digitapp.gui.train.tab import TrainTab
from digitapp.store.runs import RunStore


def make_tab(qtbot, tmp_path) -> TrainTab:
    tab = TrainTab(None, RunStore(tmp_path / "runs.sqlite3"), tmp_path / "models")
    qtbot.addWidget(tab)
    tab.resize(1100, 700)
    tab.show()
    return tab


def test_a_first_start_shows_the_quick_preset_and_the_seed_recipe_is_one_click_away(
        qtbot, tmp_path):
    form = make_tab(qtbot, tmp_path).form
    assert form.preset.currentText() == DEFAULT_PRESET
    job = form.job()
    assert (job.hidden, job.config, job.train_size) == (
        quick_look().hidden, quick_look().config, quick_look().train_size)
    assert job.config.epochs <= 10 and job.train_size <= 10_000  # seconds, not minutes
    assert form.preset.findText("Seed recipe (40 epochs)") >= 0
    form.preset.setCurrentText("Seed recipe (40 epochs)")
    assert form.job().config.epochs == 40


def test_every_field_its_label_and_every_menu_entry_explain_themselves(qtbot, tmp_path):
    form = make_tab(qtbot, tmp_path).form
    controls = [*form.fields.values(), form.preset, form.network, form.optimizer,
                form.schedule, form.augment]
    for widget in controls:
        assert len(widget.toolTip()) > 20, widget.objectName()
    labelled = {label.buddy() for label in form.findChildren(QLabel) if label.buddy()}
    assert labelled >= set(controls) - {form.augment}  # the check box carries its text
    for label in form.findChildren(QLabel):
        if label.buddy() is not None:
            assert label.toolTip() in label.buddy().toolTip()
    for combo in (form.preset, form.network, form.optimizer, form.schedule):
        for index in range(combo.count()):
            assert combo.itemData(index, Qt.ItemDataRole.ToolTipRole), combo.itemText(index)
    for group in form.groups.values():
        assert group.header.toolTip()


def test_folded_groups_say_what_a_newcomer_should_not_miss(qtbot, tmp_path):
    form = make_tab(qtbot, tmp_path).form
    augmentation, data = form.groups["Augmentation"], form.groups["Data"]
    assert not augmentation.is_open() and not data.is_open()  # folded at first
    assert augmentation.header.text() == "Augmentation: off"
    assert data.header.text() == "Data: 10,000 training images"  # the quick preset's subset
    form.preset.setCurrentText("Best MLP")
    assert augmentation.header.text() == "Augmentation: on"
    assert data.header.text() == "Data: all training images"
    data.set_open(True)
    assert data.header.text() == "Data"  # open, the rows say it


@pytest.mark.parametrize(("key", "text", "reason", "fixed"), [
    ("batch_size", "0", "a whole number from 1 to 8,192", "64"),
    ("seed", "-3", "a whole number from 0", "7"),  # in the folded Data group
])
def test_a_refused_value_is_explained_beside_its_field_and_beside_start(
        qtbot, tmp_path, key, text, reason, fixed):
    tab = make_tab(qtbot, tmp_path)
    form, field = tab.form, tab.form.fields[key]
    group = next(g for g in form.groups.values() if field in g._refusals)
    line = group.refusal_line(field)
    assert not line.isVisible() and tab.start_button.isEnabled()
    field.setText(text)
    assert line.isVisible() and reason in line.text()
    assert group.is_open()  # a folded group opens to show the reason
    status = form.problems
    assert status.isVisible() and status.text().startswith("Start is off: ")
    assert FIELDS[key][0].strip() in status.text() and reason in status.text()
    assert form.start_blocker() == status.text()
    assert status.window() is tab.window() and not tab.start_button.isEnabled()
    field.setText(fixed)
    assert not line.isVisible() and not status.isVisible()
    assert form.start_blocker() is None and tab.start_button.isEnabled()


def test_two_refused_values_are_counted_on_the_status_line(qtbot, tmp_path):
    form = make_tab(qtbot, tmp_path).form
    form.fields["epochs"].setText("0")
    form.fields["lr"].setText("fast")
    assert form.problems.text().endswith("(and 1 more)")
    form.fields["epochs"].setText("2")
    assert "more" not in form.problems.text() and "Learning rate" in form.problems.text()


def test_the_form_is_remembered_for_the_next_start(qtbot):
    first = TrainForm()
    qtbot.addWidget(first)
    first.preset.setCurrentText("Best MLP")
    first.fields["epochs"].setText("3")
    first.optimizer.setCurrentText("SGD + momentum")
    first.fields["momentum"].setText("0.5")
    first.groups["Data"].set_open(True)
    first.groups["Network"].set_open(False)
    first.fields["lr"].setText("-1")  # a refused value is not remembered...
    second = TrainForm()
    qtbot.addWidget(second)
    assert second.fields["lr"].text() == "0.001"  # ...the last valid form is
    job = second.job()
    assert (job.config.epochs, job.config.optimizer, job.config.momentum) == (3, "sgd", 0.5)
    assert job.augment is not None and second.preset.currentText() == "Custom"
    assert second.groups["Data"].is_open() and not second.groups["Network"].is_open()


@pytest.mark.parametrize("kept", [
    "{not json",
    json.dumps({"format": 1, "texts": {"epochs": "3"}, "menus": {}, "augment": False,
                "open": []}),  # incomplete
    "bad-network",
    "bad-epochs",
    "old-format",
    42,
])
def test_a_damaged_or_old_remembered_form_falls_back_to_the_default(qtbot, kept):
    good = TrainForm()
    qtbot.addWidget(good)
    good.fields["epochs"].setText("3")
    state = {"format": 1, **good.state()}
    if kept == "bad-network":
        kept = json.dumps({**state, "menus": {**state["menus"], "network": "transformer"}})
    elif kept == "bad-epochs":
        kept = json.dumps({**state, "texts": {**state["texts"], "epochs": "0"}})
    elif kept == "old-format":
        kept = json.dumps({**state, "format": 0})
    QSettings().setValue(FORM_KEY, kept)
    form = TrainForm()
    qtbot.addWidget(form)
    assert form.preset.currentText() == DEFAULT_PRESET  # the form equals that preset
    assert form.job().config == PRESETS[DEFAULT_PRESET]().config
    assert form.problems.text() == "" and not form.problem_list()


def visible_in(form: QWidget, kind) -> list:
    return [w for w in form.findChildren(kind) if w.isVisibleTo(form.window())]


def clipped(widget: QWidget) -> bool:
    """Return True if `widget` shows less than its text needs (elided, or cut by the edge
    of the window or of the form's scroll area)."""
    if isinstance(widget, QLabel) and widget.wordWrap():
        if widget.heightForWidth(widget.width()) > widget.height():
            return True
    elif widget.sizeHint().width() > widget.width():
        return True
    frame = widget.parentWidget()
    while frame is not None and not isinstance(frame, QScrollArea) and frame.parentWidget():
        frame = frame.parentWidget()
    if isinstance(frame, QScrollArea):
        frame = frame.viewport()
    right = widget.mapTo(frame, widget.rect().topRight()).x()
    return widget.mapTo(frame, widget.rect().topLeft()).x() < 0 or right >= frame.width()


def form_scroll_area(form: QWidget) -> QScrollArea:
    widget = form
    while not isinstance(widget, QScrollArea):
        widget = widget.parentWidget()
    return widget


def test_at_960x640_nothing_in_the_train_form_is_cut_off_or_scrolls_sideways(
        qtbot, fresh_main_window):
    window = fresh_main_window(960, 640)
    window.tabs.setCurrentWidget(window.train_tab)
    tab = window.train_tab
    form = tab.form
    form.fields["train_size"].setText("55000")  # the widest folded summary
    qtbot.wait(20)
    assert [g.header.text() for g in form.groups.values() if clipped(g.header)] == []
    for group in form.groups.values():
        group.set_open(True)  # every row on show (the form scrolls down, never sideways)
    form.preset.setCurrentText("Best CNN (30 epochs)")  # the widest menu entries
    form.augment.setChecked(True)
    form.fields["aug_thickness"].setText("2")  # a refusal line and the status line
    qtbot.wait(50)
    scroll = form_scroll_area(form)
    widgets = [*visible_in(form, QLabel), *visible_in(form, QCheckBox),
               *visible_in(form, QComboBox), *visible_in(form, QToolButton),
               tab.start_button, tab.pause_button, tab.stop_button, form.problems]
    assert len(widgets) > 30
    assert [w.objectName() or w.text() for w in widgets if clipped(w)] == []
    for combo in visible_in(form, QComboBox):  # every entry fits, not only the current one
        widest = max(combo.fontMetrics().horizontalAdvance(combo.itemText(i))
                     for i in range(combo.count()))
        assert widest < combo.width() - 20, combo.objectName()
    # Typing in a field scrolls nothing sideways (the labels keep their first letters).
    field = form.fields["hidden"]
    form.preset.setCurrentText("Best MLP")
    field.setFocus()
    qtbot.keyClicks(field, ", 128, 64")
    qtbot.wait(50)
    assert form.width() <= scroll.viewport().width()
    assert scroll.horizontalScrollBar().maximum() == 0
    assert scroll.horizontalScrollBar().value() == 0


def test_the_form_column_widens_with_the_window(qtbot, fresh_main_window):
    window = fresh_main_window(960, 640)
    window.tabs.setCurrentWidget(window.train_tab)
    qtbot.wait(20)
    narrow = window.train_tab.form.width()
    window.resize(1280, 800)
    qtbot.wait(50)
    wide = window.train_tab.form.width()
    assert narrow + 40 <= wide <= 1.5 * narrow + 20  # more room, never stretched silly


def test_a_new_window_shows_the_train_form_as_the_last_one_left_it(qtbot, fresh_main_window):
    first = fresh_main_window(960, 640)
    first.train_tab.form.fields["epochs"].setText("5")
    first.train_tab.form.schedule.setCurrentText("Step decay")
    first.close()
    again = fresh_main_window(960, 640).train_tab.form
    assert again.fields["epochs"].text() == "5"
    assert again.job().config.schedule == "step" and again.preset.currentText() == "Custom"

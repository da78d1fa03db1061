"""The My handwriting tab offscreen, in the real main window: rows by digit, remove and
undo, clear all, export and import through the tab, Teach (done, back, cancelled)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QFileDialog, QMessageBox

from digitapp.app.models import default_model_path
from digitapp.app.personalize import TeachSettings
from digitapp.data.mnist import load_mnist
from digitapp.gui.handwriting.tab import HandwritingTab
from digitapp.paths import user_models_dir
from digitapp.store.handwriting import Drawing

WAIT_MS = 120_000
# Teaching as small as personalize allows: the GUI's path is what is tested, not accuracy.
SMALL = TeachSettings(passes=1, batches_per_pass=3, mnist_test_images=200)


@pytest.fixture
def tab(fresh_main_window, qtbot) -> HandwritingTab:
    window = fresh_main_window(960, 640)
    tab = window.handwriting_tab
    tab.collection.clear()  # the session's store: whatever an earlier test kept goes
    window.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(tab.isVisible)
    return tab


def mnist_drawings(labels: list[int], wrong: int = 0) -> list[Drawing]:
    """Return MNIST test digits with these labels; the first `wrong` were misread as 1s."""
    test = load_mnist("test")
    drawings, used = [], set()
    for k, label in enumerate(labels):
        i = next(i for i in np.flatnonzero(test.labels == label) if i not in used)
        used.add(i)
        predicted = 1 if k < wrong and label != 1 else label
        drawings.append(Drawing(label, test.images[i].astype(np.float32) / 255,
                                predicted=predicted, confidence=0.9, model="cnn"))
    return drawings


def keep(tab: HandwritingTab, drawings: list[Drawing]) -> list[int]:
    return [tab.collection.add(d) for d in drawings]


def select(tab: HandwritingTab, digit: int, rows: list[int]) -> None:
    strip = tab.view.rows[digit]
    strip.view.setFocus()
    for row in rows:
        strip.view.selectionModel().select(strip.model.index(row),
                                           QItemSelectionModel.SelectionFlag.Select)


def test_the_tab_follows_draw_and_is_empty_at_first(tab):
    titles = [tab.window().tabs.tabText(i) for i in range(tab.window().tabs.count())]
    assert titles[:2] == ["Draw", "My handwriting"]
    assert tab.view.currentIndex() == 0  # the empty state
    assert "press its key" in tab.view.empty_label.text()
    assert not tab.teach.teach_button.isEnabled()
    assert not tab.export_button.isEnabled() and not tab.clear_button.isEnabled()
    for widget in (tab.remove_button, tab.undo_button, tab.export_button, tab.import_button,
                   tab.clear_button, tab.teach.teach_button):
        assert widget.toolTip()


def test_drawings_appear_in_their_rows_then_remove_and_undo(tab, qtbot):
    labels = [3, 3, 3, 7, 7, 0]
    ids = keep(tab, mnist_drawings(labels, wrong=2))  # added while the tab is shown
    assert tab.view.currentIndex() == 1
    assert tab.view.counts() == np.bincount(labels, minlength=10).tolist()
    assert [d.id for d in tab.view.rows[3].model.drawings] == ids[:3]
    assert tab.view.rows[3].count_label.text() == "3 drawings\n2 misread"
    assert tab.view.rows[5].count_label.text() == "none yet"
    assert tab.summary_label.text() == "6 drawings; none yet of 1, 2, 4, 5, 6, 8, 9"
    assert tab.teach.teach_button.isEnabled()

    select(tab, 3, [0, 2])
    assert tab.view.selected_ids() == [ids[0], ids[2]]
    QTest.keyClick(tab.view.rows[3].view, Qt.Key.Key_Delete)
    assert tab.view.counts()[3] == 1
    assert tab.collection.listing().counts()[3] == 1
    assert "Removed 2 drawings" in tab.message.text() and "Undo" in tab.message.text()
    assert tab.undo_button.isEnabled()

    window = tab.window()
    window.tabs.setCurrentWidget(window.draw_tab)  # there Ctrl+Z undoes a stroke, not this
    QTest.keyClick(window.draw_tab.ui.canvas, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(tab.undo_stack) == 1 and tab.collection.listing().counts()[3] == 1
    window.tabs.setCurrentWidget(tab)
    tab_bar = window.tabs.tabBar()
    tab_bar.setFocus()  # keys work from the tab bar too, while this tab is shown
    QTest.keyClick(tab_bar, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert tab.view.counts()[3] == 3
    assert sorted(d.id for d in tab.view.rows[3].model.drawings) == ids[:3]  # same ids
    assert tab.view.selected_ids() == [ids[0], ids[2]]  # what came back is selected
    assert "Put back 2 drawings" in tab.message.text()
    assert not tab.undo_button.isEnabled()


def test_one_drawing_is_one_drawing_in_every_count(tab):
    keep(tab, mnist_drawings([4]))
    assert tab.summary_label.text().startswith("1 drawing;")
    assert tab.view.rows[4].count_label.text() == "1 drawing"
    assert "with your 1 drawing (" in tab.teach.about_label.text()


def test_relabel_moves_drawings_to_another_row(tab):
    ids = keep(tab, mnist_drawings([7, 7, 1]))
    select(tab, 7, [1])
    assert tab.relabel_selected(1) == 1
    assert tab.view.counts()[7] == 1 and tab.view.counts()[1] == 2
    assert ids[1] in [d.id for d in tab.view.rows[1].model.drawings]
    assert {d.id: d.label for d in tab.collection.listing().drawings}[ids[1]] == 1


def test_clear_all_asks_first(tab, monkeypatch):
    keep(tab, mnist_drawings([0, 1, 2, 2]))
    asked = []

    def answer(button):
        def question(parent, title, text, *args):
            asked.append(text)
            return button
        return question

    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Cancel))
    assert tab.clear_all() == 0
    assert sum(tab.view.counts()) == 4
    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Yes))
    assert tab.clear_all() == 4
    assert "Remove all 4 drawings" in asked[0]
    assert sum(tab.view.counts()) == 0 and len(tab.collection.listing().drawings) == 0
    assert tab.view.currentIndex() == 0  # the empty state again
    assert not tab.teach.teach_button.isEnabled()


def test_export_then_import_into_an_empty_collection(tab, qtbot, tmp_path, monkeypatch):
    labels = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 4, 7]
    keep(tab, mnist_drawings(labels, wrong=3))
    before = tab.collection.listing()
    folder = tmp_path / "my digits"
    monkeypatch.setattr(QFileDialog, "getExistingDirectory",
                        lambda *args, **kwargs: str(folder))
    assert tab.export_collection()
    qtbot.waitUntil(lambda: not tab.transfer.running(), timeout=WAIT_MS)
    assert tab.message.text() == f"Exported 12 drawings to {folder}."
    assert len(list(folder.glob("*.png"))) == 12

    # Exporting again into the same (now full) folder: a message, nothing overwritten.
    assert tab.export_collection()
    qtbot.waitUntil(lambda: not tab.transfer.running(), timeout=WAIT_MS)
    assert tab.message.text().startswith("Exporting failed:")
    assert "not empty" in tab.message.text()

    tab.collection.clear()
    assert sum(tab.view.counts()) == 0
    assert tab.import_collection()
    qtbot.waitUntil(lambda: not tab.transfer.running(), timeout=WAIT_MS)
    assert "Imported 12 drawings" in tab.message.text()
    assert tab.view.counts() == np.bincount(labels, minlength=10).tolist()
    after = tab.collection.listing()
    assert [d.image28.tobytes() for d in after.drawings] == \
        [d.image28.tobytes() for d in before.drawings]
    assert [(d.label, d.predicted) for d in after.drawings] == \
        [(d.label, d.predicted) for d in before.drawings]

    # The same folder again: every drawing is already there.
    assert tab.import_collection()
    qtbot.waitUntil(lambda: not tab.transfer.running(), timeout=WAIT_MS)
    assert "12 already in the collection" in tab.message.text()
    assert sum(tab.view.counts()) == 12


def test_import_from_a_folder_that_is_not_an_export_says_why(tab, qtbot, tmp_path):
    assert tab.import_collection(tmp_path)
    qtbot.waitUntil(lambda: not tab.transfer.running(), timeout=WAIT_MS)
    assert tab.message.text().startswith("Importing failed:")
    assert "drawings.csv" in tab.message.text()
    assert "Traceback" not in tab.message.text()


def personal_folders() -> set[Path]:
    return set(user_models_dir().iterdir())


def test_teach_makes_the_personal_model_active_and_back_restores_the_base(tab, qtbot):
    keep(tab, mnist_drawings([d for d in range(10) for _ in range(4)], wrong=5))
    model = tab.teach.active_model
    base = model.snapshot.path
    assert base == default_model_path()
    existing = personal_folders()
    tab.teach.settings = SMALL
    assert not tab.teach.back_button.isVisible()
    with qtbot.waitSignal(tab.teach.taught, timeout=WAIT_MS) as taught:
        qtbot.mouseClick(tab.teach.teach_button, Qt.MouseButton.LeftButton)
        assert not tab.teach.teach_button.isEnabled()  # one teaching at a time
    result = taught.args[0]
    assert personal_folders() - existing == {result.folder}
    assert model.snapshot.path == result.folder
    assert result.base == base and result.held_back > 0
    text = tab.teach.result_label.text()
    assert result.folder.name in text and "your drawings:" in text and "MNIST test:" in text
    assert tab.teach.back_button.isVisible()
    assert tab.teach.back_button.text() == f"Back to {base.name}"
    # The Draw tab's picker shows the personal model as the user's.
    picker = tab.window().draw_tab.ui.picker
    assert Path(picker.currentData()) == result.folder

    qtbot.mouseClick(tab.teach.back_button, Qt.MouseButton.LeftButton)
    assert model.snapshot.path == base
    assert not tab.teach.back_button.isVisible()
    assert tab.teach.teach_button.isEnabled()


def test_cancel_during_teaching_leaves_no_folder(tab, qtbot):
    keep(tab, mnist_drawings([d for d in range(10) for _ in range(2)]))
    existing = personal_folders()
    tab.teach.settings = TeachSettings(passes=2, batches_per_pass=400, mnist_test_images=200)
    assert tab.teach.start_teaching()
    qtbot.waitUntil(lambda: tab.teach.status.label.text().startswith("Teaching:"),
                    timeout=WAIT_MS)  # past measuring, into the fine-tuning
    qtbot.mouseClick(tab.teach.status.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not tab.teach.running(), timeout=WAIT_MS)
    assert "cancelled" in tab.teach.status.label.text()
    assert personal_folders() == existing
    assert tab.teach.active_model.snapshot.path == default_model_path()
    assert tab.teach.teach_button.isEnabled()


def test_a_teach_error_is_a_message(tab, qtbot, monkeypatch):
    import digitapp.gui.handwriting.teach_panel as teach_panel
    from digitapp.app.personalize import TeachError

    def refuses(base, out, images, labels, **kwargs):
        yield from ()
        raise TeachError(f"{len(images)} drawings of {sorted(set(labels.tolist()))}: too few")

    monkeypatch.setattr(teach_panel, "teach_steps", refuses)
    keep(tab, mnist_drawings([2, 5]))
    existing = personal_folders()
    assert tab.teach.start_teaching()
    qtbot.waitUntil(lambda: not tab.teach.running(), timeout=WAIT_MS)
    # The worker read the collection: both drawings, with their labels.
    assert tab.teach.status.label.text() == "Teaching failed: 2 drawings of [2, 5]: too few"
    assert tab.teach.status.button.text() == "Retry" and tab.teach.status.isVisible()
    assert tab.teach.active_model.snapshot.path == default_model_path()
    assert personal_folders() == existing


def test_a_strip_keeps_its_place_when_the_collection_changes(tab, qtbot):
    ids = keep(tab, mnist_drawings([1] * 30 + [4]))
    strip = tab.view.rows[1]
    scrollbar = strip.view.horizontalScrollBar()
    qtbot.waitUntil(lambda: scrollbar.maximum() > 0)  # 30 drawings do not fit the strip
    scrollbar.setValue(scrollbar.maximum())
    far = scrollbar.value()
    select(tab, 1, [29])
    assert tab.remove_selected() == 1
    assert tab.view.counts()[1] == 29
    assert scrollbar.value() >= far - strip.view.gridSize().width()  # still at the end
    tab.collection.remove([ids[-1]])  # another row's change leaves this strip alone
    assert tab.view.counts()[4] == 0 and scrollbar.value() >= far - strip.view.gridSize().width()

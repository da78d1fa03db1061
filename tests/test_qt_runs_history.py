"""The GUI and a hostile runs history or data folder: the window always starts, quickly,
and says what it could not read or cannot save (offscreen)."""

from __future__ import annotations

import sqlite3

from PySide6.QtCore import Qt
from test_qt_train_tab import run_to_end
from test_store_runs import _insert, _lax_database, a_run

from digitapp.store.database import READ_TIMEOUT
from digitapp.store.runs import RunStore


def _data_dir(monkeypatch, path):
    monkeypatch.setenv("DIGITAPP_DATA_DIR", str(path))
    return path


def test_the_window_starts_with_a_bad_row_and_says_it_is_not_shown(fresh_main_window,
                                                                  monkeypatch, tmp_path):
    data = _data_dir(monkeypatch, tmp_path / "data")
    data.mkdir()
    con = _lax_database(data / "runs.sqlite3")
    _insert(con)
    _insert(con, seconds="'abc'")
    _insert(con, epochs_run="NULL", best_val_accuracy="'x'")
    con.close()
    window = fresh_main_window(960, 640)
    panel = window.train_tab.runs_panel
    assert len(panel.runs()) == 1 and panel.table.rowCount() == 1
    assert panel.notice.isVisibleTo(window.train_tab)
    assert panel.notice.text() == "2 runs in the history could not be read and are not shown."


def test_a_damaged_database_is_announced_in_the_train_tab(fresh_main_window, monkeypatch,
                                                         tmp_path):
    data = _data_dir(monkeypatch, tmp_path / "data")
    data.mkdir()
    (data / "runs.sqlite3").write_bytes(b"\x00garbage " * 1000)
    window = fresh_main_window(960, 640)
    banner = window.train_tab.banner
    kept = list(data.glob("runs.damaged-*.sqlite3"))
    assert len(kept) == 1
    assert banner.isVisibleTo(window.train_tab)
    assert "could not be read" in banner.text() and kept[0].name in banner.text()


def test_show_curves_of_a_damaged_blob_shows_a_message_not_curves(fresh_main_window,
                                                                 monkeypatch, tmp_path,
                                                                 qtbot):
    data = _data_dir(monkeypatch, tmp_path / "data")
    data.mkdir()
    con = _lax_database(data / "runs.sqlite3")
    _insert(con, batch_loss="randomblob(1001)", batch_lr="randomblob(1001)")
    con.close()
    window = fresh_main_window(960, 640)
    tab = window.train_tab
    panel = tab.runs_panel
    [run] = panel.runs()
    panel.select_ids([run.id])
    before = list(tab.plots.curves)  # the (empty) live run's
    assert panel.show_button.isEnabled()
    qtbot.mouseClick(panel.show_button, Qt.MouseButton.LeftButton)
    assert tab.plots.live and tab.plots.curves == before  # nothing of the damaged run
    assert tab.banner.isVisibleTo(tab)
    assert f"Run #{run.id} cannot be shown" in tab.banner.text()
    assert "damaged" in tab.banner.text()


def test_the_window_starts_when_the_data_folder_cannot_be_created(fresh_main_window,
                                                                 monkeypatch, tmp_path):
    blocker = tmp_path / "a file"
    blocker.write_text("in the way: mkdir below it fails, even as root")
    _data_dir(monkeypatch, blocker / "data")
    window = fresh_main_window(960, 640)
    tab = window.train_tab
    text = tab.banner.text()
    assert tab.banner.isVisibleTo(tab)
    assert "Trained models cannot be saved" in text and "Runs cannot be recorded" in text
    assert "Not a directory" in text
    assert tab.runs_panel.runs() == []
    assert window.draw_tab.isVisible()  # the rest of the app works as usual


def test_a_locked_database_neither_freezes_the_start_nor_stops_recording(
        fresh_main_window, monkeypatch, tmp_path, qtbot):
    data = _data_dir(monkeypatch, tmp_path / "data")
    path = data / "runs.sqlite3"
    RunStore(path).add(a_run())
    locker = sqlite3.connect(path, isolation_level=None)
    locker.execute("BEGIN EXCLUSIVE")  # another program writing, for as long as it likes
    try:
        window = fresh_main_window(960, 640)
        tab = window.train_tab
        # Reads on the GUI thread wait READ_TIMEOUT (half a second) for a lock, not 20 s.
        assert tab.store.read_timeout == READ_TIMEOUT <= 1
        assert "in use by another program" in tab.runs_panel.notice.text()
        assert "cannot be opened now" in tab.banner.text()
    finally:
        locker.execute("COMMIT")
        locker.close()
    # The table is read again by itself a few seconds later.
    qtbot.waitUntil(lambda: [run.id for run in tab.runs_panel.runs()] == [1], timeout=10_000)
    tab.form.network.setCurrentIndex(0)
    record = run_to_end(qtbot, tab, epochs="1", hidden="8", train_size="200",
                        val_size="50", batch_size="50")
    assert record.id is not None and "could not be added" not in record.message
    assert [run.id for run in RunStore(path).runs()] == [record.id, 1]
    assert [run.id for run in tab.runs_panel.runs()] == [record.id, 1]
    assert not tab.runs_panel.notice.isVisibleTo(tab)
    qtbot.mouseClick(tab.runs_panel.show_button, Qt.MouseButton.LeftButton)  # no selection


def test_a_notice_with_markup_in_it_is_shown_as_text(qtbot, tmp_path):
    """A path or an SQLite message may hold '<' or '&': the banner shows it, not rich text."""
    from digitapp.gui.train.tab import TrainTab

    tab = TrainTab(None, RunStore(tmp_path / "runs.sqlite3"), tmp_path / "models")
    qtbot.addWidget(tab)
    tab.runs_panel.message.emit("run <b>7</b> & <i>friends</i>")
    shown = tab.banner.text()
    assert "&lt;b&gt;7&lt;/b&gt;" in shown and "&amp;" in shown

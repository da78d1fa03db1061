"""Window-wide keys and memory (issue 18): Ctrl+PgDown / Ctrl+PgUp switch tabs, Help >
Keyboard shortcuts lists every menu shortcut, and the tab in front is remembered."""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from digitapp.gui.main_window import TAB_KEY


def test_ctrl_page_down_and_up_go_round_the_tabs(fresh_main_window, qtbot):
    window = fresh_main_window(960, 640)
    tabs = window.tabs
    assert tabs.currentWidget() is window.draw_tab
    window.activateWindow()  # shortcuts go to the active window, as a person's would
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    QTest.keySequence(window, "Ctrl+PgDown")
    assert tabs.currentIndex() == 1
    QTest.keySequence(window, "Ctrl+PgUp")
    QTest.keySequence(window, "Ctrl+PgUp")
    assert tabs.currentIndex() == tabs.count() - 1  # round to the last


def test_the_shortcuts_list_shows_every_menu_shortcut(fresh_main_window):
    window = fresh_main_window(960, 640)
    box = window.show_shortcuts()
    text = box.text()
    for keys in ("Ctrl+O", "Ctrl+Z", "Ctrl+N", "Ctrl+I", "Ctrl+PgDown", "F1", "0 – 9"):
        assert keys in text, keys
    assert "Read a number" in text and "(Edit)" in text
    box.close()


def test_the_tab_in_front_is_remembered(fresh_main_window, qtbot):
    window = fresh_main_window(960, 640)
    window.tabs.setCurrentWidget(window.train_tab)
    window.close()
    assert int(QSettings().value(TAB_KEY)) == window.tabs.indexOf(window.train_tab)
    again = fresh_main_window(960, 640)
    assert again.tabs.currentWidget() is again.train_tab
    QSettings().setValue(TAB_KEY, "not a number")  # a hand-edited settings file
    third = fresh_main_window(960, 640)
    assert third.tabs.currentWidget() is third.draw_tab

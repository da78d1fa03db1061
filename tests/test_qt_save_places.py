"""Save dialogs start in the user's pictures folder, never the working directory (issue 18:
Mistakes' export opened in the repository)."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtWidgets import QFileDialog

from digitapp.gui.save_places import pictures_path


def test_the_drawing_and_the_contact_sheet_are_offered_the_pictures_folder(
        fresh_main_window, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # a working directory the dialogs must not start in
    offered = []

    def cancelled(parent, title, start, *rest):
        offered.append(start)
        return "", ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", cancelled)
    window = fresh_main_window(960, 640)
    window.draw_tab.save_drawing()
    window.tabs.setCurrentWidget(window.audit_tabs.mistakes)
    mistakes = window.audit_tabs.mistakes
    mistakes.chosen_rows = lambda: [0]  # as if the evaluation had shown one image
    mistakes.audit = object()
    mistakes.export_contact_sheet()
    assert [Path(p).name for p in offered] == ["digit.png", "mistakes.png"]
    for start in offered:
        assert Path(start).parent == Path(pictures_path())
        assert not str(start).startswith(os.getcwd())

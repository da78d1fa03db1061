"""Help > Keyboard shortcuts: every shortcut of the window's menus, and the keys that
work without a menu (read from the menus themselves, so the list cannot go stale)."""

from __future__ import annotations

import html

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMenuBar

# Keys of the Draw tab that no menu lists: the digit keys are actions of the tab itself.
UNLISTED = (
    ("0 – 9", "Draw tab: keep the drawing as that digit (teach digitapp your handwriting)"),
    ("Del, Ctrl+Z", "My handwriting: remove the selected drawings, undo the removal"),
)


def menu_shortcuts(bar: QMenuBar) -> list[tuple[str, str, str]]:
    """Return (menu, keys, what) for every action with a shortcut in the menu bar."""
    found = []
    for menu_action in bar.actions():
        menu = menu_action.menu()
        if menu is None:
            continue
        title = menu.title().replace("&", "")
        for action in menu.actions():
            keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            if keys:
                found.append((title, keys, action.text().replace("&", "").rstrip("…")))
    return found


def shortcuts_html(bar: QMenuBar) -> str:
    """The list as an HTML table, menu by menu, then the keys no menu lists."""
    rows = [f"<tr><td><b>{html.escape(keys)}</b></td><td>{html.escape(what)}"
            f" <i>({html.escape(menu)})</i></td></tr>" for menu, keys, what in menu_shortcuts(bar)]
    rows += [f"<tr><td><b>{html.escape(keys)}</b></td><td>{html.escape(what)}</td></tr>"
             for keys, what in UNLISTED]
    return "<table cellspacing='4'>" + "".join(rows) + "</table>"

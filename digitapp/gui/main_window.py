"""The main window: a tab per activity, a menu bar, and a geometry remembered between runs."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMessageBox, QTabWidget, QWidget

from digitapp.app.models import DEFAULT_MODEL, shipped_models
from digitapp.gui.about import about_text
from digitapp.gui.audit.tabs import AuditTabs
from digitapp.gui.command_line_help import command_line_html
from digitapp.gui.draw.tab import DrawTab
from digitapp.gui.handwriting.tab import HandwritingTab
from digitapp.gui.inside.window import InsideWindow
from digitapp.gui.shared_objects import SharedObjects
from digitapp.gui.shortcuts import shortcuts_html
from digitapp.gui.train.tab import TrainTab

GEOMETRY_KEY = "main_window/geometry"
TAB_KEY = "main_window/tab"  # the tab in front when the window closed
DEFAULT_SIZE = (960, 640)
# The tabs' smallest height (the window adds its menu bar: about 580 px in all). Their layouts
# ask for less, as word-wrapped labels' extra lines are not counted, and below this the Draw
# tab's chart covers its keep buttons and the Trust tab squeezes its robustness plots
# (tests/test_qt_layout.py). The smallest width is the tabs' own (about 850 px): it follows
# their contents.
MINIMUM_TABS_HEIGHT = 560


class MainWindow(QMainWindow):
    """Title "digitapp", a QTabWidget as central widget, File, Edit and Help menus.

    Made by the composition root (gui/app.py, build_main_window), which builds the
    shared objects; the window hands each tab the ones it uses.
    """

    def __init__(self, shared: SharedObjects, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setWindowTitle("digitapp")

        self.tabs = QTabWidget()
        self.tabs.setObjectName("tabs")
        self.tabs.setDocumentMode(True)
        self.active_model = shared.active_model
        self.draw_tab = DrawTab(self.active_model, shared.handwriting)
        self.draw_tab.show_requested.connect(lambda: self.tabs.setCurrentWidget(self.draw_tab))
        self.tabs.addTab(self.draw_tab, "Draw")
        self.handwriting_tab = HandwritingTab(shared.handwriting, self.active_model)
        self.tabs.addTab(self.handwriting_tab, "My handwriting")
        self.train_tab = TrainTab(self.active_model, shared.runs)
        self.train_tab.model_used.connect(self.draw_tab.show_requested)  # "Use in Draw tab"
        # The picker names models as their runs are named; a rename shows there at once.
        self.draw_tab.ui.picker.runs = shared.runs
        self.draw_tab.ui.picker.refresh()
        self.train_tab.runs_panel.renamed.connect(self.draw_tab.ui.picker.refresh)
        self.tabs.addTab(self.train_tab, "Train")
        self.audit_tabs = AuditTabs(shared.audit, self.tabs)  # Mistakes, Insights
        self.setCentralWidget(self.tabs)
        # On the tabs, not the window: a minimum set on the window would freeze its width too.
        self.tabs.setMinimumHeight(MINIMUM_TABS_HEIGHT)
        self.inside_window: InsideWindow | None = None  # made when first asked for

        self._build_menus()
        self._restore_geometry()
        self._restore_tab()

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        file_menu.setObjectName("menuFile")
        _add_actions(file_menu, self.draw_tab.file_actions)
        file_menu.addSeparator()
        self.quit_action = QAction("&Quit", self)
        self.quit_action.setObjectName("actionQuit")
        # Explicit, not QKeySequence.Quit: that one is empty on Windows.
        self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        self.quit_action.triggered.connect(self.close)
        file_menu.addAction(self.quit_action)

        edit_menu = self.menuBar().addMenu("&Edit")
        edit_menu.setObjectName("menuEdit")
        _add_actions(edit_menu, self.draw_tab.edit_actions)

        view_menu = self.menuBar().addMenu("&View")
        view_menu.setObjectName("menuView")
        view_menu.setToolTipsVisible(True)
        self.inside_action = QAction("See &inside the network…", self)
        self.inside_action.setObjectName("actionInside")
        self.inside_action.setShortcut(QKeySequence("Ctrl+I"))
        self.inside_action.setToolTip("Open a window beside this one: every layer of the "
                                      "model live as you draw, and why it chose its digit")
        self.inside_action.triggered.connect(self.show_inside)
        view_menu.addAction(self.inside_action)
        view_menu.addSeparator()
        self.next_tab_action = QAction("&Next tab", self)
        self.next_tab_action.setObjectName("actionNextTab")
        self.next_tab_action.setShortcut(QKeySequence("Ctrl+PgDown"))
        self.next_tab_action.triggered.connect(lambda: self._step_tab(+1))
        self.previous_tab_action = QAction("&Previous tab", self)
        self.previous_tab_action.setObjectName("actionPreviousTab")
        self.previous_tab_action.setShortcut(QKeySequence("Ctrl+PgUp"))
        self.previous_tab_action.triggered.connect(lambda: self._step_tab(-1))
        view_menu.addAction(self.next_tab_action)
        view_menu.addAction(self.previous_tab_action)

        help_menu = self.menuBar().addMenu("&Help")
        help_menu.setObjectName("menuHelp")
        self.about_action = QAction("&About digitapp", self)
        self.about_action.setObjectName("actionAbout")
        self.about_action.triggered.connect(self.show_about)
        help_menu.addAction(self.about_action)
        self.command_line_action = QAction("&Command line", self)
        self.command_line_action.setObjectName("actionCommandLine")
        self.command_line_action.triggered.connect(self.show_command_line)
        help_menu.addAction(self.command_line_action)
        self.shortcuts_action = QAction("&Keyboard shortcuts", self)
        self.shortcuts_action.setObjectName("actionShortcuts")
        self.shortcuts_action.setShortcut(QKeySequence("F1"))
        self.shortcuts_action.triggered.connect(self.show_shortcuts)
        help_menu.addAction(self.shortcuts_action)

    def _step_tab(self, step: int) -> None:
        """Bring the next (+1) or previous (-1) tab to the front, going round."""
        self.tabs.setCurrentIndex((self.tabs.currentIndex() + step) % self.tabs.count())

    def show_shortcuts(self) -> QMessageBox:
        """List every keyboard shortcut (not modal, read from the menus)."""
        return self._side_box(QMessageBox.Icon.NoIcon, "Keyboard shortcuts",
                              shortcuts_html(self.menuBar()), "shortcutsBox")

    def show_inside(self) -> InsideWindow:
        """Show the Inside window (made on first use), following the Draw tab's answer."""
        if self.inside_window is None:
            self.inside_window = InsideWindow(self.active_model, self)
            self.draw_tab.prediction_shown.connect(self.inside_window.show_prediction)
            self.draw_tab.number_shown.connect(self.inside_window.show_number)
            self.inside_window.show_prediction(self.draw_tab.last_prediction)
        self.inside_window.show()
        self.inside_window.raise_()
        self.inside_window.activateWindow()
        return self.inside_window

    def shutdown_inside(self) -> None:
        """Stop the Inside window's background work and wait for it (quitting)."""
        if self.inside_window is not None:
            self.inside_window.shutdown()

    def show_about(self) -> None:
        QMessageBox.about(self, "About digitapp", about_text())

    def show_command_line(self) -> QMessageBox:
        """Show what the command line can do (not modal: it can stay open beside the tabs)."""
        text = command_line_html([p.name for p in shipped_models()], DEFAULT_MODEL)
        box = self._side_box(QMessageBox.Icon.Information, "digitapp on the command line", text,
                             "commandLineBox")
        # Room for a command and its explanation on one line each (a message box is narrow).
        box.setStyleSheet("QLabel#qt_msgbox_label { min-width: 620px; }")
        return box

    def _side_box(self, icon: QMessageBox.Icon, title: str, text: str,
                  name: str) -> QMessageBox:
        """Show a message box that is not modal (it can stay open beside the tabs) and
        goes away for good when closed."""
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Close, self)
        box.setObjectName(name)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setModal(False)
        box.show()
        return box

    def _restore_tab(self) -> None:
        index = QSettings().value(TAB_KEY)
        try:
            index = int(index)
        except (TypeError, ValueError):  # never saved, or a hand-edited settings file
            return
        if 0 <= index < self.tabs.count():
            self.tabs.setCurrentIndex(index)

    def _restore_geometry(self) -> None:
        geometry = QSettings().value(GEOMETRY_KEY)
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(*DEFAULT_SIZE)

    def closeEvent(self, event: QCloseEvent) -> None:  # Qt override
        # A training run may refuse, after asking; the Train tab closes the window itself
        # once the run has ended cleanly (its best epoch saved).
        if not self.train_tab.can_close():
            event.ignore()
            return
        self.audit_tabs.shutdown()  # an export or an evaluation must not outlive the window
        self.handwriting_tab.shutdown()  # an export, import or teaching likewise
        self.draw_tab.shutdown()  # the number reader's thread
        if self.inside_window is not None:  # its ranking thread; a window left open
            self.inside_window.shutdown()
            self.inside_window.close()
        QSettings().setValue(GEOMETRY_KEY, self.saveGeometry())
        QSettings().setValue(TAB_KEY, self.tabs.currentIndex())
        super().closeEvent(event)


def _add_actions(menu, actions: list) -> None:
    """Add actions to a menu; None stands for a separator."""
    for action in actions:
        if action is None:
            menu.addSeparator()
        else:
            menu.addAction(action)

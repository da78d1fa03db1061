"""The main window: a tab per activity, a menu bar, and a geometry remembered between runs."""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMessageBox, QTabWidget, QWidget

from digitapp.app.models import DEFAULT_MODEL, shipped_models
from digitapp.gui.about import about_text
from digitapp.gui.welcome import WelcomePage

GEOMETRY_KEY = "main_window/geometry"
DEFAULT_SIZE = (960, 640)


class MainWindow(QMainWindow):
    """Title "digitapp", a QTabWidget as central widget, File and Help menus."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setWindowTitle("digitapp")

        self.tabs = QTabWidget()
        self.tabs.setObjectName("tabs")
        self.tabs.setDocumentMode(True)
        self.welcome = WelcomePage([p.name for p in shipped_models()], DEFAULT_MODEL)
        self.tabs.addTab(self.welcome, "Welcome")
        self.setCentralWidget(self.tabs)

        self._build_menus()
        self._restore_geometry()

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        file_menu.setObjectName("menuFile")
        self.quit_action = QAction("&Quit", self)
        self.quit_action.setObjectName("actionQuit")
        # Explicit, not QKeySequence.Quit: that one is empty on Windows.
        self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        self.quit_action.triggered.connect(self.close)
        file_menu.addAction(self.quit_action)

        help_menu = self.menuBar().addMenu("&Help")
        help_menu.setObjectName("menuHelp")
        self.about_action = QAction("&About digitapp", self)
        self.about_action.setObjectName("actionAbout")
        self.about_action.triggered.connect(self.show_about)
        help_menu.addAction(self.about_action)

    def show_about(self) -> None:
        QMessageBox.about(self, "About digitapp", about_text())

    def _restore_geometry(self) -> None:
        geometry = QSettings().value(GEOMETRY_KEY)
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(*DEFAULT_SIZE)

    def closeEvent(self, event: QCloseEvent) -> None:  # Qt override
        QSettings().setValue(GEOMETRY_KEY, self.saveGeometry())
        super().closeEvent(event)

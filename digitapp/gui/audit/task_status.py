"""A line saying what a long task is doing: text, a progress bar and a Cancel button."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget


class TaskStatus(QWidget):
    """`running` shows progress and Cancel; `stopped` a message and Retry; `idle` a note."""

    cancel_requested = Signal()
    retry_requested = Signal()

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.bar = QProgressBar()
        self.bar.setRange(0, 1000)
        self.bar.setTextVisible(False)
        self.bar.setMaximumWidth(220)
        self.button = QPushButton("Cancel")
        self.button.setObjectName(name + "Button")
        self.button.clicked.connect(self._clicked)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.bar)
        layout.addWidget(self.button)
        self.idle("")

    def running(self, fraction: float, text: str) -> None:
        self.label.setText(text)
        self.bar.setValue(round(1000 * fraction))
        self.bar.show()
        self.button.setText("Cancel")
        self.button.setEnabled(True)
        self.button.show()

    def stopped(self, text: str) -> None:
        self.label.setText(text)
        self.bar.hide()
        self.button.setText("Retry")
        self.button.setEnabled(True)
        self.button.show()

    def idle(self, text: str) -> None:
        self.label.setText(text)
        self.bar.hide()
        self.button.hide()

    def _clicked(self) -> None:
        if self.button.text() == "Cancel":
            self.button.setEnabled(False)  # until the task has stopped
            self.label.setText("Cancelling\u2026")
            self.cancel_requested.emit()
        else:
            self.retry_requested.emit()

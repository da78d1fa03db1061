"""A foldable group of form rows: a header button (arrow and title) over a QFormLayout.

Folding only hides the rows: their widgets stay enabled and keep their values, so a
folded group still takes part in the job (a checkable QGroupBox would disable them).
Under each text field sits a small red line with the reason its value is refused, shown
only while it is.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from digitapp.gui.train.fields import CheckedField

REFUSED_STYLE = "color: #d0342c; font-size: small;"


class FormGroup(QWidget):
    """A titled, foldable list of labelled rows; `toggled(open)` fires when folded/unfolded."""

    toggled = Signal(bool)

    def __init__(self, title: str, tooltip: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.summary = ""  # said after the title while folded, e.g. "off"
        self.header = QToolButton()
        self.header.setObjectName(f"group_{title}")
        self.header.setText(title)
        self.header.setToolTip(tooltip)
        self.header.setCheckable(True)
        self.header.setAutoRaise(True)
        self.header.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.header.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        font = self.header.font()
        font.setBold(True)
        self.header.setFont(font)
        self.body = QWidget()
        self.rows = QFormLayout(self.body)
        self.rows.setContentsMargins(14, 0, 0, 6)  # indented under the header's arrow
        self.rows.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.labels: list[QLabel] = []
        self._refusals: dict[CheckedField, QLabel] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.header)
        layout.addWidget(self.body)
        self.header.toggled.connect(self._show_body)
        self.set_open(True)

    # -- building --------------------------------------------------------------------------
    def add_row(self, label: str, widget: QWidget, tooltip: str) -> None:
        """Add `widget` after a label; both explain themselves with `tooltip`."""
        name = QLabel(label)
        name.setToolTip(tooltip)
        name.setBuddy(widget)
        if isinstance(widget, CheckedField):
            widget.set_help(tooltip)  # kept beside the reason while a value is refused
        else:
            widget.setToolTip(tooltip)
        self.labels.append(name)
        self.rows.addRow(name, widget)
        if isinstance(widget, CheckedField):
            self._add_refusal_line(widget)

    def add_wide_row(self, widget: QWidget, tooltip: str) -> None:
        """Add a widget across both columns (a check box that carries its own text)."""
        widget.setToolTip(tooltip)
        self.rows.addRow(widget)

    def _add_refusal_line(self, field: CheckedField) -> None:
        line = QLabel()
        line.setObjectName(f"refused_{field.objectName()}")
        line.setWordWrap(True)
        line.setStyleSheet(REFUSED_STYLE)
        self.rows.addRow(line)
        self._refusals[field] = line
        field.validity_changed.connect(self.show_refusals)
        self.rows.setRowVisible(line, False)

    # -- state -----------------------------------------------------------------------------
    def is_open(self) -> bool:
        return self.header.isChecked()

    def set_open(self, open_: bool) -> None:
        self.header.setChecked(open_)
        self._show_body(open_)

    def set_summary(self, summary: str) -> None:
        """Say the group's gist after its title while it is folded ("Augmentation: off")."""
        self.summary = summary
        self._show_title()

    def _show_title(self) -> None:
        folded = not self.is_open() and self.summary
        self.header.setText(f"{self.title}: {self.summary}" if folded else self.title)

    def refusal_line(self, field: CheckedField) -> QLabel:
        """Return the red line under `field` (empty and hidden while its value is fine)."""
        return self._refusals[field]

    def has_refusal(self) -> bool:
        """Return True if a field of this group that counts (enabled) refuses its value."""
        return any(f.problem and f.isEnabled() for f in self._refusals)

    @Slot()
    def show_refusals(self) -> None:
        """Show each enabled field's reason under it; hide the lines of the others."""
        for field, line in self._refusals.items():
            shown = bool(field.problem) and field.isEnabled()
            line.setText(field.problem if shown else "")
            self.rows.setRowVisible(line, shown)

    @Slot(bool)
    def _show_body(self, open_: bool) -> None:
        self.body.setVisible(open_)
        self.header.setArrowType(Qt.ArrowType.DownArrow if open_ else Qt.ArrowType.RightArrow)
        self._show_title()
        self.toggled.emit(open_)

"""The layers of a model top to bottom, each with its activations for the current drawing.

Built once per model (one LayerEntry per architecture row); each update only replaces the
pictures (QImages made in NumPy) and repaints. A click on a unit or a feature map emits
`unit_clicked(layer, unit)`.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent, QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage, QMouseEvent, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QSizePolicy,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from digitapp.app.inside import LayerRow, LayerView
from digitapp.gui.inside.pictures import Grid, grid_for, maps_picture, units_picture

OUTPUT_CELL = 44  # pixels across one digit's bar in the output picture
OUTPUT_HEIGHT = 84


def shape_text(shape: tuple[int, ...]) -> str:
    return "×".join(str(d) for d in shape)


class LayerPicture(QWidget):
    """A layer's activations as one picture on a Grid; click selects a cell (a unit)."""

    clicked = Signal(int)  # unit

    def __init__(self, grid: Grid, what: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.grid = grid
        self.what = what  # "feature map" or "unit"
        self.values: np.ndarray | None = None  # (units,) the current responses, for tooltips
        self.selected: int | None = None
        self._picture: QImage | None = None
        self._render = None  # () -> QImage: the next picture, made when painted
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        # Paints every pixel itself: an update repaints this widget alone, not its layer's
        # frame and the window behind it (the Draw tab waits for each repaint).
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)

    def sizeHint(self) -> QSize:  # Qt override
        return QSize(self.grid.width, self.grid.height)

    def minimumSizeHint(self) -> QSize:  # Qt override
        return self.sizeHint()

    def set_picture(self, picture: QImage | None, values: np.ndarray | None) -> None:
        self._picture, self.values, self._render = picture, values, None
        self.update()

    def set_renderer(self, render, values: np.ndarray) -> None:
        """Show the picture `render()` returns, made when this widget is next painted: a
        layer scrolled out of sight costs nothing."""
        self._render, self.values = render, values
        self.update()

    def picture(self) -> QImage | None:
        """Return the current picture (made now if it is due)."""
        if self._render is not None:
            self._picture, self._render = self._render(), None
        return self._picture

    def select(self, unit: int | None) -> None:
        if unit != self.selected:
            self.selected = unit
            self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # Qt override
        painter = QPainter(self)
        painter.fillRect(self.rect(), self.palette().color(QPalette.ColorRole.Window))
        picture = self.picture()
        if picture is None:
            painter.fillRect(QRect(0, 0, self.grid.width, self.grid.height),
                             self.palette().color(QPalette.ColorRole.Mid))
        else:
            painter.drawImage(0, 0, picture)
        if self.selected is not None:
            x, y, w, h = self.grid.cell_rect(self.selected)
            painter.setPen(QPen(QColor("#f0a000"), 2))
            painter.drawRect(x - 1, y - 1, w + 1, h + 1)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # Qt override
        unit = self.grid.cell_at(event.position().x(), event.position().y())
        if unit is not None and event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit(unit)

    def event(self, event: QEvent) -> bool:  # Qt override: a tooltip per unit
        if event.type() == QEvent.Type.ToolTip:
            unit = self.grid.cell_at(event.pos().x(), event.pos().y())
            if unit is None:
                QToolTip.hideText()
            else:
                value = "" if self.values is None else f": {self.values[unit]:.3g}"
                QToolTip.showText(event.globalPos(),
                                  f"{self.what} {unit}{value} (click to explore)", self)
            return True
        return super().event(event)


class OutputPicture(LayerPicture):
    """The last layer: the ten probabilities as bars over their digits."""

    def __init__(self, count: int, parent: QWidget | None = None) -> None:
        super().__init__(Grid(count, count, OUTPUT_CELL - 4, OUTPUT_HEIGHT, 4), "digit", parent)
        self.probabilities: np.ndarray | None = None

    def set_probabilities(self, probabilities: np.ndarray | None) -> None:
        self.probabilities = probabilities
        self.values = probabilities
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # Qt override
        painter = QPainter(self)
        palette = self.palette()
        painter.fillRect(self.rect(), palette.color(QPalette.ColorRole.Window))
        text_h = self.fontMetrics().height()
        bar_bottom = OUTPUT_HEIGHT - text_h - 2
        best = None if self.probabilities is None else int(self.probabilities.argmax())
        for k in range(self.grid.count):
            x, y, w, _ = self.grid.cell_rect(k)
            painter.fillRect(QRect(x, y, w, bar_bottom), palette.color(QPalette.ColorRole.Base))
            if self.probabilities is not None:
                p = float(self.probabilities[k])
                top = round(bar_bottom * (1 - p))
                colour = QColor("#d6604d") if k == best else QColor("#8fa9c8")
                painter.fillRect(QRect(x, top, w, bar_bottom - top), colour)
                if p >= 0.05:  # its percentage over the bar (inside it when tall)
                    inside = bar_bottom - top > 2 * text_h
                    painter.setPen(QColor("white") if inside else
                                   palette.color(QPalette.ColorRole.Text))
                    label = QRect(x, top + 2 if inside else top - text_h, w, text_h)
                    painter.drawText(label, Qt.AlignmentFlag.AlignCenter, f"{p:.0%}")
            painter.setPen(palette.color(QPalette.ColorRole.WindowText))
            painter.drawText(QRect(x, bar_bottom + 2, w, text_h),
                             Qt.AlignmentFlag.AlignCenter, str(k))
            if k == self.selected:
                painter.setPen(QPen(QColor("#f0a000"), 2))
                painter.drawRect(x - 1, y - 1, w + 1, OUTPUT_HEIGHT + 1)


class LayerEntry(QFrame):
    """One architecture row: its description, shape and parameters, and its picture."""

    def __init__(self, row: LayerRow, last: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.row = row
        self.setObjectName(f"layerEntry{row.index}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        params = f"{row.parameters:,} parameters" if row.parameters else "no parameters"
        self.header = QLabel(f"<b>{row.index + 1}. {row.description}</b>"
                             f"&nbsp;&nbsp;<span style='color:gray'>{shape_text(row.shape)}"
                             f" · {params}</span>")
        self.header.setObjectName("layerHeader")
        if last:
            self.picture: LayerPicture = OutputPicture(int(np.prod(row.shape)))
        else:
            what = "feature map" if len(row.shape) == 3 else "unit"
            self.picture = LayerPicture(grid_for(row.shape), what)
        self.picture.setAccessibleName(f"{row.description}: activations")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 5, 8, 7)
        layout.setSpacing(4)
        layout.addWidget(self.header)
        layout.addWidget(self.picture)

    def show_view(self, view: LayerView | None) -> None:
        """Show one layer's activations (None: nothing drawn)."""
        picture = self.picture
        if isinstance(picture, OutputPicture):
            picture.set_probabilities(None if view is None else view.probabilities)
            return
        if view is None:
            picture.set_picture(None, None)
        elif view.activations.ndim == 3:
            a, grid = view.activations, picture.grid
            picture.set_renderer(lambda: maps_picture(a, grid),
                                 a.reshape(-1, a.shape[-1]).max(axis=0))
        else:
            a, grid = view.activations, picture.grid
            picture.set_renderer(lambda: units_picture(a, grid), a.reshape(-1))


class LayerStrip(QWidget):
    """Every layer of one model, top to bottom, the input's shape first."""

    unit_clicked = Signal(int, int)  # layer index, unit

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("layerStrip")
        self.entries: list[LayerEntry] = []
        self._layout = QVBoxLayout(self)
        self._layout.setSpacing(6)
        self.input_label = QLabel()
        self._layout.addWidget(self.input_label)
        self._layout.addStretch(1)

    def set_rows(self, input_shape: tuple[int, ...], rows: list[LayerRow]) -> None:
        """Build one entry per row (when the model changes)."""
        for entry in self.entries:
            self._layout.removeWidget(entry)
            entry.hide()  # at once: deleteLater waits for the event loop
            entry.deleteLater()
        self.input_label.setText(
            f"<b>Input</b>&nbsp;&nbsp;<span style='color:gray'>{shape_text(input_shape)}: "
            "the 28×28 drawing</span><br><span style='color:gray'>Feature maps: white the "
            "layer's strongest, black 0 (grey 0 if it has values below). Units: white 0, "
            "red above, blue below. Click one to explore it.</span>")
        self.input_label.setWordWrap(True)
        self.entries = []
        for row in rows:
            entry = LayerEntry(row, last=row is rows[-1], parent=self)
            entry.picture.clicked.connect(self._on_clicked)
            self._layout.insertWidget(self._layout.count() - 1, entry)
            self.entries.append(entry)

    def show_views(self, views: list[LayerView] | None) -> None:
        for k, entry in enumerate(self.entries):
            entry.show_view(None if views is None else views[k])

    def select(self, layer: int | None, unit: int | None) -> None:
        for entry in self.entries:
            entry.picture.select(unit if entry.row.index == layer else None)

    def entry_at(self, layer: int) -> LayerEntry:
        return self.entries[layer]

    def _on_clicked(self, unit: int) -> None:
        picture = self.sender()
        for entry in self.entries:
            if entry.picture is picture:
                self.unit_clicked.emit(entry.row.index, unit)
                return

    def unit_point(self, layer: int, unit: int) -> QPoint:
        """Return the centre of a unit's cell in its picture's coordinates (tests)."""
        x, y, w, h = self.entries[layer].picture.grid.cell_rect(unit)
        return QPoint(x + w // 2, y + h // 2)

"""A map of test images as points coloured by true class; hover shows one, click opens it.

One scatter item per class (a colour each) and one of rings around the model's mistakes.
Hovering finds the nearest point on screen in NumPy (a few microseconds for 10,000
points) and shows a card with the image and its classes beside the cursor.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from digitapp.app.audit import Audit
from digitapp.app.maps import LayerMap
from digitapp.gui.audit.digits import CLASS_COLORS, WRONG
from digitapp.gui.network_view import NetworkInputView

HOVER_RADIUS = 8  # screen pixels within which a point counts as under the mouse
POINT_SIZE = 5
RING_SIZE = 10


def legend_html(ring_color: str) -> str:
    """Return the legend line: a coloured dot per digit, and the mistakes' ring."""
    dots = " ".join(f"<span style='color:{c}; font-size:16px'>\u25cf</span>&nbsp;{d}&nbsp;"
                    for d, c in enumerate(CLASS_COLORS))
    ring = f"<span style='color:{ring_color}; font-size:14px'>\u25ef</span>&nbsp;mistake"
    return f"True class: {dots}&nbsp;&nbsp;{ring}"


class HoverCard(QFrame):
    """The image under the mouse, enlarged, with its true and predicted class."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("mapHoverCard")
        self.setFrameShape(QFrame.Shape.Box)
        # A tooltip's colours: a card that floats over the plot, light or dark.
        self.setBackgroundRole(QPalette.ColorRole.ToolTipBase)
        self.setForegroundRole(QPalette.ColorRole.ToolTipText)
        self.setAutoFillBackground(True)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.view = NetworkInputView(zoom=3)
        self.label = QLabel()
        self.label.setForegroundRole(QPalette.ColorRole.ToolTipText)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.view, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.label)
        self.hide()

    def show_point(self, audit: Audit, index: int) -> None:
        true, predicted = int(audit.labels[index]), int(audit.predictions[index])
        self.view.show_image(audit.images[index] / 255.0)
        mark = "" if true == predicted else f" <b style='color:{WRONG.name()}'>(wrong)</b>"
        self.label.setText(f"#{index}<br>true <b>{true}</b>, predicted <b>{predicted}</b>{mark}")
        self.adjustSize()


class MapView(QWidget):
    point_clicked = Signal(int)  # index of the image in the test set

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mapView")
        self.layer_map: LayerMap | None = None
        self.audit: Audit | None = None
        self.hovered: int | None = None  # test-set index of the point under the mouse

        self.plot = pg.PlotWidget()
        self.plot.setObjectName("mapPlot")
        item = self.plot.getPlotItem()
        item.hideAxis("left")
        item.hideAxis("bottom")
        item.setMenuEnabled(False)
        item.hideButtons()
        self.plot.setAspectLocked(False)
        self.scatters = [pg.ScatterPlotItem(size=POINT_SIZE, pen=None,
                                            brush=pg.mkBrush(color), name=str(digit))
                         for digit, color in enumerate(CLASS_COLORS)]
        self.rings = pg.ScatterPlotItem(size=RING_SIZE, brush=None)
        for scatter in self.scatters:
            item.addItem(scatter)
        item.addItem(self.rings)
        self.legend = QLabel()
        self.legend.setObjectName("mapLegend")
        self.legend.setWordWrap(True)  # on a narrow window the legend takes two lines
        self.card = HoverCard(self)
        scene = self.plot.scene()
        scene.sigMouseMoved.connect(self._on_mouse_moved)
        scene.sigMouseClicked.connect(self._on_mouse_clicked)
        self.plot.viewport().installEventFilter(self)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.legend)
        self._apply_palette()

    def set_map(self, layer_map: LayerMap | None, audit: Audit | None) -> None:
        """Show the map's points (or none), each coloured by its true class."""
        self.layer_map, self.audit = layer_map, audit
        self.card.hide()
        self.hovered = None
        if layer_map is None:
            for scatter in self.scatters + [self.rings]:
                scatter.setData(x=[], y=[])
            return
        xy = layer_map.xy
        for digit, scatter in enumerate(self.scatters):
            mine = layer_map.labels == digit
            scatter.setData(x=xy[mine, 0], y=xy[mine, 1])
        wrong = layer_map.labels != layer_map.predictions
        self.rings.setData(x=xy[wrong, 0], y=xy[wrong, 1])
        self.plot.getPlotItem().autoRange()

    # -- finding points ----------------------------------------------------------------------
    def point_near(self, scene_pos: QPointF) -> int | None:
        """Return the test-set index of the point nearest `scene_pos` within HOVER_RADIUS
        screen pixels, or None."""
        if self.layer_map is None or len(self.layer_map.xy) == 0:
            return None
        box = self.plot.getPlotItem().getViewBox()
        if not box.sceneBoundingRect().contains(scene_pos):
            return None
        where = box.mapSceneToView(scene_pos)
        pixel = box.viewPixelSize()  # (data units per screen pixel in x, in y)
        dx = (self.layer_map.xy[:, 0] - where.x()) / max(pixel[0], 1e-12)
        dy = (self.layer_map.xy[:, 1] - where.y()) / max(pixel[1], 1e-12)
        distance = dx * dx + dy * dy
        nearest = int(np.argmin(distance))
        if distance[nearest] > HOVER_RADIUS ** 2:
            return None
        return int(self.layer_map.indices[nearest])

    def scene_pos_of(self, index: int) -> QPointF:
        """Return where the point of test image `index` is drawn, in scene coordinates."""
        row = int(np.flatnonzero(self.layer_map.indices == index)[0])
        x, y = self.layer_map.xy[row]
        box = self.plot.getPlotItem().getViewBox()
        return box.mapViewToScene(QPointF(float(x), float(y)))

    def _on_mouse_moved(self, scene_pos: QPointF) -> None:
        index = self.point_near(scene_pos)
        self.hovered = index
        if index is None or self.audit is None:
            self.card.hide()
            return
        self.card.show_point(self.audit, index)
        where = self.plot.mapTo(self, self.plot.mapFromScene(scene_pos))
        self._place_card(where)
        self.card.show()
        self.card.raise_()

    def _place_card(self, where: QPoint) -> None:
        """Put the card beside the cursor, on the side where it fits."""
        x = where.x() + 16
        if x + self.card.width() > self.width():
            x = where.x() - 16 - self.card.width()
        y = min(max(0, where.y() - self.card.height() // 2), self.height() - self.card.height())
        self.card.move(x, y)

    def _on_mouse_clicked(self, event) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        index = self.point_near(event.scenePos())
        if index is not None:
            self.point_clicked.emit(index)

    def eventFilter(self, watched, event) -> bool:  # Qt override
        if event.type() == QEvent.Type.Leave:
            self.card.hide()
        return super().eventFilter(watched, event)

    # -- palette -----------------------------------------------------------------------------
    def _apply_palette(self) -> None:
        palette = self.palette()
        self.plot.setBackground(palette.color(QPalette.ColorRole.Base))
        # Rings in the text colour: red would be lost among the red 3s.
        ring = QColor(palette.color(QPalette.ColorRole.Text))
        self.rings.setPen(pg.mkPen(ring, width=1.2))
        self.legend.setText(legend_html(ring.name()))

    def changeEvent(self, event: QEvent) -> None:  # Qt override
        if event.type() == QEvent.Type.PaletteChange and hasattr(self, "rings"):
            self._apply_palette()
        super().changeEvent(event)

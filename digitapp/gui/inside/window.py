"""The Inside window: every layer of the active model live for the Draw tab's drawing, why it
chose its digit, what a unit responds to, and the architecture diagram exported.

A top-level window beside the main one (View > See inside the network, Ctrl+I). It keeps its
own copy of the active model (copy_model): a forward pass and saliency fill the layers'
caches, which a prediction on the shared model in another thread (the number reader, an
evaluation) could overwrite halfway. Live updates are coalesced to at most 1/MIN_INTERVAL a
second and made only while the window is visible, so that the Draw tab stays fluid: one
update is one forward pass and one saliency map (~2 ms for the CNN); the picture of a layer
is made when it is painted (not at all while scrolled out of sight).
"""

from __future__ import annotations

import logging
import time
import zlib

import numpy as np
from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from digitapp.app.inside import architecture, layer_views
from digitapp.app.saliency import saliency
from digitapp.app.unit_response import copy_model
from digitapp.engine.blas import BLAS
from digitapp.gui.active_model import ActiveModel, ModelSnapshot
from digitapp.gui.inside.export import FILTERS, export_diagram
from digitapp.gui.inside.layer_strip import LayerStrip
from digitapp.gui.inside.saliency_view import SaliencyView, ranked
from digitapp.gui.inside.unit_explorer import UnitExplorer
from digitapp.gui.save_places import pictures_path

log = logging.getLogger(__name__)

MIN_INTERVAL = 0.060  # seconds between two live updates: at most ~16 a second
DEFAULT_SIZE = (920, 720)
SIDE_WIDTH = 350
DRAW_ONE = "Draw a digit in the Draw tab: every layer lights up here as you draw."
NUMBER_MODE = ("Number mode reads several digits: write one digit (leave number mode, "
               "Ctrl+N) to see inside.")


class InsideWindow(QWidget):
    """'Inside the network': follows the active model and the Draw tab's answer."""

    def __init__(self, active_model: ActiveModel, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("insideWindow")
        self.setWindowTitle("Inside the network")
        self.active_model = active_model
        self.model = None  # our own copy of the active model's
        self.snapshot: ModelSnapshot | None = None
        self.image28: np.ndarray | None = None  # what the network saw, (28, 28)
        self.views = None  # the last layer_views on screen
        self.updates = 0  # live updates made (the benchmark's rate)
        self._note = DRAW_ONE  # said instead of the layers when there is no digit
        self._dirty = False
        self._last_update = -1e9  # perf_counter seconds: long ago
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.update_now)

        self.model_label = QLabel()
        self.model_label.setObjectName("insideModel")
        self.model_label.setTextFormat(Qt.TextFormat.RichText)
        self.export_button = QPushButton("&Export diagram…")
        self.export_button.setObjectName("exportDiagramButton")
        self.export_button.setToolTip("Save the architecture diagram as SVG or PNG "
                                      "(for a report)")
        self.export_button.clicked.connect(self.choose_export)
        self.status = QLabel(DRAW_ONE)
        self.status.setObjectName("insideStatus")
        self.status.setWordWrap(True)
        self.strip = LayerStrip()
        self.strip.unit_clicked.connect(self.explore)
        scroll = QScrollArea()
        scroll.setObjectName("layerScroll")
        scroll.setWidget(self.strip)
        scroll.setWidgetResizable(True)
        self.scroll = scroll
        self.saliency_view = SaliencyView()
        self.saliency_view.choice_changed.connect(self._saliency_choice_changed)
        self.explorer = UnitExplorer()

        top = QHBoxLayout()
        top.addWidget(self.model_label, 1)
        top.addWidget(self.export_button)
        side = QVBoxLayout()
        side.setContentsMargins(0, 0, 0, 0)
        side.addWidget(self.saliency_view)
        side.addWidget(self.explorer, 1)
        side_panel = QWidget()
        side_panel.setLayout(side)
        side_panel.setFixedWidth(SIDE_WIDTH)
        # Its wrapped captions' extra lines, which the window's minimum leaves out: without
        # them the saliency picture was cut at the window's smallest height.
        side_panel.setMinimumHeight(side.totalHeightForWidth(SIDE_WIDTH))
        body = QHBoxLayout()
        body.addWidget(scroll, 1)
        body.addWidget(side_panel)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.status)
        layout.addLayout(body, 1)
        self.resize(*DEFAULT_SIZE)

        active_model.changed.connect(self._on_model_changed)
        if active_model.snapshot is not None:
            self._on_model_changed(active_model.snapshot)

    # -- what to show ----------------------------------------------------------------------
    @Slot(object)
    def show_prediction(self, prediction) -> None:
        """Follow the Draw tab's answer (a Prediction, or None: nothing to show)."""
        self.image28 = None if prediction is None else prediction.image28
        self._note = DRAW_ONE
        self._request_update()

    @Slot(object)
    def show_number(self, _reading) -> None:
        """Number mode's answers have several digits: say how to see one inside."""
        self.image28 = None
        self._note = NUMBER_MODE
        self._request_update()

    @Slot(object)
    def _on_model_changed(self, snapshot: ModelSnapshot) -> None:
        self.snapshot = snapshot
        self.model = copy_model(snapshot.model)
        key = (str(snapshot.path), zlib.crc32(self.model.get_flat().tobytes()))
        arch = architecture(self.model)
        self.model_label.setText(
            f"<b>{snapshot.name}</b>&nbsp;&nbsp;{arch.summary} · {len(arch.rows)} layers · "
            f"{arch.parameters:,} parameters")
        self.strip.set_rows(arch.input_shape, list(arch.rows))
        # Wide enough for the widest layer: scrolling is up and down only.
        self.scroll.setMinimumWidth(self.strip.sizeHint().width() + 2 * self.scroll.frameWidth()
                                    + self.scroll.verticalScrollBar().sizeHint().width())
        self.explorer.set_model(self.model, key)
        self.views = None
        self._request_update()

    # -- live updates ----------------------------------------------------------------------
    def _request_update(self) -> None:
        """Update soon: right after this answer is painted if the last update is
        MIN_INTERVAL old (the Draw tab's next mouse move is then furthest away), else once
        the answers pause for MIN_INTERVAL (the drawing's last state is always shown)."""
        self._dirty = True
        if not self.isVisible():
            return
        if time.perf_counter() - self._last_update >= MIN_INTERVAL:
            self._timer.start(0)  # after the events already queued: the bars' repaint
        else:
            self._timer.start(round(MIN_INTERVAL * 1000))  # restarted by every answer

    def showEvent(self, event: QShowEvent) -> None:  # Qt override
        super().showEvent(event)
        if self._dirty:
            self._request_update()

    @Slot()
    def update_now(self) -> None:
        """Show every layer and the saliency for the current image (at once)."""
        self._timer.stop()
        self._dirty = False
        self._last_update = time.perf_counter()
        self.updates += 1
        views, note = None, self._note
        if self.model is not None and self.image28 is not None:
            try:
                with BLAS.limited(1):  # as the Draw tab: the GUI thread keeps one core
                    views = layer_views(self.model, self.image28)
            except ValueError as exc:  # a model whose inputs are not 28x28 images
                note = f"This model cannot read 28×28 images ({exc})."
            except Exception as exc:  # a bug: say so, never abort the event loop
                log.exception("the inside of the network could not be computed")
                note = f"Could not compute the layers ({type(exc).__name__}: {exc})."
        self.views = views
        self.status.setText("" if views is not None else note)
        self.status.setVisible(views is None)
        self.strip.show_views(views)
        self._show_saliency()

    def _show_saliency(self) -> None:
        if self.views is None:
            self.saliency_view.show_map(None, None, None)
            return
        probabilities = self.views[-1].probabilities
        winner, second = ranked(probabilities)
        digit = second if self.saliency_view.runner_up() else winner
        with BLAS.limited(1):
            heat = saliency(self.model, self.image28, digit)
        self.saliency_view.show_map(self.image28, heat, probabilities)

    @Slot()
    def _saliency_choice_changed(self) -> None:
        self._show_saliency()

    # -- a unit ----------------------------------------------------------------------------
    @Slot(int, int)
    def explore(self, layer: int, unit: int) -> None:
        """Show what unit `unit` of layer `layer` responds to."""
        self.strip.select(layer, unit)
        self.explorer.explore(self.strip.entry_at(layer).row, unit)

    # -- export ----------------------------------------------------------------------------
    def choose_export(self) -> None:
        if self.model is None:
            return
        path, _ = QFileDialog.getSaveFileName(
            self, "Export the architecture diagram",
            pictures_path(f"{self.snapshot.name}-architecture.svg"), FILTERS)
        if path:
            self.export_to(path)

    def export_to(self, path: str):
        """Write the diagram (SVG, or PNG for a .png path); return the path, or None after
        saying why not."""
        try:
            return export_diagram(self.model, self.snapshot.name, path)
        except (OSError, ValueError) as exc:
            QMessageBox.warning(self, "The diagram was not exported", str(exc))
            return None

    def shutdown(self) -> None:
        """Stop the background ranking and wait for it (quitting, the main window closed)."""
        self._timer.stop()
        self.explorer.shutdown()

"""The Insights tab: confusion matrix, per-class scores and a map of a layer of the model.

Left: the confusion heatmap (a click on a cell shows those images in Mistakes) and the
scores table. Right: which layer, PCA or t-SNE, how many points; the map itself. Maps are
computed by the AuditSession in its worker thread whenever the choice changes (a newer
choice cancels an older one), and come from its cache when already made for this model.
"""

from __future__ import annotations

import contextlib

from PySide6.QtCore import QSettings, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from digitapp.app.audit import Audit
from digitapp.app.maps import (
    DEFAULT_POINTS,
    MAX_POINTS,
    METHODS,
    MIN_POINTS,
    LayerMap,
    MapRequest,
    layer_choices,
)
from digitapp.gui.audit.confusion_view import ConfusionView
from digitapp.gui.audit.map_view import MapView
from digitapp.gui.audit.scores_table import ScoresTable
from digitapp.gui.audit.session import AuditSession
from digitapp.gui.audit.task_status import TaskStatus

SETTLE_MS = 250  # wait this long after the last change of the map's settings
SETTINGS_KEY = "insights/map"  # the last map asked for: "layer,method,points"


def _heading(text: str) -> QLabel:
    label = QLabel(f"<b>{text}</b>")
    return label


class InsightsTab(QWidget):
    pair_requested = Signal(int, int)  # (true, predicted): show those images in Mistakes
    image_requested = Signal(int)  # show this test image in Mistakes

    def __init__(self, session: AuditSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("insightsTab")
        self.session = session
        self.audit: Audit | None = None
        self.layer_map: LayerMap | None = None
        self._working_on: str | None = None  # "audit" or "map": what Cancel stops
        self._build()
        session.model_changed.connect(self._on_model_changed)
        session.audit_progress.connect(self._on_audit_progress)
        session.audit_ready.connect(self._on_audit)
        session.audit_failed.connect(self._on_failed)
        session.map_started.connect(self._on_map_started)
        session.map_progress.connect(self._on_map_progress)
        session.map_ready.connect(self._on_map)
        session.map_failed.connect(self._on_failed)
        if session.audit is not None:
            self._on_audit(session.audit)

    # -- building ------------------------------------------------------------------------
    def _build(self) -> None:
        self.confusion = ConfusionView()
        self.confusion.cell_clicked.connect(self.pair_requested)
        self.scores = ScoresTable()
        hint = QLabel("Rows: true class; columns: predicted. Click a cell to see its images.")
        hint.setWordWrap(True)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(_heading("Confusion matrix"))
        left_layout.addWidget(self.confusion, 3)
        left_layout.addWidget(hint)
        left_layout.addWidget(_heading("Per-class scores"))
        left_layout.addWidget(self.scores)
        left.setMinimumWidth(300)  # the scores' columns whole, the matrix readable

        self.layer_combo = QComboBox()
        self.layer_combo.setObjectName("layerCombo")
        self.layer_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        # Never narrower than its longest layer name ("Hidden la" at the window's minimum).
        self.layer_combo.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
        self.method_combo = QComboBox()
        self.method_combo.setObjectName("methodCombo")
        for key, text in METHODS.items():
            self.method_combo.addItem(text, key)
        self.points_spin = QSpinBox()
        self.points_spin.setObjectName("pointsSpin")
        self.points_spin.setRange(MIN_POINTS, MAX_POINTS["tsne"])
        self.points_spin.setSingleStep(500)
        self.points_spin.setGroupSeparatorShown(True)
        self.points_spin.setValue(DEFAULT_POINTS)
        self.points_spin.setKeyboardTracking(False)  # a value when typing is done
        self.points_spin.setToolTip(f"Test images on the map: up to {MAX_POINTS['pca']:,} for "
                                    f"PCA, {MAX_POINTS['tsne']:,} for t-SNE")
        self.layer_combo.currentIndexChanged.connect(self.schedule_map)
        self.method_combo.currentIndexChanged.connect(self._on_method)
        self.points_spin.valueChanged.connect(self.schedule_map)
        controls = QHBoxLayout()
        for text, widget in (("Layer", self.layer_combo), ("Method", self.method_combo),
                             ("Points", self.points_spin)):
            label = QLabel(text)
            label.setBuddy(widget)
            controls.addWidget(label)
            controls.addWidget(widget)
            controls.addSpacing(6)
        controls.addStretch(1)

        self.status = TaskStatus("insightsStatus")
        self.status.cancel_requested.connect(self._cancel)
        self.status.retry_requested.connect(self._retry)
        self.map_title = QLabel()
        self.map_title.setObjectName("mapTitle")
        self.map_title.setWordWrap(True)  # a long title must not widen the window
        self.map_view = MapView()
        self.map_view.point_clicked.connect(self.image_requested)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addLayout(controls)
        right_layout.addWidget(self.status)
        right_layout.addWidget(self.map_title)
        right_layout.addWidget(self.map_view, 1)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 0)  # extra width goes to the map
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(splitter)

        self._restore_settings()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SETTLE_MS)
        self._timer.timeout.connect(self.request_map)

    # -- the map's settings ------------------------------------------------------------------
    def map_request(self) -> MapRequest:
        return MapRequest(self.layer_combo.currentData() or self._saved_layer,
                          self.method_combo.currentData(), self.points_spin.value())

    def _restore_settings(self) -> None:
        """Start from the last map asked for (a hand-edited value falls back to defaults)."""
        self._saved_layer = "hidden"
        saved = str(QSettings().value(SETTINGS_KEY, "") or "").split(",")
        if len(saved) != 3:
            return
        layer, method, points = saved
        found = self.method_combo.findData(method)
        if found >= 0:
            self.method_combo.setCurrentIndex(found)
            self.points_spin.setMaximum(MAX_POINTS[method])
        with contextlib.suppress(ValueError):
            self.points_spin.setValue(int(points))
        self._saved_layer = layer

    @Slot()
    def _on_method(self) -> None:
        self.points_spin.setMaximum(MAX_POINTS[self.method_combo.currentData()])
        self.schedule_map()

    @Slot()
    def schedule_map(self) -> None:
        """Compute the map for the settings once they have stopped changing."""
        if self.audit is not None:
            self._timer.start()

    @Slot()
    def request_map(self) -> None:
        """Ask the session for the map of the current settings (now, if the tab is seen)."""
        self._timer.stop()
        if self.audit is not None and self.isVisible():
            request = self.map_request()
            QSettings().setValue(SETTINGS_KEY,
                                 f"{request.layer},{request.method},{request.points}")
            self.session.request_map(request)

    def _fill_layers(self) -> None:
        snapshot = self.session.snapshot
        if snapshot is None:
            return
        previous = self.layer_combo.currentData() or self._saved_layer
        self.layer_combo.blockSignals(True)
        self.layer_combo.clear()
        for key, text in layer_choices(snapshot.model).items():
            self.layer_combo.addItem(text, key)
        found = self.layer_combo.findData(previous)
        if found < 0:
            found = max(self.layer_combo.findData("hidden"), 0)
        self.layer_combo.setCurrentIndex(found)
        self.layer_combo.blockSignals(False)

    # -- the session's signals ---------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:  # Qt override
        super().showEvent(event)
        self.session.want_audit()
        if self.audit is not None and self.layer_map is None and not self.session.map_running():
            self.request_map()

    @Slot(object)
    def _on_model_changed(self, snapshot) -> None:
        self.audit = None
        self.layer_map = None
        self.confusion.set_confusion(None)
        self.scores.set_scores(None)
        self.map_view.set_map(None, None)
        self.map_title.setText("")
        self._fill_layers()  # known from the model at once: no need to wait for the audit
        self.status.idle(f"Model {snapshot.name}: waiting for its evaluation.")
        if self.isVisible():
            self.session.want_audit()

    @Slot(float, str)
    def _on_audit_progress(self, fraction: float, text: str) -> None:
        self._working_on = "audit"
        self.status.running(fraction, text)

    @Slot(object)
    def _on_audit(self, audit: Audit) -> None:
        if audit is self.audit:
            return
        self.audit = audit
        self._working_on = None
        self.confusion.set_confusion(audit.confusion)
        self.scores.set_scores(audit.per_class)
        self._fill_layers()
        self.status.idle(self._summary())
        self.request_map()

    def _summary(self) -> str:
        name = self.session.snapshot.name if self.session.snapshot else "the model"
        return (f"<b>{name}</b>: {self.audit.accuracy:.2%} right on the test set, "
                f"{self.audit.mistakes:,} mistakes." if self.audit is not None else "")

    @Slot(object)
    def _on_map_started(self, request: MapRequest) -> None:
        self._working_on = "map"
        self.status.running(0.0, f"Computing the {METHODS[request.method]} map\u2026")

    @Slot(float, str)
    def _on_map_progress(self, fraction: float, text: str) -> None:
        self._working_on = "map"
        self.status.running(fraction, text)

    @Slot(object)
    def _on_map(self, layer_map: LayerMap) -> None:
        self._working_on = None
        self.layer_map = layer_map
        self.map_view.set_map(layer_map, self.audit)
        self.map_title.setText(f"<b>{layer_map.title}</b>: hover a point to see it, click "
                               "it to open it in Mistakes")
        self.status.idle(f"{self._summary()} Map computed in {layer_map.seconds:.1f} s.")

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        what, self._working_on = self._working_on, None
        if message:
            self.status.stopped(message)
        else:
            self.status.stopped("Evaluation cancelled." if what == "audit" else "Map cancelled.")

    @Slot()
    def _cancel(self) -> None:
        if self._working_on == "audit":
            self.session.cancel_audit()
        else:
            self.session.cancel_map()

    @Slot()
    def _retry(self) -> None:
        if self.audit is None:
            self.session.want_audit()
        else:
            self.request_map()

    @Slot()
    def shutdown(self) -> None:
        """Stop the audit's work (evaluation, map), blocking until its threads have ended."""
        self.session.shutdown()

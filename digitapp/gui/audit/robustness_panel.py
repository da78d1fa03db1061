"""The Trust tab's right half: robustness curves, measured when asked, with a comparison.

"Measure robustness" asks the TrustSession for the curves of the active model (and of the
model chosen in "Compare with", if any); progress and Cancel show meanwhile, and the curves
come from its cache when already measured for these models. Choosing another model to
compare with once the active model's curves are there measures that one at once.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from digitapp.app.audit import model_key
from digitapp.app.models import shipped_models, user_models
from digitapp.gui.audit.robustness_grid import RobustnessGrid
from digitapp.gui.audit.session import AuditSession
from digitapp.gui.audit.task_status import TaskStatus
from digitapp.gui.audit.trust_plot import COMPARE_COLOUR
from digitapp.gui.audit.trust_session import TrustSession


class RobustnessPanel(QWidget):
    def __init__(self, session: AuditSession, trust: TrustSession,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("robustnessPanel")
        self.session, self.trust = session, trust
        self.measure_button = QPushButton("&Measure robustness")
        self.measure_button.setObjectName("measureRobustness")
        self.measure_button.setToolTip(
            "Accuracy on 2,000 test digits as noise, blur, rotation, shift, stroke and scale "
            "grow: the numbers of `digitapp evaluate --robustness`. Takes 10-30 s.")
        self.measure_button.clicked.connect(self.measure_robustness)
        self.compare_combo = QComboBox()
        self.compare_combo.setObjectName("compareCombo")
        self.compare_combo.setToolTip("Another model whose curves are drawn in orange "
                                      "beside the active model's (measured too)")
        self.compare_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.compare_combo.currentIndexChanged.connect(self._on_compare_changed)
        compare_label = QLabel("Com&pare with")
        compare_label.setBuddy(self.compare_combo)
        controls = QHBoxLayout()
        controls.addWidget(self.measure_button)
        controls.addSpacing(8)
        controls.addWidget(compare_label)
        controls.addWidget(self.compare_combo)
        controls.addStretch(1)
        self.status = TaskStatus("robustnessStatus")
        self.status.cancel_requested.connect(self.trust.cancel_robustness)
        self.status.retry_requested.connect(self.measure_robustness)
        self.legend = QLabel()
        self.legend.setObjectName("robustnessLegend")
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.legend.setWordWrap(True)
        self.grid = RobustnessGrid()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(controls)
        layout.addWidget(self.status)
        layout.addWidget(self.legend)
        layout.addWidget(self.grid, 1)
        trust.robustness_progress.connect(self._on_progress)
        trust.robustness_ready.connect(self.show_curves)
        trust.robustness_failed.connect(self._on_failed)
        self.fill_compare()
        self._idle()

    def model_changed(self) -> None:
        """The active model changed: list the others, show its curves if measured."""
        self.fill_compare()
        self._idle()
        self.show_curves()

    def compared_path(self) -> Path | None:
        return self.compare_combo.currentData()

    def fill_compare(self) -> None:
        """List the models to compare with: the shipped and the user's, not the active one."""
        snapshot = self.session.snapshot
        active = model_key(snapshot.path) if snapshot else None
        chosen = self.compare_combo.currentData()
        self.compare_combo.blockSignals(True)
        self.compare_combo.clear()
        self.compare_combo.addItem("no other model", None)
        for path in shipped_models() + user_models():
            if model_key(path) != active:
                self.compare_combo.addItem(path.name, path)
        found = self.compare_combo.findData(chosen) if chosen is not None else 0
        self.compare_combo.setCurrentIndex(max(found, 0))
        self.compare_combo.blockSignals(False)

    @Slot()
    def measure_robustness(self) -> None:
        self.measure_button.setEnabled(False)
        self.trust.measure_robustness(self.compared_path())

    @Slot()
    def _on_compare_changed(self) -> None:
        # Measured already for the active model: measure the other one at once too.
        if self.trust.curves_of(self._active_path()) is not None:
            self.measure_robustness()
        else:
            self.show_curves()

    def _active_path(self) -> Path | None:
        return self.session.snapshot.path if self.session.snapshot else None

    @Slot(float, str)
    def _on_progress(self, fraction: float, text: str) -> None:
        self.measure_button.setEnabled(False)
        self.status.running(fraction, text)

    @Slot()
    def show_curves(self) -> None:
        active = self.trust.curves_of(self._active_path())
        compared = self.trust.curves_of(self.compared_path())
        self.grid.set_robustness(active, compared)
        self.measure_button.setEnabled(not self.trust.robustness_running())
        if active is None:
            self.legend.setText("")
            return
        colour = self.palette().highlight().color().name()
        name = self.session.snapshot.name
        legend = f"Accuracy of <span style='color:{colour}'>\u2501 {name}</span>"
        if compared is not None:
            legend += (f" and <span style='color:{COMPARE_COLOUR}'>\u2501 "
                       f"{self.compared_path().name}</span>")
        if any(curve.declined is not None for curve in active.curves.values()):
            legend += ("; <span style='color:gray'>\u254d\u254d</span> share declined as "
                       "not a digit")
        self.legend.setText(legend)
        self.status.idle(f"Measured on {active.count:,} test digits (seed "
                                    f"{active.seed}, as `digitapp evaluate --robustness`) in "
                                    f"{active.seconds:.0f} s.")

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self.measure_button.setEnabled(True)
        self.status.stopped(message or "Robustness: cancelled, nothing kept.")

    def _idle(self) -> None:
        self.status.idle(
            "Robustness: how accuracy falls as digits get noisy, blurred, turned, moved, "
            "thinner or bigger. Press <b>Measure robustness</b> (10-30 s).")

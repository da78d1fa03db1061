"""The Trust tab: can the active model's answers and percentages be believed?

Left: the reliability diagram (are its percentages right?) and the coverage-accuracy curve
(how often is it right when it answers only when sure, and where the app itself stands).
Both come from the audit the Mistakes and Insights tabs share, turned into figures by the
TrustSession in a worker. Right: robustness curves, measured when asked (10-30 s), for the
active model and optionally a second one to compare with.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QLabel,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from digitapp.app.audit import Audit
from digitapp.app.calibration import stored_temperature
from digitapp.app.trust import TrustFigures
from digitapp.gui.audit.coverage_plot import CoveragePlot
from digitapp.gui.audit.reliability_plot import ReliabilityPlot
from digitapp.gui.audit.robustness_panel import RobustnessPanel
from digitapp.gui.audit.session import AuditSession
from digitapp.gui.audit.task_status import TaskStatus
from digitapp.gui.audit.trust_plot import COMPARE_COLOUR
from digitapp.gui.audit.trust_session import TrustSession


def _caption(name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText)
    return label


class TrustTab(QWidget):
    def __init__(self, session: AuditSession, trust: TrustSession,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trustTab")
        self.session, self.trust = session, trust
        self.audit: Audit | None = None
        self.figures: TrustFigures | None = None
        self._working_on: str | None = None  # "audit" or "figures": what Cancel stops
        self._build()
        session.model_changed.connect(self._on_model_changed)
        session.audit_progress.connect(self._on_audit_progress)
        session.audit_ready.connect(self._on_audit)
        session.audit_failed.connect(self._on_failed)
        trust.figures_progress.connect(self._on_figures_progress)
        trust.figures_ready.connect(self._on_figures)
        trust.figures_failed.connect(self._on_failed)

    # -- building ------------------------------------------------------------------------
    def _build(self) -> None:
        self.summary = _caption("trustSummary")
        self.status = TaskStatus("trustStatus")
        self.status.cancel_requested.connect(self._cancel)
        self.status.retry_requested.connect(self._retry)

        self.reliability = ReliabilityPlot()
        self.reliability_caption = _caption("reliabilityCaption")
        self.coverage = CoveragePlot()
        self.coverage_caption = _caption("coverageCaption")
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.reliability, 1)
        left_layout.addWidget(self.reliability_caption)
        left_layout.addWidget(self.coverage, 1)
        left_layout.addWidget(self.coverage_caption)
        left.setMinimumWidth(320)

        self.robustness = RobustnessPanel(self.session, self.trust)

        self.splitter = splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.robustness)
        splitter.setStretchFactor(0, 2)  # the robustness grid gets a little more
        splitter.setStretchFactor(1, 3)
        self._split = False  # the first show shares the width 2:3 (size hints give 1:2)
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.summary)
        layout.addWidget(self.status)
        layout.addWidget(splitter, 1)

    # -- the audit and the figures -------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:  # Qt override
        super().showEvent(event)
        if not self._split:
            self._split = True
            width = self.splitter.width()
            self.splitter.setSizes([2 * width // 5, width - 2 * width // 5])
        self.robustness.fill_compare()
        if self.audit is None:
            self.session.want_audit()
        elif self.figures is None:
            self.trust.want_figures(self.audit)

    @Slot(object)
    def _on_model_changed(self, snapshot) -> None:
        self.audit = self.figures = None
        self.reliability.set_figures(None)
        self.coverage.set_figures(None)
        self.reliability_caption.setText("")
        self.coverage_caption.setText("")
        self.summary.setText(self._model_text())
        self.status.show()
        self.status.idle(f"Model {snapshot.name}: waiting for its evaluation.")
        self.robustness.model_changed()
        if self.isVisible():
            self.session.want_audit()

    @Slot(float, str)
    def _on_audit_progress(self, fraction: float, text: str) -> None:
        self._working_on = "audit"
        self.status.show()
        self.status.running(fraction, text)

    @Slot(object)
    def _on_audit(self, audit: Audit) -> None:
        if audit is self.audit:
            return
        self.audit, self.figures = audit, None
        self._working_on = None
        self.status.idle("")
        if self.isVisible():
            self.trust.want_figures(audit)

    @Slot(float, str)
    def _on_figures_progress(self, fraction: float, text: str) -> None:
        self._working_on = "figures"
        self.status.show()
        self.status.running(fraction, text)

    @Slot(object)
    def _on_figures(self, figures: TrustFigures) -> None:
        self._working_on = None
        self.figures = figures
        self.reliability.set_figures(figures)
        self.coverage.set_figures(figures)
        top = int(figures.reliability["count"][-1])
        self.reliability_caption.setText(
            f"Bars: accuracy in each confidence bin; dashed: perfect calibration; grey, under "
            f"the axis: how many digits a bin holds (log scale; hover for counts). {top:,} of "
            f"{figures.count:,} test digits are in the top bin.")
        lines = []
        for point, symbol, colour in ((figures.app, "\u25cf", None),
                                      (figures.sure, "\u25c6", COMPARE_COLOUR)):
            if point is not None:
                mark = f"<span style='color:{colour}'>{symbol}</span>" if colour else symbol
                lines.append(f"{mark} {self.coverage.point_text(point)}")
        if figures.app is None:
            lines.append(f"No not-a-digit check: {self.trust.check_note}")
        self.coverage_caption.setText("<br>".join(lines))
        self.summary.setText(self._model_text())
        self.status.hide()

    def _model_text(self) -> str:
        """Return the model's name, accuracy, calibration and how many digits are declined."""
        snapshot = self.session.snapshot
        if snapshot is None:
            return "No model."
        t = stored_temperature(snapshot.manifest)
        calibrated = (f"percentages calibrated (softmax temperature {t:.2f})" if t is not None
                      else "<i>not calibrated: its percentages are the raw softmax "
                      "(`digitapp calibrate` fixes that)</i>")
        text = f"<b>{snapshot.name}</b>: {calibrated}."
        if self.figures is not None:
            f = self.figures
            text += (f" {f.accuracy:.2%} right on the {f.count:,} MNIST test digits")
            if f.app is not None:
                declined = f.count - f.app.answered
                text += (f"; the not-a-digit check declines {declined:,} of them "
                         f"({declined / f.count:.2%})")
            text += "."
        return text

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        what, self._working_on = self._working_on, None
        self.status.show()
        self.status.stopped(message or ("Evaluation cancelled." if what == "audit"
                                        else "Calibration and coverage cancelled."))

    @Slot()
    def _cancel(self) -> None:
        if self._working_on == "audit":
            self.session.cancel_audit()
        else:
            self.trust.cancel_figures()

    @Slot()
    def _retry(self) -> None:
        self.status.show()
        if self.audit is None:
            self.session.want_audit()
        else:
            self.trust.want_figures(self.audit)

    @Slot()
    def shutdown(self) -> None:
        """Stop the trust jobs, blocking until their threads have ended."""
        self.trust.shutdown()

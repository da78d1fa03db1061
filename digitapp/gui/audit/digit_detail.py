"""One test image large, with the model's ten probabilities and its second choice."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from digitapp.app.audit import Audit
from digitapp.app.verdict import percent
from digitapp.gui.audit.digits import RIGHT, WRONG
from digitapp.gui.network_view import NetworkInputView
from digitapp.gui.probability_chart import ProbabilityChart

ZOOM = 6  # 168 x 168 pixels


class DigitDetail(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("digitDetail")
        self.image_index: int | None = None
        self.title = QLabel()
        self.title.setObjectName("detailTitle")
        self.view = NetworkInputView(zoom=ZOOM)
        self.verdict = QLabel()
        self.verdict.setObjectName("detailVerdict")
        self.verdict.setWordWrap(True)
        self.verdict.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.chart = ProbabilityChart()
        self.chart.setMaximumHeight(240)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.view, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.verdict)
        layout.addWidget(self.chart)
        layout.addStretch(1)
        self.clear()

    def clear(self, text: str = "Click an image to see it here, with the ten probabilities."
              ) -> None:
        self.image_index = None
        self.title.setText("")
        self.view.show_image(None)
        self.verdict.setText(text)
        self.chart.show_probabilities(None)

    def show_image(self, audit: Audit, index: int) -> None:
        """Show test image `index` of the audit: picture, verdict, probabilities."""
        self.image_index = index
        probs = audit.probabilities[index]
        true, predicted, second = (int(audit.labels[index]), int(audit.predictions[index]),
                                   int(audit.second[index]))
        right = true == predicted
        tone = (RIGHT if right else WRONG).name()
        self.title.setText(f"<b>Test image #{index}</b>")
        self.view.show_image(audit.images[index] / 255.0)
        outcome = "right" if right else "wrong"
        self.verdict.setText(
            f"True class <b>{true}</b>, predicted <b style='color:{tone}'>{predicted}</b> "
            f"({escape(percent(float(probs[predicted])))}, {outcome})<br>"
            f"Second choice: <b>{second}</b> ({escape(percent(float(probs[second])))})")
        self.chart.show_probabilities(probs)

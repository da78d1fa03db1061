"""The widgets of the Draw tab and where they sit (the tab itself wires their behaviour).

    +----------------------------+  Model: [mlp-512 (shipped)  v]
    |                            |  98.73% on the MNIST test set
    |          canvas            |   7    98% sure
    |                            |  [bars 0..9 ..................]  (click: keep as that digit)
    |                            |  [That's a… v] [✓ Right, keep it]   [Undo]
    |                            |  Kept as a 7 · your handwriting: …
    |                            |  [28x28]  What the network sees
    +----------------------------+  message (errors, what was opened)
    [Undo] [Clear] [Number]  Brush ---o--- 8%      (Number: a wide sheet, a whole number)

(correction.py gives the keep controls their behaviour.)
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from digitapp.gui.draw.canvas import MAX_BRUSH, MIN_BRUSH, DrawingCanvas
from digitapp.gui.draw.model_picker import ModelPicker
from digitapp.gui.network_view import NetworkInputView
from digitapp.gui.probability_chart import ProbabilityChart

SIDE_PANEL_WIDTH = 340
NETWORK_CAPTION = "What the network sees:\nthe picture reduced to 28×28 pixels, as in MNIST"


def _label(text: str, name: str, accessible: str = "") -> QLabel:
    label = QLabel(text)
    label.setObjectName(name)
    if accessible:
        label.setAccessibleName(accessible)
    return label


def _row(*items) -> QHBoxLayout:
    """Return a horizontal layout of widgets; (widget, stretch) pairs get a stretch."""
    row = QHBoxLayout()
    for item in items:
        widget, stretch = item if isinstance(item, tuple) else (item, 0)
        row.addWidget(widget, stretch)
    return row


class DrawLayout:
    """The Draw tab's widgets, created and laid out on `tab` (the tab keeps this as `ui`).

    Only the widgets the tab drives or tests read are attributes; captions stay local.
    """

    def __init__(self, tab: QWidget) -> None:
        # Left: the canvas above its tools.
        self.canvas = DrawingCanvas()
        self.undo_button = QPushButton("&Undo")
        self.undo_button.setObjectName("undoButton")
        self.undo_button.setToolTip("Undo the last stroke (Ctrl+Z)")
        self.clear_button = QPushButton("C&lear")
        self.clear_button.setObjectName("clearButton")
        self.clear_button.setToolTip("Clear the canvas (Esc)")
        self.number_button = QPushButton("&Number")
        self.number_button.setObjectName("numberModeButton")
        self.number_button.setCheckable(True)
        self.number_button.setToolTip("Read a whole number: a wide sheet, each digit boxed "
                                      "(rest the pointer on a box for its probabilities) "
                                      "(Ctrl+N)")
        self.brush_slider = QSlider(Qt.Orientation.Horizontal)
        self.brush_slider.setObjectName("brushSlider")
        self.brush_slider.setAccessibleName("Brush width")
        self.brush_slider.setToolTip("Brush width, as a share of the canvas ([ and ] change it)")
        self.brush_slider.setRange(round(MIN_BRUSH * 100), round(MAX_BRUSH * 100))
        self.brush_slider.setPageStep(2)
        self.brush_slider.setMinimumWidth(80)  # it shrank to a knob in a small window
        brush_label = _label("&Brush", "brushLabel")
        brush_label.setBuddy(self.brush_slider)
        self.brush_value = _label("", "brushValue")
        self.brush_value.setMinimumWidth(
            self.brush_value.fontMetrics().horizontalAdvance("100%"))

        tools = QHBoxLayout()
        tools.addWidget(self.undo_button)
        tools.addWidget(self.clear_button)
        tools.addWidget(self.number_button)
        tools.addSpacing(16)
        tools.addWidget(brush_label)
        tools.addWidget(self.brush_slider, 1)
        tools.addWidget(self.brush_value)
        left = QVBoxLayout()
        left.addWidget(self.canvas, 1)
        left.addLayout(tools)

        # Right: the model, the answer, the ten bars, the 28x28 image, the message.
        self.picker = ModelPicker()
        model_label = _label("&Model", "modelLabel")
        model_label.setBuddy(self.picker)
        self.model_info = _label("", "modelInfo")
        self.digit_label = _label("–", "predictedDigit", "Predicted digit")
        big = QFont(self.digit_label.font())
        big.setPixelSize(72)
        big.setBold(True)
        self.digit_label.setFont(big)
        self.digit_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.digit_label.setMinimumWidth(self.digit_label.fontMetrics().horizontalAdvance("00"))
        self.verdict_label = _label("", "verdict", "Confidence")
        self.verdict_label.setWordWrap(True)
        larger = QFont(self.verdict_label.font())
        larger.setPointSizeF(larger.pointSizeF() * 1.3)
        self.verdict_label.setFont(larger)
        self.chart = ProbabilityChart()
        # Lower than the chart's own minimum, so the panel with its keep controls still
        # fits a window 560 px tall (the bars stay readable at this height).
        self.chart.setMinimumHeight(130)
        self.network_view = NetworkInputView()
        self.network_caption = _label(NETWORK_CAPTION, "networkInputCaption")
        self.network_caption.setWordWrap(True)
        # Corrections: say what the drawing really is (the menu lists 0-9 with their keys).
        self.keep_button = QPushButton("&That's a…")
        self.keep_button.setObjectName("keepAsButton")
        self.keep_button.setToolTip("Teach digitapp your handwriting: say which digit this "
                                    "drawing really is, and keep it (keys 0-9)")
        self.confirm_button = QPushButton("✓ &Right, keep it")
        self.confirm_button.setObjectName("confirmButton")
        self.kept_label = _label("", "keptMessage", "Kept drawings")
        self.kept_label.setWordWrap(True)
        self.undo_keep_button = QPushButton("Und&o keep")
        self.undo_keep_button.setObjectName("undoKeepButton")
        self.undo_keep_button.setToolTip("Remove the drawing just kept from your handwriting")
        self.message = _label("", "drawMessage", "Message")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        right = QVBoxLayout()
        right.addLayout(_row(model_label, (self.picker, 1)))
        right.addWidget(self.model_info)
        right.addSpacing(8)
        right.addLayout(_row(self.digit_label, (self.verdict_label, 1)))
        right.addWidget(self.chart, 1)
        right.addLayout(_row(self.keep_button, self.confirm_button, (QWidget(), 1),
                             self.undo_keep_button))
        right.addWidget(self.kept_label)
        right.addLayout(_row(self.network_view, (self.network_caption, 1)))
        right.addWidget(self.message)
        panel = QWidget()
        panel.setObjectName("predictionPanel")
        panel.setLayout(right)
        panel.setFixedWidth(SIDE_PANEL_WIDTH)

        layout = QHBoxLayout(tab)
        layout.addLayout(left, 1)
        layout.addWidget(panel)

        self._keep_widgets = (self.keep_button, self.confirm_button, self.kept_label,
                              self.undo_keep_button)

        QWidget.setTabOrder(self.canvas, self.undo_button)
        QWidget.setTabOrder(self.undo_button, self.clear_button)
        QWidget.setTabOrder(self.clear_button, self.number_button)
        QWidget.setTabOrder(self.number_button, self.brush_slider)
        QWidget.setTabOrder(self.brush_slider, self.picker)
        QWidget.setTabOrder(self.picker, self.keep_button)
        QWidget.setTabOrder(self.keep_button, self.confirm_button)
        QWidget.setTabOrder(self.confirm_button, self.undo_keep_button)

    def show_keep_controls(self, shown: bool) -> None:
        """Show or hide the keep controls (hidden in number mode: keeping is per digit).
        Undo keep stays hidden until the next keep."""
        for widget in self._keep_widgets:
            widget.setVisible(shown and widget is not self.undo_keep_button)

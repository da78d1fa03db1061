"""The widgets of the Draw tab and where they sit (the tab itself wires their behaviour).

    +----------------------------+  Model: [mlp-512 (shipped)  v]
    |                            |  98.73% on the MNIST test set
    |          canvas            |   7    98% sure
    |                            |  [bars 0..9 ..................]
    |                            |  [28x28]  What the network sees
    +----------------------------+  message (errors, what was opened)
    [Undo] [Clear]  Brush ---o--- 8%
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


def build_layout(tab: QWidget) -> None:
    """Create the Draw tab's widgets as attributes of `tab` and lay them out."""
    tab.canvas = DrawingCanvas()
    tab.undo_button = QPushButton("&Undo")
    tab.undo_button.setObjectName("undoButton")
    tab.undo_button.setToolTip("Undo the last stroke (Ctrl+Z)")
    tab.clear_button = QPushButton("C&lear")
    tab.clear_button.setObjectName("clearButton")
    tab.clear_button.setToolTip("Clear the canvas (Esc)")
    tab.brush_slider = QSlider(Qt.Orientation.Horizontal)
    tab.brush_slider.setObjectName("brushSlider")
    tab.brush_slider.setAccessibleName("Brush width")
    tab.brush_slider.setToolTip("Brush width, as a share of the canvas ([ and ] change it)")
    tab.brush_slider.setRange(round(MIN_BRUSH * 100), round(MAX_BRUSH * 100))
    tab.brush_slider.setPageStep(2)
    brush_label = _label("&Brush", "brushLabel")
    brush_label.setBuddy(tab.brush_slider)
    tab.brush_value = _label("", "brushValue")
    tab.brush_value.setMinimumWidth(tab.brush_value.fontMetrics().horizontalAdvance("100%"))

    tools = QHBoxLayout()
    tools.addWidget(tab.undo_button)
    tools.addWidget(tab.clear_button)
    tools.addSpacing(16)
    tools.addWidget(brush_label)
    tools.addWidget(tab.brush_slider, 1)
    tools.addWidget(tab.brush_value)
    left = QVBoxLayout()
    left.addWidget(tab.canvas, 1)
    left.addLayout(tools)

    tab.picker = ModelPicker()
    model_label = _label("&Model", "modelLabel")
    model_label.setBuddy(tab.picker)
    tab.model_info = _label("", "modelInfo")
    tab.digit_label = _label("–", "predictedDigit", "Predicted digit")
    big = QFont(tab.digit_label.font())
    big.setPixelSize(72)
    big.setBold(True)
    tab.digit_label.setFont(big)
    tab.digit_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    tab.digit_label.setMinimumWidth(tab.digit_label.fontMetrics().horizontalAdvance("00"))
    tab.verdict_label = _label("", "verdict", "Confidence")
    tab.verdict_label.setWordWrap(True)
    larger = QFont(tab.verdict_label.font())
    larger.setPointSizeF(larger.pointSizeF() * 1.3)
    tab.verdict_label.setFont(larger)
    tab.chart = ProbabilityChart()
    tab.network_view = NetworkInputView()
    sees = _label("What the network sees:\nthe picture reduced to 28×28 pixels, "
                  "as in MNIST", "networkInputCaption")
    sees.setWordWrap(True)
    tab.message = _label("", "drawMessage", "Message")
    tab.message.setWordWrap(True)
    tab.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

    right = QVBoxLayout()
    right.addLayout(_row(model_label, (tab.picker, 1)))
    right.addWidget(tab.model_info)
    right.addSpacing(8)
    right.addLayout(_row(tab.digit_label, (tab.verdict_label, 1)))
    right.addWidget(tab.chart, 1)
    right.addLayout(_row(tab.network_view, (sees, 1)))
    right.addWidget(tab.message)
    panel = QWidget()
    panel.setObjectName("predictionPanel")
    panel.setLayout(right)
    panel.setFixedWidth(SIDE_PANEL_WIDTH)

    layout = QHBoxLayout(tab)
    layout.addLayout(left, 1)
    layout.addWidget(panel)

    QWidget.setTabOrder(tab.canvas, tab.undo_button)
    QWidget.setTabOrder(tab.undo_button, tab.clear_button)
    QWidget.setTabOrder(tab.clear_button, tab.brush_slider)
    QWidget.setTabOrder(tab.brush_slider, tab.picker)

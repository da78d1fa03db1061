"""Why this digit: the saliency of the winning digit (or the runner-up) over the 28x28 input.

A passive view: the window computes the map (app/saliency.py) for the digit chosen here and
hands it over; `choice_changed` asks for the other digit's.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from digitapp.gui.inside.image_view import ImageView
from digitapp.gui.inside.pictures import heat_overlay, rgba_image

ZOOM = 6  # 168 x 168 pixels
EXPLAIN = ("Gradient × input: how much each pixel of the drawing pushes the digit's score. "
           "<span style='color:#e0502a'>Red</span> speaks for it, "
           "<span style='color:#2f6fd6'>blue</span> against it.")


def ranked(probabilities: np.ndarray) -> tuple[int, int]:
    """Return (winner, runner-up) digits of probabilities (K,)."""
    order = np.argsort(-probabilities, kind="stable")
    return int(order[0]), int(order[1])


class SaliencyView(QGroupBox):
    """The input with its saliency over it, and the choice of digit: winner or runner-up."""

    choice_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Why this digit", parent)
        self.setObjectName("saliencyView")
        self.image = ImageView(28, 28, ZOOM)
        self.image.setObjectName("saliencyImage")
        self.image.setAccessibleName("Saliency over the drawing")
        self.heat: np.ndarray | None = None  # the map on screen (28, 28)
        self.shown_digit: int | None = None
        self.winner_button = QRadioButton("Winner")
        self.winner_button.setObjectName("saliencyWinner")
        self.winner_button.setChecked(True)
        self.runner_up_button = QRadioButton("Runner-up")
        self.runner_up_button.setObjectName("saliencyRunnerUp")
        self.winner_button.setToolTip("Show the pixels behind the digit the network chose")
        self.runner_up_button.setToolTip("Show the pixels behind its second choice")
        group = QButtonGroup(self)
        group.addButton(self.winner_button)
        group.addButton(self.runner_up_button)
        group.buttonToggled.connect(self._on_toggled)
        self.caption = QLabel(EXPLAIN)
        self.caption.setWordWrap(True)
        self.caption.setObjectName("saliencyCaption")
        buttons = QVBoxLayout()
        buttons.addWidget(self.winner_button)
        buttons.addWidget(self.runner_up_button)
        buttons.addStretch(1)
        top = QHBoxLayout()
        top.addWidget(self.image)
        top.addLayout(buttons, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.caption)

    def runner_up(self) -> bool:
        """Whether the runner-up's map is asked for (else the winner's)."""
        return self.runner_up_button.isChecked()

    def show_map(self, image28: np.ndarray | None, heat: np.ndarray | None,
                 probabilities: np.ndarray | None) -> None:
        """Show heat (28, 28) over image28, for the digit chosen among `probabilities`."""
        self.heat = heat
        if image28 is None or heat is None or probabilities is None:
            self.image.set_image(None)
            self.shown_digit = None
            _set_text(self.winner_button, "Winner")
            _set_text(self.runner_up_button, "Runner-up")
            return
        winner, second = ranked(probabilities)
        _set_text(self.winner_button, f"Winner: {winner} ({probabilities[winner]:.0%})")
        _set_text(self.runner_up_button, f"Runner-up: {second} ({probabilities[second]:.0%})")
        self.shown_digit = second if self.runner_up() else winner
        self.image.set_image(rgba_image(heat_overlay(image28, heat)))

    def _on_toggled(self, _button, checked: bool) -> None:
        if checked:
            self.choice_changed.emit()


def _set_text(button: QRadioButton, text: str) -> None:
    """Change a button's text only when it differs (a change relays out the panel)."""
    if button.text() != text:
        button.setText(text)

"""Corrections in the Draw tab: the user says what the drawing really is, and it is kept.

Three ways in, one path: a digit key 0-9 (while the tab is shown), a click on that
digit's bar, or the "That's a…" button's menu ("✓ Right" keeps a right answer) all call
`keep(label)`. It keeps, in the handwriting collection, the 28x28 the network saw (the
shown prediction's), the picture as shown (PNG), the pen strokes and the model's answer.
Keeping the same drawing again (no change to the canvas since) relabels it instead of
adding a second copy. The feedback line says what was kept, with an Undo that removes it.

Per mouse move only two trivial things run here: `forget_drawing` (one assignment) and
`follow` (enables the controls when an answer appears or goes, only on a change).
"""

from __future__ import annotations

import logging

import numpy as np
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, Qt, Slot
from PySide6.QtGui import QAction, QImage, QKeySequence
from PySide6.QtWidgets import QMenu

from digitapp.app.classify import Prediction
from digitapp.gui.draw.ink import PlacedImage, Stroke
from digitapp.gui.handwriting_collection import HandwritingCollection
from digitapp.store.drawing_rows import MAX_POINTS, MAX_STROKES, Drawing, PenStroke
from digitapp.store.handwriting import StoreError

log = logging.getLogger(__name__)

DIGITS = range(10)
NO_COLLECTION = "Keeping drawings is not available here."
HINT = "Wrong? Press the right digit (0-9) or click its bar to teach digitapp."


def a_digit(digit: int) -> str:
    """Return "a 7", "an 8": the article as the digit is said."""
    return f"{'an' if digit == 8 else 'a'} {digit}"


def keep_tip(digit: int) -> str:
    return (f"Teach digitapp your handwriting: keep this drawing as {a_digit(digit)} "
            f"(key {digit})")


def picture_png(image: QImage) -> bytes:
    """Return `image` encoded as PNG bytes."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise ValueError("the picture could not be encoded as PNG")
    buffer.close()
    return bytes(data.data())


def pen_strokes(steps: list[Stroke | PlacedImage]) -> list[PenStroke] | None:
    """Return the canvas's steps as the store keeps strokes: [(brush, float32 (N, 2) points
    in shares of the sheet)]. None when a picture was placed (strokes alone would not make
    the drawing again) or when there are more strokes or points than the store keeps."""
    if any(isinstance(step, PlacedImage) for step in steps):
        return None
    if len(steps) > MAX_STROKES or sum(len(s.points) for s in steps) > MAX_POINTS:
        return None
    # A pen dragged off the canvas reports points far outside the sheet; that ink is not
    # on the picture, and the store refuses points beyond [-1, 2].
    return [(float(s.width), np.clip(np.asarray(s.points, np.float32).reshape(-1, 2), -1, 2))
            for s in steps]


def drawing_to_keep(label: int, prediction: Prediction, picture: QImage,
                    steps: list[Stroke | PlacedImage], model_name: str) -> Drawing:
    """Return the Drawing for `label` of what the tab shows: `prediction` (its 28x28 and
    answer, digit None when declined), the picture as shown, the canvas's steps."""
    declined = prediction.digit is None
    return Drawing(
        label=label,
        image28=prediction.image28,
        picture=picture_png(picture),
        strokes=pen_strokes(steps),
        predicted=None if declined else prediction.digit,
        confidence=None if declined else float(np.clip(prediction.confidence, 0.0, 1.0)),
        model=model_name,
        source="file" if any(isinstance(s, PlacedImage) for s in steps) else "canvas",
    )


class Corrections(QObject):
    """The Draw tab's corrections: its controls' behaviour and what was kept last.

    `tab` is the DrawTab (its ui holds the widgets, DrawLayout); `collection` the shared
    HandwritingCollection, or None (a tab made without one: the controls are hidden).
    """

    def __init__(self, tab, collection: HandwritingCollection | None) -> None:
        super().__init__(tab)
        self.tab, self.ui, self.collection = tab, tab.ui, collection
        self.kept: Drawing | None = None  # kept from the drawing now on the canvas
        self.undoable: Drawing | None = None  # the last keep, which Undo removes
        self._can_keep: bool | None = None
        self._answer: int | None = -1  # the digit the ✓ button keeps (None: declined)

        self.keep_actions: list[QAction] = []
        menu = QMenu(self.ui.keep_button)
        menu.setObjectName("keepAsMenu")
        menu.setToolTipsVisible(True)
        for digit in DIGITS:
            action = QAction(f"Keep as {a_digit(digit)}", tab)
            action.setObjectName(f"actionKeepAs{digit}")
            action.setShortcut(QKeySequence(str(digit)))
            # In the window while the tab is shown (Qt ignores shortcuts of hidden widgets'
            # actions): the keys work from the tab bar and after a drop too, and digits
            # typed in the other tabs stay theirs. A text field would keep its digits.
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.setToolTip(keep_tip(digit))
            action.setData(digit)
            action.triggered.connect(self._on_keep_action)
            tab.addAction(action)
            menu.addAction(action)
            self.keep_actions.append(action)
        self.ui.keep_button.setMenu(menu)
        self.ui.confirm_button.clicked.connect(self.keep_answer)
        self.ui.undo_keep_button.clicked.connect(self.undo_keep)
        self.ui.chart.digit_clicked.connect(self.keep)
        tab.prediction_shown.connect(self.follow)
        self.ui.canvas.changed.connect(self.forget_drawing)
        self._say(HINT)
        if collection is None:
            for widget in (self.ui.keep_button, self.ui.confirm_button, self.ui.kept_label):
                widget.hide()
        self.follow(None)

    # -- following the answer (per prediction: only enabling, only on a change) -------------
    @Slot(object)
    def follow(self, prediction: Prediction | None) -> None:
        can_keep = prediction is not None and self.collection is not None
        if can_keep != self._can_keep:
            self._can_keep = can_keep
            for action in self.keep_actions:
                action.setEnabled(can_keep)
            self.ui.keep_button.setEnabled(can_keep)
            self.ui.chart.set_clickable(can_keep)
        answer = prediction.digit if can_keep else None
        if answer != self._answer:
            self._answer = answer
            self.ui.confirm_button.setEnabled(answer is not None)
            self.ui.confirm_button.setToolTip(
                keep_tip(answer) if answer is not None else
                "Teach digitapp your handwriting: keep a drawing whose answer is right "
                "(when it names no digit, say which it is with a key 0-9 or That's a…)")

    @Slot()
    def forget_drawing(self) -> None:
        """The canvas changed: the next keep is a new drawing."""
        self.kept = None

    # -- keeping -------------------------------------------------------------------------
    @Slot()
    def _on_keep_action(self) -> None:
        self.keep(int(self.sender().data()))

    @Slot()
    def keep_answer(self) -> None:
        """Keep the drawing as the digit the model named (the answer is right)."""
        prediction = self.tab.last_prediction
        if prediction is not None and prediction.digit is not None:
            self.keep(prediction.digit)

    @Slot(int)
    def keep(self, label: int) -> None:
        """Keep the drawing on the canvas as `label` (or relabel it if kept already)."""
        if self.collection is None:
            self._say(NO_COLLECTION)
            return
        if self.tab.prediction_pending():  # keep what is drawn now, not 16 ms ago
            self.tab.predict_now()
        prediction = self.tab.last_prediction
        if prediction is None:
            self._say("Draw a digit first, then say which it is.")
            return
        try:
            if self.kept is not None:
                self._relabel(label)
            else:
                self._add(label, prediction)
        except (StoreError, ValueError) as exc:  # StoreBusy is a StoreError
            self._say(f"Could not keep the drawing: {exc}")
        except Exception as exc:  # a bug: say so, never abort the event loop
            log.exception("keeping the drawing failed")
            self._say(f"Could not keep the drawing ({type(exc).__name__}: {exc})")

    def _add(self, label: int, prediction: Prediction) -> None:
        snapshot = self.tab.active_model.snapshot
        drawing = drawing_to_keep(label, prediction, self.ui.canvas.screen_image(),
                                  self.ui.canvas.steps, snapshot.name if snapshot else "")
        drawing.id = self.collection.add(drawing)
        self.kept = self.undoable = drawing
        right = "" if prediction.digit != label else " (the answer was right)"
        self._say(f"Kept as {a_digit(label)}{right}{self._summary(label)}", undo=True)

    def _relabel(self, label: int) -> None:
        kept = self.kept
        if kept.label == label:
            self._say(f"Already kept as {a_digit(label)}{self._summary(label)}", undo=True)
            return
        if self.collection.store.get(kept.id) is None:  # removed meanwhile (My handwriting)
            self.kept = None
            self._add(label, self.tab.last_prediction)
            return
        self.collection.relabel(kept.id, label)
        old, kept.label = kept.label, label
        self.undoable = kept
        self._say(f"Now kept as {a_digit(label)}, not {a_digit(old)}{self._summary(label)}",
                  undo=True)

    @Slot()
    def undo_keep(self) -> None:
        """Remove the drawing the last keep stored."""
        drawing = self.undoable
        if drawing is None or self.collection is None:
            return
        try:
            removed = self.collection.remove([drawing.id])
        except StoreError as exc:
            self._say(f"Could not remove it: {exc}", undo=True)
            return
        self.undoable = None
        if self.kept is drawing:
            self.kept = None
        gone = "Removed: not kept" if removed else "It was no longer in your handwriting"
        self._say(f"{gone}{self._summary(None)}")

    # -- feedback ------------------------------------------------------------------------
    def _summary(self, label: int | None) -> str:
        """Return " · your handwriting: 23 drawings, 4 of them 7s", or "" if unreadable.
        (Counted anew each time, one small query: exact even when another program, e.g.
        `digitapp handwriting add`, changed the collection.)"""
        try:
            counts = self.collection.store.counts()
        except StoreError:
            return ""
        total = int(counts.sum())
        text = f" · your handwriting: {total} drawing{'' if total == 1 else 's'}"
        if label is not None and total > 1:
            text += f", {counts[label]} of them {label}s"
        return text

    def _say(self, text: str, undo: bool = False) -> None:
        self.ui.kept_label.setText(text)
        if not undo and self.ui.undo_keep_button.hasFocus():
            self.ui.canvas.setFocus()  # not lost with the hidden button: keys keep working
        self.ui.undo_keep_button.setVisible(undo)


__all__ = ["Corrections", "drawing_to_keep", "pen_strokes", "picture_png"]

"""The Draw tab: draw a digit (or drop or paste a picture of one) and watch the network answer.

The canvas says when the picture changed; the tab asks the active model at most 60 times
a second (classifying one 28x28 image takes well under a millisecond, so this runs on the
GUI thread) and shows the answer: the digit and how sure, the ten probabilities as bars,
and the 28x28 image the network saw. Every picture, drawn, dropped or pasted, goes the
same way: canvas -> gray() -> digitapp.app.classify.classify_image -> to_mnist28 -> model.

Number mode (the Number button, Ctrl+N) widens the sheet to NUMBER_ASPECT and reads every
digit: segmenting is not for the GUI thread, so number_reader.py reads in a thread of its
own (the newest drawing first, stale ones skipped), and the answer shows the number, each
digit boxed on the canvas (its probabilities in the box's tooltip), and the bars and
28x28 of the least sure digit. Keeping a drawing in the handwriting collection is for
single digits: it is off in number mode.
"""

from __future__ import annotations

import contextlib
import logging
import time
from pathlib import Path

from PySide6.QtCore import QMimeData, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QGuiApplication,
    QHideEvent,
    QKeySequence,
    QShowEvent,
)
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from digitapp.app.calibration import UNCALIBRATED, stored_temperature
from digitapp.app.classify import Prediction, classify_image
from digitapp.app.verdict import percent, verdict
from digitapp.data.preprocess import ImageError, NoDigit, load_grayscale
from digitapp.engine import ModelError
from digitapp.engine.blas import BLAS
from digitapp.gui.active_model import ActiveModel, ModelSnapshot
from digitapp.gui.draw.correction import Corrections
from digitapp.gui.draw.image_import import can_import, import_picture
from digitapp.gui.draw.layout import NETWORK_CAPTION, DrawLayout
from digitapp.gui.draw.number_reader import NumberRead, NumberReader
from digitapp.gui.draw.number_view import number_shown
from digitapp.gui.draw.throttle import RateLimiter
from digitapp.gui.handwriting_collection import HandwritingCollection
from digitapp.gui.save_places import pictures_path

log = logging.getLogger(__name__)

MIN_INTERVAL = 1 / 60  # seconds between two predictions while drawing (<= 60 per second)
BRUSH_KEY = "draw/brush_width"
NO_MODEL = "no model: choose one with Open model folder"
NUMBER_ASPECT = 3.0  # the number sheet is three times as wide as tall
DIGIT_PIXELS = 72  # the answer's size for one digit; longer numbers get smaller
IMAGE_FILTER = "Images (*.png *.jpg *.jpeg *.bmp *.gif *.tif *.tiff *.webp);;All files (*)"


class DrawTab(QWidget):
    prediction_shown = Signal(object)  # Prediction, or None (no digit, no model): on screen
    number_shown = Signal(object)  # NumberRead: a number mode answer is on screen
    show_requested = Signal()  # one of the tab's menu actions wants the tab in front

    def __init__(self, active_model: ActiveModel,
                 handwriting: HandwritingCollection | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("drawTab")
        self.setAcceptDrops(True)
        self.active_model = active_model
        self.last_prediction: Prediction | None = None
        self.ui = DrawLayout(self)  # canvas, buttons, brush, picker, digit, chart, 28x28 view
        # Say what the drawing really is (keys 0-9, a bar, That's a…): kept in `handwriting`.
        self.corrections = Corrections(self, handwriting)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self.predict_now)
        self._limiter = RateLimiter(MIN_INTERVAL)
        self.number_reader = NumberReader(self)
        self.number_reader.read.connect(self._on_number_read)
        self._ticket = 0  # the newest number request's
        self._valid_from = 0  # answers to older requests are stale (mode, model, clear)
        self.last_number: NumberRead | None = None

        self._build_actions()
        self.ui.canvas.changed.connect(self._on_canvas_changed)
        self.ui.canvas.brush_width_changed.connect(self._on_brush_changed)
        self.ui.undo_button.clicked.connect(self.ui.canvas.undo)
        self.ui.clear_button.clicked.connect(self.ui.canvas.clear)
        self.ui.brush_slider.valueChanged.connect(
            lambda v: self.ui.canvas.set_brush_width(v / 100))
        self.ui.picker.model_chosen.connect(self.use_model)
        self.ui.picker.open_folder_requested.connect(self.open_model_folder)
        active_model.changed.connect(self._on_model_changed)

        brush = QSettings().value(BRUSH_KEY)
        if brush is not None:
            # A hand-edited settings file may hold anything: then keep the default.
            with contextlib.suppress(TypeError, ValueError):
                self.ui.canvas.set_brush_width(float(brush))
        self._on_brush_changed(self.ui.canvas.brush_width)
        # The app's root restores the saved model once the tabs exist (changed follows);
        # a tab made for a model already active shows it at once.
        if active_model.snapshot is not None:
            self._on_model_changed(active_model.snapshot)
        else:
            self._show(None, NO_MODEL)

    # -- actions (the main window puts them in its menus) ----------------------------------
    def _build_actions(self) -> None:
        def action(text, name, shortcut, slot, canvas_bound=True) -> QAction:
            a = QAction(text, self)
            a.setObjectName(name)
            a.setShortcut(QKeySequence(shortcut))
            a.triggered.connect(slot)
            if canvas_bound:  # only while the tab is visible (hideEvent/showEvent)
                self._canvas_actions.append(a)
                a.setEnabled(False)
            return a

        self._canvas_actions: list[QAction] = []
        self.open_image_action = action("&Open image…", "actionOpenImage", "Ctrl+O",
                                        self.open_image, canvas_bound=False)
        self.save_drawing_action = action("&Save drawing…", "actionSaveDrawing", "Ctrl+S",
                                          self.save_drawing)
        self.choose_model_action = action("Choose &model", "actionChooseModel", "Ctrl+M",
                                          self.choose_model, canvas_bound=False)
        self.open_model_action = action("Open model &folder…", "actionOpenModelFolder",
                                        "Ctrl+Shift+O", self.open_model_folder,
                                        canvas_bound=False)
        self.undo_action = action("&Undo stroke", "actionUndo", "Ctrl+Z", self.ui.canvas.undo)
        self.clear_action = action("&Clear", "actionClear", "Esc", self.ui.canvas.clear)
        self.paste_action = action("&Paste image", "actionPaste", "Ctrl+V", self.paste)
        self.thinner_action = action("&Thinner brush", "actionThinner", "[",
                                     lambda: self._step_brush(-1))
        self.thicker_action = action("T&hicker brush", "actionThicker", "]",
                                     lambda: self._step_brush(+1))
        self.number_action = action("Read a &number", "actionNumberMode", "Ctrl+N",
                                    self.ui.number_button.toggle)
        self.ui.number_button.toggled.connect(self.set_number_mode)
        # None: a separator.
        self.file_actions = [self.open_image_action, self.save_drawing_action, None,
                             self.choose_model_action, self.open_model_action]
        self.edit_actions = [self.undo_action, self.clear_action, self.paste_action, None,
                             self.thinner_action, self.thicker_action, None,
                             self.number_action]

    def showEvent(self, event: QShowEvent) -> None:  # Qt override
        for a in self._canvas_actions:
            a.setEnabled(True)
        super().showEvent(event)

    def hideEvent(self, event: QHideEvent) -> None:  # Qt override
        for a in self._canvas_actions:
            a.setEnabled(False)
        super().hideEvent(event)

    # -- prediction ------------------------------------------------------------------------
    def _on_canvas_changed(self) -> None:
        self.ui.message.clear()
        if self.number_mode() and self.active_model.snapshot is not None \
                and not self.ui.canvas.is_blank():
            # The reader reads the newest drawing whenever it is free: no throttle here.
            self._request_number(self.active_model.snapshot.model)
            return
        if not self._timer.isActive():
            wait = self._limiter.delay(time.perf_counter())
            self._timer.start(round(wait * 1000))  # 0: as soon as pending events are handled

    def prediction_pending(self) -> bool:
        """Return whether a change is waiting for the throttled prediction."""
        return self._timer.isActive()

    # -- number mode ------------------------------------------------------------------------
    def number_mode(self) -> bool:
        return self.ui.number_button.isChecked()

    def set_number_mode(self, on: bool) -> None:
        """Read a whole number on a wide sheet (on), or one digit on the square one."""
        if self.ui.number_button.isChecked() != on:
            self.ui.number_button.setChecked(on)  # toggled comes back here
            return
        self._valid_from = self._ticket + 1
        self.last_number = None
        self.ui.canvas.set_aspect(NUMBER_ASPECT if on else 1.0)  # changed: predicts again
        self.ui.canvas.set_boxes([])
        self.ui.show_keep_controls(not on and self.corrections.collection is not None)
        self.ui.network_caption.setText(NETWORK_CAPTION)
        self.ui.canvas.setAccessibleDescription(
            ("Write a number, digit after digit. " if on else "Draw one digit. ") +
            "Ctrl+Z undoes the last stroke, Escape clears. An image file can be dropped "
            "here or pasted with Ctrl+V.")
        self.predict_now()

    def _request_number(self, model) -> None:
        self._ticket += 1
        self.number_reader.request(self._ticket, model, self.ui.canvas.gray())

    def _on_number_read(self, result: NumberRead) -> None:
        if not self.number_mode() or result.ticket < self._valid_from:
            return  # the drawing, the model or the mode changed since it was asked
        self.last_number = result
        if result.reading is None:
            self._show(None, result.reason)
            self.ui.canvas.set_boxes([])
        else:
            shown = number_shown(result.reading)
            focus = result.reading.digits[shown.focus].prediction
            self._set_answer_text(shown.text)
            self.ui.digit_label.setEnabled(shown.sure)
            self.ui.verdict_label.setText(shown.verdict)
            self.ui.verdict_label.setToolTip(shown.detail)
            self.ui.digit_label.setAccessibleDescription(f"{shown.text}, {shown.verdict}")
            self.ui.chart.show_probabilities(focus.probabilities, greyed=focus.digit is None)
            self.ui.network_view.show_image(focus.image28)
            count = len(result.reading.digits)
            self.ui.network_caption.setText(
                NETWORK_CAPTION if count == 1 else
                f"What the network sees of digit {shown.focus + 1} of {count} (the bars: "
                "that digit). Rest the pointer on a box for the others.")
            self.ui.canvas.set_boxes([(d.box, tip) for d, tip in
                                      zip(result.reading.digits, shown.tips, strict=True)])
            self.last_prediction = None
            self.prediction_shown.emit(None)  # keeping is for single digits
        self.number_shown.emit(result)

    def _set_answer_text(self, text: str) -> None:
        """Show the answer, smaller when it is a long number, so that it fits."""
        font = self.ui.digit_label.font()
        size = DIGIT_PIXELS if len(text) <= 2 else max(30, round(DIGIT_PIXELS * 2.4 / len(text)))
        if font.pixelSize() != size:
            font.setPixelSize(size)
            self.ui.digit_label.setFont(font)
        self.ui.digit_label.setText(text)

    def shutdown(self) -> None:
        """End the number reader's thread (the app's root calls this when quitting)."""
        self.number_reader.shutdown()

    def predict_now(self) -> None:
        """Classify the canvas with the active model and show the answer (number mode:
        ask the number reader, which shows its answer when it has read)."""
        self._timer.stop()
        snapshot = self.active_model.snapshot
        prediction, reason = None, ""
        if self.number_mode():
            if snapshot is not None and not self.ui.canvas.is_blank():
                self._request_number(snapshot.model)
                return
            self._valid_from = self._ticket + 1  # an answer still coming is stale
            self.ui.canvas.set_boxes([])
            self._show(None, NO_MODEL if snapshot is None else "no number: write one")
            return
        if snapshot is None:
            reason = NO_MODEL
        elif self.ui.canvas.is_blank():
            reason = "no digit: draw one"
        else:
            try:
                # One BLAS thread: on the GUI thread of a busy two-core machine, OpenBLAS's
                # second thread made one CNN prediction take 20-30 ms instead of 1.3 ms.
                with BLAS.limited(1):
                    prediction = classify_image(snapshot.model, self.ui.canvas.gray())
            except NoDigit as exc:
                reason = str(exc)
            except ModelError as exc:  # outputs that are not numbers (weights overflowing)
                reason = str(exc)
            except ValueError as exc:  # a model whose inputs are not 28x28 images
                reason = f"this model cannot read 28x28 images ({exc})"
            except MemoryError:  # a big model on a machine short of memory
                reason = "not enough memory to classify with this model"
            except Exception as exc:  # a bug: say so on screen, never abort the event loop
                log.exception("classifying the drawing failed")
                reason = f"could not classify the drawing ({type(exc).__name__}: {exc})"
        self._show(prediction, reason)

    def _show(self, prediction: Prediction | None, reason: str) -> None:
        self.last_prediction = prediction
        if prediction is None:
            self._set_answer_text("–")
            self.ui.digit_label.setEnabled(False)
            self.ui.verdict_label.setText(reason)
            self.ui.verdict_label.setToolTip("")
            self.ui.digit_label.setAccessibleDescription(reason)
            self.ui.chart.show_probabilities(None)
            self.ui.network_view.show_image(None)
        elif prediction.digit is None:  # declined by the not-a-digit check
            self._set_answer_text("?")
            self.ui.digit_label.setEnabled(False)
            self.ui.verdict_label.setText(prediction.reason)
            self.ui.verdict_label.setToolTip(
                f"The model alone would say {prediction.best} "
                f"({percent(prediction.confidence)}), but the drawing does not look like "
                "any digit it knows, so no digit is named.")
            self.ui.digit_label.setAccessibleDescription(f"no digit: {prediction.reason}")
            self.ui.chart.show_probabilities(prediction.probabilities, greyed=True)
            self.ui.network_view.show_image(prediction.image28)
        else:
            said = verdict(prediction.probabilities)
            self._set_answer_text(str(said.digit))
            self.ui.digit_label.setEnabled(said.sure)  # greyed when the network hesitates
            self.ui.verdict_label.setText(said.text)
            self.ui.verdict_label.setToolTip(said.detail)
            self.ui.digit_label.setAccessibleDescription(f"{said.digit}, {said.text}")
            self.ui.chart.show_probabilities(prediction.probabilities)
            self.ui.network_view.show_image(prediction.image28)
        self.prediction_shown.emit(prediction)

    # -- models ------------------------------------------------------------------------------
    def show_message(self, text: str) -> None:
        """Show `text` under the prediction (the next stroke clears it)."""
        self.ui.message.setText(text)

    def use_model(self, path: str | Path) -> None:
        """Make the model folder `path` active; a bad folder leaves the current one active."""
        try:
            self.active_model.use_path(path)
        except ModelError as exc:
            current = self.active_model.snapshot
            self.ui.picker.show_model(current.path if current else None)
            keep = f"\n\nStill using {current.name}." if current else ""
            self._warn("This model cannot be used", f"{exc}{keep}")

    def _on_model_changed(self, snapshot: ModelSnapshot) -> None:
        self.ui.picker.show_model(snapshot.path)
        accuracy = snapshot.test_accuracy
        info = (f"{accuracy:.2%} on the MNIST test set" if isinstance(accuracy, float)
                else "accuracy on MNIST not recorded")
        calibrated = stored_temperature(snapshot.manifest) is not None
        if not calibrated:
            info += " · percentages not calibrated"
        self.ui.model_info.setText(info)
        self.ui.model_info.setToolTip(
            "" if calibrated else
            f"This model was {UNCALIBRATED}: its percentages may claim more certainty than "
            "it has. Train it again, or run `digitapp calibrate FOLDER`, to calibrate it. "
            "Non-digits are still declined: that check is shared by every model.")
        self.predict_now()

    def choose_model(self) -> None:
        self.show_requested.emit()
        self.ui.picker.setFocus()
        self.ui.picker.showPopup()

    def open_model_folder(self) -> None:
        self.show_requested.emit()
        start = str(self.active_model.snapshot.path.parent) if self.active_model.snapshot else ""
        folder = QFileDialog.getExistingDirectory(self, "Open a model folder", start)
        if folder:
            self.use_model(folder)

    # -- pictures in and out ----------------------------------------------------------------
    def open_image(self) -> None:
        self.show_requested.emit()
        path, _ = QFileDialog.getOpenFileName(self, "Open an image of a digit", "", IMAGE_FILTER)
        if path:
            self.load_image_file(path)

    def load_image_file(self, path: str | Path) -> None:
        try:
            self._place(load_grayscale(path), Path(path).name)
        except (ImageError, ValueError) as exc:  # ValueError: a picture the canvas refuses
            self.ui.message.setText(f"Could not open that image: {exc}")

    def import_mime(self, mime: QMimeData) -> None:
        """Put a dropped or pasted picture on the canvas, or say why it cannot be used."""
        try:
            self._place(*import_picture(mime))
        except (ImageError, ValueError) as exc:  # ValueError: a picture the canvas refuses
            self.ui.message.setText(f"Could not use that: {exc}")

    def _place(self, gray, name: str) -> None:
        self.ui.canvas.place_image(gray)
        self.ui.message.setText(f"Showing {name}. Draw over it, or press Esc to clear.")

    def paste(self) -> None:
        self.import_mime(QGuiApplication.clipboard().mimeData())

    def save_drawing(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Save the drawing",
                                              pictures_path("digit.png"), "PNG image (*.png)")
        if path:
            self.save_drawing_to(path if Path(path).suffix else f"{path}.png")

    def save_drawing_to(self, path: str | Path) -> bool:
        ok = self.ui.canvas.save(str(path))
        self.ui.message.setText(f"Saved {path}" if ok else f"Could not save {path}")
        return ok

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # Qt override
        if can_import(event.mimeData()):
            event.acceptProposedAction()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:  # Qt override
        # Qt delivers the drop only if the last move over the widget was accepted too.
        if can_import(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # Qt override
        self.import_mime(event.mimeData())
        event.acceptProposedAction()

    # -- brush -------------------------------------------------------------------------------
    def _step_brush(self, percent: int) -> None:
        self.ui.brush_slider.setValue(self.ui.brush_slider.value() + percent)

    def _on_brush_changed(self, width: float) -> None:
        self.ui.brush_slider.blockSignals(True)
        self.ui.brush_slider.setValue(round(width * 100))
        self.ui.brush_slider.blockSignals(False)
        self.ui.brush_value.setText(f"{width:.0%}")
        QSettings().setValue(BRUSH_KEY, width)

    def _warn(self, title: str, text: str) -> None:
        """Show a warning without blocking: the window stays usable (and tests can close it)."""
        box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok,
                          self)
        box.setObjectName("drawWarning")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

"""Explore a unit: its weights over the input (first layer) and the MNIST test images that
excite it most, ranked in the background for the whole layer and cached per model and layer.
"""

from __future__ import annotations

from collections.abc import Hashable

import numpy as np
from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from digitapp.analysis.control import Cancelled
from digitapp.app.inside import LayerRow
from digitapp.app.unit_response import TopImages, copy_model, input_weights, top_images
from digitapp.data.mnist import load_mnist
from digitapp.engine import Sequential
from digitapp.gui.inside.image_view import ImageView
from digitapp.gui.inside.pictures import diverging, rgba_image, scale_of, tiles_picture
from digitapp.gui.job_slot import JobSlot

HINT = "Click a unit or a feature map on the left to see what it responds to."
TILE_ZOOM = 2
WEIGHTS_SIDE = 112  # pixels across the weights picture


def weights_picture(weights: np.ndarray):
    """Return weights (h, w) as a QImage: white at 0, red positive, blue negative."""
    rgb = diverging(weights / scale_of(weights))
    rgba = np.concatenate([rgb, np.full(rgb.shape[:2] + (1,), 255, np.uint8)], axis=2)
    return rgba_image(rgba)


def ranking_work(model: Sequential, layer: int):
    """Return work(control) for the worker: rank the MNIST test set for every unit of
    `layer` of `model` (a copy nobody else uses)."""

    def work(control):
        test = load_mnist("test")
        result = yield from top_images(model, layer, test.images, test.labels, control)
        if result is None:
            raise Cancelled
        return result

    return work


class UnitExplorer(QGroupBox):
    """What one unit (or feature map) of the current model responds to."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Explore a unit", parent)
        self.setObjectName("unitExplorer")
        self.cache: dict[tuple[Hashable, int], TopImages] = {}  # (model key, layer) ->
        self.job = JobSlot(self)
        self._job_keys: dict[int, tuple[Hashable, int]] = {}  # id(worker) -> its key
        self.model: Sequential | None = None
        self.model_key: Hashable = None
        self.layer: int | None = None
        self.unit: int | None = None

        self.title = QLabel(HINT)
        self.title.setObjectName("unitTitle")
        self.title.setWordWrap(True)
        self.weights = ImageView(WEIGHTS_SIDE, WEIGHTS_SIDE)
        self.weights.setObjectName("unitWeights")
        self.weights.setAccessibleName("The unit's weights over the input")
        self.weights_caption = QLabel()
        self.weights_caption.setWordWrap(True)
        self.tiles = ImageView(3 * 28 * TILE_ZOOM + 4, 3 * 28 * TILE_ZOOM + 4)
        self.tiles.setObjectName("unitTopImages")
        self.tiles.setAccessibleName("Test images that excite the unit most")
        self.tiles_caption = QLabel()
        self.tiles_caption.setObjectName("unitTopCaption")
        self.tiles_caption.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(8)

        weights_row = QHBoxLayout()
        weights_row.addWidget(self.weights)
        weights_row.addWidget(self.weights_caption, 1)
        tiles_row = QHBoxLayout()
        tiles_row.addWidget(self.tiles)
        tiles_row.addWidget(self.tiles_caption, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(weights_row)
        layout.addLayout(tiles_row)
        layout.addWidget(self.progress)
        layout.addStretch(1)
        self._clear_pictures()

    def set_model(self, model: Sequential | None, key: Hashable) -> None:
        """Follow another model (the window's own copy): the selection is forgotten."""
        self.job.cancel()
        self.model, self.model_key = model, key
        self.layer = self.unit = None
        self.title.setText(HINT)
        self._clear_pictures()

    def explore(self, row: LayerRow, unit: int) -> None:
        """Show unit `unit` of layer `row`: weights now, its top images when ranked."""
        if self.model is None:
            return
        self.layer, self.unit = row.index, unit
        what = "feature map" if len(row.shape) == 3 else "unit"
        self.title.setText(f"<b>{row.index + 1}. {row.description}</b>, {what} {unit}")
        weights = input_weights(self.model, row.index, unit)
        self.weights.setVisible(weights is not None)
        if weights is None:
            self.weights_caption.setText("Its weights see other units, not the pixels: "
                                         "only the first layer's can be drawn as an image.")
        else:
            self.weights.zoom = max(1, WEIGHTS_SIDE // weights.shape[0])
            self.weights.set_image(weights_picture(weights))
            side = "×".join(str(d) for d in weights.shape)
            self.weights_caption.setText(
                f"Its {side} weights over the input: red pixels raise its response, blue "
                "lower it." if weights.shape[0] == 28 else
                f"Its {side} kernel, enlarged: red raises its response, blue lowers it.")
        key = (self.model_key, row.index)
        cached = self.cache.get(key)
        if cached is not None:
            self._show_top(cached)
            return
        self.tiles.set_image(None)
        self.tiles.show()
        self.tiles_caption.setText("Ranking the 10,000 MNIST test images…")
        self.progress.setValue(0)
        self.progress.show()
        if self.ranking_key() != key:
            worker = self.job.start(ranking_work(copy_model(self.model), row.index),
                                    "insideUnitThread", throttle=0.1,
                                    on_yield=self._progressed, on_finished=self._ranked)
            self._job_keys[id(worker)] = key

    def ranking_key(self) -> tuple[Hashable, int] | None:
        """The (model key, layer) the running job ranks, or None."""
        if not self.job.running() or self.job.stopping:
            return None
        return self._job_keys.get(id(self.job.worker))

    def shutdown(self) -> None:
        self.job.shutdown()

    def _progressed(self, fraction: float) -> None:
        self.progress.setValue(round(100 * fraction))

    @Slot(object)
    def _ranked(self, outcome) -> None:
        key = self._job_keys.pop(id(self.sender()), None)
        if outcome.status == "done" and key is not None:
            self.cache[key] = outcome.result
        if key is None or key != (self.model_key, self.layer):
            return  # ranked for a unit no longer shown (cached all the same)
        if outcome.status == "done":
            self._show_top(outcome.result)
        elif outcome.status == "failed":
            self.progress.hide()
            self.tiles_caption.setText(f"Could not rank the test images: {outcome.message}")

    def _show_top(self, top: TopImages) -> None:
        self.progress.hide()
        values, images, labels = top.values[self.unit], top.images[self.unit], top.labels[
            self.unit]
        self.tiles.set_image(tiles_picture(images, columns=3, zoom=TILE_ZOOM))
        self.tiles.show()
        self.tiles_caption.setText(
            f"The {len(values)} MNIST test images that excite it most (of 10,000), "
            f"strongest first: digits {' '.join(str(d) for d in labels)}; "
            f"responses {values[0]:.3g} to {values[-1]:.3g}.")

    def _clear_pictures(self) -> None:
        self.weights.set_image(None)
        self.weights.hide()
        self.weights_caption.setText("")
        self.tiles.set_image(None)
        self.tiles.hide()
        self.tiles_caption.setText("")
        self.progress.hide()


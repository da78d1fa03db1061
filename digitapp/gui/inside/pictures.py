"""Arrays to pictures for the Inside window: layouts of units and maps, colours, QImages.

Pictures are built at their final size in NumPy (each map or unit already enlarged, the gaps
transparent), once per update, so that painting is one drawImage per layer.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtGui import QImage

MAP_TARGET = 28  # a feature map is enlarged to about this many pixels across
MAP_COLUMNS = 16
UNIT_CELL = 9  # pixels per dense unit (a 1-pixel gap included); 16 for a few, 7 for many
GAP = 2  # between two feature maps
NEGATIVE = np.array([33, 102, 172], np.float32)  # blue: below zero
POSITIVE = np.array([214, 96, 77], np.float32)  # red: above zero
WHITE = np.array([255, 255, 255], np.float32)


@dataclass(frozen=True)
class Grid:
    """Where the cells of a layer's picture are: `count` cells of cell_w x cell_h pixels,
    `columns` to a row, `gap` pixels apart."""

    count: int
    columns: int
    cell_w: int
    cell_h: int
    gap: int
    zoom: int = 1  # map pixels -> picture pixels (1 for units)

    @property
    def rows(self) -> int:
        return -(-self.count // self.columns)

    @property
    def width(self) -> int:
        return self.columns * (self.cell_w + self.gap) - self.gap

    @property
    def height(self) -> int:
        return self.rows * (self.cell_h + self.gap) - self.gap

    def cell_at(self, x: float, y: float) -> int | None:
        """Return the index of the cell under picture point (x, y), or None (a gap, outside)."""
        col, dx = divmod(int(x), self.cell_w + self.gap)
        row, dy = divmod(int(y), self.cell_h + self.gap)
        index = row * self.columns + col
        if x < 0 or y < 0 or col >= self.columns or dx >= self.cell_w or dy >= self.cell_h:
            return None
        return index if index < self.count else None

    def cell_rect(self, index: int) -> tuple[int, int, int, int]:
        """Return (x, y, w, h) of cell `index` in the picture."""
        row, col = divmod(index, self.columns)
        return (col * (self.cell_w + self.gap), row * (self.cell_h + self.gap),
                self.cell_w, self.cell_h)


def grid_for(shape: tuple[int, ...]) -> Grid:
    """Return the layout of a layer's output of `shape`: (H, W, C) maps or (units,)."""
    if len(shape) == 3:
        h, w, c = shape
        zoom = max(1, round(MAP_TARGET / max(h, w)))
        return Grid(c, min(c, MAP_COLUMNS), w * zoom, h * zoom, GAP, zoom)
    units = int(np.prod(shape))
    if units <= 32:
        columns, cell = units, 16
    else:
        columns, cell = (48, UNIT_CELL) if units <= 512 else (64, 7)
    return Grid(units, columns, cell - 1, cell - 1, 1)


def scale_of(values: np.ndarray) -> float:
    """Return the largest magnitude in `values` (at least a tiny positive number)."""
    return max(float(np.abs(values).max(initial=0.0)), 1e-6)


def maps_picture(maps: np.ndarray, grid: Grid) -> QImage:
    """Return the feature maps (H, W, C) as grayscale tiles: 0 black, the layer's largest
    value white (signed layers: 0 mid-grey, -largest black)."""
    scale = scale_of(maps)
    signed = float(maps.min(initial=0.0)) < 0
    level = (0.5 + 0.5 * maps / scale) if signed else maps / scale  # (H, W, C) in [0, 1]
    gray = np.clip(level * 255 + 0.5, 0, 255).astype(np.uint8)
    tiles = np.transpose(gray, (2, 0, 1))  # (C, H, W)
    tiles = tiles.repeat(grid.zoom, axis=1).repeat(grid.zoom, axis=2)  # (C, h, w)
    return _tiled(np.repeat(tiles[..., None], 3, axis=3), grid)


def units_picture(values: np.ndarray, grid: Grid) -> QImage:
    """Return units (U,) as coloured cells: white at 0, red above, blue below, full colour
    at the layer's largest magnitude."""
    rgb = diverging(values.reshape(-1) / scale_of(values))  # (U, 3)
    cells = np.broadcast_to(rgb[:, None, None, :], (grid.count, grid.cell_h, grid.cell_w, 3))
    return _tiled(cells, grid)


def diverging(t: np.ndarray) -> np.ndarray:
    """Return uint8 RGB (..., 3) for t in [-1, 1]: blue, white at 0, red."""
    t = np.clip(t, -1, 1)[..., None]
    ends = np.where(t < 0, NEGATIVE, POSITIVE)
    return (WHITE + np.abs(t) * (ends - WHITE) + 0.5).astype(np.uint8)


def _tiled(cells: np.ndarray, grid: Grid) -> QImage:
    """Return cells (count, cell_h, cell_w, 3) uint8 laid out on `grid` (gaps transparent)."""
    h, w, g = grid.cell_h, grid.cell_w, grid.gap
    padded = np.zeros((grid.rows * grid.columns, h + g, w + g, 4), np.uint8)  # gaps: alpha 0
    padded[: grid.count, :h, :w, :3] = cells
    padded[: grid.count, :h, :w, 3] = 255
    # (rows, columns, h+g, w+g, 4) -> (rows, h+g, columns, w+g, 4): row-major cells
    sheet = padded.reshape(grid.rows, grid.columns, h + g, w + g, 4).transpose(0, 2, 1, 3, 4)
    sheet = sheet.reshape(grid.rows * (h + g), grid.columns * (w + g), 4)
    return rgba_image(sheet[: grid.height, : grid.width])


def rgba_image(pixels: np.ndarray) -> QImage:
    """Return a QImage owning a copy of `pixels` (H, W, 4) uint8 RGBA."""
    pixels = np.ascontiguousarray(pixels)
    h, w = pixels.shape[:2]
    return QImage(pixels.data, w, h, 4 * w, QImage.Format.Format_RGBA8888).copy()


def gray_image(gray: np.ndarray) -> QImage:
    """Return a QImage owning a copy of `gray` (H, W) uint8."""
    gray = np.ascontiguousarray(gray)
    h, w = gray.shape
    return QImage(gray.data, w, h, w, QImage.Format.Format_Grayscale8).copy()


def heat_overlay(image28: np.ndarray, heat: np.ndarray) -> np.ndarray:
    """Return RGBA (28, 28, 4) uint8: the input's ink in grey on black, with `heat` (28, 28)
    over it, red where it is positive and blue where negative, opaque at its largest."""
    base = np.clip(image28, 0, 1)[..., None] * np.float32(110)  # dim ink
    t = np.clip(heat / scale_of(heat), -1, 1)[..., None]
    colour = np.where(t < 0, np.array([70, 140, 255], np.float32),
                      np.array([255, 80, 40], np.float32))
    alpha = np.abs(t) ** 0.7  # weak evidence still shows
    rgb = base * (1 - alpha) + colour * alpha
    out = np.empty((28, 28, 4), np.uint8)
    out[..., :3] = np.clip(rgb + 0.5, 0, 255).astype(np.uint8)
    out[..., 3] = 255
    return out


def tiles_picture(images: np.ndarray, columns: int, zoom: int, gap: int = 2) -> QImage:
    """Return images (k, 28, 28) uint8 (white ink on black) as an enlarged grid."""
    k, h, w = images.shape
    grid = Grid(k, columns, w * zoom, h * zoom, gap, zoom)
    tiles = images.repeat(zoom, axis=1).repeat(zoom, axis=2)
    return _tiled(np.repeat(tiles[..., None], 3, axis=3), grid)

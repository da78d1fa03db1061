"""Values of the handwriting collection checked both ways: before they are written, and
after they are read back (another program, a bad disk or an older bug may have written
the file: nothing read is trusted).

A drawing's 28x28 image is stored as MNIST stores digits, 784 bytes (pixel * 255, rounded),
so it survives a PNG export exactly; its full picture as PNG bytes (never decoded here:
`png_size` reads the header only); its pen strokes as JSON numbers. Sizes are checked in
SQL before a value is fetched (run_rows.capped).
"""

from __future__ import annotations

import json
import math
import struct
from dataclasses import dataclass

import numpy as np

from .run_rows import MAX_TEXT, BadRow, BadText

SIDE = 28
IMAGE_BYTES = SIDE * SIDE  # one uint8 per pixel
MAX_PICTURE_BYTES = 4_000_000  # a full picture's PNG (the canvas's are ~10 KB)
MAX_PICTURE_SIDE = 4096  # pixels, either side, as the PNG header says
MAX_STROKES_TEXT = 2_000_000  # bytes of a drawing's strokes as JSON
MAX_STROKES = 1000  # strokes in one drawing
MAX_POINTS = 200_000  # points in one drawing, all strokes together
SOURCES = ("canvas", "file", "import")
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

# One pen stroke: (brush width as a share of the sheet, float32 (N, 2) points (x, y) in
# shares of the sheet, y down): the Draw tab's strokes without Qt.
PenStroke = tuple[float, np.ndarray]


@dataclass
class Drawing:
    """One labelled drawing of the user's handwriting.

    label:      what the user says it is, 0..9
    image28:    float32 (28, 28) in [0, 1], white ink on black: what the network saw
                (kept as uint8 steps of 1/255, as MNIST)
    picture:    PNG bytes of the full-resolution picture (None if not kept)
    strokes:    the pen strokes when it was drawn on the canvas (None for an image file)
    predicted:  the model's answer at the time (None: it declined or was not asked)
    confidence: the model's probability for `predicted`, 0..1 (None with it)
    model:      which model answered (its folder name), "" if none
    source:     "canvas", "file" or "import"
    added:      when it was kept, ISO 8601 UTC ("" until stored)
    id:         its row in the collection (None until stored)
    """

    label: int
    image28: np.ndarray
    picture: bytes | None = None
    strokes: list[PenStroke] | None = None
    predicted: int | None = None
    confidence: float | None = None
    model: str = ""
    source: str = "canvas"
    added: str = ""
    id: int | None = None


def checked(drawing: Drawing) -> Drawing:
    """Return `drawing` with its image quantised as stored; raise ValueError with a one-line
    reason if any of its values is not something we would store."""
    label = digit_value(drawing.label, "label")
    image = image_bytes(drawing.image28)
    if drawing.picture is not None:
        png_size(drawing.picture)
    strokes = None if drawing.strokes is None else strokes_from_json(
        strokes_json(drawing.strokes))
    predicted = None if drawing.predicted is None else digit_value(drawing.predicted,
                                                                   "predicted digit")
    confidence = drawing.confidence
    if confidence is not None:
        if not _is_number(confidence) or not 0.0 <= float(confidence) <= 1.0:
            raise ValueError(f"confidence must be a number from 0 to 1, not {confidence!r}")
        confidence = float(confidence)
    if drawing.source not in SOURCES:
        raise ValueError(f"source must be one of {', '.join(SOURCES)}, not {drawing.source!r}")
    model = str(drawing.model)
    if len(model.encode("utf-8", "surrogatepass")) > MAX_TEXT:
        raise ValueError("the model's name is too long")
    return Drawing(label, image_array(image), drawing.picture, strokes, predicted,
                   confidence, model, drawing.source, drawing.added, drawing.id)


def digit_value(value, name: str) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)) \
            or not 0 <= int(value) <= 9:
        raise ValueError(f"{name} must be a digit 0-9, not {value!r}")
    return int(value)


def image_bytes(image28) -> bytes:
    """Return the 784 stored bytes of a (28, 28) or (784,) image in [0, 1]."""
    array = np.asarray(image28)
    if array.size != IMAGE_BYTES or array.ndim not in (1, 2) or \
            (array.ndim == 2 and array.shape != (SIDE, SIDE)):
        raise ValueError(f"a drawing's image must be 28x28, not {array.shape}")
    if not np.issubdtype(array.dtype, np.number) or not np.isfinite(array).all():
        raise ValueError("a drawing's image must hold finite numbers")
    if array.min() < 0.0 or array.max() > 1.0:
        raise ValueError("a drawing's image must hold values from 0 to 1")
    return np.rint(array.astype(np.float64) * 255).astype(np.uint8).tobytes()


def image_array(raw) -> np.ndarray:
    """Return float32 (28, 28) in [0, 1] from 784 stored bytes; BadRow if they are not."""
    if not isinstance(raw, bytes) or len(raw) != IMAGE_BYTES:
        size = len(raw) if isinstance(raw, (bytes, str)) else type(raw).__name__
        raise BadRow(f"its image is not 784 bytes ({size})")
    return np.frombuffer(raw, np.uint8).reshape(SIDE, SIDE).astype(np.float32) / 255


def png_size(data) -> tuple[int, int]:
    """Return (width, height) from a PNG's header; ValueError unless `data` is PNG bytes of
    a sane size (the picture itself is not decoded)."""
    if not isinstance(data, bytes):
        raise ValueError("a picture must be PNG bytes")
    if len(data) > MAX_PICTURE_BYTES:
        raise ValueError(f"a picture is too large ({len(data):,} bytes; "
                         f"limit {MAX_PICTURE_BYTES:,})")
    if len(data) < 33 or not data.startswith(_PNG_SIGNATURE) or data[12:16] != b"IHDR":
        raise ValueError("a picture is not a PNG")
    width, height = struct.unpack(">II", data[16:24])
    if not (1 <= width <= MAX_PICTURE_SIDE and 1 <= height <= MAX_PICTURE_SIDE):
        raise ValueError(f"a picture is {width}x{height} pixels "
                         f"(limit {MAX_PICTURE_SIDE} a side)")
    return width, height


def strokes_json(strokes: list[PenStroke]) -> str:
    """Return the JSON text of `strokes`: [[brush, [x0, y0, x1, y1, ...]], ...]."""
    if not isinstance(strokes, (list, tuple)) or len(strokes) > MAX_STROKES:
        raise ValueError(f"a drawing has at most {MAX_STROKES} strokes")
    out = []
    for entry in strokes:
        if not isinstance(entry, (list, tuple)) or len(entry) != 2:
            raise ValueError("a stroke must be (brush, points)")
        brush, points = entry
        points = np.asarray(points, dtype=np.float64)
        if points.ndim != 2 or points.shape[1] != 2:
            raise ValueError(f"a stroke's points must be (N, 2), not {points.shape}")
        out.append([float(brush), [round(float(v), 5) for v in points.ravel()]])
    text = json.dumps(out, allow_nan=True, separators=(",", ":"))
    strokes_from_json(text)  # the same checks as on reading back
    return text


def strokes_from_json(text) -> list[PenStroke] | None:
    """Return the strokes stored as `text` (None stays None); BadRow if they are not ours."""
    if text is None:
        return None
    if isinstance(text, BadText) or not isinstance(text, str):
        raise BadRow("its strokes are not text")
    if len(text) > MAX_STROKES_TEXT:
        raise BadRow("its strokes are too long")
    try:
        value = json.loads(text, parse_constant=_no_constant)
    except (ValueError, RecursionError):
        raise BadRow("its strokes are not JSON") from None
    if not isinstance(value, list) or len(value) > MAX_STROKES:
        raise BadRow(f"its strokes are not a list of at most {MAX_STROKES}")
    strokes, total = [], 0
    for entry in value:
        if not (isinstance(entry, list) and len(entry) == 2 and _is_number(entry[0])
                and isinstance(entry[1], list) and len(entry[1]) % 2 == 0):
            raise BadRow("a stroke is not [brush, [x, y, ...]]")
        brush, flat = float(entry[0]), entry[1]
        total += len(flat) // 2
        if total > MAX_POINTS:
            raise BadRow(f"its strokes have more than {MAX_POINTS:,} points")
        if not all(_is_number(v) for v in flat) or not 0.0 < brush <= 1.0:
            raise BadRow("a stroke holds a value that is not a finite number in range")
        points = np.asarray(flat, dtype=np.float32).reshape(-1, 2)
        if points.size and (points.min() < -1.0 or points.max() > 2.0):
            raise BadRow("a stroke's points lie far outside the sheet")
        strokes.append((brush, points))
    return strokes


def _no_constant(name: str):
    raise ValueError(f"{name} is not a number we store")


def _is_number(value) -> bool:
    return (isinstance(value, (int, float, np.integer, np.floating))
            and not isinstance(value, (bool, np.bool_)) and math.isfinite(float(value)))


def drawing_from_row(row: tuple, full: bool) -> Drawing:
    """Return the Drawing of a row (id, label, added, image28, predicted, confidence, model,
    source[, picture, strokes]); BadRow with the reason if any value is not ours."""
    ident, label, added, image, predicted, confidence, model, source = row[:8]
    if not isinstance(ident, int):
        raise BadRow("its id is not a whole number")
    try:
        label = digit_value(label, "label")
        predicted = None if predicted is None else digit_value(predicted, "predicted")
    except ValueError as exc:
        raise BadRow(str(exc)) from None
    if confidence is not None and (not _is_number(confidence)
                                   or not 0.0 <= float(confidence) <= 1.0):
        raise BadRow("its confidence is not a number from 0 to 1")
    for name, text in (("time", added), ("model", model), ("source", source)):
        if not isinstance(text, str):
            raise BadRow(f"its {name} is not text")
    if source not in SOURCES:
        raise BadRow(f"its source {source[:40]!r} is not one of ours")
    drawing = Drawing(label, image_array(image), None, None, predicted,
                      None if confidence is None else float(confidence), model, source,
                      added, ident)
    if full:
        picture, strokes = row[8:10]
        if picture is not None:
            try:
                png_size(picture)
            except ValueError as exc:
                raise BadRow(f"its picture: {exc}") from None
        drawing.picture = picture
        drawing.strokes = strokes_from_json(strokes)
    return drawing

"""Pictures that arrive by drag and drop or the clipboard, turned into grayscale arrays.

Files are read by digitapp.data.preprocess.load_grayscale, the same reader `digitapp
predict` uses; an image handed over in memory (a screenshot on the clipboard) is written
to a temporary PNG and read the same way, so transparency and 16-bit images are treated
identically whichever way a picture comes in.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
from PySide6.QtCore import QMimeData
from PySide6.QtGui import QImage

from digitapp.data.preprocess import ImageError, load_grayscale


def can_import(mime: QMimeData) -> bool:
    """Return whether `mime` holds something to try: a local file or an image."""
    return mime.hasImage() or any(url.isLocalFile() for url in mime.urls())


def import_picture(mime: QMimeData) -> tuple[np.ndarray, str]:
    """Return (float32 (H, W) in [0, 1], a name for messages) from dropped or pasted data.

    Raises ImageError with a one-line reason when there is no usable picture.
    """
    files = [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]
    if files:
        return load_grayscale(files[0]), files[0].name
    if mime.hasImage():
        image = mime.imageData()
        if isinstance(image, QImage) and not image.isNull():
            return gray_from_qimage(image), "the pasted image"
    if mime.urls():
        raise ImageError("only files on this computer can be opened, not web addresses")
    raise ImageError("there is no image here: drop or copy an image file of a digit")


def gray_from_qimage(image: QImage) -> np.ndarray:
    """Return float32 (H, W) in [0, 1] from a QImage, through the file reader."""
    with tempfile.TemporaryDirectory(prefix="digitapp-") as folder:
        path = Path(folder) / "picture.png"
        if not image.save(str(path), "PNG"):
            raise ImageError("the image could not be read")
        return load_grayscale(path)

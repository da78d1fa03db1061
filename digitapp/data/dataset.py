"""A labelled set of 28x28 digit images, the normalisation the network sees, and IDX loading.

`to_inputs` is THE normalisation of the app: training, evaluation and live prediction all
feed the network uint8 pixels divided by 255, flattened to 784 values.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np

from digitapp.data.errors import DatasetError
from digitapp.data.idx import read_idx

IMAGE_SIDE = 28
NUM_PIXELS = IMAGE_SIDE * IMAGE_SIDE  # 784
NUM_CLASSES = 10


# eq=False: the generated __eq__ would compare arrays element-wise and fail on `if a == b`.
@dataclass(frozen=True, eq=False)
class Dataset:
    """Images and their labels, checked on construction.

    images: (N, 28, 28) uint8, white ink (255) on black (0) like MNIST.
    labels: (N,) uint8, digits 0..9.
    """

    images: np.ndarray  # (N, 28, 28) uint8
    labels: np.ndarray  # (N,) uint8

    def __post_init__(self) -> None:
        check_arrays(self.images, self.labels, "images", "labels")

    def __len__(self) -> int:
        return len(self.labels)

    def __repr__(self) -> str:
        return f"Dataset(n={len(self)})"

    def inputs(self) -> np.ndarray:
        """Return the network's inputs: float32 (N, 784) in [0, 1]."""
        return to_inputs(self.images)


def to_inputs(images: np.ndarray) -> np.ndarray:
    """Return float32 (N, 784) inputs in [0, 1] from uint8 images (N, 28, 28) or (N, 784).

    This is the one normalisation used in training and inference: x / 255.
    """
    images = np.asarray(images)
    # Refuse floats: scaling an already scaled image by 1/255 again is a silent, costly bug.
    if images.dtype != np.uint8:
        raise TypeError(f"to_inputs expects uint8 pixels 0..255, got {images.dtype}")
    if images.ndim not in (2, 3) or images.shape[1:] not in ((IMAGE_SIDE, IMAGE_SIDE), (784,)):
        raise ValueError(f"to_inputs expects (N, 28, 28) or (N, 784), got {images.shape}")
    out = images.reshape(len(images), NUM_PIXELS).astype(np.float32)
    out /= np.float32(255.0)  # in place: no second (N, 784) temporary
    return out


def check_arrays(
    images: np.ndarray, labels: np.ndarray, images_name: str, labels_name: str
) -> None:
    """Raise DatasetError unless images (N, 28, 28) uint8 and labels (N,) uint8 in 0..9 match.

    The names (usually file paths) appear in the messages so a user knows which file is bad.
    """
    if not isinstance(images, np.ndarray) or not isinstance(labels, np.ndarray):
        raise DatasetError("images and labels must be NumPy arrays")
    if images.ndim != 3 or images.shape[1:] != (IMAGE_SIDE, IMAGE_SIDE):
        raise DatasetError(
            f"{images_name}: expected images of shape (N, 28, 28), got {images.shape}"
        )
    if labels.ndim != 1:
        raise DatasetError(f"{labels_name}: expected labels of shape (N,), got {labels.shape}")
    if images.dtype != np.uint8 or labels.dtype != np.uint8:
        raise DatasetError(
            f"{images_name}, {labels_name}: expected uint8 arrays, "
            f"got {images.dtype} and {labels.dtype}"
        )
    if len(images) != len(labels):
        raise DatasetError(
            f"{images_name} holds {len(images)} images but {labels_name} holds {len(labels)} labels"
        )
    if labels.size and labels.max() >= NUM_CLASSES:
        bad = int(np.argmax(labels >= NUM_CLASSES))
        raise DatasetError(
            f"{labels_name}: label {labels[bad]} at index {bad} is outside 0..{NUM_CLASSES - 1}"
        )


def load_idx_dataset(
    images_path: str | os.PathLike[str], labels_path: str | os.PathLike[str]
) -> Dataset:
    """Return the Dataset held by an IDX images file (N, 28, 28) and an IDX labels file (N,).

    Works for MNIST and any other IDX dataset of 28x28 images with labels 0..9. Raises
    DatasetError (IdxError for a malformed file) with a one-line message naming the file.
    """
    # Shapes checked from the headers: a 1x14000x14000 "image" is refused before 196 MB.
    images = read_idx(images_path, record_shape=(IMAGE_SIDE, IMAGE_SIDE))
    labels = read_idx(labels_path, record_shape=())
    check_arrays(images, labels, str(images_path), str(labels_path))
    return Dataset(images, labels)


def class_counts(labels: np.ndarray) -> np.ndarray:
    """Return (10,) int64: how many labels equal each digit."""
    return np.bincount(labels, minlength=NUM_CLASSES)


HISTOGRAM_CHUNK = 1_000  # images per bincount: its int64 copy is 6 MB (28x28 images)


def pixel_histogram(images: np.ndarray) -> np.ndarray:
    """Return (256,) int64: how many pixels of the uint8 images (N, H, W) have each value.

    Counted a chunk of images at a time: bincount makes an int64 copy of its input, 8 times
    the images' size (359 MB for MNIST's 47 M training pixels).
    """
    hist = np.zeros(256, np.int64)
    for start in range(0, len(images), HISTOGRAM_CHUNK):
        hist += np.bincount(images[start : start + HISTOGRAM_CHUNK].ravel(), minlength=256)
    return hist


def dataset_info(ds: Dataset) -> dict:
    """Return a summary for `digitapp data info`.

    Keys: count (int), image_shape ((28, 28)), class_counts (list of 10 ints), and
    pixel_mean, pixel_std (floats on the network's [0, 1] scale, over all pixels).
    """
    hist = pixel_histogram(ds.images).astype(np.float64)
    levels = np.arange(256) / 255.0
    total = hist.sum()
    mean = float(hist @ levels / total) if total else 0.0
    var = float(hist @ (levels - mean) ** 2 / total) if total else 0.0
    return {
        "count": len(ds),
        "image_shape": (IMAGE_SIDE, IMAGE_SIDE),
        "class_counts": [int(c) for c in class_counts(ds.labels)],
        "pixel_mean": mean,
        "pixel_std": var**0.5,
    }

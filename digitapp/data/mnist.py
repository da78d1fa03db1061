"""The MNIST database: where its files are, how to load them, and how to check them.

The four IDX files ship in resources/mnist/ (see the README there for their origin, licence
and checksums). This module also re-exports the dataset API (Dataset, to_inputs, splits) so
that callers need one import: `from digitapp.data.mnist import load_mnist, split_train_val`.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from digitapp.data.dataset import (
    NUM_CLASSES,
    Dataset,
    check_arrays,
    class_counts,
    dataset_info,
    load_idx_dataset,
    to_inputs,
)
from digitapp.data.errors import DatasetError
from digitapp.data.idx import IdxError, parse_idx, read_idx_bytes
from digitapp.data.splits import split_train_val, subset
from digitapp.paths import resource_path

__all__ = [
    "Dataset",
    "DatasetError",
    "FileReport",
    "IdxError",
    "MNIST_CLASS_COUNTS",
    "MNIST_FILES",
    "MNIST_SHA256",
    "dataset_info",
    "load_idx_dataset",
    "load_mnist",
    "split_train_val",
    "subset",
    "to_inputs",
    "verify_mnist",
]

# split -> (images file, labels file), canonical names without ".gz"
MNIST_FILES = {
    "train": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
    "test": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
}

# SHA-256 of the *uncompressed* files: the gzip wrappers may differ, the content may not.
MNIST_SHA256 = {
    "train-images-idx3-ubyte": "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
    "train-labels-idx1-ubyte": "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
    "t10k-images-idx3-ubyte": "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
    "t10k-labels-idx1-ubyte": "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
}

# Examples of each digit 0..9.
MNIST_CLASS_COUNTS = {
    "train": (5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949),
    "test": (980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009),
}


@dataclass(frozen=True)
class FileReport:
    """The verdict on one MNIST file, as `digitapp data verify` prints it."""

    name: str
    ok: bool
    detail: str


def load_mnist(
    split: str, directory: str | os.PathLike[str] | None = None, verify: bool = True
) -> Dataset:
    """Return the MNIST "train" (60000) or "test" (10000) split as a Dataset.

    directory defaults to the bundled resources/mnist. Each file may be gzip-compressed
    (train-images-idx3-ubyte.gz) or not (train-images-idx3-ubyte).

    verify checks the SHA-256 of the uncompressed content against the published MNIST
    checksums. It stays on by default because it is cheap: measured on this machine,
    hashing the 47 MB of training images takes about 35 ms while un-gzipping them takes
    about 140 ms, so verification adds roughly 20% to a load of about 0.2 s. Pass
    verify=False to load a deliberately modified copy. Nothing is cached: callers keep
    the Dataset they need.
    """
    if split not in MNIST_FILES:
        raise ValueError(f"split must be 'train' or 'test', got {split!r}")
    folder = _directory(directory)
    arrays = []
    names = []
    for base in MNIST_FILES[split]:
        path = find_mnist_file(folder, base)
        data = read_idx_bytes(path, _RECORD_SHAPES[base.split("-")[1]])
        if verify:
            digest = hashlib.sha256(data).hexdigest()
            if digest != MNIST_SHA256[base]:
                raise DatasetError(
                    f"{path}: SHA-256 of the uncompressed content is {digest[:16]}..., "
                    f"expected {MNIST_SHA256[base][:16]}... (damaged or not the original "
                    "MNIST file; `digitapp data verify --data DIR` checks all four, and "
                    "IDX files of your own are read by `digitapp evaluate --images FILE "
                    "--labels FILE`)"
                )
        arrays.append(parse_idx(data, source=str(path)))
        names.append(str(path))
    images, labels = arrays
    check_arrays(images, labels, *names)
    return Dataset(images, labels)


# The shape one record of each MNIST file has, by the second word of its name.
_RECORD_SHAPES = {"images": (28, 28), "labels": ()}


def find_mnist_file(directory: Path, base: str) -> Path:
    """Return the path of `base` (a canonical MNIST name) in directory, .gz or not."""
    names = (base, base + ".gz")  # uncompressed first: it loads faster
    for name in names:
        if (directory / name).is_file():
            return directory / name
    for name in names:  # a folder, FIFO or device of that name: the reader says which
        if os.path.lexists(directory / name):
            return directory / name
    raise DatasetError(f"{directory}: MNIST file {base}.gz (or {base}) not found")


def verify_mnist(directory: str | os.PathLike[str] | None = None) -> list[FileReport]:
    """Return one FileReport per MNIST file: present, parses, count, checksum, classes.

    Never raises for bad data: every problem ends up in a report's detail.
    """
    folder = _directory(directory)
    reports = []
    for split, bases in MNIST_FILES.items():
        for base in bases:
            reports.append(_verify_file(folder, split, base))
    return reports


def _verify_file(folder: Path, split: str, base: str) -> FileReport:
    try:
        path = find_mnist_file(folder, base)
    except DatasetError:
        return FileReport(base + ".gz", False, f"missing: neither {base}.gz nor {base} in {folder}")
    try:
        data = read_idx_bytes(path)
        array = parse_idx(data, source=path.name)
    except IdxError as exc:
        return FileReport(path.name, False, str(exc))

    facts, problems = [], []
    expected_n = sum(MNIST_CLASS_COUNTS[split])
    is_images = "images" in base
    shape_ok = array.shape[1:] == (28, 28) if is_images else array.ndim == 1
    what = "images 28x28" if is_images else "labels"
    if not shape_ok:
        problems.append(f"shape {array.shape}, expected {what}")
    elif len(array) != expected_n:
        problems.append(f"{len(array)} records, expected {expected_n}")
    else:
        facts.append(f"{len(array)} {what}")

    digest = hashlib.sha256(data).hexdigest()
    if digest == MNIST_SHA256[base]:
        facts.append("SHA-256 ok")
    else:
        problems.append(
            f"SHA-256 {digest[:16]}... differs from MNIST's {MNIST_SHA256[base][:16]}..."
        )

    if not is_images and shape_ok:
        if array.max() >= NUM_CLASSES:
            problems.append(f"labels outside 0..{NUM_CLASSES - 1}")
        elif tuple(class_counts(array).tolist()) == MNIST_CLASS_COUNTS[split]:
            facts.append("class counts ok")
        else:
            problems.append(f"class counts {class_counts(array).tolist()} differ from MNIST's")
    return FileReport(path.name, not problems, "; ".join(problems or facts))


def _directory(directory: str | os.PathLike[str] | None) -> Path:
    return resource_path("mnist") if directory is None else Path(directory)

"""Reading a model's .npy files without np.load: the header (float32 values, no pickle),
the file's size checked to be exactly header + values before a byte of values is read (a
200 GB sparse file is refused without being hashed), then the values read in place with
the SHA-256 of the whole file, which must be the one model.json gives.

Files are opened through an OpenedFolder (model_folder.py); every problem is a ModelError
naming the file.
"""

from __future__ import annotations

import hashlib
import math
from pathlib import Path

import numpy as np

from .model_folder import OpenedFolder, error_reason
from .model_format import ModelError

CHUNK = 1 << 20  # bytes read (and hashed) at a time


def array_shape(opened: OpenedFolder, filename: str) -> tuple[int, ...]:
    """Return the shape of the float32 array in the folder's file `filename`, from its
    header, after checking that its size is exactly header + values (a sparse or truncated
    file is refused here)."""
    path = opened.path / filename
    f, size = opened.open_file(filename)
    with f:
        try:
            shape, _, header_end = _read_header(f, path)
        except OSError as exc:
            raise ModelError(f"{path}: unreadable ({error_reason(exc)})") from None
    count = math.prod(shape)  # Python ints: a claimed 10**30 values does not overflow
    if size != header_end + 4 * count:
        raise ModelError(f"{path}: {size:,} bytes where {header_end + 4 * count:,} were "
                         f"expected for shape {shape} (truncated, or not this array)")
    return shape


def read_array(opened: OpenedFolder, filename: str, expected_sum, target: np.ndarray) -> None:
    """Fill `target` (a view into the model's parameters) from the folder's file `filename`,
    which must hold float32 values of target's shape and have the SHA-256 `expected_sum`."""
    path = opened.path / filename
    f, size = opened.open_file(filename)
    with f:
        try:
            shape, fortran_order, header_end = _read_header(f, path)
            if shape != target.shape:
                raise ModelError(f"{path}: shape {shape} does not fit the architecture "
                                 f"(expected {target.shape})")
            if size != header_end + target.nbytes:
                raise ModelError(f"{path}: {size:,} bytes where {header_end + target.nbytes:,} "
                                 "were expected (truncated, or not this array)")
            digest = _read_values(f, header_end, target, path)
        except OSError as exc:
            raise ModelError(f"{path}: unreadable ({error_reason(exc)})") from None
    if not isinstance(expected_sum, str) or digest != expected_sum.lower():
        raise ModelError(f"{path}: checksum mismatch (the file is damaged or was changed)")
    if fortran_order:  # column-major on disk (never written by digitapp, valid .npy)
        target[...] = target.reshape(-1).reshape(shape, order="F").copy()


def _read_header(f, path: Path) -> tuple[tuple[int, ...], bool, int]:
    """Return (shape, fortran_order, header length) of an .npy file of float32 values."""
    readers = {(1, 0): np.lib.format.read_array_header_1_0,
               (2, 0): np.lib.format.read_array_header_2_0}
    try:
        version = np.lib.format.read_magic(f)
        if version not in readers:
            raise ValueError(f".npy format version {version} is not supported")
        # The header is a Python literal of at most 10,000 characters, parsed without eval.
        shape, fortran_order, dtype = readers[version](f)
    except (ValueError, EOFError, SyntaxError, TypeError) as exc:
        raise ModelError(f"{path}: not a plain numeric array ({exc})") from None
    if dtype.hasobject:
        raise ModelError(f"{path}: not a plain numeric array (its values would need "
                         "unpickling, which digitapp never does)")
    if dtype != np.float32:
        raise ModelError(f"{path}: expected float32 values, found {dtype}")
    return tuple(int(d) for d in shape), bool(fortran_order), f.tell()


def _read_values(f, header_end: int, target: np.ndarray, path: Path) -> str:
    """Read the values into `target` and return the SHA-256 of the whole file."""
    digest = hashlib.sha256()
    f.seek(0)
    digest.update(_read_exactly(f, header_end, path))
    flat = target.reshape(-1)  # a view into the model's parameters: read in place
    if not np.shares_memory(flat, target):  # (not contiguous: read beside, then copy)
        flat = np.empty(target.size, dtype=np.float32)
    buffer = memoryview(flat.view(np.uint8))
    done = 0
    while done < len(buffer):
        count = f.readinto(buffer[done : done + CHUNK])
        if not count:
            raise ModelError(f"{path}: truncated (it shrank while being read)")
        digest.update(buffer[done : done + count])
        done += count
    if f.read(1):
        raise ModelError(f"{path}: longer than its header says (it grew while being read)")
    if not np.shares_memory(flat, target):
        target[...] = flat.reshape(target.shape)
    return digest.hexdigest()


def _read_exactly(f, count: int, path: Path) -> bytes:
    data = b""
    while len(data) < count:
        more = f.read(count - len(data))
        if not more:
            raise ModelError(f"{path}: truncated")
        data += more
    return data

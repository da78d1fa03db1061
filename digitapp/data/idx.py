"""Read and write IDX files, the format of the MNIST database.

An IDX file is a 4-byte magic number, one big-endian uint32 per dimension, then the data
in C order:

    byte 0-1   always zero
    byte 2     type code (0x08 = unsigned byte, the only type this app needs)
    byte 3     number of dimensions (1..4 here)
    4 * ndim   the dimensions, big-endian uint32, each > 0
    ...        prod(dims) bytes of data, nothing more

Files may be gzip-compressed; gzip is recognised by its magic bytes (1f 8b), not by the file
name, so a renamed or uncompressed file loads all the same. Every problem is reported as an
`IdxError` whose message is one line: "<file>: <problem>".
"""

from __future__ import annotations

import gzip
import math
import os
import struct
import zlib
from pathlib import Path

import numpy as np

from digitapp.data.errors import DatasetError

GZIP_MAGIC = b"\x1f\x8b"
UBYTE = 0x08
MAX_NDIM = 4

# Names of the type codes the IDX format defines, so that a rejected file says what it holds.
_TYPE_NAMES = {
    0x08: "unsigned byte",
    0x09: "signed byte",
    0x0B: "int16",
    0x0C: "int32",
    0x0D: "float32",
    0x0E: "float64",
}


class IdxError(DatasetError):
    """An IDX file is missing, unreadable or malformed; the message names the file."""


def read_idx(path: str | os.PathLike[str]) -> np.ndarray:
    """Return the uint8 array stored in the IDX file at `path` (raw or gzip).

    The array has the shape written in the file's header, e.g. (N, 28, 28) for MNIST images
    and (N,) for labels. Raises IdxError for a missing, corrupt or malformed file.
    """
    return parse_idx(read_idx_bytes(path), source=str(path))


def read_idx_bytes(path: str | os.PathLike[str]) -> bytes:
    """Return the uncompressed content of an IDX file, un-gzipping it if needed.

    Kept separate from `parse_idx` so that a caller can hash the exact bytes (MNIST
    checksums are those of the uncompressed files) without reading the file twice.
    """
    source = str(path)
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise IdxError(f"{source}: file not found") from None
    except IsADirectoryError:
        raise IdxError(f"{source}: is a directory, not an IDX file") from None
    except OSError as exc:
        raise IdxError(f"{source}: cannot read file ({exc.strerror or exc})") from None
    if not raw.startswith(GZIP_MAGIC):
        return raw
    try:
        return gzip.decompress(raw)
    # gzip reports a bad header or CRC as BadGzipFile (an OSError), a cut-off stream as
    # EOFError and damaged deflate data as zlib.error.
    except (OSError, EOFError, zlib.error) as exc:
        raise IdxError(f"{source}: corrupt gzip data ({exc})") from None


def parse_idx(data: bytes, source: str = "<bytes>") -> np.ndarray:
    """Return the uint8 array held by the uncompressed IDX bytes `data`.

    `source` names the origin (usually the file path) in error messages. The result is a
    writable array that owns its memory, shaped as the header says.
    """
    if len(data) < 4:
        raise IdxError(f"{source}: too short for an IDX header ({len(data)} bytes)")
    zero0, zero1, type_code, ndim = data[0], data[1], data[2], data[3]
    if zero0 != 0 or zero1 != 0:
        raise IdxError(
            f"{source}: not an IDX file (magic starts with {data[:2].hex()}, expected 0000)"
        )
    if type_code != UBYTE:
        name = _TYPE_NAMES.get(type_code)
        what = f"{name} data" if name else "an unknown data type"
        raise IdxError(
            f"{source}: type code 0x{type_code:02X} ({what}) is not supported; "
            "only 0x08 (unsigned byte) is"
        )
    if not 1 <= ndim <= MAX_NDIM:
        raise IdxError(f"{source}: {ndim} dimensions; expected 1 to {MAX_NDIM}")
    header_len = 4 + 4 * ndim
    if len(data) < header_len:
        raise IdxError(f"{source}: header cut short ({len(data)} of {header_len} bytes)")
    dims = struct.unpack(f">{ndim}I", data[4:header_len])
    if 0 in dims:
        raise IdxError(f"{source}: dimension of size 0 in shape {dims}")
    expected = math.prod(dims)
    actual = len(data) - header_len
    if actual < expected:
        raise IdxError(
            f"{source}: truncated: shape {dims} needs {expected} data bytes, found {actual}"
        )
    if actual > expected:
        raise IdxError(
            f"{source}: {actual - expected} unexpected trailing bytes after the "
            f"{expected} data bytes of shape {dims}"
        )
    # frombuffer on `bytes` is read-only; copy so that callers get an ordinary array.
    return np.frombuffer(data, dtype=np.uint8, offset=header_len).reshape(dims).copy()


def write_idx(path: str | os.PathLike[str], array: np.ndarray) -> None:
    """Write a uint8 array (1 to 4 dimensions) as an IDX file; gzip it if `path` ends in .gz.

    The gzip header carries no time stamp, so equal arrays give byte-identical files.
    """
    array = np.asarray(array)
    if array.dtype != np.uint8:
        raise ValueError(f"write_idx needs a uint8 array, got {array.dtype}")
    if not 1 <= array.ndim <= MAX_NDIM:
        raise ValueError(f"write_idx needs 1 to {MAX_NDIM} dimensions, got shape {array.shape}")
    if 0 in array.shape:
        raise ValueError(f"write_idx cannot store an empty array of shape {array.shape}")
    header = bytes([0, 0, UBYTE, array.ndim]) + struct.pack(f">{array.ndim}I", *array.shape)
    payload = header + np.ascontiguousarray(array).tobytes()
    path = Path(path)
    if path.name.endswith(".gz"):
        payload = gzip.compress(payload, mtime=0)
    path.write_bytes(payload)

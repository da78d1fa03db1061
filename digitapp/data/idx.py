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
from typing import BinaryIO

import numpy as np

from digitapp.data.errors import DatasetError
from digitapp.data.regular_file import NotRegularFile, open_regular_file

GZIP_MAGIC = b"\x1f\x8b"
UBYTE = 0x08
MAX_NDIM = 4
# Limits on what a header may announce, checked before anything is allocated. MNIST's
# training set holds 60,000 records (47 MB of images); about four times that (EMNIST's
# 240,000 digits fit) is the most a digit dataset here may hold. A header beyond it is
# damage or an attack: a 16-byte header can claim 4 billion records.
MAX_RECORDS = 250_000
MAX_DATA_BYTES = MAX_RECORDS * 28 * 28  # 196 MB, for any shape
READ_CHUNK = 1 << 20  # bytes per read: big enough to be fast, small enough to be cheap
MAX_TRAILING = 1 << 20  # trailing bytes counted (not kept) before "more than" is said

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


def read_idx(path: str | os.PathLike[str],
             record_shape: tuple[int, ...] | None = None) -> np.ndarray:
    """Return the uint8 array stored in the IDX file at `path` (raw or gzip).

    The array has the shape written in the file's header, e.g. (N, 28, 28) for MNIST images
    and (N,) for labels. record_shape, if given, is the shape one record must have ((28, 28)
    for images, () for labels), checked from the header before the data is read. Raises
    IdxError for a missing, corrupt or malformed file.
    """
    return parse_idx(read_idx_bytes(path, record_shape), source=str(path))


def read_idx_bytes(path: str | os.PathLike[str],
                   record_shape: tuple[int, ...] | None = None) -> bytearray:
    """Return the uncompressed content of an IDX file, un-gzipping it if needed.

    Kept separate from `parse_idx` so that a caller can hash the exact bytes (MNIST
    checksums are those of the uncompressed files) without reading the file twice.

    The header is read and checked first; then exactly the size it announces is allocated
    and filled, so a short header claiming gigabytes, or a small gzip file that inflates
    to gigabytes (a "gzip bomb"), is refused before any big allocation. Only regular files
    are read: a FIFO or a device would block or never end.
    """
    source = str(path)
    try:
        with open_regular_file(path) as file:
            if file.read(2) == GZIP_MAGIC:
                file.seek(0)
                # A cut-off stream raises EOFError, damaged deflate data zlib.error, a bad
                # header or CRC BadGzipFile (an OSError).
                try:
                    with gzip.GzipFile(fileobj=file, mode="rb") as stream:
                        return _read_sized(stream, source, None, record_shape)
                except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
                    raise IdxError(f"{source}: corrupt gzip data ({exc})") from None
            file.seek(0)
            return _read_sized(file, source, os.fstat(file.fileno()).st_size, record_shape)
    except FileNotFoundError:
        raise IdxError(f"{source}: file not found") from None
    except IsADirectoryError:
        raise IdxError(f"{source}: is a folder, not an IDX file") from None
    except NotRegularFile:
        raise IdxError(f"{source}: not a regular file (a FIFO, socket or device), not an "
                       "IDX file") from None
    except OSError as exc:
        raise IdxError(f"{source}: cannot read file ({exc.strerror or exc})") from None


def _read_sized(stream: BinaryIO, source: str, file_size: int | None,
                record_shape: tuple[int, ...] | None = None) -> bytearray:
    """Read one IDX file from `stream`: header first, then exactly the data it announces.

    file_size is the raw file's size when known (uncompressed files): it is checked
    against the header before anything is allocated, as is record_shape (see read_idx).
    Without it (gzip) the buffer grows as inflated data arrives: a 100-byte .gz claiming
    47 MB allocates what it holds, not what it claims.
    Returns header + data in one bytearray, so that `parse_idx` can use it without a copy.
    """
    head = _read_up_to(stream, 4)
    ndim = _check_magic(head, source)
    head += _read_up_to(stream, 4 * ndim)
    header_len = 4 + 4 * ndim
    if len(head) < header_len:
        raise IdxError(f"{source}: header cut short ({len(head)} of {header_len} bytes)")
    dims = struct.unpack(f">{ndim}I", head[4:header_len])
    if record_shape is not None and dims[1:] != tuple(record_shape):
        wanted = "labels of shape (N,)" if not record_shape else (
            f"records of shape (N, {', '.join(map(str, record_shape))})")
        raise IdxError(f"{source}: its header gives shape {dims}; expected {wanted}")
    expected = _check_dims(dims, source)
    if file_size is not None:
        _check_amount(file_size - header_len, expected, dims, source)

    if file_size is not None:  # the file holds that much: allocate it once, read into it
        content = bytearray(header_len + expected)
        content[:header_len] = head
        view = memoryview(content)
        filled = header_len
        while filled < len(content):
            got = stream.readinto(view[filled : filled + READ_CHUNK])
            if not got:
                break
            filled += got
        view.release()
    else:  # compressed: the header's size is only a claim, so grow as the data arrives
        content = bytearray(head)
        while len(content) < header_len + expected:
            part = stream.read(min(READ_CHUNK, header_len + expected - len(content)))
            if not part:
                break
            content += part
        filled = len(content)
    if filled < header_len + expected:
        _check_amount(filled - header_len, expected, dims, source)
    extra = _count_rest(stream)
    if extra:
        counted = min(extra, MAX_TRAILING)
        _check_amount(expected + counted, expected, dims, source, at_least=extra > counted)
    return content


def _read_up_to(stream: BinaryIO, size: int) -> bytes:
    """Return the next `size` bytes of stream, or fewer at its end."""
    parts, missing = [], size
    while missing > 0:
        part = stream.read(missing)
        if not part:
            break
        parts.append(part)
        missing -= len(part)
    return b"".join(parts)


def _count_rest(stream: BinaryIO) -> int:
    """Return how many bytes remain in stream, counting no further than MAX_TRAILING + 1.

    Reads chunk by chunk and keeps nothing: a gzip bomb's tail is never held in memory.
    """
    count = 0
    while count <= MAX_TRAILING:
        part = stream.read(min(READ_CHUNK, MAX_TRAILING + 1 - count))
        if not part:
            break
        count += len(part)
    return count


def parse_idx(data: bytes | bytearray, source: str = "<bytes>") -> np.ndarray:
    """Return the uint8 array held by the uncompressed IDX bytes `data`.

    `source` names the origin (usually the file path) in error messages. The result is a
    writable array shaped as the header says; it shares the memory of a bytearray `data`
    (no second copy of a big file) and copies immutable `bytes`.
    """
    ndim = _check_magic(data[:4], source)
    header_len = 4 + 4 * ndim
    if len(data) < header_len:
        raise IdxError(f"{source}: header cut short ({len(data)} of {header_len} bytes)")
    dims = struct.unpack(f">{ndim}I", data[4:header_len])
    expected = _check_dims(dims, source)
    _check_amount(len(data) - header_len, expected, dims, source)
    array = np.frombuffer(data, dtype=np.uint8, offset=header_len).reshape(dims)
    # frombuffer on `bytes` is read-only; a bytearray (from read_idx_bytes) is used as is.
    return array if array.flags.writeable else array.copy()


def _check_magic(head: bytes, source: str) -> int:
    """Check the 4-byte magic number; return the number of dimensions it announces."""
    if len(head) < 4:
        raise IdxError(f"{source}: too short for an IDX header ({len(head)} bytes)")
    zero0, zero1, type_code, ndim = head[0], head[1], head[2], head[3]
    if zero0 != 0 or zero1 != 0:
        raise IdxError(
            f"{source}: not an IDX file (magic starts with {bytes(head[:2]).hex()}, "
            "expected 0000)"
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
    return ndim


def _check_dims(dims: tuple[int, ...], source: str) -> int:
    """Refuse empty or absurd shapes; return the number of data bytes the shape needs."""
    if 0 in dims:
        raise IdxError(f"{source}: dimension of size 0 in shape {dims}")
    if dims[0] > MAX_RECORDS:
        raise IdxError(
            f"{source}: shape {dims} holds {dims[0]:,} records; the limit is {MAX_RECORDS:,}"
        )
    expected = math.prod(dims)
    if expected > MAX_DATA_BYTES:
        raise IdxError(
            f"{source}: shape {dims} needs {expected:,} data bytes; "
            f"the limit is {MAX_DATA_BYTES:,}"
        )
    return expected


def _check_amount(
    actual: int, expected: int, dims: tuple[int, ...], source: str, at_least: bool = False
) -> None:
    """Refuse a file whose data is shorter or longer than its header's shape says."""
    if actual < expected:
        raise IdxError(
            f"{source}: truncated: shape {dims} needs {expected} data bytes, found {actual}"
        )
    if actual > expected:
        more = "more than " if at_least else ""
        raise IdxError(
            f"{source}: {more}{actual - expected} unexpected trailing bytes after the "
            f"{expected} data bytes of shape {dims}"
        )


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

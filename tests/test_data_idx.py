"""IDX reading and writing: round trips and one clear error per kind of damage."""

from __future__ import annotations

import gzip
import os
import struct
import time
import tracemalloc

import numpy as np
import pytest

from digitapp.data.errors import DatasetError
from digitapp.data.idx import IdxError, read_idx, write_idx


def _header(type_code: int, dims: tuple[int, ...]) -> bytes:
    return bytes([0, 0, type_code, len(dims)]) + struct.pack(f">{len(dims)}I", *dims)


@pytest.fixture
def images() -> np.ndarray:
    rng = np.random.default_rng(0)
    return rng.integers(0, 256, size=(5, 28, 28), dtype=np.uint8)


@pytest.mark.parametrize("name", ["x-idx3-ubyte", "x-idx3-ubyte.gz"])
def test_round_trip(tmp_path, images, name):
    path = tmp_path / name
    write_idx(path, images)
    back = read_idx(path)
    assert back.dtype == np.uint8
    assert back.shape == (5, 28, 28)
    np.testing.assert_array_equal(back, images)
    assert back.flags.writeable


def test_gz_name_means_gzip_and_gzip_is_detected_by_content(tmp_path, images):
    gz = tmp_path / "a.gz"
    write_idx(gz, images)
    assert gz.read_bytes()[:2] == b"\x1f\x8b"
    # A gzip file without the .gz suffix still loads: detection is by magic bytes.
    renamed = tmp_path / "a-no-suffix"
    renamed.write_bytes(gz.read_bytes())
    np.testing.assert_array_equal(read_idx(renamed), images)


def test_gzip_output_is_reproducible(tmp_path, images):
    write_idx(tmp_path / "a.gz", images)
    write_idx(tmp_path / "b.gz", images)
    assert (tmp_path / "a.gz").read_bytes() == (tmp_path / "b.gz").read_bytes()


def test_raw_layout_matches_the_format(tmp_path):
    labels = np.array([3, 1, 4], dtype=np.uint8)
    write_idx(tmp_path / "l", labels)
    assert (tmp_path / "l").read_bytes() == _header(0x08, (3,)) + bytes([3, 1, 4])


def _expect_error(path, *words):
    with pytest.raises(IdxError) as info:
        read_idx(path)
    message = str(info.value)
    assert str(path) in message
    assert "\n" not in message
    for word in words:
        assert word in message
    return message


def test_wrong_magic(tmp_path):
    path = tmp_path / "bad-magic"
    path.write_bytes(b"\x01\x02\x08\x01" + struct.pack(">I", 1) + b"\x00")
    _expect_error(path, "not an IDX file")


def test_text_file_is_not_idx(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("hello, this is not an IDX file\n")
    _expect_error(path, "not an IDX file")


@pytest.mark.parametrize("code, name", [(0x0D, "float32"), (0x0C, "int32"), (0x42, "unknown")])
def test_unsupported_type_code(tmp_path, code, name):
    path = tmp_path / "typed"
    path.write_bytes(_header(code, (2,)) + b"\x00" * 8)
    _expect_error(path, f"0x{code:02X}", name, "not supported")


@pytest.mark.parametrize("ndim", [0, 5])
def test_bad_rank(tmp_path, ndim):
    path = tmp_path / "rank"
    path.write_bytes(bytes([0, 0, 8, ndim]) + struct.pack(f">{ndim}I", *([1] * ndim)) + b"\x00")
    _expect_error(path, "dimensions")


def test_zero_dimension(tmp_path):
    path = tmp_path / "zero"
    path.write_bytes(_header(0x08, (0, 28, 28)))
    _expect_error(path, "size 0")


def test_header_cut_short(tmp_path):
    path = tmp_path / "short-header"
    path.write_bytes(_header(0x08, (5, 28, 28))[:9])
    _expect_error(path, "header cut short")


@pytest.mark.parametrize("suffix", ["", ".gz"])
def test_truncated_data(tmp_path, images, suffix):
    good = _header(0x08, images.shape) + images.tobytes()
    path = tmp_path / f"trunc{suffix}"
    data = good[:-10]
    path.write_bytes(gzip.compress(data) if suffix else data)
    _expect_error(path, "truncated", "3910", "3920")


def test_trailing_bytes(tmp_path, images):
    path = tmp_path / "trailing"
    path.write_bytes(_header(0x08, images.shape) + images.tobytes() + b"\x00\x00\x00")
    _expect_error(path, "3 unexpected trailing bytes")


def test_corrupt_gzip(tmp_path, images):
    write_idx(tmp_path / "ok.gz", images)
    blob = bytearray((tmp_path / "ok.gz").read_bytes())
    blob[len(blob) // 2] ^= 0xFF  # damage the deflate stream or its CRC
    path = tmp_path / "damaged.gz"
    path.write_bytes(bytes(blob))
    _expect_error(path, "corrupt gzip")


def test_cut_off_gzip(tmp_path, images):
    write_idx(tmp_path / "ok.gz", images)
    path = tmp_path / "cut.gz"
    path.write_bytes((tmp_path / "ok.gz").read_bytes()[:200])
    _expect_error(path, "corrupt gzip")


def test_missing_file(tmp_path):
    _expect_error(tmp_path / "nowhere-idx1-ubyte.gz", "not found")


def test_directory_is_not_a_file(tmp_path):
    _expect_error(tmp_path, "is a folder")


def test_idx_error_is_a_dataset_error_and_a_value_error():
    assert issubclass(IdxError, DatasetError)
    assert issubclass(IdxError, ValueError)


def test_write_rejects_what_idx_cannot_hold(tmp_path):
    with pytest.raises(ValueError, match="uint8"):
        write_idx(tmp_path / "f", np.zeros((2, 2), dtype=np.float32))
    with pytest.raises(ValueError, match="dimensions"):
        write_idx(tmp_path / "f", np.zeros((1, 1, 1, 1, 1), dtype=np.uint8))
    with pytest.raises(ValueError, match="empty"):
        write_idx(tmp_path / "f", np.zeros((0, 28), dtype=np.uint8))


# --- hostile files: sizes are checked against the header before anything is allocated -----


def _gzip_bomb(path, dims, inflated_mib):
    """Write a gzip file: an IDX header for `dims`, then `inflated_mib` MiB of zeros.

    The zeros are concatenated gzip members of 16 MiB each (about 16 KB compressed), so a
    1 GiB bomb is written in a blink and weighs about 1 MB.
    """
    member = gzip.compress(b"\x00" * (16 << 20), mtime=0)
    with open(path, "wb") as out:
        out.write(gzip.compress(_header(0x08, dims), mtime=0))
        for _ in range(inflated_mib // 16):
            out.write(member)


def test_gzip_bomb_is_refused_after_reading_at_most_a_little_more_than_the_header_says(
    tmp_path,
):
    from hostile import assert_clean_failure, run_cli

    bomb = tmp_path / "bomb-idx3-ubyte.gz"
    _gzip_bomb(bomb, (60000, 28, 28), inflated_mib=1024)  # 47 MB announced, 1 GiB inside
    assert bomb.stat().st_size < 2_000_000
    message = _expect_error(bomb, "trailing bytes", "47040000")
    assert "more than" in message
    write_idx(tmp_path / "labels.gz", np.zeros(60000, dtype=np.uint8))
    # The whole command, in a process capped at 500 MB of address space.
    outcome = run_cli("evaluate", "weights/cnn", "--images", bomb,
                      "--labels", tmp_path / "labels.gz")
    assert_clean_failure(outcome, "trailing bytes")


@pytest.mark.parametrize("dims, words", [
    ((4_000_000_000, 28, 28), ["4,000,000,000 records", "limit"]),
    ((250_001,), ["250,001 records", "limit"]),
    ((1, 65535, 65535), ["data bytes", "limit"]),
])
@pytest.mark.parametrize("suffix", ["", ".gz"])
def test_absurd_header_is_refused_before_reading_the_data(tmp_path, dims, words, suffix):
    path = tmp_path / f"huge{suffix}"
    data = _header(0x08, dims) + b"\x00" * 64
    path.write_bytes(gzip.compress(data) if suffix else data)
    _expect_error(path, *words)


def test_raw_file_size_is_checked_against_the_header_before_reading(tmp_path, monkeypatch):
    # A sparse 2 GB file behind a header announcing 47 MB: refused from its size alone.
    path = tmp_path / "sparse-idx3-ubyte"
    with open(path, "wb") as f:
        f.write(_header(0x08, (60000, 28, 28)))
        f.truncate(2 << 30)
    calls = []
    real = bytearray
    monkeypatch.setattr("builtins.bytearray", lambda *a: calls.append(a) or real(*a))
    _expect_error(path, "unexpected trailing bytes", str((2 << 30) - 16 - 47040000))
    assert not calls  # nothing was allocated for the data


def test_labels_header_at_the_limit_but_short_data_is_truncated(tmp_path):
    path = tmp_path / "short.gz"
    path.write_bytes(gzip.compress(_header(0x08, (250_000,)) + b"\x01" * 10))
    _expect_error(path, "truncated", "250000", "found 10")


def test_fifo_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "labels-idx1-ubyte"
    os.mkfifo(fifo)
    started = time.monotonic()
    _expect_error(fifo, "not a regular file")
    assert time.monotonic() - started < 5



def test_data_info_on_a_folder_holding_a_gzip_bomb_is_one_line(tmp_path):
    from hostile import assert_clean_failure, run_cli

    from digitapp.data.mnist import load_mnist

    test = load_mnist("test")
    _gzip_bomb(tmp_path / "train-images-idx3-ubyte.gz", (60000, 28, 28), inflated_mib=512)
    write_idx(tmp_path / "train-labels-idx1-ubyte.gz", np.zeros(60000, dtype=np.uint8))
    write_idx(tmp_path / "t10k-images-idx3-ubyte.gz", test.images)
    write_idx(tmp_path / "t10k-labels-idx1-ubyte.gz", test.labels)
    outcome = run_cli("data", "info", "--data", tmp_path)
    assert_clean_failure(outcome, "train-images-idx3-ubyte.gz", "trailing bytes")
    assert len(outcome.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("kind", ["fifo", "folder", "device"])
def test_a_data_folder_holding_something_else_than_a_file_says_what_it_is(tmp_path, kind):
    from hostile import assert_clean_failure, run_cli

    from digitapp.data.mnist import load_mnist

    test = load_mnist("test")
    write_idx(tmp_path / "t10k-labels-idx1-ubyte.gz", test.labels)
    images = tmp_path / "t10k-images-idx3-ubyte"
    if kind == "fifo":
        os.mkfifo(images)
    elif kind == "folder":
        images.mkdir()
    else:
        os.symlink("/dev/zero", images)
    outcome = run_cli("evaluate", "weights/cnn", "--data", tmp_path, timeout=30)
    words = "is a folder" if kind == "folder" else "not a regular file"
    assert_clean_failure(outcome, "t10k-images-idx3-ubyte", words)
    assert "not found" not in outcome.stderr


def test_images_of_the_wrong_shape_are_refused_from_the_header(tmp_path):
    """A 1x14000x14000 image (196 MB) used to be read whole before its shape was refused."""
    from hostile import assert_clean_failure, run_cli

    from digitapp.data.mnist import load_idx_dataset

    big = tmp_path / "big-idx3-ubyte"
    with open(big, "wb") as f:
        f.write(bytes([0, 0, 8, 3]) + (1).to_bytes(4, "big") + (14000).to_bytes(4, "big") * 2)
        f.truncate(16 + 14000 * 14000)  # sparse: no disk used
    write_idx(tmp_path / "labels", np.zeros(1, dtype=np.uint8))
    tracemalloc.start()
    try:
        with pytest.raises(IdxError, match=r"shape \(1, 14000, 14000\); expected records of "
                                           r"shape \(N, 28, 28\)"):
            load_idx_dataset(big, tmp_path / "labels")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 5_000_000, peak  # not the 196 MB of data
    outcome = run_cli("evaluate", "weights/cnn", "--images", big, "--labels",
                      tmp_path / "labels")
    assert_clean_failure(outcome, "14000")


def test_a_tiny_gzip_claiming_47_mb_allocates_what_it_holds_not_what_it_claims(tmp_path):
    path = tmp_path / "bomb-idx3-ubyte.gz"
    path.write_bytes(gzip.compress(struct.pack(">4B3I", 0, 0, 8, 3, 60000, 28, 28) + bytes(10)))
    assert path.stat().st_size < 100
    tracemalloc.start()
    try:
        with pytest.raises(IdxError):
            read_idx(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 5_000_000, peak  # the claim: 47,040,000 bytes

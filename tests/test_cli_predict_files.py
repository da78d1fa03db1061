"""`digitapp predict` on odd file names and special files: every file gets its line.

Each run is a separate process (tests/hostile.py: 500 MB cap, timeout) with a strict UTF-8
stdout (PYTHONIOENCODING=utf-8), the setting under which a file name that is not valid
UTF-8 used to stop the output with "surrogates not allowed".
"""

from __future__ import annotations

import json
import os
import time

import pytest
from hostile import run_cli
from PIL import Image

from digitapp.data.mnist import load_mnist

STRICT_UTF8 = {"PYTHONIOENCODING": "utf-8"}


@pytest.fixture(scope="module")
def seven(tmp_path_factory):
    """An MNIST 7 as a black-on-white 112x112 PNG, like a scan: (bytes path, digit)."""
    test = load_mnist("test")
    folder = tmp_path_factory.mktemp("digits")
    path = folder / "seven.png"
    Image.fromarray(255 - test.images[0]).resize((112, 112), Image.BILINEAR).save(path)
    return path, int(test.labels[0])


def _bad_name(folder, seven) -> bytes:
    """Copy the digit to a file whose name is not valid UTF-8; return that name as bytes."""
    name = os.path.join(os.fsencode(folder), b"bad\xff.png")
    with open(name, "wb") as out:
        out.write(seven[0].read_bytes())
    return name


def test_a_name_that_is_not_utf8_is_printed_and_the_next_file_too(tmp_path, seven):
    bad = _bad_name(tmp_path, seven)
    missing = os.path.join(os.fsencode(tmp_path), b"gone\xfe.png")
    outcome = run_cli("predict", bad, missing, seven[0], env=STRICT_UTF8)
    assert outcome.returncode == 1, outcome.stderr  # one file failed: exit 1, as before
    assert "Traceback" not in outcome.stderr and "surrogates" not in outcome.stderr
    lines = outcome.stdout.splitlines()
    assert len(lines) == 2, outcome.stdout
    assert lines[0].startswith(f"{tmp_path}/bad\ufffd.png: {seven[1]}  (")
    assert lines[1].startswith(f"{seven[0]}: {seven[1]}  (")
    assert outcome.stderr.strip() == f"digitapp: {tmp_path}/gone\ufffd.png: file not found"


def test_json_output_stays_valid_with_a_name_that_is_not_utf8(tmp_path, seven):
    bad = _bad_name(tmp_path, seven)
    outcome = run_cli("predict", "--json", bad, seven[0], env=STRICT_UTF8)
    assert outcome.returncode == 0, outcome.stderr
    rows = [json.loads(line) for line in outcome.stdout.splitlines()]
    assert [r["file"] for r in rows] == [f"{tmp_path}/bad\ufffd.png", str(seven[0])]
    assert [r["digit"] for r in rows] == [seven[1], seven[1]]
    assert "\\ud" not in outcome.stdout  # no lone surrogate escapes in the JSON


def test_a_fifo_among_the_files_is_refused_without_waiting(tmp_path, seven):
    fifo = tmp_path / "pipe.png"
    os.mkfifo(fifo)  # nobody writes to it: reading it would block for ever
    started = time.monotonic()
    outcome = run_cli("predict", "--json", fifo, seven[0], timeout=60)
    assert time.monotonic() - started < 30
    assert outcome.returncode == 1, outcome.stderr
    rows = [json.loads(line) for line in outcome.stdout.splitlines()]
    assert rows[0] == {"file": str(fifo), "error": f"{fifo}: not a regular file"}
    assert rows[1]["file"] == str(seven[0]) and rows[1]["digit"] == seven[1]
    assert outcome.stderr.strip() == f"digitapp: {fifo}: not a regular file"


def test_a_scan_near_the_pixel_limit_is_read_within_500_mb(tmp_path):
    from PIL import ImageDraw

    # 6300 x 6300 RGBA (39.7 megapixels, just under the 40 M limit): 159 MB decoded, and
    # several times that as float arrays if it were not averaged down as it is read.
    scan = Image.new("RGBA", (6300, 6300), (255, 255, 255, 255))
    ImageDraw.Draw(scan).rectangle((2900, 1500, 3400, 4800), fill=(0, 0, 0, 255))  # a "1"
    path = tmp_path / "scan.png"
    scan.save(path, compress_level=1)
    outcome = run_cli("predict", "--json", path)
    assert outcome.returncode == 0, outcome.stderr[-2000:]
    assert json.loads(outcome.stdout)["digit"] == 1

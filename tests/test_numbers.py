"""Reading numbers (data/segment.py, app/number.py, `predict --number`)."""

from __future__ import annotations

import json
from collections import deque

import numpy as np
import pytest
from PIL import Image

from digitapp.app.classify import classify_image
from digitapp.app.models import open_model
from digitapp.app.number import read_number
from digitapp.cli import main
from digitapp.data.preprocess import find_ink, to_mnist28
from digitapp.data.segment import components, digit_pieces
from testkit.number_drawings import PLAIN, NumberSample, make_number, render, written
from testkit.stroke_digits import line, stroke


@pytest.fixture(scope="module")
def cnn():
    return open_model("weights/cnn")[0]


def reference_components(mask: np.ndarray) -> int:
    """Count 8-connected components by breadth-first search."""
    seen = np.zeros(mask.shape, bool)
    count = 0
    for start in zip(*np.nonzero(mask), strict=True):
        if seen[start]:
            continue
        count += 1
        seen[start] = True
        queue = deque([start])
        while queue:
            y, x = queue.popleft()
            for dy in (-1, 0, 1):
                for dx in (-1, 0, 1):
                    q = (y + dy, x + dx)
                    if 0 <= q[0] < mask.shape[0] and 0 <= q[1] < mask.shape[1] \
                            and mask[q] and not seen[q]:
                        seen[q] = True
                        queue.append(q)
    return count


def test_components_match_a_breadth_first_search():
    rng = np.random.default_rng(0)
    for _ in range(60):
        mask = rng.random((rng.integers(1, 25), rng.integers(1, 25))) < rng.uniform(0.1, 0.6)
        labels, boxes = components(mask)
        assert len(boxes) == reference_components(mask)
        assert (labels >= 0).sum() == mask.sum() and ((labels >= 0) == mask).all()
        for k, (x0, y0, x1, y1) in enumerate(boxes):
            ys, xs = np.nonzero(labels == k)
            assert (xs.min(), ys.min(), xs.max() + 1, ys.max() + 1) == (x0, y0, x1, y1)
            # One component: no pixel of it touches a pixel of another (8-neighbours).
        padded = np.pad(labels, 1, constant_values=-1)
        for dy in (-1, 0, 1):
            for dx in (-1, 0, 1):
                other = padded[1 + dy:padded.shape[0] - 1 + dy, 1 + dx:padded.shape[1] - 1 + dx]
                clash = (labels >= 0) & (other >= 0) & (other != labels)
                assert not clash.any()


@pytest.mark.parametrize("digit", [4, 5, 7])
def test_a_digit_of_several_strokes_stays_one_digit(cnn, digit):
    assert len(PLAIN[digit]) == 2  # a 4 in two strokes, a 5's lifted bar, a 7's crossbar
    image = render(written(str(digit)), 140)
    pieces = digit_pieces(find_ink(image))
    assert len(pieces) == 1
    assert read_number(cnn, image).number == str(digit)
    # ... also between other digits.
    image = render(written(f"2{digit}0"), 140)
    assert read_number(cnn, image).number == f"2{digit}0"


def test_2026_written_in_one_go_is_read_as_2026_with_boxes_in_order(cnn):
    image = render(written("2026"), 150)
    reading = read_number(cnn, image)
    assert reading.number == "2026"
    lefts = [d.box[0] for d in reading.digits]
    assert lefts == sorted(lefts)
    for d in reading.digits:
        x0, y0, x1, y1 = d.box
        assert 0 <= x0 < x1 <= image.shape[1] and 0 <= y0 < y1 <= image.shape[0]


def test_one_digit_reads_exactly_as_a_single_digit(cnn):
    from digitapp.data.mnist import load_mnist

    test = load_mnist("test")
    for i in range(20):
        gray = 1 - np.kron(test.images[i] / 255, np.ones((4, 4)))  # a 112x112 "scan"
        reading = read_number(cnn, gray)
        single = classify_image(cnn, gray)
        assert len(reading.digits) == 1
        assert np.array_equal(reading.digits[0].prediction.image28, to_mnist28(gray))
        assert reading.digits[0].prediction.digit == single.digit
        assert reading.digits[0].prediction.confidence == pytest.approx(single.confidence)


def test_generated_numbers_with_gaps_are_read(cnn):
    rng = np.random.default_rng(424242)
    right = 0
    for _ in range(20):
        sample = make_number(rng, gap="normal", hand="neat")
        right += read_number(cnn, render(sample, 120)).number == sample.text
    assert right >= 18


def test_predict_number_json_gives_the_number_and_boxes_inside_the_image(tmp_path, capsys):
    image = render(written("2026"), 150)
    path = tmp_path / "year.png"
    Image.fromarray((image * 255).astype(np.uint8)).save(path)
    blank = tmp_path / "blank.png"
    Image.new("L", (90, 40), 255).save(blank)
    code = main(["predict", "--number", "--json", str(path), str(blank)])
    out = capsys.readouterr()
    lines = [json.loads(line) for line in out.out.splitlines()]
    assert code == 1  # the blank one is an error ("no digit found"), the number is read
    assert lines[0]["number"] == "2026" and len(lines[0]["digits"]) == 4
    height, width = image.shape
    for d in lines[0]["digits"]:
        x0, y0, x1, y1 = d["box"]
        assert 0 <= x0 < x1 <= width and 0 <= y0 < y1 <= height
        assert 0 <= d["confidence"] <= 1 and isinstance(d["digit"], int)
    assert lines[1]["number"] is None and lines[1]["error"] == "no digit found"
    assert "Traceback" not in out.err
    # Without --number, predict reads one digit as before.
    main(["predict", "--json", str(path)])
    single = json.loads(capsys.readouterr().out)
    assert "number" not in single and "probabilities" in single


def test_a_piece_that_is_not_a_digit_is_reported(cnn):
    star = [stroke(line((0.3, 0.0), (0.48, 1.0), (0.0, 0.35), (0.6, 0.35), (0.12, 1.0),
                        (0.3, 0.0)))]
    sample = written("26")
    star_placed = [(s + np.array([1.0, 0.0], np.float32)).astype(np.float32) for s in star]
    two, six = sample.digits
    six = [(s + np.array([0.9, 0.0], np.float32)).astype(np.float32) for s in six]
    reading = read_number(cnn, render(NumberSample("", "t", "t", (two, star_placed, six),
                                                   False), 150))
    assert len(reading.digits) == 3 and reading.number is None
    assert reading.digits[1].prediction.digit is None and reading.digits[1].prediction.reason
    assert reading.digits[0].prediction.digit == 2 and reading.digits[2].prediction.digit == 6


def test_what_the_draw_tab_says_of_a_number(cnn):
    from digitapp.gui.draw.number_view import number_shown

    shown = number_shown(read_number(cnn, render(written("2026"), 150)))
    assert shown.text == "2026" and shown.verdict.startswith("4 digits")
    assert len(shown.tips) == 4 and shown.tips[0].startswith("Digit 1 of 4: 2")
    assert shown.detail.count("%") == 4
    star = [stroke(line((0.3, 0.0), (0.48, 1.0), (0.0, 0.35), (0.6, 0.35), (0.12, 1.0),
                        (0.3, 0.0)))]
    two, six = written("26").digits
    star = [(s + np.array([1.0, 0.0], np.float32)).astype(np.float32) for s in star]
    six = [(s + np.array([0.9, 0.0], np.float32)).astype(np.float32) for s in six]
    shown = number_shown(read_number(cnn, render(NumberSample("", "t", "t", (two, star, six),
                                                              False), 150)))
    assert shown.text == "2?6" and shown.focus == 1 and not shown.sure
    assert shown.verdict == "piece 2 of 3 doesn't look like a digit"
    assert "doesn't look like a digit" in shown.tips[1]


def test_a_texture_of_many_marks_is_refused_quickly(cnn):
    import time

    from digitapp.data.preprocess import NoDigit

    image = np.ones((512, 1024), np.float32)
    dots = np.zeros((8, 8), bool)
    dots[:3, :3] = True  # a grid of 8,000 dots, 6 px apart: not a number
    image[np.tile(dots, (64, 128))] = 0
    started = time.perf_counter()
    with pytest.raises(NoDigit, match="separate marks"):
        read_number(cnn, image)
    assert time.perf_counter() - started < 5  # (it was minutes before marks were capped)

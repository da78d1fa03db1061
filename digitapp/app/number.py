"""Read a number: every digit of a picture, left to right, through the one preprocessing path.

    reading = read_number(model, gray)       # gray (H, W), any size and polarity
    reading.number                           # "2026", or None if a piece is not a digit
    reading.digits[i].prediction, .box       # each piece's answer and box (image pixels)

The ink is found once (preprocess.find_ink), cut into pieces (data/segment.py), each piece
made into its 28x28 exactly as a single digit is (preprocess.fit_field), and all pieces go
through the model and the not-a-digit check in one batch. A picture of one digit gives the
same 28x28 and the same answer as classify_image.

Touching digits: a piece wider than most digits is read whole and cut in two at the
valleys of its ink (segment.split_options); the best cut is kept when its two halves read
better than the whole (each piece scored by the log of its probability, a declined piece
far lower), or always when the whole is declined and far wider than a digit; each half
may be cut again (several touching digits).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..data.preprocess import WORK_SIDE, Ink, NoDigit, find_ink, fit_field, to_mnist28
from ..data.segment import SURELY_WIDE, Piece, digit_pieces, is_wide, split_options
from ..engine import Sequential
from .classify import Prediction, classify_images28

DECLINED_COST = 6.0  # a declined piece scores as if its probability were e^-6 lower
SPLIT_ROUNDS = 3  # a piece may be cut, its halves cut again...: up to 8 touching digits
SPECK = 0.15  # pieces smaller than this share of the tallest, both ways, are specks
WIDEST = 4  # a wide picture keeps ROWS rows up to this many times ROWS columns
ROWS = WORK_SIDE  # rows of the working grid of a number (when the picture has them)
# The Draw tab's number sheet is inked at this many rows (gui/draw/canvas.py): its digits
# are ~75 px tall, far above the 20 px they become, and reading it live takes half the
# time of 256 rows (bench_draw_latency.py --number: p95 25 -> 14 ms). Touching digits are
# cut a little less well at this size (bench_numbers.py: 33% -> 30.5% whole).
LIVE_ROWS = WORK_SIDE // 2


@dataclass(frozen=True)
class DigitReading:
    prediction: Prediction  # digit None: this piece is not a digit (prediction.reason)
    box: tuple[int, int, int, int]  # x0, y0, x1, y1 in the input image's pixels (ends excl.)


@dataclass(frozen=True)
class NumberReading:
    digits: tuple[DigitReading, ...]  # left to right

    @property
    def number(self) -> str | None:
        """The digits as a string, or None if any piece is not a digit."""
        if not self.digits or any(d.prediction.digit is None for d in self.digits):
            return None
        return "".join(str(d.prediction.digit) for d in self.digits)


class Memo:
    """Answers to 28x28 fields already read with one model (a drawing changes one digit
    at a time: the others' fields come out the same and are not read again). At most
    `size` answers are kept; another model starts afresh."""

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self._model: Sequential | None = None
        self._answers: dict[bytes, Prediction] = {}

    def classify(self, model: Sequential, images28: np.ndarray) -> list[Prediction]:
        if model is not self._model:
            self._model, self._answers = model, {}
        keys = [image.tobytes() for image in images28]
        missing: dict[bytes, int] = {}  # field -> its first index in images28
        for i, key in enumerate(keys):
            if key not in self._answers:
                missing.setdefault(key, i)
        if missing:
            fresh = classify_images28(model, images28[list(missing.values())])
            self._answers.update(zip(missing, fresh, strict=True))
        answers = [self._answers[key] for key in keys]
        while len(self._answers) > self.size:  # the oldest answers go first
            del self._answers[next(iter(self._answers))]
        return answers


def read_number(model: Sequential, gray: np.ndarray, memo: Memo | None = None
                ) -> NumberReading:
    """Read every digit of a picture (H, W); NoDigit if it holds no ink worth reading.
    A `memo` kept between calls (a live drawing) skips fields it has read before."""
    classify = (memo or Memo()).classify
    h, w = np.shape(gray)[:2]
    long_side = int(ROWS * min(max(w / max(h, 1), 1.0), WIDEST))
    found = find_ink(gray, long_side)
    pieces = digit_pieces(found)
    tallest = max((p.height for p in pieces), default=0)
    pieces = [p for p in pieces if max(p.width, p.height) >= SPECK * tallest]
    if len(pieces) <= 1:
        # One digit: exactly as classify_image (its working grid and its speck rule).
        image28 = to_mnist28(gray)
        prediction = classify(model, image28[None])[0]
        return NumberReading((DigitReading(prediction, _all_ink(found).image_box(
            found, gray.shape)),))
    # The pieces, and the whole ink as one digit, in one batch: a digit broken into bits
    # (a scan with a faint stroke) reads better whole than as fragments; ink wider than a
    # digit, or that the check declines whole, is never one digit.
    box = _all_ink(found)
    fields = [_field(found, p) for p in pieces]
    if is_wide(box):
        predictions = classify(model, np.stack(fields))
    else:
        *predictions, whole = classify(model, np.stack(fields + [to_mnist28(gray)]))
        if whole.digit is not None and score(whole) > sum(score(p) for p in predictions):
            return NumberReading((DigitReading(whole, box.image_box(found, gray.shape)),))
    for _ in range(SPLIT_ROUNDS):
        pieces, predictions, changed = _split_wide(model, found, pieces, predictions, classify)
        if not changed:
            break
    order = np.argsort([p.box[0] + p.box[2] for p in pieces], kind="stable")
    return NumberReading(tuple(DigitReading(predictions[i], pieces[i].image_box(found,
                                                                               gray.shape))
                               for i in order))


def _all_ink(found: Ink) -> Piece:
    """All the ink as one piece."""
    rows = np.flatnonzero(found.mask.any(axis=1))
    cols = np.flatnonzero(found.mask.any(axis=0))
    box = (int(cols[0]), int(rows[0]), int(cols[-1]) + 1, int(rows[-1]) + 1) if len(rows) \
        else (0, 0, found.mask.shape[1], found.mask.shape[0])
    return Piece(found.mask, box)


def _field(found: Ink, piece: Piece) -> np.ndarray:
    return fit_field(found, piece.mask, min_extent=1)


def score(prediction: Prediction) -> float:
    """How well a piece reads as one digit: log of its probability, lower if declined."""
    value = math.log(max(prediction.confidence, 1e-12))
    return value - DECLINED_COST if prediction.digit is None else value


def _split_wide(model, found: Ink, pieces: list[Piece], predictions: list[Prediction],
                classify):
    """Cut the wide pieces whose best cut reads better than the whole; one model batch."""
    candidates = []  # (index of the piece, (left, right))
    for i, piece in enumerate(pieces):
        if is_wide(piece):
            candidates += [(i, halves) for halves in split_options(found, piece)]
    if not candidates:
        return pieces, predictions, False
    images = np.stack([_field(found, half) for _, halves in candidates for half in halves])
    read = classify(model, images)
    best: dict[int, tuple[float, int]] = {}  # piece -> (score of its best cut, candidate)
    for k, (i, _) in enumerate(candidates):
        value = score(read[2 * k]) + score(read[2 * k + 1])
        if value > best.get(i, (-math.inf, -1))[0]:
            best[i] = (value, k)
    # A cut is kept if it reads better, or if the whole is declined and surely too wide.
    best = {i: best[i] for i in best if best[i][0] > score(predictions[i]) or (
        predictions[i].digit is None and is_wide(pieces[i], SURELY_WIDE))}
    if not best:
        return pieces, predictions, False
    new_pieces, new_predictions = [], []
    for i, piece in enumerate(pieces):
        if i in best:
            k = best[i][1]
            new_pieces += list(candidates[k][1])
            new_predictions += [read[2 * k], read[2 * k + 1]]
        else:
            new_pieces.append(piece)
            new_predictions.append(predictions[i])
    return new_pieces, new_predictions, True


__all__ = ["DigitReading", "NoDigit", "NumberReading", "read_number"]

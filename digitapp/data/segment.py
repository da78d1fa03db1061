"""Cut a picture of a number into its digits, left to right (no model here: image work only).

    found = find_ink(gray)              # preprocess.py steps 1-3, once for the whole image
    pieces = digit_pieces(found)        # one Piece per digit, in reading order
    fit_field(found, piece.mask)        # preprocess.py steps 4-7: the piece's 28x28

1. Connected ink components (8-neighbours), found from runs of ink along rows joined by
   vectorised union-find: about a millisecond a sheet. (Components of the ink's strong
   core only would keep nearly touching digits apart, but they break faint scanned
   digits into fragments; the cuts of step 3 separate digits joined by a faint bridge.)
2. Components that belong together are joined: a piece lying mostly within another's
   columns joins it when the two are stacked (a 5's detached top bar, a dotted or broken
   stroke: little vertical overlap) or when it is much shorter (a 7's separate crossbar, a
   1's flag); a small piece left over (a dot, a tick) joins its nearest piece. Two digits
   side by side overlap in height, so they stay apart even when they nearly touch.
3. Pieces much wider than a digit are offered for splitting (`split_options`): straight
   cuts at the valleys of the ink's column profile. Whether to split is decided by the
   caller with the model (app/number.py): two touching digits are a poor single digit.

Shapes: Ink arrays are (h, w) on the working grid (preprocess.WORK_SIDE); a Piece's `box`
is in working pixels, `image_box` converts it to the input image's pixels.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .preprocess import Ink

CONTAINED = 0.6  # share of the narrower piece's columns inside the other's: "within"
STACKED = 0.5  # vertical overlap below this share of the shorter one: stacked
SHORT = 0.45  # a piece this much shorter than another is a part (bar, flag, dot)
SMALL = 0.3  # pieces smaller than this share of the tallest, both ways, are parts
NEAR = 0.35  # ... and join their nearest piece within this share of its height
WIDE = 0.9  # a piece wider than this times its height may be several digits
SURELY_WIDE = 1.4  # ... and wider than this times its height surely is
MAX_PIECES = 12  # pieces of one image (more is not a number: the caller says so)


@dataclass(frozen=True)
class Piece:
    """One digit's ink: mask bool (h, w) on the working grid, box (x0, y0, x1, y1) with
    exclusive ends, in working pixels."""

    mask: np.ndarray
    box: tuple[int, int, int, int]

    @property
    def width(self) -> int:
        return self.box[2] - self.box[0]

    @property
    def height(self) -> int:
        return self.box[3] - self.box[1]

    def image_box(self, found: Ink, shape: tuple[int, int]) -> tuple[int, int, int, int]:
        """The box in the input image's pixels (H, W) = shape."""
        s = found.scale
        x0, y0, x1, y1 = self.box
        return (x0 * s, y0 * s, min(x1 * s, shape[1]), min(y1 * s, shape[0]))


def components(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return (labels int32 (h, w), -1 off ink; boxes int (n, 4) x0, y0, x1, y1 exclusive)
    of the 8-connected components of `mask`, numbered in order of their first pixel."""
    h, w = mask.shape
    padded = np.zeros((h, w + 2), np.int8)
    padded[:, 1:-1] = mask
    steps = np.diff(padded, axis=1)  # (h, w + 1): +1 where a run starts, -1 after it ends
    start_rows, starts = np.nonzero(steps == 1)
    _, ends = np.nonzero(steps == -1)  # exclusive ends; same row-major order as the starts
    runs = len(starts)
    if runs == 0:
        return np.full((h, w), -1, np.int32), np.zeros((0, 4), int)
    # Runs of the row above that touch a run (8-neighbours): columns [start - 1, end].
    stride = w + 2
    end_keys = start_rows * stride + (ends - 1)
    start_keys = start_rows * stride + starts
    above = start_rows - 1
    first = np.searchsorted(end_keys, above * stride + starts - 1, side="left")
    last = np.searchsorted(start_keys, above * stride + ends, side="right")
    first[start_rows == 0] = 0
    last[start_rows == 0] = 0
    count = np.maximum(last - first, 0)
    edge_b = np.repeat(np.arange(runs), count)
    offsets = np.arange(count.sum()) - np.repeat(np.cumsum(count) - count, count)
    edge_a = np.repeat(first, count) + offsets
    root = _join(runs, edge_a, edge_b)
    _, component = np.unique(root, return_inverse=True)  # 0.. in order of first run
    # The label image: each run's component over its columns, through a running sum.
    marks = np.zeros(h * (w + 1) + 1, np.int64)
    np.add.at(marks, start_rows * (w + 1) + starts, component + 1)
    np.add.at(marks, start_rows * (w + 1) + ends, -(component + 1))
    labels = np.cumsum(marks[:-1]).reshape(h, w + 1)[:, :w].astype(np.int32) - 1
    n = int(component.max()) + 1
    boxes = np.empty((n, 4), int)
    boxes[:, 0] = np.full(n, w)
    boxes[:, 1] = np.full(n, h)
    boxes[:, 2:] = 0
    np.minimum.at(boxes[:, 0], component, starts)
    np.minimum.at(boxes[:, 1], component, start_rows)
    np.maximum.at(boxes[:, 2], component, ends)
    np.maximum.at(boxes[:, 3], component, start_rows + 1)
    return labels, boxes


def _join(n: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Return each of n items' smallest connected item, given the edges (a[i], b[i])."""
    root = np.arange(n)
    while True:
        low = np.minimum(root[a], root[b])
        before = root.copy()
        np.minimum.at(root, a, low)
        np.minimum.at(root, b, low)
        while True:  # pointer jumping: every item straight to its current root
            jumped = root[root]
            if np.array_equal(jumped, root):
                break
            root = jumped
        if np.array_equal(root, before):
            return root


def digit_pieces(found: Ink) -> list[Piece]:
    """Return the digits' pieces of an image's ink, left to right (see the module)."""
    labels, boxes = components(found.mask)
    groups = [[i] for i in range(len(boxes))]
    group_boxes = [tuple(int(v) for v in b) for b in boxes]
    _join_parts(groups, group_boxes)
    _join_small(groups, group_boxes)
    order = sorted(range(len(groups)), key=lambda g: (group_boxes[g][0] + group_boxes[g][2]))
    pieces = []
    for g in order[:MAX_PIECES]:
        pieces.append(Piece(np.isin(labels, groups[g]), group_boxes[g]))
    return pieces


def _union(a, b):
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))


def _belongs_with(a, b) -> bool:
    """Whether boxes a and b (x0, y0, x1, y1) hold parts of one digit."""
    wa, wb = a[2] - a[0], b[2] - b[0]
    ha, hb = a[3] - a[1], b[3] - b[1]
    across = min(a[2], b[2]) - max(a[0], b[0])
    if across <= 0 or across < CONTAINED * max(1, min(wa, wb)):
        return False
    down = min(a[3], b[3]) - max(a[1], b[1])
    stacked = down < STACKED * min(ha, hb)
    short = min(ha, hb) < SHORT * max(ha, hb)
    return stacked or short


def _join_parts(groups: list[list[int]], boxes: list[tuple]) -> None:
    """Join groups that belong together until none do (few pieces: pairwise is cheap)."""
    joined = True
    while joined:
        joined = False
        for i in range(len(groups)):
            for j in range(i + 1, len(groups)):
                if _belongs_with(boxes[i], boxes[j]):
                    groups[i] += groups.pop(j)
                    boxes[i] = _union(boxes[i], boxes.pop(j))
                    joined = True
                    break
            if joined:
                break


def _join_small(groups: list[list[int]], boxes: list[tuple]) -> None:
    """Join small pieces (dots, ticks, flags) to the nearest big piece close enough."""
    if len(groups) < 2:
        return
    tallest = max(b[3] - b[1] for b in boxes)
    small = [i for i, b in enumerate(boxes)
             if b[3] - b[1] < SMALL * tallest and b[2] - b[0] < SMALL * tallest]
    big = [i for i in range(len(boxes)) if i not in small]
    if not big:
        return
    moves = {}
    for i in small:
        best, gap = None, None
        for j in big:
            d = _gap(boxes[i], boxes[j])
            if d <= NEAR * (boxes[j][3] - boxes[j][1]) and (gap is None or d < gap):
                best, gap = j, d
        if best is not None:
            moves[i] = best
    for i in sorted(moves, reverse=True):
        j = moves[i]
        groups[j] += groups[i]
        boxes[j] = _union(boxes[j], boxes[i])
    for i in sorted(moves, reverse=True):
        groups.pop(i)
        boxes.pop(i)


def _gap(a, b) -> float:
    """The distance between two boxes (0 when they overlap)."""
    dx = max(0, max(a[0], b[0]) - min(a[2], b[2]))
    dy = max(0, max(a[1], b[1]) - min(a[3], b[3]))
    return float(np.hypot(dx, dy))


def is_wide(piece: Piece, ratio: float = WIDE) -> bool:
    """Whether a piece is wider than `ratio` times its height: maybe several digits."""
    return piece.width > ratio * piece.height


def split_options(found: Ink, piece: Piece, most: int = 3) -> list[tuple[Piece, Piece]]:
    """Ways to cut a wide piece in two (left, right): up to `most` straight cuts at the
    valleys of its ink's column profile between 25% and 75% of its width, lowest first."""
    x0, y0, x1, y1 = piece.box
    profile = (found.ink[y0:y1, x0:x1] * piece.mask[y0:y1, x0:x1]).sum(axis=0)
    smooth = np.convolve(profile, np.ones(3) / 3, mode="same")
    width = x1 - x0
    low, high = int(0.25 * width), int(np.ceil(0.75 * width))
    if high - low < 1:
        return []
    inner = smooth[low:high]
    valleys = [low + i for i in range(len(inner))
               if (i == 0 or inner[i] <= inner[i - 1]) and
               (i == len(inner) - 1 or inner[i] <= inner[i + 1])]
    valleys.sort(key=lambda c: smooth[c])
    options = []
    for cut in valleys[:most]:
        left = piece.mask.copy()
        left[:, x0 + cut:] = False
        right = piece.mask & ~left
        halves = [_piece_of(left), _piece_of(right)]
        if all(p is not None for p in halves):
            options.append((halves[0], halves[1]))
    return options


def _piece_of(mask: np.ndarray) -> Piece | None:
    rows, cols = np.flatnonzero(mask.any(axis=1)), np.flatnonzero(mask.any(axis=0))
    if not len(rows):
        return None
    return Piece(mask, (int(cols[0]), int(rows[0]), int(cols[-1]) + 1, int(rows[-1]) + 1))

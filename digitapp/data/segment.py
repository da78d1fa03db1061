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

from .preprocess import Ink, NoDigit

CONTAINED = 0.6  # share of the narrower piece's columns inside the other's: "within"
STACKED = 0.5  # vertical overlap below this share of the shorter one: stacked
SHORT = 0.45  # a piece this much shorter than another is a part (bar, flag, dot)
SMALL = 0.3  # pieces smaller than this share of the tallest, both ways, are parts
NEAR = 0.35  # ... and join their nearest piece within this share of its height
WIDE = 0.9  # a piece wider than this times its height may be several digits
SURELY_WIDE = 1.4  # ... and wider than this times its height surely is
MAX_PIECES = 12  # pieces of one image (more is not a number: the caller says so)
MAX_MARKS = 300  # connected marks of one image: more is a texture or noise, not a number


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
    """Return the digits' pieces of an image's ink, left to right (see the module).

    Raises NoDigit for ink in more than MAX_MARKS separate marks (a texture, noise): not
    a number, and too many to weigh against each other.
    """
    labels, boxes = components(found.mask)
    if len(boxes) > MAX_MARKS:
        raise NoDigit(f"no number found: {len(boxes):,} separate marks are too many to be "
                      "digits")
    groups = [[i] for i in range(len(boxes))]
    group_boxes = boxes.astype(np.int64)
    groups, group_boxes = _join_parts(groups, group_boxes)
    groups, group_boxes = _join_small(groups, group_boxes)
    order = np.argsort(group_boxes[:, 0] + group_boxes[:, 2], kind="stable")
    # Each component's piece, then each pixel's: one lookup instead of a pass per piece.
    piece_of = np.full(len(boxes) + 1, -1, np.int32)  # index -1 (no ink) stays -1
    for g, members in enumerate(groups):
        piece_of[members] = g
    pixel_piece = piece_of[labels]
    pieces = []
    for g in order[:MAX_PIECES]:
        x0, y0, x1, y1 = (int(v) for v in group_boxes[g])
        mask = np.zeros(labels.shape, bool)
        mask[y0:y1, x0:x1] = pixel_piece[y0:y1, x0:x1] == g
        pieces.append(Piece(mask, (x0, y0, x1, y1)))
    return pieces


def _sizes(boxes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return boxes[:, 2] - boxes[:, 0], boxes[:, 3] - boxes[:, 1]


def _belonging(boxes: np.ndarray) -> np.ndarray:
    """bool (n, n), upper triangle: whether boxes i < j (x0, y0, x1, y1) hold parts of one
    digit: one lies mostly within the other's columns, and they are stacked or one is
    much shorter."""
    w, h = _sizes(boxes)
    across = (np.minimum(boxes[:, None, 2], boxes[None, :, 2]) -
              np.maximum(boxes[:, None, 0], boxes[None, :, 0]))
    within = (across > 0) & (across >= CONTAINED * np.maximum(1, np.minimum(w[:, None],
                                                                            w[None, :])))
    down = (np.minimum(boxes[:, None, 3], boxes[None, :, 3]) -
            np.maximum(boxes[:, None, 1], boxes[None, :, 1]))
    shorter = np.minimum(h[:, None], h[None, :])
    stacked = down < STACKED * shorter
    short = shorter < SHORT * np.maximum(h[:, None], h[None, :])
    return np.triu(within & (stacked | short), k=1)


def _merge(groups: list[list[int]], boxes: np.ndarray, root: np.ndarray):
    """Join the groups that share a root; return (groups, boxes (m, 4))."""
    keys, which = np.unique(root, return_inverse=True)
    merged = [[] for _ in keys]
    for g, k in enumerate(which):
        merged[k] += groups[g]
    out = np.empty((len(keys), 4), np.int64)
    out[:, :2] = np.iinfo(np.int64).max
    out[:, 2:] = np.iinfo(np.int64).min
    np.minimum.at(out[:, 0], which, boxes[:, 0])
    np.minimum.at(out[:, 1], which, boxes[:, 1])
    np.maximum.at(out[:, 2], which, boxes[:, 2])
    np.maximum.at(out[:, 3], which, boxes[:, 3])
    return merged, out


def _join_parts(groups: list[list[int]], boxes: np.ndarray):
    """Join groups that belong together (transitively) until none do: a joined group's
    larger box may take in more parts."""
    while len(groups) > 1:
        i, j = np.nonzero(_belonging(boxes))
        if not len(i):
            break
        groups, boxes = _merge(groups, boxes, _join(len(groups), i, j))
    return groups, boxes


def _join_small(groups: list[list[int]], boxes: np.ndarray):
    """Join small pieces (dots, ticks, flags) to the nearest big piece close enough."""
    if len(groups) < 2:
        return groups, boxes
    w, h = _sizes(boxes)
    tallest = h.max()
    small = (h < SMALL * tallest) & (w < SMALL * tallest)
    if small.all() or not small.any():
        return groups, boxes
    big = np.flatnonzero(~small)
    # Gaps between every piece and every big one (0 where boxes overlap).
    dx = np.maximum(0, np.maximum(boxes[:, None, 0], boxes[None, big, 0]) -
                    np.minimum(boxes[:, None, 2], boxes[None, big, 2]))
    dy = np.maximum(0, np.maximum(boxes[:, None, 1], boxes[None, big, 1]) -
                    np.minimum(boxes[:, None, 3], boxes[None, big, 3]))
    gap = np.hypot(dx, dy)
    gap = np.where(gap <= NEAR * h[big][None, :], gap, np.inf)
    nearest = big[np.argmin(gap, axis=1)]
    root = np.arange(len(groups))
    joins = small & np.isfinite(gap.min(axis=1))
    root[joins] = nearest[joins]
    return _merge(groups, boxes, root)


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

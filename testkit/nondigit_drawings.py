"""Drawings that are not digits, as pen strokes: letters, symbols, doodles, scribbles, dots
and lines. They stand in for a person drawing something else on the canvas, to measure
(and later to train and tune) the app's "that's not a digit".

Same representation as testkit.stroke_digits (a Drawing is a list of strokes, each a
float32 (N, 2) polyline of (x, y) points in pen order, y down) and the same bends: each
sample is its template passed through stroke_digits.bend (random rotation, slant, width,
smooth warp), then rescaled so that its LONGER side is 1 (a dash is wide, not tall), with
its bounding box's corner at (0, 0). A Sample also says how big to draw it (its longer
side as a share of the sheet) and, for dots and lines, the brush width to draw it with.

Families: "letters", "symbols", "doodles", "scribbles", "dots_lines" (FAMILIES). Every
symbol of every family has at least two template variants (hand-written strokes, or a
procedure of the rng for scribbles). Some symbols look like digits (O, I, l, S, Z, B, g,
q, a vertical line, ...): their templates are marked `digit_like`, for separate reports.

Split rule (train / held_out / held_out_fresh / held_out_third / held_out_fourth /
held_out_fifth / held_out_sixth / held_out_seventh / held_out_eighth), so a held-out figure
is never trained or tuned on:
  - template variants: of each symbol's variants written here, the LAST one is held_out,
    the others are train (every symbol here has >= 2 variants, so both splits cover every
    symbol); the variants of testkit.nondigit_more_templates are train too (numbered after
    these; symbols new there have no held_out variant), and testkit.nondigit_fresh_templates
    holds held_out_fresh: one more variant of every symbol that is not digit-like, written
    before the check trained on the more templates was trained or measured;
    testkit.nondigit_third_templates holds held_out_third: one more variant of each of those
    symbols again, written once held_out and held_out_fresh had been looked at;
    testkit.nondigit_fourth_templates holds held_out_fourth: one more again, written once
    all three had been measured or looked at, before the next change to the check;
    testkit.nondigit_fifth_templates holds held_out_fifth: one more again, written once all
    four had been measured, before the check's next change;
    testkit.nondigit_sixth_templates holds held_out_sixth: one more again, written after
    the fifth set's report, for the change after that;
    testkit.nondigit_seventh_templates holds held_out_seventh: one more again, written
    after the sixth set had been measured (for v10's report), for the next change;
    testkit.nondigit_eighth_templates holds held_out_eighth: one more again, written after
    the seventh set had been measured once (with v10, in the sixth session), for the next
    change;
  - seeds: sample i of a split is drawn from np.random.default_rng(seed_for(split, i)),
    where train uses seeds [0, SEED_SPAN), held_out [SEED_SPAN, 2 * SEED_SPAN),
    held_out_fresh [2 * SEED_SPAN, 3 * SEED_SPAN), held_out_third [3 * SEED_SPAN,
    4 * SEED_SPAN), held_out_fourth [4 * SEED_SPAN, 5 * SEED_SPAN), held_out_fifth
    [5 * SEED_SPAN, 6 * SEED_SPAN), held_out_sixth [6 * SEED_SPAN, 7 * SEED_SPAN),
    held_out_seventh [7 * SEED_SPAN, 8 * SEED_SPAN) and held_out_eighth [8 * SEED_SPAN,
    9 * SEED_SPAN).
So no two splits share a template variant or a random seed, and the held_out split is
exactly what it was before the more templates came (the same templates in the same order).
Since v8 of the not-a-digit check, held_out and held_out_fresh (reported, and their misses
looked at) are also training drawings (tools/not_a_digit_data.py, samples 100,000 on), so
their figures are no longer held-out figures; held_out_third is v8's development set,
held_out_fourth was measured once for v8's report, held_out_fifth has been measured since
(for the fifth set's report), held_out_sixth has been measured once (for v10's report), and
held_out_seventh has now been measured once too (with v10, in the sixth session, after v11
was tried and not kept), and held_out_eighth once (with v10, in the seventh session, after
v12 was tried and not kept); the next change to the check needs a ninth set.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from testkit.stroke_digits import Drawing, arc, bend, bezier, bounds, line, stroke

FAMILIES = ("letters", "symbols", "doodles", "scribbles", "dots_lines")
SPLITS = ("train", "held_out", "held_out_fresh", "held_out_third", "held_out_fourth",
          "held_out_fifth", "held_out_sixth", "held_out_seventh", "held_out_eighth")
SEED_SPAN = 1_000_000  # seeds: train [0, SPAN), held_out [SPAN, 2 SPAN), fresh [2, 3 SPAN), ...
SIZES = (0.3, 0.85)  # longer side as a share of the sheet, unless a template says otherwise

Maker = Callable[[np.random.Generator], Drawing]


@dataclass(frozen=True)
class Template:
    family: str
    symbol: str  # "A", "heart", "zigzag", ...
    variant: int  # index among the symbol's variants
    split: str  # "train" or one of the held_out splits of SPLITS (the split rule)
    make: Maker  # rng -> strokes (a fixed template ignores the rng)
    digit_like: bool = False
    sizes: tuple[float, float] = SIZES
    brushes: tuple[float, float] | None = None  # brush width range, share of the canvas


@dataclass(frozen=True)
class Sample:
    template: Template
    seed: int
    drawing: Drawing  # longer side 1, corner at (0, 0)
    size: float  # longer side as a share of the sheet
    brush: float | None  # brush width (share of the canvas), None: the caller's choice


# -- a compact way to write polylines -------------------------------------------------------
def P(text: str) -> Drawing:
    """Strokes from "x,y x,y ...; x,y ..." (';' starts a new stroke), straight segments."""
    out = []
    for part in text.split(";"):
        points = [tuple(float(v) for v in xy.split(",")) for xy in part.split()]
        out.append(stroke(line(*points)))
    return out


def S(*pieces: np.ndarray) -> np.ndarray:
    return stroke(*pieces)


def L(*points) -> np.ndarray:
    return line(*points)


def arc_length(points: np.ndarray) -> np.ndarray:
    """(N,) distance of each point of the polyline `points` (N, 2) from its first point,
    along the line: the parameter the hands of the later held-out sets resample by."""
    p = np.asarray(points, float)
    return np.concatenate([[0.0], np.cumsum(np.linalg.norm(np.diff(p, axis=0), axis=1))])


def points_along(points: np.ndarray, length: np.ndarray, u: np.ndarray) -> np.ndarray:
    """(len(u), 2) points of the polyline `points` at distances `u` along it (`length`:
    its arc_length), linearly interpolated."""
    p = np.asarray(points, float)
    return np.stack([np.interp(u, length, p[:, 0]), np.interp(u, length, p[:, 1])], axis=1)


def fixed(drawing: Drawing) -> Maker:
    return lambda rng: drawing


# -- letters (capitals about 0.6 x 1; small letters: x-height from y = 0.4) -------------------
LETTERS: dict[str, list[Drawing]] = {
    "A": [P("0,1 .3,0 .6,1; .12,.62 .48,.62"), P("0,1 .3,0 .6,1 .5,.55 .1,.55")],
    "B": [
        [
            S(
                L((0, 1), (0, 0), (0.3, 0)),
                arc(0.3, 0.24, 0.26, 0.24, -90, 90),
                arc(0.32, 0.74, 0.28, 0.26, -90, 90),
                L((0.32, 1), (0, 1)),
            )
        ],
        [
            S(L((0, 0), (0, 1))),
            S(
                L((0, 0), (0.25, 0)),
                arc(0.25, 0.25, 0.25, 0.25, -90, 90),
                L((0.25, 0.5), (0, 0.5), (0.3, 0.5)),
                arc(0.3, 0.75, 0.28, 0.25, -90, 90),
                L((0.3, 1), (0, 1)),
            ),
        ],
    ],
    "C": [[S(arc(0.35, 0.5, 0.33, 0.5, -40, -320))], P(".6,.05 0,0 0,1 .6,.95")],
    "D": [
        [
            S(L((0, 0), (0, 1))),
            S(L((0, 0), (0.2, 0)), arc(0.2, 0.5, 0.42, 0.5, -90, 90), L((0.2, 1), (0, 1))),
        ],
        [S(L((0, 1), (0, 0)), bezier((0, 0), (0.9, 0), (0.9, 1), (0, 1)))],
    ],
    "E": [
        P(".6,0 0,0 0,1 .6,1; 0,.5 .45,.5"),
        [S(arc(0.35, 0.27, 0.3, 0.25, -30, -270), arc(0.35, 0.75, 0.32, 0.25, -90, -330))],
    ],
    "F": [P(".6,0 0,0 0,1; 0,.5 .45,.5"), P("0,1 0,0 .6,0; 0,.45 .4,.45")],
    "G": [
        [S(arc(0.35, 0.5, 0.33, 0.5, -40, -340), L((0.6, 0.7), (0.6, 0.55), (0.35, 0.55)))],
        [S(arc(0.33, 0.5, 0.33, 0.5, -60, -360), L((0.66, 0.5), (0.4, 0.5)))],
    ],
    "H": [P("0,0 0,1; .6,0 .6,1; 0,.5 .6,.5"), P("0,0 0,1; 0,.5 .6,.5; .6,0 .6,1")],
    "I": [P(".3,0 .3,1; .05,0 .55,0; .05,1 .55,1"), P(".3,0 .3,1")],
    "K": [P("0,0 0,1; .6,0 0,.55 .6,1"), P("0,0 0,1; .55,0 .05,.5 .6,1")],
    "M": [P("0,1 0,0 .35,.6 .7,0 .7,1"), P("0,1 .1,0 .35,.7 .6,0 .7,1")],
    "N": [P("0,1 0,0 .6,1 .6,0"), P("0,1 .05,0 .55,1 .6,0")],
    "O": [[S(arc(0.35, 0.5, 0.35, 0.5, -90, -450))], [S(arc(0.35, 0.5, 0.3, 0.5, 0, 360))]],
    "P": [
        [
            S(
                L((0, 1), (0, 0), (0.3, 0)),
                arc(0.3, 0.25, 0.28, 0.25, -90, 90),
                L((0.3, 0.5), (0, 0.5)),
            )
        ],
        [
            S(L((0, 0), (0, 1))),
            S(L((0, 0), (0.3, 0)), arc(0.3, 0.27, 0.3, 0.27, -90, 90), L((0.3, 0.54), (0, 0.54))),
        ],
    ],
    "R": [
        [
            S(
                L((0, 1), (0, 0), (0.3, 0)),
                arc(0.3, 0.25, 0.28, 0.25, -90, 90),
                L((0.3, 0.5), (0, 0.5), (0.6, 1)),
            )
        ],
        [
            S(L((0, 0), (0, 1))),
            S(L((0, 0), (0.3, 0)), arc(0.3, 0.25, 0.26, 0.25, -90, 90), L((0.3, 0.5), (0.05, 0.5))),
            S(L((0.25, 0.5), (0.6, 1))),
        ],
    ],
    "S": [
        [S(arc(0.3, 0.25, 0.28, 0.25, -20, -270), arc(0.3, 0.75, 0.3, 0.25, -90, 140))],
        [
            S(
                bezier((0.6, 0.05), (-0.1, -0.1), (-0.1, 0.5), (0.3, 0.5)),
                bezier((0.3, 0.5), (0.8, 0.5), (0.7, 1.1), (0, 0.95)),
            )
        ],
    ],
    "T": [P("0,0 .7,0; .35,0 .35,1"), P(".35,1 .35,0; 0,.05 .7,0")],
    "U": [
        [S(L((0, 0), (0, 0.7)), arc(0.3, 0.7, 0.3, 0.3, 180, 0), L((0.6, 0.7), (0.6, 0)))],
        [
            S(
                L((0, 0), (0, 0.7)),
                arc(0.3, 0.7, 0.3, 0.3, 180, 0),
                L((0.6, 0.7), (0.6, 0), (0.6, 1)),
            )
        ],
    ],
    "V": [P("0,0 .3,1 .6,0"), P("0,0 .35,1 .55,.2 .6,0")],
    "W": [P("0,0 .2,1 .4,.3 .6,1 .8,0"), P("0,0 .2,1 .4,0; .4,0 .6,1 .8,0")],
    "X": [P("0,0 .6,1; .6,0 0,1"), P("0,0 .3,.5 .6,1; .55,0 .05,1")],
    "Y": [P("0,0 .3,.5 .6,0; .3,.5 .3,1"), P("0,0 .3,.5; .6,0 0,1")],
    "Z": [P("0,0 .6,0 0,1 .6,1"), P("0,0 .6,0 0,1 .6,1; .1,.5 .5,.5")],
    "a": [
        [S(arc(0.27, 0.7, 0.27, 0.3, -20, -380), L((0.54, 0.55), (0.54, 1)))],
        [
            S(arc(0.3, 0.62, 0.25, 0.2, 200, -20), L((0.55, 0.62), (0.55, 1))),
            S(arc(0.3, 0.85, 0.25, 0.15, 0, -360)),
        ],
    ],
    "b": [
        [S(L((0, 0), (0, 1))), S(arc(0.27, 0.7, 0.27, 0.3, 180, -180))],
        [S(L((0, 0), (0, 1)), arc(0.27, 0.75, 0.27, 0.25, 180, -180))],
    ],
    "e": [
        [S(L((0, 0.7), (0.55, 0.7)), arc(0.28, 0.7, 0.28, 0.3, 0, -300))],
        [S(L((0.05, 0.72), (0.5, 0.66)), arc(0.27, 0.7, 0.27, 0.3, -20, -310))],
    ],
    "g": [
        [
            S(
                arc(0.27, 0.6, 0.25, 0.2, 0, -360),
                L((0.52, 0.6), (0.52, 1.2)),
                arc(0.27, 1.2, 0.25, 0.2, 0, 160),
            )
        ],
        [
            S(arc(0.27, 0.6, 0.25, 0.2, 0, -360)),
            S(
                L((0.52, 0.45), (0.52, 1.15)),
                bezier((0.52, 1.15), (0.5, 1.4), (0.1, 1.4), (0.05, 1.2)),
            ),
        ],
    ],
    "h": [
        P("0,0 0,1; 0,.6 .25,.4 .5,.5 .55,1"),
        [
            S(L((0, 0), (0, 1))),
            S(arc(0.28, 0.65, 0.26, 0.25, 180, 360), L((0.54, 0.65), (0.54, 1))),
        ],
    ],
    "k": [P("0,0 0,1; .45,.4 0,.7 .5,1"), P("0,0 0,1; .4,.35 .05,.7 .45,1")],
    "l": [P(".2,0 .2,1"), [S(L((0.2, 0), (0.15, 0.9)), arc(0.3, 0.9, 0.15, 0.1, 180, 60))]],
    "m": [
        P("0,1 0,.4; 0,.55 .2,.4 .35,.55 .35,1; .35,.55 .55,.4 .7,.55 .7,1"),
        P("0,.4 0,1 0,.5 .15,.4 .35,.5 .35,1 .35,.5 .55,.4 .7,.5 .7,1"),
    ],
    "n": [
        P("0,.4 0,1 0,.55 .25,.4 .5,.55 .5,1"),
        [
            S(L((0, 0.4), (0, 1))),
            S(arc(0.25, 0.65, 0.25, 0.25, 180, 360), L((0.5, 0.65), (0.5, 1))),
        ],
    ],
    "o": [[S(arc(0.3, 0.7, 0.3, 0.3, -90, -450))], [S(arc(0.28, 0.7, 0.26, 0.3, 0, 380))]],
    "q": [
        [S(arc(0.27, 0.6, 0.25, 0.2, 0, -360), L((0.52, 0.6), (0.52, 1.3)))],
        [S(arc(0.27, 0.6, 0.25, 0.2, 0, -360), L((0.52, 0.6), (0.52, 1.3), (0.7, 1.2)))],
    ],
    "r": [
        P("0,.4 0,1; 0,.6 .2,.42 .45,.42"),
        [S(L((0, 0.4), (0, 1))), S(L((0, 0.65)), arc(0.25, 0.6, 0.25, 0.2, 180, 320))],
    ],
    "t": [P(".25,0 .25,1 .45,1; 0,.4 .5,.4"), P(".25,0 .25,.95; .05,.35 .45,.35")],
    "w": [
        P("0,.4 .15,1 .3,.55 .45,1 .6,.4"),
        [S(arc(0.15, 0.7, 0.15, 0.3, 180, 0), arc(0.45, 0.7, 0.15, 0.3, 180, 0))],
    ],
}
DIGIT_LIKE_LETTERS = {"O", "o", "I", "l", "S", "Z", "B", "g", "q", "b", "G"}


# -- symbols ------------------------------------------------------------------------------
def _star(points: int, inner: float, turn: float = 0.0) -> np.ndarray:
    t = np.radians(np.arange(2 * points + 1) * 180 / points - 90 + turn)
    r = np.where(np.arange(2 * points + 1) % 2 == 0, 0.5, 0.5 * inner)
    return np.stack([0.5 + r * np.cos(t), 0.5 + r * np.sin(t)], axis=1)


SYMBOLS: dict[str, list[Drawing]] = {
    "+": [P(".5,0 .5,1; 0,.5 1,.5"), P("0,.5 1,.5; .5,0 .5,1")],
    "-": [P("0,0 1,0"), P("0,0 .5,.03 1,0")],
    "=": [P("0,0 1,0; 0,.45 1,.45"), P("0,0 1,.05; 0,.5 1,.5")],
    "×": [P("0,0 1,1; 1,0 0,1"), P("1,0 0,1; 0,0 1,1")],
    "÷": [
        [
            S(L((0, 0.5), (1, 0.5))),
            S(arc(0.5, 0.15, 0.04, 0.04, 0, 360)),
            S(arc(0.5, 0.85, 0.04, 0.04, 0, 360)),
        ],
        [S(L((0, 0.5), (1, 0.5))), S(L((0.5, 0.13), (0.5, 0.17))), S(L((0.5, 0.83), (0.5, 0.87)))],
    ],
    "%": [
        [
            S(L((0.8, 0), (0.2, 1))),
            S(arc(0.2, 0.18, 0.13, 0.16, 0, 360)),
            S(arc(0.8, 0.82, 0.13, 0.16, 0, 360)),
        ],
        [
            S(arc(0.2, 0.2, 0.15, 0.18, 0, 360)),
            S(L((0.8, 0.05), (0.2, 0.95))),
            S(arc(0.75, 0.8, 0.15, 0.18, 0, 360)),
        ],
    ],
    "#": [
        P(".35,0 .25,1; .75,0 .65,1; 0,.33 1,.33; 0,.67 1,.67"),
        P("0,.3 1,.3; 0,.7 1,.7; .3,0 .3,1; .7,0 .7,1"),
    ],
    "@": [
        [
            S(
                arc(0.5, 0.5, 0.15, 0.18, 0, 360),
                L((0.65, 0.5), (0.68, 0.65)),
                arc(0.5, 0.5, 0.45, 0.45, 20, -300),
            )
        ],
        [
            S(
                arc(0.5, 0.5, 0.15, 0.15, -30, 330),
                L((0.63, 0.43), (0.66, 0.62)),
                arc(0.5, 0.5, 0.4, 0.45, 30, -310),
            )
        ],
    ],
    "&": [
        [
            S(
                L((0.9, 1), (0.2, 0.35)),
                arc(0.35, 0.2, 0.16, 0.2, 150, -150),
                L((0.5, 0.32), (0.1, 0.7)),
                arc(0.35, 0.78, 0.25, 0.22, 180, 0),
                L((0.6, 0.78), (0.9, 0.5)),
            )
        ],
        [
            S(
                L((0.85, 0.95), (0.25, 0.3)),
                bezier((0.25, 0.3), (0.1, 0), (0.6, 0), (0.4, 0.35)),
                bezier((0.4, 0.35), (-0.2, 0.7), (0.2, 1.1), (0.8, 0.55)),
            )
        ],
    ],
    "*": [
        P(".5,0 .5,1; .07,.25 .93,.75; .93,.25 .07,.75"),
        P(".5,0 .5,1; 0,.5 1,.5; .15,.15 .85,.85; .85,.15 .15,.85"),
    ],
    "?": [
        [
            S(arc(0.5, 0.25, 0.3, 0.25, 180, 400), L((0.62, 0.47), (0.5, 0.6), (0.5, 0.75))),
            S(L((0.5, 0.97), (0.5, 1))),
        ],
        [
            S(
                bezier((0.2, 0.2), (0.3, -0.1), (0.9, 0), (0.7, 0.3)),
                L((0.7, 0.3), (0.5, 0.5), (0.5, 0.75)),
            ),
            S(arc(0.5, 0.96, 0.03, 0.03, 0, 360)),
        ],
    ],
    "!": [
        P(".5,0 .5,.75; .5,.96 .5,1"),
        [S(L((0.48, 0), (0.52, 0.72))), S(arc(0.5, 0.95, 0.04, 0.04, 0, 360))],
    ],
    "$": [
        [
            S(arc(0.5, 0.3, 0.3, 0.2, -20, -270), arc(0.5, 0.7, 0.3, 0.2, -90, 140)),
            S(L((0.5, 0), (0.5, 1))),
        ],
        [
            S(arc(0.5, 0.3, 0.3, 0.2, -20, -270), arc(0.5, 0.7, 0.3, 0.2, -90, 140)),
            S(L((0.45, 0), (0.45, 1))),
            S(L((0.58, 0), (0.58, 1))),
        ],
    ],
    "<": [P("1,0 0,.5 1,1"), P(".9,.1 0,.5 .9,.9")],
    ">": [P("0,0 1,.5 0,1"), P(".1,.1 1,.5 .1,.9")],
    "/": [P("1,0 0,1"), P(".7,0 .3,1")],
    "\\": [P("0,0 1,1"), P(".3,0 .7,1")],
    "(": [
        [S(arc(0.8, 0.5, 0.5, 0.5, 240, 120))],
        [S(bezier((0.6, 0), (0, 0.3), (0, 0.7), (0.6, 1)))],
    ],
    ")": [
        [S(arc(0.2, 0.5, 0.5, 0.5, -60, 60))],
        [S(bezier((0.1, 0), (0.7, 0.3), (0.7, 0.7), (0.1, 1)))],
    ],
    "[": [P(".5,0 0,0 0,1 .5,1"), P(".4,0 .1,0 .1,1 .4,1")],
    "]": [P("0,0 .5,0 .5,1 0,1"), P(".1,0 .4,0 .4,1 .1,1")],
    "{": [
        [
            S(
                bezier((0.6, 0), (0.1, 0), (0.5, 0.45), (0, 0.5)),
                bezier((0, 0.5), (0.5, 0.55), (0.1, 1), (0.6, 1)),
            )
        ],
        [S(L((0.6, 0), (0.3, 0.05), (0.3, 0.45), (0, 0.5), (0.3, 0.55), (0.3, 0.95), (0.6, 1)))],
    ],
    "}": [
        [
            S(
                bezier((0, 0), (0.5, 0), (0.1, 0.45), (0.6, 0.5)),
                bezier((0.6, 0.5), (0.1, 0.55), (0.5, 1), (0, 1)),
            )
        ],
        [S(L((0, 0), (0.3, 0.05), (0.3, 0.45), (0.6, 0.5), (0.3, 0.55), (0.3, 0.95), (0, 1)))],
    ],
}
DIGIT_LIKE_SYMBOLS = {"/", "(", ")", "[", "]"}


# -- doodles --------------------------------------------------------------------------------
def _spiral(turns: float, outward: bool) -> np.ndarray:
    t = np.linspace(0, turns * 2 * np.pi, int(turns * 60))
    r = 0.5 * t / t[-1]
    p = np.stack([0.5 + r * np.cos(t), 0.5 + r * np.sin(t)], axis=1)
    return p if outward else p[::-1]


DOODLES: dict[str, list[Drawing]] = {
    "heart": [
        [
            S(
                bezier((0.5, 0.3), (0.5, -0.1), (-0.1, -0.1), (0, 0.35)),
                L((0, 0.35), (0.5, 1), (1, 0.35)),
                bezier((1, 0.35), (1.1, -0.1), (0.5, -0.1), (0.5, 0.3)),
            )
        ],
        [
            S(arc(0.27, 0.3, 0.25, 0.25, 0, -200), L((0.03, 0.38), (0.5, 1))),
            S(arc(0.73, 0.3, 0.25, 0.25, 180, 380), L((0.97, 0.38), (0.5, 1))),
        ],
    ],
    "smiley": [
        [
            S(arc(0.5, 0.5, 0.5, 0.5, 0, 360)),
            S(L((0.33, 0.32), (0.33, 0.38))),
            S(L((0.67, 0.32), (0.67, 0.38))),
            S(arc(0.5, 0.55, 0.25, 0.2, 20, 160)),
        ],
        [
            S(arc(0.5, 0.5, 0.45, 0.5, -90, 270)),
            S(arc(0.33, 0.35, 0.04, 0.04, 0, 360)),
            S(arc(0.67, 0.35, 0.04, 0.04, 0, 360)),
            S(L((0.25, 0.65), (0.5, 0.8), (0.75, 0.65))),
        ],
    ],
    "star": [[S(_star(5, 0.4))], [S(L(*_star(5, 1.0)[[0, 4, 8, 2, 6, 10]]))]],
    "spiral": [[S(_spiral(2.5, True))], [S(_spiral(3.2, False))]],
    "house": [
        P("0,1 0,.45 .5,0 1,.45 1,1 0,1; .4,1 .4,.7 .6,.7 .6,1"),
        P("0,.45 1,.45 1,1 0,1 0,.45 .5,0 1,.45"),
    ],
    "cloud": [
        [
            S(
                arc(0.2, 0.6, 0.2, 0.2, 90, 270),
                arc(0.45, 0.35, 0.25, 0.25, 180, 360),
                arc(0.8, 0.6, 0.2, 0.2, 270, 450),
                L((0.8, 0.8), (0.2, 0.8)),
            )
        ],
        [
            S(
                arc(0.15, 0.6, 0.15, 0.2, 90, 260),
                arc(0.35, 0.38, 0.2, 0.2, 200, 330),
                arc(0.65, 0.35, 0.2, 0.25, 210, 360),
                arc(0.85, 0.6, 0.15, 0.2, 270, 450),
                L((0.85, 0.8), (0.15, 0.8)),
            )
        ],
    ],
    "arrow": [P("0,.5 1,.5; .7,.25 1,.5 .7,.75"), P(".5,1 .5,0; .25,.3 .5,0 .75,.3")],
    "tick mark": [P("0,.55 .35,1 1,0"), P("0,.6 .3,.9 .9,0")],
    "cross-hatch": [
        P("0,.2 1,.2; 0,.5 1,.5; 0,.8 1,.8; .2,0 .2,1; .5,0 .5,1; .8,0 .8,1"),
        P("0,.3 .7,1; 0,0 1,1; .3,0 1,.7; 1,.3 .3,1; 1,0 0,1; .7,0 0,.7"),
    ],
}


# -- scribbles (procedures of the rng) --------------------------------------------------------
def _zigzag_sideways(rng) -> Drawing:
    n = int(rng.integers(5, 12))
    x = np.linspace(0, 1, n) + rng.normal(0, 0.02, n)
    y = np.where(np.arange(n) % 2 == 0, 0.0, 0.4) + rng.normal(0, 0.06, n)
    return [S(L(*zip(x, y, strict=True)))]


def _random_walk(rng) -> Drawing:
    steps = rng.normal(0, 1, (int(rng.integers(8, 20)), 2))
    return [S(L(*np.cumsum(steps, axis=0)))]


def _coil(rng) -> Drawing:
    t = np.linspace(0, 2 * np.pi * rng.uniform(3, 7), 300)
    radius = rng.uniform(0.15, 0.3)
    return [
        S(
            np.stack(
                [t / t[-1] + radius * np.cos(t), radius * np.sin(t) * rng.uniform(0.8, 1.5)], axis=1
            )
        )
    ]


def _tangle(rng) -> Drawing:
    t = np.linspace(0, 2 * np.pi, 400)
    x = sum(rng.normal(0, 1 / k) * np.sin(k * t + rng.uniform(0, 6)) for k in range(1, 6))
    y = sum(rng.normal(0, 1 / k) * np.cos(k * t + rng.uniform(0, 6)) for k in range(1, 6))
    return [S(np.stack([x, y], axis=1))]


SCRIBBLES: dict[str, list[Maker]] = {
    "zigzag": [_zigzag_sideways, _random_walk],
    "loops": [_coil, _tangle],
}


# -- dots and lines ---------------------------------------------------------------------------
THIN_TO_THICK = (0.02, 0.12)  # brush widths drawn for dots and lines (share of the canvas)
DOTS_LINES: dict[str, list[tuple[Drawing, tuple[float, float]]]] = {  # (strokes, sizes)
    "dot": [
        ([S(np.zeros((2, 2)))], (0.0, 0.0)),
        ([S(arc(0.5, 0.5, 0.5, 0.5, 0, 720))], (0.02, 0.06)),
    ],
    "dash": [(P("0,0 1,0"), (0.08, 0.25)), (P("0,.3 1,0"), (0.08, 0.25))],
    "horizontal line": [(P("0,0 1,0"), (0.4, 0.9)), (P("0,0 .5,.04 1,0"), (0.4, 0.9))],
    "vertical line": [(P("0,0 0,1"), (0.4, 0.9)), (P("0,0 .02,.5 0,1"), (0.4, 0.9))],
    "diagonal line": [(P("0,1 1,0"), (0.4, 0.9)), (P("0,0 1,1"), (0.4, 0.9))],
    "parallel lines": [
        (P("0,0 0,1; .4,0 .4,1"), (0.3, 0.8)),
        (P("0,.6 .6,0; .4,1 1,.4"), (0.3, 0.8)),
    ],
    "circle-dot": [
        ([S(arc(0.5, 0.5, 0.5, 0.5, -90, 270)), S(L((0.5, 0.5), (0.5, 0.52)))], (0.3, 0.8)),
        ([S(L((0.5, 0.48), (0.5, 0.5))), S(arc(0.5, 0.5, 0.5, 0.4, 0, 360))], (0.3, 0.8)),
    ],
}
DIGIT_LIKE_LINES = {"vertical line"}


def _split_of(variant: int, count: int) -> str:
    return "held_out" if variant == count - 1 else "train"


def all_templates() -> list[Template]:
    """Every template of every family, both splits."""
    out = []

    def add(family, symbol, variants, digit_like=False, **extra):
        assert len(variants) >= 2, (family, symbol)
        for i, v in enumerate(variants):
            make = v if callable(v) else fixed(v)
            out.append(
                Template(family, symbol, i, _split_of(i, len(variants)), make, digit_like, **extra)
            )

    for symbol, variants in LETTERS.items():
        add("letters", symbol, variants, symbol in DIGIT_LIKE_LETTERS)
    for symbol, variants in SYMBOLS.items():
        add("symbols", symbol, variants, symbol in DIGIT_LIKE_SYMBOLS)
    for symbol, variants in DOODLES.items():
        add("doodles", symbol, variants)
    for symbol, makers in SCRIBBLES.items():
        add("scribbles", symbol, makers)
    for symbol, variants in DOTS_LINES.items():
        for i, (strokes, sizes) in enumerate(variants):
            out.append(
                Template(
                    "dots_lines",
                    symbol,
                    i,
                    _split_of(i, len(variants)),
                    fixed(strokes),
                    symbol in DIGIT_LIKE_LINES,
                    sizes,
                    THIN_TO_THICK,
                )
            )
    return out + _template_module_templates(out)


def _template_module_templates(own: list[Template]) -> list[Template]:
    """The train templates of nondigit_more_templates, the held_out_fresh templates of
    nondigit_fresh_templates, the held_out_third templates of nondigit_third_templates, the
    held_out_fourth templates of nondigit_fourth_templates, the held_out_fifth templates of
    nondigit_fifth_templates, the held_out_sixth templates of nondigit_sixth_templates, the
    held_out_seventh templates of nondigit_seventh_templates and the held_out_eighth
    templates of nondigit_eighth_templates, numbered after a symbol's own variants in that
    order (imported here: the eight modules build on this one's helpers)."""
    from testkit import nondigit_eighth_templates as eighth
    from testkit import nondigit_fifth_templates as fifth
    from testkit import nondigit_fourth_templates as fourth
    from testkit import nondigit_fresh_templates as fresh
    from testkit import nondigit_more_templates as more
    from testkit import nondigit_seventh_templates as seventh
    from testkit import nondigit_sixth_templates as sixth
    from testkit import nondigit_third_templates as third

    count = Counter((t.family, t.symbol) for t in own)  # variants so far, per symbol
    digit_like = {(t.family, t.symbol) for t in own if t.digit_like}
    digit_like |= {("letters", s) for s in more.DIGIT_LIKE}
    out = []

    def add(family, symbol, make, split, sizes=SIZES, brushes=None):
        key = (family, symbol)
        variant = count.get(key, 0)
        count[key] = variant + 1
        out.append(Template(family, symbol, variant, split, make, key in digit_like, sizes,
                            brushes))

    # One variant a symbol each.
    held_out = (("held_out_fresh", fresh), ("held_out_third", third),
                ("held_out_fourth", fourth), ("held_out_fifth", fifth),
                ("held_out_sixth", sixth), ("held_out_seventh", seventh),
                ("held_out_eighth", eighth))
    for family, table in (("letters", "LETTERS"), ("symbols", "SYMBOLS"), ("doodles", "DOODLES")):
        for symbol, variants in getattr(more, table).items():
            for v in variants:
                add(family, symbol, fixed(v), "train")
        for split, module in held_out:
            for symbol, drawing in getattr(module, table).items():
                add(family, symbol, fixed(drawing), split)
    for symbol, makers in more.SCRIBBLES.items():
        for make in makers:
            add("scribbles", symbol, make, "train")
    for split, module in held_out:
        for symbol, make in module.SCRIBBLES.items():
            add("scribbles", symbol, make, split)
    for symbol, variants in more.DOTS_LINES.items():
        for strokes, sizes in variants:
            add("dots_lines", symbol, fixed(strokes), "train", sizes, THIN_TO_THICK)
    for split, module in held_out:
        for symbol, (strokes, sizes) in module.DOTS_LINES.items():
            add("dots_lines", symbol, fixed(strokes), split, sizes, THIN_TO_THICK)
    return out


def templates(split: str, family: str | None = None) -> list[Template]:
    """The templates of one split (and one family, if given)."""
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}, not {split!r}")
    return [
        t for t in all_templates() if t.split == split and (family is None or t.family == family)
    ]


def seed_for(split: str, index: int) -> int:
    """The seed of sample `index` of a split: train [0, SPAN), held_out [SPAN, 2 SPAN),
    held_out_fresh [2 SPAN, 3 SPAN), held_out_third [3 SPAN, 4 SPAN), held_out_fourth
    [4 SPAN, 5 SPAN), held_out_fifth [5 SPAN, 6 SPAN), held_out_sixth [6 SPAN, 7 SPAN),
    held_out_seventh [7 SPAN, 8 SPAN), held_out_eighth [8 SPAN, 9 SPAN)."""
    if not 0 <= index < SEED_SPAN:
        raise ValueError(f"index {index} outside [0, {SEED_SPAN})")
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}, not {split!r}")
    return index + SPLITS.index(split) * SEED_SPAN


def normalised(drawing: Drawing) -> Drawing:
    """The drawing scaled so that its longer side is 1, its bounding box's corner at 0."""
    low, high = bounds(drawing)
    scale = max(float((high - low).max()), 1e-6)
    return [((p - low) / scale).astype(np.float32) for p in drawing]


def make_sample(template: Template, seed: int, strength: float = 1.0) -> Sample:
    """One random variation of a template, reproducible from the seed."""
    rng = np.random.default_rng(seed)
    drawing = normalised(bend(template.make(rng), rng, strength))
    size = float(rng.uniform(*template.sizes))
    brush = None if template.brushes is None else float(rng.uniform(*template.brushes))
    return Sample(template, seed, drawing, size, brush)


def generate(
    family: str, count: int, split: str = "held_out", start: int = 0, strength: float = 1.0
) -> list[Sample]:
    """`count` samples of a family, cycling through its templates of the split.

    Sample i uses template order[(start + i) mod T] of the split's T templates, `order` a
    fixed shuffle (so a small count mixes capitals, small letters, digit-like ones, and any
    T consecutive samples use every template once), and seed seed_for(split, start + i),
    so every family's sample indices share one seed range per split.
    """
    if family not in FAMILIES:
        raise ValueError(f"family must be one of {FAMILIES}, not {family!r}")
    pool = templates(split, family)
    order = np.random.default_rng(len(pool)).permutation(len(pool))
    return [
        make_sample(pool[order[(start + i) % len(pool)]], seed_for(split, start + i), strength)
        for i in range(count)
    ]

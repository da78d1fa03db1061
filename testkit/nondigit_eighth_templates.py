"""The held_out_eighth split of non-digit drawings: one more hand for every symbol, an eighth
time.

Written (2026-12, issue 13) after held_out_seventh had been measured once (with v10, in the
sixth session), and BEFORE the next change to the not-a-digit check, so that change can be
measured on drawings nobody has chosen with: no tool trains on these, chooses with them or
looks at what a check says of them before that change's report. Same symbols, families and
structure as nondigit_seventh_templates (one variant per symbol that is not digit-like; the
dots and lines with the same sizes), each variant another construction, proportion, stroke
order or hand than every earlier variant of its symbol. The hands are ones the earlier sets
used little or not at all: a tilted hand that writes every shape turned 15-25 degrees one
way or the other (`tilted`, 26 symbols), a tremulous hand with a small quick wobble all
along every stroke (`tremulous`, 24), a thick-marker hand that draws few, blunt, straight
strokes and simplifies every curve into a few of them (`marker`, 20), and a hand that draws
each shape in one continuous line without lifting the pen, so the travel from one stroke to
the next is drawn too (`without_lifting`, or written out as one stroke: 12). The two
scribbles: a chain of small triangles in a row, point up and point down in turn, and a grid
of tiny boxes (tests/test_nondigit_later_splits.py checks the rendered shapes). None is
meant to look like a digit at 28 x 28: no ring gone round and round, no lone straight
stroke, no S or Z among the scribbles. Seeds [8 SPAN, 9 SPAN) (nondigit_drawings).

Conventions as nondigit_drawings: a Drawing is a list of (N, 2) polylines (x, y; y down);
capitals about 0.6 wide and 1 tall, small letters from y = 0.4 to 1, descenders to 1.3.
"""

from __future__ import annotations

import numpy as np

from testkit.nondigit_drawings import L, P, S, _star, arc_length
from testkit.nondigit_fifth_templates import shaky
from testkit.nondigit_sixth_templates import blob
from testkit.nondigit_third_templates import polar, ring
from testkit.stroke_digits import Drawing, arc, bezier


def tilted(drawing: Drawing, degrees: float) -> Drawing:
    """The drawing in a tilted hand: the whole shape turned by `degrees` (clockwise on
    screen; negative: anticlockwise) round the middle of its bounding box, as a writer whose
    paper lies askew makes every shape (15-25 degrees here: more than the random turn every
    sample gets, about 7 degrees)."""
    points = np.concatenate(drawing)
    middle = (points.min(axis=0) + points.max(axis=0)) / 2
    c, s = np.cos(np.radians(degrees)), np.sin(np.radians(degrees))
    turn = np.array([[c, -s], [s, c]])
    return [S((np.asarray(p, float) - middle) @ turn.T + middle) for p in drawing]


def without_lifting(drawing: Drawing) -> Drawing:
    """The drawing in one continuous line, as a hand that never lifts the pen draws it: its
    strokes in the order and direction written, each joined to the next by the straight
    travel of the pen from one's end to the next one's start (drawn too)."""
    pieces = [np.asarray(drawing[0], float)]
    for p in drawing[1:]:
        p = np.asarray(p, float)
        pieces += [L(pieces[-1][-1], p[0]), p]
    return [S(*pieces)]


def _corners(points: np.ndarray, coarse: float) -> np.ndarray:
    """The few points of a polyline that a blunt hand keeps: its ends, then (in turn,
    splitting at each) the point farthest from the straight piece between two kept points,
    while that is farther than `coarse` (so every curve becomes a few straight pieces)."""
    p = np.asarray(points, float)
    keep = np.zeros(len(p), bool)
    keep[[0, -1]] = True
    spans = [(0, len(p) - 1)]
    while spans:
        i, j = spans.pop()
        if j <= i + 1:
            continue
        way, inner = p[j] - p[i], p[i + 1:j] - p[i]
        size = float(np.hypot(*way))
        if size < 1e-9:  # a closed stroke: how far from its start
            far = np.hypot(inner[:, 0], inner[:, 1])
        else:
            far = np.abs(way[0] * inner[:, 1] - way[1] * inner[:, 0]) / size
        k = int(np.argmax(far))
        if far[k] > coarse:
            keep[i + 1 + k] = True
            spans += [(i, i + 1 + k), (i + 1 + k, j)]
    return p[keep]


def marker(drawing: Drawing, coarse: float = 0.06) -> Drawing:
    """The drawing in a thick marker's blunt hand: every stroke simplified to a few straight
    pieces between its main corners (a curve kept only where it strays more than `coarse`
    from them), so a bowl becomes a polygon and small details go."""
    return [S(L(*_corners(p, coarse))) for p in drawing]


def tremulous(drawing: Drawing, amplitude: float = 0.018, per_unit: float = 14.0) -> Drawing:
    """The drawing in a tremulous hand: a small, quick wobble all along every stroke, of
    `amplitude` across it and `per_unit` waves per unit of its length (the fifth set's
    elderly tremor, nondigit_fifth_templates.shaky, was a few slow waves a stroke; this one
    is a fine shake of the same size everywhere), each stroke starting at its own phase."""
    return [S(shaky(p, amplitude, per_unit * float(arc_length(p)[-1]), phase=1.7 * k))
            for k, p in enumerate(drawing)]


# -- letters ----------------------------------------------------------------------------------
LETTERS: dict[str, Drawing] = {
    "A": tilted(P("0,1 .3,0 .6,1; .12,.62 .48,.62"), 20),  # turned clockwise
    "C": marker([S(arc(0.35, 0.5, 0.35, 0.5, -45, -315))], 0.05),  # a blunt polygon
    "D": tremulous([S(L((0, 0), (0, 1))),
                    S(bezier((0, 0), (1.0, 0.05), (1.0, 0.95), (0, 1)))]),  # a wide bowl,
    # trembling
    "E": tilted(P(".6,0 0,0 0,1 .6,1; 0,.5 .45,.5"), -18),  # turned anticlockwise
    "F": tremulous(P(".7,0 .05,0 0,1; .03,.45 .5,.45")),  # wide, trembling
    "H": tremulous(P("0,0 0,.8; .9,0 .9,.8; 0,.4 .9,.4")),  # wide, trembling
    "K": tilted(P("0,0 0,1; .6,0 0,.55 .6,1"), 18),  # turned clockwise
    "M": tremulous(P("0,1 .15,0 .45,.7 .75,0 .9,1")),  # splayed, trembling
    "N": tilted(P("0,1 0,0 .6,1 .6,0"), -22),  # turned anticlockwise
    "P": marker([S(L((0, 1), (0, 0), (0.3, 0)), arc(0.3, 0.25, 0.3, 0.25, -90, 90),
                   L((0.3, 0.5), (0, 0.5)))], 0.05),  # the bowl a blunt polygon
    "R": tilted([S(L((0, 1), (0, 0), (0.3, 0)), arc(0.3, 0.25, 0.28, 0.25, -90, 90),
                   L((0.3, 0.5), (0, 0.5), (0.6, 1)))], 20),  # turned clockwise
    "T": tremulous(P("0,0 1,0; .5,0 .5,.8")),  # a wide bar on a short stem, trembling
    "U": marker([S(L((0, 0), (0, 0.6)), arc(0.3, 0.6, 0.3, 0.4, 180, 0),
                   L((0.6, 0.6), (0.6, 0)))], 0.05),  # a blunt, flat-bottomed cup
    "V": tremulous(P("0,0 .45,1 .9,0")),  # wide, trembling
    "W": tilted(P("0,0 .2,1 .4,.3 .6,1 .8,0"), -20),  # turned anticlockwise
    "X": tilted(P("0,0 .6,1; .6,0 0,1"), -15),  # turned anticlockwise
    "Y": tilted(P("0,0 .3,.5 .6,0; .3,.5 .3,1"), 18),  # turned clockwise
    "a": tremulous([S(arc(0.27, 0.7, 0.27, 0.3, -20, -380),
                      L((0.54, 0.55), (0.54, 1), (0.66, 0.92)))]),  # a flick at the foot,
    # trembling
    "e": marker([S(L((0, 0.7), (0.55, 0.7)), arc(0.28, 0.7, 0.28, 0.3, 0, -300))], 0.04),
    # blunt and angular
    "h": tilted([S(L((0, 0), (0, 1))),
                 S(arc(0.28, 0.65, 0.26, 0.25, 180, 360), L((0.54, 0.65), (0.54, 1)))], -18),
    # turned anticlockwise
    "k": tilted(P("0,0 0,1; .45,.4 0,.7 .5,1"), 20),  # turned clockwise
    "m": tremulous(P("0,.4 0,1; 0,.55 .2,.4 .35,.55 .35,1; .35,.55 .55,.4 .7,.55 .7,1")),
    # trembling
    "n": tremulous([S(L((0, 0.4), (0, 1))),
                    S(bezier((0, 0.6), (0.1, 0.35), (0.75, 0.3), (0.75, 0.6)),
                      L((0.75, 0.6), (0.75, 1)))]),  # a wide round arch, trembling
    "r": marker([S(L((0, 0.4), (0, 1))),
                 S(bezier((0, 0.65), (0.1, 0.4), (0.35, 0.38), (0.5, 0.45)))], 0.03),  # blunt
    "t": without_lifting(P(".2,0 .2,1 .45,.9; 0,.38 .5,.38")),  # in one line: the pen runs
    # from the foot up to the bar
    "w": tremulous(P("0,.4 .2,1 .4,.55 .6,1 .8,.4")),  # wide, trembling
    "J": marker(P(".1,0 .7,0; .45,0 .45,.8") + [S(arc(0.25, 0.8, 0.2, 0.2, 0, 180))], 0.04),
    # a bar on top, the hook a blunt corner
    "L": tremulous(P("0,0 0,1 .8,1")),  # a long foot, trembling
    "Q": marker([S(arc(0.35, 0.5, 0.35, 0.5, -90, 270)), S(L((0.4, 0.7), (0.75, 1.05)))],
                0.07),  # a blunt octagon, the tail through it
    "c": marker([S(arc(0.3, 0.7, 0.3, 0.3, -40, -320))], 0.03),  # blunt
    "d": without_lifting([S(arc(0.27, 0.7, 0.27, 0.3, 0, -360)),
                          S(L((0.54, 0), (0.54, 1)))]),  # in one line: the bowl, then up to
    # the stem's top and down it
    "f": without_lifting([S(bezier((0.6, 0.05), (0.4, -0.05), (0.25, 0), (0.25, 0.2)),
                            L((0.25, 0.2), (0.25, 1))), S(L((0, 0.45), (0.5, 0.45)))]),
    # in one line: the pen runs from the foot up to the bar
    "j": marker([S(L((0.4, 0.4), (0.4, 1.1)), arc(0.2, 1.1, 0.2, 0.2, 0, 150))], 0.04)
    + P(".36,.14 .44,.14 .44,.22 .36,.22 .36,.14"),  # a blunt corner of a hook, a square dot
    "p": marker([S(L((0, 1.3), (0, 0.4))), S(arc(0.25, 0.62, 0.25, 0.22, 180, 540))], 0.04),
    # a blunt polygon of a bowl
    "u": marker([S(L((0, 0.4), (0, 0.8)), arc(0.25, 0.8, 0.25, 0.2, 180, 0),
                   L((0.5, 0.8), (0.5, 0.4), (0.5, 1)))], 0.04),  # blunt
    "v": tremulous(P("0,.4 .35,1 .7,.4")),  # trembling
    "x": tilted(P("0,.4 .6,1; .6,.4 0,1"), 20),  # turned clockwise
    "y": without_lifting(P("0,.4 .3,.85; .6,.4 .15,1.3")),  # in one line: the pen runs from
    # the join up to the right arm
}

# -- symbols ----------------------------------------------------------------------------------
SYMBOLS: dict[str, Drawing] = {
    "+": tilted(P("0,.5 1,.5; .5,0 .5,1"), 20),  # turned clockwise
    "-": tilted(P("0,0 1,0"), -15),  # turned anticlockwise: rising
    "=": tremulous(P("0,0 1,0; .1,.35 .9,.35")),  # the lower bar shorter, trembling
    "×": tremulous(P("0,0 1,.7; 1,0 0,.7")),  # wide and flat, trembling
    "÷": tilted(P("0,.5 1,.5") + [S(ring(0.5, 0.2, 0.06)), S(ring(0.5, 0.8, 0.06))], -20),
    # turned anticlockwise
    "%": tremulous([S(ring(0.2, 0.15, 0.15)), S(L((0.65, 0), (0.15, 1))),
                    S(ring(0.6, 0.85, 0.15))], 0.012),  # narrow and tall, trembling
    "#": without_lifting(P("0,.33 1,.33; .75,0 .65,1; .25,1 .35,0; 0,.67 1,.67")),  # in one
    # line: the pen runs on from each bar to the next
    "@": marker([S(arc(0.5, 0.5, 0.15, 0.18, 0, 360), L((0.65, 0.5), (0.68, 0.65)),
                   arc(0.5, 0.5, 0.45, 0.45, 20, -300))], 0.05),  # blunt
    "&": marker([S(L((0.9, 1), (0.2, 0.35)), arc(0.35, 0.2, 0.16, 0.2, 150, -150),
                   L((0.5, 0.32), (0.1, 0.7)), arc(0.35, 0.78, 0.25, 0.22, 180, 0),
                   L((0.6, 0.78), (0.9, 0.5)))], 0.05),  # blunt
    "*": without_lifting(P(".5,0 .5,1; .07,.25 .93,.75; .93,.25 .07,.75")),  # in one line
    "?": tremulous([S(arc(0.5, 0.25, 0.3, 0.25, 180, 400), L((0.62, 0.47), (0.5, 0.6),
                                                            (0.5, 0.75))),
                    S(ring(0.5, 0.95, 0.04))]),  # trembling
    "!": marker(P(".42,0 .58,0 .55,.62 .45,.62 .42,0; .44,.84 .56,.84 .56,1 .44,1 .44,.84")),
    # a blunt bar and a square dot, outlined
    "$": tilted([S(arc(0.5, 0.3, 0.3, 0.2, -20, -270), arc(0.5, 0.7, 0.3, 0.2, -90, 140)),
                 S(L((0.45, 0), (0.45, 1))), S(L((0.58, 0), (0.58, 1)))], -18),  # turned
    "<": tilted(P("1,0 0,.5 1,1"), 20),  # turned clockwise
    ">": tremulous(P("0,0 .6,.5 0,1")),  # narrow, trembling
    "\\": tremulous(P("0,0 1,.6")),  # trembling
    "{": tilted([S(bezier((0.6, 0), (0.1, 0), (0.5, 0.45), (0, 0.5)),
                   bezier((0, 0.5), (0.5, 0.55), (0.1, 1), (0.6, 1)))], 18),  # turned
    "}": tilted([S(bezier((0, 0), (0.5, 0), (0.1, 0.45), (0.6, 0.5)),
                   bezier((0.6, 0.5), (0.1, 0.55), (0.5, 1), (0, 1)))], -18),  # turned
    "~": tremulous([S(bezier((0, 0.3), (0.3, -0.2), (0.7, 0.8), (1, 0.3)))]),  # trembling
    "^": marker([S(arc(0.5, 0.6, 0.5, 0.6, 180, 360))], 0.08),  # a blunt arch of a caret
    "π": tilted(P("0,.1 1,.1; .3,.1 .3,1; .7,.1 .7,1"), 15),  # turned clockwise
    "√": tremulous(P("0,.6 .12,.55 .3,1 .5,0 1,0")),  # trembling
}


# -- doodles ----------------------------------------------------------------------------------
_T = np.linspace(0, np.pi, 200)  # the flower's petals: 5 loops of r = |sin 5t| at angle 2t
DOODLES: dict[str, Drawing] = {
    "heart": marker([S(bezier((0.5, 0.3), (0.5, -0.1), (-0.1, -0.1), (0, 0.35)),
                       L((0, 0.35), (0.5, 1), (1, 0.35)),
                       bezier((1, 0.35), (1.1, -0.1), (0.5, -0.1), (0.5, 0.3)))], 0.05),  # blunt
    "smiley": without_lifting([S(arc(0.5, 0.5, 0.5, 0.5, -90, 270)), S(ring(0.33, 0.35, 0.04)),
                               S(ring(0.67, 0.35, 0.04)), S(arc(0.5, 0.55, 0.25, 0.2, 160, 20))]),
    # in one line: from the top of the face to an eye, the other eye, the mouth
    "star": tilted([S(L(*_star(5, 1.0)[[0, 4, 8, 2, 6, 10]]))], 20),  # turned clockwise
    "spiral": marker([S(arc(0.5, 0.5, 0.1, 0.1, 0, 360), arc(0.52, 0.5, 0.25, 0.25, 0, 360),
                        arc(0.55, 0.5, 0.42, 0.42, 0, 270))], 0.04),  # blunt, widening turns
    "house": [S(L((0, 1), (0, 0.45), (1, 1), (1, 0.45), (0, 0.45), (0.5, 0), (1, 0.45),
                  (0, 1), (1, 1)))],  # in one line, the way a child's riddle draws it: a cross
    # in the square
    "cloud": tremulous([S(arc(0.12, 0.6, 0.12, 0.15, 90, 270),
                          arc(0.3, 0.4, 0.16, 0.16, 180, 330),
                          arc(0.55, 0.3, 0.18, 0.18, 200, 340),
                          arc(0.78, 0.42, 0.15, 0.15, 220, 360),
                          arc(0.88, 0.62, 0.12, 0.14, 270, 450),
                          L((0.88, 0.76), (0.12, 0.75)))]),
    # five bumps, trembling
    "arrow": tilted(P("0,.5 1,.5; .7,.25 1,.5 .7,.75"), -25),  # turned anticlockwise
    "tick mark": tremulous(P("0,.5 .3,.8 1,0")),  # a flat tick, trembling
    "cross-hatch": without_lifting(P("0,.2 1,.2; 1,.5 0,.5; 0,.8 1,.8; .8,1 .8,0; .5,0 .5,1; "
                                     ".2,1 .2,0")),  # in one line, to and fro: the pen runs on
    # round the ends
    "sun": marker([S(ring(0.5, 0.5, 0.22))], 0.03)
    + P(".5,.2 .5,0; .8,.5 1,.5; .5,.8 .5,1; .2,.5 0,.5"),  # a blunt octagon, four rays
    "flower": [S(polar(0.35 * np.abs(np.sin(5 * _T)), 2 * _T, (0.5, 0.35)),
                 L((0.5, 0.35), (0.5, 1)))],  # in one line: five petals looped out from the
    # middle and back, then the stem
    "fish": marker([S(bezier((1, 0.2), (0.6, 0.9), (0.1, 0.8), (0, 0.5)),
                      bezier((0, 0.5), (0.1, 0.2), (0.6, 0.1), (1, 0.8)), L((1, 0.8), (1, 0.2)))],
                   0.05),  # blunt
    "tree": without_lifting(P(".5,0 .15,.45 .35,.45 .05,.8 .95,.8 .65,.45 .85,.45 .5,0; "
                              ".5,.3 .5,1")),  # a fir in one line: from its top down the trunk
    "lightning": tilted(P(".55,0 .2,.55 .45,.55 .3,1 .8,.4 .55,.4 .75,0 .55,0"), -20),  # turned
    "square": tremulous(P("0,0 1,0 1,.85 0,.85 0,0")),  # trembling
    "triangle": tilted(P(".5,0 1,.9 0,.9 .5,0"), 20),  # turned clockwise
}


# -- scribbles (procedures of the rng) --------------------------------------------------------
def triangle_chain(rng) -> Drawing:
    """A chain of 5-8 small triangles in a row, point up and point down in turn, each its
    own closed stroke (0.25-0.35 wide, a little uneven) and touching or just missing the next,
    along a gently sloping line: a frieze doodled in a margin. Never a lone stroke, an S or a
    Z: each triangle closes on itself."""
    n = int(rng.integers(5, 9))
    slope, band = rng.uniform(-0.15, 0.15), rng.uniform(0.3, 0.45)
    out, x = [], 0.0
    for k in range(n):
        wide, base = rng.uniform(0.25, 0.35), slope * x
        low, high = (base, base - band) if k % 2 == 0 else (base - band, base)
        corners = [np.array(v) + rng.normal(0, 0.015, 2)
                   for v in ((x, low), (x + wide, low), (x + wide / 2, high))]
        out.append(S(L(*corners, corners[0])))
        x += wide / 2 + rng.uniform(0.0, 0.05)
    return out


def box_grid(rng) -> Drawing:
    """A grid of tiny boxes, 2-3 rows of 3-5, each box its own closed stroke (a rough square,
    its corners a little off) with gaps between: tick boxes, or a calendar doodled small.
    Never a lone stroke, an S, a Z or one ring: many small separate boxes."""
    rows, columns = int(rng.integers(2, 4)), int(rng.integers(3, 6))
    side, gap = rng.uniform(0.18, 0.25), rng.uniform(0.06, 0.12)
    out = []
    for r in range(rows):
        for c in range(columns):
            x0, y0 = c * (side + gap), r * (side + gap)
            corners = [np.array(v) + rng.normal(0, 0.02, 2)
                       for v in ((x0, y0), (x0 + side, y0), (x0 + side, y0 + side),
                                 (x0, y0 + side))]
            out.append(S(L(*corners, corners[0] + rng.normal(0, 0.01, 2))))
    return out


SCRIBBLES = {"zigzag": triangle_chain, "loops": box_grid}

# -- dots and lines: (strokes, sizes), the sizes as nondigit_seventh_templates ----------------
DOTS_LINES: dict[str, tuple[Drawing, tuple[float, float]]] = {
    "dot": (without_lifting(P("0,.5 1,.5; .2,0 .8,1; .8,0 .2,1")), (0.02, 0.04)),  # a dab of
    # three crossing lines in one
    "dash": (tilted(P("0,0 1,0"), 22), (0.08, 0.25)),  # turned clockwise: falling
    "horizontal line": (tremulous(P("0,0 1,0"), 0.05, 12), (0.4, 0.9)),  # trembling
    "diagonal line": (tilted(P("0,1 1,0"), 15), (0.4, 0.9)),  # turned flatter
    "parallel lines": (tilted(P("0,0 1,0; 0,.4 1,.4"), -20), (0.3, 0.8)),  # rising
    "circle-dot": (marker([S(arc(0.5, 0.5, 0.5, 0.5, -90, 270))], 0.04)
                   + [S(blob(0.5, 0.5, 0.06))], (0.3, 0.8)),  # a blunt polygon, the dot
    # coloured in
}

"""The held_out_sixth split of non-digit drawings: one more hand for every symbol, a sixth time.

Written (2026-12, issue 13) after held_out, held_out_fresh, held_out_third, held_out_fourth
and held_out_fifth had all been measured (the fifth for its report), and BEFORE the change
after that one to the not-a-digit check, so that change can be measured on drawings nobody
has chosen with: no tool trains on these, chooses with them or looks at what a check says of
them before that change's report. Same symbols, families and structure as
nondigit_fifth_templates (one variant per symbol that is not digit-like; the dots and lines
with the same sizes), each variant another construction, proportion, stroke order or hand
than every earlier variant of its symbol: a child's hand (big wobbly strokes, parts that do
not meet), a left-hander's back slant, a hand that draws in many short strokes, a hand that
closes or crosses every join with an overlap, a printed hand with serifs
(tests/test_nondigit_later_splits.py checks the rendered shapes). None is meant to look like
a digit at 28 x 28: no ring gone round and round, no lone straight stroke, no S or Z among
the scribbles. Seeds [6 SPAN, 7 SPAN) (nondigit_drawings).

Conventions as nondigit_drawings: a Drawing is a list of (N, 2) polylines (x, y; y down);
capitals about 0.6 wide and 1 tall, small letters from y = 0.4 to 1, descenders to 1.3.
"""

from __future__ import annotations

import numpy as np

from testkit.nondigit_drawings import L, P, S, arc_length, points_along
from testkit.nondigit_third_templates import polar, ring
from testkit.stroke_digits import Drawing, arc, bezier


def leaning_back(drawing: Drawing, lean: float) -> Drawing:
    """The drawing sheared as a left-hander's back slant: a point moves right by `lean`
    times its depth (y), so the tops of upright strokes lean to the left."""
    return [np.stack([p[:, 0] + lean * p[:, 1], p[:, 1]], axis=1).astype(np.float32)
            for p in drawing]


def childlike(drawing: Drawing, amount: float, key: float = 0.0) -> Drawing:
    """The drawing as a child's big, slow wobble: every point pushed by a smooth field of the
    sheet (each place of the sheet always pushed the same way, so crossing strokes bend
    together), of about `amount`; `key` picks another field."""
    out = []
    for p in drawing:
        x, y = p[:, 0].astype(float), p[:, 1].astype(float)
        dx = amount * (np.sin(4.1 * y + 1.3 * key) + 0.5 * np.sin(9.7 * y + 2.2 * x + key))
        dy = amount * (np.sin(3.7 * x + 0.7 * key) + 0.5 * np.sin(8.9 * x - 1.9 * y + 2 * key))
        out.append(np.stack([x + dx, y + dy], axis=1).astype(np.float32))
    return out


def in_short_strokes(points: np.ndarray, pieces: int, jog: float = 0.012) -> Drawing:
    """The polyline `points` drawn as a sketcher does, in `pieces` short strokes along it:
    each starts a little before the last one ended (an eighth of a piece) and is nudged
    sideways by `jog`, to the left and right in turn."""
    length = arc_length(points)
    piece = length[-1] / pieces
    out = []
    for k in range(pieces):
        u = np.linspace(max(0.0, k * piece - piece / 8), (k + 1) * piece, 30)
        x, y = points_along(points, length, u).T
        way = np.array([x[-1] - x[0], y[-1] - y[0]])
        side = np.array([-way[1], way[0]]) / max(float(np.hypot(*way)), 1e-9)
        shift = jog * (1 if k % 2 else -1) * side
        out.append(S(np.stack([x + shift[0], y + shift[1]], axis=1)))
    return out


def overshooting(corners, reach: float = 0.12) -> Drawing:
    """A closed polygon drawn side by side, each side its own stroke running on past both of
    its corners by `reach` of its length (a quick, crossed-corner hand)."""
    c = [np.asarray(v, float) for v in corners]
    out = []
    for a, b in zip(c, c[1:] + c[:1], strict=True):
        out.append(S(L(a - reach * (b - a), b + reach * (b - a))))
    return out


def blob(cx: float, cy: float, r: float) -> np.ndarray:
    """A dot coloured in: a small spiral from the rim to the centre."""
    return polar(np.linspace(r, 0, 40), np.linspace(0, 5 * np.pi, 40), (cx, cy))


# -- letters ----------------------------------------------------------------------------------
LETTERS: dict[str, Drawing] = {
    "A": in_short_strokes(L((0, 1), (0.3, 0), (0.6, 1)), 4)
    + P(".1,.62 .5,.6"),  # the legs sketched in four pieces
    "C": in_short_strokes(arc(0.36, 0.5, 0.36, 0.5, -45, -315), 5),  # sketched in five pieces
    "D": childlike([S(L((0, 0), (0, 1))),
                    S(bezier((0.1, -0.05), (0.85, -0.06), (0.85, 1.06), (0.1, 1.05)))],
                   0.02),  # a child's: the bowl apart from the stem, both wobbly
    "E": P("0,0 0,1; 0,0 .6,0 .6,.14; 0,.5 .42,.5; .42,.42 .42,.58; 0,1 .62,1 .62,.86"),  # serifs
    # on the bars' ends
    "F": childlike(P("0,0 .02,1; .1,0 .65,.03; .1,.45 .5,.47"), 0.02, 1),  # a child's: the
    # bars not touching the stem
    "H": leaning_back(P("0,0 0,1; .6,0 .6,1; -.14,.52 .76,.47"), 0.25),  # back-slanted, the
    # bar run on past both stems
    "K": childlike(P("0,0 0,1; .62,0 .12,.47; .2,.55 .62,1"), 0.025, 2),  # a child's: arm and
    # leg apart from the stem
    "M": P("0,1 .02,-.05; -.02,0 .33,.62; .27,.62 .62,-.04; .6,0 .62,1"),  # four strokes, each
    # running past the joins
    "N": childlike(P("0,1 0,0; .07,.03 .55,.97; .62,1 .62,0"), 0.02, 21),  # a child's: three
    # strokes not meeting
    "P": [S(L((0, 1), (0, 0)), bezier((0, 0), (0.85, -0.05), (0.85, 0.55), (0, 0.5)),
            L((0, 0.5), (-0.15, 0.53)))],  # one stroke, the bowl closed past the stem
    "R": leaning_back([S(L((0, 1), (0, 0))),
                       S(L((0, 0), (0.3, 0)), arc(0.3, 0.25, 0.25, 0.25, -90, 90),
                         L((0.3, 0.5), (0, 0.5))), S(L((0.2, 0.5), (0.6, 1)))], 0.3),  # a
    # left-hander's back slant
    "T": childlike(P("0,0 .75,.04; .38,.12 .36,1"), 0.025, 22),  # a child's: the stem hung
    # below the bar, not touching it
    "U": in_short_strokes(np.concatenate([L((0, 0), (0, 0.65)), arc(0.3, 0.65, 0.3, 0.35, 180, 0),
                                          L((0.6, 0.65), (0.6, 0))]), 4),  # in four pieces
    "V": childlike(P("0,0 .27,.97; .35,.95 .62,0"), 0.02, 3),  # a child's: the arms not meeting
    "W": P("0,0 .15,1 .3,.3 .45,1 .6,0; -.1,0 .1,0; .5,0 .7,0"),  # printed, serifs at the tops
    "X": P("0,0 .35,.58; .27,.42 .62,1; .6,0 .25,.6; .33,.42 -.02,1"),  # each arm in two pieces
    # overlapping at the crossing
    "Y": childlike(P("0,0 .28,.48; .62,0 .34,.5; .3,.56 .32,1"), 0.02, 4),  # a child's: three
    # strokes not meeting
    "a": [S(bezier((0.05, 0.5), (0.15, 0.35), (0.5, 0.35), (0.5, 0.55)),
            L((0.5, 0.55), (0.5, 0.95), (0.62, 1))),
          S(bezier((0.5, 0.68), (0.0, 0.62), (-0.05, 1.02), (0.25, 1)),
            bezier((0.25, 1), (0.4, 1), (0.5, 0.9), (0.5, 0.85)))],  # printed, two-storey
    "e": leaning_back([S(L((0.03, 0.72), (0.55, 0.7)), arc(0.3, 0.72, 0.28, 0.3, -5, -320))],
                      0.35),  # back-slanted
    "h": [S(L((-0.12, 0), (0, 0), (0, 1))),
          S(arc(0.25, 0.65, 0.25, 0.22, 180, 360), L((0.5, 0.65), (0.5, 1))),
          *P("-.12,1 .12,1; .38,1 .62,1")],  # printed with serifs
    "k": childlike(P("0,0 0,1; .45,.45 .1,.72; .17,.7 .5,1"), 0.025, 5),  # a child's: arm and
    # leg apart from the stem
    "m": childlike([S(L((0, 0.42), (0, 1))), S(arc(0.2, 0.62, 0.16, 0.18, 180, 360)),
                    S(L((0.37, 0.6), (0.37, 1))), S(arc(0.56, 0.62, 0.16, 0.18, 180, 360)),
                    S(L((0.73, 0.6), (0.73, 1)))], 0.02, 6),  # a child's: stems and humps
    # drawn apart
    "n": [S(L((-0.1, 0.45), (0, 0.4), (0, 1))),
          S(arc(0.25, 0.62, 0.25, 0.2, 180, 360), L((0.5, 0.62), (0.5, 1))),
          *P("-.12,1 .12,1; .38,1 .62,1")],  # printed with serifs
    "r": [S(L((-0.1, 0.45), (0.08, 0.4), (0.08, 1))), S(L((-0.08, 1), (0.3, 1))),
          S(bezier((0.08, 0.6), (0.2, 0.42), (0.4, 0.38), (0.55, 0.45)),
            L((0.55, 0.45), (0.55, 0.52)))],  # printed, serifed foot and arm
    "t": leaning_back([S(L((0.2, 0.05), (0.2, 0.85)), arc(0.35, 0.85, 0.15, 0.15, 180, 60)),
                       S(L((0, 0.38), (0.5, 0.38)))], 0.3),  # back-slanted, a curled foot
    "w": leaning_back([S(L((0, 0.4), (0.02, 0.8)), arc(0.17, 0.8, 0.15, 0.2, 180, 0),
                         L((0.32, 0.8), (0.32, 0.6)), arc(0.47, 0.8, 0.15, 0.2, 180, 0),
                         L((0.62, 0.8), (0.64, 0.4)))], 0.25),  # round-bottomed, back-slanted
    "J": leaning_back(in_short_strokes(np.concatenate([L((0.5, 0), (0.5, 0.75)),
                                                       arc(0.27, 0.75, 0.23, 0.25, 0, 180)]), 3),
                      0.2),  # no bar, back-slanted, in three pieces
    "L": childlike(P("0,0 .03,1; .1,.98 .62,1"), 0.025, 7),  # a child's: the foot apart
    "Q": [S(arc(0.35, 0.45, 0.35, 0.45, -60, -460)),
          S(L((0.4, 0.8), (0.75, 1.05)))],  # the bowl closed with an overlap, a short tail
    "c": in_short_strokes(arc(0.3, 0.7, 0.3, 0.3, -40, -320), 3),  # in three pieces
    "d": leaning_back([S(arc(0.3, 0.72, 0.25, 0.28, 0, 360)),
                       S(L((0.4, 0.02), (0.55, 0), (0.55, 1), (0.68, 1)))], 0.2),  # printed, a
    # serifed ascender, back-slanted
    "f": leaning_back([S(arc(0.45, 0.15, 0.15, 0.13, -20, -180), L((0.3, 0.15), (0.3, 1))),
                       S(L((0.1, 0.45), (0.5, 0.45))), S(L((0.15, 1), (0.45, 1)))],
                      0.2),  # back-slanted, a serifed foot
    "j": childlike([S(L((0.33, 0.15), (0.42, 0.2), (0.32, 0.24), (0.43, 0.28))),
                    S(L((0.4, 0.42), (0.38, 1.1)),
                      bezier((0.38, 1.1), (0.37, 1.35), (0.1, 1.35), (0.02, 1.15)))],
                   0.02, 8),  # a child's: the dot scribbled in
    "p": leaning_back(in_short_strokes(np.concatenate([L((0, 1.3), (0, 0.45)),
                                                       arc(0.25, 0.65, 0.25, 0.22, 180, 450)]),
                                       4), 0.2),  # up the stem and round the bowl in one go,
    # sketched in four pieces, back-slanted
    "u": leaning_back(in_short_strokes(np.concatenate([L((0, 0.4), (0, 0.75)),
                                                       arc(0.25, 0.75, 0.25, 0.25, 180, 0),
                                                       L((0.5, 0.75), (0.5, 0.4), (0.5, 1))]),
                                       4), 0.25),  # back-slanted, in four pieces
    "v": P("0,.4 .3,1 .6,.4; -.1,.4 .1,.4; .5,.4 .7,.4"),  # printed with serifs
    "x": leaning_back(P("0,.4 .55,1; .55,.4 0,1; -.08,.4 .1,.4; .45,.4 .63,.4; -.08,1 .1,1; "
                        ".45,1 .63,1"), 0.2),  # typewriter serifs, back-slanted
    "y": childlike(P("-.05,.35 .3,.82; .6,.4 .2,1.3"), 0.025, 10),  # a child's: the short arm
    # stopping before the long one
}

# -- symbols ----------------------------------------------------------------------------------
SYMBOLS: dict[str, Drawing] = {
    "+": childlike(P("0,.5 1,.5; .48,0 .5,.42; .52,.58 .5,1"), 0.025, 11),  # a child's: the
    # upright in two pieces that stop at the bar
    "-": P("0,0 1,.02 .45,.09"),  # gone back over half its length
    "=": childlike(P("0,.05 .9,0; .08,.35 1,.45"), 0.02, 12),  # a child's: bars not parallel
    "×": childlike(P("0,.05 .85,1; .95,0 .05,.8"), 0.02, 13),  # crossing high, off-centre
    "÷": in_short_strokes(L((0, 0.5), (1, 0.5)), 3, 0.02)
    + [S(blob(0.5, 0.18, 0.07)), S(blob(0.5, 0.82, 0.07))],  # the line in three pieces, the
    # dots coloured in
    "%": [S(arc(0.15, 0.18, 0.15, 0.18, -90, 330)), S(L((0.8, 0), (0.52, 0.5))),
          S(L((0.55, 0.45), (0.22, 1))), S(arc(0.85, 0.82, 0.15, 0.18, -90, 330))],  # the zeros
    # closed past their starts, the slash in two pieces
    "#": P(".2,0 .4,1; .6,0 .8,1; 0,.33 1,.33; 0,.67 1,.67"),  # uprights leaning back
    "@": [S(ring(0.5, 0.5, 0.15)), S(L((0.65, 0.35), (0.65, 0.66), (0.8, 0.66)))]
    + in_short_strokes(arc(0.5, 0.5, 0.4, 0.4, 20, -280), 4),  # the outer turn in pieces
    "&": childlike(leaning_back([S(L((0.9, 1), (0.2, 0.38)),
                                   arc(0.35, 0.22, 0.2, 0.2, 150, -150),
                                   L((0.47, 0.38), (0.08, 0.7)),
                                   arc(0.3, 0.78, 0.22, 0.2, 200, 60),
                                   L((0.41, 0.95), (0.8, 0.6)))], 0.2),
                   0.015, 14),  # back-slanted, wobbly
    "*": childlike(P("0,.52 1,.42; .16,.02 .78,.98; .86,.08 .26,.92"), 0.02, 15),  # three lines
    # that miss one another's crossings
    "?": in_short_strokes(np.concatenate([arc(0.45, 0.3, 0.4, 0.3, 180, 400),
                                          L((0.6, 0.5), (0.5, 0.72))]), 4)
    + [S(ring(0.5, 0.95, 0.04))],  # the hook in four pieces
    "!": childlike([S(L((0.35, 0), (0.55, 0.7)))], 0.02, 16)
    + P(".52,.86 .66,1; .66,.86 .52,1"),  # leaning back, a cross for the dot
    "$": leaning_back(in_short_strokes(np.concatenate(
        [bezier((0.8, 0.12), (0.55, -0.05), (0.1, 0.0), (0.2, 0.3)),
         bezier((0.2, 0.3), (0.3, 0.5), (0.85, 0.5), (0.8, 0.75)),
         bezier((0.8, 0.75), (0.75, 1.0), (0.35, 1.05), (0.15, 0.85))]), 4)
        + P(".5,-.15 .5,1.15"), 0.2),  # back-slanted, the S in four pieces
    "<": childlike(P("1,0 .05,.47; .08,.56 1,1"), 0.02, 17),  # a child's: the arms not meeting
    ">": in_short_strokes(np.concatenate([bezier((0, 0), (0.5, 0.35), (0.7, 0.45), (1, 0.5)),
                                          bezier((1, 0.5), (0.7, 0.55), (0.5, 0.65), (0, 1))]),
                          4, 0.02),  # the arms hollowed, sketched in four pieces
    "\\": P("0,0 .3,.22; .36,.24 .66,.47; .7,.52 1,.72"),  # shallow, drawn in three pieces
    # with gaps between them
    "{": leaning_back(in_short_strokes(np.concatenate(
        [bezier((0.6, 0), (0.25, 0), (0.35, 0.45), (0.05, 0.5)),
         bezier((0.05, 0.5), (0.35, 0.55), (0.25, 1), (0.6, 1))]), 4), 0.15),  # in pieces,
    # back-slanted
    "}": childlike([S(bezier((0, 0), (0.35, 0), (0.25, 0.45), (0.58, 0.47))),
                    S(bezier((0.55, 0.55), (0.25, 0.57), (0.35, 1), (0, 1)))], 0.02, 18),  # a
    # child's: the halves not meeting at the point
    "~": in_short_strokes(np.stack([np.linspace(0, 1, 80),
                                    0.2 * np.sin(np.linspace(0, 2 * np.pi, 80))], axis=1),
                          2, 0.03),  # one deep wave in two strokes, a hump and a dip
    "^": P("0,.6 .56,-.03; .44,-.03 1,.6"),  # the arms crossing at the apex
    "π": [S(L((0, 0.2), (0.05, 0.1), (1, 0.1), (1.05, 0.2))), S(L((0.3, 0.1), (0.3, 1))),
          S(L((0.7, 0.1), (0.7, 1))), *P(".18,1 .42,1; .58,1 .82,1")],  # printed with serifs
    "√": P("0,.6 .12,.55 .3,1 .5,-.03; .42,0 1,0 1,.1"),  # the roof begun before the tick's
    # end, overlapping it
}


# -- doodles ----------------------------------------------------------------------------------
def _six_point_star() -> Drawing:
    t = np.radians(-90 + 30 * np.arange(12))
    r = np.where(np.arange(12) % 2 == 0, 0.5, 0.27)
    return overshooting(list(zip(0.5 + r * np.cos(t), 0.5 + r * np.sin(t), strict=True)), 0.1)


def _rays(n: int, inner: float, long: float, short: float, centre) -> Drawing:
    out = []
    for k in range(n):
        a = 2 * np.pi * k / n
        reach = long if k % 2 == 0 else short
        out.append(S(L((centre[0] + inner * np.cos(a), centre[1] + inner * np.sin(a)),
                       (centre[0] + reach * np.cos(a), centre[1] + reach * np.sin(a)))))
    return out


DOODLES: dict[str, Drawing] = {
    "heart": childlike([S(bezier((0.35, 0.25), (0.2, -0.1), (-0.1, 0.1), (0.07, 0.5)),
                          L((0.07, 0.5), (0.35, 1), (0.63, 0.5)),
                          bezier((0.63, 0.5), (0.8, 0.1), (0.5, -0.1), (0.35, 0.25)),
                          L((0.35, 0.25), (0.27, 0.1)))], 0.015, 20),  # narrow, one stroke,
    # run on past the dip
    "smiley": [S(arc(0.5, 0.5, 0.4, 0.45, 0, 360)), S(arc(0.08, 0.5, 0.08, 0.12, 90, 270)),
               S(arc(0.92, 0.5, 0.08, 0.12, -90, 90)), S(ring(0.36, 0.36, 0.04)),
               S(ring(0.64, 0.36, 0.04)), S(L((0.5, 0.45), (0.46, 0.6), (0.52, 0.6))),
               S(arc(0.5, 0.66, 0.18, 0.1, 20, 160))],  # with ears and a nose
    "star": _six_point_star(),  # six points, each side its own stroke past the corners
    "spiral": in_short_strokes(polar(np.linspace(0.04, 0.5, 200), np.linspace(0, 4.5 * np.pi, 200))
                               * np.array([1.0, 0.6]), 5, 0.015),  # flat, outwards, in five
    # pieces
    "house": P("0,.4 .6,.4 .6,1 0,1 0,.4 .3,.05 .6,.4; .3,.05 .85,0 1,.35 .6,.4; 1,.35 1,.9 "
               ".6,1; .2,1 .2,.7 .4,.7 .4,1"),  # in perspective: a front, a side, the roof
    "cloud": [S(arc(0.15, 0.6, 0.15, 0.15, 90, 280)), S(arc(0.35, 0.4, 0.22, 0.22, 190, 330)),
              S(arc(0.65, 0.35, 0.22, 0.25, 200, 350)), S(arc(0.85, 0.58, 0.15, 0.17, 250, 450)),
              S(L((0.88, 0.75), (0.12, 0.76)))],  # each bump its own stroke, a flat base
    "arrow": [S(L(*[(x, 0.55 - 0.5 * x + 0.08 * np.sin(4 * np.pi * x))
                    for x in np.linspace(0, 0.9, 30)])),
              S(L((0.72, 0.04), (0.95, 0.08), (0.9, 0.3)))],  # a wavy shaft, rising
    "tick mark": P("0,.55 .36,1.04; .28,1.02 1,0"),  # the long arm begun below the short one
    "cross-hatch": [S(L(*ends)) for ends in [
        ((0.15, 0.15), (0.85, 0.85)), ((0.0, 0.35), (0.65, 1.0)), ((0.35, 0.0), (1.0, 0.65)),
        ((0.05, 0.7), (0.3, 0.95)), ((0.7, 0.05), (0.95, 0.3)),
        ((0.85, 0.15), (0.15, 0.85)), ((1.0, 0.35), (0.35, 1.0)), ((0.65, 0.0), (0.0, 0.65)),
        ((0.95, 0.7), (0.7, 0.95)), ((0.3, 0.05), (0.05, 0.3))]],  # a round patch hatched
    # both ways, the lines shorter towards the rim
    "sun": [S(blob(0.5, 0.5, 0.2))] + _rays(12, 0.26, 0.5, 0.37, (0.5, 0.5)),  # a coloured-in
    # centre, rays long and short in turn
    "flower": [S(polar(np.linspace(0.02, 0.14, 60), np.linspace(0, 4 * np.pi, 60), (0.5, 0.2))),
               S(arc(0.5, 0.15, 0.3, 0.24, 0, 180)),
               S(L((0.5, 0.39), (0.5, 1))),
               S(bezier((0.5, 0.62), (0.3, 0.45), (0.05, 0.55), (0.02, 0.5)),
                 bezier((0.02, 0.5), (0.15, 0.7), (0.35, 0.72), (0.5, 0.62))),
               S(bezier((0.5, 0.78), (0.7, 0.6), (0.95, 0.7), (0.98, 0.65)),
                 bezier((0.98, 0.65), (0.85, 0.85), (0.65, 0.87), (0.5, 0.78))),
               *P(".5,.5 .58,.45; .5,.9 .42,.85")],  # a rose: a curled bud in a cup, leaves
    # and thorns on the stem
    "fish": [S(bezier((0.15, 0.5), (0.35, 0.15), (0.65, 0.2), (0.8, 0.45)),
               L((0.8, 0.45), (1, 0.25)),
               bezier((1, 0.25), (0.95, 0.45), (0.95, 0.55), (1, 0.75)),
               L((1, 0.75), (0.8, 0.55)),
               bezier((0.8, 0.55), (0.65, 0.8), (0.35, 0.85), (0.15, 0.5))),
             S(L((0.38, 0.24), (0.5, 0.05), (0.62, 0.26))),
             S(L((0.45, 0.76), (0.55, 0.92), (0.6, 0.75))),
             S(ring(0.3, 0.45, 0.03))],  # facing left, fins on the back and belly
    "tree": [S(L((0.45, 1), (0.48, 0.25))), S(L((0.53, 1), (0.5, 0.25)))]
    + [S(bezier((0.49, 0.25), (0.49 + 0.2 * d, -0.05), (0.49 + 0.4 * d, 0.05),
                (0.49 + 0.45 * d, 0.55 + 0.1 * abs(d))))
       for d in (-1, -0.55, 0.55, 1)],  # a willow: a trunk, branches arching and hanging
    "lightning": P(".55,0 .25,.45 .5,.45 .2,1; .7,0 .42,.38 .68,.38 .42,.8"),  # a bolt of two
    # parallel zigzags, left open
    "square": overshooting([(0, 0), (1, 0), (1, 1), (0, 1)]),  # sides crossing at the corners
    "triangle": [S(L((0.5, 0), (1, 0.9), (0, 0.9), (0.5, 0), (0.97, 0.86), (0.03, 0.86),
                     (0.46, 0.07)))],  # gone round twice, the second time inside the first
}


# -- scribbles (procedures of the rng) --------------------------------------------------------
def hatched_patch(rng) -> Drawing:
    """A patch shaded over two or three times: each layer one back-and-forth stroke of 4-8
    passes at its own angle (the layers 50-90 degrees apart), the patch 1-1.6 wide and
    0.6-1 tall, as a person scribbles out a word. Never a lone stroke, an S or a Z."""
    width, height = rng.uniform(1.0, 1.6), rng.uniform(0.6, 1.0)
    angle = rng.uniform(0, np.pi)
    out = []
    for _ in range(int(rng.integers(2, 4))):
        passes = int(rng.integers(4, 9))
        way = np.array([np.cos(angle), np.sin(angle)])
        across = np.array([-way[1], way[0]])
        offsets = np.linspace(-0.5, 0.5, passes) + rng.normal(0, 0.03, passes)
        points = []
        for k, o in enumerate(offsets):
            ends = (-0.7, 0.7) if k % 2 == 0 else (0.7, -0.7)
            for e in ends:
                points.append(e * rng.uniform(0.85, 1.0) * way + o * across)
        p = np.array(points)
        p = np.clip(p, -0.5, 0.5) * np.array([width, height])  # kept inside the patch
        out.append(S(L(*p)))
        angle += rng.uniform(np.radians(50), np.radians(90))
    return out


def scrawled_lines(rng) -> Drawing:
    """Pretend handwriting filling a wide box: 2-3 rows one under the other, each a stroke of
    5-9 loops of uneven height and width (a word scrawled in a hurry), the box 2-3 times as
    wide as one row is tall."""
    out = []
    rows = int(rng.integers(2, 4))
    for r in range(rows):
        loops = int(rng.integers(5, 10))
        t = np.linspace(0, 2 * np.pi * loops, 40 * loops)
        k = np.minimum((t / (2 * np.pi)).astype(int), loops - 1)
        tall = rng.uniform(0.25, 0.6, loops)[k]
        wide = rng.uniform(0.1, 0.2, loops)[k]
        x = np.cumsum(np.r_[0, np.diff(t)] / (2 * np.pi) * rng.uniform(0.22, 0.32)) \
            - wide * np.sin(t)
        y = r * 0.8 + rng.uniform(-0.05, 0.05) - tall * (1 - np.cos(t)) / 2
        out.append(S(np.stack([x + rng.uniform(0, 0.2), y], axis=1)))
    return out


SCRIBBLES = {"zigzag": hatched_patch, "loops": scrawled_lines}

# -- dots and lines: (strokes, sizes), the sizes as nondigit_fifth_templates -----------------
DOTS_LINES: dict[str, tuple[Drawing, tuple[float, float]]] = {
    "dot": (P("0,1 .5,0 1,1 0,1"), (0.02, 0.04)),  # a tiny triangle
    "dash": (P("0,0 .55,.02; .62,.03 1,.05"), (0.08, 0.25)),  # broken in two
    "horizontal line": (P("0,0 1,.02 .35,.14"), (0.4, 0.9)),  # gone back below, two thirds of
    # the way
    "diagonal line": (P("0,0 .45,.4 1,.65"), (0.4, 0.9)),  # falling, bent at the middle
    "parallel lines": ([S(L((0, 0), (0.9, 0)), arc(0.9, 0.15, 0.15, 0.15, -90, 90),
                          L((0.9, 0.3), (0, 0.3)))], (0.3, 0.8)),  # without lifting the pen:
    # there, round and back
    "circle-dot": (in_short_strokes(arc(0.5, 0.5, 0.5, 0.5, 200, 580), 4, 0.025)
                   + [S(blob(0.45, 0.56, 0.06))], (0.3, 0.8)),  # the circle sketched in four
    # pieces, the dot coloured in off the centre
}

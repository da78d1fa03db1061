"""The held_out_fifth split of non-digit drawings: one more hand for every symbol, a fifth time.

Written (2026-12, issue 13) after held_out, held_out_fresh, held_out_third and
held_out_fourth had all been measured, and BEFORE the next change to the not-a-digit check,
so that change can be measured on drawings nobody has chosen with: no tool trains on these,
chooses with them or looks at what a check says of them before that change's report. Same
symbols, families and structure as nondigit_fourth_templates (one variant per symbol that is
not digit-like; the dots and lines with the same sizes), each variant another construction,
proportion, stroke order or hand than every train, held_out, held_out_fresh, held_out_third
and held_out_fourth variant of its symbol: a hurried hand with overshoots, an elderly shaky
hand, a calligraphic hand, a tiny-loop hand, a very wide or very narrow hand
(tests/test_nondigit_later_splits.py checks the rendered shapes). None is meant to look like a
digit at 28 x 28: no ring gone round and round, no lone straight stroke, no S or Z among the
scribbles. Seeds [5 SPAN, 6 SPAN) (nondigit_drawings).

Conventions as nondigit_drawings: a Drawing is a list of (N, 2) polylines (x, y; y down);
capitals about 0.6 wide and 1 tall, small letters from y = 0.4 to 1, descenders to 1.3.
"""

from __future__ import annotations

import numpy as np

from testkit.nondigit_drawings import L, P, S, arc_length, points_along
from testkit.nondigit_third_templates import polar, ring, tilted_ellipse
from testkit.stroke_digits import Drawing, arc, bezier


def shaky(points: np.ndarray, amplitude: float, waves: float, phase: float = 0.0) -> np.ndarray:
    """The polyline `points` (N, 2) resampled along its length and trembling sideways (an
    elderly hand): offsets across the way of `amplitude`, `waves` slow waves along it plus a
    quicker ripple on top."""
    length = arc_length(points)
    u = np.linspace(0, length[-1], max(40, int(200 * length[-1])))
    x, y = points_along(points, length, u).T
    dx, dy = np.gradient(x), np.gradient(y)
    norm = np.maximum(np.hypot(dx, dy), 1e-9)
    s = 2 * np.pi * waves * u / length[-1]
    offset = amplitude * (0.7 * np.sin(s + phase) + 0.3 * np.sin(2.7 * s + 2 * phase))
    return np.stack([x - dy / norm * offset, y + dx / norm * offset], axis=1)


# -- letters ----------------------------------------------------------------------------------
LETTERS: dict[str, Drawing] = {
    "A": [S(bezier((0, 1), (0.1, 0.3), (0.2, 0), (0.3, 0)),
            bezier((0.3, 0), (0.4, 0), (0.5, 0.3), (0.6, 1)),
            L((0.6, 1), (0.57, 0.62), (-0.08, 0.6)))],  # bell-shaped, one stroke: up the legs
    # and back along the bar, past the left leg
    "C": [S(shaky(arc(0.45, 0.3, 0.45, 0.3, -45, -315), 0.015, 7))],  # wide, an elderly tremor
    "D": [S(L((0.05, 0), (0, 1))),
          S(bezier((0, 1), (0.95, 1.05), (0.85, -0.08), (-0.12, 0.06)))],  # the bowl drawn up
    # from the foot, hurried, running past the stem at the top
    "E": P("1,.05 0,0 0,.6 .95,.65; 0,.3 .55,.32"),  # very wide and low
    "F": [S(bezier((-0.05, 0.06), (0.2, -0.06), (0.45, 0.1), (0.7, 0))),
          S(bezier((0.3, 0.02), (0.32, 0.5), (0.3, 0.9), (0.05, 1))),
          S(L((0.05, 0.52), (0.5, 0.48)))],  # calligraphic: the stem swung left at the foot,
    # the bar through it
    "H": [S(bezier((0, 0), (0.22, 0.35), (0.22, 0.65), (0, 1))),
          S(bezier((0.6, 0), (0.38, 0.35), (0.38, 0.65), (0.6, 1))),
          S(L((0.14, 0.5), (0.46, 0.5)))],  # stems bowed in towards a short bar: )-(
    "K": P("0,0 0,1; .6,0 0,.6; .25,.35 .65,1"),  # the leg springing from the arm
    "M": P("0,1 .25,0 .6,.9 .95,0 1.2,1"),  # very wide, splayed, the V down to the line
    "N": [S(L((0, 1), (0.02, 0.05)), arc(0.07, 0.05, 0.05, 0.05, 180, -180),
            bezier((0.02, 0.05), (0.2, 0.4), (0.35, 0.7), (0.55, 1)),
            L((0.55, 1), (0.6, 0)))],  # a tiny loop at the top corner, the diagonal sagging
    "P": P("0,1 0,0 .55,0 .55,.5 0,.5"),  # boxy, one stroke
    "R": [S(L((0, 1), (0, 0), (0.5, 0.02), (0.55, 0.25), (0.05, 0.48)),
            bezier((0.05, 0.48), (0.35, 0.5), (0.45, 0.95), (0.8, 1.02)))],  # an angular bowl,
    # the leg a calligraphic swash
    "T": [S(L((1, 0.02), (0, 0))),
          S(L((0.5, 0), (0.48, 0.62)), arc(0.58, 0.62, 0.1, 0.1, 180, 60))],  # very wide: the
    # bar drawn leftwards, a short stem curling right
    "U": [S(bezier((-0.1, 0.05), (-0.05, -0.05), (0.05, 0), (0.05, 0.1)),
            bezier((0.05, 0.1), (0.05, 0.75), (0.95, 0.75), (0.95, 0.1)),
            bezier((0.95, 0.1), (0.95, 0), (1.05, -0.05), (1.1, 0.05)))],  # wide and shallow,
    # both tops flicked out
    "V": [S(L((1, 0), (0.45, 0.62), (0.42, 0.7), (0.38, 0.6), (0, 0.02)))],  # wide, leftwards,
    # a hurried spike at the foot
    "W": P("0,0 .2,1 .5,.05; .3,.05 .6,1 .8,0"),  # two Vs overlapping, the inner arms crossing
    "X": P("0,0 1,.6 .92,.63; 1,0 0,.6"),  # very wide and low, a hook back at the first end
    "Y": [S(bezier((-0.1, 0), (0.05, 0.2), (0.3, 0.3), (0.5, 0.3)),
            bezier((0.5, 0.3), (0.7, 0.3), (0.95, 0.2), (1.1, 0))),
          S(L((0.5, 0.3), (0.5, 1))), S(L((0.35, 1), (0.65, 1)))],  # calligraphic: very wide,
    # the arms one swung stroke, the stem on a serif
    "a": [S(arc(0.35, 0.72, 0.32, 0.28, -20, -370),
            L((0.665, 0.67), (0.67, 0.44), (0.68, 1), (0.85, 0.9)))],  # a wide bowl, the stem up
    # and back down, an exit flick
    "e": [S(L((0, 0.85), (0.35, 0.62)), bezier((0.35, 0.62), (0.5, 0.5), (0.4, 0.35), (0.25, 0.42)),
            bezier((0.25, 0.42), (0, 0.55), (0, 1), (0.3, 1)),
            L((0.3, 1), (0.6, 0.9)))],  # cursive: a leaning loop, no bar
    "h": [S(bezier((0, 0.55), (0.3, 0.3), (0.35, -0.05), (0.2, 0)),
            bezier((0.2, 0), (0.05, 0.05), (0.05, 0.5), (0.02, 1)),
            bezier((0.02, 1), (0.05, 0.5), (0.5, 0.45), (0.45, 1)),
            L((0.45, 1), (0.6, 0.92)))],  # cursive: a looped ascender, one stroke
    "k": [S(L((0.05, 0), (0, 1), (0.02, 0.7)),
            bezier((0.02, 0.7), (0.2, 0.4), (0.55, 0.45), (0.35, 0.65)),
            L((0.35, 0.65), (0.1, 0.7), (0.5, 1)))],  # one stroke: a loop where arm meets leg
    "m": P("0,.4 0,1; 0,.45 .45,.45 .45,1; .45,.45 .9,.45 .9,1"),  # boxy and wide, 3 strokes
    "n": [S(L((0, 0.4), (0, 1), (0, 0.75)), arc(0.45, 0.75, 0.45, 0.33, 180, 360),
            L((0.9, 0.75), (0.9, 1)))],  # very wide and low
    "r": [S(L((0.05, 0.4), (0, 1))),
          S(bezier((0.01, 0.7), (0.1, 0.45), (0.4, 0.38), (0.7, 0.45)),
            arc(0.7, 0.5, 0.05, 0.05, -90, 270))],  # bookish: a long arm ending in a ball
    "t": [S(L((0, 0.9), (0.3, 0), (0.25, 0.95), (0.5, 0.8))),
          S(L((0.05, 0.3), (0.5, 0.28)))],  # cursive: up from the line, down again, a high bar
    "w": [S(L((0, 0.4), (0.18, 1), (0.38, 0.5)), arc(0.38, 0.45, 0.05, 0.05, 90, -270),
            L((0.38, 0.5), (0.58, 1), (0.78, 0.4)))],  # a tiny loop at the middle peak
    "J": [S(L((0.35, 0), (1, 0))),
          S(L((0.8, 0), (0.8, 0.55)), bezier((0.8, 0.55), (0.8, 1.1), (0, 1.1), (0, 0.55)))],  # a
    # wide, deep hook under a bar
    "L": [S(L((0.3, 0.06), (0.38, 0), (0.35, 0.05), (0, 1), (0.55, 0.8)))],  # hurried: a nib
    # mark, the stem leaning back, the foot rising
    "Q": [S(tilted_ellipse(0.45, 0.4, 0.45, 0.33, 0)),
          S(L((0.4, 0.45), (0.95, 1)))],  # wide, the tail from the middle out past the bowl
    "c": [S(ring(0.77, 0.54, 0.05)), S(arc(0.42, 0.72, 0.4, 0.25, -40, -320))],  # wide, a ball
    # at the top end
    "d": [S(arc(0.25, 0.75, 0.25, 0.25, -20, -360),
            bezier((0.5, 0.75), (0.6, 0.3), (0.7, -0.1), (0.55, 0)),
            bezier((0.55, 0), (0.4, 0.05), (0.45, 0.6), (0.5, 1)),
            L((0.5, 1), (0.68, 0.9)))],  # cursive: the bowl, then a looped ascender
    "f": [S(bezier((0.75, 0.1), (0.6, -0.1), (0.42, 0.05), (0.4, 0.4)), L((0.4, 0.4), (0.3, 1.1)),
            bezier((0.3, 1.1), (0.27, 1.35), (0.05, 1.3), (0.02, 1.15))),
          S(L((0.15, 0.45), (0.6, 0.45)))],  # italic: hooks above and below the line
    "j": [S(L((0.35, 0.4), (0.35, 1.15)),
            bezier((0.35, 1.15), (0.35, 1.45), (0.05, 1.35), (0.2, 1.05)),
            L((0.2, 1.05), (0.6, 0.85))), S(L((0.34, 0.2), (0.38, 0.18)))],  # cursive: a loop
    # below the line
    "p": [S(L((0.05, 0.45), (0.05, 1.15))), S(L((-0.08, 1.15), (0.18, 1.15))),
          S(arc(0.4, 0.68, 0.35, 0.25, 180, -180))],  # a wide bowl, a short serifed stem
    "u": [S(bezier((-0.1, 0.5), (-0.05, 0.38), (0.05, 0.38), (0.05, 0.5)),
            L((0.05, 0.5), (0.05, 0.7)), arc(0.45, 0.7, 0.4, 0.28, 180, 0),
            L((0.85, 0.7), (0.85, 0.4), (0.85, 1), (1, 0.93)))],
    # wide and low, a hooked lead-in, the stem gone over
    "v": P("0,.4 .08,1 .6,.35"),  # hurried: the left arm upright, the right one long
    "x": [S(bezier((0, 0.4), (0.45, 0.5), (0.45, 0.9), (0, 1))),
          S(bezier((0.6, 0.4), (0.15, 0.5), (0.15, 0.9), (0.6, 1)))],  # two bows back to back
    "y": [S(L((0, 0.4), (0.42, 1.05)), bezier((0.42, 1.05), (0.55, 1.3), (0.3, 1.35), (0.33, 1.1)),
            L((0.33, 1.1), (0.6, 0.4)))],  # a gamma: a loop where the arms cross
}

# -- symbols ----------------------------------------------------------------------------------
SYMBOLS: dict[str, Drawing] = {
    "+": P("0,.5 1,.47 .95,.52; .5,.32 .52,.7"),  # very wide, the bar hooked back at its end
    "-": [S(shaky(L((0, 0), (1, 0.08)), 0.02, 6))],  # trembling, sloping down
    "=": P(".3,0 .7,0; 0,.22 1,.24"),  # the top bar short, the lower one long
    "×": P("0,0 .5,1; .5,0 0,1"),  # very narrow
    "÷": [S(L((1, 0.5), (0, 0.5))), S(ring(0.5, 0.3, 0.05)),
          S(ring(0.5, 0.7, 0.05))],  # wide: a long line, the dots close to it
    "%": P(".02,.05 .28,.05 .28,.32 .02,.32 .02,.05; .62,0 .38,1; .72,.68 .98,.68 .98,.95 .72,.95 "
           ".72,.68"),  # square zeros, a steep slash
    "#": P("0,.25 1,.25; 0,.5 1,.5; .45,0 .3,.75; .75,0 .6,.75"),  # wide, the uprights leaning
    "@": [S(ring(0.5, 0.5, 0.15)),
          S(L((0.66, 0.35), (0.66, 0.62)),
            polar(np.linspace(0.2, 0.5, 120), np.radians(np.linspace(30, 430, 120))))],  # the
    # outer turn a widening spiral, drawn clockwise from the stem
    "&": [S(arc(0.45, 0.27, 0.3, 0.25, -20, -270), arc(0.45, 0.76, 0.35, 0.24, -90, -330)),
          S(L((0.45, -0.1), (0.45, 1.1)))],  # a quick one: an epsilon with a line through
    "*": [S(L((0.5, 0.5), (0.5 + 0.5 * np.cos(a), 0.5 + 0.5 * np.sin(a))))
          for a in np.radians(-90 + 72 * np.arange(5))],  # five arms, each from the centre
    "?": [S(arc(0.12, 0.34, 0.05, 0.06, -90, -450), arc(0.45, 0.28, 0.33, 0.28, 180, 400),
            L((0.7, 0.46), (0.5, 0.62), (0.5, 0.8))),
          S(ring(0.5, 0.96, 0.03))],  # a tiny loop to start the hook
    "!": [S(L((0.38, 0), (0.62, 0), (0.5, 0.72), (0.38, 0))),
          S(ring(0.5, 0.92, 0.04))],  # calligraphic: an outlined wedge
    "$": [S(bezier((0.8, 0.12), (0.5, -0.05), (0.1, 0.05), (0.2, 0.3)),
            bezier((0.2, 0.3), (0.3, 0.5), (0.85, 0.5), (0.8, 0.75)),
            bezier((0.8, 0.75), (0.75, 1), (0.3, 1), (0.15, 0.85))),
          S(L((0.5, -0.22), (0.5, 0.06))), S(L((0.5, 0.94), (0.5, 1.22)))],  # ticks at the ends
    # only, not through
    "<": [S(bezier((1, 0), (0.5, 0.35), (0.25, 0.45), (0, 0.5)),
            bezier((0, 0.5), (0.25, 0.55), (0.5, 0.65), (1, 1)))],  # calligraphic: arms hollowed
    ">": [S(bezier((0, 0), (0.3, 0.1), (0.6, 0.3), (0.75, 0.45)),
            arc(0.77, 0.5, 0.05, 0.05, -90, 270),
            bezier((0.77, 0.45), (0.6, 0.7), (0.3, 0.9), (0, 1)))],  # arms bowed out, a tiny
    # loop at the point
    "\\": [S(shaky(bezier((0, 0), (0.45, 0.3), (0.5, 0.6), (0.7, 1)), 0.012, 5))],  # bowed, shaky
    "{": [S(bezier((0, 0.5), (0.35, 0.45), (0.2, 0.05), (0.55, 0.02)),
            arc(0.55, 0.07, 0.05, 0.05, -90, 90)),
          S(bezier((0, 0.5), (0.35, 0.55), (0.2, 0.95), (0.55, 0.98)),
            arc(0.55, 0.93, 0.05, 0.05, 90, -90))],  # two halves, each from the point out,
    # the ends curled in
    "}": [S(ring(0.05, 0.04, 0.04)),
          S(bezier((0.05, 0), (0.45, 0), (0.25, 0.45), (0.6, 0.5)),
            bezier((0.6, 0.5), (0.25, 0.55), (0.45, 1), (0.05, 1))),
          S(ring(0.05, 0.96, 0.04))],  # smooth, ball ends
    "~": [S(np.stack([x, 0.06 * np.sin(5 * np.pi * x)], axis=1))
          for x in [np.linspace(0, 1, 120)]],  # a long flat ripple, five humps
    "^": P("-.05,.3 .5,0 1,.35 .93,.38"),  # very wide and flat, a hook back at the end
    "π": [S(bezier((0, 0.2), (0.3, 0.05), (0.7, 0.15), (1, 0.02))),
          S(L((0.3, 0.1), (0.3, 0.9)), arc(0.2, 0.9, 0.1, 0.1, 0, 180)),
          S(bezier((0.7, 0.1), (0.7, 0.6), (0.75, 0.95), (0.95, 0.95)))],  # calligraphic: feet
    # turned out both ways
    "√": P("0,.65 .12,.6 .25,1 .4,0 1,0 1,.12"),  # wide, the roof's end dropped
}

# -- doodles ----------------------------------------------------------------------------------
DOODLES: dict[str, Drawing] = {
    "heart": [S(bezier((0.4, 1), (0.1, 0.75), (-0.15, 0.4), (0, 0.15)),
                bezier((0, 0.15), (0.15, -0.08), (0.55, -0.05), (0.6, 0.3))),
              S(bezier((0.4, 1), (0.7, 0.75), (0.95, 0.55), (0.92, 0.35)),
                bezier((0.92, 0.35), (0.9, 0.2), (0.7, 0.15), (0.6, 0.3)))],  # lopsided: a big
    # left lobe, a small right one, both halves drawn up from the tip
    "smiley": [S(L(*polar(np.full(7, 0.5), np.radians(np.arange(7) * 60 + 30)))),
               S(L((0.27, 0.27), (0.39, 0.39))), S(L((0.39, 0.27), (0.27, 0.39))),
               S(L((0.61, 0.27), (0.73, 0.39))), S(L((0.73, 0.27), (0.61, 0.39)))]
    + [S(np.stack([x, 0.65 + 0.04 * np.sin(4 * np.pi * x / 0.4)], axis=1))
       for x in [np.linspace(0.3, 0.7, 40)]],  # a hexagon head, crossed-out eyes, a wavy mouth
    "star": [S(np.stack([0.5 + 0.5 * np.cos(t) ** 3, 0.5 + 0.5 * np.sin(t) ** 3], axis=1))
             for t in [np.linspace(0, 2 * np.pi, 160)]],  # a four-pointed sparkle, the sides
    # hollowed in
    "spiral": [S(L(*np.cumsum([(0, 0)] + [
        (0.3 + 0.22 * k) * np.array([np.cos(a), np.sin(a)])
        for k, a in enumerate(np.radians(120 * np.arange(6)))], axis=0)))],  # triangular,
    # outwards from the middle
    "house": P("0,1 0,.45 .3,.1 .6,.45 .6,1 0,1; .42,.28 .42,.08 .52,.08 .52,.4; "
               ".22,1 .22,.72 .38,.72 .38,1")
    + [S(bezier((0.47, 0.03), (0.38, -0.1), (0.6, -0.15), (0.5, -0.28)))],  # narrow, steep roof,
    # a chimney smoking
    "cloud": [S(arc(0.15, 0.38, 0.15, 0.15, 90, 270), arc(0.4, 0.25, 0.2, 0.2, 200, 340),
                arc(0.7, 0.25, 0.18, 0.18, 200, 360), arc(0.85, 0.38, 0.13, 0.13, 270, 450),
                L((0.85, 0.51), (0.15, 0.53))),
              S(L((0.25, 0.65), (0.2, 0.8))), S(L((0.5, 0.65), (0.45, 0.8))),
              S(L((0.75, 0.65), (0.7, 0.8)))],  # a rain cloud
    "arrow": [S(arc(0.5, 0.7, 0.5, 0.6, 180, 350)),
              S(L((0.72, 0.5), (0.99, 0.6), (1.04, 0.32)))],  # curved over, like a turn sign
    "tick mark": [S(arc(0.06, 0.7, 0.05, 0.05, 0, -360), L((0.11, 0.7), (0.25, 1), (1, 0.55)))],
    # wide and flat, starting with a tiny loop
    "cross-hatch": P("0,.5 .5,0 .25,.75 .75,.25 .5,1 1,.5; "
                     "0,.5 .5,1 .25,.25 .75,.75 .5,0 1,.5"),  # two sawtooth strokes, one
    # hatching each way
    "sun": [S(arc(0.5, 0.75, 0.3, 0.3, 180, 360)), S(L((-0.05, 0.75), (1.05, 0.75)))]
    + [S(L((0.5 + 0.38 * np.cos(a), 0.75 + 0.38 * np.sin(a)),
           (0.5 + 0.55 * np.cos(a), 0.75 + 0.55 * np.sin(a))))
       for a in np.radians([200, 235, 270, 305, 340])],  # setting on the horizon
    "flower": [S(polar(0.06 + 0.34 * np.abs(np.cos(2.5 * t)), t, (0.5, 0.4)))
               for t in [np.linspace(0, 2 * np.pi, 240)]]
    + [S(bezier((0.5, 0.75), (0.45, 0.85), (0.55, 0.95), (0.5, 1.1))),
       S(L((0.5, 0.95), (0.15, 0.85))), S(L((0.5, 1), (0.85, 0.9)))],  # five big petals in one
    # looping stroke, a short stem, two leaves as strokes
    "fish": P(".35,.2 .7,.5 .35,.8 0,.5 .35,.2; .7,.5 1,.25 .92,.5 1,.75 .7,.5")
    + [S(ring(0.2, 0.45, 0.03)), S(ring(-0.1, 0.25, 0.05))],  # a diamond body facing left,
    # a forked tail, a bubble
    "tree": P(".5,0 .25,.3 .4,.3 .15,.6 .35,.6 .05,.9 .95,.9 .65,.6 .85,.6 .6,.3 .75,.3 .5,0; "
              ".45,.9 .45,1 .55,1 .55,.9"),  # a fir in three tiers
    "lightning": P(".55,0 .2,.55 .45,.55 .3,1 .85,.38 .58,.38 .8,0 .55,0"),  # the bolt outlined
    "square": [S(shaky(L((0.05, 0), (1, 0.03), (0.97, 1), (0, 0.97), (0.07, -0.06)), 0.012,
                       16))],  # shaky, one stroke, corners overshot
    "triangle": [S(L((0, 0), (1, 0.05), (0.52, 0.8)), arc(0.5, 0.86, 0.05, 0.06, -60, 300),
                   L((0.52, 0.8), (0, 0)))],  # pointing down, a tiny loop at the point
}


# -- scribbles (procedures of the rng) --------------------------------------------------------
def jagged(rng) -> Drawing:
    """A random polyline of 8-15 straight pieces, each turning back sharply (120-165
    degrees, left or right at random), stretched to be 1.4-2.2 times as wide as it is tall
    (an angry scrawl)."""
    n = int(rng.integers(8, 16))
    heading = rng.uniform(0, 2 * np.pi)
    points = [np.zeros(2)]
    for _ in range(n):
        points.append(points[-1] + rng.uniform(0.3, 1.0) * np.array([np.cos(heading),
                                                                      np.sin(heading)]))
        heading += rng.choice([-1, 1]) * rng.uniform(np.radians(120), np.radians(165))
    p = np.array(points)
    span = np.maximum(np.ptp(p, axis=0), 1e-6)
    p = (p - p.min(axis=0)) / span * np.array([rng.uniform(1.4, 2.2), 1.0])
    return [S(L(*p))]


def knot(rng) -> Drawing:
    """A tangled knot wider than tall: 3-5 loops of 0.22-0.35 (a little uneven) round a
    centre that travels right and back again (1 or 1.5 times, 1-1.6 each way), so the loops
    cross one another (never one ring gone round: the centre moves over three radii)."""
    turns = rng.uniform(3, 5)
    t = np.linspace(0, 2 * np.pi * turns, int(70 * turns))
    s = t / t[-1]
    travel = rng.uniform(0.5, 0.8) * np.sin(2 * np.pi * rng.choice([1.0, 1.5]) * s)
    radius = rng.uniform(0.22, 0.35) * (1 + 0.25 * np.sin(2 * np.pi * rng.uniform(1, 3) * s))
    x = travel + radius * np.cos(t)
    y = radius * rng.uniform(0.7, 1.0) * np.sin(t) + rng.normal(0, 0.05) * s
    return [S(np.stack([x, y], axis=1))]


SCRIBBLES = {"zigzag": jagged, "loops": knot}

# -- dots and lines: (strokes, sizes), the sizes as nondigit_fourth_templates ----------------
DOTS_LINES: dict[str, tuple[Drawing, tuple[float, float]]] = {
    "dot": (P("0,0 0,1 .33,1 .33,0 .66,0 .66,1 1,1 1,0"), (0.02, 0.04)),  # filled up and down
    "dash": (P("0,0 .9,.3 1,.22"), (0.08, 0.25)),  # sloping down, a flick up at the end
    "horizontal line": ([S(shaky(L((0, 0), (1, 0.05)), 0.012, 9))], (0.4, 0.9)),  # trembling
    "diagonal line": (P("0,1 .55,0 .5,.08"), (0.4, 0.9)),  # steep, rising, a hook back at the top
    "parallel lines": (P("1,0 0,.03; .7,.35 0,.38"), (0.3, 0.8)),  # drawn leftwards, the lower
    # one shorter
    "circle-dot": ([S(tilted_ellipse(0.5, 0.5, 0.5, 0.38, 30)),
                    S(L((0.47, 0.47), (0.55, 0.5), (0.48, 0.55), (0.47, 0.47)))],
                   (0.3, 0.8)),  # a tilted ellipse round a small triangle
}

"""The held_out_third split of non-digit drawings: one more hand for every symbol.

Written (2026-12, issue 13) after the held_out and held_out_fresh splits had been looked at
(their misses inspected), as a third clean held-out set: no tool trains on these, chooses
with them or looks at what a check says of them before the final report. Same symbols,
families and structure as nondigit_fresh_templates (one variant per symbol that is not
digit-like), each variant another construction, proportion, stroke order or hand than every
train, held_out and held_out_fresh variant of its symbol (tests/test_nondigit_later_splits.py
checks the rendered shapes). Seeds [3 SPAN, 4 SPAN) (nondigit_drawings).

Conventions as nondigit_drawings: a Drawing is a list of (N, 2) polylines (x, y; y down);
capitals about 0.6 wide and 1 tall, small letters from y = 0.4 to 1, descenders to 1.3.
"""

from __future__ import annotations

import numpy as np

from testkit.nondigit_drawings import L, P, S, _star
from testkit.stroke_digits import Drawing, arc, bezier


def polar(radius: np.ndarray, t: np.ndarray, centre=(0.5, 0.5)) -> np.ndarray:
    """Points (N, 2) at `radius` (N,) and angle `t` (N,, radians) round `centre`."""
    return np.stack([centre[0] + radius * np.cos(t), centre[1] + radius * np.sin(t)], axis=1)


def ring(cx: float, cy: float, r: float) -> np.ndarray:
    """A small closed circle (N, 2), as a dot or a bubble is drawn."""
    return arc(cx, cy, r, r, 0, 360)


def tilted_ellipse(cx: float, cy: float, rx: float, ry: float, tilt: float) -> np.ndarray:
    """A closed ellipse (60, 2) turned by `tilt` degrees (clockwise on screen)."""
    t = np.linspace(0, 2 * np.pi, 60)
    c, s = np.cos(np.radians(tilt)), np.sin(np.radians(tilt))
    x, y = rx * np.cos(t), ry * np.sin(t)
    return np.stack([cx + c * x - s * y, cy + s * x + c * y], axis=1)


# -- letters ----------------------------------------------------------------------------------
LETTERS: dict[str, Drawing] = {
    "A": P("0,1 .36,-.05; .24,-.05 .6,1; .1,.68 .52,.64"),  # legs crossing at the apex, low bar
    "C": P(".7,.15 .45,0 .15,.1 0,.4 0,.65 .15,.9 .45,1 .7,.85"),  # octagonal, wide
    "D": [S(L((0, -0.08), (0, 1.08))),
          S(L((0, 0), (0.3, 0)), arc(0.3, 0.2, 0.2, 0.2, -90, 0), L((0.5, 0.2), (0.5, 0.8)),
            arc(0.3, 0.8, 0.2, 0.2, 0, 90), L((0.3, 1), (0, 1)))],  # rounded box, stem overshoots
    "E": [S(bezier((0.1, 0), (0, 0.3), (0, 0.7), (0.1, 1))), S(L((0.1, 0), (0.6, -0.05))),
          S(L((0.05, 0.5), (0.4, 0.45))), S(L((0.1, 1), (0.65, 0.95)))],  # bowed spine, 4 strokes
    "F": P(".15,1 .15,0; -.1,.02 .55,0; 0,.48 .4,.5"),  # bars crossing the stem
    "H": [S(bezier((0.1, 0), (0.05, 0.4), (0.05, 0.7), (0, 1))),
          S(bezier((0.65, 0), (0.6, 0.4), (0.55, 0.7), (0.55, 1))),
          S(bezier((0.55, 0.45), (0.3, 0.6), (0.05, 0.5), (0.1, 0.4)),
            bezier((0.1, 0.4), (0.2, 0.3), (0.4, 0.55), (0.75, 0.45)))],  # a looped bar
    "K": P("0,0 0,1; .6,0 .15,.5 .6,1"),  # the arms a "<" apart from the stem
    "M": P("0,1 0,0; 0,0 .45,.3; .45,.3 .9,0; .9,0 .9,1"),  # wide, shallow middle, 4 strokes
    "N": P(".05,0 .45,1; 0,1 .05,0; .45,1 .5,-.08"),  # narrow, diagonal first
    "P": [S(L((0, 1), (0.15, 0))),
          S(bezier((0.12, 0.05), (0.9, -0.1), (0.85, 0.7), (0.2, 0.62)))],  # leaning, open bowl
    "R": [S(L((0.05, 1), (0.05, 0))),
          S(L((0.05, 0), (0.3, 0)), arc(0.3, 0.18, 0.18, 0.18, -90, 90),
            L((0.3, 0.36), (0.05, 0.36))),
          S(L((0.05, 0.36), (0.3, 0.36)), bezier((0.3, 0.36), (0.55, 0.5), (0.4, 0.9),
                                               (0.75, 1)))],  # small bowl, leg from the stem
    "T": P("0,.2 .8,0; .4,.1 .55,1"),  # steep bar, leaning stem
    "U": P("0,0 .15,1 .5,1 .65,0"),  # a flat-bottomed trough
    "V": P("0,0 .38,1.05; .25,1.05 .6,0"),  # two strokes crossing at the foot
    "W": [S(bezier((-0.05, 0.1), (0, -0.05), (0.1, 0.05), (0.1, 0.2)),
            L((0.1, 0.2), (0.25, 1), (0.42, 0.5), (0.6, 1), (0.8, 0.1)),
            bezier((0.8, 0.1), (0.82, 0), (0.9, -0.02), (0.95, 0.05)))],  # curls at both tops
    "X": P(".35,0 0,1; .1,0 .5,1"),  # crossing high, right stroke first
    "Y": [S(L((0, 0), (0.35, 0.3))),
          S(L((0.75, 0), (0.35, 0.3), (0.35, 0.85)), arc(0.2, 0.85, 0.15, 0.15, 0, 150))],
    "a": [S(arc(0.25, 0.72, 0.25, 0.26, -10, -370)),
          S(bezier((0.3, 0.45), (0.45, 0.33), (0.56, 0.42), (0.52, 0.6)),
            L((0.52, 0.6), (0.52, 1)))],  # round bowl, the stem curling over the top
    "e": [S(L((-0.15, 0.7), (0.6, 0.7)), bezier((0.6, 0.7), (0.6, 0.35), (0, 0.3), (0.05, 0.75)),
            bezier((0.05, 0.75), (0.1, 1.05), (0.5, 1), (0.6, 0.9)))],  # bar sticking out left
    "h": [S(bezier((0, 0.1), (0.05, -0.05), (0.2, 0), (0.15, 0.1)), L((0.15, 0.1), (0.1, 1))),
          S(L((0.1, 0.7), (0.35, 0.5), (0.5, 0.6), (0.5, 0.95), (0.65, 0.9)))],  # hook at the top
    "k": [S(bezier((0.1, 0.3), (0.3, -0.1), (0, -0.05), (0.05, 0.1)), L((0.05, 0.1), (0.05, 1))),
          S(bezier((0.5, 0.45), (0.3, 0.45), (0.1, 0.6), (0.05, 0.7)),
            L((0.05, 0.7), (0.25, 0.68), (0.55, 1)))],  # looped ascender, curved arm
    "m": [S(L((0, 0.45), (0, 1), (0.02, 0.6)),
            bezier((0.02, 0.6), (0.1, 0.4), (0.3, 0.4), (0.28, 0.75)), L((0.28, 0.75), (0.28, 0.6)),
            bezier((0.28, 0.6), (0.4, 0.3), (0.85, 0.35), (0.8, 1)))],  # small hump, big hump
    "n": P("0,.4 0,1; 0,.6 .3,.4 .45,.45 .7,1"),  # the right leg splayed
    "r": [S(L((0, 0.4), (0, 1))), S(arc(0.3, 0.55, 0.15, 0.12, 200, 340))],  # arm apart
    "t": [S(L((0.3, 0), (0.2, 0.9)), bezier((0.2, 0.9), (0.18, 1.05), (0.45, 1.05), (0.55, 0.8))),
          S(L((0.05, 0.3), (0.65, 0.38)))],  # long sloping cross, curled foot
    "w": [S(L((-0.1, 0.9), (0, 0.45), (0.12, 1), (0.3, 0.65), (0.45, 1), (0.58, 0.45)),
            bezier((0.58, 0.45), (0.5, 0.55), (0.6, 0.6), (0.75, 0.5)))],  # lead-in, end loop
    "J": [S(bezier((0.3, 0.2), (0.05, 0.15), (0.15, -0.05), (0.5, 0)), L((0.5, 0), (0.45, 0.8)),
            bezier((0.45, 0.8), (0.42, 1.05), (0.1, 1.05), (0.05, 0.8)))],  # a curl on top
    "L": [S(bezier((0.35, 0.05), (0.5, -0.05), (0.4, -0.05), (0.3, 0.2)),
            L((0.3, 0.2), (0.15, 0.9)),
            bezier((0.15, 0.9), (0.1, 1.05), (-0.05, 0.95), (0.1, 0.9)),
            L((0.1, 0.9), (0.6, 1)))],  # cursive: curl on top, loop in the corner
    "Q": [S(arc(0.3, 0.45, 0.3, 0.45, -95, 95)), S(arc(0.3, 0.45, 0.3, 0.45, 265, 85)),
          S(L((0.3, 0.82), (0.45, 1.1)))],  # two halves, a tail hanging below
    "c": [S(bezier((0.47, 0.52), (0.44, 0.44), (0.55, 0.42), (0.55, 0.5)),
            bezier((0.55, 0.5), (0.5, 0.35), (0, 0.35), (0, 0.72)),
            bezier((0, 0.72), (0, 1.05), (0.45, 1.05), (0.58, 0.88)))],  # a curl to start
    "d": [S(L((0.65, 0), (0.45, 1), (0.6, 0.95))),
          S(tilted_ellipse(0.27, 0.8, 0.2, 0.13, 30))],  # italic, a small tilted bowl
    "f": [S(bezier((0, 0.6), (0.3, 0.3), (0.6, -0.1), (0.4, 0)),
            bezier((0.4, 0), (0.2, 0.05), (0.3, 0.5), (0.3, 1.25)),
            bezier((0.3, 1.25), (0.3, 1.4), (0.1, 1.3), (0.35, 0.75)),
            L((0.35, 0.75), (0.6, 0.65)))],  # cursive, loops above and below
    "j": [S(L((0.5, 0.4), (0.45, 1)), bezier((0.45, 1), (0.4, 1.35), (0.05, 1.35), (0, 1))),
          S(L((0.4, 0.2), (0.55, 0.18)))],  # a wide hook, a dash for the dot
    "p": [S(L((0.05, 0.45), (0, 1.3)), bezier((0, 1.3), (-0.05, 1.4), (-0.1, 1.2), (0.02, 0.6)),
            bezier((0.02, 0.6), (0.2, 0.35), (0.6, 0.45), (0.5, 0.75)),
            bezier((0.5, 0.75), (0.4, 1), (0.1, 0.95), (0.05, 0.85)))],  # looped descender
    "u": [S(L((0, 0.4), (0.05, 0.85)), bezier((0.05, 0.85), (0.1, 1.05), (0.45, 1.05), (0.5, 0.8)),
            L((0.5, 0.8), (0.55, 0.4)))],  # no tail
    "v": [S(L((0, 0.42), (0.25, 1), (0.48, 0.45)),
            bezier((0.48, 0.45), (0.45, 0.35), (0.35, 0.45), (0.45, 0.5)),
            L((0.45, 0.5), (0.65, 0.45)))],  # an end loop
    "x": P("0,.4 .55,1; .4,.55 .15,.9"),  # one long stroke, a short slash
    "y": [S(L((0, 0.4), (0, 0.75)), arc(0.22, 0.75, 0.22, 0.2, 180, 0)),
          S(L((0.44, 0.4), (0.44, 1.15)), arc(0.24, 1.15, 0.2, 0.18, 0, 160))],  # a u with a tail
}

# -- symbols ----------------------------------------------------------------------------------
SYMBOLS: dict[str, Drawing] = {
    "+": [S(bezier((0.5, 0), (0.6, 0.3), (0.4, 0.7), (0.5, 1))),
          S(L((0.15, 0.6), (0.85, 0.45)))],  # bowed upright, sloping arm
    "-": P("0,.08 .03,0 1,.12"),  # sloping down, a nib mark at the start
    "=": P("0,.05 1,0; .9,.5 .15,.42"),  # the lower bar shorter, drawn leftwards, tilted
    "×": P("0,1 1,0; .85,.95 .1,.15"),  # upwards, the second stroke short, off centre
    "÷": [S(L((1, 0.55), (0, 0.5))), S(L((0.42, 0.15), (0.58, 0.15))),
          S(L((0.42, 0.9), (0.58, 0.9)))],  # dashes for dots, line drawn leftwards
    "%": [S(arc(0.2, 0.2, 0.17, 0.2, 90, 450), L((0.2, 0.4), (0.85, 0), (0.15, 1))),
          S(arc(0.8, 0.8, 0.17, 0.2, 0, -360))],  # circle and slash in one stroke
    "#": [S(L((0.2, 0), (0.4, 1))), S(L((0.6, 0), (0.8, 1))),
          S(bezier((0, 0.35), (0.3, 0.25), (0.7, 0.45), (1, 0.35))),
          S(bezier((0, 0.7), (0.3, 0.6), (0.7, 0.8), (1, 0.7)))],  # leaning back, wavy bars
    "@": [S(ring(0.48, 0.52, 0.14)), S(L((0.62, 0.32), (0.62, 0.7), (0.75, 0.72))),
          S(arc(0.5, 0.5, 0.5, 0.5, 60, -250))],  # three strokes, the outer one leftwards
    "&": [S(arc(0.4, 0.2, 0.15, 0.18, -90, 200), L((0.26, 0.14), (0.3, 0.3), (0.95, 1))),
          S(bezier((0.45, 0.4), (-0.05, 0.6), (0, 1.05), (0.4, 1)),
            bezier((0.4, 1), (0.6, 0.98), (0.8, 0.75), (0.9, 0.55)))],  # loop+leg, then bowl
    "*": P(".45,0 .55,1; 0,.3 1,.75; .2,.9 .75,.05"),  # lines missing a common centre
    "?": [S(arc(0.45, 0.25, 0.3, 0.25, 180, 450), arc(0.45, 0.55, 0.05, 0.05, -90, 270),
            L((0.45, 0.5), (0.45, 0.78))), S(ring(0.45, 0.95, 0.04))],  # a loop at the neck
    "!": [S(L((0.45, 0.95), (0.48, 1))), S(L((0.55, 0.72), (0.7, 0)))],  # dot first, slanted
    "$": [S(bezier((0.85, 0.15), (0.5, -0.1), (0.05, 0.1), (0.3, 0.4)),
            bezier((0.3, 0.4), (0.6, 0.6), (0.95, 0.7), (0.6, 0.92)),
            bezier((0.6, 0.92), (0.4, 1.02), (0.1, 0.95), (0.05, 0.8))),
          S(L((0.3, -0.05), (0.7, 1.05)))],  # the line slanting through
    "<": P("1,1 0,.35 .7,0"),  # drawn upwards, vertex high, arms unequal
    ">": P("0,0 1,.65 .3,1"),
    "\\": P("1,1 .55,.55; .5,.48 0,0"),  # upwards, in two pieces
    "{": [S(bezier((0.6, 0), (0.25, 0), (0.35, 0.4), (0.1, 0.48)),
            arc(0.08, 0.52, 0.06, 0.05, -60, -420),
            bezier((0.1, 0.55), (0.35, 0.6), (0.25, 1), (0.6, 1)))],  # a loop at the point
    "}": [S(bezier((0, 0), (0.35, 0.02), (0.2, 0.4), (0.3, 0.45)), L((0.3, 0.45), (0.65, 0.5))),
          S(L((0.65, 0.5), (0.3, 0.55)),
            bezier((0.3, 0.55), (0.2, 0.6), (0.35, 0.98), (0, 1)))],  # halves, a long nose
    "~": [S(np.stack([x, 0.5 + 0.15 * np.sin(3 * np.pi * x)], axis=1))
          for x in [np.linspace(0, 1, 90)]],  # three humps
    "^": P("0,.6 .35,0 1,1"),  # lopsided
    "π": P("-.05,.12 1.05,.08; .3,.1 .4,1; .7,.1 .6,1"),  # legs closing in
    "√": [S(L((0, 0.55), (0.12, 0.55), (0.3, 1)),
            bezier((0.3, 1), (0.38, 0.6), (0.42, 0.2), (0.55, 0.03)),
            L((0.55, 0.03), (1, 0.03)))],  # a flat lead-in, the long arm bowed
}

# -- doodles ----------------------------------------------------------------------------------
_HEART_OUTLINE = np.concatenate([bezier((0.5, 0.25), (0.3, -0.1), (-0.1, 0.2), (0.5, 1)),
                                 bezier((0.5, 1), (1.1, 0.2), (0.7, -0.1), (0.5, 0.25))])
_BOLT = [(0.55, 0.3), (0.35, 0.6), (0.55, 0.6), (0.3, 1)]
DOODLES: dict[str, Drawing] = {
    "heart": [S(_HEART_OUTLINE),
              S((_HEART_OUTLINE - 0.5) * 0.55 + np.array([0.5, 0.52]))],  # a heart in a heart
    "smiley": [S(arc(0.5, 0.5, 0.5, 0.42, 0, 360)), S(arc(0.32, 0.38, 0.08, 0.06, 180, 360)),
               S(arc(0.68, 0.38, 0.08, 0.06, 180, 360)),
               S(L((0.28, 0.58), (0.72, 0.58)), arc(0.5, 0.58, 0.22, 0.2, 0, 180))],  # ^^ and D
    "star": [S(_star(5, 0.4)), S(L((0.1, 0.6), (-0.5, 0.9))), S(L((0.2, 0.85), (-0.4, 1.15))),
             S(L((0.4, 0.95), (-0.2, 1.3)))],  # a shooting star
    "spiral": [S(polar(np.linspace(0, 1, 200) ** 0.5 * 0.4, np.linspace(0, 6 * np.pi, 200)),
                 L((0.9, 0.5), (1.3, 0.5)))],  # tight outer turns, open centre, a tail
    "house": P("0,.45 .5,0 1,.45; .1,.5 .1,1 .9,1 .9,.5 .1,.5; .35,.6 .65,.6 .65,.85 .35,.85 "
               ".35,.6; .5,.6 .5,.85; .35,.72 .65,.72"),  # roof apart, a window with a cross
    "cloud": [S(ring(0.25, 0.55, 0.2)), S(ring(0.5, 0.4, 0.25)), S(ring(0.78, 0.55, 0.2)),
              S(L((0.05, 0.75), (0.98, 0.75)))],  # overlapping whole circles on a line
    "arrow": P(".5,0 .5,1; .3,.8 .5,1 .7,.8; .35,.05 .5,.15 .65,.05; .35,.15 .5,.25 .65,.15"),
    "tick mark": [S(L((0, 0.5), (0.25, 0.92)), arc(0.25, 0.85, 0.07, 0.07, 90, -200),
                    bezier((0.2, 0.8), (0.4, 0.6), (0.7, 0.2), (1, 0)))],  # a loop at the foot
    "cross-hatch": [S(L((0, 0), (1, 0), (1, 0.33), (0, 0.33), (0, 0.66), (1, 0.66), (1, 1))),
                    S(L((0.15, -0.05), (0.15, 1.05), (0.5, 1.05), (0.5, -0.05), (0.85, -0.05),
                        (0.85, 1.05)))],  # each way in one back-and-forth stroke
    "sun": [S(ring(0.5, 0.5, 0.26)),
            S(polar(np.where(np.arange(25) % 2 == 0, 0.34, 0.5),
                    np.linspace(0, 2 * np.pi, 25)))],  # rays as one zigzag crown
    "flower": [S(ring(0.5, 0.25, 0.07))]
    + [S(polar(0.07 + 0.17 * np.sin(np.linspace(0, np.pi, 30)),
               a + 0.45 * np.cos(np.linspace(0, np.pi, 30)), (0.5, 0.25)))
       for a in np.arange(5) * 2 * np.pi / 5]
    + [S(bezier((0.5, 0.45), (0.45, 0.7), (0.55, 0.85), (0.5, 1))),
       S(bezier((0.5, 0.8), (0.7, 0.6), (0.85, 0.7), (0.5, 0.8)))],  # teardrop petals, a leaf
    "fish": P("0,.5 .75,.5; .75,.5 1,.35 1,.65 .75,.5; .15,.3 .2,.7; .3,.3 .35,.7; .45,.3 .5,.7; "
              ".6,.35 .62,.65; 0,.5 -.1,.35; 0,.5 -.1,.65"),  # a skeleton: spine, ribs, tail
    "tree": P(".5,1 .5,.5; .5,.5 .2,.15; .5,.6 .85,.2; .35,.32 .3,.05; .7,.38 .8,.1; "
              ".27,.24 .05,.2; .77,.29 1,.3; .5,.8 .3,.7"),  # bare branches
    "lightning": [S(arc(0.3, 0.3, 0.2, 0.15, 180, 360), arc(0.62, 0.25, 0.22, 0.22, 200, 360),
                    L((0.84, 0.25), (0.84, 0.3), (0.1, 0.3))), S(L(*_BOLT))],  # out of a cloud
    "square": P("-.05,0 1.05,0; 1,-.05 1,1.05; 1.05,1 -.05,1; 0,1.05 0,-.05"),  # overshoots
    "triangle": P("0,0 1.05,.5; 1,.45 -.05,1; 0,1.05 0,-.05"),  # pointing right, 3 strokes
}


# -- scribbles (procedures of the rng) --------------------------------------------------------
def scrawl(rng) -> Drawing:
    """A signature-like zigzag: sharp peaks of uneven height and width, on a rising line, the
    pen now and then stepping back."""
    n = int(rng.integers(7, 16))
    x = np.cumsum(rng.uniform(-0.3, 1.0, n))
    rise = rng.uniform(-0.8, -0.2) * x / max(float(np.ptp(x)), 1e-6)
    y = np.where(np.arange(n) % 2 == 0, 0.0, 1.0) * rng.uniform(0.3, 1.2, n) + rise
    return [S(L(*zip(x, y, strict=True)))]


def lissajous(rng) -> Drawing:
    """A Lissajous figure x = sin(a t + phase), y = sin(b t), a != b in 1..5: the loops of a
    pen going round and round at two speeds."""
    a, b = rng.choice(np.arange(1, 6), 2, replace=False)
    t = np.linspace(0, 2 * np.pi * rng.uniform(0.7, 1.0), 400)
    x = np.sin(a * t + rng.uniform(0, np.pi))
    y = np.sin(b * t) * rng.uniform(0.6, 1.0)
    return [S(np.stack([x, y], axis=1))]


SCRIBBLES = {"zigzag": scrawl, "loops": lissajous}

# -- dots and lines: (strokes, sizes) ---------------------------------------------------------
DOTS_LINES: dict[str, tuple[Drawing, tuple[float, float]]] = {
    "dot": (P("0,.5 1,.3 .1,.2 .9,0 .2,.8 1,1"), (0.02, 0.04)),  # a scrubbed dab
    "dash": ([S(L((0, 0.05), (1, 0), (1, 0.1), (0, 0.12), (0, 0.05)))], (0.08, 0.25)),  # outlined
    "horizontal line": (P("0,0 1,.01; .05,.04 .95,.03"), (0.4, 0.9)),  # gone over twice
    "diagonal line": (P("0,.05 .05,0 .8,1"), (0.4, 0.9)),  # steep, a nib mark
    "parallel lines": (P("0,0 0,1; .25,.05 .27,1; .5,0 .5,.95; .75,.05 .73,1"), (0.3, 0.8)),
    "circle-dot": ([S(arc(0.5, 0.5, 0.5, 0.5, -80, 100)), S(arc(0.52, 0.5, 0.5, 0.5, 260, 95)),
                    S(L((0.5, 0.5), (0.53, 0.47)))], (0.3, 0.8)),  # a circle in two halves
}

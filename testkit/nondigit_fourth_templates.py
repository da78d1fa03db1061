"""The held_out_fourth split of non-digit drawings: one more hand for every symbol, again.

Written (2026-12, issue 13) after held_out, held_out_fresh and held_out_third had all been
measured or looked at, and BEFORE the next change to the not-a-digit check, so that change
can be measured on drawings nobody has chosen with: no tool trains on these, chooses with
them or looks at what a check says of them before that change's report. Same symbols,
families and structure as nondigit_third_templates (one variant per symbol that is not
digit-like; the dots and lines with the same sizes), each variant another construction,
proportion, stroke order or hand than every train, held_out, held_out_fresh and
held_out_third variant of its symbol: a child's blocky hand, a fast cursive hand, a careful
draughtsman, a left-hander's backward slant (tests/test_nondigit_later_splits.py checks the
rendered shapes). Seeds [4 SPAN, 5 SPAN) (nondigit_drawings).

Conventions as nondigit_drawings: a Drawing is a list of (N, 2) polylines (x, y; y down);
capitals about 0.6 wide and 1 tall, small letters from y = 0.4 to 1, descenders to 1.3.
"""

from __future__ import annotations

import numpy as np

from testkit.nondigit_drawings import L, P, S, _star
from testkit.nondigit_more_templates import scallop
from testkit.nondigit_third_templates import polar, ring, tilted_ellipse
from testkit.stroke_digits import Drawing, arc, bezier


def rounded_box(x0: float, y0: float, x1: float, y1: float, r: float) -> np.ndarray:
    """A closed rectangle (N, 2) with quarter-circle corners of radius `r`, clockwise from
    the top edge, as a careful hand rounds a box's corners."""
    return S(L((x0 + r, y0), (x1 - r, y0)), arc(x1 - r, y0 + r, r, r, -90, 0),
             L((x1, y0 + r), (x1, y1 - r)), arc(x1 - r, y1 - r, r, r, 0, 90),
             L((x1 - r, y1), (x0 + r, y1)), arc(x0 + r, y1 - r, r, r, 90, 180),
             L((x0, y1 - r), (x0, y0 + r)), arc(x0 + r, y0 + r, r, r, 180, 270))


def wave(cycles: float, amplitude: float, n: int = 120) -> np.ndarray:
    """Points (n, 2) of y = amplitude * sin(2 pi cycles x) for x from 0 to 1."""
    x = np.linspace(0, 1, n)
    return np.stack([x, amplitude * np.sin(2 * np.pi * cycles * x)], axis=1)


# -- letters ----------------------------------------------------------------------------------
LETTERS: dict[str, Drawing] = {
    "A": P("0,1 .28,0 .56,1; .08,.6 .28,.78 .48,.6"),  # a pointed tent, the bar dipping in a V
    "C": [S(bezier((0.6, 0.9), (0.1, 1.15), (-0.1, 0.3), (0.25, 0.05)),
            bezier((0.25, 0.05), (0.4, -0.05), (0.62, 0.02), (0.55, 0.2)))],  # from the foot,
    # leaning back, the top end hooked down
    "D": [S(bezier((0.15, 0.05), (0.1, 0.4), (0.1, 0.8), (0.05, 0.95)),
            bezier((0.05, 0.95), (-0.05, 1.05), (-0.1, 0.85), (0.1, 0.9)),
            bezier((0.1, 0.9), (0.8, 1.1), (0.85, -0.1), (0, 0.05)))],  # copybook: stem, a loop
    # at the foot, the bowl round to the top in the same stroke
    "E": P(".6,-.05 0,0 .15,1 .7,.95; .55,.45 .07,.5"),  # spine leaning back, bars drawn left
    "F": [S(L((0, 1), (0.25, 0))), S(bezier((0.2, 0.02), (0.4, -0.06), (0.6, 0.08), (0.8, 0))),
          S(L((0.08, 0.55), (0.45, 0.5)))],  # italic, a wavy top bar
    "H": P(".2,0 0,1; .8,0 .6,1; .12,.35 .72,.35"),  # wide, leaning back, the bar high
    "K": [S(bezier((-0.1, 0.1), (-0.1, -0.05), (0.05, -0.05), (0.05, 0.1)), L((0.05, 0.1), (0, 1))),
          S(bezier((0.7, 0.05), (0.35, 0.3), (0.25, 0.5), (0.02, 0.55))),
          S(L((0.22, 0.45), (0.7, 0.95), (0.8, 0.9)))],  # a hooked stem, a curved arm, wide
    "M": [S(bezier((0, 1), (-0.1, 0.6), (0, 0.2), (0.1, 0))), S(L((0.1, 0), (0.4, 0.5), (0.7, 0))),
          S(bezier((0.7, 0), (0.8, 0.2), (0.9, 0.6), (0.8, 1)))],  # legs bowed out, shallow V
    "N": [S(L((0, 1), (0.05, 0.05)), bezier((0.05, 0.05), (0.1, -0.05), (0.15, 0), (0.2, 0.2)),
            L((0.2, 0.2), (0.45, 1), (0.6, 0.05)),
            bezier((0.6, 0.05), (0.65, -0.05), (0.75, 0), (0.8, 0.1)))],  # round shoulder, flick
    "P": [S(bezier((0.2, 0.05), (0.1, 0.4), (0.1, 0.7), (0.05, 1))),
          S(bezier((0.3, 0.12), (0.75, -0.05), (0.85, 0.45), (0.35, 0.55)),
            L((0.35, 0.55), (0.08, 0.55)))],  # the bowl apart from the stem at the top
    "R": [S(L((0.1, 1), (0, 0))),
          S(bezier((0, 0.02), (0.75, -0.1), (0.7, 0.5), (0.15, 0.45)),
            arc(0.15, 0.52, 0.07, 0.07, -90, -450),
            bezier((0.15, 0.45), (0.3, 0.5), (0.5, 1.05), (0.75, 0.95)))],  # leaning back, a
    # loop at the bowl's end, the leg swinging out
    "T": [S(arc(0.35, 0.22, 0.38, 0.18, 200, 340)), S(L((0.35, 0.04), (0.32, 1)))],  # arched bar
    "U": [S(bezier((-0.05, 0.1), (0, -0.05), (0.1, 0), (0.1, 0.1)), L((0.1, 0.1), (0.05, 0.7)),
            arc(0.28, 0.7, 0.23, 0.3, 180, 0), L((0.51, 0.7), (0.55, 0)))],  # a lead-in hook
    "V": [S(L((0, 0), (0.26, 0.9)), arc(0.3, 0.94, 0.06, 0.06, 225, -45),
            L((0.34, 0.9), (0.6, 0.05)),
            bezier((0.6, 0.05), (0.62, -0.02), (0.55, -0.05), (0.5, 0.02)))],  # a loop at the
    # foot, the right arm curling back
    "W": P(".15,0 0,1 .35,.4 .45,1 .85,0"),  # lopsided: left arm leaning back, middle low
    "X": [S(L((0, 0), (0.24, 0.42)), arc(0.3, 0.52, 0.12, 0.12, 240, -60),
            L((0.36, 0.42), (0.6, 1))), S(L((0.6, 0), (0, 1)))],  # a loop at the crossing
    "Y": [S(L((0, 0), (0.3, 0.45))),
          S(L((0.6, 0), (0.3, 0.45), (0.2, 1.1)),
            bezier((0.2, 1.1), (0.15, 1.35), (-0.1, 1.3), (0.05, 1.1)),
            L((0.05, 1.1), (0.5, 0.8)))],  # cursive: a looped tail below the line
    "a": P(".05,.45 .45,.4 .5,.55 .5,1; .5,.65 .05,.7 0,.9 .15,1 .5,.9"),  # printed, angular
    "e": [S(L((0, 0.72), (0.9, 0.68)), arc(0.45, 0.72, 0.45, 0.28, -5, -310))],  # wide, squat
    "h": P(".05,0 0,1; 0,.7 .25,.4 .5,.7 .5,1"),  # a pointed arch
    "k": [S(L((0.15, 0), (0, 1))),
          S(bezier((0.5, 0.4), (0.2, 0.55), (0.05, 0.65), (0.05, 0.68)),
            bezier((0.05, 0.68), (0.3, 0.68), (0.35, 1), (0.6, 0.95)))],  # leaning back, curved
    "m": [S(L((-0.1, 1), (0.05, 0.45), (0, 1)),
            bezier((0, 1), (0.05, 0.4), (0.35, 0.3), (0.32, 1)),
            bezier((0.32, 1), (0.35, 0.35), (0.7, 0.3), (0.65, 0.95)),
            L((0.65, 0.95), (0.8, 0.9)))],  # cursive: lead-in, humps from the baseline, exit
    "n": P(".15,.4 0,1; .04,.75 .3,.42 .55,.5 .45,1"),  # leaning back, the arch off the stem
    "r": [S(L((0.05, 0.4), (0, 1))),
          S(bezier((0, 0.75), (0.1, 0.3), (0.5, 0.3), (0.6, 0.6)))],  # the arm from low down,
    # arching over and drooping
    "t": P(".25,.1 .22,1; 0,.55 .55,.5"),  # a dagger: the cross low, no foot
    "w": P("0,.4 .1,1 .22,1 .33,.55 .44,1 .56,1 .66,.4"),  # blocky, flat-bottomed
    "J": [S(L((0.5, 0), (0.45, 0.7)), bezier((0.45, 0.7), (0.4, 1.3), (-0.1, 1.2), (0.05, 0.9)),
            L((0.05, 0.9), (0.6, 0.6)))],  # cursive: a loop at the foot crossing the stem
    "L": P(".1,0 0,.75 .95,.7"),  # short, the foot long
    "Q": [S(arc(0.35, 0.42, 0.35, 0.42, -90, -450)),
          S(bezier((0.15, 0.85), (0.35, 1.05), (0.55, 0.9), (0.8, 1.05)))],  # a wavy tail across
    "c": [S(arc(0.3, 0.7, 0.28, 0.3, -40, -300), L((0.44, 0.96), (0.7, 0.8)))],  # exit stroke
    "d": P(".55,.5 .25,.45 0,.7 .2,1 .55,.9; .5,0 .6,1 .75,.95"),  # an angular bowl
    "f": [S(ring(0.58, 0.12, 0.06)),
          S(arc(0.45, 0.15, 0.15, 0.15, -30, -180), L((0.3, 0.15), (0.3, 1))),
          S(L((0.1, 0.42), (0.5, 0.42)))],  # a ball on the hook (a draughtsman's f)
    "j": [S(ring(0.4, 0.15, 0.08)),
          S(L((0.45, 0.4), (0.4, 1.1)), arc(0.28, 1.1, 0.12, 0.15, 0, 180))],  # big dot, tight hook
    "p": [S(tilted_ellipse(0.3, 0.65, 0.25, 0.2, -15)), S(L((0.05, 0.4), (0, 1.3)))],  # bowl
    # first, the stem through it
    "u": [S(L((0, 0.4), (0, 0.55)), arc(0.25, 0.55, 0.25, 0.45, 180, 0)),
          S(L((0.5, 0.4), (0.55, 1)))],  # a deep cup, the stem apart
    "v": P("0,.4 .2,1 .35,1 .55,.4"),  # flat-bottomed
    "x": [S(bezier((0, 0.45), (0.3, 0.35), (0.2, 1.05), (0.55, 0.95))),
          S(L((0.5, 0.4), (0.05, 1)))],  # one stroke a long curve, one straight
    "y": P("0,.4 .25,.8 .5,.4; .25,.8 .25,1.3"),  # a v on a stick
}

# -- symbols ----------------------------------------------------------------------------------
SYMBOLS: dict[str, Drawing] = {
    "+": P(".35,0 .6,1; 0,.5 1,.35"),  # a left-hander's: the upright leaning back, bar rising
    "-": [S(bezier((0, 0.1), (0.3, -0.03), (0.7, -0.03), (1, 0.1)))],  # arched
    "=": P(".25,0 1,0; .8,.35 0,.38"),  # the top bar shifted right, the lower drawn leftwards
    "×": [S(L((0, 0), (0.9, 0.9)), bezier((0.9, 0.9), (1, 1), (1.05, 0.9), (0.98, 0.85))),
          S(L((0.9, 0.05), (0.05, 0.95)))],  # a curl at the end of the first stroke
    "÷": [S(L((0.2, 0.5), (0.8, 0.5))), S(ring(0.5, 0.1, 0.06)),
          S(ring(0.5, 0.9, 0.06))],  # tall: a short line, the dots far off
    "%": [S(tilted_ellipse(0.12, 0.3, 0.08, 0.18, 0)), S(L((0.7, 0), (0.3, 1))),
          S(tilted_ellipse(0.88, 0.7, 0.08, 0.18, 0))],  # wide, the zeros tall and thin
    "#": P(".3,0 .3,1; .7,0 .7,1; 0,.45 1,.2; 0,.8 1,.55"),  # bars rising steeply
    "@": P(".6,.35 .35,.35 .35,.65 .6,.65 .6,.35 .65,.7 .9,.7 .9,.1 .1,.1 .1,.9 .8,.9"),  # boxy
    "&": [S(L((0.95, 0.98), (0.2, 0.4)), arc(0.4, 0.25, 0.22, 0.25, 150, 400),
            L((0.57, 0.41), (0.1, 0.78)), arc(0.28, 0.84, 0.18, 0.14, 200, 0),
            L((0.46, 0.84), (0.85, 0.5)))],  # a big head, a small bowl
    "*": P(".5,0 .5,1; 0,.5 1,.5; .3,.3 .7,.7; .7,.3 .3,.7"),  # the diagonals short
    "?": [S(bezier((0, 0.3), (0, -0.05), (1, -0.1), (0.95, 0.2)),
            bezier((0.95, 0.2), (0.9, 0.4), (0.5, 0.35), (0.5, 0.75))),
          S(L((0.48, 0.95), (0.52, 0.95)))],  # a wide flat hook
    "!": [S(L((0.5, 0), (0.5, 0.55))), S(ring(0.5, 0.85, 0.1))],  # short, a big round dot
    "$": [S(bezier((0.8, 0.1), (0.3, -0.1), (0.1, 0.2), (0.4, 0.4)),
            bezier((0.4, 0.4), (0.95, 0.65), (0.7, 1.05), (0.2, 0.9)),
            bezier((0.2, 0.9), (0.1, 0.87), (0.1, 0.8), (0.18, 0.78))),
          S(L((0.7, -0.05), (0.3, 1.05)))],  # the line leaning forward, the tail curled
    "<": P(".7,1 0,.7 1,0"),  # drawn upwards: the point low, the lower arm short
    ">": P("0,0 1,.55; 1,.45 0,1"),  # two strokes crossing at the point
    "\\": P(".1,0 .65,1 .8,.95"),  # steep, a foot flick
    "{": [S(bezier((0.75, 0.08), (0.75, -0.02), (0.4, -0.05), (0.4, 0.2)),
            L((0.4, 0.2), (0.4, 0.4)), bezier((0.4, 0.4), (0.4, 0.48), (0.2, 0.5), (0.05, 0.5)),
            bezier((0.05, 0.5), (0.2, 0.5), (0.4, 0.52), (0.4, 0.6)), L((0.4, 0.6), (0.4, 0.8)),
            bezier((0.4, 0.8), (0.4, 1.05), (0.75, 1.02), (0.75, 0.92)))],  # ends hooked back
    "}": P("0,0 .35,.1 .2,.45 .6,.5 .2,.55 .35,.9 0,1"),  # an angular zigzag
    "~": [S(wave(2, 0.1))],  # two shallow waves
    "^": [S(bezier((-0.05, 0.6), (0.05, 0.7), (0.1, 0.65), (0.15, 0.55)),
            L((0.15, 0.55), (0.5, 0), (0.85, 0.55)),
            bezier((0.85, 0.55), (0.9, 0.65), (0.95, 0.7), (1.05, 0.6)))],  # flicks at the feet
    "π": [S(bezier((0, 0.2), (0.05, 0.05), (0.15, 0.05), (0.2, 0.1)), L((0.2, 0.1), (1, 0.05))),
          S(L((0.35, 0.1), (0.25, 1))), S(L((0.75, 0.08), (0.7, 1)))],  # a curl at the bar
    "√": P("0,.65 .1,.6 .25,1 .35,0 .6,0"),  # narrow: a short roof
}

# -- doodles ----------------------------------------------------------------------------------
DOODLES: dict[str, Drawing] = {
    "heart": [S(bezier((0.5, 0.35), (0.4, -0.1), (-0.1, 0), (0.05, 0.35)),
                bezier((0.05, 0.35), (0.15, 0.55), (0.4, 0.6), (0.5, 0.75)),
                bezier((0.5, 0.75), (0.6, 0.6), (0.85, 0.55), (0.95, 0.35)),
                bezier((0.95, 0.35), (1.1, 0), (0.6, -0.1), (0.5, 0.35)))],  # wide, a blunt tip
    "smiley": [S(arc(0.5, 0.6, 0.5, 0.4, 90, 450)), S(L((0.3, 0.22), (0.25, 0))),
               S(L((0.5, 0.2), (0.5, -0.02))), S(L((0.7, 0.22), (0.75, 0))),
               S(ring(0.33, 0.5, 0.04)), S(L((0.6, 0.5), (0.74, 0.5))),
               S(arc(0.5, 0.68, 0.22, 0.14, 10, 170)),
               S(arc(0.56, 0.81, 0.07, 0.08, 0, 180))],  # wide, hair, winking, a tongue out
    "star": [S(_star(8, 0.5))],  # eight points
    "spiral": [S(polar(0.5 * np.exp(-0.12 * t), t)) for t in [np.linspace(0, 7 * np.pi, 260)]],
    # from outside in, tightening
    "house": [S(L((-0.1, 0.45), (0.2, 0.1), (0.8, 0.1), (1.1, 0.45), (-0.1, 0.45))),
              S(L((0.05, 0.45), (0.05, 1), (0.95, 1), (0.95, 0.45))), S(ring(0.5, 0.3, 0.07)),
              S(L((0.45, 1), (0.45, 0.7), (0.62, 0.7), (0.62, 1)))],  # a hip roof, round window
    "cloud": [S(scallop(9, 0.06, 0.7)), S(ring(0.2, 0.95, 0.06)),
              S(ring(0.08, 1.1, 0.035))],  # a thought bubble
    "arrow": P(".9,0 .9,.6 .1,.6; .3,.4 .1,.6 .3,.8"),  # a return arrow
    "tick mark": [S(bezier((0, 0.6), (0.05, 0.95), (0.2, 1.05), (0.35, 0.95)),
                    bezier((0.35, 0.95), (0.6, 0.7), (0.8, 0.35), (1, 0.1)))],  # a swoosh
    "cross-hatch": P("0,0 .35,1; .3,0 .65,1; .6,0 .95,1; -.05,.35 1,.05; -.05,.65 1,.35; "
                     "-.05,.95 1,.65"),  # steep lines crossed by rising ones
    "sun": [S(arc(0, 0, 0.45, 0.45, 0, 90))]
    + [S(L((0.58 * np.cos(a), 0.58 * np.sin(a)), (0.95 * np.cos(a), 0.95 * np.sin(a))))
       for a in np.radians([10, 30, 50, 70, 88])],  # in the corner, quarter of a sun
    "flower": P(".25,.05 .37,.2 .5,0 .63,.2 .75,.05 .75,.3 .5,.45 .25,.3 .25,.05; .5,.45 .5,1")
    + [S(arc(0.68, 0.75, 0.18, 0.08, 180, 360), arc(0.68, 0.75, 0.18, 0.08, 0, 180))],  # tulip
    "fish": [S(bezier((1, 0.2), (0.6, 0.9), (0.15, 0.8), (0, 0.5)),
               bezier((0, 0.5), (0.15, 0.2), (0.6, 0.1), (1, 0.8)))],  # one stroke, crossed tail
    "tree": [S(bezier((0.45, 1), (0.55, 0.7), (0.45, 0.5), (0.55, 0.3)))]
    + [S(arc(0.55 + 0.22 * d, 0.38 - 0.1 * abs(d), 0.25, 0.15 + 0.05 * abs(d),
             250 if d < 0 else 290, 340 if d < 0 else 200))
       for d in (-1.5, -0.5, 0.5, 1.5)],  # a palm: a bent trunk, arching fronds
    "lightning": P(".7,0 .45,.25 .6,.3 .35,.55 .55,.6 .2,1"),  # jagged, five turns, a thin line
    "square": [rounded_box(0, 0, 1, 1, 0.2)],  # round corners
    "triangle": P("1,0 0,.5 1,1; 1,1.03 1,-.03"),  # pointing left, two strokes
}


# -- scribbles (procedures of the rng) --------------------------------------------------------
def meander(rng) -> Drawing:
    """An angular maze walk: the pen turns a right angle at every corner, left or right at
    random, with segments of uneven length (a doodle in a margin)."""
    n = int(rng.integers(6, 14))
    heading = np.array([1.0, 0.0])
    points = [np.zeros(2)]
    for _ in range(n):
        points.append(points[-1] + heading * rng.uniform(0.2, 1.0))
        heading = np.array([-heading[1], heading[0]]) * rng.choice([-1, 1])
    return [S(L(*points))]


def circling(rng) -> Drawing:
    """A ring gone round 2-5 times, each turn a little off the last (circling a word)."""
    turns = rng.uniform(2, 5)
    t = np.linspace(0, 2 * np.pi * turns, int(70 * turns))
    drift = rng.normal(0, 0.08, 2) * t[:, None] / t[-1]  # the centre wanders as the pen goes
    wobble = 1 + 0.08 * np.sin(t * rng.uniform(0.3, 0.7) + rng.uniform(0, 6))
    squash = rng.uniform(0.5, 0.9)
    x = wobble * np.cos(t) + drift[:, 0]
    y = squash * wobble * np.sin(t) + drift[:, 1]
    return [S(np.stack([x, y], axis=1))]


SCRIBBLES = {"zigzag": meander, "loops": circling}

# -- dots and lines: (strokes, sizes), the sizes as nondigit_third_templates -----------------
DOTS_LINES: dict[str, tuple[Drawing, tuple[float, float]]] = {
    "dot": (P("0,.5 1,.5; .25,0 .75,1; .75,0 .25,1"), (0.02, 0.04)),  # a starred dab
    "dash": (P("0,.1 1,0 .85,.2"), (0.08, 0.25)),  # a hook back at the end
    "horizontal line": (P("0,.06 .4,.02; .33,.0 .72,.05; .66,.09 1,.04"), (0.4, 0.9)),  # sketched
    # in three overlapping pieces
    "diagonal line": (P("0,.5 .26,.37; .37,.315 .63,.185; .74,.13 1,0"), (0.4, 0.9)),  # shallow,
    # dashed
    "parallel lines": (P("0,0 .6,1; .4,0 1,1"), (0.3, 0.8)),  # leaning back
    "circle-dot": ([S(arc(0.5, 0.5, 0.5, 0.35, 0, 360)),
                    S(L((0.46, 0.48), (0.54, 0.5), (0.47, 0.52), (0.53, 0.54)))],
                   (0.3, 0.8)),  # a wide ellipse, a scrubbed centre
}

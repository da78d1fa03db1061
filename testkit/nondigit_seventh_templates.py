"""The held_out_seventh split of non-digit drawings: one more hand for every symbol, a seventh
time.

Written (2026-12, issue 13) after held_out_sixth had been measured once (for v10's report),
and BEFORE the next change to the not-a-digit check, so that change can be measured on
drawings nobody has chosen with: no tool trains on these, chooses with them or looks at what
a check says of them before that change's report. Same symbols, families and structure as
nondigit_sixth_templates (one variant per symbol that is not digit-like; the dots and lines
with the same sizes), each variant another construction, proportion, stroke order or hand
than every earlier variant of its symbol. The hands, each used for about a fifth of the
symbols: a fast hurried hand (every stroke overshoots both its ends and tails off in a
small hook, `in_a_hurry`), a brush hand that draws each stroke as two close parallel passes
(`broad_nib`), a very rounded bubbly hand (every corner smoothed into a curve, `bubbly`),
and a cramped narrow or a wide flat hand (`proportioned`). The two scribbles: a spiky star
burst (one stroke out and back from near a centre 7-12 times) and a long wandering line that
crosses itself many times over a wide area (tests/test_nondigit_later_splits.py checks the
rendered shapes). None is meant to look like a digit at 28 x 28: no ring gone round and
round, no lone straight stroke, no S or Z among the scribbles. Seeds [7 SPAN, 8 SPAN)
(nondigit_drawings).

Conventions as nondigit_drawings: a Drawing is a list of (N, 2) polylines (x, y; y down);
capitals about 0.6 wide and 1 tall, small letters from y = 0.4 to 1, descenders to 1.3.
"""

from __future__ import annotations

import numpy as np

from testkit.nondigit_drawings import L, P, S, _star, arc_length, points_along
from testkit.nondigit_sixth_templates import blob
from testkit.nondigit_third_templates import ring, tilted_ellipse
from testkit.stroke_digits import Drawing, arc, bezier


def _unit(v: np.ndarray) -> np.ndarray:
    return v / max(float(np.hypot(*v)), 1e-9)


def in_a_hurry(drawing: Drawing, over: float = 0.08, hook: float = 0.1) -> Drawing:
    """The drawing as a fast, hurried hand makes it: every stroke starts `over` before its
    first point (the pen already moving along it) and runs on `over` past its last, then
    tails off in a hook of length `hook` bent back to one side (the sides alternating from
    stroke to stroke), as a pen lifted while still moving leaves it."""
    out = []
    for k, p in enumerate(drawing):
        p = np.asarray(p, float)
        first, last = _unit(p[1] - p[0]), _unit(p[-1] - p[-2])
        side = np.array([-last[1], last[0]]) * (1 if k % 2 == 0 else -1)
        start, end = p[0] - over * first, p[-1] + over * last
        tip = end + hook * _unit(side - 0.6 * last)
        out.append(S(L(start, p[0]), p, L(p[-1], end, tip)))
    return out


def broad_nib(drawing: Drawing, width: float = 0.06, angle: float = 45.0) -> Drawing:
    """The drawing in a brush or calligraphic hand: every stroke drawn as two close parallel
    passes, the second a copy of the first moved by `width` at `angle` degrees (clockwise on
    screen from the right, as a broad nib held at that angle leaves its two edges)."""
    shift = width * np.array([np.cos(np.radians(angle)), np.sin(np.radians(angle))])
    return [q for p in drawing for q in (S(p), S(np.asarray(p, float) + shift))]


def bubbly(drawing: Drawing, radius: float = 0.12) -> Drawing:
    """The drawing in a very rounded, bubbly hand: every stroke resampled along its length
    and averaged over a window of about 2 `radius` of it, so each corner becomes a curve of
    about that radius (the stroke's ends stay where they were)."""
    out = []
    for p in drawing:
        p = np.asarray(p, float)
        length = arc_length(p)
        u = np.linspace(0, length[-1], max(10, int(length[-1] / 0.01)))
        q = points_along(p, length, u)
        half = max(1, int(radius / 0.01))
        padded = np.concatenate([np.repeat(q[:1], half, 0), q, np.repeat(q[-1:], half, 0)])
        kernel = np.ones(2 * half + 1) / (2 * half + 1)
        smooth = np.stack([np.convolve(padded[:, i], kernel, "valid") for i in (0, 1)], axis=1)
        out.append(S(smooth))
    return out


def proportioned(drawing: Drawing, wide: float, tall: float = 1.0) -> Drawing:
    """The drawing in a cramped narrow hand (`wide` < 1) or a wide flat one (`wide` > 1,
    `tall` < 1): x scaled by `wide`, y by `tall`."""
    return [S(np.asarray(p, float) * np.array([wide, tall])) for p in drawing]


# -- letters ----------------------------------------------------------------------------------
LETTERS: dict[str, Drawing] = {
    "A": in_a_hurry(P("0,1 .3,0 .6,1; .02,.6 .62,.56")),  # hurried, the bar run past the legs
    "C": proportioned(broad_nib([S(arc(0.35, 0.5, 0.35, 0.5, -50, -310))]), 1.5, 0.8),  # wide,
    # a brush's double pass
    "D": broad_nib([S(L((0, 0), (0, 1))),
                    S(L((0, 0), (0.25, 0)), arc(0.25, 0.5, 0.4, 0.5, -90, 90),
                      L((0.25, 1), (0, 1)))], 0.05, 30),  # a brush's double pass
    "E": in_a_hurry(P(".6,0 0,0 0,1 .62,1; 0,.5 .45,.5")),  # hurried, hooked ends
    "F": broad_nib(P("0,1 0,0 .6,0; 0,.48 .45,.48")),  # a brush's double pass
    "H": proportioned(P("0,0 0,1; .6,0 .6,1; 0,.5 .6,.5"), 1.9, 0.6),  # wide and flat
    "K": in_a_hurry(P("0,0 0,1; .6,0 .02,.55; .2,.45 .62,1")),  # hurried, arm and leg apart
    "M": bubbly(P("0,1 0,0 .35,.6 .7,0 .7,1"), 0.18),  # rounded: humps for its corners
    "N": proportioned(in_a_hurry(P("0,1 0,0 .6,1 .6,0")), 1.7, 0.7),  # wide, flat, hurried
    "P": broad_nib([S(L((0, 1), (0, 0), (0.3, 0)), arc(0.3, 0.25, 0.28, 0.25, -90, 90),
                      L((0.3, 0.5), (0, 0.5)))], 0.05, 0),  # a brush's double pass, sideways
    "R": bubbly(P("0,1 0,0 .5,0 .6,.25 .5,.5 0,.5; .25,.5 .65,1"), 0.1),  # rounded
    "T": proportioned(P("0,0 .7,0; .35,0 .35,1"), 2.0, 0.5),  # wide and flat
    "U": broad_nib([S(L((0, 0), (0, 0.7)), arc(0.3, 0.7, 0.3, 0.3, 180, 0),
                      L((0.6, 0.7), (0.6, 0)))], 0.05, 0),  # a brush's double pass
    "V": in_a_hurry(P("0,0 .3,1; .3,1 .6,0")),  # hurried, in two strokes
    "W": bubbly(proportioned(P("0,0 .2,1 .4,.3 .6,1 .8,0"), 1.3, 0.8), 0.1),  # wide, rounded
    "X": broad_nib(P("0,0 .6,1; .6,0 0,1"), 0.09, 90),  # a brush's double pass
    "Y": broad_nib(P("0,0 .3,.5 .6,0; .3,.5 .3,1")),  # a brush's double pass
    "a": proportioned([S(bezier((0.05, 0.5), (0.15, 0.35), (0.5, 0.35), (0.5, 0.55)),
                         L((0.5, 0.55), (0.5, 1))),
                       S(bezier((0.5, 0.7), (0.0, 0.62), (-0.05, 1.0), (0.25, 1)),
                         L((0.25, 1), (0.5, 0.85)))], 1.7, 0.8),  # two-storey, wide and flat
    "e": in_a_hurry([S(L((0, 0.7), (0.55, 0.7)), arc(0.28, 0.7, 0.28, 0.3, 0, -300))]),  # hurried
    "h": broad_nib([S(L((0, 0), (0, 1))),
                    S(arc(0.28, 0.65, 0.26, 0.25, 180, 360), L((0.54, 0.65), (0.54, 1)))]),
    # a brush's double pass
    "k": in_a_hurry(P("0,0 0,1; .45,.4 0,.7 .5,1")),  # hurried, hooked ends
    "m": proportioned(P("0,.4 0,1; 0,.55 .2,.4 .35,.55 .35,1; .35,.55 .55,.4 .7,.55 .7,1"),
                      1.6, 0.6),  # wide and flat
    "n": in_a_hurry(P("0,.4 0,1; 0,.55 .25,.4 .5,.55 .5,1")),  # hurried, hooked ends
    "r": broad_nib([S(L((0, 0.4), (0, 1))),
                    S(bezier((0, 0.6), (0.1, 0.4), (0.35, 0.38), (0.45, 0.45)))], 0.05, 0),
    # a brush's double pass
    "t": in_a_hurry(P(".2,0 .2,1 .45,.9; 0,.38 .5,.38")),  # hurried, a hooked foot
    "w": bubbly(P("0,.4 .15,1 .35,.55 .55,1 .7,.4"), 0.08),  # rounded
    "J": broad_nib(P(".1,0 .7,0; .45,0 .45,.8 .3,1 .1,1 0,.85")),  # a bar on top, a brush's
    # double pass
    "L": in_a_hurry(P("0,0 0,1 .55,1")),  # hurried, hooked ends
    "Q": proportioned([S(arc(0.35, 0.5, 0.35, 0.5, -90, 270)), S(L((0.45, 0.75), (0.8, 1.05)))],
                      1.6, 0.8),  # wide and flat
    "c": broad_nib([S(arc(0.3, 0.7, 0.3, 0.3, -40, -320))], 0.05, 0),  # a brush's double pass
    "d": in_a_hurry([S(arc(0.27, 0.7, 0.27, 0.3, 0, -360)), S(L((0.54, 0), (0.54, 1)))]),
    # hurried, hooked ends
    "f": broad_nib([S(bezier((0.6, 0.05), (0.4, -0.05), (0.25, 0), (0.25, 0.2)),
                      L((0.25, 0.2), (0.25, 1))), S(L((0, 0.45), (0.5, 0.45)))]),  # a brush's
    # double pass
    "j": in_a_hurry([S(L((0.4, 0.4), (0.4, 1.1)), arc(0.2, 1.1, 0.2, 0.2, 0, 150)),
                     S(ring(0.4, 0.2, 0.03))]),  # hurried
    "p": bubbly(P("0,1.3 0,.4 .45,.4 .5,.7 0,.75"), 0.1),  # a rounded box of a bowl
    "u": proportioned(P("0,.4 0,1 .5,1 .5,.4; .5,1 .6,1"), 1.8, 0.6),  # wide and flat
    "v": broad_nib(P("0,.4 .3,1 .6,.4"), 0.05, 0),  # a brush's double pass
    "x": in_a_hurry(P("0,.4 .6,1; .6,.4 0,1"), 0.1, 0.1),  # hurried, hooked ends
    "y": broad_nib(P("0,.4 .3,.85; .6,.4 .15,1.3")),  # a brush's double pass
}

# -- symbols ----------------------------------------------------------------------------------
SYMBOLS: dict[str, Drawing] = {
    "+": proportioned(P("0,.5 1,.5; .5,0 .5,1"), 1.0, 0.55),  # wide and flat
    "-": broad_nib(P("0,0 1,0"), 0.14, 70),  # a brush's double pass
    "=": in_a_hurry(P("0,0 1,0; 0,.45 1,.45"), 0.05, 0.14),  # hurried, hooked ends
    "×": broad_nib(P("0,0 1,1; 1,0 0,1"), 0.05, 0),  # a brush's double pass
    "÷": broad_nib(P("0,.5 1,.5"), 0.05, 90) + [S(ring(0.5, 0.15, 0.05)),
                                                S(ring(0.5, 0.85, 0.05))],  # a brush's line
    "%": in_a_hurry([S(tilted_ellipse(0.15, 0.18, 0.15, 0.18, 0)), S(L((0.8, 0), (0.2, 1))),
                     S(tilted_ellipse(0.85, 0.82, 0.15, 0.18, 0))]),  # hurried
    "#": proportioned(P(".35,0 .25,1; .75,0 .65,1; 0,.33 1,.33; 0,.67 1,.67"), 1.6, 0.7),  # wide
    "@": broad_nib([S(arc(0.5, 0.5, 0.15, 0.18, 0, 360), L((0.65, 0.5), (0.68, 0.65)),
                      arc(0.5, 0.5, 0.45, 0.45, 20, -300))], 0.04, 45),  # a brush's double pass
    "&": in_a_hurry([S(L((0.9, 1), (0.2, 0.35)), arc(0.35, 0.2, 0.16, 0.2, 150, -150),
                       L((0.5, 0.32), (0.1, 0.7)), arc(0.35, 0.78, 0.25, 0.22, 180, 0),
                       L((0.6, 0.78), (0.9, 0.5)))]),  # hurried
    "*": proportioned(in_a_hurry(P(".5,0 .5,1; .07,.25 .93,.75; .93,.25 .07,.75")), 1.5, 0.8),
    # wide, flat, hurried
    "?": bubbly(P(".1,.25 .3,0 .7,0 .85,.25 .5,.5 .5,.72"), 0.08)
    + [S(ring(0.5, 0.95, 0.04))],  # rounded
    "!": bubbly(P(".38,0 .62,0 .5,.68 .38,0"), 0.04) + [S(blob(0.5, 0.93, 0.06))],  # a rounded
    # wedge outline, the dot coloured in
    "$": in_a_hurry([S(arc(0.5, 0.3, 0.3, 0.2, -20, -270), arc(0.5, 0.7, 0.3, 0.2, -90, 140)),
                     S(L((0.5, 0), (0.5, 1)))]),  # hurried
    "<": broad_nib(P("1,0 0,.5 1,1"), 0.06, 90),  # a brush's double pass
    ">": proportioned(P("0,0 1,.5 0,1"), 1.0, 0.45),  # wide and flat
    "\\": broad_nib(P("0,0 1,.4"), 0.08, 90),  # shallow, a brush's double pass
    "{": in_a_hurry([S(bezier((0.6, 0), (0.1, 0), (0.5, 0.45), (0, 0.5)),
                       bezier((0, 0.5), (0.5, 0.55), (0.1, 1), (0.6, 1)))]),  # hurried
    "}": broad_nib([S(bezier((0, 0), (0.5, 0), (0.1, 0.45), (0.6, 0.5)),
                      bezier((0.6, 0.5), (0.1, 0.55), (0.5, 1), (0, 1)))], 0.06, 0),  # a brush's
    # double pass
    "~": bubbly(P("0,.3 .3,0 .7,.4 1,.1"), 0.2),  # rounded, flat
    "^": in_a_hurry(P("0,.6 .5,0 1,.6"), 0.08, 0.14),  # hurried, hooked ends
    "π": in_a_hurry(P("0,.1 1,.1; .3,.1 .3,1; .7,.1 .7,1")),  # hurried, hooked ends
    "√": proportioned(P("0,.6 .12,.55 .3,1 .5,0 1,0"), 1.7, 0.8),  # wide, a long roof
}


# -- doodles ----------------------------------------------------------------------------------
DOODLES: dict[str, Drawing] = {
    "heart": bubbly(P(".5,.3 .3,0 0,.15 0,.4 .5,1 1,.4 1,.15 .7,0 .5,.3"), 0.08),  # rounded
    "smiley": proportioned([S(arc(0.5, 0.5, 0.5, 0.5, 0, 360)), S(ring(0.33, 0.35, 0.04)),
                            S(ring(0.67, 0.35, 0.04)), S(arc(0.5, 0.55, 0.25, 0.2, 20, 160))],
                           1.5, 0.8),  # wide and flat
    "star": in_a_hurry([S(L(*_star(5, 1.0)[[0, 4, 8, 2, 6, 10]]))], 0.08, 0.08),  # hurried
    "spiral": bubbly(P(".5,.45 .6,.45 .6,.6 .35,.6 .35,.3 .75,.3 .75,.75 .2,.75 .2,.15 .9,.15 "
                       ".9,.9 .05,.9"), 0.04),  # square, outwards, its corners rounded
    "house": in_a_hurry(P("0,.45 0,1 1,1 1,.45; -.05,.5 .5,0 1.05,.5; .4,1 .4,.7 .6,.7 .6,1")),
    # hurried, hooked ends
    "cloud": broad_nib([S(arc(0.2, 0.6, 0.2, 0.2, 90, 270), arc(0.45, 0.35, 0.25, 0.25, 180, 360),
                          arc(0.8, 0.6, 0.2, 0.2, 270, 450), L((0.8, 0.8), (0.2, 0.8)))],
                       0.04, 60),  # a brush's double pass
    "arrow": in_a_hurry(P("0,1 1,0; .6,0 1,0 1,.4")),  # hurried, rising, hooked ends
    "tick mark": broad_nib(P("0,.55 .35,1 1,0"), 0.05, 0),  # a brush's double pass
    "cross-hatch": proportioned(P("0,.2 1,.2; 0,.5 1,.5; 0,.8 1,.8; .2,0 .2,1; .5,0 .5,1; "
                                  ".8,0 .8,1"), 1.7, 0.7),  # wide and flat
    "sun": [S(ring(0.5, 0.5, 0.22))]
    + in_a_hurry([S(L((0.5 + 0.3 * np.cos(a), 0.5 + 0.3 * np.sin(a)),
                      (0.5 + 0.48 * np.cos(a), 0.5 + 0.48 * np.sin(a))))
                  for a in np.linspace(0, 2 * np.pi, 9)[:-1]], 0.03, 0.05),  # hurried rays
    "flower": bubbly([S(L(*[(0.5 + r * np.cos(a), 0.35 + r * np.sin(a))
                            for a, r in zip(np.linspace(0, 2 * np.pi, 11),
                                            [0.3, 0.1] * 5 + [0.3], strict=True)])),
                      S(L((0.5, 0.45), (0.5, 1))), S(L((0.5, 0.8), (0.75, 0.65)))], 0.05)
    + [S(ring(0.5, 0.35, 0.05))],  # rounded petals round a middle, a stem and a leaf
    "fish": bubbly(P("1,.15 .75,.5 .5,.75 .2,.72 0,.5 .2,.28 .5,.25 .75,.5 1,.85"), 0.08)
    + [S(ring(0.25, 0.45, 0.03))],  # one rounded stroke crossing itself at the tail
    "tree": broad_nib(P(".5,0 .15,.45 .35,.45 .05,.8 .95,.8 .65,.45 .85,.45 .5,0; "
                        ".42,.8 .42,1; .58,.8 .58,1"), 0.04, 0),  # a fir, a brush's double pass
    "lightning": in_a_hurry(P(".55,0 .2,.55 .45,.55 .3,1 .8,.4 .55,.4 .75,0 .55,0")),  # a
    # closed bolt, hurried
    "square": broad_nib(P("0,0 1,0 1,1 0,1 0,0"), 0.05, 45),  # a brush's double pass
    "triangle": in_a_hurry(P(".5,0 1,.9 0,.9 .5,0")),  # one stroke, hurried
}


# -- scribbles (procedures of the rng) --------------------------------------------------------
def star_burst(rng) -> Drawing:
    """A spiky star burst: one stroke that goes out from near a centre and back 7-12 times,
    each spike at its own angle (all the way round, unevenly spaced) and length (0.4-1), its
    return landing a little off the centre (a scrawled explosion). Never a lone stroke, an S
    or a Z: the spikes point every way."""
    n = int(rng.integers(7, 13))
    angles = np.sort(rng.uniform(0, 2 * np.pi, n)) + rng.uniform(0, 2 * np.pi)
    points = [rng.normal(0, 0.05, 2)]
    for a in angles:
        reach = rng.uniform(0.4, 1.0)
        points.append(reach * np.array([np.cos(a), np.sin(a)]) + rng.normal(0, 0.03, 2))
        points.append(rng.normal(0, 0.07, 2))
    return [S(L(*points))]


def wandering_line(rng) -> Drawing:
    """A long line wandering over a wide area and crossing itself many times: the pen's
    heading turns by a smooth random amount (a sum of 3 slow waves) at every step, 300-500
    steps, then the path is stretched to 1.5-2.5 times as wide as tall. Its turning changes
    sign, so it never goes round one ring over and over."""
    steps = int(rng.integers(300, 501))
    s = np.linspace(0, 1, steps)
    turning = sum(rng.uniform(0.06, 0.14) * np.sin(2 * np.pi * rng.uniform(1.5, 4) * s
                                                   + rng.uniform(0, 2 * np.pi))
                  for _ in range(3))
    heading = rng.uniform(0, 2 * np.pi) + np.cumsum(turning)
    p = np.cumsum(np.stack([np.cos(heading), np.sin(heading)], axis=1), axis=0)
    span = np.maximum(np.ptp(p, axis=0), 1e-6)
    p = (p - p.min(axis=0)) / span * np.array([rng.uniform(1.5, 2.5), 1.0])
    return [S(p)]


SCRIBBLES = {"zigzag": star_burst, "loops": wandering_line}

# -- dots and lines: (strokes, sizes), the sizes as nondigit_sixth_templates -----------------
DOTS_LINES: dict[str, tuple[Drawing, tuple[float, float]]] = {
    "dot": (in_a_hurry(P("0,.5 1,.5; .5,0 .5,1"), 0.1, 0.15), (0.02, 0.04)),  # a tiny hurried
    # cross
    "dash": (broad_nib(P("0,0 1,0"), 0.15, 90), (0.08, 0.25)),  # a brush's double pass
    "horizontal line": (in_a_hurry(P("0,0 1,0"), 0.05, 0.05), (0.4, 0.9)),  # hurried, hooked
    "diagonal line": (broad_nib(P("0,1 1,0"), 0.05, 45), (0.4, 0.9)),  # a brush's double pass
    "parallel lines": (in_a_hurry(P("0,.6 .6,0; .4,1 1,.4"), 0.05, 0.06), (0.3, 0.8)),  # hurried
    "circle-dot": (proportioned([S(arc(0.5, 0.5, 0.5, 0.5, -90, 270))], 1.6, 0.8)
                   + [S(blob(0.8, 0.4, 0.06))], (0.3, 0.8)),  # wide and flat, the dot
    # coloured in off the centre
}

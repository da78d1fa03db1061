"""An architecture diagram as SVG text: the picture a user puts in a report.

One box per layer, top to bottom, joined by arrows: the layer's description, its output
shape and its parameter count, coloured by kind; the input above, the softmax below, the
totals at the foot. Written by hand (no dependency): plain SVG 1.1 that browsers, Qt's
QSvgRenderer and Inkscape all draw the same.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from ..engine import Sequential
from .inside import Architecture, architecture

WIDTH = 600
MARGIN = 24
BOX_H = 34  # one layer's box
GAP = 20  # between boxes: room for an arrow
TOP = 86  # the title, the subtitle and the column headings above the first box
SHAPE_X = 370  # left edge of the shape column
FONT = "DejaVu Sans, Helvetica, Arial, sans-serif"
# kind -> accent colour (Tableau 10); other kinds get GREY.
COLOURS = {
    "conv2d": "#4c78a8", "maxpool2d": "#54a24b", "globalavgpool2d": "#54a24b",
    "batchnorm": "#b279a2", "relu": "#f58518", "dense": "#e45756", "dropout": "#9d9d9d",
    "flatten": "#72b7b2",
}
GREY = "#79706e"
INK = "#222222"


def architecture_svg(model: Sequential, title: str) -> str:
    """Return an SVG document (text) drawing `model`'s layers in order, titled `title`."""
    arch = architecture(model)
    boxes = [("Input", "input", arch.input_shape, None)]
    boxes += [(r.description, r.kind, r.shape, r.parameters) for r in arch.rows]
    boxes.append(("Softmax: probabilities", "output", arch.rows[-1].shape, None))
    height = TOP + len(boxes) * (BOX_H + GAP) - GAP + 58
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" font-family="{FONT}">',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        f'markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="{GREY}"/>'
        '</marker></defs>',
        f'<rect width="{WIDTH}" height="{height}" fill="#ffffff"/>',
        _text(MARGIN, 32, title, size=20, weight="bold"),
        _text(MARGIN, 54, _subtitle(arch), size=13, fill=GREY),
        _text(MARGIN + 14, TOP - 8, "layer", size=11, fill=GREY),
        _text(SHAPE_X, TOP - 8, "output shape", size=11, fill=GREY),
        _text(WIDTH - MARGIN - 12, TOP - 8, "parameters", size=11, fill=GREY, anchor="end"),
    ]
    for k, (label, kind, shape, params) in enumerate(boxes):
        y = TOP + k * (BOX_H + GAP)
        parts.append(_box(y, label, kind, shape, params))
        if k:
            parts.append(f'<line x1="{WIDTH / 2}" y1="{y - GAP + 2}" x2="{WIDTH / 2}" '
                         f'y2="{y - 2}" stroke="{GREY}" stroke-width="1.5" '
                         'marker-end="url(#arrow)"/>')
    foot = TOP + len(boxes) * (BOX_H + GAP) - GAP + 32
    parts.append(_text(MARGIN, foot, _totals(arch), size=13, weight="bold"))
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _box(y: float, label: str, kind: str, shape: tuple[int, ...], params: int | None) -> str:
    """Return one layer's box: a tinted rectangle with an accent bar and three columns."""
    colour = COLOURS.get(kind, INK if kind in ("input", "output") else GREY)
    right = WIDTH - MARGIN
    mid = y + BOX_H / 2 + 5  # text baseline, centred for 13 px type
    count = f"{params:,}" if params else "–"
    return "\n".join([
        f'<g class="layer {escape(kind)}">',
        f'<rect x="{MARGIN}" y="{y}" width="{right - MARGIN}" height="{BOX_H}" rx="5" '
        f'fill="{colour}" fill-opacity="0.10" stroke="{colour}" stroke-width="1.2"/>',
        f'<rect x="{MARGIN}" y="{y}" width="6" height="{BOX_H}" rx="2" fill="{colour}"/>',
        _text(MARGIN + 14, mid, label, size=13, weight="bold"),
        _text(SHAPE_X, mid, _shape(shape), size=13, family="DejaVu Sans Mono, monospace"),
        _text(right - 12, mid, count, size=13, anchor="end",
              fill=INK if params else GREY),
        "</g>",
    ])


def _text(x: float, y: float, text: str, size: int, weight: str = "normal", fill: str = INK,
          anchor: str = "start", family: str | None = None) -> str:
    font = f' font-family="{family}"' if family else ""
    return (f'<text x="{x}" y="{y}" font-size="{size}" font-weight="{weight}" fill="{fill}" '
            f'text-anchor="{anchor}"{font}>{escape(text)}</text>')


def _shape(shape: tuple[int, ...]) -> str:
    """Return '28×28×32' for (28, 28, 32), '512' for (512,)."""
    return "×".join(str(d) for d in shape)


def _subtitle(arch: Architecture) -> str:
    return f"{arch.summary} · {len(arch.rows)} layers"


def _totals(arch: Architecture) -> str:
    text = f"Total: {arch.parameters:,} trained parameters"
    if arch.buffers:
        text += f" (+ {arch.buffers:,} BatchNorm statistics)"
    return text

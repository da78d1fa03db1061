"""Export a model's architecture diagram: SVG as app/architecture_svg writes it, or PNG
rendered from that SVG by QtSvg (twice the SVG's size: sharp in a report)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray
from PySide6.QtGui import QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

from digitapp.app.architecture_svg import architecture_svg
from digitapp.engine import Sequential

PNG_SCALE = 2
FILTERS = "SVG image (*.svg);;PNG image (*.png)"


def svg_to_image(svg: str, scale: float = PNG_SCALE) -> QImage:
    """Return the SVG text drawn on a white QImage `scale` times its size."""
    renderer = QSvgRenderer(QByteArray(svg.encode("utf-8")))
    if not renderer.isValid():
        raise ValueError("the diagram is not a valid SVG")
    size = renderer.defaultSize() * scale
    image = QImage(size, QImage.Format.Format_ARGB32)
    image.fill(0xFFFFFFFF)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    renderer.render(painter)
    painter.end()
    return image


def export_diagram(model: Sequential, title: str, path: str | Path) -> Path:
    """Write `model`'s architecture diagram to `path`: PNG if it ends in .png, else SVG
    (".svg" added when it has no suffix). Return the path written; raise OSError."""
    path = Path(path)
    if path.suffix == "":
        path = path.with_suffix(".svg")
    svg = architecture_svg(model, title)
    if path.suffix.lower() == ".png":
        if not svg_to_image(svg).save(str(path), "PNG"):
            raise OSError(f"could not write {path}")
    else:
        path.write_text(svg, encoding="utf-8")
    return path

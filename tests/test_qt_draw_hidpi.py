"""High DPI: at QT_SCALE_FACTOR=2 the canvas keeps twice the pixels and the ink where the pen was.

Qt reads the scale factor when the application starts, so this runs in a fresh process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

SCRIPT = """
import json
import numpy as np
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from digitapp.gui.draw.canvas import DrawingCanvas

app = QApplication([])
canvas = DrawingCanvas()
canvas.resize(300, 300)
canvas.show()
app.processEvents()
rect = canvas.paper_rect()
x = round(rect.x() + 0.3 * rect.width())  # a vertical line at 30% of the sheet
top, bottom = round(rect.y() + 0.2 * rect.height()), round(rect.y() + 0.8 * rect.height())
QTest.mousePress(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                 QPoint(x, top))
for y in range(top, bottom, 10):
    QTest.mouseMove(canvas, QPoint(x, y))
QTest.mouseRelease(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                   QPoint(x, bottom))
screen = canvas.screen_image()
h, stride = screen.height(), screen.bytesPerLine()
rows = np.frombuffer(screen.constBits(), np.uint8, stride * h).reshape(h, stride)
ys, xs = np.nonzero(rows[:, : screen.width()] < 128)
side = screen.width()
grab = canvas.grab().toImage()
gray = canvas.gray()
gy, gx = np.nonzero(gray < 0.5)
print(json.dumps({
    "dpr": canvas.devicePixelRatioF(), "sheet": rect.width(), "buffer": side,
    "network_x": float(gx.mean() / gray.shape[0]),
    "x": float(xs.mean() / side), "y0": float(ys.min() / side), "y1": float(ys.max() / side),
    "grab": [grab.width(), grab.height()],
}))
"""


def test_canvas_at_scale_factor_2():
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", QT_SCALE_FACTOR="2")
    out = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True,
                         text=True, timeout=60, check=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["dpr"] == 2.0
    assert result["buffer"] == 2 * result["sheet"]  # allocated at device pixels
    assert abs(result["x"] - 0.3) < 0.01  # ink where the pen went, not scaled twice
    assert abs(result["network_x"] - 0.3) < 0.01  # and the same in the network's image
    assert result["y0"] < 0.2 < 0.8 < result["y1"] < 0.85
    assert result["grab"] == [600, 600]

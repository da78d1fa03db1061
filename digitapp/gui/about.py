"""The text of Help > About: versions of everything that computes or draws, and credits."""

from __future__ import annotations

import platform
from html import escape

import numpy as np
import PySide6
from PySide6.QtCore import qVersion

import digitapp

MNIST_ATTRIBUTION = (
    "MNIST database by Yann LeCun, Corinna Cortes and Christopher J. C. Burges, CC BY-SA 3.0"
)


def component_versions() -> dict[str, str]:
    """Return {component: version} for digitapp and the libraries it runs on."""
    import pyqtgraph  # imported here: the About box is rare, start-up is not

    return {
        "digitapp": digitapp.__version__,
        "Python": platform.python_version(),
        "NumPy": np.__version__,
        "Qt": qVersion(),  # the Qt actually loaded, which may differ from the one built against
        "PySide6": PySide6.__version__,
        "pyqtgraph": pyqtgraph.__version__,
    }


def about_text() -> str:
    """Return the About box as rich text (HTML understood by QLabel/QMessageBox)."""
    rows = "".join(
        f"<tr><td>{escape(name)}</td><td>&nbsp;{escape(version)}</td></tr>"
        for name, version in component_versions().items()
    )
    return (
        f"<h3>digitapp {escape(digitapp.__version__)}</h3>"
        "<p>A desktop studio for handwritten digits. The neural network is written from "
        "scratch in NumPy; no machine-learning framework is used.</p>"
        f"<table>{rows}</table>"
        f"<p>{escape(MNIST_ATTRIBUTION)}.</p>"
        "<p>Bundled font: DejaVu Sans (Bitstream Vera and Arev font licences).</p>"
    )

"""On a machine with no fonts at all, the bundled DejaVu Sans keeps text readable."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from digitapp.paths import resource_path

SCRIPT = """
from PySide6.QtGui import QFont, QFontInfo, QFontMetrics
from PySide6.QtWidgets import QApplication
from digitapp.gui.app import configure_application

app = QApplication([])
print(repr(QFontInfo(QFont()).family()), QFontMetrics(QFont()).inFont("A"))
configure_application(app)
print(repr(QFontInfo(QFont()).family()), QFontMetrics(QFont()).inFont("A"))
"""

# A fontconfig configuration that lists no font folders: Qt sees no system font.
NO_FONTS_CONF = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><cachedir>{cache}</cachedir></fontconfig>
"""


@pytest.mark.skipif(sys.platform != "linux", reason="simulates a bare Linux with fontconfig")
@pytest.mark.skipif(
    not resource_path("fonts", "DejaVuSans.ttf").is_file(), reason="no bundled font"
)
def test_bundled_font_is_used_when_the_system_has_none(tmp_path):
    conf = tmp_path / "fonts.conf"
    conf.write_text(NO_FONTS_CONF.format(cache=tmp_path / "cache"))
    env = {**os.environ, "FONTCONFIG_FILE": str(conf), "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    before, after = result.stdout.splitlines()
    assert before == "'' False", "the simulated machine still has fonts; test proves nothing"
    assert after == "'DejaVu Sans' True"

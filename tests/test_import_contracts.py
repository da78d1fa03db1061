"""The layers below the GUI import without Qt (DESIGN.md: testable without Qt installed).

import-linter checks the import graph statically (`make lint`); this checks it at run time,
in a fresh interpreter where importing Qt is made impossible.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

QT_PACKAGES = ("PySide6", "shiboken6", "pyqtgraph")

SCRIPT = """
import sys

QT_PACKAGES = {qt!r}

class NoQt:
    # A meta-path finder that refuses Qt, as if it were not installed.
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in QT_PACKAGES:
            raise ImportError(f"{{name}} is blocked: this layer must not need Qt")
        return None

sys.meta_path.insert(0, NoQt())
import {module}
loaded = sorted(m for m in sys.modules if m.split(".")[0] in QT_PACKAGES)
assert not loaded, loaded
"""


@pytest.mark.parametrize(
    "module",
    [
        "digitapp.engine",
        "digitapp.data",
        "digitapp.analysis",
        "digitapp.store",
        "digitapp.app",
        # The CLI opens the GUI on demand; importing it must not load Qt.
        "digitapp.cli",
    ],
)
def test_layer_imports_without_qt(module):
    script = SCRIPT.format(qt=QT_PACKAGES, module=module)
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr


def test_engine_and_data_import_without_loading_qt():
    # The check as first stated, without the blocker: nothing pulls Qt in when it is there.
    code = (
        "import sys; import digitapp.engine, digitapp.data; "
        "assert not any(m.startswith(('PySide6','shiboken6','pyqtgraph')) for m in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr

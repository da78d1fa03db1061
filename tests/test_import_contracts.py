"""The layers below the GUI import without Qt (DESIGN.md: testable without Qt installed),
and no product module needs the test helpers (testkit/ is in neither the wheel nor the
frozen app).

import-linter checks the import graph statically (`make lint`); this checks it at run time,
in a fresh interpreter where importing Qt (or testkit) is made impossible.
"""

from __future__ import annotations

import os
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


PRODUCT_WITHOUT_TESTKIT = """
import importlib, pkgutil, sys

class NoTestkit:
    # A meta-path finder that refuses testkit, as in the wheel and the frozen app.
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] == "testkit":
            raise ImportError(f"{name} is blocked: the product must not need test helpers")
        return None

sys.meta_path.insert(0, NoTestkit())
import digitapp
names = [m.name for m in pkgutil.walk_packages(digitapp.__path__, "digitapp.")
         if not m.name.endswith("__main__")]  # __main__ would start the app
for name in names:
    importlib.import_module(name)
assert not any(m.split(".")[0] == "testkit" for m in sys.modules)
print(len(names))
"""


def test_every_product_module_imports_without_the_test_helpers():
    result = subprocess.run([sys.executable, "-c", PRODUCT_WITHOUT_TESTKIT],
                            capture_output=True, text=True, timeout=120,
                            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 0, result.stderr
    assert int(result.stdout.strip()) > 50  # the walk found the product's modules

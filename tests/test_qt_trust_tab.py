"""The Trust tab offscreen: reliability diagram, coverage curve, robustness in the background."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest
from PySide6.QtCore import Qt, QTimer

from digitapp.analysis.calibration import expected_calibration_error
from digitapp.app.not_a_digit import shipped_check
from digitapp.app.trust import ROBUSTNESS_IMAGES, robustness_subset
from digitapp.cli import build_parser, main
from digitapp.gui.audit.trust_tab import TrustTab
from digitapp.paths import weights_path

WAIT_MS = 120_000
FEW = 500  # robustness images where only the equality of the numbers matters


@pytest.fixture
def window(fresh_main_window):
    return fresh_main_window(960, 640)


def _open_trust(qtbot, window) -> TrustTab:
    tab = window.audit_tabs.trust
    window.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: tab.figures is not None, timeout=WAIT_MS)
    return tab


def test_the_tab_is_there_and_measures_what_the_cli_measures(window):
    titles = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert "Trust" in titles
    assert isinstance(window.tabs.widget(titles.index("Trust")), TrustTab)
    # The GUI's default subset is the CLI's: the same curves unless asked otherwise.
    assert window.audit_tabs.trust.trust.robustness_images == ROBUSTNESS_IMAGES
    assert build_parser().parse_args(["evaluate", "m"]).robustness_images == ROBUSTNESS_IMAGES


def test_reliability_and_coverage_after_the_audit(qtbot, window):
    tab = _open_trust(qtbot, window)
    audit = tab.audit
    confidences = audit.probabilities.max(axis=1)
    correct = audit.predictions == audit.labels
    counts = tab.reliability.counts
    assert len(counts) == 15 and counts.sum() == 10_000 == len(audit)
    ece = expected_calibration_error(confidences, correct)
    assert tab.figures.ece == pytest.approx(ece, abs=1e-12)
    assert f"ECE {ece:.2%}" in tab.reliability.getPlotItem().titleLabel.text
    assert "right (mean confidence" in tab.reliability.tooltips[-1]

    curve = tab.coverage.figures.coverage
    assert curve.coverage[-1] == 1.0
    assert curve.accuracy[-1] == pytest.approx(audit.accuracy)
    # The app's point: what the not-a-digit check lets through, computed off the GUI thread.
    check, _ = shipped_check()
    kept = ~check.declines(audit.images.astype(np.float32) / 255)
    assert tab.figures.app.answered == kept.sum()
    assert tab.figures.app.accuracy == pytest.approx(correct[kept].mean())
    assert tab.figures.sure.answered == (confidences >= 0.8).sum()
    assert "the app (not declined): answers" in tab.coverage_caption.text()


def test_robustness_runs_in_the_background_and_cancel_keeps_nothing(qtbot, window):
    tab = _open_trust(qtbot, window)
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))  # runs in the GUI thread: it must tick
    timer.start(20)
    qtbot.mouseClick(tab.robustness.measure_button, Qt.MouseButton.LeftButton)
    status = tab.robustness.status
    qtbot.waitUntil(lambda: status.bar.isVisible() and status.bar.value() > 0, timeout=WAIT_MS)
    assert not tab.robustness.measure_button.isEnabled()
    qtbot.wait(300)
    assert len(ticks) >= 5  # the GUI thread answered while the curves were measured
    qtbot.mouseClick(status.button, Qt.MouseButton.LeftButton)  # Cancel
    qtbot.waitUntil(lambda: not tab.trust.robustness_running(), timeout=WAIT_MS)
    timer.stop()
    assert tab.trust.curves_of(window.audit_tabs.session.snapshot.path) is None
    assert all(plot.curves == (None, None) for plot in tab.robustness.grid.plots.values())
    assert "cancelled" in status.label.text()
    assert tab.robustness.measure_button.isEnabled()


def test_robustness_numbers_equal_the_clis(qtbot, window, capsys):
    mlp = weights_path("mlp-512")
    session = window.audit_tabs.session
    session.active_model.use_path(mlp)
    tab = _open_trust(qtbot, window)
    tab.trust.robustness_images = FEW
    with qtbot.waitSignal(tab.trust.robustness_ready, timeout=WAIT_MS):
        tab.robustness.measure_robustness()
    curves = tab.trust.curves_of(mlp)
    assert curves.count == FEW and set(tab.robustness.grid.plots) == set(curves.curves)
    assert tab.robustness.grid.plots["rotation"].curves[0] is curves.curves["rotation"]
    assert curves.curves["noise"].declined is not None  # the check's share is drawn too
    # Level "none" is the model's plain accuracy on the subset.
    chosen = robustness_subset(tab.audit.images, tab.audit.labels, FEW)
    model = session.snapshot.model
    right = (model.predict(chosen.images.reshape(FEW, -1) / np.float32(255))
             == chosen.labels).mean()
    for name, curve in curves.curves.items():
        none = tab.robustness.grid.plots[name].family.none  # the level that changes nothing
        assert curve.accuracy[curve.levels.index(none)] == pytest.approx(right)

    assert main(["evaluate", str(mlp), "--robustness", "--robustness-images", str(FEW),
                 "--json"]) == 0
    cli = json.loads(capsys.readouterr().out)
    assert cli["robustness_images"] == FEW
    for name, ours in curves.as_json().items():
        theirs = cli["robustness"][name]
        assert theirs["levels"] == ours["levels"]
        assert theirs["accuracy"] == ours["accuracy"]
        if "declined" in theirs:  # the CLI may pass the same check
            assert theirs["declined"] == ours["declined"]


def test_an_uncalibrated_folder_is_said_so(qtbot, window, tmp_path):
    folder = tmp_path / "old-mlp"
    shutil.copytree(weights_path("mlp-512"), folder)
    manifest = json.loads((folder / "model.json").read_text())
    manifest.pop("calibration", None)  # as saved before models were calibrated
    (folder / "model.json").write_text(json.dumps(manifest))
    window.audit_tabs.session.active_model.use_path(folder)
    tab = _open_trust(qtbot, window)
    assert "not calibrated" in tab.summary.text()
    window.audit_tabs.session.active_model.use_path(weights_path("cnn"))
    assert "temperature" in tab.summary.text() or "not calibrated" in tab.summary.text()

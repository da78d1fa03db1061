"""Wait for the Draw tab's answer through its `prediction_shown` signal (tests, benchmarks).

The tab predicts on a throttle timer, so a change (a stroke, Esc, a drop) is answered a few
milliseconds later, and perhaps more than once. "The answer to a change" is the prediction
on screen once at least one was shown after the change and none is pending any more.
"""

from __future__ import annotations


class ShownPredictions:
    """Counts the predictions a Draw tab shows, from the moment it is made.

    The signal is emitted on the GUI thread, where `count` is read: no lock is needed.
    Call `stop()` to disconnect when done (a counter left connected only keeps counting).
    """

    def __init__(self, tab) -> None:
        self.tab = tab
        self.count = 0
        tab.prediction_shown.connect(self._on_shown)

    def _on_shown(self, _prediction) -> None:
        self.count += 1

    def answered(self) -> bool:
        """Return whether a prediction was shown and no newer change waits for one."""
        return self.count > 0 and not self.tab.prediction_pending()

    def stop(self) -> None:
        self.tab.prediction_shown.disconnect(self._on_shown)


def answer_after(qtbot, tab, action, timeout_ms: int = 5000):
    """Do action(), wait (pytest-qt) until the tab has answered it; return the Prediction
    on screen (None when the tab shows no digit)."""
    shown = ShownPredictions(tab)
    try:
        action()
        qtbot.waitUntil(shown.answered, timeout=timeout_ms)
    finally:
        shown.stop()
    return tab.last_prediction

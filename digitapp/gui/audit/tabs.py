"""Create the Mistakes, Insights and Trust tabs around the AuditSession; wire them together."""

from __future__ import annotations

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QTabWidget

from digitapp.gui.audit.insights_tab import InsightsTab
from digitapp.gui.audit.mistakes_tab import MistakesTab
from digitapp.gui.audit.session import AuditSession
from digitapp.gui.audit.trust_session import TrustSession
from digitapp.gui.audit.trust_tab import TrustTab


class AuditTabs(QObject):
    """Adds "Mistakes", "Insights" and "Trust" to `tabs`; a confusion-matrix cell or a map point
    opens the Mistakes tab on those images."""

    def __init__(self, session: AuditSession, tabs: QTabWidget) -> None:
        super().__init__(tabs)
        self.tabs = tabs
        self.session = session  # built by the app's root (gui/app.py)
        self.mistakes = MistakesTab(self.session)
        self.insights = InsightsTab(self.session)
        tabs.addTab(self.mistakes, "Mistakes")
        tabs.addTab(self.insights, "Insights")
        # The Trust tab's jobs (calibration figures, robustness) follow the same session.
        self.trust = TrustTab(self.session, TrustSession(self.session, self))
        tabs.addTab(self.trust, "Trust")
        self.insights.pair_requested.connect(self.show_pair)
        self.insights.image_requested.connect(self.show_image)

    @Slot()
    def shutdown(self) -> None:
        """Stop whatever the two tabs run (an export, the audit, a map) and block until
        their threads have ended: the window's close and the application's quit call it."""
        self.mistakes.shutdown()
        self.insights.shutdown()
        self.trust.shutdown()

    @Slot(int, int)
    def show_pair(self, true: int, predicted: int) -> None:
        self.mistakes.show_pair(true, predicted)
        self.tabs.setCurrentWidget(self.mistakes)

    @Slot(int)
    def show_image(self, index: int) -> None:
        self.mistakes.show_image(index)
        self.tabs.setCurrentWidget(self.mistakes)
